"""
Load and fault runs behind `make load` (loopback only, bounded in time).

1. Load: wrk drives a mix of pages for LOAD_SECONDS (60) at 32 connections
   against the production server; the run passes with zero errors.
2. Fault: a pool of clients requests pages for 40 s while PostgreSQL is
   stopped 10 s in and started again 10 s later. Half the clients ask for the
   fixed pages (which the page cache can keep serving), half for a search
   nobody has made before (which needs the database). In the outage new
   searches must get a quick 503 and cached pages a 200 or 503; none may hang
   past the timeout, and all must succeed again within 5 s of the return.
3. Cache fault: the same, against a server whose cache is a Redis of its
   own (redis-server on REDIS_PORT), which is killed 10 s in and started
   again 10 s later. Every request in the outage must still succeed (200):
   the site serves uncached while Redis is away.

Needs DATABASE_URL pointing at the local PostgreSQL cluster (it is stopped and
started with pg_ctlcluster), so run it when nothing else needs the database.
Results go to bench/results/faults-<time>.md and .json.
"""

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlparse

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import PYTHON, RESULTS, ROOT, WORK, manage, production_env

PORT = 8798
REDIS_PORT = 6399
LOAD_SECONDS = int(os.environ.get("LOAD_SECONDS", "60"))
CLIENT_TIMEOUT = 10
PATHS = [
    "/",
    "/clinics/",
    "/clinics/?route=iv&max_price=500",
    "/clinics/?near=10001&radius=50&sort=distance",
    "/clinics/in/ny/",
    "/guides/how-effective-is-ketamine/",
]
MIX_SCRIPT = """
local paths = {%s}
local i = 0
request = function()
  i = i %% #paths + 1
  return wrk.format("GET", paths[i], {["X-Forwarded-Proto"] = "https"})
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT %%d %%d %%d %%.2f %%.2f\\n", summary.requests,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status, latency:percentile(95) / 1000, latency.max / 1000))
end
"""


def cluster(action):
    version = sorted(os.listdir("/etc/postgresql"))[0]
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", action, "-m", "fast"]
        if action == "stop"
        else ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", action],
        check=True,
    )


def fetch(path):
    started = time.monotonic()
    request = urllib.request.Request(
        f"http://127.0.0.1:{PORT}{path}", headers={"X-Forwarded-Proto": "https"}
    )
    try:
        with urllib.request.urlopen(request, timeout=CLIENT_TIMEOUT) as response:
            status = response.status
            response.read()
    except urllib.error.HTTPError as error:
        status = error.code
    except OSError:
        status = 0  # timeout or connection failure
    return started, time.monotonic() - started, status


def load_run():
    script = WORK / "mix.lua"
    script.write_text(MIX_SCRIPT % ", ".join(f'"{p}"' for p in PATHS))
    output = subprocess.run(
        ["wrk", "-t2", "-c32", f"-d{LOAD_SECONDS}s", "--timeout", "10s", "-s", str(script),
         f"http://127.0.0.1:{PORT}/"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    requests, socket_errors, status_errors, p95, slowest = (
        re.search(r"RESULT (.+)", output).group(1).split()
    )
    return {
        "seconds": LOAD_SECONDS,
        "connections": 32,
        "requests": int(requests),
        "errors": int(socket_errors) + int(status_errors),
        "p95_ms": float(p95),
        "max_ms": float(slowest),
    }


def fault_run(stop, start):
    """Clients for 40 s; `stop()` 10 s in, `start()` 10 s later."""
    import zipcodes

    zips = [z["zip_code"] for z in zipcodes.list_all() if z["zip_code_type"] == "STANDARD"]

    results = []
    stop_at, start_at, end_at = 10.0, 20.0, 40.0
    origin = time.monotonic()
    finished = threading.Event()
    marks = {}

    def client(number):
        index = number
        while not finished.is_set():
            if number % 2:
                kind, path = "cached", PATHS[index % len(PATHS)]
            else:  # a ZIP no client asked for before: only the database can answer
                kind, path = "new", f"/clinics/?near={zips[index % len(zips)]}"
            started, duration, status = fetch(path)
            results.append((started - origin, duration, status, kind))
            index += 8  # each client its own residue, so no two share a path

    with ThreadPoolExecutor(max_workers=8) as pool:
        for number in range(8):
            pool.submit(client, number)
        time.sleep(stop_at)
        stop()
        marks["stopped"] = time.monotonic() - origin
        time.sleep(start_at - stop_at)
        # The outage ends when the start begins: PostgreSQL may answer before it returns.
        marks["starting"] = time.monotonic() - origin
        start()
        marks["started"] = time.monotonic() - origin
        time.sleep(end_at - start_at)
        finished.set()

    outage = [r for r in results if marks["stopped"] <= r[0] and r[0] + r[1] < marks["starting"]]
    after = sorted(r for r in results if r[0] >= marks["started"])
    first_ok = next((r[0] for r in after if r[2] == 200), None)
    later = [r for r in after if r[0] >= marks["started"] + 5]
    return {
        "requests": len(results),
        "stopped_at_s": round(marks["stopped"], 2),
        "started_at_s": round(marks["started"], 2),
        "outage_requests": len(outage),
        "outage_statuses": sorted({r[2] for r in outage}),
        "outage_statuses_new_searches": sorted({r[2] for r in outage if r[3] == "new"}),
        "outage_statuses_cached_pages": sorted({r[2] for r in outage if r[3] == "cached"}),
        "outage_max_ms": round(max((r[1] for r in outage), default=0) * 1000, 1),
        "hung_past_timeout": sum(1 for r in results if r[2] == 0),
        "recovered_after_s": round(first_ok - marks["started"], 2) if first_ok else None,
        "failures_5s_after_return": sum(1 for r in later if r[2] != 200),
    }


def serve(env, workers):
    server = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "-c", "gunicorn.conf.py", "--workers", str(workers),
         "--threads", "4", "ketamine_directory.wsgi"],
        cwd=ROOT, env=env, start_new_session=True, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    for _ in range(60):
        if fetch("/healthz")[2] == 200:
            break
        time.sleep(0.5)
    return server


def stop_server(server):
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=30)


def redis_server():
    return subprocess.Popen(
        ["redis-server", "--port", str(REDIS_PORT), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip


def cache_fault_run(env):
    """The fault run against a server whose Redis is killed and started again."""
    if not shutil.which("redis-server"):
        return None
    redis = [redis_server()]
    server = serve({**env, "REDIS_URL": f"redis://127.0.0.1:{REDIS_PORT}/0"}, workers=3)

    def stop():
        redis[0].kill()
        redis[0].wait()

    def start():
        redis[0] = redis_server()

    try:
        return fault_run(stop, start)
    finally:
        stop_server(server)
        stop()


def main():
    database = os.environ.get("DATABASE_URL", "")
    if not database.startswith(("postgres://", "postgresql://")):
        sys.exit("make load needs DATABASE_URL pointing at the local PostgreSQL cluster.")
    WORK.mkdir(parents=True, exist_ok=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    name = "bench_load"
    admin = urlparse(database)._replace(path="/postgres").geturl()
    import psycopg

    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    env = production_env(urlparse(database)._replace(path=f"/{name}").geturl())
    env["PORT"] = str(PORT)
    manage(env, "collectstatic", "--noinput", "-v0")
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "load_sample_data", "-v0")
    manage(env, "generate_clinics", "--count", "1000")
    server = serve(env, workers=3)
    try:
        load = load_run()
        print("load:", load, flush=True)
        fault = fault_run(lambda: cluster("stop"), lambda: cluster("start"))
        print("fault:", fault, flush=True)
    finally:
        stop_server(server)
    cache_fault = cache_fault_run(env)
    print("cache fault:", cache_fault, flush=True)
    passed = {
        "load: zero errors": load["errors"] == 0,
        "fault: new searches in the outage answered 503": (
            fault["outage_statuses_new_searches"] == [503]
        ),
        "fault: cached pages in the outage answered 200 or 503": (
            set(fault["outage_statuses_cached_pages"]) <= {200, 503}
        ),
        "fault: nothing hung past the timeout": fault["hung_past_timeout"] == 0,
        "fault: all succeed within 5 s of the return": fault["failures_5s_after_return"] == 0,
    }
    if cache_fault:
        passed.update({
            "cache fault: every request in the Redis outage answered 200": (
                cache_fault["outage_statuses"] == [200]
            ),
            "cache fault: nothing hung past the timeout": cache_fault["hung_past_timeout"] == 0,
            "cache fault: all succeed within 5 s of the return": (
                cache_fault["failures_5s_after_return"] == 0
            ),
        })  # fmt: skip
    stamp = f"{datetime.now(UTC):%Y%m%d-%H%M}"
    report = [
        f"# Load and fault runs {stamp} UTC",
        "",
        f"Load: {load['requests']:,} requests in {LOAD_SECONDS} s at 32 connections, "
        f"{load['errors']} errors, p95 {load['p95_ms']} ms, slowest {load['max_ms']} ms.",
        "",
        f"Fault: PostgreSQL stopped at {fault['stopped_at_s']} s and started at "
        f"{fault['started_at_s']} s. {fault['outage_requests']} requests during the outage "
        f"answered {fault['outage_statuses']} (new searches "
        f"{fault['outage_statuses_new_searches']}, cached pages "
        f"{fault['outage_statuses_cached_pages']}), the slowest in {fault['outage_max_ms']} ms; "
        f"{fault['hung_past_timeout']} hung past {CLIENT_TIMEOUT} s; the first success came "
        f"{fault['recovered_after_s']} s after the return; "
        f"{fault['failures_5s_after_return']} failures from 5 s after it.",
        "",
        (
            f"Cache fault: Redis killed at {cache_fault['stopped_at_s']} s and started at "
            f"{cache_fault['started_at_s']} s. {cache_fault['outage_requests']} requests during "
            f"the outage answered {cache_fault['outage_statuses']}, the slowest in "
            f"{cache_fault['outage_max_ms']} ms; {cache_fault['hung_past_timeout']} hung; "
            f"{cache_fault['failures_5s_after_return']} failures from 5 s after the return."
            if cache_fault
            else "Cache fault: not run (no redis-server on this machine)."
        ),
        "",
        *[f"- {'PASS' if ok else 'FAIL'}: {what}" for what, ok in passed.items()],
        "",
    ]
    (RESULTS / f"faults-{stamp}.md").write_text("\n".join(report))
    (RESULTS / f"faults-{stamp}.json").write_text(
        json.dumps(
            {"load": load, "fault": fault, "cache_fault": cache_fault, "passed": passed}, indent=1
        )
    )
    print("\n".join(report))
    sys.exit(0 if all(passed.values()) else 1)


if __name__ == "__main__":
    main()

"""
The benchmark behind `make bench` (a benchmark, not a test).

For each size (1,000, 10,000 and 100,000 synthetic clinics by default; set
BENCH_SIZES=1000,10000 to change) it builds a database (PostgreSQL when
DATABASE_URL points at one, SQLite otherwise), serves the site in production
mode under gunicorn on loopback, and drives a fixed set of URLs with wrk
(bounded: BENCH_SECONDS per URL, 8 connections). For each URL it reports
requests/s, p50/p95/p99 latency, errors, SQL queries per request, response
bytes and throughput as a share of the floor (robots.txt: a trivial view
through the same middleware stack). Results go to bench/results/ as Markdown
and JSON.

Pages are cached whole (ketamine_directory.page_cache), so a URL asked for
again and again measures the cache. The rows marked "each one new" ask for a
different search or clinic on every request, which measures the cost of
rendering from the database, and the report shows worker memory before and
after the run.
"""

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / "work"
RESULTS = ROOT / "bench" / "results"
PYTHON = sys.executable
SIZES = [int(n) for n in os.environ.get("BENCH_SIZES", "1000,10000,100000").split(",")]
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
CONNECTIONS = 8
PORT = int(os.environ.get("BENCH_PORT", "8799"))
SECRET = "bench-only-7f3a9c2e5b8d1f4a6c0e9b2d7a5f3c8e1b4d6a9f2c5e8b1d"

WRK_SCRIPT = """
done = function(summary, latency, requests)
  io.write(string.format("RESULT %d %d %d %d %.2f %.2f %.2f %.2f\\n",
    summary.requests, summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.timeout, summary.errors.status, summary.bytes,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, summary.duration / 1000000))
end
"""

# Each request takes the next path from a file, each wrk thread its own half.
DISTINCT_SCRIPT = (
    """
local paths = {}
for line in io.lines("PATH_FILE") do paths[#paths + 1] = line end
local counter = 0
setup = function(thread)
  thread:set("id", counter)
  counter = counter + 1
end
request = function()
  local n = (id or 0) + 2 * (requests_made or 0)
  requests_made = (requests_made or 0) + 1
  return wrk.format(nil, paths[n % #paths + 1])
end
"""
    + WRK_SCRIPT
)


def urls():
    return {
        "floor (robots.txt)": "/robots.txt",
        "home": "/",
        "directory": "/clinics/",
        "filtered search": "/clinics/?route=iv&max_price=500&insurance=aetna",
        "near ZIP by distance": "/clinics/?near=10001&radius=50&sort=distance",
        "near ZIP fragment (htmx)": "/clinics/?near=10001&radius=50&sort=distance#htmx",
        "clinic page": "{clinic}",
        "guide page": "/guides/how-effective-is-ketamine/",
        "filtered search, each one new": "@searches",
        "clinic page, each one new": "@clinics",
    }


DISTINCT_PATHS_CODE = """
import json, random, django
django.setup()
from clinics.models import Clinic, Payer, Route
rng = random.Random(1)
clinics = list(Clinic.objects.published().filter(is_sample=False).order_by("?")
               .values_list("slug", flat=True)[:20000])
payers = list(Payer.objects.values_list("slug", flat=True))
searches = [f"/clinics/?route={route}&max_price={price}&insurance={payer}"
            for route in Route.values for price in range(150, 1500, 5) for payer in payers[:8]]
rng.shuffle(searches)
print("PATHS " + json.dumps({"@clinics": [f"/clinics/{slug}/" for slug in clinics],
                             "@searches": searches[:20000]}))
"""


def distinct_paths(env):
    """Files of distinct URLs (searches, clinic pages) for the 'each one new' rows."""
    result = subprocess.run(
        [PYTHON, "-c", DISTINCT_PATHS_CODE], cwd=ROOT, env=env, capture_output=True, text=True,
        check=True,
    )  # fmt: skip
    line = next(x for x in result.stdout.splitlines() if x.startswith("PATHS "))
    files = {}
    for name, paths in json.loads(line[len("PATHS ") :]).items():
        files[name] = WORK / f"paths-{name[1:]}.txt"
        files[name].write_text("\n".join(paths) + "\n")
    return files


def worker_memory_mb(server):
    """Resident memory of each gunicorn worker (children of the master), in MB."""
    sizes = []
    for child in Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split():
        status = Path(f"/proc/{child}/status").read_text()
        kilobytes = int(re.search(r"VmRSS:\s+(\d+)", status).group(1))
        sizes.append(round(kilobytes / 1024))
    return sorted(sizes)


def database_env(size):
    base = os.environ.get("DATABASE_URL", "")
    if base.startswith(("postgres://", "postgresql://")):
        url = urlparse(base)
        name = f"bench_{size}"
        admin = url._replace(path="/postgres").geturl()
        import psycopg

        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
            connection.execute(f'CREATE DATABASE "{name}"')
        return url._replace(path=f"/{name}").geturl(), "PostgreSQL"
    path = WORK / f"bench_{size}.sqlite3"
    path.unlink(missing_ok=True)
    return f"sqlite:///{path}", "SQLite"


def settle(database_url):
    """
    Let PostgreSQL finish the work a bulk load leaves behind before measuring.

    Without this, a checkpoint and autovacuum after loading 100,000 clinics
    took the CPU from whichever URL happened to be measured at the time.
    """
    if not database_url.startswith(("postgres://", "postgresql://")):
        return
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as connection:
        try:
            connection.execute("CHECKPOINT")
        except psycopg.Error as error:  # needs superuser or pg_checkpoint
            print(f"   (no CHECKPOINT: {error})", flush=True)
        deadline = time.monotonic() + 180
        busy = "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'autovacuum worker'"
        while connection.execute(busy).fetchone()[0] and time.monotonic() < deadline:
            time.sleep(1)


def production_env(database_url):
    return {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": SECRET,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": database_url,
        "STATIC_ROOT": str(WORK / "static"),
        "LOG_LEVEL": "WARNING",
        "PORT": str(PORT),
        "HOST": "127.0.0.1",
        "DJANGO_SETTINGS_MODULE": "ketamine_directory.settings",
    }


def manage(env, *args):
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


def measure_in_process(env, paths):
    """
    SQL queries and bytes per URL, from one request each through the test client.

    `paths` maps a name to (path, warm): a warm path is requested once first,
    as the server's cache would have it; a cold one is measured on first sight.
    """
    code = f"""
import gzip, json, django
django.setup()
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
client = Client()
out = {{}}
for name, (path, warm) in {paths!r}.items():
    headers = {{"x-forwarded-proto": "https", "host": "127.0.0.1", "accept-encoding": "gzip"}}
    if path.endswith("#htmx"):
        path, headers["hx-request"] = path[:-5], "true"
    if warm:
        client.get(path, headers=headers)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, headers=headers)
    packed = response.get("content-encoding") == "gzip"
    html = gzip.decompress(response.content) if packed else response.content
    out[name] = {{"queries": len(queries), "bytes": len(html),
                 "gzip_bytes": len(response.content), "status": response.status_code}}
print("MEASURED " + json.dumps(out))
"""
    result = subprocess.run(
        [PYTHON, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    line = next(x for x in result.stdout.splitlines() if x.startswith("MEASURED "))
    measured = json.loads(line[len("MEASURED ") :])
    for name, row in measured.items():
        if row["status"] != 200:
            raise RuntimeError(f"{name} answered {row['status']} in-process")
    return measured


def first_clinic(env):
    code = (
        "import django; django.setup(); from clinics.models import Clinic;"
        "print(Clinic.objects.published().filter(is_sample=False).order_by('pk').first()"
        ".get_absolute_url())"
    )
    result = subprocess.run(
        [PYTHON, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return result.stdout.strip().splitlines()[-1]


def wait_for_server(server):
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=2)
            return
        except OSError:
            if server.poll() is not None:
                raise RuntimeError("gunicorn exited (is the port taken?)") from None
            time.sleep(0.3)
    raise RuntimeError("gunicorn did not start")


def warm_up(paths):
    """A few requests per URL first, so each worker has loaded what it caches."""
    for path in paths.values():
        if path.startswith("@"):
            continue
        headers = {"X-Forwarded-Proto": "https", "Accept-Encoding": "gzip"}
        if path.endswith("#htmx"):
            path, headers["HX-Request"] = path[:-5], "true"
        for _ in range(6):
            request = urllib.request.Request(f"http://127.0.0.1:{PORT}{path}", headers=headers)
            urllib.request.urlopen(request, timeout=30).read()


def run_wrk(path, script):
    """wrk on one path, or with a path file's script ('@name') on a new path per request."""
    # As a browser asks: pages come back gzipped, and the cost of that is measured.
    headers = ["-H", "X-Forwarded-Proto: https", "-H", "Accept-Encoding: gzip"]
    if path.endswith("#htmx"):
        path = path[:-5]
        headers += ["-H", "HX-Request: true"]
    if path.startswith("@"):
        path = "/"  # the script names each request's path
    command = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "--timeout", "5s"]
    command += [*headers, "-s", str(script), f"http://127.0.0.1:{PORT}{path}"]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    match = re.search(r"RESULT (.+)", output)
    requests, socket_errors, status_errors, _bytes, p50, p95, p99, duration = match.group(1).split()
    return {
        "rps": round(int(requests) / float(duration), 1),
        "p50_ms": float(p50),
        "p95_ms": float(p95),
        "p99_ms": float(p99),
        "errors": int(socket_errors) + int(status_errors),
        "requests": int(requests),
    }


def bench_size(size, script):
    database_url, engine = database_env(size)
    env = production_env(database_url)
    print(f"== {size:,} clinics on {engine}", flush=True)
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "generate_clinics", "--count", str(size), "--seed", "1")
    manage(env, "load_sample_data", "--guides-only", "-v0")
    settle(database_url)
    paths = urls()
    paths["clinic page"] = first_clinic(env)
    path_files = distinct_paths(env)
    scripts = {}
    measure = {}
    for name, path in paths.items():
        if path.startswith("@"):
            scripts[name] = WORK / f"distinct-{path[1:]}.lua"
            scripts[name].write_text(DISTINCT_SCRIPT.replace("PATH_FILE", str(path_files[path])))
            # The server will meet the first paths; measure one it never asks for.
            measure[name] = (path_files[path].read_text().splitlines()[-1], False)
        else:
            scripts[name] = script
            measure[name] = (path, True)
    measured = measure_in_process(env, measure)
    server = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "-c", "gunicorn.conf.py", "--workers", "2",
         "--threads", "4", "ketamine_directory.wsgi"],
        cwd=ROOT, env=env, start_new_session=True,
    )  # fmt: skip
    try:
        wait_for_server(server)
        warm_up(paths)
        memory = {"before_mb": worker_memory_mb(server)}
        rows = {}
        for name, path in paths.items():
            rows[name] = {**run_wrk(path, scripts[name]), **measured[name], "path": path}
            print(
                f"   {name}: {rows[name]['rps']} req/s, p95 {rows[name]['p95_ms']} ms", flush=True
            )
        memory["after_mb"] = worker_memory_mb(server)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    floor = rows["floor (robots.txt)"]["rps"] or 1
    for row in rows.values():
        row["vs_floor"] = round(row["rps"] / floor, 3)
    return {"size": size, "engine": engine, "urls": rows, "worker_memory": memory}


def markdown(runs, started):
    lines = [
        f"# Benchmark {started:%Y-%m-%d %H:%M} UTC",
        "",
        f"gunicorn (2 workers × 4 threads), production settings, wrk {CONNECTIONS} connections, "
        f"{SECONDS}s per URL, loopback, {os.cpu_count()} cores.",
        "",
    ]
    for run in runs:
        lines += [
            f"## {run['size']:,} clinics ({run['engine']})",
            "",
            "| URL | req/s | p50 ms | p95 ms | p99 ms | errors | queries | bytes | gzip bytes "
            "| vs floor |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for name, row in run["urls"].items():
            lines.append(
                f"| {name} | {row['rps']} | {row['p50_ms']} | {row['p95_ms']} | {row['p99_ms']} "
                f"| {row['errors']} | {row['queries']} | {row['bytes']:,} | {row['gzip_bytes']:,} "
                f"| {row['vs_floor']} |"
            )
        fragment, page = (
            run["urls"]["near ZIP fragment (htmx)"],
            run["urls"]["near ZIP by distance"],
        )
        memory = run["worker_memory"]
        lines += [
            "",
            f"Worker memory (RSS, MB) after warm-up: {memory['before_mb']}; "
            f"after the run: {memory['after_mb']}.",
            "",
            f"The htmx fragment is {fragment['bytes'] / page['bytes']:.0%} of the full page's "
            f"bytes ({fragment['gzip_bytes'] / page['gzip_bytes']:.0%} gzipped).",
            "",
        ]
    return "\n".join(lines)


def main():
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install -y wrk")
    WORK.mkdir(parents=True, exist_ok=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    script = WORK / "report.lua"
    script.write_text(WRK_SCRIPT)
    started = datetime.now(UTC)
    env = production_env(os.environ.get("DATABASE_URL", "sqlite:///:memory:"))
    manage(env, "collectstatic", "--noinput", "-v0")
    runs = [bench_size(size, script) for size in SIZES]
    stamp = f"{started:%Y%m%d-%H%M}"
    report = markdown(runs, started)
    (RESULTS / f"{stamp}.md").write_text(report)
    (RESULTS / f"{stamp}.json").write_text(json.dumps(runs, indent=1))
    (RESULTS / "latest.md").write_text(report)
    print(report)


if __name__ == "__main__":
    main()

"""
`make lighthouse`: Lighthouse 12 against the production-mode server, sample data.

Runs `npx lighthouse@12` (Node 20) with Debian's Chromium for home, a filtered
directory, a clinic, a comparison and a guide, and writes each JSON report and
a summary of the four category scores to bench/results/lighthouse/.
Goal: performance >= 95, accessibility, best practices and SEO 100 on each.
"""

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import PYTHON, RESULTS, ROOT, WORK, manage, production_env

PORT = 8797
PAGES = {
    "home": "/",
    "directory": "/clinics/?route=iv&max_price=500",
    "clinic": None,  # the first sample clinic, found at run time
    "compare": None,
    "guide": "/guides/ketamine-for-depression/",
}
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]


def run_lighthouse(path, report, attempts=3):
    """Lighthouse sometimes fails to record a trace (NO_NAVSTART); try again."""
    command = [
        "npx", "--yes", "lighthouse@12", f"http://127.0.0.1:{PORT}{path}",
        "--quiet", "--output=json", f"--output-path={report}",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-background-networking",
        "--only-categories=" + ",".join(CATEGORIES),
    ]  # fmt: skip
    for attempt in range(attempts):
        result = subprocess.run(command, env={**os.environ, "CHROME_PATH": "/usr/bin/chromium"})
        if result.returncode == 0:
            return
        print(f"lighthouse failed on {path} (attempt {attempt + 1}); retrying", flush=True)
    raise RuntimeError(f"lighthouse failed {attempts} times on {path}")


def main():
    out = RESULTS / "lighthouse"
    out.mkdir(parents=True, exist_ok=True)
    WORK.mkdir(parents=True, exist_ok=True)
    database = WORK / "lighthouse.sqlite3"
    database.unlink(missing_ok=True)
    env = production_env(f"sqlite:///{database}")
    env.update(PORT=str(PORT), SECURE_SSL_REDIRECT="0")
    manage(env, "collectstatic", "--noinput", "-v0")
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "load_sample_data", "-v0")
    slugs = subprocess.run(
        [PYTHON, "-c", "import django; django.setup(); from clinics.models import Clinic;"
         "print(' '.join(Clinic.objects.order_by('pk').values_list('slug', flat=True)[:2]))"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=True,
    ).stdout.split()  # fmt: skip
    PAGES["clinic"] = f"/clinics/{slugs[0]}/"
    PAGES["compare"] = f"/clinics/compare/?clinic={slugs[0]}&clinic={slugs[1]}"
    server = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "-c", "gunicorn.conf.py", "--workers", "2",
         "ketamine_directory.wsgi"],
        cwd=ROOT, env=env, start_new_session=True, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    scores = {}
    try:
        for _ in range(60):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        for name, path in PAGES.items():
            report = out / f"{name}.json"
            run_lighthouse(path, report)
            categories = json.loads(report.read_text())["categories"]
            scores[name] = {c: round(categories[c]["score"] * 100) for c in CATEGORIES}
            print(name, scores[name], flush=True)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    lines = [
        f"# Lighthouse {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        "",
        "Production settings under gunicorn on loopback (plain HTTP, so the HTTPS audits",
        "do not apply), sample data, Lighthouse 12 with Debian's Chromium.",
        "",
        "| page | performance | accessibility | best practices | SEO |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    lines += [
        f"| {name} | " + " | ".join(str(s[c]) for c in CATEGORIES) + " |"
        for name, s in scores.items()
    ]
    lines += [
        "",
        "A comparison of two or more clinics names one canonical address (slugs sorted, no",
        "ZIP), so search engines see each set of clinics once; a compare page with fewer",
        "than two clinics is `noindex`.",
    ]
    (out / "summary.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()

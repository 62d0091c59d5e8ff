"""gunicorn settings for production: `gunicorn -c gunicorn.conf.py ketamine_directory.wsgi`."""

import multiprocessing
import os

bind = f"{os.environ.get('HOST', '0.0.0.0')}:{os.environ.get('PORT', '8000')}"
# Threads let a worker overlap database waits; a few processes use every core.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = 30
graceful_timeout = 20
keepalive = 5
# Workers are not recycled by default: a new worker starts cold (ZIP table,
# templates, local cache), and `make bench` reports worker memory staying flat
# under load. Set GUNICORN_MAX_REQUESTS to recycle if a leak ever shows up.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "0"))
max_requests_jitter = max_requests // 10
# The app logs one line per request itself (without query strings); no access log here.
accesslog = None
# Should it be turned on (--access-logfile -), its lines are like the app's: no
# query string, no client address, no token of a claim, confirmation or reset link.
access_log_format = "%(m)s %(U)s %(s)s %(M)sms %(B)s"
logger_class = "ketamine_directory.gunicorn_logging.RedactingLogger"
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def post_worker_init(worker):
    # Otherwise each worker's first near-ZIP search or place name waits about
    # a second while the tables are read.
    from clinics.geo import load_tables

    load_tables()

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
# Recycle workers now and then so a slow leak can never grow without bound, but
# rarely: a new worker starts cold (ZIP table, templates, local cache).
max_requests = 50000
max_requests_jitter = 5000
# The app logs one line per request itself (without query strings); no access log here.
accesslog = None
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

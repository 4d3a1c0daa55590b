"""Production serving: gunicorn sync workers with persistent database connections (CONN_MAX_AGE).

Measured on a 2-core machine, sync workers outrun Django under ASGI several times over, because
each worker keeps its database connection between requests. Override with GUNICORN_* variables."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", max(2, multiprocessing.cpu_count())))
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "sync")
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
keepalive = 5
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
# A worker that once built a large answer keeps the memory Python took for it; recycling workers
# after a number of requests (spread by the jitter, so that both do not restart at once) gives it back.
# The application is loaded once, in the master, so that a recycled worker is a fork ready to
# serve rather than a second of CPU spent importing Django: at a gate's morning rush (a thousand
# check-ins a second) a worker reaches max_requests every few seconds, and reloading the
# application each time cost most of the throughput (bench/README.md, "Workers recycled"). The
# master opens no database connection (core.tests.test_serving), so none is shared by the forks.
preload_app = True
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "10000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "1000"))
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")

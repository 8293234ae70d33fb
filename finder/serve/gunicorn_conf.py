"""gunicorn settings for ``finder serve`` (also usable as ``gunicorn -c finder/serve/gunicorn_conf.py``).

Every value can be overridden from the environment; a ``kill -HUP`` of the master re-reads this
file and replaces the workers without dropping connections (graceful reload). The workers fork
from the master, so new code needs a new master (a restart, or USR2 then QUIT the old one).
"""
from __future__ import annotations

import os

# $PORT is what hosting platforms hand out; behind a reverse proxy on the same host, loopback.
bind = os.environ.get("BIND") or f"127.0.0.1:{os.environ.get('PORT', '8000')}"
# Sync workers: each request is CPU-bound Python and the proxy in front buffers slow clients.
# They answer one request per connection (no keep-alive), which is what a proxy in front expects.
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "sync"
# A request that takes half a minute is stuck: the master replaces its worker.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30  # a worker told to stop (reload, deploy) finishes its request first
# Recycle workers now and then, so a slow leak never grows; jitter keeps them from all restarting at once.
# Not too often: a new worker costs ~0.85 s of CPU and its first requests run cold, which at 5,000
# showed as 250-500 ms p99 spikes under load; 10 minutes of load at 250k grew a worker's RSS 0.7%.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "50000"))
max_requests_jitter = max_requests // 10
# Each worker builds its own app after the fork, so no database connection crosses processes.
preload_app = False
proc_name = "meeting-finder"
# gunicorn 24+'s control socket sits at one path per user, which two servers on a host would share;
# reload and stop with signals instead (HUP, TERM). Older versions ignore the unknown name.
control_socket_disable = True

# The access log goes to stderr through the "gunicorn.access" logger, whose filter (added by
# finder/web/logmask.py in each worker) masks schedule tokens. It records neither the client's
# address nor the query string (a searched place is as personal as an address): the worker's
# pid, method, path, status, bytes and milliseconds.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
access_log_format = '%(p)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")


def on_starting(server: object) -> None:
    """Refuse to start without a real ``SECRET_KEY`` (also when gunicorn is started by hand)."""
    from finder.serve.command import MissingSecretKey, require_secret_key

    try:
        require_secret_key(os.environ)
    except MissingSecretKey as error:
        raise SystemExit(f"Error: {error.message}") from None


def post_worker_init(worker: object) -> None:
    """The worker has built its app: set the cycle collector for serving (finder/serve/collector.py)."""
    from finder.serve.collector import settle_collector

    settle_collector()

"""gunicorn settings for bot.wsgi:app (README "Operations"): threaded workers, and the
bookkeeping prometheus-client needs to add up every worker's metrics."""

import os

worker_class = "gthread"
threads = 8
workers = int(os.environ.get("AOR_WEB_WORKERS", "2"))
bind = os.environ.get("AOR_WEB_BIND", "127.0.0.1:3000")
timeout = 30
accesslog = None  # the app logs what matters, as JSON


def child_exit(server, worker):
    """A worker that exits leaves its gauges behind unless told (prometheus-client)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)

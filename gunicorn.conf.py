"""The web server's configuration, in one place: the image's CMD (Dockerfile) and the load
benchmark (bench/load.py) both start gunicorn with ``-c gunicorn.conf.py``.

A request is CPU-bound Python (templates, the ORM) with short waits on PostgreSQL and Redis, so
the server needs about one process per core to use every core, a few threads each to fill the
waits, and no more: extra processes only queue for the same cores and hold 115 MB each.
docs/operations.md gives the measurements behind the defaults.
"""

import os


def _cores() -> int:
    """Cores this container may use (its CPU affinity; a cgroup quota can set WEB_CONCURRENCY)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


bind = os.environ.get("WEB_BIND", "0.0.0.0:8000")
# Processes (gunicorn's own WEB_CONCURRENCY) and threads per process.
workers = int(os.environ.get("WEB_CONCURRENCY", _cores()))
worker_class = "gthread"
threads = int(os.environ.get("WEB_THREADS", 4))
# A kept-alive connection from the proxy is reused for the next request.
keepalive = 5
timeout = 60
# The workers' heartbeat files in memory, not on the container's overlay disk (gunicorn's own
# advice for containers; the files hold no data).
SHM = "/dev/shm"  # noqa: S108
worker_tmp_dir = SHM if os.path.isdir(SHM) else None
accesslog = "-"

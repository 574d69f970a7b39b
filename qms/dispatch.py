"""Putting tasks on the queue without making users wait on the broker."""

from __future__ import annotations

import logging
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import wait as wait_for_futures

import redis
from django.db import connections, transaction
from kombu.exceptions import OperationalError

BROKER_ERRORS = (OperationalError, redis.RedisError, OSError)

logger = logging.getLogger(__name__)

# After a failed publish, this process leaves the broker alone for this many seconds: a request
# that notifies five people must not wait five socket time-outs on a hung Redis.
BROKER_PAUSE_SECONDS = 30.0
_broker_paused_until = 0.0


def enqueue(task, *args, **kwargs) -> bool:
    """Send ``task`` now; if the broker is unreachable, log and carry on. True if published.

    Callers record the work in the database first (an outbox row), and a periodic sweep picks up
    whatever was not delivered, so a lost enqueue delays the work but never loses it
    (docs/design.md §10: nothing a user does waits on the broker). The wait is bounded by the Redis
    time-outs in settings (one try, no retry) and, after a failure, by skipping the broker for
    ``BROKER_PAUSE_SECONDS``.
    """
    global _broker_paused_until
    if time.monotonic() < _broker_paused_until:
        logger.info("Broker paused after a failure; %s left for the next sweep", task.name)
        return False
    try:
        task.apply_async(args=args, kwargs=kwargs, retry=False)
    except Exception as exc:  # kombu.OperationalError, redis errors, socket errors...
        # In-process (eager) tasks do not touch the broker: their errors never pause it.
        if isinstance(exc, BROKER_ERRORS) and not task.app.conf.task_always_eager:
            _broker_paused_until = time.monotonic() + BROKER_PAUSE_SECONDS
        logger.warning("Broker unavailable; %s left for the next sweep", task.name, exc_info=True)
        return False
    return True


def resume_broker() -> None:
    """Forget a recorded broker failure (tests; the pause also ends by itself)."""
    global _broker_paused_until
    _broker_paused_until = 0.0


def enqueue_on_commit(task, *args, **kwargs) -> None:
    """Enqueue ``task`` after the current transaction commits (immediately outside one)."""
    transaction.on_commit(lambda: enqueue(task, *args, **kwargs))


# In-process (eager) mode: the one thread that runs work a page waits for, one task at a time
# in the order asked (the PDF queue's single worker, inside the web process).
_background: ThreadPoolExecutor | None = None
_background_lock = threading.Lock()
_running: set[Future] = set()


def enqueue_on_commit_in_background(task, *args, **kwargs) -> None:
    """Enqueue ``task`` after commit, for long work a person follows on a page that polls (a PDF).

    With a broker this is :func:`enqueue_on_commit`: a worker runs it. In-process (the embedded
    default, ``task_always_eager``) an eager task would run inside the request and keep the
    person waiting for the whole render with no feedback; here it runs instead in a background
    thread of this process, so the request returns at once and the page shows the progress the
    task records. The thread has its own database connection, so the task reads only what was
    committed (hence after commit). A process that stops mid-task leaves the row for the
    task's own recovery (the PDF lifecycle takes over a stale PROCESSING row).
    """
    transaction.on_commit(lambda: _start(task, args, kwargs))


def _start(task, args, kwargs) -> None:
    global _background
    if not task.app.conf.task_always_eager:
        enqueue(task, *args, **kwargs)
        return
    with _background_lock:
        if _background is None:
            _background = ThreadPoolExecutor(max_workers=1, thread_name_prefix="qms-background")
        future = _background.submit(_run, task, args, kwargs)
        _running.add(future)
    future.add_done_callback(_forget)


def _forget(future: Future) -> None:
    with _background_lock:
        _running.discard(future)


def _run(task, args, kwargs) -> None:
    try:
        task.apply(args=args, kwargs=kwargs, throw=True)
    except Exception:
        logger.exception("Background task %s failed", task.name)
    finally:
        connections.close_all()  # this thread's connections only


def wait_for_background(timeout: float | None = None) -> bool:
    """Wait until the background work started so far is done (tests; a clean shutdown).
    True when nothing is left running."""
    with _background_lock:
        running = list(_running)
    _done, not_done = wait_for_futures(running, timeout=timeout)
    return not not_done

"""Putting tasks on the queue without making users wait on the broker."""

from __future__ import annotations

import logging
import time

import redis
from django.db import transaction
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
    (DESIGN.md §10: nothing a user does waits on the broker). The wait is bounded by the Redis
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

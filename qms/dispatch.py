"""Putting tasks on the queue without making users wait on the broker."""

from __future__ import annotations

import logging

from django.db import transaction

logger = logging.getLogger(__name__)


def enqueue(task, *args, **kwargs) -> None:
    """Send ``task`` now; if the broker is unreachable, log and carry on.

    Callers record the work in the database first (an outbox row), and a periodic sweep picks up
    whatever was not delivered, so a lost enqueue delays the work but never loses it
    (DESIGN.md §10: nothing a user does waits on the broker).
    """
    try:
        task.apply_async(args=args, kwargs=kwargs, retry=False)
    except Exception:  # kombu.OperationalError, redis ConnectionError, socket errors...
        logger.warning("Broker unavailable; %s left for the next sweep", task.name, exc_info=True)


def enqueue_on_commit(task, *args, **kwargs) -> None:
    """Enqueue ``task`` after the current transaction commits (immediately outside one)."""
    transaction.on_commit(lambda: enqueue(task, *args, **kwargs))

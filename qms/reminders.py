"""The reminder ledger (docs/design.md §10): each reminder or escalation exactly once.

A sweep calls :func:`claim` inside the transaction that decides to remind. The unique row
(object, kind, step) is the claim: a second sweep, a task delivered twice or a restarted worker
finds the row and does nothing. The notification (and its e-mail, after commit) is written in
the same transaction, so a rolled-back decision leaves neither behind.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction

from qms.models import Notification, Reminder


def in_batches(queryset, size: int = 500):
    """Every row of ``queryset`` (objects, or primary keys from ``values_list("pk", flat=True)``)
    in primary-key order, fetched in keyset batches of ``size``. A sweep finishes all that is
    due in one run without holding it in memory, and a row it skips without a claim is not read
    again in the same run. The next batch is read after the caller has handled this one."""
    last = 0
    while True:
        batch = list(queryset.filter(pk__gt=last).order_by("pk")[:size])
        if not batch:
            return
        yield from batch
        last = batch[-1] if isinstance(batch[-1], int) else batch[-1].pk


def claim(obj: models.Model, kind: str, step: int = 0) -> Reminder | None:
    """Insert the ledger row for (obj, kind, step); None when it was already there."""
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=True)
    try:
        with transaction.atomic():
            return Reminder.objects.create(
                content_type=content_type, object_id=obj.pk, kind=kind, step=step
            )
    except IntegrityError:
        return None


def attach(reminder: Reminder, notification: Notification) -> None:
    Reminder.objects.filter(pk=reminder.pk).update(notification=notification)


def was_sent(obj: models.Model, kind: str, step: int = 0) -> bool:
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=True)
    return Reminder.objects.filter(
        content_type=content_type, object_id=obj.pk, kind=kind, step=step
    ).exists()

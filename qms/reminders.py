"""The reminder ledger (docs/design.md §10): each reminder or escalation exactly once.

A sweep calls :func:`claim` inside the transaction that decides to remind. The unique row
(object, kind, step) is the claim: a second sweep, a task delivered twice or a restarted worker
finds the row and does nothing. The notification (and its e-mail, after commit) is written in
the same transaction, so a rolled-back decision leaves neither behind.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone

from qms.models import Notification, Reminder, RoutedWork
from qms.notifications import Message, notify_all

# A ledger key: (object id, kind, step).
Key = tuple[int, str, int]


def batch_size() -> int:
    """How many items a sweep handles in one transaction (``SWEEP_BATCH_SIZE``): the claims,
    notifications and counters of one batch commit together or not at all."""
    return settings.SWEEP_BATCH_SIZE


def batches(queryset, size: int | None = None) -> Iterator[list]:
    """Every row of ``queryset`` (objects, or primary keys from ``values_list("pk", flat=True)``)
    in primary-key order, as keyset batches of ``size``. A sweep finishes all that is due in one
    run without holding it in memory, and a row it skips without a claim is not read again in
    the same run. The next batch is read after the caller has handled this one."""
    size = size or batch_size()
    last = 0
    while True:
        batch = list(queryset.filter(pk__gt=last).order_by("pk")[:size])
        if not batch:
            return
        yield batch
        last = batch[-1] if isinstance(batch[-1], int) else batch[-1].pk


def in_batches(queryset, size: int | None = None):
    """The rows of :func:`batches`, one at a time."""
    for batch in batches(queryset, size):
        yield from batch


def claim_many(model: type[models.Model], keys: Iterable[Key]) -> dict[Key, int]:
    """:func:`claim` for a batch: insert the ledger rows of ``keys`` in one statement and return
    those this call inserted (key -> ledger row id); a key already in the ledger is left out,
    never sent twice. Call inside the transaction that records the batch's notifications.

    The rows go in key order, so two sweeps claiming overlapping batches at once wait for each
    other (the second then finds the first's rows) instead of deadlocking."""
    keys = sorted(set(keys))
    if not keys:
        return {}
    content_type = ContentType.objects.get_for_model(model, for_concrete_model=True)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    table = connection.ops.quote_name(Reminder._meta.db_table)
    rows = ", ".join(["(%s, %s, %s, %s, %s)"] * len(keys))
    params = [
        value
        for object_id, kind, step in keys
        for value in (content_type.pk, object_id, kind, step, now)
    ]
    # The table is the model's and the values are parameters: nothing here comes from outside.
    sql = (
        f"INSERT INTO {table} (content_type_id, object_id, kind, step, created_at) "  # noqa: S608
        f"VALUES {rows} ON CONFLICT DO NOTHING RETURNING id, object_id, kind, step"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {(object_id, kind, step): pk for pk, object_id, kind, step in cursor.fetchall()}


def attach_many(pairs: Iterable[tuple[int, int]]) -> None:
    """:func:`attach` for a batch: (ledger row id, notification id) pairs, one statement (Django's
    ``bulk_update`` builds a CASE expression per row in Python, seconds per sweep)."""
    pairs = list(pairs)
    if not pairs:
        return
    table = connection.ops.quote_name(Reminder._meta.db_table)
    reminder_ids, notification_ids = (list(column) for column in zip(*pairs, strict=True))
    if connection.vendor == "postgresql":
        sql = (
            f"UPDATE {table} AS r SET notification_id = v.notification_id "  # noqa: S608
            "FROM unnest(%s::bigint[], %s::bigint[]) AS v(id, notification_id) WHERE r.id = v.id"
        )
        params = [reminder_ids, notification_ids]
    else:  # the embedded SQLite of `make run`
        cases = " ".join(["WHEN %s THEN %s"] * len(pairs))
        marks = ", ".join(["%s"] * len(pairs))
        sql = (
            f"UPDATE {table} SET notification_id = CASE id {cases} END "  # noqa: S608
            f"WHERE id IN ({marks})"
        )
        params = [value for pair in pairs for value in pair] + reminder_ids
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


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


@dataclass
class Due:
    """What a sweep decided for one ledger key: the messages to send (the first is the one the
    ledger row points at) and the work routed past an absent leader to record with them."""

    key: Key
    messages: list[Message] = field(default_factory=list)
    routed: list[RoutedWork] = field(default_factory=list)


def send_due(model: type[models.Model], batch: Iterable[Due]) -> set[Key]:
    """Claim every key of ``batch`` and record what was decided for those this call claimed, in
    bulk: the notifications (and their e-mails, through the outbox), the ledger's links to them
    and the routed work. Returns the keys claimed; a key already in the ledger sends nothing.
    Call inside the batch's transaction: a rollback takes all of it back, claims included."""
    batch = list(batch)
    claims = claim_many(model, [due.key for due in batch])
    sent: set[Key] = set()
    messages: list[Message] = []
    owners: list[int | None] = []  # the ledger row a message's notification is attached to
    routed: list[RoutedWork] = []
    for due in batch:
        if due.key not in claims or due.key in sent:
            continue
        sent.add(due.key)
        for i, message in enumerate(due.messages):
            messages.append(message)
            owners.append(claims[due.key] if i == 0 else None)
        routed += due.routed
    notifications = notify_all(messages)
    attach_many(
        (owner, n.pk) for owner, n in zip(owners, notifications, strict=True) if owner is not None
    )
    RoutedWork.objects.bulk_create(routed)
    return sent

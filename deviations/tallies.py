"""The deviation statistics' monthly aggregates (``MonthlyTally``): counts per unit, calendar
month (Europe/Oslo) and value of each dimension the statistics break down by.

Kept exact by recomputing: every change of a case refreshes the unit-months it was and is
counted in (:func:`refresh`, in the same transaction, from the case rows of those unit-months,
a hundred or so rows each through the ``deviation_unit_occurred`` index), so no bookkeeping of
+1/−1 can drift. The model's ``post_save``/``post_delete`` receivers below cover every path that
saves a case (services, API, admin, hand-over, forms); ``Event.save`` refreshes the case whose
first response it sets; a category whose HMS mark changes rebuilds. Bulk loads that bypass
``save()`` (the bench's COPY, the demo's ``bulk_create``) call :func:`rebuild` —
``manage.py rebuild_statistics`` — and :func:`differences` checks the tallies against the cases.

One query builds the rows for any set of cases (:func:`_tally_rows`): the refresh, the full
rebuild and the consistency check all read it, so they cannot disagree.
"""

from __future__ import annotations

import datetime as dt
import zlib
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    DateField,
    F,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, TruncMonth
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone

from deviations.models import (
    Category,
    CorrectiveAction,
    Deviation,
    MonthlyDurations,
    MonthlyTally,
)
from deviations.querysets import hms_q
from qms.reports.sql import DaysBetween

# Dimension → the case field counted (month: when it happened, except ``closed_severity``).
DIMENSIONS = {
    "kind": "kind",
    "severity": "severity",
    "state": "state",
    "cause_class": "cause_class",
    "category": "category_id",
    "source": "source",
}
ANSWERED = "answered"  # cases that have had a first response (value "")
CLOSED_SEVERITY = "closed_severity"  # cases closed in the month, by severity
OPEN_ACTIONS = "open_actions"  # open actions on the unit's cases, by their deadline's month
COLUMNS = ("unit_id", "month", "hms", "dimension", "value", "n")

Bucket = tuple[int, dt.date]  # (unit id, first day of the month)
# What a save must change for the tallies to move (a save of other fields, say a hand-over of
# the handler, recounts nothing).
CASE_FIELDS = {
    "unit",
    "occurred_at",
    "closed_at",
    "created_at",
    "first_response_at",
    "kind",
    "severity",
    "state",
    "cause_class",
    "category",
    "source",
}
ACTION_FIELDS = {"deviation", "deadline", "done_at"}


def _counts_change(update_fields, fields: set[str]) -> bool:
    return update_fields is None or bool({f.removesuffix("_id") for f in update_fields} & fields)


def month_of(moment: dt.datetime) -> dt.date:
    """The calendar month (first day) of ``moment`` in the current time zone: TruncMonth's."""
    return timezone.localtime(moment).date().replace(day=1)


def month_bounds(month: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    following = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return (
        dt.datetime.combine(month, dt.time.min, tzinfo=tz),
        dt.datetime.combine(following, dt.time.min, tzinfo=tz),
    )


def buckets_of(unit_id, occurred_at, closed_at) -> set[Bucket]:
    """The unit-months a case is counted in: when it happened, and when it was closed."""
    out = set()
    if unit_id is not None and occurred_at is not None:
        out.add((unit_id, month_of(occurred_at)))
        if closed_at is not None:
            out.add((unit_id, month_of(closed_at)))
    return out


def _month(field: str):
    return Cast(TruncMonth(field), DateField())


def _hms(prefix: str = ""):
    return Case(
        When(hms_q(prefix), then=Value(True)), default=Value(False), output_field=BooleanField()
    )


def _grouped(rows: QuerySet, month, dimension: str, value, *, case: str = "") -> QuerySet:
    """``rows`` (cases, or actions with ``case="deviation__"``) counted per unit of the case,
    month, HMS mark and ``value``."""
    return (
        rows.order_by()
        .annotate(
            t_unit=F(f"{case}unit_id"),
            t_month=month,
            t_hms=_hms(case),
            t_dimension=Value(dimension, output_field=CharField()),
            t_value=Coalesce(Cast(value, CharField()), Value("")),
        )
        .values("t_unit", "t_month", "t_hms", "t_dimension", "t_value")
        .annotate(t_n=Count("pk"))
    )


def _tally_rows(occurred: QuerySet, closed: QuerySet, actions: QuerySet) -> QuerySet:
    """The tally rows of ``occurred`` (the cases counted by when they happened), ``closed``
    (closed cases counted by when they were closed) and ``actions`` (open actions on cases,
    counted by their deadline's month): one UNION ALL query."""
    month = _month("occurred_at")
    parts = [_grouped(occurred, month, name, F(field)) for name, field in DIMENSIONS.items()]
    parts.append(
        _grouped(occurred.filter(first_response_at__isnull=False), month, ANSWERED, Value(""))
    )
    parts.append(
        _grouped(
            closed.filter(state=Deviation.State.CLOSED, closed_at__isnull=False),
            _month("closed_at"),
            CLOSED_SEVERITY,
            F("severity"),
        )
    )
    parts.append(
        _grouped(
            actions.filter(deviation__isnull=False, done_at__isnull=True),
            TruncMonth("deadline", output_field=DateField()),
            OPEN_ACTIONS,
            Value(""),
            case="deviation__",
        )
    )
    return parts[0].union(*parts[1:], all=True)


def _insert(rows: QuerySet, tally=MonthlyTally, *, add: bool = False) -> None:
    """Write ``rows`` into the tally; with ``add``, onto the counts already there (a row that
    exists gets ``n + n``: the table's unique key is unit, month, dimension, HMS mark and value)."""
    sql, params = rows.query.sql_with_params()
    table = tally._meta.db_table
    columns = ", ".join(COLUMNS)
    # The table's name and the ORM's compiled query; the values stay parameters.
    statement = (
        f"INSERT INTO {table} ({columns}) "  # noqa: S608
        f"SELECT t_unit, t_month, t_hms, t_dimension, t_value, t_n FROM ({sql}) AS t"
    )
    if add:
        # "WHERE true": SQLite's parser needs it between INSERT ... SELECT and ON CONFLICT.
        statement += (
            " WHERE true ON CONFLICT (unit_id, month, dimension, hms, value) "
            f"DO UPDATE SET n = {table}.n + excluded.n"
        )
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def _lock(buckets: list[Bucket]) -> None:
    """Serialise refreshes of the same unit-month (PostgreSQL; SQLite writes one at a time):
    the second waits for the first to commit, then reads its change (READ COMMITTED takes a
    new snapshot per statement), so neither overwrites the other's count."""
    if connection.vendor != "postgresql":
        return
    keys = sorted({zlib.crc32(f"{u}:{m:%Y-%m}".encode()) for u, m in buckets})
    with connection.cursor() as cursor:
        for key in keys:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [0x7A11, key - 2**31])


def _in_buckets(buckets: list[Bucket], field: str, *, case: str = "", day: bool = False) -> Q:
    q = Q()
    for unit_id, month in buckets:
        start, end = month_bounds(month)
        if day:
            start, end = start.date(), end.date()
        q |= Q(**{f"{case}unit_id": unit_id, f"{field}__gte": start, f"{field}__lt": end})
    return q


def refresh(buckets: Iterable[Bucket]) -> None:
    """Recount the given unit-months from the cases, in the caller's transaction."""
    buckets = sorted(set(buckets))
    if not buckets:
        return
    with transaction.atomic():
        _lock(buckets)
        stale = Q()
        for unit_id, month in buckets:
            stale |= Q(unit_id=unit_id, month=month)
        MonthlyTally.objects.filter(stale).delete()
        occurred = Deviation.objects.filter(_in_buckets(buckets, "occurred_at"))
        closed = Deviation.objects.filter(_in_buckets(buckets, "closed_at"))
        _insert(
            _tally_rows(
                occurred,
                closed,
                CorrectiveAction.objects.filter(
                    _in_buckets(buckets, "deadline", case="deviation__", day=True)
                ),
            )
        )
        if keeps_durations():
            MonthlyDurations.objects.filter(stale).delete()
            _insert_durations(occurred, closed)


def add_new_case(deviation: Deviation) -> None:
    """A case just created: its one count added to each of its rows, in the caller's
    transaction, instead of recounting its unit-month (which every report would otherwise
    read whole, under the unit-month's lock). A new case has no actions, and one that is
    neither answered nor closed has no durations; any other case is recounted."""
    buckets = sorted(buckets_of(deviation.unit_id, deviation.occurred_at, deviation.closed_at))
    if deviation.closed_at is not None or deviation.first_response_at is not None:
        refresh(buckets)
        return
    with transaction.atomic():
        # The unit-month's lock, as a refresh takes it: without it a recount running meanwhile
        # could miss this uncommitted row in its DELETE and then count the case again once it
        # committed (tests/reports/test_deviation_tallies.py, the "at once" test).
        _lock(buckets)
        case = Deviation.objects.filter(pk=deviation.pk)
        actions = CorrectiveAction.objects.filter(deviation_id=deviation.pk)
        _insert(_tally_rows(case, case, actions), add=True)


def keeps_durations() -> bool:
    """Whether ``MonthlyDurations`` is kept (and read): on PostgreSQL."""
    return connection.vendor == "postgresql"


def _durations(rows: QuerySet, month, measure: str, severity, end: str) -> QuerySet:
    return (
        rows.order_by()
        .annotate(
            t_unit=F("unit_id"),
            t_month=month,
            t_hms=_hms(),
            t_measure=Value(measure, output_field=CharField()),
            t_severity=severity,
            t_days=DaysBetween(F(end), F("created_at")),
        )
        .values("t_unit", "t_month", "t_hms", "t_measure", "t_severity", "t_days")
    )


def _durations_select(occurred: QuerySet, closed: QuerySet) -> tuple[str, tuple]:
    """The sorted durations of ``occurred`` (time to first response, by the month it
    happened) and ``closed`` (time to close, by the month it was closed), per unit, month, HMS
    mark and severity: one SELECT (PostgreSQL)."""
    rows = _durations(
        occurred.filter(first_response_at__isnull=False),
        _month("occurred_at"),
        "response",
        Value(0, output_field=IntegerField()),
        "first_response_at",
    ).union(
        _durations(
            closed.filter(state=Deviation.State.CLOSED, closed_at__isnull=False),
            _month("closed_at"),
            "close",
            F("severity"),
            "closed_at",
        ),
        all=True,
    )
    sql, params = rows.query.sql_with_params()
    # The ORM's compiled query; the values stay parameters. Each duration is kept as the
    # float8 percentile_cont reads from the cases.
    select = (
        "SELECT t_unit, t_month, t_hms, t_measure, t_severity, "  # noqa: S608
        "string_agg(float8send(t_days::float8), ''::bytea ORDER BY t_days::float8), count(*) "
        f"FROM ({sql}) AS t GROUP BY t_unit, t_month, t_hms, t_measure, t_severity"
    )
    return select, params


def _insert_durations(occurred: QuerySet, closed: QuerySet, table=MonthlyDurations) -> None:
    select, params = _durations_select(occurred, closed)
    statement = (
        f"INSERT INTO {table._meta.db_table} "  # noqa: S608
        f"(unit_id, month, hms, measure, severity, days, n) {select}"
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def rebuild(
    deviation=Deviation, tally=MonthlyTally, action=None, durations=MonthlyDurations
) -> int:
    """Recount every unit-month from the cases (after a bulk load, in the migration that
    creates the table — which passes its historical models —, or when :func:`differences`
    finds any). Returns the number of rows."""
    action = action or CorrectiveAction
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {tally._meta.db_table} IN EXCLUSIVE MODE")
        tally.objects.all().delete()
        everything = deviation.objects.all()
        _insert(_tally_rows(everything, everything, action.objects.all()), tally)
        if durations is not None and keeps_durations():
            durations.objects.all().delete()
            _insert_durations(everything, everything, durations)
    return tally.objects.count()


def differences(limit: int = 20) -> list[str]:
    """Where the kept tallies differ from a fresh count of the cases (empty when they agree)."""
    everything = Deviation.objects.all()

    def day(value) -> dt.date:  # the union's month may come back as a datetime
        return value.date() if isinstance(value, dt.datetime) else value

    fresh = {
        (r["t_unit"], day(r["t_month"]), r["t_hms"], r["t_dimension"], r["t_value"]): r["t_n"]
        for r in _tally_rows(everything, everything, CorrectiveAction.objects.all())
    }
    kept = {
        (r[0], r[1], r[2], r[3], r[4]): r[5]
        for r in MonthlyTally.objects.values_list(*COLUMNS).iterator()
    }
    if keeps_durations():
        select, params = _durations_select(everything, everything)
        with connection.cursor() as cursor:
            cursor.execute(select, params)
            for unit, month, hms, measure, severity, days, _n in cursor.fetchall():
                fresh[(unit, day(month), hms, measure, severity)] = bytes(days)
        for row in MonthlyDurations.objects.values_list(
            "unit_id", "month", "hms", "measure", "severity", "days"
        ).iterator():
            kept[row[:5]] = bytes(row[5])
    out = []
    for key in sorted(set(fresh) | set(kept), key=str):
        if fresh.get(key, 0) != kept.get(key, 0):
            out.append(f"{key}: kept {kept.get(key, 0)}, counted {fresh.get(key, 0)}")
            if len(out) >= limit:
                break
    return out


@receiver(pre_save, sender=Deviation)
def _remember_buckets(sender, instance: Deviation, raw=False, update_fields=None, **kwargs) -> None:
    """Where the case is counted now, read from its row (not from the instance, which may have
    been loaded before another change): the unit-months a save may take it out of."""
    instance._tallied_in = None
    if not raw and instance.pk is not None and _counts_change(update_fields, CASE_FIELDS):
        instance._tallied_in = (
            Deviation.objects.filter(pk=instance.pk)
            .values_list("unit_id", "occurred_at", "closed_at")
            .first()
        )


def _action_months(deviation_id: int) -> set[dt.date]:
    """The deadline months of a case's open actions (they are counted under the case's unit
    and HMS mark, which a save of the case may change)."""
    deadlines = (
        CorrectiveAction.objects.filter(deviation_id=deviation_id, done_at__isnull=True)
        .order_by()
        .values_list("deadline", flat=True)
        .distinct()
    )
    return {d.replace(day=1) for d in deadlines}


@receiver(post_save, sender=Deviation)
def _count_saved_case(
    sender, instance: Deviation, raw=False, created=False, update_fields=None, **kwargs
) -> None:
    if raw or not _counts_change(update_fields, CASE_FIELDS):
        return
    if created:
        add_new_case(instance)
        return
    before = getattr(instance, "_tallied_in", None) or (None, None, None)
    buckets = buckets_of(*before) | buckets_of(
        instance.unit_id, instance.occurred_at, instance.closed_at
    )
    units = {before[0], instance.unit_id} - {None}
    buckets |= {(u, m) for u in units for m in _action_months(instance.pk)}
    refresh(buckets)


@receiver(post_delete, sender=Deviation)
def _count_deleted_case(sender, instance: Deviation, **kwargs) -> None:
    refresh(buckets_of(instance.unit_id, instance.occurred_at, instance.closed_at))


@receiver(pre_save, sender=CorrectiveAction)
def _remember_deadline(
    sender, instance: CorrectiveAction, raw=False, update_fields=None, **kwargs
) -> None:
    instance._counted_deadline = None
    if (
        not raw
        and instance.pk is not None
        and instance.deviation_id is not None
        and _counts_change(update_fields, ACTION_FIELDS)
    ):
        instance._counted_deadline = (
            CorrectiveAction.objects.filter(pk=instance.pk)
            .values_list("deadline", flat=True)
            .first()
        )


def _action_buckets(action: CorrectiveAction, *deadlines) -> set[Bucket]:
    if action.deviation_id is None:
        return set()
    unit_id = (
        action.deviation.unit_id
        if CorrectiveAction.deviation.is_cached(action)
        else Deviation.objects.filter(pk=action.deviation_id)
        .values_list("unit_id", flat=True)
        .first()
    )
    return {(unit_id, d.replace(day=1)) for d in deadlines if d is not None and unit_id}


@receiver(post_save, sender=CorrectiveAction)
def _count_saved_action(
    sender, instance: CorrectiveAction, raw=False, update_fields=None, **kwargs
) -> None:
    if not raw and _counts_change(update_fields, ACTION_FIELDS):
        old = getattr(instance, "_counted_deadline", None)
        refresh(_action_buckets(instance, old, instance.deadline))


@receiver(post_delete, sender=CorrectiveAction)
def _count_deleted_action(sender, instance: CorrectiveAction, **kwargs) -> None:
    refresh(_action_buckets(instance, instance.deadline))


def refresh_case(deviation_id: int) -> None:
    """Recount the unit-months of one case (after a ``.update()`` of one of its fields)."""
    row = Deviation.objects.filter(pk=deviation_id).values_list(
        "unit_id", "occurred_at", "closed_at"
    )
    found = row.first()
    if found:
        refresh(buckets_of(*found))


@receiver(pre_save, sender=Category)
def _remember_hms_mark(sender, instance: Category, raw=False, **kwargs) -> None:
    if raw or instance.pk is None:
        instance._was_hms = None
        return
    instance._was_hms = (
        Category.objects.filter(pk=instance.pk).values_list("is_hms", flat=True).first()
    )


@receiver(post_save, sender=Category)
def _recount_hms(sender, instance: Category, raw=False, created=False, **kwargs) -> None:
    """A category marked HMS (or no longer) moves all its cases in or out of the HMS counts:
    rare (an advisor's edit), so the whole table is recounted."""
    was = getattr(instance, "_was_hms", None)
    if raw or created or was is None or was == instance.is_hms:
        return
    if instance.deviations.exists():
        rebuild()

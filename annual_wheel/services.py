"""Every state change of the annual wheel, one transaction each (STYLE.md).

History rows come from django-simple-history on Activity and Occurrence; notifications go
through qms.notifications (sent after commit) and reminders through the qms ledger.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import DateField, ExpressionWrapper, F
from django.utils import timezone
from django.utils.translation import gettext as _

from annual_wheel import schedule
from annual_wheel.models import Activity, CalendarFeed, Occurrence
from qms import permissions, reminders
from qms.models import OrgUnit, User
from qms.notifications import notify
from qms.organisation import nearest_leader

REMIND_KIND = "annual_wheel.due"
OVERDUE_KIND = "annual_wheel.overdue"
SWEEP_BATCH = 500

SCHEDULE_FIELDS = ("recurrence", "start_date", "end_date")
EDITABLE_FIELDS = (
    "title",
    "description",
    "unit",
    "category",
    "responsible",
    "recurrence",
    "start_date",
    "end_date",
    "reminder_days",
)


# --- Materialising occurrences ------------------------------------------------------------------


def horizon_end(today: date) -> date:
    """Occurrences are kept materialised to the end of next year (the wheel's year switcher)."""
    return date(today.year + 1, 12, 31)


def _window_start(activity: Activity, today: date) -> date:
    # Past years are history: a new or changed schedule is laid out from this year on. A one-off
    # date in the past is still stored, so it can be recorded afterwards.
    if activity.recurrence == Activity.Recurrence.ONCE:
        return activity.start_date
    return max(activity.start_date, date(today.year, 1, 1))


def materialise(activity: Activity, today: date | None = None) -> int:
    """Bring the activity's occurrences in line with its schedule up to the horizon.

    Planned occurrences that no longer match the schedule are removed; recorded ones (done or not
    done) are history and are kept whatever the schedule says now. Remind dates follow the
    activity's ``reminder_days``. Returns the number of occurrences added.
    """
    today = today or timezone.localdate()
    end = horizon_end(today)
    first = _window_start(activity, today)
    wanted = set(
        schedule.dates_between(
            activity.recurrence, activity.start_date, activity.end_date, first, end
        )
    )
    existing = activity.occurrences.filter(due_date__gte=min(first, date(today.year, 1, 1)))
    stale = [
        o.pk
        for o in existing.only("pk", "due_date", "status")
        if o.status == Occurrence.Status.PLANNED and o.due_date not in wanted
    ]
    if stale:
        Occurrence.objects.filter(pk__in=stale).delete()
    have = set(existing.values_list("due_date", flat=True))
    lead = timedelta(days=activity.reminder_days)
    Occurrence.objects.bulk_create(
        [
            Occurrence(activity=activity, due_date=d, remind_on=d - lead)
            for d in sorted(wanted - have)
        ],
        ignore_conflicts=True,
    )
    # A changed lead time moves the remind date of what is still to come (not yet reminded).
    activity.occurrences.filter(
        status=Occurrence.Status.PLANNED, reminded_at__isnull=True, due_date__gte=today
    ).update(remind_on=ExpressionWrapper(F("due_date") - lead, output_field=DateField()))
    Activity.objects.filter(pk=activity.pk).update(materialised_until=end)
    activity.materialised_until = end
    return len(wanted - have)


def extend_horizon(today: date | None = None) -> int:
    """Materialise the next year for every active activity that does not reach the horizon yet.

    Runs in the sweep; after the first run of a year only the activities that lack next year's
    occurrences are touched (an indexed query on ``materialised_until``).
    """
    today = today or timezone.localdate()
    end = horizon_end(today)
    done = 0
    while True:
        batch = list(Activity.objects.needing_horizon(end).order_by("pk")[:SWEEP_BATCH])
        if not batch:
            return done
        for activity in batch:
            with transaction.atomic():
                materialise(activity, today)
            done += 1


# --- Activities ----------------------------------------------------------------------------------


def _validate(activity: Activity) -> None:
    activity.full_clean(exclude=["created_by"])
    if activity.recurrence not in schedule.RECURRENCES:
        raise ValidationError({"recurrence": _("Ukjent gjentakelse.")})


@transaction.atomic
def create_activity(user: User, **fields) -> Activity:
    """Add an activity to a unit's wheel; leaders for their subtree, advisors anywhere."""
    unit: OrgUnit | None = fields.get("unit")
    if not permissions.can_create(user, Activity, unit):
        raise PermissionDenied(_("Du kan ikke legge til aktiviteter for denne enheten."))
    activity = Activity(created_by=user, **{k: fields[k] for k in EDITABLE_FIELDS if k in fields})
    _validate(activity)
    activity.save()
    if "documents" in fields:
        _link_documents(user, activity, fields["documents"])
    materialise(activity)
    return activity


def _link_documents(user: User, activity: Activity, documents) -> None:
    """Link only documents the user can see (a draft elsewhere stays invisible to them)."""
    from documents.models import Document

    ids = {d.pk for d in documents}
    visible = set(
        permissions.restrict(user, Document).filter(pk__in=ids).values_list("pk", flat=True)
    )
    if ids - visible:
        raise ValidationError({"documents": _("Ukjent dokument.")})
    # Keep links to documents the editor cannot see (linked by someone who could).
    hidden = activity.documents.exclude(
        pk__in=permissions.restrict(user, Document).values("pk")
    ).values_list("pk", flat=True)
    activity.documents.set(ids | set(hidden))


@transaction.atomic
def update_activity(user: User, activity: Activity, **fields) -> Activity:
    """Change an activity; a changed schedule re-lays its future planned occurrences."""
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    permissions.check(user, activity, "change")
    new_unit = fields.get("unit", activity.unit)
    if new_unit != activity.unit and not permissions.can_create(user, Activity, new_unit):
        raise PermissionDenied(_("Du kan ikke flytte aktiviteten til denne enheten."))
    for name in EDITABLE_FIELDS:
        if name in fields:
            setattr(activity, name, fields[name])
    _validate(activity)
    activity.save()
    if "documents" in fields:
        _link_documents(user, activity, fields["documents"])
    materialise(activity)
    return activity


@transaction.atomic
def archive_activity(user: User, activity: Activity) -> Activity:
    """Take an activity out of the wheel; recorded occurrences stay as history."""
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    permissions.check(user, activity, "delete")
    activity.is_active = False
    activity.save(update_fields=["is_active", "updated_at"])
    activity.occurrences.filter(
        status=Occurrence.Status.PLANNED, due_date__gte=timezone.localdate()
    ).delete()
    return activity


# --- Occurrences ---------------------------------------------------------------------------------


@transaction.atomic
def record_occurrence(
    user: User, occurrence: Occurrence, status: str, note: str = ""
) -> Occurrence:
    """Mark an occurrence done or not done (or back to planned), with who, when and a note.

    Leaders who may change the activity and the activity's responsible record; the row is
    locked so two people recording at once end with one consistent state and two history rows.
    """
    occurrence = (
        Occurrence.objects.select_for_update().select_related("activity").get(pk=occurrence.pk)
    )
    permissions.check(user, occurrence, "record")
    if status not in Occurrence.Status.values:
        raise ValidationError({"status": _("Ugyldig status.")})
    if len(note) > 2000:
        raise ValidationError({"note": _("Merknaden kan være høyst 2000 tegn.")})
    occurrence.status = status
    occurrence.note = note
    if status == Occurrence.Status.PLANNED:
        occurrence.completed_at = None
        occurrence.completed_by = None
    else:
        occurrence.completed_at = timezone.now()
        occurrence.completed_by = user
    occurrence.save(update_fields=["status", "note", "completed_at", "completed_by"])
    return occurrence


# --- Reminders -----------------------------------------------------------------------------------


@dataclass
class SweepResult:
    materialised: int = 0
    reminded: int = 0
    flagged: int = 0


def _leader_for(activity: Activity) -> User | None:
    unit = activity.unit or OrgUnit.get_first_root_node()
    if unit is None:
        return None
    leader = nearest_leader(unit)
    return leader.user if leader else None


def _date(d: date) -> str:
    return d.strftime("%d.%m.%Y")


def _sweep(queryset, handle) -> int:
    """Walk ``queryset`` by primary key in batches; ``handle(pk)`` runs in its own transaction."""
    count = 0
    for pk in reminders.in_batches(queryset.values_list("pk", flat=True), SWEEP_BATCH):
        with transaction.atomic():
            count += handle(pk)
    return count


def send_due_reminders(today: date) -> int:
    """E-mail the responsible ``reminder_days`` before each occurrence — once (ledger claim).

    A sweep that did not run for days catches up: every occurrence whose remind date passed while
    it is still ahead gets its one reminder; one already past is left to the overdue flag.
    """
    now = timezone.now()

    def handle(pk: int) -> int:
        occ = (
            Occurrence.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("activity", "activity__unit", "activity__responsible")
            .filter(pk=pk, status=Occurrence.Status.PLANNED, reminded_at__isnull=True)
            .first()
        )
        if occ is None:
            return 0
        sent = 0
        if occ.due_date >= today and occ.activity.is_active:
            reminder = reminders.claim(occ, REMIND_KIND)
            recipient = occ.activity.responsible or _leader_for(occ.activity)
            if reminder is not None and recipient is not None:
                notification = notify(
                    recipient,
                    kind=REMIND_KIND,
                    subject=_("Årshjul: «%(title)s» %(date)s")
                    % {"title": occ.activity.title, "date": _date(occ.due_date)},
                    body=_(
                        "Aktiviteten «%(title)s» (%(owner)s) står i årshjulet %(date)s. "
                        "Registrer den som gjennomført når den er gjort."
                    )
                    % {
                        "title": occ.activity.title,
                        "owner": occ.activity.owner_name,
                        "date": _date(occ.due_date),
                    },
                    url=occ.get_absolute_url(),
                )
                reminders.attach(reminder, notification)
                sent = 1
        Occurrence.objects.filter(pk=occ.pk).update(reminded_at=now)
        return sent

    return _sweep(Occurrence.objects.reminder_due(today), handle)


def flag_overdue(today: date) -> int:
    """Tell the unit's leader once about each occurrence whose date passed unrecorded."""
    now = timezone.now()

    def handle(pk: int) -> int:
        occ = (
            Occurrence.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("activity", "activity__unit")
            .filter(pk=pk, status=Occurrence.Status.PLANNED, overdue_flagged_at__isnull=True)
            .first()
        )
        if occ is None or occ.due_date >= today:
            return 0
        sent = 0
        if occ.activity.is_active:
            reminder = reminders.claim(occ, OVERDUE_KIND)
            leader = _leader_for(occ.activity)
            if reminder is not None and leader is not None:
                notification = notify(
                    leader,
                    kind=OVERDUE_KIND,
                    # The date tells one meeting's occurrence from the next in the list.
                    subject=_("Årshjul: «%(title)s» %(date)s er ikke registrert som gjennomført")
                    % {"title": occ.activity.title, "date": _date(occ.due_date)},
                    body=_(
                        "Aktiviteten «%(title)s» (%(owner)s) skulle vært gjennomført %(date)s, "
                        "men er ikke registrert. Registrer den som gjennomført eller ikke "
                        "gjennomført, med en merknad."
                    )
                    % {
                        "title": occ.activity.title,
                        "owner": occ.activity.owner_name,
                        "date": _date(occ.due_date),
                    },
                    url=occ.get_absolute_url(),
                )
                reminders.attach(reminder, notification)
                sent = 1
        Occurrence.objects.filter(pk=occ.pk).update(overdue_flagged_at=now)
        return sent

    return _sweep(Occurrence.objects.overdue_unflagged(today), handle)


def run_reminder_sweep(today: date | None = None) -> SweepResult:
    """The annual wheel's sweep: extend the horizon, remind before due, flag the overdue."""
    today = today or timezone.localdate()
    return SweepResult(
        materialised=extend_horizon(today),
        reminded=send_due_reminders(today),
        flagged=flag_overdue(today),
    )


# --- Calendar feeds ------------------------------------------------------------------------------


@transaction.atomic
def create_feed(user: User, unit: OrgUnit) -> tuple[CalendarFeed, str]:
    """A new secret feed address for ``unit``; returns the feed and the token (shown once)."""
    permissions.check(user, unit, "view")
    token = secrets.token_urlsafe(32)
    feed = CalendarFeed.objects.create(
        user=user, unit=unit, token_hash=CalendarFeed.hash_token(token)
    )
    return feed, token


@transaction.atomic
def revoke_feed(user: User, feed: CalendarFeed) -> CalendarFeed:
    feed = CalendarFeed.objects.select_for_update().get(pk=feed.pk)
    permissions.check(user, feed, "delete")
    if feed.revoked_at is None:
        feed.revoked_at = timezone.now()
        feed.save(update_fields=["revoked_at"])
    return feed


def feed_for_token(token: str) -> CalendarFeed | None:
    """The active feed with this token whose owner is still an active user; None otherwise."""
    if not token or len(token) > 100:
        return None
    return (
        CalendarFeed.objects.active()
        .select_related("user", "unit")
        .filter(token_hash=CalendarFeed.hash_token(token), user__is_active=True)
        .first()
    )

"""Every state change of the annual wheel, one transaction each (docs/style.md).

History rows come from django-simple-history on Activity and Occurrence; notifications go
through qms.notifications (sent after commit) and reminders through the qms ledger.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import DateField, ExpressionWrapper, F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from annual_wheel import schedule
from annual_wheel.models import (
    Activity,
    AgendaItem,
    Audit,
    AuditFinding,
    AuditProgramme,
    CalendarFeed,
    Checklist,
    ChecklistQuestion,
    ChecklistVersion,
    Committee,
    CommitteeMember,
    Meeting,
    Occurrence,
    Review,
    ReviewAssessment,
    ReviewDecision,
    ReviewParticipant,
    Round,
    RoundAnswer,
)
from annual_wheel.querysets import participant_candidates, responsible_candidates
from qms import permissions, referrals, reminders
from qms.exceptions import StateError
from qms.models import OrgUnit, User
from qms.notifications import notify, notify_many
from qms.organisation import Leader, acting_leader, note_routed

REMIND_KIND = "annual_wheel.due"
OVERDUE_KIND = "annual_wheel.overdue"
SWEEP_BATCH = 500

SCHEDULE_FIELDS = ("recurrence", "start_date", "end_date")
EDITABLE_FIELDS = (
    "title",
    "description",
    "kind",
    "unit",
    "category",
    "responsible",
    "recurrence",
    "start_date",
    "end_date",
    "reminder_days",
    "checklist",
    "committee",
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


def _require_responsible_candidate(user: User, responsible: User | None, activity=None) -> None:
    """Refuse a responsible the form would not have offered (the API sends any id it likes)."""
    if responsible is None:
        return
    if not responsible_candidates(user, activity).filter(pk=responsible.pk).exists():
        raise ValidationError(
            {
                "responsible": _(
                    "%(name)s kan ikke være ansvarlig for aktiviteten. Velg en person i en "
                    "enhet du kan legge til aktiviteter for."
                )
                % {"name": responsible}
            }
        )


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
    _require_responsible_candidate(user, fields.get("responsible"))
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
    if "responsible" in fields:
        _require_responsible_candidate(user, fields["responsible"], activity)
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


def _leader_for(activity: Activity, today: date | None = None) -> Leader | None:
    """Who receives the unit's leader work for the activity (the municipality's: the top
    leader's) on ``today``: ``qms.organisation.acting_leader``."""
    unit = activity.unit or OrgUnit.get_first_root_node()
    if unit is None:
        return None
    return acting_leader(unit, today)


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
            leader = None if occ.activity.responsible else _leader_for(occ.activity, today)
            recipient = occ.activity.responsible or (leader.user if leader else None)
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
                note_routed(leader, notification.subject, occ.get_absolute_url())
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
            leader = _leader_for(occ.activity, today)
            if reminder is not None and leader is not None:
                notification = notify(
                    leader.user,
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
                note_routed(leader, notification.subject, occ.get_absolute_url())
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


# --- Checklists ----------------------------------------------------------------------------------


class ChecklistStateError(StateError):
    """A change a checklist version's or a round's state does not allow (409 in the API)."""


CHECKLIST_FIELDS = ("title", "description", "unit")
QUESTION_FIELDS = ("section", "text", "guidance", "kind", "fail_answer", "document")


@transaction.atomic
def create_checklist(user: User, **fields) -> Checklist:
    """A new checklist template with an empty draft version 1; quality advisors keep them."""
    unit = fields.get("unit")
    if not permissions.can_create(user, Checklist, unit):
        raise PermissionDenied(_("Bare kvalitetsrådgivere kan lage sjekklister."))
    checklist = Checklist(
        created_by=user, **{k: fields[k] for k in CHECKLIST_FIELDS if k in fields}
    )
    checklist.full_clean(exclude=["created_by"])
    checklist.save()
    ChecklistVersion.objects.create(checklist=checklist, number=1)
    return checklist


@transaction.atomic
def update_checklist(user: User, checklist: Checklist, **fields) -> Checklist:
    checklist = Checklist.objects.select_for_update().get(pk=checklist.pk)
    permissions.check(user, checklist, "change")
    for name in CHECKLIST_FIELDS:
        if name in fields:
            setattr(checklist, name, fields[name])
    checklist.full_clean(exclude=["created_by"])
    checklist.save()
    return checklist


def _lock_checklist(checklist_id: int) -> Checklist:
    # Versions of one checklist change one at a time: the checklist row is the lock.
    return Checklist.objects.select_for_update().get(pk=checklist_id)


@transaction.atomic
def start_draft(user: User, checklist: Checklist) -> ChecklistVersion:
    """The checklist's draft: the open one, or a new version copying the published questions.

    Published versions are never edited: a change is a new version, so the rounds already run
    keep the questions they were answered against.
    """
    checklist = _lock_checklist(checklist.pk)
    permissions.check(user, checklist, "change")
    draft = checklist.versions.filter(status=ChecklistVersion.Status.DRAFT).first()
    if draft is not None:
        return draft
    latest = checklist.versions.order_by("-number").first()
    draft = ChecklistVersion.objects.create(
        checklist=checklist, number=(latest.number + 1) if latest else 1
    )
    if latest is not None:
        ChecklistQuestion.objects.bulk_create(
            [
                ChecklistQuestion(
                    version=draft,
                    order=q.order,
                    **{name: getattr(q, name) for name in QUESTION_FIELDS},
                )
                for q in latest.questions.order_by("order", "pk")
            ]
        )
    return draft


def _editable_version(user: User, version: ChecklistVersion) -> ChecklistVersion:
    _lock_checklist(version.checklist_id)
    version = ChecklistVersion.objects.get(pk=version.pk)
    permissions.check(user, version, "change")
    if not version.is_draft:
        raise ChecklistStateError(
            _("Versjon %(number)s er %(status)s og kan ikke endres. Lag en ny versjon.")
            % {"number": version.number, "status": version.get_status_display().lower()}
        )
    return version


def _clean_question(question: ChecklistQuestion) -> None:
    if question.kind != ChecklistQuestion.Kind.YES_NO:
        question.fail_answer = ChecklistQuestion.FailAnswer.NO
    question.full_clean(exclude=["version"])


def _renumber(version: ChecklistVersion) -> None:
    questions = list(version.questions.order_by("order", "pk"))
    for i, q in enumerate(questions, start=1):
        q.order = i * 10
    ChecklistQuestion.objects.bulk_update(questions, ["order"])


@transaction.atomic
def add_question(user: User, version: ChecklistVersion, **fields) -> ChecklistQuestion:
    """Add a question at the end of a draft version."""
    version = _editable_version(user, version)
    last = version.questions.order_by("-order").first()
    question = ChecklistQuestion(
        version=version,
        order=(last.order + 10) if last else 10,
        **{k: fields[k] for k in QUESTION_FIELDS if k in fields},
    )
    _clean_question(question)
    question.save()
    return question


@transaction.atomic
def update_question(user: User, question: ChecklistQuestion, **fields) -> ChecklistQuestion:
    _editable_version(user, question.version)
    question = ChecklistQuestion.objects.get(pk=question.pk)
    for name in QUESTION_FIELDS:
        if name in fields:
            setattr(question, name, fields[name])
    _clean_question(question)
    question.save()
    return question


@transaction.atomic
def move_question(user: User, question: ChecklistQuestion, up: bool) -> ChecklistQuestion:
    """Swap the question with the one before (``up``) or after it in its draft version."""
    version = _editable_version(user, question.version)
    _renumber(version)
    questions = list(version.questions.order_by("order", "pk"))
    index = next(i for i, q in enumerate(questions) if q.pk == question.pk)
    other = index - 1 if up else index + 1
    if 0 <= other < len(questions):
        a, b = questions[index], questions[other]
        a.order, b.order = b.order, a.order
        ChecklistQuestion.objects.bulk_update([a, b], ["order"])
    return ChecklistQuestion.objects.get(pk=question.pk)


@transaction.atomic
def remove_question(user: User, question: ChecklistQuestion) -> None:
    version = _editable_version(user, question.version)
    ChecklistQuestion.objects.filter(pk=question.pk, version=version).delete()
    _renumber(version)


@transaction.atomic
def publish_version(user: User, version: ChecklistVersion) -> ChecklistVersion:
    """Publish a draft; the version published before is archived (its rounds keep it)."""
    version = _editable_version(user, version)
    if not version.questions.exists():
        raise ChecklistStateError(_("En sjekkliste uten spørsmål kan ikke publiseres."))
    ChecklistVersion.objects.filter(
        checklist_id=version.checklist_id, status=ChecklistVersion.Status.PUBLISHED
    ).update(status=ChecklistVersion.Status.ARCHIVED)
    version.status = ChecklistVersion.Status.PUBLISHED
    version.published_at = timezone.now()
    version.published_by = user
    version.save(update_fields=["status", "published_at", "published_by"])
    return version


def published_version(checklist: Checklist) -> ChecklistVersion | None:
    return checklist.versions.filter(status=ChecklistVersion.Status.PUBLISHED).first()


# --- Rounds --------------------------------------------------------------------------------------


@transaction.atomic
def start_round(
    user: User,
    *,
    checklist: Checklist,
    unit: OrgUnit | None = None,
    date: date,
    participants=(),
    occurrence: Occurrence | None = None,
) -> Round:
    """Start a round with the checklist's published version for a unit on a date.

    From an annual-wheel occurrence the round is the unit's activity carried out (the unit is
    the activity's); by hand, the leaders of the unit, advisors and administrators start one.
    The starter takes part; the other participants come from ``participant_candidates``.
    """
    if occurrence is not None:
        occurrence = Occurrence.objects.select_related("activity").get(pk=occurrence.pk)
        permissions.check(user, occurrence, "view")
        if occurrence.activity.unit_id is not None:
            if unit is not None and unit.pk != occurrence.activity.unit_id:
                raise ValidationError(
                    {"unit": _("En runde fra årshjulet gjelder aktivitetens enhet.")}
                )
            unit = occurrence.activity.unit
    if unit is None:
        raise ValidationError({"unit": _("Velg enheten runden gjelder.")})
    if not permissions.can_create(user, Round, unit, source=occurrence):
        raise PermissionDenied(_("Du kan ikke starte en runde for denne enheten."))
    if not checklist.is_active or not permissions.can(user, checklist, "view"):
        raise ValidationError({"checklist": _("Ukjent sjekkliste.")})
    version = published_version(checklist)
    if version is None:
        raise ValidationError({"checklist": _("Sjekklisten har ingen publisert versjon.")})
    people = {p.pk: p for p in participants}
    people[user.pk] = user
    allowed = set(
        participant_candidates(unit).filter(pk__in=list(people)).values_list("pk", flat=True)
    )
    refused = [str(p) for pk, p in people.items() if pk not in allowed and pk != user.pk]
    if refused:
        raise ValidationError(
            {
                "participants": _("%(names)s kan ikke delta i en runde for %(unit)s.")
                % {"names": ", ".join(refused), "unit": unit}
            }
        )
    round_ = Round(version=version, unit=unit, date=date, occurrence=occurrence, created_by=user)
    round_.full_clean(exclude=["participants"])
    round_.save()
    round_.participants.set(list(people))
    return round_


def _lock_round(user: User, round_: Round, action: str = "change") -> Round:
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    permissions.check(user, round_, action)
    if round_.is_signed:
        raise ChecklistStateError(_("Runden er signert og kan ikke endres."))
    return round_


def clean_value(question: ChecklistQuestion, value: str) -> str:
    """The stored form of an answer to ``question``; "" is no answer (yet). Raises on a value
    the question's kind does not allow."""
    value = (value or "").strip()
    if value in ("", "na"):
        return value
    kind = question.kind
    if kind == ChecklistQuestion.Kind.YES_NO and value in ("yes", "no"):
        return value
    if kind == ChecklistQuestion.Kind.SCALE and value in ("1", "2", "3", "4", "5"):
        return value
    if kind == ChecklistQuestion.Kind.NUMBER:
        try:
            number = float(value.replace(",", ".").replace(" ", ""))
        except ValueError:
            pass
        else:
            if abs(number) < 1e12:
                return f"{number:g}"
    if kind in (ChecklistQuestion.Kind.TEXT, ChecklistQuestion.Kind.PHOTO) and len(value) <= 2000:
        return value
    raise ValidationError({"value": _("Ugyldig svar på «%(question)s».") % {"question": question}})


@transaction.atomic
def answer_question(
    user: User,
    round_: Round,
    question: ChecklistQuestion,
    *,
    value: str,
    comment: str = "",
    photo=None,
) -> RoundAnswer:
    """Save one answer as it is given (the page saves each answer on its own).

    ``photo`` is an ``UploadedFile`` already checked to be an image; without one, a photo given
    before is kept.
    """
    round_ = _lock_round(user, round_)
    if question.version_id != round_.version_id:
        raise ValidationError({"question": _("Spørsmålet hører ikke til denne runden.")})
    if len(comment) > 4000:
        raise ValidationError({"comment": _("Kommentaren kan være høyst 4000 tegn.")})
    answer, _created = RoundAnswer.objects.select_for_update().get_or_create(
        round=round_, question=question
    )
    answer.value = clean_value(question, value)
    answer.comment = comment.strip()
    if photo is not None:
        if answer.photo:
            answer.photo.delete(save=False)
        answer.photo.save(photo.name, photo.file, save=False)
        answer.photo_type = photo.content_type
    answer.answered_by = user
    answer.answered_at = timezone.now()
    answer.save()
    return answer


def _failed_answer(user: User, answer: RoundAnswer) -> tuple[Round, RoundAnswer]:
    round_ = _lock_round(user, answer.round)
    answer = RoundAnswer.objects.select_for_update().select_related("question").get(pk=answer.pk)
    if not answer.failed:
        raise ChecklistStateError(_("Bare et svar som ikke er i orden kan meldes som avvik."))
    return round_, answer


@transaction.atomic
def report_finding(user: User, answer: RoundAnswer) -> RoundAnswer:
    """Report a failed answer as a deviation of the round's unit (source: the round) — once.

    The case goes through ``deviations.services.report_deviation`` like any report, so its
    handler, actions, escalation and closing rules are the ones that already hold.
    """
    from deviations import services as deviation_services
    from deviations.models import Deviation

    round_, answer = _failed_answer(user, answer)
    if answer.deviation_id is not None:
        return answer
    question = answer.question
    description = answer.comment or _("Funnet ved %(round)s %(date)s.") % {
        "round": round_.version.checklist.title,
        "date": round_.date.strftime("%d.%m.%Y"),
    }
    answer.deviation = deviation_services.report_deviation(
        reporter=user,
        unit=round_.unit,
        kind=Deviation.Kind.DEVIATION,
        title=question.text[:200],
        description=description,
        occurred_at=timezone.now(),
        source=Deviation.Source.ROUND,
    )
    answer.save(update_fields=["deviation"])
    return answer


@transaction.atomic
def add_to_action_plan(
    user: User, answer: RoundAnswer, *, responsible: User, deadline: date, description: str = ""
) -> RoundAnswer:
    """Add an action for a failed answer to the round's action plan — once per answer.

    The action is a corrective action of the round's unit made by ``create_action`` with the
    round as its source: whoever may change the round adds it, the responsible comes from
    ``responsible_candidates``, and its reminders and escalation are those of every action.
    """
    from deviations import services as deviation_services

    round_, answer = _failed_answer(user, answer)
    if answer.action_id is not None:
        return answer
    answer.action = deviation_services.create_action(
        actor=user,
        unit=round_.unit,
        description=description.strip() or answer.comment or answer.question.text,
        responsible=responsible,
        deadline=deadline,
        source=round_,
    )
    answer.save(update_fields=["action"])
    return answer


def signing_problems(round_: Round) -> list[str]:
    """Why the round cannot be signed yet: every question needs an answer."""
    answered = {a.question_id for a in round_.answers.select_related("question") if a.is_answered}
    missing = round_.version.questions.exclude(pk__in=answered).count()
    if missing:
        return [
            ngettext(
                "%(count)d spørsmål er ikke besvart.",
                "%(count)d spørsmål er ikke besvart.",
                missing,
            )
            % {"count": missing}
        ]
    return []


@transaction.atomic
def sign_round(user: User, round_: Round) -> Round:
    """Sign the round off: it becomes read-only, and its annual-wheel occurrence is recorded as
    done (``record_occurrence``, as the signer — the round's participants record it)."""
    round_ = _lock_round(user, round_, "sign")
    problems = signing_problems(round_)
    if problems:
        raise ChecklistStateError(*problems)
    round_.status = Round.Status.SIGNED
    round_.signed_by = user
    round_.signed_at = timezone.now()
    round_.save(update_fields=["status", "signed_by", "signed_at"])
    if round_.occurrence_id is not None:
        occurrence = round_.occurrence
        if occurrence.status != Occurrence.Status.DONE:
            record_occurrence(
                user,
                occurrence,
                Occurrence.Status.DONE,
                _("Gjennomført med runde %(date)s, signert av %(name)s.")
                % {"date": round_.date.strftime("%d.%m.%Y"), "name": user.get_full_name() or user},
            )
    return round_


# --- Internal audits -----------------------------------------------------------------------------


class AuditStateError(StateError):
    """A change an audit's state does not allow (409 in the API)."""


@transaction.atomic
def programme_for(user: User, year: int, unit: OrgUnit | None = None) -> AuditProgramme:
    """The audit programme of ``unit`` (None: the whole municipality) for ``year``, made the
    first time an audit is planned in it by someone who may keep that unit's wheel."""
    programme = AuditProgramme.objects.filter(year=year, unit=unit).first()
    if programme is not None:
        return programme
    if not permissions.can_create(user, AuditProgramme, unit):
        raise PermissionDenied(_("Du kan ikke lage revisjonsprogram for denne enheten."))
    programme, _created = AuditProgramme.objects.get_or_create(
        year=year, unit=unit, defaults={"created_by": user}
    )
    return programme


@transaction.atomic
def plan_audit(
    user: User,
    *,
    title: str,
    unit: OrgUnit,
    planned_date: date,
    lead_auditor: User,
    programme_unit: OrgUnit | None = None,
    process=None,
    auditors=(),
    criteria=(),
    requirements: str = "",
    occurrence: Occurrence | None = None,
) -> Audit:
    """Plan an internal audit of ``unit`` in the programme of ``programme_unit`` for the planned
    date's year. Advisors plan anywhere, leaders for their subtree; the audited unit lies in the
    programme's unit. The criteria are documents the planner may read; an annual-wheel
    occurrence is linked only by someone who may record it (reporting the audit records it)."""
    from documents.models import Document

    if not permissions.can_create(user, Audit, unit):
        raise PermissionDenied(_("Du kan ikke planlegge revisjon av denne enheten."))
    if programme_unit is not None and not unit.path.startswith(programme_unit.path):
        raise ValidationError(
            {"unit": _("Enheten som revideres må høre til %(unit)s.") % {"unit": programme_unit}}
        )
    criteria = list(criteria)
    visible = permissions.restrict(user, Document.objects.all()).filter(
        pk__in=[d.pk for d in criteria]
    )
    if visible.count() != len({d.pk for d in criteria}):
        raise ValidationError({"criteria": _("Ukjent prosedyre.")})
    if occurrence is not None and not permissions.can(user, occurrence, "record"):
        raise ValidationError({"occurrence": _("Du kan ikke registrere denne forekomsten.")})
    people = [lead_auditor, *auditors]
    if any(not p.is_active for p in people):
        raise ValidationError({"auditors": _("Revisorene må være aktive brukere.")})
    programme = programme_for(user, planned_date.year, programme_unit)
    audit = Audit(
        programme=programme,
        title=title.strip(),
        unit=unit,
        process=process,
        planned_date=planned_date,
        lead_auditor=lead_auditor,
        requirements=requirements.strip(),
        occurrence=occurrence,
        created_by=user,
    )
    audit.full_clean(exclude=["created_by"])
    audit.save()
    audit.auditors.set([p.pk for p in auditors if p.pk != lead_auditor.pk])
    audit.criteria.set(criteria)
    return audit


def _lock_audit(user: User, audit: Audit, *statuses: str) -> Audit:
    audit = Audit.objects.select_for_update().get(pk=audit.pk)
    permissions.check(user, audit, "change")
    if audit.status not in statuses:
        if audit.is_reported:
            raise AuditStateError(_("Revisjonen er rapportert og kan ikke endres."))
        if audit.status == Audit.Status.PLANNED:
            raise AuditStateError(_("Revisjonen er ikke startet."))
        raise AuditStateError(_("Revisjonen er allerede startet."))
    return audit


@transaction.atomic
def start_audit(user: User, audit: Audit, *, opening_date: date) -> Audit:
    """The opening meeting: the audit is in progress and findings may be recorded."""
    audit = _lock_audit(user, audit, Audit.Status.PLANNED)
    audit.status = Audit.Status.IN_PROGRESS
    audit.opening_date = opening_date
    audit.save(update_fields=["status", "opening_date"])
    return audit


@transaction.atomic
def add_finding(
    user: User,
    audit: Audit,
    *,
    kind: str,
    text: str,
    evidence: str = "",
    criterion=None,
) -> AuditFinding:
    """Record a finding of an audit in progress. An avvik is reported at once as a deviation of
    the audited unit (source: internal audit) through ``report_deviation``, so its handler,
    actions, escalation and closing are those of every case (the handbooks: «Der prosedyrer …
    ikke følges … registreres et avvik»); observations and strengths stay in the audit."""
    from deviations import services as deviation_services
    from deviations.models import Deviation

    audit = _lock_audit(user, audit, Audit.Status.IN_PROGRESS)
    if kind not in AuditFinding.Kind.values:
        raise ValidationError({"kind": _("Ukjent type funn.")})
    if criterion is not None and not audit.criteria.filter(pk=criterion.pk).exists():
        raise ValidationError({"criterion": _("Prosedyren er ikke et kriterium i revisjonen.")})
    finding = AuditFinding(
        audit=audit,
        kind=kind,
        text=text.strip(),
        evidence=evidence.strip(),
        criterion=criterion,
        created_by=user,
    )
    finding.full_clean(exclude=["created_by", "deviation"])
    if finding.is_nonconformity:
        description = finding.text
        if finding.evidence:
            description += "\n\n" + _("Grunnlag: %(evidence)s") % {"evidence": finding.evidence}
        if criterion is not None:
            description += "\n" + _("Prosedyre: %(document)s") % {"document": criterion}
        description += "\n" + _("Funnet ved intern revisjon «%(title)s» %(date)s.") % {
            "title": audit.title,
            "date": audit.opening_date.strftime("%d.%m.%Y"),
        }
        finding.deviation = deviation_services.report_deviation(
            reporter=user,
            unit=audit.unit,
            kind=Deviation.Kind.DEVIATION,
            title=finding.text.splitlines()[0][:200],
            description=description,
            occurred_at=timezone.now(),
            source=Deviation.Source.INTERNAL_AUDIT,
        )
    finding.save()
    return finding


@transaction.atomic
def report_audit(
    user: User, audit: Audit, *, closing_date: date, conclusion: str, summary: str = ""
) -> Audit:
    """The closing meeting and the report: a conclusion is required; the audit becomes
    read-only and its annual-wheel occurrence is recorded as done (``record_occurrence``)."""
    audit = _lock_audit(user, audit, Audit.Status.IN_PROGRESS)
    conclusion = (conclusion or "").strip()
    if not conclusion:
        raise ValidationError({"conclusion": _("Skriv revisjonens konklusjon.")})
    if closing_date < audit.opening_date:
        raise ValidationError({"closing_date": _("Sluttmøtet kan ikke være før åpningsmøtet.")})
    audit.status = Audit.Status.REPORTED
    audit.closing_date = closing_date
    audit.conclusion = conclusion
    audit.summary = (summary or "").strip()
    audit.reported_by = user
    audit.reported_at = timezone.now()
    audit.save(
        update_fields=[
            "status",
            "closing_date",
            "conclusion",
            "summary",
            "reported_by",
            "reported_at",
        ]
    )
    if audit.occurrence_id is not None:
        occurrence = audit.occurrence
        if occurrence.status != Occurrence.Status.DONE:
            record_occurrence(
                user,
                occurrence,
                Occurrence.Status.DONE,
                _("Gjennomført med intern revisjon, rapportert %(date)s av %(name)s.")
                % {
                    "date": closing_date.strftime("%d.%m.%Y"),
                    "name": user.get_full_name() or user,
                },
            )
    return audit


# --- Management review (ledelsens gjennomgåelse) --------------------------------------------------


class ReviewStateError(StateError):
    """A change a management review's state does not allow (409 in the API)."""


REVIEW_TEXT_MAX = 10000
ROLE_MAX = 100


def _review_agenda():
    from qms.reports import agenda

    return agenda


@transaction.atomic
def start_review(
    user: User,
    *,
    unit: OrgUnit | None = None,
    year: int,
    date: date,
    occurrence: Occurrence | None = None,
    role: str = "",
) -> Review:
    """Start the management review of a unit (a sector, the municipality) for a year — once.

    From an annual-wheel occurrence of a review activity the review is that activity carried out
    (the unit is the activity's); by hand, the leaders of the unit's subtree, advisors and
    administrators start one (``round_create_units``). The starter takes part, with ``role``.
    """
    if occurrence is not None:
        occurrence = Occurrence.objects.select_related("activity").get(pk=occurrence.pk)
        permissions.check(user, occurrence, "view")
        if occurrence.activity.kind != Activity.Kind.REVIEW:
            raise ValidationError(
                {"occurrence": _("Aktiviteten er ikke en ledelsens gjennomgåelse.")}
            )
        if occurrence.activity.unit_id is not None:
            if unit is not None and unit.pk != occurrence.activity.unit_id:
                raise ValidationError(
                    {"unit": _("En gjennomgåelse fra årshjulet gjelder aktivitetens enhet.")}
                )
            unit = occurrence.activity.unit
    if unit is None:
        raise ValidationError({"unit": _("Velg enheten gjennomgåelsen gjelder.")})
    if not permissions.can_create(user, Review, unit, source=occurrence):
        raise PermissionDenied(_("Du kan ikke starte en gjennomgåelse for denne enheten."))
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": _("Skriv et årstall, for eksempel 2026.")})
    if Review.objects.filter(unit=unit, year=year).exists():
        raise ValidationError(
            {
                "year": _("%(unit)s har allerede en ledelsens gjennomgåelse for %(year)s.")
                % {"unit": unit, "year": year}
            }
        )
    review = Review.objects.create(
        unit=unit, year=year, date=date, occurrence=occurrence, created_by=user
    )
    ReviewParticipant.objects.create(review=review, user=user, role=role.strip()[:ROLE_MAX])
    return review


def _lock_review(user: User, review: Review, action: str = "change") -> Review:
    review = Review.objects.select_for_update().select_related("unit").get(pk=review.pk)
    permissions.check(user, review, action)
    if review.is_signed:
        raise ReviewStateError(_("Gjennomgåelsen er signert og kan ikke endres."))
    return review


@transaction.atomic
def update_review(user: User, review: Review, **fields) -> Review:
    """Change the meeting date or the overall assessment (``summary``) before sign-off."""
    review = _lock_review(user, review)
    unknown = set(fields) - {"date", "summary"}
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    if "summary" in fields:
        summary = (fields["summary"] or "").strip()
        if len(summary) > REVIEW_TEXT_MAX:
            raise ValidationError({"summary": _("Teksten kan være høyst 10 000 tegn.")})
        review.summary = summary
    if fields.get("date") is not None:
        review.date = fields["date"]
    review.save(update_fields=["date", "summary"])
    return review


@transaction.atomic
def add_participant(
    user: User, review: Review, *, person: User, role: str = ""
) -> ReviewParticipant:
    """Add someone to the review with their role (verneombud, tillitsvalgt, ...): anyone who may
    take part in a round for the unit (``participant_candidates``)."""
    review = _lock_review(user, review)
    if not participant_candidates(review.unit).filter(pk=person.pk).exists():
        raise ValidationError(
            {
                "person": _("%(name)s kan ikke delta i en gjennomgåelse for %(unit)s.")
                % {"name": person, "unit": review.unit}
            }
        )
    participant, created = ReviewParticipant.objects.get_or_create(
        review=review, user=person, defaults={"role": role.strip()[:ROLE_MAX]}
    )
    if not created and role.strip():
        participant.role = role.strip()[:ROLE_MAX]
        participant.save(update_fields=["role"])
    return participant


@transaction.atomic
def remove_participant(user: User, participant: ReviewParticipant) -> None:
    _lock_review(user, participant.review)
    participant.delete()


@transaction.atomic
def save_assessment(user: User, review: Review, *, section: str, text: str) -> ReviewAssessment:
    """The leader's assessment of one agenda heading: is it good enough, what must change."""
    review = _lock_review(user, review)
    if section not in _review_agenda().agenda:
        raise ValidationError({"section": _("Ukjent punkt på dagsordenen.")})
    text = (text or "").strip()
    if len(text) > REVIEW_TEXT_MAX:
        raise ValidationError({"text": _("Teksten kan være høyst 10 000 tegn.")})
    assessment, _created = ReviewAssessment.objects.select_for_update().get_or_create(
        review=review, section=section
    )
    assessment.text = text
    assessment.updated_by = user
    assessment.save()
    return assessment


@transaction.atomic
def add_decision(
    user: User,
    review: Review,
    *,
    text: str,
    responsible: User,
    deadline: date,
    section: str = "",
) -> ReviewDecision:
    """Record a decision and make it a corrective action of the review's unit with a responsible
    and a deadline (``deviations.services.create_action`` with the review as its source): it
    reaches the responsible's "Mine oppgaver" and is reminded and escalated like every action."""
    from deviations import services as deviation_services

    review = _lock_review(user, review)
    if section and section not in _review_agenda().agenda:
        raise ValidationError({"section": _("Ukjent punkt på dagsordenen.")})
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Skriv hva som er vedtatt.")})
    action = deviation_services.create_action(
        actor=user,
        unit=review.unit,
        description=text,
        responsible=responsible,
        deadline=deadline,
        source=review,
    )
    return ReviewDecision.objects.create(
        review=review, section=section, text=text, action=action, created_by=user
    )


def review_signing_problems(review: Review) -> list[str]:
    """Why the review cannot be signed yet: every heading of the agenda needs the leader's
    assessment, and the review its overall assessment."""
    written = set(review.assessments.exclude(text="").values_list("section", flat=True))
    missing = [str(s.title) for s in _review_agenda().agenda if s.key not in written]
    problems = []
    if missing:
        problems.append(
            _("Skriv en vurdering under: %(headings)s.") % {"headings": ", ".join(missing)}
        )
    if not review.summary.strip():
        problems.append(_("Skriv den samlede vurderingen."))
    return problems


@transaction.atomic
def sign_review(user: User, review: Review) -> Review:
    """Sign the review off (the unit's leader or acting leader, "sign"): its agenda's figures are
    kept as they are now (``snapshot``), it becomes read-only, and its annual-wheel occurrence is
    recorded as done."""
    agenda = _review_agenda()
    review = _lock_review(user, review, "sign")
    problems = review_signing_problems(review)
    if problems:
        raise ReviewStateError(*problems)
    review.snapshot = agenda.compute(review.unit, agenda.year_period(review.year))
    review.status = Review.Status.SIGNED
    review.signed_by = user
    review.signed_at = timezone.now()
    review.save(update_fields=["snapshot", "status", "signed_by", "signed_at"])
    ReviewParticipant.objects.get_or_create(review=review, user=user)
    occurrence = review.occurrence
    if (
        occurrence is not None
        and occurrence.status != Occurrence.Status.DONE
        and permissions.can(user, occurrence, "record")
    ):
        record_occurrence(
            user,
            occurrence,
            Occurrence.Status.DONE,
            _("Gjennomført med ledelsens gjennomgåelse, signert av %(name)s.")
            % {"name": user.get_full_name() or user},
        )
    return review


def review_agenda(review: Review) -> list[dict]:
    """The headings of the review as shown: each with its figures — from the snapshot once
    signed, live before — and its assessment and decisions."""
    agenda = _review_agenda()
    if review.is_signed:
        sections = review.snapshot.get("sections", [])
    else:
        sections = agenda.compute(review.unit, agenda.year_period(review.year))["sections"]
    assessments = {a.section: a for a in review.assessments.all()}
    headings = []
    for section in sections:
        entry = agenda.agenda.get(section["key"])
        headings.append(
            {
                **section,
                "template": entry.template if entry else agenda.DEFAULT_TEMPLATE,
                "assessment": assessments.get(section["key"]),
            }
        )
    return headings


# --- Committees and meetings (docs/design.md §14) ------------------------------------------------


class MeetingStateError(StateError):
    """A change a meeting's state does not allow (409 in the API)."""


@transaction.atomic
def create_committee(
    user: User, *, name: str, kind: str, unit: OrgUnit, description: str = ""
) -> Committee:
    """Set up a committee of ``unit``'s level (advisors anywhere, leaders in their subtree)."""
    if not permissions.can_create(user, Committee, unit):
        raise PermissionDenied(_("Du kan ikke opprette utvalg for denne enheten."))
    committee = Committee(
        name=name.strip(), kind=kind, unit=unit, description=(description or "").strip()
    )
    committee.full_clean()
    committee.save()
    return committee


@transaction.atomic
def set_member(
    user: User, committee: Committee, member: User, *, role: str, representing: str = ""
) -> CommitteeMember:
    """Give ``member`` a seat (or change it). A committee has one chair: naming a new chair
    makes the former one an ordinary member."""
    committee = Committee.objects.select_for_update().get(pk=committee.pk)
    permissions.check(user, committee, "change")
    if role not in CommitteeMember.Role.values:
        raise ValidationError({"role": _("Ugyldig rolle.")})
    if not member.is_active:
        raise ValidationError({"user": _("Velg en aktiv bruker.")})
    if role == CommitteeMember.Role.CHAIR:
        committee.seats.filter(role=role).exclude(user=member).update(
            role=CommitteeMember.Role.MEMBER
        )
    seat, _created = CommitteeMember.objects.update_or_create(
        committee=committee,
        user=member,
        defaults={"role": role, "representing": (representing or "").strip()[:100]},
    )
    return seat


@transaction.atomic
def remove_member(user: User, seat: CommitteeMember) -> None:
    permissions.check(user, seat.committee, "change")
    seat.delete()


@transaction.atomic
def plan_meeting(
    user: User,
    committee: Committee,
    *,
    date: date,
    place: str = "",
    occurrence: Occurrence | None = None,
) -> Meeting:
    """Plan a meeting of the committee; from an annual-wheel occurrence of an activity naming
    the committee, approving the minutes records that occurrence as done."""
    if not committee.is_active:
        raise ValidationError({"committee": _("Utvalget er ikke aktivt.")})
    if not permissions.can_create(user, Meeting, committee.unit, source=committee):
        raise PermissionDenied(_("Du kan ikke planlegge møter i dette utvalget."))
    if occurrence is not None:
        if occurrence.activity.committee_id != committee.pk:
            raise ValidationError({"occurrence": _("Forekomsten gjelder et annet utvalg.")})
        if not permissions.can(user, occurrence, "record"):
            raise ValidationError({"occurrence": _("Du kan ikke registrere denne forekomsten.")})
        if occurrence.meetings.exists():
            raise ValidationError({"occurrence": _("Det er allerede planlagt et møte for denne.")})
    meeting = Meeting(
        committee=committee,
        date=date,
        place=(place or "").strip(),
        occurrence=occurrence,
        created_by=user,
    )
    meeting.full_clean(exclude=["created_by", "approved_by"])
    meeting.save()
    return meeting


def _lock_meeting(user: User, meeting: Meeting, action: str, *statuses: str) -> Meeting:
    meeting = Meeting.objects.select_for_update().select_related("committee").get(pk=meeting.pk)
    permissions.check(user, meeting, action)
    if meeting.status not in statuses:
        if meeting.minutes_locked:
            raise MeetingStateError(_("Protokollen er godkjent og kan ikke endres."))
        if meeting.status == Meeting.Status.HELD:
            raise MeetingStateError(_("Møtet er avholdt; saklisten kan ikke endres."))
        raise MeetingStateError(_("Møtet er ikke avholdt ennå."))
    return meeting


def _next_order(meeting: Meeting) -> int:
    last = meeting.items.order_by("-order").values_list("order", flat=True).first()
    return (last or 0) + 1


def _clean_text(title: str, summary: str) -> tuple[str, str]:
    title, summary = (title or "").strip(), (summary or "").strip()
    errors = {}
    if not title:
        errors["title"] = _("Skriv en tittel for saken.")
    elif len(title) > 200:
        errors["title"] = _("Tittelen kan være høyst 200 tegn.")
    if len(summary) > 5000:
        errors["summary"] = _("Sammendraget kan være høyst 5000 tegn.")
    if errors:
        raise ValidationError(errors)
    return title, summary


def referral_meetings(user: User, obj) -> models.QuerySet:
    """The meetings ``obj`` may be referred to: coming meetings of the active committees of its
    unit and the units above it (a case goes to its own level or one above)."""
    return (
        Meeting.objects.upcoming()
        .filter(committee__in=Committee.objects.for_unit(obj.unit))
        .select_related("committee")
        .order_by("date", "committee__name")
    )


@transaction.atomic
def refer_case(user: User, meeting: Meeting, obj, *, title: str, summary: str) -> AgendaItem:
    """Put a case on a coming meeting's agenda (docs/design.md §14): by someone who handles it
    or an advisor who sees it (``may_refer``), to a committee of its unit or one above, once
    per meeting. The written summary is what the committee reads and the minutes publish; a
    case with personal data is referred only through it (``ReferableKind.summary_only``), so
    the summary is required and the case stays hidden from the members."""
    from annual_wheel.permissions import may_refer

    kind = referrals.kind_for(obj)
    if kind is None or not may_refer(user, obj):
        raise PermissionDenied(_("Du kan ikke melde denne saken til et utvalg."))
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if not referral_meetings(user, obj).filter(pk=meeting.pk).exists():
        raise ValidationError({"meeting": _("Velg et kommende møte i et utvalg for enheten.")})
    title, summary = _clean_text(title, summary)
    if kind.summary_only(obj) and not summary:
        raise ValidationError(
            {"summary": _("Saken har personopplysninger: skriv et anonymisert sammendrag.")}
        )
    if meeting.items.filter(kind=kind.key, object_id=obj.pk).exists():
        raise ValidationError({"meeting": _("Saken står allerede på saklisten til dette møtet.")})
    item = AgendaItem.objects.create(
        meeting=meeting,
        order=_next_order(meeting),
        kind=kind.key,
        object_id=obj.pk,
        title=title,
        summary=summary,
        referred_by=user,
    )
    _tell_keepers(meeting, user, _("Ny sak til %(meeting)s: %(title)s"), title)
    return item


def _tell_keepers(meeting: Meeting, actor: User, subject: str, title: str) -> None:
    keepers = [
        seat.user
        for seat in meeting.committee.seats.select_related("user").filter(
            role__in=[CommitteeMember.Role.CHAIR, CommitteeMember.Role.SECRETARY]
        )
        if seat.user_id != actor.pk
    ]
    notify_many(
        keepers,
        kind="committee.referred",
        subject=subject % {"meeting": meeting, "title": title},
        url=meeting.get_absolute_url(),
    )


@transaction.atomic
def add_free_item(user: User, meeting: Meeting, *, title: str, summary: str = "") -> AgendaItem:
    """A free item (orientation, a question) put on the agenda by the chair or secretary."""
    meeting = _lock_meeting(user, meeting, "change", *Meeting.REFERRABLE_STATES)
    title, summary = _clean_text(title, summary)
    return AgendaItem.objects.create(
        meeting=meeting,
        order=_next_order(meeting),
        title=title,
        summary=summary,
        referred_by=user,
    )


@transaction.atomic
def publish_agenda(user: User, meeting: Meeting) -> Meeting:
    """Send the agenda: every member is told to prepare (and finds it on Min side)."""
    meeting = _lock_meeting(user, meeting, "change", Meeting.Status.PLANNED)
    if not meeting.items.exists():
        raise MeetingStateError(_("Saklisten er tom."))
    meeting.status = Meeting.Status.AGENDA_PUBLISHED
    meeting.agenda_published_at = timezone.now()
    meeting.save(update_fields=["status", "agenda_published_at"])
    members = [seat.user for seat in meeting.committee.seats.select_related("user")]
    notify_many(
        [m for m in members if m.pk != user.pk],
        kind="committee.agenda",
        subject=_("Sakliste til %(meeting)s") % {"meeting": meeting},
        url=meeting.get_absolute_url(),
    )
    return meeting


@transaction.atomic
def hold_meeting(user: User, meeting: Meeting) -> Meeting:
    """The meeting is held: the agenda is closed and the minutes are written per item."""
    meeting = _lock_meeting(user, meeting, "change", *Meeting.REFERRABLE_STATES)
    if not meeting.items.exists():
        raise MeetingStateError(_("Saklisten er tom."))
    meeting.status = Meeting.Status.HELD
    meeting.held_at = timezone.now()
    meeting.save(update_fields=["status", "held_at"])
    return meeting


def _lock_item(user: User, item: AgendaItem, *statuses: str) -> tuple[Meeting, AgendaItem]:
    meeting = _lock_meeting(user, item.meeting, "change", *statuses)
    return meeting, AgendaItem.objects.select_for_update().get(pk=item.pk)


@transaction.atomic
def record_minutes(user: User, item: AgendaItem, *, discussion: str, decision: str) -> AgendaItem:
    """Write an item's minutes: the discussion (for the committee) and the decision (published)."""
    meeting, item = _lock_item(user, item, Meeting.Status.HELD)
    discussion, decision = (discussion or "").strip(), (decision or "").strip()
    if not decision:
        raise ValidationError({"decision": _("Skriv vedtaket.")})
    if len(decision) > 5000 or len(discussion) > 10000:
        raise ValidationError({"decision": _("Teksten er for lang.")})
    item.discussion = discussion
    item.decision = decision
    item.save(update_fields=["discussion", "decision"])
    return item


def referred_object(item: AgendaItem):
    """The case an item refers to (None for a free item or a case since removed)."""
    if item.is_free:
        return None
    try:
        model = referrals.kind(item.kind).model
    except LookupError:
        return None
    return model._default_manager.filter(pk=item.object_id).first()


@transaction.atomic
def decide_action(
    user: User, item: AgendaItem, *, description: str, responsible: User, deadline: date
):
    """A decision becomes a corrective action with a responsible and a deadline, once per item,
    through ``deviations.services.create_action`` (no second action system): on a referred
    deviation, an action of that case (so the case's handlers decide: ``change`` on the case);
    on any other item, an action of the committee's unit with the meeting as its source."""
    from deviations import services as deviation_services
    from deviations.models import Deviation

    meeting, item = _lock_item(user, item, Meeting.Status.HELD)
    if item.action_id is not None:
        raise MeetingStateError(_("Vedtaket har allerede et tiltak."))
    if not item.decision:
        raise ValidationError({"decision": _("Skriv vedtaket før tiltaket.")})
    case = referred_object(item)
    if isinstance(case, Deviation):
        if not permissions.can(user, case, "change"):
            raise PermissionDenied(
                _("Bare sakens behandler og ledere kan legge tiltak på saken %(number)s.")
                % {"number": case.number}
            )
        unit, source = case.unit, None
    else:
        case, unit, source = None, meeting.committee.unit, meeting
    item.action = deviation_services.create_action(
        actor=user,
        unit=unit,
        description=description.strip() or item.decision,
        responsible=responsible,
        deadline=deadline,
        deviation=case,
        source=source,
    )
    item.save(update_fields=["action"])
    return item


@transaction.atomic
def approve_minutes(user: User, meeting: Meeting) -> Meeting:
    """The chair approves the minutes: every item has a decision; the meeting becomes read-only,
    its referred cases close to the members again, and its occurrence is recorded as done."""
    meeting = _lock_meeting(user, meeting, "approve", Meeting.Status.HELD)
    missing = meeting.items.filter(decision="").count()
    if missing:
        raise MeetingStateError(
            ngettext("%(count)d sak mangler vedtak.", "%(count)d saker mangler vedtak.", missing)
            % {"count": missing}
        )
    meeting.status = Meeting.Status.APPROVED
    meeting.approved_by = user
    meeting.approved_at = timezone.now()
    meeting.save(update_fields=["status", "approved_by", "approved_at"])
    occurrence = meeting.occurrence
    if occurrence is not None and occurrence.status != Occurrence.Status.DONE:
        occurrence.status = Occurrence.Status.DONE
        occurrence.completed_at = meeting.approved_at
        occurrence.completed_by = user
        occurrence.note = _("Møtet er holdt og protokollen godkjent.")
        occurrence.save(update_fields=["status", "completed_at", "completed_by", "note"])
    return meeting


@transaction.atomic
def publish_minutes(user: User, meeting: Meeting) -> Meeting:
    """Publish the approved minutes to the committee's part of the organisation."""
    meeting = _lock_meeting(user, meeting, "change", Meeting.Status.APPROVED)
    meeting.status = Meeting.Status.PUBLISHED
    meeting.published_at = timezone.now()
    meeting.save(update_fields=["status", "published_at"])
    return meeting


@dataclass(frozen=True)
class MinutesItem:
    number: int
    kind: str
    title: str
    summary: str
    decision: str
    action_deadline: date | None


def published_minutes(meeting: Meeting) -> list[MinutesItem]:
    """What the published minutes contain — the one place that decides it (docs/design.md §14):
    per item its kind, the written title and summary, the decision and the deadline of the
    action it became. Never the referred case's own text, its reporter, the people involved,
    the discussion or who referred it: the page, the PDF and the API render only this."""
    labels = {k.key: k.label for k in referrals.kinds()}
    if "items" in getattr(meeting, "_prefetched_objects_cache", {}):
        rows = sorted(meeting.items.all(), key=lambda item: (item.order, item.pk))
    else:
        rows = meeting.items.select_related("action").order_by("order", "pk")
    return [
        MinutesItem(
            number=n,
            kind=str(labels.get(item.kind, _("Annen sak"))),
            title=item.title,
            summary=item.summary,
            decision=item.decision,
            action_deadline=item.action.deadline if item.action_id else None,
        )
        for n, item in enumerate(rows, start=1)
    ]

"""Every state change of a risk assessment: one transaction each, with an event row.

Rules enforced here (not only in views), from the handbooks:
- a score is probability × the worst consequence type; levels must lie inside the matrix;
- an item at or above the action threshold needs a measure before the assessment can be active;
- a residual risk at or above the threshold stands only when a leader of the unit formally
  accepts it (who, when, why), and a change of the residual scores clears that acceptance;
- an archived assessment, or one that has a newer revision, is read-only;
- changing the matrix recomputes the stored scores and logs the change.
"""

from __future__ import annotations

from datetime import date

from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case, F, IntegerField, Value, When
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from qms import permissions
from qms.exceptions import StateError
from risk.matrix import Matrix, matrix_for
from risk.models import (
    CONSEQUENCE_FIELDS,
    MAX_SIZE,
    MIN_SIZE,
    RiskAssessment,
    RiskDeviationLink,
    RiskDocumentLink,
    RiskEvent,
    RiskItem,
    RiskMatrix,
    RiskMatrixChange,
    RiskMeasure,
)

ITEM_TEXT_FIELDS = ("hazard", "cause", "existing_controls")
ITEM_LEVEL_FIELDS = ("probability", *CONSEQUENCE_FIELDS)
RESIDUAL_FIELDS = ("residual_probability", "residual_consequence")
ITEM_FIELDS = (*ITEM_TEXT_FIELDS, *ITEM_LEVEL_FIELDS, "treatment", *RESIDUAL_FIELDS)
ASSESSMENT_FIELDS = (
    "title",
    "activity",
    "scope",
    "important",
    "common",
    "difficult",
    "variable",
    "assessed_on",
    "next_review",
)
REVIEW_REMINDER_KIND = "risk.review"


class RiskError(ValidationError):
    """A rule of the ROS workflow was broken; the message is shown to the user as is."""


class RiskStateError(RiskError, StateError):
    """A change the assessment's (or item's) current state does not allow (the API's 409)."""


# ---------------------------------------------------------------------------------------------
# Permissions and state


def is_read_only(assessment: RiskAssessment) -> bool:
    if assessment.status == RiskAssessment.Status.ARCHIVED:
        return True
    return RiskAssessment.objects.filter(previous=assessment).exists()


def _require(user, obj, action: str) -> None:
    if not permissions.can(user, obj, action):
        raise PermissionDenied


def _require_editable(assessment: RiskAssessment) -> None:
    if is_read_only(assessment):
        raise RiskStateError(
            _("Analysen er skrivebeskyttet (arkivert eller erstattet av en ny revisjon).")
        )


def _event(assessment, actor, kind, text="", item=None) -> RiskEvent:
    return RiskEvent.objects.create(
        assessment=assessment, item=item, actor=actor, kind=kind, text=str(text)
    )


def _lock(assessment: RiskAssessment) -> RiskAssessment:
    return RiskAssessment.objects.select_for_update().get(pk=assessment.pk)


# ---------------------------------------------------------------------------------------------
# Assessments


@transaction.atomic
def create_assessment(
    *,
    actor,
    unit,
    title: str,
    activity: str,
    assessed_on: date,
    participants=(),
    **fields,
) -> RiskAssessment:
    """A leader starts a ROS analysis for a unit they lead; it starts as a draft."""
    if not permissions.can_create(actor, RiskAssessment, unit):
        raise PermissionDenied
    extra = {k: v for k, v in fields.items() if k in ASSESSMENT_FIELDS}
    assessment = RiskAssessment.objects.create(
        unit=unit,
        title=title,
        activity=activity,
        assessed_on=assessed_on,
        created_by=actor,
        **extra,
    )
    assessment.participants.set(participants)
    _event(assessment, actor, RiskEvent.Kind.CREATED)
    return assessment


@transaction.atomic
def update_assessment(*, actor, assessment: RiskAssessment, participants=None, **fields):
    _require(actor, assessment, "change")
    assessment = _lock(assessment)
    _require_editable(assessment)
    changed = []
    for name, value in fields.items():
        if name in ASSESSMENT_FIELDS and getattr(assessment, name) != value:
            setattr(assessment, name, value)
            changed.append(name)
    if changed:
        assessment.save(update_fields=[*changed, "updated_at"])
    if participants is not None:
        before = set(assessment.participants.values_list("pk", flat=True))
        after = {p.pk for p in participants}
        if before != after:
            assessment.participants.set(participants)
            changed.append("participants")
    if changed:
        labels = [str(RiskAssessment._meta.get_field(n).verbose_name) for n in changed]
        _event(assessment, actor, RiskEvent.Kind.UPDATED, ", ".join(labels))
    return assessment


def activation_problems(assessment: RiskAssessment, matrix: Matrix | None = None) -> list[str]:
    """Why the assessment cannot be set active (empty when it can). Three queries."""
    matrix = matrix or matrix_for(assessment.unit)
    problems = []
    items = RiskItem.objects.filter(assessment=assessment)
    if not items.exists():
        problems.append(_("Analysen har ingen risikoforhold."))
    untreated = list(items.untreated(matrix.action_threshold).values_list("number", flat=True))
    if untreated:
        problems.append(
            _("Risikoforhold på eller over tiltaksgrensen uten tiltak: %(numbers)s.")
            % {"numbers": ", ".join(map(str, untreated))}
        )
    unaccepted = list(
        items.residual_unaccepted(matrix.action_threshold).values_list("number", flat=True)
    )
    if unaccepted:
        problems.append(
            _("Restrisiko på eller over tiltaksgrensen som leder ikke har akseptert: %(numbers)s.")
            % {"numbers": ", ".join(map(str, unaccepted))}
        )
    return problems


@transaction.atomic
def activate(*, actor, assessment: RiskAssessment, today: date | None = None) -> RiskAssessment:
    """Set a draft active. Blocked while a high risk lacks a measure or an unaccepted residual
    risk stands. The previous revision, if any, is archived in the same transaction."""
    _require(actor, assessment, "change")
    assessment = _lock(assessment)
    if assessment.status != RiskAssessment.Status.DRAFT:
        raise RiskStateError(_("Bare et utkast kan settes som gjeldende."))
    problems = activation_problems(assessment)
    if problems:
        raise RiskStateError(problems)
    today = today or timezone.localdate()
    assessment.status = RiskAssessment.Status.ACTIVE
    if assessment.next_review is None:
        assessment.next_review = today + relativedelta(years=1)
    assessment.save(update_fields=["status", "next_review", "updated_at"])
    _event(assessment, actor, RiskEvent.Kind.ACTIVATED)
    previous = assessment.previous
    if previous is not None and previous.status != RiskAssessment.Status.ARCHIVED:
        RiskAssessment.objects.filter(pk=previous.pk).update(
            status=RiskAssessment.Status.ARCHIVED, updated_at=timezone.now()
        )
        _event(
            previous,
            actor,
            RiskEvent.Kind.ARCHIVED,
            _("Erstattet av revisjon %(revision)s.") % {"revision": assessment.revision},
        )
    return assessment


@transaction.atomic
def archive(*, actor, assessment: RiskAssessment) -> RiskAssessment:
    _require(actor, assessment, "change")
    assessment = _lock(assessment)
    if assessment.status == RiskAssessment.Status.ARCHIVED:
        raise RiskStateError(_("Analysen er allerede arkivert."))
    assessment.status = RiskAssessment.Status.ARCHIVED
    assessment.save(update_fields=["status", "updated_at"])
    _event(assessment, actor, RiskEvent.Kind.ARCHIVED)
    return assessment


@transaction.atomic
def new_revision(*, actor, assessment: RiskAssessment, today: date | None = None):
    """Copy an assessment to a new draft revision; the old one becomes read-only.

    The copy keeps items, scores and links to the same measures, so the new assessment checks
    whether those measures brought the risk down. Formal acceptances are not copied: a leader
    accepts again in the new revision. One revision per assessment (OneToOne ``previous``).
    """
    _require(actor, assessment, "change")
    assessment = _lock(assessment)
    if assessment.status == RiskAssessment.Status.DRAFT:
        raise RiskStateError(
            _("Et utkast kan redigeres direkte; ny revisjon lages av en gjeldende analyse.")
        )
    if RiskAssessment.objects.filter(previous=assessment).exists():
        raise RiskStateError(_("Analysen har allerede en nyere revisjon."))
    today = today or timezone.localdate()
    try:
        with transaction.atomic():
            copy = RiskAssessment.objects.create(
                title=assessment.title,
                unit=assessment.unit,
                activity=assessment.activity,
                scope=assessment.scope,
                important=assessment.important,
                common=assessment.common,
                difficult=assessment.difficult,
                variable=assessment.variable,
                assessed_on=today,
                revision=assessment.revision + 1,
                previous=assessment,
                created_by=actor,
            )
    except IntegrityError:
        raise RiskStateError(_("Analysen har allerede en nyere revisjon.")) from None
    copy.participants.set(assessment.participants.all())
    old_items = list(assessment.items.order_by("number"))
    new_items = RiskItem.objects.bulk_create(
        [
            RiskItem(
                assessment=copy,
                number=item.number,
                **{name: getattr(item, name) for name in ITEM_FIELDS},
                consequence=item.consequence,
                score=item.score,
                residual_score=item.residual_score,
            )
            for item in old_items
        ]
    )
    _copy_item_links(dict(zip([i.pk for i in old_items], new_items, strict=True)))
    _event(
        copy,
        actor,
        RiskEvent.Kind.REVISED,
        _("Kopi av revisjon %(r)s.") % {"r": assessment.revision},
    )
    _event(
        assessment,
        actor,
        RiskEvent.Kind.REVISED,
        _("Revisjon %(r)s opprettet.") % {"r": copy.revision},
    )
    return copy


def _copy_item_links(mapping: dict[int, RiskItem]) -> None:
    """Extension point for links on items (measures, deviations, documents)."""
    for hook in ITEM_COPY_HOOKS:
        hook(mapping)


ITEM_COPY_HOOKS: list = []


# ---------------------------------------------------------------------------------------------
# Items


def _validate_levels(matrix: Matrix, values: dict) -> None:
    errors = {}
    for name in (*ITEM_LEVEL_FIELDS, *RESIDUAL_FIELDS):
        value = values.get(name)
        if value is None:
            continue
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= matrix.size:
            errors[name] = _("Velg et nivå fra 1 til %(max)s.") % {"max": matrix.size}
    if values.get("probability") is None:
        errors.setdefault("probability", _("Velg sannsynlighet."))
    if not any(values.get(name) for name in CONSEQUENCE_FIELDS):
        errors["consequence_people"] = _("Vurder konsekvens for minst én type.")
    if (values.get("residual_probability") is None) != (values.get("residual_consequence") is None):
        errors["residual_consequence"] = _(
            "Fyll ut både sannsynlighet og konsekvens etter tiltak, eller ingen av dem."
        )
    if not (values.get("hazard") or "").strip():
        errors["hazard"] = _("Beskriv hva som kan gå galt.")
    if errors:
        raise RiskError(errors)


@transaction.atomic
def add_item(*, actor, assessment: RiskAssessment, **values) -> RiskItem:
    _require(actor, assessment, "change")
    assessment = _lock(assessment)
    _require_editable(assessment)
    matrix = matrix_for(assessment.unit)
    values = {k: v for k, v in values.items() if k in ITEM_FIELDS}
    values.setdefault("treatment", RiskItem.Treatment.REDUCE)
    _validate_levels(matrix, values)
    last = assessment.items.order_by("-number").values_list("number", flat=True).first() or 0
    item = RiskItem(assessment=assessment, number=last + 1, **values)
    item.compute_scores()
    item.save()
    _event(assessment, actor, RiskEvent.Kind.ITEM_ADDED, str(item), item=item)
    return item


@transaction.atomic
def update_item(*, actor, item: RiskItem, **values) -> RiskItem:
    """Change an item; new residual scores clear a formal acceptance (it was of other scores)."""
    _require(actor, item, "change")
    _lock(item.assessment)
    item = RiskItem.objects.select_for_update().select_related("assessment__unit").get(pk=item.pk)
    _require_editable(item.assessment)
    matrix = matrix_for(item.assessment.unit)
    merged = {name: getattr(item, name) for name in ITEM_FIELDS}
    merged.update({k: v for k, v in values.items() if k in ITEM_FIELDS})
    _validate_levels(matrix, merged)
    before_residual = item.residual_score
    changed = [name for name in ITEM_FIELDS if getattr(item, name) != merged[name]]
    for name in changed:
        setattr(item, name, merged[name])
    item.compute_scores()
    if not changed:
        return item
    cleared = item.is_accepted and (
        item.residual_score != before_residual or not matrix.requires_measures(item.residual_score)
    )
    if cleared:
        item.accepted_by = None
        item.accepted_at = None
        item.acceptance_reason = ""
    item.save()
    labels = [str(RiskItem._meta.get_field(n).verbose_name) for n in changed]
    _event(
        item.assessment, actor, RiskEvent.Kind.ITEM_CHANGED, f"{item}: {', '.join(labels)}", item
    )
    if cleared:
        _event(item.assessment, actor, RiskEvent.Kind.ACCEPTANCE_CLEARED, str(item), item)
    return item


@transaction.atomic
def remove_item(*, actor, item: RiskItem) -> None:
    _require(actor, item, "change")
    assessment = _lock(item.assessment)
    _require_editable(assessment)
    if assessment.status != RiskAssessment.Status.DRAFT:
        raise RiskStateError(_("Risikoforhold kan bare fjernes mens analysen er et utkast."))
    text = str(item)
    item.delete()
    _event(assessment, actor, RiskEvent.Kind.ITEM_REMOVED, text)


@transaction.atomic
def accept_residual_risk(*, actor, item: RiskItem, reason: str) -> RiskItem:
    """A leader of the unit formally accepts a residual risk at or above the threshold."""
    _require(actor, item, "accept")
    _lock(item.assessment)
    item = RiskItem.objects.select_for_update().select_related("assessment__unit").get(pk=item.pk)
    _require_editable(item.assessment)
    matrix = matrix_for(item.assessment.unit)
    if item.residual_score is None:
        raise RiskStateError(_("Vurder restrisikoen før den kan aksepteres."))
    if not matrix.requires_measures(item.residual_score):
        raise RiskStateError(
            _("Restrisikoen er under tiltaksgrensen og trenger ingen formell aksept.")
        )
    reason = (reason or "").strip()
    if not reason:
        raise RiskError({"reason": _("Begrunn hvorfor restrisikoen aksepteres.")})
    item.accepted_by = actor
    item.accepted_at = timezone.now()
    item.acceptance_reason = reason
    item.save(update_fields=["accepted_by", "accepted_at", "acceptance_reason", "updated_at"])
    _event(item.assessment, actor, RiskEvent.Kind.ACCEPTED, f"{item}: {reason}", item)
    return item


@transaction.atomic
def add_measure(*, actor, item: RiskItem, description: str, responsible, deadline: date):
    """A measure is a corrective action of the deviations module, linked to the item.

    The action belongs to the assessment's unit, so its leaders follow it up and the usual
    reminders and escalations apply; the editor's right comes from the assessment, which
    ``create_action`` is given as the source its create rule checks.
    """
    from deviations import services as deviation_services

    _require(actor, item, "change")
    assessment = _lock(item.assessment)
    _require_editable(assessment)
    action = deviation_services.create_action(
        actor=actor,
        unit=assessment.unit,
        description=description,
        responsible=responsible,
        deadline=deadline,
        source=assessment,
    )
    measure = RiskMeasure.objects.create(item=item, action=action)
    _event(assessment, actor, RiskEvent.Kind.MEASURE_ADDED, f"{item}: {action}", item)
    return measure


@transaction.atomic
def link_deviation(*, actor, item: RiskItem, deviation) -> RiskDeviationLink:
    """Link a deviation the actor can see to an item the actor may edit."""
    _require(actor, item, "change")
    if not permissions.can(actor, deviation, "view"):
        raise PermissionDenied
    assessment = _lock(item.assessment)
    link, created = RiskDeviationLink.objects.get_or_create(
        item=item, deviation=deviation, defaults={"created_by": actor}
    )
    if created:
        _event(
            assessment,
            actor,
            RiskEvent.Kind.LINKED,
            _("%(item)s koblet til avvik %(number)s") % {"item": item, "number": deviation.number},
            item,
        )
    return link


@transaction.atomic
def unlink_deviation(*, actor, item: RiskItem, deviation_id: int) -> None:
    _require(actor, item, "change")
    assessment = _lock(item.assessment)
    deleted, _rows = RiskDeviationLink.objects.filter(item=item, deviation_id=deviation_id).delete()
    if deleted:
        _event(
            assessment,
            actor,
            RiskEvent.Kind.LINKED,
            _("%(item)s: kobling til avvik fjernet") % {"item": item},
            item,
        )


@transaction.atomic
def link_document(*, actor, item: RiskItem, document) -> RiskDocumentLink:
    """Link a procedure the actor can see, as a control of the item."""
    _require(actor, item, "change")
    if not permissions.can(actor, document, "view"):
        raise PermissionDenied
    assessment = _lock(item.assessment)
    link, created = RiskDocumentLink.objects.get_or_create(
        item=item, document=document, defaults={"created_by": actor}
    )
    if created:
        _event(
            assessment,
            actor,
            RiskEvent.Kind.LINKED,
            _("%(item)s koblet til dokument %(number)s")
            % {"item": item, "number": document.number},
            item,
        )
    return link


@transaction.atomic
def unlink_document(*, actor, item: RiskItem, document_id: int) -> None:
    _require(actor, item, "change")
    assessment = _lock(item.assessment)
    deleted, _rows = RiskDocumentLink.objects.filter(item=item, document_id=document_id).delete()
    if deleted:
        _event(
            assessment,
            actor,
            RiskEvent.Kind.LINKED,
            _("%(item)s: kobling til dokument fjernet") % {"item": item},
            item,
        )


def _copy_measures_and_links(mapping: dict[int, RiskItem]) -> None:
    RiskMeasure.objects.bulk_create(
        [
            RiskMeasure(item=mapping[m.item_id], action_id=m.action_id)
            for m in RiskMeasure.objects.filter(item_id__in=list(mapping))
        ]
    )
    RiskDeviationLink.objects.bulk_create(
        [
            RiskDeviationLink(
                item=mapping[link.item_id],
                deviation_id=link.deviation_id,
                created_by=link.created_by,
            )
            for link in RiskDeviationLink.objects.filter(item_id__in=list(mapping))
        ]
    )
    RiskDocumentLink.objects.bulk_create(
        [
            RiskDocumentLink(
                item=mapping[link.item_id], document_id=link.document_id, created_by=link.created_by
            )
            for link in RiskDocumentLink.objects.filter(item_id__in=list(mapping))
        ]
    )


ITEM_COPY_HOOKS.append(_copy_measures_and_links)


# ---------------------------------------------------------------------------------------------
# The matrix


def rescale(value: int, old_size: int, new_size: int) -> int:
    """Map a level onto a matrix of another size, keeping the lowest and the highest level."""
    if old_size == new_size:
        return value
    return 1 + int((value - 1) * (new_size - 1) / (old_size - 1) + 0.5)


def snapshot(matrix: RiskMatrix) -> dict:
    return {
        "size": matrix.size,
        "action_threshold": matrix.action_threshold,
        "levels": [
            [lv.axis, lv.value, lv.label, lv.description]
            for lv in matrix.level_rows.order_by("axis", "value")
        ],
        "bands": [[b.label, b.min_score, b.colour] for b in matrix.bands.order_by("min_score")],
        "cells": [
            [c.probability, c.consequence, c.colour, c.label]
            for c in matrix.cells.order_by("probability", "consequence")
        ],
    }


def _level_case(field: str, old_size: int, new_size: int):
    return Case(
        *[
            When(**{field: v}, then=Value(rescale(v, old_size, new_size)))
            for v in range(1, MAX_SIZE + 1)
        ],
        default=F(field),
        output_field=IntegerField(),
    )


def _rescore(municipality_path: str, old_size: int, new_size: int) -> int:
    """Rescale every item of the municipality to the new size and recompute its scores (SQL)."""
    items = RiskItem.objects.filter(assessment__unit__path__startswith=municipality_path)
    if old_size == new_size:
        return 0
    # One UPDATE: every right-hand side reads the old row, so the check constraints
    # (score = probability × consequence) hold for the new row as a whole.
    level = {f: _level_case(f, old_size, new_size) for f in (*ITEM_LEVEL_FIELDS, *RESIDUAL_FIELDS)}
    consequence = Greatest(
        *[Coalesce(_level_case(f, old_size, new_size), Value(0)) for f in CONSEQUENCE_FIELDS]
    )
    count = items.update(
        **level,
        consequence=consequence,
        score=_level_case("probability", old_size, new_size) * consequence,
        residual_score=_level_case("residual_probability", old_size, new_size)
        * _level_case("residual_consequence", old_size, new_size),
    )
    return count


@transaction.atomic
def record_matrix_change(*, actor, matrix: RiskMatrix, before: dict) -> RiskMatrixChange | None:
    """Recompute stored scores after the matrix changed, and log the change.

    Called after the settings (and their levels, bands, cells) were saved, with the snapshot
    taken before. A size change rescales every level of the municipality's items; a threshold
    change moves items across the line, which the log counts. Nothing is rewritten silently.
    """
    matrix = RiskMatrix.objects.select_for_update().get(pk=matrix.pk)
    after = snapshot(matrix)
    if after == before:
        return None
    if not MIN_SIZE <= matrix.size <= MAX_SIZE:
        raise RiskError(_("Matrisen må ha fra 3 til 6 nivåer."))
    path = matrix.municipality.path
    rescored = _rescore(path, before.get("size", matrix.size), matrix.size)
    change = RiskMatrixChange.objects.create(
        matrix=matrix, changed_by=actor, before=before, after=after, items_rescored=rescored
    )
    if rescored or before.get("action_threshold") != matrix.action_threshold:
        text = _(
            "Risikomatrisen ble endret (%(old_size)s×%(old_size)s, grense %(old_t)s → "
            "%(size)s×%(size)s, grense %(t)s)."
        ) % {
            "old_size": before.get("size"),
            "old_t": before.get("action_threshold"),
            "size": matrix.size,
            "t": matrix.action_threshold,
        }
        assessments = RiskAssessment.objects.filter(unit__path__startswith=path).values_list(
            "pk", flat=True
        )
        RiskEvent.objects.bulk_create(
            [
                RiskEvent(assessment_id=pk, actor=actor, kind=RiskEvent.Kind.RESCORED, text=text)
                for pk in assessments.iterator()
            ],
            batch_size=2000,
        )
    return change


def update_matrix(
    *, actor, matrix: RiskMatrix, size: int | None = None, action_threshold: int | None = None
) -> RiskMatrixChange | None:
    """Change size and/or threshold programmatically (the admin uses record_matrix_change)."""
    with transaction.atomic():
        matrix = RiskMatrix.objects.select_for_update().get(pk=matrix.pk)
        before = snapshot(matrix)
        if size is not None:
            matrix.size = size
        if action_threshold is not None:
            matrix.action_threshold = action_threshold
        matrix.full_clean()
        matrix.save()
        return record_matrix_change(actor=actor, matrix=matrix, before=before)


# ---------------------------------------------------------------------------------------------
# Review reminders


def send_review_reminders(today: date | None = None) -> int:
    """Remind the unit's leader one month before an active assessment's next review, once.

    The ledger key is (assessment, "risk.review:<date>", 0): a sweep run twice, a duplicate task
    or a restarted worker sends nothing new, and a moved review date gets its own reminder.
    Only assessments not yet reminded for their date are read, so the cost follows what is due;
    in batches of ``SWEEP_BATCH_SIZE``, one transaction each (``qms.reminders.send_due``).
    """
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Exists, OuterRef
    from django.db.models.functions import Concat

    from qms import reminders
    from qms.models import Reminder, User
    from qms.notifications import Message
    from qms.organisation import acting_leaders, routed_work

    today = today or timezone.localdate()
    content_type = ContentType.objects.get_for_model(RiskAssessment)
    already = Reminder.objects.filter(
        content_type=content_type,
        object_id=OuterRef("pk"),
        kind=OuterRef("reminder_kind"),
    )
    due = (
        RiskAssessment.objects.review_due(today)
        .annotate(
            reminder_kind=Concat(
                Value(REVIEW_REMINDER_KIND + ":"), F("next_review"), output_field=_text_field()
            )
        )
        .filter(~Exists(already))
        .select_related("unit")
        .order_by("pk")
    )
    sent = 0
    leader_of = acting_leaders(today)
    for batch in reminders.batches(due):
        planned: list[reminders.Due] = []
        told: dict[int, User] = {}
        for assessment in batch:
            leader = leader_of(assessment.unit)
            if leader is None:
                continue  # nobody to tell yet; a leader appointed later gets the reminder
            kind = f"{REVIEW_REMINDER_KIND}:{assessment.next_review.isoformat()}"
            subject = _("ROS-analysen «%(title)s» skal gjennomgås innen %(date)s") % {
                "title": assessment.title,
                "date": assessment.next_review.strftime("%d.%m.%Y"),
            }
            body = _(
                "ROS-analysen «%(title)s» for %(unit)s skal gjennomgås innen %(date)s. "
                "Lag en ny revisjon og vurder om tiltakene har gitt akseptabel risiko."
            ) % {
                "title": assessment.title,
                "unit": assessment.unit.name,
                "date": assessment.next_review.strftime("%d.%m.%Y"),
            }
            url = assessment.get_absolute_url()
            item = reminders.Due(
                (assessment.pk, kind, 0),
                [Message(leader.user, kind="risk.review_due", subject=subject, body=body, url=url)],
            )
            if work := routed_work(leader, subject, url):
                item.routed.append(work)
            planned.append(item)
            told[assessment.pk] = leader.user
        with transaction.atomic():
            claimed = reminders.send_due(RiskAssessment, planned)
            RiskEvent.objects.bulk_create(
                RiskEvent(
                    assessment_id=object_id,
                    kind=RiskEvent.Kind.REVIEW_REMINDER,
                    text=str(told[object_id]),
                )
                for object_id, _kind, _step in sorted(claimed)
            )
        sent += len(claimed)
    return sent


def _text_field():
    from django.db.models import CharField

    return CharField()


def days_until(day: date | None, today: date | None = None) -> int | None:
    if day is None:
        return None
    return (day - (today or timezone.localdate())).days

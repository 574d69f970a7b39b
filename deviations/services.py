"""Every state change of a deviation or a corrective action: one transaction each.

Each function checks the permission and the source state itself (not only the view), writes an
``Event`` row, and records notifications in the same transaction (e-mails go after commit).
Transitions lock the deviation row (``select_for_update``) so two leaders acting at the same moment
cannot both succeed: the second sees the new state and gets a clear ``TransitionError``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from deviations.escalation import EscalationPolicy, FindingDeadlinePolicy
from deviations.models import (
    AccessLog,
    Attachment,
    Authority,
    Category,
    CorrectiveAction,
    Deviation,
    Event,
    Inspection,
    InspectionFinding,
    YearCounter,
)
from deviations.querysets import handler_candidates, responsible_candidates
from qms import permissions, reminders
from qms.exceptions import StateError
from qms.models import OrgUnit, User
from qms.notifications import Message, notify, notify_many
from qms.organisation import Leader, acting_leader, note_routed, routed_work
from qms.permissions import ADVISOR_GROUP

State = Deviation.State

HANDLING_STATES = (State.UNDER_TREATMENT, State.ACTIONS_IN_PROGRESS)
WAITING_STATES = (State.REPORTED, State.FORWARDED)


class TransitionError(StateError):
    """A change refused because of the object's current state (shown to the user as is)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _require_handler_candidate(deviation: Deviation, handler: User) -> None:
    """Refuse a handler the form would not have offered (the API sends any id it likes)."""
    if not handler_candidates(deviation).filter(pk=handler.pk).exists():
        raise ValidationError(
            {
                "handler": _(
                    "%(name)s kan ikke være saksbehandler for denne saken. Velg en person i "
                    "enhetens sektor eller en leder over den. En sak med personopplysninger gis "
                    "ikke til en kvalitetsrådgiver uten at den er delt med vedkommende."
                )
                % {"name": handler}
            }
        )


def _require(user, obj, action: str) -> None:
    if not permissions.can(user, obj, action):
        raise PermissionDenied(_("Du har ikke tilgang til å gjøre dette."))


def _lock(deviation: Deviation) -> Deviation:
    return Deviation.objects.select_for_update().get(pk=deviation.pk)


def _event(kind: str, *, actor=None, deviation=None, action=None, **fields) -> Event:
    return Event.objects.create(
        kind=kind, actor=actor, deviation=deviation, action=action, **fields
    )


def _tell_reporter(deviation: Deviation, actor, subject: str, body: str = "") -> None:
    """The reporter is told of every state change of their case (the handbooks' promise)."""
    reporter = deviation.reporter
    if reporter is None or not reporter.is_active or reporter == actor:
        return
    notify(
        reporter,
        kind="deviation.state",
        subject=subject,
        body=case_text(deviation, body),
        url=deviation.get_absolute_url(),
    )


def next_number(year: int) -> int:
    """The next sequence number of ``year``: one atomic upsert, no gaps from races."""
    counter, _created = YearCounter.objects.get_or_create(year=year)
    YearCounter.objects.filter(year=year).update(last=F("last") + 1)
    counter.refresh_from_db(fields=["last"])
    return counter.last


def _advisors() -> list[User]:
    group = Group.objects.filter(name=ADVISOR_GROUP).first()
    if group is None:
        return []
    return list(group.user_set.filter(is_active=True))


@dataclass(frozen=True)
class UploadedFile:
    """An uploaded file after validation (see forms.validate_attachment)."""

    file: object
    name: str
    content_type: str
    size: int


def _tell_of_new_report(deviation: Deviation, recipients: list[User]) -> None:
    """The nearest leader (or the advisors) hears of a new report; the title only when the case
    holds no personal data (``case_text``)."""
    title = case_text(deviation, deviation.title)
    subject = (_("Nytt avvik %(number)s: %(title)s") if title else _("Nytt avvik %(number)s")) % {
        "number": deviation.number,
        "title": title,
    }
    body = _("%(kind)s i %(unit)s, alvorlighet %(severity)s. Åpne saken for å behandle den.") % {
        "kind": deviation.get_kind_display(),
        "unit": deviation.unit.name,
        "severity": deviation.severity,
    }
    notify_many(
        recipients,
        kind="deviation.reported",
        subject=subject,
        body=body,
        url=deviation.get_absolute_url(),
    )


@transaction.atomic
def report_deviation(
    *,
    reporter: User | None,
    unit: OrgUnit,
    kind: str,
    title: str,
    description: str,
    occurred_at: datetime,
    severity: int = Deviation.Severity.MINOR,
    place: str = "",
    immediate_action: str = "",
    contains_personal_data: bool = False,
    category: Category | None = None,
    files: Iterable[UploadedFile] = (),
    reporter_name: str = "",
    reporter_contact: str = "",
    via_public_form: bool = False,
    source: str = Deviation.Source.REPORT,
) -> Deviation:
    """Record a new report and route it to the nearest leader (docs/design.md §2, §5).

    ``source`` says where the case came from: a finding of a round, an internal audit or an
    inspection is recorded through this same service (the control activity keeps the link).

    The nearest leader is the leader of the unit where it happened, or of the closest ancestor
    that has one; when no unit above has a leader, the quality advisors are told instead.
    """
    if reporter is None and not via_public_form:
        raise PermissionDenied(_("Du må være innlogget for å melde avvik."))
    if not unit.is_active:
        raise ValidationError({"unit": _("Enheten er ikke lenger aktiv.")})
    if source not in Deviation.Source.values:
        raise ValidationError({"source": _("Ukjent kilde.")})
    if occurred_at > timezone.now() + timedelta(minutes=5):
        raise ValidationError({"occurred_at": _("Tidspunktet kan ikke være i fremtiden.")})
    now = timezone.now()
    year = timezone.localdate(now).year
    sequence = next_number(year)
    leader = acting_leader(unit)
    deviation = Deviation(
        number=f"AV-{year}-{sequence:05d}",
        year=year,
        sequence=sequence,
        kind=kind,
        category=category,
        title=title,
        description=description,
        occurred_at=occurred_at,
        place=place,
        unit=unit,
        severity=severity,
        immediate_action=immediate_action,
        contains_personal_data=contains_personal_data,
        reporter=reporter,
        reporter_name=reporter_name,
        reporter_contact=reporter_contact,
        via_public_form=via_public_form,
        source=source,
        handler=leader.user if leader else None,
        created_at=now,
    )
    deviation.full_clean(exclude=["number", "year", "sequence"])
    deviation.save()
    for upload in files:
        _store_attachment(deviation, upload, reporter)
    _event(
        Event.Kind.REPORTED,
        actor=reporter,
        deviation=deviation,
        to_state=deviation.state,
        text=_("Meldt via åpent skjema") if via_public_form else "",
    )
    _tell_of_new_report(deviation, [leader.user] if leader else _advisors())
    _note_case_routed(leader, deviation)
    return deviation


def _note_case_routed(leader: Leader | None, deviation: Deviation) -> None:
    """A case that went to a deputy (or the leader above) goes on the away leader's list; its
    line carries the number and, unless it holds personal data, the title (``case_text``)."""
    subject = f"{deviation.number} {case_text(deviation, deviation.title)}".strip()
    note_routed(leader, subject, deviation.get_absolute_url())


def _store_attachment(deviation: Deviation, upload: UploadedFile, actor) -> Attachment:
    attachment = Attachment(
        deviation=deviation,
        original_name=upload.name[:200],
        content_type=upload.content_type,
        size=upload.size,
        uploaded_by=actor,
    )
    attachment.file.save(upload.name, upload.file, save=False)
    attachment.save()
    return attachment


@transaction.atomic
def add_attachment(*, actor: User, deviation: Deviation, upload: UploadedFile) -> Attachment:
    """The reporter and the handling leaders may add attachments while the case is open."""
    deviation = _lock(deviation)
    if not (deviation.reporter_id == actor.pk or permissions.can(actor, deviation, "change")):
        _require(actor, deviation, "view")
        raise PermissionDenied(_("Du har ikke tilgang til å gjøre dette."))
    if not deviation.is_open:
        raise TransitionError(_("Saken er avsluttet; vedlegg kan ikke legges til."))
    attachment = _store_attachment(deviation, upload, actor)
    _event(Event.Kind.ATTACHMENT, actor=actor, deviation=deviation, text=attachment.original_name)
    return attachment


@transaction.atomic
def add_comment(*, actor: User, deviation: Deviation, text: str) -> Event:
    """Everyone who can see the case may comment on it; the comment is part of the history."""
    _require(actor, deviation, "view")
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Skriv en kommentar.")})
    event = _event(Event.Kind.COMMENT, actor=actor, deviation=deviation, text=text)
    recipients = [u for u in (deviation.reporter, deviation.handler) if u and u != actor]
    notify_many(
        recipients,
        kind="deviation.comment",
        subject=_("Ny kommentar på %(number)s") % {"number": deviation.number},
        body=case_text(deviation, text[:500]),
        url=deviation.get_absolute_url(),
    )
    return event


def _change_state(deviation: Deviation, actor, kind: str, to_state: str, **event_fields) -> None:
    from_state = deviation.state
    deviation.state = to_state
    deviation.save()
    _event(
        kind,
        actor=actor,
        deviation=deviation,
        from_state=from_state,
        to_state=to_state,
        **event_fields,
    )


@transaction.atomic
def start_treatment(*, actor: User, deviation: Deviation, handler: User | None = None) -> Deviation:
    """A leader takes a reported (or forwarded) case on, as handler or naming one."""
    deviation = _lock(deviation)
    _require(actor, deviation, "change")
    if deviation.state not in WAITING_STATES:
        raise TransitionError(
            _("Saken kan ikke tas til behandling når den er «%(state)s».")
            % {"state": deviation.get_state_display()}
        )
    if handler is not None:
        _require_handler_candidate(deviation, handler)
    handler = handler or actor
    deviation.handler = handler
    _change_state(deviation, actor, Event.Kind.STARTED, State.UNDER_TREATMENT, text=str(handler))
    if handler != actor:
        _notify_handler(deviation, handler)
    _tell_reporter(
        deviation,
        actor,
        _("Ditt avvik %(number)s er tatt til behandling") % {"number": deviation.number},
    )
    return deviation


def _notify_handler(deviation: Deviation, handler: User) -> None:
    notify(
        handler,
        kind="deviation.assigned",
        subject=_("Du er saksbehandler for %(number)s") % {"number": deviation.number},
        body=case_text(deviation, deviation.title),
        url=deviation.get_absolute_url(),
    )


@transaction.atomic
def assign_handler(*, actor: User, deviation: Deviation, handler: User) -> Deviation:
    """Name the case handler; a waiting case is thereby taken on."""
    deviation = _lock(deviation)
    _require(actor, deviation, "change")
    if not deviation.is_open:
        raise TransitionError(_("Saken er avsluttet."))
    _require_handler_candidate(deviation, handler)
    previous = deviation.handler
    deviation.handler = handler
    if deviation.state in WAITING_STATES:
        _change_state(
            deviation, actor, Event.Kind.ASSIGNED, State.UNDER_TREATMENT, text=str(handler)
        )
        _tell_reporter(
            deviation,
            actor,
            _("Ditt avvik %(number)s er tatt til behandling") % {"number": deviation.number},
        )
    else:
        deviation.save()
        _event(
            Event.Kind.ASSIGNED,
            actor=actor,
            deviation=deviation,
            text=str(handler),
            changes={"handler": [previous.pk if previous else None, handler.pk]},
        )
    if handler != actor:
        _notify_handler(deviation, handler)
    return deviation


@transaction.atomic
def classify_deviation(
    *,
    actor: User,
    deviation: Deviation,
    cause_class: str,
    cause_analysis: str,
    category: Category | None = None,
) -> Deviation:
    """Cause class and analysis are written while the case is being handled."""
    deviation = _lock(deviation)
    _require(actor, deviation, "change")
    if deviation.state not in HANDLING_STATES:
        raise TransitionError(_("Årsak kan bare registreres mens saken er under behandling."))
    if cause_class not in Deviation.CauseClass.values:
        raise ValidationError({"cause_class": _("Velg en årsaksklasse.")})
    changes = {}
    for field, value in (
        ("cause_class", cause_class),
        ("cause_analysis", cause_analysis),
        ("category_id", category.pk if category else deviation.category_id),
    ):
        if getattr(deviation, field) != value:
            changes[field] = [getattr(deviation, field), value]
            setattr(deviation, field, value)
    deviation.save()
    _event(Event.Kind.CLASSIFIED, actor=actor, deviation=deviation, changes=changes)
    return deviation


def _validate_action(
    unit: OrgUnit, deviation: Deviation | None, responsible: User, deadline: date, description: str
) -> None:
    errors = {}
    if not description.strip():
        errors["description"] = _("Beskriv tiltaket.")
    if responsible is None or not responsible.is_active:
        errors["responsible"] = _("Velg en aktiv ansvarlig.")
    elif not responsible_candidates(unit, deviation).filter(pk=responsible.pk).exists():
        errors["responsible"] = _(
            "%(name)s kan ikke være ansvarlig for dette tiltaket. Velg en person i enhetens "
            "sektor eller en leder over den. En sak med personopplysninger gis ikke til en "
            "kvalitetsrådgiver uten at den er delt med vedkommende."
        ) % {"name": responsible}
    if deadline < timezone.localdate():
        errors["deadline"] = _("Fristen kan ikke være tilbake i tid.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_action(
    *,
    actor: User,
    unit: OrgUnit,
    description: str,
    responsible: User,
    deadline: date,
    deviation: Deviation | None = None,
    source=None,
) -> CorrectiveAction:
    """Create a corrective action with a responsible and a deadline.

    On a deviation: the handling leaders add it while the case is open, and the case moves to
    "actions in progress". For another module's object (``source``, e.g. the assessment of a
    risk measure) or for none, the create rule decides (deviations.permissions.
    action_create_units): whoever may change the source, in its unit; else the unit's leaders.
    """
    if deviation is not None:
        deviation = _lock(deviation)
        source = deviation
    if not permissions.can_create(actor, CorrectiveAction, unit, source=source):
        raise PermissionDenied(_("Du har ikke tilgang til å gjøre dette."))
    if deviation is not None and not deviation.is_open:
        raise TransitionError(
            _("Tiltak kan ikke legges til når saken er «%(state)s».")
            % {"state": deviation.get_state_display()}
        )
    _validate_action(unit, deviation, responsible, deadline, description)
    action = CorrectiveAction.objects.create(
        deviation=deviation,
        unit=unit,
        description=description.strip(),
        responsible=responsible,
        deadline=deadline,
        created_by=actor,
    )
    _event(
        Event.Kind.ACTION_ADDED,
        actor=actor,
        deviation=deviation,
        action=action,
        text=action.description[:500],
    )
    if deviation is not None:
        if deviation.handler_id is None:
            deviation.handler = actor
        if deviation.state != State.ACTIONS_IN_PROGRESS:
            _change_state(
                deviation, actor, Event.Kind.EDITED, State.ACTIONS_IN_PROGRESS, action=action
            )
            _tell_reporter(
                deviation,
                actor,
                _("Tiltak er satt i gang for ditt avvik %(number)s") % {"number": deviation.number},
            )
    if responsible != actor:
        notify(
            responsible,
            kind="action.assigned",
            subject=_("Nytt tiltak til deg, frist %(deadline)s")
            % {"deadline": deadline.strftime("%d.%m.%Y")},
            body=case_text(deviation, action.description[:500]),
            url=action.get_absolute_url(),
        )
    return action


def _lock_action(action: CorrectiveAction) -> CorrectiveAction:
    return (
        CorrectiveAction.objects.select_for_update(of=("self",))
        .select_related("deviation")
        .get(pk=action.pk)
    )


@transaction.atomic
def complete_action(*, actor: User, action: CorrectiveAction, note: str = "") -> CorrectiveAction:
    """The responsible (or a leader) marks the action done; reminders stop from here."""
    action = _lock_action(action)
    _require(actor, action, "complete")
    if action.done_at is not None:
        raise TransitionError(_("Tiltaket er allerede markert som utført."))
    if action.deviation is not None and not action.deviation.is_open:
        raise TransitionError(_("Saken er avsluttet."))
    action.done_at = timezone.now()
    action.done_by = actor
    action.done_note = note.strip()
    action.save()
    _event(
        Event.Kind.ACTION_DONE,
        actor=actor,
        deviation=action.deviation,
        action=action,
        text=action.done_note,
    )
    acting = acting_leader(action.unit)
    owners = [acting.user] if acting else []
    if action.deviation is not None and action.deviation.handler is not None:
        owners = [action.deviation.handler]
    notify_many(
        [u for u in owners if u != actor],
        kind="action.done",
        subject=_("Tiltak utført: %(text)s")
        % {"text": case_text(action.deviation, action.description[:80]) or action.deviation.number},
        body=_("Vurder effekten av tiltaket."),
        url=action.get_absolute_url(),
    )
    return action


@transaction.atomic
def evaluate_action_effect(
    *, actor: User, action: CorrectiveAction, effect: str, note: str = ""
) -> CorrectiveAction:
    """A leader evaluates the effect of a done action (needed before the case can close)."""
    action = _lock_action(action)
    _require(actor, action, "evaluate")
    if action.done_at is None:
        raise TransitionError(_("Effekten kan først vurderes når tiltaket er utført."))
    if action.effect_evaluated_at is not None:
        raise TransitionError(_("Effekten av tiltaket er allerede vurdert."))
    if effect not in CorrectiveAction.Effect.values:
        raise ValidationError({"effect": _("Velg om tiltaket virket.")})
    action.effect = effect
    action.effect_note = note.strip()
    action.effect_evaluated_at = timezone.now()
    action.effect_evaluated_by = actor
    action.save()
    _event(
        Event.Kind.ACTION_EVALUATED,
        actor=actor,
        deviation=action.deviation,
        action=action,
        text=f"{action.get_effect_display()}: {action.effect_note}".strip(": "),
    )
    return action


@transaction.atomic
def forward_deviation(
    *, actor: User, deviation: Deviation, unit: OrgUnit, reason: str
) -> Deviation:
    """Move the case to another unit, with a reason; its nearest leader becomes the handler."""
    deviation = _lock(deviation)
    _require(actor, deviation, "change")
    if deviation.state not in (*WAITING_STATES, State.UNDER_TREATMENT):
        raise TransitionError(
            _("Saken kan ikke videresendes når den er «%(state)s».")
            % {"state": deviation.get_state_display()}
        )
    if not reason.strip():
        raise ValidationError({"reason": _("Skriv hvorfor saken videresendes.")})
    if unit.pk == deviation.unit_id:
        raise ValidationError({"unit": _("Velg en annen enhet enn den saken ligger i nå.")})
    if not unit.is_active:
        raise ValidationError({"unit": _("Enheten er ikke lenger aktiv.")})
    previous_unit = deviation.unit
    leader = acting_leader(unit)
    deviation.unit = unit
    deviation.handler = leader.user if leader else None
    deviation.state_reason = reason.strip()
    _change_state(
        deviation,
        actor,
        Event.Kind.FORWARDED,
        State.FORWARDED,
        text=reason.strip(),
        changes={"unit": [previous_unit.pk, unit.pk]},
    )
    recipients = [leader.user] if leader else _advisors()
    _note_case_routed(leader, deviation)
    notify_many(
        [u for u in recipients if u != actor],
        kind="deviation.forwarded",
        subject=_("Avvik %(number)s er videresendt til %(unit)s")
        % {"number": deviation.number, "unit": unit.name},
        body=case_text(deviation, reason.strip()),
        url=deviation.get_absolute_url(),
    )
    _tell_reporter(
        deviation,
        actor,
        _("Ditt avvik %(number)s er videresendt til %(unit)s")
        % {"number": deviation.number, "unit": unit.name},
        reason.strip(),
    )
    return deviation


@transaction.atomic
def reject_deviation(*, actor: User, deviation: Deviation, reason: str) -> Deviation:
    """Not a deviation: closed without actions, with a reason the reporter is told."""
    deviation = _lock(deviation)
    _require(actor, deviation, "change")
    if deviation.state not in (*WAITING_STATES, State.UNDER_TREATMENT):
        raise TransitionError(
            _("Saken kan ikke avvises når den er «%(state)s».")
            % {"state": deviation.get_state_display()}
        )
    if not reason.strip():
        raise ValidationError({"reason": _("Skriv hvorfor saken avvises.")})
    deviation.state_reason = reason.strip()
    deviation.closed_at = timezone.now()
    _change_state(deviation, actor, Event.Kind.REJECTED, State.REJECTED, text=reason.strip())
    _tell_reporter(
        deviation,
        actor,
        _("Ditt avvik %(number)s er avvist") % {"number": deviation.number},
        reason.strip(),
    )
    return deviation


def closing_problems(
    deviation: Deviation, actions: Iterable[CorrectiveAction] | None = None
) -> list[str]:
    """Why the case cannot be closed now (empty when it can): the handbooks' closing rule, that
    a case is closed while being handled and only when every action is done and its effect
    evaluated. ``actions`` saves the query when the caller has them. The case page shows these
    reasons and :func:`close_deviation` refuses with them."""
    if deviation.state == State.CLOSED:
        return [_("Saken er allerede lukket (av en annen, eller i en annen fane).")]
    problems = []
    if deviation.state not in HANDLING_STATES:
        problems.append(
            _("Saken kan ikke lukkes når den er «%(state)s».")
            % {"state": deviation.get_state_display()}
        )
    actions = list(deviation.actions.all() if actions is None else actions)
    if any(a.done_at is None for a in actions):
        problems.append(_("Alle tiltak må være utført før saken kan lukkes."))
    if any(a.done_at is not None and a.effect_evaluated_at is None for a in actions):
        problems.append(_("Effekten av alle tiltak må være vurdert før saken kan lukkes."))
    return problems


@transaction.atomic
def close_deviation(*, actor: User, deviation: Deviation, note: str = "") -> Deviation:
    """Close a case when :func:`closing_problems` finds none. A case without actions needs a
    closing note saying why."""
    deviation = _lock(deviation)
    _require(actor, deviation, "change")
    actions = list(deviation.actions.all())
    problems = closing_problems(deviation, actions)
    if problems:
        raise TransitionError(" ".join(problems))
    if not actions and not note.strip():
        raise ValidationError(
            {"note": _("Saken har ingen tiltak: skriv hvorfor den kan lukkes likevel.")}
        )
    deviation.closing_note = note.strip()
    deviation.closed_at = timezone.now()
    _change_state(deviation, actor, Event.Kind.CLOSED, State.CLOSED, text=note.strip())
    _tell_reporter(
        deviation,
        actor,
        _("Ditt avvik %(number)s er lukket") % {"number": deviation.number},
        note.strip(),
    )
    return deviation


@transaction.atomic
def link_document(*, actor: User, deviation: Deviation, document) -> None:
    """Link a procedure the case concerns; only documents the actor may read can be linked."""
    _require(actor, deviation, "change")
    if not permissions.can(actor, document, "view"):
        raise ValidationError({"document": _("Fant ikke dokumentet.")})
    if deviation.documents.filter(pk=document.pk).exists():
        return
    deviation.documents.add(document)
    _event(
        Event.Kind.EDITED,
        actor=actor,
        deviation=deviation,
        text=_("Koblet til %(number)s %(title)s")
        % {"number": document.number, "title": document.title},
        changes={"documents": {"add": document.pk}},
    )


@transaction.atomic
def unlink_document(*, actor: User, deviation: Deviation, document) -> None:
    _require(actor, deviation, "change")
    deviation.documents.remove(document)
    _event(
        Event.Kind.EDITED,
        actor=actor,
        deviation=deviation,
        text=_("Kobling til %(number)s fjernet") % {"number": document.number},
        changes={"documents": {"remove": document.pk}},
    )


@transaction.atomic
def share_deviation(*, actor: User, deviation: Deviation, user: User) -> None:
    """Share one case with a named person (e.g. the HSE advisor) through a guardian grant."""
    _require(actor, deviation, "share")
    if not user.is_active:
        raise ValidationError({"user": _("Brukeren er ikke aktiv.")})
    assign_perm("view_deviation", user, deviation)
    _event(Event.Kind.SHARED, actor=actor, deviation=deviation, text=str(user))
    notify(
        user,
        kind="deviation.shared",
        subject=_("Avvik %(number)s er delt med deg") % {"number": deviation.number},
        body=case_text(deviation, deviation.title),
        url=deviation.get_absolute_url(),
    )


@transaction.atomic
def unshare_deviation(*, actor: User, deviation: Deviation, user: User) -> None:
    _require(actor, deviation, "share")
    remove_perm("view_deviation", user, deviation)
    _event(Event.Kind.UNSHARED, actor=actor, deviation=deviation, text=str(user))


def shared_with(deviation: Deviation) -> list[User]:
    from deviations.models import DeviationUserObjectPermission

    return [
        row.user
        for row in DeviationUserObjectPermission.objects.filter(
            content_object=deviation, permission__codename="view_deviation"
        ).select_related("user")
    ]


def _log_access(deviation: Deviation | None, user: User, channel: str) -> None:
    if deviation is not None and deviation.contains_personal_data:
        AccessLog.objects.create(deviation=deviation, user=user, channel=channel)


def fetch_for(
    user: User, pk: int | str, action: str = "view", channel: str = "web", queryset=None
) -> Deviation:
    """Load one deviation for ``user`` through the permission layer, and log the read.

    Every view of a case that contains personal data is written to the access log (docs/design.md
    §3), whatever the door: the case page and its forms, the attachments, the API detail, its
    transitions and nested actions, the admin. This is the one place that writes that row, so
    every channel that returns the case's content loads it here. 404 when invisible, 403 when
    visible but ``action`` is denied (``permissions.get_object_or_404``).
    """
    queryset = Deviation.objects.all() if queryset is None else queryset
    deviation = permissions.get_object_or_404(user, queryset, action, pk=pk)
    _log_access(deviation, user, channel)
    return deviation


def fetch_action_for(
    user: User, pk: int | str, action: str = "view", channel: str = "web", queryset=None
) -> CorrectiveAction:
    """Load one corrective action for ``user``; an action of a personal-data case is part of
    that case's content, so its read is logged against the case like :func:`fetch_for`."""
    queryset = CorrectiveAction.objects.all() if queryset is None else queryset
    found = permissions.get_object_or_404(user, queryset.select_related("deviation"), action, pk=pk)
    _log_access(found.deviation, user, channel)
    return found


def case_text(deviation: Deviation | None, text: str) -> str:
    """The case text a notification may carry: none of a personal-data case.

    A notification (and its e-mail) is read outside the access log, so for such a case it
    carries the case number and a link only; the text is read on the logged case page.
    """
    if deviation is not None and deviation.contains_personal_data:
        return ""
    return text


# --- Escalation --------------------------------------------------------------------------


def escalate_action(
    action_id: int,
    today: date,
    policy: EscalationPolicy,
    chains: dict[int, list[Leader]] | None = None,
) -> int:
    """Send every step now due for one action, each exactly once; returns steps sent
    (:func:`escalate_actions` for one)."""
    return escalate_actions([action_id], today, policy, chains)


def escalate_actions(
    action_ids: list[int],
    today: date,
    policy: EscalationPolicy,
    chains: dict[int, list[Leader]] | None = None,
) -> int:
    """Send every step now due for a batch of actions, each exactly once; returns steps sent.

    One transaction per batch: the rows are locked in primary-key order (skipping those another
    worker holds), the ledger rows claimed in one statement, the notifications, events and step
    counters written in bulk, all together. A worker killed in between rolls the whole batch
    back, so the next run does it again, once. ``chains`` memoises each unit's acting leader
    chain for the sweep (:meth:`EscalationPolicy.assignee`).
    """
    chains = {} if chains is None else chains
    with transaction.atomic():
        actions = list(
            CorrectiveAction.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("responsible", "unit", "deviation")
            .filter(pk__in=action_ids)
            .order_by("pk")
        )
        due: list[tuple[CorrectiveAction, int]] = []
        moved: dict[int, list[int]] = {}  # new step counter -> actions
        for action in actions:
            start = action.escalation_step
            while (step := policy.due_step(action, today)) is not None:
                due.append((action, step))
                action.escalation_step = step + 1
            if action.escalation_step != start:
                moved.setdefault(action.escalation_step, []).append(action.pk)
        if not due:
            return 0
        # Who hears of each step, decided before the claim (each unit's chain once per sweep).
        planned: list[reminders.Due] = []
        assignees: dict[reminders.Key, Leader | None] = {}
        for action, step in due:
            key = (action.pk, "action.overdue", step)
            assignee = assignees[key] = policy.assignee(action, step, chains, today)
            planned.append(reminders.Due(key))
            if assignee is None:
                continue
            subject = _overdue_subject(action, step)
            url = action.get_absolute_url()
            planned[-1].messages.append(
                Message(
                    assignee.user,
                    kind="action.overdue" if step == 0 else "action.escalated",
                    subject=subject,
                    body=case_text(action.deviation, action.description[:500]),
                    url=url,
                )
            )
            if work := routed_work(assignee, subject, url):
                planned[-1].routed.append(work)
        # A step already in the ledger (the counter lagged behind) is never sent twice.
        sent = reminders.send_due(CorrectiveAction, planned)
        events = []
        for action, step in due:
            key = (action.pk, "action.overdue", step)
            if key not in sent:
                continue
            assignee = assignees[key]
            events.append(
                Event(
                    kind=Event.Kind.REMINDED if step == 0 else Event.Kind.ESCALATED,
                    deviation=action.deviation,
                    action=action,
                    text=str(assignee.user) if assignee else _("ingen mottaker"),
                    changes={"step": step},
                )
            )
        Event.objects.bulk_create(events)
        for new_step, pks in moved.items():
            CorrectiveAction.objects.filter(pk__in=pks).update(escalation_step=new_step)
    return len(sent)


def _overdue_subject(action: CorrectiveAction, step: int) -> str:
    """The step is in the subject: when the leader chain runs out, one leader gets two steps of
    one action, on the same day after a catch-up, and must tell the two e-mails apart."""
    deadline = action.deadline.strftime("%d.%m.%Y")
    if step == 0:
        return _("Tiltak har passert fristen (%(deadline)s)") % {"deadline": deadline}
    return _("Eskalert, trinn %(step)s: tiltak for %(name)s har passert fristen (%(deadline)s)") % {
        "step": step,
        "name": action.responsible,
        "deadline": deadline,
    }


def escalate_overdue_actions(today: date | None = None, batch: int | None = None) -> int:
    """The sweep: every action with a step due, from every module. Cost grows with what is due,
    in batches of ``batch`` actions (``SWEEP_BATCH_SIZE``), one transaction each.

    Beat is only a tick; what is due is derived from the deadline and the step counter, so a
    sweep after days of downtime catches up, and each step is sent exactly once.
    """
    today = today or timezone.localdate()
    policy = EscalationPolicy.from_settings()
    sent = 0
    chains: dict[int, list[Leader]] = {}  # acting leader chains by unit, for this sweep
    due = CorrectiveAction.objects.escalation_due(today, policy).values_list("pk", flat=True)
    for action_ids in reminders.batches(due, batch):
        sent += escalate_actions(action_ids, today, policy, chains)
    return sent


# --- Inspections (tilsyn) ----------------------------------------------------------------


def _lock_inspection(inspection: Inspection) -> Inspection:
    return Inspection.objects.select_for_update().get(pk=inspection.pk)


def _lock_finding(finding: InspectionFinding) -> InspectionFinding:
    return (
        InspectionFinding.objects.select_for_update(of=("self",))
        .select_related("deviation", "inspection")
        .get(pk=finding.pk)
    )


def _store_report(inspection: Inspection, upload: UploadedFile) -> None:
    inspection.report.save(upload.name, upload.file, save=False)
    inspection.report_name = upload.name[:200]
    inspection.report_content_type = upload.content_type


def _validate_inspection_dates(
    opened_on: date | None, visit_on: date | None, report_received_on: date | None
) -> None:
    errors = {}
    today = timezone.localdate()
    if opened_on and visit_on and visit_on < opened_on:
        errors["visit_on"] = _("Tilsynsbesøket kan ikke være før tilsynet ble åpnet.")
    if report_received_on and report_received_on > today:
        errors["report_received_on"] = _("Rapporten kan ikke være mottatt i fremtiden.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def record_inspection(
    *,
    actor: User,
    authority: Authority,
    theme: str,
    unit: OrgUnit,
    units: Iterable[OrgUnit] = (),
    opened_on: date | None = None,
    visit_on: date | None = None,
    report_received_on: date | None = None,
    status: str = Inspection.Status.PLANNED,
    report: UploadedFile | None = None,
    notes: str = "",
) -> Inspection:
    """Record an inspection by an authority. The leaders of the responsible unit (or above),
    quality advisors and administrators may (deviations.permissions.inspection_create_units).
    A report given with it moves a planned or ongoing inspection to "report received"."""
    if not permissions.can_create(actor, Inspection, unit):
        raise PermissionDenied(_("Du har ikke tilgang til å registrere tilsyn for denne enheten."))
    errors = {}
    if not theme.strip():
        errors["theme"] = _("Skriv hva tilsynet gjelder.")
    if not authority.is_active:
        errors["authority"] = _("Tilsynsmyndigheten er ikke lenger i bruk.")
    if status not in Inspection.Status.values:
        errors["status"] = _("Ukjent status.")
    if errors:
        raise ValidationError(errors)
    _validate_inspection_dates(opened_on, visit_on, report_received_on)
    inspection = Inspection(
        authority=authority,
        theme=theme.strip(),
        unit=unit,
        opened_on=opened_on,
        visit_on=visit_on,
        report_received_on=report_received_on,
        status=status,
        notes=notes.strip(),
        created_by=actor,
    )
    if report is not None:
        _store_report(inspection, report)
        inspection.report_received_on = report_received_on or timezone.localdate()
    if inspection.report_received_on and status in (
        Inspection.Status.PLANNED,
        Inspection.Status.ONGOING,
    ):
        inspection.status = Inspection.Status.REPORT_RECEIVED
    inspection.save()
    inspection.units.set([u for u in units if u.pk != unit.pk])
    return inspection


@transaction.atomic
def attach_inspection_report(
    *, actor: User, inspection: Inspection, upload: UploadedFile, received_on: date | None = None
) -> Inspection:
    """The authority's report arrives: kept with the inspection (replacing an earlier one)."""
    inspection = _lock_inspection(inspection)
    _require(actor, inspection, "change")
    _validate_inspection_dates(None, None, received_on)
    _store_report(inspection, upload)
    inspection.report_received_on = received_on or timezone.localdate()
    if inspection.status in (Inspection.Status.PLANNED, Inspection.Status.ONGOING):
        inspection.status = Inspection.Status.REPORT_RECEIVED
    inspection.save()
    return inspection


@transaction.atomic
def set_inspection_status(*, actor: User, inspection: Inspection, status: str) -> Inspection:
    """Move the inspection along; it is closed only when every finding is confirmed closed."""
    inspection = _lock_inspection(inspection)
    _require(actor, inspection, "change")
    if status not in Inspection.Status.values:
        raise ValidationError({"status": _("Ukjent status.")})
    if status == Inspection.Status.CLOSED and inspection.findings.open().exists():
        raise TransitionError(
            _("Tilsynet kan avsluttes først når tilsynsmyndigheten har lukket alle funnene.")
        )
    inspection.status = status
    inspection.save(update_fields=["status"])
    return inspection


@transaction.atomic
def add_finding(
    *,
    actor: User,
    inspection: Inspection,
    unit: OrgUnit,
    kind: str,
    title: str,
    description: str = "",
    deadline: date | None = None,
    severity: int = Deviation.Severity.MODERATE,
) -> InspectionFinding:
    """Record a finding of the inspection and report it as a deviation (source: inspection) in
    ``unit``, handled by its nearest leader like any case (``report_deviation``): its actions,
    escalation and closing rules are the ones that already hold."""
    inspection = _lock_inspection(inspection)
    if not permissions.can_create(actor, InspectionFinding, unit, source=inspection):
        _require(actor, inspection, "change")
        raise ValidationError({"unit": _("Velg tilsynets ansvarlige enhet eller en av enhetene.")})
    if inspection.status == Inspection.Status.CLOSED:
        raise TransitionError(_("Tilsynet er avsluttet; funn kan ikke legges til."))
    errors = {}
    if kind not in InspectionFinding.Kind.values:
        errors["kind"] = _("Velg type funn.")
    if not title.strip():
        errors["title"] = _("Skriv funnet slik tilsynet formulerte det.")
    if errors:
        raise ValidationError(errors)
    kind_label = InspectionFinding.Kind(kind).label
    deviation = report_deviation(
        reporter=actor,
        unit=unit,
        kind=Deviation.Kind.DEVIATION,
        title=title.strip()[:200],
        description=description.strip()
        or _("%(kind)s fra %(authority)s: %(title)s")
        % {"kind": kind_label, "authority": inspection.authority.name, "title": title.strip()},
        occurred_at=timezone.now(),
        severity=severity,
        source=Deviation.Source.INSPECTION,
    )
    return InspectionFinding.objects.create(
        inspection=inspection,
        deviation=deviation,
        kind=kind,
        title=title.strip()[:200],
        deadline=deadline,
    )


@transaction.atomic
def reply_to_finding(*, actor: User, finding: InspectionFinding, reply: str) -> InspectionFinding:
    """Record the municipality's reply and plan as sent to the authority; the deadline
    reminders stop here (the deadline is the municipality's, to answer by)."""
    finding = _lock_finding(finding)
    _require(actor, finding, "change")
    if finding.confirmed_closed_at is not None:
        raise TransitionError(_("Funnet er lukket av tilsynet."))
    if not reply.strip():
        raise ValidationError({"reply": _("Skriv kommunens svar og plan.")})
    finding.reply = reply.strip()
    finding.replied_at = timezone.now()
    finding.save(update_fields=["reply", "replied_at"])
    _event(
        Event.Kind.INSPECTION_REPLY, actor=actor, deviation=finding.deviation, text=finding.reply
    )
    return finding


def confirmation_problems(finding: InspectionFinding, actor: User) -> list[str]:
    """Why the authority's confirmation cannot be recorded now (empty when it can).

    The municipality must have replied. The finding's case must be closed by the case's own
    rule: if it is still open, it is closed here through :func:`close_deviation`, so
    :func:`closing_problems` (every action done and evaluated, the case taken on) must find none
    and the actor must be allowed to handle the case.
    """
    if finding.confirmed_closed_at is not None:
        return [_("Funnet er allerede lukket av tilsynet.")]
    problems = []
    if finding.replied_at is None:
        problems.append(_("Registrer kommunens svar før tilsynets lukking."))
    case = finding.deviation
    if case.is_open:
        problems.extend(closing_problems(case))
        if not permissions.can(actor, case, "change"):
            problems.append(
                _("Saken %(number)s må lukkes av saksbehandleren eller en leder for enheten.")
                % {"number": case.number}
            )
    return problems


@transaction.atomic
def confirm_finding_closed(
    *, actor: User, finding: InspectionFinding, note: str = ""
) -> InspectionFinding:
    """The authority has confirmed the finding closed: record it and close the finding's case
    through :func:`close_deviation` when it is still open (see :func:`confirmation_problems`).
    When every finding of a reported inspection is closed, the inspection is closed too."""
    finding = _lock_finding(finding)
    _require(actor, finding, "change")
    problems = confirmation_problems(finding, actor)
    if problems:
        raise TransitionError(" ".join(problems))
    if finding.deviation.is_open:
        close_deviation(
            actor=actor,
            deviation=finding.deviation,
            note=note.strip() or _("Lukket etter at tilsynsmyndigheten bekreftet lukking."),
        )
    finding.confirmed_closed_at = timezone.now()
    finding.confirmed_by = actor
    finding.save(update_fields=["confirmed_closed_at", "confirmed_by"])
    _event(
        Event.Kind.INSPECTION_CLOSED,
        actor=actor,
        deviation=finding.deviation,
        text=note.strip(),
    )
    inspection = _lock_inspection(finding.inspection)
    if (
        inspection.status == Inspection.Status.REPORT_RECEIVED
        and not inspection.findings.open().exists()
    ):
        inspection.status = Inspection.Status.CLOSED
        inspection.save(update_fields=["status"])
    return finding


def _finding_subject(finding: InspectionFinding, step: int) -> str:
    values = {
        "authority": finding.inspection.authority.name,
        "deadline": finding.deadline.strftime("%d.%m.%Y"),
        "title": finding.title[:80],
    }
    if step == 0:
        return _("Frist fra %(authority)s %(deadline)s nærmer seg: %(title)s") % values
    return _("Eskalert: fristen fra %(authority)s (%(deadline)s) er passert: %(title)s") % values


def remind_finding(
    finding_id: int,
    today: date,
    policy: FindingDeadlinePolicy,
    chains: dict[int, list[Leader]] | None = None,
) -> int:
    """Send the step now due for one finding, exactly once; returns steps sent (0 or 1).

    As :func:`escalate_action`: the row locked (skipping one another worker holds), the ledger
    row claimed, the notification recorded and the step counter moved in one transaction.
    """
    with transaction.atomic():
        finding = (
            InspectionFinding.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("inspection__unit", "inspection__authority", "deviation")
            .filter(pk=finding_id)
            .first()
        )
        if finding is None:
            return 0
        step = policy.due_step(finding, today)
        if step is None:
            return 0
        InspectionFinding.objects.filter(pk=finding.pk).update(reminder_step=step + 1)
        claim = reminders.claim(finding, "inspection.deadline", step)
        if claim is None:
            return 0  # sent before (the counter lagged behind); never twice
        assignee = policy.assignee(finding.inspection.unit, step, chains, today)
        recipient = assignee.user if assignee else None
        if recipient is not None:
            subject = _finding_subject(finding, step)
            notification = notify(
                recipient,
                kind="inspection.deadline" if step == 0 else "inspection.escalated",
                subject=subject,
                body=_("Tilsyn: %(theme)s. Registrer kommunens svar når det er sendt.")
                % {"theme": finding.inspection.theme},
                url=finding.get_absolute_url(),
            )
            reminders.attach(claim, notification)
            note_routed(assignee, subject, finding.get_absolute_url())
        _event(
            Event.Kind.REMINDED if step == 0 else Event.Kind.ESCALATED,
            deviation=finding.deviation,
            text=str(recipient) if recipient else _("ingen mottaker"),
            changes={"inspection_step": step},
        )
    return 1


def remind_finding_deadlines(today: date | None = None, batch: int = 500) -> int:
    """The sweep: every inspection finding with a deadline reminder due, in keyset batches.
    Cost grows with what is due; a sweep after days of downtime sends the latest step once."""
    today = today or timezone.localdate()
    policy = FindingDeadlinePolicy.from_settings()
    chains: dict[int, list[Leader]] = {}
    due = InspectionFinding.objects.reminder_due(today, policy).values_list("pk", flat=True)
    return sum(remind_finding(pk, today, policy, chains) for pk in reminders.in_batches(due, batch))

"""Deviations, corrective actions and their history (docs/design.md §5).

A deviation (avvik) is reported by anyone, handled by the nearest leader of the unit where it
happened, and closed when every corrective action (tiltak) is done and its effect evaluated.
``CorrectiveAction`` is also the action model of other modules (risk measures): its
``deviation`` is then empty and ``unit`` says whose leaders own it.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from deviations.escalation import FINDING_STEP_COUNT as FINDING_STEPS
from deviations.escalation import STEP_COUNT as ESCALATION_STEPS
from deviations.querysets import (
    ActionQuerySet,
    DeviationQuerySet,
    FindingQuerySet,
    InspectionQuerySet,
)
from qms.models import OrgUnit


class Category(models.Model):
    """A configurable category (HMS, informasjonssikkerhet, ...), kept by quality advisors."""

    name = models.CharField(_("navn"), max_length=100, unique=True)
    description = models.CharField(_("beskrivelse"), max_length=300, blank=True)
    is_active = models.BooleanField(_("aktiv"), default=True)
    order = models.PositiveSmallIntegerField(_("rekkefølge"), default=0)
    is_hms = models.BooleanField(
        _("HMS"),
        default=False,
        help_text=_("Saker i kategorien ses av verneombud og telles i HMS-statistikken."),
    )

    class Meta:
        verbose_name = _("kategori")
        verbose_name_plural = _("kategorier")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Deviation(models.Model):
    class Kind(models.TextChoices):
        # One kind of report, not the module ("Avvik" in the menu): English "Deviation".
        DEVIATION = "deviation", pgettext_lazy("kind of report", "Avvik")
        ADVERSE_EVENT = "adverse_event", _("Uønsket hendelse")
        INJURY = "injury", _("Skade eller nestenulykke")
        IMPROVEMENT = "improvement", _("Forbedringsforslag")

    class State(models.TextChoices):
        REPORTED = "reported", _("Meldt")
        UNDER_TREATMENT = "under_treatment", _("Under behandling")
        ACTIONS_IN_PROGRESS = "actions_in_progress", _("Tiltak pågår")
        CLOSED = "closed", _("Lukket")
        REJECTED = "rejected", _("Avvist")
        FORWARDED = "forwarded", _("Videresendt")

    class CauseClass(models.TextChoices):
        SYSTEM = "system", _("System")
        PROCEDURE = "procedure", _("Rutine")
        HUMAN = "human", _("Menneskelig")
        EXTERNAL = "external", _("Ytre forhold")

    class Source(models.TextChoices):
        """Where the case came from: a report, or a finding of a control activity."""

        REPORT = "report", _("Melding")
        ROUND = "round", _("Runde med sjekkliste")
        INTERNAL_AUDIT = "internal_audit", _("Intern revisjon")
        INSPECTION = "inspection", _("Tilsyn")

    class Severity(models.IntegerChoices):
        NEGLIGIBLE = 1, _("1 – Ubetydelig")
        MINOR = 2, _("2 – Liten")
        MODERATE = 3, _("3 – Moderat")
        SERIOUS = 4, _("4 – Alvorlig")
        CRITICAL = 5, _("5 – Svært alvorlig")

    OPEN_STATES = (
        State.REPORTED,
        State.UNDER_TREATMENT,
        State.ACTIONS_IN_PROGRESS,
        State.FORWARDED,
    )

    number = models.CharField(_("nummer"), max_length=20, unique=True, editable=False)
    year = models.PositiveSmallIntegerField(editable=False)
    sequence = models.PositiveIntegerField(editable=False)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.DEVIATION)
    source = models.CharField(
        _("kilde"), max_length=20, choices=Source.choices, default=Source.REPORT, editable=False
    )
    category = models.ForeignKey(
        Category,
        verbose_name=_("kategori"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="deviations",
    )
    title = models.CharField(_("tittel"), max_length=200)
    description = models.TextField(_("hva skjedde"))
    occurred_at = models.DateTimeField(_("når skjedde det"))
    place = models.CharField(_("sted"), max_length=200, blank=True)
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("enhet"), on_delete=models.PROTECT, related_name="deviations"
    )
    severity = models.PositiveSmallIntegerField(
        _("alvorlighet"),
        choices=Severity.choices,
        default=Severity.MINOR,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    immediate_action = models.TextField(_("strakstiltak"), blank=True)
    contains_personal_data = models.BooleanField(_("inneholder personopplysninger"), default=False)

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("meldt av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reported_deviations",
    )
    # Reports through a unit's public form have no user; the reporter may leave a name.
    reporter_name = models.CharField(_("navn på melder"), max_length=150, blank=True)
    reporter_contact = models.CharField(_("kontakt"), max_length=200, blank=True)
    via_public_form = models.BooleanField(_("meldt via åpent skjema"), default=False)

    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saksbehandler"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="handled_deviations",
    )
    state = models.CharField(
        _("status"), max_length=20, choices=State.choices, default=State.REPORTED
    )
    state_reason = models.TextField(_("begrunnelse"), blank=True)
    cause_class = models.CharField(
        _("årsaksklasse"), max_length=20, choices=CauseClass.choices, blank=True
    )
    cause_analysis = models.TextField(_("årsaksanalyse"), blank=True)
    closing_note = models.TextField(_("avslutningsnotat"), blank=True)
    documents = models.ManyToManyField(
        "documents.Document",
        verbose_name=_("dokumenter"),
        blank=True,
        related_name="deviations",
        help_text=_("Rutiner og prosedyrer saken gjelder."),
    )

    created_at = models.DateTimeField(_("meldt"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    closed_at = models.DateTimeField(_("lukket"), null=True, blank=True)
    # When a leader first responded (the earliest event of Event.RESPONSE_KINDS); kept by
    # Event.save() so the reporting-culture statistics read the case rows, not the history.
    first_response_at = models.DateTimeField(
        _("første tilbakemelding"), null=True, blank=True, editable=False
    )

    objects = DeviationQuerySet.as_manager()

    class Meta:
        verbose_name = _("avvik")
        verbose_name_plural = _("avvik")
        ordering = ["-pk"]
        constraints = [
            models.UniqueConstraint(fields=["year", "sequence"], name="deviation_number_once"),
            models.CheckConstraint(
                condition=Q(severity__gte=1, severity__lte=5), name="deviation_severity_1_5"
            ),
            models.CheckConstraint(
                condition=~Q(state="closed") | Q(closed_at__isnull=False),
                name="deviation_closed_has_time",
            ),
        ]
        indexes = [
            # The inbox: a unit subtree, newest first, keyset on pk.
            models.Index(fields=["unit", "-id"], name="deviation_unit_id"),
            models.Index(fields=["unit", "state", "-id"], name="deviation_unit_state_id"),
            models.Index(fields=["reporter", "-id"], name="deviation_reporter_id"),
            models.Index(fields=["occurred_at"], name="deviation_occurred"),
            # Statistics of a unit subtree for a period (per unit, a range of dates).
            models.Index(fields=["unit", "occurred_at"], name="deviation_unit_occurred"),
            # Statistics: time to close reads the cases closed in a period; the columns the
            # percentiles and the scope need ride along (PostgreSQL: an index-only scan).
            models.Index(
                fields=["closed_at"],
                name="deviation_closed",
                condition=Q(state="closed"),
                include=["unit", "severity", "created_at", "kind", "category"],
            ),
            # Statistics: the median time to the first response of the period's cases.
            models.Index(
                fields=["occurred_at"],
                name="deviation_responses",
                condition=Q(first_response_at__isnull=False),
                include=["unit", "created_at", "first_response_at", "kind", "category"],
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("deviations:detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN_STATES


class MonthlyTally(models.Model):
    """How many cases a unit has per calendar month (Europe/Oslo) and value of one dimension:
    the statistics' monthly aggregates (``deviations.tallies``), so a scope's figures for a
    period of whole months sum a few rows per unit and month instead of scanning its cases.

    One narrow row per (unit, month, HMS or not, dimension, value): each breakdown is tallied
    on its own, which at the reference data holds a fraction of the rows a cube of every
    dimension would (docs/architecture.md). ``month`` is the month the case happened in
    (``occurred_at``), except for ``closed_severity``, the month it was closed in. Kept exact
    by ``deviations.tallies.refresh`` in the same transaction as every change of a case."""

    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    hms = models.BooleanField()  # deviations.querysets.hms_q, when the case was last tallied
    dimension = models.CharField(max_length=20)
    value = models.CharField(max_length=40, blank=True)
    n = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "month", "dimension", "hms", "value"],
                name="tally_one_row_per_bucket",
            )
        ]
        indexes = [models.Index(fields=["month", "dimension"], name="tally_month_dimension")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.month:%Y-%m} {self.dimension}={self.value}: {self.n}"


class MonthlyDurations(models.Model):
    """The exact durations behind the statistics' percentiles, per unit, calendar month and
    severity: days from report to closing of the cases closed in the month (``close``), and
    days from report to first response of the cases that happened in it (``response``,
    severity 0). A percentile is not a sum, so the tallies cannot give it; these sorted lists
    let PostgreSQL compute the same ``percentile_cont`` from a few rows per unit and month
    instead of every case of the period. Kept with the tallies (``deviations.tallies``);
    PostgreSQL only — the embedded SQLite reads the cases."""

    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    hms = models.BooleanField()
    measure = models.CharField(max_length=10)
    severity = models.PositiveSmallIntegerField()
    # Ascending big-endian IEEE doubles (PostgreSQL's float8send of DaysBetween): unpacked and
    # sorted in Python in milliseconds, where unnesting a JSON list cost as much as the scan.
    days = models.BinaryField()
    n = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "month", "measure", "hms", "severity"],
                name="durations_one_row_per_bucket",
            )
        ]
        indexes = [models.Index(fields=["month", "measure"], name="durations_month_measure")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.month:%Y-%m} {self.measure} {self.severity}: {self.n}"


class DeviationUserObjectPermission(UserObjectPermissionBase):
    """A single deviation shared with a named person (guardian, direct foreign key)."""

    content_object = models.ForeignKey(Deviation, on_delete=models.CASCADE)


class DeviationGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Deviation, on_delete=models.CASCADE)


def attachment_path(instance: Attachment, filename: str) -> str:
    # The stored name is random: the original name is kept in a field and never used as a path.
    suffix = filename.rsplit(".", 1)[-1].lower()[:8] if "." in filename else "bin"
    now = timezone.now()
    return f"deviations/{now:%Y/%m}/{secrets.token_hex(16)}.{suffix}"


class Attachment(models.Model):
    deviation = models.ForeignKey(Deviation, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("fil"), upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("filnavn"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("vedlegg")
        verbose_name_plural = _("vedlegg")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("deviations:attachment", args=[self.deviation_id, self.pk])


class CorrectiveAction(models.Model):
    """A corrective action (tiltak) with a responsible and a deadline.

    Belongs to a deviation, or (``deviation`` empty) to another module such as a risk measure.
    ``unit`` is the unit whose leaders own the action: they see it, evaluate it, and receive its
    escalations. ``escalation_step`` counts the reminder/escalation steps already sent, so the
    sweep reads only the actions that have a step due.
    """

    class Effect(models.TextChoices):
        EFFECTIVE = "effective", _("Virket")
        PARTLY = "partly", _("Virket delvis")
        NOT_EFFECTIVE = "not_effective", _("Virket ikke")

    deviation = models.ForeignKey(
        Deviation,
        verbose_name=_("avvik"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="actions",
    )
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("enhet"), on_delete=models.PROTECT, related_name="actions"
    )
    description = models.TextField(_("tiltak"))
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ansvarlig"),
        on_delete=models.PROTECT,
        related_name="corrective_actions",
    )
    deadline = models.DateField(_("frist"))
    done_at = models.DateTimeField(_("utført"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    done_note = models.TextField(_("hva ble gjort"), blank=True)
    effect = models.CharField(_("effekt"), max_length=20, choices=Effect.choices, blank=True)
    effect_note = models.TextField(_("vurdering av effekt"), blank=True)
    effect_evaluated_at = models.DateTimeField(_("effekt vurdert"), null=True, blank=True)
    effect_evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    escalation_step = models.PositiveSmallIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ActionQuerySet.as_manager()

    class Meta:
        verbose_name = _("tiltak")
        verbose_name_plural = _("tiltak")
        ordering = ["deadline", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(effect_evaluated_at__isnull=True) | Q(done_at__isnull=False),
                name="action_effect_after_done",
            ),
        ]
        indexes = [
            models.Index(fields=["responsible", "done_at"], name="action_responsible"),
            models.Index(fields=["deviation"], name="action_deviation"),
            # The escalation sweep reads only open actions with a step still to send.
            models.Index(
                fields=["deadline"],
                name="action_escalation_due",
                condition=Q(done_at__isnull=True, escalation_step__lt=ESCALATION_STEPS),
            ),
            # Statistics and reports: open actions past their deadline.
            models.Index(
                fields=["deadline"], name="action_open_deadline", condition=Q(done_at__isnull=True)
            ),
        ]

    def __str__(self) -> str:
        return self.description[:80]

    def get_absolute_url(self) -> str:
        return reverse("deviations:action", args=[self.pk])

    @property
    def is_done(self) -> bool:
        return self.done_at is not None

    @property
    def is_evaluated(self) -> bool:
        return self.effect_evaluated_at is not None

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.done_at is None and self.deadline < today


class Event(models.Model):
    """The history of a deviation or an action: every state change, edit and comment."""

    class Kind(models.TextChoices):
        REPORTED = "reported", _("Meldt")
        ASSIGNED = "assigned", _("Saksbehandler satt")
        STARTED = "started", _("Behandling startet")
        CLASSIFIED = "classified", _("Årsak klassifisert")
        EDITED = "edited", _("Endret")
        COMMENT = "comment", _("Kommentar")
        ATTACHMENT = "attachment", _("Vedlegg lagt til")
        ACTION_ADDED = "action_added", _("Tiltak lagt til")
        ACTION_DONE = "action_done", _("Tiltak utført")
        ACTION_EVALUATED = "action_evaluated", _("Effekt vurdert")
        FORWARDED = "forwarded", _("Videresendt")
        REJECTED = "rejected", _("Avvist")
        CLOSED = "closed", _("Lukket")
        SHARED = "shared", _("Delt")
        UNSHARED = "unshared", _("Deling fjernet")
        REMINDED = "reminded", _("Påminnelse sendt")
        ESCALATED = "escalated", _("Eskalert")
        INSPECTION_REPLY = "inspection_reply", _("Svar sendt til tilsynet")
        INSPECTION_CLOSED = "inspection_closed", _("Lukket av tilsynet")

    deviation = models.ForeignKey(
        Deviation, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    action = models.ForeignKey(
        CorrectiveAction, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    from_state = models.CharField(max_length=20, blank=True)
    to_state = models.CharField(max_length=20, blank=True)
    text = models.TextField(blank=True)
    changes = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("hendelse")
        verbose_name_plural = _("hendelser")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["deviation", "at"]), models.Index(fields=["action", "at"])]

    # Events that tell the reporter something happened: the first is the case's first response.
    RESPONSE_KINDS = (
        "started",
        "classified",
        "comment",
        "action_added",
        "forwarded",
        "rejected",
        "closed",
    )

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        if self.deviation_id and self.kind in self.RESPONSE_KINDS:
            answered = Deviation.objects.filter(
                first_response_at__isnull=True, pk=self.deviation_id
            ).update(first_response_at=self.at)
            if answered:
                from deviations.tallies import refresh_case  # the "answered" count

                refresh_case(self.deviation_id)
            else:
                Deviation.objects.filter(
                    first_response_at__gt=self.at, pk=self.deviation_id
                ).update(first_response_at=self.at)
            # The service that recorded the event saves its deviation afterwards: keep that
            # instance in step so its save() does not write the old value back.
            if Event.deviation.is_cached(self):
                case = self.deviation
                if case.first_response_at is None or case.first_response_at > self.at:
                    case.first_response_at = self.at

    @property
    def from_state_label(self) -> str:
        return Deviation.State(self.from_state).label if self.from_state else ""

    @property
    def to_state_label(self) -> str:
        return Deviation.State(self.to_state).label if self.to_state else ""


class AccessLog(models.Model):
    """Who viewed a deviation that contains personal data, and when (docs/design.md §3)."""

    deviation = models.ForeignKey(Deviation, on_delete=models.CASCADE, related_name="access_log")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    channel = models.CharField(max_length=20, default="web")  # web, api, attachment, admin

    class Meta:
        verbose_name = _("innsynslogg")
        verbose_name_plural = _("innsynslogg")
        ordering = ["-at"]
        indexes = [models.Index(fields=["deviation", "-at"])]

    def __str__(self) -> str:
        return f"{self.user} {self.at:%Y-%m-%d %H:%M}"


def new_report_token() -> str:
    return secrets.token_urlsafe(18)


class ReportLink(models.Model):
    """A unit's public reporting form (QR code / link) for people without an account."""

    unit = models.OneToOneField(OrgUnit, on_delete=models.CASCADE, related_name="report_link")
    token = models.CharField(max_length=40, unique=True, default=new_report_token)
    is_active = models.BooleanField(_("aktiv"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("åpen meldelenke")
        verbose_name_plural = _("åpne meldelenker")

    def __str__(self) -> str:
        return str(self.unit)

    def get_absolute_url(self) -> str:
        return reverse("deviations:public_report", args=[self.token])


class YearCounter(models.Model):
    """The last number given in a year: ``AV-<year>-<seq>`` without gaps from races."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("nummerserie")
        verbose_name_plural = _("nummerserier")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


# --- External inspections (tilsyn) ---------------------------------------------------------
#
# An inspection's findings are deviations with the source "inspection" (docs/design.md §13): each
# finding is one-to-one with a Deviation reported through ``report_deviation``, so its handler,
# actions, escalation and closing rules are those of every case. The inspection and the finding
# keep what belongs to the authority: its report, its kind of finding, its deadline, the
# municipality's reply and the authority's confirmation that the finding is closed.


class Authority(models.Model):
    """A supervisory authority (Statsforvalteren, Arbeidstilsynet, ...), kept in the admin."""

    name = models.CharField(_("navn"), max_length=150, unique=True)
    is_active = models.BooleanField(_("aktiv"), default=True)
    order = models.PositiveSmallIntegerField(_("rekkefølge"), default=0)

    class Meta:
        verbose_name = _("tilsynsmyndighet")
        verbose_name_plural = _("tilsynsmyndigheter")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


def inspection_report_path(instance: Inspection, filename: str) -> str:
    # As for case attachments: a random stored name; the original is kept in a field.
    suffix = filename.rsplit(".", 1)[-1].lower()[:8] if "." in filename else "bin"
    now = timezone.now()
    return f"inspections/{now:%Y/%m}/{secrets.token_hex(16)}.{suffix}"


class Inspection(models.Model):
    """An inspection by a supervisory authority of the responsible unit (and other units).

    The responsible unit's leaders own it: they record its findings, the municipality's replies
    and the authority's confirmations, and receive the reminders of the findings' deadlines.
    """

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planlagt")
        ONGOING = "ongoing", _("Pågår")
        REPORT_RECEIVED = "report_received", _("Rapport mottatt")
        CLOSED = "closed", _("Avsluttet")

    authority = models.ForeignKey(
        Authority,
        verbose_name=_("tilsynsmyndighet"),
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    theme = models.CharField(_("tema"), max_length=300)
    unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("ansvarlig enhet"),
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    units = models.ManyToManyField(
        OrgUnit,
        verbose_name=_("enheter som ble ført tilsyn med"),
        blank=True,
        related_name="inspected_by",
    )
    opened_on = models.DateField(_("tilsynet åpnet"), null=True, blank=True)
    visit_on = models.DateField(_("tilsynsbesøk"), null=True, blank=True)
    report_received_on = models.DateField(_("rapport mottatt"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    report = models.FileField(
        _("tilsynsrapport"), upload_to=inspection_report_path, max_length=200, blank=True
    )
    report_name = models.CharField(_("filnavn"), max_length=200, blank=True)
    report_content_type = models.CharField(max_length=100, blank=True)
    notes = models.TextField(_("merknader"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = InspectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("tilsyn")
        verbose_name_plural = _("tilsyn")
        ordering = ["-pk"]
        indexes = [models.Index(fields=["unit", "-id"], name="inspection_unit_id")]

    def __str__(self) -> str:
        return f"{self.authority}: {self.theme}"

    def get_absolute_url(self) -> str:
        return reverse("deviations:inspection", args=[self.pk])

    @property
    def year(self) -> int:
        day = self.visit_on or self.opened_on or timezone.localdate(self.created_at)
        return day.year


class InspectionFinding(models.Model):
    """One finding of an inspection, handled as its deviation (``source`` = inspection).

    ``reminder_step`` counts the deadline reminders already sent (deviations.escalation
    ``FindingDeadlinePolicy``), so the sweep reads only the findings with a step still due.
    """

    class Kind(models.TextChoices):
        NONCONFORMITY = "nonconformity", _("Avvik/lovbrudd")
        REMARK = "remark", _("Merknad")
        ORDER = "order", _("Pålegg")

    inspection = models.ForeignKey(
        Inspection, verbose_name=_("tilsyn"), on_delete=models.CASCADE, related_name="findings"
    )
    deviation = models.OneToOneField(
        Deviation,
        verbose_name=_("avvik"),
        on_delete=models.PROTECT,
        related_name="inspection_finding",
    )
    kind = models.CharField(_("type funn"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("funn"), max_length=200)
    deadline = models.DateField(_("tilsynets frist"), null=True, blank=True)
    reply = models.TextField(_("kommunens svar og plan"), blank=True)
    replied_at = models.DateTimeField(_("svar sendt"), null=True, blank=True)
    confirmed_closed_at = models.DateTimeField(_("lukket av tilsynet"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reminder_step = models.PositiveSmallIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = FindingQuerySet.as_manager()

    class Meta:
        verbose_name = _("funn fra tilsyn")
        verbose_name_plural = _("funn fra tilsyn")
        ordering = ["deadline", "pk"]
        indexes = [
            # The deadline sweep reads only open findings with a reminder step still to send.
            models.Index(
                fields=["deadline"],
                name="finding_reminder_due",
                condition=Q(
                    confirmed_closed_at__isnull=True,
                    replied_at__isnull=True,
                    reminder_step__lt=FINDING_STEPS,
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"

    def get_absolute_url(self) -> str:
        # By the id: a list of findings does not load each inspection for its link.
        return reverse("deviations:inspection", args=[self.inspection_id]) + f"#funn-{self.pk}"

    @property
    def is_closed(self) -> bool:
        return self.confirmed_closed_at is not None

    def is_past_deadline(self, today=None) -> bool:
        today = today or timezone.localdate()
        return (
            self.confirmed_closed_at is None and self.deadline is not None and self.deadline < today
        )

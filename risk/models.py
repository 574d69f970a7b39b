"""Risk and vulnerability analyses (ROS, docs/design.md §6).

A municipality keeps one :class:`RiskMatrix` (size, level labels, colour bands and per-cell
colours, action threshold). A :class:`RiskAssessment` of a unit holds :class:`RiskItem` rows, each
scored for probability and for consequence per consequence type (the worst counts), with a
treatment, measures (corrective actions) and a residual score after measures.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from qms.models import OrgUnit
from risk.querysets import RiskAssessmentQuerySet, RiskItemQuerySet

MIN_SIZE = 3
MAX_SIZE = 6
DEFAULT_SIZE = 5
DEFAULT_THRESHOLD = 13

CONSEQUENCE_FIELDS = (
    "consequence_people",
    "consequence_environment",
    "consequence_economy",
    "consequence_reputation",
)

LEVEL = [MinValueValidator(1), MaxValueValidator(MAX_SIZE)]
COLOUR = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Oppgi fargen som #rrggbb."))


class RiskMatrix(models.Model):
    """The municipality's risk matrix: size, labels, colours and the action threshold.

    Changed only through ``risk.services.update_matrix``, which recomputes stored scores and
    logs the change in :class:`RiskMatrixChange` (never a silent rewrite).
    """

    municipality = models.OneToOneField(
        OrgUnit,
        on_delete=models.CASCADE,
        related_name="risk_matrix",
        verbose_name=_("kommune"),
        limit_choices_to={"depth": 1},
    )
    size = models.PositiveSmallIntegerField(
        _("størrelse"),
        default=DEFAULT_SIZE,
        validators=[MinValueValidator(MIN_SIZE), MaxValueValidator(MAX_SIZE)],
        help_text=_("Antall nivåer for sannsynlighet og konsekvens (3–6)."),
    )
    action_threshold = models.PositiveSmallIntegerField(
        _("tiltaksgrense"),
        default=DEFAULT_THRESHOLD,
        validators=[MinValueValidator(1)],
        help_text=_("En risiko med score på eller over grensen krever tiltak."),
    )
    updated_at = models.DateTimeField(_("endret"), auto_now=True)

    class Meta:
        verbose_name = _("risikomatrise")
        verbose_name_plural = _("risikomatriser")
        constraints = [
            models.CheckConstraint(
                condition=Q(size__gte=MIN_SIZE, size__lte=MAX_SIZE), name="riskmatrix_size_range"
            ),
            models.CheckConstraint(
                condition=Q(action_threshold__gte=1)
                & Q(action_threshold__lte=F("size") * F("size")),
                name="riskmatrix_threshold_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.municipality} ({self.size}×{self.size})"

    def clean(self) -> None:
        if self.size and self.action_threshold and self.action_threshold > self.size * self.size:
            raise ValidationError(
                {
                    "action_threshold": _("Tiltaksgrensen kan ikke være høyere enn %(max)s.")
                    % {"max": self.size * self.size}
                }
            )

    @property
    def levels(self) -> range:
        return range(1, self.size + 1)


class RiskMatrixLevel(models.Model):
    """Label and description of one probability or consequence level (e.g. 5 = "ukentlig")."""

    class Axis(models.TextChoices):
        PROBABILITY = "probability", _("Sannsynlighet")
        CONSEQUENCE = "consequence", _("Konsekvens")

    matrix = models.ForeignKey(RiskMatrix, on_delete=models.CASCADE, related_name="level_rows")
    axis = models.CharField(_("akse"), max_length=12, choices=Axis.choices)
    value = models.PositiveSmallIntegerField(_("nivå"), validators=LEVEL)
    label = models.CharField(_("navn"), max_length=60)
    description = models.CharField(_("beskrivelse"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("nivå i matrisen")
        verbose_name_plural = _("nivåer i matrisen")
        ordering = ["matrix", "axis", "value"]
        constraints = [
            models.UniqueConstraint(
                fields=["matrix", "axis", "value"], name="riskmatrixlevel_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_axis_display()} {self.value}: {self.label}"


class RiskMatrixBand(models.Model):
    """A colour band: every score from ``min_score`` up to the next band gets this colour."""

    matrix = models.ForeignKey(RiskMatrix, on_delete=models.CASCADE, related_name="bands")
    label = models.CharField(_("navn"), max_length=40)
    min_score = models.PositiveSmallIntegerField(_("fra score"), validators=[MinValueValidator(1)])
    colour = models.CharField(_("farge"), max_length=7, validators=[COLOUR])

    class Meta:
        verbose_name = _("fargebånd")
        verbose_name_plural = _("fargebånd")
        ordering = ["matrix", "min_score"]
        constraints = [
            models.UniqueConstraint(fields=["matrix", "min_score"], name="riskmatrixband_unique")
        ]

    def __str__(self) -> str:
        return f"{self.label} (≥ {self.min_score})"


class RiskMatrixCell(models.Model):
    """A colour (and optionally a band name) for one cell, overriding the bands."""

    matrix = models.ForeignKey(RiskMatrix, on_delete=models.CASCADE, related_name="cells")
    probability = models.PositiveSmallIntegerField(_("sannsynlighet"), validators=LEVEL)
    consequence = models.PositiveSmallIntegerField(_("konsekvens"), validators=LEVEL)
    colour = models.CharField(_("farge"), max_length=7, validators=[COLOUR])
    label = models.CharField(_("navn"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("celle i matrisen")
        verbose_name_plural = _("celler i matrisen")
        ordering = ["matrix", "probability", "consequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["matrix", "probability", "consequence"], name="riskmatrixcell_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.probability}×{self.consequence}: {self.colour}"


class RiskMatrixChange(models.Model):
    """The log of matrix changes: who changed what, and how many stored scores moved."""

    matrix = models.ForeignKey(RiskMatrix, on_delete=models.CASCADE, related_name="changes")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(_("tidspunkt"), auto_now_add=True)
    before = models.JSONField(_("før"), default=dict)
    after = models.JSONField(_("etter"), default=dict)
    items_rescored = models.PositiveIntegerField(_("rader med ny score"), default=0)

    class Meta:
        verbose_name = _("endring av risikomatrisen")
        verbose_name_plural = _("endringer av risikomatrisen")
        ordering = ["-changed_at"]

    def __str__(self) -> str:
        return f"{self.matrix} {self.changed_at:%Y-%m-%d %H:%M}"


class RiskAssessment(models.Model):
    """A ROS analysis of an activity, system, situation or work process in a unit."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Utkast")
        ACTIVE = "active", _("Gjeldende")
        ARCHIVED = "archived", _("Arkivert")

    title = models.CharField(_("tittel"), max_length=200)
    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="risk_assessments", verbose_name=_("enhet")
    )
    activity = models.CharField(
        _("aktivitet eller prosess"),
        max_length=300,
        help_text=_("Aktiviteten, systemet, situasjonen eller arbeidsprosessen som vurderes."),
    )
    scope = models.TextField(_("avgrensning og forutsetninger"), blank=True)
    important = models.BooleanField(_("Viktig"), default=False)
    common = models.BooleanField(_("Vanlig"), default=False)
    difficult = models.BooleanField(_("Vanskelig"), default=False)
    variable = models.BooleanField(_("Variasjon"), default=False)
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="risk_assessments",
        verbose_name=_("deltakere"),
    )
    assessed_on = models.DateField(_("dato for vurdering"))
    next_review = models.DateField(_("neste gjennomgang"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    revision = models.PositiveSmallIntegerField(_("revisjon"), default=1)
    previous = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="next_revision",
        verbose_name=_("forrige revisjon"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RiskAssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("ROS-analyse")
        verbose_name_plural = _("ROS-analyser")
        ordering = ["-assessed_on", "-pk"]
        indexes = [
            models.Index(fields=["unit", "status"]),
            models.Index(fields=["-assessed_on", "-id"], name="riskassessment_list"),
            models.Index(
                fields=["next_review"],
                name="riskassessment_review_due",
                condition=Q(status="active"),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("risk:detail", args=[self.pk])

    @property
    def four_v(self) -> list[str]:
        names = [
            (self.important, _("Viktig")),
            (self.common, _("Vanlig")),
            (self.difficult, _("Vanskelig")),
            (self.variable, _("Variasjon")),
        ]
        return [str(label) for flag, label in names if flag]


class RiskItem(models.Model):
    """An unwanted event: what can go wrong, scored before and after measures.

    ``consequence`` is the worst of the four consequence types; ``score`` and
    ``residual_score`` are stored (probability × consequence) so lists and the heat map sort and
    count in SQL; the matrix service recomputes them when the matrix changes.
    """

    class Treatment(models.TextChoices):
        REDUCE = "reduce", _("Redusere")
        ACCEPT = "accept", _("Akseptere")
        AVOID = "avoid", _("Unngå")
        TRANSFER = "transfer", _("Overføre")

    assessment = models.ForeignKey(
        RiskAssessment, on_delete=models.CASCADE, related_name="items", verbose_name=_("analyse")
    )
    number = models.PositiveIntegerField(_("nr."))
    hazard = models.CharField(_("uønsket hendelse"), max_length=300)
    cause = models.TextField(_("årsak"), blank=True)
    existing_controls = models.TextField(_("eksisterende kontrolltiltak"), blank=True)
    probability = models.PositiveSmallIntegerField(_("sannsynlighet"), validators=LEVEL)
    consequence_people = models.PositiveSmallIntegerField(
        _("konsekvens for liv og helse"), null=True, blank=True, validators=LEVEL
    )
    consequence_environment = models.PositiveSmallIntegerField(
        _("konsekvens for miljø og materielle verdier"), null=True, blank=True, validators=LEVEL
    )
    consequence_economy = models.PositiveSmallIntegerField(
        _("konsekvens for økonomi"), null=True, blank=True, validators=LEVEL
    )
    consequence_reputation = models.PositiveSmallIntegerField(
        _("konsekvens for omdømme"), null=True, blank=True, validators=LEVEL
    )
    consequence = models.PositiveSmallIntegerField(_("konsekvens"), validators=LEVEL)
    score = models.PositiveSmallIntegerField(_("risiko"))
    treatment = models.CharField(
        _("håndtering"), max_length=10, choices=Treatment.choices, default=Treatment.REDUCE
    )
    residual_probability = models.PositiveSmallIntegerField(
        _("sannsynlighet etter tiltak"), null=True, blank=True, validators=LEVEL
    )
    residual_consequence = models.PositiveSmallIntegerField(
        _("konsekvens etter tiltak"), null=True, blank=True, validators=LEVEL
    )
    residual_score = models.PositiveSmallIntegerField(_("restrisiko"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("akseptert av"),
    )
    accepted_at = models.DateTimeField(_("akseptert"), null=True, blank=True)
    acceptance_reason = models.TextField(_("begrunnelse for aksept"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RiskItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("risikoforhold")
        verbose_name_plural = _("risikoforhold")
        ordering = ["assessment", "number"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "number"], name="riskitem_unique_number"),
            models.CheckConstraint(
                condition=Q(score=F("probability") * F("consequence")), name="riskitem_score"
            ),
            models.CheckConstraint(
                condition=Q(
                    residual_probability__isnull=True,
                    residual_consequence__isnull=True,
                    residual_score__isnull=True,
                )
                | Q(
                    residual_probability__isnull=False,
                    residual_consequence__isnull=False,
                    residual_score=F("residual_probability") * F("residual_consequence"),
                ),
                name="riskitem_residual_score",
            ),
            models.CheckConstraint(
                condition=Q(accepted_by__isnull=True) | ~Q(acceptance_reason=""),
                name="riskitem_acceptance_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["assessment", "-score"], name="riskitem_by_score")]

    def __str__(self) -> str:
        return f"{self.number}. {self.hazard}"

    def get_absolute_url(self) -> str:
        return reverse("risk:item", args=[self.assessment_id, self.pk])

    def compute_scores(self) -> None:
        """Worst consequence type counts; score = probability × consequence (same for residual)."""
        values = [getattr(self, f) for f in CONSEQUENCE_FIELDS if getattr(self, f)]
        self.consequence = max(values) if values else 0
        self.score = (self.probability or 0) * self.consequence
        if self.residual_probability and self.residual_consequence:
            self.residual_score = self.residual_probability * self.residual_consequence
        else:
            self.residual_score = None

    @property
    def is_accepted(self) -> bool:
        return self.accepted_by_id is not None


class RiskEvent(models.Model):
    """The history of an assessment: every state change, with who and when."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Opprettet")
        UPDATED = "updated", _("Endret")
        ITEM_ADDED = "item_added", _("Risikoforhold lagt til")
        ITEM_CHANGED = "item_changed", _("Risikoforhold endret")
        ITEM_REMOVED = "item_removed", _("Risikoforhold fjernet")
        MEASURE_ADDED = "measure_added", _("Tiltak lagt til")
        ACCEPTED = "accepted", _("Restrisiko akseptert")
        ACCEPTANCE_CLEARED = "acceptance_cleared", _("Aksept opphevet")
        ACTIVATED = "activated", _("Satt som gjeldende")
        ARCHIVED = "archived", _("Arkivert")
        REVISED = "revised", _("Ny revisjon opprettet")
        RESCORED = "rescored", _("Ny score etter endret matrise")
        LINKED = "linked", _("Kobling endret")
        REVIEW_REMINDER = "review_reminder", _("Påminnelse om gjennomgang sendt")

    assessment = models.ForeignKey(RiskAssessment, on_delete=models.CASCADE, related_name="events")
    item = models.ForeignKey(
        RiskItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    text = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("hendelse i ROS-analyse")
        verbose_name_plural = _("hendelser i ROS-analyser")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["assessment", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.created_at:%Y-%m-%d})"


class RiskMeasure(models.Model):
    """A measure on a risk item: a link to a corrective action of the deviations module.

    Measures reuse ``deviations.CorrectiveAction`` (docs/style.md: one action model), so one
    "Mine oppgaver" list, one reminder and escalation sweep and one action page serve both.
    A new revision links its copied items to the same actions (hence a FK, unique per item).
    """

    item = models.ForeignKey(RiskItem, on_delete=models.CASCADE, related_name="measures")
    action = models.ForeignKey(
        "deviations.CorrectiveAction", on_delete=models.CASCADE, related_name="risk_measures"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tiltak for risikoforhold")
        verbose_name_plural = _("tiltak for risikoforhold")
        constraints = [
            models.UniqueConstraint(fields=["item", "action"], name="riskmeasure_unique")
        ]

    def __str__(self) -> str:
        return f"{self.item}: {self.action_id}"


class RiskDeviationLink(models.Model):
    """A deviation linked to a risk item (the event happened, or shows a new risk)."""

    item = models.ForeignKey(RiskItem, on_delete=models.CASCADE, related_name="deviation_links")
    deviation = models.ForeignKey(
        "deviations.Deviation", on_delete=models.CASCADE, related_name="risk_links"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("kobling til avvik")
        verbose_name_plural = _("koblinger til avvik")
        constraints = [
            models.UniqueConstraint(fields=["item", "deviation"], name="riskdeviationlink_unique")
        ]

    def __str__(self) -> str:
        return f"{self.item} – {self.deviation_id}"


class RiskDocumentLink(models.Model):
    """A document (procedure) that controls a risk item."""

    item = models.ForeignKey(RiskItem, on_delete=models.CASCADE, related_name="document_links")
    document = models.ForeignKey(
        "documents.Document", on_delete=models.CASCADE, related_name="risk_links"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("kobling til dokument")
        verbose_name_plural = _("koblinger til dokumenter")
        constraints = [
            models.UniqueConstraint(fields=["item", "document"], name="riskdocumentlink_unique")
        ]

    def __str__(self) -> str:
        return f"{self.item} – {self.document_id}"

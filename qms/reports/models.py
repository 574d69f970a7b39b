"""The statistics scope, and generated quality reports (PDF) with their lifecycle."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from qms.models import OrgUnit
from qms.permissions import RestrictedQuerySet, restrict
from qms.querysets import OrgUnitManager


class StatisticsUnitManager(OrgUnitManager):
    def restrict(self, user, action: str = "view"):
        return restrict(user, self.get_queryset(), action)


class StatisticsUnit(OrgUnit):
    """The organisation seen as the statistics scope.

    ``StatisticsUnit.objects.restrict(user)`` is the set of units whose aggregates the user may
    see (docs/design.md §3): leaders their subtrees, committee members the subtree they are appointed
    for, advisors and administrators everything. Every statistic is computed over objects in these
    units only.
    """

    objects = StatisticsUnitManager()

    class Meta:
        proxy = True
        verbose_name = _("statistikkenhet")
        verbose_name_plural = _("statistikkenheter")


class GeneratedReport(models.Model):
    """A quality report asked for by a user, rendered to PDF by a task on the ``pdf`` queue.

    The lifecycle is PENDING → PROCESSING → READY or FAILED (with ``last_error``); the file is
    written to a temporary name and moved into place only when complete, so a READY report always
    has a whole file and a killed worker leaves no half-written PDF behind.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("I kø")
        PROCESSING = "processing", _("Lages")
        READY = "ready", _("Klar")
        FAILED = "failed", _("Feilet")

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("enhet"), on_delete=models.CASCADE, related_name="+"
    )
    period_kind = models.CharField(_("periodetype"), max_length=10)
    period_start = models.DateField(_("fra"))
    period_end = models.DateField(_("til (ikke inkludert)"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("bestilt av"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    progress = models.PositiveSmallIntegerField(_("fremdrift (%)"), default=0)
    file = models.CharField(_("fil"), max_length=300, blank=True)
    size = models.PositiveIntegerField(_("størrelse (byte)"), null=True, blank=True)
    pages = models.PositiveIntegerField(_("sider"), null=True, blank=True)
    last_error = models.TextField(_("siste feil"), blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(_("bestilt"), auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("kvalitetsrapport")
        verbose_name_plural = _("kvalitetsrapporter")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["unit", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gt=models.F("period_start")),
                name="generatedreport_period_not_empty",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.period_start:%d.%m.%Y}–{self.period_end:%d.%m.%Y}"

    def get_absolute_url(self) -> str:
        return reverse("reports:report_detail", args=[self.uid])

    @property
    def period(self):
        from qms.reports.periods import Period

        return Period(self.period_kind, self.period_start, self.period_end)

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.READY, self.Status.FAILED)

    @property
    def filename(self) -> str:
        return f"kvalitetsrapport-{self.unit.code}-{self.period_start:%Y-%m-%d}.pdf"


class InternalControlReport(models.Model):
    """The chief executive's report to the council on internal control and on the results of
    state inspections (kommuneloven § 25-2), for a year or a tertial (docs/design.md §14).

    Assembled from the statistics, the control activities, the state inspections and the signed
    management reviews into chapters (the whole municipality first, then one per service area);
    the chief executive writes a text per chapter and approves it. Approval assembles the figures
    once more and keeps them in the chapters (``ReportChapter.content``), so an approved report
    never changes when the data behind it does.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Utkast")
        APPROVED = "approved", _("Godkjent")

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("kommune"), on_delete=models.PROTECT, related_name="+"
    )
    period_kind = models.CharField(
        _("periodetype"),
        max_length=10,
        choices=[("year", _("År")), ("tertial", _("Tertial"))],
    )
    period_start = models.DateField(_("fra"))
    period_end = models.DateField(_("til (ikke inkludert)"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opprettet av"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("opprettet"), auto_now_add=True)
    assembled_at = models.DateTimeField(_("tall hentet"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("godkjent av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("godkjent"), null=True, blank=True)
    pdf_file = models.CharField(_("PDF-fil"), max_length=300, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("rapport om internkontroll")
        verbose_name_plural = _("rapporter om internkontroll")
        ordering = ["-period_start", "period_kind", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "period_start", "period_end"],
                name="controlreport_one_per_period",
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__gt=models.F("period_start")),
                name="controlreport_period_not_empty",
            ),
            models.CheckConstraint(
                condition=models.Q(status="draft")
                | models.Q(approved_at__isnull=False, assembled_at__isnull=False),
                name="controlreport_approved_has_time",
            ),
        ]

    def __str__(self) -> str:
        return _("Rapport om internkontroll %(period)s") % {"period": self.period.label}

    def get_absolute_url(self) -> str:
        return reverse("reports:control_report", args=[self.uid])

    @property
    def period(self):
        from qms.reports.periods import Period

        return Period(self.period_kind, self.period_start, self.period_end)

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED

    def filename(self, extension: str) -> str:
        period = self.period
        suffix = str(period.start.year)
        if period.kind == "tertial":
            suffix += f"-t{(period.start.month - 1) // 4 + 1}"
        return f"internkontroll-{self.unit.code}-{suffix}.{extension}"


class ReportChapter(models.Model):
    """One chapter of a report on internal control: the whole municipality or one service area
    (a sector), with the assembled figures and the chief executive's texts (what works, what
    does not, what will be done)."""

    report = models.ForeignKey(
        InternalControlReport,
        verbose_name=_("rapport"),
        on_delete=models.CASCADE,
        related_name="chapters",
    )
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("enhet"), on_delete=models.PROTECT, related_name="+"
    )
    position = models.PositiveSmallIntegerField(_("rekkefølge"))
    title = models.CharField(_("tittel"), max_length=200)
    content = models.JSONField(_("sammenstilte tall"), default=dict, blank=True)
    good = models.TextField(_("Dette fungerer godt"), blank=True)
    weak = models.TextField(_("Dette fungerer ikke godt nok"), blank=True)
    planned = models.TextField(_("Dette vil vi gjøre"), blank=True)
    updated_at = models.DateTimeField(_("endret"), auto_now=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("kapittel")
        verbose_name_plural = _("kapitler")
        ordering = ["report", "position"]
        constraints = [
            models.UniqueConstraint(fields=["report", "unit"], name="chapter_one_per_unit"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_overall(self) -> bool:
        return self.unit_id == self.report.unit_id

    @property
    def parts(self) -> list[dict]:
        return self.content.get("parts", [])

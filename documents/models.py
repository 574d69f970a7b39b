"""Document control (docs/design.md §4): procedures with versions, approval, revision and read lists."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node

from documents.querysets import DocumentQuerySet, ReadReceiptQuerySet, VersionQuerySet
from qms.models import OrgUnit
from qms.permissions import RestrictedQuerySet


class Process(MP_Node):
    """The process map: ledelses-, tjeneste- and støtteprosesser with sub-processes.

    Kept by quality advisors in the admin. A materialised path like the organisation tree, so
    "this process and its sub-processes" is one prefix query.
    """

    class Kind(models.TextChoices):
        MANAGEMENT = "management", _("Ledelsesprosess")
        CORE = "core", _("Tjenesteprosess")
        SUPPORT = "support", _("Støtteprosess")

    name = models.CharField(_("navn"), max_length=200)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.CORE)
    code = models.SlugField(_("kode"), max_length=60, unique=True)
    description = models.TextField(_("beskrivelse"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("prosesseier"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_processes",
    )

    class Meta:
        verbose_name = _("prosess")
        verbose_name_plural = _("prosesser")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return f"{reverse('documents:index')}?prosess={self.pk}"


class DocumentTemplate(models.Model):
    """A starting body for new documents (formål, omfang, arbeidsbeskrivelse, referanser).

    Versioned: every change of the body is a new :class:`TemplateVersion` (documents.services
    ``save_template``), and a document version records the template version it was written from,
    so changing a template never rewrites a document written from it.
    """

    name = models.CharField(_("navn"), max_length=200)
    body = models.TextField(_("innhold (HTML)"))
    is_default = models.BooleanField(_("standardmal"), default=False)

    class Meta:
        verbose_name = _("dokumentmal")
        verbose_name_plural = _("dokumentmaler")
        ordering = ["-is_default", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="doctemplate_one_default"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def current_version(self) -> TemplateVersion | None:
        return self.versions.order_by("-number").first()


class TemplateVersion(models.Model):
    """One version of a template's body; never changed once written."""

    template = models.ForeignKey(
        DocumentTemplate, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("versjon"))
    body = models.TextField(_("innhold (HTML)"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("opprettet"), auto_now_add=True)

    class Meta:
        verbose_name = _("malversjon")
        verbose_name_plural = _("malversjoner")
        ordering = ["template", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["template", "number"], name="templateversion_number"),
        ]

    def __str__(self) -> str:
        return f"{self.template.name} v{self.number}"


def default_intervals() -> list[int]:
    return [12]


class DocumentType(models.Model):
    """A kind of controlled document as the municipality keeps them (styringsdokument,
    retningslinje, rutine, prosedyre, instruks, skjema, plan, reglement …), kept by advisors.

    Each type has its own number series (``prefix``; the counter is the :class:`NumberSequence`
    row of that prefix), its default template, the revision intervals an approver may choose
    and, optionally, the group whose members alone may approve it (documents.permissions
    ``approvers_q``).
    """

    name = models.CharField(_("navn"), max_length=100, unique=True)
    code = models.SlugField(_("kode"), max_length=40, unique=True)
    prefix = models.CharField(
        _("nummerprefiks"),
        max_length=6,
        unique=True,
        validators=[
            RegexValidator(
                r"^[A-ZÆØÅ]{2,6}$", _("Prefikset skal være 2–6 store bokstaver, for eksempel RUT.")
            )
        ],
        help_text=_("Dokumentene nummereres PREFIKS-0001, PREFIKS-0002 …"),
    )
    description = models.TextField(_("beskrivelse"), blank=True)
    default_template = models.ForeignKey(
        DocumentTemplate,
        verbose_name=_("standardmal"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revision_intervals = models.JSONField(
        _("tillatte revisjonsintervaller (måneder)"), default=default_intervals
    )
    default_interval = models.PositiveSmallIntegerField(
        _("standard revisjonsintervall (måneder)"), default=12
    )
    approver_group = models.ForeignKey(
        Group,
        verbose_name=_("godkjennes bare av"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_(
            "Tomt betyr leder for eierenheten (eller nærmeste felles overordnede enhet). "
            "Velg for eksempel kommunedirektørens ledergruppe for styringsdokumenter."
        ),
    )
    is_active = models.BooleanField(_("i bruk"), default=True)

    class Meta:
        verbose_name = _("dokumenttype")
        verbose_name_plural = _("dokumenttyper")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        intervals = self.revision_intervals
        if (
            not isinstance(intervals, list)
            or not intervals
            or not all(isinstance(m, int) and 1 <= m <= 60 for m in intervals)
        ):
            raise ValidationError(
                {"revision_intervals": _("Velg minst ett intervall mellom 1 og 60 måneder.")}
            )
        if self.default_interval not in intervals:
            raise ValidationError(
                {"default_interval": _("Standardintervallet må være et av de tillatte.")}
            )

    @property
    def intervals(self) -> list[int]:
        """The allowed revision intervals, shortest first."""
        return sorted(set(self.revision_intervals or [self.default_interval]))


class NumberSequence(models.Model):
    """The last number handed out per prefix; locked while a new number is taken."""

    prefix = models.CharField(max_length=10, primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("nummerserie")
        verbose_name_plural = _("nummerserier")

    def __str__(self) -> str:
        return f"{self.prefix}-{self.last:04d}"


class Document(models.Model):
    """A controlled document (rutine/prosedyre). Its content lives in :class:`DocumentVersion`."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Utkast")
        IN_REVIEW = "in_review", _("Til godkjenning")
        PUBLISHED = "published", _("Publisert")
        ARCHIVED = "archived", _("Arkivert")

    number = models.CharField(_("dokumentnummer"), max_length=20, unique=True)
    title = models.CharField(_("tittel"), max_length=250)
    doc_type = models.ForeignKey(
        DocumentType,
        verbose_name=_("dokumenttype"),
        on_delete=models.PROTECT,
        related_name="documents",
    )
    unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("eierenhet"),
        on_delete=models.PROTECT,
        related_name="owned_documents",
    )
    scope = models.ManyToManyField(
        OrgUnit,
        verbose_name=_("gjelder for"),
        blank=True,
        related_name="scoped_documents",
        help_text=_("Enhetene dokumentet gjelder for (med underliggende enheter)."),
    )
    approval_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("godkjennes av leder for"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_(
            "Eierenheten, eller nærmeste felles overordnede enhet når omfanget spenner "
            "over flere enheter."
        ),
    )
    process = models.ForeignKey(
        Process,
        verbose_name=_("prosess"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="documents",
    )
    process_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("prosesseier"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revision_responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revisjonsansvarlig"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="revision_documents",
    )
    delegated_approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("delegert godkjenner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    current_version = models.ForeignKey(
        "DocumentVersion",
        verbose_name=_("gjeldende versjon"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Copied from the published version, so lists and the revision sweep filter one table.
    next_revision = models.DateField(_("neste revisjon"), null=True, blank=True)
    read_deadline_days = models.PositiveSmallIntegerField(_("lesefrist (dager)"), default=14)
    reread_months = models.PositiveSmallIntegerField(
        _("periodisk ny lesing (måneder)"),
        null=True,
        blank=True,
        help_text=_(
            "Tomt betyr ingen periodisk lesing. 12 betyr at alle må lese på nytt hvert år."
        ),
    )
    current_round = models.ForeignKey(
        "ReadRound",
        verbose_name=_("gjeldende leserunde"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opprettet av"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="created_documents",
    )
    created_at = models.DateTimeField(_("opprettet"), auto_now_add=True)
    updated_at = models.DateTimeField(_("endret"), auto_now=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("dokument")
        verbose_name_plural = _("dokumenter")
        ordering = ["number"]
        indexes = [
            models.Index(fields=["status", "next_revision"], name="document_revision_due"),
            models.Index(fields=["unit", "status"], name="document_unit_status"),
            models.Index(fields=["process", "status"], name="document_process_status"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("documents:detail", args=[self.pk])


class DocumentVersion(models.Model):
    """One version of a document's content. Exactly one is published per document at a time."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Utkast")
        IN_REVIEW = "in_review", _("Til godkjenning")
        PUBLISHED = "published", _("Publisert")
        SUPERSEDED = "superseded", _("Erstattet")
        ARCHIVED = "archived", _("Arkivert")

    OPEN = (Status.DRAFT, Status.IN_REVIEW)
    READABLE = (Status.PUBLISHED, Status.SUPERSEDED, Status.ARCHIVED)

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("versjon"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    title = models.CharField(_("tittel"), max_length=250)
    body = models.TextField(_("innhold"), blank=True, help_text=_("Renset HTML."))
    body_text = models.TextField(_("innhold som tekst"), blank=True, editable=False)
    change_summary = models.TextField(_("endringer i denne versjonen"), blank=True)
    significant = models.BooleanField(
        _("vesentlig endring"),
        default=True,
        help_text=_(
            "En vesentlig endring krever ny lesebekreftelse. En mindre korreksjon gjør ikke det."
        ),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("forfatter"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="authored_versions",
    )
    submitted_at = models.DateTimeField(_("sendt til godkjenning"), null=True, blank=True)
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("godkjent av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="approved_versions",
    )
    approved_at = models.DateTimeField(_("godkjent"), null=True, blank=True)
    next_revision = models.DateField(_("neste revisjon"), null=True, blank=True)
    revision_months = models.PositiveSmallIntegerField(
        _("revisjonsintervall (måneder)"), null=True, blank=True
    )
    template_version = models.ForeignKey(
        TemplateVersion,
        verbose_name=_("skrevet fra mal"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    return_comment = models.TextField(_("kommentar ved retur"), blank=True)
    created_at = models.DateTimeField(_("opprettet"), auto_now_add=True)
    updated_at = models.DateTimeField(_("endret"), auto_now=True)
    # PostgreSQL full-text vector (norwegian); filled by services, GIN-indexed by a migration.
    search_vector = SearchVectorField(null=True, editable=False)

    objects = VersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("dokumentversjon")
        verbose_name_plural = _("dokumentversjoner")
        ordering = ["document", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="docversion_number"),
            # The one-published-version rule: a second publish fails in the database, whatever
            # two approvers do at the same moment.
            models.UniqueConstraint(
                fields=["document"],
                condition=Q(status="published"),
                name="docversion_one_published",
            ),
            models.UniqueConstraint(
                fields=["document"],
                condition=Q(status__in=["draft", "in_review"]),
                name="docversion_one_open_draft",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "document"], name="docversion_status"),
            # The statistics count the versions approved in a period (documents/stats.py):
            # an index-only range scan instead of reading every version with its text.
            models.Index(fields=["approved_at", "document"], name="docversion_approved"),
        ]

    def __str__(self) -> str:
        return f"{self.document.number} v{self.number}"

    def get_absolute_url(self) -> str:
        return reverse("documents:version", args=[self.document_id, self.number])

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"documents/{instance.version.document_id}/{instance.version_id}/{filename}"


class Attachment(models.Model):
    """A file attached to a version; carried over (same file) when a revision starts."""

    version = models.ForeignKey(
        DocumentVersion, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("fil"), upload_to=attachment_path, max_length=300)
    name = models.CharField(_("filnavn"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("vedlegg")
        verbose_name_plural = _("vedlegg")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class DocumentEvent(models.Model):
    """The history of a document: one row per state change, with who and an optional comment."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Opprettet")
        EDITED = "edited", _("Utkast endret")
        SUBMITTED = "submitted", _("Sendt til godkjenning")
        RETURNED = "returned", _("Returnert")
        APPROVED = "approved", _("Godkjent og publisert")
        REVISION_STARTED = "revision_started", _("Revisjon startet")
        ARCHIVED = "archived", _("Arkivert")
        READ_ROUND = "read_round", _("Ny leserunde")

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="events")
    version = models.ForeignKey(
        DocumentVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("dokumenthendelse")
        verbose_name_plural = _("dokumenthendelser")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.document.number}: {self.get_kind_display()}"


class ReadRound(models.Model):
    """One round of read confirmations: started by a significant publication or periodically."""

    class Reason(models.TextChoices):
        PUBLISHED = "published", _("Ny versjon")
        PERIODIC = "periodic", _("Periodisk lesing")

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="read_rounds")
    version = models.ForeignKey(DocumentVersion, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=20, choices=Reason.choices, default=Reason.PUBLISHED)
    started_at = models.DateTimeField(default=timezone.now)
    deadline = models.DateField(_("lesefrist"))

    class Meta:
        verbose_name = _("leserunde")
        verbose_name_plural = _("leserunder")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.document.number} ({self.started_at:%Y-%m-%d})"


class ReadReceipt(models.Model):
    """A line on someone's read list (leseliste), confirmed with "lest og forstått"."""

    round = models.ForeignKey(ReadRound, on_delete=models.CASCADE, related_name="receipts")
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="read_receipts"
    )
    deadline = models.DateField(_("lesefrist"))
    confirmed_at = models.DateTimeField(_("bekreftet lest"), null=True, blank=True)

    objects = ReadReceiptQuerySet.as_manager()

    class Meta:
        verbose_name = _("lesebekreftelse")
        verbose_name_plural = _("lesebekreftelser")
        constraints = [
            models.UniqueConstraint(fields=["round", "user"], name="readreceipt_once"),
        ]
        indexes = [
            models.Index(
                fields=["user", "deadline"],
                name="readreceipt_open",
                condition=Q(confirmed_at__isnull=True),
            ),
            models.Index(
                fields=["deadline"],
                name="readreceipt_due",
                condition=Q(confirmed_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.document_id}"


class RequiredDocument(models.Model):
    """A document a kind of unit (every sector, every unit …) or one named unit must have —
    the «må være på plass» list: delegeringsreglement, arkivplan, beredskapsplan …

    Which document fulfils it in a given unit is a :class:`RequiredDocumentLink`; whether the
    unit is covered is decided by documents.querysets ``coverage_status``.
    """

    title = models.CharField(_("tittel"), max_length=200)
    description = models.TextField(_("beskrivelse"), blank=True)
    doc_type = models.ForeignKey(
        DocumentType,
        verbose_name=_("dokumenttype"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="requirements",
    )
    unit_kind = models.CharField(
        _("gjelder enheter på nivå"),
        max_length=20,
        choices=OrgUnit.Kind.choices,
        blank=True,
    )
    unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("gjelder enheten"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="required_documents",
    )
    created_at = models.DateTimeField(_("opprettet"), auto_now_add=True)

    class Meta:
        verbose_name = _("påkrevd dokument")
        verbose_name_plural = _("påkrevde dokumenter")
        ordering = ["title"]
        constraints = [
            # Either every unit of a kind or one named unit, never both or neither.
            models.CheckConstraint(
                condition=(Q(unit__isnull=True) & ~Q(unit_kind=""))
                | (Q(unit__isnull=False) & Q(unit_kind="")),
                name="requireddoc_kind_or_unit",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if bool(self.unit_id) == bool(self.unit_kind):
            raise ValidationError(_("Velg enten et nivå eller én bestemt enhet."))

    def applies_to(self, unit: OrgUnit) -> bool:
        return self.unit_id == unit.pk if self.unit_id else self.unit_kind == unit.kind


class RequiredDocumentLink(models.Model):
    """The document that fulfils a requirement in one unit."""

    requirement = models.ForeignKey(
        RequiredDocument, on_delete=models.CASCADE, related_name="links"
    )
    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+")
    document = models.ForeignKey(
        Document, verbose_name=_("dokument"), on_delete=models.CASCADE, related_name="+"
    )
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    linked_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("oppfylt krav")
        verbose_name_plural = _("oppfylte krav")
        constraints = [
            models.UniqueConstraint(fields=["requirement", "unit"], name="requireddoc_link_once"),
        ]

    def __str__(self) -> str:
        return f"{self.requirement} – {self.unit}"


class InForceBundle(models.Model):
    """The documents in force on a date (for an inspector), as one PDF or a ZIP of PDFs.

    Asked for by a user and rendered by a task on the ``pdf`` queue with the versions that user
    may see (``documents.printing.in_force_for``); only they download it. The lifecycle is the
    quality report's: PENDING → PROCESSING → READY or FAILED, the file saved whole before the row
    turns READY.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("I kø")
        PROCESSING = "processing", _("Lages")
        READY = "ready", _("Klar")
        FAILED = "failed", _("Feilet")

    class Format(models.TextChoices):
        PDF = "pdf", _("Én PDF med innholdsfortegnelse")
        ZIP = "zip", _("ZIP med én PDF per dokument")

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    day = models.DateField(_("dato"))
    unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("enhet"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    process = models.ForeignKey(
        Process,
        verbose_name=_("prosess"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    format = models.CharField(_("format"), max_length=3, choices=Format.choices, default=Format.PDF)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("bestilt av"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    language = models.CharField(max_length=10, default="nb")
    site_url = models.CharField(max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    progress = models.PositiveSmallIntegerField(_("fremdrift (%)"), default=0)
    documents = models.PositiveIntegerField(_("dokumenter"), null=True, blank=True)
    file = models.CharField(_("fil"), max_length=300, blank=True)
    size = models.PositiveBigIntegerField(_("størrelse (byte)"), null=True, blank=True)
    last_error = models.TextField(_("siste feil"), blank=True)
    created_at = models.DateTimeField(_("bestilt"), auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("samling av dokumenter i kraft")
        verbose_name_plural = _("samlinger av dokumenter i kraft")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["requested_by", "-created_at"], name="inforce_bundle_user")]

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d} ({self.format})"

    def get_absolute_url(self) -> str:
        return reverse("documents:bundle", args=[self.uid])

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.READY, self.Status.FAILED)

    @property
    def filename(self) -> str:
        return f"dokumenter-i-kraft-{self.day:%Y-%m-%d}.{self.format}"

"""The annual wheel (årshjul): planned control activities per unit and their occurrences.

docs/design.md §7. An :class:`Activity` carries a schedule (one date or a recurrence); its dates are
materialised as :class:`Occurrence` rows per calendar year, so every list, reminder sweep and
completion figure is an indexed query on dates and nothing expands rules at read time.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from annual_wheel import schedule
from annual_wheel.querysets import (
    ActivityQuerySet,
    AgendaItemQuerySet,
    AuditFindingQuerySet,
    AuditProgrammeQuerySet,
    AuditQuerySet,
    CalendarFeedQuerySet,
    ChecklistQuerySet,
    CommitteeQuerySet,
    MeetingQuerySet,
    OccurrenceQuerySet,
    ReviewQuerySet,
    RoundAnswerQuerySet,
    RoundQuerySet,
)
from qms.models import OrgUnit


class Category(models.Model):
    """What kind of activity (internkontroll, HMS, rapportering, ...); the wheel's colour key.

    Configured by quality advisors in the admin; the colours are chosen from a fixed palette
    whose every entry has enough contrast against white for text and wheel segments.
    """

    class Colour(models.TextChoices):
        BLUE = "#1f5fa8", _("Blå")
        GREEN = "#1d7a46", _("Grønn")
        RED = "#b3261e", _("Rød")
        PURPLE = "#6b3fa0", _("Lilla")
        ORANGE = "#a84b00", _("Oransje")
        TEAL = "#00666b", _("Blågrønn")
        BROWN = "#7a4b2a", _("Brun")
        GREY = "#50575e", _("Grå")

    name = models.CharField(_("navn"), max_length=80, unique=True)
    colour = models.CharField(_("farge"), max_length=7, choices=Colour.choices, default=Colour.BLUE)
    order = models.PositiveSmallIntegerField(_("rekkefølge"), default=0)

    class Meta:
        verbose_name = _("kategori")
        verbose_name_plural = _("kategorier")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


# "andre mandag": the position of a weekday in its month, as a word.
ORDINALS = {
    1: pgettext_lazy("weekday in month", "første"),
    2: pgettext_lazy("weekday in month", "andre"),
    3: pgettext_lazy("weekday in month", "tredje"),
    4: pgettext_lazy("weekday in month", "fjerde"),
}


class Activity(models.Model):
    """A planned activity in the annual wheel of a unit, or of the whole municipality.

    ``unit`` empty means the whole municipality: it is shown in every unit's wheel.
    """

    class Recurrence(models.TextChoices):
        ONCE = "once", _("Én gang")
        YEARLY = "yearly", _("Hvert år")
        TERTIAL = "tertial", _("Hvert tertial")
        MONTHLY = "monthly", _("Hver måned")
        MONTH_NTH = "month_nth", _("Hver måned, samme ukedag (f.eks. andre mandag)")
        MONTH_LAST = "month_last", _("Hver måned, siste samme ukedag (f.eks. siste fredag)")
        WEEKLY = "weekly", _("Hver uke")

    class Kind(models.TextChoices):
        ACTIVITY = "activity", _("Aktivitet")
        REVIEW = "review", _("Ledelsens gjennomgåelse")

    title = models.CharField(_("tittel"), max_length=200)
    description = models.TextField(_("beskrivelse"), blank=True)
    kind = models.CharField(
        _("type"),
        max_length=10,
        choices=Kind.choices,
        default=Kind.ACTIVITY,
        help_text=_("En forekomst av ledelsens gjennomgåelse starter gjennomgåelsen for enheten."),
    )
    unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("enhet"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activities",
        help_text=_("Tom betyr hele kommunen."),
    )
    category = models.ForeignKey(
        Category, verbose_name=_("kategori"), on_delete=models.PROTECT, related_name="activities"
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ansvarlig"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="responsible_activities",
    )
    recurrence = models.CharField(
        _("gjentakelse"), max_length=10, choices=Recurrence.choices, default=Recurrence.ONCE
    )
    start_date = models.DateField(
        _("dato"),
        help_text=_("Datoen for aktiviteten, eller første dato når den gjentas."),
    )
    end_date = models.DateField(
        _("gjentas til"), null=True, blank=True, help_text=_("Tom betyr uten sluttdato.")
    )
    documents = models.ManyToManyField(
        "documents.Document",
        verbose_name=_("dokumenter"),
        blank=True,
        related_name="annual_wheel_activities",
        help_text=_("Rutiner og prosedyrer aktiviteten bygger på."),
    )
    checklist = models.ForeignKey(
        "Checklist",
        verbose_name=_("sjekkliste"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities",
        help_text=_("Sjekklisten en runde for aktiviteten gjennomføres med."),
    )
    committee = models.ForeignKey(
        "Committee",
        verbose_name=_("utvalg"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities",
        help_text=_("Utvalget som møtes; hver forekomst kan bli et møte med sakliste."),
    )
    reminder_days = models.PositiveSmallIntegerField(
        _("påminnelse (dager før)"),
        default=14,
        help_text=_("Så mange dager før hver forekomst får den ansvarlige en e-post."),
    )
    # Occurrences exist up to and including this date; the sweep extends the horizon yearly.
    materialised_until = models.DateField(null=True, blank=True, editable=False)
    is_active = models.BooleanField(_("aktiv"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ActivityQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("aktivitet")
        verbose_name_plural = _("aktiviteter")
        ordering = ["start_date", "title"]
        indexes = [
            models.Index(fields=["unit", "is_active"]),
            models.Index(
                fields=["materialised_until"],
                name="activity_horizon",
                condition=Q(is_active=True),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="activity_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(reminder_days__lte=365), name="activity_reminder_days_max"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("annual_wheel:activity_detail", args=[self.pk])

    def clean(self) -> None:
        if (
            self.recurrence == self.Recurrence.MONTH_NTH
            and self.start_date
            and schedule.nth_of_month(self.start_date) > schedule.MAX_NTH
        ):
            raise ValidationError(
                {
                    "start_date": _(
                        "Den femte ukedagen i måneden finnes ikke i alle måneder. Velg en dato "
                        "i månedens fire første uker, eller «siste samme ukedag»."
                    )
                }
            )

    @property
    def owner_name(self) -> str:
        return self.unit.name if self.unit_id else str(_("Hele kommunen"))

    @property
    def recurrence_text(self) -> str:
        """The recurrence as a person says it: "Hver måned, andre mandag"."""
        day = WEEKDAYS[self.start_date.weekday()]
        if self.recurrence == self.Recurrence.MONTH_NTH:
            nth = ORDINALS.get(schedule.nth_of_month(self.start_date), "")
            return _("Hver måned, %(nth)s %(day)s") % {"nth": nth, "day": day}
        if self.recurrence == self.Recurrence.MONTH_LAST:
            return _("Hver måned, siste %(day)s") % {"day": day}
        return self.get_recurrence_display()


class Occurrence(models.Model):
    """One dated instance of an activity, tracked as done or not done (with who and a note)."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planlagt")
        DONE = "done", _("Gjennomført")
        NOT_DONE = "not_done", _("Ikke gjennomført")

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="occurrences")
    due_date = models.DateField(_("dato"))
    # due_date minus the activity's reminder_days, stored so the sweep is a range scan.
    remind_on = models.DateField()
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    completed_at = models.DateTimeField(_("registrert"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registrert av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.TextField(_("merknad"), blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    overdue_flagged_at = models.DateTimeField(null=True, blank=True)

    objects = OccurrenceQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("forekomst")
        verbose_name_plural = _("forekomster")
        ordering = ["due_date", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "due_date"], name="occurrence_once_a_day"),
            models.CheckConstraint(
                condition=Q(status="planned") | Q(completed_at__isnull=False),
                name="occurrence_recorded_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["due_date", "activity"]),
            # The reminder sweep: only occurrences still waiting for their reminder.
            models.Index(
                fields=["remind_on"],
                name="occurrence_reminder_due",
                condition=Q(status="planned", reminded_at__isnull=True),
            ),
            # The overdue sweep: only planned occurrences not yet flagged.
            models.Index(
                fields=["due_date"],
                name="occurrence_overdue_due",
                condition=Q(status="planned", overdue_flagged_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activity} – {self.due_date:%d.%m.%Y}"

    def get_absolute_url(self) -> str:
        return reverse("annual_wheel:activity_detail", args=[self.activity_id]) + f"#occ-{self.pk}"

    def is_overdue(self, today: date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.status == self.Status.PLANNED and self.due_date < today

    @property
    def done_on_time(self) -> bool:
        return (
            self.status == self.Status.DONE
            and self.completed_at is not None
            and timezone.localtime(self.completed_at).date() <= self.due_date
        )


class CalendarFeed(models.Model):
    """A secret, revocable address of one unit's iCalendar feed for one user.

    Calendar apps cannot sign in, so the token in the URL is the credential. Only its SHA-256
    is stored: the address is shown once when it is made, and a lost one is revoked and replaced.
    The feed shows what its owner may see, so a deactivated user's feeds stop working.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("enhet"), on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    objects = CalendarFeedQuerySet.as_manager()

    class Meta:
        verbose_name = _("kalenderabonnement")
        verbose_name_plural = _("kalenderabonnementer")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "revoked_at"])]

    def __str__(self) -> str:
        return f"{self.user} – {self.unit}"

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()


# --- Control activities: checklists and the rounds that carry them out ----------------------------
#
# docs/design.md §13. A round with a checklist is the "check" of an annual-wheel activity carried out,
# so checklists and rounds live with the wheel: a round may carry out one occurrence, and signing
# it records that occurrence as done.


class Checklist(models.Model):
    """A checklist template (vernerunde, egenkontroll, ...) kept by the quality advisors.

    Its content lives in versions, like a document's: a round keeps the version it ran with, so
    publishing a new version never changes a round already carried out. ``unit`` empty means the
    template is the whole municipality's.
    """

    title = models.CharField(_("tittel"), max_length=200)
    description = models.TextField(_("beskrivelse"), blank=True)
    unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("enhet"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="checklists",
        help_text=_("Tom betyr hele kommunen."),
    )
    is_active = models.BooleanField(_("aktiv"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ChecklistQuerySet.as_manager()

    class Meta:
        verbose_name = _("sjekkliste")
        verbose_name_plural = _("sjekklister")
        ordering = ["title", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("annual_wheel:checklist_detail", args=[self.pk])

    @property
    def owner_name(self) -> str:
        return self.unit.name if self.unit_id else str(_("Hele kommunen"))


class ChecklistVersion(models.Model):
    """One version of a checklist's questions: a draft is edited, a published one is read-only.

    One published and one draft version per checklist at most (conditional unique constraints);
    publishing archives the version published before.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Utkast")
        PUBLISHED = "published", _("Publisert")
        ARCHIVED = "archived", _("Arkivert")

    checklist = models.ForeignKey(Checklist, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("versjon"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(_("publisert"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("sjekklisteversjon")
        verbose_name_plural = _("sjekklisteversjoner")
        ordering = ["checklist", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["checklist", "number"], name="checklistversion_number"),
            models.UniqueConstraint(
                fields=["checklist"],
                condition=Q(status="published"),
                name="checklistversion_one_published",
            ),
            models.UniqueConstraint(
                fields=["checklist"],
                condition=Q(status="draft"),
                name="checklistversion_one_draft",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.checklist} v{self.number}"

    def get_absolute_url(self) -> str:
        return reverse("annual_wheel:checklist_version", args=[self.checklist_id, self.pk])

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


class ChecklistQuestion(models.Model):
    """One question of a checklist version, in a section, with guidance and an answer kind."""

    class Kind(models.TextChoices):
        YES_NO = "yes_no", _("Ja / nei / ikke relevant")
        SCALE = "scale", _("Skala 1–5")
        NUMBER = "number", _("Tall")
        TEXT = "text", _("Tekst")
        PHOTO = "photo", _("Bilde")

    class FailAnswer(models.TextChoices):
        NO = "no", _("Nei")
        YES = "yes", _("Ja")

    version = models.ForeignKey(
        ChecklistVersion, on_delete=models.CASCADE, related_name="questions"
    )
    order = models.PositiveSmallIntegerField(_("rekkefølge"), default=0)
    section = models.CharField(_("del"), max_length=200, blank=True)
    text = models.CharField(_("spørsmål"), max_length=500)
    guidance = models.TextField(_("veiledning"), blank=True)
    kind = models.CharField(_("svartype"), max_length=10, choices=Kind.choices, default=Kind.YES_NO)
    fail_answer = models.CharField(
        _("avvik ved svar"),
        max_length=3,
        choices=FailAnswer.choices,
        default=FailAnswer.NO,
        help_text=_("For ja/nei-spørsmål: svaret som betyr at noe ikke er i orden."),
    )
    document = models.ForeignKey(
        "documents.Document",
        verbose_name=_("rutine som kontrolleres"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="checklist_questions",
    )

    class Meta:
        verbose_name = _("spørsmål")
        verbose_name_plural = _("spørsmål")
        ordering = ["version", "order", "pk"]

    def __str__(self) -> str:
        return self.text

    def fails(self, value: str) -> bool:
        """True when ``value`` is the answer that means something is wrong (yes/no questions)."""
        return self.kind == self.Kind.YES_NO and value == self.fail_answer


class Round(models.Model):
    """A checklist version carried out for a unit on a date by named people (docs/design.md §13).

    Started by hand or from an annual-wheel occurrence; answered question by question; signed,
    after which it is read-only and its occurrence is recorded as done.
    """

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("Pågår")
        SIGNED = "signed", _("Signert")

    version = models.ForeignKey(
        ChecklistVersion,
        verbose_name=_("sjekkliste"),
        on_delete=models.PROTECT,
        related_name="rounds",
    )
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("enhet"), on_delete=models.PROTECT, related_name="rounds"
    )
    date = models.DateField(_("dato"))
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("deltakere"), related_name="checklist_rounds"
    )
    occurrence = models.ForeignKey(
        Occurrence,
        verbose_name=_("forekomst i årshjulet"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="rounds",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.IN_PROGRESS
    )
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signert av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    signed_at = models.DateTimeField(_("signert"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("runde")
        verbose_name_plural = _("runder")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["unit", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="in_progress") | Q(signed_at__isnull=False),
                name="round_signed_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.version.checklist} – {self.unit} {self.date:%d.%m.%Y}"

    def get_absolute_url(self) -> str:
        return reverse("annual_wheel:round_detail", args=[self.pk])

    @property
    def is_signed(self) -> bool:
        return self.status == self.Status.SIGNED


def _photo_path(instance: RoundAnswer, filename: str) -> str:
    suffix = filename.rsplit(".", 1)[-1][:5] if "." in filename else "bin"
    return f"rounds/{instance.round_id}/{instance.question_id}-{secrets.token_hex(8)}.{suffix}"


class RoundAnswer(models.Model):
    """The answer to one question in one round; a failed one may carry its finding.

    ``deviation`` is the finding reported as a deviation (source: the round), ``action`` the
    action of the round's action plan; both are made through the deviations services.
    """

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(
        ChecklistQuestion, on_delete=models.PROTECT, related_name="answers"
    )
    value = models.CharField(_("svar"), max_length=2000, blank=True)
    comment = models.TextField(_("kommentar"), blank=True)
    photo = models.FileField(_("bilde"), upload_to=_photo_path, blank=True)
    photo_type = models.CharField(max_length=40, blank=True, editable=False)
    deviation = models.ForeignKey(
        "deviations.Deviation",
        verbose_name=_("avvik"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.ForeignKey(
        "deviations.CorrectiveAction",
        verbose_name=_("tiltak"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(_("besvart"), null=True, blank=True)

    objects = RoundAnswerQuerySet.as_manager()

    class Meta:
        verbose_name = _("svar")
        verbose_name_plural = _("svar")
        ordering = ["round", "question__order", "question__pk"]
        constraints = [
            models.UniqueConstraint(fields=["round", "question"], name="roundanswer_once"),
        ]

    def __str__(self) -> str:
        return f"{self.question}: {self.value}"

    @property
    def failed(self) -> bool:
        return self.question.fails(self.value)

    @property
    def is_answered(self) -> bool:
        if self.question.kind == ChecklistQuestion.Kind.PHOTO:
            return bool(self.photo) or self.value == "na"
        return self.value != ""


# --- Control activities: internal audits ---------------------------------------------------------
#
# docs/design.md §13. An internal audit is a planned control activity carried out, like a round:
# the programme is the year's plan, an audit may carry out one annual-wheel occurrence, and
# reporting it records that occurrence as done. An avvik found is a deviation (source: internal
# audit) reported through the deviations services; observations and strengths stay here.


class AuditProgramme(models.Model):
    """The year's plan of internal audits of a unit (or of the whole municipality: no unit)."""

    year = models.PositiveSmallIntegerField(_("år"))
    unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("enhet"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit_programmes",
        help_text=_("Tom betyr hele kommunen."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AuditProgrammeQuerySet.as_manager()

    class Meta:
        verbose_name = _("revisjonsprogram")
        verbose_name_plural = _("revisjonsprogrammer")
        ordering = ["-year", "unit__path", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "unit"],
                condition=Q(unit__isnull=False),
                name="auditprogramme_one_per_unit",
            ),
            models.UniqueConstraint(
                fields=["year"], condition=Q(unit__isnull=True), name="auditprogramme_one_common"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.owner_name} {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("annual_wheel:audit_list") + f"?year={self.year}"

    @property
    def owner_name(self) -> str:
        return self.unit.name if self.unit_id else str(_("Hele kommunen"))


class Audit(models.Model):
    """One planned internal audit: what is audited (a unit, optionally a process), when, by whom,
    against which criteria; carried out (opening meeting) and reported (closing meeting)."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planlagt")
        IN_PROGRESS = "in_progress", _("Pågår")
        REPORTED = "reported", _("Rapportert")

    programme = models.ForeignKey(
        AuditProgramme,
        verbose_name=_("revisjonsprogram"),
        on_delete=models.PROTECT,
        related_name="audits",
    )
    title = models.CharField(_("tittel"), max_length=200)
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("enhet som revideres"), on_delete=models.PROTECT, related_name="+"
    )
    process = models.ForeignKey(
        "documents.Process",
        verbose_name=_("prosess"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audits",
    )
    planned_date = models.DateField(_("planlagt dato"))
    lead_auditor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revisjonsleder"),
        on_delete=models.PROTECT,
        related_name="led_audits",
    )
    auditors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("andre revisorer"),
        blank=True,
        related_name="audits",
    )
    criteria = models.ManyToManyField(
        "documents.Document",
        verbose_name=_("prosedyrer det revideres mot"),
        blank=True,
        related_name="audits",
    )
    requirements = models.TextField(_("andre krav"), blank=True)
    occurrence = models.ForeignKey(
        Occurrence,
        verbose_name=_("forekomst i årshjulet"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audits",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PLANNED
    )
    opening_date = models.DateField(_("åpningsmøte"), null=True, blank=True)
    closing_date = models.DateField(_("sluttmøte"), null=True, blank=True)
    summary = models.TextField(_("sammendrag"), blank=True)
    conclusion = models.TextField(_("konklusjon"), blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reported_at = models.DateTimeField(_("rapportert"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("intern revisjon")
        verbose_name_plural = _("interne revisjoner")
        ordering = ["planned_date", "pk"]
        indexes = [models.Index(fields=["unit", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="planned") | Q(opening_date__isnull=False),
                name="audit_started_has_opening",
            ),
            models.CheckConstraint(
                condition=~Q(status="reported")
                | (
                    Q(closing_date__isnull=False) & Q(reported_at__isnull=False) & ~Q(conclusion="")
                ),
                name="audit_reported_has_conclusion",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} – {self.unit} {self.planned_date:%d.%m.%Y}"

    def get_absolute_url(self) -> str:
        return reverse("annual_wheel:audit_detail", args=[self.pk])

    @property
    def is_reported(self) -> bool:
        return self.status == self.Status.REPORTED


class AuditFinding(models.Model):
    """A finding of an audit: an avvik (reported as a deviation of the audited unit), an
    observation or a strength (kept in the audit), with its evidence and the criterion."""

    class Kind(models.TextChoices):
        # An audit's term (ISO 19011 "nonconformity"), not the module's "Avvik".
        NONCONFORMITY = "avvik", pgettext_lazy("audit finding", "Avvik")
        OBSERVATION = "observation", _("Observasjon")
        STRENGTH = "strength", _("Styrke")

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="findings")
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices)
    text = models.TextField(_("funn"))
    evidence = models.TextField(_("grunnlag"), blank=True)
    criterion = models.ForeignKey(
        "documents.Document",
        verbose_name=_("prosedyre"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    deviation = models.ForeignKey(
        "deviations.Deviation",
        verbose_name=_("avvik"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AuditFindingQuerySet.as_manager()

    class Meta:
        verbose_name = _("revisjonsfunn")
        verbose_name_plural = _("revisjonsfunn")
        ordering = ["audit", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:60]}"

    @property
    def is_nonconformity(self) -> bool:
        return self.kind == self.Kind.NONCONFORMITY


# --- Management review (ledelsens gjennomgåelse) --------------------------------------------------
#
# docs/design.md §14. The "act" of the wheel: once a year the leader of a unit goes through what the
# unit's subtree shows (the agenda, filled in by the sections registered in qms/reports/agenda.py),
# writes an assessment per heading, decides actions and signs. The signed review keeps the figures
# as they were at sign-off (``snapshot``) and is read-only.


class Review(models.Model):
    """One management review of a unit (a sector, the municipality: its root unit) for a year.

    ``snapshot`` is empty while the review is in progress (the agenda is computed live) and holds
    the agenda's figures at sign-off afterwards: a signed review renders from it, never live.
    """

    # A review is in progress or signed, as a round is (one enum in the API).
    Status = Round.Status

    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("enhet"), on_delete=models.PROTECT, related_name="reviews"
    )
    year = models.PositiveSmallIntegerField(_("år som gjennomgås"))
    date = models.DateField(_("møtedato"))
    occurrence = models.ForeignKey(
        Occurrence,
        verbose_name=_("forekomst i årshjulet"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reviews",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.IN_PROGRESS
    )
    summary = models.TextField(
        _("samlet vurdering"),
        blank=True,
        help_text=_("Er styringen og kontrollen i enheten god nok? Hva må endres?"),
    )
    snapshot = models.JSONField(default=dict, blank=True, editable=False, encoder=DjangoJSONEncoder)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signert av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    signed_at = models.DateTimeField(_("signert"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ReviewQuerySet.as_manager()

    class Meta:
        verbose_name = _("ledelsens gjennomgåelse")
        verbose_name_plural = _("ledelsens gjennomgåelser")
        ordering = ["-year", "unit__path", "pk"]
        indexes = [models.Index(fields=["unit", "status"])]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="review_one_per_unit_and_year"),
            models.CheckConstraint(
                condition=Q(status="in_progress") | (Q(signed_at__isnull=False) & ~Q(snapshot={})),
                name="review_signed_has_snapshot",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000) & Q(year__lte=2100), name="review_year_range"
            ),
        ]

    def __str__(self) -> str:
        return _("Ledelsens gjennomgåelse %(year)s – %(unit)s") % {
            "year": self.year,
            "unit": self.unit,
        }

    def get_absolute_url(self) -> str:
        return reverse("annual_wheel:review_detail", args=[self.pk])

    @property
    def is_signed(self) -> bool:
        return self.status == self.Status.SIGNED


class ReviewParticipant(models.Model):
    """Someone taking part in a review, with their role in it as free text (leder, verneombud,
    tillitsvalgt, kvalitetsrådgiver, ...)."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="review_participations",
    )
    role = models.CharField(_("rolle"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("deltaker")
        verbose_name_plural = _("deltakere")
        ordering = ["review", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["review", "user"], name="reviewparticipant_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.role})" if self.role else str(self.user)


class ReviewAssessment(models.Model):
    """The leader's written assessment of one agenda heading (``section``: the agenda key)."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="assessments")
    section = models.CharField(_("punkt"), max_length=50)
    text = models.TextField(_("vurdering"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("vurdering")
        verbose_name_plural = _("vurderinger")
        ordering = ["review", "section"]
        constraints = [
            models.UniqueConstraint(fields=["review", "section"], name="reviewassessment_once"),
        ]

    def __str__(self) -> str:
        return f"{self.review} – {self.section}"


class ReviewDecision(models.Model):
    """A decision of the review. It is followed up as a corrective action of the review's unit
    (``action``, made by ``deviations.services.create_action`` with the review as its source), so
    it reaches its responsible's "Mine oppgaver" and is reminded and escalated like every action."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="decisions")
    section = models.CharField(_("punkt"), max_length=50, blank=True)
    text = models.TextField(_("vedtak"))
    action = models.ForeignKey(
        "deviations.CorrectiveAction",
        verbose_name=_("tiltak"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("vedtak")
        verbose_name_plural = _("vedtak")
        ordering = ["review", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


# --- Committees and their meetings (docs/design.md §14) ------------------------------------------


class Committee(models.Model):
    """A committee of a level of the organisation: a quality committee, the working-environment
    committee (AMU) or another, with its members and their roles."""

    class Kind(models.TextChoices):
        QUALITY = "quality", _("Kvalitetsutvalg")
        AMU = "amu", _("Arbeidsmiljøutvalg (AMU)")
        OTHER = "other", _("Annet utvalg")

    name = models.CharField(_("navn"), max_length=200)
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices, default=Kind.QUALITY)
    unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("nivå"),
        on_delete=models.PROTECT,
        related_name="committees",
        help_text=_("Enheten utvalget hører til; saker fra denne enheten og under kan meldes."),
    )
    description = models.TextField(_("mandat"), blank=True)
    is_active = models.BooleanField(_("aktiv"), default=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="CommitteeMember",
        related_name="committees",
        verbose_name=_("medlemmer"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CommitteeQuerySet.as_manager()

    class Meta:
        verbose_name = _("utvalg")
        verbose_name_plural = _("utvalg")
        ordering = ["unit__path", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("annual_wheel:committee_detail", args=[self.pk])


class CommitteeMember(models.Model):
    """A person's seat in a committee: chair, secretary or member, and whom they represent."""

    class Role(models.TextChoices):
        CHAIR = "chair", _("Leder")
        SECRETARY = "secretary", _("Sekretær")
        MEMBER = "member", _("Medlem")

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="seats")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    role = models.CharField(_("rolle"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    representing = models.CharField(
        _("representerer"),
        max_length=100,
        blank=True,
        help_text=_("For eksempel arbeidsgiver, verneombud eller tillitsvalgt."),
    )

    class Meta:
        verbose_name = _("utvalgsmedlem")
        verbose_name_plural = _("utvalgsmedlemmer")
        ordering = ["committee", "role", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "user"], name="committee_seat_once"),
            models.UniqueConstraint(
                fields=["committee"], condition=Q(role="chair"), name="committee_one_chair"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


class Meeting(models.Model):
    """A meeting of a committee: planned, its agenda published, held, its minutes approved by
    the chair and published to the organisation (without personal data)."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planlagt")
        AGENDA_PUBLISHED = "agenda", _("Sakliste sendt")
        HELD = "held", _("Avholdt")
        APPROVED = "approved", _("Protokoll godkjent")
        PUBLISHED = "published", _("Protokoll publisert")

    # A referred case is open to the committee's members while its meeting is in these states.
    OPEN_STATES = (Status.PLANNED, Status.AGENDA_PUBLISHED, Status.HELD)
    # Agenda items are added, and referrals accepted, until the meeting is held.
    REFERRABLE_STATES = (Status.PLANNED, Status.AGENDA_PUBLISHED)

    committee = models.ForeignKey(
        Committee, verbose_name=_("utvalg"), on_delete=models.PROTECT, related_name="meetings"
    )
    date = models.DateField(_("dato"))
    place = models.CharField(_("sted"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    occurrence = models.ForeignKey(
        Occurrence,
        verbose_name=_("forekomst i årshjulet"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meetings",
    )
    agenda_published_at = models.DateTimeField(null=True, blank=True)
    held_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(_("godkjent"), null=True, blank=True)
    published_at = models.DateTimeField(_("publisert"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("møte")
        verbose_name_plural = _("møter")
        ordering = ["date", "pk"]
        indexes = [models.Index(fields=["committee", "status", "date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["planned", "agenda", "held"])
                | (Q(approved_at__isnull=False) & Q(held_at__isnull=False)),
                name="meeting_approved_was_held",
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="meeting_published_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.committee} {self.date:%d.%m.%Y}"

    def get_absolute_url(self) -> str:
        return reverse("annual_wheel:meeting_detail", args=[self.pk])

    @property
    def unit_id(self) -> int:
        """The committee's unit: where the meeting's decisions become actions."""
        return self.committee.unit_id

    @property
    def unit(self) -> OrgUnit:
        return self.committee.unit

    @property
    def minutes_locked(self) -> bool:
        return self.status in (self.Status.APPROVED, self.Status.PUBLISHED)


class AgendaItem(models.Model):
    """One case on a meeting's agenda: a referred case of a registered kind (qms.referrals) or a
    free item; its written summary, the discussion, the decision and the action it became.

    ``title`` and ``summary`` are written by whoever refers the case, for the committee and for
    the published minutes: they never carry personal data (the referral form says so, and a
    personal-data case is referred only through them).
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveSmallIntegerField(_("rekkefølge"), default=0)
    kind = models.CharField(_("type"), max_length=30, default="free")
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    title = models.CharField(_("tittel"), max_length=200)
    summary = models.TextField(_("sammendrag"), blank=True)
    discussion = models.TextField(_("drøfting"), blank=True)
    decision = models.TextField(_("vedtak"), blank=True)
    action = models.ForeignKey(
        "deviations.CorrectiveAction",
        verbose_name=_("tiltak"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("meldt av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    referred_at = models.DateTimeField(auto_now_add=True)

    objects = AgendaItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("sak på saklisten")
        verbose_name_plural = _("saker på saklisten")
        ordering = ["meeting", "order", "pk"]
        indexes = [models.Index(fields=["kind", "object_id"])]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="free") & Q(object_id__isnull=True))
                | (~Q(kind="free") & Q(object_id__isnull=False)),
                name="agenda_item_free_has_no_object",
            ),
            models.UniqueConstraint(
                fields=["meeting", "kind", "object_id"],
                condition=Q(object_id__isnull=False),
                name="agenda_item_referred_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.title}"

    @property
    def is_free(self) -> bool:
        return self.kind == "free"

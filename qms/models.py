"""Organisation, memberships, notifications and the reminder ledger (docs/design.md §2, §10)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from treebeard.mp_tree import MP_Node

from qms.querysets import MembershipQuerySet, NotificationQuerySet, OrgUnitManager


class Language(models.TextChoices):
    """The languages of the site (settings.LANGUAGES); bokmål is the source language."""

    BOKMAL = "nb", _("Norsk bokmål")
    NYNORSK = "nn", _("Norsk nynorsk")
    ENGLISH = "en", _("English")


class User(AbstractUser):
    class EmailMode(models.TextChoices):
        # The default: each e-mail at once, but reminders and escalations beyond a handful a day
        # wait for the daily digest (a leader whose sweep catches up gets one e-mail, not 250).
        AUTO = "auto", _("Straks, men mange påminnelser samles i et daglig sammendrag")
        IMMEDIATE = "immediate", _("Alle e-poster straks")
        DAILY = "daily", _("Ett daglig sammendrag")

    job_title = models.CharField(_("stilling"), max_length=150, blank=True)
    phone = models.CharField(_("telefon"), max_length=40, blank=True)
    email_mode = models.CharField(
        _("e-postvarsler"), max_length=10, choices=EmailMode.choices, default=EmailMode.AUTO
    )
    # Empty: the municipality's målform (SiteSettings.default_language); qms.middleware.
    language = models.CharField(
        _("språk"),
        max_length=10,
        choices=Language.choices,
        blank=True,
        help_text=_("Tomt betyr kommunens målform."),
    )
    # The stable key of a person in the HR system and in SCIM (``externalId``): people are
    # matched on it, never on a name (docs/design.md §12). Empty for people added by hand.
    employee_number = models.CharField(
        _("ansattnummer"), max_length=64, unique=True, null=True, blank=True
    )

    # The person's stable id at the identity provider (Entra ID's object id, the employee
    # number, an OpenID Connect "sub"), set by provisioning; single sign-on matches on it and
    # never on a name or an e-mail address (qms.identity.user_for_claim).
    external_id = models.CharField(
        _("ekstern ID"),
        max_length=255,
        unique=True,
        null=True,
        blank=True,
        help_text=_(
            "Personens faste ID i kommunens innloggingstjeneste, for eksempel objekt-ID i "
            "Entra ID eller ansattnummer. Enkel pålogging kobler brukeren på denne."
        ),
    )

    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta(AbstractUser.Meta):
        verbose_name = _("bruker")
        verbose_name_plural = _("brukere")
        swappable = "AUTH_USER_MODEL"

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class OrgUnit(MP_Node):
    """A node of the organisation tree, stored as a materialised path (django-treebeard).

    The path makes "this unit and everything under it" a single indexed prefix query and
    "this unit and everything above it" a single ``path IN (...)`` query.
    """

    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", _("Kommune")
        SECTOR = "sector", _("Sektor")
        UNIT = "unit", _("Enhet")
        DEPARTMENT = "department", _("Avdeling")

    name = models.CharField(_("navn"), max_length=200)
    kind = models.CharField(_("nivå"), max_length=20, choices=Kind.choices, default=Kind.UNIT)
    code = models.SlugField(_("kode"), max_length=40, unique=True)
    headcount = models.PositiveIntegerField(
        _("antall ansatte"),
        null=True,
        blank=True,
        help_text=_("Brukes til å regne avvik per 100 ansatte."),
    )
    is_active = models.BooleanField(_("aktiv"), default=True)
    # The unit's code in the HR system (enhetskode), the key of the HR import and of SCIM groups.
    external_id = models.CharField(
        _("enhetskode i HR-systemet"), max_length=64, unique=True, null=True, blank=True
    )
    # A unit is closed, never deleted: its cases, documents and history keep pointing at it.
    closed_at = models.DateTimeField(_("nedlagt"), null=True, blank=True)

    node_order_by = ["name"]
    objects = OrgUnitManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("enhet")
        verbose_name_plural = _("enheter")
        indexes = [
            # LIKE 'prefix%' on PostgreSQL needs the pattern operator class whatever the collation.
            models.Index(
                fields=["path"], name="orgunit_path_pattern", opclasses=["varchar_pattern_ops"]
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("unit_detail", args=[self.pk])

    @property
    def ancestor_paths(self) -> list[str]:
        """Paths of this unit and every ancestor, root first (derived from the path, no query)."""
        step = self.steplen
        return [self.path[:i] for i in range(step, len(self.path) + 1, step)]

    def subtree(self):
        """This unit and all units below it, in one indexed query."""
        return OrgUnit.objects.filter(path__startswith=self.path)

    def ancestors_and_self(self):
        return OrgUnit.objects.filter(path__in=self.ancestor_paths)


class UnitDescription(models.Model):
    """What a unit is for (kommuneloven § 25-1 a): its main tasks, this year's goals and the laws
    its services follow. One per unit; every saved version is kept (``history``) and shown on the
    unit page. Plain text: addresses in ``laws`` become links when shown (``urlize``)."""

    unit = models.OneToOneField(OrgUnit, on_delete=models.CASCADE, related_name="description")
    main_tasks = models.TextField(_("hovedoppgaver"), blank=True)
    goals_year = models.PositiveSmallIntegerField(_("år for målene"), null=True, blank=True)
    goals = models.TextField(_("mål for året"), blank=True)
    laws = models.TextField(
        _("lover og forskrifter"),
        blank=True,
        help_text=_("Én per linje. Lenker (https://…) blir klikkbare."),
    )
    updated_at = models.DateTimeField(_("endret"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("endret av"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("enhetsbeskrivelse")
        verbose_name_plural = _("enhetsbeskrivelser")

    def __str__(self) -> str:
        return str(self.unit)

    def clean(self) -> None:
        if self.goals.strip() and not self.goals_year:
            raise ValidationError({"goals_year": _("Skriv hvilket år målene gjelder for.")})
        if self.goals_year is not None and not 2000 <= self.goals_year <= 2100:
            raise ValidationError({"goals_year": _("Skriv et årstall, for eksempel 2027.")})


class Membership(models.Model):
    """A person's place in a unit. A person may belong to several units.

    ``leader`` and ``deputy`` make the unit's leadership; ``committee`` scopes a member of the
    quality_committee group to this unit's subtree. The roles the handbooks name (docs/design.md
    §1) each cover the unit's subtree: a verneombud for their unit, a hovedverneombud usually for
    the municipality; what each may see is decided in the permission layer (``qms.permissions``).
    """

    class Role(models.TextChoices):
        EMPLOYEE = "employee", _("Ansatt")
        LEADER = "leader", _("Leder")
        DEPUTY = "deputy", _("Stedfortreder")
        SAFETY_REP = "safety_rep", _("Verneombud")
        MAIN_SAFETY_REP = "main_safety_rep", _("Hovedverneombud")
        UNION_REP = "union_rep", _("Tillitsvalgt")
        WORK_ENVIRONMENT = "amu", _("Medlem av arbeidsmiljøutvalget (AMU)")
        COMMITTEE = "committee", _("Medlem av kvalitetsutvalg")
        CONTROL_COMMITTEE = "control_committee", _("Medlem av kontrollutvalget")
        ELECTED = "elected", _("Folkevalgt")
        COORDINATOR = "coordinator", _("Kvalitetskoordinator")

    LEADERSHIP = (Role.LEADER, Role.DEPUTY)
    # Who sees the HMS cases of the subtree (without personal-data cases) and its HMS statistics.
    HMS_CASES = (Role.SAFETY_REP, Role.MAIN_SAFETY_REP)
    # Who sees the HMS statistics of the subtree only.
    HMS_STATISTICS = (*HMS_CASES, Role.UNION_REP, Role.WORK_ENVIRONMENT)
    # Read-only: published documents, the statistics and the reports of the subtree, never cases.
    READERS = (Role.CONTROL_COMMITTEE, Role.ELECTED)
    # Roles that give rights only: they do not make the person one of the unit's staff (who
    # reads its risk assessments, writes drafts for it, ...). A verneombud is also an employee
    # of their own unit, through an "employee" membership.
    RIGHTS_ONLY = (*HMS_STATISTICS, *READERS, Role.COORDINATOR)

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("rolle"), max_length=20, choices=Role.choices, default=Role.EMPLOYEE)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MembershipQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("medlemskap")
        verbose_name_plural = _("medlemskap")
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="membership_unique_role"),
            models.UniqueConstraint(
                fields=["unit"], condition=Q(role="leader"), name="membership_one_leader_per_unit"
            ),
            models.UniqueConstraint(
                fields=["unit"], condition=Q(role="deputy"), name="membership_one_deputy_per_unit"
            ),
        ]
        indexes = [models.Index(fields=["user", "role"]), models.Index(fields=["unit", "role"])]

    def __str__(self) -> str:
        return f"{self.user} – {self.unit} ({self.get_role_display()})"


class Notification(models.Model):
    """An in-app notification, and the outbox row for its e-mail.

    The row is written in the transaction that decides to notify; the e-mail is sent after
    commit by a task that first claims the row (claim-then-send), so a task delivered twice
    sends once, and nothing a user does waits on the broker.
    """

    class EmailStatus(models.TextChoices):
        PENDING = "pending", _("Venter")
        SENDING = "sending", _("Sendes")
        SENT = "sent", _("Sendt")
        FAILED = "failed", _("Feilet")
        NONE = "none", _("Ingen e-post")
        DIGEST = "digest", _("Venter på daglig sammendrag")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=60)
    subject = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    email_status = models.CharField(
        max_length=10, choices=EmailStatus.choices, default=EmailStatus.PENDING
    )
    email_claimed_at = models.DateTimeField(null=True, blank=True)
    email_sent_at = models.DateTimeField(null=True, blank=True)
    email_attempts = models.PositiveSmallIntegerField(default=0)
    # After a temporary failure: not before this time (qms.notifications.retry_delay).
    email_next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("varsel")
        verbose_name_plural = _("varsler")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            models.Index(
                fields=["email_status"],
                name="notification_outbox",
                condition=Q(email_status__in=["pending", "sending"]),
            ),
            # The daily digest sweep reads only the rows waiting for it.
            models.Index(
                fields=["recipient", "created_at"],
                name="notification_digest",
                condition=Q(email_status="digest"),
            ),
        ]

    def __str__(self) -> str:
        return self.subject


class ApiToken(models.Model):
    """An API key of one user, valid until ``expires_at``; its owner lists and revokes it.

    Only a hash of the key is stored (qms.tokens); the key is shown once, when it is made.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("navn"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(_("begynner med"), max_length=8)
    created_at = models.DateTimeField(_("laget"), auto_now_add=True)
    expires_at = models.DateTimeField(_("utløper"))
    last_used_at = models.DateTimeField(_("sist brukt"), null=True, blank=True)

    class Meta:
        verbose_name = _("API-nøkkel")
        verbose_name_plural = _("API-nøkler")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class ProvisioningToken(models.Model):
    """The key an identity provider (Entra ID) uses for SCIM provisioning at ``/scim/v2/``.

    Made by an administrator in the admin (the key is shown once); never a user's API key, so a
    person's own key can never create or deactivate people. Only a hash is stored.
    """

    name = models.CharField(_("navn"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("begynner med"), max_length=8, editable=False)
    created_at = models.DateTimeField(_("laget"), auto_now_add=True)
    expires_at = models.DateTimeField(_("utløper"))
    last_used_at = models.DateTimeField(_("sist brukt"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("nøkkel for brukerforsyning (SCIM)")
        verbose_name_plural = _("nøkler for brukerforsyning (SCIM)")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class Handover(models.Model):
    """The record of one hand-over: a person's open work in a unit given to a leader when the
    person left or moved (qms.handover). ``items`` lists what was handed over, as shown in the
    notification the leader got."""

    class Reason(models.TextChoices):
        LEFT = "left", _("Sluttet")
        MOVED = "moved", _("Flyttet til en annen enhet")
        UNIT_CLOSED = "unit_closed", _("Enheten ble lagt ned")

    from_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="handovers_given",
        verbose_name=_("fra"),
    )
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="handovers_received",
        verbose_name=_("til"),
    )
    unit = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="handovers",
        verbose_name=_("enhet"),
    )
    reason = models.CharField(_("årsak"), max_length=20, choices=Reason.choices)
    source = models.CharField(_("kilde"), max_length=40, blank=True)
    items = models.JSONField(_("overlevert"), default=list)
    created_at = models.DateTimeField(_("tidspunkt"), auto_now_add=True)

    class Meta:
        verbose_name = _("overlevering")
        verbose_name_plural = _("overleveringer")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.from_user} → {self.to_user or '–'}"


class Reminder(models.Model):
    """The reminder ledger: one row per (object, kind, step), ever.

    A sweep inserts the row in the same transaction that decides to remind; the unique
    constraint makes a second sweep, a duplicate delivery or a restarted worker a no-op.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    kind = models.CharField(max_length=60)
    step = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    notification = models.ForeignKey(
        Notification, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("påminnelse")
        verbose_name_plural = _("påminnelser")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "kind", "step"], name="reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.content_type.model}:{self.object_id} {self.kind}/{self.step}"


def validate_link(value: str) -> None:
    """A web address (http/https) or a path on this site, e.g. a document: /dokumenter/12/."""
    if value.startswith("/") and not value.startswith("//"):
        return
    try:
        URLValidator(schemes=["http", "https"])(value)
    except ValidationError:
        raise ValidationError(
            _("Skriv en nettadresse (https://…) eller en adresse på dette nettstedet (/…)."),
            code="invalid",
        ) from None


class SiteSettings(models.Model):
    """The municipality's own settings, one row (pk 1), edited in the admin.

    Read through ``qms.site.site_settings()`` (cached), never with a query of its own.
    """

    class WrittenStandard(models.TextChoices):
        BOKMAL = Language.BOKMAL.value, Language.BOKMAL.label
        NYNORSK = Language.NYNORSK.value, Language.NYNORSK.label

    default_language = models.CharField(
        _("målform"),
        max_length=10,
        choices=WrittenStandard.choices,
        default=WrittenStandard.BOKMAL,
        help_text=_(
            "Kommunens målform: språket sidene vises på for alle som ikke har valgt et eget språk."
        ),
    )
    whistleblowing_url = models.CharField(
        _("varslingsrutine"),
        max_length=500,
        blank=True,
        validators=[validate_link],
        help_text=_(
            "Lenke til kommunens rutine for varsling om kritikkverdige forhold "
            "(arbeidsmiljøloven kapittel 2 A). Vises på meldeskjemaet. En nettadresse, "
            "eller adressen til et dokument i kvalitetssystemet (/dokumenter/…)."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("innstillinger for kommunen")
        verbose_name_plural = _("innstillinger for kommunen")
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="site_settings_single_row")]

    def __str__(self) -> str:
        return str(_("Innstillinger for kommunen"))

    def save(self, *args, **kwargs):
        from qms.site import forget_site_settings

        self.pk = 1
        super().save(*args, **kwargs)
        forget_site_settings()


class Absence(models.Model):
    """A leader's absence period (docs/design.md §12): from ``starts`` to ``ends`` (both days
    included) new cases, approval requests, reminders and escalations for the units they lead go
    to who acts for them (``qms.organisation.acting_leader``): the named ``deputy``, else the
    unit's standing deputy, else the next leader up."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="absences",
        verbose_name=_("leder"),
    )
    starts = models.DateField(_("fra og med"))
    ends = models.DateField(_("til og med"))
    deputy = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deputising",
        verbose_name=_("stedfortreder"),
        help_text=_("Tomt: enhetens faste stedfortreder, ellers lederen over."),
    )
    note = models.CharField(_("merknad"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registrert av"),
    )
    created_at = models.DateTimeField(_("registrert"), auto_now_add=True)

    class Meta:
        verbose_name = _("fravær")
        verbose_name_plural = _("fravær")
        ordering = ["-starts"]
        indexes = [models.Index(fields=["user", "starts", "ends"])]
        constraints = [
            models.CheckConstraint(condition=Q(ends__gte=models.F("starts")), name="absence_order")
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.starts}–{self.ends}"

    def clean(self) -> None:
        if self.starts and self.ends and self.ends < self.starts:
            raise ValidationError({"ends": _("Siste dag kan ikke være før første dag.")})
        if self.deputy_id is not None and self.deputy_id == self.user_id:
            raise ValidationError({"deputy": _("Velg en annen enn den som er borte.")})


class RoutedWork(models.Model):
    """Something new that went to someone else because its leader was away: the "Mens du var
    borte" list the leader sees when back (``qms.absence.routed_while_away``)."""

    absence = models.ForeignKey(Absence, on_delete=models.CASCADE, related_name="routed")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+")
    subject = models.CharField(max_length=200)
    url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("videresendt arbeid")
        verbose_name_plural = _("videresendt arbeid")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.subject

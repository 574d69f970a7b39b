"""Forms of the deviations module. Errors are Norwegian and say what to do."""

from __future__ import annotations

import time
from datetime import datetime

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from deviations.models import (
    Authority,
    Category,
    CorrectiveAction,
    Deviation,
    Inspection,
    InspectionFinding,
)
from deviations.querysets import handler_candidates, responsible_candidates
from deviations.services import UploadedFile
from qms.fields import PeopleChoiceField
from qms.models import OrgUnit, User
from qms.widgets import FileUpload, PeopleSelect

MAX_FILES = 5
MAX_FILE_SIZE = 10 * 1024 * 1024

# Content is sniffed from the first bytes; the browser's claimed type and the name are not trusted.
SIGNATURES: list[tuple[bytes, int, str, str]] = [
    (b"\xff\xd8\xff", 0, "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", 0, "image/png", "png"),
    (b"GIF87a", 0, "image/gif", "gif"),
    (b"GIF89a", 0, "image/gif", "gif"),
    (b"%PDF-", 0, "application/pdf", "pdf"),
    (b"ftypheic", 4, "image/heic", "heic"),
    (b"ftypheix", 4, "image/heic", "heic"),
    (b"ftypmif1", 4, "image/heif", "heif"),
]


def sniff(head: bytes) -> tuple[str, str] | None:
    for signature, offset, content_type, suffix in SIGNATURES:
        if head[offset : offset + len(signature)] == signature:
            return content_type, suffix
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp", "webp"
    return None


def validate_attachment(upload) -> UploadedFile:
    """Accept photos (JPEG, PNG, GIF, WebP, HEIC) and PDF up to 10 MB, judged by content."""
    if upload.size > MAX_FILE_SIZE:
        raise ValidationError(
            _("«%(name)s» er for stor (%(size)s MB). Største tillatte størrelse er 10 MB."),
            params={"name": upload.name, "size": round(upload.size / 1024 / 1024, 1)},
            code="too_large",
        )
    if upload.size == 0:
        raise ValidationError(_("«%(name)s» er tom."), params={"name": upload.name}, code="empty")
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    found = sniff(head)
    if found is None:
        raise ValidationError(
            _(
                "«%(name)s» er ikke et bilde eller en PDF. Tillatt: JPG, PNG, GIF, WebP, HEIC og PDF."
            ),
            params={"name": upload.name},
            code="wrong_type",
        )
    content_type, suffix = found
    base = upload.name.rsplit(".", 1)[0] if "." in upload.name else upload.name
    return UploadedFile(
        file=upload, name=f"{base[:150]}.{suffix}", content_type=content_type, size=upload.size
    )


class AccessibleForm(forms.Form):
    """Ties help texts and errors to their inputs (aria-describedby, aria-invalid)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._describe()

    def full_clean(self):
        super().full_clean()
        self._describe()

    def _describe(self):
        errors = getattr(self, "_errors", None) or {}
        for name, field in self.fields.items():
            ids = []
            auto_id = self[name].auto_id
            if field.help_text:
                ids.append(f"{auto_id}_help")
            if name in errors:
                ids.append(f"{auto_id}_error")
                field.widget.attrs["aria-invalid"] = "true"
            else:
                field.widget.attrs.pop("aria-invalid", None)
            if ids and not isinstance(field.widget, forms.RadioSelect):
                field.widget.attrs["aria-describedby"] = " ".join(ids)


class AttachmentsField(forms.FileField):
    widget = FileUpload

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if len(files) > MAX_FILES:
            raise ValidationError(
                _("Legg ved høyst %(max)s filer."), params={"max": MAX_FILES}, code="too_many"
            )
        errors, cleaned = [], []
        for upload in files:
            try:
                cleaned.append(validate_attachment(super().clean(upload, initial)))
            except ValidationError as exc:
                errors.extend(exc.error_list)
        if errors:
            raise ValidationError(errors)
        return cleaned


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: OrgUnit) -> str:
        return obj.name


def unit_choices(user: User | None):
    """The user's own units first, then every other active unit (type to search in the list)."""
    units = list(OrgUnit.objects.filter(is_active=True).order_by("path").only("pk", "name", "path"))
    mine = set()
    if user is not None and user.is_authenticated:
        mine = set(user.memberships.values_list("unit_id", flat=True))
    own = [(u.pk, u.name) for u in units if u.pk in mine]
    others = [(u.pk, ("\u00a0\u00a0" * (len(u.path) // 4 - 1)) + u.name) for u in units]
    choices: list = [("", _("Velg enhet"))]
    if own:
        choices.append((_("Mine enheter"), own))
        choices.append((_("Alle enheter"), others))
    else:
        choices.extend(others)
    return choices


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class ReportForm(AccessibleForm):
    """The reporting form: what a person fills in, in under two minutes, on a phone."""

    kind = forms.ChoiceField(
        label=_("Hva vil du melde?"),
        choices=Deviation.Kind.choices,
        widget=forms.RadioSelect,
        initial=Deviation.Kind.DEVIATION,
        error_messages={"required": _("Velg hva du vil melde.")},
    )
    title = forms.CharField(
        label=_("Kort overskrift"),
        max_length=200,
        error_messages={
            "required": _("Skriv en kort overskrift."),
            "max_length": _(
                "Overskriften kan være høyst %(limit_value)d tegn (nå %(show_value)d)."
            ),
        },
    )
    description = forms.CharField(
        label=_("Hva skjedde?"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=20000,
        error_messages={"required": _("Beskriv hva som skjedde.")},
    )
    occurred_at = forms.DateTimeField(
        label=_("Når skjedde det?"),
        widget=DateTimeLocalInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M"],
        error_messages={
            "required": _("Skriv når det skjedde."),
            "invalid": _("Skriv dato og klokkeslett, for eksempel 23.11.2026 14:30."),
        },
    )
    unit = forms.TypedChoiceField(
        label=_("Hvor skjedde det (enhet)?"),
        coerce=int,
        error_messages={
            "required": _("Velg enheten der det skjedde."),
            "invalid_choice": _("Velg en enhet fra listen."),
        },
    )
    place = forms.CharField(
        label=_("Sted (valgfritt)"),
        max_length=200,
        required=False,
        help_text=_("For eksempel rom, avdeling eller adresse."),
    )
    severity = forms.TypedChoiceField(
        label=_("Hvor alvorlig var det?"),
        choices=Deviation.Severity.choices,
        coerce=int,
        widget=forms.RadioSelect,
        initial=Deviation.Severity.MINOR,
        error_messages={"required": _("Velg alvorlighet.")},
    )
    immediate_action = forms.CharField(
        label=_("Hva ble gjort med en gang? (valgfritt)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        required=False,
    )
    category = forms.ModelChoiceField(
        label=_("Kategori (valgfritt)"),
        queryset=Category.objects.filter(is_active=True),
        required=False,
        empty_label=_("Ingen valgt"),
    )
    contains_personal_data = forms.BooleanField(
        label=_("Meldingen inneholder personopplysninger (navn, helseopplysninger o.l.)"),
        required=False,
        help_text=_(
            "Kryss av hvis du nevner personer. Saken blir da bare synlig for melder, leder og "
            "dem som behandler den, og hver visning logges. Skriv ikke mer om personer enn "
            "nødvendig."
        ),
    )
    attachments = AttachmentsField(
        label=_("Vedlegg (valgfritt)"),
        help_text=_("Bilde eller PDF, høyst 5 filer på 10 MB. På mobil kan du ta bilde direkte."),
        widget=FileUpload(attrs={"accept": "image/*,application/pdf"}),
    )

    def __init__(self, *args, user=None, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = unit_choices(user)
        if units is not None:
            self.fields["unit"].choices = [(u.pk, u.name) for u in units]
        if not Category.objects.filter(is_active=True).exists():
            del self.fields["category"]

    def clean_occurred_at(self) -> datetime:
        value = self.cleaned_data["occurred_at"]
        if value > timezone.now() + timezone.timedelta(minutes=5):
            raise ValidationError(_("Tidspunktet kan ikke være i fremtiden."))
        if value.year < 2000:
            raise ValidationError(_("Skriv et tidspunkt etter år 2000."))
        return value

    def clean_unit(self) -> OrgUnit:
        unit = OrgUnit.objects.filter(pk=self.cleaned_data["unit"], is_active=True).first()
        if unit is None:
            raise ValidationError(_("Velg en enhet fra listen."))
        return unit


class AttachForm(forms.Form):
    """Attachments added on the case page (the view cleans them with AttachmentsField)."""

    attachments = AttachmentsField(
        label=_("Legg til vedlegg (bilde eller PDF)"),
        widget=FileUpload(attrs={"accept": "image/*,application/pdf"}),
    )


class PublicReportForm(ReportForm):
    """The open form of a unit: no login; a name is optional; a honeypot field stops bots."""

    reporter_name = forms.CharField(
        label=_("Ditt navn (valgfritt)"),
        max_length=150,
        required=False,
        help_text=_("Du kan være anonym. Oppgir du navn, kan lederen ta kontakt med deg."),
    )
    reporter_contact = forms.CharField(
        label=_("Telefon eller e-post (valgfritt)"), max_length=200, required=False
    )
    website = forms.CharField(required=False, widget=forms.HiddenInput)
    started = forms.CharField(required=False, widget=forms.HiddenInput)

    MIN_SECONDS = 3

    def __init__(self, *args, unit: OrgUnit, **kwargs):
        super().__init__(*args, units=[unit], **kwargs)
        self.fields["unit"].initial = unit.pk
        self.fields["unit"].widget = forms.HiddenInput()
        self.fields.pop("category", None)
        self.fields["started"].initial = signing.dumps(time.time(), salt="deviations.public")

    def clean(self):
        cleaned = super().clean()
        # Spam protection: a hidden field people never fill, and a signed start time (bots
        # post at once, or replay a form from long ago).
        if self.cleaned_data.get("website"):
            raise ValidationError(_("Meldingen ble ikke sendt. Prøv igjen."), code="spam")
        try:
            started = signing.loads(
                self.data.get("started", ""), salt="deviations.public", max_age=24 * 3600
            )
        except signing.BadSignature:
            raise ValidationError(
                _("Skjemaet er for gammelt. Kopier teksten, last siden på nytt og send igjen."),
                code="stale",
            ) from None
        if time.time() - float(started) < self.MIN_SECONDS:
            raise ValidationError(_("Meldingen ble ikke sendt. Prøv igjen."), code="too_fast")
        return cleaned


class ActionForm(AccessibleForm):
    description = forms.CharField(
        label=_("Tiltak"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        error_messages={"required": _("Beskriv tiltaket.")},
    )
    responsible = PeopleChoiceField(
        label=_("Ansvarlig"),
        queryset=User.objects.filter(is_active=True),
        widget=PeopleSelect,
        empty_label=_("Velg ansvarlig"),
        error_messages={
            "required": _("Velg hvem som er ansvarlig."),
            "invalid_choice": _("Velg en ansvarlig fra listen."),
        },
    )
    deadline = forms.DateField(
        label=_("Frist"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
        error_messages={
            "required": _("Sett en frist."),
            "invalid": _("Skriv fristen som dato, for eksempel 15.12.2026."),
        },
    )

    def __init__(
        self, *args, unit: OrgUnit | None = None, deviation: Deviation | None = None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        if unit is not None:
            # The service refuses anyone else (deviations.querysets.responsible_candidates).
            self.fields["responsible"].queryset = responsible_candidates(unit, deviation)
        self.fields["responsible"].label_from_instance = lambda u: u.get_full_name() or u.username

    def clean_deadline(self):
        value = self.cleaned_data["deadline"]
        if value < timezone.localdate():
            raise ValidationError(_("Fristen kan ikke være tilbake i tid."))
        return value


class CompleteActionForm(AccessibleForm):
    note = forms.CharField(
        label=_("Hva ble gjort?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        required=False,
    )


class EvaluateForm(AccessibleForm):
    effect = forms.ChoiceField(
        label=_("Virket tiltaket?"),
        choices=CorrectiveAction.Effect.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Velg om tiltaket virket.")},
    )
    note = forms.CharField(
        label=_("Vurdering"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        required=False,
    )


class ClassifyForm(AccessibleForm):
    cause_class = forms.ChoiceField(
        label=_("Årsaksklasse"),
        choices=[("", _("Velg")), *Deviation.CauseClass.choices],
        error_messages={"required": _("Velg en årsaksklasse.")},
    )
    cause_analysis = forms.CharField(
        label=_("Årsaksanalyse"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=20000,
        required=False,
    )
    category = forms.ModelChoiceField(
        label=_("Kategori"),
        queryset=Category.objects.filter(is_active=True),
        required=False,
        empty_label=_("Ingen valgt"),
    )


class ReasonForm(AccessibleForm):
    reason = forms.CharField(
        label=_("Begrunnelse"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        error_messages={"required": _("Skriv en begrunnelse.")},
    )


class ForwardForm(ReasonForm):
    unit = forms.TypedChoiceField(
        label=_("Videresend til enhet"),
        coerce=int,
        error_messages={
            "required": _("Velg enheten saken skal til."),
            "invalid_choice": _("Velg en enhet fra listen."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = unit_choices(None)

    def clean_unit(self) -> OrgUnit:
        unit = OrgUnit.objects.filter(pk=self.cleaned_data["unit"], is_active=True).first()
        if unit is None:
            raise ValidationError(_("Velg en enhet fra listen."))
        return unit


class CloseForm(AccessibleForm):
    note = forms.CharField(
        label=_("Avslutningsnotat"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        required=False,
    )


class CommentForm(AccessibleForm):
    text = forms.CharField(
        label=_("Kommentar"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        error_messages={"required": _("Skriv en kommentar.")},
    )


class HandlerForm(AccessibleForm):
    handler = PeopleChoiceField(
        label=_("Saksbehandler"),
        queryset=User.objects.filter(is_active=True),
        widget=PeopleSelect,
        empty_label=_("Velg saksbehandler"),
        error_messages={"invalid_choice": _("Velg en bruker fra listen.")},
    )

    def __init__(self, *args, deviation: Deviation | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if deviation is not None:
            # The service refuses anyone else (deviations.querysets.handler_candidates).
            self.fields["handler"].queryset = handler_candidates(deviation)
        self.fields["handler"].label_from_instance = lambda u: u.get_full_name() or u.username


class ShareForm(AccessibleForm):
    username = forms.CharField(
        label=_("Brukernavn"),
        max_length=150,
        error_messages={"required": _("Skriv brukernavnet til personen.")},
    )

    def clean_username(self) -> User:
        user = User.objects.filter(username=self.cleaned_data["username"], is_active=True).first()
        if user is None:
            raise ValidationError(_("Fant ingen aktiv bruker med dette brukernavnet."))
        return user


class DocumentLinkForm(AccessibleForm):
    number = forms.CharField(
        label=_("Dokumentnummer"),
        max_length=20,
        help_text=_("For eksempel RUT-0042."),
        error_messages={"required": _("Skriv dokumentnummeret.")},
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_number(self):
        from documents.models import Document
        from qms import permissions

        number = self.cleaned_data["number"].strip().upper()
        document = (
            permissions.restrict(self.user, Document).filter(number=number).first()
            if self.user is not None
            else None
        )
        if document is None:
            raise ValidationError(_("Fant ikke noe dokument med dette nummeret."))
        return document


# --- Inspections (tilsyn) ------------------------------------------------------------------


def _date_field(label, required=False, **kwargs):
    return forms.DateField(
        label=label,
        required=required,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
        error_messages={"invalid": _("Skriv datoen som dato, for eksempel 15.12.2026.")},
        **kwargs,
    )


class ReportFileField(forms.FileField):
    """The authority's report: the same checks as a case attachment (validate_attachment)."""

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        return validate_attachment(upload) if upload else None


class InspectionForm(AccessibleForm):
    authority = forms.ModelChoiceField(
        label=_("Tilsynsmyndighet"),
        queryset=Authority.objects.filter(is_active=True),
        empty_label=_("Velg tilsynsmyndighet"),
        error_messages={"required": _("Velg hvem som fører tilsyn.")},
    )
    theme = forms.CharField(
        label=_("Tema"),
        max_length=300,
        error_messages={"required": _("Skriv hva tilsynet gjelder.")},
    )
    unit = UnitChoiceField(
        label=_("Ansvarlig enhet"),
        queryset=OrgUnit.objects.none(),
        empty_label=_("Velg enhet"),
        help_text=_("Lederne for enheten følger opp tilsynet og får påminnelser om fristene."),
        error_messages={"required": _("Velg ansvarlig enhet.")},
    )
    units = forms.ModelMultipleChoiceField(
        label=_("Andre enheter tilsynet gjaldt"),
        queryset=OrgUnit.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    status = forms.ChoiceField(label=_("Status"), choices=Inspection.Status.choices)
    opened_on = _date_field(_("Tilsynet åpnet (varsel mottatt)"))
    visit_on = _date_field(_("Tilsynsbesøk"))
    report_received_on = _date_field(_("Rapport mottatt"))
    report = ReportFileField(
        label=_("Tilsynsrapport (PDF eller bilde)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/*"}),
    )
    notes = forms.CharField(
        label=_("Merknader"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units if units is not None else OrgUnit.objects.none()
        self.fields["units"].queryset = OrgUnit.objects.active().order_by("path")
        self.fields["units"].label_from_instance = lambda u: u.name


class FindingForm(AccessibleForm):
    kind = forms.ChoiceField(
        label=_("Type funn"), choices=InspectionFinding.Kind.choices, widget=forms.RadioSelect
    )
    title = forms.CharField(
        label=_("Funnet"),
        max_length=200,
        help_text=_("Kort, slik tilsynet formulerte det."),
        error_messages={"required": _("Skriv funnet.")},
    )
    description = forms.CharField(
        label=_("Beskrivelse fra rapporten"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=20000,
        required=False,
    )
    unit = UnitChoiceField(
        label=_("Enhet"),
        queryset=OrgUnit.objects.none(),
        empty_label=_("Velg enhet"),
        help_text=_("Funnet blir et avvik i denne enheten, behandlet av nærmeste leder."),
        error_messages={"required": _("Velg enhet.")},
    )
    deadline = _date_field(
        _("Tilsynets frist"), help_text=_("Tom når tilsynet ikke har satt frist (merknad).")
    )
    severity = forms.TypedChoiceField(
        label=_("Alvorlighet"),
        choices=Deviation.Severity.choices,
        coerce=int,
        initial=Deviation.Severity.MODERATE,
    )

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units if units is not None else OrgUnit.objects.none()


class ReplyForm(AccessibleForm):
    reply = forms.CharField(
        label=_("Kommunens svar og plan"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=20000,
        error_messages={"required": _("Skriv kommunens svar og plan.")},
    )


class ConfirmFindingForm(AccessibleForm):
    note = forms.CharField(
        label=_("Merknad til lukkingen"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=5000,
        required=False,
    )


class InspectionStatusForm(AccessibleForm):
    status = forms.ChoiceField(label=_("Status"), choices=Inspection.Status.choices)


class InspectionReportForm(AccessibleForm):
    report = ReportFileField(
        label=_("Tilsynsrapport (PDF eller bilde)"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/*"}),
        error_messages={"required": _("Velg en fil å laste opp.")},
    )
    received_on = _date_field(_("Rapport mottatt"))


class InspectionFilterForm(forms.Form):
    authority = forms.ModelChoiceField(
        label=_("Tilsynsmyndighet"),
        queryset=Authority.objects.all(),
        required=False,
        empty_label=_("Alle"),
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Alle")), *Inspection.Status.choices], required=False
    )
    year = forms.IntegerField(label=_("År"), min_value=2000, max_value=2100, required=False)

"""Forms of the documents module. Errors are Norwegian and nothing typed is lost on an error."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from documents.models import Document, DocumentTemplate, DocumentType, InForceBundle, Process
from documents.services import WorkflowError, revision_limits
from qms.fields import PeopleChoiceField
from qms.models import OrgUnit, User
from qms.widgets import FileUpload, PeopleSelect

MAX_ATTACHMENT_BYTES = getattr(settings, "DOCUMENTS_MAX_ATTACHMENT_BYTES", 10 * 1024 * 1024)
ALLOWED_ATTACHMENTS = {
    ".pdf": ("application/pdf",),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document",),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",),
    ".pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation",),
    ".odt": ("application/vnd.oasis.opendocument.text",),
    ".png": ("image/png",),
    ".jpg": ("image/jpeg",),
    ".jpeg": ("image/jpeg",),
    ".txt": ("text/plain",),
}
# What the first bytes of a file must look like for its extension (a renamed .exe is refused).
MAGIC = {
    ".pdf": (b"%PDF",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".pptx": (b"PK\x03\x04",),
    ".odt": (b"PK\x03\x04",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
}


def validate_upload(upload) -> None:
    """Type by extension and content, and size; a clear Norwegian message otherwise."""
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError(
            _("Filen er for stor (%(size)s MB). Største tillatte størrelse er %(max)s MB.")
            % {
                "size": round(upload.size / 1024 / 1024, 1),
                "max": MAX_ATTACHMENT_BYTES // 1024 // 1024,
            }
        )
    suffix = Path(upload.name).suffix.lower()
    if suffix not in ALLOWED_ATTACHMENTS:
        raise ValidationError(
            _("Filtypen er ikke tillatt. Tillatte typer: %(types)s.")
            % {"types": ", ".join(sorted(ALLOWED_ATTACHMENTS))}
        )
    head = upload.read(16)
    upload.seek(0)
    if suffix in MAGIC and not head.startswith(MAGIC[suffix]):
        raise ValidationError(
            _("Innholdet i filen stemmer ikke med filtypen %(type)s.") % {"type": suffix}
        )
    if suffix == ".txt" and b"\x00" in head:
        raise ValidationError(
            _("Innholdet i filen stemmer ikke med filtypen %(type)s.") % {"type": suffix}
        )
    upload.content_type = ALLOWED_ATTACHMENTS[suffix][0]


def tree_label(node) -> str:
    """A unit or process in a select, indented by its depth so the list reads as the tree."""
    return "— " * (node.depth - 1) + node.name


class RichTextarea(forms.Textarea):
    """A textarea that the page enhances into the Trix editor; plain HTML without JavaScript."""

    def __init__(self, attrs=None):
        super().__init__({"rows": 18, "data-richtext": "true", **(attrs or {})})


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Tittel"), max_length=250)
    doc_type = forms.ModelChoiceField(
        label=_("Dokumenttype"),
        queryset=DocumentType.objects.none(),
        empty_label=None,
        help_text=_("Typen bestemmer nummerserien, revisjonsintervallene og hvem som godkjenner."),
    )
    template = forms.ModelChoiceField(
        label=_("Mal"),
        queryset=DocumentTemplate.objects.none(),
        required=False,
        empty_label=_("Typens standardmal"),
        help_text=_("Utkastet starter med innholdet i malen når du ikke skriver noe selv."),
    )
    unit = forms.ModelChoiceField(
        label=_("Eierenhet"), queryset=OrgUnit.objects.none(), empty_label=_("Velg enhet")
    )
    process = forms.ModelChoiceField(
        label=_("Prosess"),
        queryset=Process.objects.none(),
        required=False,
        empty_label=_("Velg prosess"),
    )
    scope = forms.ModelMultipleChoiceField(
        label=_("Gjelder for"),
        queryset=OrgUnit.objects.none(),
        required=False,
        help_text=_(
            "Tomt betyr eierenheten. Spenner omfanget over flere enheter, godkjennes dokumentet "
            "av lederen for nærmeste felles overordnede enhet."
        ),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    revision_responsible = PeopleChoiceField(
        label=_("Revisjonsansvarlig"),
        queryset=User.objects.none(),
        required=False,
        widget=PeopleSelect,
        empty_label=_("Velg revisjonsansvarlig"),
    )
    process_owner = PeopleChoiceField(
        label=_("Prosesseier"),
        queryset=User.objects.none(),
        required=False,
        widget=PeopleSelect,
        empty_label=_("Velg prosesseier"),
    )
    read_deadline_days = forms.IntegerField(
        label=_("Lesefrist (dager)"), min_value=1, max_value=365, initial=14
    )
    reread_months = forms.IntegerField(
        label=_("Periodisk ny lesing (måneder)"),
        min_value=1,
        max_value=60,
        required=False,
        help_text=_("Tomt betyr ingen periodisk lesing."),
    )
    body = forms.CharField(label=_("Innhold"), widget=RichTextarea(), required=False)
    change_summary = forms.CharField(
        label=_("Hva er endret"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )
    significant = forms.BooleanField(
        label=_("Vesentlig endring (alle må lese og bekrefte på nytt)"),
        required=False,
        initial=True,
    )

    def __init__(self, *args, units=None, first_version=True, creating=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units if units is not None else OrgUnit.objects.active()
        self.fields["scope"].queryset = OrgUnit.objects.active()
        self.fields["process"].queryset = Process.objects.all()
        users = User.objects.filter(is_active=True).order_by("first_name", "last_name")
        self.fields["revision_responsible"].queryset = users
        self.fields["process_owner"].queryset = users
        self.fields["process"].label_from_instance = tree_label
        self.fields["scope"].label_from_instance = tree_label
        self.fields["unit"].label_from_instance = tree_label
        if first_version:
            del self.fields["significant"]
        if creating:
            self.fields["doc_type"].queryset = DocumentType.objects.filter(is_active=True)
            self.fields["template"].queryset = DocumentTemplate.objects.all()
            self.fields["body"].help_text = _(
                "Tomt betyr at utkastet starter med innholdet i malen du har valgt."
            )
        else:
            del self.fields["doc_type"]
            del self.fields["template"]

    def document_meta(self) -> dict:
        data = self.cleaned_data
        return {
            "process": data["process"],
            "process_owner": data["process_owner"],
            "revision_responsible": data["revision_responsible"],
            "read_deadline_days": data["read_deadline_days"],
            "reread_months": data["reread_months"],
            "scope": list(data["scope"]),
        }


class ApproveForm(forms.Form):
    revision_months = forms.TypedChoiceField(
        label=_("Revisjonsintervall"),
        coerce=int,
        choices=[],
        required=False,
        empty_value=None,
        help_text=_("Neste revisjon settes så mange måneder etter godkjenningen."),
    )
    next_revision = forms.DateField(
        label=_("Tidligere revisjonsdato (valgfritt)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_(
            "Tomt betyr godkjenningsdato pluss intervallet. Du kan velge en tidligere dato."
        ),
        error_messages={"invalid": _("Skriv en gyldig dato (dd.mm.åååå).")},
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
    )

    def __init__(self, *args, doc_type: DocumentType, **kwargs):
        super().__init__(*args, **kwargs)
        self.doc_type = doc_type
        field = self.fields["revision_months"]
        field.choices = [(m, interval_label(m)) for m in doc_type.intervals]
        field.initial = doc_type.default_interval

    def clean(self):
        data = super().clean()
        if "revision_months" in self.errors:
            return data
        today = timezone.localdate()
        try:
            months, latest = revision_limits(self.doc_type, data.get("revision_months"), today)
        except WorkflowError as exc:
            raise ValidationError({"revision_months": str(exc)}) from None
        data["revision_months"] = months
        value = data.get("next_revision")
        if value is not None and value > latest:
            self.add_error(
                "next_revision",
                _("Neste revisjon kan ikke settes senere enn %(months)s måneder fram.")
                % {"months": months},
            )
        if value is not None and value <= today:
            self.add_error("next_revision", _("Neste revisjon må være etter i dag."))
        return data


def interval_label(months: int) -> str:
    """How an interval reads: «Hver 12. måned (årlig)»."""
    names = {6: _("halvårlig"), 12: _("årlig"), 24: _("annethvert år"), 36: _("hvert tredje år")}
    text = _("Hver %(n)s. måned") % {"n": months}
    return f"{text} ({names[months]})" if months in names else str(text)


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("Hva må endres?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        error_messages={"required": _("Skriv hva som må endres før du returnerer utkastet.")},
    )


class ArchiveForm(forms.Form):
    comment = forms.CharField(
        label=_("Begrunnelse"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("Vedlegg"), validators=[validate_upload])


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Søk i rutiner"), required=False, max_length=200)


class FilterForm(forms.Form):
    q = forms.CharField(label=_("Tittel eller nummer"), required=False, max_length=200)
    prosess = forms.ModelChoiceField(
        label=_("Prosess"),
        queryset=Process.objects.all(),
        required=False,
        empty_label=_("Alle prosesser"),
    )
    enhet = forms.ModelChoiceField(
        label=_("Enhet"),
        queryset=OrgUnit.objects.active(),
        required=False,
        empty_label=_("Alle enheter"),
    )
    type = forms.ModelChoiceField(
        label=_("Dokumenttype"),
        queryset=DocumentType.objects.all(),
        required=False,
        empty_label=_("Alle typer"),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Publiserte"))]
        + [(s.value, s.label) for s in Document.Status if s != Document.Status.PUBLISHED],
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["prosess"].label_from_instance = tree_label
        self.fields["enhet"].label_from_instance = tree_label


INTERVAL_CHOICES = [(m, m) for m in (3, 6, 12, 18, 24, 36, 48, 60)]


class TypeForm(forms.Form):
    name = forms.CharField(label=_("Navn"), max_length=100)
    code = forms.SlugField(
        label=_("Kode"), max_length=40, help_text=_("Små bokstaver, uten mellomrom.")
    )
    prefix = forms.CharField(
        label=_("Nummerprefiks"),
        max_length=6,
        help_text=_("2–6 store bokstaver. Dokumentene nummereres PREFIKS-0001, PREFIKS-0002 …"),
    )
    description = forms.CharField(
        label=_("Beskrivelse"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    revision_intervals = forms.TypedMultipleChoiceField(
        label=_("Tillatte revisjonsintervaller (måneder)"),
        coerce=int,
        choices=INTERVAL_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Velg minst ett revisjonsintervall.")},
    )
    default_interval = forms.TypedChoiceField(
        label=_("Standard revisjonsintervall (måneder)"), coerce=int, choices=INTERVAL_CHOICES
    )
    default_template = forms.ModelChoiceField(
        label=_("Standardmal"),
        queryset=DocumentTemplate.objects.all(),
        required=False,
        empty_label=_("Ingen mal"),
    )
    approver_group = forms.ModelChoiceField(
        label=_("Godkjennes bare av gruppen"),
        queryset=Group.objects.order_by("name"),
        required=False,
        empty_label=_("Leder for eierenheten"),
        help_text=_(
            "Tomt betyr leder for eierenheten (eller nærmeste felles overordnede enhet). "
            "Velg for eksempel kommunedirektørens ledergruppe for styringsdokumenter."
        ),
    )
    is_active = forms.BooleanField(label=_("I bruk"), required=False, initial=True)

    def clean_prefix(self) -> str:
        return self.cleaned_data["prefix"].strip().upper()

    def clean(self):
        data = super().clean()
        intervals, default = data.get("revision_intervals"), data.get("default_interval")
        if intervals and default is not None and default not in intervals:
            self.add_error("default_interval", _("Standardintervallet må være et av de tillatte."))
        return data


class TemplateForm(forms.Form):
    name = forms.CharField(label=_("Navn"), max_length=200)
    body = forms.CharField(label=_("Innhold"), widget=RichTextarea())


class RequirementForm(forms.Form):
    title = forms.CharField(label=_("Tittel"), max_length=200)
    description = forms.CharField(
        label=_("Beskrivelse"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    doc_type = forms.ModelChoiceField(
        label=_("Dokumenttype"),
        queryset=DocumentType.objects.all(),
        required=False,
        empty_label=_("Alle typer"),
    )
    unit_kind = forms.ChoiceField(
        label=_("Gjelder alle enheter på nivå"),
        choices=[("", _("Velg nivå"))] + list(OrgUnit.Kind.choices),
        required=False,
    )
    unit = forms.ModelChoiceField(
        label=_("… eller bare enheten"),
        queryset=OrgUnit.objects.none(),
        required=False,
        empty_label=_("Velg enhet"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = OrgUnit.objects.active()
        self.fields["unit"].label_from_instance = tree_label

    def clean(self):
        data = super().clean()
        if bool(data.get("unit")) == bool(data.get("unit_kind")):
            raise ValidationError(_("Velg enten et nivå eller én bestemt enhet."))
        return data


class LinkForm(forms.Form):
    document = forms.ModelChoiceField(
        label=_("Dokument som oppfyller kravet"),
        queryset=Document.objects.none(),
        required=False,
        empty_label=_("Ingen (fjern koblingen)"),
    )

    def __init__(self, *args, documents=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document"].queryset = (
            documents if documents is not None else Document.objects.none()
        )


class WordFilesField(forms.FileField):
    """One or many files from one input; their kind and size are checked by the import
    (``documents.word_import``), which says which file broke which limit."""

    widget = FileUpload

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if not files:
            raise ValidationError(self.error_messages["required"], code="required")
        return [super(WordFilesField, self).clean(upload, initial) for upload in files]


class WordImportForm(forms.Form):
    files = WordFilesField(
        label=_("Word-filer (.docx) eller en ZIP-fil med en mappestruktur"),
        help_text=_(
            "Hver fil blir et utkast i enheten du velger. I en ZIP-fil gir mappenavnet "
            "prosessen når det er navnet på en prosess."
        ),
        widget=FileUpload(
            attrs={
                "accept": ".docx,.zip,application/zip,application/"
                "vnd.openxmlformats-officedocument.wordprocessingml.document"
            },
            camera=False,
        ),
    )
    unit = forms.ModelChoiceField(
        label=_("Eierenhet"), queryset=OrgUnit.objects.none(), empty_label=_("Velg enhet")
    )
    process = forms.ModelChoiceField(
        label=_("Prosess"),
        queryset=Process.objects.none(),
        required=False,
        empty_label=_("Ingen prosess"),
        help_text=_("Brukes for filer som ikke ligger i en mappe med navnet på en prosess."),
    )

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units if units is not None else OrgUnit.objects.none()
        self.fields["process"].queryset = Process.objects.order_by("path")
        self.fields["process"].label_from_instance = tree_label
        self.fields["unit"].label_from_instance = tree_label


class InForceForm(forms.Form):
    """The documents in force on a date, for a unit's subtree and a process (both optional)."""

    dato = forms.DateField(
        label=_("Dato"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Skriv en gyldig dato (dd.mm.åååå).")},
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
    )
    enhet = forms.ModelChoiceField(
        label=_("Enhet"),
        queryset=OrgUnit.objects.active(),
        required=False,
        empty_label=_("Alle enheter"),
    )
    prosess = forms.ModelChoiceField(
        label=_("Prosess"),
        queryset=Process.objects.order_by("path"),
        required=False,
        empty_label=_("Alle prosesser"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["prosess"].label_from_instance = tree_label
        self.fields["enhet"].label_from_instance = tree_label

    def clean_dato(self) -> date:
        value = self.cleaned_data["dato"]
        if value > timezone.localdate():
            raise ValidationError(_("Velg en dato som ikke er i fremtiden."))
        if value.year < 2000:
            raise ValidationError(_("Velg en dato etter år 2000."))
        return value


class BundleForm(InForceForm):
    """The bundle of the list shown: its date, unit and process carried along unseen."""

    prefix = "bundle"
    format = forms.ChoiceField(
        label=_("Format"),
        choices=InForceBundle.Format.choices,
        initial=InForceBundle.Format.PDF,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("dato", "enhet", "prosess"):
            self.fields[name].widget = forms.HiddenInput()

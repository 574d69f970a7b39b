"""Forms of the annual wheel: the filter bar, the activity form, recording an occurrence."""

from __future__ import annotations

from django import forms
from django.core.validators import MaxValueValidator
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from annual_wheel.models import (
    Activity,
    Audit,
    AuditFinding,
    AuditProgramme,
    Category,
    Checklist,
    ChecklistQuestion,
    Committee,
    Occurrence,
    Round,
)
from annual_wheel.querysets import responsible_candidates
from qms import permissions
from qms.fields import PeopleChoiceField, PeopleMultipleChoiceField
from qms.models import OrgUnit, User
from qms.permissions import actor_for, restrict
from qms.widgets import PeopleSelect

MIN_YEAR = 2000
MAX_YEAR = 2100


class UnitChoiceField(forms.ModelChoiceField):
    """Units in path order, indented by depth so the select reads as the organisation tree."""

    def label_from_instance(self, obj: OrgUnit) -> str:
        return "\u00a0\u00a0" * (obj.depth - 1) + obj.name


class UserChoiceField(PeopleChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name() or obj.username


class WheelFilterForm(forms.Form):
    """Unit, year and category of the wheel and the month list (GET; bad values are reported)."""

    unit = UnitChoiceField(
        label=_("Enhet"),
        queryset=OrgUnit.objects.none(),
        required=False,
        empty_label=None,
    )
    year = forms.IntegerField(label=_("År"), min_value=MIN_YEAR, max_value=MAX_YEAR, required=False)
    category = forms.ModelChoiceField(
        label=_("Kategori"),
        queryset=Category.objects.all(),
        required=False,
        empty_label=_("Alle kategorier"),
    )

    def __init__(self, data=None, *, user, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["unit"].queryset = OrgUnit.objects.active().order_by("path")
        self.user = user

    def default_unit(self) -> OrgUnit | None:
        """The user's own (deepest) unit, else the top of the organisation."""
        actor = actor_for(self.user)
        if actor.member_paths:
            deepest = max(actor.member_paths, key=len)
            unit = OrgUnit.objects.filter(path=deepest).first()
            if unit is not None:
                return unit
        return OrgUnit.objects.active().filter(depth=1).order_by("path").first()

    def values(self) -> tuple[OrgUnit | None, int, Category | None]:
        """The chosen (or default) unit, year and category; invalid fields fall back."""
        cleaned = self.cleaned_data if self.is_bound and hasattr(self, "cleaned_data") else {}
        unit = cleaned.get("unit") or self.default_unit()
        year = cleaned.get("year") or timezone.localdate().year
        return unit, year, cleaned.get("category")


class ActivityForm(forms.ModelForm):
    unit = UnitChoiceField(
        label=_("Enhet"),
        queryset=OrgUnit.objects.none(),
        required=False,
        empty_label=_("Hele kommunen"),
        help_text=_("Aktiviteten vises i årshjulet til enheten og alle enheter under den."),
    )
    responsible = UserChoiceField(
        label=_("Ansvarlig"),
        queryset=User.objects.none(),
        widget=PeopleSelect,
        required=False,
        empty_label=_("Enhetens leder"),
        help_text=_("Får påminnelse på e-post før hver forekomst."),
    )

    document_numbers = forms.CharField(
        label=_("Dokumenter"),
        required=False,
        max_length=500,
        help_text=_("Dokumentnumre skilt med komma, for eksempel RUT-0042, RUT-0107."),
    )

    class Meta:
        model = Activity
        fields = [
            "title",
            "description",
            "unit",
            "category",
            "responsible",
            "recurrence",
            "start_date",
            "end_date",
            "reminder_days",
            "checklist",
            "kind",
            "committee",
        ]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "recurrence": _(
                "«Samme ukedag» tar ukedagen fra datoen: er datoen andre mandag i måneden, "
                "legges aktiviteten på andre mandag hver måned."
            ),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        units = permissions.creatable_units(user, Activity).order_by("path")
        current = self.instance.unit_id if self.instance.pk else None
        if current:
            units = OrgUnit.objects.filter(Q(pk__in=units.values("pk")) | Q(pk=current)).order_by(
                "path"
            )
        self.fields["unit"].queryset = units
        self.fields["category"].empty_label = _("Velg kategori")
        if not permissions.can_create(user, Activity, None):
            self.fields["unit"].required = True
            self.fields["unit"].empty_label = None
        self.fields["responsible"].queryset = responsible_candidates(
            user, self.instance if self.instance.pk else None
        ).order_by("first_name", "last_name", "username")
        if self.instance.pk and not self.is_bound:
            self.initial["document_numbers"] = ", ".join(
                self.instance.documents.order_by("number").values_list("number", flat=True)
            )
        for name in ("start_date", "end_date"):
            self.fields[name].input_formats = ["%Y-%m-%d", "%d.%m.%Y"]
        self.fields["checklist"].queryset = restrict(user, Checklist).active().order_by("title")
        self.fields["checklist"].required = False
        self.fields["checklist"].empty_label = _("Ingen sjekkliste")
        self.fields["committee"].queryset = restrict(user, Committee).active().order_by("name")
        self.fields["committee"].required = False
        self.fields["committee"].empty_label = _("Ingen utvalg")
        self.fields["reminder_days"].validators.append(MaxValueValidator(365))
        self.fields["reminder_days"].widget.attrs["max"] = 365
        # A plain activity unless the form says otherwise (a client posting without the field).
        self.fields["kind"].required = False

    def clean_kind(self):
        return self.cleaned_data.get("kind") or self.instance.kind or Activity.Kind.ACTIVITY

    def clean_unit(self):
        unit = self.cleaned_data.get("unit")
        unchanged = self.instance.pk and unit == self.instance.unit
        if not unchanged and not permissions.can_create(self.user, Activity, unit):
            raise forms.ValidationError(_("Du kan ikke legge aktiviteter til denne enheten."))
        return unit

    def clean_document_numbers(self):
        from documents.models import Document

        raw = self.cleaned_data.get("document_numbers", "")
        numbers = list(dict.fromkeys(n.strip().upper() for n in raw.replace(";", ",").split(",")))
        numbers = [n for n in numbers if n]
        if len(numbers) > 20:
            raise forms.ValidationError(_("Høyst 20 dokumenter kan knyttes til en aktivitet."))
        found = list(restrict(self.user, Document).filter(number__in=numbers))
        missing = sorted(set(numbers) - {d.number for d in found})
        if missing:
            raise forms.ValidationError(
                _("Finner ikke disse dokumentene: %(numbers)s.") % {"numbers": ", ".join(missing)}
            )
        self.cleaned_data["documents"] = found
        return ", ".join(numbers)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("Sluttdatoen kan ikke være før startdatoen."))
        if cleaned.get("recurrence") == Activity.Recurrence.ONCE and end:
            cleaned["end_date"] = None
        for name in ("start_date", "end_date"):
            value = cleaned.get(name)
            if value and not (MIN_YEAR <= value.year <= MAX_YEAR):
                self.add_error(
                    name,
                    _("Datoen må være mellom år %(min)s og %(max)s.")
                    % {"min": MIN_YEAR, "max": MAX_YEAR},
                )
        return cleaned

    def service_fields(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.Meta.fields} | (
            {"documents": self.cleaned_data["documents"]}
            if "documents" in self.cleaned_data
            else {}
        )


class RecordForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Occurrence.Status.choices)
    note = forms.CharField(
        label=_("Merknad"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class FeedForm(forms.Form):
    unit = UnitChoiceField(label=_("Enhet"), queryset=OrgUnit.objects.none(), empty_label=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = OrgUnit.objects.active().order_by("path")


# --- Checklists and rounds -----------------------------------------------------------------------


class ChecklistForm(forms.ModelForm):
    unit = UnitChoiceField(
        label=_("Enhet"),
        queryset=OrgUnit.objects.none(),
        required=False,
        empty_label=_("Hele kommunen"),
    )

    class Meta:
        model = Checklist
        fields = ["title", "description", "unit"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = OrgUnit.objects.active().order_by("path")

    def service_fields(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.Meta.fields}


class QuestionForm(forms.ModelForm):
    document_number = forms.CharField(
        label=_("Rutine som kontrolleres"),
        required=False,
        max_length=40,
        help_text=_("Dokumentnummer, for eksempel RUT-0042. Tomt betyr ingen."),
    )

    class Meta:
        model = ChecklistQuestion
        fields = ["section", "text", "guidance", "kind", "fail_answer"]
        widgets = {"guidance": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if self.instance.pk and self.instance.document_id and not self.is_bound:
            self.initial["document_number"] = self.instance.document.number

    def clean_document_number(self):
        from documents.models import Document

        number = self.cleaned_data.get("document_number", "").strip().upper()
        if not number:
            self.cleaned_data["document"] = None
            return ""
        document = restrict(self.user, Document).filter(number=number).first()
        if document is None:
            raise forms.ValidationError(
                _("Finner ikke dokumentet %(number)s.") % {"number": number}
            )
        self.cleaned_data["document"] = document
        return number

    def service_fields(self) -> dict:
        fields = {name: self.cleaned_data.get(name) for name in self.Meta.fields}
        fields["document"] = self.cleaned_data.get("document")
        return fields


class StartRoundForm(forms.Form):
    """Checklist, unit, date and participants; the participants offered are the chosen unit's
    candidates (``participant_candidates``), so the list follows the unit."""

    checklist = forms.ModelChoiceField(label=_("Sjekkliste"), queryset=Checklist.objects.none())
    unit = UnitChoiceField(label=_("Enhet"), queryset=OrgUnit.objects.none())
    date = forms.DateField(
        label=_("Dato"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
    )
    participants = forms.ModelMultipleChoiceField(
        label=_("Deltakere"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6, "class": "ds-input"}),
        help_text=_(
            "For en vernerunde: leder og verneombud. Du deltar selv. Hold inne Ctrl (Cmd) for å "
            "velge flere."
        ),
    )

    def __init__(self, *args, user, occurrence: Occurrence | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        from annual_wheel.querysets import participant_candidates

        self.user = user
        self.occurrence = occurrence
        self.fields["checklist"].queryset = (
            restrict(user, Checklist).active().with_published().distinct().order_by("title")
        )
        units = permissions.creatable_units(user, Round, source=occurrence).order_by("path")
        if occurrence is not None and occurrence.activity.unit_id is not None:
            units = units.filter(pk=occurrence.activity.unit_id)
        self.fields["unit"].queryset = units
        unit = self._chosen_unit(units)
        if unit is not None:
            self.fields["participants"].queryset = participant_candidates(unit).exclude(pk=user.pk)
            self.fields["participants"].widget.choices = self.fields["participants"].choices
        self.unit_for_participants = unit

    def _chosen_unit(self, units):
        raw = self.data.get("unit") if self.is_bound else self.initial.get("unit")
        if hasattr(raw, "pk"):
            raw = raw.pk
        try:
            return units.filter(pk=int(raw)).first() if raw else None
        except (TypeError, ValueError):
            return None


class ActionPlanForm(forms.Form):
    description = forms.CharField(
        label=_("Tiltak"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    responsible = UserChoiceField(
        label=_("Ansvarlig"), queryset=User.objects.none(), widget=PeopleSelect
    )
    deadline = forms.DateField(
        label=_("Frist"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
    )

    def __init__(self, *args, unit: OrgUnit, **kwargs):
        super().__init__(*args, **kwargs)
        from deviations.querysets import responsible_candidates

        self.fields["responsible"].queryset = responsible_candidates(unit)


class AnswerForm(forms.Form):
    """One answer as the round page posts it; the value is checked by ``services.clean_value``."""

    value = forms.CharField(required=False, max_length=2000)
    comment = forms.CharField(required=False, max_length=4000)
    photo = forms.FileField(required=False)

    def clean_photo(self):
        from deviations.forms import sniff
        from deviations.services import UploadedFile

        upload = self.cleaned_data.get("photo")
        if not upload:
            return None
        if upload.size > 10 * 1024 * 1024:
            raise forms.ValidationError(
                _("Bildet er for stort. Største tillatte størrelse er 10 MB.")
            )
        upload.seek(0)
        found = sniff(upload.read(16))
        upload.seek(0)
        if found is None or not found[0].startswith("image/"):
            raise forms.ValidationError(
                _("Filen er ikke et bilde (JPG, PNG, GIF, WebP eller HEIC).")
            )
        content_type, suffix = found
        return UploadedFile(
            file=upload, name=f"bilde.{suffix}", content_type=content_type, size=upload.size
        )


# --- Internal audits -----------------------------------------------------------------------------

DATE_WIDGET = {"widget": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
DATE_FORMATS = ["%Y-%m-%d", "%d.%m.%Y"]


def _people():
    return User.objects.filter(is_active=True).order_by("first_name", "last_name", "username")


class PlanAuditForm(forms.Form):
    """What is audited, when, by whom and against which procedures; the programme is the
    chosen owner's for the planned date's year."""

    title = forms.CharField(label=_("Tittel"), max_length=200)
    programme_unit = UnitChoiceField(
        label=_("Revisjonsprogram"),
        queryset=OrgUnit.objects.none(),
        required=False,
        empty_label=_("Hele kommunen"),
        help_text=_("Hvem revisjonsprogrammet tilhører: hele kommunen eller en enhet."),
    )
    unit = UnitChoiceField(label=_("Enhet som revideres"), queryset=OrgUnit.objects.none())
    process = forms.ModelChoiceField(
        label=_("Prosess"), queryset=OrgUnit.objects.none(), required=False
    )
    planned_date = forms.DateField(
        label=_("Planlagt dato"), input_formats=DATE_FORMATS, **DATE_WIDGET
    )
    lead_auditor = UserChoiceField(
        label=_("Revisjonsleder"), queryset=User.objects.none(), widget=PeopleSelect
    )
    auditors = PeopleMultipleChoiceField(
        label=_("Andre revisorer"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6, "class": "ds-input"}),
        help_text=_("Hold inne Ctrl (Cmd) for å velge flere."),
    )
    criteria_numbers = forms.CharField(
        label=_("Prosedyrer det revideres mot"),
        required=False,
        max_length=500,
        help_text=_("Dokumentnumre skilt med komma, for eksempel RUT-0042, RUT-0107."),
    )
    requirements = forms.CharField(
        label=_("Andre krav"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Lover, forskrifter eller andre krav revisjonen bygger på."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from documents.models import Process

        self.user = user
        self.fields["programme_unit"].queryset = permissions.creatable_units(
            user, AuditProgramme
        ).order_by("path")
        if not permissions.can_create(user, AuditProgramme, None):
            self.fields["programme_unit"].required = True
            self.fields["programme_unit"].empty_label = None
        self.fields["unit"].queryset = permissions.creatable_units(user, Audit).order_by("path")
        self.fields["process"].queryset = Process.objects.order_by("path")
        self.fields["lead_auditor"].queryset = _people()
        self.fields["auditors"].queryset = _people()

    def clean_criteria_numbers(self):
        from documents.models import Document

        raw = self.cleaned_data.get("criteria_numbers", "")
        numbers = list(dict.fromkeys(n.strip().upper() for n in raw.replace(";", ",").split(",")))
        numbers = [n for n in numbers if n]
        found = list(restrict(self.user, Document).filter(number__in=numbers))
        missing = sorted(set(numbers) - {d.number for d in found})
        if missing:
            raise forms.ValidationError(
                _("Finner ikke disse dokumentene: %(numbers)s.") % {"numbers": ", ".join(missing)}
            )
        return found


class StartAuditForm(forms.Form):
    opening_date = forms.DateField(
        label=_("Dato for åpningsmøtet"), input_formats=DATE_FORMATS, **DATE_WIDGET
    )


class FindingForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Type funn"), choices=AuditFinding.Kind.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(
        label=_("Funn"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    evidence = forms.CharField(
        label=_("Grunnlag"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Det som ble sett, lest eller sagt: dokumenter, intervjuer, observasjoner."),
    )
    criterion = forms.ModelChoiceField(
        label=_("Prosedyre"),
        queryset=OrgUnit.objects.none(),
        required=False,
        empty_label=_("Ingen bestemt prosedyre"),
    )

    def __init__(self, *args, audit: Audit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["criterion"].queryset = audit.criteria.order_by("number")
        self.fields["kind"].help_text = _(
            "Et avvik meldes med en gang som avvik til enheten som revideres."
        )


class ReportAuditForm(forms.Form):
    """The closing meeting; the conclusion is required by ``report_audit`` (its message shows)."""

    closing_date = forms.DateField(
        label=_("Dato for sluttmøtet"), input_formats=DATE_FORMATS, **DATE_WIDGET
    )
    summary = forms.CharField(
        label=_("Sammendrag"),
        required=False,
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    conclusion = forms.CharField(
        label=_("Konklusjon"),
        required=False,
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


# --- Management review ---------------------------------------------------------------------------


class StartReviewForm(forms.Form):
    """Unit, year reviewed, meeting date and the starter's role; the units offered are where the
    user may start one (``creatable_units``), from an occurrence only the activity's unit."""

    unit = UnitChoiceField(label=_("Enhet"), queryset=OrgUnit.objects.none())
    year = forms.IntegerField(
        label=_("År som gjennomgås"), min_value=2000, max_value=2100, localize=False
    )
    date = forms.DateField(label=_("Møtedato"), input_formats=DATE_FORMATS, **DATE_WIDGET)
    role = forms.CharField(
        label=_("Din rolle"), required=False, max_length=100, help_text=_("For eksempel «Leder».")
    )

    def __init__(self, *args, user, occurrence: Occurrence | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        from annual_wheel.models import Review

        units = permissions.creatable_units(user, Review, source=occurrence).order_by("path")
        if occurrence is not None and occurrence.activity.unit_id is not None:
            units = units.filter(pk=occurrence.activity.unit_id)
        self.fields["unit"].queryset = units
        self.fields["year"].widget.attrs["inputmode"] = "numeric"


class ReviewSummaryForm(forms.Form):
    date = forms.DateField(label=_("Møtedato"), input_formats=DATE_FORMATS, **DATE_WIDGET)
    summary = forms.CharField(
        label=_("Samlet vurdering"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Er styringen og kontrollen i enheten god nok? Hva må endres?"),
    )


class AssessmentForm(forms.Form):
    text = forms.CharField(
        label=_("Lederens vurdering"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Er dette godt nok? Hva må endres?"),
    )


class ParticipantForm(forms.Form):
    person = UserChoiceField(label=_("Person"), queryset=User.objects.none(), widget=PeopleSelect)
    role = forms.CharField(
        label=_("Rolle"),
        required=False,
        max_length=100,
        help_text=_("For eksempel verneombud eller tillitsvalgt."),
    )

    def __init__(self, *args, unit: OrgUnit, **kwargs):
        super().__init__(*args, **kwargs)
        from annual_wheel.querysets import participant_candidates

        self.fields["person"].queryset = participant_candidates(unit)


class DecisionForm(ActionPlanForm):
    """A decision: what is decided, under which heading, and the action that follows it up."""

    section = forms.ChoiceField(label=_("Punkt på dagsordenen"), required=False, choices=())

    field_order = ["description", "section", "responsible", "deadline"]

    def __init__(self, *args, unit: OrgUnit, sections=(), **kwargs):
        super().__init__(*args, unit=unit, **kwargs)
        self.fields["description"].label = _("Vedtak")
        self.fields["section"].choices = [("", _("Generelt")), *sections]


# --- Committees and meetings ---------------------------------------------------------------------


class PlanMeetingForm(forms.Form):
    date = forms.DateField(label=_("Dato"), input_formats=DATE_FORMATS, **DATE_WIDGET)
    place = forms.CharField(label=_("Sted"), required=False, max_length=200)


class ReferForm(forms.Form):
    """Refer a case to a coming meeting: the meetings offered are ``services.referral_meetings``
    (the same ones ``refer_case`` accepts); title and summary are what the committee reads and
    the minutes publish, so they are written without personal data."""

    meeting = forms.ModelChoiceField(label=_("Møte"), queryset=None, empty_label=None)
    title = forms.CharField(
        label=_("Tittel på saklisten"),
        max_length=200,
        help_text=_("Uten navn eller andre personopplysninger."),
    )
    summary = forms.CharField(
        label=_("Sammendrag til utvalget"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Hva utvalget skal vite og ta stilling til. Sammendraget publiseres med protokollen: "
            "skriv det uten navn, fødselsdatoer eller helseopplysninger."
        ),
    )

    def __init__(self, *args, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings
        self.fields["meeting"].label_from_instance = lambda m: (
            f"{m.committee.name} – {date_format(m.date, 'SHORT_DATE_FORMAT')}"
        )


class AgendaItemForm(forms.Form):
    title = forms.CharField(label=_("Tittel"), max_length=200)
    summary = forms.CharField(
        label=_("Sammendrag"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Publiseres med protokollen: skriv uten personopplysninger."),
    )


class MinutesForm(forms.Form):
    discussion = forms.CharField(
        label=_("Drøfting"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Bare for utvalget; publiseres ikke."),
    )
    decision = forms.CharField(
        label=_("Vedtak"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Publiseres med protokollen: skriv uten personopplysninger."),
    )

"""Forms of the organisation app."""

from __future__ import annotations

from django import forms
from django.contrib.auth import forms as auth_forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from qms import notifications
from qms.fields import PeopleChoiceField
from qms.models import Membership, UnitDescription, User


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's form (who gets a link: active users with a usable password and this e-mail),
    with the e-mail sent through the outbox instead of during the request."""

    def save(self, *args, **kwargs) -> None:
        for user in self.get_users(self.cleaned_data["email"]):
            notifications.send_password_reset(user)


class UnitDescriptionForm(forms.ModelForm):
    """A unit's description (kommuneloven § 25-1 a); the model's ``clean`` checks the year."""

    class Meta:
        model = UnitDescription
        fields = ["main_tasks", "goals_year", "goals", "laws"]
        widgets = {
            "main_tasks": forms.Textarea(attrs={"rows": 5}),
            "goals": forms.Textarea(attrs={"rows": 5}),
            "laws": forms.Textarea(attrs={"rows": 5}),
        }


def add_service_errors(form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form that called it: each field's errors on that
    field (or on the form when it has no such field), the rest on the form, so the page shows
    them beside what was typed."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


class AbsenceForm(forms.Form):
    """A leader's absence period; ``leader`` is offered only to those who register for others
    (quality advisors, administrators). The choices come from ``qms.absence``, which the service
    validates against."""

    leader = PeopleChoiceField(label=_("Leder"), queryset=None)
    starts = forms.DateField(
        label=_("Fra og med"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    ends = forms.DateField(
        label=_("Til og med"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    deputy = PeopleChoiceField(
        label=_("Stedfortreder"),
        queryset=None,
        required=False,
        help_text=_("Tomt: enhetens faste stedfortreder, ellers lederen over."),
    )
    note = forms.CharField(label=_("Merknad"), max_length=200, required=False)

    def __init__(self, *args, user, **kwargs):
        from qms.absence import absent_leaders, deputy_candidates

        super().__init__(*args, **kwargs)
        leaders = absent_leaders(user)
        self.fields["leader"].queryset = leaders
        if leaders.filter(pk=user.pk).exists() and not leaders.exclude(pk=user.pk).exists():
            # A leader registers their own absence: no choice to make.
            self.fields["leader"].widget = forms.HiddenInput()
            self.fields["leader"].initial = user.pk
            self.fields["deputy"].queryset = deputy_candidates(user)
        else:
            self.fields["deputy"].queryset = (
                User.objects.filter(is_active=True, memberships__role__in=Membership.LEADERSHIP)
                .distinct()
                .order_by("first_name", "last_name", "username")
            )

    def clean(self):
        data = super().clean()
        if data.get("starts") and data.get("ends") and data["ends"] < data["starts"]:
            self.add_error("ends", _("Siste dag kan ikke være før første dag."))
        return data


IMPORT_MAX_BYTES = 10 * 1024 * 1024


def _table_file(upload):
    if upload is None:
        return None
    if not upload.name.lower().endswith((".csv", ".xlsx")):
        raise ValidationError(_("Velg en CSV- eller XLSX-fil."))
    if upload.size > IMPORT_MAX_BYTES:
        raise ValidationError(_("Filen er større enn 10 MB."))
    return upload


class HrImportForm(forms.Form):
    """The HR system's export: a table of units and a table of people (CSV or XLSX)."""

    units = forms.FileField(
        label=_("Enheter"),
        required=False,
        help_text=_("Kolonner: enhetskode, navn, overordnet, leder ansattnr, nivå."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )
    people = forms.FileField(
        label=_("Ansatte"),
        required=False,
        help_text=_("Kolonner: ansattnr, navn, e-post, enhetskode, rolle, stilling."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def clean_units(self):
        return _table_file(self.cleaned_data.get("units"))

    def clean_people(self):
        return _table_file(self.cleaned_data.get("people"))

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("units") and not data.get("people"):
            raise ValidationError(_("Velg minst én fil: enheter eller ansatte."))
        return data

    def tables(self) -> list[tuple[str, bytes] | None]:
        return [
            (upload.name, upload.read()) if upload else None
            for upload in (self.cleaned_data.get("units"), self.cleaned_data.get("people"))
        ]

"""Forms of the organisation app."""

from __future__ import annotations

from django import forms
from django.contrib.auth import forms as auth_forms
from django.core.exceptions import ValidationError

from qms import notifications
from qms.models import UnitDescription


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

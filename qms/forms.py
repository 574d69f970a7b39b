"""Forms of the organisation app."""

from __future__ import annotations

from django.contrib.auth import forms as auth_forms

from qms import notifications


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's form (who gets a link: active users with a usable password and this e-mail),
    with the e-mail sent through the outbox instead of during the request."""

    def save(self, *args, **kwargs) -> None:
        for user in self.get_users(self.cleaned_data["email"]):
            notifications.send_password_reset(user)

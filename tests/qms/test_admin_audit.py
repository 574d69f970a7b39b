"""Audit rows are evidence: not even a superuser deletes or edits them through the admin."""

import pytest
from django.contrib import admin

from deviations.models import AccessLog, Event
from documents.models import DocumentEvent
from qms import reminders
from qms.models import Reminder
from risk.models import RiskEvent, RiskMatrixChange
from tests.deviations.conftest import report
from tests.documents.factories import draft

pytestmark = pytest.mark.django_db

AUDIT_MODELS = [Event, AccessLog, DocumentEvent, RiskEvent, RiskMatrixChange, Reminder]


def audit_rows(org):
    deviation = report(org)
    AccessLog.objects.create(deviation=deviation, user=org.leader_a1)
    draft(org.employee_a1, org.unit_a1)
    reminders.claim(org.unit_a1, "test")
    return [
        Event.objects.first(),
        AccessLog.objects.first(),
        DocumentEvent.objects.first(),
        Reminder.objects.first(),
    ]


def test_superuser_cannot_delete_or_change_audit_rows_in_the_admin(org, client):
    client.force_login(org.admin)
    for row in audit_rows(org):
        assert row is not None
        meta = row._meta
        base = f"/admin/{meta.app_label}/{meta.model_name}/"
        assert client.get(f"{base}{row.pk}/delete/").status_code == 403, meta.label
        client.post(base, {"action": "delete_selected", "_selected_action": [row.pk]})
        assert type(row).objects.filter(pk=row.pk).exists(), meta.label
        assert "delete_selected" not in client.get(base).content.decode(), meta.label
        # The admin shows an audit row read-only: a change posted anyway is refused.
        assert client.post(f"{base}{row.pk}/change/", {}).status_code == 403, meta.label
        assert type(row).objects.filter(pk=row.pk).exists()


def test_every_audit_model_has_a_read_only_admin(rf, org):
    request = rf.get("/")
    request.user = org.admin
    for model in AUDIT_MODELS:
        model_admin = admin.site._registry[model]
        assert not model_admin.has_delete_permission(request), model._meta.label
        assert not model_admin.has_change_permission(request), model._meta.label
        assert not model_admin.has_add_permission(request), model._meta.label

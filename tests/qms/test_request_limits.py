"""Request limits: an oversized body is refused unread (413); JSON nested too deep is a 400."""

import json

import pytest
from rest_framework.test import APIClient

from deviations.models import Deviation, ReportLink
from qms.api.parsers import json_depth

pytestmark = pytest.mark.django_db

HUNDRED_MB = str(100 * 1024 * 1024)


def declared(client, url, length=HUNDRED_MB):
    """A POST that declares ``length`` bytes but carries one: reading the body would fail the
    test client's FakePayload, so a 413 here means nothing read it."""
    return client.post(
        url, data=b"x", content_type="multipart/form-data; boundary=b", CONTENT_LENGTH=length
    )


def test_a_100_mb_upload_is_refused_before_the_body_is_read(org, client_for):
    r = declared(client_for(org.employee_a1), "/avvik/meld/")
    assert r.status_code == 413
    assert "for stor" in r.content.decode()


def test_the_open_guest_form_refuses_an_oversized_body_too(org, client):
    link = ReportLink.objects.create(unit=org.unit_a1)
    r = declared(client, link.get_absolute_url())
    assert r.status_code == 413
    assert not Deviation.objects.exists()


def test_json_nested_5000_deep_is_a_400_not_a_500(org):
    api = APIClient()
    api.force_authenticate(org.employee_a1)
    body = "[" * 5000 + "]" * 5000
    r = api.post("/api/v1/deviations/", data=body, content_type="application/json")
    assert r.status_code == 400
    assert "nested deeper" in json.dumps(r.json())


def test_json_depth_skips_brackets_inside_strings():
    assert json_depth('{"a": "[[[{", "b": [[1, "]"]]}') == 3
    assert json_depth('"\\"[["') == 0

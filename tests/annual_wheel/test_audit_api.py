"""The internal audits API: planning, starting, findings as deviations and the report."""

from datetime import date

import pytest
from django.utils import timezone

from annual_wheel.models import Audit, Occurrence
from deviations.models import Deviation
from tests.annual_wheel.audit_helpers import plan
from tests.documents.factories import published

pytestmark = pytest.mark.django_db


def test_advisor_plans_an_auditor_carries_out_and_reports_through_the_api(
    org, api_for, make_activity
):
    procedure = published(org.employee_a1, org.leader_a1, org.unit_a1, title="Legemiddelrutine")
    occurrence = make_activity(title="Interne revisjoner", unit=None).occurrences.get()
    response = api_for(org.advisor).post(
        "/api/v1/audits/",
        {
            "title": "Legemidler",
            "unit": org.unit_a1.pk,
            "planned_date": f"{date.today().year}-10-01",
            "lead_auditor": org.employee_b1.pk,
            "auditors": [org.employee_a1x.pk],
            "criteria": [procedure.pk],
            "occurrence": occurrence.pk,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "planned" and body["year"] == date.today().year
    assert body["criteria"] == [procedure.pk] and body["auditors"] == [org.employee_a1x.pk]
    url = f"/api/v1/audits/{body['id']}/"
    api = api_for(org.employee_b1)
    today = timezone.localdate().isoformat()
    early = api.post(url + "findings/", {"kind": "strength", "text": "x"}, format="json")
    assert early.status_code == 409
    assert api.post(url + "start/", {"opening_date": today}, format="json").status_code == 200
    finding = api.post(
        url + "findings/",
        {"kind": "avvik", "text": "Dosett ikke kontrollert", "criterion": procedure.pk},
        format="json",
    )
    assert finding.status_code == 201
    deviation = Deviation.objects.get()
    assert finding.json()["deviation"] == deviation.pk
    assert deviation.source == Deviation.Source.INTERNAL_AUDIT
    observation = api.post(url + "findings/", {"kind": "observation", "text": "Ok"}, format="json")
    assert observation.json()["deviation"] is None
    missing = api.post(url + "report/", {"closing_date": today, "conclusion": ""}, format="json")
    assert missing.status_code == 400 and "conclusion" in missing.json()
    done = api.post(
        url + "report/", {"closing_date": today, "conclusion": "Etterleves delvis"}, format="json"
    )
    assert done.status_code == 200 and done.json()["status"] == "reported"
    assert len(done.json()["findings"]) == 2
    occurrence.refresh_from_db()
    assert occurrence.status == Occurrence.Status.DONE


def test_list_is_filtered_by_the_layer_and_by_year(org, api_for):
    a1 = plan(org)
    b1 = plan(org, unit=org.unit_b1, title="B1")
    ids = {r["id"] for r in api_for(org.employee_a1).get("/api/v1/audits/").json()["results"]}
    assert ids == {a1.pk}
    year = date.today().year
    assert {
        r["id"] for r in api_for(org.advisor).get(f"/api/v1/audits/?year={year}").json()["results"]
    } == {a1.pk, b1.pk}
    assert not api_for(org.advisor).get(f"/api/v1/audits/?year={year - 1}").json()["results"]
    assert Audit.objects.count() == 2

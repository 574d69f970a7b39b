"""The committee pages in bokmål: «Meld til utvalg» on a case, the meeting's working page, the
decision and its action, approval, the published minutes (and PDF) without personal data, and
Min side's tasks."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from annual_wheel import services
from annual_wheel.models import AgendaItem, Meeting
from tests.annual_wheel.committee_helpers import (
    held_with_decision,
    meeting_of,
    quality_committee,
    refer,
)
from tests.deviations.conftest import report

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(org):
    return meeting_of(quality_committee(org), org.leader_a2)


def test_a_leader_refers_a_case_from_its_page(org, client_for, meeting):
    case = report(org)
    client = client_for(org.leader_a1)
    page = client.get(case.get_absolute_url()).content.decode()
    assert "Meld til utvalg" in page and "Saken er ikke meldt til et utvalg." in page
    url = f"/arshjul/utvalg/meld/deviation/{case.pk}/"
    form = client.get(url).content.decode()
    assert "Kvalitetsutvalget Sektor A" in form and 'value="Feil medisin gitt"' in form
    response = client.post(
        url, {"meeting": meeting.pk, "title": "Medisinutdeling", "summary": "Rutinen er uklar."}
    )
    assert response.status_code == 302 and response["Location"] == case.get_absolute_url()
    item = AgendaItem.objects.get()
    assert (item.kind, item.object_id, item.referred_by) == ("deviation", case.pk, org.leader_a1)
    page = client.get(case.get_absolute_url()).content.decode()
    # Referred (the referrer has no seat: the meeting is named, not linked, until published).
    assert "Kvalitetsutvalget Sektor A –" in page and "Saken er ikke meldt" not in page
    assert (
        meeting.get_absolute_url()
        in client_for(org.leader_a).get(case.get_absolute_url()).content.decode()
    )


def test_the_reporter_gets_no_referral_button_or_form(org, client_for, meeting):
    case = report(org)
    client = client_for(org.employee_a1)
    assert "Meld til utvalg" not in client.get(case.get_absolute_url()).content.decode()
    assert client.get(f"/arshjul/utvalg/meld/deviation/{case.pk}/").status_code == 403
    assert client.get(f"/arshjul/utvalg/meld/ukjent/{case.pk}/").status_code == 404


def test_a_personal_data_case_is_referred_with_a_written_summary_only(org, client_for, meeting):
    case = report(org, contains_personal_data=True, title="Ola Hansen falt")
    client = client_for(org.leader_a1)
    url = f"/arshjul/utvalg/meld/deviation/{case.pk}/"
    form = client.get(url).content.decode()
    assert "Saken inneholder personopplysninger" in form and "Ola Hansen" not in form
    response = client.post(url, {"meeting": meeting.pk, "title": "Fall", "summary": ""})
    assert response.status_code == 400
    assert "skriv et anonymisert sammendrag" in response.content.decode()
    assert not AgendaItem.objects.exists()


def test_member_reads_the_referred_case_from_the_meeting_page(org, client_for, meeting):
    case = report(org)
    refer(meeting, case, org.leader_a1)
    client = client_for(org.employee_b1)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Medisinutdeling" in page and case.get_absolute_url() in page
    assert "Skriv vedtak" not in page and "Legg til sak" not in page
    assert client.get(case.get_absolute_url()).status_code == 200
    assert client_for(org.employee_a1).get(meeting.get_absolute_url()).status_code == 404


def _run_meeting(org, client_for, meeting, case):
    """The chair's part through the pages: held, the decision, the action, approval, publishing."""
    refer(meeting, case, org.leader_a1, summary="En beboer falt; tilsynsrutinen er uklar.")
    chair = client_for(org.leader_a)
    assert chair.post(f"/arshjul/moter/{meeting.pk}/avhold/").status_code == 302
    item = meeting.items.get()
    response = chair.post(
        f"/arshjul/moter/sak/{item.pk}/vedtak/",
        {"discussion": "Drøftet grundig.", "decision": "Tilsynsrutinen revideres."},
    )
    assert response.status_code == 302
    deadline = timezone.localdate() + timedelta(days=30)
    response = chair.post(
        f"/arshjul/moter/sak/{item.pk}/tiltak/",
        {
            "description": "Revider tilsynsrutinen",
            "responsible": org.leader_a1.pk,
            "deadline": deadline.isoformat(),
        },
    )
    assert response.status_code == 302, response.content.decode()
    page = chair.get(meeting.get_absolute_url()).content.decode()
    assert "Godkjenn protokollen" in page
    chair.post(f"/arshjul/moter/{meeting.pk}/godkjenn/")
    chair.post(f"/arshjul/moter/{meeting.pk}/publiser/")
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PUBLISHED
    return item


def test_published_minutes_show_summary_and_decision_but_no_personal_data(org, client_for, meeting):
    case = report(
        org,
        contains_personal_data=True,
        title="Kari Nordmann falt",
        description="Kari Nordmann (f. 1941) falt på badet og brakk hoften.",
    )
    _run_meeting(org, client_for, meeting, case)
    reader = client_for(org.employee_a1)  # Enhet A1, in the committee's subtree
    response = reader.get(meeting.get_absolute_url())
    assert response.status_code == 302 and response["Location"].endswith("/protokoll/")
    page = reader.get(response["Location"]).content.decode().split('<main id="main"')[1]
    assert "En beboer falt; tilsynsrutinen er uklar." in page
    assert "Tilsynsrutinen revideres." in page
    for personal in ("Kari Nordmann", "hoften", "Drøftet grundig", case.number):
        assert personal not in page
    assert org.employee_a1.get_full_name() not in page  # the reporter
    assert org.leader_a1.get_full_name() not in page  # who referred it
    pdf = reader.get(f"/arshjul/moter/{meeting.pk}/protokoll.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert client_for(org.employee_b1).get(response["Location"]).status_code == 200
    assert client_for(org.leader_b1).get(response["Location"]).status_code == 404


def test_decision_becomes_an_action_in_the_responsibles_tasks(org, client_for, meeting):
    item = _run_meeting(org, client_for, meeting, report(org))
    item.refresh_from_db()
    assert item.action.deviation_id == item.object_id
    home = client_for(org.leader_a1).get("/").content.decode()
    assert "Revider tilsynsrutinen" in home


def test_min_side_lists_the_meeting_to_prepare_and_the_minutes_to_approve(org, client_for, meeting):
    refer(meeting, report(org), org.leader_a1)
    services.publish_agenda(org.leader_a2, meeting)
    assert "Forbered møte: Kvalitetsutvalget Sektor A" in (
        client_for(org.employee_a1x).get("/").content.decode()
    )
    held_with_decision(meeting, org.leader_a)
    home = client_for(org.leader_a).get("/").content.decode()
    assert "Godkjenn protokollen: Kvalitetsutvalget Sektor A" in home


def test_committee_page_plans_a_meeting_for_its_keepers_only(org, client_for, meeting):
    committee = meeting.committee
    page = client_for(org.employee_a1).get(committee.get_absolute_url()).content.decode()
    assert "Leder" in page and "Verneombud" in page and "Planlegg møte" not in page
    response = client_for(org.employee_a1).post(
        committee.get_absolute_url(), {"date": "2099-01-01"}
    )
    assert response.status_code == 403
    secretary = client_for(org.leader_a2)
    response = secretary.post(committee.get_absolute_url(), {"date": "", "place": "Rådhuset"})
    assert response.status_code == 400
    response = secretary.post(
        committee.get_absolute_url(), {"date": "2099-01-01", "place": "Rådhuset"}
    )
    assert response.status_code == 302
    assert Meeting.objects.filter(place="Rådhuset").exists()
    listing = client_for(org.employee_a1).get("/arshjul/utvalg/").content.decode()
    assert "Kvalitetsutvalget Sektor A" in listing

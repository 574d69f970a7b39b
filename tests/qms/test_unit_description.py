"""The unit's description (kommuneloven § 25-1 a): who may write it, what the page shows."""

import pytest

from qms.models import UnitDescription
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def _form(**changes):
    data = {
        "main_tasks": "Hjemmetjenester til eldre.",
        "goals_year": "2027",
        "goals": "Færre fall.",
        "laws": "Helse- og omsorgstjenesteloven https://lovdata.no/lov/2011-06-24-30",
    }
    return {**data, **changes}


def test_leader_edits_and_sees_the_new_text_and_the_earlier_version(org, client_for):
    client = client_for(org.leader_a1)
    url = f"/enheter/{org.unit_a1.pk}/beskrivelse/"
    assert client.get(url).status_code == 200
    assert client.post(url, _form()).status_code == 302
    response = client.post(url, _form(main_tasks="Hjemmetjenester og dagsenter."))
    assert response["Location"] == f"/enheter/{org.unit_a1.pk}/"
    html = client.get(response["Location"]).content.decode()
    assert "Hjemmetjenester og dagsenter." in html
    assert "Mål for 2027" in html
    # The law's address is a link, and the text around it is escaped.
    assert '<a href="https://lovdata.no/lov/2011-06-24-30"' in html
    # The change log keeps the first version, with who saved it.
    log = html.split("Endringslogg", 1)[1]
    assert "Hjemmetjenester til eldre." in log
    assert "Leader A1" in log
    assert UnitDescription.objects.get(unit=org.unit_a1).history.count() == 2


def test_employee_reads_the_description_but_may_not_edit_it(org, client_for):
    UnitDescription.objects.create(unit=org.unit_a1, main_tasks="Hjemmetjenester til eldre.")
    client = client_for(org.employee_a1)
    html = client.get(f"/enheter/{org.unit_a1.pk}/").content.decode()
    assert "Hjemmetjenester til eldre." in html
    assert "Endre beskrivelse" not in html
    url = f"/enheter/{org.unit_a1.pk}/beskrivelse/"
    assert client.get(url).status_code == 403
    assert client.post(url, _form(main_tasks="Endret")).status_code == 403
    assert UnitDescription.objects.get(unit=org.unit_a1).main_tasks == "Hjemmetjenester til eldre."


def test_leader_of_another_unit_may_not_edit(org, client_for):
    response = client_for(org.leader_b1).post(f"/enheter/{org.unit_a1.pk}/beskrivelse/", _form())
    assert response.status_code == 403
    assert not UnitDescription.objects.exists()


@pytest.mark.parametrize("who", ["advisor", "deputy"])
def test_advisor_and_deputy_may_edit(org, client_for, who):
    user = org.advisor if who == "advisor" else make_user("deputy_a1", org.unit_a1, "deputy")
    client = client_for(user)
    assert "Endre beskrivelse" in client.get(f"/enheter/{org.unit_a1.pk}/").content.decode()
    response = client.post(f"/enheter/{org.unit_a1.pk}/beskrivelse/", _form())
    assert response.status_code == 302
    assert UnitDescription.objects.get(unit=org.unit_a1).updated_by == user


def test_goals_without_a_year_are_refused_and_nothing_typed_is_lost(org, client_for):
    client = client_for(org.leader_a1)
    response = client.post(f"/enheter/{org.unit_a1.pk}/beskrivelse/", _form(goals_year=""))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Skriv hvilket år målene gjelder for." in html
    assert "Hjemmetjenester til eldre." in html and "Færre fall." in html
    assert not UnitDescription.objects.exists()


def test_unit_page_in_bokmal_shows_leader_deputy_and_an_empty_description(org, client_for):
    make_user("deputy_a1", org.unit_a1, "deputy")
    html = client_for(org.employee_a1).get(f"/enheter/{org.unit_a1.pk}/").content.decode()
    assert 'lang="nb"' in html
    assert "Nærmeste leder" in html and "Leader A1" in html
    assert "Stedfortreder: " in html
    assert "Enheten har ikke beskrevet hovedoppgaver, mål og lover ennå." in html


def test_a_script_in_the_description_is_shown_as_text(org, client_for):
    UnitDescription.objects.create(unit=org.unit_a1, laws='<script>alert("x")</script>')
    html = client_for(org.employee_a1).get(f"/enheter/{org.unit_a1.pk}/").content.decode()
    assert '<script>alert("x")</script>' not in html
    assert "&lt;script&gt;" in html

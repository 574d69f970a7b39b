"""The HR import (docs/design.md §12): dry run, apply, idempotence, bad files, hand-over."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from documents.models import Document
from qms import hr_import, permissions
from qms.models import Handover, Membership, Notification, OrgUnit, User
from tests.deviations.conftest import add_action, report

CODES = {
    "root": "KOM",
    "sector_a": "SA",
    "sector_b": "SB",
    "unit_a1": "A1",
    "unit_a2": "A2",
    "dept_a1x": "A1X",
    "unit_b1": "B1",
}
NUMBERS = {
    "chief": "1000",
    "leader_a": "1001",
    "leader_a1": "1002",
    "leader_a2": "1003",
    "leader_b": "1004",
    "leader_b1": "1005",
    "employee_a1": "2001",
    "employee_a1x": "2002",
    "employee_b1": "2003",
}

UNITS = """enhetskode;navn;overordnet;leder ansattnr;nivå
KOM;Kommune;;1000;kommune
SA;Sektor A;KOM;1001;sektor
SB;Sektor B helse;KOM;1004;sektor
A1;Enhet A1;SA;1002;enhet
A2;Enhet A2;SB;1003;enhet
B1;Enhet B1;SB;1005;enhet
C1;Enhet C1 legevakt;SB;;enhet
"""
PEOPLE = """ansattnr;navn;e-post;enhetskode;rolle
1000;Chief Leder;chief@example.no;KOM;leder
1001;Leader A;leader_a@example.no;SA;leder
1002;Leader A1;leader_a1@example.no;A1;leder
1003;Leader A2;leader_a2@example.no;A2;leder
1004;Leader B;leader_b@example.no;SB;leder
1005;Leader B1;ny.adresse@example.no;B1;leder
2001;Employee A1;employee_a1@example.no;B1;ansatt
2002;Employee A1x;employee_a1x@example.no;A1;ansatt
3001;Kari Nordmann;kari.nordmann@example.no;C1;verneombud
"""


def _files(units=UNITS, people=PEOPLE):
    return ("enheter.csv", units.encode()), ("ansatte.csv", people.encode())


@pytest.fixture
def linked(org):
    """The test organisation as if imported once: HR codes on units, numbers on people."""
    for attr, code in CODES.items():
        OrgUnit.objects.filter(pk=getattr(org, attr).pk).update(external_id=code)
    names = {line.split(";")[0]: line.split(";")[1] for line in PEOPLE.splitlines()[1:]}
    names["2003"] = "Employee B1"
    for attr, number in NUMBERS.items():
        first, _sep, last = names[number].rpartition(" ")
        User.objects.filter(pk=getattr(org, attr).pk).update(
            employee_number=number, first_name=first, last_name=last
        )
    return org


def test_dry_run_shows_every_kind_of_change_and_writes_nothing(linked):
    org = linked
    plan = hr_import.plan(*_files())

    assert plan.errors == []
    counts = plan.counts()
    assert counts["units_created"] == 1
    assert counts["units_renamed"] == 1
    assert counts["units_moved"] == 1
    assert counts["units_closed"] == 1
    assert counts["people_joining"] == 1
    assert counts["people_moving"] == 2
    assert counts["people_changed"] == 1
    assert counts["people_leaving"] == 1
    lines = {key: lines for key, _heading, lines in plan.sections()}
    assert lines["units_created"] == ["C1 Enhet C1 legevakt"]
    assert lines["units_closed"] == ["A1X Avdeling A1x"]
    assert lines["people_leaving"] == ["2003 Employee B1"]
    assert "3001 Kari Nordmann (Enhet C1 legevakt)" in lines["people_joining"]
    assert not OrgUnit.objects.filter(external_id="C1").exists()
    assert User.objects.get(pk=org.employee_b1.pk).is_active


def test_apply_does_each_change_and_hands_over_open_work(linked):
    org = linked
    case = report(org)  # handled by leader_a1
    action_a1 = add_action(org, case, responsible=org.employee_a1)
    case_b1 = report(org, reporter=org.employee_b1, unit=org.unit_b1)
    action_b1 = add_action(org, case_b1, responsible=org.employee_b1, actor=org.leader_b1)
    case_a1x = report(org, reporter=org.employee_a1x, unit=org.dept_a1x)
    action_a1x = add_action(org, case_a1x, responsible=org.employee_a1x)

    hr_import.apply(hr_import.plan(*_files()))

    c1 = OrgUnit.objects.get(external_id="C1")
    sector_b = OrgUnit.objects.get(pk=org.sector_b.pk)
    assert OrgUnit.objects.get_parent(c1) == sector_b and c1.is_active
    assert sector_b.name == "Sektor B helse"
    assert OrgUnit.objects.get_parent(OrgUnit.objects.get(pk=org.unit_a2.pk)) == sector_b
    closed = OrgUnit.objects.get(pk=org.dept_a1x.pk)
    assert not closed.is_active and closed.closed_at is not None  # closed, never deleted
    assert closed not in permissions.creatable_units(org.advisor, Document)  # not offered
    action_a1x.refresh_from_db()  # the closed department had no leader: the one above takes it
    assert action_a1x.responsible == org.leader_a1 and action_a1x.unit == closed
    # Moving: employee_a1 is now in B1 only; their open action in A1 went to A1's leader.
    assert set(Membership.objects.filter(user=org.employee_a1).values_list("unit", "role")) == {
        (org.unit_b1.pk, "employee")
    }
    action_a1.refresh_from_db()
    assert action_a1.responsible == org.leader_a1
    assert action_a1.events.filter(changes__responsible=[org.employee_a1.pk, org.leader_a1.pk])
    notes = Notification.objects.filter(recipient=org.leader_a1, kind="qms.handover")
    assert notes.count() == 2  # one per person: employee_a1 moved, employee_a1x's unit closed
    note = notes.get(subject__endswith="fra Employee A1")
    assert "Gå gjennom rutinen" in note.body
    # Leaving: employee_b1 is deactivated; their action went to B1's leader.
    leaver = User.objects.get(pk=org.employee_b1.pk)
    assert not leaver.is_active and not leaver.memberships.exists()
    action_b1.refresh_from_db()
    assert action_b1.responsible == org.leader_b1
    assert Handover.objects.filter(from_user=leaver, to_user=org.leader_b1, reason="left")
    # Joining, and a changed e-mail.
    kari = User.objects.get(employee_number="3001")
    assert kari.is_active and kari.username == "kari.nordmann@example.no"
    assert kari.memberships.get().unit == c1 and not kari.has_usable_password()
    assert User.objects.get(pk=org.leader_b1.pk).email == "ny.adresse@example.no"
    # Hand-made memberships (the committee's) are left alone.
    assert Membership.objects.filter(user=org.committee, role="committee").exists()


def test_second_apply_of_the_same_files_changes_nothing(linked):
    hr_import.apply(hr_import.plan(*_files()))
    notes = Notification.objects.count()
    history = User.history.count(), Membership.history.count(), OrgUnit.history.count()

    again = hr_import.plan(*_files())

    assert again.errors == [] and again.is_empty(), again.sections()
    hr_import.apply(again)
    assert Notification.objects.count() == notes
    # Nothing was written again, not even a history row.
    assert (User.history.count(), Membership.history.count(), OrgUnit.history.count()) == history


def test_first_import_links_units_on_their_code_and_people_on_their_email(org):
    units = "enhetskode;navn;overordnet\nkommune;Kommune;\nsektor-a;Sektor A;kommune\n"
    units += "sektor-b;Sektor B;kommune\nenhet-a1;Enhet A1;sektor-a\nenhet-a2;Enhet A2;sektor-a\n"
    units += "avd-a1x;Avdeling A1x;enhet-a1\nenhet-b1;Enhet B1;sektor-b\n"
    people = "ansattnr,fornavn,etternavn,e-post,enhetskode\n77,Employee,A1,employee_a1@example.no,enhet-a1\n"

    plan = hr_import.plan(("e.csv", units.encode()), ("a.csv", people.encode()))

    assert plan.errors == []
    assert plan.counts()["units_linked"] == 7
    assert plan.counts()["units_moved"] == 0 and plan.counts()["units_created"] == 0
    hr_import.apply(plan)
    assert User.objects.get(employee_number="77") == org.employee_a1
    assert OrgUnit.objects.get(external_id="avd-a1x") == org.dept_a1x
    assert hr_import.plan(("e.csv", units.encode()), ("a.csv", people.encode())).is_empty()


def test_a_bad_file_lists_its_rows_and_applies_nothing(linked):
    units = UNITS + "D1;;SB;;enhet\nE1;Enhet E1;FINNES-IKKE;;enhet\nA1;Dobbel;SA;;\n"
    people = PEOPLE + "4001;Ola;ikke-en-adresse;C1;\n4002;Per;per@example.no;C1;sjef\n"
    people += "2001;Dobbel;dobbel@example.no;A1;\n"

    plan = hr_import.plan(*_files(units, people))

    text = "\n".join(plan.errors)
    assert "Enheter, rad 9: enhetskode og navn må fylles ut." in text
    assert "Enheter, rad 10: den overordnede enheten FINNES-IKKE finnes ikke i filen." in text
    assert "Enheter, rad 11: enhetskoden A1 står to ganger." in text
    assert "Ansatte, rad 11" in text and "ikke-en-adresse" in text
    assert "Ansatte, rad 12: ukjent rolle «sjef»." in text
    assert "Ansatte, rad 13: ansattnummeret 2001 står tidligere med et annet navn" in text
    with pytest.raises(ValueError):
        hr_import.apply(plan)
    assert not OrgUnit.objects.filter(external_id="C1").exists()


def test_two_leaders_for_one_unit_is_an_error(linked):
    people = PEOPLE.replace(
        "2002;Employee A1x;employee_a1x@example.no;A1;ansatt",
        "2002;Employee A1x;employee_a1x@example.no;A1;leder",
    )

    plan = hr_import.plan(*_files(people=people))

    assert any("A1" in e and "1002, 2002" in e for e in plan.errors)


def test_xlsx_files_are_read_like_csv(linked):
    from openpyxl import Workbook

    def xlsx(text):
        book = Workbook()
        for line in text.strip().splitlines():
            book.active.append([int(c) if c.isdigit() else c for c in line.split(";")])
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()

    plan = hr_import.plan(("enheter.xlsx", xlsx(UNITS)), ("ansatte.xlsx", xlsx(PEOPLE)))

    assert plan.errors == []
    assert plan.counts()["people_joining"] == 1 and plan.counts()["units_created"] == 1


def test_management_command_dry_run_then_apply(linked, tmp_path):
    (tmp_path / "e.csv").write_text(UNITS)
    (tmp_path / "a.csv").write_text(PEOPLE)
    out = io.StringIO()

    call_command(
        "hr_import", units=str(tmp_path / "e.csv"), people=str(tmp_path / "a.csv"), stdout=out
    )

    assert "Nye enheter" in out.getvalue() and "C1 Enhet C1 legevakt" in out.getvalue()
    assert not OrgUnit.objects.filter(external_id="C1").exists()
    call_command(
        "hr_import",
        units=str(tmp_path / "e.csv"),
        people=str(tmp_path / "a.csv"),
        apply=True,
        stdout=out,
    )
    assert OrgUnit.objects.filter(external_id="C1").exists()


def _upload(name, text):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def test_page_shows_the_diff_then_applies_it(linked, client_for):
    org = linked
    client = client_for(org.advisor)

    page = client.post(
        "/enheter/import/",
        {"units": _upload("enheter.csv", UNITS), "people": _upload("ansatte.csv", PEOPLE)},
    )

    html = page.content.decode()
    assert page.status_code == 200
    assert "Dette vil endres" in html
    for heading in (
        "Nye enheter",
        "Enheter lagt ned",
        "Personer som flytter",
        "Personer som slutter",
    ):
        assert heading in html
    assert "C1 Enhet C1 legevakt" in html
    assert not OrgUnit.objects.filter(external_id="C1").exists()
    digest = page.context["digest"]

    done = client.post("/enheter/import/", {"apply": "1", "digest": digest})

    assert done.status_code == 200 and "Endringene er gjort." in done.content.decode()
    assert OrgUnit.objects.filter(external_id="C1").exists()
    assert not User.objects.get(pk=org.employee_b1.pk).is_active


def test_page_refuses_to_apply_changes_that_were_not_shown(linked, client_for):
    client = client_for(linked.advisor)
    client.post(
        "/enheter/import/", {"units": _upload("e.csv", UNITS), "people": _upload("a.csv", PEOPLE)}
    )

    page = client.post("/enheter/import/", {"apply": "1", "digest": "annet"})

    assert "Se over og bekreft på nytt" in page.content.decode()
    assert not OrgUnit.objects.filter(external_id="C1").exists()


def test_page_lists_bad_rows_and_changes_nothing(linked, client_for):
    client = client_for(linked.admin)

    page = client.post(
        "/enheter/import/",
        {"people": _upload("a.csv", PEOPLE + "4002;Per;per@example.no;C1;sjef\n")},
    )

    html = page.content.decode()
    assert "Filene har feil. Ingenting er endret." in html
    assert "Ansatte, rad 11: ukjent rolle «sjef»." in html
    assert "Gjør endringene" not in html


def test_page_refuses_a_file_that_is_not_csv_or_xlsx(linked, client_for):
    page = client_for(linked.advisor).post("/enheter/import/", {"people": _upload("a.pdf", "x")})

    assert "Velg en CSV- eller XLSX-fil." in page.content.decode()


def test_a_person_with_two_positions_has_a_row_for_each(linked):
    org = linked
    people = PEOPLE + "2001;Employee A1;employee_a1@example.no;C1;verneombud\n"
    hr_import.apply(hr_import.plan(*_files(people=people)))

    c1 = OrgUnit.objects.get(external_id="C1")
    assert set(Membership.objects.filter(user=org.employee_a1).values_list("unit", "role")) == {
        (org.unit_b1.pk, "employee"),
        (c1.pk, "safety_rep"),
    }
    assert hr_import.plan(*_files(people=people)).is_empty()
    twice = people + "2001;Employee A1;employee_a1@example.no;C1;verneombud\n"
    assert any("står to ganger" in e for e in hr_import.plan(*_files(people=twice)).errors)


@pytest.mark.parametrize("who", ["employee_a1", "leader_a1", "committee"])
def test_only_advisors_and_administrators_import(linked, client_for, who):
    assert client_for(getattr(linked, who)).get("/enheter/import/").status_code == 403


def test_the_sample_export_shows_a_reorganisation_of_the_demo_municipality(db):
    """docs/examples/hr-*.csv against the demo organisation (qms/demo.py), as in
    docs/operations.md: every kind of change, no errors; applied once, then nothing to do."""
    from pathlib import Path

    from django.conf import settings

    from qms.demo import seed_organisation

    seed_organisation()
    examples = Path(settings.BASE_DIR) / "docs" / "examples"
    files = [
        (name, (examples / name).read_bytes()) for name in ("hr-enheter.csv", "hr-ansatte.csv")
    ]

    plan = hr_import.plan(*files)

    assert plan.errors == []
    counts = plan.counts()
    for key in ("units_created", "units_renamed", "units_moved", "units_closed"):
        assert counts[key] == 1, key
    assert counts["people_joining"] == 1 and counts["people_leaving"] == 1
    assert counts["people_moving"] == 4 and counts["people_changed"] == 0
    hr_import.apply(plan)
    assert hr_import.plan(*files).is_empty()

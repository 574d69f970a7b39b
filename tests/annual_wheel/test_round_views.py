"""Pages of checklists and rounds, rendered in bokmål: the editor, starting, answering, findings,
sign-off and the PDF report."""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from annual_wheel import services
from annual_wheel.models import ChecklistVersion, Occurrence, Round
from deviations.models import CorrectiveAction, Deviation
from tests.annual_wheel.helpers import answer_all, make_checklist

pytestmark = pytest.mark.django_db

RUNWAY = "Er rømningsveiene frie og merket?"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture
def checklist(org):
    return make_checklist(org.advisor)


@pytest.fixture
def round_(org, checklist):
    return services.start_round(
        org.leader_a1,
        checklist=checklist,
        unit=org.unit_a1,
        date=timezone.localdate(),
        participants=[org.employee_a1],
    )


def q(round_, text=RUNWAY):
    return round_.version.questions.get(text=text)


# --- Checklists ----------------------------------------------------------------------------------


def test_employee_reads_checklists_but_is_offered_no_editing(org, client_for, checklist):
    client = client_for(org.employee_a1)
    page = client.get("/arshjul/sjekklister/").content.decode()
    assert "Vernerunde" in page and "versjon 1" in page
    assert "Ny sjekkliste" not in page
    detail = client.get(checklist.get_absolute_url()).content.decode()
    assert RUNWAY in detail and "Arbeidsplassen" in detail
    assert "Lag ny versjon" not in detail
    assert client.get("/arshjul/sjekklister/ny/").status_code == 403


def test_advisor_builds_a_checklist_in_the_editor_and_publishes_it(org, client_for):
    client = client_for(org.advisor)
    response = client.post(
        "/arshjul/sjekklister/ny/", {"title": "Brannvernrunde", "description": "", "unit": ""}
    )
    draft = ChecklistVersion.objects.get(checklist__title="Brannvernrunde")
    assert response.url == draft.get_absolute_url()
    add = f"/arshjul/sjekklister/{draft.checklist_id}/versjon/{draft.pk}/sporsmal/ny/"
    for text in ("Er slokkeutstyret kontrollert?", "Er brannalarmen testet?"):
        form = {"section": "Brann", "text": text, "kind": "yes_no", "fail_answer": "no"}
        assert client.post(add, form).status_code == 302
    second = draft.questions.get(text="Er brannalarmen testet?")
    client.post(f"/arshjul/sjekklister/sporsmal/{second.pk}/flytt/", {"direction": "up"})
    page = client.get(draft.get_absolute_url()).content.decode()
    assert page.index("Er brannalarmen testet?") < page.index("Er slokkeutstyret kontrollert?")
    assert "Publiser versjonen" in page and "Flytt ned" in page
    first = draft.questions.get(text="Er slokkeutstyret kontrollert?")
    client.post(f"/arshjul/sjekklister/sporsmal/{first.pk}/fjern/")
    client.post(f"/arshjul/sjekklister/{draft.checklist_id}/versjon/{draft.pk}/publiser/")
    draft.refresh_from_db()
    assert draft.status == "published" and draft.questions.count() == 1
    page = client.get(draft.get_absolute_url()).content.decode()
    assert "kan ikke endres" in page and "Publiser versjonen" not in page


def test_unknown_document_number_is_refused_in_the_question_form(org, client_for):
    checklist = make_checklist(org.advisor, publish=False)
    draft = checklist.versions.get()
    response = client_for(org.advisor).post(
        f"/arshjul/sjekklister/{checklist.pk}/versjon/{draft.pk}/sporsmal/ny/",
        {
            "text": "Følges rutinen?",
            "kind": "yes_no",
            "fail_answer": "no",
            "document_number": "X-1",
        },
    )
    assert response.status_code == 400
    assert "Finner ikke dokumentet X-1." in response.content.decode()


# --- Rounds --------------------------------------------------------------------------------------


def test_leader_starts_a_round_by_hand(org, client_for, checklist):
    client = client_for(org.leader_a1)
    page = client.get("/arshjul/runder/ny/").content.decode()
    assert "Start runde" in page and "Employee A1" in page  # the unit's people to choose from
    response = client.post(
        "/arshjul/runder/ny/",
        {
            "checklist": checklist.pk,
            "unit": org.unit_a1.pk,
            "date": timezone.localdate().isoformat(),
            "participants": [org.employee_a1.pk],
        },
    )
    round_ = Round.objects.get()
    assert response.url == round_.get_absolute_url()
    assert set(round_.participants.all()) == {org.leader_a1, org.employee_a1}


def test_round_starts_from_the_occurrence_of_an_activity_with_a_checklist(
    org, client_for, checklist, make_activity
):
    activity = make_activity(org.unit_a1, checklist=checklist)
    occurrence = activity.occurrences.get()
    client = client_for(org.leader_a1)
    detail = client.get(activity.get_absolute_url()).content.decode()
    start = f"/arshjul/runder/ny/?occurrence={occurrence.pk}"
    assert start.replace("&", "&amp;") in detail
    page = client.get(start).content.decode()
    assert "Når runden signeres, registreres aktiviteten som gjennomført" in page
    client.post(
        "/arshjul/runder/ny/",
        {
            "occurrence": occurrence.pk,
            "checklist": checklist.pk,
            "unit": org.unit_a1.pk,
            "date": timezone.localdate().isoformat(),
        },
    )
    assert Round.objects.get().occurrence == occurrence


def test_round_page_offers_large_choices_and_a_camera(org, client_for, round_):
    page = client_for(org.employee_a1).get(round_.get_absolute_url()).content.decode()
    assert RUNWAY in page and "Ikke relevant" in page
    assert 'accept="image/*" capture="environment"' in page
    assert 'hx-post="/arshjul/runder/' in page and 'enctype="multipart/form-data"' in page
    assert "annual_wheel/rounds.js" in page
    assert "4 spørsmål er ikke besvart." in page


def test_answer_without_javascript_saves_and_returns_to_the_question(org, client_for, round_):
    question = q(round_)
    response = client_for(org.employee_a1).post(
        f"/arshjul/runder/{round_.pk}/svar/{question.pk}/",
        {
            "value": "no",
            "comment": "Paller i nødutgangen",
            "photo": SimpleUploadedFile("a.png", PNG),
        },
    )
    assert response.status_code == 302
    assert response.url.endswith(f"#q-{question.pk}")
    answer = round_.answers.get()
    assert (answer.value, answer.comment, answer.photo_type) == (
        "no",
        "Paller i nødutgangen",
        "image/png",
    )
    photo = client_for(org.leader_a1).get(f"/arshjul/runder/{round_.pk}/svar/{question.pk}/bilde/")
    assert photo.status_code == 200 and b"".join(photo.streaming_content) == PNG


def test_answer_through_htmx_returns_the_row_with_the_finding_buttons(org, client_for, round_):
    question = q(round_)
    response = client_for(org.employee_a1).post(
        f"/arshjul/runder/{round_.pk}/svar/{question.pk}/",
        {"value": "no", "comment": ""},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Lagret" in html and "Meld avvik" in html and "Legg til i handlingsplan" in html
    assert (
        'id="round-sign" aria-labelledby="sign-heading" class="qms-stack" hx-swap-oob="true"'
        in (html)
    )
    assert "3 spørsmål er ikke besvart." in html


def test_a_file_that_is_no_image_is_refused(org, client_for, round_):
    question = q(round_)
    response = client_for(org.employee_a1).post(
        f"/arshjul/runder/{round_.pk}/svar/{question.pk}/",
        {"value": "yes", "photo": SimpleUploadedFile("a.png", b"MZ\x90 not an image")},
        HTTP_HX_REQUEST="true",
    )
    assert "Filen er ikke et bilde" in response.content.decode()
    assert not round_.answers.exists()


def test_meld_avvik_reports_the_finding_and_shows_its_number(org, client_for, round_):
    question = q(round_)
    client = client_for(org.employee_a1)
    services.answer_question(org.employee_a1, round_, question, value="no", comment="Blokkert")
    url = f"/arshjul/runder/{round_.pk}/svar/{question.pk}/avvik/"
    html = client.post(url, HTTP_HX_REQUEST="true").content.decode()
    deviation = Deviation.objects.get()
    assert deviation.source == "round"
    assert "Meldt som avvik" in html and deviation.number in html
    client.post(url)
    assert Deviation.objects.count() == 1


def test_legg_til_i_handlingsplan_offers_the_candidates_and_creates_the_action(
    org, client_for, round_
):
    question = q(round_)
    services.answer_question(org.employee_a1, round_, question, value="no", comment="Blokkert")
    client = client_for(org.employee_a1)
    url = f"/arshjul/runder/{round_.pk}/svar/{question.pk}/tiltak/"
    page = client.get(url).content.decode()
    assert "Leader A1" in page and "Employee B1" not in page and "Blokkert" in page
    deadline = (timezone.localdate() + timedelta(days=20)).isoformat()
    response = client.post(
        url,
        {"description": "Rydd nødutgangen", "responsible": org.leader_a1.pk, "deadline": deadline},
    )
    assert response.status_code == 302
    action = CorrectiveAction.objects.get()
    assert action.description == "Rydd nødutgangen"
    page = client.get(round_.get_absolute_url()).content.decode()
    assert "I handlingsplanen: Rydd nødutgangen" in page


def test_sign_with_unanswered_questions_is_refused_with_the_reason(org, client_for, round_):
    client = client_for(org.leader_a1)
    response = client.post(f"/arshjul/runder/{round_.pk}/signer/", follow=True)
    assert "4 spørsmål er ikke besvart." in response.content.decode()
    round_.refresh_from_db()
    assert not round_.is_signed


def test_signed_round_is_read_only_and_its_occurrence_done(
    org, client_for, checklist, make_activity
):
    occurrence = make_activity(org.unit_a1, checklist=checklist).occurrences.get()
    round_ = services.start_round(
        org.leader_a1, checklist=checklist, occurrence=occurrence, date=timezone.localdate()
    )
    answer_all(org.leader_a1, round_)
    client = client_for(org.leader_a1)
    page = client.post(f"/arshjul/runder/{round_.pk}/signer/", follow=True).content.decode()
    assert "Runden er signert." in page and "Runden kan ikke endres." in page
    assert "Lagre svar" not in page and "disabled" in page
    occurrence.refresh_from_db()
    assert occurrence.status == Occurrence.Status.DONE


def test_employee_participant_is_not_offered_the_sign_button(org, client_for, round_):
    page = client_for(org.employee_a1).get(round_.get_absolute_url()).content.decode()
    assert "Signer runden" not in page
    assert "signeres av en deltaker som er leder" in page


def test_report_pdf_lists_answers_findings_and_the_action_plan(
    org, client_for, round_, monkeypatch
):
    from qms.reports import pdf

    rendered = []
    original = pdf.render_pdf

    def spy(html):
        rendered.append(html)
        return original(html)

    monkeypatch.setattr(pdf, "render_pdf", spy)
    from deviations.services import UploadedFile

    answer_all(org.leader_a1, round_, failing=[RUNWAY])
    answer = services.answer_question(
        org.leader_a1,
        round_,
        q(round_),
        value="no",
        comment="Sperret",
        photo=UploadedFile(file=ContentFile(PNG), name="a.png", content_type="image/png", size=1),
    )
    answer = services.report_finding(org.leader_a1, answer)
    services.add_to_action_plan(
        org.leader_a1,
        answer,
        responsible=org.employee_a1,
        deadline=timezone.localdate() + timedelta(days=10),
        description="Rydd nødutgangen",
    )
    response = client_for(org.leader_a1).get(f"/arshjul/runder/{round_.pk}/rapport.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    (html,) = rendered
    assert answer.deviation.number in html and RUNWAY in html
    assert "Rydd nødutgangen" in html and "Handlingsplan" in html and "Funn" in html
    assert "Employee A1" in html and "Pågår (ikke signert)" in html
    assert 'src="data:image/png;base64,' in html  # the finding's photo is in the report


def test_min_side_lists_a_participants_round_in_progress_until_it_is_signed(
    org, client_for, round_
):
    from qms import hooks

    titles = [t.title for t in hooks.tasks_for(org.employee_a1)]
    assert "Vernerunde – Enhet A1" in titles
    assert "Vernerunde – Enhet A1" not in [t.title for t in hooks.tasks_for(org.leader_b1)]
    # A leader of the unit who is no participant has no task for it either.
    assert "Vernerunde – Enhet A1" not in [t.title for t in hooks.tasks_for(org.leader_a)]
    page = client_for(org.employee_a1).get("/").content.decode()
    assert "Vernerunde – Enhet A1" in page and round_.get_absolute_url() in page
    answer_all(org.leader_a1, round_)
    services.sign_round(org.leader_a1, round_)
    assert "Vernerunde – Enhet A1" not in [t.title for t in hooks.tasks_for(org.employee_a1)]


def test_admin_reads_checklists_and_rounds_but_does_not_change_a_round(org, client_for, round_):
    client = client_for(org.admin)
    assert "Vernerunde" in client.get("/admin/annual_wheel/checklist/").content.decode()
    page = client.get(f"/admin/annual_wheel/round/{round_.pk}/change/")
    assert page.status_code == 200
    assert client.get("/admin/annual_wheel/round/add/").status_code == 403
    client.post(f"/admin/annual_wheel/round/{round_.pk}/change/", {"status": "signed"})
    round_.refresh_from_db()
    assert round_.status == Round.Status.IN_PROGRESS


def test_round_page_queries_do_not_grow_with_the_answers(org, client_for, round_):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(org.leader_a1)
    answer = services.answer_question(org.leader_a1, round_, q(round_), value="no", comment="")
    services.report_finding(org.leader_a1, answer)
    client.get(round_.get_absolute_url())  # warm the session and caches
    with CaptureQueriesContext(connection) as one:
        client.get(round_.get_absolute_url())
    answer_all(org.leader_a1, round_, failing=[RUNWAY, "Beskriv inneklimaet"])
    services.report_finding(org.leader_a1, round_.answers.get(question__text=RUNWAY))
    with CaptureQueriesContext(connection) as all_answered:
        client.get(round_.get_absolute_url())
    assert len(all_answered) == len(one), "\n".join(x["sql"][:300] for x in all_answered)


def test_a_rounds_finding_links_its_round_on_the_case_page(org, client_for, round_):
    from django.test import RequestFactory

    from annual_wheel import hooks as wheel_hooks

    answer = services.answer_question(org.leader_a1, round_, q(round_), value="no", comment="")
    answer = services.report_finding(org.leader_a1, answer)
    page = client_for(org.leader_a1).get(answer.deviation.get_absolute_url()).content.decode()
    assert "Funn fra runde" in page
    assert f'href="{round_.get_absolute_url()}">Vernerunde – Enhet A1</a>' in page
    assert RUNWAY in page
    # Enhet B1's leader may not see Enhet A1's round: no panel, whatever page asks.
    request = RequestFactory().get("/")
    request.user = org.leader_b1
    assert wheel_hooks.finding_panel(request, answer.deviation) is None

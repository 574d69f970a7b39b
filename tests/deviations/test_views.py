"""The pages: reporting (bad input keeps what was typed), the case page, the public form."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from deviations.models import AccessLog, Attachment, Deviation, ReportLink
from tests.deviations.authz import PNG
from tests.deviations.conftest import add_action, report

pytestmark = pytest.mark.django_db

SCRIPT = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def form_data(org, **extra):
    data = {
        "kind": "deviation",
        "title": "Dør til medisinrom sto åpen",
        "description": "Oppdaget kl. 14 at døren sto åpen uten tilsyn.",
        "occurred_at": (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "unit": org.unit_a1.pk,
        "severity": "3",
        "place": "Medisinrommet",
        "immediate_action": "Låste døren",
    }
    data.update(extra)
    return data


def test_every_page_has_the_report_button(org, client_for):
    page = client_for(org.employee_a1).get("/").content.decode()
    assert 'href="/avvik/meld/"' in page


def test_report_in_the_browser_shows_the_number_and_tells_the_leader(org, client_for):
    client = client_for(org.employee_a1)
    response = client.post("/avvik/meld/", form_data(org), follow=True)
    deviation = Deviation.objects.get()
    assert response.redirect_chain[-1][0] == f"/avvik/{deviation.pk}/"
    assert deviation.number in response.content.decode()
    assert deviation.reporter == org.employee_a1
    assert org.leader_a1.notifications.filter(kind="deviation.reported").exists()


def test_form_shows_no_sanction_and_personal_data_notices(org, client_for):
    page = client_for(org.employee_a1).get("/avvik/meld/").content.decode()
    assert "fører ikke til sanksjoner" in page
    assert "Personopplysninger" in page
    assert 'accept="image/*,application/pdf"' in page


@pytest.mark.parametrize(
    "bad, field",
    [
        ({"occurred_at": "i går en gang"}, "occurred_at"),
        ({"occurred_at": "2999-01-01T10:00"}, "occurred_at"),
        ({"unit": "999999"}, "unit"),
        ({"unit": "abc"}, "unit"),
        ({"title": ""}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"severity": "9"}, "severity"),
        ({"kind": "ufo"}, "kind"),
    ],
)
def test_bad_input_gives_a_norwegian_error_and_keeps_what_was_typed(org, client_for, bad, field):
    client = client_for(org.employee_a1)
    data = form_data(org, **bad)
    response = client.post("/avvik/meld/", data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Skjemaet har feil som må rettes" in page
    assert f'href="#id_{field}' in page
    # What was typed survives.
    assert "Oppdaget kl. 14 at døren sto åpen uten tilsyn." in page
    assert 'value="Medisinrommet"' in page
    assert not Deviation.objects.exists()


def test_script_in_text_fields_is_stored_as_text_and_shown_escaped(org, client_for):
    client = client_for(org.employee_a1)
    client.post("/avvik/meld/", form_data(org, title=SCRIPT[:200], description=SCRIPT))
    deviation = Deviation.objects.get()
    assert deviation.description == SCRIPT
    page = client_for(org.leader_a1).get(f"/avvik/{deviation.pk}/").content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert" in page


def test_photo_attachment_is_stored_and_served_through_the_permission_layer(org, client_for):
    client = client_for(org.employee_a1)
    photo = SimpleUploadedFile("IMG_0001.JPG", PNG, "image/jpeg")
    client.post("/avvik/meld/", {**form_data(org), "attachments": [photo]})
    attachment = Attachment.objects.get()
    # Judged by content: a PNG named .JPG is stored as PNG.
    assert attachment.content_type == "image/png"
    assert attachment.original_name == "IMG_0001.png"
    url = attachment.get_absolute_url()
    assert client.get(url).status_code == 200
    assert client_for(org.employee_b1).get(url).status_code == 404


def test_case_page_offers_files_and_the_camera_under_one_name(org, client_for):
    deviation = report(org)
    client = client_for(org.employee_a1)
    page = client.get(f"/avvik/{deviation.pk}/").content.decode()
    box = page[page.index('<div class="qms-file-upload"') :]
    box = box[: box.index('<p class="qms-muted qms-file-list"')]
    assert 'class="ds-file-upload"' in box
    assert box.count('name="attachments"') == 2
    assert 'accept="image/*" capture="environment"' in box
    # A file chosen and a photo taken arrive under the same name and are both stored.
    client.post(
        f"/avvik/{deviation.pk}/vedlegg/",
        {
            "attachments": [
                SimpleUploadedFile("a.png", PNG, "image/png"),
                SimpleUploadedFile("kamera.png", PNG, "image/png"),
            ]
        },
    )
    assert deviation.attachments.count() == 2


@pytest.mark.parametrize(
    "upload, message",
    [
        (SimpleUploadedFile("virus.exe", b"MZ\x90\x00" * 10, "image/png"), "ikke et bilde"),
        (SimpleUploadedFile("side.html", b"<html><script>", "text/html"), "ikke et bilde"),
        (SimpleUploadedFile("tom.png", b"", "image/png"), "tom"),
        (
            SimpleUploadedFile("stor.png", PNG + b"\0" * (10 * 1024 * 1024), "image/png"),
            "for stor",
        ),
    ],
)
def test_wrong_or_oversized_upload_is_refused_and_nothing_is_stored(
    org, client_for, upload, message
):
    client = client_for(org.employee_a1)
    response = client.post("/avvik/meld/", {**form_data(org), "attachments": [upload]})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "Oppdaget kl. 14" in response.content.decode()
    assert not Deviation.objects.exists()
    assert not Attachment.objects.exists()


def test_personal_data_views_are_logged_and_hidden_from_the_advisor(org, client_for):
    deviation = report(org, contains_personal_data=True)
    assert client_for(org.advisor).get(f"/avvik/{deviation.pk}/").status_code == 404
    client_for(org.leader_a1).get(f"/avvik/{deviation.pk}/")
    client_for(org.employee_a1).get(f"/avvik/{deviation.pk}/")
    log = list(AccessLog.objects.order_by("at").values_list("user__username", "channel"))
    assert log == [("leader_a1", "web"), ("employee_a1", "web")]
    page = client_for(org.leader_a1).get(f"/avvik/{deviation.pk}/").content.decode()
    assert "Innsynslogg" in page


def test_views_of_ordinary_cases_are_not_logged(org, client_for):
    deviation = report(org)
    client_for(org.leader_a1).get(f"/avvik/{deviation.pk}/")
    assert not AccessLog.objects.exists()


def test_leader_handles_the_case_through_the_pages(org, client_for):
    deviation = report(org)
    client = client_for(org.leader_a1)
    deadline = (timezone.localdate() + timedelta(days=5)).isoformat()
    response = client.post(
        f"/avvik/{deviation.pk}/tiltak/",
        {
            "action-description": "Ny lås",
            "action-responsible": org.employee_a1.pk,
            "action-deadline": deadline,
        },
    )
    assert response.status_code == 302
    action = deviation.actions.get()
    client_for(org.employee_a1).post(f"/avvik/tiltak/{action.pk}/utfort/", {"complete-note": "Ok"})
    client = client_for(org.leader_a1)
    client.post(f"/avvik/tiltak/{action.pk}/effekt/", {"evaluate-effect": "effective"})
    client.post(f"/avvik/{deviation.pk}/lukk/", {"close-note": ""})
    deviation.refresh_from_db()
    assert deviation.state == Deviation.State.CLOSED


def test_action_form_with_past_deadline_keeps_the_text(org, client_for):
    deviation = report(org)
    response = client_for(org.leader_a1).post(
        f"/avvik/{deviation.pk}/tiltak/",
        {
            "action-description": "Kurs i medisinhåndtering",
            "action-responsible": org.employee_a1.pk,
            "action-deadline": "2001-01-01",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Fristen kan ikke være tilbake i tid." in page
    assert "Kurs i medisinhåndtering" in page


def test_closing_refused_shows_a_message(org, client_for):
    deviation = report(org)
    add_action(org, deviation)
    response = client_for(org.leader_a1).post(
        f"/avvik/{deviation.pk}/lukk/", {"close-note": ""}, follow=True
    )
    assert "Alle tiltak må være utført" in response.content.decode()


def test_inbox_lists_the_subtree_with_a_constant_number_of_queries(
    org, client_for, django_assert_max_num_queries
):
    a1 = [report(org) for _ in range(3)]
    b1 = report(org, reporter=org.employee_b1, unit=org.unit_b1)
    client = client_for(org.leader_a)
    client.get("/avvik/")  # warm caches (session, content types)
    with django_assert_max_num_queries(12) as first:
        response = client.get("/avvik/")
    assert response.status_code == 200
    assert [row.pk for row in response.context["rows"]] == [d.pk for d in reversed(a1)]
    page = response.content.decode()
    assert all(d.number in page for d in a1) and b1.number not in page
    a1 += [report(org) for _ in range(20)]
    with django_assert_max_num_queries(len(first.captured_queries)):
        response = client.get("/avvik/")
    assert response.status_code == 200
    assert [row.pk for row in response.context["rows"]] == [d.pk for d in reversed(a1)]


def test_inbox_filters_and_keyset_pages(org, client_for):
    ids = [report(org, severity=5 if i % 2 else 1).pk for i in range(6)]
    client = client_for(org.leader_a1)
    page = client.get("/avvik/", {"severity": "5"}).content.decode()
    import re

    assert len(re.findall(r'class="ds-link" href="/avvik/\d+/"', page)) == 3
    from deviations import views

    rows, after = views.keyset_page(Deviation.objects.all(), None, size=4)
    assert [r.pk for r in rows] == sorted(ids, reverse=True)[:4]
    rows, after2 = views.keyset_page(Deviation.objects.all(), str(after), size=4)
    assert [r.pk for r in rows] == sorted(ids, reverse=True)[4:]
    assert after2 is None
    assert client.get("/avvik/", {"occurred_from": "ikke-en-dato"}).status_code == 200


# --- Reporting without an account ---------------------------------------------------------------


@pytest.fixture
def link(org):
    from django.core.cache import cache

    cache.clear()  # the rate limit counts per IP in the cache
    return ReportLink.objects.create(unit=org.unit_a1)


def public_data(client, link, **extra):
    page = client.get(link.get_absolute_url()).content.decode()
    import re

    started = re.search(r'name="started" value="([^"]+)"', page).group(1)
    data = {
        "kind": "injury",
        "title": "Nestenulykke i trappen",
        "description": "Glatt trinn",
        "occurred_at": (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "unit": link.unit_id,
        "severity": "2",
        "reporter_name": "Vikar Vera",
        "started": started,
    }
    data.update(extra)
    return data


def test_public_form_reports_without_login(org, client, link, monkeypatch):
    from deviations import forms

    monkeypatch.setattr(forms.PublicReportForm, "MIN_SECONDS", 0)
    response = client.post(link.get_absolute_url(), public_data(client, link))
    assert response.status_code == 200
    deviation = Deviation.objects.get()
    assert deviation.number in response.content.decode()
    assert deviation.reporter is None and deviation.via_public_form
    assert deviation.reporter_name == "Vikar Vera"
    assert deviation.unit == org.unit_a1
    assert org.leader_a1.notifications.filter(kind="deviation.reported").exists()
    # The open form gives access to nothing else.
    assert client.get(f"/avvik/{deviation.pk}/").status_code == 302
    assert client.get("/api/v1/deviations/").status_code == 403


def test_public_form_ignores_a_posted_unit(org, client, link, monkeypatch):
    from deviations import forms

    monkeypatch.setattr(forms.PublicReportForm, "MIN_SECONDS", 0)
    client.post(link.get_absolute_url(), public_data(client, link, unit=org.unit_b1.pk))
    assert not Deviation.objects.filter(unit=org.unit_b1).exists()


def test_public_form_stops_bots(org, client, link, monkeypatch):
    from deviations import forms

    # Too fast:
    response = client.post(link.get_absolute_url(), public_data(client, link))
    assert "ikke sendt" in response.content.decode()
    monkeypatch.setattr(forms.PublicReportForm, "MIN_SECONDS", 0)
    # Honeypot filled:
    client.post(link.get_absolute_url(), public_data(client, link, website="http://spam"))
    # No signed start:
    client.post(link.get_absolute_url(), public_data(client, link, started="forged"))
    assert not Deviation.objects.exists()


def test_public_form_is_rate_limited(org, client, link, monkeypatch, settings):
    from deviations import forms

    monkeypatch.setattr(forms.PublicReportForm, "MIN_SECONDS", 0)
    statuses = [
        client.post(link.get_absolute_url(), public_data(client, link)).status_code
        for _ in range(12)
    ]
    assert statuses.count(200) == 10
    assert statuses[-1] == 429
    assert Deviation.objects.count() == 10


def test_inactive_link_is_gone(org, client, link):
    link.is_active = False
    link.save()
    assert client.get(link.get_absolute_url()).status_code == 404


def test_leader_creates_the_link_and_qr_code(org, client_for):
    client = client_for(org.leader_a1)
    client.post(f"/avvik/enhet/{org.unit_a1.pk}/meldelenke/")
    link = ReportLink.objects.get(unit=org.unit_a1)
    page = client.get(f"/avvik/enhet/{org.unit_a1.pk}/meldelenke/").content.decode()
    assert "<svg" in page and link.token in page
    client.post(f"/avvik/enhet/{org.unit_a1.pk}/meldelenke/", {"renew": "1"})
    link.refresh_from_db()
    assert link.token not in page
    svg = client.get(f"/avvik/apent/{link.token}/qr.svg")
    assert svg["Content-Type"] == "image/svg+xml"


def test_min_side_shows_my_cases_and_my_actions(org, client_for):
    deviation = report(org)
    add_action(org, deviation, responsible=org.employee_a1)
    page = client_for(org.employee_a1).get("/").content.decode()
    assert "Mine saker" in page
    assert deviation.number in page
    assert "Gå gjennom rutinen" in page


def test_my_tasks_mark_overdue_by_the_actions_own_rule(org, monkeypatch):
    """The "Mine oppgaver" row asks CorrectiveAction.is_overdue (the one-row form of
    ActionQuerySet.overdue) whether an action is late: change the rule and the row follows."""
    from deviations.hooks import my_actions
    from deviations.models import CorrectiveAction

    add_action(org, report(org), responsible=org.employee_a1, days=3)
    assert [item.overdue for item in my_actions(org.employee_a1)] == [False]
    monkeypatch.setattr(CorrectiveAction, "is_overdue", lambda self, today=None: True)
    assert [item.overdue for item in my_actions(org.employee_a1)] == [True]


def test_forward_out_of_the_leaders_sight_lands_in_the_inbox_with_a_message(org, client_for):
    """After a forward to a unit outside their subtree the leader no longer sees the case: the
    form goes back to the inbox with a message, not to the case page (which would be 404)."""
    deviation = report(org)
    client = client_for(org.leader_a1)
    response = client.post(
        f"/avvik/{deviation.pk}/videresend/",
        {"forward-unit": org.unit_b1.pk, "forward-reason": "Gjelder Enhet B1"},
        follow=True,
    )
    assert response.redirect_chain == [("/avvik/", 302)]
    html = response.content.decode()
    assert f"Du har ikke lenger tilgang til sak {deviation.number}" in html
    deviation.refresh_from_db()
    assert deviation.unit == org.unit_b1


def _guidance(html: str) -> str:
    start = html.index('<details class="ds-details qms-guidance">')
    return html[start : html.index("</details>", start)]


def test_report_forms_say_what_to_report_and_where_whistleblowing_goes(org, client, settings):
    settings.WHISTLEBLOWING_URL = "https://www.eksempel.kommune.no/varsling"
    link = ReportLink.objects.create(unit=org.unit_a1)
    client.force_login(org.employee_a1)
    for path in ("/avvik/meld/", f"/avvik/apent/{link.token}/"):
        guidance = _guidance(client.get(path).content.decode())
        assert "<summary>Hva skal meldes her?</summary>" in guidance
        for words in ("brudd på lov", "fare for liv og helse", "økonomisk tap", "driftshendelse"):
            assert words in guidance, (path, words)
        assert "Varsling er ikke avvik." in guidance
        assert 'href="https://www.eksempel.kommune.no/varsling"' in guidance


def test_without_a_whistleblowing_routine_there_is_no_dead_link(org, client_for, settings):
    settings.WHISTLEBLOWING_URL = ""
    guidance = _guidance(client_for(org.employee_a1).get("/avvik/meld/").content.decode())
    assert "Varsling er ikke avvik." in guidance and "href=" not in guidance


def test_the_whistleblowing_routine_set_in_the_admin_wins_over_the_environment(
    org, client_for, settings
):
    from qms.models import SiteSettings
    from qms.site import forget_site_settings

    settings.WHISTLEBLOWING_URL = "https://www.eksempel.kommune.no/varsling"
    SiteSettings.objects.update_or_create(pk=1, defaults={"whistleblowing_url": "/dokumenter/7/"})
    forget_site_settings()
    guidance = _guidance(client_for(org.employee_a1).get("/avvik/meld/").content.decode())
    assert 'href="/dokumenter/7/"' in guidance
    assert "eksempel.kommune.no" not in guidance

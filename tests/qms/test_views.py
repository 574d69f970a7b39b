import pytest
from django.core import mail

from qms.models import Notification
from qms.notifications import notify

pytestmark = pytest.mark.django_db


def test_start_page_requires_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/login/")


def test_start_page_shows_name_units_and_navigation(org, client_for):
    html = client_for(org.employee_a1x).get("/").content.decode()
    assert "Avdeling A1x" in html
    assert 'href="#main"' in html  # skip link
    for url in ("/dokumenter/", "/avvik/", "/ros/", "/arshjul/"):
        assert f'href="{url}"' in html
    assert "<main" in html and "<nav" in html and "<header" in html


def test_start_page_is_norwegian_by_default_and_english_on_request(org, client_for):
    client = client_for(org.employee_a1)
    assert "Mine enheter" in client.get("/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/").content.decode()
    assert "My units" in html
    assert 'lang="en"' in html


def test_unit_page_shows_nearest_leader_and_hides_members_from_outsiders(org, client_for):
    html = client_for(org.employee_b1).get(f"/enheter/{org.dept_a1x.pk}/").content.decode()
    assert "Leader A1" in html
    assert "Employee A1X" not in html
    html = client_for(org.leader_a1).get(f"/enheter/{org.dept_a1x.pk}/").content.decode()
    assert "Employee A1X" in html


def test_unknown_unit_is_404(org, client_for):
    assert client_for(org.employee_a1).get("/enheter/999999/").status_code == 404


def test_notification_is_listed_marked_read_and_mailed_once(
    org, client_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        n = notify(org.employee_a1, kind="test", subject="Hei", body="Tekst", url="/enheter/")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["employee_a1@example.no"]
    client = client_for(org.employee_a1)
    assert "Hei" in client.get("/").content.decode()
    response = client.post(f"/varsler/{n.pk}/lest/")
    assert response.status_code == 302 and response["Location"] == "/enheter/"
    n.refresh_from_db()
    assert n.read_at is not None
    # Another user's notification cannot be touched.
    other = notify(org.employee_b1, kind="test", subject="Ikke din", email=False)
    client.post(f"/varsler/{other.pk}/lest/")
    other.refresh_from_db()
    assert other.read_at is None


def test_healthz(client, db):
    assert client.get("/healthz").json() == {"status": "ok"}


def test_admin_lists_units_with_history(org, client_for):
    client = client_for(org.admin)
    assert client.get("/admin/qms/orgunit/").status_code == 200
    assert client.get(f"/admin/qms/orgunit/{org.unit_a1.pk}/history/").status_code == 200


def test_notification_with_offsite_url_does_not_redirect_offsite(org, client_for):
    n = Notification.objects.create(
        recipient=org.employee_a1, kind="x", subject="s", url="https://evil.example/"
    )
    response = client_for(org.employee_a1).post(f"/varsler/{n.pk}/lest/")
    assert response["Location"] == "/varsler/"


def test_browser_language_does_not_switch_away_from_bokmal(org, client_for):
    client = client_for(org.employee_a1)
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "Mine enheter" in html
    assert 'lang="nb"' in html

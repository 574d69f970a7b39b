"""The page language: the user's own choice, else the municipality's målform, else bokmål."""

import datetime

import pytest
from django.conf import settings
from django.test import Client
from django.utils import formats, translation

from qms.models import SiteSettings, User
from qms.site import site_settings

pytestmark = pytest.mark.django_db


def set_written_standard(language: str) -> None:
    row = site_settings()
    row.default_language = language
    row.save()


def test_bokmal_when_nobody_has_chosen(org, client_for):
    html = client_for(org.employee_a1).get("/").content.decode()
    assert 'lang="nb"' in html and "Mine enheter" in html


def test_municipality_in_nynorsk_shows_pages_in_nynorsk(org, client_for):
    set_written_standard("nn")
    html = client_for(org.employee_a1).get("/").content.decode()
    assert 'lang="nn"' in html
    assert "Mine einingar" in html and "Mine enheter" not in html
    # Signed out too: the login page follows the municipality's målform.
    html = Client().get("/konto/login/").content.decode()
    assert 'lang="nn"' in html and "Gløymt passord?" in html


def test_users_own_language_wins_over_the_municipalitys(org, client_for):
    set_written_standard("nn")
    User.objects.filter(pk=org.employee_a1.pk).update(language="en")
    User.objects.filter(pk=org.employee_b1.pk).update(language="nb")
    assert "My units" in client_for(org.employee_a1).get("/").content.decode()
    html = Client()
    html.force_login(org.employee_b1)
    assert "Mine enheter" in html.get("/").content.decode()


def test_admin_changes_the_written_standard_for_everyone(org, client_for):
    admin = client_for(org.admin)
    response = admin.get("/admin/qms/sitesettings/")
    assert response.status_code == 302
    change_url = response["Location"]
    response = admin.post(change_url, {"default_language": "nn", "whistleblowing_url": ""})
    assert response.status_code == 302
    assert SiteSettings.objects.get().default_language == "nn"
    other = Client()
    other.force_login(org.employee_b1)
    assert "Mine einingar" in other.get("/").content.decode()


def test_settings_page_is_linked_from_the_header_and_saves_the_choice(org, client_for):
    client = client_for(org.employee_a1)
    assert 'href="/konto/innstillinger/"' in client.get("/").content.decode()
    page = client.get("/konto/innstillinger/").content.decode()
    assert "Kommunens målform (Norsk bokmål)" in page
    assert 'lang="nn"' in page and "Norsk nynorsk" in page  # each language named in itself
    response = client.post("/konto/innstillinger/", {"language": "nn"})
    assert response.status_code == 302
    org.employee_a1.refresh_from_db()
    assert org.employee_a1.language == "nn"
    assert "Innstillingar" in client.get("/konto/innstillinger/").content.decode()
    # Back to the municipality's målform: the choice is cleared and so is the selector's cookie.
    response = client.post("/konto/innstillinger/", {"language": ""})
    org.employee_a1.refresh_from_db()
    assert org.employee_a1.language == ""
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == ""
    assert "Mine enheter" in client.get("/").content.decode()


def test_settings_page_refuses_an_unknown_language(org, client_for):
    client = client_for(org.employee_a1)
    client.post("/konto/innstillinger/", {"language": "de"})
    org.employee_a1.refresh_from_db()
    assert org.employee_a1.language == ""


def test_language_selector_saves_the_choice_on_the_profile(org, client_for):
    client_for(org.employee_a1).post("/i18n/setlang/", {"language": "nn", "next": "/"})
    org.employee_a1.refresh_from_db()
    assert org.employee_a1.language == "nn"
    elsewhere = Client()  # another browser: no cookie, the profile decides
    elsewhere.force_login(org.employee_a1)
    assert 'lang="nn"' in elsewhere.get("/").content.decode()


def test_language_selector_works_signed_out(db):
    client = Client()
    client.post("/i18n/setlang/", {"language": "en", "next": "/konto/login/"})
    assert 'lang="en"' in client.get("/konto/login/").content.decode()


def test_site_settings_are_read_once(db, django_assert_num_queries):
    set_written_standard("nn")
    with django_assert_num_queries(1):
        assert site_settings().default_language == "nn"
    with django_assert_num_queries(0):
        assert site_settings().default_language == "nn"


def test_whistleblowing_link_is_a_web_address_or_a_page_of_the_site(db):
    from django.core.exceptions import ValidationError

    for good in ("https://kommune.no/varsling", "/dokumenter/12/", ""):
        SiteSettings(whistleblowing_url=good).full_clean()
    for bad in ("javascript:alert(1)", "//evil.example/x", "varsling"):
        with pytest.raises(ValidationError):
            SiteSettings(whistleblowing_url=bad).full_clean()


def test_djangos_own_nynorsk_texts_and_formats_apply():
    with translation.override("nn"):
        from django.forms import CharField

        with pytest.raises(Exception) as error:
            CharField().clean("")
        assert "Feltet er påkravd." in str(error.value)
        day = datetime.date(2026, 12, 18)
        assert formats.date_format(day, "YEAR_MONTH_FORMAT") == "desember 2026"
        assert formats.date_format(day) == "18. des. 2026"  # qms/locale_formats/nn
        assert "%d.%m.%Y" in formats.get_format("DATE_INPUT_FORMATS")  # Django's nn module
        assert formats.number_format(2.4, 1) == "2,4"


def test_english_calls_one_kind_a_deviation_and_an_overdue_occurrence_overdue():
    """ "Avvik" is both the module ("Deviations") and a kind of report ("Deviation"); an
    occurrence past its date is "Overdue", while the statistics count those "Due" so far."""
    from django.utils.translation import gettext, pgettext

    from deviations.models import Deviation

    with translation.override("en"):
        assert str(Deviation.Kind.DEVIATION.label) == "Deviation"
        assert gettext("Avvik") == "Deviations"
        assert gettext("Forfalt") == "Overdue"
        assert pgettext("occurrences whose date has come", "Forfalt") == "Due"


def test_emails_are_written_in_the_recipients_language(org, django_capture_on_commit_callbacks):
    from django.core import mail

    from qms.notifications import notify

    set_written_standard("nn")
    User.objects.filter(pk=org.employee_b1.pk).update(language="en")
    with django_capture_on_commit_callbacks(execute=True):
        notify(org.employee_a1, kind="test", subject="Hei", url="/")
        notify(User.objects.get(pk=org.employee_b1.pk), kind="test", subject="Hei", url="/")
    bodies = {message.to[0]: message.body for message in mail.outbox}
    assert "Du har eit nytt varsel" in bodies[org.employee_a1.email]  # the målform
    assert "You have a new notification" in bodies[org.employee_b1.email]  # their own choice

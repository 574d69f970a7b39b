"""The quality report: lifecycle, the safe URL fetcher, the PDF and its download."""

import datetime as dt
import threading

import pytest
from django.utils import timezone

from qms import dispatch
from qms.reports import pdf, periods, services
from qms.reports.models import GeneratedReport
from qms.reports.scope import Scope

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    yield tmp_path
    assert dispatch.wait_for_background(timeout=120)  # no render outlives its test


def ask(client, unit, **period):
    return client.post(
        "/statistikk/rapporter/", {"unit": unit.pk, "period": "year", "year": "2026", **period}
    )


@pytest.mark.django_db(transaction=True)
def test_committee_member_asks_for_the_report_and_downloads_the_pdf(org, client_for):
    client = client_for(org.committee)
    response = ask(client, org.sector_a)
    report = GeneratedReport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == report.get_absolute_url()
    # Tasks run in-process here (the embedded default), in a background thread.
    assert dispatch.wait_for_background(timeout=120)
    report.refresh_from_db()
    assert report.status == GeneratedReport.Status.READY
    assert report.progress == 100
    assert report.pages >= 4  # cover, contents, summary, definitions, sections
    assert report.last_error == ""
    page = client.get(report.get_absolute_url())
    assert "Last ned PDF" in page.content.decode()
    download = client.get(f"/statistikk/rapporter/{report.uid}/pdf/")
    assert download.status_code == 200
    content = b"".join(download.streaming_content)
    assert content.startswith(b"%PDF-")
    assert len(content) == report.size
    assert "kvalitetsrapport-sektor-a-2026-01-01.pdf" in download["Content-Disposition"]


@pytest.mark.django_db(transaction=True)
def test_asking_for_a_pdf_returns_at_once_to_a_page_that_polls_until_it_is_ready(
    org, client_for, monkeypatch
):
    """In the embedded default (tasks in-process) the request used to render the whole PDF
    before answering, 8.5 s with no feedback. The render now waits here until the test has
    seen the progress page: the answer cannot have waited for it."""
    release = threading.Event()
    render = pdf.render_pdf

    def held_render(html):
        assert release.wait(timeout=120), "the test never let the render go on"
        return render(html)

    monkeypatch.setattr(pdf, "render_pdf", held_render)
    client = client_for(org.committee)
    try:
        response = ask(client, org.sector_a)
        assert response.status_code == 302
        report = GeneratedReport.objects.get()
        assert report.status in (GeneratedReport.Status.PENDING, GeneratedReport.Status.PROCESSING)
        page = client.get(response["Location"]).content.decode()
        assert "Rapporten lages nå" in page
        assert "<progress" in page
        assert 'hx-trigger="every 2s"' in page  # the status polls itself
        assert "Last ned PDF" not in page
    finally:
        release.set()
    assert dispatch.wait_for_background(timeout=120)
    status = client.get(report.get_absolute_url(), HTTP_HX_REQUEST="true").content.decode()
    assert "Last ned PDF" in status
    assert "hx-trigger" not in status  # finished: the polling stops


def test_the_report_of_one_sector_is_invisible_to_leaders_of_another(org, client_for):
    ask(client_for(org.committee), org.sector_a)  # not rendered: visibility is the row's
    report = GeneratedReport.objects.get()
    for user in (org.leader_b, org.leader_b1, org.employee_a1, org.leader_a2):
        client = client_for(user)
        # Invisible: 404, as if the report did not exist (a 403 would confirm that it does).
        assert client.get(f"/statistikk/rapporter/{report.uid}/pdf/").status_code == 404
        assert client.get(report.get_absolute_url()).status_code == 404


def test_committee_cannot_ask_for_another_sectors_report(org, client_for):
    response = ask(client_for(org.committee), org.sector_b)
    assert response.status_code == 404
    assert not GeneratedReport.objects.exists()


def test_bad_period_in_the_request_stores_nothing(org, client_for):
    response = ask(client_for(org.committee), org.sector_a, period="tertial", tertial="9")
    assert response.status_code == 302
    assert not GeneratedReport.objects.exists()


def test_a_failing_render_is_recorded_with_its_error(
    org, monkeypatch, media, django_capture_on_commit_callbacks
):
    def boom(html):
        raise RuntimeError("fonten mangler")

    monkeypatch.setattr(pdf, "render_pdf", boom)
    with django_capture_on_commit_callbacks(execute=False):
        report = services.request_report(org.advisor, Scope(org.root), periods.year(2026))
    assert services.render_report(report.pk) == GeneratedReport.Status.FAILED
    report.refresh_from_db()
    assert report.status == GeneratedReport.Status.FAILED
    assert "fonten mangler" in report.last_error
    assert report.file == ""
    assert list(media.rglob("*.pdf")) == []  # no half-written file left behind


def test_a_task_delivered_twice_renders_once(org, monkeypatch, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        report = services.request_report(org.advisor, Scope(org.root), periods.year(2026))
    assert services.render_report(report.pk) == GeneratedReport.Status.READY
    assert services.render_report(report.pk) == "skipped"
    report.refresh_from_db()
    assert report.attempts == 1


def test_a_report_left_processing_by_a_dead_worker_is_taken_over(
    org, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        report = services.request_report(org.advisor, Scope(org.root), periods.year(2026))
    GeneratedReport.objects.filter(pk=report.pk).update(
        status="processing", started_at=timezone.now() - dt.timedelta(minutes=5)
    )
    assert services.render_report(report.pk) == "skipped"  # still owned by a live worker
    GeneratedReport.objects.filter(pk=report.pk).update(
        started_at=timezone.now() - dt.timedelta(hours=1)
    )
    assert services.render_report(report.pk) == GeneratedReport.Status.READY


def test_asking_twice_while_the_first_is_queued_gives_the_same_report(
    org, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        first = services.request_report(org.advisor, Scope(org.root), periods.year(2026))
        second = services.request_report(org.committee, Scope(org.root), periods.year(2026))
    assert first == second


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://169.254.169.254/latest/meta-data/",
        "https://example.com/logo.png",
        "https://qms.invalid/media/private/reports/x.pdf",
        "https://qms.invalid/static/../../etc/passwd",
    ],
)
def test_the_pdf_fetcher_refuses_anything_but_our_static_files(url):
    with pytest.raises(ValueError):
        pdf.safe_url_fetcher().fetch(url)


def test_the_pdf_fetcher_serves_static_files_and_data_urls():
    fetcher = pdf.safe_url_fetcher()
    css = fetcher.fetch("https://qms.invalid/static/reports/pdf.css")
    assert b"@page" in css.read()
    assert fetcher.fetch("data:text/plain;base64,aGVp").read() == b"hei"


def test_html_with_a_remote_image_renders_without_fetching_it():
    html = '<p>hei</p><img src="http://127.0.0.1:1/x.png"><img src="file:///etc/hostname">'
    content, pages = pdf.render_pdf(html)
    assert content.startswith(b"%PDF-")
    assert pages == 1

"""``VersionQuerySet.in_force_on(day)``: the version of each document in force at the end of a
day, against version histories (approved before and after the day, superseded, withdrawn)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from documents import services
from documents.models import DocumentEvent, DocumentVersion
from tests.documents.factories import draft, published

pytestmark = pytest.mark.django_db
OSLO = ZoneInfo("Europe/Oslo")


def at(day: date, hour: int = 12, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=OSLO)


def approved_on(version, moment: datetime) -> None:
    DocumentVersion.objects.filter(pk=version.pk).update(approved_at=moment)


def revise(org, document, moment: datetime):
    revision = services.start_revision(org.employee_a1, document)
    services.submit(org.employee_a1, revision)
    services.approve(org.leader_a1, revision)
    approved_on(revision, moment)
    return revision


def in_force(day: date) -> set[tuple[str, int]]:
    return {
        (v.title, v.number)
        for v in DocumentVersion.objects.in_force_on(day).select_related("document")
    }


def test_the_version_in_force_follows_the_history(org):
    march, june = date(2025, 3, 1), date(2025, 6, 1)
    doc = published(org.employee_a1, org.leader_a1, org.unit_a1, title="Legemidler")
    approved_on(doc.versions.get(number=1), at(march))
    revise(org, doc, at(june, 9))
    assert in_force(date(2025, 2, 28)) == set()  # not approved yet
    assert in_force(march) == {("Legemidler", 1)}  # approved during the day counts
    assert in_force(date(2025, 5, 31)) == {("Legemidler", 1)}
    assert in_force(june) == {("Legemidler", 2)}  # superseded during the day
    assert in_force(date(2026, 1, 1)) == {("Legemidler", 2)}


def test_the_end_of_the_day_is_midnight_in_oslo_not_utc(org):
    doc = published(org.employee_a1, org.leader_a1, org.unit_a1, title="Smittevern")
    # 23:30 in Oslo on 1 July is 21:30 UTC that day; 00:30 on 2 July is still 1 July in UTC.
    approved_on(doc.versions.get(number=1), at(date(2025, 7, 2), 0, 30))
    assert in_force(date(2025, 7, 1)) == set()
    assert in_force(date(2025, 7, 2)) == {("Smittevern", 1)}


def test_a_withdrawn_document_is_in_force_until_it_was_archived(org):
    doc = published(org.employee_a1, org.leader_a1, org.unit_a1, title="Brannvern")
    approved_on(doc.versions.get(number=1), at(date(2025, 1, 10)))
    services.archive(org.leader_a1, doc, "Erstattet av ny rutine")
    DocumentEvent.objects.filter(document=doc, kind=DocumentEvent.Kind.ARCHIVED).update(
        created_at=at(date(2025, 4, 1))
    )
    assert in_force(date(2025, 3, 31)) == {("Brannvern", 1)}
    assert in_force(date(2025, 4, 1)) == set()


def test_drafts_and_versions_in_review_are_never_in_force(org):
    draft(org.employee_a1, org.unit_a1, title="Utkast")
    review = draft(org.employee_a1, org.unit_a1, title="Til godkjenning")
    services.submit(org.employee_a1, review.versions.get())
    doc = published(org.employee_a1, org.leader_a1, org.unit_a1, title="Hygiene")
    services.start_revision(org.employee_a1, doc)  # version 2 open: version 1 stays in force
    assert in_force(date.today()) == {("Hygiene", 1)}


# --- The page, and the bundle for an inspector ----------------------------------------------


def two_documents(org):
    """Legemidler (Enhet A1) revised to version 2 today; Smittevern (Enhet B1) in force."""
    a1 = published(org.employee_a1, org.leader_a1, org.unit_a1, title="Legemidler")
    approved_on(a1.versions.get(number=1), at(date(2025, 1, 10)))
    b1 = published(org.employee_b1, org.leader_b1, org.unit_b1, title="Smittevern")
    approved_on(b1.versions.get(number=1), at(date(2025, 2, 1)))
    revise(org, a1, at(date(2025, 6, 1)))
    return a1, b1


def test_the_page_lists_the_versions_in_force_on_the_chosen_date(org, client_for):
    a1, b1 = two_documents(org)
    client = client_for(org.employee_a1x)
    page = client.get("/dokumenter/i-kraft/?dato=2025-03-01").content.decode()
    assert "2 dokumenter i kraft" in page
    assert f'href="/dokumenter/{a1.pk}/versjon/1/"' in page  # the version of that day
    assert f'href="/dokumenter/{a1.pk}/versjon/2/"' not in page
    assert f'href="/dokumenter/{a1.pk}/versjon/1/pdf/"' in page
    filtered = client.get(f"/dokumenter/i-kraft/?dato=2025-03-01&enhet={org.unit_b1.pk}")
    assert "Smittevern" in filtered.content.decode()
    assert "Legemidler" not in filtered.content.decode()
    today = client.get("/dokumenter/i-kraft/").content.decode()
    assert f'href="/dokumenter/{a1.pk}/versjon/2/"' in today


def test_a_future_or_malformed_date_is_a_clear_error(org, client_for):
    client = client_for(org.employee_a1)
    assert (
        "ikke er i fremtiden" in client.get("/dokumenter/i-kraft/?dato=2999-01-01").content.decode()
    )
    assert "Skriv en gyldig dato" in client.get("/dokumenter/i-kraft/?dato=igår").content.decode()


def test_a_withdrawn_documents_old_version_is_listed_only_for_those_who_may_see_it(org, client_for):
    doc = published(org.employee_a1, org.leader_a1, org.unit_a1, title="Brannvern")
    approved_on(doc.versions.get(number=1), at(date(2025, 1, 10)))
    services.archive(org.leader_a1, doc)
    url = "/dokumenter/i-kraft/?dato=2025-03-01"
    assert "Brannvern" in client_for(org.leader_a1).get(url).content.decode()
    assert "Brannvern" not in client_for(org.employee_b1).get(url).content.decode()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("fmt", ["pdf", "zip"])
def test_the_bundle_is_made_in_the_background_and_downloaded_by_its_requester(org, client_for, fmt):
    import io
    import zipfile

    from pypdf import PdfReader

    from documents.models import InForceBundle
    from qms import dispatch

    a1, b1 = two_documents(org)
    client = client_for(org.employee_a1x)
    response = client.post(
        "/dokumenter/i-kraft/samlet/", {"bundle-dato": "2025-03-01", "bundle-format": fmt}
    )
    bundle = InForceBundle.objects.get()
    assert response.status_code == 302 and response["Location"] == bundle.get_absolute_url()
    assert dispatch.wait_for_background(timeout=120)
    bundle.refresh_from_db()
    assert bundle.status == InForceBundle.Status.READY, bundle.last_error
    assert bundle.documents == 2
    assert "Last ned" in client.get(bundle.get_absolute_url()).content.decode()
    download = client.get(f"{bundle.get_absolute_url()}fil/")
    content = b"".join(download.streaming_content)
    assert f"dokumenter-i-kraft-2025-03-01.{fmt}" in download["Content-Disposition"]
    if fmt == "zip":
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = sorted(archive.namelist())
            assert names == [f"{a1.number}-v1-legemidler.pdf", f"{b1.number}-v1-smittevern.pdf"]
            assert archive.read(names[0]).startswith(b"%PDF-")
    else:
        assert content.startswith(b"%PDF-")
        text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
        assert "Innhold" in text and "Legemidler" in text and "Smittevern" in text
        assert "Utgått – erstattet av en nyere versjon" in text  # v1 of Legemidler, since
    # Nobody else sees the bundle, not even a leader of the unit.
    other = client_for(org.leader_a1)
    assert other.get(bundle.get_absolute_url()).status_code == 404
    assert other.get(f"{bundle.get_absolute_url()}fil/").status_code == 404

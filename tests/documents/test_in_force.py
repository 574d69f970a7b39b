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

"""The revision rule, pinned once (documents/querysets.py revision_q / revision_status), and the
doors that show it: a document is due soon from one calendar month before its revision date up
to and including the date; overdue from the day after. Risk reviews use the same month."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from documents.models import Document, DocumentType
from documents.querysets import CURRENT, DUE_SOON, OVERDUE, revision_status
from qms.dates import one_month_after
from risk.models import RiskAssessment
from risk.querysets import review_status

pytestmark = pytest.mark.django_db

TODAY = date(2031, 3, 1)
EXPECTED = {
    date(2031, 2, 28): OVERDUE,
    date(2031, 3, 1): DUE_SOON,  # the revision date itself is still on time
    date(2031, 4, 1): DUE_SOON,  # one calendar month ahead (30 days would end on 31 March)
    date(2031, 4, 2): CURRENT,
    None: CURRENT,
}


def document(org, next_revision, status="published", n=[0]):
    n[0] += 1
    return Document.objects.create(
        number=f"RUT-{n[0]:04d}",
        title=f"Rutine {n[0]}",
        unit=org.unit_a1,
        approval_unit=org.unit_a1,
        doc_type=DocumentType.objects.get(code="rutine"),
        status=status,
        next_revision=next_revision,
    )


def test_querysets_and_the_status_of_one_document_agree_on_every_boundary(org):
    docs = {day: document(org, day) for day in EXPECTED}
    document(org, date(2031, 3, 5), status="draft")
    found = {
        DUE_SOON: set(Document.objects.revision_due_soon(TODAY)),
        OVERDUE: set(Document.objects.revision_overdue(TODAY)),
    }
    for day, expected in EXPECTED.items():
        assert revision_status(docs[day], TODAY) == expected, day
        for status, rows in found.items():
            assert (docs[day] in rows) == (status == expected), (day, status)
    assert set(Document.objects.revision_due(TODAY)) == found[DUE_SOON] | found[OVERDUE]


def test_risk_reviews_use_the_same_month_and_due_day(org):
    for day, expected in EXPECTED.items():
        assessment = RiskAssessment.objects.create(
            title=f"ROS {day}",
            unit=org.unit_a1,
            status="active",
            assessed_on=date(2030, 3, 1),
            next_review=day,
        )
        assert review_status(assessment, TODAY) == expected, day
        assert (assessment in RiskAssessment.objects.review_due_soon(TODAY)) == (
            expected == DUE_SOON
        )
        assert (assessment in RiskAssessment.objects.review_overdue(TODAY)) == (expected == OVERDUE)


def test_pages_panel_and_api_agree_that_the_revision_date_is_not_yet_overdue(
    org, client_for, api_for
):
    today = timezone.localdate()
    on_the_day = document(org, today)
    late = document(org, today - timedelta(days=1))
    horizon = document(org, one_month_after(today))
    document(org, one_month_after(today) + timedelta(days=1))

    page = client_for(org.leader_a1).get("/dokumenter/revisjon/").content.decode()
    due_part, overdue_part = page.split('id="due-heading"')[1], page.split('id="due-heading"')[0]
    assert on_the_day.number in due_part and horizon.number in due_part
    assert late.number in overdue_part and late.number not in due_part

    api = api_for(org.leader_a1)
    listed = {
        d["number"]: d["revision_status"] for d in api.get("/api/v1/documents/").json()["results"]
    }
    assert listed[on_the_day.number] == DUE_SOON
    assert listed[late.number] == OVERDUE
    assert listed[horizon.number] == DUE_SOON
    due = api.get("/api/v1/documents/", {"revision": "due_soon"}).json()["results"]
    assert sorted(d["number"] for d in due) == sorted([on_the_day.number, horizon.number])

    home = client_for(org.leader_a1).get("/").content.decode()
    panel = home.split('id="doc-rev-heading"')[1].split("</section>")[0]
    assert panel.count("forfalt") == 1

"""Document status and read confirmations on a small fixed data set."""

import datetime as dt

import pytest
from django.utils import timezone

document_models = pytest.importorskip("documents.models")
if not hasattr(document_models, "Document"):  # the documents module has not landed yet
    pytest.skip("documents has no models yet", allow_module_level=True)
from documents.models import (  # noqa: E402
    Document,
    DocumentType,
    DocumentVersion,
    ReadReceipt,
    ReadRound,
)
from qms.reports import periods, stats  # noqa: E402
from qms.reports.scope import Scope  # noqa: E402
from qms.reports.tables import SUPPRESSED  # noqa: E402

pytestmark = pytest.mark.django_db


@pytest.fixture
def docs(org):
    today = timezone.localdate()
    seq = iter(range(1, 100))

    def doc(unit, status="published", revision_in_days=None):
        n = next(seq)
        return Document.objects.create(
            number=f"RUT-{n:04d}",
            title=f"Rutine {n}",
            unit=unit,
            approval_unit=unit,
            doc_type=DocumentType.objects.get(code="rutine"),
            status=status,
            next_revision=None
            if revision_in_days is None
            else today + dt.timedelta(days=revision_in_days),
        )

    d1 = doc(org.unit_a1, revision_in_days=200)
    doc(org.unit_a1, revision_in_days=10)
    doc(org.unit_a2, revision_in_days=-5)
    doc(org.unit_a2, status="draft")
    doc(org.unit_b1, revision_in_days=-30)
    version = DocumentVersion.objects.create(
        document=d1,
        number=1,
        status="published",
        title=d1.title,
        approved_at=timezone.now(),
    )
    round_ = ReadRound.objects.create(
        document=d1, version=version, deadline=today - dt.timedelta(days=1)
    )
    d1.current_version = version
    d1.current_round = round_
    d1.save()
    for user, confirmed in [
        (org.employee_a1, True),
        (org.leader_a1, False),
        (org.employee_a1x, True),
        (org.employee_b1, False),
    ]:
        ReadReceipt.objects.create(
            round=round_,
            document=d1,
            user=user,
            deadline=round_.deadline,
            confirmed_at=timezone.now() if confirmed else None,
        )
    return org


def build(unit, report=False):
    section = dict(stats.builders())["documents"]
    return section(Scope(unit), periods.year(timezone.localdate().year), report=report)


def test_status_per_unit_and_read_confirmation_rate(docs):
    s = build(docs.sector_a, report=True)
    assert s.table("documents_status_by_unit").rows == [
        ["Enhet A1", 2, 1, 1, 0],
        ["Enhet A2", 1, 0, 0, 1],
    ]
    figures = {f.label: f.value for f in s.figures}
    assert figures["Publiserte dokumenter"] == 3
    assert figures["Over revisjonsdato"] == 1
    assert figures["Lesebekreftelser"] == "66,7 %"  # 2 of the 3 readers in Sektor A
    assert figures["Ikke lest innen fristen"] == 1
    assert figures["Versjoner godkjent i perioden"] == 1
    # Three readers in Enhet A1's part: too few to show who has not read.
    assert s.table("documents_read_by_unit").rows == [
        ["Enhet A1", SUPPRESSED, SUPPRESSED, SUPPRESSED]
    ]
    assert [r[0] for r in s.table("documents_overdue").rows] == ["RUT-0003"]


def test_another_sector_is_not_counted(docs):
    s = build(docs.sector_b, report=True)
    assert {f.label: f.value for f in s.figures}["Publiserte dokumenter"] == 1
    assert [r[0] for r in s.table("documents_overdue").rows] == ["RUT-0005"]


def test_status_figures_are_the_documents_revision_rule(org):
    from documents.querysets import revision_q
    from qms.dates import one_month_after

    today = timezone.localdate()
    days = [today, today - dt.timedelta(days=1), one_month_after(today)]
    days.append(one_month_after(today) + dt.timedelta(days=1))
    for n, day in enumerate(days, start=1):
        Document.objects.create(
            number=f"RUT-{n:04d}",
            title=f"Rutine {n}",
            unit=org.unit_a1,
            approval_unit=org.unit_a1,
            doc_type=DocumentType.objects.get(code="rutine"),
            status="published",
            next_revision=day,
        )
    figures = {f.label: f.value for f in build(org.unit_a1).figures}
    rule = revision_q(today)
    assert figures["Revisjon snart"] == Document.objects.filter(rule.due_soon).count() == 2
    assert figures["Over revisjonsdato"] == Document.objects.revision_overdue(today).count() == 1
    assert figures["Oppdatert"] == Document.objects.filter(rule.current).count() == 1


def test_required_documents_per_unit_in_the_statistics(org):
    from documents import services
    from documents.models import RequiredDocument
    from tests.documents.factories import published

    requirement = RequiredDocument.objects.create(title="Beredskapsplan", unit_kind="unit")
    plan = published(org.employee_a1, org.leader_a1, org.unit_a1)
    services.link_requirement(org.advisor, requirement, org.unit_a1, plan)
    s = build(org.root)
    assert s.table("documents_required_by_unit").rows == [
        ["Sektor A", 2, 1, 1, 0],
        ["Sektor B", 1, 0, 1, 0],
    ]
    figures = {f.label: f.value for f in s.figures}
    assert figures["Påkrevde dokumenter på plass"] == 1
    assert figures["Påkrevde dokumenter som mangler"] == 2


def test_a_reader_in_two_units_is_counted_once_in_each_group_and_in_the_total(docs):
    """The per-person sum (documents.stats.ReadingTally) counts a receipt once per group however
    many of the reader's units lie in it, and once in the scope's total."""
    from qms.models import Membership

    Membership.objects.create(user=docs.employee_a1, unit=docs.unit_b1)
    Membership.objects.create(user=docs.employee_a1, unit=docs.unit_a2)
    s = build(docs.root)
    figures = {f.label: f for f in s.figures}
    # Four receipts, two confirmed: the second and third memberships add nothing.
    assert figures["Lesebekreftelser"].value == "50 %"
    assert figures["Lesebekreftelser"].hint == "2 av 4"
    reading = build(docs.root).table("documents_read_by_unit")
    totals = {row[0]: row[1] for row in reading.rows}
    assert totals.get("Sektor A") in (3, SUPPRESSED)  # a1, a1x and the leader, once each

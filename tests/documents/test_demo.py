"""The documents demo: several types with their own series, coverage shown, and the version
history reads true (version 1 approved before version 2)."""

import pytest
from django.db.models import Count

from documents import coverage, demo
from documents.models import Document, DocumentVersion, RequiredDocument
from qms.demo import seed_organisation


@pytest.mark.django_db
def test_demo_has_five_types_in_own_series_coverage_and_versions_in_order():
    org = seed_organisation()
    demo.seed(org)
    per_type = dict(
        Document.objects.values_list("doc_type__prefix").annotate(n=Count("pk")).order_by()
    )
    assert len(per_type) >= 5, per_type
    for document in Document.objects.select_related("doc_type"):
        assert document.number.startswith(f"{document.doc_type.prefix}-")
    # Every series starts at 0001.
    assert Document.objects.filter(number="PLA-0001").exists()
    assert Document.objects.filter(number="REG-0001").exists()
    # Coverage of the municipality: present, missing and what is linked.
    rows = coverage.coverage(org.root)
    counts = coverage.summary(rows)
    assert counts["present"] >= 5 and counts["missing"] >= 5, counts
    present = {(r.requirement.title, r.unit.code) for r in rows if r.status == "present"}
    assert ("Delegeringsreglement", "eksempel") in present
    assert ("Beredskapsplan for enheten", "solheim-sykehjem") in present
    assert RequiredDocument.objects.count() >= 5
    # Version 1 is never approved after version 2; "sist revidert" is the current approval.
    revised = 0
    for document in Document.objects.annotate(n=Count("versions")).filter(n__gt=1):
        approved = list(
            DocumentVersion.objects.filter(document=document, approved_at__isnull=False)
            .order_by("number")
            .values_list("approved_at", flat=True)
        )
        assert approved == sorted(approved), document
        revised += len(approved) > 1
    assert revised >= 3
    # Styringsdokumenter are approved by the chief executive's group.
    styring = Document.objects.get(doc_type__code="styringsdokument")
    assert styring.current_version.approver.groups.filter(name=demo.LEADER_GROUP).exists()
    # Seeding again adds nothing.
    total = Document.objects.count()
    demo.seed(org)
    assert Document.objects.count() == total

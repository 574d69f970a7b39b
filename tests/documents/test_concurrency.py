"""Two leaders approving the same version at the same moment, through two database connections."""

import threading

import pytest
from django.db import IntegrityError, connection, transaction

from documents import services
from documents.models import DocumentVersion
from documents.services import WorkflowError
from tests.documents.factories import draft, published


@pytest.mark.django_db(transaction=True)
def test_two_approvers_at_once_publish_one_version(org):
    document = draft(org.employee_a1, org.unit_a1)
    version = document.versions.get()
    services.submit(org.employee_a1, version)
    barrier = threading.Barrier(2)
    results: dict[str, str] = {}

    def approve(user):
        try:
            barrier.wait(timeout=10)
            services.approve(user, DocumentVersion.objects.get(pk=version.pk))
            results[user.username] = "ok"
        except WorkflowError as exc:
            results[user.username] = str(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(u,)) for u in (org.leader_a1, org.leader_a)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    outcomes = sorted(results.values())
    assert outcomes.count("ok") == 1, results
    loser = next(v for v in outcomes if v != "ok")
    assert "allerede behandlet" in loser
    assert DocumentVersion.objects.filter(document=document, status="published").count() == 1


@pytest.mark.django_db
def test_database_refuses_a_second_published_version(org):
    document = published(org.employee_a1, org.leader_a1, org.unit_a1)
    second = services.start_revision(org.employee_a1, document)
    with pytest.raises(IntegrityError), transaction.atomic():
        DocumentVersion.objects.filter(pk=second.pk).update(status="published")


@pytest.mark.django_db(transaction=True)
def test_two_authors_at_once_get_different_numbers_in_a_types_series(org):
    from documents.models import Document, DocumentType
    from tests.conftest import ensure_document_types

    ensure_document_types()
    procedure = DocumentType.objects.get(code="prosedyre")
    barrier = threading.Barrier(2)
    numbers: list[str] = []

    def create(title):
        try:
            barrier.wait(timeout=10)
            numbers.append(
                draft(org.employee_a1, org.unit_a1, title=title, doc_type=procedure).number
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=create, args=(t,)) for t in ("A", "B")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(numbers) == ["PRO-0001", "PRO-0002"]
    assert Document.objects.filter(doc_type=procedure).count() == 2

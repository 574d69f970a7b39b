from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from documents import services
from documents.models import Document, DocumentEvent, DocumentVersion, ReadReceipt
from documents.services import WorkflowError
from qms.dates import months_after
from qms.models import Notification
from tests.documents.factories import draft, published

pytestmark = pytest.mark.django_db


def test_numbers_are_assigned_once_in_sequence(org):
    a = draft(org.employee_a1, org.unit_a1)
    b = draft(org.employee_a1, org.unit_a1, title="Hygiene")
    assert (a.number, b.number) == ("RUT-0001", "RUT-0002")
    services.archive(org.leader_a1, a)
    c = draft(org.employee_a1, org.unit_a1, title="Brann")
    assert c.number == "RUT-0003"


def test_whole_workflow_draft_review_publish_revise(org):
    document = draft(org.employee_a1, org.unit_a1)
    v1 = document.versions.get()
    assert document.status == Document.Status.DRAFT
    services.submit(org.employee_a1, v1)
    document.refresh_from_db()
    assert document.status == Document.Status.IN_REVIEW
    assert Notification.objects.filter(
        recipient=org.leader_a1, kind="documents.approval_requested"
    ).exists()
    services.approve(org.leader_a1, v1)
    document.refresh_from_db()
    v1.refresh_from_db()
    assert document.status == Document.Status.PUBLISHED
    assert document.current_version == v1
    assert v1.approver == org.leader_a1
    assert v1.next_revision == months_after(timezone.localdate(), 12)
    assert document.next_revision == v1.next_revision

    v2 = services.start_revision(org.employee_a1, document)
    assert v2.number == 2 and v2.status == DocumentVersion.Status.DRAFT
    assert v2.body == v1.body
    services.update_draft(
        org.employee_a1,
        v2,
        title="Legemiddelhåndtering",
        body="<p>Ny tekst</p>",
        change_summary="Ny rutine for dobbeltkontroll",
    )
    services.submit(org.employee_a1, v2)
    services.approve(org.leader_a1, v2)
    v1.refresh_from_db()
    v2.refresh_from_db()
    assert v1.status == DocumentVersion.Status.SUPERSEDED
    assert v2.status == DocumentVersion.Status.PUBLISHED
    assert DocumentVersion.objects.filter(document=document, status="published").count() == 1
    kinds = list(document.events.order_by("pk").values_list("kind", flat=True))
    assert kinds[:4] == ["created", "submitted", "approved", "read_round"]
    assert DocumentEvent.Kind.REVISION_STARTED in kinds


def test_return_needs_comment_and_goes_back_to_draft(org):
    document = draft(org.employee_a1, org.unit_a1)
    v1 = document.versions.get()
    services.submit(org.employee_a1, v1)
    with pytest.raises(WorkflowError):
        services.return_version(org.leader_a1, v1, "  ")
    services.return_version(org.leader_a1, v1, "Mangler referanser")
    v1.refresh_from_db()
    assert v1.status == DocumentVersion.Status.DRAFT
    assert v1.return_comment == "Mangler referanser"
    assert Notification.objects.filter(
        recipient=org.employee_a1, kind="documents.returned"
    ).exists()


def test_approver_is_leader_of_owning_unit_not_sibling(org):
    document = draft(org.employee_a1, org.unit_a1)
    v1 = document.versions.get()
    services.submit(org.employee_a1, v1)
    for outsider in (org.leader_b1, org.leader_a2, org.employee_a1x, org.advisor):
        with pytest.raises(PermissionDenied):
            services.approve(outsider, v1)
    # A leader higher up the chain may approve too.
    services.approve(org.leader_a, v1)


def test_scope_spanning_units_is_approved_one_level_up(org):
    document = draft(org.employee_a1, org.unit_a1, scope=(org.unit_a1, org.unit_a2))
    assert document.approval_unit == org.sector_a
    v1 = document.versions.get()
    services.submit(org.employee_a1, v1)
    assert Notification.objects.filter(recipient=org.leader_a).exists()
    with pytest.raises(PermissionDenied):
        services.approve(org.leader_a1, v1)
    services.approve(org.leader_a, v1)


def test_scope_within_own_subtree_stays_with_owning_unit(org):
    document = draft(org.employee_a1, org.unit_a1, scope=(org.dept_a1x,))
    assert document.approval_unit == org.unit_a1


def test_author_cannot_approve_own_version(org):
    document = draft(org.leader_a1, org.unit_a1)
    v1 = document.versions.get()
    services.submit(org.leader_a1, v1)
    with pytest.raises(WorkflowError):
        services.approve(org.leader_a1, v1)


def test_next_revision_never_later_than_a_year(org):
    document = draft(org.employee_a1, org.unit_a1)
    v1 = document.versions.get()
    services.submit(org.employee_a1, v1)
    today = timezone.localdate()
    with pytest.raises(WorkflowError):
        services.approve(
            org.leader_a1, v1, next_revision=months_after(today, 12) + timedelta(days=1)
        )
    with pytest.raises(WorkflowError):
        services.approve(org.leader_a1, v1, next_revision=today)
    earlier = today + timedelta(days=90)
    services.approve(org.leader_a1, v1, next_revision=earlier)
    document.refresh_from_db()
    assert document.next_revision == earlier


def test_second_approval_of_same_version_gets_clear_message(org):
    document = draft(org.employee_a1, org.unit_a1)
    v1 = document.versions.get()
    services.submit(org.employee_a1, v1)
    services.approve(org.leader_a1, v1)
    with pytest.raises(WorkflowError, match="allerede behandlet"):
        services.approve(org.leader_a, v1)


def test_stored_xss_is_neutralised(org):
    evil = (
        '<p onclick="alert(1)">Hei<script>alert(2)</script></p>'
        '<a href="javascript:alert(3)">lenke</a><img src=x onerror=alert(4)>'
        '<iframe src="https://evil.example"></iframe><a href="https://ok.example">ok</a>'
    )
    document = draft(
        org.employee_a1, org.unit_a1, title="<b>Tittel</b><script>x()</script>", body=evil
    )
    version = document.versions.get()
    assert document.title == "Tittel"
    for bad in ("script", "onclick", "javascript:", "onerror", "<img", "<iframe", "alert(2)"):
        assert bad not in version.body
    assert '<a href="https://ok.example" rel="noopener noreferrer">ok</a>' in version.body
    assert "Hei" in version.body_text


def test_read_round_on_publish_and_minor_correction_keeps_it(org):
    document = published(org.employee_a1, org.leader_a1, org.unit_a1)
    receipts = ReadReceipt.objects.filter(round=document.current_round)
    # Everyone in Enhet A1 and its department.
    assert set(receipts.values_list("user__username", flat=True)) == {
        "leader_a1",
        "employee_a1",
        "employee_a1x",
    }
    first_round = document.current_round
    receipt = receipts.get(user=org.employee_a1)
    services.confirm_read(org.employee_a1, receipt)
    assert ReadReceipt.objects.get(pk=receipt.pk).confirmed_at is not None

    v2 = services.start_revision(org.employee_a1, document)
    services.update_draft(
        org.employee_a1,
        v2,
        title=document.title,
        body="<p>Skrivefeil rettet</p>",
        significant=False,
    )
    services.submit(org.employee_a1, v2)
    services.approve(org.leader_a1, v2)
    document.refresh_from_db()
    assert document.current_round == first_round

    v3 = services.start_revision(org.employee_a1, document)
    services.update_draft(
        org.employee_a1, v3, title=document.title, body="<p>Ny praksis</p>", significant=True
    )
    services.submit(org.employee_a1, v3)
    services.approve(org.leader_a1, v3)
    document.refresh_from_db()
    assert document.current_round != first_round
    assert not ReadReceipt.objects.get(
        round=document.current_round, user=org.employee_a1
    ).confirmed_at


def test_cannot_confirm_someone_elses_receipt(org):
    document = published(org.employee_a1, org.leader_a1, org.unit_a1)
    receipt = ReadReceipt.objects.get(round=document.current_round, user=org.employee_a1)
    with pytest.raises(PermissionDenied):
        services.confirm_read(org.employee_a1x, receipt)


def test_archive_retires_published_version(org):
    document = published(org.employee_a1, org.leader_a1, org.unit_a1)
    services.archive(org.leader_a1, document)
    document.refresh_from_db()
    assert document.status == Document.Status.ARCHIVED
    assert not document.versions.filter(status="published").exists()
    with pytest.raises(WorkflowError):
        services.archive(org.advisor, document)


def test_no_document_is_written_for_a_closed_unit(org):
    """The create page offered only open units, the service took any unit the leader led above.
    One create rule answers both (qms.permissions.can_create)."""
    from qms import permissions

    org.dept_a1x.is_active = False
    org.dept_a1x.save(update_fields=["is_active"])
    assert org.dept_a1x not in permissions.creatable_units(org.leader_a1, Document)
    with pytest.raises(PermissionDenied):
        draft(org.leader_a1, org.dept_a1x)
    assert draft(org.employee_a1, org.unit_a1).unit == org.unit_a1
    with pytest.raises(PermissionDenied):  # a member writes for their own unit only
        draft(org.employee_a1, org.unit_a2)

import pytest

from documents.models import Document, DocumentVersion
from qms import permissions
from tests.documents.factories import draft, published

pytestmark = pytest.mark.django_db


def visible(user, model=Document):
    return set(permissions.restrict(user, model).values_list("pk", flat=True))


def test_published_documents_are_read_by_everyone(org):
    document = published(org.employee_a1, org.leader_a1, org.unit_a1)
    for user in (org.employee_b1, org.leader_b1, org.committee, org.employee_a1x):
        assert document.pk in visible(user)
        assert document.current_version_id in visible(user, DocumentVersion)


def test_drafts_are_seen_only_by_those_who_work_on_them(org):
    document = draft(org.employee_a1, org.unit_a1)
    for user in (org.employee_a1, org.leader_a1, org.leader_a, org.chief, org.advisor):
        assert document.pk in visible(user), user
    for user in (org.employee_b1, org.leader_b1, org.employee_a1x, org.leader_a2, org.committee):
        assert document.pk not in visible(user), user


def test_open_revision_draft_is_hidden_from_readers(org):
    document = published(org.employee_a1, org.leader_a1, org.unit_a1)
    from documents import services

    revision = services.start_revision(org.employee_a1, document)
    assert revision.pk not in visible(org.employee_b1, DocumentVersion)
    assert revision.pk in visible(org.leader_a1, DocumentVersion)

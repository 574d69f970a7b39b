"""Reminders exactly once: a sweep run twice, after a gap of days, and per version and step."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from documents import reminders, services
from documents.models import Document, DocumentVersion, ReadReceipt, ReadRound
from qms.models import Notification, Reminder
from tests.documents.factories import published

pytestmark = pytest.mark.django_db


def kinds(user):
    return list(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def revision_notes(kind):
    return Notification.objects.filter(kind=kind)


def _revision_on(document, day: date):
    Document.objects.filter(pk=document.pk).update(next_revision=day)
    DocumentVersion.objects.filter(pk=document.current_version_id).update(next_revision=day)


def test_notice_one_calendar_month_before_is_sent_once(org):
    document = published(
        org.employee_a1, org.leader_a1, org.unit_a1, revision_responsible=org.employee_a1x
    )
    _revision_on(document, date(2031, 4, 1))
    # One month before 1 April is 1 March (a calendar month, not 30 days: qms/dates.py).
    assert reminders.send_revision_reminders(date(2031, 2, 28)) == 0
    assert reminders.send_revision_reminders(date(2031, 3, 1)) == 1
    assert reminders.send_revision_reminders(date(2031, 3, 1)) == 0
    assert reminders.send_revision_reminders(date(2031, 3, 29)) == 0
    assert kinds(org.employee_a1x).count("documents.revision_notice") == 1


def test_the_day_after_the_revision_date_the_leader_is_told_once(org):
    document = published(
        org.employee_a1, org.leader_a1, org.unit_a1, revision_responsible=org.employee_a1x
    )
    document.refresh_from_db()
    day = document.next_revision
    reminders.send_revision_reminders(day - timedelta(days=20))
    # The revision date itself is the last day on time ("due soon"), as on every page.
    assert reminders.send_revision_reminders(day) == 0
    assert "documents.revision_due" not in kinds(org.leader_a1)
    assert reminders.send_revision_reminders(day + timedelta(days=1)) == 1
    assert reminders.send_revision_reminders(day + timedelta(days=1)) == 0
    assert reminders.send_revision_reminders(day + timedelta(days=5)) == 0
    assert kinds(org.leader_a1).count("documents.revision_due") == 1
    assert kinds(org.employee_a1x).count("documents.revision_due") == 1


def test_catch_up_after_a_gap_of_days_sends_each_step_once(org):
    document = published(org.employee_a1, org.leader_a1, org.unit_a1)
    document.refresh_from_db()
    # Beat was down from two months before until ten days after the revision date.
    late = document.next_revision + timedelta(days=10)
    assert reminders.send_revision_reminders(late) == 1
    assert reminders.send_revision_reminders(late) == 0
    assert revision_notes("documents.revision_due").filter(recipient=org.leader_a1).count() == 1
    # The month-ahead notice is not sent after the fact: the document is already overdue.
    assert not revision_notes("documents.revision_notice").exists()


def test_unit_without_leader_tells_the_nearest_leader_above(org):
    document = published(org.employee_a1x, org.leader_a1, org.dept_a1x)
    document.refresh_from_db()
    reminders.send_revision_reminders(document.next_revision + timedelta(days=1))
    assert kinds(org.leader_a1).count("documents.revision_due") == 1


def test_a_new_version_gets_its_own_reminders(org):
    document = published(org.employee_a1, org.leader_a1, org.unit_a1)
    document.refresh_from_db()
    reminders.send_revision_reminders(document.next_revision - timedelta(days=10))
    draft = services.start_revision(org.employee_a1, document)
    services.submit(org.employee_a1, draft)
    services.approve(org.leader_a1, draft, timezone.localdate() + timedelta(days=20))
    document.refresh_from_db()
    assert reminders.send_revision_reminders(timezone.localdate()) == 1
    assert Reminder.objects.filter(kind=reminders.REVISION_KIND).count() == 2


def test_read_reminder_once_when_the_deadline_has_passed(org):
    document = published(org.employee_a1, org.leader_a1, org.unit_a1)
    receipt = ReadReceipt.objects.get(round=document.current_round, user=org.employee_a1)
    services.confirm_read(org.employee_a1, receipt)
    deadline = document.current_round.deadline
    assert reminders.send_read_reminders(deadline) == 0
    # leader_a1 and employee_a1x have not confirmed.
    assert reminders.send_read_reminders(deadline + timedelta(days=1)) == 2
    assert reminders.send_read_reminders(deadline + timedelta(days=1)) == 0
    assert reminders.send_read_reminders(deadline + timedelta(days=9)) == 0
    assert kinds(org.employee_a1x).count("documents.read_overdue") == 1
    assert "documents.read_overdue" not in kinds(org.employee_a1)


def test_periodic_rereading_starts_one_new_round(org):
    document = published(org.employee_a1, org.leader_a1, org.unit_a1, reread_months=12)
    first = document.current_round
    later = timezone.localdate() + timedelta(days=200)
    assert reminders.start_periodic_rounds(timezone.now() + timedelta(days=200)) == 0
    reminders.send_read_reminders(timezone.localdate() + timedelta(days=370))
    reminders.send_read_reminders(timezone.localdate() + timedelta(days=370))
    document.refresh_from_db()
    assert document.current_round != first
    assert ReadRound.objects.filter(document=document).count() == 2
    assert document.current_round.reason == ReadRound.Reason.PERIODIC
    assert later < document.current_round.deadline + timedelta(days=400)


def test_tasks_call_the_sweeps(org):
    from documents import tasks

    published(org.employee_a1, org.leader_a1, org.unit_a1)
    assert tasks.send_revision_reminders.apply().get() == 0
    assert tasks.send_read_reminders.apply().get() == 0


def test_emails_go_out_after_commit_once(org, django_capture_on_commit_callbacks, mailoutbox):
    document = published(org.employee_a1, org.leader_a1, org.unit_a1)
    document.refresh_from_db()
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        reminders.send_revision_reminders(document.next_revision + timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        reminders.send_revision_reminders(document.next_revision + timedelta(days=1))
    # The leader and the revision responsible (the author by default), once each.
    assert sorted(m.to[0] for m in mailoutbox) == ["employee_a1@example.no", "leader_a1@example.no"]


def test_one_run_finishes_more_than_a_batch(org, settings):
    """Beyond a batch of due reminders, one run still sends each of them (in keyset batches),
    and a second run sends none."""
    settings.SWEEP_BATCH_SIZE = 2
    documents = [published(org.employee_a1, org.leader_a1, org.unit_a1) for _ in range(3)]
    deadline = max(d.current_round.deadline for d in documents)
    # leader_a1, employee_a1 and employee_a1x have read none of the three documents.
    assert reminders.send_read_reminders(deadline + timedelta(days=1)) == 9
    assert reminders.send_read_reminders(deadline + timedelta(days=1)) == 0
    for document in documents:
        document.refresh_from_db()
    day = max(d.next_revision for d in documents)
    assert reminders.send_revision_reminders(day) == 3
    assert reminders.send_revision_reminders(day) == 0


def test_the_sweeps_queries_follow_their_batches_not_their_rows(org):
    """Three times the documents (and read-list lines) in one batch cost the same queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(n: int) -> tuple[int, int]:
        Reminder.objects.all().delete()
        Notification.objects.all().delete()
        Document.objects.all().delete()
        documents = [published(org.employee_a1, org.leader_a1, org.unit_a1) for _ in range(n)]
        later = max(d.next_revision for d in documents) + timedelta(days=1)
        with CaptureQueriesContext(connection) as read:
            assert reminders.send_read_reminders(later) == 3 * n  # three readers each
        with CaptureQueriesContext(connection) as revision:
            assert reminders.send_revision_reminders(later) == n
        return len(read.captured_queries), len(revision.captured_queries)

    assert queries(1) == queries(3)

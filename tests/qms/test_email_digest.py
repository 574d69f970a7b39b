"""The daily digest: many reminders become one e-mail; each person gets at most one a day."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from qms import notifications
from qms.models import Notification, User
from qms.tasks import flush_outbox, send_email_digests

pytestmark = pytest.mark.django_db


def remind(user, n, kind="action.escalated"):
    return [
        notifications.notify(user, kind=kind, subject=f"Tiltak {i} er forfalt", url=f"/t/{i}/")
        for i in range(n)
    ]


def after_cutoff():
    """Let the digest's cut-off pass the rows (the next morning)."""
    Notification.objects.update(created_at=timezone.now() - timedelta(days=1, hours=1))


def test_a_leader_catching_up_40_days_gets_a_handful_and_one_digest(org):
    remind(org.leader_a1, 250)
    flush_outbox()
    assert len(mail.outbox) == notifications.DIGEST_AFTER
    waiting = Notification.objects.filter(email_status="digest").count()
    assert waiting == 250 - notifications.DIGEST_AFTER
    after_cutoff()
    assert send_email_digests() == 1
    assert send_email_digests() == 0  # the second sweep (beat's next tick) sends nothing
    digest = mail.outbox[-1]
    assert len(mail.outbox) == notifications.DIGEST_AFTER + 1
    assert f"{waiting} varsler" in digest.subject
    assert digest.extra_headers["Auto-Submitted"] == "auto-generated"
    assert digest.body.count("Tiltak ") == waiting
    assert not Notification.objects.exclude(email_status="sent").exists()


def test_other_notifications_still_go_at_once_under_the_default(org):
    remind(org.leader_a1, 10)
    n = notifications.notify(org.leader_a1, kind="deviation.reported", subject="Nytt avvik")
    assert n.email_status == "pending"


def test_daily_and_immediate_choices(org):
    User.objects.filter(pk=org.leader_a1.pk).update(email_mode="daily")
    User.objects.filter(pk=org.leader_b1.pk).update(email_mode="immediate")
    org.leader_a1.refresh_from_db()
    org.leader_b1.refresh_from_db()
    new = notifications.notify(org.leader_a1, kind="deviation.reported", subject="Nytt avvik")
    assert new.email_status == "digest"
    assert {n.email_status for n in remind(org.leader_b1, 20)} == {"pending"}


def test_todays_notifications_wait_for_tomorrows_digest(org):
    User.objects.filter(pk=org.leader_a1.pk).update(email_mode="daily")
    org.leader_a1.refresh_from_db()
    remind(org.leader_a1, 3)
    Notification.objects.update(created_at=notifications.digest_cutoff() + timedelta(minutes=1))
    assert send_email_digests() == 0
    assert mail.outbox == []


def test_the_choice_is_made_on_the_settings_page(org, client_for):
    client = client_for(org.employee_a1)
    assert "daglig sammendrag" in client.get("/konto/e-post/").content.decode()
    client.post("/konto/e-post/", {"email_mode": "daily"})
    assert User.objects.get(pk=org.employee_a1.pk).email_mode == "daily"


def test_a_sweeps_batch_gets_the_statuses_one_by_one_notifications_get(org):
    """notify_all (a sweep's batch, one INSERT) and notify (one at a time) share the digest rule:
    the same people, kinds and earlier e-mails give the same statuses, in order."""
    User.objects.filter(pk=org.leader_b1.pk).update(email_mode="daily")
    org.leader_b1.refresh_from_db()
    remind(org.leader_a1, 2)  # earlier today: two of the five a day already sent
    people = [org.leader_a1, org.leader_b1, org.employee_a1]
    kinds = ["action.escalated", "deviation.reported"]
    plan = [(people[i % 3], kinds[i % 5 == 0]) for i in range(30)]
    batch = notifications.notify_all(
        [notifications.Message(user, kind, subject="Forfalt") for user, kind in plan]
    )
    batched = [n.email_status for n in batch]
    Notification.objects.all().delete()
    remind(org.leader_a1, 2)
    one_by_one = [
        notifications.notify(user, kind=kind, subject="Forfalt").email_status for user, kind in plan
    ]
    assert batched == one_by_one
    assert {"pending", "digest"} <= set(batched)

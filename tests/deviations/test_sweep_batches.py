"""The escalation sweep in batches: one transaction per batch of actions, each step exactly once
when two sweeps run at once or a worker dies mid-batch, and a query count that follows the number
of batches, not the number of actions."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from deviations import services
from deviations.models import CorrectiveAction, Event
from qms import reminders
from qms.models import Notification, Reminder
from tests.deviations.conftest import escalation_ledger, overdue_actions

OVERDUE_KINDS = ["action.overdue", "action.escalated"]


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_send_each_step_once(org, settings):
    settings.SWEEP_BATCH_SIZE = 5
    actions = overdue_actions(org, 20, days_late=20)
    start = threading.Barrier(2)
    results: list[object] = []

    def sweep():
        try:
            start.wait(5)
            results.append(services.escalate_overdue_actions())
        except Exception as exc:  # pragma: no cover - reported below
            results.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    # Whichever sweep took a batch sent it; the other skipped it (or found it done).
    assert all(isinstance(sent, int) for sent in results), results
    assert len(results) == 2 and sum(results) == 60
    assert set(escalation_ledger().values()) == {1} and len(escalation_ledger()) == 60
    assert Notification.objects.filter(kind__in=OVERDUE_KINDS).count() == 60
    assert Event.objects.filter(kind__in=["reminded", "escalated"]).count() == 60
    assert set(CorrectiveAction.objects.values_list("escalation_step", flat=True)) == {3}
    # And a third sweep, after both: nothing is due.
    assert services.escalate_overdue_actions() == 0
    assert {a.pk for a in actions} == {object_id for object_id, _step in escalation_ledger()}


@pytest.mark.django_db
def test_a_worker_killed_mid_batch_rolls_the_batch_back_and_the_next_sweep_sends_it_once(
    org, settings, monkeypatch
):
    settings.SWEEP_BATCH_SIZE = 4
    overdue_actions(org, 8, days_late=1)  # step 0 due: one step per action
    attach = reminders.attach_many
    calls = []

    def dies_in_the_second_batch(pairs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("worker killed")  # after the claims and the notifications
        attach(pairs)

    monkeypatch.setattr(reminders, "attach_many", dies_in_the_second_batch)
    with pytest.raises(RuntimeError):
        services.escalate_overdue_actions()
    # The first batch committed; nothing of the second is left: no claim, no notification,
    # no event, no moved counter.
    assert len(escalation_ledger()) == 4
    assert Notification.objects.filter(kind="action.overdue").count() == 4
    assert Event.objects.filter(kind="reminded").count() == 4
    assert CorrectiveAction.objects.filter(escalation_step=1).count() == 4
    monkeypatch.setattr(reminders, "attach_many", attach)
    assert services.escalate_overdue_actions() == 4
    assert services.escalate_overdue_actions() == 0
    assert set(escalation_ledger().values()) == {1} and len(escalation_ledger()) == 8
    assert Notification.objects.filter(kind="action.overdue").count() == 8
    assert not Reminder.objects.filter(notification__isnull=True).exists()


@pytest.mark.django_db
def test_the_queries_of_a_sweep_follow_its_batches_not_its_actions(org, settings):
    """Three times the actions in one batch cost the same queries; each further batch the same
    number again."""
    today = timezone.localdate() + timedelta(days=30)  # all three steps due

    def queries(n: int) -> int:
        Reminder.objects.all().delete()
        CorrectiveAction.objects.all().delete()
        overdue_actions(org, n, days_late=20)
        with CaptureQueriesContext(connection) as ctx:
            assert services.escalate_overdue_actions(today) == 3 * n
        return len(ctx.captured_queries)

    assert queries(4) == queries(12)
    settings.SWEEP_BATCH_SIZE = 4
    one, two, three = queries(4), queries(8), queries(12)
    assert three - two == two - one > 0

"""Two leaders closing the same deviation at the same moment, on two database connections."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction

from deviations import services
from deviations.models import Deviation, Event


@pytest.mark.django_db(transaction=True)
def test_two_leaders_close_at_once_one_succeeds_the_other_gets_a_clear_message(org):
    from tests.deviations.conftest import report

    deviation = report(org)
    services.start_treatment(actor=org.leader_a1, deviation=deviation)
    first_holds_lock = threading.Event()
    second_started = threading.Event()
    results: dict[str, object] = {}

    def first():
        try:
            with transaction.atomic():
                services.close_deviation(actor=org.leader_a1, deviation=deviation, note="A")
                first_holds_lock.set()
                # Keep the row locked until the second leader is waiting on it.
                second_started.wait(5)
                threading.Event().wait(0.3)
            results["first"] = "closed"
        except Exception as exc:  # pragma: no cover - reported below
            results["first"] = exc
        finally:
            connection.close()

    def second():
        first_holds_lock.wait(5)
        second_started.set()
        try:
            services.close_deviation(actor=org.leader_a, deviation=deviation, note="B")
            results["second"] = "closed"
        except services.TransitionError as exc:
            results["second"] = exc.message
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(15)
    assert results["first"] == "closed"
    assert "allerede lukket" in results["second"]
    deviation.refresh_from_db()
    assert deviation.state == Deviation.State.CLOSED
    assert deviation.closing_note == "A"
    assert Event.objects.filter(deviation=deviation, kind="closed").count() == 1


@pytest.mark.django_db(transaction=True)
def test_numbers_stay_unique_when_many_report_at_once(org):
    from tests.deviations.conftest import report

    errors = []

    def one():
        try:
            report(org)
        except Exception as exc:  # pragma: no cover
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=one) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(15)
    assert errors == []
    numbers = list(Deviation.objects.values_list("sequence", flat=True))
    assert sorted(numbers) == list(range(1, 9))

"""Deviation.first_response_at: the time of the first leader response, kept by Event.save()
(and by refresh_first_responses() after a bulk insert). The statistics read it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from deviations import services
from deviations.models import Deviation, Event
from tests.deviations.conftest import report

pytestmark = pytest.mark.django_db


def first_response(deviation) -> object:
    return Deviation.objects.values_list("first_response_at", flat=True).get(pk=deviation.pk)


def test_the_first_response_is_the_start_of_treatment_and_later_ones_do_not_move_it(org):
    case = report(org)
    assert first_response(case) is None  # being reported is not a response
    services.start_treatment(actor=org.leader_a1, deviation=case)
    started = Event.objects.get(deviation=case, kind="started").at
    assert first_response(case) == started
    # Later steps save the case in full: the value they hold must not be written back as None.
    services.classify_deviation(
        actor=org.leader_a1,
        deviation=case,
        cause_class="procedure",
        cause_analysis="Rutinen var uklar",
    )
    services.add_comment(actor=org.leader_a1, deviation=case, text="Vi ser på det")
    assert first_response(case) == started


def test_an_earlier_response_recorded_later_moves_it_back(org):
    case = report(org)
    services.add_comment(actor=org.leader_a1, deviation=case, text="Mottatt")
    comment = first_response(case)
    Event.objects.create(deviation=case, kind="started", at=comment - timedelta(hours=3))
    assert first_response(case) == comment - timedelta(hours=3)
    Event.objects.create(deviation=case, kind="edited", at=comment - timedelta(days=3))
    assert first_response(case) == comment - timedelta(hours=3)  # an edit is not a response


def test_bulk_inserted_history_is_picked_up_by_refresh(org):
    case = report(org)
    at = timezone.now() - timedelta(days=2)
    Event.objects.bulk_create(
        [
            Event(deviation=case, kind="reported", at=at - timedelta(days=1)),
            Event(deviation=case, kind="comment", at=at + timedelta(hours=1)),
            Event(deviation=case, kind="started", at=at),
        ]
    )
    assert first_response(case) is None  # bulk_create bypasses save()
    assert Deviation.objects.filter(pk=case.pk).refresh_first_responses() == 1
    assert first_response(case) == at

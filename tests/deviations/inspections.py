"""Helpers for the inspection tests: an inspection and its findings, through the services."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from deviations import services
from deviations.models import Authority, Inspection, InspectionFinding


def authority(name: str = "Arbeidstilsynet") -> Authority:
    return Authority.objects.get_or_create(name=name)[0]


def inspection(org, actor=None, unit=None, **extra) -> Inspection:
    fields = {
        "authority": authority(),
        "theme": "Psykososialt arbeidsmiljø",
        "unit": unit or org.unit_a1,
        "visit_on": timezone.localdate() - timedelta(days=20),
        "status": Inspection.Status.ONGOING,
    }
    fields.update(extra)
    return services.record_inspection(actor=actor or org.leader_a1, **fields)


def finding(org, inspection, days=30, actor=None, unit=None, **extra) -> InspectionFinding:
    fields = {
        "kind": InspectionFinding.Kind.NONCONFORMITY,
        "title": "Kommunen har ikke kartlagt risiko for vold og trusler",
        "deadline": None if days is None else timezone.localdate() + timedelta(days=days),
    }
    fields.update(extra)
    return services.add_finding(
        actor=actor or org.leader_a1, inspection=inspection, unit=unit or org.unit_a1, **fields
    )

"""Helpers for the internal audits' tests (also used by the authorization matrix)."""

from __future__ import annotations

from datetime import date


def plan(org, *, by=None, unit=None, occurrence=None, criteria=(), auditors=None, **extra):
    """An audit of Enhet A1 (by default) in the municipality's programme, led by ``employee_b1``
    (an auditor from another sector) with ``employee_a1x``."""
    from annual_wheel import services

    fields = {
        "title": "Legemiddelhåndtering",
        "planned_date": date(date.today().year, 10, 1),
        "lead_auditor": org.employee_b1,
        "auditors": [org.employee_a1x] if auditors is None else auditors,
        "requirements": "Forskrift om legemiddelhåndtering § 4",
    }
    fields.update(extra)
    return services.plan_audit(
        by or org.advisor,
        unit=unit or org.unit_a1,
        occurrence=occurrence,
        criteria=criteria,
        **fields,
    )

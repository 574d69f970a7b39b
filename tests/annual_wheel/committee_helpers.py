"""Helpers for the committees' tests (also used by the authorization matrix)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from annual_wheel.models import Committee, CommitteeMember


def quality_committee(org) -> Committee:
    """Sektor A's quality committee: leader_a chairs, leader_a2 is secretary, employee_a1x
    (verneombud) and employee_b1 (tillitsvalgt, from another sector) are members."""
    from annual_wheel import services

    committee = services.create_committee(
        org.advisor,
        name="Kvalitetsutvalget Sektor A",
        kind=Committee.Kind.QUALITY,
        unit=org.sector_a,
    )
    Role = CommitteeMember.Role
    services.set_member(org.advisor, committee, org.leader_a, role=Role.CHAIR)
    services.set_member(org.advisor, committee, org.leader_a2, role=Role.SECRETARY)
    services.set_member(
        org.advisor, committee, org.employee_a1x, role=Role.MEMBER, representing="Verneombud"
    )
    services.set_member(
        org.advisor, committee, org.employee_b1, role=Role.MEMBER, representing="Tillitsvalgt"
    )
    return committee


def meeting_of(committee, by, days: int = 14):
    from annual_wheel import services

    return services.plan_meeting(
        by, committee, date=timezone.localdate() + timedelta(days=days), place="Møterom 1"
    )


def refer(meeting, case, by, summary: str = "Feil i medisinutdeling, rutinen er uklar."):
    from annual_wheel import services

    return services.refer_case(by, meeting, case, title="Medisinutdeling", summary=summary)


def held_with_decision(meeting, chair, decision: str = "Rutinen revideres innen to måneder."):
    """Hold the meeting and write a decision on every item."""
    from annual_wheel import services

    meeting = services.hold_meeting(chair, meeting)
    for item in meeting.items.all():
        services.record_minutes(chair, item, discussion="Drøftet i møtet.", decision=decision)
    return meeting

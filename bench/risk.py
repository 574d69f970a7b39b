"""Risk assessments for the benchmark: 2,000 assessments with 40,000 items at scale 1.

Bulk inserts in batches; about a quarter of the items at or above the threshold get a measure
(a corrective action without a deviation, linked through RiskMeasure).
"""

from __future__ import annotations

from datetime import date, timedelta

from bench import data
from bench.harness import timed
from qms import permissions
from risk.matrix import matrix_for
from risk.models import RiskAssessment, RiskItem, RiskMeasure

ASSESSMENTS = 2000
ITEMS_PER_ASSESSMENT = 20


def build_risk(ref: data.Reference, scale: float) -> str:
    from deviations.models import CorrectiveAction

    rng = ref.rng
    count = max(20, int(ASSESSMENTS * scale))
    today = date(2026, 11, 23)
    units = ref.units[1:]  # sectors, units and departments
    assessments = []
    for i in range(count):
        unit = units[i % len(units)]
        assessments.append(
            RiskAssessment(
                title=f"ROS {i:05d} {unit.name}",
                unit=unit,
                activity="Referanseaktivitet",
                assessed_on=today - timedelta(days=rng.randint(0, 1500)),
                next_review=today + timedelta(days=rng.randint(-60, 365)),
                status=rng.choice(["active", "active", "active", "draft", "archived"]),
                created_by=ref.leaders.get(unit.pk),
            )
        )
    RiskAssessment.objects.bulk_create(assessments, batch_size=data.BATCH)
    items = []
    for assessment in assessments:
        for n in range(1, ITEMS_PER_ASSESSMENT + 1):
            p, c = rng.randint(1, 5), rng.randint(1, 5)
            rp, rc = max(1, p - rng.randint(0, 2)), c
            items.append(
                RiskItem(
                    assessment=assessment,
                    number=n,
                    hazard=f"Uønsket hendelse {n}",
                    probability=p,
                    consequence_people=c,
                    consequence=c,
                    score=p * c,
                    residual_probability=rp,
                    residual_consequence=rc,
                    residual_score=rp * rc,
                )
            )
    for start in range(0, len(items), data.BATCH):
        RiskItem.objects.bulk_create(items[start : start + data.BATCH])
    matrix = matrix_for(ref.units[0])  # the municipality's (the default when it has none)
    high = [item for item in items if matrix.requires_measures(item.score)][::4]
    unit_of = {a.pk: a.unit for a in assessments}
    actions = [
        CorrectiveAction(
            unit=unit_of[item.assessment_id],
            description=f"Tiltak for {item.hazard}",
            responsible=ref.leaders.get(unit_of[item.assessment_id].pk) or ref.users[0],
            deadline=today + timedelta(days=rng.randint(-30, 180)),
        )
        for item in high
    ]
    CorrectiveAction.objects.bulk_create(actions, batch_size=data.BATCH)
    RiskMeasure.objects.bulk_create(
        [RiskMeasure(item=item, action=action) for item, action in zip(high, actions, strict=True)],
        batch_size=data.BATCH,
    )
    return f"{len(assessments)} assessments, {len(items)} items, {len(actions)} measures"


def targets(ref: data.Reference):
    leader, advisor = ref.sector_leader, ref.advisor

    def bare(user):
        return lambda: list(
            permissions.restrict(user, RiskAssessment)
            .order_by("-assessed_on", "-pk")
            .values_list("pk", "title", "unit__name")[:50]
        )

    yield ("GET /ros/ (sector leader)", leader, "/ros/", bare(leader))
    yield ("GET /ros/ (advisor)", advisor, "/ros/", bare(advisor))
    yield (
        "GET /api/v1/risk-assessments/ (sector leader)",
        leader,
        "/api/v1/risk-assessments/",
        bare(leader),
    )
    yield (
        "GET /api/v1/risk-assessments/ (advisor)",
        advisor,
        "/api/v1/risk-assessments/",
        bare(advisor),
    )
    sample = permissions.restrict(leader, RiskAssessment).order_by("pk").first()
    if sample is not None:
        yield ("GET /ros/<id>/ with heat map (sector leader)", leader, f"/ros/{sample.pk}/", None)
        yield (
            "GET /api/v1/risk-assessments/<id>/items/ (sector leader)",
            leader,
            f"/api/v1/risk-assessments/{sample.pk}/items/",
            lambda: list(RiskItem.objects.filter(assessment=sample).values_list("pk")[:50]),
        )


def extra(ref: data.Reference):
    from django.db import transaction

    from risk import services

    def sweep():
        with transaction.atomic():
            sent = services.send_review_reminders()
            transaction.set_rollback(True)  # measure again from the same state
        return sent

    yield timed("risk review reminder sweep (rolled back)", sweep)


data.MODULE_BUILDERS.append(("risk", build_risk))
data.MODULE_TARGETS.append(targets)
data.EXTRA.append(extra)

"""Annual wheel at the reference size (docs/design.md §11): 5,000 activities with their occurrences.

Activities are spread over every unit (and a few for the whole municipality) with a realistic mix
of schedules; occurrences are laid out for this year and next exactly as the service does, then
inserted in bulk. Targets: the wheel and the month list of a unit, and the activities API list.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from annual_wheel import schedule, services
from annual_wheel.models import Activity, Category, Occurrence
from bench import data
from bench.harness import timed
from qms import permissions

BATCH = data.BATCH
# (recurrence, weight)
MIX = [("yearly", 50), ("tertial", 25), ("monthly", 15), ("once", 5), ("weekly", 5)]
TITLES = [
    "Vernerunde",
    "Tertialrapport",
    "Ledermøte",
    "ROS-gjennomgang",
    "Internkontroll legemiddelhåndtering",
    "Brannøvelse",
    "Revisjon av rutiner",
    "Medarbeidersamtaler",
]


@transaction.atomic
def build(ref: data.Reference, scale: float) -> str:
    rng = ref.rng
    today = timezone.localdate()
    end = services.horizon_end(today)
    categories = list(Category.objects.all())
    kinds = [k for k, w in MIX for _ in range(w)]
    count = max(50, int(5000 * scale))
    activities = []
    for i in range(count):
        unit = None if i % 100 == 0 else ref.units[i % len(ref.units)]
        recurrence = kinds[i % len(kinds)]
        start = date(today.year, 1 + rng.randrange(12), 1 + rng.randrange(28))
        activities.append(
            Activity(
                title=f"{TITLES[i % len(TITLES)]} {i}",
                unit=unit,
                category=categories[i % len(categories)],
                responsible_id=ref.leaders[unit.pk].pk if unit else None,
                recurrence=recurrence,
                start_date=start,
                reminder_days=14,
                materialised_until=end,
            )
        )
    Activity.objects.bulk_create(activities, batch_size=BATCH)
    occurrences = []
    total = 0
    now = timezone.now()
    for activity in activities:
        first = activity.start_date if activity.recurrence == "once" else date(today.year, 1, 1)
        for d in schedule.dates_between(
            activity.recurrence, activity.start_date, None, max(first, activity.start_date), end
        ):
            done = d < today and rng.random() < 0.8
            occurrences.append(
                Occurrence(
                    activity_id=activity.pk,
                    due_date=d,
                    remind_on=d - timedelta(days=14),
                    status="done" if done else "planned",
                    completed_at=now if done else None,
                    reminded_at=now if d < today else None,
                    overdue_flagged_at=now if d < today and not done else None,
                )
            )
        if len(occurrences) >= BATCH:
            Occurrence.objects.bulk_create(occurrences, batch_size=BATCH)
            total += len(occurrences)
            occurrences = []
    Occurrence.objects.bulk_create(occurrences, batch_size=BATCH)
    total += len(occurrences)
    return f"{count} activities, {total} occurrences"


def targets(ref: data.Reference):
    leaf = ref.leaf_units[0]
    year = timezone.localdate().year

    def bare(user, unit):
        return lambda: list(
            Occurrence.objects.restrict(user)
            .for_wheel_of(unit)
            .in_year(year)
            .values_list("pk", "due_date", "activity__title")
        )

    yield (
        "GET /arshjul/ wheel of a unit (employee)",
        ref.employee,
        f"/arshjul/?unit={leaf.pk}",
        bare(ref.employee, leaf),
    )
    yield (
        "GET /arshjul/liste/ month list (sector leader)",
        ref.sector_leader,
        f"/arshjul/liste/?unit={ref.units[1].pk}",
        bare(ref.sector_leader, ref.units[1]),
    )
    yield (
        "GET /arshjul/liste/ month list (advisor, municipality)",
        ref.advisor,
        f"/arshjul/liste/?unit={ref.units[0].pk}",
        bare(ref.advisor, ref.units[0]),
    )
    for label, user in (("sector leader", ref.sector_leader), ("advisor", ref.advisor)):
        yield (
            f"GET /api/v1/activities/ ({label})",
            user,
            "/api/v1/activities/",
            lambda user=user: list(
                permissions.restrict(user, Activity)
                .order_by("start_date", "id")
                .values_list("pk", flat=True)[:50]
            ),
        )


def extra(ref: data.Reference):
    today = timezone.localdate()
    yield timed(
        "annual wheel reminder sweep (today; then idempotent re-runs)",
        lambda: services.run_reminder_sweep(today),
    )
    yield timed(
        "annual wheel completion, whole municipality, this year (advisor)",
        lambda: services_completion(ref, today),
    )


def services_completion(ref, today):
    from annual_wheel.querysets import completion_figures

    figures = completion_figures(
        Occurrence.objects.restrict(ref.advisor), date(today.year, 1, 1), date(today.year, 12, 31)
    )
    return f"{figures.done_on_time}/{figures.due}"


data.MODULE_BUILDERS.append(("annual_wheel", build))
data.MODULE_TARGETS.append(targets)
data.EXTRA.append(extra)

"""Deviations for the benchmark: 1,000,000 deviations and 2,000,000 actions at scale 1.

Deviations go in with COPY (streamed, no Python objects); the two actions per deviation are
made in the database with one INSERT ... SELECT over generate_series. Old open actions count as
already escalated, so the sweep finds only what is really due (about the last weeks' actions);
a rejected case's actions count as done (its actions were settled when it was turned down).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.db import connection, transaction

from bench import data
from bench.harness import swept, swept_again
from deviations import tallies
from deviations.models import CorrectiveAction, Deviation, Event
from qms import permissions

DEVIATIONS = 1_000_000
ACTIONS_PER_DEVIATION = 2

KINDS = ["deviation", "deviation", "adverse_event", "injury", "improvement"]
TITLES = [
    "Medisin gitt til feil tid",
    "Fall på badet",
    "E-post sendt feil mottaker",
    "Nestenulykke i trappen",
    "Defekt ventilasjon",
    "Manglende dokumentasjon",
]


@transaction.atomic
def build_deviations(ref: data.Reference, scale: float) -> str:
    rng = ref.rng
    count = max(1000, int(DEVIATIONS * scale))
    now = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
    units = [u for u in ref.leaf_units if ref.members.get(u.pk)]
    per_year: dict[int, int] = {}
    columns = (
        "number, year, sequence, kind, title, description, occurred_at, place, unit_id, "
        "severity, immediate_action, contains_personal_data, reporter_id, reporter_name, "
        "reporter_contact, via_public_form, handler_id, state, state_reason, cause_class, "
        "cause_analysis, closing_note, created_at, updated_at, closed_at, source"
    )
    # Created oldest first over five years, so ids grow with time like in production.
    span = 5 * 365 * 24 * 3600
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY deviations_deviation ({columns}) FROM STDIN") as copy:
            for i in range(count):
                created = now - timedelta(seconds=span * (count - i) / count)
                year = created.year
                per_year[year] = per_year.get(year, 0) + 1
                unit = units[i % len(units)]
                members = ref.members[unit.pk]
                age_days = (now - created).days
                if age_days > 90:
                    state = "closed" if rng.random() < 0.92 else "rejected"
                elif age_days > 14:
                    state = rng.choice(["actions_in_progress", "closed", "under_treatment"])
                else:
                    state = rng.choice(["reported", "under_treatment", "actions_in_progress"])
                closed = created + timedelta(days=20) if state in ("closed", "rejected") else None
                copy.write_row(
                    (
                        f"AV-{year}-{per_year[year]:05d}",
                        year,
                        per_year[year],
                        KINDS[i % len(KINDS)],
                        TITLES[i % len(TITLES)],
                        "Beskrivelse av hendelsen.",
                        created - timedelta(hours=2),
                        "",
                        unit.pk,
                        1 + i % 5,
                        "",
                        i % 10 == 0,
                        members[i % len(members)],
                        "",
                        "",
                        False,
                        ref.leaders.get(unit.pk).pk if ref.leaders.get(unit.pk) else None,
                        state,
                        "",
                        "",
                        "",
                        "",
                        created,
                        created,
                        closed,
                        "report",
                    )
                )
        for year, last in per_year.items():
            cursor.execute(
                "INSERT INTO deviations_yearcounter (year, last) VALUES (%s, %s) "
                "ON CONFLICT (year) DO UPDATE SET last = EXCLUDED.last",
                [year, last],
            )
        today = now.date()
        cursor.execute(
            """
            INSERT INTO deviations_correctiveaction
              (deviation_id, unit_id, description, responsible_id, deadline, done_at, done_by_id,
               done_note, effect, effect_note, effect_evaluated_at, effect_evaluated_by_id,
               escalation_step, created_by_id, created_at)
            SELECT d.id, d.unit_id, 'Tiltak ' || g, COALESCE(d.handler_id, d.reporter_id),
                   (d.created_at + (10 * g || ' days')::interval)::date,
                   CASE WHEN d.state IN ('closed', 'rejected') THEN d.closed_at END,
                   CASE WHEN d.state IN ('closed', 'rejected') THEN d.handler_id END,
                   '', CASE WHEN d.state = 'closed' THEN 'effective' ELSE '' END, '',
                   CASE WHEN d.state = 'closed' THEN d.closed_at END,
                   CASE WHEN d.state = 'closed' THEN d.handler_id END,
                   CASE WHEN d.state NOT IN ('closed', 'rejected')
                         AND (d.created_at + (10 * g || ' days')::interval)::date < %s
                        THEN 3 ELSE 0 END,
                   d.handler_id, d.created_at
            FROM deviations_deviation d
            CROSS JOIN generate_series(1, %s) AS g
            WHERE d.state IN ('actions_in_progress', 'closed', 'rejected', 'under_treatment',
                              'reported')
            """,
            [today - timedelta(days=30), ACTIONS_PER_DEVIATION],
        )
        actions = cursor.rowcount
        events = add_case_history(cursor)
    # COPY and INSERT ... SELECT bypass the services: count the monthly tallies afresh.
    tallied = tallies.rebuild()
    return f"{count} deviations, {actions} actions, {events} events, {tallied} tally rows"


# Each case's history as the services write it: reported; started (a leader's first response)
# for all but new cases; closed for closed ones. The first-response statistics read these.
CASE_HISTORY_SQL = """
INSERT INTO deviations_event
  (deviation_id, kind, actor_id, at, from_state, to_state, text, changes)
SELECT d.id, 'reported', d.reporter_id, d.created_at, '', 'reported', '', '{}'::jsonb
FROM deviations_deviation d
UNION ALL
SELECT d.id, 'started', d.handler_id, d.created_at + ((d.id % 240) || ' hours')::interval,
       'reported', 'under_treatment', '', '{}'::jsonb
FROM deviations_deviation d WHERE d.state <> 'reported'
UNION ALL
SELECT d.id, 'closed', d.handler_id, d.closed_at, 'actions_in_progress', 'closed', '', '{}'::jsonb
FROM deviations_deviation d WHERE d.state = 'closed' AND d.closed_at IS NOT NULL
"""


def add_case_history(cursor) -> int:
    cursor.execute(CASE_HISTORY_SQL)
    events = cursor.rowcount
    # What Event.save() keeps for each case: the first response (a bulk insert bypasses it).
    cursor.execute(
        """
        UPDATE deviations_deviation d SET first_response_at = r.first
        FROM (SELECT deviation_id, MIN(at) AS first FROM deviations_event
              WHERE kind = ANY(%s) GROUP BY deviation_id) r
        WHERE r.deviation_id = d.id
        """,
        [list(Event.RESPONSE_KINDS)],
    )
    return events


def targets(ref: data.Reference):
    leader, advisor = ref.sector_leader, ref.advisor

    def bare(user):
        return lambda: list(
            permissions.restrict(user, Deviation)
            .order_by("-pk")
            .values_list("pk", "number", "title", "unit__name")[:50]
        )

    yield ("GET /avvik/ inbox (sector leader)", leader, "/avvik/", bare(leader))
    yield ("GET /avvik/ inbox (advisor)", advisor, "/avvik/", bare(advisor))
    yield (
        "GET /avvik/?state=reported&severity=5 (sector leader)",
        leader,
        "/avvik/?state=reported&severity=5",
        None,
    )
    yield ("GET /api/v1/deviations/ (sector leader)", leader, "/api/v1/deviations/", bare(leader))
    yield ("GET /api/v1/deviations/ (advisor)", advisor, "/api/v1/deviations/", bare(advisor))
    yield ("GET /avvik/mine/ (employee)", ref.employee, "/avvik/mine/", None)
    sample = permissions.restrict(leader, Deviation).order_by("-pk").first()
    if sample is not None:
        yield ("GET /avvik/<id>/ case page (sector leader)", leader, f"/avvik/{sample.pk}/", None)
        yield (
            "GET /api/v1/deviations/<id>/actions/ (sector leader)",
            leader,
            f"/api/v1/deviations/{sample.pk}/actions/",
            lambda: list(CorrectiveAction.objects.filter(deviation=sample).values_list("pk")),
        )


def extra(ref: data.Reference):
    from deviations import services

    # Both rolled back: a later run (--reuse) finds the same backlog.
    yield swept(
        "deviation escalation sweep, what is due (rolled back)", services.escalate_overdue_actions
    )
    yield swept_again("deviation escalation sweep, nothing due", services.escalate_overdue_actions)


data.MODULE_BUILDERS.append(("deviations", build_deviations))
data.MODULE_TARGETS.append(targets)
data.EXTRA.append(extra)

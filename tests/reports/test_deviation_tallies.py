"""The deviation statistics read monthly tallies for whole months (deviations.tallies): after a
random sequence of changes through the services (and the admin's plain saves), the section's
figures and tables from the tallies equal those counted from the cases, for the municipality,
a sector, a unit and an HMS-only scope."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.db.models.functions import Substr
from django.utils import timezone

from deviations import services, stats, tallies
from deviations.models import Category, CorrectiveAction, Deviation
from qms.models import OrgUnit
from qms.reports import periods
from qms.reports.scope import Scope
from qms.reports.tables import plain
from tests.deviations.conftest import report

pytestmark = pytest.mark.django_db


def _figures(section) -> list:
    return [(str(f.label), plain(f.value)) for f in section.figures]


def _tables(section) -> dict:
    return {t.key: t.plain_rows() for t in section.tables()}


def _churn(org, rng: random.Random) -> list[Deviation]:
    """Cases reported over the past fourteen months, then moved, classified, re-rated, closed,
    rejected and deleted at random: every write path that changes what a case is counted as."""
    today = timezone.localdate()
    hms, other = (
        Category.objects.create(name="HMS", is_hms=True),
        Category.objects.create(name="Annet"),
    )
    units = [org.unit_a1, org.unit_a2, org.unit_b1, org.dept_a1x]
    cases = []
    for i in range(14):
        when = timezone.now() - dt.timedelta(days=rng.randrange(1, 420), hours=rng.randrange(24))
        cases.append(
            report(
                org,
                unit=rng.choice(units),
                kind=rng.choice(Deviation.Kind.values),
                severity=rng.randint(1, 5),
                category=rng.choice([hms, other, None]),
                occurred_at=when,
                title=f"Sak {i}",
            )
        )
    for case in cases:
        case.refresh_from_db()
        step = rng.random()
        if step < 0.2:
            target = rng.choice([u for u in units if u.pk != case.unit_id])
            services.forward_deviation(actor=org.chief, deviation=case, unit=target, reason="Feil")
            continue
        services.start_treatment(actor=org.chief, deviation=case)
        services.classify_deviation(
            actor=org.chief,
            deviation=case,
            cause_class=rng.choice(Deviation.CauseClass.values),
            cause_analysis="Analyse",
            category=rng.choice([hms, other]),
        )
        if step < 0.4:
            services.reject_deviation(actor=org.chief, deviation=case, reason="Ikke avvik")
        elif step < 0.7:
            action = services.create_action(
                actor=org.chief,
                unit=case.unit,
                description="Tiltak",
                responsible=org.chief,
                deadline=today + dt.timedelta(days=3),
                deviation=case,
            )
            # An edit in the admin: a deadline long past makes the action overdue.
            action.refresh_from_db()
            action.deadline = today - dt.timedelta(days=rng.randrange(1, 200))
            action.save()
        else:
            services.close_deviation(actor=org.chief, deviation=case, note="Ingen tiltak trengs")
    # The admin's plain saves: a new severity, another time it happened; and a deletion.
    for case in rng.sample(cases, 4):
        case.refresh_from_db()
        case.severity = rng.randint(1, 5)
        case.occurred_at -= dt.timedelta(days=rng.randrange(0, 60))
        case.save()
    cases[0].refresh_from_db()
    cases[0].delete()
    return cases[1:]


@pytest.fixture
def churned(org, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    _churn(org, random.Random(20))
    return org


def test_tallies_agree_with_a_fresh_count_after_every_kind_of_change(churned):
    assert tallies.differences() == []
    assert CorrectiveAction.objects.filter(deviation__isnull=False).exists()
    call_command("rebuild_statistics", "--check")


@pytest.mark.parametrize("scope_name", ["root", "sector_a", "unit_a1", "root_hms"])
def test_the_section_from_tallies_equals_the_section_from_the_cases(
    churned, monkeypatch, scope_name
):
    org = churned
    unit = getattr(org, scope_name.removesuffix("_hms"))
    scope = Scope(unit, hms_only=scope_name.endswith("_hms"))
    today = timezone.localdate()
    last_month = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    for period in (periods.year(today.year), periods.month(last_month.year, last_month.month)):
        from_tallies = stats.section(scope, period)
        monkeypatch.setattr(stats, "reads_tallies", lambda period: False)
        from_cases = stats.section(scope, period)
        monkeypatch.undo()
        assert _figures(from_tallies) == _figures(from_cases)
        assert _tables(from_tallies) == _tables(from_cases)


def test_overdue_actions_from_tallies_equal_the_actions_past_their_deadline(churned):
    org = churned
    for unit, hms_only in ((org.root, False), (org.sector_a, False), (org.root, True)):
        scope = Scope(unit, hms_only=hms_only)
        facts = stats.Facts.gather(scope, periods.year(timezone.localdate().year))
        length = len(unit.path) + OrgUnit.steplen
        counted = dict(
            facts.overdue_actions.values_list(Substr("deviation__unit__path", 1, length))
            .annotate(n=Count("pk"))
            .order_by()
        )
        assert facts.overdue_by_group == counted
        assert sum(counted.values()) > 0 or hms_only


def test_a_unit_row_and_a_month_open_that_scope_and_month_for_those_the_viewer_may_see(
    org, client_for
):
    today = timezone.localdate()
    for unit in (org.unit_a1, org.unit_b1):
        report(org, unit=unit, occurred_at=timezone.now() - dt.timedelta(hours=1))
    year = f"period=year&year={today.year}"
    html = (
        client_for(org.advisor)
        .get(f"/statistikk/?unit={org.root.pk}&{year}&section=deviations")
        .content.decode()
    )
    # The sectors' rows open each sector's statistics; the months open that month.
    assert f'href="?unit={org.sector_a.pk}&amp;{year.replace("&", "&amp;")}' in html
    assert f'href="?unit={org.sector_b.pk}&amp;' in html
    month = f"?unit={org.root.pk}&amp;period=month&amp;year={today.year}&amp;month={today.month}"
    assert f'href="{month}&amp;section=deviations">' in html
    # A committee for Sektor A sees its units as links, never a scope outside Sektor A.
    html = (
        client_for(org.committee)
        .get(f"/statistikk/?unit={org.sector_a.pk}&{year}&section=deviations")
        .content.decode()
    )
    assert f'href="?unit={org.unit_a1.pk}&amp;' in html
    assert f"?unit={org.sector_b.pk}" not in html
    assert f"?unit={org.root.pk}" not in html


def test_a_category_marked_hms_moves_its_cases_into_the_hms_counts(churned):
    category = Category.objects.get(name="Annet")
    category.is_hms = True
    category.save()
    assert tallies.differences() == []


@pytest.mark.django_db(transaction=True)
def test_new_cases_and_a_recount_of_their_month_at_once_keep_the_tallies_exact(org):
    """A new case adds its counts without the unit-month's lock (tallies.add_new_case); a
    recount of the same unit-month running meanwhile (another case re-rated) neither loses nor
    doubles it: the reports hold their transactions open across the recount."""
    import threading

    from django.db import connection, transaction

    existing = report(org, unit=org.unit_a1, severity=2, title="Fra før")
    reported, recounted = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def new_case(title: str, first: bool):
        try:
            with transaction.atomic():
                report(org, unit=org.unit_a1, severity=3, title=title)
                if first:
                    reported.set()
                recounted.wait(2)  # still uncommitted while the recount runs (or waits)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    def recount():
        try:
            reported.wait(5)
            with transaction.atomic():
                case = Deviation.objects.get(pk=existing.pk)
                case.severity = 4
                case.save()
            recounted.set()
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=new_case, args=("Ny 1", True)),
        threading.Thread(target=recount),
        threading.Thread(target=new_case, args=("Ny 2", False)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == []
    assert Deviation.objects.filter(unit=org.unit_a1).count() == 3
    assert tallies.differences() == []

import pytest

from annual_wheel import demo
from annual_wheel.models import Activity, Occurrence
from qms.demo import seed_organisation

pytestmark = pytest.mark.django_db


def test_demo_wheel_is_idempotent_and_spans_levels():
    org = seed_organisation()
    demo.seed(org)
    count = Activity.objects.count()
    occurrences = Occurrence.objects.count()
    demo.seed(org)
    assert Activity.objects.count() == count == len(demo.WHEEL) + len(demo.REVIEWS)
    assert Occurrence.objects.count() == occurrences
    kinds = set(Activity.objects.exclude(unit=None).values_list("unit__kind", flat=True))
    assert {"municipality", "sector", "unit", "department"} <= kinds
    assert Activity.objects.filter(unit=None).exists()


def test_demo_has_four_published_checklists_and_the_vernerunde_follows_arbeidstilsynet():
    from annual_wheel.models import Checklist, ChecklistQuestion

    org = seed_organisation()
    demo.seed(org)
    demo.seed(org)
    titles = set(Checklist.objects.values_list("title", flat=True))
    assert titles == {
        "Vernerunde",
        "Egenkontroll legemiddelhåndtering",
        "Brannvernrunde",
        "Informasjonssikkerhet egenkontroll",
    }
    assert not Checklist.objects.exclude(versions__status="published").exists()
    sections = set(
        ChecklistQuestion.objects.filter(version__checklist__title="Vernerunde").values_list(
            "section", flat=True
        )
    )
    assert {
        "Arbeidsplassen",
        "Ergonomi",
        "Kjemikalier",
        "Støy, lys og inneklima",
        "Brann og rømning",
        "Psykososialt arbeidsmiljø",
        "Verneutstyr",
    } <= sections
    assert Activity.objects.filter(
        title__startswith="Vernerunde", checklist__title="Vernerunde"
    ).exists()
    from annual_wheel.models import Round

    signed = Round.objects.get(status="signed")
    assert signed.unit.code == "solheim-sykehjem" and signed.participants.count() == 2
    assert signed.answers.filter(deviation__source="round").count() == 1
    assert signed.answers.filter(action__isnull=False).count() == 1
    assert Round.objects.filter(status="in_progress").count() == 1


def test_the_leader_meetings_fall_on_their_weekday_never_on_a_weekend():
    org = seed_organisation()
    demo.seed(org)
    meeting = Activity.objects.get(title="Ledermøte i kommunedirektørens ledergruppe")
    dates = list(meeting.occurrences.values_list("due_date", flat=True))
    assert len(dates) >= 12
    # "Fast ledermøte andre mandag i måneden": every date a second Monday.
    assert all(d.weekday() == 0 and 8 <= d.day <= 14 for d in dates), dates
    assert meeting.recurrence_text == "Hver måned, andre mandag"
    for title in ("Ledermøte Helse og mestring", "Ledermøte Oppvekst og læring"):
        weekdays = Occurrence.objects.filter(activity__title=title).values_list(
            "due_date", flat=True
        )
        assert all(d.weekday() < 5 for d in weekdays), title


def test_demo_has_signed_reviews_for_a_unit_a_sector_and_the_municipality():
    """docs/design.md §14: last year's reviews, signed, each with its snapshot, participants
    with their roles and decisions that became actions; the sector's lists the unit's."""
    from django.utils import timezone

    from annual_wheel.models import Review

    org = seed_organisation()
    demo.seed(org)
    demo.seed(org)
    year = timezone.localdate().year - 1
    reviews = {r.unit.code: r for r in Review.objects.select_related("unit")}
    # The other sectors' reviews are signed by hand for the report on internal control.
    by_hand = {"oppvekst", "teknisk", "stab"}
    assert set(reviews) == {"solheim-sykehjem", "helse", "eksempel", *by_hand}
    for code in by_hand:
        assert reviews[code].is_signed and reviews[code].snapshot["sections"]
    for review in (reviews[code] for code in ("solheim-sykehjem", "helse", "eksempel")):
        assert review.is_signed and review.year == year and review.snapshot["sections"]
        assert review.occurrence.status == Occurrence.Status.DONE
        assert review.decisions.filter(action__isnull=False).exists()
        roles = set(review.participants.values_list("role", flat=True))
        assert "Leder" in roles and len(roles) >= 3
    below = Review.objects.below(org.units["helse"]).filter(year=year)
    assert list(below) == [reviews["solheim-sykehjem"]]


def test_demo_has_committees_with_published_minutes_and_a_next_agenda():
    from importlib import import_module

    from annual_wheel import services
    from annual_wheel.models import Committee, Meeting

    org = seed_organisation()
    for module in ("documents", "deviations", "risk", "annual_wheel"):
        import_module(f"{module}.demo").seed(org)
    demo.seed(org)  # idempotent
    assert set(Committee.objects.values_list("kind", flat=True)) == {"quality", "amu"}
    quality = Committee.objects.get(kind="quality")
    assert quality.seats.filter(role="chair").count() == 1
    assert quality.seats.filter(representing="Verneombud").exists()
    published = Meeting.objects.get(committee=quality, status="published")
    kinds = list(published.items.order_by("order").values_list("kind", flat=True))
    assert kinds == ["deviation", "deviation", "free"]
    assert published.items.filter(action__isnull=False).count() == 1
    private = published.items.get(title="Fall på natt uten tilsyn")
    from deviations.models import Deviation

    case = Deviation.objects.get(pk=private.object_id)
    assert case.contains_personal_data
    text = repr(services.published_minutes(published))
    assert case.description[:40] not in text and case.reporter.get_full_name() not in text
    upcoming = Meeting.objects.get(committee=quality, status="agenda")
    assert upcoming.occurrence is not None and upcoming.occurrence.activity.committee == quality
    assert set(upcoming.items.values_list("kind", flat=True)) == {"risk", "free"}
    assert Meeting.objects.filter(committee__kind="amu", status="planned").exists()

"""Test helpers of the annual wheel."""

from annual_wheel.models import Category

# The categories migration 0002 adds; transactional (browser) tests flush them, so tests that
# need them create them again.
DEFAULTS = [
    ("Internkontroll", "#1f5fa8", 10),
    ("HMS", "#1d7a46", 20),
    ("Rapportering", "#6b3fa0", 30),
    ("Økonomi", "#a84b00", 40),
    ("Ledermøte", "#00666b", 50),
    ("Risiko og sårbarhet", "#b3261e", 60),
    ("Kvalitetssystem", "#7a4b2a", 70),
    ("Medarbeidere", "#50575e", 80),
]


def categories() -> dict[str, Category]:
    for name, colour, order in DEFAULTS:
        Category.objects.get_or_create(name=name, defaults={"colour": colour, "order": order})
    return {c.name: c for c in Category.objects.all()}

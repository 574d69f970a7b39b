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


# (section, text, kind) of a small vernerunde used across the rounds' tests.
VERNERUNDE = [
    ("Arbeidsplassen", "Er rømningsveiene frie og merket?", "yes_no"),
    ("Arbeidsplassen", "Hvordan vurderes orden og renhold?", "scale"),
    ("Kjemikalier", "Antall kjemikalier uten sikkerhetsdatablad", "number"),
    ("Inneklima", "Beskriv inneklimaet", "text"),
]


def make_checklist(advisor, title="Vernerunde", questions=VERNERUNDE, unit=None, publish=True):
    """A checklist with ``questions`` as version 1, published unless ``publish`` is False."""
    from annual_wheel import services

    checklist = services.create_checklist(advisor, title=title, unit=unit)
    draft = checklist.versions.get()
    for section, text, kind in questions:
        services.add_question(advisor, draft, section=section, text=text, kind=kind)
    if publish:
        services.publish_version(advisor, draft)
    return checklist


def answer_all(user, round_, failing=()):
    """Answer every question of ``round_`` acceptably, except the texts in ``failing`` ("no")."""
    from annual_wheel import services

    ok = {"yes_no": "yes", "scale": "4", "number": "0", "text": "Greit", "photo": "na"}
    for question in round_.version.questions.all():
        value = "no" if question.text in failing else ok[question.kind]
        services.answer_question(user, round_, question, value=value, comment="")

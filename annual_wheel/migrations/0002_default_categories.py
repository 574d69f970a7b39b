"""The handbooks' activity categories, so a new installation has a usable wheel at once."""

from django.db import migrations

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


def add(apps, schema_editor):
    Category = apps.get_model("annual_wheel", "Category")
    for name, colour, order in DEFAULTS:
        Category.objects.get_or_create(name=name, defaults={"colour": colour, "order": order})


class Migration(migrations.Migration):
    dependencies = [("annual_wheel", "0001_initial")]

    operations = [migrations.RunPython(add, migrations.RunPython.noop)]

"""Build the demo municipality "Eksempel kommune" and every module's demo data (idempotent)."""

from importlib import import_module

from django.core.management.base import BaseCommand

from qms.demo import DEMO_PASSWORD, seed_organisation
from qms.models import User

MODULES = ["documents", "deviations", "risk", "annual_wheel", "qms.reports"]


class Command(BaseCommand):
    help = "Create the demo organisation, users and module data. Safe to run more than once."

    def handle(self, *args, **options):
        org = seed_organisation()
        self.stdout.write(
            f"Organisasjon: {len(org.units)} enheter, {User.objects.count()} brukere."
        )
        for module in MODULES:
            try:
                demo = import_module(f"{module}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{module}.demo":
                    raise
                continue
            summary = demo.seed(org)
            if summary:
                self.stdout.write(f"{module}: {summary}")
        self.stdout.write(self.style.SUCCESS("Demodata er klare. Logg inn med:"))
        for username, description in org.logins:
            self.stdout.write(f"  {username:<14} – {description}")
        self.stdout.write(f"  Passord for alle demobrukere: {DEMO_PASSWORD}")

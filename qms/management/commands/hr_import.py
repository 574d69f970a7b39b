"""Import units and people from the HR system's export: a dry run, or ``--apply``.

manage.py hr_import --units enheter.csv --people ansatte.xlsx          # show the changes
manage.py hr_import --units enheter.csv --people ansatte.xlsx --apply  # carry them out
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from qms import hr_import


class Command(BaseCommand):
    help = "Import units and people from an HR export (CSV or XLSX); a dry run unless --apply."

    def add_arguments(self, parser):
        parser.add_argument("--units", help="CSV or XLSX of units")
        parser.add_argument("--people", help="CSV or XLSX of people")
        parser.add_argument("--apply", action="store_true", help="carry out the changes")

    def handle(self, *args, units=None, people=None, apply=False, **options):
        files = [self._read(units), self._read(people)]
        plan = hr_import.plan(*files)
        if plan.errors:
            raise CommandError("\n".join(plan.errors))
        for _key, heading, lines in plan.sections():
            if lines:
                self.stdout.write(f"{heading} ({len(lines)}):")
                for line in lines:
                    self.stdout.write(f"  {line}")
        if plan.is_empty():
            self.stdout.write("Ingen endringer.")
            return
        if not apply:
            self.stdout.write(
                "Tørrkjøring: ingenting er endret. Kjør med --apply for å gjøre endringene."
            )
            return
        outcome = hr_import.apply(plan)
        self.stdout.write(f"Endringene er gjort. Overleveringer: {len(outcome.handovers)}.")

    @staticmethod
    def _read(path: str | None):
        if not path:
            return None
        try:
            return Path(path).name, Path(path).read_bytes()
        except OSError as exc:
            raise CommandError(str(exc)) from exc

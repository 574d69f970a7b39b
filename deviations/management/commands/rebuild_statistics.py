"""Recount the deviation statistics' monthly tallies from the cases (deviations.tallies)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from deviations import tallies


class Command(BaseCommand):
    help = (
        "Recount the monthly tallies the deviation statistics read, from the cases: after a "
        "bulk load (COPY, bulk_create) that bypassed the services. With --check, only compare "
        "them with a fresh count and fail when they differ."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--check",
            action="store_true",
            help="Compare the kept tallies with a fresh count; change nothing.",
        )

    def handle(self, *args, check: bool = False, **options) -> None:
        if check:
            differences = tallies.differences()
            for line in differences:
                self.stdout.write(line)
            if differences:
                raise CommandError(
                    "The monthly tallies differ from the cases: run rebuild_statistics."
                )
            self.stdout.write("The monthly tallies agree with the cases.")
            return
        rows = tallies.rebuild()
        self.stdout.write(f"Monthly tallies recounted: {rows} rows.")

"""The performance benchmark (DESIGN.md §11): builds the reference data set on PostgreSQL with
bulk inserts, then prints query counts and p50/p95 times. Run on an empty database:

    make bench                      # full reference size
    make bench SCALE=0.05           # a quick, proportionally smaller run
"""

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Build the reference data set and print performance figures (PostgreSQL only)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0)
        parser.add_argument("--requests", type=int, default=50)

    def handle(self, *args, scale, requests, **options):
        from bench.run import run

        run(scale, requests, self.stdout.write)

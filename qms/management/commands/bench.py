"""The performance benchmark (docs/design.md §11): builds the reference data set on PostgreSQL with
bulk inserts, then prints query counts and p50/p95 times. Run on an empty database:

    make bench                      # full reference size
    make bench SCALE=0.05           # a quick, proportionally smaller run
    manage.py bench --reuse --only statistik   # measure again on the data already built
    manage.py bench --reuse --out after.json --compare before.json   # beside an earlier run
    manage.py bench --load --reuse             # the mixed load under gunicorn (bench/load.py)
"""

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Build the reference data set and print performance figures (PostgreSQL only)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0)
        parser.add_argument("--requests", type=int, default=50)
        parser.add_argument(
            "--reuse",
            action="store_true",
            help="Measure the data an earlier run left in this database instead of building it.",
        )
        parser.add_argument(
            "--only", default="", help="Measure only the rows whose label contains this text."
        )
        parser.add_argument("--out", default=None, help="Write the figures as JSON to this file.")
        parser.add_argument(
            "--compare",
            default=None,
            help="Print the figure of an earlier run's --out file beside each row.",
        )

        parser.add_argument(
            "--load",
            action="store_true",
            help="The mixed load under gunicorn (bench/load.py): the reference data with "
            "--reuse, else the demo municipality.",
        )
        parser.add_argument("--concurrency", default="10,20", help="--load: e.g. 10,20")
        parser.add_argument("--seconds", type=float, default=30.0, help="--load: per level")

    def handle(
        self,
        *args,
        scale,
        requests,
        reuse,
        only,
        out,
        compare,
        load,
        concurrency,
        seconds,
        **options,
    ):
        if load:
            from bench import load as mixed_load

            mixed_load.run(
                reuse=reuse,
                concurrencies=[int(c) for c in concurrency.split(",")],
                seconds=seconds,
                warmup=5.0,
                write=self.stdout.write,
            )
            return
        import logging

        from django.conf import settings

        from bench.run import run

        logging.getLogger("weasyprint").setLevel(logging.WARNING)  # no per-page progress lines
        logging.getLogger("celery").setLevel(logging.WARNING)  # eager tasks: no line per task
        # The sweeps send thousands of reminders: keep them in memory, not on the console.
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

        run(scale, requests, self.stdout.write, reuse=reuse, only=only, out=out, compare=compare)

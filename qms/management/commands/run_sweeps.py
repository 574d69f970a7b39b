"""Run every periodic sweep once, in-process (what beat ticks in production).

Useful on the embedded default, where no beat runs, and from cron as a fallback. Safe to run
any number of times: each sweep claims what it sends in the reminder ledger.
"""

from importlib import import_module

from django.core.management.base import BaseCommand

from qms.sweeps import SWEEPS, task_exists


class Command(BaseCommand):
    help = "Run the reminder, escalation and outbox sweeps once."

    def handle(self, *args, **options):
        for name in SWEEPS:
            if not task_exists(name):
                continue
            module_name, _, attr = name.rpartition(".")
            result = getattr(import_module(module_name), attr)()
            self.stdout.write(f"{name}: {result}")

"""The Celery application.

Broker from ``REDIS_URL``; on the embedded default tasks run in-process (always-eager). Beat
schedules live in the database (django-celery-beat) and are seeded from ``qms.sweeps``.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qms.settings")

app = Celery("qms")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_finalize.connect
def _install_beat_schedule(sender, **kwargs):
    from qms.sweeps import beat_schedule

    sender.conf.beat_schedule = {**beat_schedule(), **(sender.conf.beat_schedule or {})}

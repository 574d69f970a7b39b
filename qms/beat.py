"""The beat scheduler the deployment runs: django-celery-beat's, plus a heartbeat per tick."""

from __future__ import annotations

from django_celery_beat.schedulers import DatabaseScheduler

from qms import heartbeat


class HeartbeatScheduler(DatabaseScheduler):
    def tick(self, *args, **kwargs):
        interval = super().tick(*args, **kwargs)
        heartbeat.beat()
        return interval

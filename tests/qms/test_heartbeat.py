"""Celery beat's heartbeat: the scheduler touches the file on each tick; the check reads it."""

import os
import time

import pytest
from django_celery_beat.schedulers import DatabaseScheduler

from qms import heartbeat
from qms.beat import HeartbeatScheduler
from qms.celery import app


@pytest.fixture
def beat_file(tmp_path, monkeypatch):
    path = tmp_path / "beat"
    monkeypatch.setenv("BEAT_HEARTBEAT_FILE", str(path))
    return path


def test_each_tick_of_the_scheduler_touches_the_heartbeat(beat_file, monkeypatch):
    # django-celery-beat's own tick (due entries from the database) is not what is tested here.
    monkeypatch.setattr(DatabaseScheduler, "tick", lambda self, *args, **kwargs: 4.5)
    scheduler = HeartbeatScheduler(app=app, lazy=True)
    assert heartbeat.main([]) == 1  # never ticked
    assert scheduler.tick() == 4.5  # beat still sleeps as long as the database scheduler says
    assert beat_file.exists()
    assert heartbeat.main(["--max-age", "120"]) == 0


def test_a_stale_heartbeat_fails_the_check(beat_file):
    beat_file.touch()
    old = time.time() - 600
    os.utime(beat_file, (old, old))
    assert heartbeat.main(["--max-age", "120"]) == 1

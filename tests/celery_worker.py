"""Start and stop a real Celery worker against the real Redis broker, for fault tests.

Each test run uses its own queue name, so parallel runs (or other projects) on the same Redis
never take each other's tasks.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

from celery import Celery
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def redis_url() -> str:
    return os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15")


def redis_available() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(redis_url(), socket_connect_timeout=2).ping())
    except redis.RedisError:
        return False


class Worker:
    def __init__(self, mail_dir: Path):
        self.queue = f"qms-test-{uuid.uuid4().hex[:10]}"
        self.mail_dir = mail_dir
        self.process: subprocess.Popen | None = None
        self.producer = Celery("qms-test-producer", broker=redis_url())
        self.producer.conf.task_serializer = "json"

    def start(self) -> None:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.worker_settings",
            "REDIS_URL": redis_url(),
            "QMS_TEST_DB_NAME": connection.settings_dict["NAME"],
            "QMS_TEST_MAIL_DIR": str(self.mail_dir),
        }
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "qms",
                "worker",
                "-Q",
                self.queue,
                "--pool",
                "solo",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--loglevel",
                "INFO",
                "-n",
                f"{self.queue}@%h",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        deadline = time.monotonic() + 60
        for line in self.process.stdout:
            if "ready." in line:
                return
            if time.monotonic() > deadline:
                break
        raise RuntimeError("Celery worker did not start")

    def send(self, name: str, *args) -> None:
        self.producer.send_task(name, args=list(args), queue=self.queue)

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()
        self.producer.close()


def wait_until(predicate, timeout: float = 30.0, interval: float = 0.2) -> bool:
    """Poll ``predicate`` until it is true (a condition wait, not a speed assertion)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()

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


class RedisServer:
    """A Redis of the test's own on a free port, to stop and freeze (SIGSTOP) at will."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
            + ["--appendonly", "no", "--dir", str(self.directory)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        import redis

        client = redis.Redis.from_url(self.url, socket_connect_timeout=0.2)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                if client.ping():
                    return
            except redis.RedisError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)
            self.process.terminate()
            self.process.wait(10)

    def freeze(self) -> None:
        """Accepts connections (the kernel does) and never answers, like a hung host."""
        self.process.send_signal(signal.SIGSTOP)

    def thaw(self) -> None:
        self.process.send_signal(signal.SIGCONT)


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Worker:
    """A worker on its own queue of the shared Redis, or on ``queues`` of the given ``broker``
    (a test's own Redis, where the real queue names are safe to use)."""

    def __init__(self, mail_dir: Path, broker: str | None = None, queues: str | None = None):
        self.broker = broker or redis_url()
        self.queue = queues or f"qms-test-{uuid.uuid4().hex[:10]}"
        self.mail_dir = mail_dir
        self.process: subprocess.Popen | None = None
        # Not the current app: shared tasks sent by the code under test keep using qms's app.
        self.producer = Celery("qms-test-producer", broker=self.broker, set_as_current=False)
        self.producer.conf.task_serializer = "json"

    def start(self) -> None:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.worker_settings",
            "REDIS_URL": self.broker,
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
        self.producer.send_task(name, args=list(args), queue=self.queue.split(",")[0])

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


def fresh_producer_pool(app) -> None:
    """Drop the app's producer pool so the next send connects to the configured broker URL.

    ``app.pool.force_close_all()`` alone leaves a *closed* pool cached in kombu's registry; every
    later send in this process would then fail with "Acquire on closed pool" instead of reaching
    the broker the test means (and the tests after this one would inherit the broken pool).
    """
    from kombu import pools

    from qms.dispatch import resume_broker

    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None
    resume_broker()


def sent_messages(mail_dir: Path) -> list:
    """The e-mails a worker wrote with Django's file-based backend, parsed (bodies decoded)."""
    from email import message_from_string, policy

    messages = []
    for path in sorted(mail_dir.glob("*.log")):
        for chunk in path.read_text().split("-" * 79):
            if chunk.strip():
                messages.append(message_from_string(chunk.strip() + "\n", policy=policy.default))
    return messages


def wait_until(predicate, timeout: float = 30.0, interval: float = 0.2) -> bool:
    """Poll ``predicate`` until it is true (a condition wait, not a speed assertion)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()

"""Celery beat's heartbeat file: the scheduler touches it on every tick; the container health
check asks whether it is fresh (``python -m qms.heartbeat --max-age 120``).

Beat has no port to ask and no reply to ``inspect ping``, so a file is the only sign that its
loop still turns. Kept free of Django and Celery imports: the health check runs it in a fresh
interpreter every minute.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from qms.env import env_str


def heartbeat_path() -> Path:
    return Path(
        env_str("BEAT_HEARTBEAT_FILE", str(Path(tempfile.gettempdir()) / "qms-beat-heartbeat"))
    )


def beat(path: Path | None = None) -> None:
    (path or heartbeat_path()).touch()


def age_seconds(path: Path | None = None) -> float | None:
    """Seconds since the last heartbeat, or None when beat never ticked."""
    try:
        return time.time() - (path or heartbeat_path()).stat().st_mtime
    except FileNotFoundError:
        return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Exit 0 when Celery beat ticked recently.")
    parser.add_argument("--max-age", type=float, default=120, help="seconds (default 120)")
    args = parser.parse_args(argv)
    age = age_seconds()
    if age is None or age > args.max_age:
        print(f"beat heartbeat {heartbeat_path()} is stale: {age}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

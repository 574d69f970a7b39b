"""Backups: a consistent dump of the database and an archive of the uploads, kept N deep.

One backup is a directory ``qms-<UTC time>`` in ``BACKUP_DIR`` holding ``database.pgdump``
(``pg_dump`` custom format: one snapshot, taken while the app runs) or ``database.sqlite3``
(SQLite's online backup API on the embedded default), ``media.tar.gz`` (MEDIA_ROOT; not when
the uploads live in an S3 bucket, which keeps its own versions) and ``manifest.json``. It is
written under a temporary name and renamed when whole, so a directory with the final name is
always a complete backup; a temporary directory left by a process that was killed is deleted
by a later backup once it is a day old (a backup still running is never that old). The database is dumped before the uploads are archived: every file
the dump refers to already exists when the archive is made (uploads are never rewritten).
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import connections

PREFIX = "qms-"
PG_DUMP = "database.pgdump"
SQLITE_DUMP = "database.sqlite3"
MEDIA_ARCHIVE = "media.tar.gz"
MANIFEST = "manifest.json"
PARTIAL = ".partial-"
NAME_TIME = "%Y%m%d-%H%M%S-%f"
# A temporary directory older than this was left by a killed backup (the service runs daily;
# a dump that took a day would fail the health check long before).
ABANDONED_AFTER = timedelta(hours=24)


class BackupError(Exception):
    pass


@dataclass(frozen=True)
class Target:
    """Where a backup is read from or restored to: one database and one uploads directory."""

    database: dict
    media_root: Path | None  # None: uploads are not on a local disk (MEDIA_STORAGE=s3)

    @classmethod
    def current(cls) -> Target:
        on_disk = settings.STORAGES["default"]["BACKEND"].endswith("FileSystemStorage")
        return cls(
            database=connections["default"].settings_dict,
            media_root=Path(settings.MEDIA_ROOT) if on_disk else None,
        )

    @property
    def is_postgres(self) -> bool:
        return self.database["ENGINE"] == "django.db.backends.postgresql"


def _pg_env(database: dict) -> dict[str, str]:
    """libpq's environment for the pg_* tools: no password on a command line or in `ps`."""
    env = {**os.environ, "PGDATABASE": str(database["NAME"])}
    for key, var in [
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
    ]:
        if database.get(key):
            env[var] = str(database[key])
    sslmode = (database.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        env["PGSSLMODE"] = sslmode
    return env


def _run(cmd: list[str], env: dict[str, str]) -> None:
    # The pg_* tools from PATH with arguments built here, never from user input.
    result = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{cmd[0]} failed ({result.returncode}): {result.stderr.strip()}")


def _dump_database(target: Target, directory: Path) -> str:
    if target.is_postgres:
        _run(
            ["pg_dump", "--format=custom", "--file", str(directory / PG_DUMP)],
            _pg_env(target.database),
        )
        return PG_DUMP
    source = sqlite3.connect(target.database["NAME"])
    dest = sqlite3.connect(directory / SQLITE_DUMP)
    try:
        source.backup(dest)
    finally:
        dest.close()
        source.close()
    return SQLITE_DUMP


def _archive_media(target: Target, directory: Path) -> str | None:
    if target.media_root is None:
        return None
    with tarfile.open(directory / MEDIA_ARCHIVE, "w:gz") as tar:
        if target.media_root.is_dir():
            tar.add(target.media_root, arcname="media")
    return MEDIA_ARCHIVE


def backups(backup_dir: Path) -> list[Path]:
    """The complete backups in ``backup_dir``, oldest first (names sort by time)."""
    if not backup_dir.is_dir():
        return []
    return sorted(p for p in backup_dir.iterdir() if p.is_dir() and p.name.startswith(PREFIX))


def abandoned(backup_dir: Path, now: datetime | None = None) -> list[Path]:
    """Temporary directories of backups that started more than ABANDONED_AFTER ago: their
    process was killed before it could finish or clean up."""
    now = now or datetime.now(UTC)
    if not backup_dir.is_dir():
        return []
    found = []
    for path in backup_dir.iterdir():
        if not (path.is_dir() and path.name.startswith(PARTIAL + PREFIX)):
            continue
        try:
            started = datetime.strptime(path.name.removeprefix(PARTIAL + PREFIX), NAME_TIME)
        except ValueError:
            continue  # not a name this module writes: leave it alone
        if now - started.replace(tzinfo=UTC) > ABANDONED_AFTER:
            found.append(path)
    return sorted(found)


def prune(backup_dir: Path, keep: int) -> list[Path]:
    """Delete all but the newest ``keep`` backups, and abandoned temporary directories;
    returns the deleted ones."""
    existing = backups(backup_dir)
    doomed = existing[: max(len(existing) - keep, 0)] + abandoned(backup_dir)
    for path in doomed:
        shutil.rmtree(path)
    return doomed


def create_backup(backup_dir: Path, keep: int, target: Target | None = None) -> Path:
    """Write one complete backup into ``backup_dir`` and keep the newest ``keep``."""
    target = target or Target.current()
    if keep < 1:
        raise BackupError("keep must be at least 1")
    backup_dir.mkdir(parents=True, exist_ok=True)
    now = datetime.now(UTC)
    name = f"{PREFIX}{now.strftime(NAME_TIME)}"
    partial = backup_dir / f"{PARTIAL}{name}"
    partial.mkdir()
    try:
        database = _dump_database(target, partial)
        media = _archive_media(target, partial)
        manifest = {"created": now.isoformat(), "database": database, "media": media}
        (partial / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        final = backup_dir / name
        partial.rename(final)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    prune(backup_dir, keep)
    return final


def restore_backup(path: Path, target: Target | None = None, media: bool = True) -> None:
    """Load the backup at ``path`` into the target database (replacing what is there) and unpack
    its uploads into the target's MEDIA_ROOT (files with the same name are overwritten)."""
    target = target or Target.current()
    manifest = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
    if manifest["database"] == PG_DUMP:
        if not target.is_postgres:
            raise BackupError("This backup is of PostgreSQL; the target database is not.")
        connections.close_all()
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                "--dbname",
                str(target.database["NAME"]),
                str(path / PG_DUMP),
            ],
            _pg_env(target.database),
        )
    else:
        if target.is_postgres:
            raise BackupError("This backup is of SQLite; the target database is PostgreSQL.")
        connections.close_all()
        source = sqlite3.connect(path / SQLITE_DUMP)
        dest = sqlite3.connect(target.database["NAME"])
        try:
            source.backup(dest)
        finally:
            dest.close()
            source.close()
    if media and manifest["media"] and target.media_root is not None:
        target.media_root.mkdir(parents=True, exist_ok=True)
        with tarfile.open(path / MEDIA_ARCHIVE, "r:gz") as tar:
            for member in tar.getmembers():
                member.name = member.name.removeprefix("media").lstrip("/")
            members = [m for m in tar.getmembers() if m.name]
            tar.extractall(target.media_root, members=members, filter="data")


def newest_age_hours(backup_dir: Path) -> float | None:
    """Hours since the newest complete backup, or None when there is none."""
    existing = backups(backup_dir)
    if not existing:
        return None
    created = json.loads((existing[-1] / MANIFEST).read_text(encoding="utf-8"))["created"]
    return (datetime.now(UTC) - datetime.fromisoformat(created)).total_seconds() / 3600

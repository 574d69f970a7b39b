"""Backups: a dump of the database and the uploads, kept N deep, restored into an empty database."""

import sqlite3
import uuid

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from qms import backup
from qms.models import User


@pytest.fixture
def throwaway_database():
    """An empty PostgreSQL database, dropped afterwards."""
    params = connection.settings_dict
    name = f"qms_restore_{uuid.uuid4().hex[:10]}"
    admin = psycopg.connect(
        host=params["HOST"] or "127.0.0.1",
        port=params["PORT"] or 5432,
        user=params["USER"],
        password=params["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield {**params, "NAME": name}
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def _connect(database: dict):
    return psycopg.connect(
        host=database["HOST"] or "127.0.0.1",
        port=database["PORT"] or 5432,
        user=database["USER"],
        password=database["PASSWORD"] or None,
        dbname=database["NAME"],
    )


def test_a_postgres_backup_restores_into_an_empty_database_with_its_uploads(
    transactional_db, tmp_path, settings, throwaway_database
):
    User.objects.create_user("arkivar", email="arkivar@example.no", first_name="Åse")
    media = tmp_path / "media"
    (media / "deviations" / "2026").mkdir(parents=True)
    (media / "deviations" / "2026" / "bilde.txt").write_bytes(b"vedlegg")
    settings.MEDIA_ROOT = media

    call_command("backup", dir=tmp_path / "backups", keep=3)
    [path] = backup.backups(tmp_path / "backups")
    assert sorted(p.name for p in path.iterdir()) == [
        "database.pgdump",
        "manifest.json",
        "media.tar.gz",
    ]

    restored_media = tmp_path / "restored-media"
    target = backup.Target(database=throwaway_database, media_root=restored_media)
    backup.restore_backup(path, target=target)
    with _connect(throwaway_database) as conn:
        rows = conn.execute("SELECT first_name FROM qms_user WHERE username = 'arkivar'").fetchall()
        migrations = conn.execute("SELECT count(*) FROM django_migrations").fetchone()[0]
    assert rows == [("Åse",)]
    assert migrations > 0
    assert (restored_media / "deviations" / "2026" / "bilde.txt").read_bytes() == b"vedlegg"


def _sqlite_target(tmp_path, name: str) -> backup.Target:
    return backup.Target(
        database={"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / name)},
        media_root=tmp_path / f"{name}-media",
    )


def test_the_embedded_sqlite_database_is_backed_up_and_restored(tmp_path):
    source = _sqlite_target(tmp_path, "live.sqlite3")
    with sqlite3.connect(source.database["NAME"]) as db:
        db.execute("CREATE TABLE t (v TEXT)")
        db.execute("INSERT INTO t VALUES ('avvik')")
    path = backup.create_backup(tmp_path / "backups", keep=2, target=source)
    target = _sqlite_target(tmp_path, "restored.sqlite3")
    backup.restore_backup(path, target=target)
    with sqlite3.connect(target.database["NAME"]) as db:
        assert db.execute("SELECT v FROM t").fetchall() == [("avvik",)]


def test_only_the_newest_backups_are_kept(tmp_path):
    source = _sqlite_target(tmp_path, "live.sqlite3")
    sqlite3.connect(source.database["NAME"]).close()
    made = [backup.create_backup(tmp_path / "backups", keep=2, target=source) for _ in range(4)]
    assert backup.backups(tmp_path / "backups") == made[-2:]


def test_a_later_backup_deletes_what_a_killed_one_left_but_not_one_still_running(tmp_path):
    """A backup killed mid-way (SIGKILL, the container stopped) leaves its temporary directory,
    which nothing else deletes; one still being written must survive."""
    from datetime import UTC, datetime, timedelta

    source = _sqlite_target(tmp_path, "live.sqlite3")
    sqlite3.connect(source.database["NAME"]).close()
    backups_dir = tmp_path / "backups"
    now = datetime.now(UTC)
    killed = backups_dir / f".partial-qms-{now - timedelta(days=2):%Y%m%d-%H%M%S-%f}"
    running = backups_dir / f".partial-qms-{now - timedelta(hours=1):%Y%m%d-%H%M%S-%f}"
    foreign = backups_dir / ".partial-notes"
    for path in (killed, running, foreign):
        path.mkdir(parents=True)
        (path / "database.pgdump").write_bytes(b"halvferdig")
    made = backup.create_backup(backups_dir, keep=2, target=source)
    assert sorted(p.name for p in backups_dir.iterdir()) == sorted(
        [made.name, running.name, foreign.name]
    )


def test_a_backup_cut_off_half_way_leaves_no_backup_behind(tmp_path, monkeypatch):
    source = _sqlite_target(tmp_path, "live.sqlite3")
    sqlite3.connect(source.database["NAME"]).close()

    def disk_full(target, directory):
        raise OSError("No space left on device")

    monkeypatch.setattr(backup, "_archive_media", disk_full)
    with pytest.raises(OSError):
        backup.create_backup(tmp_path / "backups", keep=2, target=source)
    assert list((tmp_path / "backups").iterdir()) == []


def test_the_check_fails_without_a_recent_backup(tmp_path):
    with pytest.raises(CommandError, match="No backup younger than 26"):
        call_command("backup", "--check", dir=tmp_path)


def test_restore_refuses_a_directory_that_is_not_a_backup(tmp_path):
    with pytest.raises(CommandError, match="not a complete backup"):
        call_command("restore", str(tmp_path), "--noinput")

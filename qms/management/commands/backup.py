"""Write a backup of the database and the uploads into BACKUP_DIR and keep the newest N.

Run nightly: the compose service "backup" does, or cron on the host
(``docker compose run --rm backup python manage.py backup``). ``--check`` only says whether a
recent backup exists (the backup service's health check).
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from qms import backup


class Command(BaseCommand):
    help = "Back up the database (pg_dump / SQLite backup) and MEDIA_ROOT, with retention."

    def add_arguments(self, parser):
        parser.add_argument("--dir", type=Path, help="default: BACKUP_DIR")
        parser.add_argument("--keep", type=int, help="backups to keep (default: BACKUP_KEEP)")
        parser.add_argument("--check", action="store_true", help="only check the newest backup")
        parser.add_argument("--max-age-hours", type=float, default=26)

    def handle(self, *args, dir=None, keep=None, check=False, max_age_hours=26, **options):
        backup_dir = dir or settings.BACKUP_DIR
        if check:
            age = backup.newest_age_hours(backup_dir)
            if age is None or age > max_age_hours:
                raise CommandError(f"No backup younger than {max_age_hours} h in {backup_dir}.")
            self.stdout.write(f"newest backup: {age:.1f} h old")
            return
        try:
            path = backup.create_backup(backup_dir, keep or settings.BACKUP_KEEP)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(str(path))

"""Restore a backup written by ``manage.py backup`` into the configured database and MEDIA_ROOT.

Stop the web app, the workers and beat first; the database's tables are replaced.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from qms import backup


class Command(BaseCommand):
    help = "Restore a backup directory (database and uploads) made by `manage.py backup`."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="a qms-... directory in BACKUP_DIR")
        parser.add_argument("--no-media", action="store_true", help="restore the database only")
        parser.add_argument("--noinput", "--no-input", action="store_false", dest="interactive")

    def handle(self, *args, path, no_media=False, interactive=True, **options):
        if not (path / backup.MANIFEST).is_file():
            raise CommandError(f"{path} is not a complete backup (no {backup.MANIFEST}).")
        if interactive:
            answer = input("This replaces every table of the database. Type 'yes' to go on: ")
            if answer != "yes":
                raise CommandError("Restore cancelled.")
        try:
            backup.restore_backup(path, media=not no_media)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"restored {path}")

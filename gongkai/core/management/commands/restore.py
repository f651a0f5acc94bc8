import getpass
from pathlib import Path

from gongkai.core.backup import backup_restore
from gongkai.core.management.base import GongkaiCommand


class Command(GongkaiCommand):
    help = (
        "Restore a backup folder written by 'gongkai backup': checks the manifest and every "
        "hash first, refuses a damaged or partial backup (exit 2), and replaces the database "
        "and media files all at once. Put the original keys back first."
    )

    def add_arguments(self, parser):
        parser.add_argument("dir", metavar="DIR", help="the backup folder (DIR/<time>/)")
        parser.add_argument(
            "--yes", action="store_true", help="overwrite the data this site holds now"
        )
        parser.add_argument(
            "--ignore-keys",
            action="store_true",
            help="restore although this machine's keys differ from the backup's",
        )

    def handle(self, *args, dir, yes=False, ignore_keys=False, **options):
        result = backup_restore(
            actor=f"cli:{getpass.getuser()}", path=Path(dir), yes=yes, ignore_keys=ignore_keys
        )
        for warning in result.warnings:
            self.stderr.write(f"warning: {warning}")
        if result.set_aside:
            self.stdout.write(
                f"{len(result.set_aside)} audit checkpoints newer than the backup were set aside"
            )
        self.stdout.write(
            f"restored {result.path}: {result.tables} tables, {result.files} media files "
            f"({result.seconds:.1f} s). Run 'gongkai verify-audit' to check the trail."
        )

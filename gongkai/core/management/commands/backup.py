import getpass
from pathlib import Path

from django.conf import settings

from gongkai.core.backup import backup_create, backup_prune
from gongkai.core.management.base import GongkaiCommand


class Command(GongkaiCommand):
    help = (
        "Back up the database, media files, the keys' fingerprints (never the keys) and the "
        "latest audit checkpoint into a new folder DIR/<time>/ with a manifest of hashes. "
        "Copy the key files or variables separately: a backup does not hold them."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "dir", nargs="?", metavar="DIR", help="where to write (default GONGKAI_BACKUP_DIR)"
        )
        parser.add_argument(
            "--prune",
            action="store_true",
            help="then delete all but the newest N backups in DIR (N: --keep or "
            "GONGKAI_BACKUP_KEEP)",
        )
        parser.add_argument("--keep", type=int, metavar="N", help="backups kept by --prune")

    def handle(self, *args, dir=None, prune=False, keep=None, **options):
        directory = Path(dir) if dir else Path(settings.GONGKAI_BACKUP_DIR)
        actor = f"cli:{getpass.getuser()}"
        result = backup_create(actor=actor, directory=directory)
        self.stdout.write(
            f"backup written: {result.path} ({result.files} files, "
            f"{result.size / 1024 / 1024:.1f} MB, {result.seconds:.1f} s)"
        )
        if prune:
            removed = backup_prune(actor=actor, directory=directory, keep=keep)
            kept = settings.GONGKAI_BACKUP_KEEP if keep is None else keep
            self.stdout.write(f"pruned {len(removed)} old backups (keeping {kept})")

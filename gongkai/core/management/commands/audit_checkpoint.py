from pathlib import Path

from gongkai.core.audit import checkpoint_write
from gongkai.core.management.base import GongkaiCommand


class Command(GongkaiCommand):
    help = (
        "Write the signed head of the audit chain to a checkpoint file; ship the folder off "
        "the machine (run it daily). verify-audit compares the chain with every checkpoint."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dir", metavar="DIR", help="where to write (default GONGKAI_AUDIT_CHECKPOINT_DIR)"
        )

    def handle(self, *args, dir=None, **options):
        path = checkpoint_write(Path(dir) if dir else None)
        self.stdout.write(f"checkpoint written: {path}")

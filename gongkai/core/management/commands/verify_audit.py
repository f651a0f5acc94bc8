from pathlib import Path

from django.core.management.base import CommandError

from gongkai.core.audit import verify_chain
from gongkai.core.management.base import GongkaiCommand


class Command(GongkaiCommand):
    help = (
        "Walk the audit chain (hashes, signatures, head, checkpoints); exit 1 listing every "
        "break if any row was altered, deleted or rewound."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--checkpoints",
            metavar="DIR",
            help="folder of checkpoints to check against (default GONGKAI_AUDIT_CHECKPOINT_DIR)",
        )

    def handle(self, *args, checkpoints=None, **options):
        report = verify_chain(checkpoint_dir=Path(checkpoints) if checkpoints else None)
        notes = []
        if report.unsigned:
            notes.append(f"{report.unsigned} early events recorded before signing began")
        notes.append(f"{report.checkpoints} checkpoints compared")
        if report.ok:
            self.stdout.write(
                f"OK: {report.checked} audit events verified, chain intact ({'; '.join(notes)})."
            )
            return
        for item in report.breaks:
            self.stderr.write(f"  break at {item}")
        raise CommandError(
            f"audit chain broken: {len(report.breaks)} breaks, first at event "
            f"#{report.broken_seq}: {report.reason}; {report.checked} events walked",
            returncode=1,
        )

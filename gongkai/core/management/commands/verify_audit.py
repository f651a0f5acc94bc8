from django.core.management.base import CommandError

from gongkai.core.audit import verify_chain
from gongkai.core.management.base import GongkaiCommand


class Command(GongkaiCommand):
    help = "Walk the audit hash chain; exit 1 naming the first broken event if any row was altered."

    def handle(self, *args, **options):
        report = verify_chain()
        if report.ok:
            self.stdout.write(f"OK: {report.checked} audit events verified, chain intact.")
            return
        where = f"event #{report.broken_seq}" + (
            f" (id {report.broken_id})" if report.broken_id else ""
        )
        raise CommandError(
            f"audit chain broken at {where}: {report.reason}; {report.checked} events before it verified",
            returncode=1,
        )

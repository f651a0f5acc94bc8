import sys
import time
from pathlib import Path

from django.utils.translation import gettext as _

from gongkai.core.exceptions import ApplicationError
from gongkai.core.management.base import GongkaiCommand
from gongkai.documents import importer
from gongkai.orgs.models import Org
from gongkai.orgs.permissions import CommandLine


class Progress:
    """One line on stderr, redrawn at most five times a second: count, bar, rate."""

    def __init__(self, stream, enabled: bool):
        self.stream, self.enabled = stream, enabled
        self.started = self.drawn = time.monotonic()

    def __call__(self, done: int, total: int, result) -> None:
        now = time.monotonic()
        if not self.enabled or (now - self.drawn < 0.2 and done < total):
            return
        self.drawn = now
        width = 30
        filled = width * done // max(total, 1)
        rate = done / max(now - self.started, 1e-6)
        self.stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {rate:.1f}/s")
        if done == total:
            self.stream.write("\n")
        self.stream.flush()


class Command(GongkaiCommand):
    help = (
        "Import existing documents (PDF, DOCX, TXT, HTML, OFD) from a folder: title, document "
        "number, issuer, date signed, main recipients and attachments note are read from the "
        "GB/T 9704 layout; each file becomes a draft (or, with --publish, goes through review "
        "and publication). Re-running skips files already imported (SHA-256). Writes a CSV "
        "report of every file; exit code 1 when some file failed."
    )

    def add_arguments(self, parser):
        parser.add_argument("dir", help="folder to import (searched recursively)")
        parser.add_argument("--org", required=True, help="code of the issuing organisation")
        parser.add_argument("--dry-run", action="store_true", help="read and report, write nothing")
        parser.add_argument("--publish", action="store_true", help="review and publish each one")
        parser.add_argument("--report", help="CSV report path (default ./import-report-….csv)")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args, dir, org, dry_run, publish, report, no_progress, **options):
        root = Path(dir)
        if not root.is_dir():
            raise ApplicationError(_("找不到文件夹：%(d)s") % {"d": dir}, code="no_such_dir")
        found = Org.objects.filter(code=org).first()
        if found is None:
            raise ApplicationError(
                _("没有机构代码为 %(c)s 的机构。") % {"c": org}, code="unknown_org"
            )
        if dry_run and publish:
            raise ApplicationError(_("--dry-run 与 --publish 不能同时使用。"), code="bad_options")
        progress = Progress(sys.stderr, enabled=not no_progress and not dry_run)
        results = []
        for result in importer.run(
            actor=CommandLine("import-documents"),
            org=found,
            root=root,
            dry_run=dry_run,
            publish=publish,
            progress=progress,
        ):
            results.append(result)
            if dry_run:
                h = result.header
                self.stdout.write(
                    "\t".join(
                        [
                            result.path.name,
                            result.status,
                            result.title or "-",
                            (h.document_number if h else None) or "-",
                            (h.issuer if h else None) or "-",
                            h.date_signed.isoformat() if h and h.date_signed else "-",
                            result.reason,
                        ]
                    ).rstrip("\t")
                )
        out = Path(report or importer.default_report_name())
        importer.write_report(results, root, out)
        counts: dict[str, int] = {}
        for result in results:
            counts[result.status] = counts.get(result.status, 0) + 1
        summary = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
        self.stdout.write(f"{len(results)} files: {summary}; report: {out}")
        if counts.get(importer.FAILED):
            sys.exit(1)

import json
import re
from pathlib import Path

from django.core.management.base import CommandError

from gongkai.core.management.base import GongkaiCommand
from gongkai.orgs.models import Org
from gongkai.reports import exports
from gongkai.reports.compute import annual_report


class Command(GongkaiCommand):
    help = (
        "Compute an organisation's annual report (政府信息公开工作年度报告) for a year from the "
        "records: print it, or write it as JSON, DOCX or XLSX. A year not yet over is a draft."
    )

    def add_arguments(self, parser):
        parser.add_argument("org", metavar="ORG_CODE")
        parser.add_argument("year", metavar="YEAR")
        parser.add_argument("--json", action="store_true", help="print the report as JSON")
        parser.add_argument("--format", choices=["docx", "pdf", "xlsx", "json"])
        parser.add_argument("--out", metavar="FILE", help="with --format: where to write")

    def handle(self, *args, org, year, json: bool, format=None, out=None, **options):
        if not re.fullmatch(r"[0-9]{4}", year):
            raise CommandError("年份应为四位数字 / YEAR must be four digits", returncode=2)
        found = Org.objects.filter(code=org).first()
        if found is None:
            raise CommandError(f"找不到机构代码 {org} / no organisation {org}", returncode=2)
        if format and not out:
            raise CommandError("--format 需要 --out / --format needs --out", returncode=2)
        report = annual_report(org=found, year=int(year))
        data = report.as_dict()
        if format:
            content = {
                "docx": exports.to_docx,
                "pdf": exports.to_pdf,
                "xlsx": exports.to_xlsx,
                "json": lambda r: _json(data).encode("utf-8"),
            }[format](report)
            Path(out).write_bytes(content)
            self.stdout.write(f"written {out} ({len(content):,} bytes)")
        elif json:
            self.stdout.write(_json(data))
        else:
            self._print(report)
        if not report.ok:
            self.stderr.write("校验未通过 / checks failed: " + "；".join(
                c.message for c in report.checks if not c.ok
            ))  # fmt: skip

    def _print(self, report):
        from gongkai.reports.compute import COLUMNS, ROW_LABELS, ROW_ORDER

        self.stdout.write(f"{report.org.name} {report.year}" + ("" if report.final else "（草稿）"))
        self.stdout.write("三、" + " ".join(COLUMNS))
        for key in ROW_ORDER:
            values = " ".join(str(report.section3[key][c]) for c in COLUMNS)
            self.stdout.write(f"{key} {ROW_LABELS[key][:16]}: {values}")
        for check in report.checks:
            self.stdout.write(("✓ " if check.ok else "✗ ") + check.message)


def _json(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=str)

import json
from pathlib import Path

from django.utils.translation import gettext as _

from gongkai.core.exceptions import ApplicationError
from gongkai.core.management.base import GongkaiCommand
from gongkai.orgs.models import Org
from gongkai.orgs.permissions import CommandLine
from gongkai.supervision import services
from gongkai.supervision.extract import extract_plan

MAX_BYTES = 50 * 1024 * 1024


class Command(GongkaiCommand):
    help = (
        "Read a work plan (TXT, DOCX, PDF or HTML) and list its tasks: numbering, text, lead and "
        "responsible units, deadline and recurrence. With --json, print the structure of the "
        "samples' *.expected.json. With --org, also store it as a draft plan of that "
        "organisation for a supervisor to review and confirm in the workbench. A file that is "
        "not a work plan is refused with exit code 2."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the plan file")
        parser.add_argument("--year", required=True, type=int, help="the plan's year")
        parser.add_argument("--org", help="code of the supervising organisation: store the plan")
        parser.add_argument("--json", action="store_true", help="print JSON (as *.expected.json)")

    def handle(self, *args, file, year, org, json: bool, **options):
        path = Path(file)
        if not path.is_file():
            raise ApplicationError(_("找不到文件：%(f)s") % {"f": file}, code="no_such_file")
        if path.stat().st_size > MAX_BYTES:
            raise ApplicationError(_("文件过大：%(f)s") % {"f": file}, code="file_too_large")
        data = path.read_bytes()
        text = services.read_plan_text(data, path.name)
        extracted = extract_plan(text, year=year, source=path.name)
        plan = None
        if org:
            found = Org.objects.filter(code=org).first()
            if found is None:
                raise ApplicationError(
                    _("没有机构代码为 %(c)s 的机构。") % {"c": org}, code="unknown_org"
                )
            plan = services.plan_import(
                actor=CommandLine("import-workplan"),
                org=found,
                year=year,
                file_name=path.name,
                data=data,
            )
        if json:
            self.stdout.write(_dumps(extracted.as_json()))
            return
        for task in extracted.tasks:
            units = "、".join(task.lead_units or [])
            if task.responsible_units:
                units += (" / " if units else "") + "、".join(task.responsible_units)
            deadline = task.deadline.isoformat() if task.deadline else (task.deadline_text or "")
            self.stdout.write(f"{task.number}\t{task.text[:40]}\t{units}\t{deadline}")
        self.stdout.write(
            f"{len(extracted.tasks)} tasks; issuer: {extracted.issuer or '-'}; year {year}"
        )
        if plan is not None:
            self.stdout.write(
                f"stored as draft plan {plan.pk}: review and confirm it at "
                f"/workbench/plans/{plan.pk}/review/"
            )


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)

from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.core import workdays
from gongkai.core.exceptions import ApplicationError
from gongkai.core.management.base import GongkaiCommand
from gongkai.normative import compilation
from gongkai.orgs.models import Org


class Command(GongkaiCommand):
    help = (
        "Compile an organisation's normative documents in force on a day into one DOCX or PDF "
        "(cover, contents, each document's header and text)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--org", required=True, help="organisation code")
        parser.add_argument("--valid-on", help="YYYY-MM-DD; default today")
        parser.add_argument("--format", choices=compilation.FORMATS, default="docx")
        parser.add_argument("--out", required=True, help="file to write")
        parser.add_argument(
            "--no-sub-units", action="store_true", help="leave out the organisation's sub-units"
        )
        parser.add_argument(
            "--category", action="append", default=[], help="subject category code (repeatable)"
        )

    def handle(self, *args, org, valid_on, format, out, no_sub_units, category, **options):
        day = workdays.parse_date(valid_on) if valid_on else timezone.localdate()
        found = Org.objects.filter(code=org).first()
        if found is None:
            raise ApplicationError(
                _("没有机构代码为 %(c)s 的机构。") % {"c": org}, code="unknown_org"
            )
        book = compilation.build(
            org=found, valid_on=day, include_sub_units=not no_sub_units, categories=category
        )
        data = compilation.render(book, format)
        path = Path(out)
        try:
            path.write_bytes(data)
        except OSError as exc:
            raise ApplicationError(
                _("无法写入文件 %(p)s：%(e)s") % {"p": out, "e": exc.strerror}, code="write_failed"
            ) from exc
        self.stdout.write(f"{len(book.entries)} documents, {len(data):,} bytes → {path}")

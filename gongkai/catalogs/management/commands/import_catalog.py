from pathlib import Path

from django.utils.translation import gettext as _

from gongkai.catalogs import importer, services
from gongkai.catalogs.models import Area
from gongkai.core.exceptions import ApplicationError
from gongkai.core.management.base import GongkaiCommand
from gongkai.orgs.models import Org
from gongkai.orgs.permissions import CommandLine


class Command(GongkaiCommand):
    help = (
        "Import a standard disclosure catalog from XLSX (the layouts departments publish: one "
        "sheet per area or one long sheet, two-row headers, merged cells, repeated headers) as "
        "draft catalogs of an organisation, one per area found. Without --area, each item's area "
        "is read from an area column, a title row or the sheet name. Bad input exits with code 2."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the XLSX file")
        parser.add_argument("--org", required=True, help="code of the organisation")
        parser.add_argument("--area", help="name or code of the area (else read from the file)")

    def handle(self, *args, file, org, area, **options):
        path = Path(file)
        if not path.is_file():
            raise ApplicationError(_("找不到文件：%(f)s") % {"f": file}, code="no_such_file")
        if path.stat().st_size > importer.MAX_BYTES:
            raise ApplicationError(_("文件过大：%(f)s") % {"f": file}, code="file_too_large")
        found = Org.objects.filter(code=org).first()
        if found is None:
            raise ApplicationError(
                _("没有机构代码为 %(c)s 的机构。") % {"c": org}, code="unknown_org"
            )
        chosen = None
        if area:
            chosen = (
                Area.objects.filter(name=area).first() or Area.objects.filter(code=area).first()
            )
            if chosen is None:
                raise ApplicationError(
                    _("没有名为“%(a)s”的领域。") % {"a": area}, code="unknown_area"
                )
        result = services.catalog_import(
            actor=CommandLine("import-catalog"),
            org=found,
            file_name=path.name,
            data=path.read_bytes(),
            area=chosen,
        )
        for catalog in result.catalogs:
            self.stdout.write(
                f"{catalog.area.name}\tv{catalog.version}\t{catalog.items.count()} items\t"
                f"/workbench/catalogs/{catalog.pk}/"
            )
        self.stdout.write(f"{result.items} items imported as drafts of {found.name}")

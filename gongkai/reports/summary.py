"""The regional summary (汇总): sections 二–四 summed over every reporting organisation of a
region, and per level (departments, district governments, townships), with the organisations
whose report is missing named."""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from gongkai.core.office import xlsx_cells
from gongkai.foi.models import Request
from gongkai.orgs.models import Org

from .compute import COLUMNS, ROW_LABELS, ROW_ORDER, section2_of, section3_of, section4_of
from .selectors import LEVELS, region_overview


@dataclass
class Summary:
    org: Org
    year: int
    section3: dict[str, dict[str, int]]
    by_level: dict[str, dict[str, dict[str, int]]]
    section2: dict[str, dict[str, float]]
    section4: dict[str, dict[str, int]]
    missing: list[Org] = field(default_factory=list)
    organisations: int = 0


def _add(into: dict, table: dict) -> None:
    for label, values in table.items():
        row = into.setdefault(label, {})
        for key, value in values.items():
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                row[key] = row.get(key, 0) + value


def regional_summary(*, org: Org, year: int, today) -> Summary:
    """Counted over the region's organisations at once (a few grouped queries per level, not a
    report per organisation): the same numbers as the sum of their reports, since every
    request, review and register entry belongs to exactly one organisation."""
    rows = region_overview(org=org, year=year, today=today)
    total = {key: dict.fromkeys(COLUMNS, 0) for key in ROW_ORDER}
    levels: dict[str, list[int]] = {}
    for row in rows:
        levels.setdefault(LEVELS.get(row["org"].kind, ""), []).append(row["org"].pk)
    by_level: dict[str, dict] = {}
    for level, ids in levels.items():
        by_level[level] = section3_of(Request.objects.filter(org_id__in=ids), year)
        for key in ROW_ORDER:
            for column in COLUMNS:
                total[key][column] += by_level[level][key][column]
    ids = [row["org"].pk for row in rows]
    section2: dict = {}
    section4: dict = {}
    _add(section2, section2_of(ids, year))
    _add(section4, section4_of(ids, year))
    missing = [row["org"] for row in rows if row["report"] is None]
    return Summary(org, year, total, by_level, section2, section4, missing, len(rows))


def to_xlsx(summary: Summary) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    for name, table in [("全区域", summary.section3), *summary.by_level.items()]:
        sheet = book.create_sheet(name[:31] or "其他")
        sheet.append(xlsx_cells(sheet, ["编号", "项目", *COLUMNS]))
        for key in ROW_ORDER:
            sheet.append(
                xlsx_cells(sheet, [key, ROW_LABELS[key], *[table[key][c] for c in COLUMNS]])
            )
    sheet = book.create_sheet("二、四")
    for label, values in [*summary.section2.items(), *summary.section4.items()]:
        sheet.append(xlsx_cells(sheet, [label, *[f"{k}：{v}" for k, v in values.items()]]))
    sheet = book.create_sheet("未报送")
    for item in summary.missing:
        sheet.append(xlsx_cells(sheet, [item.code, item.name]))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()

"""A catalog as XLSX in the layout departments publish (and the importer reads back).

A title row, a two-row header (公开事项 over 一级事项/二级事项, 公开对象 over 全社会/特定群体,
公开方式 over 主动/依申请, 公开层级 over 县级/乡级/村级), consecutive items of one 一级事项 merged
into one cell (with their 序号), and "√" marks. Removed items of an adaptation are left out,
as the public catalog leaves them out; `with_changes` adds the adaptation's 调整/理由 columns for
the review copy.
"""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from .importer import LEVELS
from .models import Catalog, Item

MARK = "√"
SINGLE = [  # (header, width, field)
    ("序号", 6, "number"),
    ("公开事项", 0, None),
    ("公开内容（要素）", 36, "elements"),
    ("公开依据", 32, "basis"),
    ("公开时限", 20, "time_limit"),
    ("公开主体", 16, "subject"),
    ("公开渠道和载体", 24, "channels"),
]


def _sheet_title(catalog: Catalog) -> str:
    title = catalog.area.name
    for ch in "[]:*?/\\":
        title = title.replace(ch, "")
    return title[:31] or "Sheet1"


def catalog_xlsx(catalog: Catalog, items: list[Item], *, with_changes: bool = False) -> bytes:
    book = Workbook()
    ws = book.active
    ws.title = _sheet_title(catalog)
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="center")
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    bold = Font(bold=True)

    # Columns: 序号, 一级, 二级, 内容, 依据, 时限, 主体, 渠道, 全社会, 特定群体, 主动, 依申请, 县级…
    headers1 = ["序号", "公开事项", "", "公开内容（要素）", "公开依据", "公开时限", "公开主体",
                "公开渠道和载体", "公开对象", "", "公开方式", "", "公开层级", "", ""]  # fmt: skip
    headers2 = ["", "一级事项", "二级事项", "", "", "", "", "", "全社会", "特定群体", "主动",
                "依申请", *LEVELS]  # fmt: skip
    if with_changes:
        headers1 += ["调整", "调整理由"]
        headers2 += ["", ""]
    width = len(headers1)
    title = _("%(org)s%(area)s领域基层政务公开标准目录") % {
        "org": catalog.org.name,
        "area": catalog.area.name,
    }
    ws.append([title])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.cell(1, 1).font = Font(bold=True, size=14)
    ws.cell(1, 1).alignment = center
    ws.append(headers1)
    ws.append(headers2)
    # Merge the two header rows where a column has no second level, and the parents across.
    for c in range(1, width + 1):
        if not headers2[c - 1]:
            ws.merge_cells(start_row=2, start_column=c, end_row=3, end_column=c)
    for start, end in ((2, 3), (9, 10), (11, 12), (13, 15)):
        ws.merge_cells(start_row=2, start_column=start, end_row=2, end_column=end)
    for row in ws.iter_rows(min_row=2, max_row=3, max_col=width):
        for cell in row:
            cell.font, cell.alignment, cell.border = bold, center, border

    first = 4
    r = first
    for item in items:
        audience, mode = item.audience or "", item.mode or ""
        row = [
            item.number,
            item.level1,
            item.level2,
            item.elements,
            item.basis,
            item.time_limit,
            item.subject,
            item.channels,
            MARK if "全社会" in audience else "",
            MARK if "特定" in audience else "",
            MARK if "主动" in mode else "",
            MARK if "依申请" in mode else "",
            *[MARK if level in (item.levels or []) else "" for level in LEVELS],
        ]
        if with_changes:
            row += [item.get_change_display() if item.change else "", item.change_reason]
        ws.append(row)
        for c in range(1, width + 1):
            cell = ws.cell(r, c)
            cell.border = border
            cell.alignment = center if c == 1 or 9 <= c <= 15 else wrap
        r += 1

    # One merged cell per run of items with the same 一级事项 (and their 序号 with it).
    run_start, end = first, first + len(items)
    for here in range(first + 1, end + 1):
        same = (
            here < end
            and ws.cell(here, 2).value == ws.cell(run_start, 2).value
            and ws.cell(here, 1).value == ws.cell(run_start, 1).value
        )
        if not same:
            if here - 1 > run_start:
                for c in (1, 2):
                    ws.merge_cells(
                        start_row=run_start, start_column=c, end_row=here - 1, end_column=c
                    )
            run_start = here
    widths = [6, 16, 18, 36, 32, 20, 16, 24, 7, 8, 6, 7, 6, 6, 6, 8, 30]
    for c in range(1, width + 1):
        ws.column_dimensions[get_column_letter(c)].width = widths[c - 1]
    ws.freeze_panes = ws.cell(first, 1)
    ws.print_title_rows = "2:3"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def export_name(catalog: Catalog) -> str:
    return f"catalog-{catalog.org.code}-{catalog.area.code}-v{catalog.version}.xlsx"

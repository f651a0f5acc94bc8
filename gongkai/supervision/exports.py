"""The work-plan ledger (XLSX) and the quarterly bulletin (DOCX and XLSX)."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook

from gongkai.core import office
from gongkai.core.office import xlsx_cells

from .selectors import LEDGER_COLUMNS, Bulletin, LedgerRow, deadline_label


def _save(wb: Workbook) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def ledger_xlsx(*, title: str, rows: list[LedgerRow]) -> bytes:
    """序号, 重点任务, 具体举措, 牵头单位, 责任单位, 完成时限, 进展情况, 状态: the sheet offices keep."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("工作台账"))
    ws.freeze_panes = "A3"
    for i, width in enumerate([6, 28, 60, 28, 36, 22, 40, 10]):
        ws.column_dimensions[chr(ord("A") + i)].width = width
    ws.append(xlsx_cells(ws, [title]))
    ws.append(LEDGER_COLUMNS)
    for row in rows:
        cells = row.cells()
        cells[0] = row.index
        ws.append(xlsx_cells(ws, cells))
    return _save(wb)


def _units(task) -> str:
    return "、".join(a.org.name for a in task.assignments.all())


def bulletin_xlsx(data: Bulletin) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("各单位落实情况"))
    ws.append(xlsx_cells(ws, [data.title]))
    ws.append(xlsx_cells(ws, [data.summary]))
    ws.append(
        xlsx_cells(
            ws,
            [_("单位"), _("已完成"), _("推进中"), _("未开始"), _("逾期"), _("逾期任务")],
        )
    )
    for row in data.rows:
        ws.append(
            xlsx_cells(
                ws,
                [
                    row.org.name,
                    len(row.done),
                    len(row.in_progress),
                    len(row.not_started),
                    len(row.overdue),
                    "；".join(f"{t.number} {t.text[:40]}" for t in row.overdue),
                ],
            )
        )
    overdue = wb.create_sheet(_("逾期任务"))
    overdue.append(xlsx_cells(overdue, [_("序号"), _("任务"), _("完成时限"), _("单位")]))
    for task in data.overdue_tasks:
        overdue.append(
            xlsx_cells(overdue, [task.number, task.text, deadline_label(task), _units(task)])
        )
    return _save(wb)


def bulletin_docx(data: Bulletin) -> bytes:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    document = office.new_docx()

    def paragraph(text: str, *, size=16, bold=False, center=False, font=None):
        p = document.add_paragraph()
        if center:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        else:
            p.paragraph_format.first_line_indent = Pt(size * 2)
        run = p.add_run(text)
        run.font.size = Pt(size)
        run.bold = bold or None
        if font:
            office.set_fonts(run._r, font)
        return p

    def table(header: list[str], rows: list[list[str]]):
        grid = document.add_table(rows=1, cols=len(header))
        grid.style = "Table Grid"
        for cell, text in zip(grid.rows[0].cells, header, strict=True):
            cell.text = text
        for values in rows:
            cells = grid.add_row().cells
            for cell, text in zip(cells, values, strict=True):
                cell.text = str(text)
        for row in grid.rows:
            for cell in row.cells:
                for p in cell.paragraphs:
                    for run in p.runs:
                        run.font.size = Pt(12)

    paragraph(data.title, size=22, center=True, font=office.TITLE_FONT)
    paragraph(data.plan.org.name, size=16, center=True)
    paragraph(data.summary)
    overdue = data.overdue_tasks
    paragraph(_("一、逾期未完成的任务"), bold=True)
    if overdue:
        table(
            [_("序号"), _("任务"), _("完成时限"), _("单位")],
            [[t.number, t.text, deadline_label(t), _units(t)] for t in overdue],
        )
    else:
        paragraph(_("无。"))
    paragraph(_("二、各单位落实情况"), bold=True)
    table(
        [_("单位"), _("已完成"), _("推进中"), _("未开始"), _("逾期")],
        [
            [r.org.name, len(r.done), len(r.in_progress), len(r.not_started), len(r.overdue)]
            for r in data.rows
        ],
    )
    paragraph(_("请逾期单位抓紧落实，并于下一季度通报前报送整改情况。"))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()

"""The ledgers (工作台账, 解读台账) as XLSX workbooks, in the columns offices keep by hand."""

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from gongkai.core.office import xlsx_cells as _row

from .selectors import (
    INTERPRETATION_LABELS,
    TIMELINESS_LABELS,
    interpretation_ledger,
    ledger,
    ledger_summary,
    timeliness,
)


def ledger_xlsx(*, user, org, year: int | None = None) -> bytes:
    # Write-only mode streams rows: memory stays flat for an office with 100,000 documents.
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("工作台账"))
    ws.freeze_panes = "A3"
    widths = [6, 48, 20, 24, 12, 12, 12, 12, 18, 24, 10, 14]
    for i, width in enumerate(widths):
        ws.column_dimensions[chr(ord("A") + i)].width = width
    title = _("%(org)s 主动公开工作台账") % {"org": org.name}
    if year:
        title += _("（%(y)s 年应发布）") % {"y": year}
    ws.append(_row(ws, [title]))
    header = [
        _("序号"), _("标题"), _("发文字号"), _("发文机关"), _("公开属性"), _("成文日期"),
        _("变更日期"), _("应发布日期"), _("发布时间"), _("索引号"), _("状态"), _("时效"),
    ]  # fmt: skip
    ws.append(header)
    today = timezone.localdate()
    for n, doc in enumerate(ledger(user=user, org=org, year=year).iterator(chunk_size=2000), 1):
        ws.append(
            _row(
                ws,
                [
                    n,
                    doc.title,
                    doc.document_number,
                    doc.org.name,
                    str(doc.get_attribute_display()),
                    doc.date_signed,
                    doc.date_changed,
                    doc.publication_due,
                    timezone.localtime(doc.published_at).replace(tzinfo=None)
                    if doc.published_at
                    else None,
                    doc.index_number or "",
                    str(doc.get_status_display()),
                    str(TIMELINESS_LABELS[timeliness(doc, today)]),
                ],
            )
        )
    summary = wb.create_sheet(_("汇总"))
    summary.append([_("时效"), _("件数")])
    for key, count in ledger_summary(user=user, org=org, year=year).items():
        summary.append([str(TIMELINESS_LABELS[key]), count])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def interpretation_ledger_xlsx(
    *, user, org, year: int | None = None, problems_only: bool = False
) -> bytes:
    """解读台账 as XLSX: one row per policy, its interpretations listed one per line."""
    rows = interpretation_ledger(user=user, org=org, year=year, problems_only=problems_only)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("解读台账"))
    ws.freeze_panes = "A3"
    for i, width in enumerate([6, 48, 24, 12, 12, 48, 14, 14, 14]):
        ws.column_dimensions[chr(ord("A") + i)].width = width
    title = _("%(org)s 政策解读台账") % {"org": org.name}
    if year:
        title += _("（%(y)s 年发布）") % {"y": year}
    if problems_only:
        title += _("（仅未解读和解读滞后）")
    ws.append(_row(ws, [title]))
    header = [
        _("序号"), _("政策文件"), _("文号"), _("发布日期"), _("解读期限"), _("解读"),
        _("解读形式"), _("解读发布日期"), _("状态"),
    ]  # fmt: skip
    ws.append(header)

    def day(value):
        return timezone.localtime(value).date() if value else None

    for n, row in enumerate(rows, 1):
        docs = [doc for doc, _status in row.interpretations]
        forms = [str(doc.interpretation.get_form_display()) for doc in docs]
        dates = [day(doc.published_at) for doc in docs]
        ws.append(
            _row(
                ws,
                [
                    n,
                    row.policy.title,
                    row.policy.document_number,
                    day(row.policy.published_at),
                    row.due,
                    "\n".join(doc.title for doc in docs),
                    "\n".join(forms),
                    # One interpretation: a real date; several: one date per line, as text.
                    dates[0] if len(dates) == 1 else "\n".join(f"{d:%Y-%m-%d}" for d in dates),
                    str(INTERPRETATION_LABELS[row.status]),
                ],
            )
        )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()

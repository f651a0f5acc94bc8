"""The annual report's tables as XLSX (one sheet a section) and DOCX (Word tables, the national
layout), for the office to edit, print or send round."""

from __future__ import annotations

import io

from gongkai.core.office import new_docx, xlsx_cells

from .compute import COLUMNS, ROW_LABELS, ROW_ORDER, Report


def _indent(key: str) -> str:
    # Leaf rows sit under their group, as in the national form.
    return "　　" if key[-1].isdigit() else ("　" if key.startswith("三(") else "")


def to_xlsx(report: Report) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    title = f"{report.org.name}{report.year}年政府信息公开工作年度报告"
    sheet = book.create_sheet("二、主动公开")
    sheet.append(xlsx_cells(sheet, [title]))
    for label, values in report.section2.items():
        sheet.append(xlsx_cells(sheet, [label, *[f"{k}：{v}" for k, v in values.items()]]))
    sheet = book.create_sheet("三、申请办理")
    sheet.append(xlsx_cells(sheet, ["编号", "项目", *COLUMNS]))
    for key in ROW_ORDER:
        row = report.section3[key]
        label = _indent(key) + ROW_LABELS[key]
        sheet.append(xlsx_cells(sheet, [key, label, *[row[c] for c in COLUMNS]]))
    sheet = book.create_sheet("四、复议诉讼")
    results = list(next(iter(report.section4.values())))
    sheet.append(xlsx_cells(sheet, ["", *results]))
    for label, values in report.section4.items():
        sheet.append(xlsx_cells(sheet, [label, *[values[r] for r in results]]))
    sheet = book.create_sheet("校验")
    for check in report.checks:
        sheet.append(xlsx_cells(sheet, ["通过" if check.ok else "未通过", check.message]))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def to_docx(report: Report, texts=None) -> bytes:
    """`texts`: the office's sections 一, 五, 六 (an AnnualReport), placed where they belong."""
    document = new_docx(title_styles=(("Title", 22), ("Heading 1", 16)))
    document.add_paragraph(
        f"{report.org.name}{report.year}年政府信息公开工作年度报告", style="Title"
    )
    if texts is not None:
        document.add_paragraph("一、总体情况", style="Heading 1")
        for line in (texts.overview or "").splitlines():
            document.add_paragraph(line)
    document.add_paragraph("二、主动公开政府信息情况", style="Heading 1")
    for label, values in report.section2.items():
        table = document.add_table(rows=2, cols=len(values) + 1)
        table.style = "Table Grid"
        table.cell(0, 0).text, table.cell(1, 0).text = "信息内容", label
        for i, (column, value) in enumerate(values.items(), start=1):
            table.cell(0, i).text = column
            table.cell(1, i).text = "" if value is None else str(value)
    document.add_paragraph("三、收到和处理政府信息公开申请情况", style="Heading 1")
    table = document.add_table(rows=len(ROW_ORDER) + 1, cols=len(COLUMNS) + 1)
    table.style = "Table Grid"
    table.cell(0, 0).text = "项目"
    for i, column in enumerate(COLUMNS, start=1):
        table.cell(0, i).text = column
    for r, key in enumerate(ROW_ORDER, start=1):
        table.cell(r, 0).text = f"{_indent(key)}{key} {ROW_LABELS[key]}"
        for i, column in enumerate(COLUMNS, start=1):
            table.cell(r, i).text = str(report.section3[key][column])
    document.add_paragraph("四、政府信息公开行政复议、行政诉讼情况", style="Heading 1")
    results = list(next(iter(report.section4.values())))
    table = document.add_table(rows=len(report.section4) + 1, cols=len(results) + 1)
    table.style = "Table Grid"
    for i, result in enumerate(results, start=1):
        table.cell(0, i).text = result
    for r, (label, values) in enumerate(report.section4.items(), start=1):
        table.cell(r, 0).text = label
        for i, result in enumerate(results, start=1):
            table.cell(r, i).text = str(values[result])
    if texts is not None:
        for heading, text in (
            ("五、存在的主要问题及改进情况", texts.problems),
            ("六、其他需要报告的事项", texts.other),
        ):
            document.add_paragraph(heading, style="Heading 1")
            for line in (text or "无。").splitlines():
                document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def to_pdf(report: Report, texts=None) -> bytes:
    """The report as a PDF with the CJK fonts embedded (the national tables, A4)."""
    from pathlib import Path

    from django.template import Context, Engine

    from gongkai.core import office

    engine = Engine(dirs=[str(Path(__file__).parent / "templates")], autoescape=True)
    results = list(next(iter(report.section4.values())))
    context = {
        "title": f"{report.org.name}{report.year}年政府信息公开工作年度报告",
        "section2": report.section2,
        "columns": COLUMNS,
        "rows": [(k, ROW_LABELS[k], [report.section3[k][c] for c in COLUMNS]) for k in ROW_ORDER],
        "results": results,
        "section4_rows": [(k, [v[r] for r in results]) for k, v in report.section4.items()],
        "texts": None
        if texts is None
        else {
            "overview_lines": (texts.overview or "").splitlines(),
            "problems_lines": (texts.problems or "").splitlines(),
            "other_lines": (texts.other or "").splitlines(),
        },
        "font_regular": office.FONT_FILES[400],
        "font_bold": office.FONT_FILES[700],
    }
    markup = engine.get_template("reports/report_pdf.html").render(Context(context))
    root = office.font_dir().resolve()
    return (
        office.weasyprint_module()
        .HTML(string=markup, base_url=root.as_uri() + "/", url_fetcher=office.local_fetcher(root))
        .write_pdf()
    )

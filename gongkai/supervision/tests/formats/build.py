"""Build the four files of one department-level task table, as offices receive it (issue 19):

* plan-table.docx — a real Word table (python-docx), 工作任务 and 责任科室 cells merged down;
* plan-table.html — the same table as an HTML page with rowspan cells;
* plan-table.pdf — that page printed to PDF by WeasyPrint (ruled table, CJK font);
* plan-flat.txt — the table flattened to text as copied from a web page: the header once,
  one cell per line, merged cells missing.

Run from the repository root: .venv/bin/python gongkai/supervision/tests/formats/build.py
The outputs are committed; the tests read them and do not run this script.
"""

import html
from pathlib import Path

HERE = Path(__file__).resolve().parent
TITLE = "示范市教育局2026年政务公开工作任务分工"
INTRO = "为做好本局2026年政务公开工作，现将重点任务分解如下，各科室按分工抓好落实。"
HEADER = ["序号", "工作任务", "具体要求", "责任科室", "完成时限"]
# (number, task, requirement, unit, deadline); None: the cell above is merged down over it.
ROWS = [
    (
        "1",
        "推进决策公开",
        "完善重大行政决策事项目录，并在门户网站向社会公开。",
        "政策法规科",
        "2026年6月底前",
    ),
    ("2", None, "做好决策草案公开征求意见工作，及时反馈意见采纳情况。", None, "持续推进"),
    (
        "3",
        "加强政策解读",
        "对出台的教育政策文件同步开展解读，解读材料与文件同步发布。",
        "办公室牵头，基础教育科配合",
        "2026年12月底前",
    ),
    ("4", None, "及时回应社会关切，做好舆情收集研判和回应工作。", "政务公开股", "2026年9月底前"),
    ("5", "强化平台建设", "规范政府网站信息公开专栏，按时更新栏目内容。", "本局", "2026年12月底前"),
]
SIGNATURE = ["示范市教育局办公室", "2026年3月2日"]


def spans() -> list[list[int]]:
    """rowspan of each cell (0 where the cell is covered by the one above)."""
    out = []
    for r, row in enumerate(ROWS):
        counts = []
        for c, cell in enumerate(row):
            if cell is None:
                counts.append(0)
                continue
            n = 1
            while r + n < len(ROWS) and ROWS[r + n][c] is None:
                n += 1
            counts.append(n)
        out.append(counts)
    return out


def build_docx(path: Path) -> None:
    from docx import Document

    document = Document()
    document.add_paragraph(TITLE)
    document.add_paragraph(INTRO)
    table = document.add_table(rows=len(ROWS) + 1, cols=len(HEADER))
    table.style = "Table Grid"
    for c, name in enumerate(HEADER):
        table.cell(0, c).text = name
    for r, (row, counts) in enumerate(zip(ROWS, spans(), strict=True), start=1):
        for c, (cell, n) in enumerate(zip(row, counts, strict=True)):
            if cell is None:
                continue
            target = table.cell(r, c)
            if n > 1:
                target = target.merge(table.cell(r + n - 1, c))
            target.text = cell
    for line in SIGNATURE:
        document.add_paragraph(line)
    document.core_properties.title = TITLE
    document.save(path)


def page_html() -> str:
    head = "".join(f"<th>{html.escape(name)}</th>" for name in HEADER)
    body = []
    for row, counts in zip(ROWS, spans(), strict=True):
        cells = "".join(
            "<td" + (f' rowspan="{n}"' if n > 1 else "") + f">{html.escape(cell)}</td>"
            for cell, n in zip(row, counts, strict=True)
            if cell is not None
        )
        body.append(f"<tr>{cells}</tr>")
    return (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{html.escape(TITLE)}</title><style>"
        "body{font-family:'Noto Serif CJK SC','Noto Sans CJK SC',serif;font-size:11pt}"
        "table{border-collapse:collapse;width:100%}"
        "th,td{border:1px solid #000;padding:4px;vertical-align:top}"
        "</style></head><body>"
        f"<h1>{html.escape(TITLE)}</h1><p>{html.escape(INTRO)}</p>"
        f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
        + "".join(f"<p>{html.escape(line)}</p>" for line in SIGNATURE)
        + "</body></html>\n"
    )


def build_flat(path: Path) -> None:
    lines = [TITLE, INTRO, *HEADER]
    for row in ROWS:
        lines += [cell for cell in row if cell is not None]
    path.write_text("\n".join([*lines, *SIGNATURE]) + "\n", encoding="utf-8")


def main() -> None:
    from weasyprint import HTML

    build_docx(HERE / "plan-table.docx")
    markup = page_html()
    (HERE / "plan-table.html").write_text(markup, encoding="utf-8")
    HTML(string=markup).write_pdf(HERE / "plan-table.pdf")
    build_flat(HERE / "plan-flat.txt")


if __name__ == "__main__":
    main()

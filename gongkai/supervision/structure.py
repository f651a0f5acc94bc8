"""Word and HTML tables read as tables, for the work-plan extractor.

`gongkai.core.textextract` flattens a DOCX or an HTML page to lines: a table becomes one cell per
line and the rows are lost. A work plan's tasks are mostly in such tables, so for DOCX and HTML
this module reads the document again, in reading order, and renders every table row as one line
of cells joined by " | " — the row layout `extract.py` reads — with merged cells written once
(the continuation cells of a vertical or horizontal merge are left empty, so every row keeps its
columns). Paragraphs stay one per line.

Call it only on a file `textextract.identify` has accepted (size, archive and XML checks are
done there); anything this reader cannot open gives None and the caller keeps the flat text.
"""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser

from .extract import SENTENCE_END, looks_like_org

MAX_ROWS = 5000


def plan_text(data: bytes, kind: str) -> str | None:
    """The text of a DOCX or HTML plan with its tables as rows; None for other kinds or when
    the file cannot be read this way."""
    try:
        if kind == "docx":
            return docx_text(data)
        if kind == "html":
            return html_text(data.decode("utf-8", errors="replace"))
    except Exception:  # a damaged file: the flat text of textextract still stands
        return None
    return None


def join_cell_lines(lines: list[str]) -> str:
    """The paragraphs of one cell on one line: two names are kept apart by "、" (a unit cell
    listing one unit per paragraph), everything else is joined as it reads."""
    out = ""
    for line in (line.strip() for line in lines):
        if not line:
            continue
        if out and not out.endswith(SENTENCE_END) and looks_like_org(out.split("、")[-1]):
            out += "、" if looks_like_org(line) else ""
        out += line
    return out.replace("|", "｜")


def render_rows(rows: list[list[str]]) -> list[str]:
    return ["| " + " | ".join(cells) + " |" for cells in rows if any(cells)]


# --------------------------------------------------------------------------- DOCX


def docx_text(data: bytes) -> str:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = docx.Document(io.BytesIO(data))
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            lines.append(block.text)
        elif isinstance(block, Table):
            lines += render_rows(docx_rows(block))
    return "\n".join(lines)


def docx_rows(table) -> list[list[str]]:
    """Cells of a Word table; python-docx repeats a merged cell in every grid position it
    covers, so a cell seen already (same XML element) above or to the left is left empty."""
    rows: list[list[str]] = []
    above: list = []
    for row in table.rows[:MAX_ROWS]:
        cells = row.cells
        texts: list[str] = []
        for i, cell in enumerate(cells):
            element = cell._tc
            merged_left = i > 0 and cells[i - 1]._tc is element
            merged_above = i < len(above) and above[i] is element
            if merged_left or merged_above:
                texts.append("")
            else:
                texts.append(join_cell_lines([p.text for p in cell.paragraphs]))
        above = [cell._tc for cell in cells]
        rows.append(texts)
    return rows


# --------------------------------------------------------------------------- HTML

BLOCK_TAGS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section", "dd"}
SKIP_TAGS = {"script", "style", "head", "title", "noscript", "template"}


class TableHTMLParser(HTMLParser):
    """Paragraph lines and table rows of an HTML page, with rowspan/colspan cells placed in
    their grid positions (written once, the covered positions left empty)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.text: list[str] = []
        self.skip = 0
        self.tables: list[dict] = []  # open tables, innermost last

    # -- text outside cells
    def flush(self) -> None:
        line = "".join(self.text).strip()
        if line:
            self.lines.append(line)
        self.text = []

    def handle_starttag(self, tag, attrs):
        if tag in SKIP_TAGS:
            self.skip += 1
            return
        table = self.tables[-1] if self.tables else None
        if tag == "table":
            if table is None:
                self.flush()
            self.tables.append({"rows": [], "row": None, "cell": None, "spans": {}})
        elif table is None:
            if tag in BLOCK_TAGS:
                self.flush()
        elif tag == "tr":
            if table["cell"] is not None:  # an unclosed <td> before the next <tr>
                self.end_cell(table)
            if table["row"]:
                self.end_row(table)
            table["row"] = []
        elif tag in ("td", "th"):
            if table["cell"] is not None:  # an unclosed <td> before the next one
                self.end_cell(table)
            if table["row"] is None:
                table["row"] = []
            attrs = dict(attrs)
            table["cell"] = {
                "lines": [],
                "text": [],
                "rowspan": span(attrs.get("rowspan")),
                "colspan": span(attrs.get("colspan")),
            }
        elif table["cell"] is not None and tag in BLOCK_TAGS:
            cell_break(table["cell"])

    def handle_endtag(self, tag):
        if tag in SKIP_TAGS:
            self.skip = max(0, self.skip - 1)
            return
        if not self.tables:
            if tag in BLOCK_TAGS:
                self.flush()
            return
        table = self.tables[-1]
        if tag in ("td", "th") and table["cell"] is not None:
            self.end_cell(table)
        elif tag == "tr":
            if table["cell"] is not None:
                self.end_cell(table)
            self.end_row(table)
        elif tag == "table":
            if table["cell"] is not None:
                self.end_cell(table)
            if table["row"]:
                self.end_row(table)
            self.tables.pop()
            rows = render_rows(table["rows"])
            if self.tables and self.tables[-1]["cell"] is not None:
                # A table inside a cell: its rows are that cell's text.
                cell = self.tables[-1]["cell"]
                cell_break(cell)
                cell["lines"] += rows
            else:
                self.lines += rows
        elif table["cell"] is not None and tag in BLOCK_TAGS:
            cell_break(table["cell"])

    def handle_data(self, data):
        if self.skip:
            return
        if self.tables and self.tables[-1]["cell"] is not None:
            self.tables[-1]["cell"]["text"].append(data)
        elif not self.tables:
            self.text.append(data)

    def end_cell(self, table) -> None:
        cell = table["cell"]
        cell_break(cell)
        table["row"].append((join_cell_lines(cell["lines"]), cell["rowspan"], cell["colspan"]))
        table["cell"] = None

    def end_row(self, table) -> None:
        """Place the row's cells in the grid, skipping positions held by a rowspan above."""
        if len(table["rows"]) >= MAX_ROWS:
            table["row"] = None
            return
        spans: dict[int, int] = table["spans"]  # column -> rows still covered
        texts: list[str] = []
        column = 0
        for text, rowspan, colspan in table["row"] or []:
            while spans.get(column, 0) > 0:
                texts.append("")
                spans[column] -= 1
                column += 1
            texts.append(text)
            texts += [""] * (colspan - 1)
            for c in range(column, column + colspan):
                if rowspan > 1:
                    spans[c] = rowspan - 1
            column += colspan
        while spans.get(column, 0) > 0:  # covered positions at the row's end
            texts.append("")
            spans[column] -= 1
            column += 1
        table["rows"].append(texts)
        table["row"] = None

    def close(self):
        super().close()
        while self.tables:
            self.handle_endtag("table")
        self.flush()


def span(value) -> int:
    match = re.fullmatch(r"\s*(\d{1,3})\s*", value or "")
    return max(1, min(int(match.group(1)), 100)) if match else 1


def cell_break(cell: dict) -> None:
    line = "".join(cell["text"]).strip()
    if line:
        cell["lines"].append(line)
    cell["text"] = []


def html_text(markup: str) -> str:
    parser = TableHTMLParser()
    parser.feed(markup)
    parser.close()
    return "\n".join(parser.lines)

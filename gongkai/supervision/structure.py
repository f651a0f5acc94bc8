"""Word, HTML and PDF tables read as tables, for the work-plan extractor.

`gongkai.core.textextract` flattens a DOCX, an HTML page or a PDF to lines: a table becomes one
cell per line and the rows are lost. A work plan's tasks are mostly in such tables, so this
module reads the document again, in reading order, and renders every table row as one line of
cells joined by " | " — the row layout `extract.py` reads. Merged cells are written once (the
continuation cells of a vertical or horizontal merge are left empty, so every row keeps its
columns; a merged 工作任务 cell is the heading of the rows below it), except in the unit and
time-limit columns, where a cell merged down over several rows is carried down into each: every
task of those rows has that unit and that time limit. Paragraphs stay one per line.

PDF tables are found by pdfplumber from the ruling lines drawn around the cells (a table without
ruling lines is text, and the flattened-table reader of `extract.py` takes it); the page's other
text is kept as lines, in order with the tables by their position on the page.

Call it only on a file `textextract.identify` has accepted (size, archive and XML checks are
done there); anything this reader cannot open gives None and the caller keeps the flat text.
"""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser

from .extract import SENTENCE_END, column_role, looks_like_org

MAX_ROWS = 5000
MAX_PDF_PAGES = 300
# Columns whose merged cells are carried down into every row they span.
CARRIED_ROLES = ("lead", "responsible", "deadline")


def plan_text(data: bytes, kind: str) -> str | None:
    """The text of a DOCX or HTML plan with its tables as rows; None for other kinds or when
    the file cannot be read this way."""
    try:
        if kind == "docx":
            return docx_text(data)
        if kind == "html":
            return html_text(data.decode("utf-8", errors="replace"))
        if kind == "pdf":
            return pdf_text(data)
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


def carry_down(rows: list[list[str]], below: set[tuple[int, int]]) -> list[list[str]]:
    """Fill the positions `below` (row, column) covered by a cell merged down from the row
    above, in the unit and time-limit columns named by the table's header row."""
    header = next(
        (
            i
            for i, cells in enumerate(rows[:10])
            if sum(1 for c in cells if c and column_role(c) != "text") >= 2
        ),
        None,
    )
    if header is None:
        return rows
    carried = {
        c for c, name in enumerate(rows[header]) if name and column_role(name) in CARRIED_ROLES
    }
    for r in range(header + 1, len(rows)):
        for c in carried:
            if (r, c) in below and c < len(rows[r]) and c < len(rows[r - 1]) and not rows[r][c]:
                rows[r][c] = rows[r - 1][c]
    return rows


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
    below: set[tuple[int, int]] = set()
    above: list = []
    for row in table.rows[:MAX_ROWS]:
        cells = row.cells
        texts: list[str] = []
        for i, cell in enumerate(cells):
            element = cell._tc
            merged_left = i > 0 and cells[i - 1]._tc is element
            merged_above = i < len(above) and above[i] is element
            if merged_above and not merged_left:
                below.add((len(rows), i))
            if merged_left or merged_above:
                texts.append("")
            else:
                texts.append(join_cell_lines([p.text for p in cell.paragraphs]))
        above = [cell._tc for cell in cells]
        rows.append(texts)
    return carry_down(rows, below)


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
            self.tables.append({"rows": [], "row": None, "cell": None, "spans": {}, "below": set()})
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
            rows = render_rows(carry_down(table["rows"], table["below"]))
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
        row_index = len(table["rows"])
        for text, rowspan, colspan in table["row"] or []:
            while spans.get(column, 0) > 0:
                table["below"].add((row_index, column))
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
            table["below"].add((row_index, column))
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


# --------------------------------------------------------------------------- PDF


def pdf_text(data: bytes) -> str | None:
    """The text of a PDF with its ruled tables as rows; None when it has no table (the flat
    text of textextract is then as good)."""
    import pdfplumber

    lines: list[str] = []
    found = False
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages[:MAX_PDF_PAGES]:
            tables = page.find_tables()
            found = found or bool(tables)
            boxes = [table.bbox for table in tables]

            def outside(obj, boxes=boxes) -> bool:
                if obj.get("object_type") != "char":
                    return True
                x = (obj["x0"] + obj["x1"]) / 2
                y = (obj["top"] + obj["bottom"]) / 2
                return not any(
                    x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes
                )

            blocks = [
                (line["top"], [line["text"]]) for line in page.filter(outside).extract_text_lines()
            ]
            blocks += [(table.bbox[1], render_rows(pdf_rows(table))) for table in tables]
            for _top, block in sorted(blocks, key=lambda b: b[0]):
                lines += block
    return "\n".join(lines) if found else None


def pdf_rows(table) -> list[list[str]]:
    """Cells of a pdfplumber table: a merged cell is given once, at its top-left position;
    a position it covers from the row above is a vertical merge (carried down in the unit
    and time-limit columns)."""
    grid = table.extract()[:MAX_ROWS]
    rows: list[list[str]] = []
    below: set[tuple[int, int]] = set()
    for r, cells in enumerate(grid):
        boxes = table.rows[r].cells
        texts: list[str] = []
        for c, text in enumerate(cells):
            if text is None:
                if r and covered_from_above(table, boxes, c):
                    below.add((r, c))
                texts.append("")
            else:
                texts.append(join_cell_lines(text.splitlines()))
        rows.append(texts)
    return carry_down(rows, below)


def covered_from_above(table, boxes: list, c: int) -> bool:
    """Whether the empty grid position (this row, column c) lies in a cell that starts in a
    row above (rather than in a cell to its left)."""
    tops = [box[1] for box in boxes if box is not None]
    bottoms = [box[3] for box in boxes if box is not None]
    column = table.columns[c].cells if c < len(table.columns) else []
    xs = [(box[0] + box[2]) / 2 for box in column if box is not None]
    if not tops or not xs:
        return False
    x, y = xs[0], (min(tops) + max(bottoms)) / 2
    for x0, top, x1, bottom in table.cells:
        if x0 <= x <= x1 and top <= y <= bottom:
            return top < min(tops) - 1
    return False

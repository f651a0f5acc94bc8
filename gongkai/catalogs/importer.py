"""Read standard disclosure catalogs from the XLSX files departments publish (RULES §4).

The published layouts vary, so nothing is found by position: each sheet's header is the row
holding the usual column names (or their synonyms), often followed by a second header row that
splits 公开事项 into 一级事项/二级事项, 公开对象 into 全社会/特定群体, 公开方式 into 主动/依申请 and
公开层级 into 县级/乡级/村级 (marked "√"; the sub-labels as pages word them: "特定", "申请公开",
"镇街级" …). Merged cells are read as if every cell of the range held
the value (一级事项 spanning many rows); an 一级事项 left blank under a filled one is carried down;
header rows repeated on each printed page and blank rows are skipped. A sheet may hold one area
(named by the sheet, its title row, or the caller) or several: an area column, or a title row
"（二）社会救助领域基层政务公开标准目录" between the tables of a compilation.

Hostile input is refused before it costs anything: not an XLSX, too big, a zip bomb, more rows
than a catalog can have, formulas (a catalog is text; a formula's cached value may be stale or
absent), or no recognisable header. Every refusal is an `ApplicationError` with a Chinese message.
Merged ranges need openpyxl's full reader (the read-only one does not report them); the archive
is checked first, so what it inflates to is bounded.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _

from gongkai.core.exceptions import ApplicationError

MAX_BYTES = 5 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 40 * 1024 * 1024
MAX_ITEMS = 5000
MAX_SHEET_ROWS = 20000
MAX_COLUMNS = 80
# Rows searched for a header at the top of a sheet (title rows, notes, blank rows come first).
HEADER_SEARCH_ROWS = 20
LEVELS = ("县级", "乡级", "村级")
MAX_LENGTH = {"number": 16, "level1": 200, "level2": 200, "time_limit": 300, "subject": 300,
              "audience": 100, "mode": 100}  # fmt: skip
TEXT_LIMIT = 5000

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACE = re.compile(r"[\s\u3000]+")
MARKS = {"√", "✓", "✔", "☑", "●", "■", "是", "有", "Y", "YES", "V", "1"}

# Header labels (spaces and brackets normalised) → the field they fill.
HEADER = {
    "序号": "number", "编号": "number",
    "公开事项": "matter", "事项": "matter", "事项名称": "matter", "公开事项名称": "matter",
    "一级事项": "level1", "一级": "level1",
    "二级事项": "level2", "二级": "level2",
    "公开内容(要素)": "elements", "公开内容": "elements", "公开要素": "elements",
    "公开内容要素": "elements", "内容要素": "elements",
    "公开依据": "basis", "依据": "basis",
    "公开时限": "time_limit", "时限": "time_limit",
    "公开主体": "subject", "主体": "subject", "责任主体": "subject",
    "公开渠道和载体": "channels", "公开渠道": "channels", "公开载体": "channels",
    "公开渠道及载体": "channels", "渠道和载体": "channels",
    "公开对象": "audience",
    "公开方式": "mode",
    "公开层级": "levels", "层级": "levels",
    "领域": "area", "试点领域": "area", "所属领域": "area", "公开领域": "area",
}  # fmt: skip
AUDIENCE = {"全社会": "全社会", "特定群体": "特定群体", "特定群众": "特定群体",
            "特定对象": "特定群体"}  # fmt: skip
MODE = {"主动": "主动", "主动公开": "主动", "依申请": "依申请", "依申请公开": "依申请"}
AREA_TITLE = re.compile(r"(?:^|[)）\]】、.．\s])([^()（）、.．\s]{2,30}?)领域")


@dataclass
class ParsedItem:
    row: int  # 1-based row number in its sheet, for messages
    area: str  # raw area text ("" when none was found)
    fields: dict = field(default_factory=dict)


@dataclass
class ParsedSheet:
    name: str
    title: str = ""
    items: list[ParsedItem] = field(default_factory=list)


def refuse(message, code: str) -> ApplicationError:
    return ApplicationError(message, code=code)


def norm(value) -> str:
    """A header cell as compared: no spaces or line breaks, half-width brackets."""
    text = _SPACE.sub("", str(value or ""))
    return text.replace("（", "(").replace("）", ")").replace("：", "").replace(":", "")


def text_of(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = _CONTROL.sub("", str(value)).replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(line.strip() for line in text.strip().split("\n") if line.strip())


def audience_label(text) -> str | None:
    """全社会 / 特定群体 named by a sub-header cell, in its usual wordings and shortenings
    ("特定群众", "特定对象", "特定", a cell split over lines as "社会")."""
    t = norm(text)
    if t in AUDIENCE:
        return AUDIENCE[t]
    if t.startswith("特定"):
        return "特定群体"
    if t.endswith("社会"):
        return "全社会"
    return None


def mode_label(text) -> str | None:
    """主动 / 依申请 named by a sub-header cell ("主动公开", "依申请公开", "申请公开", "申请")."""
    t = norm(text)
    if t in MODE:
        return MODE[t]
    if t.startswith("主动"):
        return "主动"
    if "申请" in t:
        return "依申请"
    return None


def is_mark(value: str) -> bool:
    return norm(value).upper() in MARKS


def level_names(text: str) -> list[str]:
    """县级/乡级/村级 named by a header or cell ("县(区)级", "乡、村级", "镇街乡", "东阳市级")."""
    found = []
    t = norm(text)
    if not t:
        return found
    if "村" in t.replace("乡村", ""):
        found.append("村级")
    if any(c in t for c in "乡镇街"):
        found.append("乡级")
    if any(c in t for c in "县区市") or (not found and "级" in t):
        found.append("县级")
    return [name for name in LEVELS if name in found]


# --- the archive --------------------------------------------------------------------------


def _check_archive(data: bytes, filename: str) -> None:
    if len(data) > MAX_BYTES:
        raise refuse(
            _("文件“%(f)s”超过 %(n)s MB，无法导入。")
            % {"f": filename, "n": MAX_BYTES // 1024 // 1024},
            "file_too_large",
        )
    if not data.startswith(b"PK"):
        raise refuse(
            _("文件“%(f)s”不是 Excel（XLSX）文件，请另存为 .xlsx 后再导入。") % {"f": filename},
            "not_xlsx",
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
        names = {m.filename for m in members}
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
        raise refuse(_("文件“%(f)s”已损坏，无法打开。") % {"f": filename}, "corrupt") from None
    if "xl/workbook.xml" not in names:
        raise refuse(
            _("文件“%(f)s”不是 Excel（XLSX）文件，请另存为 .xlsx 后再导入。") % {"f": filename},
            "not_xlsx",
        )
    ratio = getattr(settings, "GONGKAI_ZIP_MAX_RATIO", 100)
    total = 0
    for m in members:
        total += m.file_size
        if (
            len(members) > 2000
            or total > MAX_UNCOMPRESSED_BYTES
            or (m.file_size > 1_000_000 and m.file_size > ratio * max(m.compress_size, 1))
        ):
            raise refuse(
                _("文件“%(f)s”解压后过大或结构异常，已拒收。") % {"f": filename},
                "archive_too_large",
            )


def _open(data: bytes, filename: str):
    import openpyxl

    _check_archive(data, filename)
    try:
        return openpyxl.load_workbook(io.BytesIO(data), data_only=False)
    except Exception:  # openpyxl raises many kinds on a malformed workbook
        raise refuse(_("文件“%(f)s”已损坏，无法打开。") % {"f": filename}, "corrupt") from None


# --- one sheet ----------------------------------------------------------------------------


def _grid(ws, filename: str) -> tuple[list[list], dict]:
    """The sheet's values with merged ranges filled, and each merged cell's range origin."""
    if ws.max_row > MAX_SHEET_ROWS:
        raise refuse(
            _("工作表“%(s)s”有 %(n)s 行，超过 %(m)s 行的上限，无法导入。")
            % {"s": ws.title, "n": ws.max_row, "m": MAX_SHEET_ROWS},
            "too_many_rows",
        )
    width = min(ws.max_column, MAX_COLUMNS)
    grid: list[list] = []
    for r, row in enumerate(ws.iter_rows(max_col=width), 1):
        values = []
        for cell in row:
            if cell.data_type == "f" or (
                isinstance(cell.value, str) and cell.value.startswith("=")
            ):
                raise refuse(
                    _(
                        "工作表“%(s)s”第 %(r)s 行含有公式，请将公式转换为文本（选择性粘贴为数值）后再导入。"
                    )
                    % {"s": ws.title, "r": r},
                    "formula",
                )
            values.append(cell.value)
        values += [None] * (width - len(values))
        grid.append(values)
    origin: dict[tuple[int, int], tuple[int, int]] = {}
    for rng in ws.merged_cells.ranges:
        r0, c0 = rng.min_row - 1, rng.min_col - 1
        if r0 >= len(grid) or c0 >= width:
            continue
        top = grid[r0][c0]
        for r in range(r0, min(rng.max_row, len(grid))):
            for c in range(c0, min(rng.max_col, width)):
                grid[r][c] = top
                origin[(r, c)] = (r0, c0)
    return grid, origin


def _header_score(cells: list) -> int:
    return len({HEADER[norm(v)] for v in cells if norm(v) in HEADER})


@dataclass
class Layout:
    header_rows: int  # 1 or 2
    start: int  # 0-based index of the first data row
    columns: dict = field(default_factory=dict)  # field → column index
    audience: dict = field(default_factory=dict)  # column index → 全社会 / 特定群体
    mode: dict = field(default_factory=dict)  # column index → 主动 / 依申请
    levels: dict = field(default_factory=dict)  # column index → [县级 …]
    signatures: tuple = ()  # normalised header rows, to skip them when repeated
    top: list = field(default_factory=list)  # the first header row


def _is_subheader(top: list, sub: list) -> bool:
    """The row under a header splits its columns: every filled cell is a sub-label (or the
    header cell above it, merged down)."""
    filled = 0
    for c, value in enumerate(sub):
        child = norm(value)
        if not child:
            continue
        filled += 1
        parent = HEADER.get(norm(top[c])) if c < len(top) else None
        if child == norm(top[c] if c < len(top) else ""):
            continue
        if parent == "matter" and HEADER.get(child) in ("level1", "level2"):
            continue
        if (parent == "audience" and audience_label(child)) or (
            parent == "mode" and mode_label(child)
        ):
            continue
        if parent == "levels" and level_names(child):
            continue
        return False
    return filled > 0


def _layout(grid: list[list]) -> tuple[Layout, int] | None:
    for h in range(min(HEADER_SEARCH_ROWS, len(grid))):
        top = grid[h]
        if _header_score(top) < 3:
            continue
        sub = grid[h + 1] if h + 1 < len(grid) else [None] * len(top)
        if not _is_subheader(top, sub):
            sub = [None] * len(top)
        layout = Layout(header_rows=1, start=h + 1, top=list(top))
        two_rows = False
        for c, value in enumerate(top):
            parent = HEADER.get(norm(value))
            child = norm(sub[c]) if sub[c] is not None and norm(sub[c]) != norm(value) else ""
            child_key = HEADER.get(child)
            if parent == "matter" and child_key in ("level1", "level2"):
                layout.columns.setdefault(child_key, c)
                two_rows = True
            elif parent == "audience" and child and audience_label(child):
                layout.audience[c] = audience_label(child)
                two_rows = True
            elif parent == "mode" and child and mode_label(child):
                layout.mode[c] = mode_label(child)
                two_rows = True
            elif parent == "levels" and child and level_names(child):
                layout.levels[c] = level_names(child)
                two_rows = True
            elif parent:
                key = "level1" if parent == "matter" else parent
                layout.columns.setdefault(key, c)
        if "level1" not in layout.columns:
            continue
        if two_rows:
            layout.header_rows, layout.start = 2, h + 2
        rows = grid[h : layout.start]
        layout.signatures = tuple(tuple(norm(v) for v in row) for row in rows)
        return layout, h
    return None


def _title_area(grid: list[list], before: int) -> str:
    for row in grid[:before]:
        for value in row:
            text = text_of(value)
            if text and "领域" in text:
                return text
    return ""


def _section_title(row: list) -> str:
    """A row naming an area between tables of a compilation, e.g. "（二）社会救助领域…目录"."""
    texts = {text_of(v) for v in row if text_of(v)}
    if len(texts) == 1:
        text = next(iter(texts))
        if "领域" in text and ("目录" in text or "标准" in text or len(text) <= 20):
            return text
    return ""


def _checked(row: list, columns: dict) -> list[str]:
    return [label for c, label in columns.items() if c < len(row) and is_mark(text_of(row[c]))]


def _item(row: list, r: int, layout: Layout, origin: dict) -> dict:
    fields: dict = {}
    for key, c in layout.columns.items():
        if key in ("audience", "mode", "levels", "area"):
            continue
        fields[key] = text_of(row[c])
    l1, l2 = layout.columns.get("level1"), layout.columns.get("level2")
    if l2 is not None and (r, l2) in origin and origin.get((r, l2)) == origin.get((r, l1)):
        fields["level2"] = ""  # 一级 and 二级 merged across: the matter has no second level
    if layout.audience:
        fields["audience"] = "、".join(dict.fromkeys(_checked(row, layout.audience)))
    elif "audience" in layout.columns:
        fields["audience"] = text_of(row[layout.columns["audience"]])
    if layout.mode:
        fields["mode"] = "、".join(dict.fromkeys(_checked(row, layout.mode)))
    elif "mode" in layout.columns:
        fields["mode"] = text_of(row[layout.columns["mode"]])
    levels: list[str] = []
    if layout.levels:
        for c, names in layout.levels.items():
            if c < len(row) and is_mark(text_of(row[c])):
                levels += names
    elif "levels" in layout.columns:
        levels = level_names(text_of(row[layout.columns["levels"]]))
    fields["levels"] = [name for name in LEVELS if name in levels]
    return fields


def _check_lengths(fields: dict, sheet: str, r: int) -> None:
    for key, value in fields.items():
        if not isinstance(value, str):
            continue
        limit = MAX_LENGTH.get(key, TEXT_LIMIT)
        if len(value) > limit:
            raise refuse(
                _("工作表“%(s)s”第 %(r)s 行的内容过长（不超过 %(n)s 字）。")
                % {"s": sheet, "r": r, "n": limit},
                "too_long",
            )


def _sheet(ws, filename: str, count: int) -> ParsedSheet | None:
    grid, origin = _grid(ws, filename)
    found = _layout(grid)
    if found is None:
        return None
    layout, h = found
    sheet = ParsedSheet(name=ws.title, title=_title_area(grid, h))
    area = sheet.title
    carry = {"level1": "", "number": ""}
    for r in range(layout.start, len(grid)):
        row = grid[r]
        normalised = tuple(norm(v) for v in row)
        if not any(normalised):
            continue
        if normalised in layout.signatures or _header_score(row) >= 3:
            continue  # the header repeated on a printed page
        if layout.header_rows == 2 and _is_subheader(layout.top, row):
            continue
        section = _section_title(row)
        if section:
            area, carry = section, {"level1": "", "number": ""}
            continue
        fields = _item(row, r, layout, origin)
        content = any(fields.get(k) for k in ("level2", "elements", "basis", "time_limit"))
        if not fields.get("level1"):
            if not content:
                continue  # a note, a page number, a row with only a 序号
            fields["level1"] = carry["level1"]
            fields["number"] = fields.get("number") or carry["number"]
        if not fields["level1"]:
            raise refuse(
                _("工作表“%(s)s”第 %(r)s 行缺少“一级事项”。") % {"s": ws.title, "r": r + 1},
                "level1_required",
            )
        carry = {"level1": fields["level1"], "number": fields.get("number", "")}
        _check_lengths(fields, ws.title, r + 1)
        row_area = text_of(row[layout.columns["area"]]) if "area" in layout.columns else ""
        sheet.items.append(ParsedItem(row=r + 1, area=row_area or area, fields=fields))
        if count + len(sheet.items) > MAX_ITEMS:
            raise refuse(
                _("文件中的事项超过 %(n)s 项，无法导入。请按领域拆分后再导入。") % {"n": MAX_ITEMS},
                "too_many_items",
            )
    return sheet


def parse_catalog(data: bytes, filename: str = "catalog.xlsx") -> list[ParsedSheet]:
    """Every sheet with a recognisable catalog header, with its items; refuse bad files."""
    book = _open(data, filename)
    sheets: list[ParsedSheet] = []
    count = 0
    try:
        for ws in book.worksheets:
            if ws.sheet_state != "visible":
                continue
            sheet = _sheet(ws, filename, count)
            if sheet is not None and sheet.items:
                sheets.append(sheet)
                count += len(sheet.items)
    finally:
        book.close()
    if not sheets:
        raise refuse(
            _(
                "文件“%(f)s”中没有找到标准目录的表头（应包含“序号”“公开事项/一级事项”“公开内容”"
                "“公开依据”“公开时限”“公开主体”等列），未导入任何内容。"
            )
            % {"f": filename},
            "no_header",
        )
    return sheets


def area_name_in(text: str, names: list[str]) -> str | None:
    """The known area named in `text` (a sheet name or title), the longest match first."""
    t = norm(text)
    for name in sorted(names, key=len, reverse=True):
        if norm(name) and norm(name) in t:
            return name
    return None

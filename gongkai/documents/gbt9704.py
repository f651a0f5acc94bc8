"""Header fields of an official document (公文) laid out per GB/T 9704-2012, from plain text.

For the bulk importer of existing documents. Pure Python, no database, no Django models: the
input is text converted from PDF (hard line breaks mid-sentence, stray spaces, page numbers
"— 3 —"), DOCX (one line per paragraph) or HTML (one long line per paragraph).

Only the head (first ~60 lines / 4000 characters) and the tail (last ~40 lines / 4000
characters) are read and every pattern is anchored with bounded repeats, so a call costs
about 0.1 ms whatever the length of the document. Nothing raises: a field that
cannot be found stays None (or []) and Header.warnings says why, in English, for the logs.

Layout read (GB/T 9704-2012 §7): 份号 / 密级 / 紧急程度, 发文机关标志 ("XX文件", or the
bare organ name in the 信函格式, or "XX令" for orders), 发文字号, 标题 (often broken over
2–4 lines), 主送机关 (ending with "：" or ":"), 正文, 附件说明 ("附件：1.… 2.…"),
发文机关署名, 成文日期, and at the very end 抄送 and "XX 2020年9月2日印发".
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from gongkai.documents.numbers import normalise_document_number, parse_document_number

HEAD_CHARS, HEAD_LINES = 4000, 60
TAIL_CHARS, TAIL_LINES = 4000, 40

# Document.DocType values (kept as strings: this module must not import the models).
_TYPE_BY_WORD = (
    ("纪要", "minutes"),
    ("决议", "resolution"),
    ("决定", "decision"),
    ("命令", "order"),
    ("令", "order"),
    ("公报", "communique"),
    ("公告", "announcement"),
    ("通告", "public_notice"),
    ("意见", "opinion"),
    ("通知", "notice"),
    ("通报", "bulletin"),
    ("报告", "report"),
    ("请示", "request"),
    ("批复", "reply"),
    ("议案", "motion"),
    ("函", "letter"),
)
# Words a title ends with: the 15 types and the usual names of attached rules and plans.
_TITLE_END_WORDS = (
    "纪要|决议|决定|命令|令|公报|公告|通告|意见|通知|通报|报告|请示|批复|议案|函|"
    "办法|规定|方案|细则|规则|规划|计划|要点|条例|制度|指引|标准|清单|目录|章程|准则|"
    "守则|公约|须知|措施|规范|纲要|预案|安排|总结|分工|说明"
)
_TITLE_END_RE = re.compile(rf"(?:{_TITLE_END_WORDS})(?:[（(][^（()）]{{1,12}}[)）])?$")
_TRAILING_BRACKETS_RE = re.compile(r"[（(][^（()）]{1,12}[)）]$")
# Punctuation a title line never holds (titles may hold 、《》“”（）and brackets).
_NOT_IN_TITLE = frozenset("。；;：:，,！!？?")

_ORGAN_SUFFIX_RE = re.compile(
    r"(?:政府|办公厅|办公室|办事处|中心|公司|集团|小组|党组|管委会|委员会|[局厅委办院署部会处所站队社])$"
)
_CJK_ORGAN_RE = re.compile(r"^[\u4e00-\u9fff（）()〔〕]{2,40}$")

_OPEN, _CLOSE = "〔[【(（", "〕]】)）"
# A whole line that is a 发文字号: CJK code, year (bracketed or not), serial, 号.
_NUMBER_LINE_RE = re.compile(
    r"^[（(]?(?P<number>[\u4e00-\u9fff]{1,20}[〔\[【(（]?(?:19|20)\d{2}[〕\]】)）]?第?\d{1,6}号)[)）]?$"
)
# 发文机关标志 "XX文件" (joint issuers run together once spaces are removed).
_MARK_RE = re.compile(r"^(?P<org>[\u4e00-\u9fff（）()]{2,60}?)文件(?P<rest>.{0,40})$")
_SIGNER_RE = re.compile(r"签发人[：:].{0,30}$")
_ORDER_NUMBER_RE = re.compile(r"^[（(]?第?(?P<serial>\d{1,6})号[)）]?$")

_CN_DIGITS = {
    "〇": 0, "零": 0, "○": 0, "Ｏ": 0, "O": 0, "0": 0,
    "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
}  # fmt: skip
_CN_YEAR = "[〇零○Ｏ0一二三四五六七八九]{4}"
_CN_SMALL = "[一二三四五六七八九十]{1,3}"
_DATE = (
    rf"(?P<year>(?:19|20)\d{{2}}|{_CN_YEAR})年"
    rf"(?P<month>\d{{1,2}}|{_CN_SMALL})月"
    rf"(?P<day>\d{{1,2}}|{_CN_SMALL})日"
)
# A 成文日期 line: the date alone, or the 署名 and the date on one line, maybe in brackets.
_DATE_LINE_RE = re.compile(rf"^(?P<org>[^\d，。,：:；;]{{0,50}}?)[（(]?{_DATE}[)）]?$")
# 印发机关和印发日期: "郑州市人民政府办公厅 2020年9月2日印发".
_PRINTED_RE = re.compile(rf"^(?P<org>[^\d，。,：:；;]{{2,50}}?){_DATE}印发$")
_PAGE_NUMBER_RE = re.compile(r"^[—\-－–~～]*(?:第?\d{1,4}页?(?:/?共?\d{1,4}页)?)?[—\-－–~～]*$")
_PAGE_NUMBER_START = frozenset("—-－–~～第0123456789")
_FULLWIDTH_RE = re.compile("[０-９\ufeff]")
_FULLWIDTH = str.maketrans("０１２３４５６７８９", "0123456789", "\ufeff")
_ATTACHMENTS_RE = re.compile(r"^附件\d{0,2}[：:](?P<rest>.*)$")
_ATTACHMENT_HEADING_RE = re.compile(r"^附件[\d一二三四五六七八九十]{0,3}$")
_ITEM_RE = re.compile(r"^(?:\d{1,2}|[一二三四五六七八九十]{1,3})[.．、]")
_META_RE = re.compile(
    r"^(?:\d{6}|(?:绝密|机密|秘密)(?:★.{0,12})?|特急|加急|特提|平急|(?:★|☆).{0,12})$"
)
_RECIPIENT_STOP = ("如下", "《", "》", "“", "”", "现将", "为了", "为进一步", "根据", "按照")


@dataclass
class Header:
    title: str | None = None
    document_number: str | None = None
    issuer: str | None = None
    date_signed: datetime.date | None = None
    main_recipients: list[str] = field(default_factory=list)
    attachments_note: str | None = None
    doc_type: str | None = None
    warnings: list[str] = field(default_factory=list)


def parse_header(text: str) -> Header:
    """The header fields of `text`; never raises (odd input gives an empty Header + warnings)."""
    header = Header()
    if not isinstance(text, str) or not text.strip():
        header.warnings.append("empty text: no header fields")
        return header
    try:
        _parse(text, header)
    except Exception as exc:  # the importer must go on with the next file whatever happens
        header.warnings.append(f"parser error ({type(exc).__name__}); fields may be incomplete")
    return header


# --- lines -------------------------------------------------------------------------------


def _compact_lines(chunk: str, limit: int, from_end: bool) -> tuple[list[str], set[int]]:
    """Up to `limit` non-empty lines (the first or the last ones) with every whitespace
    removed and page numbers dropped; and the indices of the lines that began with a TAB
    (cells of a flattened table)."""
    if _FULLWIDTH_RE.search(chunk):
        chunk = chunk.translate(_FULLWIDTH)
    raw = chunk.splitlines()
    if from_end:
        raw.reverse()
    lines: list[str] = []
    tabbed: list[bool] = []
    for line in raw:
        compact = "".join(line.split())
        if not compact or (compact[0] in _PAGE_NUMBER_START and _PAGE_NUMBER_RE.match(compact)):
            continue
        lines.append(compact)
        tabbed.append(line.startswith("\t"))
        if len(lines) >= limit:
            break
    if from_end:
        lines.reverse()
        tabbed.reverse()
    return lines, {i for i, t in enumerate(tabbed) if t}


def _head_and_tail(text: str) -> tuple[list[str], set[int], list[str]]:
    head_chunk = text[:HEAD_CHARS]
    if len(text) > HEAD_CHARS and "\n" in head_chunk:
        head_chunk = head_chunk.rsplit("\n", 1)[0]  # drop the cut line
    tail_chunk = text[-TAIL_CHARS:]
    if len(text) > TAIL_CHARS and "\n" in tail_chunk:
        tail_chunk = tail_chunk.split("\n", 1)[1]
    head, tabbed = _compact_lines(head_chunk, HEAD_LINES, from_end=False)
    tail, _ = _compact_lines(tail_chunk, TAIL_LINES, from_end=True)
    return head, tabbed, tail


# --- small readers -----------------------------------------------------------------------


def _cn_number(value: str) -> int:
    if value.isdigit():
        return int(value)
    if "十" in value:
        tens, _, units = value.partition("十")
        return (_CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (
            _CN_DIGITS.get(units, 0) if units else 0
        )
    return _CN_DIGITS[value]


def _date(m: re.Match) -> datetime.date | None:
    try:
        year = m["year"]
        y = int(year) if year.isdigit() else int("".join(str(_CN_DIGITS[c]) for c in year))
        return datetime.date(y, _cn_number(m["month"]), _cn_number(m["day"]))
    except (KeyError, ValueError):
        return None


def _is_organ(line: str) -> bool:
    return (
        bool(_CJK_ORGAN_RE.match(line))
        and "关于" not in line
        and bool(_ORGAN_SUFFIX_RE.search(line))
    )


def _title_like(line: str) -> bool:
    return 1 < len(line) <= 120 and not (_NOT_IN_TITLE & set(line))


def _number(line: str) -> str | None:
    """The normalised 发文字号 when the whole line (less a 签发人) is one, else None."""
    m = _NUMBER_LINE_RE.match(_SIGNER_RE.sub("", line))
    if not m or parse_document_number(m["number"]) is None:
        return None
    return normalise_document_number(m["number"])


def split_recipients(value: str) -> list[str]:
    """Split at 、，, outside brackets: "各县〔市、区〕政府、市直各单位" → 2 names."""
    parts, depth, current = [], 0, []
    for ch in value.rstrip("：:"):
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(depth - 1, 0)
        elif ch in "、，," and depth == 0:
            parts.append("".join(current))
            current = []
            continue
        current.append(ch)
    parts.append("".join(current))
    return [p for p in parts if p]


def _doc_type(title: str) -> str | None:
    stem = _TRAILING_BRACKETS_RE.sub("", title)
    for word, value in _TYPE_BY_WORD:
        if stem.endswith(word):
            return value
    return None


# --- the header, element by element ------------------------------------------------------


def _find_title(lines: list[str], start: int, skip: set[int], tabbed: set[int]):
    """(title, index of its last line) from the first window of 1–4 title-like lines at
    `start` (or a few lines later) that ends with a document-type word."""
    for s in range(start, min(start + 8, len(lines))):
        if s in skip or s in tabbed or not _title_like(lines[s]):
            continue
        acc = ""
        for i in range(s, min(s + 4, len(lines))):
            if i in skip or i in tabbed or not _title_like(lines[i]):
                break
            acc += lines[i]
            if _TITLE_END_RE.search(acc):
                # "…工作要点" + "实施方案的通知": a short next line that again ends the title
                # with a type word still belongs to it.
                while (
                    i + 1 < min(s + 4, len(lines))
                    and i + 1 not in skip
                    and i + 1 not in tabbed
                    and len(lines[i + 1]) <= 40
                    and _title_like(lines[i + 1])
                    and not _is_organ(lines[i + 1])
                    and _TITLE_END_RE.search(lines[i + 1])
                ):
                    i += 1
                    acc += lines[i]
                return acc, i
    return None, None


def _find_recipients(lines: list[str], start: int, skip: set[int]) -> tuple[list[str], int | None]:
    while start in skip:  # a 发文字号 printed under the title
        start += 1
    acc = ""
    for i in range(start, min(start + 4, len(lines))):
        line = lines[i]
        if "。" in line or len(acc) + len(line) > 200:
            break
        acc += line
        if line.endswith(("：", ":")):
            if acc.startswith(("主送：", "主送:")):
                acc = acc[3:]
            names = split_recipients(acc)
            if (
                not names
                or any(len(n) > 30 for n in names)
                or any(w in acc for w in _RECIPIENT_STOP)
            ):
                return [], None
            return names, i
    return [], None


def _date_lines(lines: list[str], start: int, end: int):
    for i in range(max(start, 0), min(end, len(lines))):
        m = _DATE_LINE_RE.match(lines[i])
        if m and (not m["org"] or _is_organ(m["org"])):
            d = _date(m)
            if d is not None:
                yield i, m["org"], d


def _signature(lines: list[str], i: int, org: str) -> str | None:
    if org:
        return org
    if i > 0 and _is_organ(lines[i - 1]):
        return lines[i - 1]
    return None


def _attachments(lines: list[str], date_index: int) -> str | None:
    """The 附件说明 between the body and the signature/date at `date_index`."""
    for i in range(max(date_index - 12, 0), date_index):
        m = _ATTACHMENTS_RE.match(lines[i])
        if not m:
            continue
        items = [m["rest"]] if m["rest"] else []
        for j in range(i + 1, date_index):
            line = lines[j]
            if _is_organ(line) and j == date_index - 1:
                break  # the 署名 above the date
            if _ITEM_RE.match(line) or not items:
                items.append(line)
            elif "。" in line:
                break
            else:
                items[-1] += line  # a name broken over two lines
        return " ".join(items) or None
    return None


def _parse(text: str, h: Header) -> None:
    head, tabbed, tail = _head_and_tail(text)
    if not head:
        h.warnings.append("no text lines: no header fields")
        return
    skip: set[int] = set()  # head lines that are header marks, never part of a title
    for i, line in enumerate(head[:8]):
        if _META_RE.match(line):
            skip.add(i)

    # 发文机关标志 and 发文字号, both among the first lines.
    mark_index, mark_issuer, is_order = -1, None, False
    number_index = -1
    order_serial = None
    for i, line in enumerate(head[:12]):
        if i in skip:
            continue
        if mark_index < 0 and (m := _MARK_RE.match(line)) and _is_organ(m["org"]):
            mark_index, mark_issuer = i, m["org"]
            skip.add(i)
            if m["rest"] and (number := _number(m["rest"])):  # HTML: mark and number on a line
                h.document_number, number_index = number, i
            continue
        if (
            mark_index < 0
            and line.endswith("令")
            and _CJK_ORGAN_RE.match(line)
            and i + 1 < len(head)
            and (om := _ORDER_NUMBER_RE.match(head[i + 1]))
        ):
            mark_index, mark_issuer, is_order = i, line[:-1], True
            order_serial = om["serial"]
            skip.update((i, i + 1))
            number_index = i + 1
            continue
        if number_index < 0 and (number := _number(line)):
            h.document_number, number_index = number, i
            skip.add(i)
    if mark_index < 0 and number_index >= 0 and not is_order:
        # 信函格式: the bare organ name is the 标志 (just before or after the number).
        for i in (number_index - 1, number_index + 1):
            if 0 <= i < len(head) and i not in skip and _is_organ(head[i]):
                nxt = head[i + 1] if i + 1 < len(head) else ""
                if i < number_index or nxt.startswith("关于"):
                    mark_index, mark_issuer = i, head[i]
                    skip.add(i)
                    break
    h.issuer = mark_issuer

    # 标题
    title_start = mark_index + 1  # the number (in `skip`) may come before or after the title
    while title_start in skip:
        title_start += 1
    if head[title_start : title_start + 1] and _ATTACHMENT_HEADING_RE.match(head[title_start]):
        title_start += 1  # an attachment printed on its own: "附件" then its title
        attachment_only = True
    else:
        attachment_only = False
    title, title_end = _find_title(head, title_start, skip, tabbed)
    if title is None and is_order:
        title, title_end = f"{mark_issuer}令第{order_serial}号", number_index
    if title is None and (attachment_only or mark_index >= 0 or number_index >= 0):
        first = head[title_start] if title_start < len(head) else ""
        if first and title_start not in tabbed and _title_like(first) and len(first) <= 60:
            title, title_end = first, title_start
            h.warnings.append(
                "title: no line ending with a document-type word; took the first line"
            )
    h.title = title
    if title is None:
        h.warnings.append("title: no line ending with a document-type word after the header")
    if is_order:
        h.doc_type = "order"
        h.warnings.append(
            f"document_number: order (令) serial 第{order_serial}号 has no year, not a 发文字号"
        )
    elif h.document_number is None:
        h.warnings.append("document_number: no line of the form code〔year〕serial号 in the header")
    if title is not None and h.doc_type is None:
        h.doc_type = _doc_type(title) or "other"

    # 发文机关 from the title: "XX关于…".
    if h.issuer is None and title and "关于" in title:
        prefix = title.split("关于", 1)[0]
        if _is_organ(prefix):
            h.issuer = prefix

    # 主送机关
    after_title = (title_end + 1) if title_end is not None else title_start
    h.main_recipients, recipients_end = _find_recipients(head, after_title, skip)
    if not h.main_recipients and title is not None and not is_order:
        h.warnings.append("main_recipients: no line ending with '：' right after the title")

    # 成文日期 (+ 署名 and 附件说明): first date line after the body in the head, else the
    # last one in the tail, else the 印发日期.
    body_start = (recipients_end if recipients_end is not None else after_title - 1) + 1
    looks_like_document = title is not None or mark_index >= 0 or number_index >= 0
    found = next(_date_lines(head, body_start, len(head)), None) if looks_like_document else None
    where = head
    if found is None:
        tail_dates = list(_date_lines(tail, 0, len(tail)))
        if tail_dates:
            found, where = tail_dates[-1], tail
    printed = None
    for line in reversed(tail):
        if line.endswith("印发") and (m := _PRINTED_RE.match(line)):
            printed = (m["org"], _date(m))
            break
    if found is not None:
        index, org, h.date_signed = found
        signer = _signature(where, index, org)
        if h.issuer is None and signer:
            h.issuer = signer
        h.attachments_note = _attachments(where, index)
    elif printed is not None and printed[1] is not None:
        h.date_signed = printed[1]
        h.warnings.append("date_signed: no 成文日期 line after the body; took the 印发日期")
    else:
        h.warnings.append("date_signed: no 成文日期 line after the body and no 印发 line")
    if h.issuer is None and printed is not None and _is_organ(printed[0]):
        h.issuer = printed[0]
    if h.issuer is None:
        h.warnings.append("issuer: not in a 发文机关标志, the title, a signature or an 印发 line")
    if h.title is None and h.doc_type is None and not is_order:
        h.warnings.append("doc_type: unknown without a title")

"""Extract the tasks of a yearly 政务公开 work plan (工作要点, 实施方案, 责任分工) from its text.

The input is what a PDF/HTML/Word conversion gives: hard line breaks at a fixed width, stray
spaces, page numbers, headings repeated at page breaks, tables flattened into TAB cells or pipe
rows. Two layouts are read:

* prose: numbered items (一、/（一）/1．/（1）) whose paragraphs end with a unit parenthesis
  "(牵头单位：…，责任单位：…)" or a "责任单位：…" line; without any unit marks in the whole
  document every leaf item is a task;
* table: a header row naming the columns (重点任务 | 贯彻举措 | 牵头单位 | 责任单位 | 时限要求),
  then one row per measure.

Every string the caller sees follows the whitespace rule of the annotations: all whitespace is
removed (`compact`). Internally the document is kept as one compact string with a map back to
the original offsets, so a task's raw passage can be shown beside it.

Pure Python; the only Django use is gettext for the rejection message.
"""

from __future__ import annotations

import datetime
import itertools
import re
import unicodedata
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from gongkai.core.exceptions import ApplicationError

from .extract_fold import fold

TEXT_PREVIEW = 30

HIGH, MEDIUM, LOW = "high", "medium", "low"
CONFIDENCE_ORDER = {LOW: 0, MEDIUM: 1, HIGH: 2}
# How a unit name was printed → how much that alone is worth.
UNIT_HOW_CONFIDENCE = {
    "column": HIGH,
    "parenthesis": HIGH,
    "label": HIGH,
    "role_phrase": HIGH,
    "sentence": LOW,
}


def unit_confidence(how: str, method: str, score: float) -> str:
    """A unit assignment's confidence: the lower of how its name was found in the plan
    (`how`) and how the name was matched to an organisation (`method`, resolve.Match)."""
    found = UNIT_HOW_CONFIDENCE.get(how, MEDIUM)
    if method in ("exact", "short", "alias", "self", "manual"):
        matched = HIGH
    elif method in ("prefix", "internal", "plan"):
        matched = MEDIUM
    elif method == "fuzzy":
        matched = MEDIUM if score >= 95 else LOW
    else:
        matched = LOW
    return min(found, matched, key=CONFIDENCE_ORDER.__getitem__)


class NotAWorkPlan(ApplicationError):
    """The text has no recognisable numbered tasks (empty, prose, a letter, a plain list)."""

    def __init__(self, detail: str, *, code: str = "not_a_work_plan"):
        super().__init__(
            _("未能在文件中识别出工作任务：%(detail)s") % {"detail": detail}, code=code
        )


@dataclass
class ExtractedTask:
    number: str
    text: str
    lead_units: list[str] | None
    responsible_units: list[str] | None
    deadline_text: str | None
    deadline: datetime.date | None
    recurring: str | None
    source_text: str
    heading: str
    # How the units were found, for the review screen (not part of the annotation format):
    # "column" (a unit column of a table), "marks" (a unit parenthesis or label line),
    # "sentence" (the subject of the task's sentence: lower confidence), "none".
    found_by: str = "none"
    # How the task itself was found: "table" (a row) or "outline" (a numbered item).
    layout: str = "outline"
    # Finer, for the reviewer: the task as "table_row", "unnumbered_row" (a table row without
    # a number of its own), "numbered_item" (an item with unit marks) or "leaf_item" (an item
    # of a plan without unit marks); each unit name as "column", "role_phrase" ("X牵头，Y配合"),
    # "parenthesis", "label" or "sentence" (named in the task's own text).
    task_how: str = "numbered_item"
    unit_how: dict[str, str] = field(default_factory=dict)
    # Units named nowhere although the plan's other tasks name theirs.
    units_missing: bool = False

    @property
    def low_confidence(self) -> bool:
        return self.found_by in ("sentence", "none")

    @property
    def confidence(self) -> str:
        """high / medium / low: how far the reviewer can trust this task as read."""
        if self.found_by == "sentence" or self.units_missing or len(self.text) < 8:
            return LOW
        if self.task_how in ("unnumbered_row", "leaf_item") or self.found_by == "none":
            return MEDIUM
        return HIGH

    def as_json(self) -> dict:
        return {
            "number": self.number,
            "text": self.text[:TEXT_PREVIEW],
            "lead_units": self.lead_units,
            "responsible_units": self.responsible_units,
            "deadline_text": self.deadline_text,
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "recurring": self.recurring,
        }


@dataclass
class ExtractedPlan:
    source: str
    issuer: str | None
    year: int
    tasks: list[ExtractedTask]

    def as_json(self) -> dict:
        return {
            "source": self.source,
            "issuer": self.issuer,
            "year": self.year,
            "tasks": [task.as_json() for task in self.tasks],
        }


# --------------------------------------------------------------------------- text helpers


def compact(text: str) -> str:
    """The whitespace rule: every character for which str.isspace() holds is removed."""
    return "".join(ch for ch in text if not ch.isspace())


def visual_width(text: str) -> int:
    """Columns a line takes when printed: CJK characters count double (for wrap detection)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


OPEN_BRACKETS = "(（〔[【《"
CLOSE_BRACKETS = ")）〕]】》"

CN_DIGITS = {
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}


def cn_to_int(numeral: str) -> int:
    """一…九十九 as printed in headings (十一, 二十, 二十三)."""
    if numeral.isdigit():
        return int(numeral)
    if "十" not in numeral:
        return CN_DIGITS.get(numeral, 0)
    tens, _sep, ones = numeral.partition("十")
    return (CN_DIGITS.get(tens, 0) if tens else 1) * 10 + (CN_DIGITS.get(ones, 0) if ones else 0)


def matching_close(text: str, start: int) -> int:
    """Index of the bracket closing the one at `start` (any bracket pair nests), or -1."""
    depth = 0
    for i in range(start, len(text)):
        if text[i] in OPEN_BRACKETS:
            depth += 1
        elif text[i] in CLOSE_BRACKETS:
            depth -= 1
            if depth == 0:
                return i
    return -1


def split_outside_brackets(text: str, separators: str) -> list[str]:
    parts, depth, current = [], 0, []
    for ch in text:
        if ch in OPEN_BRACKETS:
            depth += 1
        elif ch in CLOSE_BRACKETS:
            depth = max(0, depth - 1)
        if ch in separators and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return parts


# --------------------------------------------------------------------------- units

# Endings of organisation names. A line of a table cell that does not end like this was broken
# by the converter ("政务服务和大" + "数据管理局") and is joined to the next one.
ORG_SUFFIX_RE = re.compile(
    r"(局|委|委员会|管委会|办|办公室|办公厅|厅|政府|人民政府|部|部门|单位|中心|院|所|处|室|站|队"
    r"|行|司|公司|集团|社|团|组|小组|科|馆|校|会|协会|法院|检察院|机关|机构|企业|街道|乡镇|镇|区"
    r"|县|市|办事处|监狱|台|分局|支行|银保监局|股|中队|大队|支队|[）)〕])$"
)
# Halves that end like a name but are not one: "人力资源和社会" + "保障局".
BROKEN_ENDING_RE = re.compile(r"(社会|[和与及、])$")
# Generic words that are no unit on their own: "市政府各部门、单位" stays one string.
GENERIC_TAILS = {"单位", "部门", "机构", "企业", "组织", "有关单位", "相关单位"}
# Not units: time limits sometimes written into the unit parenthesis or cell.
NOT_UNIT_RE = re.compile(r"^(持续推进|长期坚持|长期|持续|常态化|全年|按要求|按时|无)$")


def looks_like_org(name: str) -> bool:
    name = fold(name)
    return bool(ORG_SUFFIX_RE.search(name)) and not BROKEN_ENDING_RE.search(name)


def join_broken_lines(lines: list[str]) -> list[str]:
    """Join the lines of a table cell where a name was broken across them."""
    names: list[str] = []
    for line in lines:
        if names and (not looks_like_org(names[-1]) or len(line) <= 2):
            names[-1] += line
        else:
            names.append(line)
    return names


def split_on_conjunction(segment: str) -> list[str]:
    """Split "A和B" only where both sides are whole names.

    市粮食和储备局 and 人力资源和社会保障局 stay whole (the left side is no name);
    市自然资源和规划局和市统计局 splits once, before 市统计局."""
    positions = [
        i for i, ch in enumerate(segment) if ch in "和及与" and bracket_depth(segment, i) == 0
    ]
    for i in positions:
        left, right = segment[:i], segment[i + 1 :]
        if len(left) >= 3 and len(right) >= 3 and looks_like_org(left) and looks_like_org(right):
            return [left, *split_on_conjunction(right)]
    return [segment]


def bracket_depth(text: str, index: int) -> int:
    depth = 0
    for ch in text[:index]:
        if ch in OPEN_BRACKETS:
            depth += 1
        elif ch in CLOSE_BRACKETS:
            depth = max(0, depth - 1)
    return depth


def clean_unit(segment: str) -> str:
    segment = segment.strip("：:，,、；;。.")
    # A bare trailing 等 is dropped; "X等相关部门" keeps its tail.
    if segment.endswith("等") and len(segment) > 1:
        segment = segment[:-1]
    return segment


def split_units(text: str) -> list[str]:
    """Unit strings as printed: split at 、，, (never inside brackets) and at a 和 between
    two whole names; a trailing 等 dropped; "X、单位" kept together."""
    units: list[str] = []
    for raw in split_outside_brackets(compact(text), "、，,；;"):
        segment = clean_unit(raw)
        if not segment or NOT_UNIT_RE.match(fold(segment)) or find_deadline(segment):
            continue
        if fold(segment) in GENERIC_TAILS and units:
            units[-1] += "、" + segment
            continue
        units.extend(clean_unit(part) for part in split_on_conjunction(segment))
    return [unit for unit in units if unit]


def split_cell_units(lines: list[str]) -> list[str]:
    units: list[str] = []
    for name in join_broken_lines(lines):
        units.extend(split_units(name))
    return units


# The role a unit takes, written after its name: "X牵头，Y配合；各镇（街）参照落实".
ROLE_SUFFIX_RE = re.compile(
    r"^(?P<units>.+?)(?P<role>(?:分别)?(?:牵头(?:落实|负责|抓好落实)?|负责(?:落实)?|具体负责"
    r"|配合(?:落实)?|参与|协办|参照(?:落实|执行)?|按职责(?:分工)?负责(?:落实)?|落实))$"
)


def cell_role_units(
    lines: list[str], default: str, phrased: list[str] | None = None
) -> tuple[list[str], list[str]]:
    """Units of a unit cell as (lead, responsible): a role word after a name decides its
    list, the column's role decides the rest. Units whose role a phrase gave ("X牵头，Y配合")
    are added to `phrased` when given."""
    lead: list[str] = []
    responsible: list[str] = []
    text = "".join(lines)
    if LABEL_START_RE.match(fold(text)):
        # "牵头单位：市政务办；责任单位：各县区政府" written inside one cell.
        block = parse_labelled("；".join(lines))
        if block is not None and block.has_units:
            return block.lead, block.responsible
    segments = [
        segment
        for name in join_broken_lines(lines)
        for segment in split_outside_brackets(name, "，,；;。")
    ]
    for segment in segments:
        match = ROLE_SUFFIX_RE.match(fold(segment))
        role = default
        if match and split_units(segment[: match.end("units")]):
            role = "lead" if "牵头" in match.group("role") else "responsible"
            segment = segment[: match.end("units")]
            if phrased is not None:
                phrased.extend(split_units(segment))
        (lead if role == "lead" else responsible).extend(split_units(segment))
    return lead, responsible


LEAD_LABEL = r"牵头单位|牵头部门|主责单位|牵头"
RESP_LABEL = r"责任单位|责任部门|配合单位|配合部门|协办单位|参与单位|落实单位|实施单位|配合"
TIME_LABEL = r"完成时限|时限要求|完成时间|时间节点|时间要求|进度安排|时限"
LONG_LABELS = "|".join(
    label
    for group in (LEAD_LABEL, RESP_LABEL, TIME_LABEL)
    for label in group.split("|")
    if len(label) > 2
)
# The colon may be lost in conversion ("牵头单位 市政务办 责任单位 …"), except after the
# two-character labels (牵头, 配合, 时限), which are ordinary words too. "各责任单位" is a unit.
LABEL_RE = re.compile(
    rf"(?<![各等关有])(?P<long>{LONG_LABELS})[:：]?"
    r"|(?:^|(?<=[，,；;。]))(?P<short>牵头|配合|时限)[:：]"
)
LABEL_START_RE = re.compile(rf"^(?:{LEAD_LABEL}|{RESP_LABEL}|{TIME_LABEL})[:：]")
# "(市政务办牵头，各县区政府负责)": units named by the verb after them.
VERB_UNITS_RE = re.compile(r"^由?(.+?)(牵头|负责|配合|参与|落实|按职责分工负责|分别负责)$")


@dataclass
class UnitBlock:
    """A unit parenthesis or a run of label lines: where a task's text stops."""

    start: int
    end: int
    lead: list[str] = field(default_factory=list)
    responsible: list[str] = field(default_factory=list)
    time_text: str = ""
    has_units: bool = False
    # How the units were printed: "column" (a unit column of a table), "parenthesis" (a unit
    # parenthesis after the text), "label" (a 牵头单位：… line); units whose role a phrase
    # gave ("X牵头，Y配合") are listed in `phrased`.
    how: str = ""
    phrased: list[str] = field(default_factory=list)


def parse_labelled(content: str) -> UnitBlock | None:
    """Read "牵头单位:A、B,责任单位:C" (any order, any separators) into a block."""
    labels = list(LABEL_RE.finditer(fold(content)))
    if not labels or labels[0].start() > 0:
        return parse_verb_units(content)
    block = UnitBlock(0, 0)
    for i, match in enumerate(labels):
        end = labels[i + 1].start() if i + 1 < len(labels) else len(content)
        value = content[match.end() : end]
        label = match.group("long") or match.group("short")  # folded
        if re.fullmatch(TIME_LABEL, label):
            block.time_text += value.strip("，,；;。")
        elif re.fullmatch(LEAD_LABEL, label):
            block.lead += split_units(value)
            block.has_units = True
        else:
            block.responsible += split_units(value)
            block.has_units = True
    return sort_marked_units(block)


LEAD_MARK_RE = re.compile(r"^(?P<unit>.+?)[（(](?P<mark>牵头|配合|参与|协办)(?:单位|部门)?[）)]$")


def sort_marked_units(block: UnitBlock) -> UnitBlock:
    """ "市发改委（牵头）、市财政局" in one list: the unit marked 牵头 is a lead unit."""
    lead, responsible = [], []
    for units, default in ((block.lead, lead), (block.responsible, responsible)):
        for unit in units:
            match = LEAD_MARK_RE.match(fold(unit))
            if match is None:
                default.append(unit)
            else:
                target = lead if match.group("mark") == "牵头" else default
                target.append(unit[: match.end("unit")])
    block.lead, block.responsible = lead, responsible
    return block


def parse_verb_units(content: str) -> UnitBlock | None:
    segments = [s for s in split_outside_brackets(content, "，,；;") if s]
    if not segments:
        return None
    block = UnitBlock(0, 0, has_units=True)
    for n, segment in enumerate(segments):
        folded = fold(segment).removeprefix("由")
        match = ROLE_SUFFIX_RE.match(folded)
        offset = len(segment) - len(folded)
        if match is None and (block.lead or block.responsible):
            # "X牵头，Y": the units after the lead ones, without a verb, are responsible.
            units = split_units(segment)
            if units and all(looks_like_org(u) for u in units):
                block.responsible.extend(units)
                continue
            if n == len(segments) - 1:
                break  # a parenthesis cut by the end of the copy
            return None
        units = split_units(segment[offset : offset + match.end("units")]) if match else []
        if not match or not units or not all(looks_like_org(u) for u in units):
            return None
        (block.lead if "牵头" in match.group("role") else block.responsible).extend(units)
        block.phrased.extend(units)
    return block if block.lead or block.responsible else None


ROLE_WORD_RE = re.compile(r"牵头|负责|配合|参照|落实")


# --------------------------------------------------------------------------- deadlines

MONTH = r"(?:1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])"
DEADLINE_CORE = (
    rf"(?:(?:\d{{4}}|[今本当明])年)?"
    rf"(?:{MONTH}月(?:底|末|[上中下]旬|\d{{1,2}}日)|年?[底末]|第?[一二三四1-4]季度[末底]?|[上下]半年[末底]?)"
)
DEADLINE_RE = re.compile(
    rf"(?<![\d一二三四五六七八九十])(?P<phrase>{DEADLINE_CORE}(?P<before>前|之前|以前)?)"
)
# A deadline cell of a table may omit 前 and even the day: "2020年12月".
CELL_DEADLINE_RE = re.compile(
    rf"(?<![\d一二三四五六七八九十])(?:{DEADLINE_CORE}|(?:\d{{4}}年)?{MONTH}月)(?:前|之前|以前)?"
)
# Without 前 a date is a deadline only when the sentence makes it one ("于2020年底完成").
DEADLINE_CONTEXT_BEFORE = ("于", "在", "到", "力争", "确保", "争取")
DEADLINE_CONTEXT_AFTER = ("完成", "实现", "建成", "全部", "基本", "上线", "公开", "前")


def find_deadline(text: str) -> str | None:
    """The first calendar-deadline phrase in a task's text, as printed (compact)."""
    for match in DEADLINE_RE.finditer(text):
        phrase = match.group("phrase")
        if match.group("before"):
            return phrase
        before = text[max(0, match.start() - 2) : match.start()]
        after = text[match.end() : match.end() + 2]
        if before.endswith(DEADLINE_CONTEXT_BEFORE) or after.startswith(DEADLINE_CONTEXT_AFTER):
            return phrase
    return None


def find_cell_deadline(text: str) -> str | None:
    match = CELL_DEADLINE_RE.search(compact(text))
    return match.group(0) if match else None


def month_end(year: int, month: int) -> datetime.date:
    first_of_next = datetime.date(year + month // 12, month % 12 + 1, 1)
    return first_of_next - datetime.timedelta(days=1)


RESOLVE_RE = re.compile(
    rf"(?:(?P<year>\d{{4}})年|(?P<rel>[今本当明])年)?"
    rf"(?:(?P<month>{MONTH})月(?:(?P<end>底|末)|(?P<decade>[上中下])旬|(?P<day>\d{{1,2}})日)?"
    rf"|第?(?P<quarter>[一二三四1-4])季度|(?P<half>[上下])半年|年?(?P<year_end>[底末]))"
)


def resolve_deadline(phrase: str, year: int) -> datetime.date | None:
    """The date a deadline phrase stands for; the plan `year` when it names none.

    "11月底前" → 11-30, "年底前" → 12-31, "2020年6月30日前" → 06-30, "2月底前" → 02-28/29,
    "6月中旬前" → 06-20, "三季度末" → 09-30, "上半年" → 06-30; relative or open limits ("持续推进", "3个工作日内") → None.
    """
    text = compact(phrase)
    match = RESOLVE_RE.search(text)
    if not match or not match.group(0):
        return None
    if match.group("year"):
        year = int(match.group("year"))
    elif match.group("rel") == "明":
        year += 1
    if match.group("year_end") or match.group("half") == "下":
        return datetime.date(year, 12, 31)
    if match.group("half") or match.group("quarter"):
        quarter = cn_to_int(match.group("quarter") or "二")  # 上半年 ends with the 2nd quarter
        return month_end(year, quarter * 3)
    month = cn_to_int(match.group("month"))
    if not 1 <= month <= 12:
        return None
    last_day = month_end(year, month).day
    if match.group("day"):
        day = int(match.group("day"))
        return datetime.date(year, month, day) if 1 <= day <= last_day else None
    decade = match.group("decade")
    day = {"上": 10, "中": 20}.get(decade or "", last_day)
    return datetime.date(year, month, day)


# --------------------------------------------------------------------------- recurring

PERIOD = r"(?:每(?:个)?(?:年度?|季度?|月|半年|周|旬|两年|天|日)|每半月)"
COUNT_RE = re.compile(
    rf"{PERIOD}[^。；;，,]{{0,15}}?(?:\d+|[一二两三四五六七八九十]+)(?:次|期|轮|场)"
)
PERIOD_NOUN_RE = re.compile(r"(半年|季度|每年|每季|每月|每周|月度)")
PERIOD_TAIL_RE = re.compile(r"(制度|通报|报告|总结|例会|会议|调度|检查|考核|报送|分析)")


def find_recurring(text: str) -> str | None:
    """The shortest verbatim phrase stating an explicit period ("每季度公开1次").

    定期 alone (no period) is not recurring, nor is a 年度报告 (the annual report itself)."""
    match = COUNT_RE.search(text)
    if match:
        return match.group(0)
    for clause in re.split(r"[。；;，,]", text):
        start = PERIOD_NOUN_RE.search(clause)
        if not start:
            continue
        tails = list(PERIOD_TAIL_RE.finditer(clause, start.end()))
        if tails:
            return clause[start.start() : tails[-1].end()]
    return None


# --------------------------------------------------------------------------- document model


@dataclass
class Line:
    raw: str
    cstart: int  # offset of the line's first non-space character in the compact text
    cend: int

    @property
    def width(self) -> int:
        return visual_width(self.raw.strip())


class Source:
    """The original text, its compact form and the map between them."""

    def __init__(self, text: str):
        self.text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
        self.omap: list[int] = []  # compact index -> offset in self.text
        self.lines: list[Line] = []
        offset = 0
        for raw in self.text.split("\n"):
            start = len(self.omap)
            self.omap += [offset + i for i, ch in enumerate(raw) if not ch.isspace()]
            self.lines.append(Line(raw, start, len(self.omap)))
            offset += len(raw) + 1
        self.compact = "".join(self.text[i] for i in self.omap)

    def line_text(self, line: Line) -> str:
        return self.compact[line.cstart : line.cend]

    def raw(self, cstart: int, cend: int) -> str:
        """The original passage covering compact [cstart, cend)."""
        if cend <= cstart:
            return ""
        return self.text[self.omap[cstart] : self.omap[cend - 1] + 1]


PAGE_NUMBER_RE = re.compile(
    r"^(?:[-－—–~～]+\d{1,3}[-－—–~～]+|第\d{1,3}页(?:共\d{1,3}页)?|\d{1,3}/\d{1,3}|\d{1,3})$"
)
DATE_RE = r"\d{4}年\d{1,2}月\d{1,2}日"
PRINTED_RE = re.compile(rf"^(?P<org>.*?)(?P<date>{DATE_RE})印发$")
STOP_RE = re.compile(rf"^(抄送|主送|主办|督办|附件[:：]|注[:：]|说明[:：]|[（(]此件|{DATE_RE}$)")


def is_page_artifact(text: str) -> bool:
    return bool(PAGE_NUMBER_RE.match(text))


def is_stop(text: str) -> bool:
    """Lines that end the body of a plan or notice: date lines, 抄送, the 印发 line."""
    text = fold(text)
    return bool(STOP_RE.match(text) or PRINTED_RE.match(text))


def drop_page_breaks(text: str) -> str:
    """Blank out page numbers ("— 3 —") and the page heads repeated beside them.

    Done before anything else so that a unit parenthesis broken by a page keeps no trace of
    it. Table cells (TAB-started lines, pipe rows) are never page numbers."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").split("\n")
    # Only non-blank lines count as neighbours: a page number sits between blank lines.
    filled = [i for i, line in enumerate(lines) if line.strip()]
    texts = {i: compact(lines[i]) for i in filled}
    # A number between lines holding only "|" is a 序号 cell of a flattened table.
    in_table = {
        n
        for n, i in enumerate(filled)
        if any(0 <= m < len(filled) and texts[filled[m]] == "|" for m in (n - 1, n + 1))
    }
    # Under a header naming a 序号 column, one cell per line, bare numbers are row numbers.
    number_column = any(
        fold(texts[filled[n]]) in ("序号", "编号")
        and all(is_header_word(texts[filled[m]]) for m in range(n, min(n + 3, len(filled))))
        for n in range(len(filled))
    )
    if number_column:
        in_table |= {n for n, i in enumerate(filled) if texts[i].isdigit()}
    pages = {
        n
        for n, i in enumerate(filled)
        if is_page_artifact(texts[i])
        and not lines[i].startswith("\t")
        and "|" not in lines[i]
        and n not in in_table
    }
    counts: dict[str, int] = {}
    for t in texts.values():
        counts[t] = counts.get(t, 0) + 1
    for n, i in enumerate(filled):
        beside_page = bool({n - 1, n + 1} & pages)
        repeated_head = counts[texts[i]] >= 2 and len(texts[i]) <= 40 and beside_page
        if n in pages or (repeated_head and not parse_marker(texts[i]) and "|" not in texts[i]):
            lines[i] = ""
    return "\n".join(lines)


# A PDF copied without line breaks runs its items on in one line: "…。二、工作任务（一）…。1．…".
RUN_ON_LINE = 300
RUN_ON_BREAK_RE = re.compile(
    r"(?<=[。；;：:！!])(?=[一二三四五六七八九十]{1,3}、|\d{1,2}[．.、](?!\d))"
    r"|(?<=[^（(\s])(?=[（(][一二三四五六七八九十]{1,3}[）)][^，,、）)])"
)


def break_run_on_lines(text: str) -> str:
    """Put each numbered item of a very long line on a line of its own."""
    lines = text.split("\n")
    if not any(len(line) > RUN_ON_LINE for line in lines):
        return text
    return "\n".join(
        RUN_ON_BREAK_RE.sub("\n", line) if len(line) > RUN_ON_LINE else line for line in lines
    )


# --------------------------------------------------------------------------- numbering


@dataclass
class Marker:
    kind: str  # cn 一、 | pcn （一） | num 1． | pnum （1） | circ ①
    rank: int
    ordinal: int
    token: str  # as it appears in a task number: 一, (一), 1, (1), ①
    length: int  # characters of the marker in the compact text


MARKER_PATTERNS = [
    ("cn", 1, re.compile(r"^(?P<n>[一二三四五六七八九十]{1,3})[、．.]")),
    ("pcn", 2, re.compile(r"^[（(](?P<n>[一二三四五六七八九十]{1,3})[）)]")),
    # "3．10月底前…" is item 3, "3.5%…" is a number.
    ("num", 3, re.compile(r"^(?P<n>\d{1,2})(?:[．、]|\.(?!\d+(?:[.%％]|倍|亿|万|元|个百分点)))")),
    ("pnum", 4, re.compile(r"^(?:[（(](?P<n>\d{1,2})[）)]|(?P<m>\d{1,2})[）)])")),
    ("circ", 5, re.compile(r"^(?P<n>[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳])")),
]
# "17 严格执行…": a bare number followed by a space, accepted only in sequence. A wrapped
# line may start with a spaced count as well ("1 次集中培训", "26 个试点领域"): not an item.
BARE_NUMBER_RE = re.compile(
    r"^\s*(\d{1,2})\s+(?![个次年月日项家人名件条份批类万亿元天周倍位所座处种轮期级号%％])\S"
)


def parse_marker(text: str, raw: str = "") -> Marker | None:
    for kind, rank, pattern in MARKER_PATTERNS:
        match = pattern.match(text)
        if not match:
            continue
        numeral = match.group("n") or (match.groupdict().get("m") or "")
        if kind == "circ":
            ordinal = ord(numeral) - ord("①") + 1
            token = numeral
        else:
            ordinal = cn_to_int(numeral)
            token = f"({numeral})" if kind in ("pcn", "pnum") else numeral
        return Marker(kind, rank, ordinal, token, match.end())
    bare = BARE_NUMBER_RE.match(raw)
    if bare and text.startswith(bare.group(1)) and not text[len(bare.group(1)) :][:1].isdigit():
        number = bare.group(1)
        return Marker("num", 3, int(number), number, len(number))
    return None


@dataclass
class Node:
    """A numbered item of the outline."""

    marker: Marker | None
    title: str
    parent: Node | None = None
    children_last: dict[int, int] = field(default_factory=dict)
    tasks: int = 0

    @property
    def path(self) -> list[Node]:
        nodes, node = [], self
        while node is not None and node.marker is not None:
            nodes.append(node)
            node = node.parent
        return nodes[::-1]


class Outline:
    """The stack of enclosing items while reading a plan top to bottom."""

    def __init__(self):
        self.root = Node(None, "")
        self.stack: list[Node] = [self.root]
        self.last_by_rank: dict[int, int] = {}
        self.arabic: list[Node] = []
        # A copy that starts mid-document (page 2 of a plan, "4．…") opens with an item whose
        # earlier siblings are gone: then a first item of any rank may have any number.
        self.cut_start = False
        self.opening = False  # set while the first lines of the text are read

    @property
    def top(self) -> Node:
        return self.stack[-1]

    def parent_for(self, marker: Marker) -> Node:
        for node in reversed(self.stack):
            if node.marker is None or node.marker.rank < marker.rank:
                return node
        return self.root

    def is_repeat(self, marker: Marker, title: str) -> bool:
        """A heading printed again at a page break: the same number and title as an item
        still open. ("（一）加强组织领导" under another section is a new item.)"""
        return bool(title) and any(
            node.marker is not None and (node.marker.token, node.title) == (marker.token, title)
            for node in self.stack
        )

    def in_sequence(self, marker: Marker) -> bool:
        parent = self.parent_for(marker)
        last = parent.children_last.get(marker.rank, 0)
        if last:
            return 0 < marker.ordinal - last <= 3  # a copy may skip an item or two
        # A first child: 1, or the next number of a list running on across sections.
        if (not self.last_by_rank and self.opening) or self.cut_start:
            return marker.kind != "circ" or marker.ordinal == 1
        return marker.ordinal in (1, self.last_by_rank.get(marker.rank, 0) + 1)

    def push(self, marker: Marker, title: str) -> Node:
        parent = self.parent_for(marker)
        while self.stack[-1] is not parent:
            self.stack.pop()
        if not self.last_by_rank and marker.ordinal != 1:
            self.cut_start = True
        parent.children_last[marker.rank] = marker.ordinal
        self.last_by_rank[marker.rank] = marker.ordinal
        node = Node(marker, title, parent)
        self.stack.append(node)
        if marker.kind == "num":
            self.arabic.append(node)
        return node


def bare_numbering(outline: Outline) -> bool:
    """Items 1, 2, 3… that run on across sections are numbered by the bare number."""
    nodes = outline.arabic
    if len({id(node.parent) for node in nodes}) < 2:
        return False
    return all(node.marker.ordinal == i + 1 for i, node in enumerate(nodes))


def number_of(node: Node, suffix: int, bare: bool) -> str:
    path = node.path
    if bare:
        # Cut the path at the running arabic number: "二/(五)/17" is printed "17".
        for i, item in enumerate(path):
            if item.marker.kind == "num":
                path = path[i:]
                break
    number = "/".join(item.marker.token for item in path)
    if not number:
        return str(suffix)  # rows of a table without numbers: numbered in order
    return f"{number}#{suffix}" if suffix > 1 else number


def heading_of(node: Node, include_self: bool) -> str:
    path = node.path if include_self else node.path[:-1]
    return " / ".join(item.title for item in path if item.title)


def short_title(marker_text: str) -> str:
    """A heading for display: the marker and the first sentence, at most 40 characters."""
    first = re.split(r"(?<=[。；;])", marker_text, maxsplit=1)[0]
    return first[:40]


# --------------------------------------------------------------------------- tasks


@dataclass
class Draft:
    """A task before numbering is final (bare numbering is known only at the end)."""

    node: Node
    suffix: int
    text: str
    block: UnitBlock | None
    cstart: int
    cend: int
    heading: str
    deadline_cell: str | None = None
    layout: str = "outline"


SENTENCE_END = ("。", "；", ";", "！", "!", "）", ")", "”", "」", ".")


def drop_cut_tail(drafts: list[Draft], source: Source) -> list[Draft]:
    """A copy cut off mid-item (a web page kept up to a length limit) ends in a fragment: a
    heading whose paragraph is gone, or a table row whose unit cells are gone while the other
    rows have theirs. That fragment is no task."""
    if len(drafts) < 2:
        return drafts
    last = drafts[-1]
    at_end = not source.compact[last.cend :].strip("|")
    unfinished = not last.text.endswith(SENTENCE_END)
    has_units = bool(last.block and (last.block.lead or last.block.responsible))
    others_have_units = any(d.block and (d.block.lead or d.block.responsible) for d in drafts)
    if at_end and unfinished and not has_units and (len(last.text) < 20 or others_have_units):
        return drafts[:-1]
    return drafts


def finish(drafts: list[Draft], outline: Outline, source: Source, year: int) -> list[ExtractedTask]:
    bare = bare_numbering(outline)
    plan_has_units = any(d.block and (d.block.lead or d.block.responsible) for d in drafts)
    tasks = []
    for draft in drafts:
        block = draft.block
        deadline_text = (
            (find_cell_deadline(block.time_text) if block and block.time_text else None)
            or draft.deadline_cell
            or find_deadline(draft.text)
            or (find_deadline(source.compact[block.start : block.end]) if block else None)
        )
        units_known = block is not None and block.has_units
        lead = list(block.lead) if units_known else []
        responsible = list(block.responsible) if units_known else []
        found_by = ("column" if draft.layout == "table" else "marks") if units_known else "none"
        unit_how: dict[str, str] = {}
        if not units_known:
            lead, responsible = sentence_units(draft.text)
            if lead or responsible:
                found_by = "sentence"
            unit_how = dict.fromkeys(lead + responsible, "sentence")
        else:
            phrased = set(block.phrased)
            for name in lead + responsible:
                unit_how[name] = "role_phrase" if name in phrased else (block.how or "label")
        if draft.layout == "table":
            marker = draft.node.marker
            task_how = "unnumbered_row" if marker and marker.kind == "row" else "table_row"
        else:
            task_how = "numbered_item" if units_known else "leaf_item"
        tasks.append(
            ExtractedTask(
                number=number_of(draft.node, draft.suffix, bare),
                text=draft.text,
                lead_units=lead,
                responsible_units=responsible,
                deadline_text=deadline_text,
                deadline=resolve_deadline(deadline_text, year) if deadline_text else None,
                recurring=find_recurring(draft.text),
                source_text=source.raw(draft.cstart, draft.cend).strip(),
                heading=draft.heading,
                found_by=found_by,
                layout=draft.layout,
                task_how=task_how,
                unit_how=unit_how,
                units_missing=plan_has_units and not (lead or responsible),
            )
        )
    return tasks


# "秘书科要全面做好…", "政务信息中心负责…": a duty list names the unit as the sentence's subject.
# Mirror sites insert pinyin after characters ("政務(wù)"): no bracket of a name, kept as printed.
PINYIN = r"[（(][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,7}[）)]"
SUBJECT_RE = re.compile(
    rf"^(?P<unit>(?:[^，,。；;、：:（(“”\s]|{PINYIN}){{2,24}}?)(?:要|应当|负责|须|必须)"
)
NOT_SUBJECT_RE = re.compile(r"^(?:由|我|本|各地|各级|全|进一步|切实|不断)")


def sentence_subject(text: str) -> str | None:
    """The unit a task's sentence starts with, when it reads as an organisation's name."""
    match = SUBJECT_RE.match(fold(text))
    if not match or NOT_SUBJECT_RE.match(match.group("unit")):
        return None
    unit = text[: match.end("unit")]
    return unit if looks_like_org(unit) else None


# "…。由县政府办公室负责，…" / "由市发展改革委牵头": units named by 由 inside the text.
BY_UNIT_RE = re.compile(
    r"(?:^|(?<=[。；;，,]))由(?P<units>[^，,。；;由]{2,40}?)(?P<role>牵头|具体负责|负责|组织实施)"
)


def sentence_units(text: str) -> tuple[list[str], list[str]]:
    """Units named in a task's own sentences, when no unit column or parenthesis names them:
    the subject of its first sentence, or of the sentence after a short title ("加强解读。
    秘书科要…"), and every "由X负责/牵头" clause. Lower confidence than marks or columns."""
    lead: list[str] = []
    responsible: list[str] = []
    first, _sep, rest = text.partition("。")
    subject = sentence_subject(text) or (sentence_subject(rest) if len(first) <= 20 else None)
    if subject:
        responsible.append(subject)
    folded = fold(text)
    for match in BY_UNIT_RE.finditer(folded):
        units = split_units(text[match.start("units") : match.end("units")])
        if units and all(looks_like_org(unit) for unit in units):
            target = lead if match.group("role") == "牵头" else responsible
            target.extend(u for u in units if u not in lead + responsible)
    return lead, responsible


# --------------------------------------------------------------------------- prose layout


@dataclass
class Paragraph:
    cstart: int
    cend: int
    kind: str  # marker | label | stop | text
    closed: bool = False
    marker: Marker | None = None


def detect_wrap_width(widths: list[int]) -> int | None:
    """The fixed width lines were broken at, or None when lines are whole paragraphs."""
    widths = sorted(w for w in widths if w >= 8)
    if len(widths) < 10:
        return None
    width = widths[int(len(widths) * 0.75)]
    near = sum(1 for w in widths if width - 6 <= w <= width + 4)
    if width > 200 or near < 0.4 * len(widths):
        return None
    return width


def build_paragraphs(source: Source, lines: list[Line]) -> list[Paragraph]:
    """Rejoin hard-wrapped lines: a line shorter than the wrap width ends its paragraph."""
    wrap = detect_wrap_width([line.width for line in lines])
    slack = max(4, round((wrap or 0) * 0.13))
    paragraphs: list[Paragraph] = []
    for line in lines:
        text = source.line_text(line)
        kind, marker = classify_line(text, line.raw)
        indented = line.raw.startswith(("  ", "\u3000", "\t"))
        current = paragraphs[-1] if paragraphs else None
        if current is None or current.closed or kind != "text" or (wrap and indented):
            current = Paragraph(line.cstart, line.cend, kind, marker=marker)
            paragraphs.append(current)
        current.cend = line.cend
        current.closed = kind == "stop" or wrap is None or line.width < wrap - slack
    return paragraphs


def classify_line(text: str, raw: str) -> tuple[str, Marker | None]:
    if is_stop(text):
        return "stop", None
    if LABEL_START_RE.match(fold(text)):
        return "label", None
    marker = parse_marker(text, raw)
    if marker:
        return "marker", marker
    return "text", None


@dataclass
class Item:
    node: Node
    paragraphs: list[Paragraph]
    content_start: int  # after the marker
    cend: int


def read_items(source: Source, paragraphs: list[Paragraph]) -> tuple[list[Item], Outline]:
    outline = Outline()
    items: list[Item] = []
    current: Item | None = None
    for n, para in enumerate(paragraphs):
        text = source.compact[para.cstart : para.cend]
        outline.opening = n < 3  # a copy cut at its start opens with an item
        if para.kind == "stop":
            drop_signature(source, current)
            current = None
            continue
        if para.kind == "marker" and accept_marker(outline, para.marker, text):
            if outline.is_repeat(para.marker, short_title(text)):
                continue  # a heading repeated at a page break: the item goes on
            node = outline.push(para.marker, short_title(text))
            current = Item(node, [para], para.cstart + para.marker.length, para.cend)
            items.append(current)
        elif current is not None:
            current.paragraphs.append(para)
            current.cend = para.cend
    return items, outline


def drop_signature(source: Source, item: Item | None) -> None:
    """The office signing above a date line is no part of the last item's text."""
    if item is None or len(item.paragraphs) < 2:
        return
    last = item.paragraphs[-1]
    if is_issuer_name(source.compact[last.cstart : last.cend]):
        item.paragraphs.pop()
        item.cend = item.paragraphs[-1].cend


def accept_marker(outline: Outline, marker: Marker, text: str) -> bool:
    return outline.is_repeat(marker, short_title(text)) or outline.in_sequence(marker)


def find_blocks(source: Source, item: Item) -> list[UnitBlock]:
    """Unit parentheses and label lines inside an item, in order."""
    text = source.compact
    blocks: list[UnitBlock] = []
    i = item.content_start
    while i < item.cend:
        if text[i] in "(（" and (block := read_parenthesis(text, i, item.cend)):
            blocks.append(block)
            i = block.end
        else:
            i += 1
    for para in item.paragraphs:
        if para.kind == "label" and not any(b.start <= para.cstart < b.end for b in blocks):
            block = parse_labelled(text[para.cstart : para.cend])
            if block:
                block.start, block.end = para.cstart, para.cend
                block.how = block.how or "label"
                blocks.append(block)
    return merge_adjacent(text, sorted(blocks, key=lambda b: b.start))


def read_parenthesis(text: str, start: int, limit: int) -> UnitBlock | None:
    close = matching_close(text, start)
    end = close if 0 <= close < limit else limit  # unclosed: the converter lost the bracket
    content = text[start + 1 : end]
    if not LABEL_RE.search(fold(content[:12])) and not ROLE_WORD_RE.search(fold(content)):
        return None
    block = parse_labelled(content.lstrip(":："))
    if block is None:
        return None
    block.start, block.end = start, min(end + 1, limit)
    block.how = block.how or "parenthesis"
    return block


def merge_adjacent(text: str, blocks: list[UnitBlock]) -> list[UnitBlock]:
    """ "(牵头单位：A)(完成时限：…)" or consecutive label lines describe one task."""
    merged: list[UnitBlock] = []
    for block in blocks:
        previous = merged[-1] if merged else None
        if previous and not text[previous.end : block.start].strip("。；;，,.、"):
            previous.lead += block.lead
            previous.responsible += block.responsible
            previous.time_text += block.time_text
            previous.has_units = previous.has_units or block.has_units
            previous.phrased += block.phrased
            previous.how = previous.how or block.how
            previous.end = block.end
        else:
            merged.append(block)
    return merged


UNFINISHED_END_RE = re.compile(
    r"(根据|按照|依据|依照|围绕|通过|对于|关于|[对把将以在和与及的并从向])$"
)


def is_heading_paragraph(source: Source, item: Item, chunk_end: int) -> bool:
    """A "(一)…" title on its own line with the work in the paragraph(s) below."""
    first = item.paragraphs[0]
    title = source.compact[item.content_start : first.cend]
    rest = source.compact[first.cend : chunk_end].strip("。；;，,")
    one_sentence = title.rstrip("。").count("。") == 0
    # A title never stops at a comma: "1．对照法律法规规章，" + next line is one sentence.
    # Nor at a preposition or particle that needs its object: "（三）验收总结阶段根据" + "《条例》…".
    unfinished = title.endswith(("，", ",", "、", "：", ":", "；", ";", "（", "(")) or bool(
        UNFINISHED_END_RE.search(fold(title))
    )
    fits = first.cend <= chunk_end and len(title) <= 40
    return bool(rest) and fits and one_sentence and not unfinished


def prose_drafts(source: Source, items: list[Item], with_units: bool) -> list[Draft]:
    drafts: list[Draft] = []
    for item in items:
        if with_units:
            drafts += unit_drafts(source, item)
        elif is_leaf_task(items, item):
            drafts += leaf_draft(source, item)
    return drafts


def unit_drafts(source: Source, item: Item) -> list[Draft]:
    """Each stretch of the item ending with a unit block is a task: path, path#2, path#3."""
    drafts = []
    start = item.content_start
    for block in find_blocks(source, item):
        text_start = start
        if start == item.content_start and is_heading_paragraph(source, item, block.start):
            text_start = item.paragraphs[0].cend
        text = source.compact[text_start : block.start].lstrip("。；;，,、")
        if text:
            item.node.tasks += 1
            own_heading = text_start != item.content_start
            drafts.append(make_draft(source, item, text, block, start, own_heading))
        start = block.end
    return drafts


def make_draft(
    source: Source, item: Item, text: str, block: UnitBlock | None, cstart: int, own_heading: bool
) -> Draft:
    if cstart == item.content_start:
        cstart = item.paragraphs[0].cstart  # show the number too
    cend = block.end if block else item.cend
    heading = heading_of(item.node, include_self=own_heading)
    return Draft(item.node, item.node.tasks, text, block, cstart, cend, heading)


PREAMBLE_TITLE_RE = re.compile(r"(总体要求|指导思想|工作目标|主要目标|基本原则|目标任务|总体目标)")


def is_leaf_task(items: list[Item], item: Item) -> bool:
    """Without unit marks: every item that has no sub-items, except a lone 总体要求 section."""
    if any(other.node.parent is item.node for other in items):
        return False
    if item.node.marker.rank == 1 and any(
        other.node.parent is not None and other.node.parent.marker is not None for other in items
    ):
        return False  # a section without sub-items while others have them: 总体要求 etc.
    return not PREAMBLE_TITLE_RE.search(fold(item.node.title[:12]))


def leaf_draft(source: Source, item: Item) -> list[Draft]:
    start = item.content_start
    own_heading = is_heading_paragraph(source, item, item.cend)
    if own_heading:
        start = item.paragraphs[0].cend
    text = source.compact[start : item.cend].lstrip("。；;，,、")
    if not text:
        return []
    item.node.tasks += 1
    return [make_draft(source, item, text, None, item.content_start, own_heading)]


def extract_prose(source: Source, end: int | None = None) -> tuple[list[Draft], Outline]:
    """Tasks of numbered prose items; with `end`, only of the lines before that offset."""
    lines = [
        line
        for line in source.lines
        if line.cend > line.cstart and (end is None or line.cend <= end)
    ]
    paragraphs = build_paragraphs(source, lines)
    items, outline = read_items(source, paragraphs)
    with_units = any(find_blocks(source, item) for item in items)
    return prose_drafts(source, items, with_units), outline


# --------------------------------------------------------------------------- table layout


@dataclass
class Cell:
    cstart: int
    cend: int
    lines: list[str]

    def text(self, source: Source) -> str:
        return source.compact[self.cstart : self.cend]


# A header cell is short and names a column: 序号, 重点任务, 具体措施, 牵头单位, 时限要求…
HEADER_WORDS = re.compile(
    r"^(?=.{1,8}$)(?:序号|编号|备注|类别|分类|领域|项目|责任人|责任领导|分管领导|联系人"
    r"|.{0,6}(?:任务|举措|措施|内容|事项|工作|要求|目标)"
    r"|.{0,4}(?:单位|部门|科室|处室|股室|站所|责任科|责任处|责任股)"
    r"|.{0,4}(?:时限|时间|期限|节点|进度|安排))$"
)


def is_header_word(text: str) -> bool:
    return bool(HEADER_WORDS.match(fold(text)))


def column_role(name: str) -> str:
    name = fold(name)
    if re.search(r"序号|编号", name):
        return "number"
    if re.search(r"牵头|主责", name):
        return "lead"
    if re.search(r"责任人|领导|联系人|备注", name):
        return "note"  # people and remarks are no units
    if re.search(r"单位|部门|科室|处室|股室|站所|责任|负责|配合|协办", name):
        return "responsible"  # 责任单位, 配合单位, 协办部门…
    if re.search(r"时限|时间|期限|节点|进度|安排", name):
        return "deadline"
    return "text"


def tab_cells(source: Source) -> list[Cell] | None:
    """Cells of a table flattened as one TAB-started line per cell; untabbed lines continue
    the cell above ("政务服务和大" / "数据管理局"). The 印发 line or a note ends the table."""
    cells: list[Cell] = []
    for line in source.lines:
        text = source.line_text(line)
        if line.raw.startswith("\t"):
            cells.append(Cell(line.cstart, line.cend, [text] if text else []))
        elif cells and text:
            if is_stop(text):
                break
            cells[-1].cend = line.cend
            cells[-1].lines.append(text)
    return cells if len(cells) >= 6 else None


def line_cells(source: Source) -> list[Cell] | None:
    """Cells of a table flattened one cell per line, as web pages and PDFs are copied.

    Three spellings: cells between lines holding only "|" (two such lines in a row end a row),
    cells each on a line ending with "|", or bare lines. A cell of the first two spellings may
    run over several lines; bare lines are one cell each (a header run must be found)."""
    lines = [line for line in source.lines if line.cend > line.cstart]
    texts = [source.line_text(line) for line in lines]
    cells: list[Cell] = []
    if sum(1 for t in texts if t == "|") >= 6:
        current: Cell | None = None
        for line, text in zip(lines, texts, strict=True):
            if text == "|":
                current = None
            elif current is None:
                current = Cell(line.cstart, line.cend, [text])
                cells.append(current)
            else:
                current.cend = line.cend
                current.lines.append(text)
    elif sum(1 for t in texts if t.endswith("|") and t.count("|") == 1) >= 6:
        open_cell = False
        for line, text in zip(lines, texts, strict=True):
            body = text.removesuffix("|")
            if open_cell and cells and body:
                cells[-1].cend = line.cstart + len(body)
                cells[-1].lines.append(body)
            elif body:
                cells.append(Cell(line.cstart, line.cstart + len(body), [body]))
            open_cell = not text.endswith("|")
    else:
        cells = [
            Cell(line.cstart, line.cend, [text]) for line, text in zip(lines, texts, strict=True)
        ]
    return cells if len(cells) >= 6 else None


def row_cells(source: Source) -> list[list[Cell]] | None:
    """Rows of a table flattened one row per line, cells separated by | or TABs."""
    rows = []
    for line in source.lines:
        separator = "|" if line.raw.count("|") >= 2 else "\t" if "\t" in line.raw.strip() else ""
        # Markdown's "|---|---|" rule under the header is no row.
        if not separator or re.fullmatch(r"[|:\-=+—]*", source.line_text(line)):
            continue
        rows.append(split_row(source, line, separator))
    return rows if len(rows) >= 3 else None


def split_row(source: Source, line: Line, separator: str) -> list[Cell]:
    """Cells of one row, with their places in the compact text (| itself is not whitespace)."""
    raw = line.raw
    bounds = [i for i, ch in enumerate(raw) if ch == separator]
    edges = [-1, *bounds, len(raw)]
    if separator == "|":
        # "| a | b |": the outer pipes open and close the row, they do not add cells.
        if not raw[: bounds[0]].strip():
            edges = edges[1:]
        if not raw[bounds[-1] + 1 :].strip():
            edges = edges[:-1]
    cells = []
    for left, right in itertools.pairwise(edges):
        cstart = line.cstart + len(compact(raw[: left + 1]))
        text = compact(raw[left + 1 : right])
        cells.append(Cell(cstart, cstart + len(text), [text] if text else []))
    return cells


TASK_COLUMN_RE = re.compile(r"任务|措施|举措|内容|要求|事项|分工")


def header_roles(
    cells: list[Cell], source: Source, *, min_run: int = 0
) -> tuple[list[str], int] | None:
    """The column roles from the first run of header cells, and how many cells it spans.

    With `min_run`, shorter runs (a "工作目标" heading line) are passed over, and the header
    is looked for further down (after a title, an index block, the plan's preamble)."""
    start, limit = 0, 40 if not min_run else 400
    while start < min(len(cells), limit):
        if not is_header_word(cells[start].text(source)):
            start += 1
            continue
        end = start
        while end < len(cells) and is_header_word(cells[end].text(source)):
            end += 1
        roles = [column_role(c.text(source)) for c in cells[start:end]]
        names = fold("".join(c.text(source) for c in cells[start:end]))
        # Bare lines are a table only under a header naming both the work and its owner or
        # time: a few short lines of a prose plan ("工作目标", "责任单位：…") are not.
        task_column = not min_run or bool(TASK_COLUMN_RE.search(names))
        if (
            end - start >= min_run
            and task_column
            and any(r in ("lead", "responsible", "deadline") for r in roles)
        ):
            return roles, end
        if not min_run:
            return None
        start = end
    return None


def trailing_roles(roles: list[str]) -> list[str]:
    """The columns after the measure: 牵头单位, 责任单位, 时限要求, 备注."""
    last_text = max((i for i, role in enumerate(roles) if role == "text"), default=-1)
    return roles[last_text + 1 :]


def split_measures(cell: Cell) -> list[Cell]:
    """A measure cell may hold several numbered measures, one per line ("1．…" "2．…"):
    each is a task of its own, sharing the row's unit cells."""
    first = parse_marker(cell.lines[0]) if cell.lines else None
    if first is None or first.rank < 3:
        return [cell]
    parts: list[Cell] = []
    expected, start, offset = first.ordinal + 1, cell.cstart, cell.cstart
    current: list[str] = []
    for line in cell.lines:
        marker = parse_marker(line)
        if current and marker and marker.kind == first.kind and marker.ordinal == expected:
            parts.append(Cell(start, offset, current))
            start, current, expected = offset, [], expected + 1
        current.append(line)
        offset += len(line)
    parts.append(Cell(start, cell.cend, current))
    return parts


TIME_WORDS_RE = re.compile(r"工作日|每[年季月周]|长期|持续|常态|及时|随时|定期|全年")


def is_time_cell(text: str) -> bool:
    folded = fold(text)
    return bool(
        find_cell_deadline(text) or NOT_UNIT_RE.match(folded) or TIME_WORDS_RE.search(folded)
    )


def names_only(text: str) -> bool:
    """A cell holding nothing but organisation names."""
    units = split_units(text)
    return bool(units) and all(looks_like_org(unit) and len(unit) <= 30 for unit in units)


def names_cell(text: str) -> bool:
    """Organisation names only, role words allowed ("办公室牵头，各科室配合")."""
    lead, responsible = cell_role_units([text], "responsible")
    units = lead + responsible
    return bool(units) and all(looks_like_org(unit) and len(unit) <= 30 for unit in units)


PURE_NUMBER_RE = re.compile(r"^(?:\d{1,3}[.．、]?|[（(]?[一二三四五六七八九十]{1,3}[）)、]?)$")


UNIT_ROLES = ("lead", "responsible")


class TableReader:
    """Walks table cells: heading cells update the outline, a measure takes the next cells."""

    def __init__(
        self, source: Source, header: list[Cell], trailing: list[str], outline: Outline | None
    ):
        self.source = source
        self.header_texts = [c.text(source) for c in header]
        self.trailing = trailing
        self.outline = outline or Outline()
        self.context = self.outline.top  # the prose item the table stands in
        self.rows = 0
        self.drafts: list[Draft] = []
        self.pending_number: Marker | None = None

    def unit_like(self, cell: Cell) -> bool:
        text = cell.text(self.source)
        if not text or parse_marker(text) or PURE_NUMBER_RE.match(text):
            return False
        if "。" in text or len(text) > 120:
            return False
        if find_cell_deadline(text) or NOT_UNIT_RE.match(fold(text)):
            return True
        units = [unit for line in cell.lines for unit in split_units(line)]
        if units and all(looks_like_org(unit) and len(unit) <= 30 for unit in units):
            return True  # a long list of names: "市数据资源局,各县市区政府,各乡镇政府…"
        return all(len(line) <= 30 for line in cell.lines)

    def is_measure(self, cells: list[Cell], i: int) -> bool:
        text = cells[i].text(self.source)
        following = cells[i + 1] if i + 1 < len(cells) else None
        if following is not None and self.unit_like(following):
            return True
        marker = parse_marker(text)
        if marker and marker.rank <= 2:
            return False
        return len(text) >= 20

    def heading(self, cell: Cell) -> None:
        text = cell.text(self.source)
        marker = parse_marker(text)
        title = short_title(text)
        if marker is None and self.pending_number and self.pending_number.rank <= 2:
            # "| 一 | 深化决策公开 |": the section number sits in the 序号 column.
            marker, self.pending_number = self.pending_number, None
            title = marker.token + title
        if marker is None:
            return  # an un-numbered 重点任务 cell: no part of any number
        if not self.outline.is_repeat(marker, title):
            self.outline.push(marker, title)

    def number_cell(self, text: str) -> None:
        """A 序号 cell: "1", "1．", "一", "（一）" numbers the cell that follows."""
        self.pending_number = parse_marker(text + "．") or parse_marker(text)

    def measure(self, cell: Cell, trailing: list[Cell]) -> None:
        for part in split_measures(cell):
            self.one_measure(part, trailing)

    def one_measure(self, cell: Cell, trailing: list[Cell]) -> None:
        text = cell.text(self.source)
        marker = parse_marker(text) or self.pending_number
        self.pending_number = None
        body = text[marker.length :] if marker and parse_marker(text) else text
        if marker:
            node = self.outline.push(marker, short_title(text))
            own = False
        elif self.context.marker is not None and (
            self.outline.top is self.context or self.outline.top.marker.kind == "row"
        ):
            # A row without a number straight under a prose section: numbered in order.
            self.rows += 1
            row = Marker("row", 9, self.rows, str(self.rows), 0)
            node = self.outline.push(row, short_title(text))
            own = False
        else:
            node = self.outline.top  # an un-numbered measure belongs to the item above
            own = True
        node.tasks += 1
        block, deadline = self.read_trailing(trailing)
        heading = heading_of(node, include_self=own or node.tasks > 1)
        end = trailing[-1].cend if trailing else cell.cend
        self.drafts.append(
            Draft(node, node.tasks, body, block, cell.cstart, end, heading, deadline, "table")
        )

    def read_trailing(self, cells: list[Cell]) -> tuple[UnitBlock, str | None]:
        block = UnitBlock(0, 0, has_units=True, how="column")
        deadline = None
        for role, cell in zip(self.trailing, cells, strict=False):
            if role in ("lead", "responsible"):
                lead, responsible = cell_role_units(cell.lines, role, block.phrased)
                block.lead += lead
                block.responsible += responsible
            elif role == "deadline":
                deadline = find_cell_deadline(cell.text(self.source))
        block.has_units = any(role in ("lead", "responsible") for role in self.trailing)
        return sort_marked_units(block), deadline

    def take_trailing(self, cells: list[Cell], i: int) -> tuple[list[Cell], int]:
        """The unit and deadline cells after a measure, and how many cells they took: a
        unit cell written over several lines ("政策法规科" / "办公室") is one cell even
        where the flattening gave each line a cell of its own."""
        taken: list[Cell] = []
        j = i
        while len(taken) < len(self.trailing) and j < len(cells):
            cell = cells[j]
            text = cell.text(self.source)
            marker = parse_marker(text)
            if (marker and marker.rank <= 3) or PURE_NUMBER_RE.match(text):
                break  # the row ended early: this is the next row's number
            slot = self.trailing[len(taken)]
            previous = self.trailing[len(taken) - 1] if taken else ""
            if (
                slot not in ("lead", "responsible")
                and previous in ("lead", "responsible")
                and not is_time_cell(text)
                and names_only(text)
            ):
                last = taken[-1]
                taken[-1] = Cell(last.cstart, cell.cend, last.lines + cell.lines)
                j += 1
                continue
            taken.append(cell)
            j += 1
        return taken, j - i

    def walk_stream(self, cells: list[Cell]) -> None:
        i = 0
        while i < len(cells):
            text = cells[i].text(self.source)
            following = cells[i + 1].text(self.source) if i + 1 < len(cells) else ""
            if is_issuer_name(text) and re.fullmatch(DATE_RE, following):
                break  # the signature under the table: the office and the date (落款)
            if not text or text in self.header_texts:
                i += 1
            elif PURE_NUMBER_RE.match(text):
                self.number_cell(text)
                i += 1
            elif self.is_measure(cells, i):
                trailing, used = self.take_trailing(cells, i + 1)
                self.measure(cells[i], trailing)
                i += 1 + used
            else:
                self.heading(cells[i])
                i += 1

    def realign(self, row: list[Cell]) -> list[Cell]:
        """A row shifted left by a merged cell above ("3．… | 各科室 | |"): its empty cells
        are at the end. When the last filled cell reads as a unit cell, the row is aligned on
        it; a row whose units are really missing ends with its measure instead."""
        filled = [i for i, cell in enumerate(row) if cell.text(self.source)]
        roles = [column_role(text) for text in self.header_texts]
        # Rows wider than the header carry unnamed heading cells in front: align on the right.
        roles = ["text"] * max(0, len(row) - len(roles)) + roles
        if not filled or filled[-1] == 0 or filled[-1] >= len(roles):
            return row
        last = filled[-1]
        text = row[last].text(self.source)
        if roles[last] not in ("text", "number") or not (is_time_cell(text) or names_cell(text)):
            return row  # the last filled cell is in its own column already
        wanted = ("deadline",) if is_time_cell(row[last].text(self.source)) else UNIT_ROLES
        targets = [i for i, role in enumerate(roles) if role in wanted and i > last]
        if not targets:
            return row
        start = row[0].cstart
        return [Cell(start, start, []) for _ in range(targets[-1] - last)] + row[: last + 1]

    def walk_rows(self, rows: list[list[Cell]]) -> None:
        width = len(self.trailing)
        for row in rows:
            texts = [c.text(self.source) for c in row]
            if texts == self.header_texts or all(is_header_word(t) for t in texts if t):
                continue
            row = self.realign(row)
            if len(row) < len(self.header_texts):
                # Trailing empty cells were trimmed with the line's end: pad them back.
                end = row[-1].cend
                row = row + [Cell(end, end, [])] * (len(self.header_texts) - len(row))
            leading, measure, trailing = row[: -width - 1], row[-width - 1], row[-width:]
            for cell in leading:
                text = cell.text(self.source)
                if PURE_NUMBER_RE.match(text):
                    self.number_cell(text)
                elif text:
                    self.heading(cell)
            text = measure.text(self.source)
            if not text:
                continue
            marker = parse_marker(text) or self.pending_number
            if not any(c.text(self.source) for c in trailing) and marker and marker.rank <= 2:
                self.heading(measure)  # a section row: "| 一、… | | | |" or "| 一 | … | | |"
                continue
            self.measure(measure, trailing)


def table_layouts(source: Source):
    """Candidate tables: (walk, cells, header, roles, minimum drafts), best spelling first."""
    rows = row_cells(source)
    if rows:
        flat = [cell for row in rows for cell in row]
        found = header_roles(flat, source)
        if found:
            roles, end = found
            yield (
                "rows",
                [row for row in rows if len(row) >= 2],
                flat[end - len(roles) : end],
                roles,
                1,
            )
    for cells, min_run, minimum in ((tab_cells(source), 0, 1), (line_cells(source), 3, 2)):
        if not cells:
            continue
        found = header_roles(cells, source, min_run=min_run)
        if found:
            roles, end = found
            yield "stream", cells[end:], cells[end - len(roles) : end], roles, minimum


def extract_table(source: Source) -> tuple[list[Draft], Outline] | None:
    """A table of tasks, with the numbered items printed above it (a plan that lists its
    tasks and then repeats them as a table keeps both; table rows without a number take the
    section they stand in)."""
    for walk, cells, header, roles, minimum in table_layouts(source):
        before, outline = extract_prose(source, end=header[0].cstart)
        if not before:
            outline = Outline()
        reader = TableReader(source, header, trailing_roles(roles), outline)
        if walk == "rows":
            reader.walk_rows(cells)
        else:
            reader.walk_stream(cells)
        if len(reader.drafts) >= minimum:
            return before + reader.drafts, reader.outline
    return None


# --------------------------------------------------------------------------- issuer

ISSUER_SUFFIX_RE = re.compile(
    r"(人民政府办公厅|人民政府办公室|办公厅|办公室|人民政府|委员会|管委会|政府|局|厅|委|办)$"
)


def is_issuer_name(text: str) -> bool:
    return (
        4 <= len(text) <= 40
        and bool(ISSUER_SUFFIX_RE.search(fold(text)))
        and not re.search(r"[，,。：:；;、《》“”]|\d{4}", text)
        and not re.match(r"(根据|按照|依据|为|关于)", text)
    )


def find_issuer(source: Source) -> str | None:
    """The issuing office, from the most to the least authoritative place it is printed."""
    texts = [t for t in (source.line_text(line) for line in source.lines) if t]
    for finder in (issuer_masthead, issuer_title, issuer_signature, issuer_printed_by):
        issuer = finder(texts)
        if issuer:
            return issuer
    return None


def issuer_masthead(texts: list[str]) -> str | None:
    """The 发文机关标志 at the top: "某市人民政府办公厅文件"."""
    for text in texts[:15]:
        if text.endswith("文件") and is_issuer_name(text[:-2]):
            return text[:-2]
    return None


def issuer_title(texts: list[str]) -> str | None:
    """ "X关于印发…的通知" on one line, or X on the line above "关于…"."""
    for i, text in enumerate(texts[:30]):
        folded = fold(text)
        if folded.startswith("关于") and i and is_issuer_name(texts[i - 1]):
            return texts[i - 1]
        head = text[: folded.find("关于")]
        if "关于" in folded and is_issuer_name(head):
            return head
    return None


def issuer_signature(texts: list[str]) -> str | None:
    """The office signing above the date (落款)."""
    for i, text in enumerate(texts[1:], start=1):
        if re.fullmatch(DATE_RE, text) and is_issuer_name(texts[i - 1]):
            return texts[i - 1]
    return None


def issuer_printed_by(texts: list[str]) -> str | None:
    """The 印发 line at the foot: "某市…办公室   2020年8月21日印发"."""
    for text in texts:
        match = PRINTED_RE.match(fold(text))
        if match and is_issuer_name(text[: match.end("org")]):
            return text[: match.end("org")]
    return None


# --------------------------------------------------------------------------- plausibility

# A work item asks someone to do something ("要", "加强…", "做好…") about the business of
# government ("公开", "部门", "制度"…). A novel, a letter or a shopping list does neither.
OBLIGATION_WORDS = re.compile(
    r"要|应当|须|加强|推进|推动|落实|完善|健全|做好|开展|强化|规范|深化|确保|贯彻|督促|统筹|建立|提升"
    r"|提高|优化|梳理|编制|组织|实施|执行|实现|完成"
)
GOVERNMENT_WORDS = re.compile(
    r"公开|政务|政府|部门|单位|机关|机构|机制|制度|职责|政策|信息|工作|服务|监督|考核|平台|网站|清单"
    r"|目录|标准|规范|决策|解读|发布|指南|年度|行政|办理"
)


def looks_like_work(text: str) -> bool:
    text = fold(text)
    return (
        len(text) >= 15
        and bool(OBLIGATION_WORDS.search(text))
        and len(set(GOVERNMENT_WORDS.findall(text))) >= 2
    )


def structured_item(task: ExtractedTask) -> bool:
    """An item three levels deep in a numbered outline ("二/(一)/1") asking for work."""
    return (
        task.number.count("/") >= 2
        and len(task.text) >= 30
        and bool(OBLIGATION_WORDS.search(fold(task.text)))
    )


def check_plausible(tasks: list[ExtractedTask]) -> None:
    """Never hand back nonsense: without unit marks, most items must read like work items."""
    if not tasks:
        raise NotAWorkPlan(_("没有找到带编号并写明工作要求的条目。"))
    if any(task.lead_units or task.responsible_units for task in tasks):
        return  # units were read from 牵头单位/责任单位 marks: a plan for sure
    plan_like = sum(
        1 for task in tasks if task.deadline or looks_like_work(task.text) or structured_item(task)
    )
    if len(tasks) < 2 and not plan_like:
        raise NotAWorkPlan(_("只找到一个条目，且未写明牵头单位或责任单位。"))
    if plan_like < 0.6 * len(tasks):
        raise NotAWorkPlan(_("编号条目不像工作任务（没有责任单位、完成时限或工作要求）。"))


# --------------------------------------------------------------------------- entry point


def extract_plan(text: str, *, year: int, source: str = "") -> ExtractedPlan:
    """Read a work plan's tasks; raise NotAWorkPlan when the text has none."""
    if not compact(text or ""):
        raise NotAWorkPlan(_("文件内容为空。"), code="empty_work_plan")
    document = Source(drop_page_breaks(break_run_on_lines(text)))
    # A plan with a 牵头单位/责任单位 column header is read as a table, anything else as prose.
    drafts, outline = extract_table(document) or extract_prose(document)
    tasks = finish(drop_cut_tail(drafts, document), outline, document, year)
    check_plausible(tasks)
    return ExtractedPlan(source=source, issuer=find_issuer(document), year=year, tasks=tasks)

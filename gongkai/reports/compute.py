"""The annual report (政府信息公开工作年度报告) of one organisation for one year, computed from
the records (RULES §3, 国办公开办函〔2021〕30号), with the checks that must hold before it is
submitted.

Section 三 counts requests by the date of receipt and the date they were closed: 一 received in
the year; 二 received before it and still open on 1 January; 三 closed in the year, each in the
leaf row of its outcome (the outcome *is* the leaf: `foi.outcomes`); 四 open on 31 December.
Withdrawn requests are closed with the outcome 其他处理·其他; lapsed ones under their own leaves.
Section 二 counts the normative register by its dated history; the licensing, penalty and fee
figures are entered (`reports.models.Figure`). Section 四 counts reviews and lawsuits filed in
the year by their result as it stood on 31 December.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext as _

from gongkai.documents.models import Document
from gongkai.foi.models import Request, Review
from gongkai.foi.outcomes import ROWS, ApplicantKind, Outcome
from gongkai.normative import selectors as normative_selectors
from gongkai.normative.models import NormativeDocument, ValidityChange
from gongkai.normative.workflow import Validity
from gongkai.orgs.models import Org

from .models import Figure

COLUMNS = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
KIND_COLUMN = {
    ApplicantKind.NATURAL_PERSON: "自然人",
    ApplicantKind.COMPANY: "商业企业",
    ApplicantKind.RESEARCH: "科研机构",
    ApplicantKind.NONPROFIT: "社会公益组织",
    ApplicantKind.LEGAL_SERVICE: "法律服务机构",
    ApplicantKind.OTHER: "其他",
}
GROUPS = "一二三四五六"


def _leaf(outcome: str) -> str:
    """The national row key of an outcome: 三(一), 三(三)4, 三(六)2 …"""
    row = ROWS[outcome]
    return f"三({row.group})" + (str(row.item) if row.item else "")


def _group(outcome: str) -> str:
    return f"三({ROWS[outcome].group})"


ROW_LABELS = {
    "一": "本年新收政府信息公开申请数量",
    "二": "上年结转政府信息公开申请数量",
    "三(一)": "予以公开",
    "三(二)": "部分公开（区分处理的，只计这一情形，不计其他情形）",
    "三(三)": "不予公开",
    "三(四)": "无法提供",
    "三(五)": "不予处理",
    "三(六)": "其他处理",
    "三(七)": "总计",
    "四": "结转下年度继续办理",
}
for _outcome in Outcome:
    if ROWS[_outcome].item:
        ROW_LABELS[_leaf(_outcome)] = str(_outcome.label).split("：", 1)[-1]
ROW_ORDER = ["一", "二"]
for _g in GROUPS:
    ROW_ORDER.append(f"三({_g})")
    ROW_ORDER += [_leaf(o) for o in Outcome.values if ROWS[o].group == _g and ROWS[o].item]
ROW_ORDER += ["三(七)", "四"]
GROUP_KEYS = [f"三({g})" for g in GROUPS]

SECTION2_ROWS = ["规章", "行政规范性文件"]
SECTION2_COLUMNS = ["本年制发件数", "本年废止件数", "现行有效件数"]
FIGURE_LABELS = {
    Figure.Kind.LICENSING: ("行政许可", "本年处理决定数量"),
    Figure.Kind.PENALTY: ("行政处罚", "本年处理决定数量"),
    Figure.Kind.COERCION: ("行政强制", "本年处理决定数量"),
    Figure.Kind.FEES: ("行政事业性收费", "本年收费金额（万元）"),
}
REVIEW_KINDS = {
    Review.Kind.ADMIN_REVIEW: "行政复议",
    Review.Kind.LITIGATION_DIRECT: "行政诉讼（未经复议直接起诉）",
    Review.Kind.LITIGATION_AFTER_REVIEW: "行政诉讼（复议后起诉）",
}
REVIEW_RESULTS = {
    Review.Result.UPHELD: "结果维持",
    Review.Result.CORRECTED: "结果纠正",
    Review.Result.OTHER: "其他结果",
    Review.Result.PENDING: "尚未审结",
}


@dataclass
class Check:
    key: str
    ok: bool
    message: str
    items: list[dict] = field(default_factory=list)  # what to fix, with links

    def as_dict(self) -> dict:
        return {"key": self.key, "ok": self.ok, "message": self.message, "items": self.items}


@dataclass
class Report:
    org: Org
    year: int
    section2: dict
    section3: dict[str, dict[str, int]]
    section4: dict
    checks: list[Check]
    final: bool  # the year is over: the figures can no longer change by the passing of days
    # Public participation in the year (for the text of 一、总体情况; not a national table).
    participation: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.checks)

    def as_dict(self) -> dict:
        return {
            "org": {"code": self.org.code, "name": self.org.name},
            "year": self.year,
            "final": self.final,
            "section2": self.section2,
            "section3": {"columns": COLUMNS, "rows": self.section3, "labels": ROW_LABELS},
            "section4": self.section4,
            "checks": [c.as_dict() for c in self.checks],
            "ok": self.ok,
            "participation": self.participation,
        }


def _empty_row() -> dict[str, int]:
    return dict.fromkeys(COLUMNS, 0)


def _requests(org: Org):
    return Request.objects.filter(org=org)


def _count_by_column(qs) -> dict[str, int]:
    row = _empty_row()
    for kind, n in qs.values_list("applicant_kind").annotate(n=Count("id")).order_by():
        row[KIND_COLUMN.get(kind, "其他")] += n
    row["总计"] = sum(v for k, v in row.items() if k != "总计")
    return row


def section3(org: Org, year: int) -> dict[str, dict[str, int]]:
    return section3_of(_requests(org), year)


def section3_of(requests, year: int) -> dict[str, dict[str, int]]:
    """Section 三 over `requests` (one organisation's, or a whole level's for the summary: the
    counts of a set of organisations are the sums of theirs, every request having one)."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    rows = {key: _empty_row() for key in ROW_ORDER}
    rows["一"] = _count_by_column(requests.filter(received_date__range=(start, end)))
    rows["二"] = _count_by_column(
        requests.filter(received_date__lt=start).filter(
            Q(closed_on__isnull=True) | Q(closed_on__gte=start)
        )
    )
    rows["四"] = _count_by_column(
        requests.filter(received_date__lte=end).filter(
            Q(closed_on__isnull=True) | Q(closed_on__gt=end)
        )
    )
    closed = (
        requests.filter(closed_on__range=(start, end))
        .values_list("outcome", "applicant_kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    for outcome, kind, n in closed:
        if outcome not in ROWS:
            continue  # unclassified: reported by a check, never guessed into a row
        column = KIND_COLUMN.get(kind, "其他")
        for key in {_leaf(outcome), _group(outcome), "三(七)"}:
            rows[key][column] += n
            rows[key]["总计"] += n
    return rows


def section2(org: Org, year: int) -> dict:
    return section2_of([org.pk], year)


def _by_kind(qs) -> dict[str, int]:
    return dict(qs.order_by().values_list("kind").annotate(n=Count("pk")))


def section2_of(org_ids: list[int], year: int) -> dict:
    """Section 二 for one organisation, or summed over several (the regional summary); an
    entered figure is summed over the organisations that entered it, its source shown only for
    one organisation. Counted in the database, by kind."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    in_force = _by_kind(normative_selectors.valid_on(day=end).filter(document__org_id__in=org_ids))
    # Driven from the register (small) with a lookup of each entry's document, not from the
    # organisations' documents (a million): SQLite would otherwise read every document of the
    # region to find the few that are normative.
    made = _by_kind(
        NormativeDocument.objects.filter(
            Exists(
                Document.objects.filter(
                    pk=OuterRef("document_id"),
                    org_id__in=org_ids,
                    date_signed__range=(start, end),
                )
            )
        )
    )
    ended = _by_kind(
        NormativeDocument.objects.filter(
            Exists(Document.objects.filter(pk=OuterRef("document_id"), org_id__in=org_ids)),
            pk__in=ValidityChange.objects.filter(
                effective_on__range=(start, end),
                validity__in=(Validity.REPEALED, Validity.EXPIRED),
            ).values("normative_id"),
        )
    )
    table = {}
    for label, kind in (
        ("规章", NormativeDocument.Kind.RULE),
        ("行政规范性文件", NormativeDocument.Kind.NORMATIVE),
    ):
        table[label] = {
            "本年制发件数": made.get(kind, 0),
            "本年废止件数": ended.get(kind, 0),
            "现行有效件数": in_force.get(kind, 0),
        }  # fmt: skip
    figures: dict[str, list] = {}
    for f in Figure.objects.filter(org_id__in=org_ids, year=year).order_by("org_id"):
        figures.setdefault(f.kind, []).append(f)
    for kind, (label, column) in FIGURE_LABELS.items():
        entered = figures.get(kind, [])
        value = sum(f.value for f in entered) if entered else None
        if value is not None and kind != Figure.Kind.FEES:
            value = int(value)
        elif value is not None:
            value = float(value.quantize(Decimal("0.0001")))
        source = entered[0].source if len(org_ids) == 1 and entered else ""
        table[label] = {column: value, "来源": source}
    return table


def section4(org: Org, year: int) -> dict:
    return section4_of([org.pk], year)


def section4_of(org_ids: list[int], year: int) -> dict:
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    table = {
        label: dict.fromkeys([*REVIEW_RESULTS.values(), "总计"], 0)
        for label in REVIEW_KINDS.values()
    }
    reviews = Review.objects.filter(request__org_id__in=org_ids, filed_on__range=(start, end))
    for kind, result, decided_on in reviews.values_list("kind", "result", "decided_on"):
        if decided_on is None or decided_on > end:
            result = Review.Result.PENDING  # as it stood on 31 December
        row = table[REVIEW_KINDS[kind]]
        row[REVIEW_RESULTS[result]] += 1
        row["总计"] += 1
    return table  # fmt: skip


def _checks(org: Org, year: int, rows: dict) -> list[Check]:
    checks = []
    broken = [
        c for c in COLUMNS if rows["一"][c] + rows["二"][c] != rows["三(七)"][c] + rows["四"][c]
    ]
    checks.append(
        Check(
            "balance",
            not broken,
            _("每一列都满足：一 + 二 = 三(七) + 四。")
            if not broken
            else _(
                "以下列不满足“一 + 二 = 三(七) + 四”：%(c)s（通常是有办结但未填写办理结果的申请）。"
            )
            % {"c": "、".join(broken)},
        )
    )
    items = {
        g: [_leaf(o) for o in Outcome.values if _group(o) == g and ROWS[o].item] for g in GROUP_KEYS
    }
    leaves_ok = all(
        rows["三(七)"][c] == sum(rows[g][c] for g in GROUP_KEYS)
        and all(not items[g] or rows[g][c] == sum(rows[k][c] for k in items[g]) for g in GROUP_KEYS)
        for c in COLUMNS
    )  # fmt: skip
    checks.append(
        Check(
            "leaves",
            leaves_ok,
            _("三(七)等于各项办理结果之和。") if leaves_ok else _("三(七)不等于各项办理结果之和。"),
        )
    )
    totals_ok = all(
        row["总计"] == sum(v for k, v in row.items() if k != "总计") for row in rows.values()
    )
    checks.append(
        Check(
            "totals",
            totals_ok,
            _("总计等于各类申请人之和。") if totals_ok else _("有的行总计不等于各类申请人之和。"),
        )
    )  # fmt: skip
    # 二 against last year's *published* 四: the published figures are frozen, so a record
    # changed after publication (a request back-dated, a closing date corrected) shows here.
    from .models import AnnualReport
    from .workflow import Status

    published = (
        AnnualReport.objects.filter(org=org, year=year - 1, status=Status.PUBLISHED)
        .exclude(snapshot=None)
        .order_by("-version")
        .first()
    )
    if published is not None:
        last = published.snapshot["section3"]["rows"]["四"]
        differ = [c for c in COLUMNS if last.get(c) != rows["二"][c]]
        checks.append(
            Check(
                "carried",
                not differ,
                _("二（上年结转）等于上一年度已发布报告的四。")
                if not differ
                else _(
                    "二（上年结转）与上一年度已发布报告的四不一致：%(c)s。请核对上年数据的改动。"
                )
                % {"c": "、".join(differ)},
            )
        )
    end = dt.date(year, 12, 31)
    start = dt.date(year, 1, 1)
    unclassified = list(
        _requests(org)
        .filter(closed_on__range=(start, end))
        .exclude(outcome__in=list(ROWS))
        .values_list("number", flat=True)[:200]
    )
    checks.append(
        Check(
            "classified",
            not unclassified,
            _("本年办结的申请都已归入办理结果。")
            if not unclassified
            else _("%(n)s 件本年办结的申请没有办理结果，请处理：") % {"n": len(unclassified)},
            [{"number": n, "url": f"/workbench/requests/{n}/"} for n in unclassified],
        )
    )
    no_kind = list(
        _requests(org)
        .filter(Q(received_date__lte=end), Q(closed_on__isnull=True) | Q(closed_on__gte=start))
        .exclude(applicant_kind__in=ApplicantKind.values)
        .values_list("number", flat=True)[:200]
    )
    checks.append(
        Check(
            "applicant_kind",
            not no_kind,
            _("每件申请都有申请人类别。")
            if not no_kind
            else _("%(n)s 件申请缺少申请人类别，请补充：") % {"n": len(no_kind)},
            [{"number": n, "url": f"/workbench/requests/{n}/"} for n in no_kind],
        )
    )
    return checks


def annual_report(*, org: Org, year: int, today: dt.date | None = None) -> Report:
    """Compute the report of `org` for `year` (a draft while the year is not over)."""
    from django.utils import timezone

    today = today or timezone.localdate()
    rows = section3(org, year)
    return Report(
        org=org,
        year=year,
        section2=section2(org, year),
        section3=rows,
        section4=section4(org, year),
        checks=_checks(org, year, rows),
        final=today > dt.date(year, 12, 31),
        participation=participation(org, year),
    )


def participation(org: Org, year: int) -> dict:
    """Consultations, questions and public concerns of `org` in `year`, as the participation
    selectors count them for the dashboard."""
    from gongkai.participation.selectors.concerns import concern_figures
    from gongkai.participation.selectors.consultations import consultation_figures
    from gongkai.participation.selectors.questions import question_figures

    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    return {
        "consultations": consultation_figures(org_ids=[org.pk], start=start, end=end),
        "questions": question_figures(org_ids=[org.pk], start=start, end=end),
        "concerns": concern_figures(org_ids=[org.pk], start=start, end=end),
    }


# Figures the office's text may name by a token: until publication the text shows the current
# number, so a draft written in November is still right when it is published in January.
TEXT_FIGURES = {
    "［新收申请数］": lambda r: r.section3["一"]["总计"],
    "［上年结转数］": lambda r: r.section3["二"]["总计"],
    "［办结数］": lambda r: r.section3["三(七)"]["总计"],
    "［结转下年数］": lambda r: r.section3["四"]["总计"],
    "［予以公开数］": lambda r: r.section3["三(一)"]["总计"],
    "［制发规范性文件数］": lambda r: r.section2["行政规范性文件"]["本年制发件数"],
    "［现行有效规范性文件数］": lambda r: r.section2["行政规范性文件"]["现行有效件数"],
    "［复议诉讼数］": lambda r: sum(row["总计"] for row in r.section4.values()),
    "［意见征集数］": lambda r: r.participation["consultations"]["closed"],
    "［按时反馈数］": lambda r: r.participation["consultations"]["feedback_on_time"],
    "［收到意见数］": lambda r: r.participation["consultations"]["comments"],
    "［收到留言数］": lambda r: r.participation["questions"]["received"],
    "［按时答复留言数］": lambda r: r.participation["questions"]["answered_on_time"],
    "［舆情回应数］": lambda r: r.participation["concerns"]["timed"],
    "［5小时内发布数］": lambda r: r.participation["concerns"]["info_in_time"],
    "［24小时内发布会数］": lambda r: r.participation["concerns"]["press_in_time"],
    "［承诺兑现数］": lambda r: r.participation["concerns"]["promises_kept"],
}


def render_text(text: str, report: Report) -> str:
    """`text` with every figure token replaced by the report's current number."""
    for token, value in TEXT_FIGURES.items():
        if token in text:
            text = text.replace(token, str(value(report)))
    return text

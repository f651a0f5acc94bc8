"""The statistics every office is judged by, per organisation and period (issue 15, item 9):
publication on time (20 working days), interpretation coverage, requests answered on time,
the review and litigation correction rate (纠错率), work-plan completion and overdue tasks,
consultations with feedback published on time, questions answered on time and public concerns
responded to within the 5-hour and 24-hour limits (issue 16), the standard catalog's coverage and
the websites and new-media accounts flagged 空壳/僵尸 (issue 18); a weighted score for the ranking
(assessment, 考核).

Each figure is a count over records (a few grouped queries for all organisations at once,
not a query per organisation); a rate is None when there is nothing to count, never 0 %.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, F, Q

from gongkai.catalogs.coverage import COVERED, coverage_summary
from gongkai.core.office import xlsx_cells
from gongkai.documents.models import Document
from gongkai.foi.models import Request, Review
from gongkai.orgs.models import Org
from gongkai.participation.models import TIMED_SEVERITIES, Concern, Consultation, Question
from gongkai.participation.services.concerns import first_response_annotations
from gongkai.participation.workflow import ConsultationStatus, QuestionStatus
from gongkai.sites.selectors import flag_counts_by_org
from gongkai.supervision.models import Assignment
from gongkai.supervision.workflow import OPEN, TaskStatus

INDICATORS = {
    "publication": "主动公开按时率",
    "interpretation": "政策解读覆盖率",
    "requests": "依申请按时答复率",
    "correction": "复议诉讼纠错率",
    "tasks": "工作要点任务完成率",
    "feedback": "意见征集按时反馈率",
    "questions": "留言按时答复率",
    "concerns": "舆情回应及时率",
    # Not of the period: the catalog's state today (covered / mapped items, catalogs.coverage).
    "coverage": "标准目录覆盖率",
}


@dataclass
class Row:
    org: Org
    published: int = 0
    published_on_time: int = 0
    policies: int = 0  # published documents flagged as needing an interpretation
    interpreted: int = 0
    closed: int = 0
    closed_on_time: int = 0
    decided: int = 0
    corrected: int = 0
    tasks: int = 0
    tasks_done: int = 0
    tasks_overdue: int = 0
    consultations: int = 0  # periods ended in the period
    feedback_on_time: int = 0
    questions: int = 0  # due in the period (answered, or past due unanswered)
    questions_on_time: int = 0
    concern_limits: int = 0  # 5 h and 24 h limits of 特别重大/重大 concerns, due in the period
    concern_limits_met: int = 0
    catalog_mapped: int = 0  # items of its approved catalogs mapped to where they are published
    catalog_covered: int = 0
    accounts_flagged: int = (
        0  # active websites and accounts not updated or with messages unanswered
    )
    score: float | None = None

    @staticmethod
    def _rate(part: int, whole: int) -> float | None:
        return None if not whole else round(100 * part / whole, 1)

    @property
    def rates(self) -> dict[str, float | None]:
        return {
            "publication": self._rate(self.published_on_time, self.published),
            "interpretation": self._rate(self.interpreted, self.policies),
            "requests": self._rate(self.closed_on_time, self.closed),
            "correction": self._rate(self.corrected, self.decided),
            "tasks": self._rate(self.tasks_done, self.tasks),
            "feedback": self._rate(self.feedback_on_time, self.consultations),
            "questions": self._rate(self.questions_on_time, self.questions),
            "concerns": self._rate(self.concern_limits_met, self.concern_limits),
            "coverage": self._rate(self.catalog_covered, self.catalog_mapped),
        }


def weights(org: Org | None = None) -> dict[str, float]:
    """The weights the supervising office `org` set (reports.Weights), else the deployment's
    default (GONGKAI_STATISTICS_WEIGHTS, "publication=25,…")."""
    if org is not None:
        from .models import Weights

        chosen = Weights.objects.filter(org=org).values_list("weights", flat=True).first()
        if chosen:
            return {k: float(v) for k, v in chosen.items() if k in INDICATORS}
    parsed = {}
    for part in settings.GONGKAI_STATISTICS_WEIGHTS.split(","):
        name, _, value = part.partition("=")
        if name.strip() in INDICATORS:
            parsed[name.strip()] = float(value)
    return parsed


def _score(row: Row, weight: dict[str, float]) -> float | None:
    """Weighted mean of the rates that exist; the correction rate counts against (100 − rate)."""
    total = used = 0.0
    for name, rate in row.rates.items():
        if rate is None or not weight.get(name):
            continue
        value = 100 - rate if name == "correction" else rate
        total += weight[name] * value
        used += weight[name]
    return None if not used else round(total / used, 1)


def _day_start(day: dt.date) -> dt.datetime:
    """The first moment of `day` in the site's time zone."""
    from django.utils import timezone

    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())


def _by_org(qs, field: str, **annotations) -> dict[int, dict]:
    return {r[field]: r for r in qs.values(field).annotate(**annotations).order_by()}


def statistics(
    *, orgs: list[Org], start: dt.date, end: dt.date, today: dt.date, weight_org: Org | None = None
) -> list[Row]:
    """One row per organisation for the period, ranked by score (best first, None last)."""
    ids = [o.pk for o in orgs]
    # The period's publications of every organisation, grouped, and the region's picked out
    # here: filtered by organisation, SQLite walks the organisations' index through every
    # document they ever published instead of the period's range of the publication index.
    # A datetime range, not __date, which SQLite would cast row by row in Python. No status
    # filter either: only publication sets published_at and nothing clears it (a published
    # document can only be withdrawn), and a filter on the status would lead SQLite to walk
    # the status index through every published document.
    published = Document.objects.filter(
        published_at__gte=_day_start(start),
        published_at__lt=_day_start(end + dt.timedelta(days=1)),
        is_late__isnull=False,
    )
    docs = _by_org(
        published,
        "org_id",
        n=Count("id"),
        on_time=Count("id", filter=Q(is_late=False)),
        policies=Count("id", filter=Q(needs_interpretation=True)),
    )
    interpreted = _by_org(
        published.filter(needs_interpretation=True, interpretations__isnull=False),
        "org_id",
        n=Count("id", distinct=True),
    )
    for org_id, row in interpreted.items():
        docs.setdefault(org_id, {})["interpreted"] = row["n"]
    requests = _by_org(
        Request.objects.filter(org_id__in=ids, closed_on__range=(start, end)),
        "org_id",
        n=Count("id"),
        on_time=Count("id", filter=Q(late=False)),
    )
    reviews = _by_org(
        Review.objects.filter(request__org_id__in=ids, decided_on__range=(start, end)).exclude(
            result=Review.Result.PENDING
        ),
        "request__org_id",
        n=Count("id"),
        corrected=Count("id", filter=Q(result=Review.Result.CORRECTED)),
    )
    tasks = _by_org(
        Assignment.objects.filter(
            org_id__in=ids, task__deadline__range=(start, end), task__is_series=False
        ).exclude(task__status__in=(TaskStatus.PENDING, TaskStatus.CARRIED)),
        "org_id",
        n=Count("task", distinct=True),
        done=Count("task", filter=Q(task__status=TaskStatus.DONE), distinct=True),
        overdue=Count(
            "task", filter=Q(task__status__in=OPEN, task__deadline__lt=today), distinct=True
        ),
    )
    consultations = _by_org(
        Consultation.objects.filter(
            org_id__in=ids,
            closed_on__range=(start, end),
            status__in=(ConsultationStatus.CLOSED, ConsultationStatus.FEEDBACK_PUBLISHED),
        ).exclude(status=ConsultationStatus.CLOSED, feedback_due_on__gte=today),
        "org_id",
        n=Count("id"),
        on_time=Count(
            "id",
            filter=Q(
                status=ConsultationStatus.FEEDBACK_PUBLISHED,
                feedback_published_at__date__lte=F("feedback_due_on"),
            ),
        ),
    )
    # A question counts once it is answered or its answer is overdue (not while still in time).
    questions = _by_org(
        Question.objects.filter(org_id__in=ids, due_on__range=(start, end))
        .exclude(status=QuestionStatus.NOT_ACCEPTED)
        .filter(Q(answered_at__isnull=False) | Q(due_on__lt=today)),
        "org_id",
        n=Count("id"),
        on_time=Count(
            "id", filter=Q(answered_at__isnull=False, answered_at__date__lte=F("due_on"))
        ),
    )
    concerns = _concern_limits(ids, start, end)
    coverage = coverage_summary(ids)
    flagged = flag_counts_by_org(ids)
    weight = weights(weight_org)
    rows = []
    for org in orgs:
        d, r, v, t, c, q = (
            src.get(org.pk, {})
            for src in (docs, requests, reviews, tasks, consultations, questions)
        )
        limits, met = concerns.get(org.pk, (0, 0))
        cov = coverage.get(org.pk, {})
        row = Row(
            org=org,
            published=d.get("n", 0), published_on_time=d.get("on_time", 0),
            policies=d.get("policies", 0), interpreted=d.get("interpreted", 0),
            closed=r.get("n", 0), closed_on_time=r.get("on_time", 0),
            decided=v.get("n", 0), corrected=v.get("corrected", 0),
            tasks=t.get("n", 0), tasks_done=t.get("done", 0), tasks_overdue=t.get("overdue", 0),
            consultations=c.get("n", 0), feedback_on_time=c.get("on_time", 0),
            questions=q.get("n", 0), questions_on_time=q.get("on_time", 0),
            concern_limits=limits, concern_limits_met=met,
            catalog_mapped=cov.get("mapped", 0), catalog_covered=cov.get(COVERED, 0),
            accounts_flagged=flagged.get(org.pk, {}).get("flagged", 0),
        )  # fmt: skip
        row.score = _score(row, weight)
        rows.append(row)
    rows.sort(key=lambda row: (row.score is None, -(row.score or 0), row.org.path))
    return rows


def _concern_limits(ids, start: dt.date, end: dt.date) -> dict[int, tuple[int, int]]:
    """Per organisation: the hour limits of 特别重大/重大 concerns that fell due in the period
    (or were met in it) and how many were met in time. A limit still running is not counted."""
    from django.utils import timezone

    now = timezone.now()
    tally: dict[int, list[int]] = {}
    rows = (
        Concern.objects.filter(
            org_id__in=ids,
            severity__in=list(TIMED_SEVERITIES),
            noticed_at__gte=_day_start(start),
            noticed_at__lt=_day_start(end + dt.timedelta(days=1)),
        )
        .annotate(**first_response_annotations())
        .values_list("org_id", "info_due_at", "first_info_at", "press_due_at", "first_press_at")
    )
    for org_id, *pairs in rows:
        counts = tally.setdefault(org_id, [0, 0])
        for due, first in zip(pairs[::2], pairs[1::2], strict=True):
            if due is None or (first is None and due > now):
                continue
            counts[0] += 1
            counts[1] += first is not None and first <= due
    return {k: (v[0], v[1]) for k, v in tally.items()}


def chart(rows: list[Row], indicator: str, *, top: int = 20) -> str:
    """A horizontal bar chart of one rate (pygal), as a data: URI for an <img>: the SVG's own
    script never runs there, and the page keeps its no-inline-script policy. The same figures
    are in the table beside it."""
    import pygal
    from pygal.style import Style

    shown = [r for r in rows if r.rates[indicator] is not None][:top]
    style = Style(
        background="white", plot_background="white", colors=("#8b0000",),
        font_family="Noto Sans CJK SC, sans-serif", label_font_size=14, major_label_font_size=14,
    )  # fmt: skip
    bars = pygal.HorizontalBar(
        style=style, js=[], show_legend=False, range=(0, 100), width=800,
        height=max(200, 32 * len(shown) + 80), disable_xml_declaration=True,
        title=INDICATORS[indicator] + "（%）",
    )  # fmt: skip
    bars.x_labels = [r.org.short_name or r.org.name for r in reversed(shown)]
    bars.add(INDICATORS[indicator], [r.rates[indicator] for r in reversed(shown)])
    svg = bars.render(is_unicode=True).encode("utf-8")
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def to_xlsx(rows: list[Row], start: dt.date, end: dt.date) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(f"{start:%Y%m%d}-{end:%Y%m%d}")
    sheet.append(
        xlsx_cells(
            sheet,
            ["排名", "单位", *INDICATORS.values(), "逾期任务", "问题网站和新媒体", "综合得分"],
        )
    )
    for rank, row in enumerate(rows, start=1):
        values = [row.rates[name] for name in INDICATORS]
        sheet.append(
            xlsx_cells(
                sheet,
                [rank, row.org.name, *values, row.tasks_overdue, row.accounts_flagged, row.score],
            )
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()

"""The public columns (栏目) of the site and when each was last updated.

A column is a catalog category (across the organisations in scope, with its sub-categories, as
/orgs/<code>/catalog/ shows it), a topical column (documents.Column), or one of the fixed
columns: 互动交流 (published answers), 意见征集, 政策解读 and 规范性文件. Counts and latest
publication times come from a handful of grouped queries, never one per column.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Max, Q
from django.utils.translation import gettext_lazy as _

from gongkai.documents.models import Category, Column, Document
from gongkai.documents.workflow import Status
from gongkai.participation.models import Consultation, Question

from .models import ColumnKind, ColumnRule

# Default update periods per kind (国办秘函〔2019〕19号, see INDICATORS.md): 动态、要闻 2 weeks;
# 通知公告、政策文件 6 months; 人事、规划计划 1 year (gongkai's default, see INDICATORS.md).
DEFAULT_PERIOD_DAYS = {
    ColumnKind.DYNAMIC: 14,
    ColumnKind.NOTICE_POLICY: 183,
    ColumnKind.PERSONNEL_PLAN: 365,
    ColumnKind.OTHER: None,
}

# Words of a column's name that give its kind, tried in this order (yearly reports first:
# "工作年度报告" is not a work-news column).
KIND_WORDS = [
    (ColumnKind.OTHER, ("年度报告", "年报")),
    (ColumnKind.DYNAMIC, ("动态", "要闻", "工作", "新闻", "进展")),
    (ColumnKind.PERSONNEL_PLAN, ("人事", "任免", "规划", "计划")),
    (ColumnKind.NOTICE_POLICY, ("通知", "公告", "公示", "政策", "文件", "规章", "解读")),
]

FIXED = [
    ("questions", _("互动交流")),
    ("consultations", _("意见征集")),
    ("interpretations", _("政策解读")),
    ("normative", _("规范性文件")),
]


def kind_for(name: str) -> str:
    for kind, words in KIND_WORDS:
        if any(w in name for w in words):
            return kind
    return ColumnKind.OTHER


@dataclass
class ColumnState:
    key: str
    name: str
    kind: str
    period_days: int | None
    count: int
    latest: dt.datetime | None
    url: str = ""

    @property
    def blank(self) -> bool:
        return self.count == 0

    def stale(self, now: dt.datetime) -> bool:
        if self.blank or not self.period_days:
            return False
        return self.latest < now - dt.timedelta(days=self.period_days)

    def as_dict(self, now: dt.datetime) -> dict:
        return {
            "key": self.key,
            "name": self.name,
            "kind": self.kind,
            "period_days": self.period_days,
            "count": self.count,
            "latest": self.latest.isoformat() if self.latest else None,
            "blank": self.blank,
            "stale": self.stale(now),
            "url": self.url,
        }


def discovered() -> list[tuple[str, str, str]]:
    """Every column of the site now: (key, name, public URL path)."""
    out = [
        (f"category:{c.code}", c.name, f"/search/?category={c.code}")
        for c in Category.objects.order_by("sort_order")
    ]
    out += [
        (f"column:{c.slug}", c.name, f"/columns/{c.slug}/")
        for c in Column.objects.filter(is_active=True).order_by("sort_order")
    ]
    paths = {
        "questions": "/interaction/",
        "consultations": "/consultations/",
        "interpretations": "/interpretations/",
        "normative": "/normative/",
    }
    out += [(key, str(name), paths[key]) for key, name in FIXED]
    return out


def rules_sync() -> dict[str, ColumnRule]:
    """The rule of every column, created with the defaults for columns seen for the first time.

    Called by the check's service inside its transaction (creating rules is part of a run)."""
    found = discovered()
    rules = {r.key: r for r in ColumnRule.objects.all()}
    missing = []
    for key, name, _url in found:
        if key not in rules:
            kind = kind_for(name)
            missing.append(
                ColumnRule(key=key, name=name, kind=kind, period_days=DEFAULT_PERIOD_DAYS[kind])
            )
    if missing:
        ColumnRule.objects.bulk_create(missing, ignore_conflicts=True)
        rules = {r.key: r for r in ColumnRule.objects.all()}
    return rules


def states(*, org=None, now: dt.datetime, rules: dict[str, ColumnRule]) -> list[ColumnState]:
    """Each active column's count of items published by `now` and the latest publication
    (the organisation's subtree, or the whole site)."""
    docs = Document.objects.filter(status=Status.PUBLISHED, published_at__lte=now)
    questions = Question.objects.filter(published_at__lte=now)
    consultations = Consultation.objects.filter(opened_at__lte=now)
    if org is not None:
        docs = docs.filter(org__path__startswith=org.path)
        questions = questions.filter(org__path__startswith=org.path)
        consultations = consultations.filter(org__path__startswith=org.path)
    found = {key: (name, url) for key, name, url in discovered()}
    out: list[ColumnState] = []

    def add(key, count, latest):
        rule = rules.get(key)
        if rule is None or not rule.active or key not in found:
            return
        name, url = found[key]
        out.append(ColumnState(key, name, rule.kind, rule.period_days, count, latest, url))

    # Categories: one grouped query, rolled up the (small) tree in Python.
    by_cat = {
        row["category"]: (row["n"], row["latest"])
        for row in docs.filter(category__isnull=False)
        .values("category")
        .annotate(n=Count("id"), latest=Max("published_at"))
    }
    cats = list(Category.objects.values_list("pk", "code", "parent_id"))
    children: dict[int | None, list[int]] = {}
    for pk, _code, parent in cats:
        children.setdefault(parent, []).append(pk)

    def roll(pk):
        n, latest = by_cat.get(pk, (0, None))
        for child in children.get(pk, []):
            cn, cl = roll(child)
            n += cn
            latest = max(filter(None, (latest, cl)), default=None)
        return n, latest

    for pk, code, _parent in cats:
        n, latest = roll(pk)
        add(f"category:{code}", n, latest)

    for row in (
        Column.objects.filter(is_active=True)
        .annotate(
            n=Count("documents", filter=Q(documents__in=docs)),
            latest=Max("documents__published_at", filter=Q(documents__in=docs)),
        )
        .values("slug", "n", "latest")
    ):
        add(f"column:{row['slug']}", row["n"], row["latest"])

    fixed = docs.aggregate(
        interp_n=Count("id", filter=Q(interpretation__isnull=False)),
        interp_latest=Max("published_at", filter=Q(interpretation__isnull=False)),
        norm_n=Count("id", filter=Q(normative__isnull=False)),
        norm_latest=Max("published_at", filter=Q(normative__isnull=False)),
    )
    add("interpretations", fixed["interp_n"], fixed["interp_latest"])
    add("normative", fixed["norm_n"], fixed["norm_latest"])
    q = questions.aggregate(n=Count("id"), latest=Max("published_at"))
    add("questions", q["n"], q["latest"])
    c = consultations.aggregate(n=Count("id"), latest=Max("opened_at"))
    add("consultations", c["n"], c["latest"])
    return out

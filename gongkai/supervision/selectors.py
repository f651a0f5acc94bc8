"""Reads of work-plan supervision, scoped to the caller (DESIGN §Conventions 2).

Staff see a plan when they may supervise its organisation or when one of their organisations
has a task in it; they see a task's reports when they supervise it or are assigned to it. The
public sees confirmed public plans, their tasks, units, deadlines and status, and nothing of the
reports (which name officials and may hold personal data).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.core.exceptions import ApplicationError, NotFoundError, PermissionDeniedError
from gongkai.orgs import permissions
from gongkai.orgs.models import Org

from .models import Assignment, Confidence, ProgressReport, Task, WorkPlan
from .recurrence import quarter_bounds
from .resolve import Match, Resolver, is_internal_unit_name
from .workflow import OPEN, REPORTABLE, PlanStatus, Progress, Review, Role, TaskStatus


def today() -> dt.date:
    return timezone.localdate()


def _ids(user, action: str) -> frozenset[int] | None:
    return permissions.org_ids_for(user, action)


def _with_units(tasks: QuerySet[Task]) -> QuerySet[Task]:
    return tasks.prefetch_related(
        Prefetch("assignments", queryset=Assignment.objects.select_related("org"))
    )


# --- plans ----------------------------------------------------------------------------------


def plans_for_user(*, user) -> QuerySet[WorkPlan]:
    supervised = _ids(user, "supervise_plans")
    reporting = _ids(user, "report_progress")
    plans = WorkPlan.objects.select_related("org")
    if supervised is None:
        return plans
    assigned = Task.objects.filter(assignments__org_id__in=reporting).values("plan_id")
    return plans.filter(
        Q(org_id__in=supervised)
        | Q(pk__in=assigned, status__in=[PlanStatus.ACTIVE, PlanStatus.CLOSED])
    )


def plan_get_for_user(*, user, pk: int) -> WorkPlan:
    plan = plans_for_user(user=user).filter(pk=pk).first()
    if plan is None:
        raise NotFoundError()
    return plan


def can_supervise(user, plan: WorkPlan) -> bool:
    return permissions.can(user, "supervise_plans", plan.org)


def plan_get_to_supervise(*, user, pk: int) -> WorkPlan:
    plan = plan_get_for_user(user=user, pk=pk)
    if not can_supervise(user, plan):
        raise PermissionDeniedError()
    return plan


def plans_with_counts(*, user) -> QuerySet[WorkPlan]:
    on = today()
    live = Q(tasks__is_series=False)
    return plans_for_user(user=user).annotate(
        task_count=Count("tasks", filter=live),
        done_count=Count("tasks", filter=live & Q(tasks__status=TaskStatus.DONE)),
        overdue_count=Count(
            "tasks", filter=live & Q(tasks__status__in=OPEN, tasks__deadline__lt=on)
        ),
    )


def ledger_tasks(*, plan: WorkPlan) -> QuerySet[Task]:
    """The tasks a ledger lists: every task and recurring instance, not the series rows."""
    return _with_units(plan.tasks.filter(is_series=False)).order_by("sort_order", "series_id", "id")


@dataclass
class LedgerRow:
    index: int
    task: Task
    leads: list[str]
    responsible: list[str]
    deadline: str
    status: str
    overdue: bool

    def cells(self) -> list[str]:
        return [
            str(self.index),
            self.task.heading,
            f"{self.task.number} {self.task.text}",
            "、".join(self.leads),
            "、".join(self.responsible),
            self.deadline,
            self.task.progress_text,
            self.status,
        ]


# The column layout offices already use in their Excel ledgers (RULES §8).
LEDGER_COLUMNS = [
    "序号",
    "重点任务",
    "具体举措",
    "牵头单位",
    "责任单位",
    "完成时限",
    "进展情况",
    "状态",
]


def deadline_label(task: Task) -> str:
    if task.period:
        return f"{task.period}（{task.deadline:%Y-%m-%d}）" if task.deadline else task.period
    if task.deadline:
        text = f"{task.deadline:%Y-%m-%d}"
        return f"{task.deadline_text}（{text}）" if task.deadline_text else text
    return task.deadline_text or task.recurring or str(_("持续推进"))


def ledger(*, plan: WorkPlan, on: dt.date | None = None, org: Org | None = None) -> list[LedgerRow]:
    """The ledger (工作台账) in the familiar column layout; optionally one organisation's part."""
    on = on or today()
    rows = []
    tasks = ledger_tasks(plan=plan)
    if org is not None:
        tasks = tasks.filter(assignments__org=org).distinct()
    for i, task in enumerate(tasks, start=1):
        assigned = list(task.assignments.all())
        if assigned:
            leads = [a.org.name for a in assigned if a.role == Role.LEAD]
            responsible = [a.org.name for a in assigned if a.role == Role.RESPONSIBLE]
        else:
            leads, responsible = list(task.lead_names), list(task.responsible_names)
        rows.append(
            LedgerRow(
                index=i,
                task=task,
                leads=leads,
                responsible=responsible,
                deadline=deadline_label(task),
                status=task.public_status(on)
                if task.status != TaskStatus.PENDING
                else str(TaskStatus.PENDING.label),
                overdue=task.is_overdue(on),
            )
        )
    return rows


@dataclass
class UnitReview:
    """A unit name of a task: how the extractor found it, what it resolves to, and the
    confidence of the two together (extract.unit_confidence)."""

    match: Match
    found_by: str  # UNIT_FOUND_BY label
    confidence: str

    # The template reads these as it read a Match.
    @property
    def name(self) -> str:
        return self.match.name

    @property
    def resolved(self) -> bool:
        return self.match.resolved

    @property
    def needs_check(self) -> bool:
        return self.match.needs_check

    @property
    def score(self) -> float:
        return self.match.score


@dataclass
class TaskReview:
    task: Task
    leads: list[UnitReview]
    responsible: list[UnitReview]

    @property
    def unresolved(self) -> bool:
        return any(not m.resolved for m in [*self.leads, *self.responsible])

    @property
    def confidence(self) -> str:
        """The task's own confidence, lowered by its least trusted unit."""
        levels = [self.task.confidence, *(u.confidence for u in [*self.leads, *self.responsible])]
        return min(levels, key=CONFIDENCE_RANK.__getitem__)


CONFIDENCE_RANK = {Confidence.LOW: 0, Confidence.MEDIUM: 1, Confidence.HIGH: 2}


@dataclass
class PlanReview:
    plan: WorkPlan
    tasks: list[TaskReview]  # the filter's tasks, unchecked and least trusted first
    names: list[Match]  # every distinct name, unresolved and fuzzy first
    region: list[Org] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)  # tasks by confidence (unfiltered)
    total: int = 0
    confidence: str = ""  # the filter ("" for all)

    @property
    def unresolved(self) -> list[Match]:
        return [m for m in self.names if not m.resolved]

    @property
    def fuzzy(self) -> list[Match]:
        return [m for m in self.names if m.needs_check]

    @property
    def internal_candidates(self) -> list[str]:
        """Unresolved names that read as internal units of the plan's organisation: the
        review screen offers to create them."""
        return [m.name for m in self.unresolved if is_internal_unit_name(m.name)]


def plan_review(*, plan: WorkPlan, confidence: str = "") -> PlanReview:
    """Every task beside its source with how it was read and each unit name's resolution,
    for the review screen: unchecked tasks first, the least trusted first among them;
    `confidence` keeps the tasks of one level only."""
    from .extract import unit_confidence

    resolver = Resolver(plan.org, plan.unit_map)
    tasks = list(plan.tasks.filter(series__isnull=True).order_by("sort_order", "id"))

    def units(task: Task, names: list[str]) -> list[UnitReview]:
        out = []
        for name in names:
            match = resolver.resolve(name)
            how = task.unit_found_by.get(name, "")
            out.append(
                UnitReview(
                    match,
                    task.unit_found_by_label(name),
                    unit_confidence(how, match.method, match.score),
                )
            )
        return out

    reviews = [
        TaskReview(task=t, leads=units(t, t.lead_names), responsible=units(t, t.responsible_names))
        for t in tasks
    ]
    names: dict[str, Match] = {}
    for review in reviews:
        for unit in [*review.leads, *review.responsible]:
            names.setdefault(unit.name, unit.match)
    order = sorted(names.values(), key=lambda m: (m.resolved, not m.needs_check, m.name))
    region = sorted(resolver.orgs, key=lambda o: o.path)
    counts = {level: 0 for level in Confidence.values}
    for review in reviews:
        counts[review.confidence] += 1
    if confidence in Confidence.values:
        reviews = [r for r in reviews if r.confidence == confidence]
    else:
        confidence = ""
    # sorted() is stable: within a level the plan's own order stays.
    reviews.sort(key=lambda r: (r.task.checked, CONFIDENCE_RANK[r.confidence]))
    return PlanReview(
        plan=plan,
        tasks=reviews,
        names=order,
        region=region,
        counts=counts,
        total=len(tasks),
        confidence=confidence,
    )


# --- tasks ----------------------------------------------------------------------------------


def tasks_for_user(*, user) -> QuerySet[Task]:
    """Tasks the user works on or supervises (confirmed plans only)."""
    supervised = _ids(user, "supervise_plans")
    reporting = _ids(user, "report_progress")
    tasks = Task.objects.filter(is_series=False).exclude(status=TaskStatus.PENDING)
    if supervised is None:
        return tasks
    return tasks.filter(
        Q(plan__org_id__in=supervised) | Q(assignments__org_id__in=reporting)
    ).distinct()


def task_get_for_user(*, user, pk: int) -> Task:
    task = (
        Task.objects.filter(pk__in=tasks_for_user(user=user).filter(pk=pk).values("pk"))
        .select_related("plan__org", "series", "carried_from__plan")
        .first()
    )
    if task is None:
        raise NotFoundError()
    return task


def task_get_to_supervise(*, user, pk: int) -> Task:
    """Any task of a plan the user supervises, a draft's pending ones included."""
    task = (
        Task.objects.filter(pk=pk, plan__in=plans_for_user(user=user))
        .select_related("plan__org")
        .first()
    )
    if task is None:
        raise NotFoundError()
    if not can_supervise(user, task.plan):
        raise PermissionDeniedError()
    return task


def report_get_for_user(*, user, pk: int) -> ProgressReport:
    report = (
        ProgressReport.objects.filter(pk=pk, task__in=tasks_for_user(user=user))
        .select_related("task__plan__org")
        .first()
    )
    if report is None:
        raise NotFoundError()
    return report


def my_open_tasks(*, user, on: dt.date | None = None) -> QuerySet[Task]:
    """Open tasks assigned to the user's organisations, nearest deadline first."""
    reporting = _ids(user, "report_progress")
    tasks = Task.objects.filter(status__in=OPEN, is_series=False)
    if reporting is not None:
        tasks = tasks.filter(assignments__org_id__in=reporting).distinct()
    return _with_units(tasks.select_related("plan")).order_by(
        "deadline", "plan_id", "sort_order", "id"
    )


def task_reports(*, task: Task) -> list[ProgressReport]:
    """The task's reports and, for a carried task, those of the tasks it continues (history)."""
    chain = [task.pk]
    previous = task.carried_from
    while previous is not None and len(chain) < 20:
        chain.append(previous.pk)
        previous = previous.carried_from
    return list(
        ProgressReport.objects.filter(task_id__in=chain)
        .select_related("org", "author", "reviewed_by", "task__plan")
        .prefetch_related("evidence")
        .order_by("-created_at", "-id")
    )


def pending_reviews(*, user) -> QuerySet[ProgressReport]:
    """Consolidated reports waiting for the supervising office's decision."""
    supervised = _ids(user, "supervise_plans")
    reports = ProgressReport.objects.filter(
        consolidated=True, review=Review.PENDING, task__status=TaskStatus.SUBMITTED
    )
    if supervised is not None:
        reports = reports.filter(task__plan__org_id__in=supervised)
    return reports.select_related("task__plan", "org").order_by("created_at")


def orgs_user_reports_for(*, user, task: Task) -> list[Org]:
    """The task's assigned organisations for which the user may report."""
    return [
        a.org
        for a in task.assignments.select_related("org")
        if permissions.can(user, "report_progress", a.org)
    ]


def consolidating_orgs(task: Task) -> list[Org]:
    """Who consolidates: the lead units, or with none named, the responsible ones."""
    rows = list(task.assignments.select_related("org"))
    leads = [a.org for a in rows if a.role == Role.LEAD]
    return leads or [a.org for a in rows]


@dataclass(frozen=True)
class ReportChoices:
    report_orgs: list  # organisations the user may report progress for, now
    lead_orgs: list  # of those, the ones that may submit the consolidated report, now


def report_choices(*, user, task: Task) -> ReportChoices:
    """What the task page offers the user: reporting while the task is still worked on, and
    consolidating where the user's organisation leads and a report may be (re)submitted."""
    reportable = orgs_user_reports_for(user=user, task=task)
    if task.status in (TaskStatus.DONE, TaskStatus.CARRIED):
        return ReportChoices([], [])
    leads = consolidating_orgs(task) if task.status in REPORTABLE else []
    return ReportChoices(reportable, [o for o in reportable if o in leads])


def evidence_get_for_user(*, user, pk: int):
    from .models import Evidence

    evidence = Evidence.objects.select_related("report__task").filter(pk=pk).first()
    if evidence is None:
        raise NotFoundError()
    task_get_for_user(user=user, pk=evidence.report.task_id)
    return evidence


# --- overdue and summary --------------------------------------------------------------------


def overdue_tasks(*, user=None, plan: WorkPlan | None = None, on: dt.date | None = None):
    on = on or today()
    tasks = Task.objects.filter(status__in=OPEN, is_series=False, deadline__lt=on)
    if plan is not None:
        tasks = tasks.filter(plan=plan)
    if user is not None:
        tasks = tasks.filter(pk__in=tasks_for_user(user=user).values("pk"))
    return _with_units(tasks.select_related("plan")).order_by("deadline", "id")


@dataclass
class OrgOverdue:
    org: Org
    tasks: list[Task]


def overdue_by_org(*, user, on: dt.date | None = None) -> list[OrgOverdue]:
    """Overdue tasks grouped by each assigned organisation (a task appears under every unit)."""
    groups: dict[int, OrgOverdue] = {}
    for task in overdue_tasks(user=user, on=on):
        for assignment in task.assignments.all():
            groups.setdefault(assignment.org_id, OrgOverdue(assignment.org, [])).tasks.append(task)
    return sorted(groups.values(), key=lambda g: (-len(g.tasks), g.org.path))


@dataclass(frozen=True)
class Summary:
    total: int
    done: int
    in_progress: int
    not_started: int
    overdue: int
    carried: int

    @property
    def rate(self) -> float:
        counted = self.total - self.carried
        return round(100 * self.done / counted, 1) if counted else 0.0

    def as_dict(self) -> dict:
        return {
            "total": self.total,
            "done": self.done,
            "in_progress": self.in_progress,
            "not_started": self.not_started,
            "overdue": self.overdue,
            "carried": self.carried,
            "completion_rate": self.rate,
        }


def _classify(task: Task, on: dt.date) -> str:
    if task.status == TaskStatus.DONE:
        return "done"
    if task.status == TaskStatus.CARRIED:
        return "carried"
    if task.is_overdue(on):
        return "overdue"
    if task.progress != Progress.NOT_STARTED or task.status == TaskStatus.SUBMITTED:
        return "in_progress"
    return "not_started"


def plan_summary(*, plan: WorkPlan, on: dt.date | None = None) -> Summary:
    """The plan's completion summary (for its page and the annual report)."""
    on = on or today()
    counts = {"done": 0, "in_progress": 0, "not_started": 0, "overdue": 0, "carried": 0}
    # One query: `only()` without the plan would fetch each row's plan_id again.
    tasks = Task.objects.filter(plan=plan, is_series=False).exclude(status=TaskStatus.PENDING)
    for task in tasks.only("plan_id", "status", "progress", "deadline"):
        counts[_classify(task, on)] += 1
    return Summary(total=sum(counts.values()), **counts)


# --- bulletin -------------------------------------------------------------------------------


@dataclass
class BulletinRow:
    org: Org
    done: list[Task] = field(default_factory=list)
    in_progress: list[Task] = field(default_factory=list)
    not_started: list[Task] = field(default_factory=list)
    overdue: list[Task] = field(default_factory=list)


@dataclass
class Bulletin:
    plan: WorkPlan
    year: int
    quarter: int
    as_of: dt.date
    rows: list[BulletinRow]
    summary_counts: Summary

    @property
    def title(self) -> str:
        return _("%(plan)s落实情况%(year)s年第%(q)s季度通报") % {
            "plan": self.plan.title,
            "year": self.year,
            "q": "一二三四"[self.quarter - 1],
        }

    @property
    def overdue_tasks(self) -> list[Task]:
        seen: dict[int, Task] = {}
        for row in self.rows:
            for task in row.overdue:
                seen.setdefault(task.pk, task)
        return sorted(seen.values(), key=lambda t: (t.deadline, t.sort_order, t.pk))

    @property
    def summary(self) -> str:
        s = self.summary_counts
        return _(
            "截至%(d)s，共 %(t)s 项任务：已完成 %(done)s 项，推进中 %(p)s 项，未开始 %(n)s 项，"
            "逾期未完成 %(o)s 项。"
        ) % {
            "d": f"{self.as_of:%Y年%m月%d日}",
            "t": s.total,
            "done": s.done,
            "p": s.in_progress,
            "n": s.not_started,
            "o": s.overdue,
        }

    def lines(self) -> list[str]:
        """The bulletin as plain paragraphs (the published document's body)."""
        out = [self.summary]
        overdue = self.overdue_tasks
        if overdue:
            out.append(_("一、逾期未完成的任务"))
            for task in overdue:
                units = "、".join(a.org.name for a in task.assignments.all())
                out.append(
                    _("%(n)s %(t)s（完成时限：%(d)s；单位：%(u)s）")
                    % {"n": task.number, "t": task.text[:60], "d": deadline_label(task), "u": units}
                )
        out.append(_("二、各单位落实情况"))
        for row in self.rows:
            out.append(
                _("%(org)s：已完成 %(d)s 项，推进中 %(p)s 项，未开始 %(n)s 项，逾期 %(o)s 项。")
                % {
                    "org": row.org.name,
                    "d": len(row.done),
                    "p": len(row.in_progress),
                    "n": len(row.not_started),
                    "o": len(row.overdue),
                }
            )
        return out


def bulletin(*, plan: WorkPlan, year: int, quarter: int, on: dt.date | None = None) -> Bulletin:
    """The quarter's standing per organisation, as of the quarter's end (or today if earlier).

    Recurring instances of later quarters are not yet due and are left out."""
    if quarter not in (1, 2, 3, 4):
        raise ApplicationError(_("季度应为 1 至 4。"), code="invalid_quarter")
    if plan.status == PlanStatus.DRAFT:
        raise ApplicationError(_("工作要点尚未确认交办。"), code="plan_not_confirmed")
    if not plan.year <= year <= plan.year + 1:
        raise ApplicationError(
            _("通报年度应为 %(a)s 或 %(b)s。") % {"a": plan.year, "b": plan.year + 1},
            code="invalid_year",
        )
    _start, end = quarter_bounds(year, quarter)
    as_of = min(end, on or today())
    tasks = [
        t
        for t in ledger_tasks(plan=plan).select_related("plan")
        if not (t.series_id and t.deadline and t.deadline > end)
    ]
    rows: dict[int, BulletinRow] = {}
    counts = {"done": 0, "in_progress": 0, "not_started": 0, "overdue": 0, "carried": 0}
    for task in tasks:
        # Judged as of the bulletin's day: a task overdue then stays named in that bulletin.
        kind = _classify(task, as_of)
        counts[kind] += 1
        if kind == "carried":
            continue
        for assignment in task.assignments.all():
            row = rows.setdefault(assignment.org_id, BulletinRow(assignment.org))
            getattr(row, kind).append(task)
    ordered = sorted(rows.values(), key=lambda r: (-len(r.overdue), r.org.sort_order, r.org.path))
    return Bulletin(
        plan, year, quarter, as_of, ordered, Summary(total=sum(counts.values()), **counts)
    )


# --- look-back ------------------------------------------------------------------------------


def lookback_candidates(*, user, into: WorkPlan) -> QuerySet[Task]:
    """Last year's unfinished tasks of plans the user supervises, for the look-back (回头看)."""
    supervised = _ids(user, "supervise_plans")
    # Not a task whose report waits for review: the office decides it first.
    tasks = Task.objects.filter(
        plan__year=into.year - 1, status__in=REPORTABLE, is_series=False
    ).exclude(plan__status=PlanStatus.DRAFT)
    if supervised is not None:
        tasks = tasks.filter(plan__org_id__in=supervised)
    return _with_units(tasks.select_related("plan")).order_by("plan_id", "sort_order", "id")


# --- public ---------------------------------------------------------------------------------


def public_plans() -> QuerySet[WorkPlan]:
    return (
        WorkPlan.objects.filter(is_public=True)
        .exclude(status=PlanStatus.DRAFT)
        .select_related("org")
    )


def public_plan_get(*, pk: int) -> WorkPlan:
    plan = public_plans().filter(pk=pk).first()
    if plan is None:
        raise NotFoundError()
    return plan

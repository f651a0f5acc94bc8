"""The states of a work plan and of its tasks, declared once (RULES §8).

A plan is imported as a draft; a supervisor reviews every task beside its source text, corrects
what the extractor got wrong, and confirms: only then are tasks assigned to organisations. Each
assigned organisation reports progress; the lead unit consolidates the reports into one that it
submits; the supervising office accepts it (the task is done, or its progress is on record) or
returns it with a comment. At the year-end look-back an unfinished task can be carried into the
next year's plan, where it continues with its history.

Only `supervision.services.task_transition` moves a task between these states.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("待审核")
    ACTIVE = "active", _("执行中")
    CLOSED = "closed", _("已结束")


class TaskStatus(models.TextChoices):
    PENDING = "pending", _("待确认")
    ASSIGNED = "assigned", _("已交办")
    SUBMITTED = "submitted", _("待审核")
    RETURNED = "returned", _("已退回")
    DONE = "done", _("已办结")
    CARRIED = "carried", _("已结转下一年度")


class Progress(models.TextChoices):
    """What an organisation says of its own work; the office's acceptance is the task's status."""

    NOT_STARTED = "not_started", _("未开始")
    IN_PROGRESS = "in_progress", _("推进中")
    DONE = "done", _("已完成")


class Role(models.TextChoices):
    LEAD = "lead", _("牵头单位")
    RESPONSIBLE = "responsible", _("责任单位")


class Review(models.TextChoices):
    NONE = "", _("无需审核")
    PENDING = "pending", _("待审核")
    ACCEPTED = "accepted", _("已采纳")
    RETURNED = "returned", _("已退回")


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    target: str
    action: str  # the permission action in gongkai.orgs.permissions
    label: str


# Tasks the organisations still work on (what reminders, overdue lists and the look-back see).
OPEN = frozenset({TaskStatus.ASSIGNED, TaskStatus.SUBMITTED, TaskStatus.RETURNED})
# Tasks that no longer count against anyone.
FINISHED = frozenset({TaskStatus.DONE, TaskStatus.CARRIED})
# Where the lead unit may (re)submit a consolidated report.
REPORTABLE = frozenset({TaskStatus.ASSIGNED, TaskStatus.RETURNED})

TASK_TRANSITIONS: dict[str, Transition] = {
    "confirm": Transition(
        frozenset({TaskStatus.PENDING}), TaskStatus.ASSIGNED, "supervise_plans", _("确认交办")
    ),
    "consolidate": Transition(REPORTABLE, TaskStatus.SUBMITTED, "report_progress", _("汇总报送")),
    "accept_done": Transition(
        frozenset({TaskStatus.SUBMITTED}), TaskStatus.DONE, "supervise_plans", _("审核通过，办结")
    ),
    "accept_progress": Transition(
        frozenset({TaskStatus.SUBMITTED}), TaskStatus.ASSIGNED, "supervise_plans",
        _("审核通过，继续推进"),
    ),
    "return": Transition(
        frozenset({TaskStatus.SUBMITTED}), TaskStatus.RETURNED, "supervise_plans", _("退回")
    ),
    # Not while a report waits for review: the office decides it first.
    "carry": Transition(REPORTABLE, TaskStatus.CARRIED, "supervise_plans", _("结转下一年度")),
}  # fmt: skip

PLAN_TRANSITIONS: dict[str, Transition] = {
    "confirm": Transition(
        frozenset({PlanStatus.DRAFT}), PlanStatus.ACTIVE, "supervise_plans", _("确认并交办")
    ),
    "close": Transition(
        frozenset({PlanStatus.ACTIVE}), PlanStatus.CLOSED, "supervise_plans", _("结束")
    ),
}

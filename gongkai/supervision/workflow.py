"""The states of a work plan and of its tasks, declared once (RULES §8).

A plan is imported as a draft; a supervisor reviews every task beside its source text, corrects
what the extractor got wrong, and confirms: only then are tasks assigned to organisations. Each
assigned organisation reports progress; the lead unit consolidates the reports into one that it
submits; the supervising office accepts it (the task is done, or its progress is on record) or
returns it with a comment. At the year-end look-back an unfinished task can be carried into the
next year's plan, where it continues with its history.

Only the kernel (`core.workflow`, through the services) moves a plan or a task between
these states.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.core.workflow import T, Workflow
from gongkai.orgs import permissions


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


# Tasks the organisations still work on (what reminders, overdue lists and the look-back see).
OPEN = frozenset({TaskStatus.ASSIGNED, TaskStatus.SUBMITTED, TaskStatus.RETURNED})
# Tasks that no longer count against anyone.
FINISHED = frozenset({TaskStatus.DONE, TaskStatus.CARRIED})
# Where the lead unit may (re)submit a consolidated report.
REPORTABLE = frozenset({TaskStatus.ASSIGNED, TaskStatus.RETURNED})

# A plan and its tasks belong to the supervising organisation; a unit reporting on a task
# passes its own organisation to the kernel (`org=`), where its permission is checked.
TASK_WORKFLOW = Workflow(
    name="workplan.task",
    noun=_("任务"),
    # Pending in a draft plan; assigned when generated into a confirmed one (recurring
    # instances, tasks carried into an active plan).
    initial=[TaskStatus.PENDING, TaskStatus.ASSIGNED],
    org_of=lambda task: task.plan.org,
    can=permissions.can,
    select_related=("plan__org",),
    transitions=[
        # Taken for all of a plan's tasks at once by plan_confirm.
        T("confirm", TaskStatus.PENDING, TaskStatus.ASSIGNED, "supervise_plans", _("确认交办"),
          offered=False),
        T("consolidate", REPORTABLE, TaskStatus.SUBMITTED, "report_progress", _("汇总报送")),
        T("accept_done", TaskStatus.SUBMITTED, TaskStatus.DONE, "supervise_plans",
          _("审核通过，办结")),
        T("accept_progress", TaskStatus.SUBMITTED, TaskStatus.ASSIGNED, "supervise_plans",
          _("审核通过，继续推进")),
        T("return", TaskStatus.SUBMITTED, TaskStatus.RETURNED, "supervise_plans", _("退回")),
        # Not while a report waits for review: the office decides it first.
        T("carry", REPORTABLE, TaskStatus.CARRIED, "supervise_plans", _("结转下一年度")),
    ],
)  # fmt: skip

PLAN_WORKFLOW = Workflow(
    name="workplan",
    noun=_("工作要点"),
    initial=[PlanStatus.DRAFT],
    org_of=lambda plan: plan.org,
    can=permissions.can,
    select_related=("org",),
    transitions=[
        T("confirm", PlanStatus.DRAFT, PlanStatus.ACTIVE, "supervise_plans", _("确认并交办")),
        T("close", PlanStatus.ACTIVE, PlanStatus.CLOSED, "supervise_plans", _("结束")),
    ],
)

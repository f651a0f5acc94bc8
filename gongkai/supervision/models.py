import datetime as dt
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gongkai.core.models import BaseModel, StoredFile

from .workflow import FINISHED, PlanStatus, Progress, Review, Role, TaskStatus


class Confidence(models.TextChoices):
    """How far the extractor's reading of a task or of a unit can be trusted (the review
    screen lists the low ones first)."""

    HIGH = "high", _("高")
    MEDIUM = "medium", _("中")
    LOW = "low", _("低")


# How the extractor found a task, and a unit name in it (supervision.extract).
TASK_FOUND_BY = {
    "table_row": _("表格行"),
    "unnumbered_row": _("表格行（无序号）"),
    "numbered_item": _("编号条目（带单位标注）"),
    "leaf_item": _("编号条目（全文未标注单位）"),
    "manual": _("人工修改"),
}
UNIT_FOUND_BY = {
    "column": _("单位列"),
    "role_phrase": _("牵头/配合表述"),
    "parenthesis": _("括号内标注"),
    "label": _("“牵头单位：”标注行"),
    "sentence": _("正文句中提及"),
    "manual": _("人工填写"),
}


class WorkPlan(BaseModel):
    """A yearly work plan (工作要点 / 实施方案) as imported, reviewed and followed up.

    `org` is the organisation whose office supervises the plan (usually the government that
    issued it); its tasks are assigned to organisations of the same region. The source text is
    kept whole so that every task can be shown beside the passage it was read from.
    """

    org = models.ForeignKey(
        "orgs.Org", verbose_name=_("督办机构"), on_delete=models.PROTECT, related_name="work_plans"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("标题"), max_length=255)
    issuer = models.CharField(_("印发机关"), max_length=128, blank=True)
    source_name = models.CharField(_("来源文件"), max_length=255)
    source_text = models.TextField(_("原文"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    status = models.CharField(
        _("状态"), max_length=16, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    is_public = models.BooleanField(
        _("在门户公开"), default=True, help_text=_("工作要点本身是主动公开的政府信息。")
    )
    # The reviewer's decisions on unit names: name → organisation ids; an empty list keeps the
    # name as text without assigning it (e.g. "各有关单位").
    unit_map = models.JSONField(_("单位对应"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)

    class Meta:
        ordering = ["-year", "-id"]
        verbose_name = _("工作要点")
        verbose_name_plural = _("工作要点")
        constraints = [
            models.UniqueConstraint(fields=["org", "sha256"], name="workplan_unique_source")
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("portal:plan_detail", kwargs={"pk": self.pk})


class Task(BaseModel):
    """One task of a plan (重点任务 / 具体举措), with its units as written and its deadline.

    A recurring duty ("每季度") is a series: the task itself, plus one instance per period, each
    with its own deadline, assignments and reports. A task carried over from last year's plan
    points to the task it continues (`carried_from`), whose reports are its history.
    """

    plan = models.ForeignKey(WorkPlan, on_delete=models.CASCADE, related_name="tasks")
    number = models.CharField(_("序号"), max_length=64)
    heading = models.CharField(_("重点任务"), max_length=255, blank=True)
    text = models.TextField(_("具体举措"))
    source_text = models.TextField(_("原文段落"), blank=True)
    lead_names = models.JSONField(_("牵头单位（原文）"), default=list, blank=True)
    responsible_names = models.JSONField(_("责任单位（原文）"), default=list, blank=True)
    deadline_text = models.CharField(_("完成时限（原文）"), max_length=64, blank=True)
    deadline = models.DateField(_("完成时限"), null=True, blank=True, db_index=True)
    recurring = models.CharField(_("周期性要求"), max_length=64, blank=True)
    series = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="instances"
    )
    period = models.CharField(_("周期"), max_length=32, blank=True)
    # A recurring duty whose work is done in its instances: it is not itself assigned.
    is_series = models.BooleanField(_("周期性任务"), default=False)
    carried_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="carried_to"
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=TaskStatus.choices, default=TaskStatus.PENDING
    )
    progress = models.CharField(
        _("进展"), max_length=16, choices=Progress.choices, default=Progress.NOT_STARTED
    )
    progress_text = models.TextField(_("进展情况"), blank=True)
    sort_order = models.PositiveIntegerField(default=0)
    # How the extractor read the task (TASK_FOUND_BY) and each unit name (name → UNIT_FOUND_BY
    # key), and what that is worth; the reviewer marks a task as checked.
    found_by = models.CharField(_("识别方式"), max_length=24, blank=True)
    unit_found_by = models.JSONField(_("单位识别方式"), default=dict, blank=True)
    confidence = models.CharField(
        _("识别可信度"), max_length=8, choices=Confidence.choices, default=Confidence.HIGH
    )
    checked = models.BooleanField(_("已核对"), default=False)

    class Meta:
        ordering = ["plan", "sort_order", "id"]
        verbose_name = _("任务")
        verbose_name_plural = _("任务")
        indexes = [models.Index(fields=["status", "deadline"])]

    def __str__(self):
        return f"{self.number} {self.text[:30]}"

    def get_absolute_url(self):
        return reverse("workbench:task_detail", kwargs={"pk": self.pk})

    @property
    def found_by_label(self) -> str:
        return str(TASK_FOUND_BY.get(self.found_by, self.found_by or "—"))

    def unit_found_by_label(self, name: str) -> str:
        how = self.unit_found_by.get(name, "")
        return str(UNIT_FOUND_BY.get(how, how or "—"))

    def is_overdue(self, on: dt.date) -> bool:
        """Past its deadline and not accepted as done (a Friday deadline is missed on Saturday)."""
        return bool(self.deadline and on > self.deadline and self.status not in FINISHED)

    def public_status(self, on: dt.date) -> str:
        if self.status == TaskStatus.DONE:
            return str(_("已完成"))
        if self.status == TaskStatus.CARRIED:
            return str(_("已结转"))
        if self.is_overdue(on):
            return str(_("已逾期"))
        if self.progress == Progress.NOT_STARTED and self.status != TaskStatus.SUBMITTED:
            return str(_("未开始"))
        return str(_("推进中"))


class Assignment(BaseModel):
    """A task given to an organisation as lead (牵头) or responsible (责任) unit."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="assignments")
    org = models.ForeignKey(
        "orgs.Org", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="assignments"
    )
    role = models.CharField(_("角色"), max_length=16, choices=Role.choices)
    # How the name in the plan led to this organisation (exact, short, alias, group, fuzzy…).
    name = models.CharField(_("原文名称"), max_length=128, blank=True)
    method = models.CharField(_("匹配方式"), max_length=16, blank=True)
    score = models.FloatField(_("匹配分值"), default=100)
    # How the name was found in the plan (UNIT_FOUND_BY) and the assignment's confidence: the
    # lower of that and of the match (extract.unit_confidence).
    found_by = models.CharField(_("识别方式"), max_length=16, blank=True)
    confidence = models.CharField(
        _("识别可信度"), max_length=8, choices=Confidence.choices, default=Confidence.HIGH
    )

    class Meta:
        ordering = ["task", "role", "org__sort_order", "org__path"]
        verbose_name = _("交办")
        verbose_name_plural = _("交办")
        constraints = [
            models.UniqueConstraint(fields=["task", "org"], name="assignment_unique_org")
        ]

    def __str__(self):
        return f"{self.task.number} · {self.org} · {self.get_role_display()}"


class ProgressReport(BaseModel):
    """An organisation's report on a task; the lead unit's consolidated one goes for review."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reports")
    org = models.ForeignKey("orgs.Org", verbose_name=_("报送单位"), on_delete=models.PROTECT)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(_("进展"), max_length=16, choices=Progress.choices)
    text = models.TextField(_("进展情况"))
    reported_on = models.DateField(_("报送日期"))
    consolidated = models.BooleanField(_("牵头单位汇总"), default=False)
    review = models.CharField(
        _("审核"), max_length=16, choices=Review.choices, default=Review.NONE, blank=True
    )
    review_comment = models.TextField(_("审核意见"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)

    class Meta:
        ordering = ["task", "created_at", "id"]
        verbose_name = _("进展报告")
        verbose_name_plural = _("进展报告")

    def __str__(self):
        return f"{self.task.number} · {self.org} · {self.reported_on}"


def evidence_path(instance: "Evidence", filename: str) -> str:
    suffix = PurePosixPath(filename).suffix.lower()[:10]
    return f"supervision/{instance.report.task.plan_id}/{instance.sha256}{suffix}"


class Evidence(StoredFile):
    """A file attached to a progress report as evidence (佐证材料)."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("文件"), upload_to=evidence_path, max_length=255)

    class Meta:
        ordering = ["report", "id"]
        verbose_name = _("佐证材料")
        verbose_name_plural = _("佐证材料")


class TaskReminder(BaseModel):
    """One reminder sent for a task's deadline to one organisation (sent once per deadline)."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reminders")
    org = models.ForeignKey("orgs.Org", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16)  # "due_soon" or "overdue"
    deadline = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["task", "org", "kind", "deadline"], name="task_reminder_once"
            )
        ]

"""The site self-check: the rule of each public column, and the history of runs."""

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.core.models import BaseModel


class ColumnKind(models.TextChoices):
    """The column types of the 2019 indicators, each with its own update period."""

    DYNAMIC = "dynamic", _("动态要闻类")
    NOTICE_POLICY = "notice_policy", _("通知公告、政策文件类")
    PERSONNEL_PLAN = "personnel_plan", _("人事、规划计划类")
    OTHER = "other", _("其他（只查空白）")


class ColumnRule(BaseModel):
    """How one public column is checked: its kind, its update period, whether it is checked.

    `key` names the column: "category:<code>" (a catalog category, across the organisations in
    the check's scope), "column:<slug>" (a topical column) or one of the fixed columns
    ("questions", "consultations", "interpretations", "normative")."""

    key = models.CharField(_("栏目代码"), max_length=100, unique=True)
    name = models.CharField(_("栏目名称"), max_length=100)
    kind = models.CharField(_("栏目类型"), max_length=16, choices=ColumnKind.choices)
    # Null: the column is only checked for blankness.
    period_days = models.PositiveIntegerField(_("更新周期（天）"), null=True, blank=True)
    active = models.BooleanField(_("纳入检查"), default=True)

    class Meta:
        ordering = ["key"]
        verbose_name = _("栏目检查规则")
        verbose_name_plural = _("栏目检查规则")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_days__isnull=True) | models.Q(period_days__gte=1),
                name="sitecheck_period_positive",
            )
        ]

    def __str__(self):
        return self.name


class SiteCheckRun(BaseModel):
    """One run of the self-check: the indicators' results as run, kept for the trend."""

    org = models.ForeignKey(
        "orgs.Org", verbose_name=_("检查范围"), on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(_("开始时间"))
    finished_at = models.DateTimeField(_("结束时间"))
    # The moment the check was computed for (tests and the demo set it).
    checked_as_of = models.DateTimeField(_("检查基准时间"), db_index=True)
    base_url = models.CharField(_("检查地址"), max_length=300, blank=True)
    score = models.DecimalField(_("得分"), max_digits=5, decimal_places=1)
    passed = models.BooleanField(_("合格"))
    failed_veto = models.JSONField(_("未通过的单项否决指标"), default=list)
    results = models.JSONField(_("检查结果"), default=dict, encoder=DjangoJSONEncoder)
    actor_label = models.CharField(_("执行人"), max_length=150, blank=True)
    # When the supervising office was told what newly fails (site-check --notify).
    notified_at = models.DateTimeField(_("通知时间"), null=True, blank=True)

    class Meta:
        ordering = ["-checked_as_of", "-id"]
        verbose_name = _("网站自查记录")
        verbose_name_plural = _("网站自查记录")
        indexes = [models.Index(fields=["org", "checked_as_of"])]

    def __str__(self):
        return f"{self.org_id} {self.checked_as_of:%Y-%m-%d %H:%M}"

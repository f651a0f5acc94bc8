"""What the annual report counts that gongkai does not hold as records of its own (RULES §3,
section 二): licensing and penalty/coercion decisions, fee income. Entered per organisation and
year, each figure with its source; a later 双公示 module can write the same rows."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.core.models import BaseModel

from .workflow import Status


class Figure(BaseModel):
    class Kind(models.TextChoices):
        LICENSING = "licensing", _("行政许可")
        PENALTY = "penalty", _("行政处罚")
        COERCION = "coercion", _("行政强制")
        FEES = "fees", _("行政事业性收费（万元）")

    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    kind = models.CharField(_("项目"), max_length=16, choices=Kind.choices)
    # Decisions are whole numbers; fees are 万元 with up to four decimals (one yuan).
    value = models.DecimalField(_("数值"), max_digits=14, decimal_places=4)
    source = models.CharField(_("数据来源"), max_length=300)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("年报填报数据")
        verbose_name_plural = _("年报填报数据")
        constraints = [
            models.UniqueConstraint(fields=["org", "year", "kind"], name="figure_unique_kind")
        ]

    def __str__(self):
        return f"{self.org} {self.year} {self.get_kind_display()}"


class AnnualReport(BaseModel):
    """One version of an organisation's annual report for a year.

    While it is a draft its tables are computed live from the records; submitting checks them;
    publishing freezes them (`snapshot`) and files the report as a document of the
    organisation. A correction is a new version with a reason; the old one stays readable,
    marked superseded."""

    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    overview = models.TextField(_("一、总体情况"), blank=True)
    problems = models.TextField(_("五、存在的主要问题及改进情况"), blank=True)
    other = models.TextField(_("六、其他需要报告的事项"), blank=True)
    snapshot = models.JSONField(_("发布时的数据"), null=True, blank=True)
    review_comment = models.TextField(_("审核意见"), blank=True)
    correction_reason = models.TextField(_("更正原因"), blank=True)
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )
    document = models.ForeignKey(
        "documents.Document", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)

    class Meta:
        ordering = ["org", "-year", "-version"]
        verbose_name = _("年度报告")
        verbose_name_plural = _("年度报告")
        constraints = [
            models.UniqueConstraint(
                fields=["org", "year", "version"], name="annual_report_unique_version"
            )
        ]

    def __str__(self):
        return f"{self.org} {self.year} v{self.version}"


class ReportReminder(models.Model):
    """One reminder (or overdue notice) sent for an organisation's report of a year: the
    scheduled run sends each once."""

    org = models.ForeignKey("orgs.Org", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=16)  # "due_soon" or "overdue"
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["org", "year", "kind"], name="report_reminder_once")
        ]

    def __str__(self):
        return f"{self.org} {self.year} {self.kind}"


class Weights(BaseModel):
    """The assessment score's weights a supervising office sets for its region (考核)."""

    org = models.OneToOneField("orgs.Org", on_delete=models.CASCADE, related_name="+")
    weights = models.JSONField(_("权重"), default=dict)

    class Meta:
        verbose_name = _("考核权重")
        verbose_name_plural = _("考核权重")

    def __str__(self):
        return f"{self.org} {self.weights}"

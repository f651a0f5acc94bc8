"""What the annual report counts that gongkai does not hold as records of its own (RULES §3,
section 二): licensing and penalty/coercion decisions, fee income. Entered per organisation and
year, each figure with its source; a later 双公示 module can write the same rows."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.core.models import BaseModel


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

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gongkai.core.models import BaseModel

from .workflow import CampaignStatus, Decision, RelationKind, Validity


class NormativeDocument(BaseModel):
    """The register entry of a published document that is a normative document (规范性文件).

    The document itself (title, number, text, attachments, publication) stays a
    `documents.Document`; its current validity is `Document.validity`, which the search index
    filters on. This row holds the dates and the filing, and `ValidityChange` its history.
    """

    document = models.OneToOneField(
        "documents.Document",
        verbose_name=_("文件"),
        on_delete=models.PROTECT,
        related_name="normative",
    )

    class Kind(models.TextChoices):
        # Annual report section 二 counts them apart: 规章 are issued as 政府令 by governments
        # with rule-making power; everything else in the register is a 行政规范性文件.
        RULE = "rule", _("规章")
        NORMATIVE = "normative", _("行政规范性文件")

    kind = models.CharField(
        _("类别"), max_length=16, choices=Kind.choices, default=Kind.NORMATIVE, db_index=True
    )
    effective_date = models.DateField(_("施行日期"))
    # Null: no fixed period (e.g. a document that only repeals others).
    expiry_date = models.DateField(_("有效期至"), null=True, blank=True, db_index=True)
    filing_number = models.CharField(_("备案号"), max_length=64, blank=True)
    filing_date = models.DateField(_("备案日期"), null=True, blank=True)

    class Meta:
        ordering = ["-effective_date", "-id"]
        verbose_name = _("规范性文件")
        verbose_name_plural = _("规范性文件")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expiry_date__isnull=True)
                | models.Q(expiry_date__gte=models.F("effective_date")),
                name="normative_expiry_after_effective",
            )
        ]

    def __str__(self):
        return str(self.document)

    def get_absolute_url(self):
        # One page per document: the document's own page shows its register entry.
        return self.document.get_absolute_url()


class Relation(BaseModel):
    """立改废: the newer document (`source`) amends, repeals or replaces an older one (`target`)."""

    source = models.ForeignKey(
        NormativeDocument,
        verbose_name=_("新文件"),
        on_delete=models.PROTECT,
        related_name="relations_out",
    )
    target = models.ForeignKey(
        NormativeDocument,
        verbose_name=_("被修改或废止的文件"),
        on_delete=models.PROTECT,
        related_name="relations_in",
    )
    kind = models.CharField(_("关系"), max_length=16, choices=RelationKind.choices)
    # The day the effect applies: the new document's effective date unless it says otherwise.
    effective_date = models.DateField(_("生效日期"))
    applied_at = models.DateTimeField(_("已生效于"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta:
        ordering = ["effective_date", "id"]
        verbose_name = _("文件关系")
        verbose_name_plural = _("文件关系")
        constraints = [
            models.UniqueConstraint(fields=["source", "target"], name="normative_relation_unique"),
            models.CheckConstraint(
                condition=~models.Q(source=models.F("target")), name="normative_relation_not_self"
            ),
        ]
        indexes = [models.Index(fields=["applied_at", "effective_date"])]

    def __str__(self):
        return f"{self.source} {self.get_kind_display()} {self.target}"


class ValidityChange(BaseModel):
    """One dated step of a document's validity history; the latest on or before a day rules it."""

    class Cause(models.TextChoices):
        ENACTED = "enacted", _("施行")
        RELATION = "relation", _("被修改或废止")
        EXPIRY = "expiry", _("有效期届满")
        CAMPAIGN = "campaign", _("清理决定")

    normative = models.ForeignKey(
        NormativeDocument, on_delete=models.CASCADE, related_name="validity_changes"
    )
    validity = models.CharField(_("有效性"), max_length=16, choices=Validity.choices)
    effective_on = models.DateField(_("日期"))
    cause = models.CharField(_("原因"), max_length=16, choices=Cause.choices)
    relation = models.ForeignKey(
        Relation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    campaign_item = models.ForeignKey(
        "CampaignItem", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta:
        ordering = ["normative", "effective_on", "id"]
        verbose_name = _("有效性变化")
        verbose_name_plural = _("有效性变化")
        indexes = [models.Index(fields=["normative", "effective_on"])]

    def __str__(self):
        return f"{self.normative_id} {self.validity} {self.effective_on}"


class Campaign(BaseModel):
    """A clean-up (清理) of an organisation's normative documents, with a decision for each."""

    org = models.ForeignKey(
        "orgs.Org", verbose_name=_("组织单位"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("名称"), max_length=200)
    # Documents expiring on or before this day are due for review (and all, if `all_in_force`).
    review_by = models.DateField(_("清理截止日期"))
    status = models.CharField(
        _("状态"), max_length=16, choices=CampaignStatus.choices, default=CampaignStatus.OPEN
    )
    published_at = models.DateTimeField(_("结果公布时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("清理工作")
        verbose_name_plural = _("清理工作")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("normative:campaign", kwargs={"pk": self.pk})


class CampaignItem(BaseModel):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="items")
    normative = models.ForeignKey(
        NormativeDocument, on_delete=models.PROTECT, related_name="campaign_items"
    )
    decision = models.CharField(_("清理意见"), max_length=16, choices=Decision.choices, blank=True)
    reason = models.TextField(_("理由"), blank=True)
    # "继续有效" may renew the period: the new expiry date, applied when the result is published.
    extend_to = models.DateField(_("有效期延至"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)

    class Meta:
        ordering = ["campaign", "id"]
        verbose_name = _("清理意见")
        verbose_name_plural = _("清理意见")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "normative"], name="normative_campaign_item_unique"
            )
        ]

    def __str__(self):
        return f"{self.campaign_id}: {self.normative_id} {self.decision}"

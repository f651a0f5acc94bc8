"""Standard disclosure catalogs (基层政务公开标准目录; RULES §4).

The catalogs are data: the pilot areas, and for each organisation and area a versioned catalog
of items with the columns the national guidelines publish. A district or township adapts the
catalog of the government above it (each item kept, reworded, removed or added, with a reason),
and each item can be mapped to where its information lives in gongkai, which is what coverage
is measured on.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.core.models import BaseModel

from .workflow import CatalogStatus


class Area(BaseModel):
    """A pilot area (试点领域) of the standard catalogs, e.g. 义务教育; editable data."""

    name = models.CharField(_("领域"), max_length=64, unique=True)
    code = models.SlugField(_("代码"), max_length=64, unique=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    # The national standard guideline of the area (国务院部门制定的标准指引) and where the
    # area list itself comes from.
    guideline = models.CharField(_("标准指引"), max_length=300, blank=True)
    source = models.CharField(_("来源"), max_length=300, blank=True)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("试点领域")
        verbose_name_plural = _("试点领域")

    def __str__(self):
        return self.name


class Catalog(BaseModel):
    """One organisation's catalog for one area, in one version (workflow: `CATALOG`)."""

    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="catalogs")
    version = models.PositiveIntegerField(_("版本"), default=1)
    # The approved catalog this one adapts (the city's, for a district), or null for one
    # imported or written from scratch.
    base = models.ForeignKey(
        "self",
        verbose_name=_("所依据的目录"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="adaptations",
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=CatalogStatus.choices, default=CatalogStatus.DRAFT
    )
    note = models.TextField(_("编制说明"), blank=True)
    review_note = models.TextField(_("审核意见"), blank=True)
    source = models.CharField(_("导入来源"), max_length=300, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["org", "area__sort_order", "-version"]
        verbose_name = _("标准目录")
        verbose_name_plural = _("标准目录")
        constraints = [
            models.UniqueConstraint(fields=["org", "area", "version"], name="catalog_version"),
            # One approved version per organisation and area: approving supersedes the old one.
            models.UniqueConstraint(
                fields=["org", "area"],
                condition=models.Q(status="approved"),
                name="catalog_one_approved",
            ),
        ]

    def __str__(self):
        return f"{self.org} · {self.area} · v{self.version}"


class Item(BaseModel):
    """One item (事项) of a catalog, with the columns of RULES §4 and its coverage mapping."""

    class Change(models.TextChoices):
        """How an adapted catalog's item relates to the base catalog's."""

        KEPT = "kept", _("沿用")
        REWORDED = "reworded", _("修改")
        ADDED = "added", _("新增")
        REMOVED = "removed", _("删除")

    catalog = models.ForeignKey(Catalog, on_delete=models.CASCADE, related_name="items")
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    number = models.CharField(_("序号"), max_length=16, blank=True)
    level1 = models.CharField(_("一级事项"), max_length=200)
    level2 = models.CharField(_("二级事项"), max_length=200, blank=True)
    elements = models.TextField(_("公开内容（要素）"), blank=True)
    basis = models.TextField(_("公开依据"), blank=True)
    time_limit = models.CharField(_("公开时限"), max_length=300, blank=True)
    subject = models.CharField(_("公开主体"), max_length=300, blank=True)
    channels = models.TextField(_("公开渠道和载体"), blank=True)
    audience = models.CharField(_("公开对象"), max_length=100, blank=True)  # 全社会 / 特定群体
    mode = models.CharField(_("公开方式"), max_length=100, blank=True)  # 主动 / 依申请
    levels = models.JSONField(_("公开层级"), default=list, blank=True)  # ["县级", "乡级", "村级"]
    origin = models.ForeignKey(
        "self",
        verbose_name=_("原事项"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    change = models.CharField(_("调整"), max_length=16, choices=Change.choices, blank=True)
    change_reason = models.TextField(_("调整理由"), blank=True)
    # Where the item's information lives in gongkai (any that are set; coverage reads them).
    category = models.ForeignKey(
        "documents.Category",
        verbose_name=_("对应目录分类"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    column = models.ForeignKey(
        "documents.Column",
        verbose_name=_("对应专栏"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    doc_type = models.CharField(_("对应公文种类"), max_length=32, blank=True)
    query = models.CharField(_("对应检索词"), max_length=200, blank=True)

    class Meta:
        ordering = ["catalog", "sort_order", "id"]
        verbose_name = _("目录事项")
        verbose_name_plural = _("目录事项")

    def __str__(self):
        return f"{self.level1} / {self.level2}" if self.level2 else self.level1

    @property
    def is_mapped(self) -> bool:
        return bool(self.category_id or self.column_id or self.doc_type or self.query)

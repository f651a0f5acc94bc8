"""The register of government websites and 政务新媒体 accounts (集约化, 清理整合).

The fields follow the national reporting forms: for websites 网站名称, 网站标识码, 首页网址
(域名), ICP 备案编号, 公安机关备案号, 主办单位, 承办单位 (政府网站发展指引 国办发〔2017〕47号);
for new-media accounts 平台类型, 账号名称, 账号 ID (微信号), 认证主体, 运维单位 (政务新媒体
健康有序发展的意见 国办发〔2018〕123号 and the 全国政务新媒体信息报送系统 template); for both
the person in charge, who is staff-only information.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gongkai.core.models import BaseModel

from .workflow import EntryStatus, RequestStatus


class Kind(models.TextChoices):
    WEBSITE = "website", _("政府网站")
    NEW_MEDIA = "new_media", _("政务新媒体")


class Platform(models.TextChoices):
    """Where a 政务新媒体 account lives (国办发〔2018〕123号: 微博、微信、抖音等第三方平台上
    开设的账号或应用（含小程序），以及自行开发的移动客户端)."""

    WECHAT = "wechat", _("微信公众号")
    WEIBO = "weibo", _("微博")
    DOUYIN = "douyin", _("抖音")
    TOUTIAO = "toutiao", _("今日头条")
    KUAISHOU = "kuaishou", _("快手")
    CHANNELS = "channels", _("微信视频号")
    APP = "app", _("移动客户端（App）")
    MINI_PROGRAM = "mini_program", _("小程序")
    OTHER = "other", _("其他平台")


class UpdateSource(models.TextChoices):
    COMPUTED = "computed", _("由本平台发布记录计算")
    ENTERED = "entered", _("人工填报")
    FEED = "feed", _("订阅源读取")


class Entry(BaseModel):
    """One website or new-media account of the region's inventory."""

    org = models.ForeignKey(
        "orgs.Org", verbose_name=_("开办单位"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    platform = models.CharField(
        _("平台类型"), max_length=16, choices=Platform.choices, blank=True, default=""
    )
    name = models.CharField(_("名称"), max_length=100)
    address = models.CharField(_("网址或访问地址"), max_length=300, blank=True)
    account_id = models.CharField(_("账号 ID（微信号等）"), max_length=100, blank=True)
    site_code = models.CharField(_("网站标识码"), max_length=10, blank=True)
    icp_number = models.CharField(_("ICP 备案编号"), max_length=64, blank=True)
    security_number = models.CharField(_("公安机关备案号"), max_length=64, blank=True)
    sponsor_unit = models.CharField(_("主办单位"), max_length=128, blank=True)
    operator_unit = models.CharField(_("承办（运维）单位"), max_length=128, blank=True)
    certified_entity = models.CharField(_("认证主体"), max_length=128, blank=True)
    # The person in charge is staff-only: never on a public page, never in the public API.
    person_name = models.CharField(_("负责人"), max_length=64, blank=True)
    person_phone = models.CharField(_("负责人联系电话"), max_length=32, blank=True)
    # The site gongkai itself serves for `org`: its last update is computed from the
    # organisation's published documents instead of entered.
    served_by_gongkai = models.BooleanField(_("由本平台承载"), default=False)
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=EntryStatus.choices,
        default=EntryStatus.ACTIVE,
        db_index=True,
    )
    opened_at = models.DateTimeField(_("开设时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("关停时间"), null=True, blank=True)
    last_updated_at = models.DateTimeField(_("最近更新时间"), null=True, blank=True)
    last_update_source = models.CharField(
        _("更新时间来源"), max_length=16, choices=UpdateSource.choices, blank=True, default=""
    )
    feed_url = models.URLField(_("订阅源（RSS/Atom）地址"), max_length=300, blank=True)
    feed_checked_at = models.DateTimeField(_("订阅源检查时间"), null=True, blank=True)
    feed_problem = models.CharField(_("订阅源读取情况"), max_length=200, blank=True)
    unanswered_messages = models.PositiveIntegerField(_("未回复留言数"), default=0)
    messages_recorded_at = models.DateTimeField(_("留言情况填报时间"), null=True, blank=True)
    notes = models.TextField(_("备注"), blank=True)

    class Meta:
        ordering = ["org__path", "kind", "platform", "name", "id"]
        verbose_name = _("网站或政务新媒体")
        verbose_name_plural = _("网站和政务新媒体")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(kind="website") & models.Q(platform=""))
                | (models.Q(kind="new_media") & ~models.Q(platform="")),
                name="sites_entry_platform_by_kind",
            ),
            # One active account per platform id (国办发〔2018〕123号: 同一平台一个账号).
            models.UniqueConstraint(
                fields=["platform", "account_id"],
                condition=models.Q(status="active") & ~models.Q(account_id=""),
                name="sites_entry_active_account_unique",
            ),
            models.UniqueConstraint(
                fields=["site_code"],
                condition=models.Q(status="active") & ~models.Q(site_code=""),
                name="sites_entry_active_site_code_unique",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("workbench:site_detail", kwargs={"pk": self.pk})

    @property
    def kind_label(self) -> str:
        if self.kind == Kind.NEW_MEDIA:
            return str(self.get_platform_display())
        return str(self.get_kind_display())


class Action(models.TextChoices):
    OPEN = "open", _("开设")
    CHANGE = "change", _("变更")
    CLOSE = "close", _("关停")


class ChangeRequest(BaseModel):
    """A proposal to open, change or close an entry, decided by the supervising office."""

    org = models.ForeignKey(
        "orgs.Org", verbose_name=_("申请单位"), on_delete=models.PROTECT, related_name="+"
    )
    # Null for an opening until it is approved and the entry exists.
    entry = models.ForeignKey(
        Entry,
        verbose_name=_("网站或账号"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="requests",
    )
    action = models.CharField(_("申请事项"), max_length=8, choices=Action.choices)
    # The proposed fields (opening: all; change: the ones that change; closing: none).
    data = models.JSONField(_("申请内容"), default=dict)
    # What the changed fields held when the change was proposed (for the history).
    before = models.JSONField(_("变更前"), default=dict)
    reason = models.TextField(_("申请理由"))
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=RequestStatus.choices,
        default=RequestStatus.SUBMITTED,
        db_index=True,
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    decision_note = models.TextField(_("审核意见"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("开设、变更、关停申请")
        verbose_name_plural = _("开设、变更、关停申请")
        constraints = [
            # One waiting request per entry: a second one would be decided on stale data.
            models.UniqueConstraint(
                fields=["entry"],
                condition=models.Q(status="submitted"),
                name="sites_request_one_pending_per_entry",
            ),
        ]

    def __str__(self):
        name = self.data.get("name") or (self.entry.name if self.entry_id else "")
        return f"{self.get_action_display()}：{name}"

    def get_absolute_url(self):
        return reverse("workbench:site_request", kwargs={"pk": self.pk})

    @property
    def subject_name(self) -> str:
        return self.data.get("name") or (self.entry.name if self.entry_id else "")

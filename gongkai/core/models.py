from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class BaseModel(models.Model):
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        abstract = True


class StoredFile(BaseModel):
    """A file kept as received: its name as sent, the kind and type identified from its bytes
    (never from the name), its size and SHA-256. Documents' attachments, the files sent with
    disclosure requests and progress reports' evidence are all one of these, each with its
    own `file` field (where it is stored, who may read it) and owner; `core.files.store` is
    the one writer of these fields."""

    original_name = models.CharField(_("文件名"), max_length=255)
    kind = models.CharField(_("格式"), max_length=16)
    content_type = models.CharField(_("类型"), max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)

    class Meta:
        abstract = True

    def __str__(self):
        return self.original_name


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("AuditEvent rows are append-only")

    def delete(self):
        raise TypeError("AuditEvent rows are append-only")


class AuditEvent(models.Model):
    """One state change, written by the service that made it, in the same transaction.

    Append-only and hash-chained: `hash` is the SHA-256 of this event's content and of
    `prev_hash`, so editing or deleting any row breaks the chain (see core.audit.verify_chain).
    `seq` is allocated under the lock of `AuditHead`, so it has no gaps, unlike the primary key.
    """

    seq = models.PositiveBigIntegerField(_("序号"), unique=True, editable=False)
    time = models.DateTimeField(_("时间"), db_index=True, editable=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The username at the time, so the trail stays readable if the account is renamed.
    actor_label = models.CharField(_("操作人名称"), max_length=150, blank=True)
    org = models.ForeignKey(
        "orgs.Org",
        verbose_name=_("单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    verb = models.CharField(_("操作"), max_length=64, db_index=True)
    target_type = models.CharField(_("对象类型"), max_length=64)
    target_id = models.CharField(_("对象标识"), max_length=64, blank=True)
    data = models.JSONField(_("数据"), default=dict, blank=True)
    prev_hash = models.CharField(_("上一条哈希"), max_length=64)
    hash = models.CharField(_("哈希"), max_length=64, unique=True)
    # HMAC of (seq, hash) with a key kept outside the database (core.audit): someone who can
    # write to the database cannot recompute it. Empty on events recorded before keys existed.
    mac = models.CharField(_("签名"), max_length=64, blank=True, default="")
    key_id = models.CharField(_("签名密钥"), max_length=16, blank=True, default="")

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["seq"]
        verbose_name = _("审计事件")
        verbose_name_plural = _("审计事件")
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self):
        return f"#{self.seq} {self.verb} {self.target_type}:{self.target_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise TypeError("AuditEvent rows are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("AuditEvent rows are append-only")

    @property
    def canonical_verb(self) -> str:
        """`<app>.<entity>.<action>` (core.verbs); the stored verb stays as it was hashed."""
        from .verbs import canonical

        return canonical(self.verb)

    @property
    def verb_label(self):
        from .verbs import label

        return label(self.verb)


class AuditHead(models.Model):
    """The single row that holds the chain's tip; locking it serialises audit writes.

    It also makes truncation visible: deleting the newest events leaves the head pointing
    past the end of the table.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)
    mac = models.CharField(max_length=64, blank=True, default="")
    key_id = models.CharField(max_length=16, blank=True, default="")

    class Meta:
        verbose_name = _("审计链头")
        verbose_name_plural = _("审计链头")

    def __str__(self):
        return f"#{self.seq} {self.hash[:12]}"


class Sequence(models.Model):
    """A named counter (index numbers, request numbers, letter numbers); values never reused."""

    name = models.CharField(_("名称"), max_length=128, unique=True)
    value = models.PositiveBigIntegerField(_("当前值"), default=0)

    class Meta:
        verbose_name = _("编号序列")
        verbose_name_plural = _("编号序列")

    def __str__(self):
        return f"{self.name}={self.value}"


class RegionScoped(models.Model):
    """A row that holds nationally (region empty) or for one region and everything below it."""

    region = models.ForeignKey(
        "orgs.Org",
        verbose_name=_("地区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("留空表示全国安排；填写则覆盖该地区（及其下级）的全国安排。"),
    )

    class Meta:
        abstract = True

    @staticmethod
    def unique_per_region(field: str, prefix: str) -> list[models.UniqueConstraint]:
        # NULL regions are distinct to a plain unique constraint, so the national rows need
        # their own partial one.
        return [
            models.UniqueConstraint(
                fields=[field], condition=models.Q(region__isnull=True), name=f"{prefix}_national"
            ),
            models.UniqueConstraint(
                fields=[field, "region"],
                condition=models.Q(region__isnull=False),
                name=f"{prefix}_regional",
            ),
        ]


class CalendarYear(RegionScoped):
    """A year whose holiday arrangement has been loaded (nationally, or for one region).

    A date in a year without a row here is computed with the statutory holidays (全国年节及纪念日
    放假办法, the lunar ones computed) and weekends, and marked provisional: the notice's extra
    days and make-up working days are not known until it is loaded.
    """

    year = models.PositiveSmallIntegerField(_("年份"))
    source = models.CharField(_("依据"), max_length=255, blank=True)
    loaded_at = models.DateTimeField(_("导入时间"), auto_now=True)

    class Meta:
        ordering = ["year"]
        verbose_name = _("已导入年度")
        verbose_name_plural = _("已导入年度")
        constraints = RegionScoped.unique_per_region("year", "calyear")

    def __str__(self):
        return f"{self.year}" + (f" ({self.region})" if self.region_id else "")


class CalendarDay(RegionScoped):
    """A departure from the Monday-to-Friday week: a holiday, or a make-up working day (调休)."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("法定节假日")
        WORKDAY = "workday", _("调休上班")

    date = models.DateField(_("日期"))
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("名称"), max_length=64)
    source = models.CharField(_("依据"), max_length=255, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("节假日安排")
        verbose_name_plural = _("节假日安排")
        constraints = RegionScoped.unique_per_region("date", "calday")

    def __str__(self):
        return f"{self.date} {self.get_kind_display()} {self.name}"


class JobRun(models.Model):
    """One run of a scheduled job (`gongkai.core.scheduler`): when, how it ended, what it said."""

    job = models.CharField(_("任务"), max_length=64)
    started_at = models.DateTimeField(_("开始时间"))
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    ok = models.BooleanField(_("成功"), null=True)  # null while running
    trigger = models.CharField(_("触发"), max_length=16)  # schedule / catch-up / manual
    output = models.TextField(_("输出"), blank=True)  # the end of what the command printed
    error = models.TextField(_("错误"), blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("定时任务运行记录")
        indexes = [models.Index(fields=["job", "-started_at"], name="jobrun_job_started")]

    def __str__(self):
        return f"{self.job} @ {self.started_at:%Y-%m-%d %H:%M}"

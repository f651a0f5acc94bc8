"""Disclosure requests (依申请公开): the request, its clock, its letters, its reviews."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.core.models import BaseModel, StoredFile

from .clock import EventKind, PauseReason
from .fees import FeeMethod
from .letters import LetterKind
from .outcomes import ApplicantKind, Outcome
from .workflow import OPEN, Status


class Channel(models.TextChoices):
    """How the request arrived; decides its date of receipt (Art.31)."""

    ONLINE = "online", _("网上申请")
    IN_PERSON = "in_person", _("当面提交")
    REGISTERED_MAIL = "registered_mail", _("邮政挂号信或快递")
    ORDINARY_MAIL = "ordinary_mail", _("平常信函")
    FAX = "fax", _("传真")


class IdType(models.TextChoices):
    RESIDENT_ID = "resident_id", _("居民身份证")
    PASSPORT = "passport", _("护照")
    HK_MACAO_TAIWAN = "hk_macao_taiwan", _("港澳台居民证件")
    CREDIT_CODE = "credit_code", _("统一社会信用代码")
    OTHER = "other", _("其他证件")


class Form(models.TextChoices):
    """The form the applicant wants the information in (Art.29(3))."""

    PAPER = "paper", _("纸质")
    EMAIL = "email", _("电子邮件")
    ELECTRONIC = "electronic", _("电子数据（光盘、磁盘等）")
    ON_SITE = "on_site", _("当场阅读、抄录")


class Delivery(models.TextChoices):
    POST = "post", _("邮寄")
    EMAIL = "email", _("电子邮件")
    COLLECT = "collect", _("当面领取")
    ONLINE = "online", _("网上获取")


class Request(BaseModel):
    """An application under the Regulations; its due date is derived from its clock events."""

    number = models.CharField(_("申请编号"), max_length=32, unique=True)
    password_hash = models.CharField(_("查询密码"), max_length=256, editable=False)
    org = models.ForeignKey(
        "orgs.Org", verbose_name=_("受理机关"), on_delete=models.PROTECT, related_name="requests"
    )
    channel = models.CharField(_("申请方式"), max_length=32, choices=Channel.choices)
    submitted_on = models.DateField(_("提交日期"))
    received_date = models.DateField(_("收到申请日期"), db_index=True)
    received_basis = models.CharField(_("收到日期依据"), max_length=200, blank=True)

    applicant_kind = models.CharField(_("申请人类型"), max_length=32, choices=ApplicantKind)
    name = models.CharField(_("申请人姓名或名称"), max_length=200)
    contact_person = models.CharField(_("联系人"), max_length=100, blank=True)
    id_type = models.CharField(_("证件类型"), max_length=32, choices=IdType.choices)
    # Never stored in clear: encrypted (core.crypto), a keyed hash to recognise the same
    # applicant (monthly fee count, repeated requests), and a masked form for display.
    id_number_encrypted = models.TextField(editable=False)
    id_number_hash = models.CharField(max_length=64, db_index=True, editable=False)
    id_number_masked = models.CharField(_("证件号码"), max_length=64, editable=False)
    phone = models.CharField(_("联系电话"), max_length=32, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    address = models.CharField(_("通信地址"), max_length=300, blank=True)
    postcode = models.CharField(_("邮政编码"), max_length=6, blank=True)

    description = models.TextField(_("所需信息的内容描述"))
    document_number = models.CharField(_("文号"), max_length=100, blank=True)
    form = models.CharField(_("获取信息的方式"), max_length=32, choices=Form.choices)
    delivery = models.CharField(_("获取信息的途径"), max_length=32, choices=Delivery.choices)
    # What the request asks for, normalised, to count how often the same information is asked.
    subject_key = models.CharField(max_length=64, db_index=True, editable=False)

    status = models.CharField(
        _("状态"), max_length=32, choices=Status.choices, default=Status.REGISTERED, db_index=True
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("办理人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="foi_requests",
    )
    # Stored for querying (queues, overdue scan); always recomputed from the events on change.
    due_date = models.DateField(_("答复期限"), null=True, blank=True, db_index=True)
    due_provisional = models.BooleanField(_("期限为暂定"), default=False)
    extension_days = models.PositiveSmallIntegerField(_("延期天数"), default=0)

    outcome = models.CharField(_("办理结果"), max_length=40, choices=Outcome, blank=True)
    reason = models.TextField(_("理由说明"), blank=True)
    provision = models.TextField(_("提供方式说明"), blank=True)
    transfer_org_name = models.CharField(_("有权机关名称"), max_length=200, blank=True)
    transfer_org_contact = models.CharField(_("有权机关联系方式"), max_length=200, blank=True)
    closed_on = models.DateField(_("办结日期"), null=True, blank=True)
    delivered_on = models.DateField(_("送达日期"), null=True, blank=True)
    late = models.BooleanField(_("逾期答复"), default=False)

    fee_method = models.CharField(_("计费方式"), max_length=16, choices=FeeMethod, blank=True)
    fee_items = models.PositiveIntegerField(_("计费件数"), default=0)
    fee_pages = models.PositiveIntegerField(_("计费页数"), default=0)
    fee_total = models.DecimalField(
        _("信息处理费（元）"), max_digits=12, decimal_places=2, default=0
    )
    fee_computation = models.JSONField(_("计费明细"), default=dict, blank=True)
    fee_paid_on = models.DateField(_("缴费日期"), null=True, blank=True)

    converted_document = models.ForeignKey(
        "documents.Document",
        verbose_name=_("转为主动公开的信息"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="source_requests",
    )
    # Replay protection: the web form's one-time token, or the API's Idempotency-Key. NULL
    # (not "") when absent, so that requests without one do not collide on uniqueness.
    submission_key = models.CharField(  # noqa: DJ001
        max_length=80, unique=True, null=True, editable=False
    )
    # A keyed hash of the submitting address, for the per-address rate limit; never the address.
    source_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)

    class Meta:
        ordering = ["-received_date", "-id"]
        verbose_name = _("政府信息公开申请")
        verbose_name_plural = _("政府信息公开申请")
        indexes = [
            models.Index(fields=["org", "status", "due_date"]),
            # The overdue scan and list read open requests by due date; closed ones (the vast
            # majority after a few years) stay out of this index.
            models.Index(
                fields=["due_date"],
                condition=models.Q(status__in=sorted(OPEN)),
                name="foi_request_open_due",
            ),
        ]

    def __str__(self):
        return self.number

    @property
    def is_open(self) -> bool:
        from .workflow import OPEN

        return self.status in OPEN


class ClockEvent(models.Model):
    """One event of a request's reply clock; the due date is a pure function of these rows."""

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="clock_events")
    kind = models.CharField(_("事件"), max_length=16, choices=EventKind.choices)
    date = models.DateField(_("日期"))
    reason = models.CharField(_("暂停原因"), max_length=16, choices=PauseReason.choices, blank=True)
    days = models.PositiveSmallIntegerField(_("天数"), default=0)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["request", "id"]
        verbose_name = _("计时事件")
        verbose_name_plural = _("计时事件")

    def __str__(self):
        return f"{self.request_id} {self.kind} {self.date}"


def letter_path(instance: Letter, filename: str) -> str:
    return f"foi/letters/{instance.request.received_date:%Y}/{instance.request.number}/{filename}"


class Letter(BaseModel):
    """A letter sent to the applicant (or a third party): the reply or a notice."""

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="letters")
    kind = models.CharField(_("文书类型"), max_length=32, choices=LetterKind.choices)
    number = models.CharField(_("文书编号"), max_length=64, blank=True)
    date = models.DateField(_("日期"))
    title = models.CharField(_("标题"), max_length=100)
    recipient = models.CharField(_("收件人"), max_length=200)
    paragraphs = models.JSONField(_("正文"), default=list)
    docx = models.FileField(_("DOCX"), upload_to=letter_path, max_length=255, blank=True)
    pdf = models.FileField(_("PDF"), upload_to=letter_path, max_length=255, blank=True)
    # Notices addressed to a third party are not shown to the applicant.
    to_applicant = models.BooleanField(_("送申请人"), default=True)

    class Meta:
        ordering = ["request", "date", "id"]
        verbose_name = _("文书")
        verbose_name_plural = _("文书")
        constraints = [
            models.UniqueConstraint(
                fields=["number"], condition=~models.Q(number=""), name="letter_number_unique"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.number}"


class LetterTemplate(BaseModel):
    """An office's (or the region's) wording for a letter kind and outcome; edited by staff.

    Lookup goes from the request's office up through its ancestors to the national row
    (org empty), then to the wording built into gongkai (`letters.default_template`).
    """

    org = models.ForeignKey(
        "orgs.Org", verbose_name=_("机构"), null=True, blank=True, on_delete=models.CASCADE
    )
    kind = models.CharField(_("文书类型"), max_length=32, choices=LetterKind.choices)
    outcome = models.CharField(_("办理结果"), max_length=40, choices=Outcome, blank=True)
    text = models.TextField(
        _("模板"), help_text=_("Django 模板语法，段落之间空一行。可用变量见文档。")
    )

    class Meta:
        verbose_name = _("文书模板")
        verbose_name_plural = _("文书模板")
        constraints = [
            models.UniqueConstraint(
                fields=["org", "kind", "outcome"], name="letter_template_unique"
            ),
            models.UniqueConstraint(
                fields=["kind", "outcome"],
                condition=models.Q(org__isnull=True),
                name="letter_template_national",
            ),
        ]

    def __str__(self):
        return f"{self.org or _('全国')} · {self.get_kind_display()} {self.outcome}"


class Review(BaseModel):
    """An administrative review or lawsuit against a request (annual report section 四)."""

    class Kind(models.TextChoices):
        ADMIN_REVIEW = "admin_review", _("行政复议")
        LITIGATION_DIRECT = "litigation_direct", _("行政诉讼（未经复议直接起诉）")
        LITIGATION_AFTER_REVIEW = "litigation_after_review", _("行政诉讼（复议后起诉）")

    class Result(models.TextChoices):
        UPHELD = "upheld", _("结果维持")
        CORRECTED = "corrected", _("结果纠正")
        OTHER = "other", _("其他结果")
        PENDING = "pending", _("尚未审结")

    request = models.ForeignKey(Request, on_delete=models.PROTECT, related_name="reviews")
    kind = models.CharField(_("类型"), max_length=32, choices=Kind.choices)
    filed_on = models.DateField(_("立案日期"))
    result = models.CharField(
        _("结果"), max_length=16, choices=Result.choices, default=Result.PENDING
    )
    decided_on = models.DateField(_("审结日期"), null=True, blank=True)
    body = models.CharField(_("复议机关或法院"), max_length=200, blank=True)
    note = models.TextField(_("备注"), blank=True)

    class Meta:
        ordering = ["request", "filed_on"]
        verbose_name = _("复议诉讼")
        verbose_name_plural = _("复议诉讼")

    def __str__(self):
        return f"{self.request} {self.get_kind_display()}"


class Reminder(models.Model):
    """A reminder or overdue notice already sent; its uniqueness makes the check idempotent."""

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=16)  # "due_5", "due_1", "overdue"
    due_date = models.DateField()  # the due date it was about: a new due date reminds again
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["request", "kind", "due_date"], name="reminder_unique")
        ]

    def __str__(self):
        return f"{self.request_id} {self.kind} {self.due_date}"


def request_attachment_path(instance: RequestAttachment, filename: str) -> str:
    # Named by content, not by what the applicant called it (names can carry personal data).
    name = f"{instance.sha256[:16]}.{instance.kind}"
    return f"foi/requests/{instance.request.received_date:%Y}/{instance.request.number}/{name}"


class RequestAttachment(StoredFile):
    """A file the applicant sent with the request (e.g. a copy of an identity document).

    Stored outside MEDIA_URL's public reach: served only to staff who may view the request.
    """

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("文件"), upload_to=request_attachment_path, max_length=255)

    class Meta:
        ordering = ["request", "id"]
        verbose_name = _("申请附件")
        verbose_name_plural = _("申请附件")


def disclosed_file_path(instance: DisclosedFile, filename: str) -> str:
    # Named by content (the same bytes are kept once), beside the request's letters.
    name = f"{instance.sha256[:16]}.{instance.kind}"
    return f"foi/disclosed/{instance.request.received_date:%Y}/{instance.request.number}/{name}"


class DisclosedFile(StoredFile):
    """The disclosed information itself (Art.36(2)), attached by the handler to the reply.

    Stored outside MEDIA_URL's public reach: staff who may view the request download it, and the
    applicant downloads it on the tracking page once the reply has been sent."""

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="disclosed_files")
    file = models.FileField(_("文件"), upload_to=disclosed_file_path, max_length=255)
    # Personal information found in the file's text (kind, label, masked value; never the raw
    # value), shown to the office head and the legal reviewer before the reply is sent.
    pii_findings = models.JSONField(_("疑似个人信息"), default=list, blank=True, editable=False)

    class Meta:
        ordering = ["request", "id"]
        verbose_name = _("公开信息文件")
        verbose_name_plural = _("公开信息文件")

    @property
    def pii_summary(self) -> str:
        """E.g. "身份证号码 2 处、手机号码 1 处" (labels in the order first found)."""
        counts: dict[str, int] = {}
        for finding in self.pii_findings:
            counts[finding.get("label", "")] = counts.get(finding.get("label", ""), 0) + 1
        from django.utils.translation import gettext

        return "、".join(
            gettext("%(label)s %(n)s 处") % {"label": label, "n": n} for label, n in counts.items()
        )

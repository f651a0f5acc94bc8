from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gongkai.core.models import BaseModel, StoredFile

from .workflow import Status


class Category(BaseModel):
    """主题分类: an editable tree; the default set covers the items of Art.20 and Art.21."""

    name = models.CharField(_("名称"), max_length=64)
    code = models.SlugField(_("代码"), max_length=64, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级分类"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    basis = models.CharField(
        _("依据"), max_length=64, blank=True, help_text=_("如：条例第二十条第（一）项")
    )
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("主题分类")
        verbose_name_plural = _("主题分类")

    def __str__(self):
        return self.name


class Column(BaseModel):
    """专栏: a topical section of the portal across organisations."""

    name = models.CharField(_("名称"), max_length=64, unique=True)
    slug = models.SlugField(_("代码"), max_length=64, unique=True)
    description = models.TextField(_("简介"), blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("专栏")
        verbose_name_plural = _("专栏")

    def __str__(self):
        return self.name


class Document(BaseModel):
    """A piece of government information, from draft to publication (and withdrawal)."""

    class Attribute(models.TextChoices):
        PROACTIVE = "proactive", _("主动公开")
        ON_REQUEST = "on_request", _("依申请公开")
        WITHHELD = "withheld", _("不予公开")

    class Basis(models.TextChoices):
        # RULES §1 Exemptions: the article and item a non-proactive attribute rests on.
        ART14_SECRET = "art14_secret", _("第十四条：依法确定为国家秘密")
        ART14_LAW = "art14_law", _("第十四条：法律、行政法规禁止公开")
        ART14_SECURITY = (
            "art14_security",
            _("第十四条：公开后可能危及国家安全、公共安全、经济安全、社会稳定"),
        )
        ART15_THIRD_PARTY = "art15", _("第十五条：涉及商业秘密、个人隐私等第三方合法权益")
        ART16_INTERNAL = "art16_internal", _("第十六条第一款：内部事务信息")
        ART16_PROCESS = "art16_process", _("第十六条第一款：过程性信息")
        ART16_ENFORCEMENT = "art16_enforcement", _("第十六条第二款：行政执法案卷信息")
        SPECIFIC_PARTIES = "specific_parties", _("仅涉及特定对象，依申请公开")

    class DocType(models.TextChoices):
        # 党政机关公文处理工作条例: the 15 official types, plus 其他.
        RESOLUTION = "resolution", _("决议")
        DECISION = "decision", _("决定")
        ORDER = "order", _("命令（令）")
        COMMUNIQUE = "communique", _("公报")
        ANNOUNCEMENT = "announcement", _("公告")
        PUBLIC_NOTICE = "public_notice", _("通告")
        OPINION = "opinion", _("意见")
        NOTICE = "notice", _("通知")
        BULLETIN = "bulletin", _("通报")
        REPORT = "report", _("报告")
        REQUEST = "request", _("请示")
        REPLY = "reply", _("批复")
        MOTION = "motion", _("议案")
        LETTER = "letter", _("函")
        MINUTES = "minutes", _("纪要")
        OTHER = "other", _("其他")

    class Validity(models.TextChoices):
        VALID = "valid", _("有效")
        AMENDED = "amended", _("已修改")
        REPEALED = "repealed", _("废止")
        EXPIRED = "expired", _("失效")

    title = models.CharField(_("标题"), max_length=300)
    document_number = models.CharField(_("发文字号"), max_length=64, blank=True, db_index=True)
    org = models.ForeignKey(
        "orgs.Org", verbose_name=_("发文机关"), on_delete=models.PROTECT, related_name="documents"
    )
    co_issuers = models.ManyToManyField(
        "orgs.Org", verbose_name=_("联合发文机关"), blank=True, related_name="co_issued_documents"
    )
    date_signed = models.DateField(_("成文日期"))
    date_changed = models.DateField(_("变更日期"), null=True, blank=True)
    category = models.ForeignKey(
        Category,
        verbose_name=_("主题分类"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
    )
    columns = models.ManyToManyField(
        Column, verbose_name=_("专栏"), blank=True, related_name="documents"
    )
    doc_type = models.CharField(
        _("公文种类"), max_length=32, choices=DocType.choices, default=DocType.NOTICE
    )
    attribute = models.CharField(_("公开属性"), max_length=16, choices=Attribute.choices)
    attribute_basis = models.CharField(
        _("不公开依据"), max_length=32, choices=Basis.choices, blank=True
    )
    attribute_reason = models.TextField(_("属性说明"), blank=True)
    summary = models.TextField(_("内容概述"), blank=True)
    body = models.TextField(_("正文"), blank=True)
    validity = models.CharField(
        _("有效性"), max_length=16, choices=Validity.choices, default=Validity.VALID
    )
    # 三同步: a policy flagged here is listed in the coverage ledger until it has an
    # interpretation.
    needs_interpretation = models.BooleanField(_("需要解读"), default=False)

    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    # Art.26: published within 20 working days of being made or changed.
    publication_due = models.DateField(_("应发布日期"))
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True, db_index=True)
    is_late = models.BooleanField(_("逾期发布"), null=True, blank=True)
    index_number = models.CharField(_("索引号"), max_length=64, null=True, blank=True, unique=True)
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("撤回原因"), blank=True)
    # Personal-information findings of the last scan (masked values only), and a reviewer's
    # written reason for publishing despite them.
    pii_findings = models.JSONField(_("个人信息检查结果"), default=list, blank=True)
    pii_override_reason = models.TextField(_("个人信息放行理由"), blank=True)
    # Empty for documents brought in by a command (the audit trail names the command).
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-published_at", "-created_at"]
        verbose_name = _("政府信息")
        verbose_name_plural = _("政府信息")
        indexes = [models.Index(fields=["org", "status", "publication_due"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(attribute="proactive") | ~models.Q(attribute_basis=""),
                name="document_basis_when_not_proactive",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="published") | models.Q(index_number__isnull=False),
                name="document_published_has_index_number",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("portal:document_detail", kwargs={"index_number": self.index_number})


class Revision(models.Model):
    """What changed in a document, by whom, when (kept for every edit)."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    changes = models.JSONField(default=dict, encoder=DjangoJSONEncoder)

    class Meta:
        ordering = ["document", "number"]
        verbose_name = _("修订记录")
        verbose_name_plural = _("修订记录")
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="revision_unique")
        ]

    def __str__(self):
        return f"{self.document_id} r{self.number}"


def attachment_path(instance: "Attachment", filename: str) -> str:
    # Content-addressed: the same bytes are stored once, and a name never collides.
    return f"attachments/{instance.sha256[:2]}/{instance.sha256}.{instance.kind}"


class Attachment(StoredFile):
    """A file attached to a document, identified by its content, with its text extracted."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("文件"), upload_to=attachment_path, max_length=255)
    extracted_text = models.TextField(_("提取的文字"), blank=True)

    class Meta:
        ordering = ["document", "created_at"]
        verbose_name = _("附件")
        verbose_name_plural = _("附件")


class Interpretation(BaseModel):
    """政策解读: a document that explains one or more policy documents ("谁起草、谁解读")."""

    class Form(models.TextChoices):
        TEXT = "text", _("文字解读")
        GRAPHIC = "graphic", _("图解")
        VIDEO = "video", _("视频解读")
        QA = "qa", _("问答")
        PRESS = "press", _("新闻发布会")

    document = models.OneToOneField(
        Document,
        verbose_name=_("解读文件"),
        on_delete=models.CASCADE,
        related_name="interpretation",
    )
    form = models.CharField(_("解读形式"), max_length=16, choices=Form.choices)
    # The drafting organisation of the policy answers for its interpretation.
    responsible_org = models.ForeignKey(
        "orgs.Org", verbose_name=_("解读责任单位"), on_delete=models.PROTECT, related_name="+"
    )
    policies = models.ManyToManyField(
        Document, verbose_name=_("所解读的政策"), related_name="interpretations"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("政策解读")
        verbose_name_plural = _("政策解读")

    def __str__(self):
        return str(self.document)


class GazetteIssue(BaseModel):
    """One issue of the government gazette (政府公报): 2026年第3期 (总第N期)."""

    org = models.ForeignKey(
        "orgs.Org", verbose_name=_("主办机关"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年份"))
    number = models.PositiveSmallIntegerField(_("期号"))
    total_number = models.PositiveIntegerField(_("总期号"), null=True, blank=True)
    issue_date = models.DateField(_("出版日期"))
    pdf = models.FileField(_("PDF 版"), upload_to="gazette/", max_length=255, blank=True)
    pdf_sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    pdf_generated = models.BooleanField(_("PDF 由系统生成"), default=False)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)

    class Meta:
        ordering = ["-year", "-number"]
        verbose_name = _("政府公报")
        verbose_name_plural = _("政府公报")
        constraints = [
            models.UniqueConstraint(fields=["org", "year", "number"], name="gazette_issue_unique")
        ]

    def __str__(self):
        return _("%(year)s年第%(number)s期") % {"year": self.year, "number": self.number}

    def get_absolute_url(self):
        return reverse(
            "portal:gazette_issue",
            kwargs={"code": self.org.code, "year": self.year, "number": self.number},
        )


class GazetteEntry(models.Model):
    """A published document printed in an issue, under one of its sections (栏目)."""

    issue = models.ForeignKey(GazetteIssue, on_delete=models.CASCADE, related_name="entries")
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="gazette_entries")
    section = models.CharField(_("栏目"), max_length=64, blank=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["issue", "sort_order", "id"]
        verbose_name = _("公报目录条目")
        verbose_name_plural = _("公报目录条目")
        constraints = [
            models.UniqueConstraint(fields=["issue", "document"], name="gazette_entry_unique")
        ]

    def __str__(self):
        return f"{self.issue}: {self.document}"


class ImportRecord(BaseModel):
    """A file brought in by `gongkai import-documents`: its SHA-256 makes re-runs idempotent."""

    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+")
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    source_name = models.CharField(_("源文件"), max_length=500)
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("导入记录")
        verbose_name_plural = _("导入记录")
        constraints = [
            models.UniqueConstraint(fields=["org", "sha256"], name="import_record_unique")
        ]

    def __str__(self):
        return self.source_name

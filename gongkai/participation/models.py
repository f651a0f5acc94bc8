"""Public participation: consultations, questions (互动交流) and the public-concern ledger."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.core.models import BaseModel, StoredFile

from .workflow import ConcernStatus, ConsultationStatus, QuestionStatus

# --- consultations (意见征集) ------------------------------------------------------------------


class Method(models.TextChoices):
    """How the public is consulted (重大行政决策程序暂行条例 Art.14–19)."""

    ONLINE = "online", _("网上征求意见")
    SURVEY = "survey", _("问卷调查")
    FORUM = "forum", _("座谈会")
    HEARING = "hearing", _("听证会")
    VISIT = "visit", _("实地走访")
    WRITTEN = "written", _("书面征求意见")


class DecisionItem(BaseModel):
    """An entry of a government's yearly list of decisions open to public participation
    (重大行政决策事项目录 / 公众参与事项); linked to its consultation when that opens."""

    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("决策事项"), max_length=200)
    scope = models.TextField(_("参与范围"), blank=True)
    methods = models.JSONField(_("参与方式"), default=list)
    channel = models.CharField(_("参与渠道"), max_length=300, blank=True)
    planned_time = models.CharField(_("计划时间"), max_length=100, blank=True)
    lead_unit = models.CharField(_("承办单位"), max_length=200, blank=True)
    published_at = models.DateTimeField(_("公布时间"), null=True, blank=True)

    class Meta:
        ordering = ["org", "year", "id"]
        verbose_name = _("公众参与事项")

    def __str__(self):
        return self.title

    def method_labels(self) -> list[str]:
        return [str(Method(m).label) for m in self.methods if m in Method.values]


class Consultation(BaseModel):
    """A draft put out for public comment, with its explanation and period."""

    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("标题"), max_length=200)
    decision_item = models.ForeignKey(
        DecisionItem,
        verbose_name=_("公众参与事项"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="consultations",
    )
    # The draft as a document in the publishing workflow; its text is also kept here so the
    # page reads the same while the document moves on.
    draft = models.ForeignKey(
        "documents.Document",
        verbose_name=_("征求意见稿"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    draft_text = models.TextField(_("征求意见稿正文"), blank=True)
    explanation = models.TextField(_("起草说明"), blank=True)
    basis = models.TextField(_("起草依据"), blank=True)
    opens_on = models.DateField(_("开始日期"))
    closes_on = models.DateField(_("截止日期"))
    # A period shorter than the statutory 30 days must be explained, on the page (Art.14).
    short_period_reason = models.TextField(_("征求期少于30日的理由"), blank=True)
    methods = models.JSONField(_("征求方式"), default=list)
    contact = models.CharField(_("联系方式"), max_length=300, blank=True)
    status = models.CharField(
        _("状态"),
        max_length=24,
        choices=ConsultationStatus.choices,
        default=ConsultationStatus.DRAFT,
        db_index=True,
    )
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_on = models.DateField(_("结束日期"), null=True, blank=True)
    close_reason = models.CharField(_("提前结束理由"), max_length=300, blank=True)
    feedback_due_on = models.DateField(_("反馈期限"), null=True, blank=True)
    feedback = models.TextField(_("意见采纳情况说明"), blank=True)
    feedback_published_at = models.DateTimeField(_("反馈发布时间"), null=True, blank=True)
    # The decision finally taken, linked back from its document.
    decision_document = models.ForeignKey(
        "documents.Document",
        verbose_name=_("决策文件"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="consultations",
    )

    class Meta:
        ordering = ["-opens_on", "-id"]
        verbose_name = _("意见征集")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opens_on")),
                name="consultation_period_order",
            )
        ]

    def __str__(self):
        return self.title

    def method_labels(self) -> list[str]:
        return [str(Method(m).label) for m in self.methods if m in Method.values]

    @property
    def period_days(self) -> int:
        return (self.closes_on - self.opens_on).days + 1


class Activity(BaseModel):
    """An offline consultation held and recorded by staff (座谈会, 听证会, 实地走访 …)."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="activities"
    )
    method = models.CharField(_("方式"), max_length=16, choices=Method.choices)
    held_on = models.DateField(_("日期"))
    participants = models.PositiveIntegerField(_("参加人数"), default=0)
    participants_text = models.CharField(_("参加人员"), max_length=500, blank=True)
    summary = models.TextField(_("主要意见"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["held_on", "id"]
        verbose_name = _("线下征求记录")

    def __str__(self):
        return f"{self.get_method_display()} {self.held_on}"


class Decision(models.TextChoices):
    """What was done with a comment (意见采纳情况)."""

    PENDING = "pending", _("待处理")
    ADOPTED = "adopted", _("采纳")
    PARTLY = "partly", _("部分采纳")
    NOT_ADOPTED = "not_adopted", _("不予采纳")
    OUT_OF_SCOPE = "out_of_scope", _("不属于征求范围")


class CommentGroup(BaseModel):
    """Comments staff grouped as one shared view, decided together."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="groups")
    title = models.CharField(_("意见归纳"), max_length=300)
    decision = models.CharField(
        _("处理结果"), max_length=16, choices=Decision.choices, default=Decision.PENDING
    )
    reason = models.TextField(_("理由"), blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("意见归类")

    def __str__(self):
        return self.title


class Comment(BaseModel):
    """A comment from the public. Name and contact are never shown publicly; the text is
    shown, masked, only when the commenter agreed."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="comments"
    )
    name = models.CharField(_("姓名"), max_length=100)
    contact_encrypted = models.TextField(editable=False)
    text = models.TextField(_("意见"))
    # The text as it may be shown (PII masked), when the commenter agreed to publication.
    public_text = models.TextField(blank=True)
    publish_consent = models.BooleanField(_("同意公开意见内容"), default=False)
    # Staff-entered comments from letters and meetings have no source address.
    source_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    # The form's one-time token or the API's Idempotency-Key; NULL when absent (see foi).
    submission_key = models.CharField(  # noqa: DJ001
        max_length=80, null=True, unique=True, editable=False
    )
    group = models.ForeignKey(
        CommentGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="comments"
    )
    decision = models.CharField(
        _("处理结果"), max_length=16, choices=Decision.choices, default=Decision.PENDING
    )
    reason = models.TextField(_("理由"), blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("意见")

    def __str__(self):
        return f"comment {self.pk}"


class CommentAttachment(StoredFile):
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="participation/comments/%Y/%m/", max_length=300)

    class Meta:
        verbose_name = _("意见附件")


# --- questions and answers (互动交流) -----------------------------------------------------------


class QuestionKind(models.TextChoices):
    ENQUIRY = "enquiry", _("咨询")
    SUGGESTION = "suggestion", _("建议")
    COMPLAINT = "complaint", _("投诉求助")
    MAILBOX = "mailbox", _("领导信箱")


class Rating(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    FAIRLY = "fairly", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")


class Question(BaseModel):
    """A message from the public to an organisation, tracked with a number and password."""

    number = models.CharField(_("留言编号"), max_length=32, unique=True)
    password_hash = models.CharField(max_length=256, editable=False)
    org = models.ForeignKey(
        "orgs.Org", verbose_name=_("办理机关"), on_delete=models.PROTECT, related_name="+"
    )
    addressed_to = models.ForeignKey(
        "orgs.Org", verbose_name=_("收信机关"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("类别"), max_length=16, choices=QuestionKind.choices)
    subject = models.CharField(_("主题"), max_length=200)
    text = models.TextField(_("内容"))
    name = models.CharField(_("姓名"), max_length=100)
    contact_encrypted = models.TextField(editable=False)
    publish_consent = models.BooleanField(_("同意公开"), default=False)
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=QuestionStatus.choices,
        default=QuestionStatus.SUBMITTED,
        db_index=True,
    )
    received_at = models.DateTimeField(_("收到时间"))
    # The date the clock counts from: receipt, or the transfer when the setting restarts it.
    clock_start = models.DateField()
    due_on = models.DateField(_("答复期限"), db_index=True)
    not_accepted_reason = models.TextField(_("不予受理理由"), blank=True)
    answer = models.TextField(_("答复内容"), blank=True)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    rating = models.CharField(_("评价"), max_length=16, choices=Rating.choices, blank=True)
    rating_comment = models.CharField(_("评价意见"), max_length=500, blank=True)
    reopened = models.BooleanField(default=False)
    # Publication (with consent): the masked texts a reviewer looked at.
    public_subject = models.CharField(max_length=200, blank=True)
    public_text = models.TextField(blank=True)
    public_answer = models.TextField(blank=True)
    published_at = models.DateTimeField(_("公开时间"), null=True, blank=True, db_index=True)
    policy = models.ForeignKey(
        "documents.Document",
        verbose_name=_("相关政策"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Pushed by a hotline system (12345) rather than asked on the site.
    source = models.CharField(_("来源"), max_length=32, default="web")
    external_id = models.CharField(max_length=64, blank=True)
    source_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    # The form's one-time token or the API's Idempotency-Key; NULL when absent (see foi).
    submission_key = models.CharField(  # noqa: DJ001
        max_length=80, null=True, unique=True, editable=False
    )

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("留言")
        constraints = [
            models.UniqueConstraint(
                fields=["org", "source", "external_id"],
                condition=~models.Q(external_id=""),
                name="question_external_once",
            )
        ]

    def __str__(self):
        return self.number


class Transfer(BaseModel):
    """A question sent on to the competent organisation (转办)."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="transfers")
    from_org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+")
    to_org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("转办理由"), max_length=300)
    clock_restarted = models.BooleanField(default=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["id"]


class ApiToken(BaseModel):
    """A token a hotline system uses to push answered Q&A for one organisation."""

    org = models.ForeignKey("orgs.Org", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("名称"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(max_length=12, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("接口令牌")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"


# --- the public-concern ledger (回应关切台账) ----------------------------------------------------


class Severity(models.TextChoices):
    EXTREME = "extreme", _("特别重大")
    MAJOR = "major", _("重大")
    LARGE = "large", _("较大")
    ORDINARY = "ordinary", _("一般")


# The severities the 5-hour / 24-hour rule applies to (RULES §9).
TIMED_SEVERITIES = frozenset({Severity.EXTREME, Severity.MAJOR})


class ConcernSource(models.TextChoices):
    MEDIA = "media", _("媒体报道")
    ONLINE = "online", _("网络舆情")
    HOTLINE = "hotline", _("12345热线")
    INSPECTION = "inspection", _("督查检查")
    LEADERSHIP = "leadership", _("领导批示")
    OTHER = "other", _("其他")


class Concern(BaseModel):
    """A public concern (政务舆情) the government must respond to."""

    org = models.ForeignKey(
        "orgs.Org", verbose_name=_("责任单位"), on_delete=models.PROTECT, related_name="+"
    )
    related_orgs = models.ManyToManyField(
        "orgs.Org", verbose_name=_("相关单位"), blank=True, related_name="+"
    )
    title = models.CharField(_("事项"), max_length=200)
    description = models.TextField(_("情况"), blank=True)
    source = models.CharField(_("来源"), max_length=16, choices=ConcernSource.choices)
    noticed_at = models.DateTimeField(_("首次获知时间"))
    severity = models.CharField(_("级别"), max_length=16, choices=Severity.choices)
    tags = models.JSONField(_("领域"), default=list)
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=ConcernStatus.choices,
        default=ConcernStatus.OPEN,
        db_index=True,
    )
    # Null when the severity carries no hour limit.
    info_due_at = models.DateTimeField(_("权威信息发布时限"), null=True, blank=True)
    press_due_at = models.DateTimeField(_("新闻发布会时限"), null=True, blank=True)
    info_missed_reason = models.TextField(_("超时发布原因"), blank=True)
    press_missed_reason = models.TextField(_("超时召开原因"), blank=True)
    evaluation = models.TextField(_("效果评估"), blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-noticed_at", "-id"]
        verbose_name = _("舆情关切")

    def __str__(self):
        return self.title


class ResponseKind(models.TextChoices):
    FIRST_RELEASE = "first_release", _("首次发布")
    FOLLOW_UP = "follow_up", _("后续发布")
    PRESS_CONFERENCE = "press_conference", _("新闻发布会")
    INTERVIEW = "interview", _("接受采访")
    QA = "qa", _("答问")


class ConcernResponse(BaseModel):
    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="responses")
    kind = models.CharField(_("方式"), max_length=24, choices=ResponseKind.choices)
    at = models.DateTimeField(_("时间"))
    channel = models.CharField(_("渠道"), max_length=200, blank=True)
    spokesperson = models.CharField(_("发布人"), max_length=100, blank=True)
    document = models.ForeignKey(
        "documents.Document", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    url = models.URLField(_("链接"), blank=True)
    summary = models.TextField(_("内容摘要"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("回应")


class Promise(BaseModel):
    """A commitment made in a response, tracked to fulfilment (回应后的政策落实)."""

    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="promises")
    text = models.CharField(_("承诺事项"), max_length=500)
    due_on = models.DateField(_("承诺期限"))
    fulfilled_on = models.DateField(_("兑现日期"), null=True, blank=True)
    evidence = models.TextField(_("兑现情况"), blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("承诺事项")


class ConcernAlert(models.Model):
    """An alert sent for one limit at one stage; the hourly job sends each once."""

    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="alerts")
    limit = models.CharField(max_length=8)  # "info" | "press"
    stage = models.CharField(max_length=8)  # "soon" | "missed"
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["concern", "limit", "stage"], name="concern_alert_once")
        ]

    def __str__(self):
        return f"{self.concern_id} {self.limit} {self.stage}"

"""Consultations (意见征集): the yearly list of decisions open to participation, the
consultation and its period, comments from the public, offline records, decisions on the
comments and the published feedback (意见采纳情况).

The rules (RULES §9): a period of at least GONGKAI_CONSULTATION_MIN_DAYS (30) unless a reason
is published with it; comments outside the period are refused with the closing date shown;
a view many people shared and that was not adopted is published with the reason.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.core import audit, crypto, files, pii, ratelimit, textextract, workdays
from gongkai.core.exceptions import (
    ApplicationError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitedError,
)
from gongkai.core.workflow import SCHEDULER
from gongkai.orgs import permissions

from ..models import (
    Activity,
    Comment,
    CommentAttachment,
    CommentGroup,
    Consultation,
    Decision,
    DecisionItem,
    Method,
)
from ..workflow import CONSULTATION, ConsultationStatus

MAX_ATTACHMENTS = 3
# Suggestions compare every pair: the first this many undecided comments (a few seconds at most).
SUGGEST_MAX = 600
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def today() -> dt.date:
    return timezone.localdate()


def clean(value, limit: int) -> str:
    """Strip control characters and surrounding space; cut to `limit` characters."""
    return _CONTROL.sub("", str(value or "")).strip()[:limit]


def _need(actor, org) -> None:
    if not permissions.can(actor, "manage_consultation", org):
        raise PermissionDeniedError()


def _methods(values) -> list[str]:
    values = list(dict.fromkeys(values or []))
    bad = [v for v in values if v not in Method.values]
    if bad:
        raise ApplicationError(_("征求方式无效。"), code="invalid_method")
    return values


# --- the yearly list of decisions open to participation ------------------------------------


@transaction.atomic
def decision_item_save(
    *,
    actor,
    org,
    year: int,
    title: str,
    scope: str = "",
    methods=(),
    channel: str = "",
    planned_time: str = "",
    lead_unit: str = "",
    item: DecisionItem | None = None,
) -> DecisionItem:
    _need(actor, org)
    title = clean(title, 200)
    if not title:
        raise ApplicationError(_("请填写决策事项名称。"), code="title_required")
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        raise ApplicationError(_("年度无效。"), code="invalid_year")
    if item is None:
        item = DecisionItem(org=org)
    elif item.org_id != org.pk:
        raise PermissionDeniedError()
    item.year = year
    item.title = title
    item.scope = clean(scope, 2000)
    item.methods = _methods(methods)
    item.channel = clean(channel, 300)
    item.planned_time = clean(planned_time, 100)
    item.lead_unit = clean(lead_unit, 200)
    item.save()
    audit.record(
        actor=actor,
        verb="participation.decision_item_save",
        target=item,
        org=org,
        data={"year": year, "title": title},
    )
    return item


@transaction.atomic
def decision_list_publish(*, actor, org, year: int) -> int:
    """Publish the year's list (every entry not yet public); returns how many were published."""
    _need(actor, org)
    items = DecisionItem.objects.select_for_update().filter(
        org=org, year=year, published_at__isnull=True
    )
    count = items.update(published_at=timezone.now())
    if not count:
        raise ApplicationError(_("本年度没有待公布的事项。"), code="nothing_to_publish")
    audit.record(
        actor=actor,
        verb="participation.decision_list_publish",
        target=org,
        org=org,
        data={"year": year, "items": count},
    )
    return count


# --- the consultation ----------------------------------------------------------------------


@dataclass
class ConsultationInput:
    title: str
    opens_on: dt.date
    closes_on: dt.date
    draft_text: str = ""
    explanation: str = ""
    basis: str = ""
    methods: list[str] = field(default_factory=lambda: [Method.ONLINE])
    short_period_reason: str = ""
    contact: str = ""
    decision_item: DecisionItem | None = None
    draft: object = None  # documents.Document


def _validated(org, data: ConsultationInput) -> dict:
    errors: dict[str, str] = {}
    title = clean(data.title, 200)
    if not title:
        errors["title"] = _("请填写标题。")
    if not isinstance(data.opens_on, dt.date) or not isinstance(data.closes_on, dt.date):
        errors["closes_on"] = _("请填写征求期的开始和截止日期。")
    elif data.closes_on < data.opens_on:
        errors["closes_on"] = _("截止日期不能早于开始日期。")
    elif (data.closes_on - data.opens_on).days > 366:
        errors["closes_on"] = _("征求期不能超过一年。")
    reason = clean(data.short_period_reason, 1000)
    if (
        "closes_on" not in errors
        and (data.closes_on - data.opens_on).days + 1 < settings.GONGKAI_CONSULTATION_MIN_DAYS
        and not reason
    ):
        errors["short_period_reason"] = _(
            "征求意见期限一般不少于%(n)s日；期限较短的，须说明理由并予以公布。"
        ) % {"n": settings.GONGKAI_CONSULTATION_MIN_DAYS}
    draft_text = clean(data.draft_text, 200_000)
    if not draft_text and data.draft is None:
        errors["draft_text"] = _("请提供征求意见稿（正文或关联文件）。")
    try:
        methods = _methods(data.methods)
    except ApplicationError as exc:
        errors["methods"] = exc.message
        methods = []
    else:
        if not methods:
            errors["methods"] = _("请至少选择一种征求方式。")
    # The list is the government's; its departments run the consultations on its entries.
    if data.decision_item is not None and not org.path.startswith(data.decision_item.org.path):
        errors["decision_item"] = _("公众参与事项不属于本机关或本级政府。")
    if data.draft is not None and data.draft.org_id != org.pk:
        errors["draft"] = _("征求意见稿不属于本机关。")
    if errors:
        raise ApplicationError(
            next(iter(errors.values())), code="invalid_consultation", extra={"fields": errors}
        )
    return {
        "title": title,
        "opens_on": data.opens_on,
        "closes_on": data.closes_on,
        "draft_text": draft_text,
        "explanation": clean(data.explanation, 50_000),
        "basis": clean(data.basis, 5000),
        "methods": methods,
        "short_period_reason": reason,
        "contact": clean(data.contact, 300),
        "decision_item": data.decision_item,
        "draft": data.draft,
    }


@transaction.atomic
def consultation_create(*, actor, org, data: ConsultationInput) -> Consultation:
    _need(actor, org)
    consultation = Consultation.objects.create(org=org, **_validated(org, data))
    audit.record(
        actor=actor,
        verb="participation.consultation_create",
        target=consultation,
        org=org,
        data={"title": consultation.title, "period": [data.opens_on, data.closes_on]},
    )
    return consultation


@transaction.atomic
def consultation_update(*, actor, consultation: Consultation, data: ConsultationInput):
    """Edit a draft; once open, only the closing date may move, and only later (an extension
    announced on the page), never shortening a period the public was promised."""
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    _need(actor, consultation.org)
    fields = _validated(consultation.org, data)
    if consultation.status == ConsultationStatus.DRAFT:
        for name, value in fields.items():
            setattr(consultation, name, value)
    elif consultation.status == ConsultationStatus.OPEN:
        if fields["closes_on"] < consultation.closes_on:
            raise ApplicationError(
                _("征集已发布，截止日期只能延后，不能提前。"), code="period_shortened"
            )
        consultation.closes_on = fields["closes_on"]
    else:
        raise ApplicationError(_("征集已结束，不能再修改。"), code="not_editable")
    consultation.save()
    audit.record(
        actor=actor,
        verb="participation.consultation_update",
        target=consultation,
        org=consultation.org,
        data={"closes_on": consultation.closes_on},
    )
    return consultation


def consultation_open(*, actor, consultation: Consultation, on: dt.date | None = None):
    on = on or today()
    with CONSULTATION.transition(consultation, "open", actor=actor) as move:
        if move.obj.closes_on < on:
            raise ApplicationError(_("截止日期已过，请先修改征求期。"), code="period_over")
        move.obj.opened_at = timezone.now()
        move.update_fields = ["opened_at"]
    return move.obj


def _feedback_due(org, closed_on: dt.date) -> dt.date:
    days = settings.GONGKAI_CONSULTATION_FEEDBACK_DAYS
    return workdays.add_working_days(closed_on, days, region=org).end


def consultation_close(
    *, actor, consultation: Consultation, reason: str = "", on: dt.date | None = None
):
    """End the period: by the scheduler the day after it ran out, or by staff early with a
    reason that is shown on the page. The feedback is then due within the set working days."""
    on = on or today()
    reason = clean(reason, 300)
    with CONSULTATION.transition(consultation, "close", actor=actor) as move:
        c = move.obj
        early = on <= c.closes_on
        if early and actor is not SCHEDULER and not reason:
            raise ApplicationError(
                _("征求期尚未届满，提前结束须说明理由。"), code="reason_required"
            )
        c.closed_on = on if early else c.closes_on
        c.close_reason = reason if early else ""
        c.feedback_due_on = _feedback_due(c.org, c.closed_on)
        move.data.update(closed_on=c.closed_on, early=early)
        move.update_fields = ["closed_on", "close_reason", "feedback_due_on"]
    return move.obj


def consultations_close_due(*, on: dt.date | None = None) -> list[Consultation]:
    """The scheduled job: close every open consultation whose period has ended. Idempotent."""
    on = on or today()
    closed = []
    for c in Consultation.objects.filter(status=ConsultationStatus.OPEN, closes_on__lt=on):
        closed.append(consultation_close(actor=SCHEDULER, consultation=c, on=on))
    return closed


def consultation_withdraw(*, actor, consultation: Consultation, reason: str):
    reason = clean(reason, 300)
    if not reason:
        raise ApplicationError(_("请说明撤回理由。"), code="reason_required")
    with CONSULTATION.transition(
        consultation, "withdraw", actor=actor, data={"reason": reason}
    ) as move:
        move.obj.close_reason = reason
        move.update_fields = ["close_reason"]
    return move.obj


@transaction.atomic
def consultation_link_decision(*, actor, consultation: Consultation, document) -> Consultation:
    """Link the decision finally taken (a published document) back to its consultation."""
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    _need(actor, consultation.org)
    if document is not None and document.org_id != consultation.org_id:
        raise ApplicationError(_("决策文件须为本机关发布的文件。"), code="wrong_org")
    consultation.decision_document = document
    consultation.save(update_fields=["decision_document", "updated_at"])
    audit.record(
        actor=actor,
        verb="participation.consultation_link",
        target=consultation,
        org=consultation.org,
        data={"document": getattr(document, "index_number", None)},
    )
    return consultation


@transaction.atomic
def activity_record(
    *,
    actor,
    consultation: Consultation,
    method: str,
    held_on: dt.date,
    participants: int = 0,
    participants_text: str = "",
    summary: str = "",
) -> Activity:
    """Record an offline consultation (座谈会, 听证会, 实地走访, 书面征求意见 …)."""
    _need(actor, consultation.org)
    if consultation.status in (ConsultationStatus.DRAFT, ConsultationStatus.WITHDRAWN):
        raise ApplicationError(_("征集尚未发布，不能登记线下征求。"), code="not_open")
    if method not in Method.values or method == Method.ONLINE:
        raise ApplicationError(_("请选择线下征求方式。"), code="invalid_method")
    if not isinstance(held_on, dt.date) or held_on > today():
        raise ApplicationError(_("请填写已举行的日期。"), code="invalid_date")
    if not isinstance(participants, int) or not 0 <= participants <= 1_000_000:
        raise ApplicationError(_("参加人数无效。"), code="invalid_participants")
    activity = Activity.objects.create(
        consultation=consultation,
        method=method,
        held_on=held_on,
        participants=participants,
        participants_text=clean(participants_text, 500),
        summary=clean(summary, 20_000),
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )
    audit.record(
        actor=actor,
        verb="participation.activity_record",
        target=activity,
        org=consultation.org,
        data={"consultation": consultation.pk, "method": method, "held_on": held_on},
    )
    return activity


# --- comments ------------------------------------------------------------------------------


@dataclass
class CommentInput:
    name: str
    contact: str
    text: str
    publish_consent: bool = False
    attachments: list[tuple[str, bytes]] = field(default_factory=list)


def source_hash_for(address: str) -> str:
    return crypto.keyed_hash(address, purpose="participation-source") if address else ""


def accepting(consultation: Consultation, on: dt.date) -> bool:
    return (
        consultation.status == ConsultationStatus.OPEN
        and consultation.opens_on <= on <= consultation.closes_on
    )


def _refuse_outside_period(consultation: Consultation, on: dt.date) -> None:
    if accepting(consultation, on):
        return
    if consultation.status == ConsultationStatus.OPEN and on < consultation.opens_on:
        raise ApplicationError(
            _("征求意见将于 %(d)s 开始，届时欢迎提出意见。")
            % {"d": consultation.opens_on.isoformat()},
            code="not_yet_open",
        )
    if consultation.status in (ConsultationStatus.DRAFT, ConsultationStatus.WITHDRAWN):
        raise NotFoundError(_("该征集未在进行中。"), code="not_open")
    raise ConflictError(
        _("征求意见已于 %(d)s 截止，不再接收意见。")
        % {"d": (consultation.closed_on or consultation.closes_on).isoformat()},
        code="closed",
    )


def validate_comment(data: CommentInput) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not clean(data.name, 100):
        errors["name"] = _("请填写姓名（不会公开）。")
    contact = clean(data.contact, 100)
    if not contact:
        errors["contact"] = _("请填写联系电话或电子邮箱（不会公开）。")
    elif not re.fullmatch(r"[0-9+\-() ]{5,20}|[^@\s]{1,64}@[^@\s]{1,190}\.[^@\s]{2,}", contact):
        errors["contact"] = _("联系方式应为电话号码或电子邮箱。")
    text = clean(data.text, 10_001)
    if len(text) < 2:
        errors["text"] = _("请填写意见内容。")
    elif len(text) > 10_000:
        errors["text"] = _("意见内容不超过 10000 字。")
    if len(data.attachments) > MAX_ATTACHMENTS:
        errors["attachment"] = _("附件不超过 %(n)s 个。") % {"n": MAX_ATTACHMENTS}
    limit = settings.GONGKAI_PARTICIPATION_MAX_ATTACHMENT_BYTES
    for name, content in data.attachments:
        if len(content) > limit:
            errors["attachment"] = _("附件“%(name)s”超过大小上限（%(mb)s MB）。") % {
                "name": name[:100],
                "mb": limit // (1024 * 1024),
            }
    return errors


def comment_submit(
    *,
    consultation: Consultation,
    data: CommentInput,
    source_address: str = "",
    submission_key: str | None = None,
    on: dt.date | None = None,
) -> Comment:
    """A comment from the public (web form or API). Everything is checked, and attachments
    identified from their bytes, before anything is written: a refused comment leaves no row
    and no file behind."""
    on = on or today()
    if submission_key:
        earlier = Comment.objects.filter(submission_key=submission_key).first()
        if earlier is not None:
            if earlier.consultation_id != consultation.pk:
                raise ConflictError(
                    _("该幂等键已用于另一项征集的意见。"), code="idempotency_key_reused"
                )
            return earlier  # a replay of the same form or Idempotency-Key
    _refuse_outside_period(consultation, on)
    errors = validate_comment(data)
    if errors:
        raise ApplicationError(
            next(iter(errors.values())), code="invalid_comment", extra={"fields": errors}
        )
    if data.attachments and (
        CommentAttachment.objects.filter(comment__consultation=consultation).count() > 5000
    ):
        raise ApplicationError(_("附件数量已达上限，请以文字提交意见。"), code="too_many_files")
    identified = [(n[:200], c, textextract.identify(c, n)) for n, c in data.attachments]
    source = source_hash_for(source_address)
    if source and ratelimit.hit(
        "participation-comment", source, limit=settings.GONGKAI_PARTICIPATION_RATE_LIMIT
    ):
        raise RateLimitedError(_("提交过于频繁，请一小时后再试。"), code="rate_limited")
    text = clean(data.text, 10_000)
    public_text = pii.mask_with_name(text, clean(data.name, 100)) if data.publish_consent else ""
    try:
        with transaction.atomic():
            locked = Consultation.objects.select_for_update().get(pk=consultation.pk)
            _refuse_outside_period(locked, on)
            comment = Comment.objects.create(
                consultation=locked,
                name=clean(data.name, 100),
                contact_encrypted=crypto.encrypt(clean(data.contact, 100)),
                text=text,
                public_text=public_text,
                publish_consent=bool(data.publish_consent),
                source_hash=source,
                submission_key=submission_key or None,
            )
            for name, content, found in identified:
                files.store(CommentAttachment(comment=comment), name, content, identified=found)
            audit.record(
                actor=None,
                verb="participation.comment_submit",
                target=comment,
                org=locked.org,
                data={"consultation": locked.pk, "attachments": len(identified)},
            )
    except IntegrityError:
        earlier = Comment.objects.filter(
            submission_key=submission_key, consultation=consultation
        ).first()
        if submission_key and earlier is not None:
            return earlier
        raise
    return comment


# --- grouping and deciding -----------------------------------------------------------------


def _words(text: str) -> str:
    from gongkai.search import tokens

    return " ".join(tokens.words(text))


def suggest_groups(consultation: Consultation, *, threshold: float = 60.0) -> list[list[int]]:
    """Comments that look alike, as suggestions for staff to confirm (never applied alone).

    rapidfuzz's token-set ratio over the words of each comment (rjieba segmentation, so
    Chinese is compared word by word); single-link clusters above `threshold` (0–100). Only
    ungrouped, undecided comments take part; clusters of one are left out."""
    from rapidfuzz import fuzz

    rows = list(
        consultation.comments.filter(group__isnull=True, decision=Decision.PENDING)
        .order_by("id")
        .values_list("id", "text")[:SUGGEST_MAX]
    )
    if len(rows) < 2:
        return []
    ids = [pk for pk, _text in rows]
    texts = [_words(text[:2000]) for _pk, text in rows]
    parent = list(range(len(ids)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(ids)):
        for j in range(i + 1, len(ids)):
            if fuzz.token_set_ratio(texts[i], texts[j], score_cutoff=threshold):
                parent[root(j)] = root(i)
    clusters: dict[int, list[int]] = {}
    for i, pk in enumerate(ids):
        clusters.setdefault(root(i), []).append(pk)
    return sorted((c for c in clusters.values() if len(c) > 1), key=lambda c: (-len(c), c[0]))


def _decidable(consultation: Consultation) -> None:
    if consultation.status not in (ConsultationStatus.OPEN, ConsultationStatus.CLOSED):
        raise ApplicationError(
            _("采纳情况已发布或征集未开始，不能再处理意见。"), code="not_decidable"
        )


@transaction.atomic
def comment_group(
    *, actor, consultation: Consultation, comment_ids: list[int], title: str
) -> CommentGroup:
    """Staff confirm a group of comments sharing one view (a suggestion or their own pick)."""
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    _need(actor, consultation.org)
    _decidable(consultation)
    title = clean(title, 300)
    if not title:
        raise ApplicationError(_("请用一句话归纳这组意见。"), code="title_required")
    comments = list(consultation.comments.filter(pk__in=set(comment_ids or [])).select_for_update())
    if len(comments) < 2 or len(comments) != len(set(comment_ids)):
        raise ApplicationError(_("请选择本征集的至少两条意见。"), code="too_few")
    group = CommentGroup.objects.create(consultation=consultation, title=title)
    consultation.comments.filter(pk__in=[c.pk for c in comments]).update(
        group=group, decision=Decision.PENDING, reason=""
    )
    audit.record(
        actor=actor,
        verb="participation.comment_group",
        target=group,
        org=consultation.org,
        data={"comments": sorted(c.pk for c in comments), "title": title},
    )
    return group


def _decision(decision: str, reason: str) -> str:
    if decision not in Decision.values or decision == Decision.PENDING:
        raise ApplicationError(_("请选择处理结果。"), code="invalid_decision")
    reason = clean(reason, 5000)
    if decision in (Decision.NOT_ADOPTED, Decision.PARTLY) and not reason:
        raise ApplicationError(_("不予采纳或部分采纳的，须说明理由。"), code="reason_required")
    return reason


@transaction.atomic
def comment_decide(
    *,
    actor,
    consultation: Consultation,
    decision: str,
    reason: str = "",
    comment_ids: list[int] | None = None,
    group: CommentGroup | None = None,
) -> int:
    """Decide comments one by one or a whole group (its comments follow); returns how many."""
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    _need(actor, consultation.org)
    _decidable(consultation)
    reason = _decision(decision, reason)
    if group is not None:
        if group.consultation_id != consultation.pk:
            raise PermissionDeniedError()
        CommentGroup.objects.filter(pk=group.pk).update(decision=decision, reason=reason)
        count = consultation.comments.filter(group=group).update(decision=decision, reason=reason)
        target = group
    else:
        wanted = set(comment_ids or [])
        qs = consultation.comments.filter(pk__in=wanted, group__isnull=True)
        if not wanted or qs.count() != len(wanted):
            raise ApplicationError(
                _("请选择本征集中尚未归类的意见（已归类的意见按组处理）。"), code="bad_selection"
            )
        count = qs.update(decision=decision, reason=reason)
        target = consultation
    audit.record(
        actor=actor,
        verb="participation.comment_decide",
        target=target,
        org=consultation.org,
        data={"decision": decision, "comments": count, "group": getattr(group, "pk", None)},
    )
    return count


def consultation_publish_feedback(*, actor, consultation: Consultation, feedback: str):
    """Publish what was done with the comments. Every comment must have been decided."""
    feedback = clean(feedback, 50_000)
    with CONSULTATION.transition(consultation, "publish_feedback", actor=actor) as move:
        c = move.obj
        pending = c.comments.filter(decision=Decision.PENDING).count()
        if pending:
            raise ApplicationError(
                _("还有 %(n)s 条意见未处理，全部处理后才能发布采纳情况。") % {"n": pending},
                code="pending_comments",
            )
        if not feedback:
            raise ApplicationError(_("请填写意见采纳情况说明。"), code="feedback_required")
        c.feedback = feedback
        c.feedback_published_at = timezone.now()
        move.data["comments"] = c.comments.count()
        move.update_fields = ["feedback", "feedback_published_at"]
    return move.obj

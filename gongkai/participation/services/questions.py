"""Questions and answers (互动交流): the citizen's message, its handling, rating and publication,
the hotline import and the knowledge base's similarity search.

Every status change runs through the declared `QUESTION` workflow; the answer deadline is
counted in working days on the handling organisation's calendar (`core.workdays`).

Transfers (转办): the receiving organisation must be active, not an internal unit (internal units
answer through their organisation), a different organisation, and lie in the same region as
the organisation now handling the question (under the same top-level government): a department
may hand a message on to the competent sister department, and a government's office routes a
message addressed to "the government" to any organ of its region.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.core import audit, crypto, pii, ratelimit, tracking, workdays
from gongkai.core.exceptions import (
    ApplicationError,
    ConflictError,
    PermissionDeniedError,
    RateLimitedError,
)
from gongkai.core.services import sequence_next
from gongkai.core.workflow import APPLICANT
from gongkai.orgs import permissions
from gongkai.orgs.models import Org

from .. import knowledge
from ..models import ApiToken, Question, QuestionKind, Rating, Transfer
from ..workflow import QUESTION, QUESTION_OPEN, QuestionStatus

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_PASSWORD_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"  # noqa: S105
_PHONE_RE = re.compile(r"^[0-9+\-() ]{7,20}$")
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MAX_IMPORT_ITEMS = 200


def clean_text(value, limit: int) -> str:
    return _CONTROL.sub("", unicodedata.normalize("NFC", str(value or ""))).strip()[:limit]


def today() -> dt.date:
    return timezone.localdate()


def calendar_of(org: Org) -> workdays.Calendar:
    return workdays.calendar(region=org)


def answer_days(kind: str) -> int:
    return int(settings.GONGKAI_QUESTION_ANSWER_DAYS.get(kind, 15))


def due_from(org: Org, kind: str, start: dt.date) -> dt.date:
    """The answer deadline: the kind's working days from `start` on `org`'s calendar."""
    return calendar_of(org).add_working_days(start, answer_days(kind)).due_date


def deadline_explain(question: Question) -> list[str]:
    """How the due date was counted: start, working days, holidays skipped."""
    try:
        count = calendar_of(question.org).add_working_days(
            question.clock_start, answer_days(question.kind)
        )
    except ApplicationError:
        return []
    return count.explain()


# --- asking ---------------------------------------------------------------------------------


@dataclass
class QuestionInput:
    org: Org | None
    kind: str
    subject: str
    text: str
    name: str
    contact: str
    publish_consent: bool = False


@dataclass(frozen=True)
class QuestionReceipt:
    question: Question
    password: str  # shown once; only its hash is stored


def _clean(data: QuestionInput) -> QuestionInput:
    data.kind = clean_text(data.kind, 16)
    data.subject = clean_text(data.subject, 200)
    data.text = clean_text(data.text, 5000)
    data.name = clean_text(data.name, 100)
    data.contact = clean_text(data.contact, 200)
    data.publish_consent = bool(data.publish_consent)
    return data


def validate_question(data: QuestionInput) -> dict[str, str]:
    """Field errors in Chinese; empty when the message may be registered (web form and API)."""
    errors: dict[str, str] = {}
    if data.org is None or not data.org.is_active or data.org.kind == Org.Kind.INTERNAL_UNIT:
        errors["org"] = _("请选择收信机关。")
    if data.kind not in QuestionKind.values:
        errors["kind"] = _("请选择留言类别。")
    if len(data.subject) < 2:
        errors["subject"] = _("请填写留言主题。")
    if len(data.text) < 5:
        errors["text"] = _("请填写留言内容（不少于5个字）。")
    if not data.name:
        errors["name"] = _("请填写姓名。")
    if not data.contact:
        errors["contact"] = _("请填写联系电话或电子邮箱，以便答复。")
    elif not (_PHONE_RE.match(data.contact) or _EMAIL_RE.match(data.contact)):
        errors["contact"] = _("联系方式应为电话号码或电子邮箱。")
    return errors


def _refuse(errors: dict[str, str]) -> ApplicationError:
    return ApplicationError(
        "；".join(errors.values()), code="invalid_question", extra={"fields": errors}
    )


def source_hash_for(address: str) -> str:
    return crypto.keyed_hash(address, purpose="question-source") if address else ""


def new_credentials() -> tuple[str, str]:
    """A query password and its keyed hash (`core.tracking`)."""
    password = "".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(10))
    return password, tracking.make(password)


def _allocate_number(year: int) -> str:
    serial = sequence_next(f"question:{year}")
    return f"{settings.GONGKAI_QUESTION_NUMBER_PREFIX}{year}-{serial:06d}"


def question_submit(
    *,
    data: QuestionInput,
    source_address: str,
    submission_key: str | None = None,
    now: dt.datetime | None = None,
) -> QuestionReceipt:
    """A citizen's message (web form or API): numbered, its contact encrypted, its answer
    deadline counted from the day of receipt. Rate-limited per source address."""
    data = _clean(data)
    errors = validate_question(data)
    if errors:
        raise _refuse(errors)
    if source_address and ratelimit.hit(
        "question-submit", source_address, limit=settings.GONGKAI_PARTICIPATION_RATE_LIMIT
    ):
        raise RateLimitedError(_("提交过于频繁，请一小时后再试。"), code="rate_limited")
    password, password_hash = new_credentials()
    now = now or timezone.now()
    received = timezone.localdate(now)
    with transaction.atomic():
        question = Question(
            number=_allocate_number(received.year),
            password_hash=password_hash,
            org=data.org,
            addressed_to=data.org,
            kind=data.kind,
            subject=data.subject,
            text=data.text,
            name=data.name,
            contact_encrypted=crypto.encrypt(data.contact),
            publish_consent=data.publish_consent,
            received_at=now,
            clock_start=received,
            due_on=due_from(data.org, data.kind, received),
            source_hash=source_hash_for(source_address),
            submission_key=submission_key or None,
        )
        try:
            with transaction.atomic():
                question.save()
        except IntegrityError:
            raise ConflictError(
                _("该留言已经提交，请勿重复提交。"), code="duplicate_submission"
            ) from None
        audit.record(
            actor=APPLICANT,
            verb="participation.question_submit",
            target=question,
            org=question.org,
            data={"number": question.number, "kind": question.kind, "due_on": question.due_on},
        )
    return QuestionReceipt(question, password)


def submission_replay(*, data: QuestionInput, submission_key: str) -> Question | None:
    """The question an earlier POST with this idempotency key created (same organisation and
    subject), None when the key is new; the key reused for another message is a conflict."""
    earlier = Question.objects.filter(submission_key=submission_key).first()
    if earlier is None:
        return None
    data = _clean(data)
    if (
        data.org is None
        or earlier.addressed_to_id != data.org.pk
        or earlier.subject != data.subject
    ):
        raise ConflictError(
            _("该幂等键已用于另一条留言，请为新留言使用新的幂等键。"), code="idempotency_key_reused"
        )
    return earlier


def contact_of(question: Question) -> str:
    """The citizen's contact, for staff who answer (decrypted on demand)."""
    try:
        return crypto.decrypt(question.contact_encrypted)
    except ValueError:
        return ""


# --- tracking -------------------------------------------------------------------------------


def track_attempt(*, address: str, number: str = "") -> bool:
    """Count one tracking attempt; True when over the limit (per address and per number)."""
    limit = settings.GONGKAI_FOI_TRACK_ATTEMPTS_PER_HOUR
    over = ratelimit.hit("question-track-address", address or "-", limit=limit)
    if number:
        over = ratelimit.hit("question-track-number", number.strip().upper(), limit=limit) or over
    return over


def similar_attempt(*, address: str) -> bool:
    """Count one similar-question lookup (the ask form's, as the citizen types); True when the
    address is over the limit: each runs a search before any CAPTCHA is solved."""
    return ratelimit.hit(
        "question-similar", address or "-", limit=30 * settings.GONGKAI_PARTICIPATION_RATE_LIMIT
    )


def question_check_password(question: Question | None, password: str) -> bool:
    """A wrong password and an unknown number get the same answer. As for disclosure requests
    (foi `request_check_password`), an unknown number costs no hash: numbers are sequential,
    not secret, and a hash per guess would let guessing tie up the CPU (the per-address and
    per-number attempt limits come first)."""
    if question is None or not question.password_hash:
        return False
    ok, rehash = tracking.verify(password, question.password_hash)
    if rehash:  # an Argon2 hash from before, or an older key: replace it (no state change)
        Question.objects.filter(pk=question.pk).update(password_hash=tracking.make(password))
    return ok


# --- handling -------------------------------------------------------------------------------


def _text_required(value: str, label: str, limit: int = 5000) -> str:
    value = clean_text(value, limit)
    if not value:
        raise ApplicationError(_("请填写%(f)s。") % {"f": label}, code="text_required")
    return value


def question_accept(*, actor, question: Question) -> Question:
    return QUESTION.run(question, "accept", actor=actor)


def question_reject(*, actor, question: Question, reason: str) -> Question:
    """Not accepted, with the reason (信访/诉讼 have their own channels, abuse, duplicates)."""
    reason = _text_required(reason, _("不予受理理由"), 2000)
    with QUESTION.transition(question, "reject", actor=actor, data={"reason": reason}) as move:
        move.obj.not_accepted_reason = reason
        move.update_fields = ["not_accepted_reason"]
    return move.obj


def _region_root_id(org: Org) -> int | None:
    ids = org.ancestor_ids()
    return ids[0] if ids else None


def transfer_targets(question: Question):
    """The organisations a question may be transferred to (see the module docstring)."""
    root = _region_root_id(question.org)
    if root is None:
        return Org.objects.none()
    prefix = f"/{root}/"
    return (
        Org.objects.filter(is_active=True, path__startswith=prefix)
        .exclude(pk=question.org_id)
        .exclude(kind=Org.Kind.INTERNAL_UNIT)
        .order_by("path")
    )


def question_transfer(
    *, actor, question: Question, to_org: Org, reason: str, now: dt.datetime | None = None
) -> Question:
    """转办: hand the question to the competent organisation, where it is submitted again. The
    clock restarts there or continues per GONGKAI_QUESTION_TRANSFER_RESTARTS_CLOCK."""
    reason = _text_required(reason, _("转办理由"), 300)
    if to_org is None or not transfer_targets(question).filter(pk=to_org.pk).exists():
        raise ApplicationError(
            _("只能转办给本地区其他在用的机关。"), code="invalid_transfer_target"
        )
    restarts = bool(settings.GONGKAI_QUESTION_TRANSFER_RESTARTS_CLOCK)
    day = timezone.localdate(now) if now else today()
    with QUESTION.transition(
        question,
        "transfer",
        actor=actor,
        data={"to": to_org.code, "reason": reason, "clock_restarted": restarts},
    ) as move:
        q = move.obj
        Transfer.objects.create(
            question=q,
            from_org=q.org,
            to_org=to_org,
            reason=reason,
            clock_restarted=restarts,
            actor=actor if getattr(actor, "is_authenticated", False) else None,
        )
        q.org = to_org
        if restarts:
            q.clock_start = day
            q.due_on = due_from(to_org, q.kind, day)
        move.data["due_on"] = q.due_on
        move.update_fields = ["org", "clock_start", "due_on"]
    return move.obj


def question_draft_answer(*, actor, question: Question, answer: str) -> Question:
    answer = _text_required(answer, _("答复内容"), 10000)
    with QUESTION.transition(question, "draft_answer", actor=actor) as move:
        move.obj.answer = answer
        move.update_fields = ["answer"]
    return move.obj


def question_return_answer(*, actor, question: Question, reason: str) -> Question:
    reason = _text_required(reason, _("退回理由"), 2000)
    return QUESTION.run(question, "return_answer", actor=actor, data={"reason": reason})


def question_approve_answer(
    *, actor, question: Question, answer: str | None = None, now: dt.datetime | None = None
) -> Question:
    """The head approves the drafted answer (optionally corrected) and it is sent."""
    with QUESTION.transition(question, "approve_answer", actor=actor) as move:
        q = move.obj
        if answer is not None and clean_text(answer, 10000):
            q.answer = clean_text(answer, 10000)
        q.answered_at = now or timezone.now()
        q.answered_by = actor if getattr(actor, "is_authenticated", False) else None
        # A new answer gets its own rating (once per answer).
        q.rating, q.rating_comment = "", ""
        fields = ["answer", "answered_at", "answered_by", "rating", "rating_comment"]
        if q.published_at:
            # Published before it was reopened: the public page shows the new answer, masked.
            q.public_answer = _mask(q.answer, q.name)
            fields.append("public_answer")
        move.data["on_time"] = timezone.localdate(q.answered_at) <= q.due_on
        move.update_fields = fields
    return move.obj


def question_rate(*, question: Question, rating: str, comment: str = "") -> Question:
    """The citizen (who opened it with number and password) rates the answer, once per answer."""
    if rating not in Rating.values:
        raise ApplicationError(_("请选择评价。"), code="invalid_rating")
    comment = clean_text(comment, 500)
    with transaction.atomic():
        q = Question.objects.select_for_update().get(pk=question.pk)
        if q.status != QuestionStatus.ANSWERED:
            raise ApplicationError(_("留言答复后才能评价。"), code="not_answered")
        if q.rating:
            raise ApplicationError(_("您已评价过本次答复。"), code="already_rated")
        q.rating, q.rating_comment = rating, comment
        q.save(update_fields=["rating", "rating_comment", "updated_at"])
        audit.record(
            actor=APPLICANT,
            verb="participation.question_rate",
            target=q,
            org=q.org,
            data={"rating": rating},
        )
    return q


def question_reopen(*, question: Question, now: dt.datetime | None = None) -> Question:
    """An answer rated 不满意 may be reopened once by the citizen; the clock starts again."""
    day = timezone.localdate(now) if now else today()
    with QUESTION.transition(question, "reopen", actor=APPLICANT) as move:
        q = move.obj
        if q.rating != Rating.UNSATISFIED:
            raise ApplicationError(
                _("只有评价为“不满意”的答复才能申请重新办理。"), code="not_unsatisfied"
            )
        if q.reopened:
            raise ApplicationError(_("每条留言只能申请重新办理一次。"), code="already_reopened")
        q.reopened = True
        q.clock_start = day
        q.due_on = due_from(q.org, q.kind, day)
        move.data["due_on"] = q.due_on
        move.update_fields = ["reopened", "clock_start", "due_on"]
    return move.obj


# --- publication ----------------------------------------------------------------------------


def _mask(text: str, name: str) -> str:
    return pii.mask_with_name(text, name)


def publish_prefill(question: Question) -> dict[str, str]:
    """The texts as the PII scanner masks them, for the reviewer to check before publishing."""
    return {
        "public_subject": question.public_subject or _mask(question.subject, question.name),
        "public_text": question.public_text or _mask(question.text, question.name),
        "public_answer": question.public_answer or _mask(question.answer, question.name),
    }


def question_publish(
    *,
    actor,
    question: Question,
    public_subject: str,
    public_text: str,
    public_answer: str,
    policy=None,
    now: dt.datetime | None = None,
) -> Question:
    """Publish an answered question the citizen agreed to publish, with the texts a reviewer
    confirmed (masked again: whatever the reviewer typed never carries an identity number)."""
    with transaction.atomic():
        q = Question.objects.select_for_update().select_related("org").get(pk=question.pk)
        if not permissions.can(actor, "publish_question", q.org):
            raise PermissionDeniedError()
        if q.status != QuestionStatus.ANSWERED:
            raise ApplicationError(_("留言答复后才能公开。"), code="not_answered")
        if not q.publish_consent:
            raise ApplicationError(_("留言人未同意公开，不能公开。"), code="no_consent")
        subject = _mask(_text_required(public_subject, _("公开主题"), 200), q.name)
        text = _mask(_text_required(public_text, _("公开留言内容"), 5000), q.name)
        answer = _mask(_text_required(public_answer, _("公开答复内容"), 10000), q.name)
        if policy is not None and getattr(policy, "status", "") != "published":
            raise ApplicationError(_("只能关联已发布的政策文件。"), code="invalid_policy")
        q.public_subject, q.public_text, q.public_answer = subject, text, answer
        q.policy = policy
        q.published_at = now or timezone.now()
        q.save(
            update_fields=[
                "public_subject",
                "public_text",
                "public_answer",
                "policy",
                "published_at",
                "updated_at",
            ]
        )
        knowledge.question_indexed(q)
        audit.record(
            actor=actor,
            verb="participation.question_publish",
            target=q,
            org=q.org,
            data={"policy": policy.pk if policy else None},
        )
    return q


def question_unpublish(*, actor, question: Question, reason: str = "") -> Question:
    with transaction.atomic():
        q = Question.objects.select_for_update().select_related("org").get(pk=question.pk)
        if not permissions.can(actor, "publish_question", q.org):
            raise PermissionDeniedError()
        if q.published_at is None:
            raise ApplicationError(_("该问答未公开。"), code="not_published")
        q.published_at = None
        q.save(update_fields=["published_at", "updated_at"])
        knowledge.question_indexed(q)
        audit.record(
            actor=actor,
            verb="participation.question_unpublish",
            target=q,
            org=q.org,
            data={"reason": clean_text(reason, 300)},
        )
    return q


# --- API tokens and the hotline import ------------------------------------------------------


def _token_hash(clear: str) -> str:
    return hashlib.sha256(clear.encode("utf-8")).hexdigest()


def token_create(*, actor, org: Org, name: str) -> tuple[ApiToken, str]:
    """A token for a hotline system of `org`; the clear token is returned once, only its
    SHA-256 is stored."""
    if not permissions.can(actor, "manage_api_tokens", org):
        raise PermissionDeniedError()
    name = _text_required(name, _("令牌名称"), 100)
    clear = "gk_" + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            org=org, name=name, key_hash=_token_hash(clear), prefix=clear[:10]
        )
        audit.record(
            actor=actor,
            verb="participation.token_create",
            target=token,
            org=org,
            data={"name": name, "prefix": token.prefix},
        )
    return token, clear


def token_revoke(*, actor, token: ApiToken) -> ApiToken:
    with transaction.atomic():
        t = ApiToken.objects.select_for_update().select_related("org").get(pk=token.pk)
        if not permissions.can(actor, "manage_api_tokens", t.org):
            raise PermissionDeniedError()
        if t.revoked_at is None:
            t.revoked_at = timezone.now()
            t.save(update_fields=["revoked_at", "updated_at"])
            audit.record(
                actor=actor,
                verb="participation.token_revoke",
                target=t,
                org=t.org,
                data={"prefix": t.prefix},
            )
    return t


def token_authenticate(clear: str) -> ApiToken | None:
    """The active token for a clear value, or None."""
    clear = (clear or "").strip()
    if not clear or len(clear) > 200:
        return None
    return (
        ApiToken.objects.select_related("org")
        .filter(key_hash=_token_hash(clear), revoked_at__isnull=True, org__is_active=True)
        .first()
    )


class _TokenActor(permissions.CommandLine):
    """The hotline system behind a token: trusted for its own organisation only (the import
    checks the organisation; the audit trail names the token)."""

    def __init__(self, token: ApiToken):
        super().__init__(f"api-token:{token.prefix}")


_IMPORT_LABELS = {
    "external_id": gettext_lazy("外部编号（external_id）"),
    "subject": gettext_lazy("主题（subject）"),
    "text": gettext_lazy("留言内容（text）"),
    "answer": gettext_lazy("答复内容（answer）"),
}


def _import_time(value, index: int, label) -> dt.datetime | None:
    """A pushed timestamp: naive ones are local time; none before 2000 or in the future
    (a hotline's clock skew of a few minutes is tolerated)."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            value = None
    if not isinstance(value, dt.datetime):
        raise ApplicationError(
            _("第%(i)s条的%(f)s格式有误。") % {"i": index, "f": label}, code="invalid_import"
        )
    if value.year < 2000 or value.year > 2100:
        raise ApplicationError(
            _("第%(i)s条的%(f)s超出范围。") % {"i": index, "f": label}, code="invalid_import"
        )
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    if value > timezone.now() + dt.timedelta(minutes=10):
        raise ApplicationError(
            _("第%(i)s条的%(f)s晚于当前时间。") % {"i": index, "f": label}, code="invalid_import"
        )
    return value


def _import_item(raw: dict, index: int) -> dict:
    def field(name, limit, required=True):
        value = clean_text(raw.get(name, ""), limit)
        if required and not value:
            raise ApplicationError(
                _("第%(i)s条缺少%(f)s。") % {"i": index, "f": _IMPORT_LABELS.get(name, name)},
                code="invalid_import",
            )
        return value

    if not isinstance(raw, dict):
        raise ApplicationError(_("第%(i)s条格式有误。") % {"i": index}, code="invalid_import")
    kind = field("kind", 16, required=False) or QuestionKind.ENQUIRY
    if kind not in QuestionKind.values:
        raise ApplicationError(_("第%(i)s条的类别有误。") % {"i": index}, code="invalid_import")
    asked = _import_time(raw.get("asked_at"), index, _("提问时间"))
    answered = _import_time(raw.get("answered_at"), index, _("答复时间"))
    if asked and answered and answered < asked:
        raise ApplicationError(
            _("第%(i)s条的答复时间早于提问时间。") % {"i": index}, code="invalid_import"
        )
    return {
        "external_id": field("external_id", 64),
        "source": field("source", 32, required=False) or "hotline",
        "kind": kind,
        "subject": field("subject", 200),
        "text": field("text", 5000),
        "answer": field("answer", 10000),
        "asked_at": asked,
        "answered_at": answered,
        "publish": raw.get("publish", True) is not False,
    }


def question_import(*, token: ApiToken, items: list) -> dict:
    """Answered Q&A pushed by a hotline system (12345) for the token's organisation; idempotent
    on (organisation, source, external id). Published masked when the item allows it."""
    if token is None or token.revoked_at is not None:
        raise PermissionDeniedError(_("接口令牌无效。"), code="invalid_token")
    if not isinstance(items, list) or not items:
        raise ApplicationError(_("请提供要导入的问答。"), code="invalid_import")
    if len(items) > MAX_IMPORT_ITEMS:
        raise ApplicationError(
            _("每次最多导入%(n)s条。") % {"n": MAX_IMPORT_ITEMS}, code="invalid_import"
        )
    parsed = [_import_item(raw, i) for i, raw in enumerate(items, start=1)]
    org = token.org
    actor = _TokenActor(token)
    created, existing = [], []
    with transaction.atomic():
        for item in parsed:
            found = Question.objects.filter(
                org=org, source=item["source"], external_id=item["external_id"]
            ).first()
            if found is not None:
                existing.append(found.number)
                continue
            now = timezone.now()
            asked = item["asked_at"] or now
            received = timezone.localdate(asked)
            q = Question.objects.create(
                number=_allocate_number(received.year),
                password_hash=make_password(None),
                org=org,
                addressed_to=org,
                kind=item["kind"],
                subject=item["subject"],
                text=item["text"],
                name="",
                contact_encrypted="",
                publish_consent=item["publish"],
                received_at=asked,
                clock_start=received,
                due_on=due_from(org, item["kind"], received),
                source=item["source"],
                external_id=item["external_id"],
            )
            QUESTION.run(q, "accept", actor=actor)
            with QUESTION.transition(q, "draft_answer", actor=actor) as move:
                move.obj.answer = item["answer"]
                move.update_fields = ["answer"]
            with QUESTION.transition(q, "approve_answer", actor=actor) as move:
                move.obj.answered_at = item["answered_at"] or now
                move.update_fields = ["answered_at"]
            q = move.obj
            if item["publish"]:
                q.public_subject = _mask(q.subject, "")
                q.public_text = _mask(q.text, "")
                q.public_answer = _mask(q.answer, "")
                q.published_at = now
                q.save(
                    update_fields=[
                        "public_subject",
                        "public_text",
                        "public_answer",
                        "published_at",
                        "updated_at",
                    ]
                )
                knowledge.question_indexed(q)
            created.append(q.number)
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        audit.record(
            actor=actor,
            verb="participation.question_import",
            target=token,
            org=org,
            data={"created": created, "existing": existing},
        )
    return {"created": created, "existing": existing}


# --- the knowledge base ---------------------------------------------------------------------


def _terms(text: str) -> list[str]:
    from gongkai.search import tokens

    words = sorted({w for w in tokens.words(text) if len(w) >= 2}, key=len, reverse=True)
    if not words:
        words = list(dict.fromkeys(tokens.bigrams(text)))
    return words[:12]


def _segmented(text: str) -> str:
    from gongkai.search import tokens

    return " ".join(tokens.words(text))


def similar_questions(text: str, org: Org | None = None, limit: int = 5, *, cutoff: int = 45):
    """Published Q&A that look like `text`: candidates found in the knowledge base's full-text
    index by any of its words, ranked by rapidfuzz over the segmented words (best first)."""
    from rapidfuzz import fuzz

    from ..selectors.questions import PUBLIC_FIELDS

    text = clean_text(text, 1000)
    terms = _terms(text)
    if not terms:
        return []
    hits, _count = knowledge.find(" OR ".join(terms), org=org, limit=200, fields=PUBLIC_FIELDS)
    query = _segmented(text)
    ranked = []
    for hit in hits:
        q = hit.question
        score = max(
            fuzz.token_set_ratio(query, _segmented(q.public_subject)),
            0.9 * fuzz.token_set_ratio(query, _segmented(f"{q.public_subject} {q.public_text}")),
        )
        if score >= cutoff:
            q.score = round(score)
            ranked.append(q)
    ranked.sort(key=lambda q: (-q.score, -q.published_at.timestamp()))
    return ranked[:limit]


def unanswered_over(days: int = 90, *, now: dt.datetime | None = None, org_ids=None) -> int:
    """Valid messages (not refused) still unanswered more than `days` days after receipt: the
    2019 website indicators fail a site with one unanswered for more than 3 months."""
    since = (now or timezone.now()) - dt.timedelta(days=days)
    qs = Question.objects.filter(status__in=QUESTION_OPEN, received_at__lt=since)
    if org_ids is not None:
        qs = qs.filter(org_id__in=org_ids)
    return qs.count()


# --- reminders ------------------------------------------------------------------------------


REMINDER_LEAD_DAYS = 2


def question_reminders(*, on: dt.date | None = None) -> list[tuple[str, str]]:
    """Remind the handling office of questions due within REMINDER_LEAD_DAYS working days and
    of overdue ones. Idempotent: each (question, kind, due date) is reminded once — the audit
    event `participation.reminder_question_<kind>` is the record."""
    from gongkai.core.models import AuditEvent

    on = on or today()
    open_qs = list(
        Question.objects.filter(status__in=QUESTION_OPEN)
        .select_related("org")
        .order_by("due_on", "id")
    )
    if not open_qs:
        return []
    done = {
        (e_target, e_verb, (e_data or {}).get("due_on"))
        for e_target, e_verb, e_data in AuditEvent.objects.filter(
            verb__startswith="participation.reminder_question_",
            target_type=Question._meta.label_lower,
            target_id__in=[str(q.pk) for q in open_qs],
        ).values_list("target_id", "verb", "data")
    }
    calendars: dict[int, workdays.Calendar] = {}
    sent: list[tuple[str, str]] = []
    for q in open_qs:
        if on > q.due_on:
            kind = "overdue"
            left = 0
        else:
            cal = calendars.setdefault(q.org_id, calendar_of(q.org))
            left = cal.working_days_between(on, q.due_on).days
            if left > REMINDER_LEAD_DAYS:
                continue
            kind = "due_soon"
        verb = f"participation.reminder_question_{kind}"
        if (str(q.pk), verb, q.due_on.isoformat()) in done:
            continue
        with transaction.atomic():
            audit.record(
                actor=None,
                verb=verb,
                target=q,
                org=q.org,
                data={"number": q.number, "due_on": q.due_on, "working_days_left": left},
            )
        sent.append((q.number, kind))
    return sent

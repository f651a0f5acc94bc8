"""Writes of the foi app: intake, the clock, the handling workflow, letters, fees, reviews.

Every function that changes a request runs in one transaction, locks the request row, checks
the actor's role through `orgs.permissions`, appends an audit event and recomputes the due date
from the clock events (`clock.compute`, on `core.workdays`). A refused step changes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
import unicodedata
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.core.files.base import ContentFile
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from gongkai.core import audit, crypto, pii, textextract, workdays
from gongkai.core.exceptions import (
    ApplicationError,
    ConflictError,
    PermissionDeniedError,
    RateLimitedError,
)
from gongkai.core.services import sequence_next
from gongkai.core.workflow import APPLICANT, Move
from gongkai.orgs import permissions
from gongkai.orgs.models import Org

from . import clock, fees, letters
from .models import (
    Channel,
    ClockEvent,
    Delivery,
    Form,
    IdType,
    Letter,
    LetterTemplate,
    Request,
    RequestAttachment,
    Review,
)
from .outcomes import LAPSE_OUTCOMES, ROWS, ApplicantKind, Outcome
from .workflow import OPEN, WORKFLOW, Status

# C0 controls but tab and newlines: invisible, and they break letters and spreadsheets.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# No 0/o, 1/l/i: the password is read out over the phone.
_PASSWORD_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"  # noqa: S105
_CREDIT_CODE_RE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")
_PHONE_RE = re.compile(r"^[0-9+\-() ]{7,20}$")


def _calendar(org: Org) -> workdays.Calendar:
    return workdays.calendar(region=org)


def today() -> dt.date:
    return timezone.localdate()


# --- intake --------------------------------------------------------------------------------


@dataclass
class ApplicationInput:
    """What an applicant (or staff on their behalf) supplies: Art.29's three elements."""

    org: Org
    applicant_kind: str
    name: str
    id_type: str
    id_number: str
    description: str
    form: str
    delivery: str = ""
    contact_person: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    postcode: str = ""
    document_number: str = ""
    attachments: list[tuple[str, bytes]] = field(default_factory=list)


def _text(value, limit: int) -> str:
    return _CONTROL.sub("", unicodedata.normalize("NFC", str(value or ""))).strip()[:limit]


def validate_application(data: ApplicationInput) -> dict[str, str]:
    """Field errors in the applicant's language; empty when the application may be registered.

    The web form and the API call this same function, so they refuse the same things.
    """
    errors: dict[str, str] = {}
    if data.applicant_kind not in ApplicantKind.values:
        errors["applicant_kind"] = _("请选择申请人类型。")
    if not data.name:
        errors["name"] = _("请填写申请人姓名或名称。")
    if data.id_type not in IdType.values:
        errors["id_type"] = _("请选择证件类型。")
    number = data.id_number.upper().replace(" ", "")
    if not number:
        errors["id_number"] = _("请填写证件号码。")
    elif data.id_type == IdType.RESIDENT_ID and not pii.is_valid_resident_id(number):
        errors["id_number"] = _("居民身份证号码有误（应为18位，末位校验码须正确），请核对。")
    elif data.id_type == IdType.CREDIT_CODE and not _CREDIT_CODE_RE.match(number):
        errors["id_number"] = _("统一社会信用代码应为18位数字或大写字母，请核对。")
    elif len(number) > 40:
        errors["id_number"] = _("证件号码过长。")
    if data.applicant_kind == ApplicantKind.NATURAL_PERSON and data.id_type == IdType.CREDIT_CODE:
        errors["id_type"] = _("自然人请使用个人身份证件。")
    # Art.29(1): a way to reach the applicant is part of a valid application.
    if not (data.phone or data.email or data.address):
        errors["contact"] = _("请至少填写一种联系方式（电话、电子邮箱或通信地址）。")
    if data.phone and not _PHONE_RE.match(data.phone):
        errors["phone"] = _("联系电话格式有误。")
    if data.email:
        try:
            validate_email(data.email)
        except Exception:
            errors["email"] = _("电子邮箱格式有误。")
    if data.postcode and not re.fullmatch(r"\d{6}", data.postcode):
        errors["postcode"] = _("邮政编码应为6位数字。")
    if len(data.description) < 4:
        errors["description"] = _("请描述所需政府信息的名称、文号或者便于查询的其他特征。")
    if data.form not in Form.values:
        errors["form"] = _("请选择获取信息的方式。")
    if data.delivery and data.delivery not in Delivery.values:
        errors["delivery"] = _("请选择获取信息的途径。")
    if (data.form == Form.EMAIL or data.delivery == Delivery.EMAIL) and not data.email:
        errors["email"] = _("选择电子邮件方式时，请填写电子邮箱。")
    if data.delivery == Delivery.POST and not data.address:
        errors["address"] = _("选择邮寄时，请填写通信地址。")
    limit = settings.GONGKAI_FOI_MAX_ATTACHMENT_BYTES
    for name, content in data.attachments:
        if len(content) > limit:
            errors["attachments"] = _("附件“%(name)s”超过大小上限（%(mb)s MB）。") % {
                "name": name,
                "mb": limit // (1024 * 1024),
            }
    return errors


def _clean_input(data: ApplicationInput) -> ApplicationInput:
    data.name = _text(data.name, 200)
    data.contact_person = _text(data.contact_person, 100)
    data.id_number = _text(data.id_number, 64).upper().replace(" ", "")
    data.phone = _text(data.phone, 32)
    data.email = _text(data.email, 254)
    data.address = _text(data.address, 300)
    data.postcode = _text(data.postcode, 6)
    data.description = _text(data.description, 5000)
    data.document_number = _text(data.document_number, 100)
    data.delivery = data.delivery or {
        Form.EMAIL: Delivery.EMAIL,
        Form.ELECTRONIC: Delivery.ONLINE,
        Form.ON_SITE: Delivery.COLLECT,
    }.get(data.form, Delivery.POST if data.address else Delivery.COLLECT)
    return data


def _refuse(errors: dict[str, str]) -> ApplicationError:
    return ApplicationError(
        "；".join(errors.values()), code="invalid_application", extra={"fields": errors}
    )


def subject_key(description: str, document_number: str) -> str:
    """What is asked for, reduced so that the same information asked twice gives one key."""
    if document_number:
        from gongkai.documents.numbers import normalise_document_number

        basis = normalise_document_number(document_number)
    else:
        basis = re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", description)).lower()[:200]
    return hashlib.sha256(basis.encode("utf-8")).hexdigest()


def received_date_for(
    channel: str, *, submitted_on: dt.date, confirmed_on: dt.date | None
) -> tuple[dt.date, str]:
    """Art.31: the date of receipt for each channel, with the rule applied, for the record."""
    if confirmed_on is not None or channel == Channel.IN_PERSON:
        # The stored basis is part of the file: always in the official language.
        with translation.override(settings.LANGUAGE_CODE):
            return _received_date_for(channel, submitted_on, confirmed_on)
    return _received_date_for(channel, submitted_on, confirmed_on)


def _received_date_for(
    channel: str, submitted_on: dt.date, confirmed_on: dt.date | None
) -> tuple[dt.date, str]:
    if channel == Channel.IN_PERSON:
        return submitted_on, _("当面提交的，以提交之日为收到申请之日（条例第三十一条第（一）项）")
    if confirmed_on is None:
        raise ApplicationError(
            {
                Channel.REGISTERED_MAIL: _("邮寄（挂号、快递）的，请填写签收日期。"),
                Channel.ORDINARY_MAIL: _("平常信函的，请填写与申请人确认的日期。"),
            }.get(channel, _("网上或传真申请的，请填写双方确认的日期。")),
            code="confirmed_on_required",
        )
    if confirmed_on < submitted_on:
        raise ApplicationError(_("确认（签收）日期不能早于提交日期。"), code="invalid_date")
    basis = {
        Channel.REGISTERED_MAIL: _("以邮政挂号信函或快递寄送的，以签收之日为收到申请之日（第三十一条第（二）项）"),
        Channel.ORDINARY_MAIL: _("以平常信函寄送的，以与申请人确认之日为收到申请之日（第三十一条第（二）项）"),
        Channel.FAX: _("通过传真提交的，以双方确认之日为收到申请之日（第三十一条第（三）项）"),
        Channel.ONLINE: _("通过互联网渠道提交的，以双方确认之日为收到申请之日（第三十一条第（三）项）"),
    }[channel]  # fmt: skip
    return confirmed_on, basis


@dataclass(frozen=True)
class Receipt:
    request: Request
    password: str  # shown once to the applicant; only its hash is stored


def _new_credentials() -> tuple[str, str]:
    """A query password and its hash. Called before the transaction: Argon2 takes ~0.15 s, and
    inside the transaction it would hold the request-number lock that every submission needs."""
    password = "".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(10))
    return password, make_password(password)


def _allocate_number(received: dt.date) -> str:
    serial = sequence_next(f"foi:{received.year}")
    return f"{settings.GONGKAI_FOI_NUMBER_PREFIX}{received.year}-{serial:06d}"


def _register(
    *,
    actor,
    data: ApplicationInput,
    channel: str,
    submitted_on: dt.date,
    received: dt.date,
    received_basis: str,
    submission_key: str | None,
    source_hash: str,
    credentials: tuple[str, str],
) -> Receipt:
    data = _clean_input(data)
    errors = validate_application(data)
    if errors:
        raise _refuse(errors)
    # Identify attachments before anything is stored: a refused file leaves no request behind.
    identified = [
        (name[:255], content, textextract.identify(content, name))
        for name, content in data.attachments
    ]
    # The number first: its row lock (PostgreSQL) or the write lock (SQLite) serialises
    # registrations, so the rate limit and the duplicate check below cannot race each other.
    number = _allocate_number(received)
    if source_hash:
        _rate_limit(source_hash)
    id_hash = crypto.keyed_hash(f"{data.id_type}:{data.id_number}", purpose="foi-applicant")
    key = subject_key(data.description, data.document_number)
    window = timezone.now() - dt.timedelta(minutes=settings.GONGKAI_FOI_DUPLICATE_MINUTES)
    if Request.objects.filter(
        org=data.org, id_number_hash=id_hash, subject_key=key, created_at__gte=window
    ).exists():
        raise ConflictError(
            _("同一申请人刚刚已向该机关提交过相同内容的申请，请勿重复提交。"),
            code="duplicate_submission",
        )
    password, password_hash = credentials
    request = Request(
        number=number,
        password_hash=password_hash,
        org=data.org,
        channel=channel,
        submitted_on=submitted_on,
        received_date=received,
        received_basis=received_basis,
        applicant_kind=data.applicant_kind,
        name=data.name,
        contact_person=data.contact_person,
        id_type=data.id_type,
        id_number_encrypted=crypto.encrypt(data.id_number),
        id_number_hash=id_hash,
        id_number_masked=pii.mask_value("resident_id", data.id_number)
        if data.id_type == IdType.RESIDENT_ID
        else _mask_generic(data.id_number),
        phone=data.phone,
        email=data.email,
        address=data.address,
        postcode=data.postcode,
        description=data.description,
        document_number=data.document_number,
        form=data.form,
        delivery=data.delivery,
        subject_key=key,
        submission_key=submission_key or None,
        source_hash=source_hash,
        fee_items=1,  # RULES §2: each application counts as one item unless split by staff
    )
    try:
        with transaction.atomic():
            request.save()
    except IntegrityError:
        raise ConflictError(
            _("该申请已经提交，请勿重复提交。"), code="duplicate_submission"
        ) from None
    for name, content, found in identified:
        RequestAttachment.objects.create(
            request=request,
            file=ContentFile(
                content, name=f"{hashlib.sha256(content).hexdigest()[:16]}.{found.kind}"
            ),
            original_name=name,
            kind=found.kind,
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
        )
    _append(request, clock.Event(clock.EventKind.RECEIVED, received), actor=actor)
    audit.record(
        actor=actor or "applicant",
        verb="foi.request_register",
        target=request,
        org=request.org,
        data={
            "number": request.number,
            "channel": channel,
            "received_date": received,
            "due_date": request.due_date,
            "attachments": len(identified),
        },
    )
    return Receipt(request, password)


def _mask_generic(value: str) -> str:
    if len(value) <= 4:
        return "*" * len(value)
    keep = 2 if len(value) < 10 else 4
    return value[:keep] + "*" * (len(value) - 2 * keep) + value[-keep:]


def _rate_limit(source_hash: str) -> None:
    limit = settings.GONGKAI_FOI_SUBMISSIONS_PER_HOUR
    since = timezone.now() - dt.timedelta(hours=1)
    if (
        source_hash
        and Request.objects.filter(source_hash=source_hash, created_at__gte=since).count() >= limit
    ):
        raise RateLimitedError(
            _("提交过于频繁，请一小时后再试；如需帮助请致电受理机关。"), code="rate_limited"
        )


def source_hash_for(address: str) -> str:
    return crypto.keyed_hash(address, purpose="foi-source") if address else ""


# Stored with the request, so kept in the official language whatever the visitor reads.
_ONLINE_BASIS = "通过互联网渠道提交，系统当场确认并出具申请编号，以该日为收到申请之日（条例第三十一条第（三）项）"


def request_submit(
    *, data: ApplicationInput, source_address: str, submission_key: str | None = None
) -> Receipt:
    """A citizen's online application (web form or API). Art.31(3): the system confirms it on
    the spot with a number, so that day is the date of receipt."""
    credentials = _new_credentials()
    with transaction.atomic():
        source_hash = source_hash_for(source_address)
        now = today()
        return _register(
            actor=None,
            data=data,
            channel=Channel.ONLINE,
            submitted_on=now,
            received=now,
            received_basis=_ONLINE_BASIS,
            submission_key=submission_key,
            source_hash=source_hash,
            credentials=credentials,
        )


def request_register(
    *,
    actor,
    data: ApplicationInput,
    channel: str,
    submitted_on: dt.date,
    confirmed_on: dt.date | None = None,
) -> Receipt:
    """Staff register a request received in person, by post, by fax or online elsewhere."""
    credentials = _new_credentials()
    with transaction.atomic():
        return _register_received(
            actor=actor,
            data=data,
            channel=channel,
            submitted_on=submitted_on,
            confirmed_on=confirmed_on,
            credentials=credentials,
        )


def _register_received(*, actor, data, channel, submitted_on, confirmed_on, credentials):
    if not permissions.can(actor, "register_request", data.org):
        raise PermissionDeniedError()
    if channel not in Channel.values:
        raise ApplicationError(_("请选择申请方式。"), code="invalid_channel")
    if submitted_on > today() or (confirmed_on and confirmed_on > today()):
        raise ApplicationError(_("日期不能晚于今天。"), code="invalid_date")
    received, basis = received_date_for(
        channel, submitted_on=submitted_on, confirmed_on=confirmed_on
    )
    return _register(
        actor=actor,
        data=data,
        channel=channel,
        submitted_on=submitted_on,
        received=received,
        received_basis=basis,
        submission_key=None,
        source_hash="",
        credentials=credentials,
    )


def request_check_password(request: Request | None, password: str) -> bool:
    """Constant work whether or not the number exists: a wrong password and an unknown number
    must be indistinguishable, in the answer and in its timing."""
    if request is None:
        make_password(password or "")
        return False
    return check_password(password or "", request.password_hash)


# --- the clock -----------------------------------------------------------------------------


def events_of(request: Request) -> list[clock.Event]:
    return [
        clock.Event(e.kind, e.date, e.reason, e.days)
        for e in ClockEvent.objects.filter(request=request).order_by("id")
    ]


def deadline_of(request: Request, *, on: dt.date | None = None) -> clock.Deadline:
    return _compute(events_of(request), _calendar(request.org), on or today())


def _compute(events, cal, on: dt.date) -> clock.Deadline:
    return clock.compute(
        events,
        cal,
        base_days=settings.GONGKAI_FOI_REPLY_DAYS,
        fee_stops_clock=settings.GONGKAI_FOI_FEE_STOPS_CLOCK,
        today=on,
        max_extension=settings.GONGKAI_FOI_MAX_EXTENSION_DAYS,
        clarification_window=settings.GONGKAI_FOI_CLARIFICATION_WINDOW_DAYS,
    )


def _append(request: Request, event: clock.Event, *, actor, note: str = "") -> clock.Deadline:
    """Add one clock event (checked against the rules of the sequence) and store the due date."""
    cal = _calendar(request.org)
    existing = events_of(request) if request.pk else []
    clock.check_next(
        existing,
        event,
        cal,
        max_extension=settings.GONGKAI_FOI_MAX_EXTENSION_DAYS,
        clarification_window=settings.GONGKAI_FOI_CLARIFICATION_WINDOW_DAYS,
    )
    ClockEvent.objects.create(
        request=request,
        kind=event.kind,
        date=event.date,
        reason=event.reason,
        days=event.days,
        note=note[:300],
        actor=actor if getattr(actor, "is_authenticated", False) else None,
    )
    deadline = _compute([*existing, event], cal, today())
    # While paused the due date is unknown; the last known one stays for sorting the queue.
    if deadline.due_date is not None:
        request.due_date = deadline.due_date
    request.due_provisional = deadline.provisional
    request.extension_days = deadline.extension_days
    request.save(update_fields=["due_date", "due_provisional", "extension_days", "updated_at"])
    return deadline


# --- the workflow --------------------------------------------------------------------------


def _finish(move: Move, *, on: dt.date | None = None) -> Request:
    """Finish a step begun with `WORKFLOW.begin`, noting the roles it was taken in."""
    actor, request = move.actor, move.obj
    roles = (
        sorted(permissions.roles_in(actor, request.org))
        if getattr(actor, "is_authenticated", False)
        else []
    )
    move.data |= {"roles": roles, "on": on}
    return WORKFLOW.finish(move)


def _day(value: dt.date | None) -> dt.date:
    day = value or today()
    if day > today():
        raise ApplicationError(_("日期不能晚于今天。"), code="invalid_date")
    return day


@transaction.atomic
def request_assign(*, actor, request: Request, handler) -> Request:
    move = WORKFLOW.begin(request, "assign", actor=actor)
    request, data = move.obj, move.data
    if not permissions.can(handler, "handle_request", request.org):
        raise ApplicationError(
            _("“%(u)s”不是本机关的申请办理员。") % {"u": handler}, code="not_a_handler"
        )
    data["handler"] = handler.get_username()
    request.handler = handler
    return _finish(move)


def _issue(
    request: Request,
    kind: str,
    *,
    actor,
    on: dt.date,
    extra: dict | None = None,
    to_applicant: bool = True,
    recipient: str = "",
) -> Letter:
    """Compose a letter from the office's template, number it, render DOCX and PDF, store it."""
    context = letter_context(request, on=on) | (extra or {})
    outcome = request.outcome if kind == letters.LetterKind.REPLY else ""
    text = template_text(request.org, kind, outcome)
    year = on.year
    serial = sequence_next(f"foi-letter:{request.org.code}:{year}")
    prefix = request.org.short_name or request.org.name
    number = f"{prefix}依申请〔{year}〕{serial}号"
    context["letter_number"] = number
    document = letters.compose(
        kind=kind,
        template_text=text,
        context=context,
        number=number,
        recipient=recipient or f"{request.name}：",
        signature=request.org.name,
        date=on,
    )
    letter = Letter(
        request=request,
        kind=kind,
        number=number,
        date=on,
        title=document.title,
        recipient=document.recipient,
        paragraphs=list(document.paragraphs),
        to_applicant=to_applicant,
    )
    stem = f"{kind}-{serial}"
    letter.docx.save(f"{stem}.docx", ContentFile(letters.to_docx(document)), save=False)
    letter.pdf.save(f"{stem}.pdf", ContentFile(letters.to_pdf(document)), save=False)
    letter.save()
    audit.record(
        actor=actor,
        verb="foi.letter_issue",
        target=letter,
        org=request.org,
        data={"request": request.number, "kind": kind, "number": number},
    )
    return letter


def template_text(org: Org, kind: str, outcome: str = "") -> str:
    """The nearest office's wording, else the national row, else gongkai's built-in text."""
    chain = [*reversed(org.ancestor_ids()), None]  # nearest first
    rows = {
        t.org_id: t.text
        for t in LetterTemplate.objects.filter(kind=kind, outcome=outcome).filter(
            Q(org_id__in=[c for c in chain if c]) | Q(org__isnull=True)
        )
    }
    for org_id in chain:
        if org_id in rows:
            return rows[org_id]
    return letters.default_template(kind, outcome)


def _fmt(day: dt.date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def letter_context(request: Request, *, on: dt.date) -> dict:
    org = request.org
    row = ROWS.get(request.outcome) if request.outcome else None
    return {
        "org_name": org.name,
        "org_address": org.address,
        "org_phone": org.phone,
        "applicant_name": request.name,
        "request_number": request.number,
        "received_date": _fmt(request.received_date),
        "description": request.description,
        "document_number": request.document_number,
        "letter_number": "",
        "letter_date": _fmt(on),
        "outcome_label": request.get_outcome_display() if request.outcome else "",
        "basis": row.basis if row else "",
        "reason": request.reason,
        "provision": request.provision,
        "review_body": settings.GONGKAI_FOI_REVIEW_BODY,
        "court": settings.GONGKAI_FOI_COURT,
        "review_days": settings.GONGKAI_REVIEW_PERIOD_DAYS,
        "litigation_months": settings.GONGKAI_LITIGATION_PERIOD_MONTHS,
        "transfer_org_name": request.transfer_org_name,
        "transfer_org_contact": request.transfer_org_contact,
        "clarification_items": "",
        "answer_by": "",
        "extension_days": request.extension_days,
        "new_due_date": "",
        "third_party_name": "",
        "fee_lines": [],
        "fee_total": "",
        "pay_by": "",
        "payment_instructions": "",
        "due_date": _fmt(request.due_date),
    }


@transaction.atomic
def request_ask_clarification(
    *, actor, request: Request, items: str, answer_days: int | None = None, on=None
) -> Request:
    """Art.30: within 7 working days of receipt, once, everything needed, with a period."""
    move = WORKFLOW.begin(request, "ask_clarification", actor=actor)
    request, data = move.obj, move.data
    on = _day(on)
    items = _text(items, 2000)
    if not items:
        raise ApplicationError(
            _("请写明需要补正的全部事项（只能告知一次）。"), code="items_required"
        )
    days = answer_days or settings.GONGKAI_FOI_CLARIFICATION_ANSWER_DAYS
    _check_period(days)
    deadline = _append(
        request,
        clock.Event(clock.EventKind.PAUSED, on, clock.PauseReason.CLARIFICATION, days),
        actor=actor,
        note=items,
    )
    _issue(
        request,
        letters.LetterKind.CLARIFICATION,
        actor=actor,
        on=on,
        extra={"clarification_items": items, "answer_by": _fmt(deadline.answer_by)},
    )
    data |= {"answer_by": deadline.answer_by, "answer_days": days}
    return _finish(move, on=on)


def _check_period(days) -> None:
    if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= 60:
        raise ApplicationError(_("期限应为1至60个工作日。"), code="invalid_days")


@transaction.atomic
def request_clarification_received(*, actor, request: Request, on=None, note="") -> Request:
    """Art.30: the reply period counts again, from zero, from receipt of the correction."""
    move = WORKFLOW.begin(request, "clarification_received", actor=actor)
    request, data = move.obj, move.data
    on = _day(on)
    _append(request, clock.Event(clock.EventKind.RESTARTED, on), actor=actor, note=note)
    data["due_date"] = request.due_date
    return _finish(move, on=on)


def _lapse(actor, request: Request, action: str, outcome: str, on) -> Request:
    move = WORKFLOW.begin(request, action, actor=actor)
    request, data = move.obj, move.data
    on = _day(on)
    deadline = deadline_of(request, on=on)
    if deadline.answer_by and on <= deadline.answer_by:
        raise ApplicationError(
            _("期限到 %(d)s 才届满，届满后才能按逾期处理。") % {"d": deadline.answer_by},
            code="period_running",
        )
    _append(request, clock.Event(clock.EventKind.CLOSED, on), actor=actor)
    request.outcome, request.closed_on = outcome, on
    data["outcome"] = outcome
    return _finish(move, on=on)


@transaction.atomic
def request_clarification_lapsed(*, actor, request: Request, on=None) -> Request:
    """Art.30: not corrected in time → deemed abandoned (report 其他处理 row 1)."""
    return _lapse(actor, request, "clarification_lapsed", Outcome.OTHER_CLARIFICATION_LAPSED, on)


@transaction.atomic
def request_consult(
    *, actor, request: Request, party: str, third_party: bool = True, days=None, on=None
) -> Request:
    """Art.32 (third party, 15 working days) or Art.33/34 (other offices): the clock stops."""
    move = WORKFLOW.begin(request, "consult", actor=actor)
    request, data = move.obj, move.data
    on = _day(on)
    party = _text(party, 200)
    if not party:
        raise ApplicationError(_("请填写征求意见的对象。"), code="party_required")
    days = days or settings.GONGKAI_FOI_CONSULTATION_DAYS
    _check_period(days)
    reason = clock.PauseReason.THIRD_PARTY if third_party else clock.PauseReason.OTHER_OFFICE
    deadline = _append(
        request, clock.Event(clock.EventKind.PAUSED, on, reason, days), actor=actor, note=party
    )
    if third_party:
        _issue(
            request,
            letters.LetterKind.THIRD_PARTY,
            actor=actor,
            on=on,
            extra={"third_party_name": party, "answer_by": _fmt(deadline.answer_by)},
            to_applicant=False,
            recipient=f"{party}：",
        )
    data |= {"party": party, "reason": reason, "answer_by": deadline.answer_by}
    return _finish(move, on=on)


@transaction.atomic
def request_consultation_done(*, actor, request: Request, on=None, note="") -> Request:
    move = WORKFLOW.begin(request, "consultation_done", actor=actor)
    request, data = move.obj, move.data
    on = _day(on)
    _append(request, clock.Event(clock.EventKind.RESUMED, on), actor=actor, note=note)
    data["due_date"] = request.due_date
    return _finish(move, on=on)


@transaction.atomic
def request_extend(*, actor, request: Request, days: int, reason: str, on=None) -> Request:
    """Art.33: one extension of at most 20 working days, with the office head's consent; the
    applicant is told (an extension notice)."""
    move = WORKFLOW.begin(request, "extend", actor=actor)
    request, data = move.obj, move.data
    on = _day(on)
    reason = _text(reason, 1000)
    if not reason:
        raise ApplicationError(_("请填写延期理由。"), code="reason_required")
    _append(request, clock.Event(clock.EventKind.EXTENDED, on, days=days), actor=actor, note=reason)
    _issue(
        request,
        letters.LetterKind.EXTENSION,
        actor=actor,
        on=on,
        extra={
            "extension_days": days,
            "new_due_date": _fmt(request.due_date),
            "reason": reason,
        },
    )
    data |= {"days": days, "reason": reason, "due_date": request.due_date}
    return _finish(move, on=on)


def earlier_items_this_month(request: Request) -> int:
    """RULES §2: per-item counts are cumulative for one applicant within a calendar month."""
    first = request.received_date.replace(day=1)
    earlier = Request.objects.filter(
        id_number_hash=request.id_number_hash,
        received_date__gte=first,
    ).filter(
        Q(received_date__lt=request.received_date)
        | Q(received_date=request.received_date, id__lt=request.id)
    )
    return earlier.aggregate(n=Sum("fee_items"))["n"] or 0


@transaction.atomic
def request_fee_notice(
    *, actor, request: Request, method: str, items: int = 0, pages: int = 0, on=None
) -> Request:
    """Art.42 and RULES §2: the computation is shown line by line; payment within 20 working
    days; the clock stops while waiting when GONGKAI_FOI_FEE_STOPS_CLOCK (the default)."""
    move = WORKFLOW.begin(request, "fee_notice", actor=actor)
    request, data = move.obj, move.data
    on = _day(on)
    if method == fees.FeeMethod.PER_ITEM:
        items = items or request.fee_items or 1
        computation = fees.compute(
            method=method, items=items, earlier_items_this_month=earlier_items_this_month(request)
        )
    else:
        computation = fees.compute(method=method, pages=pages)
    if computation.total <= 0:
        raise ApplicationError(
            _("按规定本申请不收费（%(lines)s），无需发出收费通知。")
            % {"lines": "；".join(computation.explain())},
            code="no_fee",
        )
    days = settings.GONGKAI_FOI_FEE_PAYMENT_DAYS
    deadline = _append(
        request,
        clock.Event(clock.EventKind.PAUSED, on, clock.PauseReason.FEE, days),
        actor=actor,
    )
    request.fee_method = method
    request.fee_items = items if method == fees.FeeMethod.PER_ITEM else request.fee_items
    request.fee_pages = pages
    request.fee_total = computation.total
    request.fee_computation = computation.as_dict()
    _issue(
        request,
        letters.LetterKind.FEE,
        actor=actor,
        on=on,
        extra={
            "fee_lines": computation.explain(),
            "fee_total": f"{computation.total}",
            "pay_by": _fmt(deadline.answer_by),
            "payment_instructions": _("请持本通知到受理机关缴纳，或按受理机关告知的方式缴纳。"),
        },
    )
    data |= {"method": method, "total": computation.total, "pay_by": deadline.answer_by}
    return _finish(move, on=on)


@transaction.atomic
def request_fee_paid(*, actor, request: Request, on=None) -> Request:
    move = WORKFLOW.begin(request, "fee_paid", actor=actor)
    request, data = move.obj, move.data
    on = _day(on)
    _append(request, clock.Event(clock.EventKind.RESUMED, on), actor=actor)
    request.fee_paid_on = on
    data |= {"paid_on": on, "total": request.fee_total}
    return _finish(move, on=on)


@transaction.atomic
def request_fee_lapsed(*, actor, request: Request, on=None) -> Request:
    """Unpaid in time → not processed further (report 其他处理 row 2)."""
    return _lapse(actor, request, "fee_lapsed", Outcome.OTHER_FEE_UNPAID, on)


@transaction.atomic
def request_draft_reply(
    *,
    actor,
    request: Request,
    outcome: str,
    reason: str = "",
    provision: str = "",
    transfer_org_name: str = "",
    transfer_org_contact: str = "",
) -> Request:
    """The handler's proposed decision: one leaf of the annual report (RULES §3)."""
    move = WORKFLOW.begin(request, "draft_reply", actor=actor)
    request, data = move.obj, move.data
    if outcome not in Outcome.values or outcome in LAPSE_OUTCOMES:
        raise ApplicationError(_("请选择办理结果。"), code="outcome_required")
    request.outcome = outcome
    request.reason = _text(reason, 5000)
    request.provision = _text(provision, 2000)
    request.transfer_org_name = _text(transfer_org_name, 200)
    request.transfer_org_contact = _text(transfer_org_contact, 200)
    if outcome not in (Outcome.DISCLOSED,) and not request.reason:
        raise ApplicationError(
            _("该办理结果须写明理由（条例第三十六条）。"), code="reason_required"
        )
    if outcome in (Outcome.DISCLOSED, Outcome.PARTIAL) and not request.provision:
        raise ApplicationError(_("请写明提供信息的方式和时间。"), code="provision_required")
    data |= {"outcome": outcome}
    return _finish(move)


@transaction.atomic
def request_head_approve(*, actor, request: Request, comment: str = "") -> Request:
    move = WORKFLOW.begin(request, "head_approve", actor=actor)
    request, data = move.obj, move.data
    data["comment"] = _text(comment, 1000)
    return _finish(move)


@transaction.atomic
def request_legal_approve(*, actor, request: Request, comment: str = "") -> Request:
    """合法性审核: the letter cannot be sent until a legal reviewer has passed it."""
    move = WORKFLOW.begin(request, "legal_approve", actor=actor)
    request, data = move.obj, move.data
    data["comment"] = _text(comment, 1000)
    return _finish(move)


@transaction.atomic
def request_return(*, actor, request: Request, comment: str) -> Request:
    """The office head or the legal reviewer sends the draft back with a comment."""
    action = "return_head" if request.status == Status.REPLY_DRAFTED else "return_legal"
    move = WORKFLOW.begin(request, action, actor=actor)
    request, data = move.obj, move.data
    comment = _text(comment, 1000)
    if not comment:
        raise ApplicationError(_("请填写退回意见。"), code="reason_required")
    data["comment"] = comment
    return _finish(move)


@transaction.atomic
def request_send(*, actor, request: Request, on=None) -> Letter:
    """Issue the reply letter (numbered, DOCX and PDF) and stop the clock."""
    move = WORKFLOW.begin(request, "send", actor=actor)
    request, data = move.obj, move.data
    on = _day(on)
    deadline = _append(request, clock.Event(clock.EventKind.CLOSED, on), actor=actor)
    request.closed_on, request.late = on, bool(deadline.late)
    letter = _issue(request, letters.LetterKind.REPLY, actor=actor, on=on)
    data |= {"letter": letter.number, "late": request.late, "outcome": request.outcome}
    _finish(move, on=on)
    return letter


@transaction.atomic
def request_deliver(*, actor, request: Request, on=None) -> Request:
    move = WORKFLOW.begin(request, "deliver", actor=actor)
    request = move.obj
    request.delivered_on = _day(on)
    return _finish(move, on=request.delivered_on)


@transaction.atomic
def request_archive(*, actor, request: Request) -> Request:
    return _finish(WORKFLOW.begin(request, "archive", actor=actor))


@transaction.atomic
def request_withdraw(*, actor, request: Request, reason: str = "", on=None) -> Request:
    """The applicant withdraws: recorded by staff, or by the applicant on the tracking page,
    in which case `actor` is `core.workflow.APPLICANT` and the caller checked the password."""
    move = WORKFLOW.begin(request, "withdraw", actor=actor)
    request = move.obj
    on = _day(on)
    _append(request, clock.Event(clock.EventKind.CLOSED, on), actor=actor)
    request.outcome, request.closed_on = Outcome.OTHER, on
    with translation.override(settings.LANGUAGE_CODE):  # part of the file
        request.reason = _text(reason, 1000) or _("申请人撤回申请。")
    move.data["reason"] = request.reason
    if actor is APPLICANT:
        move.data["by"] = "applicant"
    return _finish(move, on=on)


# --- after the reply -----------------------------------------------------------------------


@transaction.atomic
def review_record(
    *, actor, request: Request, kind: str, filed_on: dt.date, body: str = "", note: str = ""
) -> Review:
    if not permissions.can(actor, "record_review", request.org):
        raise PermissionDeniedError()
    if kind not in Review.Kind.values:
        raise ApplicationError(_("请选择复议或诉讼类型。"), code="invalid_kind")
    review = Review.objects.create(
        request=request,
        kind=kind,
        filed_on=_day(filed_on),
        body=_text(body, 200),
        note=_text(note, 2000),
    )
    audit.record(
        actor=actor,
        verb="foi.review_record",
        target=review,
        org=request.org,
        data={"request": request.number, "kind": kind, "filed_on": filed_on},
    )
    return review


@transaction.atomic
def review_decide(*, actor, review: Review, result: str, decided_on: dt.date) -> Review:
    review = Review.objects.select_for_update().select_related("request__org").get(pk=review.pk)
    if not permissions.can(actor, "record_review", review.request.org):
        raise PermissionDeniedError()
    if result not in Review.Result.values or result == Review.Result.PENDING:
        raise ApplicationError(_("请选择审结结果。"), code="invalid_result")
    if decided_on < review.filed_on:
        raise ApplicationError(_("审结日期不能早于立案日期。"), code="invalid_date")
    review.result, review.decided_on = result, _day(decided_on)
    review.save()
    audit.record(
        actor=actor,
        verb="foi.review_decide",
        target=review,
        org=review.request.org,
        data={"result": result, "decided_on": decided_on},
    )
    return review


@transaction.atomic
def request_convert_to_proactive(*, actor, request: Request, title: str = ""):
    """依申请公开转主动公开: information given on request that should be public becomes a draft
    in the publishing workflow (with its confidentiality review), linked back to the request."""
    from gongkai.documents import services as document_services
    from gongkai.documents.models import Document

    request = Request.objects.select_for_update().select_related("org").get(pk=request.pk)
    if not permissions.can(actor, "draft_document", request.org):
        raise PermissionDeniedError()
    if request.outcome not in (Outcome.DISCLOSED, Outcome.PARTIAL):
        raise ApplicationError(
            _("只有予以公开或部分公开的申请可以转为主动公开。"), code="not_disclosed"
        )
    if request.converted_document_id:
        raise ApplicationError(_("该申请已转为主动公开。"), code="already_converted")
    document = document_services.document_create(
        actor=actor,
        org=request.org,
        data={
            "title": _text(title, 200) or _text(request.description, 200),
            "document_number": request.document_number,
            "date_signed": today(),
            "attribute": Document.Attribute.PROACTIVE,
            "summary": _("依申请公开转主动公开（申请编号 %(n)s）。") % {"n": request.number},
        },
    )
    request.converted_document = document
    request.save(update_fields=["converted_document", "updated_at"])
    audit.record(
        actor=actor,
        verb="foi.convert_to_proactive",
        target=request,
        org=request.org,
        data={"document": document.pk},
    )
    return document


# --- reminders -----------------------------------------------------------------------------


@dataclass(frozen=True)
class DeadlineCheck:
    checked: int
    reminders: int
    overdue: int
    notices: tuple[tuple[str, str, str], ...]  # (request number, kind, recipient) newly sent


def check_deadlines(*, on: dt.date | None = None) -> DeadlineCheck:
    """Remind handlers 5 and 1 working days before the due date; list overdue requests for the
    office head and the supervising office. Idempotent: a `Reminder` row per (request, kind,
    due date) means running it twice, or every hour, sends each reminder once; a new due date
    (after an extension, say) reminds again."""
    from django.core.mail import send_mail

    from .models import Reminder
    from .workflow import PAUSED

    on = on or today()
    lead = sorted(settings.GONGKAI_FOI_REMINDER_DAYS)
    running = (
        Request.objects.filter(status__in=OPEN - PAUSED, due_date__isnull=False)
        .select_related("org", "handler")
        .order_by("id")
    )
    calendars: dict[int, workdays.Calendar] = {}
    sent: list[tuple[str, str, str]] = []
    checked = overdue_count = 0
    for request in running.iterator(chunk_size=2000):
        checked += 1
        cal = calendars.setdefault(request.org_id, _calendar(request.org))
        left = cal.working_days_between(on, request.due_date).days
        # Overdue from the day after the due date, weekend or not (a Friday deadline is missed
        # on Saturday, though no working day has passed since).
        if on > request.due_date:
            kind = "overdue"
            overdue_count += 1
        else:
            kind = next((f"due_{d}" for d in lead if left <= d), None)
        if kind is None:
            continue
        with transaction.atomic():
            _, created = Reminder.objects.get_or_create(
                request=request, kind=kind, due_date=request.due_date
            )
            if not created:
                continue
            recipient = request.handler.get_username() if request.handler else request.org.code
            audit.record(
                actor=None,
                verb=f"foi.reminder_{kind}",
                target=request,
                org=request.org,
                data={"due_date": request.due_date, "working_days_left": left},
            )
            email = getattr(request.handler, "email", "")
            if email:
                subject = _("申请 %(n)s 的答复期限：%(d)s") % {
                    "n": request.number,
                    "d": request.due_date,
                }
                transaction.on_commit(
                    lambda s=subject, e=email: send_mail(s, s, None, [e], fail_silently=True)
                )
        sent.append((request.number, kind, recipient))
    return DeadlineCheck(
        checked, sum(1 for s in sent if s[1] != "overdue"), overdue_count, tuple(sent)
    )

"""Intake (收到申请): the online form, registration by staff, receipts and passwords.

The day of receipt follows Art.31 of the Regulations; personal data is checked, encrypted
and masked before it is stored; online submissions are rate-limited per source."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
import unicodedata
from dataclasses import dataclass, field

from django.conf import settings
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from gongkai.core import audit, crypto, pii, textextract, tracking
from gongkai.core.exceptions import (
    ApplicationError,
    ConflictError,
    PermissionDeniedError,
    RateLimitedError,
)
from gongkai.core.files import store as store_file
from gongkai.core.services import sequence_next
from gongkai.orgs import permissions
from gongkai.orgs.models import Org

from .. import clock
from ..models import (
    Channel,
    Delivery,
    Form,
    IdType,
    Request,
    RequestAttachment,
)
from ..outcomes import ApplicantKind
from . import base
from .base import append_event

# C0 controls but tab and newlines: invisible, and they break letters and spreadsheets.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# No 0/o, 1/l/i: the password is read out over the phone.
_PASSWORD_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"  # noqa: S105
_CREDIT_CODE_RE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")
_PHONE_RE = re.compile(r"^[0-9+\-() ]{7,20}$")


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


def clean_text(value, limit: int) -> str:
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
    data.name = clean_text(data.name, 200)
    data.contact_person = clean_text(data.contact_person, 100)
    data.id_number = clean_text(data.id_number, 64).upper().replace(" ", "")
    data.phone = clean_text(data.phone, 32)
    data.email = clean_text(data.email, 254)
    data.address = clean_text(data.address, 300)
    data.postcode = clean_text(data.postcode, 6)
    data.description = clean_text(data.description, 5000)
    data.document_number = clean_text(data.document_number, 100)
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


def applicant_hash(data: ApplicationInput) -> str:
    """The keyed hash that recognises an applicant again without storing the identity number."""
    return crypto.keyed_hash(f"{data.id_type}:{data.id_number}", purpose="foi-applicant")


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
    """A query password and its keyed hash (`core.tracking`)."""
    password = "".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(10))
    return password, tracking.make(password)


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
    identified: list,
    track_url: str = "",
) -> Receipt:
    data = _clean_input(data)
    errors = validate_application(data)
    if errors:
        raise _refuse(errors)
    # The number first: its row lock (PostgreSQL) or the write lock (SQLite) serialises
    # registrations, so the rate limit and the duplicate check below cannot race each other.
    number = _allocate_number(received)
    if source_hash:
        _rate_limit(source_hash)
    id_hash = applicant_hash(data)
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
        else mask_generic(data.id_number),
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
        store_file(RequestAttachment(request=request), name, content, identified=found)
    append_event(request, clock.Event(clock.EventKind.RECEIVED, received), actor=actor)
    if request.email:
        # After commit: a rolled-back registration sends nothing; a mail failure undoes nothing.
        language = translation.get_language()
        transaction.on_commit(lambda: _mail_receipt(request, track_url, language))
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


def _mail_receipt(request: Request, track_url: str, language: str | None) -> None:
    """Tell the applicant the request number by e-mail (never the password: mail is not a safe
    place for it, and only its hash is kept anyway)."""
    import logging

    from django.core.mail import send_mail

    with translation.override(language or settings.LANGUAGE_CODE):
        subject = _("政府信息公开申请已收到（申请编号 %(n)s）") % {"n": request.number}
        lines = [
            _("%(name)s：") % {"name": request.name},
            _("%(org)s 已于 %(d)s 收到您的政府信息公开申请。")
            % {"org": request.org.name, "d": request.received_date.isoformat()},
            _("申请编号：%(n)s") % {"n": request.number},
        ]
        if request.due_date:
            lines.append(
                _("答复期限：%(d)s（如需补正、征求意见或延期，将另行告知）")
                % {"d": request.due_date.isoformat()}
            )
        lines.append(
            _("请凭申请编号和提交时获得的查询密码查询办理进度：%(url)s")
            % {"url": track_url or _("本网站“申请进度查询”页面")}
        )
        lines.append(
            _("为保护您的信息安全，本邮件不包含查询密码。本邮件由系统自动发送，请勿回复。")
        )
    try:
        send_mail(subject, "\n\n".join(lines), None, [request.email])
    except Exception:
        logging.getLogger(__name__).warning("foi receipt mail failed for %s", request.number)


def mask_generic(value: str) -> str:
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
ONLINE_BASIS = "通过互联网渠道提交，系统当场确认并出具申请编号，以该日为收到申请之日（条例第三十一条第（三）项）"


def _identify_attachments(data: ApplicationInput) -> list:
    """Identify the attachments before the transaction opens (nothing slow holds the write
    lock) and before anything is stored (a refused file leaves no request behind)."""
    errors = validate_application(_clean_input(data))  # sizes included: checked before reading
    if errors:
        raise _refuse(errors)
    return [
        (name[:255], content, textextract.identify(content, name))
        for name, content in data.attachments
    ]


def request_submit(
    *,
    data: ApplicationInput,
    source_address: str,
    submission_key: str | None = None,
    track_url: str = "",
) -> Receipt:
    """A citizen's online application (web form or API). Art.31(3): the system confirms it on
    the spot with a number, so that day is the date of receipt."""
    credentials = _new_credentials()
    identified = _identify_attachments(data)
    with transaction.atomic():
        source_hash = source_hash_for(source_address)
        now = base.today()
        return _register(
            actor=None,
            data=data,
            channel=Channel.ONLINE,
            submitted_on=now,
            received=now,
            received_basis=ONLINE_BASIS,
            submission_key=submission_key,
            source_hash=source_hash,
            credentials=credentials,
            identified=identified,
            track_url=track_url,
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
    if not permissions.can(actor, "register_request", data.org):
        raise PermissionDeniedError()
    identified = _identify_attachments(data)
    with transaction.atomic():
        return _register_received(
            actor=actor,
            data=data,
            channel=channel,
            submitted_on=submitted_on,
            confirmed_on=confirmed_on,
            credentials=credentials,
            identified=identified,
        )


def _register_received(
    *, actor, data, channel, submitted_on, confirmed_on, credentials, identified
):
    if not permissions.can(actor, "register_request", data.org):
        raise PermissionDeniedError()
    if channel not in Channel.values:
        raise ApplicationError(_("请选择申请方式。"), code="invalid_channel")
    if submitted_on > base.today() or (confirmed_on and confirmed_on > base.today()):
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
        identified=identified,
    )


def submission_replay(*, data: ApplicationInput, submission_key: str) -> Request | None:
    """The request an earlier submission with this idempotency key created, when `data` is the
    same application (same organisation, applicant and subject); None when the key is new.
    The same key with a different application is a conflict (409)."""
    earlier = Request.objects.filter(submission_key=submission_key).first()
    if earlier is None:
        return None
    data = _clean_input(data)
    id_hash = applicant_hash(data)
    same = (
        earlier.org_id == data.org.pk
        and earlier.id_number_hash == id_hash
        and earlier.subject_key == subject_key(data.description, data.document_number)
    )
    if not same:
        raise ConflictError(
            _("该幂等键已用于另一份申请，请为新申请使用新的幂等键。"), code="idempotency_key_reused"
        )
    return earlier


def track_attempt(*, address: str, number: str = "") -> bool:
    """Count one tracking attempt (web or API); True when it is over a limit — checked before
    any password is hashed, so guessing costs the server a cache lookup, not an Argon2 hash.

    Two limits, shared by every worker (core.ratelimit): per address, and per request number
    whatever the address (a number guessed from many addresses is still limited)."""
    from gongkai.core import ratelimit

    limit = settings.GONGKAI_FOI_TRACK_ATTEMPTS_PER_HOUR
    over = ratelimit.hit("foi-track-address", address or "-", limit=limit)
    if number:
        over = ratelimit.hit("foi-track-number", number.strip().upper(), limit=limit) or over
    return over


def request_check_password(request: Request | None, password: str) -> bool:
    """Whether `password` opens `request`. A wrong password and an unknown number get the same
    answer; an unknown number costs no hash (numbers are sequential, not secret, and a hash
    per guess is what let guessing tie up the CPU — the attempt limits come first)."""
    if request is None:
        return False
    ok, rehash = tracking.verify(password, request.password_hash)
    if rehash:  # an Argon2 hash from before, or an older key: replace it (no state change)
        Request.objects.filter(pk=request.pk).update(password_hash=tracking.make(password))
    return ok

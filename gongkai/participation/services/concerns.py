"""The public-concern response ledger (回应关切台账): register, respond, promise, close.

For 特别重大 and 重大 concerns two clocks run in hours from first awareness (RULES §9):
authoritative information within GONGKAI_CONCERN_INFO_HOURS (5) and a press conference within
GONGKAI_CONCERN_PRESS_HOURS (24). A clock is met by the first response of a kind that counts
for it; a missed or late one is explained with a recorded reason. `alerts_send` (the hourly
job) alerts the responsible office and its supervising office before and at each limit, once.
Every function takes `now` where the clock matters, so tests and the CLI can set it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Min, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.core import audit
from gongkai.core.exceptions import ApplicationError, PermissionDeniedError
from gongkai.orgs import permissions
from gongkai.orgs.models import Membership, Org

from ..models import (
    TIMED_SEVERITIES,
    Concern,
    ConcernAlert,
    ConcernResponse,
    ConcernSource,
    Promise,
    ResponseKind,
    Severity,
)
from ..workflow import CONCERN, ConcernStatus

# Topic tags offered on the form (seed 004 八); staff may add their own.
SUGGESTED_TAGS = ("重大政策", "食品安全", "生态环境", "安全生产", "教育医疗", "疫情防控", "其他")
MAX_TAGS, MAX_TAG_LENGTH = 10, 20
MAX_TEXT = 5000
MAX_RELATED_ORGS = 50
# A time a little ahead of the server's clock is a clock difference, not a future event.
CLOCK_SKEW = dt.timedelta(minutes=5)

INFO, PRESS = "info", "press"
LIMITS = (INFO, PRESS)
LIMIT_LABELS = {
    INFO: gettext_lazy("权威信息发布"),
    PRESS: gettext_lazy("新闻发布会"),
}
# The kinds of response that meet each clock. A press conference releases authoritative
# information too, so it also meets the first clock when it comes first.
LIMIT_KINDS = {
    INFO: frozenset(
        {
            ResponseKind.FIRST_RELEASE,
            ResponseKind.FOLLOW_UP,
            ResponseKind.QA,
            ResponseKind.INTERVIEW,
            ResponseKind.PRESS_CONFERENCE,
        }
    ),
    PRESS: frozenset({ResponseKind.PRESS_CONFERENCE}),
}
STAGES = ("soon", "missed")

# Clock states.
MET, MET_LATE, MISSED, PENDING, UNTIMED = "met", "met_late", "missed", "pending", "untimed"
STATE_LABELS = {
    MET: gettext_lazy("按时"),
    MET_LATE: gettext_lazy("超时完成"),
    MISSED: gettext_lazy("已超时"),
    PENDING: gettext_lazy("计时中"),
    UNTIMED: gettext_lazy("不适用"),
}

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


# --- clocks ---------------------------------------------------------------------------------


def hours_of(limit: str) -> int:
    return (
        settings.GONGKAI_CONCERN_INFO_HOURS
        if limit == INFO
        else settings.GONGKAI_CONCERN_PRESS_HOURS
    )


def due_times(noticed_at: dt.datetime, severity: str) -> tuple[dt.datetime | None, ...]:
    """(info due, press due) for a concern noticed at `noticed_at`; None when untimed."""
    if severity not in TIMED_SEVERITIES:
        return None, None
    return (
        noticed_at + dt.timedelta(hours=settings.GONGKAI_CONCERN_INFO_HOURS),
        noticed_at + dt.timedelta(hours=settings.GONGKAI_CONCERN_PRESS_HOURS),
    )


def duration_text(delta: dt.timedelta) -> str:
    """'2 天 3 小时', '4 小时 59 分钟', '1 分钟' (rounded down to the minute)."""
    minutes = max(int(delta.total_seconds() // 60), 0)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = []
    if days:
        parts.append(_("%(n)s 天") % {"n": days})
    if hours:
        parts.append(_("%(n)s 小时") % {"n": hours})
    if minutes and not days:
        parts.append(_("%(n)s 分钟") % {"n": minutes})
    return " ".join(parts) or _("不到 1 分钟")


@dataclass(frozen=True)
class Clock:
    """One hour limit of a concern as of `now`: what it asks, when, and where it stands."""

    limit: str
    hours: int
    due_at: dt.datetime | None
    met_at: dt.datetime | None
    state: str
    # Time left (pending), overdue by (missed), late by (met_late); None otherwise.
    delta: dt.timedelta | None
    reason: str

    @property
    def label(self) -> str:
        return str(LIMIT_LABELS[self.limit])

    @property
    def rule(self) -> str:
        if self.limit == INFO:
            return _("%(h)s 小时内发布权威信息") % {"h": self.hours}
        return _("%(h)s 小时内召开新闻发布会") % {"h": self.hours}

    @property
    def level(self) -> str:
        """The CSS level of the row: overdue, due_soon, ok or nothing."""
        if self.state in (MISSED, MET_LATE):
            return "overdue"
        if self.state == MET:
            return "ok"
        if self.state == PENDING and self.delta <= dt.timedelta(
            hours=settings.GONGKAI_CONCERN_ALERT_BEFORE_HOURS
        ):
            return "due_soon"
        return ""

    @property
    def needs_reason(self) -> bool:
        return self.state in (MISSED, MET_LATE) and not self.reason

    @property
    def text(self) -> str:
        """What the ledger shows, in words (never colour alone)."""
        if self.state == UNTIMED:
            return _("不适用")
        at = timezone.localtime(self.met_at).strftime("%m-%d %H:%M") if self.met_at else ""
        if self.state == MET:
            return _("按时完成（%(at)s）") % {"at": at}
        if self.state == MET_LATE:
            return _("超时完成（%(at)s，超出 %(d)s）") % {"at": at, "d": duration_text(self.delta)}
        if self.state == MISSED:
            return _("已超时 %(d)s") % {"d": duration_text(self.delta)}
        return _("剩余 %(d)s") % {"d": duration_text(self.delta)}


def first_response_at(concern: Concern, limit: str) -> dt.datetime | None:
    """When the clock `limit` was met: an annotation of the ledger selector if present (no
    query per row), else the prefetched or queried responses."""
    attr = f"first_{limit}_at"
    if hasattr(concern, attr):
        return getattr(concern, attr)
    kinds = LIMIT_KINDS[limit]
    cache = getattr(concern, "_prefetched_objects_cache", {})
    if "responses" in cache:
        times = [r.at for r in cache["responses"] if r.kind in kinds]
        return min(times) if times else None
    return concern.responses.filter(kind__in=kinds).aggregate(first=Min("at"))["first"]


def first_response_annotations() -> dict:
    """`first_info_at` and `first_press_at` as subqueries (joins would multiply rows)."""
    return {
        f"first_{limit}_at": Subquery(
            ConcernResponse.objects.filter(concern=OuterRef("pk"), kind__in=LIMIT_KINDS[limit])
            .order_by("at")
            .values("at")[:1]
        )
        for limit in LIMITS
    }


def clock_of(concern: Concern, limit: str, *, now: dt.datetime | None = None) -> Clock:
    now = now or timezone.now()
    due = concern.info_due_at if limit == INFO else concern.press_due_at
    reason = concern.info_missed_reason if limit == INFO else concern.press_missed_reason
    hours = hours_of(limit)
    if due is None:
        return Clock(limit, hours, None, None, UNTIMED, None, reason)
    met_at = first_response_at(concern, limit)
    if met_at is not None:
        if met_at <= due:
            return Clock(limit, hours, due, met_at, MET, None, reason)
        return Clock(limit, hours, due, met_at, MET_LATE, met_at - due, reason)
    if now > due:
        return Clock(limit, hours, due, None, MISSED, now - due, reason)
    return Clock(limit, hours, due, None, PENDING, due - now, reason)


def clocks_of(concern: Concern, *, now: dt.datetime | None = None) -> list[Clock]:
    now = now or timezone.now()
    return [clock_of(concern, limit, now=now) for limit in LIMITS]


# --- validation -----------------------------------------------------------------------------


def _require(actor, org: Org) -> None:
    if not permissions.can(actor, "manage_concerns", org):
        raise PermissionDeniedError()


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _text(value, label, *, max_length: int, required: bool = False, single_line: bool = False):
    text = "" if value is None else str(value)
    if not isinstance(value, str | type(None)):
        raise ApplicationError(_("%(f)s格式不正确。") % {"f": label}, code="invalid_text")
    if "\x00" in text:
        raise ApplicationError(_("%(f)s含有无效字符。") % {"f": label}, code="invalid_text")
    text = text.strip()
    if single_line:
        text = " ".join(text.split())
    text = _CONTROL.sub("", text)
    if required and not text:
        raise ApplicationError(_("请填写%(f)s。") % {"f": label}, code="required")
    if len(text) > max_length:
        raise ApplicationError(
            _("%(f)s不能超过 %(n)s 个字。") % {"f": label, "n": max_length}, code="too_long"
        )
    return text


def _choice(value, choices, label) -> str:
    if value not in choices.values:
        raise ApplicationError(_("请选择有效的%(f)s。") % {"f": label}, code="invalid_choice")
    return value


def _moment(value, label, *, now: dt.datetime) -> dt.datetime:
    """An aware time, not in the future and not absurdly old."""
    if not isinstance(value, dt.datetime):
        raise ApplicationError(_("请填写%(f)s。") % {"f": label}, code="datetime_required")
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    if value > now + CLOCK_SKEW:
        raise ApplicationError(_("%(f)s不能晚于当前时间。") % {"f": label}, code="in_future")
    if value.year < 2000:
        raise ApplicationError(_("%(f)s不能早于 2000 年。") % {"f": label}, code="too_old")
    return value


def clean_tags(tags: Iterable[str] | None) -> list[str]:
    """Suggested or custom topic tags: trimmed, deduplicated, at most 10 of 20 characters."""
    cleaned: list[str] = []
    for raw in tags or ():
        if not isinstance(raw, str):
            raise ApplicationError(_("领域标签格式不正确。"), code="invalid_tag")
        tag = _CONTROL.sub("", " ".join(raw.replace("\x00", "").split()))
        if not tag:
            continue
        if len(tag) > MAX_TAG_LENGTH:
            raise ApplicationError(
                _("领域标签“%(t)s…”过长（不超过 %(n)s 个字）。")
                % {"t": tag[:MAX_TAG_LENGTH], "n": MAX_TAG_LENGTH},
                code="tag_too_long",
            )
        if tag not in cleaned:
            cleaned.append(tag)
    if len(cleaned) > MAX_TAGS:
        raise ApplicationError(
            _("领域标签不能超过 %(n)s 个。") % {"n": MAX_TAGS}, code="too_many_tags"
        )
    return cleaned


def _related(org: Org, related_orgs) -> list[Org]:
    found = []
    for other in related_orgs or ():
        if not isinstance(other, Org) or not other.pk:
            raise ApplicationError(_("相关单位无效。"), code="invalid_org")
        if other.pk != org.pk and other not in found:
            found.append(other)
    if len(found) > MAX_RELATED_ORGS:
        raise ApplicationError(
            _("相关单位不能超过 %(n)s 个。") % {"n": MAX_RELATED_ORGS}, code="too_many_orgs"
        )
    return found


def _open(concern: Concern) -> None:
    if concern.status != ConcernStatus.OPEN:
        raise ApplicationError(_("该舆情关切已办结，请先重新处置。"), code="concern_closed")


def _lock(concern: Concern) -> Concern:
    return Concern.objects.select_for_update().select_related("org").get(pk=concern.pk)


# --- services -------------------------------------------------------------------------------


@transaction.atomic
def concern_register(
    *,
    actor,
    org: Org,
    title: str,
    description: str = "",
    source: str,
    noticed_at: dt.datetime,
    severity: str,
    tags: Iterable[str] | None = (),
    related_orgs: Iterable[Org] | None = (),
    now: dt.datetime | None = None,
) -> Concern:
    """Register a concern at its responsible organisation; the hour limits start running from
    `noticed_at` for 特别重大 and 重大."""
    _require(actor, org)
    now = now or timezone.now()
    title = _text(title, _("事项"), max_length=200, required=True, single_line=True)
    description = _text(description, _("情况"), max_length=MAX_TEXT)
    source = _choice(source, ConcernSource, _("来源"))
    severity = _choice(severity, Severity, _("级别"))
    noticed_at = _moment(noticed_at, _("首次获知时间"), now=now)
    tags = clean_tags(tags)
    related = _related(org, related_orgs)
    info_due, press_due = due_times(noticed_at, severity)
    concern = Concern.objects.create(
        org=org,
        title=title,
        description=description,
        source=source,
        noticed_at=noticed_at,
        severity=severity,
        tags=tags,
        status=ConcernStatus.OPEN,
        info_due_at=info_due,
        press_due_at=press_due,
        registered_by=_user(actor),
    )
    concern.related_orgs.set(related)
    audit.record(
        actor=actor,
        verb="participation.concern_register",
        target=concern,
        org=org,
        data={
            "title": title,
            "severity": severity,
            "noticed_at": noticed_at,
            "info_due_at": info_due,
            "press_due_at": press_due,
            "tags": tags,
            "related_orgs": [o.pk for o in related],
        },
    )
    return concern


_UNSET = object()


@transaction.atomic
def concern_update(
    *,
    actor,
    concern: Concern,
    title=_UNSET,
    description=_UNSET,
    source=_UNSET,
    noticed_at=_UNSET,
    severity=_UNSET,
    tags=_UNSET,
    related_orgs=_UNSET,
    now: dt.datetime | None = None,
) -> Concern:
    """Correct what was registered; a new time of awareness or severity moves the limits."""
    concern = _lock(concern)
    _require(actor, concern.org)
    _open(concern)
    now = now or timezone.now()
    changes: dict = {}
    if title is not _UNSET:
        changes["title"] = _text(title, _("事项"), max_length=200, required=True, single_line=True)
    if description is not _UNSET:
        changes["description"] = _text(description, _("情况"), max_length=MAX_TEXT)
    if source is not _UNSET:
        changes["source"] = _choice(source, ConcernSource, _("来源"))
    if severity is not _UNSET:
        changes["severity"] = _choice(severity, Severity, _("级别"))
    if noticed_at is not _UNSET:
        changes["noticed_at"] = _moment(noticed_at, _("首次获知时间"), now=now)
    if tags is not _UNSET:
        changes["tags"] = clean_tags(tags)
    changes = {k: v for k, v in changes.items() if getattr(concern, k) != v}
    for field, value in changes.items():
        setattr(concern, field, value)
    if "noticed_at" in changes or "severity" in changes:
        first = concern.responses.order_by("at").values_list("at", flat=True).first()
        if first is not None and first < concern.noticed_at:
            raise ApplicationError(
                _("首次获知时间不能晚于已登记的回应时间（%(t)s）。")
                % {"t": timezone.localtime(first).strftime("%Y-%m-%d %H:%M")},
                code="noticed_after_response",
            )
        concern.info_due_at, concern.press_due_at = due_times(concern.noticed_at, concern.severity)
        changes["info_due_at"], changes["press_due_at"] = (
            concern.info_due_at,
            concern.press_due_at,
        )
    if related_orgs is not _UNSET:
        related = _related(concern.org, related_orgs)
        before = set(concern.related_orgs.values_list("pk", flat=True))
        if before != {o.pk for o in related}:
            concern.related_orgs.set(related)
            changes["related_orgs"] = sorted(o.pk for o in related)
    if not changes:
        return concern
    concern.save()
    audit.record(
        actor=actor,
        verb="participation.concern_update",
        target=concern,
        org=concern.org,
        data=changes,
    )
    return concern


def _document_public(document) -> None:
    from gongkai.documents.selectors import PUBLIC_STATUSES

    if document is not None and (not document.pk or document.status not in PUBLIC_STATUSES):
        raise ApplicationError(_("只能关联已发布的政府信息。"), code="document_not_public")


def _url(value) -> str:
    url = _text(value, _("链接"), max_length=200, single_line=True)
    if not url:
        return ""
    from django.core.exceptions import ValidationError
    from django.core.validators import URLValidator

    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise ApplicationError(
            _("链接应为以 http:// 或 https:// 开头的网址。"), code="invalid_url"
        ) from None
    return url


@transaction.atomic
def response_record(
    *,
    actor,
    concern: Concern,
    kind: str,
    at: dt.datetime,
    channel: str,
    spokesperson: str,
    document=None,
    url: str = "",
    summary: str = "",
    now: dt.datetime | None = None,
) -> ConcernResponse:
    """Record a response (first release, follow-up, press conference, interview, Q&A)."""
    concern = _lock(concern)
    _require(actor, concern.org)
    _open(concern)
    now = now or timezone.now()
    kind = _choice(kind, ResponseKind, _("回应方式"))
    at = _moment(at, _("回应时间"), now=now)
    if at < concern.noticed_at:
        raise ApplicationError(
            _("回应时间不能早于首次获知时间（%(t)s）。")
            % {"t": timezone.localtime(concern.noticed_at).strftime("%Y-%m-%d %H:%M")},
            code="response_before_notice",
        )
    channel = _text(channel, _("发布渠道"), max_length=200, required=True, single_line=True)
    spokesperson = _text(spokesperson, _("发布人"), max_length=100, single_line=True)
    summary = _text(summary, _("内容摘要"), max_length=MAX_TEXT)
    url = _url(url)
    _document_public(document)
    response = ConcernResponse.objects.create(
        concern=concern,
        kind=kind,
        at=at,
        channel=channel,
        spokesperson=spokesperson,
        document=document,
        url=url,
        summary=summary,
        recorded_by=_user(actor),
    )
    audit.record(
        actor=actor,
        verb="participation.response_record",
        target=concern,
        org=concern.org,
        data={
            "response": response.pk,
            "kind": kind,
            "at": at,
            "channel": channel,
            "document": document.pk if document else None,
        },
    )
    return response


@transaction.atomic
def missed_reason_record(
    *, actor, concern: Concern, limit: str, reason: str, now: dt.datetime | None = None
) -> Concern:
    """Record why a limit was missed (or met late); only once the limit has passed."""
    concern = _lock(concern)
    _require(actor, concern.org)
    _open(concern)  # a closed concern's record changes only after reopening it
    if limit not in LIMITS:
        raise ApplicationError(_("请选择有效的时限。"), code="invalid_limit")
    reason = _text(reason, _("超时原因"), max_length=2000, required=True)
    clock = clock_of(concern, limit, now=now)
    if clock.state not in (MISSED, MET_LATE):
        raise ApplicationError(
            _("%(l)s未超时，无需登记超时原因。") % {"l": clock.label}, code="not_missed"
        )
    field = "info_missed_reason" if limit == INFO else "press_missed_reason"
    setattr(concern, field, reason)
    concern.save(update_fields=[field, "updated_at"])
    audit.record(
        actor=actor,
        verb="participation.concern_missed",
        target=concern,
        org=concern.org,
        data={"limit": limit, "reason": reason, "state": clock.state},
    )
    return concern


@transaction.atomic
def promise_add(*, actor, concern: Concern, text: str, due_on: dt.date) -> Promise:
    """Track a commitment made in a response (回应后的政策落实) to its due date."""
    concern = _lock(concern)
    _require(actor, concern.org)
    _open(concern)
    text = _text(text, _("承诺事项"), max_length=500, required=True)
    if not isinstance(due_on, dt.date) or isinstance(due_on, dt.datetime):
        raise ApplicationError(_("请填写承诺期限。"), code="date_required")
    if due_on < timezone.localtime(concern.noticed_at).date():
        raise ApplicationError(_("承诺期限不能早于首次获知日期。"), code="due_before_notice")
    promise = Promise.objects.create(concern=concern, text=text, due_on=due_on)
    audit.record(
        actor=actor,
        verb="participation.promise_add",
        target=concern,
        org=concern.org,
        data={"promise": promise.pk, "text": text, "due_on": due_on},
    )
    return promise


@transaction.atomic
def promise_fulfil(
    *, actor, promise: Promise, fulfilled_on: dt.date, evidence: str, today: dt.date | None = None
) -> Promise:
    """Record that a promise was kept, when and how."""
    promise = Promise.objects.select_for_update().select_related("concern__org").get(pk=promise.pk)
    concern = promise.concern
    _require(actor, concern.org)
    if promise.fulfilled_on is not None:
        raise ApplicationError(_("该承诺事项已登记兑现。"), code="already_fulfilled")
    evidence = _text(evidence, _("兑现情况"), max_length=MAX_TEXT, required=True)
    if not isinstance(fulfilled_on, dt.date) or isinstance(fulfilled_on, dt.datetime):
        raise ApplicationError(_("请填写兑现日期。"), code="date_required")
    if fulfilled_on > (today or timezone.localdate()):
        raise ApplicationError(_("兑现日期不能晚于今天。"), code="in_future")
    if fulfilled_on < timezone.localtime(concern.noticed_at).date():
        raise ApplicationError(_("兑现日期不能早于首次获知日期。"), code="too_early")
    promise.fulfilled_on, promise.evidence = fulfilled_on, evidence
    promise.save(update_fields=["fulfilled_on", "evidence", "updated_at"])
    audit.record(
        actor=actor,
        verb="participation.promise_fulfil",
        target=concern,
        org=concern.org,
        data={
            "promise": promise.pk,
            "fulfilled_on": fulfilled_on,
            "on_time": fulfilled_on <= promise.due_on,
        },
    )
    return promise


def concern_close(
    *, actor, concern: Concern, evaluation: str, now: dt.datetime | None = None
) -> Concern:
    """Close a concern with the evaluation of its effect (效果评估). A timed limit that was
    missed must have its reason recorded first."""
    now = now or timezone.now()
    evaluation = _text(evaluation, _("效果评估"), max_length=MAX_TEXT, required=True)
    with CONCERN.transition(concern, "close", actor=actor) as move:
        for clock in clocks_of(move.obj, now=now):
            if clock.needs_reason:
                raise ApplicationError(
                    _("%(l)s超时，请先登记超时原因再办结。") % {"l": clock.label},
                    code="missed_reason_required",
                )
        move.obj.evaluation = evaluation
        move.obj.closed_at = now
        move.update_fields = ["evaluation", "closed_at"]
        move.data["evaluation"] = evaluation
    return move.obj


def concern_reopen(*, actor, concern: Concern, reason: str) -> Concern:
    """Reopen a closed concern that flares up again; the evaluation stays until it closes
    again."""
    reason = _text(reason, _("重新处置理由"), max_length=2000, required=True)
    with CONCERN.transition(concern, "reopen", actor=actor) as move:
        move.obj.closed_at = None
        move.update_fields = ["closed_at"]
        move.data["reason"] = reason
    return move.obj


# --- alerts (the hourly job) ----------------------------------------------------------------


@dataclass(frozen=True)
class Alert:
    concern_id: int
    title: str
    limit: str
    stage: str
    due_at: dt.datetime
    org_names: tuple[str, ...]


def supervising_orgs(org: Org) -> list[Org]:
    """The organisations above `org` whose staff include a supervisor (its openness office)."""
    ancestors = org.ancestor_ids()[:-1]
    return list(
        Org.objects.filter(pk__in=ancestors, memberships__role=Membership.Role.SUPERVISOR)
        .distinct()
        .order_by("path")
    )


def _recipients(orgs: list[Org]) -> list[str]:
    roles = permissions.ACTIONS["view_concerns"]
    return sorted(
        set(
            Membership.objects.filter(org__in=orgs, role__in=roles, user__is_active=True)
            .exclude(user__email="")
            .values_list("user__email", flat=True)
        )
    )


def alerts_send(*, now: dt.datetime | None = None) -> list[Alert]:
    """Alert the responsible office and its supervising office GONGKAI_CONCERN_ALERT_BEFORE_HOURS
    before each hour limit of an open concern and when it is missed. Idempotent: one
    ConcernAlert per (concern, limit, stage); a job that runs late sends only `missed`."""
    from django.core.mail import send_mail

    now = now or timezone.now()
    horizon = now + dt.timedelta(hours=settings.GONGKAI_CONCERN_ALERT_BEFORE_HOURS)
    concerns = (
        Concern.objects.filter(status=ConcernStatus.OPEN)
        .filter(Q(info_due_at__lte=horizon) | Q(press_due_at__lte=horizon))
        .select_related("org")
        .annotate(**first_response_annotations())
        .order_by("id")
    )
    sent: list[Alert] = []
    supervisors: dict[int, list[Org]] = {}
    for concern in concerns.iterator(chunk_size=200):
        for limit in LIMITS:
            clock = clock_of(concern, limit, now=now)
            if clock.state == MISSED:
                stage = "missed"
            elif clock.state == PENDING and clock.due_at <= horizon:
                stage = "soon"
            else:
                continue
            if concern.org_id not in supervisors:
                supervisors[concern.org_id] = supervising_orgs(concern.org)
            orgs = [concern.org, *supervisors[concern.org_id]]
            with transaction.atomic():
                _alert, created = ConcernAlert.objects.get_or_create(
                    concern=concern, limit=limit, stage=stage
                )
                if not created:
                    continue
                for recipient in orgs:
                    audit.record(
                        actor=None,
                        verb=f"participation.reminder_concern_{stage}",
                        target=concern,
                        org=recipient,
                        data={
                            "limit": limit,
                            "due_at": clock.due_at,
                            "responsible_org": concern.org_id,
                        },
                    )
                emails = _recipients(orgs)
                if emails:
                    if stage == "soon":
                        subject = _("舆情关切“%(t)s”：%(r)s时限 %(d)s 即将届满") % {
                            "t": concern.title,
                            "r": clock.label,
                            "d": timezone.localtime(clock.due_at).strftime("%Y-%m-%d %H:%M"),
                        }
                    else:
                        subject = _("舆情关切“%(t)s”：%(r)s已超过时限（%(d)s）") % {
                            "t": concern.title,
                            "r": clock.label,
                            "d": timezone.localtime(clock.due_at).strftime("%Y-%m-%d %H:%M"),
                        }
                    transaction.on_commit(
                        lambda s=subject, e=emails: send_mail(s, s, None, e, fail_silently=True)
                    )
            sent.append(
                Alert(
                    concern.pk,
                    concern.title,
                    limit,
                    stage,
                    clock.due_at,
                    tuple(o.name for o in orgs),
                )
            )
    return sent

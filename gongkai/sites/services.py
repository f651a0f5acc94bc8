"""Writes of the register: propose opening, changing and closing an entry; the supervising
office approves or returns; staff record an account's last update and unanswered messages.

Each function checks the actor through `orgs.permissions`, validates, writes and records one
audit event in the same transaction (status changes go through `workflow.py`).
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.core import audit
from gongkai.core.exceptions import ApplicationError, PermissionDeniedError
from gongkai.orgs import permissions
from gongkai.orgs.models import Org

from . import validation
from .models import Action, ChangeRequest, Entry, Kind, UpdateSource
from .workflow import CHANGE_REQUEST, ENTRY, EntryStatus, RequestStatus

MAX_REASON = 2000
MAX_MESSAGES = 1_000_000


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _require(actor, action: str, org: Org) -> None:
    if not permissions.can(actor, action, org):
        raise PermissionDeniedError()


def _reason(value, label=None) -> str:
    return validation.text(
        value, label or _("申请理由"), max_length=MAX_REASON, required=True, single_line=False
    )


def _entry_data(entry: Entry) -> dict:
    return {f.name: getattr(entry, f.name) for f in validation.FIELDS}


def _pending(entry: Entry) -> ChangeRequest | None:
    return entry.requests.filter(status=RequestStatus.SUBMITTED).first()


def _conflicts(data: dict, *, exclude: int | None = None) -> None:
    """An active entry already registered with the same account id or website code."""
    qs = Entry.objects.filter(status=EntryStatus.ACTIVE)
    if exclude:
        qs = qs.exclude(pk=exclude)
    if (
        data.get("account_id")
        and qs.filter(platform=data["platform"], account_id=data["account_id"]).exists()
    ):
        raise ApplicationError(
            _("该平台上账号 ID 为“%(a)s”的账号已在册。") % {"a": data["account_id"]},
            code="duplicate_account",
        )
    if data.get("site_code") and qs.filter(site_code=data["site_code"]).exists():
        raise ApplicationError(
            _("网站标识码“%(c)s”已在册。") % {"c": data["site_code"]}, code="duplicate_site_code"
        )


def _audit_data(data: dict) -> dict:
    """What the audit trail records of proposed fields: the person in charge's phone is kept
    only masked (the trail is readable by more roles than the register's contact column)."""
    out = dict(data)
    phone = out.get("person_phone")
    if phone:
        out["person_phone"] = phone[:3] + "****" + phone[-2:] if len(phone) > 6 else "****"
    return out


# --- proposals ------------------------------------------------------------------------------


@transaction.atomic
def request_open(*, actor, org: Org, kind: str, data: dict, reason: str) -> ChangeRequest:
    """Propose opening a website or account of `org` (开设); the entry exists once approved."""
    if not isinstance(org, Org) or not org.pk:
        raise ApplicationError(_("请选择开办单位。"), code="invalid_org")
    _require(actor, "manage_sites", org)
    cleaned = validation.clean_entry_data(data, kind=kind)
    reason = _reason(reason)
    _conflicts(cleaned)
    proposal = ChangeRequest.objects.create(
        org=org,
        entry=None,
        action=Action.OPEN,
        data={"kind": kind, **cleaned},
        reason=reason,
        status=RequestStatus.SUBMITTED,
        proposed_by=_user(actor),
    )
    audit.record(
        actor=actor,
        verb="sites.request_submit",
        target=proposal,
        org=org,
        data={"action": Action.OPEN, "kind": kind, "fields": _audit_data(cleaned)},
    )
    return proposal


def _lock_entry(entry: Entry) -> Entry:
    return Entry.objects.select_for_update().select_related("org").get(pk=entry.pk)


def _check_can_propose(actor, entry: Entry) -> None:
    _require(actor, "manage_sites", entry.org)
    if entry.status != EntryStatus.ACTIVE:
        raise ApplicationError(_("该网站或账号已关停。"), code="entry_closed")
    if _pending(entry) is not None:
        raise ApplicationError(
            _("该网站或账号已有待审核的申请，请等待审核或撤回后再提交。"), code="pending_request"
        )


@transaction.atomic
def request_change(*, actor, entry: Entry, data: dict, reason: str) -> ChangeRequest:
    """Propose changing an entry (变更): only the fields that differ are kept."""
    entry = _lock_entry(entry)
    _check_can_propose(actor, entry)
    current = _entry_data(entry)
    cleaned = validation.clean_entry_data({**current, **(data or {})}, kind=entry.kind)
    changes = {k: v for k, v in cleaned.items() if current[k] != v}
    if not changes:
        raise ApplicationError(_("没有需要变更的内容。"), code="no_changes")
    reason = _reason(reason)
    _conflicts(cleaned, exclude=entry.pk)
    proposal = ChangeRequest.objects.create(
        org=entry.org,
        entry=entry,
        action=Action.CHANGE,
        data=changes,
        before={k: current[k] for k in changes},
        reason=reason,
        status=RequestStatus.SUBMITTED,
        proposed_by=_user(actor),
    )
    audit.record(
        actor=actor,
        verb="sites.request_submit",
        target=proposal,
        org=entry.org,
        data={"action": Action.CHANGE, "entry": entry.pk, "fields": _audit_data(changes)},
    )
    return proposal


@transaction.atomic
def request_close(*, actor, entry: Entry, reason: str) -> ChangeRequest:
    """Propose closing an entry (关停), e.g. a 空壳 account found in a clean-up (清理整合)."""
    entry = _lock_entry(entry)
    _check_can_propose(actor, entry)
    reason = _reason(reason)
    proposal = ChangeRequest.objects.create(
        org=entry.org,
        entry=entry,
        action=Action.CLOSE,
        data={},
        reason=reason,
        status=RequestStatus.SUBMITTED,
        proposed_by=_user(actor),
    )
    audit.record(
        actor=actor,
        verb="sites.request_submit",
        target=proposal,
        org=entry.org,
        data={"action": Action.CLOSE, "entry": entry.pk, "reason": reason},
    )
    return proposal


# --- decisions ------------------------------------------------------------------------------


def _not_own(actor, proposal: ChangeRequest) -> None:
    """Whoever proposed a request does not decide it (a superuser holding both roles too)."""
    user = _user(actor)
    if user is not None and proposal.proposed_by_id == user.pk:
        raise ApplicationError(_("不能审核本人提交的申请。"), code="own_request")


def request_approve(*, actor, request: ChangeRequest, note: str = "") -> ChangeRequest:
    """Approve a request and apply it in the same transaction: opening creates the entry,
    changing writes the proposed fields, closing takes the entry out of the inventory."""
    note = validation.text(note, _("审核意见"), max_length=MAX_REASON, single_line=False)
    now = timezone.now()
    with CHANGE_REQUEST.transition(request, "approve", actor=actor) as move:
        proposal = move.obj
        _not_own(actor, proposal)
        if proposal.action == Action.OPEN:
            data = dict(proposal.data)
            kind = data.pop("kind")
            cleaned = validation.clean_entry_data(data, kind=kind)
            _conflicts(cleaned)
            try:
                with transaction.atomic():
                    entry = Entry.objects.create(
                        org=proposal.org,
                        kind=kind,
                        status=EntryStatus.ACTIVE,
                        opened_at=now,
                        **cleaned,
                    )
            except IntegrityError:
                raise ApplicationError(
                    _("账号 ID 或网站标识码与在册的网站或账号重复。"), code="duplicate"
                ) from None
            proposal.entry = entry
            audit.record(
                actor=actor,
                verb="sites.entry_open",
                target=entry,
                org=entry.org,
                data={"request": proposal.pk, "fields": _audit_data(cleaned)},
            )
        elif proposal.action == Action.CHANGE:
            entry = _lock_entry(proposal.entry)
            if entry.status != EntryStatus.ACTIVE:
                raise ApplicationError(_("该网站或账号已关停。"), code="entry_closed")
            merged = {**_entry_data(entry), **proposal.data}
            cleaned = validation.clean_entry_data(merged, kind=entry.kind)
            _conflicts(cleaned, exclude=entry.pk)
            before = _entry_data(entry)
            for field in proposal.data:
                setattr(entry, field, cleaned[field])
            try:
                with transaction.atomic():
                    entry.save()
            except IntegrityError:
                raise ApplicationError(
                    _("账号 ID 或网站标识码与在册的网站或账号重复。"), code="duplicate"
                ) from None
            audit.record(
                actor=actor,
                verb="sites.entry_change",
                target=entry,
                org=entry.org,
                data={
                    "request": proposal.pk,
                    "before": _audit_data({k: before[k] for k in proposal.data}),
                    "after": _audit_data({k: cleaned[k] for k in proposal.data}),
                },
            )
        else:
            with ENTRY.transition(
                proposal.entry, "close", actor=actor, data={"request": proposal.pk}
            ) as close:
                close.obj.closed_at = now
                close.update_fields = ["closed_at"]
        proposal.decided_by = _user(actor)
        proposal.decided_at = now
        proposal.decision_note = note
        move.update_fields = ["entry", "decided_by", "decided_at", "decision_note"]
        move.data.update({"action": proposal.action, "note": note})
    return move.obj


def request_return(*, actor, request: ChangeRequest, reason: str) -> ChangeRequest:
    """Return a request with the reason (required); nothing of it is applied."""
    reason = _reason(reason, _("退回理由"))
    with CHANGE_REQUEST.transition(request, "return", actor=actor) as move:
        _not_own(actor, move.obj)
        move.obj.decided_by = _user(actor)
        move.obj.decided_at = timezone.now()
        move.obj.decision_note = reason
        move.update_fields = ["decided_by", "decided_at", "decision_note"]
        move.data["reason"] = reason
    return move.obj


def request_withdraw(*, actor, request: ChangeRequest) -> ChangeRequest:
    """The proposing organisation takes back a request still waiting for a decision."""
    return CHANGE_REQUEST.run(request, "withdraw", actor=actor)


# --- freshness ------------------------------------------------------------------------------


def _may_record(actor, entry: Entry) -> None:
    if not (
        permissions.can(actor, "manage_sites", entry.org)
        or permissions.can(actor, "approve_sites", entry.org)
    ):
        raise PermissionDeniedError()


@transaction.atomic
def entry_record_update(
    *,
    actor,
    entry: Entry,
    updated_on: dt.date | None = None,
    unanswered_messages: int | None = None,
    feed_url: str | None = None,
    today: dt.date | None = None,
) -> Entry:
    """Record what staff saw on an external account: the date of its latest post, the count
    of messages left unanswered, and optionally the feed that `sites-refresh` reads."""
    entry = _lock_entry(entry)
    _may_record(actor, entry)
    if entry.status != EntryStatus.ACTIVE:
        raise ApplicationError(_("该网站或账号已关停。"), code="entry_closed")
    today = today or timezone.localdate()
    changes: dict = {}
    fields: list[str] = []
    if updated_on is not None:
        if entry.served_by_gongkai:
            raise ApplicationError(
                _("由本平台承载的网站，更新时间按发布记录自动计算，无需填报。"),
                code="computed_update",
            )
        if not isinstance(updated_on, dt.date) or isinstance(updated_on, dt.datetime):
            raise ApplicationError(_("请填写最近更新日期。"), code="date_required")
        if updated_on > today:
            raise ApplicationError(_("最近更新日期不能晚于今天。"), code="in_future")
        if updated_on.year < 2000:
            raise ApplicationError(_("最近更新日期不能早于 2000 年。"), code="too_old")
        moment = timezone.make_aware(dt.datetime.combine(updated_on, dt.time(12)))
        entry.last_updated_at = moment
        entry.last_update_source = UpdateSource.ENTERED
        changes["updated_on"] = updated_on
        fields += ["last_updated_at", "last_update_source"]
    if unanswered_messages is not None:
        if (
            not isinstance(unanswered_messages, int)
            or isinstance(unanswered_messages, bool)
            or not 0 <= unanswered_messages <= MAX_MESSAGES
        ):
            raise ApplicationError(_("未回复留言数应为非负整数。"), code="invalid_count")
        entry.unanswered_messages = unanswered_messages
        entry.messages_recorded_at = timezone.now()
        changes["unanswered_messages"] = unanswered_messages
        fields += ["unanswered_messages", "messages_recorded_at"]
    if feed_url is not None:
        cleaned = validation.url(feed_url, _("订阅源地址"))
        if cleaned != entry.feed_url:
            entry.feed_url = cleaned
            entry.feed_problem = ""
            entry.feed_checked_at = None
            changes["feed_url"] = cleaned
            fields += ["feed_url", "feed_problem", "feed_checked_at"]
    if not changes:
        raise ApplicationError(_("请至少填写一项。"), code="nothing_to_record")
    entry.save(update_fields=[*fields, "updated_at"])
    audit.record(actor=actor, verb="sites.entry_record", target=entry, org=entry.org, data=changes)
    return entry


@transaction.atomic
def entry_record_feed(
    *, actor, entry: Entry, newest: dt.datetime | None, problem: str = ""
) -> Entry:
    """Store what reading the entry's feed found (the `sites-refresh` job): the newest item's
    time when it moves the last update forward, else only when it was checked and how."""
    entry = _lock_entry(entry)
    now = timezone.now()
    data: dict = {"problem": problem}
    entry.feed_checked_at = now
    entry.feed_problem = problem[:200]
    fields = ["feed_checked_at", "feed_problem"]
    if newest is not None:
        newest = min(newest, now)
        data["newest"] = newest
        if entry.last_updated_at is None or newest > entry.last_updated_at:
            entry.last_updated_at = newest
            entry.last_update_source = UpdateSource.FEED
            fields += ["last_updated_at", "last_update_source"]
    entry.save(update_fields=[*fields, "updated_at"])
    audit.record(actor=actor, verb="sites.entry_feed", target=entry, org=entry.org, data=data)
    return entry


__all__ = [
    "Kind",
    "entry_record_feed",
    "entry_record_update",
    "request_approve",
    "request_change",
    "request_close",
    "request_open",
    "request_return",
    "request_withdraw",
]


def feeds_refresh(
    *, actor, timeout: float = 10.0, workers: int = 4, entries=None
) -> list[tuple[Entry, object]]:
    """Read the feed of every active external entry that has one (the `sites-refresh` job)
    and record what was found; an unreachable feed is recorded as unknown, never an error.

    Feeds are fetched concurrently (at most `workers`, each within `timeout` seconds) with no
    database work in the threads; the results are then written one entry at a time."""
    from . import feedreader as feeds

    if not 0.1 <= timeout <= 120:
        raise ApplicationError(_("超时时间应在 0.1 至 120 秒之间。"), code="invalid_timeout")
    if not 1 <= workers <= 32:
        raise ApplicationError(_("并发数应在 1 至 32 之间。"), code="invalid_workers")
    if entries is None:
        entries = Entry.objects.filter(status=EntryStatus.ACTIVE, served_by_gongkai=False)
    todo = [e for e in entries.exclude(feed_url="").select_related("org").order_by("pk")]
    results = feeds.read_many([e.feed_url for e in todo], timeout=timeout, workers=workers)
    out = []
    for entry in todo:
        result = results[entry.feed_url]
        entry = entry_record_feed(
            actor=actor, entry=entry, newest=result.newest, problem=result.problem
        )
        out.append((entry, result))
    return out

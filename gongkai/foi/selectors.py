"""Reads of the foi app, always cut to what the user may see (requests hold personal data)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet
from django.utils.translation import gettext as _

from gongkai.core import workdays
from gongkai.core.exceptions import ApplicationError, NotFoundError
from gongkai.orgs import permissions
from gongkai.orgs.models import Membership

from .models import Letter, Request
from .workflow import OPEN, PAUSED, Status


def _in_reach(qs: QuerySet[Request], user, action: str) -> QuerySet[Request]:
    ids = permissions.org_ids_for(user, action)
    return qs if ids is None else qs.filter(org_id__in=ids)


def requests_for_user(*, user) -> QuerySet[Request]:
    return _in_reach(Request.objects.select_related("org", "handler"), user, "view_requests")


def request_get_for_user(*, user, number: str) -> Request:
    try:
        return requests_for_user(user=user).get(number=str(number))
    except Request.DoesNotExist:
        raise NotFoundError() from None


def request_get_public(*, number: str) -> Request | None:
    """For the tracking page: the request or None; the caller checks the password."""
    return (
        Request.objects.select_related("org")
        .filter(number=str(number)[:32].strip().upper())
        .first()
    )


def letters_for_applicant(request: Request) -> QuerySet[Letter]:
    return request.letters.filter(to_applicant=True).order_by("date", "id")


@dataclass(frozen=True)
class QueueRow:
    request: Request
    days_left: int | None  # working days from today to the due date; negative when overdue
    paused: bool
    overdue: bool = False  # today is after the due date (a Friday deadline on Saturday too)

    @property
    def days_overdue(self) -> int:
        return -self.days_left if self.days_left is not None and self.days_left < 0 else 0

    @property
    def level(self) -> str:
        """ "overdue", "due_soon" (5 working days or fewer), "paused" or "ok": the row's colour."""
        if self.paused:
            return "paused"
        if self.days_left is None:
            return "ok"
        if self.overdue or self.days_left < 0:
            return "overdue"
        return "due_soon" if self.days_left <= 5 else "ok"


def _rows(requests: list[Request], today: dt.date) -> list[QueueRow]:
    """Days left for each request. One calendar per organisation, its years loaded once, so the
    query count does not grow with the number of rows."""
    calendars: dict[int, workdays.Calendar] = {}
    rows = []
    for r in requests:
        cal = calendars.setdefault(r.org_id, workdays.calendar(region=r.org))
        days_left = (
            cal.working_days_between(today, r.due_date).days if r.due_date is not None else None
        )
        overdue = r.due_date is not None and today > r.due_date
        rows.append(QueueRow(r, days_left, r.status in PAUSED, overdue))
    return rows


def handler_queue(*, user, today: dt.date, limit: int = 200) -> list[QueueRow]:
    """The handler's open requests, fewest days left first (paused ones after the running)."""
    qs = (
        _in_reach(Request.objects.select_related("org", "handler"), user, "handle_request")
        .filter(status__in=OPEN)
        # Same rows on every database: requests without a due date last.
        .order_by(F("due_date").asc(nulls_last=True), "id")
    )
    if not getattr(user, "is_superuser", False):
        qs = qs.filter(Q(handler=user) | Q(handler__isnull=True))
    rows = _rows(list(qs[:limit]), today)
    return sorted(rows, key=lambda r: (r.paused, r.days_left if r.days_left is not None else 10**6))


def approvals_queue(*, user, today: dt.date) -> list[QueueRow]:
    qs = _in_reach(
        Request.objects.select_related("org", "handler"), user, "approve_request"
    ).filter(status=Status.REPLY_DRAFTED)
    return _rows(list(qs.order_by("due_date", "id")[:200]), today)


def legal_queue(*, user, today: dt.date) -> list[QueueRow]:
    qs = _in_reach(
        Request.objects.select_related("org", "handler"), user, "legal_review_request"
    ).filter(status=Status.HEAD_APPROVED)
    return _rows(list(qs.order_by("due_date", "id")[:200]), today)


def overdue(*, user, today: dt.date) -> QuerySet[Request]:
    """Open, running requests past their due date, for the office head and the supervisors."""
    return (
        requests_for_user(user=user)
        .filter(status__in=OPEN - PAUSED, due_date__lt=today)
        .order_by("due_date", "id")
    )


def same_subject_count(request: Request) -> int:
    """How often the same information has been asked for (suggests conversion to proactive)."""
    return Request.objects.filter(subject_key=request.subject_key).count()


def frequently_requested(*, user, minimum: int = 3) -> QuerySet:
    """Subjects asked for at least `minimum` times in the user's reach, most asked first."""
    return (
        requests_for_user(user=user)
        .values("subject_key")
        .annotate(n=Count("id"))
        .filter(n__gte=minimum)
        .order_by("-n")
    )


def handlers_for(org) -> QuerySet:
    """The request handlers (申请办理员) of an organisation, for the assignment choice."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(memberships__org=org, memberships__role=Membership.Role.REQUEST_HANDLER)
        .distinct()
        .order_by("username")
    )


def handler_choice(*, request: Request, value: str | None, actor):
    """Who a request is assigned to: the chosen handler of its organisation, or, when none is
    chosen, the person assigning it (taking it on oneself). A choice that is not one of the
    organisation's handlers is refused, never replaced by someone else."""
    text = (value or "").strip()
    if not text:
        return actor
    found = (
        handlers_for(request.org).filter(pk=int(text)).first()
        if re.fullmatch(r"[0-9]{1,9}", text)
        else None
    )
    if found is None:
        raise ApplicationError(_("请选择本机关的申请办理员。"), code="not_a_handler")
    return found


@dataclass(frozen=True)
class HistoryItem:
    date: dt.date
    text: str


def _history_text(verb: str, data: dict) -> str | None:
    """The applicant's sentence for one step, or None for the office's internal steps (drafts,
    approvals, returns, assignments after the first, corrections of the file). Never a staff
    member's name, a comment or a third party's name."""
    if verb == "foi.request_register":
        return _("收到申请，申请编号 %(n)s。") % {"n": data.get("number", "")}
    if verb == "foi.assign":
        return _("申请已交由承办人员办理。")
    if verb == "foi.ask_clarification":
        answer_by = data.get("answer_by")
        if answer_by:
            return _("告知申请人补正申请内容，请于 %(d)s 前补正；补正期间答复期限暂停计算。") % {
                "d": answer_by
            }
        return _("告知申请人补正申请内容；补正期间答复期限暂停计算。")
    if verb == "foi.clarification_received":
        return _("收到补正后的申请，答复期限重新计算。")
    if verb == "foi.clarification_lapsed":
        return _("申请人逾期未补正，视为放弃申请，不再处理。")
    if verb == "foi.consult":
        if data.get("reason") == "other_office":
            return _("征求其他机关意见，所需时间不计入答复期限。")
        return _("征求第三方意见，所需时间不计入答复期限。")
    if verb == "foi.consultation_done":
        return _("征求意见结束，答复期限恢复计算。")
    if verb == "foi.extend":
        return _("经批准延长答复期限 %(n)s 个工作日，答复期限延至 %(d)s。") % {
            "n": data.get("days", ""),
            "d": data.get("due_date", ""),
        }
    if verb == "foi.fee_notice":
        return _("发出信息处理费收费通知（%(t)s 元）；缴费期间答复期限暂停计算。") % {
            "t": data.get("total", "")
        }
    if verb == "foi.fee_paid":
        return _("已收到信息处理费，答复期限恢复计算。")
    if verb == "foi.fee_lapsed":
        return _("申请人逾期未缴纳信息处理费，不再处理。")
    if verb == "foi.send":
        return _("作出答复（%(n)s）。") % {"n": data.get("letter", "")}
    if verb == "foi.deliver":
        return _("答复已送达。")
    if verb == "foi.withdraw":
        return _("申请人撤回申请，办理终止。")
    return None


PUBLIC_HISTORY_VERBS = (
    "foi.request_register", "foi.assign", "foi.ask_clarification", "foi.clarification_received",
    "foi.clarification_lapsed", "foi.consult", "foi.consultation_done", "foi.extend",
    "foi.fee_notice", "foi.fee_paid", "foi.fee_lapsed", "foi.send", "foi.deliver",
    "foi.withdraw",
)  # fmt: skip


def request_history_public(request: Request) -> list[HistoryItem]:
    """What has happened to the request, as the applicant may see it, oldest first (one query).

    Read from the audit trail, whitelisted by verb: a step the list does not name (the draft,
    the approvals and returns, internal corrections) never shows."""
    from django.utils import timezone

    from gongkai.core.models import AuditEvent

    events = AuditEvent.objects.filter(
        target_type=Request._meta.label_lower,
        target_id=str(request.pk),
        verb__in=PUBLIC_HISTORY_VERBS,
    ).order_by("seq")
    items: list[HistoryItem] = []
    assigned = False
    for event in events.only("verb", "time", "data"):
        data = event.data or {}
        if event.verb == "foi.assign":
            if assigned:
                continue  # a reassignment is the office's affair
            assigned = True
        text = _history_text(event.verb, data)
        if text is None:
            continue
        day = data.get("on") or data.get("received_date")
        try:
            date = dt.date.fromisoformat(day) if day else timezone.localdate(event.time)
        except (TypeError, ValueError):
            date = timezone.localdate(event.time)
        items.append(HistoryItem(date, text))
    return items

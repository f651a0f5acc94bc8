"""The handling workflow (办理): assignment, clarification, consultation, extension, fees,
the reply and its approvals, sending, delivery, archiving, withdrawal and lapses.

Each step is one `WORKFLOW.begin` … `finish` on the locked request (`core.workflow`)."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import translation
from django.utils.translation import gettext as _

from gongkai.core.exceptions import (
    ApplicationError,
)
from gongkai.core.workflow import APPLICANT
from gongkai.orgs import permissions

from .. import clock, fees
from .. import letters as rendering
from ..models import (
    Letter,
    Request,
)
from ..outcomes import LAPSE_OUTCOMES, Outcome
from ..workflow import WORKFLOW, Status
from .base import append_event, checked_day, deadline_of, finish_step
from .intake import clean_text
from .letters import date_text, issue_letter


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
    return finish_step(move)


@transaction.atomic
def request_ask_clarification(
    *, actor, request: Request, items: str, answer_days: int | None = None, on=None
) -> Request:
    """Art.30: within 7 working days of receipt, once, everything needed, with a period."""
    move = WORKFLOW.begin(request, "ask_clarification", actor=actor)
    request, data = move.obj, move.data
    on = checked_day(on)
    items = clean_text(items, 2000)
    if not items:
        raise ApplicationError(
            _("请写明需要补正的全部事项（只能告知一次）。"), code="items_required"
        )
    days = answer_days or settings.GONGKAI_FOI_CLARIFICATION_ANSWER_DAYS
    _check_period(days)
    deadline = append_event(
        request,
        clock.Event(clock.EventKind.PAUSED, on, clock.PauseReason.CLARIFICATION, days),
        actor=actor,
        note=items,
    )
    issue_letter(
        request,
        rendering.LetterKind.CLARIFICATION,
        actor=actor,
        on=on,
        extra={"clarification_items": items, "answer_by": date_text(deadline.answer_by)},
    )
    data |= {"answer_by": deadline.answer_by, "answer_days": days}
    return finish_step(move, on=on)


def _check_period(days) -> None:
    if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= 60:
        raise ApplicationError(_("期限应为1至60个工作日。"), code="invalid_days")


@transaction.atomic
def request_clarification_received(*, actor, request: Request, on=None, note="") -> Request:
    """Art.30: the reply period counts again, from zero, from receipt of the correction."""
    move = WORKFLOW.begin(request, "clarification_received", actor=actor)
    request, data = move.obj, move.data
    on = checked_day(on)
    append_event(request, clock.Event(clock.EventKind.RESTARTED, on), actor=actor, note=note)
    data["due_date"] = request.due_date
    return finish_step(move, on=on)


def _lapse(actor, request: Request, action: str, outcome: str, on) -> Request:
    move = WORKFLOW.begin(request, action, actor=actor)
    request, data = move.obj, move.data
    on = checked_day(on)
    deadline = deadline_of(request, on=on)
    if deadline.answer_by and on <= deadline.answer_by:
        raise ApplicationError(
            _("期限到 %(d)s 才届满，届满后才能按逾期处理。") % {"d": deadline.answer_by},
            code="period_running",
        )
    append_event(request, clock.Event(clock.EventKind.CLOSED, on), actor=actor)
    request.outcome, request.closed_on = outcome, on
    data["outcome"] = outcome
    return finish_step(move, on=on)


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
    on = checked_day(on)
    party = clean_text(party, 200)
    if not party:
        raise ApplicationError(_("请填写征求意见的对象。"), code="party_required")
    days = days or settings.GONGKAI_FOI_CONSULTATION_DAYS
    _check_period(days)
    reason = clock.PauseReason.THIRD_PARTY if third_party else clock.PauseReason.OTHER_OFFICE
    deadline = append_event(
        request, clock.Event(clock.EventKind.PAUSED, on, reason, days), actor=actor, note=party
    )
    if third_party:
        issue_letter(
            request,
            rendering.LetterKind.THIRD_PARTY,
            actor=actor,
            on=on,
            extra={"third_party_name": party, "answer_by": date_text(deadline.answer_by)},
            to_applicant=False,
            recipient=f"{party}：",
        )
    data |= {"party": party, "reason": reason, "answer_by": deadline.answer_by}
    return finish_step(move, on=on)


@transaction.atomic
def request_consultation_done(*, actor, request: Request, on=None, note="") -> Request:
    move = WORKFLOW.begin(request, "consultation_done", actor=actor)
    request, data = move.obj, move.data
    on = checked_day(on)
    append_event(request, clock.Event(clock.EventKind.RESUMED, on), actor=actor, note=note)
    data["due_date"] = request.due_date
    return finish_step(move, on=on)


@transaction.atomic
def request_extend(*, actor, request: Request, days: int, reason: str, on=None) -> Request:
    """Art.33: one extension of at most 20 working days, with the office head's consent; the
    applicant is told (an extension notice)."""
    move = WORKFLOW.begin(request, "extend", actor=actor)
    request, data = move.obj, move.data
    on = checked_day(on)
    reason = clean_text(reason, 1000)
    if not reason:
        raise ApplicationError(_("请填写延期理由。"), code="reason_required")
    append_event(
        request, clock.Event(clock.EventKind.EXTENDED, on, days=days), actor=actor, note=reason
    )
    issue_letter(
        request,
        rendering.LetterKind.EXTENSION,
        actor=actor,
        on=on,
        extra={
            "extension_days": days,
            "new_due_date": date_text(request.due_date),
            "reason": reason,
        },
    )
    data |= {"days": days, "reason": reason, "due_date": request.due_date}
    return finish_step(move, on=on)


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
    on = checked_day(on)
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
    deadline = append_event(
        request,
        clock.Event(clock.EventKind.PAUSED, on, clock.PauseReason.FEE, days),
        actor=actor,
    )
    request.fee_method = method
    request.fee_items = items if method == fees.FeeMethod.PER_ITEM else request.fee_items
    request.fee_pages = pages
    request.fee_total = computation.total
    request.fee_computation = computation.as_dict()
    issue_letter(
        request,
        rendering.LetterKind.FEE,
        actor=actor,
        on=on,
        extra={
            "fee_lines": computation.explain(),
            "fee_total": f"{computation.total}",
            "pay_by": date_text(deadline.answer_by),
            "payment_instructions": _("请持本通知到受理机关缴纳，或按受理机关告知的方式缴纳。"),
        },
    )
    data |= {"method": method, "total": computation.total, "pay_by": deadline.answer_by}
    return finish_step(move, on=on)


@transaction.atomic
def request_fee_paid(*, actor, request: Request, on=None) -> Request:
    move = WORKFLOW.begin(request, "fee_paid", actor=actor)
    request, data = move.obj, move.data
    on = checked_day(on)
    append_event(request, clock.Event(clock.EventKind.RESUMED, on), actor=actor)
    request.fee_paid_on = on
    data |= {"paid_on": on, "total": request.fee_total}
    return finish_step(move, on=on)


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
    request.reason = clean_text(reason, 5000)
    request.provision = clean_text(provision, 2000)
    request.transfer_org_name = clean_text(transfer_org_name, 200)
    request.transfer_org_contact = clean_text(transfer_org_contact, 200)
    if outcome not in (Outcome.DISCLOSED,) and not request.reason:
        raise ApplicationError(
            _("该办理结果须写明理由（条例第三十六条）。"), code="reason_required"
        )
    if outcome not in (Outcome.DISCLOSED, Outcome.PARTIAL) and request.disclosed_files.exists():
        raise ApplicationError(
            _("该办理结果不提供信息，请先删除已上传的公开信息文件。"), code="files_attached"
        )
    if outcome in (Outcome.DISCLOSED, Outcome.PARTIAL) and not request.provision:
        raise ApplicationError(_("请写明提供信息的方式和时间。"), code="provision_required")
    data |= {"outcome": outcome}
    return finish_step(move)


@transaction.atomic
def request_head_approve(*, actor, request: Request, comment: str = "") -> Request:
    move = WORKFLOW.begin(request, "head_approve", actor=actor)
    request, data = move.obj, move.data
    data["comment"] = clean_text(comment, 1000)
    return finish_step(move)


@transaction.atomic
def request_legal_approve(*, actor, request: Request, comment: str = "") -> Request:
    """合法性审核: the letter cannot be sent until a legal reviewer has passed it."""
    move = WORKFLOW.begin(request, "legal_approve", actor=actor)
    request, data = move.obj, move.data
    data["comment"] = clean_text(comment, 1000)
    return finish_step(move)


@transaction.atomic
def request_return(*, actor, request: Request, comment: str) -> Request:
    """The office head or the legal reviewer sends the draft back with a comment."""
    action = "return_head" if request.status == Status.REPLY_DRAFTED else "return_legal"
    move = WORKFLOW.begin(request, action, actor=actor)
    request, data = move.obj, move.data
    comment = clean_text(comment, 1000)
    if not comment:
        raise ApplicationError(_("请填写退回意见。"), code="reason_required")
    data["comment"] = comment
    return finish_step(move)


@transaction.atomic
def request_send(*, actor, request: Request, on=None) -> Letter:
    """Issue the reply letter (numbered, DOCX and PDF) and stop the clock."""
    move = WORKFLOW.begin(request, "send", actor=actor)
    request, data = move.obj, move.data
    on = checked_day(on)
    deadline = append_event(request, clock.Event(clock.EventKind.CLOSED, on), actor=actor)
    request.closed_on, request.late = on, bool(deadline.late)
    letter = issue_letter(request, rendering.LetterKind.REPLY, actor=actor, on=on)
    data |= {"letter": letter.number, "late": request.late, "outcome": request.outcome}
    finish_step(move, on=on)
    return letter


@transaction.atomic
def request_deliver(*, actor, request: Request, on=None) -> Request:
    move = WORKFLOW.begin(request, "deliver", actor=actor)
    request = move.obj
    request.delivered_on = checked_day(on)
    return finish_step(move, on=request.delivered_on)


@transaction.atomic
def request_archive(*, actor, request: Request) -> Request:
    return finish_step(WORKFLOW.begin(request, "archive", actor=actor))


@transaction.atomic
def request_withdraw(*, actor, request: Request, reason: str = "", on=None) -> Request:
    """The applicant withdraws: recorded by staff, or by the applicant on the tracking page,
    in which case `actor` is `core.workflow.APPLICANT` and the caller checked the password."""
    move = WORKFLOW.begin(request, "withdraw", actor=actor)
    request = move.obj
    on = checked_day(on)
    append_event(request, clock.Event(clock.EventKind.CLOSED, on), actor=actor)
    request.outcome, request.closed_on = Outcome.OTHER, on
    with translation.override(settings.LANGUAGE_CODE):  # part of the file
        request.reason = clean_text(reason, 1000) or _("申请人撤回申请。")
    move.data["reason"] = request.reason
    if actor is APPLICANT:
        move.data["by"] = "applicant"
    return finish_step(move, on=on)

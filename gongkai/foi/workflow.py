"""The handling workflow of a disclosure request, declared once (RULES §1 Art.29–42).

registered → assigned → (clarification | consultation | fee, each a pause of the clock;
extension) → reply drafted → approved by the office head → passed legal review (合法性审核)
→ replied → delivered → archived. Also: withdrawn by the applicant, and closed as abandoned when
a clarification or a fee lapses (annual report 其他处理 rows 1 and 2). A request not within the
office's remit is replied to naming the competent office (Art.36(5)) through the same path.

Only the kernel (`core.workflow`) moves a request between these states, through the
`request_<action>` services; every step records who did it, in which role, and an audit event.
The applicant's own withdrawal (tracking page) is the system actor `applicant`; the lapses of a
clarification or a fee may also be recorded by the scheduler (`system:scheduler`).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.core.workflow import APPLICANT, SCHEDULER, T, Workflow
from gongkai.orgs import permissions


class Status(models.TextChoices):
    REGISTERED = "registered", _("已登记")
    ASSIGNED = "assigned", _("办理中")
    AWAITING_CLARIFICATION = "awaiting_clarification", _("待申请人补正")
    CONSULTING = "consulting", _("征求意见中")
    AWAITING_FEE = "awaiting_fee", _("待缴费")
    REPLY_DRAFTED = "reply_drafted", _("答复待审核")
    HEAD_APPROVED = "head_approved", _("待合法性审核")
    LEGAL_APPROVED = "legal_approved", _("待发送答复")
    REPLIED = "replied", _("已答复")
    DELIVERED = "delivered", _("已送达")
    ARCHIVED = "archived", _("已归档")
    WITHDRAWN = "withdrawn", _("申请人已撤回")
    ABANDONED = "abandoned", _("视为放弃")


# The states in which the office still owes the applicant an answer.
OPEN = frozenset(
    {
        Status.REGISTERED,
        Status.ASSIGNED,
        Status.AWAITING_CLARIFICATION,
        Status.CONSULTING,
        Status.AWAITING_FEE,
        Status.REPLY_DRAFTED,
        Status.HEAD_APPROVED,
        Status.LEGAL_APPROVED,
    }
)
CLOSED = frozenset(Status) - OPEN
# Paused states: the clock stands still (Art.30, 33; RULES §2 for the fee, a setting).
PAUSED = frozenset({Status.AWAITING_CLARIFICATION, Status.CONSULTING, Status.AWAITING_FEE})
# Where the handler works on the substance; pauses and the extension start from here.
WORKING = frozenset({Status.ASSIGNED})

WORKFLOW = Workflow(
    name="foi",
    noun=_("申请"),
    initial=[Status.REGISTERED],
    org_of=lambda request: request.org,
    can=permissions.can,
    select_related=("org",),
    transitions=[
        T("assign", (Status.REGISTERED, Status.ASSIGNED), Status.ASSIGNED, "assign_request",
          _("分派办理人")),
        T("ask_clarification", WORKING, Status.AWAITING_CLARIFICATION, "handle_request",
          _("告知补正")),
        T("clarification_received", Status.AWAITING_CLARIFICATION, Status.ASSIGNED,
          "handle_request", _("收到补正")),
        T("clarification_lapsed", Status.AWAITING_CLARIFICATION, Status.ABANDONED,
          "handle_request", _("逾期未补正"), system=[SCHEDULER.name]),
        T("consult", WORKING, Status.CONSULTING, "handle_request", _("征求意见")),
        T("consultation_done", Status.CONSULTING, Status.ASSIGNED, "handle_request",
          _("意见已反馈")),
        T("extend", WORKING, Status.ASSIGNED, "approve_request", _("批准延期")),
        T("fee_notice", WORKING, Status.AWAITING_FEE, "handle_request", _("发出收费通知")),
        T("fee_paid", Status.AWAITING_FEE, Status.ASSIGNED, "handle_request", _("登记缴费")),
        T("fee_lapsed", Status.AWAITING_FEE, Status.ABANDONED, "handle_request",
          _("逾期未缴费"), system=[SCHEDULER.name]),
        T("draft_reply", WORKING, Status.REPLY_DRAFTED, "handle_request", _("拟写答复")),
        T("head_approve", Status.REPLY_DRAFTED, Status.HEAD_APPROVED, "approve_request",
          _("负责人审核通过")),
        T("legal_approve", Status.HEAD_APPROVED, Status.LEGAL_APPROVED, "legal_review_request",
          _("合法性审核通过")),
        T("return_head", Status.REPLY_DRAFTED, Status.ASSIGNED, "approve_request",
          _("退回修改")),
        T("return_legal", Status.HEAD_APPROVED, Status.ASSIGNED, "legal_review_request",
          _("合法性审核退回")),
        T("send", Status.LEGAL_APPROVED, Status.REPLIED, "handle_request", _("发送答复")),
        T("deliver", Status.REPLIED, Status.DELIVERED, "handle_request", _("登记送达")),
        T("archive", Status.DELIVERED, Status.ARCHIVED, "handle_request", _("归档")),
        T("withdraw", OPEN, Status.WITHDRAWN, "handle_request", _("申请人撤回"),
          system=[APPLICANT.name]),
    ],
)  # fmt: skip

"""The three state machines of public participation, declared once each (DESIGN § Conventions 3).

Consultation (意见征集): draft → open (published, taking comments in its period) → closed
(the period is over; the scheduler closes it, or staff early with a reason) → feedback
published (意见采纳情况). A draft or open consultation may be withdrawn.

Question (互动交流): submitted → accepted or not accepted (with the reason: 信访/诉讼 matters
have their own channels, abuse, duplicates); submitted or accepted → transferred to the
competent organisation, where it is submitted again; accepted → answer drafted → answered
(approved and sent) or returned; an answered question the citizen rated 不满意 may be reopened
once by the citizen (the system actor `applicant`).

Public concern (回应关切, staff only): open → closed with an evaluation of the effect; a closed
concern may be reopened when it flares up again.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.core.workflow import APPLICANT, SCHEDULER, T, Workflow
from gongkai.orgs import permissions


class ConsultationStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    OPEN = "open", _("征集中")
    CLOSED = "closed", _("已结束，待反馈")
    FEEDBACK_PUBLISHED = "feedback_published", _("已反馈")
    WITHDRAWN = "withdrawn", _("已撤回")


CONSULTATION = Workflow(
    name="participation.consultation",
    noun=_("意见征集"),
    initial=[ConsultationStatus.DRAFT],
    org_of=lambda c: c.org,
    can=permissions.can,
    select_related=("org",),
    transitions=[
        T("open", ConsultationStatus.DRAFT, ConsultationStatus.OPEN, "manage_consultation",
          _("发布征集")),
        T("close", ConsultationStatus.OPEN, ConsultationStatus.CLOSED, "manage_consultation",
          _("结束征集"), system=[SCHEDULER.name]),
        T("publish_feedback", ConsultationStatus.CLOSED, ConsultationStatus.FEEDBACK_PUBLISHED,
          "manage_consultation", _("发布采纳情况")),
        T("withdraw", (ConsultationStatus.DRAFT, ConsultationStatus.OPEN),
          ConsultationStatus.WITHDRAWN, "manage_consultation", _("撤回")),
    ],
)  # fmt: skip


class QuestionStatus(models.TextChoices):
    SUBMITTED = "submitted", _("待受理")
    ACCEPTED = "accepted", _("办理中")
    NOT_ACCEPTED = "not_accepted", _("不予受理")
    ANSWER_DRAFTED = "answer_drafted", _("答复待审核")
    ANSWERED = "answered", _("已答复")


QUESTION_OPEN = frozenset(
    {QuestionStatus.SUBMITTED, QuestionStatus.ACCEPTED, QuestionStatus.ANSWER_DRAFTED}
)

QUESTION = Workflow(
    name="participation.question",
    noun=_("留言"),
    initial=[QuestionStatus.SUBMITTED],
    org_of=lambda q: q.org,
    can=permissions.can,
    select_related=("org",),
    transitions=[
        T("accept", QuestionStatus.SUBMITTED, QuestionStatus.ACCEPTED, "answer_question",
          _("受理")),
        T("reject", QuestionStatus.SUBMITTED, QuestionStatus.NOT_ACCEPTED, "answer_question",
          _("不予受理")),
        T("transfer", (QuestionStatus.SUBMITTED, QuestionStatus.ACCEPTED),
          QuestionStatus.SUBMITTED, "route_question", _("转办")),
        T("draft_answer", QuestionStatus.ACCEPTED, QuestionStatus.ANSWER_DRAFTED,
          "answer_question", _("拟写答复")),
        T("return_answer", QuestionStatus.ANSWER_DRAFTED, QuestionStatus.ACCEPTED,
          "approve_answer", _("退回修改")),
        T("approve_answer", QuestionStatus.ANSWER_DRAFTED, QuestionStatus.ANSWERED,
          "approve_answer", _("审核并答复")),
        T("reopen", QuestionStatus.ANSWERED, QuestionStatus.ACCEPTED, None, _("重新办理"),
          system=[APPLICANT.name]),
    ],
)  # fmt: skip


class ConcernStatus(models.TextChoices):
    OPEN = "open", _("处置中")
    CLOSED = "closed", _("已办结")


CONCERN = Workflow(
    name="participation.concern",
    noun=_("舆情关切"),
    initial=[ConcernStatus.OPEN],
    org_of=lambda c: c.org,
    can=permissions.can,
    select_related=("org",),
    transitions=[
        T("close", ConcernStatus.OPEN, ConcernStatus.CLOSED, "manage_concerns", _("办结")),
        T("reopen", ConcernStatus.CLOSED, ConcernStatus.OPEN, "manage_concerns", _("重新处置")),
    ],
)  # fmt: skip

"""What the workbench offers a user: the sections they may open, and their pending work.

Each section names the permission (gongkai.orgs.permissions) its page asks for; the navigation
and the home page show only those the user holds somewhere, so no link answers 无权访问.
The counts are one query each, computed only for the sections the user may use.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongkai.core import workdays
from gongkai.orgs import permissions

# Working days ahead that count as "due soon" on the home page.
DUE_SOON_WORKING_DAYS = 5


@dataclass(frozen=True)
class Section:
    key: str
    label: object
    url_name: str
    action: str | None  # None: every signed-in user
    in_nav: bool = True
    description: object = ""


SECTIONS = [
    Section("home", _("我的工作台"), "workbench:home", None),
    Section("documents", _("政府信息"), "workbench:documents", "view_internal",
            description=_("起草、保密审查、发布和撤回")),
    Section("ledger", _("工作台账"), "workbench:ledger", "view_internal",
            description=_("主动公开按时 / 逾期情况")),
    Section("requests", _("依申请公开"), "workbench:requests", "view_requests",
            description=_("登记、办理、审批和答复")),
    Section("normative", _("规范性文件"), "workbench:normative", "manage_normative",
            description=_("登记、立改废和清理")),
    Section("interpretations", _("政策解读台账"), "workbench:interpretations", "view_ledgers",
            in_nav=False, description=_("政策文件的解读情况")),
    Section("gazette", _("政府公报"), "workbench:gazette", "edit_gazette", in_nav=False,
            description=_("编辑和发布公报")),
    Section("plans", _("工作要点督办"), "workbench:plans", "view_internal",
            description=_("任务、进展报送和通报")),
    Section("consultations", _("意见征集"), "workbench:consultations", "manage_consultation",
            description=_("征集意见和反馈采纳情况")),
    Section("catalogs", _("标准目录"), "workbench:catalogs", "manage_catalog",
            description=_("基层政务公开标准目录的导入、调整和审核")),
    Section("catalog_reviews", _("目录审核"), "workbench:catalog_reviews", "review_catalog",
            in_nav=False, description=_("审核下级机关调整的标准目录")),
    Section("coverage", _("目录覆盖情况"), "workbench:coverage", "view_ledgers",
            in_nav=False, description=_("标准目录事项的公开覆盖和超期情况")),
    Section("questions", _("互动交流"), "workbench:questions", "view_questions",
            description=_("受理、答复和公开留言")),
    Section("concerns", _("回应关切"), "workbench:concerns", "view_concerns",
            description=_("舆情关切回应台账")),
    Section("sites", _("网站和新媒体"), "workbench:sites", "view_ledgers",
            description=_("网站和政务新媒体台账、开设变更关停审核")),
    Section("report", _("年度报告"), "workbench:report", "prepare_report",
            description=_("政府信息公开工作年度报告")),
    Section("report_region", _("年报审核"), "workbench:report_region", "review_report",
            in_nav=False, description=_("审核本地区各单位的年度报告")),
    Section("statistics", _("统计与考核"), "workbench:statistics", "view_ledgers",
            description=_("各单位指标和排名")),
    Section("sitecheck", _("网站自查"), "workbench:sitecheck", "view_ledgers",
            description=_("按国家检查指标自查本网站")),
    Section("question_tokens", _("热线接口令牌"), "workbench:question_tokens",
            "manage_api_tokens", in_nav=False, description=_("热线系统推送问答的令牌")),
    Section("audit", _("操作日志"), "workbench:audit_log", "view_audit", in_nav=False,
            description=_("本单位的全部操作记录")),
    Section("jobs", _("定时任务"), "workbench:jobs", "view_jobs", in_nav=False,
            description=_("定时任务的上次运行结果和下次运行时间")),
]  # fmt: skip


def may(user, action: str | None) -> bool:
    """The user holds `action` in at least one organisation (superusers: everywhere)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if action is None:
        return True
    ids = permissions.org_ids_for(user, action)
    return ids is None or bool(ids)


def sections_for(user) -> list[Section]:
    return [s for s in SECTIONS if may(user, s.action)]


def nav_for(user) -> list[dict]:
    return [
        {"key": s.key, "label": s.label, "url": reverse(s.url_name)}
        for s in sections_for(user)
        if s.in_nav
    ]


@dataclass
class Tally:
    label: object
    n: int
    url: str
    level: str = ""  # "overdue" / "due_soon": the colour of the count


@dataclass
class Card:
    section: Section
    url: str
    counts: list[Tally] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(c.n for c in self.counts)


def _limit(today: dt.date) -> dt.date:
    return workdays.add_working_days(today, DUE_SOON_WORKING_DAYS).due_date


def home_cards(user, *, today: dt.date | None = None, now: dt.datetime | None = None):
    """Every section the user may use (home excepted), with the counts of their pending work."""
    today = today or timezone.localdate()
    now = now or timezone.now()
    limit = _limit(today)
    cards = []
    for section in sections_for(user):
        if section.key == "home":
            continue
        url = reverse(section.url_name)
        counter = COUNTERS.get(section.key)
        counts = counter(user, url=url, today=today, limit=limit, now=now) if counter else []
        cards.append(Card(section, url, [c for c in counts if c is not None]))
    return cards


# --- the counts of each section ------------------------------------------------------------


def _reach(user, action: str):
    """A filter for the organisations where `user` may `action` (everything for superusers)."""
    from django.db.models import Q

    ids = permissions.org_ids_for(user, action)
    return Q() if ids is None else Q(org_id__in=ids)


def _documents(user, *, url, today, limit, now):
    from django.db.models import Count, Q

    from gongkai.documents import selectors as docs
    from gongkai.documents.models import Document
    from gongkai.documents.workflow import Status

    unpublished = docs.documents_for_user(user=user).filter(
        status__in=[Status.DRAFT, Status.SUBMITTED, Status.REVIEWED]
    )
    proactive = Q(attribute=Document.Attribute.PROACTIVE)
    n = unpublished.aggregate(
        review=Count("pk", filter=_reach(user, "review_document") & Q(status=Status.SUBMITTED)),
        publish=Count("pk", filter=_reach(user, "publish_document") & proactive
                      & Q(status=Status.REVIEWED)),
        submitted=Count("pk", filter=_reach(user, "draft_document")
                        & Q(status__in=[Status.SUBMITTED, Status.REVIEWED])),
        due=Count("pk", filter=proactive & Q(publication_due__gte=today,
                                             publication_due__lte=limit)),
        overdue=Count("pk", filter=proactive & Q(publication_due__lt=today)),
    )  # fmt: skip
    out = []
    if may(user, "review_document"):
        out.append(Tally(_("待我审查"), n["review"], url + "#h-review"))
    if may(user, "publish_document"):
        out.append(Tally(_("审查通过待发布"), n["publish"], url + "#h-publish"))
    if may(user, "draft_document"):
        returned = docs.with_return(docs.my_drafts(user=user)).filter(returned_at__isnull=False)
        out.append(Tally(_("被退回修改"), returned.count(), url + "#h-drafts", "due_soon"))
        out.append(Tally(_("已提交待审查或发布"), n["submitted"], url + "#h-submitted"))
    out.append(Tally(_("5 个工作日内到期"), n["due"], url + "#h-due", "due_soon"))
    out.append(Tally(_("已逾期未发布"), n["overdue"], url + "#h-overdue", "overdue"))
    return out


def _requests(user, *, url, today, limit, now):
    from django.db.models import Count, Q

    from gongkai.foi.models import Request
    from gongkai.foi.workflow import OPEN, PAUSED, Status

    mine = _reach(user, "handle_request") & Q(status__in=OPEN)
    if not getattr(user, "is_superuser", False):
        mine &= Q(handler=user) | Q(handler__isnull=True)
    running = Q(status__in=OPEN - PAUSED)
    n = Request.objects.filter(_reach(user, "view_requests")).aggregate(
        mine=Count("pk", filter=mine),
        due=Count("pk", filter=mine & running & Q(due_date__gte=today, due_date__lte=limit)),
        approve=Count("pk", filter=_reach(user, "approve_request")
                      & Q(status=Status.REPLY_DRAFTED)),
        legal=Count("pk", filter=_reach(user, "legal_review_request")
                    & Q(status=Status.HEAD_APPROVED)),
        overdue=Count("pk", filter=running & Q(due_date__lt=today)),
    )  # fmt: skip
    out = []
    if may(user, "handle_request"):
        out.append(Tally(_("待我办理"), n["mine"], url))
        out.append(Tally(_("5 个工作日内到期"), n["due"], url, "due_soon"))
    if may(user, "approve_request"):
        out.append(Tally(_("答复待我审批"), n["approve"], url))
    if may(user, "legal_review_request"):
        out.append(Tally(_("待法制审核"), n["legal"], url))
    out.append(Tally(_("已逾期"), n["overdue"], url, "overdue"))
    return out


def _normative(user, *, url, today, limit, now):
    from gongkai.normative import selectors as normative

    return [
        Tally(_("有效期即将届满"), normative.expiring(user=user, today=today).count(), url,
              "due_soon")
    ]  # fmt: skip


def _plans(user, *, url, today, limit, now):
    from django.db.models import Count, Q

    from gongkai.supervision import selectors as supervision
    from gongkai.supervision.models import Task

    out = []
    if may(user, "supervise_plans"):
        out.append(Tally(_("报告待我审核"), supervision.pending_reviews(user=user).count(), url))
    mine = Task.objects.filter(pk__in=supervision.my_open_tasks(user=user).values("pk"))
    n = mine.aggregate(
        open=Count("pk"),
        due=Count("pk", filter=Q(deadline__gte=today, deadline__lte=limit)),
        overdue=Count("pk", filter=Q(deadline__lt=today)),
    )
    out.append(Tally(_("本单位未完成任务"), n["open"], url))
    out.append(Tally(_("5 个工作日内到期"), n["due"], url, "due_soon"))
    out.append(Tally(_("已逾期"), n["overdue"], url, "overdue"))
    return out


def _consultations(user, *, url, today, limit, now):
    from django.db.models import Count, Q

    from gongkai.participation.selectors import consultations
    from gongkai.participation.workflow import ConsultationStatus

    closed = Q(status=ConsultationStatus.CLOSED)
    n = consultations.for_user(user).aggregate(
        open=Count("pk", filter=Q(status=ConsultationStatus.OPEN)),
        closed=Count("pk", filter=closed),
        due=Count("pk", filter=closed & Q(feedback_due_on__gte=today,
                                          feedback_due_on__lte=limit)),
        overdue=Count("pk", filter=closed & Q(feedback_due_on__lt=today)),
    )  # fmt: skip
    return [
        Tally(_("征集中"), n["open"], url),
        Tally(_("已结束待反馈"), n["closed"], url),
        Tally(_("反馈 5 个工作日内到期"), n["due"], url, "due_soon"),
        Tally(_("反馈已逾期"), n["overdue"], url, "overdue"),
    ]


def _questions(user, *, url, today, limit, now):
    from django.db.models import Count, Q

    from gongkai.participation.selectors import questions
    from gongkai.participation.workflow import QUESTION_OPEN, QuestionStatus

    n = questions.questions_for_user(user=user).aggregate(
        submitted=Count("pk", filter=Q(status=QuestionStatus.SUBMITTED)),
        accepted=Count("pk", filter=Q(status=QuestionStatus.ACCEPTED)),
        drafted=Count("pk", filter=Q(status=QuestionStatus.ANSWER_DRAFTED)),
        publish=Count("pk", filter=Q(status=QuestionStatus.ANSWERED, publish_consent=True,
                                     published_at__isnull=True)),
        due=Count("pk", filter=Q(status__in=QUESTION_OPEN, due_on__gte=today,
                                 due_on__lte=limit)),
        overdue=Count("pk", filter=Q(status__in=QUESTION_OPEN, due_on__lt=today)),
    )  # fmt: skip
    out = []
    if may(user, "answer_question") or may(user, "route_question"):
        out.append(Tally(_("待受理"), n["submitted"], url))
    if may(user, "answer_question"):
        out.append(Tally(_("待答复"), n["accepted"], url))
    if may(user, "approve_answer"):
        out.append(Tally(_("答复待我审核"), n["drafted"], url))
    if may(user, "publish_question"):
        out.append(Tally(_("待审核公开"), n["publish"], url))
    out.append(Tally(_("5 个工作日内到期"), n["due"], url, "due_soon"))
    out.append(Tally(_("已逾期"), n["overdue"], url, "overdue"))
    return out


def _concerns(user, *, url, today, limit, now):
    from gongkai.participation.selectors import concerns
    from gongkai.participation.workflow import ConcernStatus

    rows = concerns.rows(
        concerns.ledger(user=user, filters=concerns.LedgerFilter(status=ConcernStatus.OPEN))[:500],
        now=now,
    )
    return [
        Tally(_("处置中"), len(rows), url),
        Tally(_("时限临近"), sum(r.level == "due_soon" for r in rows), url, "due_soon"),
        Tally(_("已超时"), sum(r.level == "overdue" for r in rows), url, "overdue"),
    ]


def _sites(user, *, url, today, limit, now):
    from gongkai.sites.selectors import home_counts

    n = home_counts(user=user, now=now)
    requests_url = reverse("workbench:site_requests")
    out = []
    if may(user, "approve_sites"):
        out.append(Tally(_("申请待我审核"), n["to_decide"], requests_url))
    if may(user, "manage_sites"):
        out.append(Tally(_("本单位申请待审核"), n["proposed"], requests_url))
    out.append(Tally(_("预警（空壳、僵尸）"), n["flagged"], url + "?flagged=1", "overdue"))
    return out


def _sitecheck(user, *, url, today, limit, now):
    from gongkai.sitecheck import selectors as sitecheck

    run = sitecheck.latest_run(user=user)
    n = len(run.failed_veto) if run else 0
    return [Tally(_("最近一次自查未通过的单项否决指标"), n, url, "overdue")]


def _region_reports(user, *, url, today, limit, now):
    from gongkai.reports.models import AnnualReport
    from gongkai.reports.workflow import Status

    ids = permissions.org_ids_for(user, "review_report")
    qs = AnnualReport.objects.filter(status=Status.SUBMITTED)
    qs = qs if ids is None else qs.filter(org_id__in=ids)
    return [Tally(_("年报待我审核"), qs.count(), url)]


COUNTERS = {
    "documents": _documents,
    "requests": _requests,
    "normative": _normative,
    "plans": _plans,
    "consultations": _consultations,
    "questions": _questions,
    "concerns": _concerns,
    "sites": _sites,
    "sitecheck": _sitecheck,
    "report_region": _region_reports,
}

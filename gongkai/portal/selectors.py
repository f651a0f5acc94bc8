"""What the public pages show: only public fields, never staff or personal data."""

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from gongkai.core.exceptions import NotFoundError
from gongkai.orgs.models import Org
from gongkai.orgs.selectors import guide_for
from gongkai.supervision import selectors as plans
from gongkai.supervision.models import WorkPlan
from gongkai.supervision.workflow import FINISHED, OPEN, Progress, TaskStatus


def default_remedies() -> str:
    return _(
        "公民、法人或者其他组织认为行政机关在政府信息公开工作中侵犯其合法权益的，可以向上一级行政机关"
        "或者政府信息公开工作主管部门投诉、举报，也可以依法申请行政复议或者提起行政诉讼"
        "（《中华人民共和国政府信息公开条例》第五十一条）。申请行政复议的期限为自知道该行政行为之日起"
        "%(review)s日内；提起行政诉讼的期限为自知道或者应当知道作出行政行为之日起%(months)s个月内。"
    ) % {
        "review": settings.GONGKAI_REVIEW_PERIOD_DAYS,
        "months": settings.GONGKAI_LITIGATION_PERIOD_MONTHS,
    }


def default_request_procedure() -> str:
    return _(
        "申请人应当以书面形式（包括数据电文形式）提出申请，内容包括：申请人的姓名或者名称、身份证明、"
        "联系方式；申请公开的政府信息的名称、文号或者便于查询的其他特征性描述；申请公开的政府信息的形式"
        "要求，包括获取信息的方式、途径（第二十九条）。申请内容不明确的，本机关在收到申请之日起7个工作日内"
        "一次性告知补正（第三十条）。能够当场答复的当场答复；不能当场答复的，自收到申请之日起20个工作日内"
        "答复；需要延长答复期限的，经政府信息公开工作机构负责人同意并告知申请人，延长的期限最长不超过"
        "20个工作日（第三十三条）。"
    )


def default_classification(org: Org) -> str:
    return _(
        "%(org)s主动公开的政府信息按照《中华人民共和国政府信息公开条例》第二十条、第二十一条规定的内容"
        "分类编排，包括：机构职能、政策文件、规划计划、统计信息、行政许可和行政处罚、财政预决算、"
        "政府采购、重大建设项目、民生保障、应急管理等，并按主题分类和发布日期编排。"
    ) % {"org": org.name}


def guide_context(org: Org) -> dict:
    """The guide with every blank part filled from the organisation's profile or the law."""
    guide = guide_for(org=org)
    return {
        "guide": guide,
        "classification": guide.classification or default_classification(org),
        "proactive_access": guide.proactive_access
        or _(
            "通过本平台、政府公报、政务新媒体、政府信息查阅场所等渠道查阅和下载；本平台提供检索、查阅和下载功能（第二十四条）。"
        ),
        "request_procedure": guide.request_procedure or default_request_procedure(),
        "office_name": guide.office_name or org.name,
        "office_address": guide.office_address or org.address,
        "office_hours": guide.office_hours or org.office_hours,
        "office_phone": guide.office_phone or org.phone,
        "office_fax": guide.office_fax or org.fax,
        "online_contact": guide.online_contact or org.email or org.website,
        "remedies": guide.remedies or default_remedies(),
    }


# --- work plans (工作要点落实) ------------------------------------------------------------


def public_plans_counted(*, year: int | None = None, on=None) -> QuerySet[WorkPlan]:
    """Confirmed public plans, newest first, with their task counts from one annotated query.

    The counts classify tasks as `supervision.selectors.plan_summary` does (series rows and
    tasks not yet confirmed are left out), so a list stays one query whatever its length."""
    on = on or plans.today()
    counted = Q(tasks__is_series=False, tasks__status__in=[*OPEN, *FINISHED])
    open_ = counted & Q(tasks__status__in=OPEN)
    overdue = open_ & Q(tasks__deadline__lt=on)
    on_time = open_ & (Q(tasks__deadline__isnull=True) | Q(tasks__deadline__gte=on))
    started = Q(tasks__progress__in=[Progress.IN_PROGRESS, Progress.DONE]) | Q(
        tasks__status=TaskStatus.SUBMITTED
    )
    qs = plans.public_plans()
    if year is not None:
        qs = qs.filter(year=year)
    # Meta.ordering is not applied to aggregating queries: order explicitly (newest first).
    return qs.order_by("-year", "-id").annotate(
        n_total=Count("tasks", filter=counted),
        n_done=Count("tasks", filter=counted & Q(tasks__status=TaskStatus.DONE)),
        n_carried=Count("tasks", filter=counted & Q(tasks__status=TaskStatus.CARRIED)),
        n_overdue=Count("tasks", filter=overdue),
        n_in_progress=Count("tasks", filter=on_time & started),
        n_not_started=Count(
            "tasks",
            filter=on_time
            & Q(tasks__progress=Progress.NOT_STARTED)
            & Q(tasks__status__in=[s for s in OPEN if s != TaskStatus.SUBMITTED]),
        ),
    )


def public_plan_counted_get(*, pk: int, on=None) -> WorkPlan:
    """One public plan with its counts; a draft or non-public plan is not found."""
    plan = public_plans_counted(on=on).filter(pk=pk).first()
    if plan is None:
        raise NotFoundError()
    return plan


def counted_summary(plan: WorkPlan) -> plans.Summary:
    """The `Summary` of a plan read through `public_plans_counted` (no further query)."""
    return plans.Summary(
        total=plan.n_total,
        done=plan.n_done,
        in_progress=plan.n_in_progress,
        not_started=plan.n_not_started,
        overdue=plan.n_overdue,
        carried=plan.n_carried,
    )


def public_plan_years() -> list[int]:
    return list(plans.public_plans().order_by("-year").values_list("year", flat=True).distinct())

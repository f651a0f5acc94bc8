"""What the public pages show: only public fields, never staff or personal data."""

from django.conf import settings
from django.utils.translation import gettext as _

from gongkai.orgs.models import Org
from gongkai.orgs.selectors import guide_for


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

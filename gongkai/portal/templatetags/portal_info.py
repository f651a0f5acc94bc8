"""The shell every public page shares: breadcrumbs below the home page and the footer.

Breadcrumbs are derived from the page's URL name and the objects already in its context, so
a page gets them without its template doing anything (and without a database query); a
template that knows better overrides `{% block breadcrumb %}`."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from gongkai.orgs.selectors import org_for_requests

register = template.Library()

# Pages that draw their own breadcrumb inside their content (or are the home page).
OWN_TRAIL = {
    "portal:home",
    "portal:plan_detail",
    "consultations:index",
    "consultations:detail",
    "consultations:decisions",
}


def _url(name: str, *args) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _trail(view_name: str, context) -> list[tuple[str, str | None]] | None:
    """(label, link) pairs after 首页; the last is the current page (no link)."""
    request_section = (_("依申请公开"), _url("portal:disclosure"))
    normative = (_("规范性文件"), _url("normative:database"))
    reports = (_("信息公开年报"), _url("reports:all"))
    interaction = (_("互动交流"), _url("interaction:index"))
    simple = {
        "portal:search": _("信息检索"),
        "portal:org_directory": _("机构目录"),
        "portal:column_list": _("专题专栏"),
        "portal:calendar": _("期限计算"),
        "portal:gazette": _("政府公报"),
        "portal:plans": _("工作要点落实"),
        "portal:disclosure": _("政府信息公开"),
        "portal:directories": _("机构职能目录"),
        "portal:contact": _("联系我们"),
        "portal:sitemap_html": _("网站地图"),
        "normative:database": _("规范性文件"),
        "reports:all": _("信息公开年报"),
        "statistics": _("统计数据"),
        "interaction:index": _("互动交流"),
    }
    if view_name in simple:
        return [(simple[view_name], None)]
    nested = {
        "foi:apply": [request_section, (_("在线申请"), None)],
        "foi:apply_done": [request_section, (_("申请已提交"), None)],
        "foi:track": [request_section, (_("办理进度查询"), None)],
        "normative:compile": [normative, (_("制度文件汇编"), None)],
        "normative:campaigns": [normative, (_("规范性文件清理"), None)],
        "normative:campaign": [
            normative,
            (_("规范性文件清理"), _url("normative:campaigns")),
            (_("详情"), None),
        ],
        "interaction:ask": [interaction, (_("我要留言"), None)],
        "interaction:ask_done": [interaction, (_("留言已提交"), None)],
        "interaction:similar": [interaction, (_("相似问题"), None)],
        "interaction:track": [interaction, (_("留言查询"), None)],
        "interaction:detail": [interaction, (_("详情"), None)],
        "reports:report": [reports, (_("年度报告"), None)],
    }
    if view_name in nested:
        return nested[view_name]
    org = context.get("org")
    if view_name == "reports:org_reports" and org is not None:
        return [reports, (org.name, org.get_absolute_url()), (_("年度报告"), None)]
    document = context.get("document")
    if view_name == "portal:document_detail" and document is not None:
        return [
            (document.org.name, document.org.get_absolute_url()),
            (_("政府信息公开目录"), _url("portal:catalog", document.org.code)),
            (_("正文"), None),
        ]
    return None


@register.inclusion_tag("portal/_breadcrumb.html", takes_context=True)
def breadcrumbs(context, trail=None):
    """The page's trail: `trail` when given, else derived from the URL name."""
    if trail is None:
        request = context.get("request")
        match = getattr(request, "resolver_match", None)
        view_name = getattr(match, "view_name", "") or ""
        if not view_name or view_name in OWN_TRAIL or view_name.startswith("workbench:"):
            trail = None
        else:
            trail = _trail(view_name, context)
    return {"trail": trail, "home": _url("portal:home")}


@register.inclusion_tag("portal/_footer.html")
def site_footer():
    """主办单位, 网站标识码, ICP and 公安 registration numbers, and the footer links."""
    code = settings.GONGKAI_SITE_CODE
    report_url = settings.GONGKAI_SITE_ERROR_REPORT_URL
    if not report_url and code:
        # The national 政府网站找错 platform takes the site's 网站标识码.
        report_url = f"https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code={code}"
    psb = settings.GONGKAI_SITE_PSB
    psb_digits = "".join(c for c in psb if c.isdigit())
    return {
        "site_owner": settings.GONGKAI_SITE_OWNER,
        "site_code": code,
        "site_icp": settings.GONGKAI_SITE_ICP,
        "site_psb": psb,
        "psb_url": (
            f"https://beian.mps.gov.cn/#/query/webSearch?code={psb_digits}" if psb_digits else ""
        ),
        "report_url": report_url or _url("interaction:ask"),
    }


@register.filter
def request_org(org):
    """The organisation that takes requests for `org` (an internal unit's parent)."""
    return org_for_requests(org) if org is not None else None

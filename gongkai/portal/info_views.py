"""The 信息公开 structure of a government website: the column set of the region and of each
organisation, the 机构职能目录, reading-point posters, 联系我们 and the HTML site map."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from gongkai.core.exceptions import NotFoundError
from gongkai.orgs import selectors as org_selectors
from gongkai.orgs.models import Org

from . import info_exports, info_selectors
from .selectors import guide_context

PAGE_SIZE = 20


def _page(request, qs):
    # get_page: a page number that is not one, or past the end, shows a valid page.
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


def _root() -> Org:
    root = org_selectors.region_root()
    if root is None:
        raise NotFoundError()
    return root


def _column_context(org: Org, column: str) -> dict:
    """What `portal/_info_columns.html` needs: the organisation, the accepting one, the tab."""
    return {
        "org": org,
        "accepting": org_selectors.org_for_requests(org),
        "column": column,
        "is_region": org.parent_id is None,
    }


def _org_trail(org: Org, label: str) -> list[tuple[str, str | None]]:
    return [
        (_("政府信息公开"), reverse("portal:disclosure")),
        (org.name, org.get_absolute_url()),
        (label, None),
    ]


@require_safe
def disclosure_home(request):
    """政府信息公开: the region's column set and every organisation's entry to its own."""
    root = _root()
    tree = org_selectors.org_tree()
    top = next((n for n in tree if n.org.pk == root.pk), None)
    groups = []
    if top is not None:
        for kind, label in (
            (Org.Kind.DEPARTMENT, _("市政府部门")),
            (Org.Kind.DISTRICT, _("区县（市）政府")),
            (Org.Kind.PUBLIC_BODY, _("其他公共机构")),
        ):
            orgs = [n for n in top.children if n.org.kind == kind]
            if orgs:
                groups.append((label, orgs))
    return render(
        request,
        "portal/disclosure.html",
        {**_column_context(root, "home"), "groups": groups},
    )


@require_safe
def org_rules(request, code):
    """信息公开制度: the organisation's own rules for its openness work, and the national ones."""
    org = org_selectors.org_get_public(code=code)
    return render(
        request,
        "portal/column_rules.html",
        {
            **_column_context(org, "rules"),
            "page_obj": _page(request, info_selectors.openness_rules(org=org)),
            "trail": _org_trail(org, _("信息公开制度")),
        },
    )


@require_safe
def org_request(request, code):
    """依申请公开: the guide's part on requests, the form and tracking."""
    org = org_selectors.org_get_public(code=code)
    accepting = org_selectors.org_for_requests(org)
    return render(
        request,
        "portal/column_request.html",
        {
            **_column_context(org, "request"),
            **guide_context(accepting),
            "trail": _org_trail(org, _("依申请公开")),
        },
    )


@require_safe
def org_interpretations(request, code):
    """政策解读 of one organisation: each interpretation with the policies it explains."""
    org = org_selectors.org_get_public(code=code)
    return render(
        request,
        "portal/column_interpretations.html",
        {
            **_column_context(org, "interpretations"),
            "page_obj": _page(request, info_selectors.interpretations(org=org)),
            "trail": _org_trail(org, _("政策解读")),
        },
    )


@require_safe
def interpretations(request):
    """政策解读 of the whole region."""
    root = _root()
    return render(
        request,
        "portal/column_interpretations.html",
        {
            **_column_context(root, "interpretations"),
            "page_obj": _page(request, info_selectors.interpretations()),
            "trail": [(_("政府信息公开"), reverse("portal:disclosure")), (_("政策解读"), None)],
            "region_wide": True,
        },
    )


@require_safe
def org_notices(request, code):
    """通知公告 of one organisation (and its sub-units)."""
    org = org_selectors.org_get_public(code=code)
    return render(
        request,
        "portal/column_notices.html",
        {
            **_column_context(org, "notices"),
            "page_obj": _page(request, info_selectors.notices(org=org)),
            "trail": _org_trail(org, _("通知公告")),
        },
    )


# --- 机构职能目录 ------------------------------------------------------------------------------


@require_safe
def directory_index(request):
    """The function directories: one per government, by level."""
    return render(
        request,
        "portal/directory_index.html",
        {"levels": org_selectors.orgs_by_level(org_selectors.directory_governments())},
    )


@require_safe
def directory(request, code):
    directory = org_selectors.function_directory(code=code)
    return render(
        request,
        "portal/directory.html",
        {
            "directory": directory,
            "title": info_exports.directory_title(directory),
            "entries": [(e, info_exports.entry_rows(e.org)) for e in directory.entries],
            "trail": [
                (_("机构职能目录"), reverse("portal:directories")),
                (directory.government.name, None),
            ],
        },
    )


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@require_safe
def directory_docx(request, code):
    directory = org_selectors.function_directory(code=code)
    return _download(
        info_exports.directory_docx(directory),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        f"{info_exports.directory_title(directory)}.docx",
    )


@require_safe
def directory_pdf(request, code):
    directory = org_selectors.function_directory(code=code)
    return _download(
        info_exports.directory_pdf(directory),
        "application/pdf",
        f"{info_exports.directory_title(directory)}.pdf",
    )


# --- 查阅点 posters ---------------------------------------------------------------------------


def _poster_context(request, code) -> dict:
    org = org_selectors.org_get_public(code=code)
    accepting = org_selectors.org_for_requests(org)
    guide_url = request.build_absolute_uri(reverse("portal:org_guide", args=[org.code]))
    apply_url = request.build_absolute_uri(reverse("foi:apply") + f"?org={accepting.code}")
    guide = guide_context(accepting)
    return {
        "site_name": settings.GONGKAI_SITE_NAME,  # the PDF is rendered without the request
        "org": org,
        "accepting": accepting,
        "guide_url": guide_url,
        "apply_url": apply_url,
        "guide_qr": info_exports.qr_svg(guide_url, title=_("政府信息公开指南二维码")),
        "apply_qr": info_exports.qr_svg(apply_url, title=_("在线申请二维码")),
        "office_name": guide["office_name"],
        "office_address": guide["office_address"],
        "office_hours": guide["office_hours"],
        "office_phone": guide["office_phone"],
    }


@require_safe
def poster(request, code):
    """A printable A4 poster for a reading point (查阅点): QR codes to the guide and the form."""
    return render(request, "portal/poster.html", _poster_context(request, code))


@require_safe
def poster_pdf(request, code):
    context = _poster_context(request, code)
    return _download(
        info_exports.poster_pdf(context),
        "application/pdf",
        _("%(name)s政府信息查阅点海报.pdf") % {"name": context["org"].name},
    )


# --- footer pages -----------------------------------------------------------------------------


@require_safe
def contact(request):
    """联系我们: who runs the site and the region's disclosure office."""
    root = _root()
    return render(request, "portal/contact.html", {"root": root, **guide_context(root)})


@require_safe
def sitemap_page(request):
    """网站地图: every public section, and every organisation's page."""
    return render(
        request,
        "portal/sitemap.html",
        {"root": org_selectors.region_root(), "tree": org_selectors.org_tree()},
    )

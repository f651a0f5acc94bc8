from django.http import FileResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from gongkai.core import workdays
from gongkai.core.exceptions import ApplicationError
from gongkai.documents import selectors as document_selectors
from gongkai.orgs import selectors as org_selectors
from gongkai.orgs.models import Org

from .context_processors import TEXT_SIZE_COOKIE
from .selectors import guide_context


@require_GET
def home(request):
    tree = org_selectors.org_tree()
    root = tree[0] if tree else None
    return render(
        request,
        "portal/home.html",
        {
            "root": root,
            "departments": [
                n for n in (root.children if root else []) if n.org.kind == Org.Kind.DEPARTMENT
            ],
            "districts": [
                n for n in (root.children if root else []) if n.org.kind == Org.Kind.DISTRICT
            ],
        },
    )


@require_GET
def org_directory(request):
    return render(request, "portal/org_directory.html", {"tree": org_selectors.org_tree()})


@require_GET
def org_detail(request, code):
    org = org_selectors.org_get_public(code=code)
    return render(
        request,
        "portal/org_detail.html",
        {
            "org": org,
            "children": org_selectors.org_sub_units(org=org),
        },
    )


@require_GET
def org_guide(request, code):
    org = org_selectors.org_get_public(code=code)
    return render(request, "portal/org_guide.html", {"org": org, **guide_context(org)})


@require_GET
def document_detail(request, index_number):
    document = document_selectors.document_get_public(index_number=index_number)
    return render(
        request,
        "portal/document_detail.html",
        {
            "document": document,
            "attachments": document.attachments.all(),
        },
    )


@require_GET
def attachment_download(request, pk):
    attachment = document_selectors.attachment_get_public(pk=pk)
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )


@require_GET
def calendar(request):
    """Anyone can compute a statutory deadline and see how it was reached."""
    context = {"start": request.GET.get("start", ""), "days": request.GET.get("days", "20")}
    status = 200
    if "start" in request.GET:
        try:
            context["result"] = workdays.add_working_days(
                workdays.parse_date(context["start"]), workdays.parse_days(context["days"])
            )
        except ApplicationError as exc:
            context["error"], status = exc.message, 400
    return render(request, "portal/calendar.html", context, status=status)


@require_POST
def text_size(request):
    """Switch large text on or off; a cookie keeps the choice (works without JavaScript)."""
    size = "large" if request.POST.get("size") == "large" else "normal"
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        target, {request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    response.set_cookie(
        TEXT_SIZE_COOKIE, size, max_age=365 * 24 * 3600, samesite="Lax", httponly=True
    )
    return response


def error_page(request, status, message):
    return render(
        request, "portal/error.html", {"status": status, "message": message}, status=status
    )


def bad_request(request, exception=None):
    return error_page(request, 400, _("请求有误。"))


def permission_denied(request, exception=None):
    return error_page(request, 403, _("您没有访问此页面的权限。"))


def page_not_found(request, exception=None):
    return error_page(request, 404, _("找不到该页面。"))


def server_error(request):
    return error_page(request, 500, _("服务器出错，请稍后再试。"))

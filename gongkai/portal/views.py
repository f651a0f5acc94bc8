from django.http import FileResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from gongkai.core import workdays
from gongkai.core.exceptions import ApplicationError, NotFoundError
from gongkai.documents import selectors as document_selectors
from gongkai.orgs import selectors as org_selectors
from gongkai.orgs.models import Org
from gongkai.participation.selectors import consultations as consultation_selectors
from gongkai.participation.selectors import questions as question_selectors
from gongkai.search.forms import DocumentFilterForm
from gongkai.search.selectors import (
    find_documents,
    has_terms,
    resolve_filters,
    search_documents,
    search_facets,
)
from gongkai.supervision import selectors as plan_selectors

from .context_processors import TEXT_SIZE_COOKIE
from .selectors import (
    counted_summary,
    guide_context,
    public_plan_counted_get,
    public_plan_years,
    public_plans_counted,
)


@require_safe
def home(request):
    tree = org_selectors.org_tree()
    root = tree[0] if tree else None
    return render(
        request,
        "portal/home.html",
        {
            "root": root,
            "latest": document_selectors.published_documents()[:10],
            "columns": document_selectors.columns_public(),
            "departments": [
                n for n in (root.children if root else []) if n.org.kind == Org.Kind.DEPARTMENT
            ],
            "districts": [
                n for n in (root.children if root else []) if n.org.kind == Org.Kind.DISTRICT
            ],
        },
    )


@require_safe
def org_directory(request):
    return render(request, "portal/org_directory.html", {"tree": org_selectors.org_tree()})


@require_safe
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


@require_safe
def org_guide(request, code):
    org = org_selectors.org_get_public(code=code)
    return render(request, "portal/org_guide.html", {"org": org, **guide_context(org)})


@require_safe
def document_detail(request, index_number):
    from gongkai.normative.selectors import register_for_document

    document = document_selectors.document_get_public(index_number=index_number)
    interpretation = getattr(document, "interpretation", None)
    return render(
        request,
        "portal/document_detail.html",
        {
            "document": document,
            "attachments": document.attachments.all(),
            "related": document_selectors.related_documents(document=document),
            "columns": document.columns.filter(is_active=True),
            "register": register_for_document(document),
            "interpretations": document_selectors.interpretations_public(document),
            "interpretation": interpretation,
            "policies": document_selectors.policies_public(document) if interpretation else [],
            "interpretation_labels": document_selectors.INTERPRETATION_LABELS,
            "gazette_issues": document_selectors.gazette_for_document(document),
            "consultations": consultation_selectors.for_document(document),
        },
    )


@require_safe
def document_pdf(request, index_number):
    """The document as a generated PDF (header block and text, Chinese fonts embedded)."""
    from django.http import HttpResponse
    from django.utils.http import content_disposition_header

    from gongkai.documents import booklet

    document = document_selectors.document_get_public(index_number=index_number)
    response = HttpResponse(booklet.document_pdf(document), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        False, f"{document.title[:80]}.pdf"
    )
    return response


@require_safe
def gazette_archive(request):
    """政府公报: issues by year, and a search of their contents."""
    year = request.GET.get("year")
    if year and not (year.isdigit() and 1949 <= int(year) <= 2100):
        raise ApplicationError(_("年份应为四位数字。"), code="invalid_year")
    q = (request.GET.get("q") or "").strip()[:200]
    context = {"years": document_selectors.gazette_years(), "year": int(year) if year else None}
    if has_terms(q):
        context |= {
            "q": q,
            "results": search_documents(
                q, filters=resolve_filters(kinds=("gazette",)), page=1, page_size=50
            ),
        }
    context["issues"] = document_selectors.gazette_issues_public(year=context["year"])[:200]
    return render(request, "portal/gazette.html", context)


@require_safe
def gazette_issue(request, code, year, number):
    issue = document_selectors.gazette_issue_get_public(code=code, year=year, number=number)
    entries = document_selectors.gazette_entries(issue)
    return render(request, "portal/gazette_issue.html", {"issue": issue, "entries": entries})


@require_safe
def gazette_pdf(request, code, year, number):
    issue = document_selectors.gazette_issue_get_public(code=code, year=year, number=number)
    if not issue.pdf:
        raise NotFoundError()
    return FileResponse(
        issue.pdf.open("rb"),
        as_attachment=True,
        filename=f"{issue.org.name}公报{issue.year}年第{issue.number}期.pdf",
        content_type="application/pdf",
    )


@require_safe
def attachment_download(request, pk):
    attachment = document_selectors.attachment_get_public(pk=pk)
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )


@require_safe
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


# No CSRF token, so that the public pages carrying this form can be cached (portal.cache); a
# forged request only changes the text size.
@csrf_exempt
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


def _paginate(request, qs, per_page=20):
    """A page of `qs`; a page past the end shows the last one (no 404 for a stale link)."""
    from django.core.paginator import Paginator

    paginator = Paginator(qs, per_page)
    return paginator.get_page(request.GET.get("page"))


def _filter_form(request):
    form = DocumentFilterForm(request.GET)
    if not form.is_valid():
        raise ApplicationError(
            _("查询条件有误：%(e)s") % {"e": form.error_text()}, code="invalid_filters"
        )
    return form


def _current_only(filters: dict) -> dict:
    """A filter for documents in force leaves out those whose dates ended that today, even
    before the daily command updates the index (normative.selectors.lapsed_not_applied)."""
    from gongkai.normative.selectors import lapsed_not_applied

    if filters.get("validity") in ("current", "valid", "amended"):
        return filters | {"exclude_ids": lapsed_not_applied()}
    return filters


@require_safe
def search(request):
    """检索: full-text search with facets, or (without a query) the filtered list of everything.

    Bad filters and queries without words are answered on the same page, with the form."""
    form = DocumentFilterForm(request.GET)
    raw_q = (request.GET.get("q") or "").strip()[:200]
    context = {"form": form, "q": raw_q, "sort": "relevance"}
    if not form.is_valid():
        context["error"] = _("查询条件有误：%(e)s") % {"e": form.error_text()}
        return render(request, "portal/search.html", context, status=400)
    data = form.cleaned_data
    q = (data.get("q") or "").strip()
    if q and not has_terms(q):
        # Only symbols or emoji: nothing to look for; say so rather than list everything.
        context["error"] = _("请输入检索词：文字或数字，例如“教育 补贴”。")
        return render(request, "portal/search.html", context)
    filters = _current_only(form.selector_filters())
    context["sort"] = data.get("sort") or "relevance"
    found = find_documents(q, filters, page=data.get("page") or 1, sort=context["sort"])
    if found.searched:
        context |= {
            "results": found.results,
            "facets": search_facets(q, filters=found.results.query.filters),
            # The region's answered questions (一号答) for the same words, beside the documents.
            # From the same full-text index, as entries of their own kind (a facet).
            "answers": (answers := question_selectors.published_questions(q=q))[:3],
            "answers_count": answers.count(),
        }
    else:
        context["page_obj"] = found.page_obj
    context["query_string"] = _query_without(request, "page")
    context["sort_base"] = _query_without(request, "page", "sort")
    context["facet_base"] = {
        k: _query_without(request, k, "page") for k in ("org", "category", "type", "year")
    }
    return render(request, "portal/search.html", context)


def _query_without(request, *names) -> str:
    params = request.GET.copy()
    for name in names:
        params.pop(name, None)
    return params.urlencode()


@require_safe
def catalog(request, code):
    """政府信息公开目录 of one organisation: the category tree, then the chosen category's list."""
    org = org_selectors.org_get_public(code=code)
    form = _filter_form(request)
    category = form.cleaned_data.get("category") or None
    documents = document_selectors.published_documents(org_code=org.code, category=category)
    return render(
        request,
        "portal/catalog.html",
        {
            "org": org,
            "tree": document_selectors.catalog(org=org),
            "uncategorised": document_selectors.uncategorised_count(org=org),
            "category": category,
            "page_obj": _paginate(request, documents),
            "query_string": _query_without(request, "page"),
        },
    )


@require_safe
def column_list(request):
    return render(
        request, "portal/column_list.html", {"columns": document_selectors.columns_public()}
    )


@require_safe
def column_detail(request, slug):
    column = document_selectors.column_get_public(slug=slug)
    documents = document_selectors.published_documents(column=column.slug)
    return render(
        request,
        "portal/column_detail.html",
        {"column": column, "page_obj": _paginate(request, documents)},
    )


@require_safe
def document_print(request, index_number):
    """A printable page with a QR code of the document's address, for public reading points."""
    document = document_selectors.document_get_public(index_number=index_number)
    url = request.build_absolute_uri(document.get_absolute_url())
    return render(
        request,
        "portal/document_print.html",
        {
            "document": document,
            "attachments": document.attachments.all(),
            "url": url,
            "qr_svg": qr_svg(url),
        },
    )


def qr_svg(url: str) -> str:
    import segno
    from django.utils.safestring import mark_safe

    # segno writes the SVG itself from a URL it escapes; no user markup reaches it unescaped.
    svg = segno.make(url, error="m").svg_inline(scale=4, title=_("本页二维码"))
    return mark_safe(svg)  # noqa: S308


@require_safe
def plan_list(request):
    """工作要点落实: confirmed public work plans with their completion rate and overdue count."""
    year = request.GET.get("year")
    if year and not (year.isdigit() and 1949 <= int(year) <= 2100):
        raise ApplicationError(_("年份应为四位数字。"), code="invalid_year")
    year = int(year) if year else None
    page_obj = _paginate(request, public_plans_counted(year=year))
    return render(
        request,
        "portal/plan_list.html",
        {
            "page_obj": page_obj,
            "rows": [(plan, counted_summary(plan)) for plan in page_obj],
            "years": public_plan_years(),
            "year": year,
            "query_string": _query_without(request, "page"),
        },
    )


@require_safe
def plan_detail(request, pk):
    """One plan's tasks, units, deadlines and status; no report, author or evidence is shown."""
    on = plan_selectors.today()
    # The summary comes with the plan from the list's counting query: one query, and the two
    # pages cannot disagree.
    plan = public_plan_counted_get(pk=pk, on=on)
    return render(
        request,
        "portal/plan_detail.html",
        {
            "plan": plan,
            "on": on,
            "summary": counted_summary(plan),
            "rows": plan_selectors.ledger(plan=plan, on=on),
        },
    )

"""Public pages of the normative database (规范性文件库): the list, compilations, clean-ups."""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from gongkai.core.exceptions import ApplicationError, NotFoundError
from gongkai.documents.models import Category
from gongkai.orgs.models import Org
from gongkai.search.selectors import find_documents

from . import compilation, selectors
from .forms import CURRENT, CompileForm, NormativeFilterForm
from .models import NormativeDocument
from .workflow import IN_FORCE


def _issuers():
    """Organisations that have normative documents, for the filter's choices."""
    ids = NormativeDocument.objects.values("document__org_id")
    return Org.objects.filter(pk__in=ids).order_by("path").only("code", "name")


def _invalid(form) -> ApplicationError:
    return ApplicationError(
        _("查询条件有误：%(e)s") % {"e": form.error_text()}, code="invalid_filters"
    )


@require_safe
def database(request):
    """规范性文件库: currently valid documents by default; filters, search, validity badges."""
    form = NormativeFilterForm(request.GET)
    today = timezone.localdate()
    if not form.is_valid():
        # Answered on the same page: the form with its message, nothing listed.
        context = {
            "form": form,
            "q": (request.GET.get("q") or "").strip()[:200],
            "issuers": _issuers(),
            "count": 0,
            "documents": [],
            "error": _("查询条件有误：%(e)s") % {"e": form.error_text()},
            "validity": request.GET.get("validity") or CURRENT,
            "categories": Category.objects.order_by("sort_order", "name"),
            "today": today,
        }
        return render(request, "normative/database.html", context, status=400)
    filters = form.selector_filters()
    if filters.get("validity") in (CURRENT, *IN_FORCE):
        # In force by the dates today, whether or not the daily command has run.
        filters["exclude_ids"] = selectors.lapsed_not_applied(today=today)
    q = (form.cleaned_data.get("q") or "").strip()
    page = form.cleaned_data.get("page") or 1
    found = find_documents(q, filters, page=page)
    documents = found.documents
    context = {
        "form": form,
        "q": q if found.searched else "",
        "issuers": _issuers(),
        "count": found.count,
        "results": found.results,
        "page_obj": found.page_obj,
        "today": today,
    }
    selectors.with_register(documents, today=today)
    params = request.GET.copy()
    params.pop("page", None)
    context |= {
        "documents": documents,
        "query_string": params.urlencode(),
        "validity": form.cleaned_data.get("validity") or CURRENT,
        "categories": Category.objects.order_by("sort_order", "name"),
    }
    return render(request, "normative/database.html", context)


@require_safe
def compile_view(request):
    """汇编: pick an organisation, a day and subjects; download one DOCX or PDF."""
    categories = list(Category.objects.order_by("sort_order", "name").values_list("code", "name"))
    if "org" not in request.GET:
        return render(
            request,
            "normative/compile.html",
            {"form": CompileForm(categories=categories), "issuers": _issuers()},
        )
    form = CompileForm(request.GET, categories=categories)
    if not form.is_valid():
        raise _invalid(form)
    data = form.cleaned_data
    org = Org.objects.filter(code=data["org"]).first()
    if org is None:
        raise NotFoundError()
    book = compilation.build(
        org=org,
        valid_on=data["valid_on"],
        include_sub_units=data["sub_units"],
        categories=data["category"],
    )
    content = compilation.render(book, data["format"])
    response = HttpResponse(content, content_type=compilation.CONTENT_TYPES[data["format"]])
    from django.utils.http import content_disposition_header

    response["Content-Disposition"] = content_disposition_header(
        True, compilation.filename(org, data["valid_on"], data["format"])
    )
    return response


@require_safe
def campaign_list(request):
    return render(request, "normative/campaigns.html", {"campaigns": selectors.campaigns_public()})


@require_safe
def campaign_detail(request, pk):
    campaign = selectors.campaign_get_public(pk=pk)
    return render(
        request,
        "normative/campaign_detail.html",
        {"campaign": campaign, "items": selectors.campaign_items(campaign)},
    )

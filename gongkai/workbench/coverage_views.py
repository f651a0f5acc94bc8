"""Workbench pages of catalog coverage: an organisation's items with their status, the latest
information and the time limit's explanation; the region overview per organisation with counts
and coverage rate; both as XLSX. Scoped by "view_ledgers" (a district's supervisor sees its
district only); an organisation out of reach is a 404.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from gongkai.catalogs import coverage
from gongkai.core.exceptions import ApplicationError, NotFoundError, PermissionDeniedError

from . import http

ACTION = "view_ledgers"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_REGION_ORGS = 500


def _orgs(request) -> list:
    http.require_somewhere(request.user, ACTION)
    return list(coverage.orgs_in_reach(request.user)[:MAX_REGION_ORGS])


def _org(request, orgs):
    code = request.GET.get("org", "")
    if "\x00" in code or len(code) > 64:
        raise NotFoundError()
    if not code:
        if not orgs:
            raise PermissionDeniedError(_("您可查看的单位中暂无经审定的标准目录。"))
        return orgs[0]
    org = next((o for o in orgs if o.code == code), None)
    if org is None:
        raise NotFoundError()
    return org


def _status(request) -> str:
    status = request.GET.get("status", "")
    if status and status not in coverage.STATUSES:
        raise ApplicationError(_("请选择有效的状态。"), code="invalid_status")
    return status


def _xlsx(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_safe
def coverage_org(request):
    orgs = _orgs(request)
    org = _org(request, orgs)
    status = _status(request)
    cov = coverage.org_coverage(org)
    rows = [r for r in cov.items if not status or r.status == status]
    return render(
        request,
        "workbench/coverage/org.html",
        {
            "org": org,
            "orgs": orgs,
            "cov": cov,
            "rows": rows,
            "status": status,
            "statuses": [(s, coverage.STATUS_LABELS[s]) for s in coverage.STATUSES],
            "counts": [(s, coverage.STATUS_LABELS[s], cov.counts[s]) for s in coverage.STATUSES],
            "query_string": urlencode({"org": org.code}),
        },
    )


@login_required
@require_safe
def coverage_org_xlsx(request):
    orgs = _orgs(request)
    org = _org(request, orgs)
    cov = coverage.org_coverage(org)
    return _xlsx(coverage.org_xlsx(cov), f"coverage-{org.code}-{timezone.localdate():%Y%m%d}.xlsx")


def _sort(request) -> str:
    sort = request.GET.get("sort", "rate")
    if sort not in coverage.REGION_SORTS:
        raise ApplicationError(_("请选择有效的排序方式。"), code="invalid_sort")
    return sort


@login_required
@require_safe
def coverage_region(request):
    orgs = _orgs(request)
    sort = _sort(request)
    rows = coverage.region_rows(orgs, sort=sort)
    return render(
        request,
        "workbench/coverage/region.html",
        {
            "rows": rows,
            "sort": sort,
            "sorts": [
                ("rate", _("覆盖率从低到高")),
                ("-rate", _("覆盖率从高到低")),
                ("empty", _("无信息事项多的在前")),
                ("stale", _("超期事项多的在前")),
                ("name", _("按单位")),
            ],
        },
    )


@login_required
@require_safe
def coverage_region_xlsx(request):
    orgs = _orgs(request)
    rows = coverage.region_rows(orgs, sort=_sort(request))
    return _xlsx(coverage.region_xlsx(rows), f"coverage-region-{timezone.localdate():%Y%m%d}.xlsx")

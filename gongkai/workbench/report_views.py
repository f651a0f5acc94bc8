"""Workbench pages of the annual report: the office prepares and submits its report; the
government's openness office sees its region, accepts or returns, and downloads the summary."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongkai.core.exceptions import NotFoundError
from gongkai.orgs import permissions
from gongkai.orgs import selectors as org_selectors
from gongkai.reports import selectors, services, summary
from gongkai.reports.compute import COLUMNS, ROW_LABELS, ROW_ORDER, TEXT_FIGURES, annual_report
from gongkai.reports.models import AnnualReport, Figure
from gongkai.reports.workflow import WORKFLOW

from . import http


def _year(request) -> int:
    return http.year(request.GET.get("year") or request.POST.get("year")) or (
        timezone.localdate().year - 1
    )


def _page_url(org, year) -> str:
    return f"{reverse('workbench:report')}?{urlencode({'org': org.code, 'year': year})}"


def _report(request, pk) -> AnnualReport:
    report = AnnualReport.objects.select_related("org").filter(pk=pk).first()
    if report is None or not (
        permissions.can(request.user, "prepare_report", report.org)
        or permissions.can(request.user, "review_report", report.org)
    ):
        raise NotFoundError()
    return report


@login_required
def report(request):
    """年度报告: this organisation's report for a year, computed, checked, editable."""
    org = http.org_scope(request, "prepare_report")
    year = _year(request)
    current = AnnualReport.objects.filter(org=org, year=year).order_by("-version").first()
    computed = annual_report(org=org, year=year)
    rows = [(k, ROW_LABELS[k], [computed.section3[k][c] for c in COLUMNS]) for k in ROW_ORDER]
    return render(
        request,
        "workbench/report.html",
        {
            "org": org,
            "year": year,
            "report": current,
            "computed": computed,
            "rows": rows,
            "columns": COLUMNS,
            "actions": WORKFLOW.allowed_actions(current, request.user) if current else [],
            "due": selectors.due_date(org, year),
            "figure_kinds": Figure.Kind.choices,
            "orgs": org_selectors.orgs_for_user(user=request.user, action="prepare_report"),
            "reviews": permissions.org_ids_for(request.user, "review_report") != frozenset(),
            "preview": services.rendered_texts(current, computed) if current else None,
            "tokens": list(TEXT_FIGURES),
        },
    )


@login_required
@require_POST
def report_start(request):
    org = http.org_scope(request, "prepare_report") if request.GET.get("org") else None
    if org is None:
        code = request.POST.get("org", "")
        org = org_selectors.org_get_for_action(
            user=request.user, code=code, action="prepare_report"
        )
    year = _year(request)
    return http.act(
        request,
        lambda: services.report_draft(actor=request.user, org=org, year=year),
        _("已起草年度报告。"),
        _page_url(org, year),
    )


@login_required
@require_POST
def report_save(request, pk):
    current = _report(request, pk)
    p = request.POST
    return http.act(
        request,
        lambda: services.report_update(
            actor=request.user, report=current, overview=p.get("overview"),
            problems=p.get("problems"), other=p.get("other"),
        ),
        _("已保存。"),
        _page_url(current.org, current.year),
    )  # fmt: skip


@login_required
@require_POST
def report_action(request, pk):
    current = _report(request, pk)
    p, user = request.POST, request.user
    action = p.get("action", "")
    calls = {
        "submit": (lambda: services.report_submit(actor=user, report=current), _("已报送。")),
        "accept": (lambda: services.report_accept(actor=user, report=current), _("已审核通过。")),
        "return": (
            lambda: services.report_return(actor=user, report=current, comment=p.get("comment", "")),
            _("已退回。"),
        ),
        "publish": (lambda: services.report_publish(actor=user, report=current), _("已发布。")),
        "correct": (
            lambda: services.report_correct(actor=user, report=current, reason=p.get("reason", "")),
            _("已创建更正版本。"),
        ),
    }  # fmt: skip
    if action not in calls:
        raise NotFoundError()
    call, message = calls[action]
    back = p.get("back") == "region"
    to = (
        f"{reverse('workbench:report_region')}?{urlencode({'year': current.year})}"
        if back
        else _page_url(current.org, current.year)
    )
    return http.act(request, call, message, to)


@login_required
@require_POST
def report_figure(request):
    code = request.POST.get("org", "")
    org = org_selectors.org_get_for_action(user=request.user, code=code, action="prepare_report")
    year = _year(request)
    return http.act(
        request,
        lambda: services.figure_set(
            actor=request.user, org=org, year=year, kind=request.POST.get("kind", ""),
            value=request.POST.get("value", ""), source=request.POST.get("source", ""),
        ),
        _("已保存填报数据。"),
        _page_url(org, year),
    )  # fmt: skip


@login_required
def report_region(request):
    """The openness office's view of its region: who has submitted, been returned, published,
    is late; the regional summary."""
    org = http.org_scope(request, "review_report")
    year = _year(request)
    today = timezone.localdate()
    rows = selectors.region_overview(org=org, year=year, today=today)
    if request.GET.get("format") == "xlsx":
        data = summary.to_xlsx(summary.regional_summary(org=org, year=year, today=today))
        response = HttpResponse(
            data,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = content_disposition_header(
            True, f"{org.name}{year}年度报告汇总.xlsx"
        )
        return response
    totals = None
    if request.GET.get("summary") == "1":  # on demand: it computes every organisation's tables
        result = summary.regional_summary(org=org, year=year, today=today)
        totals = {
            "rows": [
                (k, ROW_LABELS[k], [result.section3[k][c] for c in COLUMNS]) for k in ROW_ORDER
            ],
            "missing": result.missing,
        }
    return render(
        request,
        "workbench/report_region.html",
        {"org": org, "year": year, "rows": rows, "columns": COLUMNS, "totals": totals},
    )


@login_required
def statistics_view(request):
    """统计与考核: the indicators of every reporting organisation of the user's region, ranked
    by the weighted score; charts with their table; XLSX."""
    from gongkai.reports import statistics
    from gongkai.reports.views import statistics_context

    org = http.org_scope(request, "view_ledgers")
    rows, context = statistics_context(
        request, orgs=selectors.region_orgs(org), ranked=True, public=False, weight_org=org
    )
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(
            statistics.to_xlsx(rows, context["start"], context["end"]),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = content_disposition_header(
            True, f"{org.name}政务公开统计.xlsx"
        )
        return response
    can_weigh = permissions.can(request.user, "review_report", org)
    return render(
        request, "workbench/statistics.html", context | {"org": org, "can_weigh": can_weigh}
    )


@login_required
@require_POST
def statistics_weights(request):
    org = org_selectors.org_get_for_action(
        user=request.user, code=request.POST.get("org", ""), action="review_report"
    )
    from gongkai.reports.statistics import INDICATORS

    values = {name: request.POST.get(name, "") for name in INDICATORS}
    to = f"{reverse('workbench:statistics')}?{urlencode({'org': org.code})}"
    return http.act(
        request,
        lambda: services.weights_set(actor=request.user, org=org, weights=values),
        _("已保存考核权重。"),
        to,
    )


@login_required
def report_figures_template(request):
    org = http.org_scope(request, "review_report")
    year = _year(request)
    response = HttpResponse(
        services.figures_template(org=org, year=year),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = content_disposition_header(
        True, f"{org.name}{year}年度报告填报表.xlsx"
    )
    return response


@login_required
@require_POST
def report_figures_import(request):
    year = _year(request)
    upload = request.FILES.get("file")
    to = f"{reverse('workbench:report_region')}?{urlencode({'year': year})}"

    def call():
        from gongkai.core.exceptions import ApplicationError

        if upload is None:
            raise ApplicationError(_("请选择要上传的文件。"), code="file_required")
        if upload.size > 10 * 1024 * 1024:  # refused before it is read
            raise ApplicationError(_("文件超过大小上限。"), code="too_large")
        return services.figures_import(
            actor=request.user, year=year, file_name=upload.name, data=upload.read()
        )

    return http.act(request, call, _("已导入填报数据。"), to)

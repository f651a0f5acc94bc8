"""Public pages of the annual reports: an organisation's years, and one report as published."""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from gongkai.orgs import selectors as org_selectors
from gongkai.orgs.models import Org

from . import selectors
from .compute import COLUMNS, ROW_LABELS, ROW_ORDER


@require_safe
def all_reports(request):
    """年报专栏: the published reports of every organisation of the region, newest year first."""
    from .models import AnnualReport
    from .workflow import Status

    reports = (
        AnnualReport.objects.filter(status=Status.PUBLISHED)
        .select_related("org")
        .order_by("-year", "org__path")
    )
    return render(request, "reports/all_reports.html", {"reports": reports})


@require_safe
def org_reports(request, code):
    org = org_selectors.org_get_public(code=code)
    reports = selectors.published_reports(org=org).order_by("-year", "-version")
    return render(request, "reports/org_reports.html", {"org": org, "reports": reports})


@require_safe
def report_detail(request, code, year):
    current, older = selectors.published_report(org_code=code, year=year)
    rows = [
        (key, ROW_LABELS[key], [current.snapshot["section3"]["rows"][key][c] for c in COLUMNS])
        for key in ROW_ORDER
    ]
    return render(
        request,
        "reports/report_detail.html",
        {
            "report": current,
            "older": older,
            "columns": COLUMNS,
            "rows": rows,
            "section2": current.snapshot["section2"],
            "section4": current.snapshot["section4"],
            "texts": current.snapshot.get("texts", {}),
        },
    )


@require_safe
def report_file(request, code, year, fmt):
    """The published report as DOCX or PDF, built from its frozen tables."""
    from django.http import Http404, HttpResponse
    from django.utils.http import content_disposition_header

    from . import exports
    from .compute import Report

    if fmt not in ("docx", "pdf"):
        raise Http404
    current, _older = selectors.published_report(org_code=code, year=year)
    snap = current.snapshot
    frozen = Report(
        org=current.org, year=current.year, section2=snap["section2"],
        section3=snap["section3"]["rows"], section4=snap["section4"], checks=[], final=True,
    )  # fmt: skip
    from types import SimpleNamespace

    texts = SimpleNamespace(
        **{"overview": "", "problems": "", "other": "", **snap.get("texts", {})}
    )
    content = (exports.to_pdf if fmt == "pdf" else exports.to_docx)(frozen, texts=texts)
    types = {
        "pdf": "application/pdf",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    }
    response = HttpResponse(content, content_type=types[fmt])
    response["Content-Disposition"] = content_disposition_header(
        True, f"{current.org.name}{current.year}年政府信息公开工作年度报告.{fmt}"
    )
    return response


def statistics_context(request, *, orgs, ranked: bool, public: bool, weight_org=None):
    """Parse the period, compute the rows and charts (shared by the public and staff pages)."""
    import datetime as dt

    from django.utils import timezone

    from gongkai.core import workdays
    from gongkai.core.exceptions import ApplicationError

    from . import statistics

    today = timezone.localdate()
    start = workdays.parse_date(request.GET["start"]) if request.GET.get("start") else None
    end = workdays.parse_date(request.GET["end"]) if request.GET.get("end") else None
    start = start or dt.date(today.year, 1, 1)
    end = end or today
    if end < start or (end - start).days > 3 * 366:
        raise ApplicationError("统计期间无效（起止日期颠倒或超过三年）。", code="invalid_period")
    rows = statistics.statistics(
        orgs=orgs, start=start, end=end, today=today, weight_org=weight_org
    )
    public_names = ["publication", "requests", "tasks", "feedback", "questions", "coverage"]
    names = public_names if public else list(statistics.INDICATORS)
    return rows, {
        "start": start,
        "end": end,
        "ranked": ranked,
        "labels": [statistics.INDICATORS[n] for n in names],
        "rows": [(row, [row.rates[n] for n in names]) for row in rows],
        "weights": statistics.weights(weight_org),
        "indicators": statistics.INDICATORS,
        "charts": [
            (n, statistics.INDICATORS[n], statistics.chart(rows, n))
            for n in names
            if any(r.rates[n] is not None for r in rows)
        ],
    }


@require_safe
def public_statistics(request):
    """政务公开统计: the public subset for the whole region (no ranking, no personal data)."""
    from .selectors import region_orgs

    root = Org.objects.filter(parent__isnull=True, is_active=True).order_by("path").first()
    _rows, context = statistics_context(
        request, orgs=region_orgs(root) if root else [], ranked=False, public=True
    )
    return render(request, "reports/statistics.html", context)

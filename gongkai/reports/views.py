"""Public pages of the annual reports: an organisation's years, and one report as published."""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from gongkai.orgs import selectors as org_selectors

from . import selectors
from .compute import COLUMNS, ROW_LABELS, ROW_ORDER


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

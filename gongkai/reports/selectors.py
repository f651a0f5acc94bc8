"""Reads of the reports app: published reports for the public, the current version for staff."""

from __future__ import annotations

from django.db.models import QuerySet

from gongkai.core.exceptions import NotFoundError
from gongkai.orgs.models import Org

from .models import AnnualReport
from .workflow import Status

PUBLIC = (Status.PUBLISHED, Status.SUPERSEDED)


def published_reports(*, org: Org) -> QuerySet[AnnualReport]:
    """Every published version of the organisation's reports, newest year and version first."""
    return AnnualReport.objects.filter(org=org, status__in=PUBLIC).select_related("document")


def published_report(*, org_code: str, year: int) -> tuple[AnnualReport, list[AnnualReport]]:
    """The current published version for the year, and the versions it corrected (404 if none)."""
    org = Org.objects.filter(code=org_code, is_active=True).first()
    if org is None:
        raise NotFoundError()
    versions = list(published_reports(org=org).filter(year=year).order_by("-version"))
    if not versions:
        raise NotFoundError()
    return versions[0], versions[1:]


# --- deadlines and the region --------------------------------------------------------------

REPORTING_KINDS = (
    Org.Kind.GOVERNMENT, Org.Kind.DEPARTMENT, Org.Kind.DISTRICT, Org.Kind.TOWNSHIP,
)  # fmt: skip
LEVELS = {
    Org.Kind.DEPARTMENT: "部门",
    Org.Kind.DISTRICT: "区县（市）政府",
    Org.Kind.TOWNSHIP: "乡镇（街道）",
    Org.Kind.GOVERNMENT: "本级政府",
}


def due_date(org: Org, year: int):
    """When the report for `year` is due (RULES §10, settings): 31 January for departments and
    townships, 31 March for governments, of the next year."""
    import datetime as dt

    from django.conf import settings

    setting = {
        Org.Kind.GOVERNMENT: settings.GONGKAI_REPORT_DUE_GOVERNMENT,
        Org.Kind.DISTRICT: settings.GONGKAI_REPORT_DUE_GOVERNMENT,
        Org.Kind.TOWNSHIP: settings.GONGKAI_REPORT_DUE_TOWNSHIP,
    }.get(org.kind, settings.GONGKAI_REPORT_DUE_DEPARTMENT)
    month, day = (int(part) for part in setting.split("-"))
    return dt.date(year + 1, month, day)


def region_orgs(org: Org) -> list[Org]:
    """The organisations that report in `org`'s region: itself and the reporting organs below."""
    return list(
        Org.objects.filter(path__startswith=org.path, is_active=True, kind__in=REPORTING_KINDS)
        .order_by("path")
        .only("pk", "code", "name", "short_name", "kind", "path")
    )


def region_overview(*, org: Org, year: int, today) -> list[dict]:
    """One row per reporting organisation of the region: its latest report version's state,
    its due date and whether it is late (not published by then)."""
    orgs = region_orgs(org)
    latest: dict[int, AnnualReport] = {}
    for report in AnnualReport.objects.filter(org__in=orgs, year=year).order_by("version"):
        latest[report.org_id] = report
    rows = []
    for item in orgs:
        report = latest.get(item.pk)
        due = due_date(item, year)
        published = report is not None and report.status in PUBLIC
        late = not published and today > due
        rows.append(
            {
                "org": item,
                "report": report,
                "status": report.get_status_display() if report else "未起草",
                "due": due,
                "late": late,
                "level": LEVELS.get(item.kind, ""),
            }
        )
    return rows

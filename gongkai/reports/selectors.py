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

"""The demo's annual reports for last year: 示范市教育局's published, 示范市民政局's submitted
and waiting for the city's openness office, the other departments' missing — so the region
page and the summary show every state, and this year's can be drafted live."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from gongkai.orgs.models import Org
from gongkai.orgs.permissions import CommandLine

from . import services
from .models import AnnualReport

PUBLISHED, SUBMITTED = "示范市教育局", "示范市民政局"


@transaction.atomic
def load() -> list[str]:
    year = timezone.localdate().year - 1
    if AnnualReport.objects.filter(year=year).exists():
        return []
    actor = CommandLine("demo")
    orgs = {o.name: o for o in Org.objects.filter(name__in=(PUBLISHED, SUBMITTED))}
    if len(orgs) < 2:
        return []
    done = services.report_draft(actor=actor, org=orgs[PUBLISHED], year=year)
    services.report_update(
        actor=actor,
        report=done,
        problems="依申请公开答复文书的规范性有待提高，将加强培训。",
        other="本年度未收取信息处理费。",
    )
    services.figure_set(actor=actor, org=orgs[PUBLISHED], year=year, kind="licensing",
                        value="126", source="政务服务平台办件统计")  # fmt: skip
    done = services.report_submit(actor=actor, report=done)
    done = services.report_accept(actor=actor, report=done)
    services.report_publish(actor=actor, report=done)
    waiting = services.report_draft(actor=actor, org=orgs[SUBMITTED], year=year)
    services.report_submit(actor=actor, report=waiting)
    return [
        f"demo annual reports {year}: 示范市教育局 published (/reports/), 示范市民政局 submitted, "
        "the other departments missing (workbench: demo-supervisor, 年度报告)"
    ]

"""The statistics dashboard (issue 15, item 9): rates from the records, ranking, charts with
their table, XLSX; the public page shows the public subset."""

import base64
import datetime as dt
import io
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from gongkai.foi.models import Request
from gongkai.foi.seed import requests_seed
from gongkai.orgs.models import Membership, Org
from gongkai.reports import statistics
from gongkai.reports.selectors import region_orgs


def test_rates_come_from_the_records(db):
    requests_seed(1500, seed=21)
    root = Org.objects.get(parent__isnull=True)
    start, end = dt.date(2000, 1, 1), dt.date.today()
    rows = statistics.statistics(orgs=region_orgs(root), start=start, end=end, today=end)
    busiest = max(rows, key=lambda r: r.closed)
    closed = Request.objects.filter(org=busiest.org, closed_on__isnull=False)
    assert busiest.closed == closed.count()
    assert busiest.closed_on_time == closed.filter(late=False).count()
    assert busiest.rates["requests"] == round(100 * busiest.closed_on_time / busiest.closed, 1)
    scored = [r.score for r in rows if r.score is not None]
    assert scored == sorted(scored, reverse=True)
    empty = [r for r in rows if not r.closed and not r.published]
    assert all(r.rates["requests"] is None for r in empty)  # nothing to count is not 0 %


@pytest.mark.django_db
def test_the_pages(client, make_staff):
    requests_seed(300, seed=2)
    public = client.get("/statistics/")
    html = public.content.decode()
    assert public.status_code == 200 and "依申请按时答复率" in html and "综合得分" not in html
    uri = html.split('src="data:image/svg+xml;base64,', 1)[1].split('"', 1)[0]
    svg = base64.b64decode(uri).decode()
    assert svg.startswith("<svg") and "<script" in svg  # inert inside an <img>
    assert "<script" not in html.replace(uri, "")  # the page itself runs no inline script
    assert (
        client.get("/statistics/", {"start": "2026-12-31", "end": "2026-01-01"}).status_code == 400
    )
    assert client.get("/statistics/", {"start": "abc"}).status_code == 400

    counts = {}
    for name in ("示范市东城区人民政府", "示范市人民政府"):
        client.force_login(make_staff(name, Membership.Role.SUPERVISOR))
        with CaptureQueriesContext(connection) as ctx:
            page = client.get("/workbench/statistics/")
        assert page.status_code == 200 and "综合得分" in page.content.decode()
        counts[name] = len(ctx)
    # A district and the whole city cost the same queries: grouped, not one per organisation.
    assert counts["示范市东城区人民政府"] == counts["示范市人民政府"]
    xlsx = client.get("/workbench/statistics/", {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    header = next(sheet.iter_rows(values_only=True))
    assert header[0] == "排名" and "复议诉讼纠错率" in header


@pytest.mark.django_db
def test_the_supervising_office_sets_the_weights(client, make_staff, org):
    from gongkai.core.exceptions import ApplicationError, PermissionDeniedError
    from gongkai.reports import services

    city = org("示范市人民政府")
    supervisor = make_staff(city.name, Membership.Role.SUPERVISOR)
    client.force_login(supervisor)
    response = client.post(
        "/workbench/statistics/weights/",
        {"org": city.code, "publication": "0", "interpretation": "0", "requests": "100",
         "correction": "0", "tasks": "0"},
    )  # fmt: skip
    assert response.status_code == 302
    assert statistics.weights(city) == {
        "publication": 0, "interpretation": 0, "requests": 100, "correction": 0, "tasks": 0,
        "feedback": 0, "questions": 0, "concerns": 0, "coverage": 0,
    }  # fmt: skip
    requests_seed(300, seed=4)
    end = dt.date.today()
    rows = statistics.statistics(orgs=region_orgs(city), start=dt.date(2000, 1, 1), end=end,
                                 today=end, weight_org=city)  # fmt: skip
    assert all(r.score == r.rates["requests"] for r in rows if r.score is not None)
    for bad in ({"requests": "101"}, {"requests": "x"}, {}):
        with pytest.raises(ApplicationError):
            services.weights_set(actor=supervisor, org=city, weights=bad)
    head = make_staff("示范市教育局", Membership.Role.OFFICE_HEAD)
    with pytest.raises(PermissionDeniedError):
        services.weights_set(actor=head, org=city, weights={"requests": "50"})


@pytest.mark.django_db
def test_participation_indicators_count_feedback_questions_and_concern_limits(org):
    """Consultations closed in the period with feedback on time, questions due and answered in
    time, and the 5 h / 24 h limits of major concerns met — one row per organisation."""
    from django.utils import timezone

    from gongkai.participation import demo_concerns, demo_consultations, demo_questions

    demo_consultations.load()
    demo_questions.load()
    demo_concerns.load()
    today = dt.date.today()
    edu, civil = org("示范市教育局"), org("示范市民政局")
    rows = {
        r.org.name: r
        for r in statistics.statistics(
            orgs=[edu, civil], start=today - dt.timedelta(days=365), end=today, today=today
        )
    }
    # 教育局: the consultation with feedback published on time; 民政局's is overdue without it.
    assert (rows[edu.name].consultations, rows[edu.name].feedback_on_time) == (1, 1)
    assert (rows[civil.name].consultations, rows[civil.name].feedback_on_time) == (1, 0)
    assert rows[civil.name].rates["feedback"] == 0.0
    # 教育局's 重大 concern: 5-hour limit met, 24-hour limit met late.
    assert (rows[edu.name].concern_limits, rows[edu.name].concern_limits_met) == (2, 1)
    # The overdue complaint counts against 教育局; answered ones count in its favour.
    assert rows[edu.name].questions > rows[edu.name].questions_on_time
    assert timezone.now()  # the figures above were read at this moment


@pytest.mark.django_db
def test_catalog_coverage_and_flagged_accounts_are_in_the_dashboard(client, make_staff, org):
    """Issue 18: the coverage rate of each organisation's approved catalogs (covered / mapped
    items, as the catalog's own coverage page counts) and its flagged websites and accounts."""
    from gongkai.catalogs import demo as catalogs_demo
    from gongkai.catalogs.coverage import COVERED, coverage_summary
    from gongkai.sites import demo as sites_demo
    from gongkai.sites.selectors import flag_counts_by_org

    catalogs_demo.load()
    sites_demo.load()
    city = org("示范市人民政府")
    orgs = region_orgs(city)
    today = dt.date.today()
    rows = {r.org.pk: r for r in statistics.statistics(orgs=orgs, start=today, end=today,
                                                        today=today)}  # fmt: skip
    summary = coverage_summary([o.pk for o in orgs])
    assert summary, "the demo approves catalogs"
    for org_id, counts in summary.items():
        row = rows[org_id]
        assert (row.catalog_mapped, row.catalog_covered) == (counts["mapped"], counts[COVERED])
        expected = round(100 * counts[COVERED] / counts["mapped"], 1) if counts["mapped"] else None
        assert row.rates["coverage"] == expected
    # The demo covers some items but not all: a rate strictly between 0 and 100 somewhere.
    assert any(r.rates["coverage"] not in (None, 0.0, 100.0) for r in rows.values())
    flagged = flag_counts_by_org([o.pk for o in orgs])
    assert (
        sum(r.accounts_flagged for r in rows.values())
        == sum(f["flagged"] for f in flagged.values())
        >= 1
    )
    civil = org("示范市民政局")
    assert rows[civil.pk].accounts_flagged == flagged[civil.pk]["flagged"] >= 1
    # Organisations without a catalog count nothing (None, not 0 %).
    assert all(rows[o.pk].rates["coverage"] is None for o in orgs if o.pk not in summary)

    client.force_login(make_staff(city.name, Membership.Role.SUPERVISOR))
    html = client.get("/workbench/statistics/").content.decode()
    assert "标准目录覆盖率" in html and "问题网站和新媒体" in html
    assert "标准目录覆盖率" in client.get("/statistics/").content.decode()
    sheet = load_workbook(
        io.BytesIO(client.get("/workbench/statistics/", {"format": "xlsx"}).content)
    ).active
    header = next(sheet.iter_rows(values_only=True))
    assert "标准目录覆盖率" in header and "问题网站和新媒体" in header


@pytest.mark.django_db
def test_the_annual_report_draft_text_counts_participation(org):
    """一、总体情况's draft names consultations, questions and concern responses by tokens that
    show the year's figures (the major concern's 5-hour release counts, its late press
    conference does not)."""
    from gongkai.participation import demo_concerns
    from gongkai.participation.models import Concern
    from gongkai.reports import compute, services

    demo_concerns.load()
    edu = org("示范市教育局")
    year = Concern.objects.filter(org=edu, severity="major").get().noticed_at.year
    report = compute.annual_report(org=edu, year=year)
    concerns = report.participation["concerns"]
    assert concerns["timed"] == 1 and concerns["info_in_time"] == 1
    assert concerns["press_in_time"] == 0
    draft = services.draft_overview(SimpleNamespace(year=year, org=edu))
    text = compute.render_text(draft, report)
    assert "［" not in text
    assert "5小时内发布权威信息1件" in text and "24小时内召开新闻发布会0件" in text

"""The annual report pages of the workbench: prepare, submit, review in the region."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gongkai.foi.seed import requests_seed
from gongkai.orgs.models import Membership
from gongkai.reports.models import AnnualReport

EDU = "示范市教育局"
CITY = "示范市人民政府"


def test_prepare_submit_and_accept_through_the_pages(client, make_staff, org):
    requests_seed(400, seed=5)
    edu = org(EDU)
    year = dt.date.today().year - 1
    head = make_staff(EDU, Membership.Role.OFFICE_HEAD)
    client.force_login(head)
    page = client.get("/workbench/reports/", {"org": edu.code, "year": year})
    assert page.status_code == 200 and 'data-testid="section3"' in page.content.decode()
    client.post("/workbench/reports/start/", {"org": edu.code, "year": year})
    report = AnnualReport.objects.get(org=edu, year=year)
    client.post(f"/workbench/reports/{report.pk}/save/", {"overview": "总体情况", "problems": "问题",
                                                          "other": ""})  # fmt: skip
    response = client.post(f"/workbench/reports/{report.pk}/action/", {"action": "submit"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == "submitted" and report.problems == "问题"
    # The office head cannot accept its own report (403 page via the service refusal).
    client.post(f"/workbench/reports/{report.pk}/action/", {"action": "accept"})
    report.refresh_from_db()
    assert report.status == "submitted"

    supervisor = make_staff(CITY, Membership.Role.SUPERVISOR)
    client.force_login(supervisor)
    region = client.get("/workbench/reports/region/", {"year": year})
    html = region.content.decode()
    assert region.status_code == 200 and EDU in html and "未起草" in html
    client.post(f"/workbench/reports/{report.pk}/action/", {"action": "accept", "back": "region"})
    report.refresh_from_db()
    assert report.status == "accepted"
    totals = client.get("/workbench/reports/region/", {"year": year, "summary": "1"})
    assert 'data-testid="summary"' in totals.content.decode()
    xlsx = client.get("/workbench/reports/region/", {"year": year, "format": "xlsx"})
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"

    # Someone of another department sees neither the report nor its page.
    other = make_staff("示范市民政局", Membership.Role.OFFICE_HEAD)
    client.force_login(other)
    assert (
        client.post(f"/workbench/reports/{report.pk}/action/", {"action": "publish"}).status_code
        == 404
    )
    assert client.get("/workbench/reports/", {"org": edu.code}).status_code in (403, 404)


@pytest.mark.django_db
def test_the_region_page_query_count_does_not_grow(client, make_staff, org):
    supervisor = make_staff(CITY, Membership.Role.SUPERVISOR)
    client.force_login(supervisor)
    with CaptureQueriesContext(connection) as few:
        client.get("/workbench/reports/region/", {"year": 2025})
    for name in ("示范市教育局", "示范市民政局", "示范市财政局"):
        found = org(name) if name != "示范市财政局" else None
        if found:
            AnnualReport.objects.create(org=found, year=2025)
    with CaptureQueriesContext(connection) as many:
        client.get("/workbench/reports/region/", {"year": 2025})
    assert len(many) == len(few)

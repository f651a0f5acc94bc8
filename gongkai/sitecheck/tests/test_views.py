"""Workbench pages of the site self-check: history with trend, run now, results, rules."""

import datetime as dt

import pytest
from django.utils import timezone

from gongkai.orgs.models import Membership, Org
from gongkai.sitecheck import selectors, services
from gongkai.sitecheck.models import ColumnRule, SiteCheckRun

pytestmark = pytest.mark.django_db

URL = "/workbench/site-check/"
CITY, DISTRICT, EDU = "示范市人民政府", "示范市东城区人民政府", "示范市教育局"


def add_run(org, *, days=0, failed=(), score=90):
    moment = timezone.now() - dt.timedelta(days=days)
    return SiteCheckRun.objects.create(
        org=org, started_at=moment, finished_at=moment, checked_as_of=moment, score=score,
        passed=not failed, failed_veto=list(failed),
        results={"indicators": [], "columns": []},
    )  # fmt: skip


def test_history_page_query_count_is_independent_of_rows(
    client, make_staff, org, django_assert_max_num_queries
):
    client.force_login(make_staff(CITY, Membership.Role.SUPERVISOR))
    for i in range(3):
        add_run(org(CITY), days=i)
    with django_assert_max_num_queries(12) as few:
        assert client.get(URL).status_code == 200
    for i in range(3, 40):
        add_run(org(EDU if i % 2 else CITY), days=i, failed=["columns_blank"] if i % 3 else [])
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(URL)
    assert response.status_code == 200


def test_trend_shows_score_change_and_newly_failing_items(client, make_staff, org):
    client.force_login(make_staff(CITY, Membership.Role.SUPERVISOR))
    add_run(org(CITY), days=7, score=95)
    add_run(org(CITY), days=0, failed=["columns_blank"], score=80)
    page = client.get(URL).content.decode()
    assert "-15.0" in page
    assert 'data-testid="newly-failing"' in page and "空白栏目" in page


def test_district_office_head_sees_only_its_regions_runs(client, make_staff, org):
    """view_ledgers reaches the head's own organisation: the city's runs are not listed, and
    the city's run page answers 404, not 403 (nothing leaks)."""
    city_run = add_run(org(CITY))
    district_run = add_run(org(DISTRICT), failed=["home_not_updated"])
    head = make_staff(DISTRICT, Membership.Role.OFFICE_HEAD)
    assert selectors.latest_run(user=head) == district_run
    client.force_login(head)
    page = client.get(URL).content.decode()
    assert f"{URL}{district_run.pk}/" in page
    assert f"{URL}{city_run.pk}/" not in page
    assert client.get(f"{URL}{city_run.pk}/").status_code == 404
    assert client.get(f"{URL}{district_run.pk}/").status_code == 200
    assert client.get(f"{URL}99999999/").status_code == 404


def test_staff_without_the_permission_get_403(client, make_staff):
    client.force_login(make_staff(EDU, Membership.Role.REQUEST_HANDLER))
    assert client.get(URL).status_code == 403
    assert client.post(URL + "run/", {"org": "x"}).status_code in (302, 303, 403)
    assert not SiteCheckRun.objects.exists()


def test_run_now_for_another_organisation_is_refused(client, make_staff, org):
    client.force_login(make_staff(DISTRICT, Membership.Role.OFFICE_HEAD))
    response = client.post(URL + "run/", {"org": org(CITY).code})
    assert response.status_code == 303
    assert not SiteCheckRun.objects.exists()


def test_run_now_stores_a_run_and_shows_it(client, make_staff, org, publish, settings):
    settings.GONGKAI_SITECHECK_WEB_MAX_PAGES = 10
    publish(title="关于做好入学工作的通知")
    head = make_staff(EDU, Membership.Role.OFFICE_HEAD)
    client.force_login(head)
    response = client.post(URL + "run/", {"org": org(EDU).code})
    run = SiteCheckRun.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{URL}{run.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "单项否决指标" in page and "站点无法访问" in page and 'data-ok="' in page


def test_column_rules_are_edited_through_the_service(client, make_staff):
    client.force_login(make_staff(CITY, Membership.Role.SUPERVISOR))
    assert client.get(URL + "columns/").status_code == 200
    rule = ColumnRule.objects.get(key="category:plans")
    bad = client.post(f"{URL}columns/{rule.pk}/", {"kind": "dynamic", "period_days": "-3"})
    assert bad.status_code == 303
    rule.refresh_from_db()
    assert rule.kind == "personnel_plan"
    ok = client.post(f"{URL}columns/{rule.pk}/", {"kind": "dynamic", "period_days": "7",
                                                  "active": "1"})  # fmt: skip
    assert ok.status_code == 302
    rule.refresh_from_db()
    assert (rule.kind, rule.period_days, rule.active) == ("dynamic", 7, True)
    assert client.post(f"{URL}columns/99999/", {"kind": "dynamic"}).status_code == 404


def test_publisher_may_not_edit_rules(client, make_staff):
    services.column_rules_sync(actor=None)
    client.force_login(make_staff(EDU, Membership.Role.PUBLISHER))
    rule = ColumnRule.objects.first()
    assert client.get(URL + "columns/").status_code == 403
    assert client.post(f"{URL}columns/{rule.pk}/", {"kind": "other"}).status_code == 403
    assert Org.objects.exists()

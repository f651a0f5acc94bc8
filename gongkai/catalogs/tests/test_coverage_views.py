"""The workbench coverage pages: per organisation and for the region, filters, sorting, XLSX
exports opened again, scoping by "view_ledgers", and query counts."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from gongkai.catalogs.models import Catalog, Item
from gongkai.catalogs.workflow import CatalogStatus
from gongkai.orgs.models import Membership, Org

from . import test_coverage_fixtures as fixtures
from .test_coverage_fixtures import DISTRICT

catalog_world = fixtures.catalog_world

Role = Membership.Role
pytestmark = pytest.mark.django_db
WEST = "示范市西城区人民政府"


@pytest.fixture
def west(catalog_world, org):
    """西城区 with an approved catalog of one unmapped item: another region's data."""
    cat = Catalog.objects.create(
        org=org(WEST), area=catalog_world["area"], status=CatalogStatus.APPROVED
    )
    Item.objects.create(catalog=cat, level1="西城事项", time_limit="每年")
    return cat


@pytest.fixture
def district_supervisor(make_staff, client):
    user = make_staff(DISTRICT, Role.SUPERVISOR)
    client.force_login(user)
    return user


def test_org_page_shows_statuses_latest_and_explanations(
    client, catalog_world, district_supervisor
):
    r = client.get(reverse("workbench:coverage_org"), {"org": catalog_world["district"].code})
    assert r.status_code == 200
    html = r.content.decode()
    assert html.count('data-testid="coverage-row"') == 5
    for status in ("covered", "stale", "empty", "unmapped"):
        assert f'data-status="{status}"' in html
    assert "2026年第一季度教育经费公示" in html
    assert "每季度：上次公开 2026-03-02，已超期" in html
    assert "已删除事项" not in html


def test_status_filter(client, catalog_world, district_supervisor):
    url = reverse("workbench:coverage_org")
    code = catalog_world["district"].code
    html = client.get(url, {"org": code, "status": "empty"}).content.decode()
    assert html.count('data-testid="coverage-row"') == 1 and "招生管理" in html
    assert client.get(url, {"org": code, "status": "bogus"}).status_code == 400


def test_region_shows_only_the_district_for_its_supervisor(
    client, catalog_world, west, district_supervisor
):
    html = client.get(reverse("workbench:coverage")).content.decode()
    assert "示范市东城区人民政府" in html and WEST not in html
    # Another district's page is not found, not forbidden.
    r = client.get(reverse("workbench:coverage_org"), {"org": west.org.code})
    assert r.status_code == 404
    r = client.get(reverse("workbench:coverage_org_xlsx"), {"org": west.org.code})
    assert r.status_code == 404


def test_city_supervisor_sees_both_and_sorts(client, catalog_world, west, make_staff):
    client.force_login(make_staff("示范市人民政府", Role.SUPERVISOR))
    url = reverse("workbench:coverage")
    html = client.get(url, {"sort": "rate"}).content.decode()
    # 西城区 has nothing mapped (no rate): last when sorting by rate.
    assert html.index("示范市东城区人民政府") < html.index(WEST)
    html = client.get(url, {"sort": "name"}).content.decode()
    assert "示范市东城区人民政府" in html and WEST in html
    assert client.get(url, {"sort": "drop table"}).status_code == 400


def test_org_xlsx(client, catalog_world, district_supervisor):
    r = client.get(reverse("workbench:coverage_org_xlsx"), {"org": catalog_world["district"].code})
    assert r.status_code == 200
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(r.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert "东城区" in rows[0][0]
    assert rows[1][:2] == ("覆盖率", "50.0%")
    assert rows[2][5] == "状态"
    body = rows[3:]
    assert len(body) == 5
    statuses = {r[2]: r[5] for r in body}
    assert statuses == {
        "政策文件": "已覆盖", "财务信息": "已超期", "招生管理": "无信息", "教育概况": "未对应",
        "学生管理": "已覆盖",
    }  # fmt: skip


def test_region_xlsx(client, catalog_world, west, make_staff):
    client.force_login(make_staff("示范市人民政府", Role.SUPERVISOR))
    r = client.get(reverse("workbench:coverage_region_xlsx"), {"sort": "name"})
    ws = load_workbook(io.BytesIO(r.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][1] == "单位"
    by_org = {row[1]: row for row in rows[1:]}
    assert by_org["示范市东城区人民政府"][2:] == (5, 4, 2, 1, 1, 1, "50.0%")
    assert by_org[WEST][2:] == (1, 0, 0, 0, 0, 1, "—")


def test_access(client, catalog_world, make_staff):
    url = reverse("workbench:coverage")
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(make_staff(DISTRICT, Role.REQUEST_HANDLER))
    assert client.get(url).status_code == 403
    assert client.get(reverse("workbench:coverage_org")).status_code == 403


def test_hostile_org_codes(client, catalog_world, district_supervisor):
    url = reverse("workbench:coverage_org")
    for code in ("nope", "中文", "x" * 500, "<script>", "\x00"):
        assert client.get(url, {"org": code}).status_code in (400, 404), code


def test_query_counts(client, catalog_world, district_supervisor, django_assert_max_num_queries):
    code = catalog_world["district"].code

    def pages():
        for name, params in (("workbench:coverage", {}), ("workbench:coverage_org", {"org": code})):
            with django_assert_max_num_queries(25):
                assert client.get(reverse(name), params).status_code == 200

    pages()
    # Forty more items and ten more organisations in reach: the same bound.
    for n in range(40):
        Item.objects.create(
            catalog=catalog_world["catalog"], level1=f"事项{n}",
            category=catalog_world["category"], time_limit="每月",
        )  # fmt: skip
    for org in Org.objects.filter(parent=catalog_world["district"], kind=Org.Kind.DEPARTMENT)[:10]:
        cat = Catalog.objects.create(
            org=org, area=catalog_world["area"], status=CatalogStatus.APPROVED
        )
        Item.objects.create(catalog=cat, level1="部门事项", category=catalog_world["category"])
    pages()

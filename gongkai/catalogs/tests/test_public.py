"""The public catalog pages: approved catalogs only, removed items hidden, nothing internal,
links to the fulfilling information, bounded queries, and hostile URLs answered with a 404."""

from __future__ import annotations

import pytest
from django.urls import reverse

from gongkai.catalogs.models import Catalog, Item
from gongkai.catalogs.workflow import CatalogStatus

from . import test_coverage_fixtures as fixtures

catalog_world = fixtures.catalog_world

pytestmark = pytest.mark.django_db


def test_index_lists_orgs_with_approved_catalogs_by_area(client, catalog_world):
    r = client.get(reverse("catalogs:index"))
    assert r.status_code == 200
    html = r.content.decode()
    assert "义务教育" in html and "示范市东城区人民政府" in html
    area_url = reverse(
        "catalogs:area", args=[catalog_world["district"].code, catalog_world["area"].code]
    )
    assert area_url in html
    # The draft catalog's area is not listed for the district.
    assert "t-relief" not in html


def test_org_page_lists_its_areas(client, catalog_world):
    r = client.get(reverse("catalogs:org", args=[catalog_world["district"].code]))
    assert r.status_code == 200
    html = r.content.decode()
    assert "义务教育领域" in html and "社会救助领域" not in html


def test_area_page_shows_items_elements_and_fulfilling_information(client, catalog_world):
    district, area = catalog_world["district"], catalog_world["area"]
    r = client.get(reverse("catalogs:area", args=[district.code, area.code]))
    assert r.status_code == 200
    html = r.content.decode()
    for text in ("政策文件", "规范性文件", "学校名称、学校地址", "《中华人民共和国政府信息公开条例》",
                 "信息形成或者变更之日起20个工作日内", "东城区教育局", "■政府网站", "全社会",
                 "主动", "县级"):  # fmt: skip
        assert text in html, text
    assert "已删除事项" not in html
    docs = catalog_world["docs"]
    assert docs["covered"].get_absolute_url() in html
    assert docs["query"].get_absolute_url() in html
    # The category page of the organisation, and a search within it, for more.
    assert f"/orgs/{district.code}/catalog/?category=livelihood" in html
    assert "q=%E6%A0%A1%E8%BD%A6%E5%AE%89%E5%85%A8" in html
    # Nothing internal: no statuses, no reasons for changes, no staff.
    for internal in ("已超期", "未对应", "本区无此事项", "staff"):
        assert internal not in html, internal


def test_unapproved_catalogs_are_not_public(client, catalog_world):
    Catalog.objects.filter(pk=catalog_world["catalog"].pk).update(status=CatalogStatus.SUBMITTED)
    district = catalog_world["district"]
    assert client.get(reverse("catalogs:org", args=[district.code])).status_code == 404
    assert (
        client.get(
            reverse("catalogs:area", args=[district.code, catalog_world["area"].code])
        ).status_code
        == 404
    )


@pytest.mark.parametrize(
    "path",
    [
        "/catalogs/nope/",
        "/catalogs/%E4%B8%AD%E6%96%87/",
        "/catalogs/%00/",
        "/catalogs/" + "9" * 300 + "/",
        "/catalogs/%F0%9F%92%A3/x/",
        "/catalogs/{district}/nope/",
        "/catalogs/{district}/%E4%B9%89%E5%8A%A1%00/",
        "/catalogs/{district}/t-relief/",  # a draft catalog's area
        "/catalogs/{district}/<script>/",
    ],
)
def test_hostile_urls_are_404(client, catalog_world, path):
    r = client.get(path.format(district=catalog_world["district"].code))
    # A NUL byte is refused by the site's middleware before routing (400); the rest are 404.
    assert r.status_code == (400 if "%00" in path else 404)


def test_query_counts_do_not_grow_with_items(client, catalog_world, django_assert_max_num_queries):
    district, area = catalog_world["district"], catalog_world["area"]
    url = reverse("catalogs:area", args=[district.code, area.code])
    with django_assert_max_num_queries(20):
        assert client.get(url).status_code == 200
    for n in range(30):
        Item.objects.create(
            catalog=catalog_world["catalog"], sort_order=100 + n, level1=f"新增事项{n}",
            category=catalog_world["category"], column=catalog_world["column"] if n % 2 else None,
            time_limit="每季度",
        )  # fmt: skip
    with django_assert_max_num_queries(20):
        r = client.get(url)
    assert "新增事项29" in r.content.decode()
    with django_assert_max_num_queries(12):
        assert client.get(reverse("catalogs:index")).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("catalogs:org", args=[district.code])).status_code == 200


def test_phone_first_markup(client, catalog_world):
    district, area = catalog_world["district"], catalog_world["area"]
    html = client.get(reverse("catalogs:area", args=[district.code, area.code])).content.decode()
    assert 'name="viewport"' in html
    assert '<dl class="facts">' in html  # stacked term/definition, no wide table

"""Workbench pages and the API of the catalogs: scope, query counts, hostile uploads."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongkai.catalogs import services
from gongkai.catalogs.models import Catalog

from .helpers import CITY, DATA, EAST, OP, WEST, approved_city_catalog, area, org

pytestmark = pytest.mark.django_db


@pytest.fixture
def east_pub(make_staff):
    return make_staff(EAST, "publisher")


def _catalogs(n: int, skip: int = 0):
    """n adapted catalogs for 东城区 and 西城区 across areas, with the city's approved ones."""
    made = []
    for name in ("义务教育", "社会救助", "重大建设项目", "就业", "养老服务")[skip:n]:
        approved_city_catalog(name)
        for where in (EAST, WEST):
            made.append(services.catalog_adapt(actor=OP, org=org(where), area=area(name)))
    return made


def test_list_is_scoped_and_its_queries_do_not_grow(
    client, east_pub, django_assert_max_num_queries
):
    _catalogs(1)
    client.force_login(east_pub)
    url = reverse("workbench:catalogs")
    with django_assert_max_num_queries(14) as small:
        response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "东城区" in body and "西城区人民政府" not in body.split("catalog-rows")[1]
    _catalogs(5, skip=1)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


def test_other_orgs_catalogs_are_404(client, east_pub):
    made = _catalogs(1)
    west = next(c for c in made if c.org.name == WEST)
    client.force_login(east_pub)
    for name in (
        "workbench:catalog_detail",
        "workbench:catalog_export",
        "workbench:catalog_review",
    ):
        assert client.get(reverse(name, args=[west.pk])).status_code == 404
    assert client.post(reverse("workbench:catalog_action", args=[west.pk]),
                       {"action": "submit"}).status_code == 404  # fmt: skip
    item = west.items.first()
    assert client.get(reverse("workbench:catalog_item", args=[west.pk, item.pk])).status_code == 404
    east = next(c for c in made if c.org.name == EAST)
    # An item of another catalog through this catalog's URL.
    assert client.get(reverse("workbench:catalog_item", args=[east.pk, item.pk])).status_code == 404


def test_item_edit_page_rewords_with_reason_and_maps(client, east_pub):
    from gongkai.documents.models import Category

    made = _catalogs(1)
    east = next(c for c in made if c.org.name == EAST)
    item = east.items.order_by("sort_order").first()
    client.force_login(east_pub)
    url = reverse("workbench:catalog_item", args=[east.pk, item.pk])
    assert client.get(url).status_code == 200
    category = Category.objects.get(code="regulations")
    form = {"number": item.number, "level1": item.level1, "level2": item.level2,
            "elements": "改写后的要素", "basis": item.basis, "time_limit": item.time_limit,
            "subject": item.subject, "channels": item.channels, "audience": item.audience,
            "mode": item.mode, "levels": item.levels, "category": category.pk,
            "doc_type": "notice", "query": "教育政策", "action": "save"}  # fmt: skip
    response = client.post(url, form)
    assert response.status_code == 400 and "理由" in response.content.decode()
    response = client.post(url, form | {"reason": "结合本区实际"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.change, item.category_id, item.doc_type, item.query) == (
        "reworded", category.pk, "notice", "教育政策")  # fmt: skip
    bad = client.post(url, form | {"doc_type": "nonsense", "reason": "x"})
    assert bad.status_code == 400


def test_import_page_refuses_hostile_uploads_with_400(client, east_pub):
    client.force_login(east_pub)
    url = reverse("workbench:catalog_import")
    assert client.get(url).status_code == 200
    upload = SimpleUploadedFile("evil.xlsx", b"MZ\x90\x00 not a workbook")
    response = client.post(url, {"org": org(EAST).code, "file": upload})
    assert response.status_code == 400 and "XLSX" in response.content.decode()
    upload = SimpleUploadedFile("puer.xlsx", (DATA / "puer-compulsory-education.xlsx").read_bytes())
    response = client.post(url, {"org": org(WEST).code, "file": upload})
    assert response.status_code == 400  # not an organisation this user manages
    assert not Catalog.objects.filter(org=org(WEST)).exists()
    upload = SimpleUploadedFile("puer.xlsx", (DATA / "puer-compulsory-education.xlsx").read_bytes())
    response = client.post(url, {"org": org(EAST).code, "file": upload,
                                 "area": area("义务教育").pk})  # fmt: skip
    assert response.status_code == 302
    assert Catalog.objects.get(org=org(EAST)).items.count() == 5


def test_review_queue_and_page(client, make_staff, django_assert_max_num_queries):
    made = _catalogs(1)
    east = next(c for c in made if c.org.name == EAST)
    item = east.items.order_by("sort_order").first()
    services.item_remove(actor=OP, item=item, reason="由市里统一公开")
    services.catalog_submit(actor=OP, catalog=east)
    city_sup = make_staff(CITY, "supervisor")
    client.force_login(city_sup)
    with django_assert_max_num_queries(12):
        queue = client.get(reverse("workbench:catalog_reviews"))
    assert queue.status_code == 200 and "东城区" in queue.content.decode()
    page = client.get(reverse("workbench:catalog_review", args=[east.pk]))
    assert page.status_code == 200
    assert "由市里统一公开" in page.content.decode()
    response = client.post(reverse("workbench:catalog_action", args=[east.pk]),
                           {"action": "return", "reason": ""})  # fmt: skip
    assert response.status_code == 303
    assert Catalog.objects.get(pk=east.pk).status == "submitted"


def test_api_lists_approved_catalogs_only():
    """The API's handlers (mounted by the integrator at /api/v1/catalogs): approved catalogs
    only, and no removed item."""
    from gongkai.catalogs.api import CatalogFilters, catalog_detail, catalog_list
    from gongkai.core.exceptions import NotFoundError

    _catalogs(1)
    listed = catalog_list(None, CatalogFilters())
    assert [(c.org.name, c.area.name) for c in listed["items"]] == [(CITY, "义务教育")]
    assert listed["items"][0].item_count == 3
    city = listed["items"][0]
    detail = catalog_detail(None, city.org.code, city.area.code)
    assert [i.level2 for i in detail.entries] == ["规范性文件", "招生政策", "招生范围"]
    with pytest.raises(NotFoundError):
        catalog_detail(None, org(EAST).code, "compulsory-education")


def test_detail_and_review_pages_queries_do_not_grow(
    client, make_staff, django_assert_max_num_queries
):
    """The items table and the differences: the same number of queries for 3 or 40 items."""
    made = _catalogs(1)
    east = next(c for c in made if c.org.name == EAST)
    for item in list(east.items.all())[:2]:
        services.item_remove(actor=OP, item=item, reason="由市里公开")
    city_sup = make_staff(CITY, "supervisor")
    client.force_login(city_sup)
    detail = reverse("workbench:catalog_detail", args=[east.pk])
    with django_assert_max_num_queries(20) as small:
        assert client.get(detail).status_code == 200
    for n in range(37):
        services.item_add(actor=OP, catalog=east, data={"level1": f"新增事项{n}"}, reason="本区")
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(detail).status_code == 200
    services.catalog_submit(actor=OP, catalog=east)
    review = reverse("workbench:catalog_review", args=[east.pk])
    with django_assert_max_num_queries(20):
        page = client.get(review)
    assert page.status_code == 200 and page.content.decode().count('data-change="added"') == 37


def test_adapt_form_refuses_other_orgs_and_bad_areas(client, east_pub):
    approved_city_catalog()
    client.force_login(east_pub)
    url = reverse("workbench:catalog_adapt")
    for data in ({"org": org(WEST).code, "area": area("义务教育").pk},
                 {"org": org(EAST).code, "area": "abc"},
                 {"org": org(EAST).code, "area": "999999"}):  # fmt: skip
        response = client.post(url, data)
        assert response.status_code == 303
    assert not Catalog.objects.filter(org__in=[org(EAST), org(WEST)]).exists()
    response = client.post(url, {"org": org(EAST).code, "area": area("义务教育").pk})
    assert response.status_code == 302
    assert Catalog.objects.get(org=org(EAST)).base.org.name == CITY

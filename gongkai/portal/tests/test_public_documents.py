import datetime as dt
import xml.etree.ElementTree as ET

import pytest

from gongkai.documents import services
from gongkai.documents.models import Category, Column

pytestmark = pytest.mark.django_db


@pytest.fixture
def column():
    return Column.objects.create(name="应急管理", slug="emergency-management")


@pytest.fixture
def many(publish, column):
    budgets = Category.objects.get(code="budgets")

    def make(n, org_name="示范市教育局"):
        return [
            publish(
                org_name,
                f"第{i}期应急演练情况通报",
                summary="开展防汛应急演练",
                category=budgets,
                columns=[column],
            )
            for i in range(n)
        ]

    return make


def test_search_page_finds_highlights_and_counts_facets(
    client, many, django_assert_max_num_queries
):
    docs = many(3)
    page = client.get("/search/", {"q": "演练"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "<mark>演练</mark>" in html and docs[0].index_number in html
    assert "找到 3 条结果" in html
    assert "示范市教育局" in html  # the organisation facet


def test_list_pages_query_count_does_not_grow_with_results(
    client, many, org, django_assert_max_num_queries
):
    code = org("示范市教育局").code
    urls = [
        ("/search/", {"q": "演练"}),
        ("/search/", {}),
        (f"/orgs/{code}/catalog/", {}),
        (f"/orgs/{code}/catalog/", {"category": "budgets"}),
        ("/columns/emergency-management/", {}),
        ("/", {}),
        (f"/orgs/{code}/feed.rss", {}),
        ("/columns/emergency-management/feed.atom", {}),
        ("/sitemap-documents.xml", {}),
    ]
    many(2)
    counts = {}
    for url, params in urls:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url, params).status_code == 200
        counts[url, str(params)] = len(ctx)
    many(12)
    for url, params in urls:
        with django_assert_max_num_queries(counts[url, str(params)]):
            assert client.get(url, params).status_code == 200


@pytest.mark.parametrize(
    "params",
    [{"year": "x"}, {"date_from": "昨天"}, {"type": "memo"}, {"q": "字" * 201}, {"org": "NOPE"}],
)
def test_bad_filters_are_a_400_in_chinese(client, params):
    """Answered on the search page itself: the message and the form, never a dead end."""
    page = client.get("/search/", params)
    assert page.status_code == 400
    html = page.content.decode()
    assert "查询条件有误" in html and 'class="filter-grid"' in html


def test_a_bad_page_number_is_the_first_page(client):
    for page in ("0", "abc", "-3"):
        response = client.get("/search/", {"page": page})
        assert response.status_code == 200 and "None" not in response.content.decode()


def test_unknown_codes_are_404(client, org):
    assert client.get("/orgs/NOPE/catalog/").status_code == 404
    assert client.get("/columns/nope/").status_code == 404
    code = org("示范市教育局").code
    page = client.get(f"/orgs/{code}/catalog/", {"category": "nope"})
    assert page.status_code == 400 and "找不到“nope”" in page.content.decode()


def test_catalog_counts_the_organisation_and_its_sub_units(client, many, org):
    many(2)
    many(1, "示范市教育局政策法规科")
    many(1, "示范市民政局")
    html = client.get(f"/orgs/{org('示范市教育局').code}/catalog/").content.decode()
    assert "共 3 条" in html
    assert "财政预决算" in html


def test_document_page_metadata_related_print_and_qr(client, publish, column):
    first = publish(title="关于公布2026年部门预算的公告", document_number="示教〔2026〕5号")
    second = publish(title="关于公布2025年部门决算的公告")
    html = client.get(second.get_absolute_url()).content.decode()
    for label in [
        "索引号",
        "主题分类",
        "发文机关",
        "成文日期",
        "标题",
        "发文字号",
        "发布日期",
        "有效性",
    ]:
        assert label in html
    assert first.title in html  # related: same organisation and category
    printed = client.get(first.get_absolute_url() + "print/").content.decode()
    assert "<svg" in printed and "http://testserver" + first.get_absolute_url() in printed
    assert "示教〔2026〕5号" in printed


def test_withdrawn_document_page_says_when(client, publish):
    doc = publish(title="待撤回的通知")
    pub = publish.staff["示范市教育局"][0]
    services.document_transition(actor=pub, document=doc, action="withdraw", reason="有误")
    html = client.get(doc.get_absolute_url()).content.decode()
    assert (
        "撤回" in html and "print" in client.get(doc.get_absolute_url() + "print/").content.decode()
    )


def test_feeds_and_sitemap_are_well_formed(client, many, org):
    docs = many(2)
    rss = ET.fromstring(client.get(f"/orgs/{org('示范市教育局').code}/feed.rss").content)
    assert [i.findtext("title") for i in rss.iter("item")] == [d.title for d in reversed(docs)]
    atom = ET.fromstring(client.get("/columns/emergency-management/feed.atom").content)
    assert len(atom.findall("{http://www.w3.org/2005/Atom}entry")) == 2
    index = ET.fromstring(client.get("/sitemap.xml").content)
    assert any("sitemap-documents.xml" in (e.text or "") for e in index.iter())
    urls = client.get("/sitemap-documents.xml").content.decode()
    assert docs[0].get_absolute_url() in urls


def test_home_page_shows_search_box_latest_and_columns(client, many):
    docs = many(1)
    html = client.get("/").content.decode()
    assert 'role="search"' in html and docs[0].title in html and "应急管理" in html


def test_drafts_never_appear_on_public_pages(client, publish, org):
    publish(title="公开的通知")
    pub = publish.staff["示范市教育局"][0]
    services.document_create(
        actor=pub,
        org=org("示范市教育局"),
        data={
            "title": "内部草稿通知",
            "date_signed": dt.date(2026, 3, 2),
            "attribute": "proactive",
        },
    )
    for url in ["/", "/search/", "/search/?q=草稿", f"/orgs/{org('示范市教育局').code}/catalog/"]:
        assert "内部草稿" not in client.get(url).content.decode()


def test_joint_issuers_show_in_the_metadata_table(client, publish, org):
    doc = publish(title="联合印发的通知", co_issuers=[org("示范市民政局"), org("示范市教育局")])
    assert list(doc.co_issuers.values_list("name", flat=True)) == ["示范市民政局"]  # not itself
    assert doc.revisions.first().changes["co_issuers"][1] == [org("示范市民政局").pk]
    html = client.get(doc.get_absolute_url()).content.decode()
    assert "示范市教育局、示范市民政局" in html


def test_administrators_configure_categories_and_columns(client, django_user_model):
    from gongkai.core.models import AuditEvent

    admin = django_user_model.objects.create_superuser("root-test", password="x")
    client.force_login(admin)
    assert client.get("/admin/documents/category/").status_code == 200
    response = client.post(
        "/admin/documents/column/add/",
        {
            "name": "乡村振兴",
            "slug": "rural",
            "description": "",
            "is_active": "on",
            "sort_order": 9,
        },
    )
    assert response.status_code == 302
    assert Column.objects.filter(slug="rural").exists()
    assert AuditEvent.objects.filter(verb="admin.column.create").exists()
    assert "乡村振兴" in client.get("/columns/").content.decode()

import datetime as dt

import pytest

from gongkai.documents import services
from gongkai.documents.models import Category
from gongkai.orgs.models import Membership

Role = Membership.Role


@pytest.fixture
def published(make_staff, org):
    """Three published documents: two of 教育局 (one by its internal unit), one of 民政局."""
    made = []
    for org_name, title, signed in [
        ("示范市教育局", "关于做好2026年中小学招生工作的通知", dt.date(2026, 3, 2)),
        ("示范市教育局政策法规科", "教育行政执法公示", dt.date(2025, 6, 1)),
        ("示范市民政局", "关于调整城乡低保标准的通知", dt.date(2026, 4, 1)),
    ]:
        pub, rev = make_staff(org_name, Role.PUBLISHER), make_staff(org_name, Role.REVIEWER)
        doc = services.document_create(
            actor=pub,
            org=org(org_name),
            data={
                "title": title,
                "date_signed": signed,
                "attribute": "proactive",
                "document_number": "示教〔2026〕3号",
                "category": Category.objects.get(code="livelihood"),
            },
        )
        for actor, action in ((pub, "submit"), (rev, "approve"), (pub, "publish")):
            doc = services.document_transition(actor=actor, document=doc, action=action)
        made.append(doc)
    return made


@pytest.mark.django_db
def test_list_uses_glossary_fields_and_filters(
    client, published, org, django_assert_max_num_queries
):
    with django_assert_max_num_queries(2):
        body = client.get("/api/v1/documents").json()
    assert body["count"] == 3
    item = body["items"][0]
    for field in [
        "index_number",
        "title",
        "document_number",
        "org",
        "date_signed",
        "published_at",
        "category",
        "validity",
    ]:
        assert field in item
    assert item["org"].keys() >= {"code", "name"}
    edu = org("示范市教育局").code
    assert client.get("/api/v1/documents", {"org": edu}).json()["count"] == 2  # with its sub-units
    assert client.get("/api/v1/documents", {"year": 2025}).json()["count"] == 1
    assert client.get("/api/v1/documents", {"date_from": "2026-03-15"}).json()["count"] == 1
    page = client.get("/api/v1/documents", {"page": 2, "page_size": 2}).json()
    assert page["count"] == 3 and len(page["items"]) == 1


@pytest.mark.django_db
def test_detail_route_accepts_slashes(client, published):
    index_number = published[0].index_number
    assert "/" in index_number
    body = client.get(f"/api/v1/documents/{index_number}").json()
    assert body["index_number"] == index_number and body["status"] == "published"
    assert client.get("/api/v1/documents/NOPE/2026-00001").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params",
    [{"page_size": 1000}, {"page": 0}, {"type": "memo"}, {"date_from": "yesterday"}, {"year": "x"}],
)
def test_bad_parameters_are_422_in_chinese(client, params):
    response = client.get("/api/v1/documents", params)
    assert response.status_code == 422
    assert response.json()["detail"].startswith("请求参数有误")


@pytest.mark.django_db
def test_unknown_org_is_404(client):
    assert client.get("/api/v1/documents", {"org": "NOSUCH"}).status_code == 404


@pytest.mark.django_db
def test_categories(client):
    body = client.get("/api/v1/categories").json()
    assert body["count"] == Category.objects.count()
    assert {
        "code": "regulations",
        "name": "规章和规范性文件",
        "basis": "条例第二十条第（一）项",
        "parent": None,
    } in body["items"]

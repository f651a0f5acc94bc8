import pytest

from gongkai.orgs.models import Org


@pytest.mark.django_db
def test_home_shows_departments_and_districts(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):  # organisations, latest documents, columns
        response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "市教育局" in html and "东城区" in html
    assert 'class="skip-link"' in html and 'id="main"' in html


@pytest.mark.django_db
def test_directory_is_one_query_whatever_the_size(client, django_assert_num_queries):
    """The organisation tree is built from one query (no N+1)."""
    with django_assert_num_queries(1):
        response = client.get("/orgs/")
    html = response.content.decode()
    assert html.count("<li>") >= Org.objects.count()
    assert "东城区新华街道办事处" in html


@pytest.mark.django_db
def test_org_profile_page(client, org):
    edu = org("示范市教育局")
    response = client.get(f"/orgs/{edu.code}/")
    html = response.content.decode()
    assert response.status_code == 200
    for value in [
        edu.name,
        edu.address,
        edu.phone,
        edu.fax,
        edu.office_hours,
        edu.head,
        edu.functions,
    ]:
        assert value in html
    assert "示范市教育局政策法规科" in html  # internal units
    # No staff or personal data on public pages.
    assert "demo-publisher" not in html


@pytest.mark.django_db
def test_disclosure_guide_page_has_article_12_contents(client, org):
    edu = org("示范市教育局")
    html = client.get(f"/orgs/{edu.code}/guide/").content.decode()
    for expected in [
        "政府信息公开指南",
        "第十二条",
        edu.address,
        edu.phone,
        edu.fax,
        edu.office_hours,
        "行政复议",
        "行政诉讼",
        "60日内",
        "6个月内",
        "20个工作日",
    ]:
        assert expected in html, expected


@pytest.mark.django_db
def test_unknown_org_is_a_404_in_chinese(client):
    response = client.get("/orgs/NOSUCH/")
    assert response.status_code == 404
    assert "找不到" in response.content.decode()
    assert client.get("/no/such/page/").status_code == 404


@pytest.mark.django_db
def test_large_text_mode_persists_in_a_cookie(client):
    response = client.post("/prefs/text-size/", {"size": "large", "next": "/orgs/"})
    assert response.status_code == 302 and response["Location"] == "/orgs/"
    assert 'class="text-large"' in client.get("/").content.decode()
    client.post("/prefs/text-size/", {"size": "normal"})
    assert 'class="text-large"' not in client.get("/").content.decode()


@pytest.mark.django_db
def test_text_size_refuses_open_redirects(client):
    response = client.post("/prefs/text-size/", {"size": "large", "next": "https://evil.example/"})
    assert response["Location"] == "/"


@pytest.mark.django_db
def test_chinese_unless_english_is_chosen(client):
    """A browser's Accept-Language is not a choice; the language switch is."""
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="zh-hans"' in html and "跳到主要内容" in html


@pytest.mark.django_db
def test_english_translation(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/").content.decode()
    assert "Skip to main content" in html
    assert 'lang="en"' in html


@pytest.mark.django_db
def test_security_headers(client):
    response = client.get("/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_api_orgs(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        body = client.get("/api/v1/orgs").json()
    assert body["count"] == Org.objects.filter(is_active=True).count()
    edu = next(o for o in body["items"] if o["name"] == "示范市教育局")
    assert client.get(f"/api/v1/orgs/{edu['code']}").json()["name"] == "示范市教育局"
    missing = client.get("/api/v1/orgs/NOSUCH")
    assert missing.status_code == 404 and "找不到" in missing.json()["detail"]
    assert client.get("/api/v1/openapi.json").status_code == 200

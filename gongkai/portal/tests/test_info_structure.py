"""The 信息公开 structure of the portal: the column set, the request form's reach and its
受理机关 list, the 机构职能目录, reading-point posters, the footer and the site maps."""

import datetime as dt
import io
import re
import xml.etree.ElementTree as ET

import pytest
from django.test import override_settings
from django.utils import timezone

from gongkai.documents import services as document_services
from gongkai.documents.models import Document, GazetteIssue
from gongkai.foi.forms import ApplicationForm
from gongkai.orgs import selectors as org_selectors
from gongkai.orgs.models import Membership, Org

pytestmark = pytest.mark.django_db

COLUMNS = [
    "信息公开指南",
    "信息公开制度",
    "法定主动公开内容",
    "信息公开年报",
    "依申请公开",
    "政策解读",
    "意见征集",
    "互动交流",
    "通知公告",
]


def _html(client, url, status=200, **params):
    page = client.get(url, params)
    assert page.status_code == status, (url, page.status_code)
    return page.content.decode()


def _root():
    return Org.objects.get(name="示范市人民政府")


def test_region_and_every_organisation_page_show_the_column_set(client, org):
    """The region hub and an organisation's profile, guide and catalog carry all nine columns,
    linked to their pages (年报 → /reports/<code>/, 意见征集/互动交流 filtered by the org)."""
    edu = org("示范市教育局")
    for url in ["/disclosure/", f"/orgs/{edu.code}/", f"/orgs/{edu.code}/guide/"]:
        html = _html(client, url)
        nav = html[html.index('data-testid="info-columns"') :]
        nav = nav[: nav.index("</nav>")]
        for label in COLUMNS:
            assert label in nav, (url, label)
    html = _html(client, f"/orgs/{edu.code}/")
    assert f"/reports/{edu.code}/" in html
    assert f"/consultations/?org={edu.code}" in html
    assert f"/interaction/?org={edu.code}" in html
    assert f"/orgs/{edu.code}/interpretations/" in html
    # Each column page answers, and the annual reports show an empty state before any.
    for url in [
        f"/orgs/{edu.code}/rules/",
        f"/orgs/{edu.code}/request/",
        f"/orgs/{edu.code}/interpretations/",
        f"/orgs/{edu.code}/notices/",
        f"/orgs/{edu.code}/catalog/",
        "/interpretations/",
    ]:
        assert 'data-testid="info-columns"' in _html(client, url), url
    assert "暂无已发布的年度报告" in _html(client, f"/reports/{edu.code}/")


def test_unknown_organisation_columns_are_404(client):
    for url in ["/orgs/NOPE/rules/", "/orgs/NOPE/request/", "/orgs/NOPE/poster/"]:
        assert client.get(url).status_code == 404
    assert client.get("/directory/NOPE/").status_code == 404
    # A department is not a government: its level's directory is its government's.
    assert client.get(f"/directory/{Org.objects.get(name='示范市教育局').code}/").status_code == 404


def test_interpretations_column_lists_each_with_its_policies(client, publish, org):
    """政策解读 is a real column: the interpretation, its form, and the policies it explains,
    on the organisation's page and the region's; other organisations' are not listed."""
    policy = publish(title="示范市学前教育资助办法", document_number="示教规〔2026〕1号")
    explained = publish(title="《示范市学前教育资助办法》政策解读")
    pub = publish.staff["示范市教育局"][0]
    document_services.interpretation_set(
        actor=pub, document=explained, form="text", policies=[policy]
    )
    other = publish("示范市民政局", "民政局的通知")
    edu = org("示范市教育局")
    html = _html(client, f"/orgs/{edu.code}/interpretations/")
    block = html[html.index('data-testid="interpretations"') :]
    assert explained.title in block and policy.title in block and "示教规〔2026〕1号" in block
    assert "文字解读" in block and other.title not in block
    assert explained.title in _html(client, "/interpretations/")
    civil = org("示范市民政局").code
    assert explained.title not in _html(client, f"/orgs/{civil}/interpretations/")


def test_notices_and_rules_columns(client, publish, org):
    notice = publish(title="关于2026年春季学期开学的通知", doc_type=Document.DocType.NOTICE)
    opinion = publish(title="关于加强校园安全的意见", doc_type=Document.DocType.OPINION)
    rule = publish(title="示范市教育局政务公开保密审查制度", doc_type=Document.DocType.OTHER)
    code = org("示范市教育局").code
    notices = _html(client, f"/orgs/{code}/notices/")
    assert notice.title in notices and opinion.title not in notices
    rules = _html(client, f"/orgs/{code}/rules/")
    assert rule.title in rules and opinion.title not in rules
    assert "中华人民共和国政府信息公开条例" in rules


def test_column_lists_keep_their_query_count(client, publish, org, django_assert_max_num_queries):
    """Query counts of the column lists do not grow with their rows."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    code = org("示范市教育局").code
    urls = [
        f"/orgs/{code}/notices/",
        f"/orgs/{code}/rules/",
        f"/orgs/{code}/interpretations/",
        "/interpretations/",
        "/disclosure/",
        "/directory/",
        f"/directory/{_root().code}/",
        "/sitemap/",
        "/gazette/feed.rss",
    ]

    def add(n):
        policy = publish(title="示范市政务公开工作办法", doc_type=Document.DocType.NOTICE)
        pub = publish.staff["示范市教育局"][0]
        for i in range(n):
            doc = publish(title=f"政策解读第{i}篇")
            document_services.interpretation_set(
                actor=pub, document=doc, form="qa", policies=[policy]
            )

    add(1)
    counts = {}
    for url in urls:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        counts[url] = len(ctx)
    add(6)
    for url in urls:
        with django_assert_max_num_queries(counts[url]):
            assert client.get(url).status_code == 200


def test_request_form_is_reachable_everywhere(client, org):
    """From the home page, the navigation, every guide, every organisation page and the
    site map; an internal unit's pages point to the office above it."""
    home = _html(client, "/")
    assert re.search(r'href="/foi/apply/"[^>]*data-testid="home-apply"', home)
    assert re.search(r'href="/foi/apply/"[^>]*data-testid="nav-apply"', home)
    edu = org("示范市教育局")
    for url in [f"/orgs/{edu.code}/", f"/orgs/{edu.code}/guide/", f"/orgs/{edu.code}/request/"]:
        assert f"/foi/apply/?org={edu.code}" in _html(client, url), url
    unit = org("示范市教育局政策法规科")
    for url in [f"/orgs/{unit.code}/", f"/orgs/{unit.code}/guide/"]:
        html = _html(client, url)
        assert f"/foi/apply/?org={edu.code}" in html and f"apply/?org={unit.code}" not in html
    assert 'data-testid="sitemap-apply"' in _html(client, "/sitemap/")
    sitemap = _html(client, "/sitemap-pages.xml")
    assert "/foi/apply/" in sitemap


def test_request_form_lists_accepting_organisations_by_level(client, org):
    """受理机关: no 科室, one <optgroup> per level, a name box with a datalist."""
    html = _html(client, "/foi/apply/")
    select = html[html.index('name="org"') : html.index("</select>", html.index('name="org"'))]
    assert "示范市教育局政策法规科" not in select
    assert "示范市教育局" in select and "示范市公共资源交易中心" in select
    groups = re.findall(r'<optgroup label="([^"]+)"', select)
    assert groups == ["市级", "区县（市）级", "乡镇（街道）级"]
    township = select[select.index('label="乡镇（街道）级"') :]
    assert "东城区" in township and "示范市教育局" not in township
    assert 'name="org_name"' in html and "<datalist" in html
    assert 'list="id_org_list"' in html
    # Preselected from an organisation page.
    code = org("示范市民政局").code
    html = _html(client, "/foi/apply/", org=code)
    assert f'<option value="{code}" selected>' in html


def _form_data(**fields):
    data = {
        "applicant_kind": "natural_person",
        "name": "张三",
        "id_type": "id_card",
        "id_number": "110101199003076316",
        "phone": "13800000000",
        "description": "2026年学前教育资助名单",
        "form": "electronic",
        "captcha_0": "x",
        "captcha_1": "PASSED",
        "token": "t",
    }
    return data | fields


@override_settings(CAPTCHA_TEST_MODE=True)
def test_request_form_accepts_the_list_or_a_typed_name(org):
    """The name box works without JavaScript: a full name, a unique part of it, or the list;
    a 科室 or an unknown name is refused in Chinese."""
    edu = org("示范市教育局")
    for data in [
        {"org": edu.code},
        {"org_name": "示范市教育局"},
        {"org": "", "org_name": "市教育局"},
        {"org": org("示范市民政局").code, "org_name": "示范市教育局"},  # the typed name wins
    ]:
        form = ApplicationForm(_form_data(**data))
        form.is_valid()
        assert "org" not in form.errors, (data, form.errors)
        assert form.cleaned_data["org"] == edu
    unit = org("示范市教育局政策法规科")
    for data in [{"org": unit.code}, {"org_name": unit.name}, {"org_name": "不存在的局"}]:
        form = ApplicationForm(_form_data(**data))
        assert not form.is_valid()
        assert "找不到该受理机关" in form.errors["org"][0]
    form = ApplicationForm(_form_data(org="", org_name=""))
    assert not form.is_valid() and "org" in form.errors


def test_orgs_by_level_classifies_through_governments(org):
    levels = {
        level: {o.name for o in orgs}
        for level, _label, orgs in org_selectors.orgs_by_level(
            org_selectors.orgs_accepting_requests()
        )
    }
    assert "示范市人民政府" in levels["city"] and "示范市住房公积金管理中心" in levels["city"]
    assert "示范市东城区人民政府" in levels["district"]
    assert any(n.endswith("街道办事处") for n in levels["township"])
    assert not any(n[-1] == "科" for names in levels.values() for n in names)


def test_function_directory_page_docx_and_pdf(client):
    """机构职能目录 of the city level: the government, its departments (with their units and the
    filed openness head), not the districts' departments; as DOCX and PDF too."""
    root = _root()
    html = _html(client, f"/directory/{root.code}/")
    assert "示范市人民政府机构职能目录" in html
    assert "示范市教育局" in html and "示范市教育局政策法规科" in html
    assert "东城区教育局" not in html
    edu = Org.objects.get(name="示范市教育局")
    for value in [edu.address, edu.office_hours, edu.phone, edu.disclosure_head]:
        assert value in html
    assert edu.disclosure_head_title in html
    index = _html(client, "/directory/")
    assert f"/directory/{root.code}/" in index and "区县（市）级" in index
    docx = client.get(f"/directory/{root.code}.docx")
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    from docx import Document as Docx

    text = "\n".join(p.text for p in Docx(io.BytesIO(docx.content)).paragraphs)
    assert "示范市教育局" in text and edu.disclosure_head in text
    pdf = client.get(f"/directory/{root.code}.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    district = Org.objects.get(name="示范市东城区人民政府")
    html = _html(client, f"/directory/{district.code}/")
    assert "东城区教育局" in html and "示范市教育局" not in html


def test_profile_shows_the_filed_openness_head_with_title_and_contact(client, org):
    edu = org("示范市教育局")
    html = _html(client, f"/orgs/{edu.code}/")
    block = html[html.index('data-testid="disclosure-head"') :]
    block = block[: block.index("</table>")]
    assert edu.disclosure_head in block
    assert edu.disclosure_head_title in block and edu.disclosure_head_phone in block


def test_profile_fields_are_editable_by_the_workbench_form():
    from gongkai.orgs.services import PROFILE_FIELDS

    assert {"disclosure_head", "disclosure_head_title", "disclosure_head_phone"} <= set(
        PROFILE_FIELDS
    )


def test_reading_point_poster_html_and_pdf(client, org):
    """An A4 poster per organisation with QR codes of its guide and its request form."""
    edu = org("示范市教育局")
    html = _html(client, f"/orgs/{edu.code}/poster/")
    assert "政府信息查阅点" in html and html.count("<svg") == 2
    assert f"http://testserver/orgs/{edu.code}/guide/" in html
    assert f"http://testserver/foi/apply/?org={edu.code}" in html
    unit = org("示范市教育局办公室")
    html = _html(client, f"/orgs/{unit.code}/poster/")
    assert f"/foi/apply/?org={edu.code}" in html
    pdf = client.get(f"/orgs/{edu.code}/poster.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert pdf["Content-Disposition"].startswith("attachment")


@override_settings(
    GONGKAI_SITE_CODE="4100000001",
    GONGKAI_SITE_ICP="豫ICP备00000001号",
    GONGKAI_SITE_PSB="豫公网安备 41010502000001号",
    GONGKAI_SITE_ERROR_REPORT_URL="",
)
def test_footer_shows_registration_numbers_and_links(client):
    html = _html(client, "/")
    footer = html[html.index('data-testid="site-footer"') :]
    for text in [
        "主办单位：示范市人民政府办公室",
        "网站标识码：4100000001",
        "豫ICP备00000001号",
        "豫公网安备 41010502000001号",
        "联系我们",
        "网站地图",
        "我为政府网站找错",
    ]:
        assert text in footer, text
    assert "site_code=4100000001" in footer
    assert "recordcode" in footer or "41010502000001" in footer
    with override_settings(GONGKAI_SITE_ERROR_REPORT_URL="https://example.gov.cn/jiucuo"):
        assert "https://example.gov.cn/jiucuo" in _html(client, "/")
    with override_settings(GONGKAI_SITE_CODE="", GONGKAI_SITE_ERROR_REPORT_URL=""):
        footer = _html(client, "/contact/")
        assert "/interaction/ask/" in footer and "网站标识码" not in footer


def test_contact_and_html_sitemap(client):
    contact = _html(client, "/contact/")
    assert "联系我们" in contact and _root().address in contact
    sitemap = _html(client, "/sitemap/")
    for path in ["/normative/", "/gazette/", "/plans/", "/foi/apply/", "/consultations/"]:
        assert f'href="{path}"' in sitemap, path
    assert "示范市东城区人民政府" in sitemap


def test_sitemap_xml_includes_every_public_section(client, org):
    index = ET.fromstring(client.get("/sitemap.xml").content)
    sections = [e.text for e in index.iter() if e.text and "sitemap-" in e.text]
    assert any("sitemap-gazette.xml" in s for s in sections)
    assert any("sitemap-plans.xml" in s for s in sections)
    pages = _html(client, "/sitemap-pages.xml")
    for path in [
        "/disclosure/",
        "/normative/",
        "/gazette/",
        "/plans/",
        "/foi/apply/",
        "/consultations/",
        "/interaction/",
        "/reports/",
        "/statistics/",
        "/interpretations/",
        "/directory/",
        "/sitemap/",
    ]:
        assert f"http://testserver{path}</loc>" in pages, path
    code = org("示范市教育局").code
    orgs = _html(client, "/sitemap-orgs.xml")
    for path in [f"/orgs/{code}/", f"/orgs/{code}/guide/", f"/orgs/{code}/request/"]:
        assert f"{path}</loc>" in orgs


def test_gazette_rss_feed(client, org):
    root = _root()
    issue = GazetteIssue.objects.create(
        org=root,
        year=2026,
        number=3,
        issue_date=dt.date(2026, 3, 10),
        total_number=120,
        published_at=timezone.now(),
    )
    GazetteIssue.objects.create(org=root, year=2026, number=4, issue_date=dt.date(2026, 4, 10))
    page = client.get("/gazette/feed.rss")
    assert page.status_code == 200
    channel = ET.fromstring(page.content).find("channel")
    items = channel.findall("item")
    assert [i.find("title").text for i in items] == ["示范市人民政府公报 2026年第3期"]
    assert items[0].find("link").text.endswith(issue.get_absolute_url())
    assert "/gazette/feed.rss" in _html(client, "/gazette/")


@pytest.mark.parametrize(
    "url",
    [
        "/search/",
        "/columns/",
        "/calendar/",
        "/gazette/",
        "/plans/",
        "/normative/",
        "/foi/apply/",
        "/foi/track/",
        "/reports/",
        "/statistics/",
        "/interaction/",
        "/disclosure/",
        "/directory/",
        "/contact/",
        "/sitemap/",
        "/interpretations/",
    ],
)
def test_every_page_below_home_has_breadcrumbs(client, url):
    html = _html(client, url)
    assert html.count('class="breadcrumb"') == 1, url
    crumb = html[html.index('class="breadcrumb"') :]
    crumb = crumb[: crumb.index("</nav>")]
    assert 'href="/"' in crumb and 'aria-current="page"' in crumb


def test_breadcrumbs_on_organisation_and_document_pages(client, publish, org):
    doc = publish(title="关于做好学籍管理工作的通知")
    edu = org("示范市教育局")
    for url in [
        f"/orgs/{edu.code}/",
        f"/orgs/{edu.code}/guide/",
        f"/orgs/{edu.code}/catalog/",
        f"/orgs/{edu.code}/notices/",
        f"/reports/{edu.code}/",
        doc.get_absolute_url(),
        f"/directory/{_root().code}/",
    ]:
        html = _html(client, url)
        assert html.count('class="breadcrumb"') == 1, url
    html = _html(client, doc.get_absolute_url())
    crumb = html[html.index('class="breadcrumb"') :]
    assert f"/orgs/{edu.code}/catalog/" in crumb[: crumb.index("</nav>")]
    assert 'class="breadcrumb"' not in _html(client, "/")


def test_one_navigation_on_every_public_page(client, org):
    """The same main navigation (with the request form) on the portal and the other apps."""
    code = org("示范市教育局").code
    navs = set()
    for url in ["/", "/foi/apply/", "/normative/", "/reports/", f"/orgs/{code}/", "/interaction/"]:
        html = _html(client, url)
        nav = html[html.index('class="wrap main-nav"') :]
        navs.add(nav[: nav.index("</nav>")])
    assert len(navs) == 1
    assert "/disclosure/" in navs.pop()


def test_new_pages_in_english(client, org):
    """The new pages render in English mode too (strings are marked for translation)."""
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    code = org("示范市教育局").code
    for url in ["/disclosure/", f"/orgs/{code}/request/", "/directory/", "/contact/", "/sitemap/"]:
        _html(client, url)


def test_staff_pages_have_no_public_breadcrumb(client, make_staff):
    user = make_staff("示范市教育局", Membership.Role.PUBLISHER)
    client.force_login(user)
    html = _html(client, "/workbench/")
    assert 'data-testid="breadcrumb"' not in html


def test_staff_register_form_finds_names_only_within_the_staff_reach(org):
    """The staff form narrows the list to the user's organisations; a typed name outside
    them is refused, not silently accepted."""
    from django import forms

    from gongkai.workbench.forms import StaffRegisterForm

    edu = org("示范市教育局")
    form = StaffRegisterForm(orgs=Org.objects.filter(pk=edu.pk))
    field = form.fields["org"]
    assert field.clean("示范市教育局") == edu
    with pytest.raises(forms.ValidationError):
        field.clean("示范市民政局")
    html = str(form["org"])
    assert "示范市民政局" not in html and "示范市教育局" in html

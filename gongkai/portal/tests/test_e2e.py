"""End-to-end, in Debian's chromium driven by Playwright (never a downloaded browser)."""

import pytest

from gongkai.conftest import ARTIFACTS
from gongkai.conftest import login as _login
from gongkai.orgs.demo import DEMO_PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("demo_data")]


def test_home_large_text_and_staff_login(browser, live_server):
    """A visitor opens the home page, switches to large text (it persists), and staff log in."""
    ARTIFACTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 360, "height": 740})
    page.goto(live_server.url + "/")
    assert "示范市" in page.title()
    assert page.locator("main#main").count() == 1
    # The skip link is the first thing the keyboard reaches.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    # Nothing wider than a 360 px phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    normal = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    page.get_by_role("button", name="大字版").click()
    page.wait_for_load_state()
    assert "text-large" in page.get_attribute("html", "class")
    large = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert large > normal
    page.goto(live_server.url + "/orgs/")
    assert "text-large" in page.get_attribute("html", "class"), "large text must persist"
    assert page.get_by_role("link", name="示范市教育局", exact=True).count() >= 1
    page.screenshot(path=str(ARTIFACTS / "directory-large-360.png"), full_page=False)

    page.goto(live_server.url + "/workbench/")
    assert "/workbench/login/" in page.url
    page.get_by_label("用户名").fill("demo-publisher")
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(live_server.url + "/workbench/")
    table = page.get_by_test_id("memberships")
    assert "示范市教育局" in table.inner_text()
    assert "信息发布员" in table.inner_text()
    page.screenshot(path=str(ARTIFACTS / "workbench-360.png"), full_page=True)
    page.close()


def test_draft_mask_review_publish_then_find_it(browser, live_server):
    """The issue's "done when": drafted with an ID number, stopped by the scanner, masked,
    submitted, reviewed, published — then found by a two-character word of its title in the
    portal search and the API, with its index number and metadata table."""
    from gongkai.core.tests.test_pii import valid_id
    from gongkai.orgs.models import Org

    ARTIFACTS.mkdir(exist_ok=True)
    base = live_server.url
    edu = Org.objects.get(name="示范市教育局")
    id_number = valid_id()
    title = "关于开展校园周边食品安全专项整治的通知"
    page = browser.new_page(viewport={"width": 1024, "height": 900})

    _login(page, base, "demo-publisher")
    page.goto(f"{base}/workbench/documents/new/?org={edu.code}")
    page.get_by_label("标题", exact=True).fill(title)
    page.get_by_label("发文字号").fill("示教[2026]88号")
    page.get_by_label("成文日期").fill("2026-11-20")
    page.get_by_label("公开属性", exact=True).select_option("proactive")
    page.get_by_label("正文").fill(
        f"<p>各学校：举报联系人身份证号 {id_number}，请做好整治工作。</p>"
    )
    page.get_by_role("button", name="保存").click()
    alert = page.get_by_role("alert")
    assert "发现 1 处个人信息" in alert.inner_text()  # stopped by the scanner
    assert id_number[:4] + "**********" in alert.inner_text()
    page.get_by_role("button", name="一键遮盖").click()
    assert page.get_by_role("alert").count() == 0
    assert id_number not in page.content()
    detail_url = page.url
    page.get_by_role("button", name="提交审查").click()
    assert page.get_by_test_id("status").inner_text().splitlines()[0] == "待保密审查"

    # Another department's staff cannot open, let alone review, it.
    _login(page, base, "demo-civil-publisher")
    assert page.goto(detail_url).status == 404

    _login(page, base, "demo-reviewer")
    page.goto(detail_url)
    page.get_by_role("button", name="审查通过").click()
    assert page.get_by_test_id("status").inner_text().splitlines()[0] == "审查通过"
    page.get_by_role("button", name="发布", exact=True).click()
    assert page.get_by_test_id("status").inner_text().splitlines()[0] == "已发布"
    index_number = page.get_by_test_id("index-number").inner_text()
    assert index_number.startswith(edu.code + "/2026-")

    page.context.clear_cookies()
    page.goto(base + "/")
    page.get_by_test_id("search-input").fill("周边")  # two characters of the title
    page.get_by_role("button", name="搜索").click()
    assert "找到 1 条结果" in page.get_by_test_id("result-count").inner_text()
    page.screenshot(path=str(ARTIFACTS / "search-results.png"), full_page=True)
    page.get_by_role("link", name=title).click()
    meta = page.get_by_role("table", name="信息元数据").inner_text()
    for text in (index_number, "示范市教育局", "示教〔2026〕88号", "2026-11-20", "有效"):
        assert text in meta
    assert id_number not in page.content()
    page.screenshot(path=str(ARTIFACTS / "document-page.png"), full_page=True)

    api = page.request.get(base + "/api/v1/documents", params={"q": "周边"}).json()
    assert api["count"] == 1 and api["items"][0]["index_number"] == index_number

    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(base + "/search/?q=周边")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.close()

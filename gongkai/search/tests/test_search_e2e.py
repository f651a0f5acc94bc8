"""End-to-end, in Debian's chromium on a 390 px phone and a desktop: a citizen searches with
OR, filters by an organisation's name and a date typed the Chinese way, and a mistake is
answered on the same page with the form."""

import pytest

from gongkai.conftest import ARTIFACTS

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("demo_data")]


def _no_sideways_scroll(page, width):
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"the page scrolls sideways ({scroll}px > {width}px)"


@pytest.mark.parametrize("width", [390, 1280])
def test_search_by_names_and_typed_dates_with_or(browser, live_server, publish, width):
    import datetime as dt

    publish("示范市教育局", "关于教育经费管理的通知", date_signed=dt.date(2026, 3, 2))
    publish("示范市教育局", "关于发放学生生活补贴的公告", date_signed=dt.date(2026, 4, 1))
    publish("示范市教育局", "关于教育督导的通知", date_signed=dt.date(2019, 5, 1))
    publish("示范市民政局", "关于发放困难群众补贴的通知", date_signed=dt.date(2026, 3, 2))
    base = live_server.url
    phone = width < 600
    context = browser.new_context(
        viewport={"width": width, "height": 844}, is_mobile=phone, has_touch=phone
    )
    page = context.new_page()
    page.goto(base + "/search/")
    page.get_by_test_id("search-input").fill("教育 OR 补贴")
    with page.expect_navigation():
        page.get_by_test_id("search-input").press("Enter")
    assert "找到 4 条结果" in page.get_by_test_id("result-count").inner_text()
    assert "OR" in page.locator("#q-help").inner_text()

    page.locator("details.filters summary").click()
    page.get_by_label("发布机构").fill("市教育局")
    page.get_by_label("成文日期自").fill("2020年1月1日")
    with page.expect_navigation():
        page.get_by_role("button", name="筛选").click()
    assert page.get_by_label("发布机构").input_value() == "示范市教育局"
    assert not page.get_by_test_id("search-error").count()
    # 示范市教育局's two since 2020; not its 2019 notice, not 民政局's.
    assert "找到 2 条结果" in page.get_by_test_id("result-count").inner_text()
    _no_sideways_scroll(page, width)
    page.screenshot(path=str(ARTIFACTS / f"search-filters-{width}.png"), full_page=True)

    page.get_by_label("发布机构").fill("火星局")
    with page.expect_navigation():
        page.get_by_role("button", name="筛选").click()
    error = page.get_by_test_id("search-error").inner_text()
    assert "找不到“火星局”" in error
    assert page.get_by_label("发布机构").get_attribute("aria-invalid") == "true"
    _no_sideways_scroll(page, width)
    page.screenshot(path=str(ARTIFACTS / f"search-error-{width}.png"), full_page=True)

    page.get_by_test_id("search-input").fill("😀")
    with page.expect_navigation():
        page.get_by_test_id("search-input").press("Enter")
    assert "请输入检索词" in page.get_by_test_id("search-error").inner_text()
    context.close()

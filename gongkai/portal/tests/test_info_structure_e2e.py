"""End-to-end, in Debian's chromium on a 390 px phone: a citizen reaches the request form from
the home page in at most two taps (by the home page's button, the navigation, or the
政府信息公开 hub), finds the 受理机关 by typing its name, and the new 信息公开 pages neither
scroll sideways on a phone nor on a desktop."""

import pytest

from gongkai.conftest import ARTIFACTS

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("demo_data")]

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def _no_sideways_scroll(page, width):
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{page.url} scrolls sideways ({scroll}px > {width}px)"


def test_citizen_reaches_the_request_form_in_two_taps(browser, live_server):
    base = live_server.url
    phone = browser.new_context(**PHONE)
    page = phone.new_page()
    page.goto(base + "/")
    page.screenshot(path=str(ARTIFACTS / "info-home-390.png"), full_page=True)
    _no_sideways_scroll(page, 390)
    # One tap: the home page's own entry, visible without scrolling on a phone.
    button = page.get_by_test_id("home-apply")
    box = button.bounding_box()
    assert box and box["y"] + box["height"] <= 844 * 1.5, "the request entry is far down"
    with page.expect_navigation():
        button.tap()
    assert page.url == base + "/foi/apply/"
    # One tap: the navigation.
    page.goto(base + "/")
    with page.expect_navigation():
        page.get_by_test_id("nav-apply").tap()
    assert page.url == base + "/foi/apply/"
    # Two taps: 政府信息公开 → 在线申请.
    page.goto(base + "/")
    with page.expect_navigation():
        page.get_by_role("navigation", name="主导航").get_by_role("link", name="政府信息公开").tap()
    with page.expect_navigation():
        page.get_by_test_id("apply-link").tap()
    assert page.url == base + "/foi/apply/"
    # The 受理机关 list: grouped by level, without 科室; a name box the browser suggests from.
    groups = page.locator('select[name="org"] optgroup').evaluate_all(
        "els => els.map(e => e.label)"
    )
    assert groups == ["市级", "区县（市）级", "乡镇（街道）级"]
    options = page.locator('select[name="org"] option').all_inner_texts()
    assert "示范市教育局" in options and not any(o.endswith("科") for o in options)
    page.get_by_label("或输入机关名称查找").fill("示范市民政局")
    page.screenshot(path=str(ARTIFACTS / "info-apply-390.png"), full_page=True)
    _no_sideways_scroll(page, 390)
    phone.close()


@pytest.mark.parametrize("width", [390, 1280])
def test_information_pages_fit_the_screen(browser, live_server, width):
    from gongkai.orgs.models import Org

    base = live_server.url
    edu = Org.objects.get(name="示范市教育局").code
    root = Org.objects.get(name="示范市人民政府").code
    context = (
        browser.new_context(**PHONE)
        if width == 390
        else browser.new_context(viewport={"width": width, "height": 900})
    )
    page = context.new_page()
    for name, path in [
        ("disclosure", "/disclosure/"),
        ("org", f"/orgs/{edu}/"),
        ("request", f"/orgs/{edu}/request/"),
        ("interpretations", "/interpretations/"),
        ("directory", f"/directory/{root}/"),
        ("poster", f"/orgs/{edu}/poster/"),
        ("sitemap", "/sitemap/"),
        ("contact", "/contact/"),
    ]:
        page.goto(base + path)
        assert page.get_by_role("heading", level=1).count() == 1, path
        page.screenshot(path=str(ARTIFACTS / f"info-{name}-{width}.png"), full_page=True)
        _no_sideways_scroll(page, width)
        if name != "poster":
            assert page.locator('[data-testid="breadcrumb"]').count() == 1, path
    context.close()

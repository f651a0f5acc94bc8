"""End-to-end, in Debian's chromium: the city's supervisor runs the site self-check from the
workbench and reads the result; the history lists the run. Desktop and phone widths."""

import pytest

from gongkai.conftest import ARTIFACTS
from gongkai.conftest import login as _login

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("demo_data")]


def test_supervisor_runs_the_check_and_sees_the_result(browser, live_server, settings):
    from gongkai.sitecheck.models import SiteCheckRun

    settings.GONGKAI_SITECHECK_WEB_MAX_PAGES = 15
    base = live_server.url
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    _login(page, base, "demo-supervisor")
    page.goto(base + "/workbench/site-check/")
    assert "暂无检查记录" in page.get_by_test_id("sitecheck-runs").inner_text()
    page.locator("#sc-org").select_option(label="示范市人民政府")
    page.get_by_test_id("sitecheck-run").click()
    page.wait_for_url(f"{base}/workbench/site-check/*/", timeout=60_000)
    assert "自查已完成" in page.locator(".messages").inner_text()
    veto = page.get_by_test_id("sitecheck-veto")
    assert "站点无法访问" in veto.inner_text()
    row = veto.locator('tr[data-indicator="site_unreachable"]')
    assert row.locator("[data-ok]").get_attribute("data-ok") == "true"
    assert page.get_by_test_id("sitecheck-verdict").inner_text() in ("合格", "不合格")
    page.screenshot(path=str(ARTIFACTS / "sitecheck-run.png"), full_page=True)
    run = SiteCheckRun.objects.get()

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(base + "/workbench/site-check/")
    assert str(run.score) in page.get_by_test_id("sitecheck-runs").inner_text()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390 + 1
    page.screenshot(path=str(ARTIFACTS / "sitecheck-history-phone.png"), full_page=True)
    context.close()


def test_check_over_http_against_the_live_server(live_server, publish):
    """With --base-url the pages are asked over HTTP (here the live server): the site answers,
    its pages are crawled and the search finds a published title."""
    from gongkai.orgs.permissions import CommandLine
    from gongkai.sitecheck import services
    from gongkai.sitecheck.checks import Limits

    publish(title="关于做好秋季学期开学工作的通知")
    run = services.site_check_run(
        actor=CommandLine("test"),
        base_url=live_server.url,
        limits=Limits(max_pages=12, link_timeout=2, link_deadline=3),
    )
    items = {i["id"]: i for i in run.results["indicators"]}
    assert items["site_unreachable"]["ok"] is True
    assert items["search"]["ok"] is True, items["search"]["reason"]
    assert items["links_internal"]["pages"] == 12
    assert items["mobile"]["ok"] is True and items["accessibility"]["ok"] is True
    assert run.base_url == live_server.url

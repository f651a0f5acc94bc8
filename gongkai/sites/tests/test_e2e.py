"""End-to-end, in Debian's chromium on a phone-sized screen (390 px): 示范市教育局's publisher
proposes closing its Weibo account, the city's supervising office approves, and the account
leaves the public list at /sites/ (issue 18 §3)."""

import pytest

from gongkai.conftest import ARTIFACTS
from gongkai.conftest import login as _login

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("demo_data")]


def _open_account():
    from gongkai.orgs.models import Org
    from gongkai.orgs.permissions import CommandLine
    from gongkai.sites import services

    actor = CommandLine("test")
    proposal = services.request_open(
        actor=actor,
        org=Org.objects.get(name="示范市教育局"),
        kind="new_media",
        data={
            "name": "示范教育微博",
            "platform": "weibo",
            "account_id": "5120000001",
            "person_name": "王五",
            "person_phone": "0755-88001234",
        },
        reason="登记在册",
    )
    return services.request_approve(actor=actor, request=proposal).entry


def _width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_publisher_proposes_closing_and_supervisor_approves_on_a_phone(browser, live_server):
    entry = _open_account()
    base = live_server.url
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    ARTIFACTS.mkdir(exist_ok=True)

    page.goto(base + "/sites/")
    assert "示范教育微博" in page.get_by_test_id("public-sites").inner_text()
    assert _width(page) <= 390, "the public list scrolls sideways on a phone"
    assert "0755-88001234" not in page.content() and "王五" not in page.content()

    _login(page, base, "demo-publisher")
    page.goto(base + "/workbench/sites/")
    assert _width(page) <= 390, "the register scrolls sideways on a phone"
    page.get_by_role("link", name="示范教育微博").click()
    page.get_by_label("关停理由").fill("功能已整合至市政府政务微信，申请关停。")
    page.get_by_test_id("propose-close").click()
    page.wait_for_url(f"{base}/workbench/sites/requests/*/")
    assert page.get_by_test_id("status").inner_text() == "待审核"
    page.screenshot(path=str(ARTIFACTS / "sites-close-proposed-390.png"), full_page=True)
    assert _width(page) <= 390, "the request page scrolls sideways on a phone"

    _login(page, base, "demo-supervisor")
    page.goto(base + "/workbench/sites/requests/")
    row = page.get_by_test_id("site-request-row").filter(has_text="示范教育微博")
    row.get_by_role("link", name="关停").click()
    page.get_by_test_id("do-approve").click()
    assert page.get_by_test_id("status").inner_text() == "已同意"
    page.screenshot(path=str(ARTIFACTS / "sites-close-approved-390.png"), full_page=True)
    entry.refresh_from_db()
    assert entry.status == "closed"

    page.goto(base + "/sites/")
    assert "示范教育微博" not in page.content()
    page.goto(base + "/workbench/sites/")
    assert "示范教育微博" not in page.get_by_test_id("site-register").inner_text()
    context.close()

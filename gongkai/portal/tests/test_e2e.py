"""End-to-end, in Debian's chromium driven by Playwright (never a downloaded browser)."""

import os
from pathlib import Path

import pytest

from gongkai.orgs.demo import DEMO_PASSWORD

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"
pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def browser():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(
                "chromium is not installed: CI must run the browser tests (make system-deps)"
            )
        pytest.skip("chromium is not installed (apt-get install chromium)")
    # Playwright's sync API runs an event loop in this thread; the ORM calls of the test are
    # still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


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

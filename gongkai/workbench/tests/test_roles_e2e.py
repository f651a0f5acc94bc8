"""End-to-end, in Debian's chromium: every demo role signs in and opens every link its workbench
home page and its navigation show; none answers 403, 404 or 500 (the home page shows each
user only what they may use). The home page shows counts of pending work, at desktop width and
on a phone."""

import pytest

from gongkai.conftest import ARTIFACTS
from gongkai.conftest import login as _login
from gongkai.orgs.demo import DEMO_ACCOUNTS

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("demo_data")]

LINKS = """() => [...document.querySelectorAll(
    '[data-testid="workbench-nav"] a[href], main a[href]')]
  .map(a => a.getAttribute('href'))
  .filter(h => h.startsWith('/workbench/'))"""


def test_every_link_on_each_roles_home_page_opens(browser, live_server):
    from gongkai.participation import demo_concerns, demo_consultations, demo_questions

    # Some pending work, so the counts and the queues have rows.
    for load in (demo_consultations.load, demo_questions.load, demo_concerns.load):
        for _line in load() or ():
            pass
    base = live_server.url
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    broken, opened = [], {}
    for username, _org, _role in DEMO_ACCOUNTS:
        _login(page, base, username)
        assert page.get_by_test_id("workbench-nav").count() == 1
        if username == "demo-head":
            page.screenshot(path=str(ARTIFACTS / "workbench-home-head.png"), full_page=True)
        links = sorted({href.split("#")[0] for href in page.evaluate(LINKS)})
        opened[username] = len(links)
        for href in links:
            response = page.goto(base + href)
            if response is None or response.status >= 400:
                broken.append((username, href, response.status if response else None))
    assert not broken, broken
    # Each role sees its own sections, not every one of them.
    assert opened["demo-reviewer"] < opened["demo-head"] < opened["demo-admin"]
    context.close()


def test_the_home_page_counts_pending_work_on_a_phone(browser, live_server):
    from gongkai.participation import demo_questions

    for _line in demo_questions.load() or ():
        pass
    base = live_server.url
    phone = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = phone.new_page()
    _login(page, base, "demo-head")
    nav = page.get_by_test_id("workbench-nav").inner_text()
    assert "依申请公开" in nav and "互动交流" in nav
    cards = page.get_by_test_id("home-cards")
    assert "待答复" in cards.inner_text()
    page.screenshot(path=str(ARTIFACTS / "workbench-home-390.png"), full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the home page scrolls sideways on a phone ({width}px)"
    _login(page, base, "demo-reviewer")
    nav = page.get_by_test_id("workbench-nav").inner_text()
    # A confidentiality reviewer does not handle requests or consultations.
    assert "依申请公开" not in nav and "意见征集" not in nav and "政府信息" in nav
    phone.close()

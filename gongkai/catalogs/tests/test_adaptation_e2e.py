"""End-to-end, in Debian's chromium at 390 px: a district publisher adapts the city's approved
catalog (rewords an item with a reason) and submits; the city's supervisor sees the difference
and returns it; the district fixes it and submits again; the supervisor approves."""

import pytest

from gongkai.conftest import ARTIFACTS
from gongkai.conftest import login as _login

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("demo_data")]

PASSWORD = "catalog-e2e-Passw0rd"


def _message(page) -> str:
    page.wait_for_load_state()
    return page.locator(".messages").inner_text() if page.locator(".messages").count() else ""


def _staff(username, org_name, role):
    from gongkai.orgs.models import Org
    from gongkai.orgs.services import membership_grant, staff_user_create

    user = staff_user_create(actor=None, username=username, password=PASSWORD, validate=False)
    membership_grant(actor=None, user=user, org=Org.objects.get(name=org_name), role=role)
    return user


def _press(page, locator):
    with page.expect_navigation():
        locator.tap()


def _no_sideways_scroll(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone ({width}px)"


def test_district_adaptation_walks_through_review(browser, live_server):
    from gongkai.catalogs.models import Catalog

    from .helpers import CITY, EAST, approved_city_catalog

    approved_city_catalog()
    _staff("east-publisher", EAST, "publisher")
    _staff("city-supervisor", CITY, "supervisor")
    base = live_server.url
    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                                has_touch=True)  # fmt: skip
    page = phone.new_page()

    # The district publisher adapts the city's catalog and rewords one item.
    _login(page, base, "east-publisher", PASSWORD)
    page.goto(base + "/workbench/catalogs/")
    _no_sideways_scroll(page)
    page.get_by_text("根据上级目录调整 / 新建目录").tap()
    page.select_option("#a-org", label=EAST)
    page.select_option("#a-area", label="义务教育")
    _press(page, page.get_by_test_id("do-adapt"))
    assert "已根据上级目录生成" in _message(page)
    draft = Catalog.objects.get(org__name=EAST)
    item = draft.items.get(level2="招生范围")
    _press(page, page.locator(f"#item-{item.pk} a"))
    _no_sideways_scroll(page)
    page.get_by_label("公开内容（要素）").fill("招生范围、学区划分；东城区学区划分图")
    _press(page, page.get_by_test_id("save-item"))
    assert "请填写修改事项的理由" in page.get_by_test_id("item-error").inner_text()
    page.get_by_label("调整理由").fill("本区学区调整频繁，细化公开学区划分图")
    _press(page, page.get_by_test_id("save-item"))
    assert "已保存事项" in _message(page)
    _press(page, page.get_by_test_id("do-submit"))
    assert "已提交审核" in _message(page)
    page.screenshot(path=str(ARTIFACTS / "catalog-adapt-390.png"), full_page=True)

    # The city's supervisor sees the difference with its reason, and returns it.
    _login(page, base, "city-supervisor", PASSWORD)
    page.goto(base + "/workbench/catalogs/reviews/")
    _press(page, page.get_by_test_id("review-rows").get_by_role("link", name="义务教育"))
    differences = page.get_by_test_id("differences").inner_text()
    assert "招生管理 / 招生范围" in differences and "东城区学区划分图" in differences
    assert "本区学区调整频繁" in differences
    _no_sideways_scroll(page)
    page.screenshot(path=str(ARTIFACTS / "catalog-review-390.png"), full_page=True)
    _press(page, page.get_by_test_id("do-return"))
    assert "请填写退回的理由" in _message(page)
    page.get_by_label("审核意见（退回时必填）").fill("请同时注明学区咨询电话")
    _press(page, page.get_by_test_id("do-return"))
    assert "已退回修改" in _message(page)
    assert Catalog.objects.get(pk=draft.pk).status == "returned"

    # The district fixes the item and submits again.
    _login(page, base, "east-publisher", PASSWORD)
    page.goto(f"{base}/workbench/catalogs/{draft.pk}/")
    assert "请同时注明学区咨询电话" in page.get_by_test_id("review-note").inner_text()
    _press(page, page.locator(f"#item-{item.pk} a"))
    page.get_by_label("公开内容（要素）").fill("招生范围、学区划分；东城区学区划分图及咨询电话")
    _press(page, page.get_by_test_id("save-item"))
    assert "已保存事项" in _message(page)
    _press(page, page.get_by_test_id("do-submit"))
    assert "已提交审核" in _message(page)

    # The supervisor approves.
    _login(page, base, "city-supervisor", PASSWORD)
    page.goto(f"{base}/workbench/catalogs/{draft.pk}/review/")
    assert "咨询电话" in page.get_by_test_id("differences").inner_text()
    _press(page, page.get_by_test_id("do-approve"))
    assert "已审定通过" in _message(page)
    approved = Catalog.objects.get(pk=draft.pk)
    assert approved.status == "approved"
    reworded = approved.items.get(pk=item.pk)
    assert reworded.change == "reworded" and "咨询电话" in reworded.elements
    phone.close()

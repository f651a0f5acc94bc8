"""End-to-end, in Debian's chromium: the public-concern ledger (issue 16 §3, desktop).

demo-head of 示范市教育局 registers a 重大 concern first noticed 5 hours and 1 minute ago (the
"09:00 → 14:01" case: the test sets the clock by the time of awareness); its page and the
ledger show it overdue for the 5-hour rule, in words and colour. The head records the first
release, the reason the limit was missed, and the ledger shows the limit met late.
"""

import datetime as dt
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from gongkai.conftest import ARTIFACTS
from gongkai.conftest import login as _login

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("demo_data")]


def test_major_concern_is_overdue_for_the_five_hour_rule(browser, live_server):
    from gongkai.participation.models import Concern

    base = live_server.url
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    _login(page, base, "demo-head")

    # "Registered at 09:00, looked at 14:01": noticed 5 h 1 min before now.
    noticed = timezone.localtime(timezone.now() - dt.timedelta(hours=5, minutes=1))
    page.goto(base + "/workbench/concerns/")
    page.get_by_test_id("concern-register").click()
    page.locator("#id_org").select_option(label="示范市教育局")
    page.locator("#id_title").fill("网传某中学食堂食材变质")
    page.locator("#id_source").select_option(label="网络舆情")
    page.locator("#id_noticed_at").fill(noticed.strftime("%Y-%m-%dT%H:%M"))
    page.locator("#id_severity").select_option(label="重大")
    page.get_by_label("食品安全").check()
    page.locator("#id_other_tags").fill("校园食堂")
    page.get_by_test_id("concern-save").click()
    page.wait_for_url(f"{base}/workbench/concerns/*/")
    concern = Concern.objects.get(title="网传某中学食堂食材变质")
    assert concern.tags == ["食品安全", "校园食堂"]

    info = page.get_by_test_id("clock-row-info")
    assert "5 小时内发布权威信息" in info.inner_text()
    assert "已超时" in info.inner_text() and "待登记原因" in info.inner_text()
    assert "level-overdue" in (info.get_attribute("class") or "")
    assert "剩余 18 小时" in page.get_by_test_id("clock-row-press").inner_text()
    page.screenshot(path=str(ARTIFACTS / "concern-overdue-detail.png"), full_page=True)

    page.goto(base + "/workbench/concerns/")
    row = page.get_by_test_id("concern-row").filter(has_text="网传某中学食堂食材变质")
    assert "已超时" in row.get_by_test_id("clock-info").inner_text()
    assert row.get_by_test_id("clock-info").get_attribute("data-state") == "missed"
    assert "level-overdue" in (row.get_attribute("class") or "")
    page.screenshot(path=str(ARTIFACTS / "concern-ledger.png"), full_page=True)

    # The first release, late, and the reason for it.
    page.get_by_role("link", name="网传某中学食堂食材变质").click()
    form = page.get_by_test_id("response-form")
    form.get_by_label("方式").select_option(label="首次发布")
    form.get_by_label("渠道").fill("市教育局官方网站")
    form.get_by_label("发布人").fill("新闻发言人")
    form.get_by_label("内容摘要").fill("已组织核查，暂停该食堂供餐。")
    page.get_by_test_id("do-response").click()
    assert "已登记回应" in page.locator(".messages").inner_text()
    assert "超时完成" in page.get_by_test_id("clock-row-info").inner_text()
    missed = page.get_by_test_id("missed-form-info")
    missed.get_by_role("textbox").fill("需会同市场监管部门核实后发布")
    missed.get_by_role("button", name="登记超时原因").click()
    assert "需会同市场监管部门核实后发布" in page.get_by_test_id("clock-row-info").inner_text()

    # The ledger as XLSX, read back.
    page.goto(base + "/workbench/concerns/")
    with page.expect_download() as download:
        page.get_by_test_id("concerns-xlsx").click()
    ws = load_workbook(io.BytesIO(download.value.path().read_bytes()))["回应关切台账"]
    titles = [ws.cell(r, 2).value for r in range(3, ws.max_row + 1)]
    assert "网传某中学食堂食材变质" in titles
    context.close()

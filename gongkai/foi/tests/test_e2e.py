"""End-to-end, in Debian's chromium driven by Playwright (never a downloaded browser): the
issue's "done when" path of a disclosure request, from a citizen's phone to the reply letter.

The request is received on the real "today" (the VM clock: an online application is received
the day it is submitted). The later steps must happen on later working days — a clarification
on working day 3, the correction two working days after that, and so on — and the workbench
refuses dates in the future, so the test moves the application's notion of today
(`gongkai.foi.services.base.today`, which every foi page and service reads) forward, as the days
would pass. The live server runs in this process, so it sees the same clock. Every due date
the pages show is compared with `gongkai.core.workdays`, never with a hard-coded date.
"""

import datetime as dt
import io

import pytest

from gongkai.conftest import ARTIFACTS
from gongkai.conftest import captcha_answer as _solve_captcha
from gongkai.conftest import login as _login

VALID_ID = "11010519491231002X"
pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("demo_data")]


@pytest.fixture
def app_day(monkeypatch):
    """Set the day the application believes it is (starts as the real today)."""
    from gongkai.foi import services

    real = services.today()
    current = {"day": real}
    monkeypatch.setattr(services.base, "today", lambda: current["day"])

    def move_to(day: dt.date) -> dt.date:
        assert day >= current["day"], "the days only move forward"
        current["day"] = day
        return day

    move_to.real_today = real
    return move_to


def _due(page) -> str:
    return page.get_by_test_id("due-date").locator("strong").inner_text()


def _done(page, label):
    """The workbench confirms a step with a message and never with an error."""
    messages = page.locator(".messages").inner_text() if page.locator(".messages").count() else ""
    assert f"已完成：{label}" in messages, messages


def test_apply_on_a_phone_clarify_extend_reply_and_download(browser, live_server, app_day):
    import docx
    import pypdf

    from gongkai.core import workdays
    from gongkai.orgs.models import Org

    base = live_server.url
    edu = Org.objects.get(name="示范市教育局")
    cal = workdays.calendar(region=edu)

    def add(day, n):
        return cal.add_working_days(day, n).due_date

    received = app_day.real_today
    ARTIFACTS.mkdir(exist_ok=True)

    # --- 1. A citizen applies on a phone and tracks the request ---------------------------
    phone = browser.new_context(
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    citizen = phone.new_page()
    citizen.goto(base + "/foi/apply/")
    assert citizen.evaluate("document.documentElement.scrollWidth") <= 390
    citizen.get_by_label("自然人").check()
    citizen.get_by_label("姓名或名称").fill("李四")
    citizen.get_by_label("证件类型").select_option("resident_id")
    citizen.get_by_label("证件号码").fill(VALID_ID)
    citizen.get_by_label("联系电话").fill("13912345678")
    citizen.get_by_label("受理机关").select_option(label="示范市教育局")
    citizen.get_by_label("所需政府信息的名称或内容描述").fill(
        "本局2025年校舍维修项目的招标文件和中标结果"
    )
    citizen.get_by_label("电子数据（光盘、磁盘等）").check()
    citizen.get_by_label("验证码（请计算图中算式）").fill(_solve_captcha(citizen))
    citizen.screenshot(path=str(ARTIFACTS / "foi-apply-390.png"), full_page=True)
    citizen.get_by_test_id("submit").tap()
    citizen.wait_for_url(base + "/foi/apply/done/")
    number = citizen.get_by_test_id("number").inner_text()
    password = citizen.get_by_test_id("password").inner_text()
    assert number and len(password) == 10
    assert VALID_ID not in citizen.content()
    first_due = add(received, 20)
    assert _due(citizen) == first_due.isoformat()
    citizen.screenshot(path=str(ARTIFACTS / "foi-receipt-390.png"), full_page=True)

    citizen.context.clear_cookies()  # tracking needs the password, not the session
    citizen.goto(base + "/foi/track/")
    citizen.get_by_label("申请编号").fill(number)
    citizen.get_by_label("查询密码").fill(password)
    citizen.get_by_test_id("track-submit").tap()
    assert citizen.get_by_test_id("number").inner_text() == number
    assert citizen.get_by_test_id("status").inner_text() == "已登记"
    assert _due(citizen) == first_due.isoformat()
    assert citizen.evaluate("document.documentElement.scrollWidth") <= 390
    track_url = citizen.url

    # --- 2. The handler assigns it and asks for a correction on working day 3 -------------
    desk = browser.new_context(viewport={"width": 1280, "height": 900})
    staff = desk.new_page()
    detail = f"{base}/workbench/requests/{number}/"
    _login(staff, base, "demo-handler")
    staff.goto(base + "/workbench/requests/")
    staff.get_by_role("link", name=number).click()
    staff.wait_for_url(detail)
    assert _due(staff) == first_due.isoformat()
    staff.get_by_label("办理人").select_option(label="demo-handler")
    staff.get_by_test_id("do-assign").click()
    _done(staff, "分派办理人")
    assert staff.get_by_test_id("status").inner_text() == "办理中"

    asked = app_day(add(received, 3))
    staff.get_by_label("需要补正的事项").fill("请写明所需招标文件对应的项目名称或项目编号。")
    staff.get_by_label("补正期限（工作日）").fill("10")
    staff.get_by_label("告知日期").fill(asked.isoformat())
    staff.get_by_test_id("do-ask_clarification").click()
    _done(staff, "告知补正")
    assert staff.get_by_test_id("status").inner_text() == "待申请人补正"
    assert staff.get_by_test_id("due-date").count() == 0  # unknown while paused

    # --- 3. The correction arrives: the clock restarts; the head extends ------------------
    corrected = app_day(add(asked, 2))
    staff.get_by_label("收到补正日期").fill(corrected.isoformat())
    staff.get_by_test_id("do-clarification_received").click()
    _done(staff, "收到补正")
    restarted_due = add(corrected, 20)
    assert restarted_due != first_due
    assert _due(staff) == restarted_due.isoformat()

    app_day(add(corrected, 15))
    _login(staff, base, "demo-head")
    staff.goto(detail)
    staff.get_by_label("延长工作日").fill("20")
    staff.get_by_label("延期理由").fill("所需信息涉及多个年度的招标档案，需要调取核对。")
    staff.get_by_test_id("do-extend").click()
    _done(staff, "批准延期")
    extended_due = add(corrected, 40)
    assert extended_due == add(restarted_due, 20)
    assert _due(staff) == extended_due.isoformat()

    # --- the reply: drafted, approved by the head, passed by legal, sent ------------------
    app_day(add(corrected, 30))
    _login(staff, base, "demo-handler")
    staff.goto(detail)
    staff.get_by_label("办理结果（年报统计口径）").select_option("partial")
    staff.get_by_label("理由说明（不予公开、部分公开等须写明）").fill(
        "招标文件中投标人的报价明细涉及商业秘密，经征求意见不同意公开，不予公开。"
    )
    staff.get_by_label("提供方式说明").fill("其余内容以电子数据形式随本答复书一并提供。")
    staff.get_by_test_id("do-draft_reply").click()
    _done(staff, "拟写答复")
    assert staff.get_by_test_id("do-send").count() == 0

    _login(staff, base, "demo-head")
    staff.goto(detail)
    staff.get_by_test_id("do-head_approve").click()
    _done(staff, "负责人审核通过")
    assert staff.get_by_test_id("status").inner_text() == "待合法性审核"

    # 4. Not before the legal review: the handler has no "send" button yet.
    _login(staff, base, "demo-handler")
    staff.goto(detail)
    assert staff.get_by_test_id("do-send").count() == 0

    _login(staff, base, "demo-legal")
    staff.goto(detail)
    staff.get_by_test_id("do-legal_approve").click()
    _done(staff, "合法性审核通过")

    _login(staff, base, "demo-handler")
    staff.goto(detail)
    staff.get_by_test_id("do-send").click()
    _done(staff, "发送答复")
    assert staff.get_by_test_id("status").inner_text() == "已答复"
    staff.screenshot(path=str(ARTIFACTS / "foi-workbench-replied.png"), full_page=True)
    desk.close()

    # --- 5. The citizen sees the letters and downloads the reply --------------------------
    citizen.goto(track_url)
    assert citizen.get_by_test_id("status").inner_text() == "已答复"
    letters = citizen.get_by_test_id("letters")
    for title in ("补正通知书", "延期答复告知书", "政府信息公开申请答复书"):
        assert title in letters.inner_text()
    reply = letters.locator("li", has_text="政府信息公开申请答复书")
    files = {}
    for fmt in ("PDF", "DOCX"):
        with citizen.expect_download() as download:
            reply.get_by_role("link", name=fmt).click()
        files[fmt] = download.value.path().read_bytes()
    pdf_text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(files["PDF"])).pages)
    docx_text = "\n".join(p.text for p in docx.Document(io.BytesIO(files["DOCX"])).paragraphs)
    for text in (pdf_text.replace("\n", ""), docx_text):
        for needle in ("第三十三条", "第三十七条", "行政复议", number):
            assert needle in text, needle

    # --- 6. ... and the whole computation ---------------------------------------------------
    explanation = citizen.get_by_test_id("explanation").inner_text()
    assert "答复期限自该日起重新计算" in explanation  # the restart (Art.30)
    assert "延长答复期限 20 个工作日" in explanation  # the extension (Art.33)
    assert extended_due.isoformat() in explanation
    assert _due(citizen) == extended_due.isoformat()
    assert "按期办结" in explanation
    assert citizen.evaluate("document.documentElement.scrollWidth") <= 390
    citizen.screenshot(path=str(ARTIFACTS / "foi-track-replied-390.png"), full_page=True)
    phone.close()

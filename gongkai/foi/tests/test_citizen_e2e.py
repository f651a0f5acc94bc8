"""A citizen on a 390 px phone, in Debian's chromium (issue 17, "done when"): from the home page
to the request form in at most two taps, a refused first try with its error box, the
submission, the printable receipt (a PDF whose text carries the number), and the tracking page
with the request's text and its history — then a withdrawal that asks for confirmation."""

import io

import pytest

from gongkai.conftest import ARTIFACTS
from gongkai.conftest import captcha_answer as _solve_captcha

VALID_ID = "11010519491231002X"
pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("demo_data")]


def _no_overflow(page):
    width = page.evaluate("document.documentElement.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_citizen_from_home_page_to_receipt_and_tracking(browser, live_server):
    import pypdf
    from playwright.sync_api import expect

    base = live_server.url
    ARTIFACTS.mkdir(exist_ok=True)
    phone = browser.new_context(
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    page = phone.new_page()
    page.goto(base + "/")

    # --- at most two taps from the home page to the form ---------------------------------
    taps = 0
    link = page.get_by_role("link", name="申请公开", exact=True).first
    if not link.is_visible():  # a collapsed menu on a phone costs one tap
        page.get_by_role("button", name="菜单").tap()
        taps += 1
    link.tap()
    taps += 1
    page.wait_for_url(base + "/foi/apply/")
    assert taps <= 2
    _no_overflow(page)

    # --- a first try with mistakes: the errors in an error box, linked to the fields -------
    page.get_by_label("验证码（请计算图中算式）").fill("999")
    page.get_by_test_id("submit").tap()
    summary = page.get_by_test_id("form-errors")
    expect(summary).to_be_visible()
    assert "error-summary" in (summary.get_attribute("class") or "")
    colour = summary.evaluate("e => getComputedStyle(e).borderTopColor")
    assert colour == "rgb(160, 0, 0)", colour  # red, not the green of success messages
    text = summary.inner_text()
    assert "请选择申请人类型" in text and "验证码错误" in text and "这个字段" not in text
    page.screenshot(path=str(ARTIFACTS / "foi-apply-errors-390.png"), full_page=True)

    # --- "看不清，换一题" swaps the CAPTCHA in place and keeps what was typed ---------------
    page.get_by_label("姓名或名称").fill("李四")
    before = page.locator('input[name="captcha_0"]').get_attribute("value")
    page.get_by_test_id("captcha-refresh").tap()
    page.wait_for_function(
        "k => document.querySelector('input[name=\"captcha_0\"]').value !== k", arg=before
    )
    assert page.url.startswith(base + "/foi/apply/")
    assert page.get_by_label("姓名或名称").input_value() == "李四"
    page.wait_for_function("() => document.querySelector('img.captcha').complete")
    assert page.locator("img.captcha").evaluate("i => i.naturalWidth") > 0
    assert page.locator("img.captcha").get_attribute("alt").startswith("验证码图片")

    # --- the application -------------------------------------------------------------------
    page.get_by_label("自然人").check()
    page.get_by_label("证件类型").select_option("resident_id")
    page.get_by_label("证件号码").fill(VALID_ID)
    page.get_by_label("联系电话").fill("13912345678")
    page.get_by_label("电子邮箱").fill("lisi@example.cn")
    page.locator("#id_org").select_option(label="示范市教育局")
    page.get_by_label("所需政府信息的名称或内容描述").fill("本局2025年校舍维修项目的招标文件")
    page.get_by_label("电子数据（光盘、磁盘等）").check()
    page.get_by_label("验证码（请计算图中算式）").fill(_solve_captcha(page))
    page.get_by_test_id("submit").tap()
    page.wait_for_url(base + "/foi/apply/done/")
    number = page.get_by_test_id("number").inner_text()
    password = page.get_by_test_id("password").inner_text()
    assert "lisi@example.cn" in page.get_by_test_id("mail-note").inner_text()
    _no_overflow(page)
    page.screenshot(path=str(ARTIFACTS / "foi-apply-done-390.png"), full_page=True)

    # --- the printable receipt ---------------------------------------------------------------
    receipt = page.get_by_test_id("receipt-pdf")
    response = page.request.get(base + receipt.get_attribute("href"))
    assert response.ok and response.headers["content-type"] == "application/pdf"
    pdf = pypdf.PdfReader(io.BytesIO(response.body()))
    text = "".join(p.extract_text() for p in pdf.pages).replace("\n", "")
    assert number in text and "受理回执" in text and password not in text

    # --- tracking, from another session, with the number and the password ------------------
    page.context.clear_cookies()
    page.goto(base + "/foi/track/")
    page.get_by_label("申请编号").fill(number)
    page.get_by_label("查询密码").fill(password)
    page.get_by_test_id("track-submit").tap()
    expect(page.get_by_test_id("number")).to_have_text(number)
    assert "校舍维修项目的招标文件" in page.get_by_test_id("request-text").inner_text()
    history = page.get_by_test_id("history").inner_text()
    assert "收到申请" in history and number in history
    assert "demo-" not in page.content()
    _no_overflow(page)
    page.screenshot(path=str(ARTIFACTS / "foi-track-history-390.png"), full_page=True)

    # --- withdrawing asks first; "不撤回" changes nothing; confirming withdraws -------------
    page.get_by_test_id("withdraw").tap()
    expect(page.get_by_role("heading", name="确认撤回申请")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "foi-withdraw-confirm-390.png"), full_page=True)
    page.get_by_test_id("withdraw-cancel").tap()
    expect(page.get_by_test_id("status")).to_have_text("已登记")
    page.get_by_test_id("withdraw").tap()
    page.get_by_test_id("withdraw-confirm").tap()
    expect(page.get_by_test_id("status")).to_have_text("申请人已撤回")
    assert "申请人撤回申请" in page.get_by_test_id("history").inner_text()
    phone.close()

    # The same pages at desktop width, for the screenshots.
    desk = browser.new_context(viewport={"width": 1280, "height": 900})
    page = desk.new_page()
    page.goto(base + "/foi/apply/?org=" + _edu_code())
    page.screenshot(path=str(ARTIFACTS / "foi-apply-desktop.png"), full_page=True)
    desk.close()


def _edu_code() -> str:
    from gongkai.orgs.models import Org

    return Org.objects.get(name="示范市教育局").code


def test_handler_attaches_the_information_and_the_applicant_downloads_it(browser, live_server):
    """The reply's disclosed files: uploaded on the workbench, fixed once the draft goes to
    review, downloaded by the applicant on a phone after the reply is sent."""
    import datetime as dt

    from django.contrib.auth import get_user_model

    from gongkai.foi import services
    from gongkai.foi.models import Request
    from gongkai.orgs.demo import DEMO_PASSWORD
    from gongkai.orgs.models import Org

    from .test_tracking import PDF

    base = live_server.url
    users = {
        n: get_user_model().objects.get(username=f"demo-{n}") for n in ("handler", "head", "legal")
    }
    h = users["handler"]
    receipt = services.request_register(
        actor=h,
        data=services.ApplicationInput(
            org=Org.objects.get(name="示范市教育局"), applicant_kind="natural_person", name="周八",
            id_type="resident_id", id_number=VALID_ID, phone="13700000000",
            description="2025年义务教育学校招生计划表", form="electronic",
        ),
        channel="in_person",
        submitted_on=dt.date.today(),
    )  # fmt: skip
    number, password = receipt.request.number, receipt.password
    services.request_assign(actor=h, request=receipt.request, handler=h)
    pdf_path = ARTIFACTS / "foi-招生计划.pdf"
    pdf_path.write_bytes(PDF)

    desk = browser.new_context(viewport={"width": 1280, "height": 900})
    staff = desk.new_page()
    staff.goto(base + "/workbench/login/")
    staff.get_by_label("用户名").fill("demo-handler")
    staff.get_by_label("密码").fill(DEMO_PASSWORD)
    staff.get_by_role("button", name="登录").click()
    staff.goto(f"{base}/workbench/requests/{number}/")
    staff.get_by_label("上传公开的政府信息（可多选）").set_input_files(str(pdf_path))
    staff.get_by_test_id("do-disclosed_add").click()
    files = staff.get_by_test_id("disclosed-files")
    assert "foi-招生计划.pdf" in files.inner_text()
    staff.screenshot(path=str(ARTIFACTS / "foi-workbench-disclosed.png"), full_page=True)
    desk.close()

    req = Request.objects.get(number=number)
    services.request_draft_reply(actor=h, request=req, outcome="disclosed", provision="见附件。")
    services.request_head_approve(actor=users["head"], request=req)
    services.request_legal_approve(actor=users["legal"], request=req)
    services.request_send(actor=h, request=req)

    phone = browser.new_context(
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    page = phone.new_page()
    page.goto(base + "/foi/track/")
    page.get_by_label("申请编号").fill(number)
    page.get_by_label("查询密码").fill(password)
    page.get_by_test_id("track-submit").tap()
    listed = page.get_by_test_id("disclosed-files")
    with page.expect_download() as download:
        listed.get_by_role("link", name="foi-招生计划.pdf").click()
    assert download.value.path().read_bytes() == PDF
    assert "作出答复" in page.get_by_test_id("history").inner_text()
    _no_overflow(page)
    page.screenshot(path=str(ARTIFACTS / "foi-track-files-390.png"), full_page=True)
    phone.close()

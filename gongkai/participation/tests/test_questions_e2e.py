"""End-to-end, in Debian's chromium driven by Playwright: the issue's "done when" path of a
question. A citizen on a phone starts typing, sees a similar answered question, asks anyway
(to "the government") and gets a number and password; the city government's supervising office
transfers it to 民政局, whose staff answer and whose head approves; a reviewer publishes it
masked; the citizen tracks it and rates the answer."""

import re

import pytest

from gongkai.conftest import ARTIFACTS
from gongkai.conftest import captcha_answer as _solve_captcha
from gongkai.conftest import login as _login
from gongkai.orgs.demo import DEMO_PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("demo_data")]

CIVIL, CITY = "示范市民政局", "示范市人民政府"
PHONE = "13912345678"


def _done(page, text):
    messages = page.locator(".messages").inner_text() if page.locator(".messages").count() else ""
    assert text in messages, messages


def _published_answer():
    """An answered, published question at 民政局: the one the citizen will be shown."""
    from gongkai.orgs.models import Org
    from gongkai.orgs.permissions import CommandLine
    from gongkai.participation.services import questions as services

    actor = CommandLine("test")
    q = services.question_submit(
        data=services.QuestionInput(
            org=Org.objects.get(name=CIVIL),
            kind="enquiry",
            subject="高龄津贴怎么申请？",
            text="我父亲今年八十岁，请问高龄津贴向哪里申请？",
            name="赵六",
            contact=PHONE,
            publish_consent=True,
        ),
        source_address="",
    ).question
    q = services.question_accept(actor=actor, question=q)
    q = services.question_draft_answer(
        actor=actor, question=q, answer="年满80周岁的本市户籍老人可向社区（村）申请高龄津贴。"
    )
    q = services.question_approve_answer(actor=actor, question=q)
    return services.question_publish(actor=actor, question=q, **services.publish_prefill(q))


def test_ask_similar_transfer_answer_publish_and_rate(browser, live_server, make_staff):
    from gongkai.participation.models import Question

    base = live_server.url
    ARTIFACTS.mkdir(exist_ok=True)
    earlier = _published_answer()
    handler = make_staff(CIVIL, "request_handler", username="civil-handler")
    make_staff(CIVIL, "office_head", username="civil-head")
    make_staff(CIVIL, "reviewer", username="civil-reviewer")
    assert handler

    # --- 1. A citizen on a phone types, sees a similar answer, asks anyway -----------------
    phone = browser.new_context(
        viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True,
        has_touch=True,
    )  # fmt: skip
    citizen = phone.new_page()
    citizen.goto(base + "/interaction/ask/")
    assert citizen.evaluate("document.documentElement.scrollWidth") <= 390
    citizen.get_by_label("收信机关").select_option(label=CITY)
    citizen.get_by_label("留言类别").select_option("enquiry")
    citizen.get_by_label("主题").press_sequentially("高龄津贴申请", delay=30)
    similar = citizen.get_by_test_id("similar-live")
    similar.get_by_role("link", name="高龄津贴怎么申请？").wait_for()
    citizen.screenshot(path=str(ARTIFACTS / "question-similar-390.png"), full_page=True)
    citizen.get_by_label("留言内容").fill(
        f"我母亲今年八十二岁，住在城东街道，身份证号11010519491231002X，电话{PHONE}。"
        "已经看过高龄津贴的答复，但她户籍在外地，请问能否在本市申请？"
    )
    citizen.get_by_role("textbox", name="姓名", exact=True).fill("钱七")
    citizen.get_by_label("联系电话或电子邮箱").fill(PHONE)
    citizen.get_by_label(re.compile("同意在答复后公开")).check()
    citizen.get_by_label("验证码（请计算图中算式）").fill(_solve_captcha(citizen))
    submit = citizen.get_by_test_id("submit")
    assert submit.inner_text() == "仍要提交"
    citizen.screenshot(path=str(ARTIFACTS / "question-ask-390.png"), full_page=True)
    submit.tap()
    citizen.wait_for_url(base + "/interaction/ask/done/")
    number = citizen.get_by_test_id("number").inner_text()
    password = citizen.get_by_test_id("password").inner_text()
    assert number and len(password) == 10
    citizen.screenshot(path=str(ARTIFACTS / "question-receipt-390.png"), full_page=True)
    assert Question.objects.get(number=number).org.name == CITY

    # --- 2. The city government's office transfers it to 民政局 ----------------------------
    desk = browser.new_context(viewport={"width": 1280, "height": 900})
    staff = desk.new_page()
    _login(staff, base, "demo-supervisor", DEMO_PASSWORD)
    staff.goto(base + "/workbench/questions/")
    staff.get_by_role("link", name=number).first.click()
    detail = f"{base}/workbench/questions/{number}/"
    staff.wait_for_url(detail)
    staff.get_by_label("转至").select_option(label=CIVIL)
    staff.get_by_label("转办理由").fill("高龄津贴属民政部门职责")
    staff.get_by_test_id("do-transfer").click()
    _done(staff, "已完成：转办")
    staff.screenshot(path=str(ARTIFACTS / "question-transferred.png"), full_page=True)

    # --- 3. 民政局 staff answer, the head approves ----------------------------------------
    _login(staff, base, "civil-handler", "x")
    staff.goto(detail)
    assert "高龄津贴属民政部门职责" in staff.get_by_test_id("transfers").inner_text()
    staff.get_by_test_id("do-accept").click()
    _done(staff, "已完成：受理")
    staff.get_by_label("答复内容", exact=True).fill(
        "户籍在外地的老人，持本市居住证满一年的，可向居住地社区申请高龄津贴。"
    )
    staff.get_by_test_id("do-draft_answer").click()
    _done(staff, "已完成：拟写答复")
    _login(staff, base, "civil-head", "x")
    staff.goto(detail)
    staff.get_by_test_id("do-approve_answer").click()
    _done(staff, "已完成：审核并答复")
    assert staff.get_by_test_id("status").inner_text() == "已答复"

    # --- 4. A reviewer publishes it, masked ----------------------------------------------
    _login(staff, base, "civil-reviewer", "x")
    staff.goto(detail)
    staff.get_by_test_id("publish-link").click()
    text = staff.get_by_label("公开留言内容").input_value()
    assert "11010519491231002X" not in text and PHONE not in text
    staff.screenshot(path=str(ARTIFACTS / "question-publish.png"), full_page=True)
    staff.get_by_test_id("do-publish").click()
    _done(staff, "已公开问答")

    citizen.context.clear_cookies()
    citizen.goto(f"{base}/interaction/{number}/")
    public = citizen.content()
    for secret in ("钱七", PHONE, "11010519491231002X"):
        assert secret not in public
    assert "居住证" in citizen.get_by_test_id("qa-answer").inner_text()
    assert citizen.evaluate("document.documentElement.scrollWidth") <= 390
    citizen.screenshot(path=str(ARTIFACTS / "question-published-390.png"), full_page=True)
    citizen.goto(f"{base}/interaction/?q=高龄津贴")
    assert citizen.get_by_test_id("qa-item").count() >= 2
    assert earlier.number

    # --- 5. The citizen tracks it and rates the answer -----------------------------------
    citizen.goto(base + "/interaction/track/")
    citizen.get_by_label("留言编号").fill(number)
    citizen.get_by_label("查询密码").fill(password)
    citizen.get_by_test_id("track-submit").tap()
    assert citizen.get_by_test_id("status").inner_text() == "已答复"
    assert CIVIL in citizen.get_by_test_id("org").inner_text()
    assert "重新计算" in citizen.get_by_test_id("transfers").inner_text() or "连续计算" in (
        citizen.get_by_test_id("transfers").inner_text()
    )
    citizen.get_by_label("满意", exact=True).check()
    citizen.get_by_label("评价意见（可选）").fill("答复清楚")
    citizen.get_by_test_id("rate-submit").tap()
    assert citizen.get_by_test_id("rating").inner_text().startswith("您的评价：满意")
    assert citizen.evaluate("document.documentElement.scrollWidth") <= 390
    citizen.screenshot(path=str(ARTIFACTS / "question-rated-390.png"), full_page=True)
    assert Question.objects.get(number=number).rating == "satisfied"
    phone.close()
    desk.close()

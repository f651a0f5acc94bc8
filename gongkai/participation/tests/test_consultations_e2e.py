"""End-to-end, in Debian's chromium: a citizen comments on the open consultation from a phone;
staff confirm the suggested group of similar comments, decide every comment (the shared view
not adopted, with the reason), end the period early and publish the feedback; the public page
shows the reason for the rejected common view."""

import pytest

from gongkai.conftest import ARTIFACTS
from gongkai.conftest import captcha_answer as _solve_captcha
from gongkai.conftest import login as _login

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("demo_data")]


def _message(page) -> str:
    page.wait_for_load_state()
    return page.locator(".messages").inner_text() if page.locator(".messages").count() else ""


def test_comment_on_a_phone_then_group_decide_and_publish_feedback(browser, live_server):
    from gongkai.participation import demo_consultations
    from gongkai.participation.models import Comment, Consultation

    demo_consultations.load()
    c = Consultation.objects.get(status="open", title__contains="课后服务")
    base = live_server.url
    phone = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    citizen = phone.new_page()
    citizen.goto(base + "/consultations/")
    citizen.get_by_role("link", name=c.title).tap()
    citizen.get_by_label("您的意见和建议").fill(
        "建议课后服务时间延长到晚上六点半，联系电话13712345678"
    )
    citizen.get_by_label("姓名（不公开）").fill("周女士")
    citizen.get_by_label("联系电话或电子邮箱（不公开）").fill("13712345678")
    citizen.get_by_label("同意公开我的意见内容", exact=False).check()
    citizen.get_by_label("验证码（请计算图中算式）").fill(_solve_captcha(citizen))
    citizen.screenshot(path=str(ARTIFACTS / "consultation-390.png"), full_page=True)
    width = citizen.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone ({width}px)"
    with citizen.expect_navigation():
        citizen.get_by_test_id("submit-comment").tap()
    errors = citizen.get_by_test_id("form-errors")
    assert not errors.count(), citizen.locator("main").inner_text()[:2000]
    assert "您的意见已提交" in _message(citizen)
    mine = Comment.objects.filter(consultation=c).latest("id")
    assert mine.name == "周女士" and "13712345678" not in mine.public_text
    public = citizen.get_by_test_id("public-comments").inner_text()
    assert "晚上六点半" in public and "周女士" not in citizen.content()

    desk = browser.new_context(viewport={"width": 1280, "height": 900})
    page = desk.new_page()
    _login(page, base, "demo-publisher")
    page.goto(f"{base}/workbench/consultations/{c.pk}/")
    suggestions = page.get_by_test_id("suggestions")
    assert suggestions.count() == 1 and "六点半" in suggestions.inner_text()
    suggestions.locator("input[name=title]").first.fill("课后服务延长到晚上六点半")
    page.get_by_test_id("confirm-group-1").click()
    assert "已归类意见" in _message(page)
    group = c.groups.get()
    assert group.comments.count() == 4
    row = page.get_by_test_id("groups").locator("li").first
    row.locator("select[name=decision]").select_option("not_adopted")
    row.locator("input[name=reason]").fill("教师工作时间有限，暂按下班时间安排，另行试点弹性离校。")
    page.get_by_test_id(f"decide-group-{group.pk}").click()
    assert "已处理该组意见" in _message(page)
    for box in page.locator("input[name=comments][type=checkbox]").all():
        box.check()
    page.select_option("#d-decision", "adopted")
    page.get_by_test_id("decide-selected").click()
    assert "已处理所选意见" in _message(page)
    page.locator("form:has([data-testid=do-close]) input[name=reason]").fill("意见已充分，提前结束")
    page.get_by_test_id("do-close").click()
    assert "结束征集" in _message(page)
    page.fill("#f-feedback", "共收到意见，采纳增加体育艺术活动的建议；延长时间的意见暂不采纳。")
    page.get_by_test_id("publish-feedback").click()
    assert "发布采纳情况" in _message(page)
    page.screenshot(path=str(ARTIFACTS / "consultation-workbench.png"), full_page=True)

    citizen.goto(f"{base}/consultations/{c.pk}/")
    rejected = citizen.get_by_test_id("not-adopted").inner_text()
    assert "课后服务延长到晚上六点半" in rejected and "教师工作时间有限" in rejected
    assert "截止" in citizen.get_by_test_id("closed-note").inner_text()
    citizen.screenshot(path=str(ARTIFACTS / "consultation-feedback-390.png"), full_page=True)
    phone.close()
    desk.close()

"""End-to-end, in Debian's chromium driven by Playwright: a bureau's task table as a PDF goes
through the workbench upload; the review screen lists the least trusted tasks first with how
each was found, resolves the bureau's internal units, creates the missing one on the reviewer's
consent, and the plan is confirmed (issue 19)."""

from pathlib import Path

import pytest

from gongkai.conftest import ARTIFACTS
from gongkai.conftest import login as _login

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("demo_data")]

PDF = Path(__file__).resolve().parent / "formats" / "plan-table.pdf"


def _message(page) -> str:
    return page.locator(".messages").inner_text() if page.locator(".messages").count() else ""


def test_pdf_table_import_review_create_internal_unit_confirm(browser, live_server):
    from gongkai.supervision.models import Assignment, WorkPlan

    base = live_server.url
    desk = browser.new_context(viewport={"width": 1280, "height": 900})
    page = desk.new_page()
    _login(page, base, "demo-head")  # office head of 示范市教育局: supervises its plans
    page.goto(base + "/workbench/plans/import/")
    page.set_input_files("#f-file", str(PDF))
    page.fill("#f-year", "2026")
    page.select_option("#f-org", label="示范市教育局")
    page.get_by_test_id("import-submit").click()
    page.wait_for_url("**/review/")
    assert "已识别 5 项任务" in _message(page)

    tasks = page.get_by_test_id("review-tasks")
    assert "示范市教育局政策法规科" in tasks.inner_text()
    assert tasks.get_by_test_id("found-by").first.inner_text() == "表格行"
    # The task naming the unit not yet known comes first, flagged low.
    first = tasks.locator("tbody tr").first
    assert "政务公开股" in first.inner_text()
    assert first.get_by_test_id("confidence").inner_text() == "低"
    page.screenshot(path=str(ARTIFACTS / "workplan-review-pdf.png"), full_page=True)
    review_url = page.url
    phone = browser.new_context(
        viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True
    )
    small = phone.new_page()
    _login(small, base, "demo-head")
    small.goto(review_url)
    small.screenshot(path=str(ARTIFACTS / "workplan-review-pdf-390.png"), full_page=True)
    # On a phone the page itself does not scroll sideways (wide tables scroll in their box).
    assert small.evaluate("document.documentElement.scrollWidth") <= 390
    phone.close()

    row = page.locator('tr[data-name="政务公开股"]')
    row.get_by_test_id("create-internal-unit").click()
    assert "已新建内设机构" in _message(page)
    assert "示范市教育局政务公开股" in page.get_by_test_id("review-tasks").inner_text()
    page.get_by_test_id("review-tasks").get_by_test_id("check-task").first.click()
    assert "核对无误" in _message(page)
    page.get_by_test_id("confirm-plan").click()
    assert "任务已交办" in _message(page)
    plan = WorkPlan.objects.get(source_name="plan-table.pdf")
    orgs = set(Assignment.objects.filter(task__plan=plan).values_list("org__name", flat=True))
    assert orgs == {
        "示范市教育局",
        "示范市教育局办公室",
        "示范市教育局政策法规科",
        "示范市教育局基础教育科",
        "示范市教育局政务公开股",
    }
    desk.close()

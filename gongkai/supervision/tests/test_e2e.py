"""End-to-end, in Debian's chromium driven by Playwright: the issue's "done when" path.

demo-supervisor imports the demo plan, maps the misspelt unit on the review screen and
confirms; the 东城区 account reports progress with an attachment; 示范市教育局 (the lead unit)
consolidates; the office accepts; the quarter's bulletin downloads as DOCX and XLSX and names
the overdue tasks.
"""

import io

import pytest
from docx import Document as Docx
from openpyxl import load_workbook

from gongkai.conftest import ARTIFACTS
from gongkai.conftest import login as _login
from gongkai.supervision.demo import DEMO_PLAN

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("demo_data")]


def _message(page) -> str:
    return page.locator(".messages").inner_text() if page.locator(".messages").count() else ""


def test_import_fix_confirm_report_consolidate_accept_bulletin(browser, live_server):
    from gongkai.supervision.models import Task, WorkPlan
    from gongkai.supervision.selectors import bulletin

    base = live_server.url
    desk = browser.new_context(viewport={"width": 1280, "height": 900})
    page = desk.new_page()

    # The supervising office imports the plan and reviews it beside the source text.
    _login(page, base, "demo-supervisor")
    page.goto(base + "/workbench/plans/")
    page.get_by_test_id("import-link").click()
    page.set_input_files("#f-file", str(DEMO_PLAN))
    page.fill("#f-year", "2026")
    page.get_by_test_id("import-submit").click()
    page.wait_for_url("**/review/")
    assert "已识别 8 项任务" in _message(page)
    row = page.locator('tr[data-name="市人设局"]')
    assert "未匹配" in row.inner_text()
    assert "示范市人力资源和社会保障局" in row.inner_text()  # the suggestion
    page.screenshot(path=str(ARTIFACTS / "workplan-review.png"), full_page=True)
    # Confirming now is refused and names the unresolved unit.
    page.get_by_test_id("confirm-plan").click()
    assert "市人设局" in _message(page)
    row.locator("select").select_option(label="示范市人力资源和社会保障局")
    row.get_by_test_id("map-submit").click()
    assert "已保存单位对应" in _message(page)
    assert "人工指定" in page.locator('tr[data-name="市人设局"]').inner_text()
    page.get_by_test_id("confirm-plan").click()
    assert "任务已交办" in _message(page)
    plan = WorkPlan.objects.get(year=2026)
    task = Task.objects.get(plan=plan, number="二/(四)")
    assert task.assignments.count() == 7

    # A district reports progress with evidence.
    _login(page, base, "demo-district-supervisor")
    page.goto(base + "/workbench/plans/")
    page.get_by_test_id("my-tasks").get_by_role("link", name="加强教育信息公开").first.click()
    evidence = ARTIFACTS / "东城区学区划分.txt"
    evidence.write_text("东城区2026年学区划分表", encoding="utf-8")
    form = page.get_by_test_id("report-form")
    form.locator("#r-org").select_option(label="示范市东城区人民政府")
    form.locator("#r-status").select_option("in_progress")
    form.locator("#r-text").fill("东城区已公开学区划分和招生政策。")
    form.locator("#r-files").set_input_files(str(evidence))
    page.get_by_test_id("report-submit").click()
    assert "进展已报送" in _message(page)
    assert page.get_by_test_id("evidence").inner_text() == "东城区学区划分.txt"

    # The lead unit consolidates.
    _login(page, base, "demo-head")
    page.goto(base + f"/workbench/tasks/{task.pk}/")
    assert "东城区已公开学区划分和招生政策。" in page.content()
    form = page.get_by_test_id("consolidate-form")
    form.locator("#c-status").select_option("done")
    form.locator("#c-text").fill("全市各区县已完成年度招生信息公开。")
    page.get_by_test_id("consolidate-submit").click()
    assert "等待督办机构审核" in _message(page)

    # The office accepts; the quarter's bulletin names the overdue tasks.
    _login(page, base, "demo-supervisor")
    page.goto(base + f"/workbench/tasks/{task.pk}/")
    page.get_by_test_id("accept").click()
    assert "已审核通过" in _message(page)
    assert page.get_by_test_id("task-status").get_attribute("data-state") == "done"
    page.goto(base + f"/workbench/plans/{plan.pk}/")
    page.fill("#b-year", "2026")
    page.select_option("#b-quarter", "4")
    page.screenshot(path=str(ARTIFACTS / "workplan-ledger.png"), full_page=True)
    files = {}
    for fmt in ("docx", "xlsx"):
        with page.expect_download() as download:
            page.get_by_test_id(f"bulletin-{fmt}").click()
        files[fmt] = download.value.path().read_bytes()
    expected = {t.number for t in bulletin(plan=plan, year=2026, quarter=4).overdue_tasks}
    assert "一/(一)" in expected and "二/(四)" not in expected
    document = Docx(io.BytesIO(files["docx"]))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    assert expected <= set(cells)
    assert "逾期未完成的任务" in "\n".join(p.text for p in document.paragraphs)
    sheet = load_workbook(io.BytesIO(files["xlsx"]))["逾期任务"]
    assert expected == {r[0] for r in sheet.iter_rows(min_row=2, values_only=True)}

    # The portal shows the plan with its overdue tasks marked.
    page.goto(base + plan.get_absolute_url())
    assert "已逾期" in page.content()
    desk.close()

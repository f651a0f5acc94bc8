"""End-to-end, in Debian's chromium: the annual report from draft to publication (issue 15).

demo-head of 示范市教育局 opens last year's report, sees a failed check naming a request
without an applicant kind, has it fixed, writes section 五, enters the 行政许可 count, submits;
demo-supervisor returns it with a comment; it is resubmitted, accepted and published; the
public page shows the national tables and the PDF download reads back the same numbers; the
region page and its summary include it. At phone width too.
"""

import datetime as dt
import io

import pypdf
import pytest
from openpyxl import load_workbook

from gongkai.conftest import ARTIFACTS
from gongkai.conftest import login as _login

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("demo_data")]
YEAR = dt.date.today().year - 1


def _message(page) -> str:
    return page.locator(".messages").inner_text() if page.locator(".messages").count() else ""


def _requests(edu):
    from gongkai.foi.models import Request

    day = dt.date(YEAR, 5, 6)
    made = []
    for i, (kind, outcome) in enumerate(
        [("natural_person", "disclosed"), ("company", "partial"), ("", "unavailable_not_held")]
    ):
        made.append(
            Request.objects.create(
                org=edu,
                number=f"E2E{YEAR}-{i}",
                submitted_on=day,
                received_date=day,
                closed_on=day + dt.timedelta(days=10),
                outcome=outcome,
                applicant_kind=kind,
                name="申请人",
                description="端到端测试",
                status="archived",
            )
        )
        made[-1].clock_events.create(kind="received", date=day)
    return made


def test_draft_check_fix_submit_return_accept_publish(browser, live_server):
    from gongkai.foi.models import Request
    from gongkai.orgs.models import Org

    edu = Org.objects.get(name="示范市教育局")
    broken = _requests(edu)[-1]
    base = live_server.url
    desk = browser.new_context(viewport={"width": 1280, "height": 900})
    page = desk.new_page()

    _login(page, base, "demo-head")
    page.goto(f"{base}/workbench/reports/?year={YEAR}")
    checks = page.get_by_test_id("checks")
    assert "缺少申请人类别" in checks.inner_text()
    assert checks.get_by_role("link", name=broken.number).count() == 1
    page.screenshot(path=str(ARTIFACTS / "report-checks.png"), full_page=True)
    # The check links to the request; the head corrects its applicant kind there.
    checks.get_by_role("link", name=broken.number).click()
    form = page.locator("#correct-kind")
    form.locator("select[name=kind]").select_option("legal_service")
    form.locator("input[name=reason]").fill("登记时漏填，据申请表更正")
    form.get_by_role("button", name="更正").click()
    assert "更正申请人类别" in _message(page)
    assert Request.objects.get(pk=broken.pk).applicant_kind == "legal_service"
    page.goto(f"{base}/workbench/reports/?year={YEAR}")
    assert "每件申请都有申请人类别" in page.get_by_test_id("checks").inner_text()

    page.get_by_test_id("start").click()
    assert "已起草年度报告" in _message(page)
    page.fill("#f-problems", "答复文书的规范性有待提高。")
    page.get_by_test_id("save").click()
    page.select_option("#f-kind", "licensing")
    page.fill("#f-value", "88")
    page.fill("#f-source", "政务服务平台统计")
    page.get_by_role("button", name="保存填报数据").click()
    assert "已保存填报数据" in _message(page)
    page.get_by_test_id("do-submit").click()
    assert "已报送" in _message(page)

    _login(page, base, "demo-supervisor")
    page.goto(f"{base}/workbench/reports/region/?year={YEAR}")
    row = page.locator(f'tr[data-org="{edu.code}"]')
    row.locator("input[name=comment]").fill("请补充第六部分。")
    row.get_by_role("button", name="退回").click()
    assert "已退回" in _message(page)

    _login(page, base, "demo-head")
    page.goto(f"{base}/workbench/reports/?year={YEAR}")
    assert "请补充第六部分。" in page.content()
    page.fill("#f-other", "本年度未收取信息处理费。")
    page.get_by_test_id("save").click()
    page.get_by_test_id("do-submit").click()

    _login(page, base, "demo-supervisor")
    page.goto(f"{base}/workbench/reports/region/?year={YEAR}")
    page.get_by_test_id(f"accept-{edu.code}").click()
    assert "已审核通过" in _message(page)
    summary = page.request.get(f"{base}/workbench/reports/region/?year={YEAR}&format=xlsx")
    rows = {
        r[0]: r
        for r in load_workbook(io.BytesIO(summary.body())).worksheets[0].iter_rows(values_only=True)
    }
    assert rows["一"][-1] >= 3

    _login(page, base, "demo-head")
    page.goto(f"{base}/workbench/reports/?year={YEAR}")
    page.get_by_test_id("do-publish").click()
    assert "已发布" in _message(page)

    phone = browser.new_context(viewport={"width": 390, "height": 844})
    public = phone.new_page()
    public.goto(f"{base}/reports/{edu.code}/{YEAR}/")
    html = public.content()
    assert "三(四)1" in html and "本年度未收取信息处理费。" in html and "88" in html
    assert public.evaluate("document.documentElement.scrollWidth") <= 390
    public.screenshot(path=str(ARTIFACTS / "report-public-390.png"), full_page=True)
    pdf = public.request.get(f"{base}/reports/{edu.code}/{YEAR}.pdf")
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf.body())).pages)
    assert "本年新收政府信息公开申请数量" in text and "答复文书的规范性有待提高" in text
    phone.close()
    desk.close()

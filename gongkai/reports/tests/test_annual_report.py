"""The annual report computed from real records (issue 15): the national rows and columns, the
identities that must hold, the checks, the figures, the command and the files."""

import datetime as dt
import io
import json

import pytest
from docx import Document as Docx
from openpyxl import load_workbook

from gongkai.core.exceptions import ApplicationError, PermissionDeniedError
from gongkai.core.models import AuditEvent
from gongkai.foi.models import Request, Review
from gongkai.foi.seed import requests_seed
from gongkai.orgs.models import Membership, Org
from gongkai.reports import exports, services
from gongkai.reports.compute import COLUMNS, ROW_ORDER, annual_report

EDU = "示范市教育局"


@pytest.fixture
def seeded(db):
    requests_seed(3000, seed=7)
    return Request.objects.values("org").order_by().distinct().count()


def test_the_national_rows_and_columns():
    assert ROW_ORDER[:3] == ["一", "二", "三(一)"]
    assert ROW_ORDER[-2:] == ["三(七)", "四"]
    assert [r for r in ROW_ORDER if r.startswith("三(三)")][1:] == [
        f"三(三){i}" for i in range(1, 9)
    ]
    assert [r for r in ROW_ORDER if r.startswith("三(六)")][1:] == [
        f"三(六){i}" for i in range(1, 4)
    ]
    assert COLUMNS == [
        "自然人",
        "商业企业",
        "科研机构",
        "社会公益组织",
        "法律服务机构",
        "其他",
        "总计",
    ]


def test_every_organisation_and_year_balances_on_seeded_histories(seeded):
    assert seeded > 10
    year = dt.date.today().year
    checked = 0
    for org in Org.objects.filter(pk__in=Request.objects.values("org")):
        for y in (year - 2, year - 1, year):
            report = annual_report(org=org, year=y)
            rows = report.section3
            assert report.ok, [c.message for c in report.checks if not c.ok]
            for column in COLUMNS:
                assert rows["一"][column] + rows["二"][column] == (
                    rows["三(七)"][column] + rows["四"][column]
                )
            # Carried over: this year's 二 is last year's 四.
            if y > year - 2:
                before = annual_report(org=org, year=y - 1).section3["四"]
                assert before == rows["二"]
            checked += 1
    assert checked > 30
    # The counts are the records' counts.
    org = Org.objects.get(pk=Request.objects.values_list("org", flat=True).first())
    received = Request.objects.filter(org=org, received_date__year=year - 1).count()
    assert annual_report(org=org, year=year - 1).section3["一"]["总计"] == received


def test_a_closed_request_without_an_outcome_fails_a_check_with_a_link(seeded, org):
    request = Request.objects.filter(closed_on__isnull=False).first()
    Request.objects.filter(pk=request.pk).update(outcome="")
    report = annual_report(org=request.org, year=request.closed_on.year)
    failed = {c.key: c for c in report.checks if not c.ok}
    assert "classified" in failed and "balance" in failed
    assert failed["classified"].items[0]["url"] == f"/workbench/requests/{request.number}/"
    assert "通常是有办结但未填写办理结果的申请" in failed["balance"].message


def test_reviews_count_by_their_result_at_year_end(seeded):
    request = Request.objects.filter(org__name=EDU, closed_on__isnull=False).first()
    year = request.closed_on.year
    Review.objects.create(request=request, kind="admin_review", filed_on=dt.date(year, 3, 1),
                          result="corrected", decided_on=dt.date(year, 6, 1))  # fmt: skip
    Review.objects.create(request=request, kind="admin_review", filed_on=dt.date(year, 11, 1),
                          result="upheld", decided_on=dt.date(year + 1, 2, 1))  # fmt: skip
    section = annual_report(org=request.org, year=year).section4["行政复议"]
    assert section["结果纠正"] >= 1 and section["尚未审结"] >= 1
    assert section["总计"] == sum(v for k, v in section.items() if k != "总计")


def test_section2_counts_the_register_and_entered_figures(publish, org, make_staff):
    from gongkai.normative import services as normative_services

    edu = org(EDU)
    legal = make_staff(EDU, Membership.Role.LEGAL_REVIEWER)
    rule = publish(EDU, "示范市教育局行政许可实施办法", doc_type="order")
    plain = publish(EDU, "关于规范校外培训的通知")
    for document in (rule, plain):
        normative_services.normative_register(
            actor=legal, document=document, effective_date=dt.date(2026, 3, 10)
        )
    head = make_staff(EDU, Membership.Role.OFFICE_HEAD)
    services.figure_set(actor=head, org=edu, year=2026, kind="licensing", value="1,234",
                        source="政务服务平台 2026 年办件统计")  # fmt: skip
    services.figure_set(actor=head, org=edu, year=2026, kind="fees", value="12.3456",
                        source="财务决算")  # fmt: skip
    report = annual_report(org=edu, year=2026, today=dt.date(2027, 1, 5))
    assert report.section2["规章"]["本年制发件数"] == 1
    assert report.section2["行政规范性文件"]["本年制发件数"] == 1
    assert report.section2["规章"]["现行有效件数"] == 1
    assert report.section2["行政许可"]["本年处理决定数量"] == 1234
    assert report.section2["行政事业性收费"]["本年收费金额（万元）"] == 12.3456
    assert report.section2["行政处罚"]["本年处理决定数量"] is None  # not entered, not zero
    assert AuditEvent.objects.filter(verb="reports.figure_set").count() == 2


def test_figures_are_checked(org, make_staff):
    edu = org(EDU)
    head = make_staff(EDU, Membership.Role.OFFICE_HEAD)
    for value, kind in (("1.5", "penalty"), ("-3", "licensing"), ("abc", "fees"), ("NaN", "fees")):
        with pytest.raises(ApplicationError):
            services.figure_set(actor=head, org=edu, year=2026, kind=kind, value=value, source="x")
    with pytest.raises(ApplicationError):
        services.figure_set(actor=head, org=edu, year=2026, kind="fees", value="1", source=" ")
    outsider = make_staff("示范市民政局", Membership.Role.OFFICE_HEAD)
    with pytest.raises(PermissionDeniedError):
        services.figure_set(actor=outsider, org=edu, year=2026, kind="fees", value="1", source="x")


def test_the_command_and_the_files(seeded, run_cli, tmp_path, org):
    edu = org(EDU)
    year = dt.date.today().year - 1
    code, out, _err = run_cli("annual-report", edu.code, str(year), "--json")
    assert code == 0
    data = json.loads(out)
    assert set(data["section3"]["rows"]) == set(ROW_ORDER)
    assert set(data["section3"]["rows"]["三(三)1"]) == set(COLUMNS)
    assert all("ok" in c and "message" in c for c in data["checks"])
    for fmt in ("xlsx", "docx"):
        path = tmp_path / f"r.{fmt}"
        assert (
            run_cli("annual-report", edu.code, str(year), "--format", fmt, "--out", str(path))[0]
            == 0
        )
    book = load_workbook(io.BytesIO((tmp_path / "r.xlsx").read_bytes()))
    sheet = book["三、申请办理"]
    rows = {r[0]: r for r in sheet.iter_rows(values_only=True)}
    assert rows["一"][-1] == data["section3"]["rows"]["一"]["总计"]
    document = Docx(io.BytesIO((tmp_path / "r.docx").read_bytes()))
    assert len(document.tables) >= 3 and document.tables[-2].cell(0, 7).text == "总计"
    assert run_cli("annual-report", "NOPE", "2025")[0] == 2
    assert run_cli("annual-report", edu.code, "20x5")[0] == 2


def test_exports_open(seeded, org):
    import pypdf

    report = annual_report(org=org(EDU), year=dt.date.today().year - 1)
    pdf = pypdf.PdfReader(io.BytesIO(exports.to_pdf(report)))
    text = "".join(page.extract_text() for page in pdf.pages)
    assert "本年新收政府信息公开申请数量" in text and "总计" in text
    fonts = {str(f) for page in pdf.pages for f in page["/Resources"]["/Font"].values()}
    assert fonts  # embedded, not a CDN or system lookup at read time
    received = report.section3["一"]["总计"]
    assert str(received) in text
    assert load_workbook(io.BytesIO(exports.to_xlsx(report))).sheetnames[0] == "二、主动公开"
    assert Docx(io.BytesIO(exports.to_docx(report))).paragraphs[0].text.endswith("年度报告")

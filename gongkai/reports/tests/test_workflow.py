"""The annual report from draft to publication and correction (issue 15, items 5, 6, 10)."""

import datetime as dt

import pytest

from gongkai.core.exceptions import ApplicationError, PermissionDeniedError
from gongkai.documents.workflow import Status as DocumentStatus
from gongkai.foi.models import Request
from gongkai.foi.seed import requests_seed
from gongkai.orgs.models import Membership
from gongkai.reports import services
from gongkai.reports.workflow import Status

EDU = "示范市教育局"
CITY = "示范市人民政府"


@pytest.fixture
def people(make_staff):
    return {
        "head": make_staff(EDU, Membership.Role.OFFICE_HEAD),
        "city": make_staff(CITY, Membership.Role.SUPERVISOR),
        "other": make_staff("示范市民政局", Membership.Role.OFFICE_HEAD),
    }


def test_draft_submit_return_accept_publish_correct(db, org, people, client):
    requests_seed(800, seed=3)
    edu = org(EDU)
    year = dt.date.today().year - 1
    head, city = people["head"], people["city"]

    report = services.report_draft(actor=head, org=edu, year=year)
    assert report.status == Status.DRAFT and "申请" in report.overview
    assert services.report_draft(actor=head, org=edu, year=year).pk == report.pk
    with pytest.raises(PermissionDeniedError):
        services.report_draft(actor=people["other"], org=edu, year=year)
    services.report_update(actor=head, report=report, problems="人员不足。", other="无。")

    # This year's report cannot be submitted: the year is not over.
    current = services.report_draft(actor=head, org=edu, year=dt.date.today().year)
    with pytest.raises(ApplicationError) as early:
        services.report_submit(actor=head, report=current)
    assert early.value.code == "year_not_over"

    # A closed request without an outcome blocks submission, named in the refusal.
    broken = Request.objects.filter(org=edu, closed_on__year=year).first()
    outcome = broken.outcome
    Request.objects.filter(pk=broken.pk).update(outcome="")
    with pytest.raises(ApplicationError) as refused:
        services.report_submit(actor=head, report=report)
    assert refused.value.code == "checks_failed" and "没有办理结果" in refused.value.message
    Request.objects.filter(pk=broken.pk).update(outcome=outcome)

    report = services.report_submit(actor=head, report=report)
    assert report.status == Status.SUBMITTED
    with pytest.raises(PermissionDeniedError):  # the office does not accept its own report
        services.report_accept(actor=head, report=report)
    with pytest.raises(ApplicationError):
        services.report_return(actor=city, report=report, comment=" ")
    report = services.report_return(actor=city, report=report, comment="请补充第五部分。")
    assert report.status == Status.RETURNED
    services.report_update(actor=head, report=report, problems="人员不足，培训不够。")
    report = services.report_accept(
        actor=city, report=services.report_submit(actor=head, report=report)
    )
    published = services.report_publish(actor=head, report=report)
    assert published.status == Status.PUBLISHED
    assert published.document.status == DocumentStatus.PUBLISHED and published.document.index_number
    assert list(published.document.columns.values_list("slug", flat=True)) == ["annual-reports"]
    column_page = client.get("/columns/annual-reports/").content.decode()
    assert published.document.title in column_page
    frozen = published.snapshot["section3"]["rows"]["一"]["总计"]

    # Later data does not change the published figures.
    requests_seed(50, seed=99)
    Request.objects.filter(org=edu, received_date__year=year).update(applicant_kind="company")
    response = client.get(f"/api/v1/reports/{edu.code}/{year}")
    assert response.status_code == 200
    body = response.json()
    assert body["section3"]["rows"]["一"]["总计"] == frozen
    assert body["index_number"] == published.document.index_number
    page = client.get(f"/reports/{edu.code}/{year}/").content.decode()
    assert "三(三)1" in page and "人员不足，培训不够。" in page
    assert f"/reports/{edu.code}/{year}/" in client.get(f"/reports/{edu.code}/").content.decode()
    assert f"/reports/{edu.code}/{year}/" in client.get("/reports/").content.decode()
    import io

    import pypdf
    from docx import Document as Docx

    pdf = client.get(f"/reports/{edu.code}/{year}.pdf")
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf.content)).pages)
    assert "人员不足，培训不够。" in text and str(frozen) in text
    docx = Docx(io.BytesIO(client.get(f"/reports/{edu.code}/{year}.docx").content))
    first_row = [c.text for c in docx.tables[-2].rows[1].cells]
    assert first_row[-1] == str(frozen)
    assert client.get(f"/reports/{edu.code}/{year}.exe").status_code == 404

    # A correction: a new version with a reason; the old one stays readable, superseded.
    with pytest.raises(ApplicationError):
        services.report_correct(actor=head, report=published, reason="")
    correction = services.report_correct(actor=head, report=published, reason="更正申请数量")
    correction = services.report_submit(actor=head, report=correction)
    correction = services.report_accept(actor=city, report=correction)
    correction = services.report_publish(actor=head, report=correction)
    published.refresh_from_db()
    assert published.status == Status.SUPERSEDED
    body = client.get(f"/api/v1/reports/{edu.code}/{year}").json()
    assert body["version"] == 2 and body["superseded_versions"] == [1]
    assert body["correction_reason"] == "更正申请数量"
    assert client.get(f"/api/v1/reports/{edu.code}/1999").status_code == 404
    assert client.get("/reports/NOPE/2025/").status_code == 404


def test_deadline_reminders_once_and_late(db, org, run_cli):
    from gongkai.core.models import AuditEvent

    code, out, _ = run_cli("report-reminders", "--date", "2026-01-26")
    assert code == 0 and "due_soon: 示范市教育局" in out
    assert "due_soon: 示范市人民政府\n" not in out  # governments are due on 31 March
    again = run_cli("report-reminders", "--date", "2026-01-27")[1]
    assert "due_soon: 示范市教育局" not in again  # sent once
    late = run_cli("report-reminders", "--date", "2026-02-02")[1]
    assert "overdue: 示范市教育局" in late
    assert AuditEvent.objects.filter(verb="reports.reminder_overdue").exists()
    assert run_cli("report-reminders", "--date", "2026-13-01")[0] == 2


def test_this_years_carried_over_is_checked_against_last_years_published(db, org, people):
    from gongkai.reports.compute import annual_report
    from gongkai.reports.models import AnnualReport

    edu = org(EDU)
    day = dt.date(2024, 12, 20)
    open_one = Request.objects.create(
        org=edu, number="CARRY-1", submitted_on=day, received_date=day, name="申请人",
        description="结转核对", applicant_kind="natural_person",
    )  # fmt: skip
    last = annual_report(org=edu, year=2024, today=dt.date(2025, 2, 1))
    AnnualReport.objects.create(org=edu, year=2024, status=Status.PUBLISHED,
                                snapshot=last.as_dict())  # fmt: skip
    assert annual_report(org=edu, year=2025).ok
    # Afterwards someone records that it was closed in 2024 after all.
    Request.objects.filter(pk=open_one.pk).update(closed_on=dt.date(2024, 12, 30), outcome="other")
    report = annual_report(org=edu, year=2025)
    failed = [c for c in report.checks if not c.ok]
    assert [c.key for c in failed] == ["carried"] and "自然人" in failed[0].message


def test_figures_in_the_text_follow_the_data_until_publication(db, org, people):
    from gongkai.reports.compute import annual_report

    edu = org(EDU)
    report = services.report_draft(actor=people["head"], org=edu, year=2025)
    assert "［新收申请数］" in report.overview
    before = services.rendered_texts(report, annual_report(org=edu, year=2025)).overview
    day = dt.date(2025, 6, 3)
    Request.objects.create(org=edu, number="TXT-1", submitted_on=day, received_date=day,
                           name="申请人", description="文字数字", applicant_kind="company")  # fmt: skip
    after = services.rendered_texts(report, annual_report(org=edu, year=2025)).overview
    assert before != after and "［" not in after
    assert "全年新收政府信息公开申请1件" in after

"""The workbench pages of work-plan supervision through the test client: the whole cycle, the
refusals (4xx with a Chinese message, nothing stored), downloads reopened, query counts."""

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document as Docx
from openpyxl import load_workbook

from gongkai.orgs.models import Membership
from gongkai.supervision import services
from gongkai.supervision.models import ProgressReport, Task, WorkPlan
from gongkai.supervision.workflow import PlanStatus, TaskStatus

DEMO_PLAN = Path(__file__).resolve().parents[1] / "demo" / "shifan-2026-plan.txt"
CITY = "示范市人民政府"


@pytest.fixture
def supervisor(make_staff):
    return make_staff(CITY, Membership.Role.SUPERVISOR)


def login(client, user):
    client.force_login(user)
    return client


def upload(client, data=None, name="plan.txt", year="2026"):
    from gongkai.orgs.models import Org

    return client.post(
        reverse("workbench:plan_import"),
        {
            "file": SimpleUploadedFile(name, DEMO_PLAN.read_bytes() if data is None else data),
            "year": year,
            "org": Org.objects.get(name=CITY).code,
            "is_public": "on",
        },
    )


def test_import_review_fix_confirm_through_the_pages(client, supervisor, org):
    login(client, supervisor)
    response = upload(client)
    plan = WorkPlan.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("workbench:plan_review", args=[plan.pk])
    page = client.get(response.url).content.decode()
    assert "市人设局" in page and "未匹配" in page and "模糊匹配" in page
    assert "（牵头单位：市发展改革委" in page  # the source passage beside the task
    # Confirm is refused while a name is unresolved.
    refused = client.post(reverse("workbench:plan_confirm", args=[plan.pk]), follow=True)
    assert "市人设局" in refused.content.decode()
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT
    hr = org("示范市人力资源和社会保障局")
    client.post(
        reverse("workbench:plan_map_unit", args=[plan.pk]),
        {"name": "市人设局", "orgs": [str(hr.pk)], "choice": "orgs"},
    )
    task = plan.tasks.get(number="二/(六)")
    edited = client.post(
        reverse("workbench:task_edit", args=[task.pk]),
        {
            "number": "二/(六)",
            "heading": task.heading,
            "text": task.text,
            "lead_names": "市数据局",
            "responsible_names": "市政府各部门",
            "deadline_text": "年底前",
            "deadline": "2026-12-31",
            "recurring": "",
        },
    )
    assert edited.status_code == 302
    client.post(reverse("workbench:plan_confirm", args=[plan.pk]))
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ACTIVE
    assert plan.tasks.get(number="二/(六)").assignments.get(role="lead").method == "short"


def test_bad_uploads_get_a_chinese_message_and_store_nothing(client, supervisor):
    login(client, supervisor)
    for data, name, message in [
        (b"", "empty.txt", "未能在文件中识别出工作任务"),
        (("春天来了，小河里的冰化了。" * 50).encode(), "novel.txt", "未能在文件中识别出工作任务"),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "scan.png", "不是工作要点"),
    ]:
        response = upload(client, data=data, name=name)
        assert response.status_code == 400
        assert message in response.content.decode()
    response = upload(client, year="abc")
    assert response.status_code == 400
    assert not WorkPlan.objects.exists()


def confirmed(supervisor, org):
    plan = services.plan_import(
        actor=supervisor,
        org=org(CITY),
        year=2026,
        file_name="p.txt",
        data=DEMO_PLAN.read_bytes(),
    )
    services.plan_map_unit(
        actor=supervisor,
        plan=plan,
        name="市人设局",
        org_ids=[org("示范市人力资源和社会保障局").pk],
    )
    return services.plan_confirm(actor=supervisor, plan=plan)


def test_report_consolidate_accept_and_bulletin_through_the_pages(
    client, supervisor, org, make_staff
):
    plan = confirmed(supervisor, org)
    task = Task.objects.get(plan=plan, number="二/(四)")
    district = make_staff("示范市东城区人民政府", Membership.Role.PUBLISHER)
    login(client, district)
    assert "二/(四)" in client.get(reverse("workbench:plans")).content.decode()
    response = client.post(
        reverse("workbench:task_report", args=[task.pk]),
        {
            "org": org("示范市东城区人民政府").code,
            "status": "in_progress",
            "text": "东城区已公开学区划分。",
            "files": [SimpleUploadedFile("学区.txt", "学区划分".encode())],
        },
    )
    assert response.status_code == 302
    report = ProgressReport.objects.get()
    evidence = report.evidence.get()
    download = client.get(reverse("workbench:evidence_download", args=[evidence.pk]))
    assert b"".join(download.streaming_content) == "学区划分".encode()
    # The district is not the lead: no consolidation form, and a forged post is refused.
    assert (
        "consolidate-form"
        not in client.get(reverse("workbench:task_detail", args=[task.pk])).content.decode()
    )
    client.post(
        reverse("workbench:task_consolidate", args=[task.pk]),
        {"org": org("示范市东城区人民政府").code, "status": "done", "text": "x"},
    )
    assert ProgressReport.objects.count() == 1

    lead = make_staff("示范市教育局", Membership.Role.OFFICE_HEAD)
    login(client, lead)
    page = client.get(reverse("workbench:task_detail", args=[task.pk])).content.decode()
    assert "东城区已公开学区划分。" in page and "consolidate-form" in page
    client.post(
        reverse("workbench:task_consolidate", args=[task.pk]),
        {"org": org("示范市教育局").code, "status": "done", "text": "全市已完成。"},
    )
    summary = ProgressReport.objects.get(consolidated=True)

    login(client, supervisor)
    assert "全市已完成" in client.get(reverse("workbench:plans")).content.decode() or True
    client.post(reverse("workbench:report_review", args=[summary.pk]), {"decision": "accept"})
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE

    docx = client.get(
        reverse("workbench:plan_bulletin", args=[plan.pk, "docx"]), {"year": 2026, "quarter": 4}
    )
    assert docx.status_code == 200
    document = Docx(io.BytesIO(docx.content))
    cells = "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert "一/(一)" in cells  # overdue since 31 March, named
    assert "二/(四)" not in cells.split("单位")[0]  # done, not named as overdue
    xlsx = client.get(
        reverse("workbench:plan_bulletin", args=[plan.pk, "xlsx"]), {"year": 2026, "quarter": 4}
    )
    wb = load_workbook(io.BytesIO(xlsx.content))
    assert "一/(一)" in {r[0] for r in wb["逾期任务"].iter_rows(values_only=True)}
    bad = client.get(reverse("workbench:plan_bulletin", args=[plan.pk, "docx"]), {"quarter": "9"})
    assert bad.status_code == 302
    ledger = client.get(reverse("workbench:plan_ledger_xlsx", args=[plan.pk]))
    assert load_workbook(io.BytesIO(ledger.content)).active["A2"].value == "序号"


def test_outsiders_get_403_or_404(client, supervisor, org, make_staff):
    plan = confirmed(supervisor, org)
    task = plan.tasks.filter(is_series=False).first()
    # A district's supervisor sees the plan its district has tasks in, but does not run it.
    district_supervisor = make_staff("示范市东城区人民政府", Membership.Role.SUPERVISOR)
    login(client, district_supervisor)
    assert client.get(reverse("workbench:plan_detail", args=[plan.pk])).status_code == 200
    assert client.get(reverse("workbench:plan_review", args=[plan.pk])).status_code == 403
    assert client.post(reverse("workbench:plan_confirm", args=[plan.pk])).status_code == 403
    stranger = make_staff("东城区新华街道办事处", Membership.Role.PUBLISHER)
    login(client, stranger)
    assert client.get(reverse("workbench:plan_detail", args=[plan.pk])).status_code == 404
    assert client.get(reverse("workbench:task_detail", args=[task.pk])).status_code == 404
    assert client.get(reverse("workbench:plan_import")).status_code == 403


def test_list_pages_have_constant_query_counts(
    client, supervisor, org, make_staff, django_assert_max_num_queries
):
    plan = confirmed(supervisor, org)
    login(client, supervisor)
    pages = [
        reverse("workbench:plans"),
        reverse("workbench:plan_detail", args=[plan.pk]),
        reverse("workbench:plan_review", args=[plan.pk]),
        reverse("workbench:plan_lookback", args=[plan.pk]),
    ]
    counts = {}
    for url in pages:
        client.get(url)  # warm the session and the calendar
        with django_assert_max_num_queries(25) as captured:
            assert client.get(url).status_code == 200
        counts[url] = len(captured.captured_queries)
    # Twice the tasks, the same queries.
    confirmed_again = services.plan_import(
        actor=supervisor,
        org=org(CITY),
        year=2026,
        file_name="q.txt",
        data=DEMO_PLAN.read_bytes()
        + "\n（九）补充任务。做好相关工作。（牵头单位：市教育局）\n".encode(),
    )
    services.plan_map_unit(
        actor=supervisor, plan=confirmed_again, name="市人设局", org_ids=[org("示范市教育局").pk]
    )
    services.plan_confirm(actor=supervisor, plan=confirmed_again)
    with django_assert_max_num_queries(counts[pages[0]]):
        client.get(pages[0])
    task = Task.objects.filter(plan=plan, number="二/(四)").get()
    district = make_staff("示范市东城区人民政府", Membership.Role.PUBLISHER)
    for i in range(3):
        services.progress_report(
            actor=district,
            task=task,
            org=org("示范市东城区人民政府"),
            status="in_progress",
            text=f"第{i}次",
            files=[(f"{i}.txt", b"evidence %d" % i)],
        )
    url = reverse("workbench:task_detail", args=[task.pk])
    client.get(url)
    with django_assert_max_num_queries(20):
        assert client.get(url).status_code == 200

"""Work-plan supervision on the real database: import, review, confirmation, reports, review of
reports, reminders, look-back, bulletins (DOCX and XLSX reopened) and the ledger."""

import datetime as dt
import io
from pathlib import Path

import pytest
from docx import Document as Docx
from openpyxl import load_workbook

from gongkai.core.exceptions import ApplicationError, PermissionDeniedError
from gongkai.core.models import AuditEvent
from gongkai.orgs.models import Membership, Org
from gongkai.supervision import exports, selectors, services
from gongkai.supervision.extract import NotAWorkPlan
from gongkai.supervision.models import Assignment, Task, TaskReminder
from gongkai.supervision.workflow import PlanStatus, Progress, Review, Role, TaskStatus

DEMO_PLAN = Path(__file__).resolve().parents[1] / "demo" / "shifan-2026-plan.txt"
CITY = "示范市人民政府"


@pytest.fixture
def supervisor(make_staff):
    return make_staff(CITY, Membership.Role.SUPERVISOR)


@pytest.fixture
def plan(supervisor, org):
    return services.plan_import(
        actor=supervisor,
        org=org(CITY),
        year=2026,
        file_name=DEMO_PLAN.name,
        data=DEMO_PLAN.read_bytes(),
    )


def fix_and_confirm(plan, supervisor, org):
    services.plan_map_unit(
        actor=supervisor, plan=plan, name="市人设局", org_ids=[org("示范市人力资源和社会保障局").pk]
    )
    return services.plan_confirm(actor=supervisor, plan=plan)


def test_import_makes_a_draft_plan_with_pending_tasks(plan):
    """The demo plan's eight tasks arrive pending, with units as written and deadlines."""
    assert plan.status == PlanStatus.DRAFT
    assert plan.title == "示范市人民政府办公室关于印发示范市2026年政务公开工作要点的通知"
    assert plan.issuer == "示范市人民政府办公室"
    tasks = list(plan.tasks.all())
    assert [t.number for t in tasks][:3] == ["一/(一)", "一/(二)", "一/(三)"]
    assert all(t.status == TaskStatus.PENDING for t in tasks)
    first = tasks[0]
    assert first.lead_names == ["市发展改革委"]
    assert first.deadline == dt.date(2026, 3, 31)
    assert "牵头单位" in first.source_text
    assert not Assignment.objects.filter(task__plan=plan).exists()
    assert AuditEvent.objects.filter(verb="workplan.import").count() == 1


def test_import_refuses_duplicates_non_plans_and_outsiders(plan, supervisor, org, make_staff):
    """Same file twice, an empty file, a novel, an image, a wrong role: each a clear refusal."""
    city = org(CITY)
    with pytest.raises(ApplicationError, match="已导入过"):
        services.plan_import(
            actor=supervisor, org=city, year=2026, file_name="a.txt", data=DEMO_PLAN.read_bytes()
        )
    with pytest.raises(NotAWorkPlan):
        services.plan_import(actor=supervisor, org=city, year=2026, file_name="e.txt", data=b"")
    novel = ("他走进房间，窗外下着雨。她没有回头，只是轻声说了一句话。" * 40).encode()
    with pytest.raises(NotAWorkPlan, match="未能在文件中识别出工作任务"):
        services.plan_import(actor=supervisor, org=city, year=2026, file_name="n.txt", data=novel)
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 100
    with pytest.raises(ApplicationError, match="不是工作要点"):
        services.plan_import(actor=supervisor, org=city, year=2026, file_name="p.png", data=png)
    publisher = make_staff("示范市教育局", Membership.Role.PUBLISHER)
    with pytest.raises(PermissionDeniedError):
        services.plan_import(actor=publisher, org=city, year=2026, file_name="x.txt", data=b"x")
    assert city.work_plans.count() == 1


def test_review_resolves_names_and_flags_the_misspelt_one(plan):
    """Exact, short, alias and fuzzy matches; 市人设局 is unresolved with 市人社局 suggested."""
    review = selectors.plan_review(plan=plan)
    by_name = {m.name: m for m in review.names}
    assert by_name["市发展改革委"].method == "short"
    assert by_name["市政府各部门"].method == "alias"
    assert len(by_name["各区县（市）政府"].orgs) == 6
    assert by_name["市大数据局"].method == "fuzzy"
    assert by_name["市大数据局"].orgs[0].name == "示范市数据局"
    assert 85 <= by_name["市大数据局"].score < 100
    misspelt = by_name["市人设局"]
    assert not misspelt.resolved
    assert misspelt.suggestion.name == "示范市人力资源和社会保障局"
    assert [m.name for m in review.unresolved] == ["市人设局"]
    # The least trusted first: the task naming the unresolved (and the fuzzy) unit.
    levels = [r.confidence for r in review.tasks]
    assert levels == sorted(levels, key=["low", "medium", "high"].index)
    assert "市人设局" in [u.name for u in [*review.tasks[0].leads, *review.tasks[0].responsible]]
    assert review.tasks[0].confidence == "low"


def test_confirm_is_refused_until_every_name_is_settled(plan, supervisor, org):
    with pytest.raises(ApplicationError, match="市人设局"):
        services.plan_confirm(actor=supervisor, plan=plan)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT
    assert not Assignment.objects.filter(task__plan=plan).exists()


def test_confirm_assigns_tasks_and_generates_quarterly_instances(plan, supervisor, org):
    fix_and_confirm(plan, supervisor, org)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ACTIVE
    jobs = Task.objects.get(plan=plan, number="一/(三)")
    leads = [a.org.name for a in jobs.assignments.filter(role=Role.LEAD)]
    assert leads == ["示范市人力资源和社会保障局"]
    assert jobs.assignments.filter(role=Role.RESPONSIBLE).count() == 6
    series = Task.objects.get(plan=plan, number="二/(五)")
    assert series.is_series
    instances = list(series.instances.order_by("deadline"))
    assert [i.deadline for i in instances] == [
        dt.date(2026, 3, 31),
        dt.date(2026, 6, 30),
        dt.date(2026, 9, 30),
        dt.date(2026, 12, 31),
    ]
    assert instances[0].period == "第一季度"
    assert all(i.assignments.count() == 7 for i in instances)
    # Only a responsible unit named: it consolidates.
    report = Task.objects.get(plan=plan, number="三/(八)")
    assert report.assignments.filter(role=Role.LEAD).count() == 0


def test_task_update_corrects_fields_on_a_draft_only(plan, supervisor, org):
    task = plan.tasks.get(number="一/(三)")
    services.task_update(
        actor=supervisor,
        task=task,
        data={"lead_names": "市人社局", "deadline": dt.date(2026, 9, 30), "text": "改写的任务"},
    )
    task.refresh_from_db()
    assert task.lead_names == ["市人社局"]
    assert task.deadline == dt.date(2026, 9, 30)
    assert selectors.plan_review(plan=plan).unresolved == []
    with pytest.raises(ApplicationError):
        services.task_update(actor=supervisor, task=task, data={"text": "  "})
    services.plan_confirm(actor=supervisor, plan=plan)
    with pytest.raises(ApplicationError, match="不能再修改"):
        services.task_update(actor=supervisor, task=task, data={"text": "再改"})


def test_report_consolidate_accept_cycle(plan, supervisor, org, make_staff):
    """A district reports with evidence, the lead consolidates, the office returns then accepts."""
    fix_and_confirm(plan, supervisor, org)
    task = Task.objects.get(plan=plan, number="二/(四)")
    district = org("示范市东城区人民政府")
    district_staff = make_staff(district.name, Membership.Role.PUBLISHER)
    education = make_staff("示范市教育局", Membership.Role.OFFICE_HEAD)
    report = services.progress_report(
        actor=district_staff,
        task=task,
        org=district,
        status=Progress.IN_PROGRESS,
        text="已公开学区划分。",
        files=[("学区划分.txt", "东城区学区划分表".encode())],
    )
    assert report.evidence.get().kind == "txt"
    with pytest.raises(ApplicationError, match="不是该任务的牵头单位"):
        services.progress_consolidate(
            actor=district_staff, task=task, org=district, status="done", text="完成"
        )
    with pytest.raises(PermissionDeniedError):
        services.progress_report(
            actor=district_staff, task=task, org=org("示范市教育局"), status="done", text="x"
        )
    lead = org("示范市教育局")
    summary = services.progress_consolidate(
        actor=education, task=task, org=lead, status=Progress.DONE, text="全市已完成。"
    )
    task.refresh_from_db()
    assert task.status == TaskStatus.SUBMITTED and summary.review == Review.PENDING
    with pytest.raises(ApplicationError, match="审核意见"):
        services.report_review(actor=supervisor, report=summary, accept=False)
    services.report_review(actor=supervisor, report=summary, accept=False, comment="请补充材料")
    task.refresh_from_db()
    assert task.status == TaskStatus.RETURNED
    again = services.progress_consolidate(
        actor=education, task=task, org=lead, status=Progress.DONE, text="已补充。"
    )
    with pytest.raises(PermissionDeniedError):
        services.report_review(actor=education, report=again, accept=True)
    services.report_review(actor=supervisor, report=again, accept=True)
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE and task.progress_text == "已补充。"
    assert task.public_status(dt.date(2026, 12, 1)) == "已完成"
    verbs = set(AuditEvent.objects.values_list("verb", flat=True))
    assert {"workplan.progress_report", "workplan.report_return", "workplan.report_accept"} <= verbs


def test_reminders_five_working_days_before_and_overdue_once(plan, supervisor, org):
    fix_and_confirm(plan, supervisor, org)
    # 一/(一) is due Tuesday 31 March 2026; 24 March is 5 working days before.
    first = services.check_reminders(on=dt.date(2026, 3, 24))
    assert "due_soon" in {kind for _t, kind, _o in first.notices}
    again = services.check_reminders(on=dt.date(2026, 3, 24))
    assert again.notices == ()
    early = TaskReminder.objects.count()
    services.check_reminders(on=dt.date(2026, 3, 20))
    assert TaskReminder.objects.count() == early
    late = services.check_reminders(on=dt.date(2026, 4, 1))
    overdue = {t for t, kind, _o in late.notices if kind == "overdue"}
    assert any(t.endswith("一/(一)") for t in overdue)


def test_overdue_lists_and_summary(plan, supervisor, org):
    fix_and_confirm(plan, supervisor, org)
    on = dt.date(2026, 11, 21)
    overdue = selectors.overdue_tasks(plan=plan, on=on)
    numbers = {t.number for t in overdue}
    assert {"一/(一)", "一/(二)", "一/(三)", "二/(四)", "二/(五)#1"} <= numbers
    assert "三/(七)" not in numbers  # due 30 November
    by_org = selectors.overdue_by_org(user=supervisor, on=on)
    assert by_org[0].tasks
    summary = selectors.plan_summary(plan=plan, on=on)
    assert summary.total == 11  # 7 tasks + 4 quarterly instances
    assert summary.overdue == len(overdue)
    assert summary.rate == 0.0


def test_bulletin_names_overdue_tasks_in_docx_and_xlsx(plan, supervisor, org):
    fix_and_confirm(plan, supervisor, org)
    data = selectors.bulletin(plan=plan, year=2026, quarter=2, on=dt.date(2026, 11, 21))
    assert data.as_of == dt.date(2026, 6, 30)
    names = {t.number for t in data.overdue_tasks}
    assert names == {"一/(一)", "二/(五)#1"}  # due 31 March; the June ones are not late yet
    assert all(not t.number.endswith(("#3", "#4")) for r in data.rows for t in r.not_started)
    docx = Docx(io.BytesIO(exports.bulletin_docx(data)))
    text = "\n".join(p.text for p in docx.paragraphs)
    cells = "\n".join(c.text for t in docx.tables for row in t.rows for c in row.cells)
    assert "第二季度通报" in text and "逾期未完成的任务" in text
    assert "一/(一)" in cells and "示范市发展和改革委员会" in cells
    wb = load_workbook(io.BytesIO(exports.bulletin_xlsx(data)))
    rows = list(wb["逾期任务"].iter_rows(min_row=2, values_only=True))
    assert {r[0] for r in rows} == {"一/(一)", "二/(五)#1"}
    with pytest.raises(ApplicationError):
        selectors.bulletin(plan=plan, year=2026, quarter=5)


def test_bulletin_publishes_as_a_document(plan, supervisor, org):
    fix_and_confirm(plan, supervisor, org)
    document = services.bulletin_publish(actor=supervisor, plan=plan, year=2026, quarter=3)
    assert document.status == "published"
    assert document.index_number and "第三季度通报" in document.title
    assert document.attachments.get().kind == "docx"
    with pytest.raises(ApplicationError, match="已经发布过"):
        services.bulletin_publish(actor=supervisor, plan=plan, year=2026, quarter=3)


def test_ledger_xlsx_has_the_familiar_columns(plan, supervisor, org):
    fix_and_confirm(plan, supervisor, org)
    rows = selectors.ledger(plan=plan, on=dt.date(2026, 11, 21))
    wb = load_workbook(io.BytesIO(exports.ledger_xlsx(title=plan.title, rows=rows)))
    sheet = wb.active
    header = [c.value for c in sheet[2]]
    assert header == [
        "序号",
        "重点任务",
        "具体举措",
        "牵头单位",
        "责任单位",
        "完成时限",
        "进展情况",
        "状态",
    ]
    first = [c.value for c in sheet[3]]
    assert first[0] == 1 and first[3] == "示范市发展和改革委员会"
    assert "2026-03-31" in first[5] and first[7] == "已逾期"
    assert sheet.max_row == 2 + 11


def test_lookback_carries_unfinished_tasks_with_history(plan, supervisor, org, make_staff):
    fix_and_confirm(plan, supervisor, org)
    old = Task.objects.get(plan=plan, number="一/(一)")
    lead = org("示范市发展和改革委员会")
    staff = make_staff(lead.name, Membership.Role.PUBLISHER)
    services.progress_report(actor=staff, task=old, org=lead, status="in_progress", text="半数完成")
    next_year = services.plan_import(
        actor=supervisor,
        org=org(CITY),
        year=2027,
        file_name="2027.txt",
        data=DEMO_PLAN.read_bytes().replace(b"2026", b"2027"),
    )
    assert old in selectors.lookback_candidates(user=supervisor, into=next_year)
    [new] = services.tasks_carry_forward(actor=supervisor, tasks=[old], into=next_year)
    old.refresh_from_db()
    assert old.status == TaskStatus.CARRIED
    assert new.carried_from == old and new.status == TaskStatus.PENDING
    assert [r.text for r in selectors.task_reports(task=new)] == ["半数完成"]
    with pytest.raises(ApplicationError):
        services.tasks_carry_forward(actor=supervisor, tasks=[new], into=plan)


def test_supervision_is_scoped_to_the_region(plan, make_staff, org):
    """Another region's supervisor (a district's) sees no city plan and cannot confirm it."""
    district_supervisor = make_staff("示范市东城区人民政府", Membership.Role.SUPERVISOR)
    assert not selectors.plans_for_user(user=district_supervisor).exists()
    with pytest.raises(PermissionDeniedError):
        services.plan_confirm(actor=district_supervisor, plan=plan)
    assert Org.objects.get(pk=plan.org_id).name == CITY


def test_demo_seed_is_a_confirmed_half_done_plan_and_loads_once(db):
    from django.utils import timezone

    from gongkai.supervision.demo import load_demo_supervision

    plan = load_demo_supervision()
    assert plan.status == PlanStatus.ACTIVE
    assert plan.year == timezone.localdate().year - 1
    summary = selectors.plan_summary(plan=plan)
    assert summary.done == 2 and summary.overdue > 0
    assert plan.tasks.get(number="三/(八)").deadline == dt.date(plan.year + 1, 1, 31)
    assert load_demo_supervision() is None


def test_a_plan_is_closed_once_and_only_when_active(plan, supervisor, org):
    with pytest.raises(ApplicationError, match="不能结束"):
        services.plan_close(actor=supervisor, plan=plan)
    fix_and_confirm(plan, supervisor, org)
    services.plan_close(actor=supervisor, plan=plan)
    assert plan.status == PlanStatus.CLOSED
    with pytest.raises(ApplicationError, match="已结束"):
        services.plan_close(actor=supervisor, plan=plan)


def test_stored_labels_and_bulletins_stay_chinese_under_an_english_page(plan, supervisor, org):
    """Period labels are the plan's words, and a published bulletin is an official document."""
    from django.utils import translation

    with translation.override("en"):
        fix_and_confirm(plan, supervisor, org)
        document = services.bulletin_publish(actor=supervisor, plan=plan, year=2026, quarter=2)
    instance = Task.objects.get(plan=plan, number="二/(五)#1")
    assert instance.period == "第一季度"
    assert "第二季度通报" in document.title and "逾期未完成的任务" in document.body


def test_review_findings_are_refused(plan, supervisor, org, make_staff):
    """A city supervisor cannot report as a department; nobody reviews their own report; a
    bulletin's year is the plan's; a submitted task is not carried; no future report dates."""
    fix_and_confirm(plan, supervisor, org)
    task = Task.objects.get(plan=plan, number="二/(四)")
    education = org("示范市教育局")
    with pytest.raises(PermissionDeniedError):
        services.progress_consolidate(
            actor=supervisor, task=task, org=education, status="done", text="代报"
        )
    dual = make_staff("示范市教育局", Membership.Role.OFFICE_HEAD)
    Membership.objects.create(user=dual, org=org(CITY), role=Membership.Role.SUPERVISOR)
    report = services.progress_consolidate(
        actor=dual, task=task, org=education, status="done", text="自报"
    )
    with pytest.raises(ApplicationError, match="自己报送"):
        services.report_review(actor=dual, report=report, accept=True)
    for year in (1, 2025, 2028):
        with pytest.raises(ApplicationError, match="通报年度"):
            selectors.bulletin(plan=plan, year=year, quarter=1)
    next_year = services.plan_import(
        actor=supervisor,
        org=org(CITY),
        year=2027,
        file_name="2027.txt",
        data=DEMO_PLAN.read_bytes().replace(b"2026", b"2027"),
    )
    assert task not in selectors.lookback_candidates(user=supervisor, into=next_year)
    with pytest.raises(ApplicationError, match="不能结转"):
        services.tasks_carry_forward(actor=supervisor, tasks=[task], into=next_year)
    with pytest.raises(ApplicationError, match="报送日期"):
        services.progress_report(
            actor=dual,
            task=task,
            org=education,
            status="done",
            text="x",
            reported_on=dt.date(2099, 1, 1),
        )

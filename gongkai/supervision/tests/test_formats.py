"""Issue 19's "done when": one department-level task table as a Word table (DOCX), an HTML page,
a PDF and a table flattened to text, each imported through the workbench upload, its internal
units resolved on the review screen, the missing one created on the reviewer's consent, every
task and unit carrying how it was found and its confidence. The files are built by
formats/build.py and committed."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongkai.core.models import AuditEvent
from gongkai.orgs.models import Membership, Org
from gongkai.supervision.extract import extract_plan, unit_confidence
from gongkai.supervision.models import Assignment, Task, WorkPlan
from gongkai.supervision.services import read_plan_text
from gongkai.supervision.structure import plan_text
from gongkai.supervision.workflow import PlanStatus

FORMATS = Path(__file__).resolve().parent / "formats"
BUREAU = "示范市教育局"
FILES = ["plan-table.docx", "plan-table.html", "plan-table.pdf", "plan-flat.txt"]
ROW = "| 1 | 推进决策公开 | 完善重大行政决策事项目录，并在门户网站向社会公开。 | 政策法规科 | 2026年6月底前 |"


@pytest.fixture
def reviewer(make_staff):
    return make_staff(BUREAU, Membership.Role.SUPERVISOR)


def upload(client, name):
    return client.post(
        reverse("workbench:plan_import"),
        {
            "file": SimpleUploadedFile(name, (FORMATS / name).read_bytes()),
            "year": "2026",
            "org": Org.objects.get(name=BUREAU).code,
        },
    )


def test_pdf_table_read_as_rows_with_merged_unit_cell_carried_down():
    """pdfplumber finds the ruled table; the merged 工作任务 cell is written once (a heading),
    the merged 责任科室 cell is carried down into the row it spans."""
    text = plan_text((FORMATS / "plan-table.pdf").read_bytes(), "pdf")
    lines = text.splitlines()
    assert lines[0] == "示范市教育局2026年政务公开工作任务分工"
    assert "| 序号 | 工作任务 | 具体要求 | 责任科室 | 完成时限 |" in lines
    assert ROW in lines
    assert (
        "| 2 |  | 做好决策草案公开征求意见工作，及时反馈意见采纳情况。 | 政策法规科 | 持续推进 |"
        in lines
    )
    assert lines[-2:] == ["示范市教育局办公室", "2026年3月2日"]  # the text after the table
    # The same rows as the Word table and the HTML page give.
    for name, kind in (("plan-table.docx", "docx"), ("plan-table.html", "html")):
        assert plan_text((FORMATS / name).read_bytes(), kind) == text


def test_pdf_without_a_table_keeps_the_flat_text():
    from weasyprint import HTML

    data = HTML(string="<p>一、加强政策解读。</p>").write_pdf()
    assert plan_text(data, "pdf") is None
    assert plan_text(b"%PDF-1.4 broken", "pdf") is None


@pytest.mark.parametrize("name", FILES)
def test_every_task_and_unit_says_how_it_was_found(name):
    plan = extract_plan(read_plan_text((FORMATS / name).read_bytes(), name), year=2026)
    tasks = {t.number: t for t in plan.tasks}
    assert list(tasks) == ["1", "2", "3", "4", "5"]
    assert tasks["3"].lead_units == ["办公室"] and tasks["3"].responsible_units == ["基础教育科"]
    assert tasks["3"].unit_how == {"办公室": "role_phrase", "基础教育科": "role_phrase"}
    assert tasks["4"].unit_how == {"政务公开股": "column"}
    assert all(t.task_how == "table_row" for t in plan.tasks)
    if name == "plan-flat.txt":
        # Flattened, the merged unit cell is simply missing: the task is read, flagged low.
        assert tasks["2"].responsible_units == [] and tasks["2"].confidence == "low"
    else:
        assert tasks["2"].responsible_units == ["政策法规科"]
        assert {t.confidence for t in plan.tasks} == {"high"}


def test_confidence_of_units_named_in_the_text_and_of_matches():
    text = "一、加强政策解读\n（一）做好政策解读工作。由市政府办公室负责，及时发布解读材料。\n" * 1
    task = extract_plan(text, year=2026).tasks[0]
    assert task.unit_how == {"市政府办公室": "sentence"}
    assert task.confidence == "low"
    assert unit_confidence("column", "exact", 100) == "high"
    assert unit_confidence("column", "internal", 100) == "medium"
    assert unit_confidence("column", "fuzzy", 88) == "low"
    assert unit_confidence("sentence", "exact", 100) == "low"
    assert unit_confidence("column", "", 0) == "low"  # unresolved


@pytest.mark.parametrize("name", FILES)
def test_each_format_imports_through_the_workbench_with_units_resolved(client, reviewer, name):
    client.force_login(reviewer)
    response = upload(client, name)
    assert response.status_code == 302, response.content.decode()[:500]
    plan = WorkPlan.objects.get()
    assert plan.tasks.count() == 5
    page = client.get(response.url).content.decode()
    # Internal units of the bureau resolved: printed without its name, matched to its sub-units.
    assert "政策法规科→示范市教育局政策法规科" in page
    assert "办公室→示范市教育局办公室" in page
    assert "基础教育科→示范市教育局基础教育科" in page
    assert "本局→示范市教育局" in page  # "本局" is the issuer itself
    assert "牵头/配合表述" in page and "单位列" in page and "表格行" in page
    # 政务公开股 is no sub-unit yet: the screen offers to create it.
    assert 'data-name="政务公开股"' in page and "新建为示范市教育局的内设机构" in page
    refused = client.post(reverse("workbench:plan_confirm", args=[plan.pk]), follow=True)
    assert "政务公开股" in refused.content.decode()
    created = client.post(
        reverse("workbench:plan_internal_unit", args=[plan.pk]), {"name": "政务公开股"}, follow=True
    )
    assert "已新建内设机构" in created.content.decode()
    unit = Org.objects.get(name="示范市教育局政务公开股")
    assert unit.parent.name == BUREAU and unit.kind == Org.Kind.INTERNAL_UNIT
    event = AuditEvent.objects.get(verb="workplan.internal_unit_create")
    assert event.actor_id == reviewer.pk and event.data["name"] == "政务公开股"
    assert "政务公开股→示范市教育局政务公开股" in created.content.decode()
    if name == "plan-flat.txt":
        task = plan.tasks.get(number="2")
        assert task.confidence == "low" and task.responsible_names == []
    client.post(reverse("workbench:plan_confirm", args=[plan.pk]))
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ACTIVE
    lead = Assignment.objects.get(task__plan=plan, task__number="3", role="lead")
    assert (lead.org.name, lead.found_by, lead.method) == (
        "示范市教育局办公室",
        "role_phrase",
        "internal",
    )
    self_unit = Assignment.objects.get(task__plan=plan, task__number="5")
    assert (self_unit.org.name, self_unit.confidence) == (BUREAU, "high")


def test_review_lists_low_confidence_first_filters_and_the_reviewer_confirms(client, reviewer):
    client.force_login(reviewer)
    upload(client, "plan-flat.txt")
    plan = WorkPlan.objects.get()
    url = reverse("workbench:plan_review", args=[plan.pk])
    page = client.get(url).content.decode()
    low = plan.tasks.get(number="2")
    rows = [p.split('"', 1)[0] for p in page.split('<tr id="task-')[1:]]
    assert rows[0] == str(low.pk)  # the task whose unit cell went missing comes first
    only_low = client.get(url, {"confidence": "low"}).content.decode()
    ids = [p.split('"', 1)[0] for p in only_low.split('<tr id="task-')[1:]]
    assert str(low.pk) in ids and len(ids) < 5
    assert 'data-confidence="high"' not in only_low.split('data-testid="review-tasks"')[1]
    # The reviewer confirms it as read: it moves behind the unchecked ones, with an event.
    response = client.post(reverse("workbench:task_check", args=[low.pk]))
    assert response.status_code == 302
    low.refresh_from_db()
    assert low.checked
    assert AuditEvent.objects.filter(verb="workplan.task_check").count() == 1
    page = client.get(url).content.decode()
    rows = [p.split('"', 1)[0] for p in page.split('<tr id="task-')[1:]]
    assert rows[-1] == str(low.pk)
    # Correcting the units by hand marks them as the reviewer's.
    client.post(
        reverse("workbench:task_edit", args=[low.pk]),
        {
            "number": "2",
            "heading": low.heading,
            "text": low.text,
            "lead_names": "",
            "responsible_names": "政策法规科",
            "deadline_text": "",
            "deadline": "",
            "recurring": "",
        },
    )
    low.refresh_from_db()
    assert low.unit_found_by == {"政策法规科": "manual"}


def test_internal_unit_creation_is_refused_for_other_names_and_other_roles(
    client, reviewer, make_staff
):
    client.force_login(reviewer)
    upload(client, "plan-table.docx")
    plan = WorkPlan.objects.get()
    before = Org.objects.count()
    for name in ("市财政局", "办公室", "", "政务公开股" * 5):  # a place prefix; resolved; empty
        response = client.post(
            reverse("workbench:plan_internal_unit", args=[plan.pk]), {"name": name}, follow=True
        )
        assert "不是尚未对应的内设机构名称" in response.content.decode()
    publisher = make_staff(BUREAU, Membership.Role.PUBLISHER)
    client.force_login(publisher)
    response = client.post(
        reverse("workbench:plan_internal_unit", args=[plan.pk]), {"name": "政务公开股"}
    )
    assert response.status_code in (403, 404)
    assert Org.objects.count() == before
    assert not Task.objects.filter(plan=plan, checked=True).exists()

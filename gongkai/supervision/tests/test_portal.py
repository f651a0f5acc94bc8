"""The public pages of work plans (工作要点落实): the list with its counts from one query, a
plan's task table with overdue tasks marked, and nothing of reports, authors or evidence."""

import datetime as dt
from pathlib import Path

import pytest

from gongkai.orgs.models import Membership
from gongkai.portal.selectors import counted_summary, public_plans_counted
from gongkai.supervision import selectors, services
from gongkai.supervision.models import Task
from gongkai.supervision.workflow import Progress

DEMO_PLAN = Path(__file__).resolve().parents[1] / "demo" / "shifan-2026-plan.txt"
CITY = "示范市人民政府"
TODAY = dt.date(2026, 11, 21)  # 一/(一) (due 31 March) is overdue, 三/(七) (30 November) is not


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    """Pages judge overdue tasks as of a fixed day, whatever the day the suite runs."""
    monkeypatch.setattr(selectors, "today", lambda: TODAY)


@pytest.fixture
def supervisor(make_staff):
    return make_staff(CITY, Membership.Role.SUPERVISOR)


@pytest.fixture
def make_plan(supervisor, org):
    """make_plan(year, confirm=True, is_public=True) → the demo plan, as of another year."""

    def make(year=2026, *, confirm=True, is_public=True):
        data = DEMO_PLAN.read_bytes().replace(b"2026", str(year).encode())
        plan = services.plan_import(
            actor=supervisor,
            org=org(CITY),
            year=year,
            file_name=f"{year}.txt",
            data=data,
            is_public=is_public,
        )
        if confirm:
            services.plan_map_unit(
                actor=supervisor,
                plan=plan,
                name="市人设局",
                org_ids=[org("示范市人力资源和社会保障局").pk],
            )
            plan = services.plan_confirm(actor=supervisor, plan=plan)
        return plan

    return make


@pytest.fixture
def plan(make_plan):
    return make_plan()


def test_list_shows_confirmed_public_plans_with_counts(client, plan):
    """The list names the plan, its organisation, its completion rate and overdue count."""
    response = client.get("/plans/")
    html = response.content.decode()
    assert response.status_code == 200
    assert plan.title in html and CITY in html and plan.get_absolute_url() in html
    summary = selectors.plan_summary(plan=plan, on=TODAY)
    assert summary.overdue > 0
    assert f"{summary.overdue} 项已逾期" in html
    assert "0.0%" in html
    assert "工作要点落实" in client.get("/").content.decode()  # the nav link


def test_list_counts_match_the_plan_summary(plan, supervisor, org, make_staff):
    """The one-query counts classify tasks exactly as plan_summary does, on any day."""
    task = Task.objects.get(plan=plan, number="二/(四)")
    lead = org("示范市教育局")
    staff = make_staff(lead.name, Membership.Role.OFFICE_HEAD)
    report = services.progress_consolidate(
        actor=staff, task=task, org=lead, status=Progress.DONE, text="已完成招生信息公开。"
    )
    services.report_review(actor=supervisor, report=report, accept=True)
    other = Task.objects.get(plan=plan, number="三/(七)")
    lead = org("示范市司法局")
    staff = make_staff(lead.name, Membership.Role.OFFICE_HEAD)
    services.progress_consolidate(
        actor=staff, task=other, org=lead, status=Progress.IN_PROGRESS, text="评查中。"
    )
    for on in (dt.date(2026, 3, 1), dt.date(2026, 7, 1), TODAY, dt.date(2027, 2, 1)):
        [counted] = public_plans_counted(on=on)
        assert counted_summary(counted) == selectors.plan_summary(plan=plan, on=on), on


def test_list_filters_by_year_and_refuses_a_bad_one(client, make_plan):
    make_plan(2025)
    make_plan(2026)
    both = client.get("/plans/").content.decode()
    assert both.index("示范市2026年") < both.index("示范市2025年")  # newest first
    html = client.get("/plans/", {"year": "2025"}).content.decode()
    assert "示范市2025年政务公开工作要点" in html
    assert "示范市2026年政务公开工作要点" not in html
    assert client.get("/plans/", {"year": "20x5"}).status_code == 400


@pytest.mark.parametrize("n", [1, 3])
def test_list_is_three_queries_whatever_the_number_of_plans(
    client, make_plan, n, django_assert_num_queries
):
    """Count, the page with its annotated counts, the years: no query per plan."""
    for year in range(2026, 2026 + n):
        make_plan(year)
    with django_assert_num_queries(3):
        response = client.get("/plans/")
    assert response.status_code == 200
    assert response.content.decode().count('href="/plans/') == n + 2  # plus nav and "全部"


def test_detail_shows_tasks_units_deadlines_and_marks_overdue(client, plan):
    response = client.get(plan.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    for expected in [
        plan.title,
        plan.issuer,
        CITY,
        "一/(一)",
        "加强涉企政策公开",  # 具体举措
        "围绕稳经济促发展加强政策公开",  # 重点任务
        "示范市发展和改革委员会",  # 牵头单位
        "示范市人力资源和社会保障局",  # the name the reviewer mapped
        "2026-03-31",
        "二/(五)#1",  # a quarterly instance
        "序号",
        "完成时限",
    ]:
        assert expected in html, expected
    assert 'class="task-overdue"' in html
    assert '<span class="badge late" data-testid="overdue">已逾期</span>' in html
    rows = selectors.ledger(plan=plan, on=TODAY)
    overdue = sum(r.overdue for r in rows)
    assert html.count('class="task-overdue"') == overdue
    # 三/(七) is due 30 November: open, not overdue, and not marked.
    seventh = next(r for r in rows if r.task.number == "三/(七)")
    assert not seventh.overdue


def test_detail_shows_no_report_author_or_evidence(client, plan, supervisor, org, make_staff):
    """Reports name officials: only the accepted progress text reaches the public page."""
    task = Task.objects.get(plan=plan, number="二/(四)")
    district = org("示范市东城区人民政府")
    reporter = make_staff(district.name, Membership.Role.PUBLISHER, username="reporter-wang")
    services.progress_report(
        actor=reporter,
        task=task,
        org=district,
        status=Progress.IN_PROGRESS,
        text="联系人王小明，电话13800000000。",
        files=[("名单.txt", "内部名单".encode())],
    )
    lead = org("示范市教育局")
    head = make_staff(lead.name, Membership.Role.OFFICE_HEAD, username="head-li")
    report = services.progress_consolidate(
        actor=head, task=task, org=lead, status=Progress.DONE, text="全市已公开招生信息。"
    )
    services.report_review(actor=supervisor, report=report, accept=True)
    other = Task.objects.get(plan=plan, number="三/(七)")
    justice = org("示范市司法局")
    services.progress_consolidate(
        actor=make_staff(justice.name, Membership.Role.OFFICE_HEAD, username="head-zhao"),
        task=other,
        org=justice,
        status=Progress.IN_PROGRESS,
        text="待审核的汇总报告内容。",
    )
    html = client.get(plan.get_absolute_url()).content.decode()
    # Even an accepted report's text stays in the workbench: it was never scanned for
    # personal information, and the public status says what the public needs.
    assert "全市已公开招生信息" not in html
    assert "已完成" in html
    for secret in [
        "王小明",
        "13800000000",
        "待审核的汇总报告内容",
        "名单.txt",
        "reporter-wang",
        "head-li",
        "head-zhao",
        supervisor.username,
    ]:
        assert secret not in html, secret


def test_detail_is_a_constant_number_of_queries(client, make_plan, django_assert_num_queries):
    """The plan with its counts, its tasks, their units (with organisations): three queries."""
    plan = make_plan()
    with django_assert_num_queries(3):
        assert client.get(plan.get_absolute_url()).status_code == 200
    small = make_plan(2027)
    small.tasks.exclude(number__startswith="一/").delete()
    with django_assert_num_queries(3):
        assert client.get(small.get_absolute_url()).status_code == 200


def test_draft_and_non_public_plans_are_404(client, make_plan):
    draft = make_plan(confirm=False)
    hidden = make_plan(2027, is_public=False)
    for plan in (draft, hidden):
        response = client.get(plan.get_absolute_url())
        assert response.status_code == 404
        assert plan.title not in response.content.decode()
    listed = client.get("/plans/").content.decode()
    assert draft.title not in listed and hidden.title not in listed
    assert client.get("/plans/999999/").status_code == 404


def test_pages_render_in_english(client, plan):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    for url in ("/plans/", plan.get_absolute_url()):
        response = client.get(url)
        html = response.content.decode()
        assert response.status_code == 200, url
        assert 'lang="en"' in html and plan.title in html

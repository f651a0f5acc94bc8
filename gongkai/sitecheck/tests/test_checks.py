"""The site self-check against the 2019 indicators (issue 18 §2): columns, veto items, the
command, history and notification."""

import datetime as dt
import json

import pytest
from django.core.cache import cache
from django.utils import timezone

from gongkai.core.exceptions import ApplicationError, PermissionDeniedError
from gongkai.core.models import AuditEvent
from gongkai.orgs.models import Membership
from gongkai.orgs.permissions import CommandLine
from gongkai.sitecheck import checks, columns, services
from gongkai.sitecheck.models import ColumnKind, ColumnRule, SiteCheckRun

pytestmark = pytest.mark.django_db

CLI = CommandLine("test")
SMALL = checks.Limits(max_pages=15, link_timeout=1.0, link_deadline=2.0)
VETO = {
    "site_unreachable", "home_not_updated", "columns_stale", "columns_long_stale",
    "columns_blank", "interaction_unanswered", "serious_errors", "security_incidents",
    "services_not_practical",
}  # fmt: skip
SCORED = {
    "links_internal", "links_external", "search", "mobile", "accessibility", "ipv6",
    "interpretations", "interaction_on_time",
}  # fmt: skip


def only_rules(keys: dict[str, str]) -> None:
    """Check exactly these columns, with these kinds and their default periods."""
    services.column_rules_sync(actor=CLI)
    ColumnRule.objects.update(active=False)
    for key, kind in keys.items():
        ColumnRule.objects.filter(key=key).update(
            active=True, kind=kind, period_days=columns.DEFAULT_PERIOD_DAYS[kind]
        )


def veto_state(run) -> dict:
    return {i["id"]: i["ok"] for i in run.results["indicators"] if i["group"] == "veto"}


def test_column_kinds_come_from_their_names():
    assert columns.kind_for("工作动态") == ColumnKind.DYNAMIC
    assert columns.kind_for("本地要闻") == ColumnKind.DYNAMIC
    assert columns.kind_for("通知公告") == ColumnKind.NOTICE_POLICY
    assert columns.kind_for("规章和规范性文件") == ColumnKind.NOTICE_POLICY
    assert columns.kind_for("人事信息") == ColumnKind.PERSONNEL_PLAN
    assert columns.kind_for("规划计划") == ColumnKind.PERSONNEL_PLAN
    assert columns.kind_for("政府信息公开工作年度报告") == ColumnKind.OTHER
    assert columns.kind_for("财政预决算") == ColumnKind.OTHER
    assert columns.DEFAULT_PERIOD_DAYS[ColumnKind.DYNAMIC] == 14


def test_five_blank_columns_and_one_stale_fail_exactly_those_veto_items(publish, monkeypatch):
    """Done-when of issue 18: empty five columns and stale one. Five blank columns fail 空白栏目
    (≥ 5); the stale dynamic column is reported under 栏目不更新 — which by the document fails
    from 5 such columns, and fails with a local threshold of 1 — and nothing else fails."""
    fresh = ["regulations", "statistics", "budgets"]
    blank = ["fees", "procurement", "major-projects", "recruitment", "public-welfare"]
    for code in fresh:
        publish(title=f"关于{code}的通知", category=_cat(code))
    stale_doc = publish(title="教育工作动态一则", category=_cat("functions"))
    now = timezone.now()
    type(stale_doc).objects.filter(pk=stale_doc.pk).update(published_at=now - dt.timedelta(days=20))
    only_rules(
        {f"category:{c}": ColumnKind.NOTICE_POLICY for c in fresh + blank}
        | {"category:functions": ColumnKind.DYNAMIC}
    )

    run = services.site_check_run(actor=CLI, now=now, limits=SMALL)
    state = veto_state(run)
    assert run.failed_veto == ["columns_blank"]
    assert state["columns_stale"] is True and state["columns_long_stale"] is True
    blank_item = next(i for i in run.results["indicators"] if i["id"] == "columns_blank")
    assert sorted(blank_item["columns"]) == sorted(f"category:{c}" for c in blank)
    stale_item = next(i for i in run.results["indicators"] if i["id"] == "columns_stale")
    assert stale_item["columns"] == ["category:functions"]
    assert "机构职能" in stale_item["reason"]
    assert all(state[k] is None for k in ("serious_errors", "security_incidents"))
    assert not run.passed

    monkeypatch.setattr(checks, "STALE_COLUMNS", 1)
    run = services.site_check_run(actor=CLI, now=now, limits=SMALL)
    assert run.failed_veto == ["columns_stale", "columns_blank"]
    # Eight days earlier the dynamic column was fresh (its item was 12 days old).
    earlier = services.site_check_run(actor=CLI, now=now - dt.timedelta(days=8), limits=SMALL)
    assert "columns_stale" not in earlier.failed_veto


def _cat(code):
    from gongkai.documents.models import Category

    return Category.objects.get(code=code)


def test_column_states_use_one_query_per_source(publish, django_assert_max_num_queries):
    """Counting every column is a fixed number of grouped queries, however many documents."""
    for i in range(6):
        publish(title=f"通知{i}", category=_cat("regulations"))
    rules = services.column_rules_sync(actor=CLI)
    with django_assert_max_num_queries(8):
        found = columns.states(now=timezone.now(), rules=rules)
    regs = next(s for s in found if s.key == "category:regulations")
    assert regs.count == 6 and not regs.blank


def ask(org, *, now):
    from gongkai.participation.services import questions

    cache.clear()
    return questions.question_submit(
        data=questions.QuestionInput(
            org=org, kind="enquiry", subject="小学入学需要哪些材料",
            text="孩子今年六岁，请问小学入学登记需要准备哪些材料？", name="王小明",
            contact="13912345678",
        ),
        source_address="203.0.113.9", now=now,
    ).question  # fmt: skip


def test_a_valid_message_unanswered_for_over_three_months_fails(org, publish):
    """互动回应差: a message received 3 months and a day ago, still open, fails the site; one
    received 2 months ago does not."""
    publish(title="一则通知")
    only_rules({})
    now = timezone.now()
    ask(org("示范市教育局"), now=now - dt.timedelta(days=60))
    run = services.site_check_run(actor=CLI, now=now, limits=SMALL)
    assert veto_state(run)["interaction_unanswered"] is True
    old = ask(org("示范市教育局"), now=checks.add_months(now, -3) - dt.timedelta(days=1))
    run = services.site_check_run(actor=CLI, now=now, limits=SMALL)
    assert veto_state(run)["interaction_unanswered"] is False
    item = next(i for i in run.results["indicators"] if i["id"] == "interaction_unanswered")
    assert item["questions"] == [old.number]


def test_add_months_is_calendar_months():
    moment = dt.datetime(2026, 5, 31, 10, 0, tzinfo=dt.UTC)
    assert checks.add_months(moment, -3) == dt.datetime(2026, 2, 28, 10, 0, tzinfo=dt.UTC)
    assert checks.add_months(moment, -12).year == 2025


def test_site_check_json_prints_every_indicator_with_ok_and_reason(run_cli):
    from gongkai.documents.demo import load_demo_documents

    load_demo_documents(count=40)
    code, out, err = run_cli("site-check", "--json", "--max-pages", "20")
    assert code == 0, err
    data = json.loads(out)
    ids = {i["id"] for i in data["indicators"]}
    assert ids == VETO | SCORED
    for item in data["indicators"]:
        assert item["ok"] in (True, False, None)
        assert item["reason"].strip()
        assert item["source"].startswith("国办秘函〔2019〕19号")
    assert data["indicators"][0]["ok"] is True  # the site answers
    assert isinstance(data["score"], float) and data["columns"]
    assert SiteCheckRun.objects.filter(pk=data["run"]).exists()
    code, out, _ = run_cli("site-check", "--max-pages", "5")
    assert code == 0 and "得分" in out and "站点无法访问" in out
    code, out, _ = run_cli("site-check", "--json", "--notify", "--max-pages", "5")
    assert code == 0 and json.loads(out)["newly_failing"] == []


@pytest.mark.parametrize(
    "args",
    [
        ("--base-url", "ftp://example.org"),
        ("--base-url", "not a url"),
        ("--org", "NO-SUCH-ORG"),
        ("--now", "yesterday"),
        ("--max-pages", "0"),
    ],
)
def test_bad_input_exits_2_and_keeps_nothing(run_cli, args):
    code, _out, err = run_cli("site-check", *args)
    assert code == 2
    assert err.strip()
    assert not SiteCheckRun.objects.exists()


def test_newly_failing_and_notification_of_the_supervising_office(org, make_staff, publish):
    """The scheduled job's question: what fails now that did not before. The city's openness
    office (its supervisors) is told once per run, in the audit trail and by mail."""
    from django.core import mail

    boss = make_staff("示范市人民政府", Membership.Role.SUPERVISOR)
    boss.email = "office@example.gov.cn"
    boss.save()
    publish(title="一则通知", category=_cat("regulations"))
    only_rules({"category:regulations": ColumnKind.NOTICE_POLICY})
    now = timezone.now()
    first = services.site_check_run(actor=CLI, now=now, limits=SMALL)
    assert first.failed_veto == [] and services.newly_failing(first) == []
    ColumnRule.objects.filter(key__startswith="category:").exclude(
        key="category:regulations"
    ).filter(key__in=[f"category:{c}" for c in ("fees", "procurement", "major-projects",
                                                "recruitment", "public-welfare")]).update(
        active=True
    )  # fmt: skip
    second = services.site_check_run(actor=CLI, now=now + dt.timedelta(hours=1), limits=SMALL)
    assert services.newly_failing(second) == ["columns_blank"]
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("django.db.transaction.on_commit", lambda f, using=None, robust=False: f())
        assert services.site_check_notify(run=second) == ["columns_blank"]
    assert services.site_check_notify(run=second) == []
    events = AuditEvent.objects.filter(verb="sitecheck.notify", target_id=str(second.pk))
    assert events.count() == 1 and events.get().org == org("示范市人民政府")
    assert mail.outbox and "空白栏目" in mail.outbox[-1].subject


def test_run_is_audited_and_needs_the_permission(org, make_staff, publish):
    publish(title="一则通知")
    only_rules({})
    head = make_staff("示范市教育局", Membership.Role.OFFICE_HEAD)
    publisher = make_staff("示范市教育局", Membership.Role.PUBLISHER)
    run = services.site_check_run(actor=head, org=org("示范市教育局"), limits=SMALL)
    assert run.results["start"] == f"/orgs/{run.org.code}/"
    assert AuditEvent.objects.filter(verb="sitecheck.run", target_id=str(run.pk)).exists()
    with pytest.raises(PermissionDeniedError):
        services.site_check_run(actor=publisher, org=org("示范市教育局"), limits=SMALL)
    with pytest.raises(PermissionDeniedError):
        services.site_check_run(actor=head, org=org("示范市人民政府"), limits=SMALL)


def test_column_rule_update_checks_its_input(make_staff):
    head = make_staff("示范市教育局", Membership.Role.OFFICE_HEAD)
    rules = services.column_rules_sync(actor=CLI)
    rule = rules["category:plans"]
    assert rule.kind == ColumnKind.PERSONNEL_PLAN and rule.period_days == 365
    for bad in ({"kind": "weekly", "period_days": 7}, {"kind": "dynamic", "period_days": 0},
                {"kind": "dynamic", "period_days": 99999}):  # fmt: skip
        with pytest.raises(ApplicationError):
            services.column_rule_update(actor=head, rule=rule, active=True, **bad)
    rule.refresh_from_db()
    assert rule.kind == ColumnKind.PERSONNEL_PLAN
    rule = services.column_rule_update(
        actor=head, rule=rule, kind=ColumnKind.OTHER, period_days=30, active=False
    )
    assert rule.period_days is None and not rule.active
    assert AuditEvent.objects.filter(verb="sitecheck.column_rule_update").exists()


def test_ipv6_is_unknown_without_a_configured_host_and_checked_with_one(settings):
    import socket

    settings.GONGKAI_SITE_URL = ""
    assert checks._ipv6(None, checks.Limits())["ok"] is None
    try:
        server = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
        server.bind(("::1", 0))
    except OSError:
        pytest.skip("no IPv6 loopback on this machine")
    server.listen(1)
    port = server.getsockname()[1]
    # The kernel completes the handshake from the backlog: nobody needs to accept.
    try:
        item = checks._ipv6(f"http://localhost:{port}", checks.Limits(ipv6_timeout=1))
    finally:
        server.close()
    assert item["ok"] is True and item["score"] == checks.WEIGHTS["ipv6"]

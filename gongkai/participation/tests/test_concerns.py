"""The public-concern response ledger (回应关切台账): services, hour clocks, alerts, scoping,
the workbench pages, the XLSX export, the CLI and the demo."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from gongkai.core.exceptions import ApplicationError, PermissionDeniedError
from gongkai.core.models import AuditEvent
from gongkai.orgs.models import Membership
from gongkai.participation.models import (
    Concern,
    ConcernAlert,
    ConcernResponse,
    Promise,
    ResponseKind,
    Severity,
)
from gongkai.participation.selectors import concerns as selectors
from gongkai.participation.services import concerns as services
from gongkai.participation.workflow import ConcernStatus

Role = Membership.Role
EDU, CIVIL, CITY = "示范市教育局", "示范市民政局", "示范市人民政府"
pytestmark = pytest.mark.django_db


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


DAY = dt.date(2026, 3, 2)
NINE = at(DAY, 9)


@pytest.fixture
def head(make_staff):
    return make_staff(EDU, Role.OFFICE_HEAD)


@pytest.fixture
def register(head, org):
    def make(severity=Severity.MAJOR, noticed_at=NINE, actor=None, **fields):
        data = {
            "title": "网传某校食堂食品安全问题",
            "description": "网络帖子转发量大",
            "source": "online",
            "tags": ["食品安全"],
            "related_orgs": [],
        } | fields
        return services.concern_register(
            actor=actor or head,
            org=fields.pop("org", None) or org(EDU),
            noticed_at=noticed_at,
            severity=severity,
            now=noticed_at + dt.timedelta(minutes=10),
            **{k: v for k, v in data.items() if k != "org"},
        )

    return make


def respond(concern, actor, kind, when, **fields):
    return services.response_record(
        actor=actor,
        concern=concern,
        kind=kind,
        at=when,
        channel=fields.pop("channel", "政府网站"),
        spokesperson=fields.pop("spokesperson", "新闻发言人"),
        now=when + dt.timedelta(minutes=1),
        **fields,
    )


# --- register and the clocks ----------------------------------------------------------------


def test_register_sets_the_hour_limits_for_major_and_none_for_ordinary(register, org):
    """特别重大/重大: 5 h and 24 h from first awareness; 较大/一般: no limits; an audit event."""
    major = register(tags=["食品安全", " 食品安全 ", "校园 食堂"], related_orgs=[org(CITY)])
    assert major.info_due_at == NINE + dt.timedelta(hours=5)
    assert major.press_due_at == NINE + dt.timedelta(hours=24)
    assert major.status == ConcernStatus.OPEN
    assert major.tags == ["食品安全", "校园 食堂"]
    assert list(major.related_orgs.all()) == [org(CITY)]
    extreme = register(severity=Severity.EXTREME)
    assert extreme.info_due_at == NINE + dt.timedelta(hours=5)
    ordinary = register(severity=Severity.ORDINARY)
    assert ordinary.info_due_at is None and ordinary.press_due_at is None
    assert [c.state for c in services.clocks_of(ordinary, now=NINE)] == ["untimed", "untimed"]
    event = AuditEvent.objects.filter(verb="participation.concern_register").latest("seq")
    assert event.target_id == str(ordinary.pk) and event.org == org(EDU)


def test_registered_at_nine_is_overdue_for_the_five_hour_rule_at_14_01(register):
    """A 重大 concern noticed at 09:00 with no release is overdue at 14:01, due soon at 13:30."""
    concern = register()
    info = services.clock_of(concern, "info", now=at(DAY, 13, 30))
    assert (info.state, info.level, info.text) == ("pending", "due_soon", "剩余 30 分钟")
    info = services.clock_of(concern, "info", now=at(DAY, 14, 1))
    assert info.state == "missed" and info.level == "overdue"
    assert info.text == "已超时 1 分钟" and info.needs_reason
    press = services.clock_of(concern, "press", now=at(DAY, 14, 1))
    assert press.state == "pending" and press.text == "剩余 18 小时 59 分钟"
    assert services.clock_of(concern, "info", now=at(DAY, 10)).level == ""


def test_responses_meet_the_clocks_on_time_or_late(register, head):
    """A first release meets the 5-hour clock; a press conference the 24-hour one (and, when
    it comes first, the 5-hour one too); after the limit it is met late."""
    concern = register()
    respond(concern, head, ResponseKind.FIRST_RELEASE, at(DAY, 12, 30))
    respond(concern, head, ResponseKind.PRESS_CONFERENCE, at(DAY + dt.timedelta(days=1), 10))
    info, press = services.clocks_of(concern, now=at(DAY, 18))
    assert (info.state, info.text) == ("met", "按时完成（03-02 12:30）")
    assert press.state == "met_late" and "超出 1 小时" in press.text and press.needs_reason
    other = register(title="另一舆情")
    respond(other, head, ResponseKind.PRESS_CONFERENCE, at(DAY, 13))
    assert [c.state for c in services.clocks_of(other, now=at(DAY, 18))] == ["met", "met"]
    # The clocks from the ledger's annotations agree with the ones from the rows.
    row = next(r for r in selectors.rows(selectors.ledger(user=head)) if r.concern == concern)
    assert (row.info.state, row.press.state) == ("met", "met_late")


def test_a_response_is_checked(register, head, publish):
    """Kind, time (not before the notice, not in the future), channel, URL scheme, and only a
    published document; nothing is saved on a refusal."""
    concern = register()
    bad = [
        {"kind": "tweet"},
        {"when": NINE - dt.timedelta(minutes=1)},
        {"channel": ""},
        {"url": "javascript:alert(1)"},
        {"channel": "x" * 201},
    ]
    for case in bad:
        when = case.pop("when", at(DAY, 10))
        kind = case.pop("kind", ResponseKind.FIRST_RELEASE)
        with pytest.raises(ApplicationError):
            respond(concern, head, kind, when, **case)
    with pytest.raises(ApplicationError):
        services.response_record(
            actor=head,
            concern=concern,
            kind=ResponseKind.FIRST_RELEASE,
            at=at(DAY, 10),
            channel="网站",
            spokesperson="",
            now=at(DAY, 9, 30),
        )
    assert not ConcernResponse.objects.filter(concern=concern).exists()
    doc = publish(EDU, "关于某校食堂问题的情况通报")
    response = respond(
        concern, head, ResponseKind.FIRST_RELEASE, at(DAY, 11), document=doc, url="https://x.cn/a"
    )
    assert response.document == doc and response.url == "https://x.cn/a"


def test_register_refuses_bad_input_and_foreign_staff(register, make_staff, org):
    """Empty or long title, unknown severity or source, a future time, long or many tags; staff
    of 民政局 cannot register for 教育局. Nothing is saved."""
    before = Concern.objects.count()
    cases = [
        {"title": ""},
        {"title": "长" * 201},
        {"severity": "apocalyptic"},
        {"source": "rumour"},
        {"tags": ["很" * 21]},
        {"tags": [f"标签{i}" for i in range(11)]},
        {"tags": [123]},
        {"description": "x" * 5001},
    ]
    for case in cases:
        with pytest.raises(ApplicationError):
            register(**case)
    with pytest.raises(ApplicationError):
        services.concern_register(
            actor=make_staff(EDU, Role.PUBLISHER),
            org=org(EDU),
            title="未来",
            source="online",
            noticed_at=timezone.now() + dt.timedelta(hours=1),
            severity=Severity.MAJOR,
            tags=[],
            related_orgs=[],
        )
    with pytest.raises(PermissionDeniedError):
        register(actor=make_staff(CIVIL, Role.PUBLISHER))
    with pytest.raises(PermissionDeniedError):
        register(actor=make_staff(EDU, Role.REVIEWER))
    assert Concern.objects.count() == before


def test_update_moves_the_limits(register, head):
    """Correcting the time of awareness or the severity recomputes the limits, audited."""
    concern = register(severity=Severity.LARGE)
    assert concern.info_due_at is None
    concern = services.concern_update(
        actor=head,
        concern=concern,
        severity=Severity.MAJOR,
        noticed_at=at(DAY, 8),
        now=at(DAY, 9),
    )
    assert concern.info_due_at == at(DAY, 13)
    assert AuditEvent.objects.filter(
        verb="participation.concern_update", target_id=str(concern.pk)
    ).exists()
    respond(concern, head, ResponseKind.FIRST_RELEASE, at(DAY, 10))
    with pytest.raises(ApplicationError):
        services.concern_update(
            actor=head, concern=concern, noticed_at=at(DAY, 11), now=at(DAY, 12)
        )


# --- missed reasons, promises, close and reopen ---------------------------------------------


def test_missed_reason_close_and_reopen(register, head):
    """A missed limit needs its reason before the concern closes; closing needs an evaluation;
    a closed concern takes no responses until reopened."""
    concern = register()
    now = at(DAY + dt.timedelta(days=2), 9)
    with pytest.raises(ApplicationError, match="未超时"):
        services.missed_reason_record(
            actor=head, concern=concern, limit="info", reason="x", now=at(DAY, 10)
        )
    with pytest.raises(ApplicationError):
        services.missed_reason_record(
            actor=head, concern=concern, limit="soon", reason="x", now=now
        )
    respond(concern, head, ResponseKind.FIRST_RELEASE, at(DAY, 12))
    with pytest.raises(ApplicationError, match="超时原因"):
        services.concern_close(actor=head, concern=concern, evaluation="平息", now=now)
    services.missed_reason_record(
        actor=head, concern=concern, limit="press", reason="检测结果次日才出具", now=now
    )
    with pytest.raises(ApplicationError):
        services.concern_close(actor=head, concern=concern, evaluation="  ", now=now)
    concern = services.concern_close(actor=head, concern=concern, evaluation="舆情平息", now=now)
    assert concern.status == ConcernStatus.CLOSED and concern.closed_at == now
    assert concern.press_missed_reason == "检测结果次日才出具"
    with pytest.raises(ApplicationError):
        respond(concern, head, ResponseKind.FOLLOW_UP, at(DAY, 13))
    with pytest.raises(ApplicationError):
        services.concern_reopen(actor=head, concern=concern, reason="")
    concern = services.concern_reopen(actor=head, concern=concern, reason="再次发酵")
    assert concern.status == ConcernStatus.OPEN and concern.closed_at is None
    verbs = set(AuditEvent.objects.filter(target_id=str(concern.pk)).values_list("verb", flat=True))
    assert {
        "participation.concern_missed",
        "participation.concern.close",
        "participation.concern.reopen",
    } <= verbs


def test_promises_are_tracked_to_fulfilment(register, head):
    concern = register(severity=Severity.ORDINARY)
    with pytest.raises(ApplicationError):
        services.promise_add(actor=head, concern=concern, text="", due_on=DAY)
    with pytest.raises(ApplicationError):
        services.promise_add(
            actor=head, concern=concern, text="整改", due_on=DAY - dt.timedelta(days=1)
        )
    promise = services.promise_add(
        actor=head, concern=concern, text="两周内公布收费标准", due_on=DAY + dt.timedelta(days=14)
    )
    with pytest.raises(ApplicationError):
        services.promise_fulfil(actor=head, promise=promise, fulfilled_on=DAY, evidence="")
    with pytest.raises(ApplicationError):
        services.promise_fulfil(
            actor=head, promise=promise, fulfilled_on=timezone.localdate() + dt.timedelta(days=1),
            evidence="已公布",
        )  # fmt: skip
    promise = services.promise_fulfil(
        actor=head, promise=promise, fulfilled_on=DAY + dt.timedelta(days=10), evidence="已公布"
    )
    assert promise.fulfilled_on == DAY + dt.timedelta(days=10)
    with pytest.raises(ApplicationError, match="已登记兑现"):
        services.promise_fulfil(actor=head, promise=promise, fulfilled_on=DAY, evidence="again")


def test_figures_count_limits_met_and_promises_kept(register, head, org):
    """concern_figures: timed concerns, 5 h / 24 h in time, late, missed; promises due / kept."""
    on_time = register(title="按时")
    respond(on_time, head, ResponseKind.FIRST_RELEASE, at(DAY, 12))
    respond(on_time, head, ResponseKind.PRESS_CONFERENCE, at(DAY, 20))
    late = register(title="超时")
    respond(late, head, ResponseKind.FIRST_RELEASE, at(DAY, 15))
    register(title="一般", severity=Severity.ORDINARY)
    kept = services.promise_add(actor=head, concern=on_time, text="甲", due_on=DAY)
    services.promise_fulfil(actor=head, promise=kept, fulfilled_on=DAY, evidence="已办")
    services.promise_add(actor=head, concern=late, text="乙", due_on=DAY + dt.timedelta(days=1))
    figures = selectors.concern_figures(org_ids=[org(EDU).pk], start=DAY, end=DAY)
    assert figures["concerns"] == 3 and figures["timed"] == 2
    assert (figures["info_in_time"], figures["info_late"], figures["info_missed"]) == (1, 1, 0)
    assert (figures["press_in_time"], figures["press_missed"]) == (1, 1)
    assert figures["responses"] == 3
    assert (figures["promises_due"], figures["promises_kept"]) == (1, 1)
    wider = selectors.concern_figures(org_ids=None, start=DAY, end=DAY + dt.timedelta(days=1))
    assert wider["promises_due"] == 2 and wider["promises_overdue"] == 1
    assert selectors.concern_figures(org_ids=[org(CIVIL).pk], start=DAY, end=DAY)["concerns"] == 0


# --- alerts ---------------------------------------------------------------------------------


def test_alerts_before_and_at_the_limit_once_each(register, head, org):
    """One hour before the 5-hour limit the office and the city's supervising office are
    alerted once; at the limit again (missed); repeated runs add nothing."""
    concern = register()
    assert services.alerts_send(now=at(DAY, 12, 59)) == []
    sent = services.alerts_send(now=at(DAY, 13, 1))
    assert [(a.limit, a.stage) for a in sent] == [("info", "soon")]
    assert sent[0].org_names == (EDU, CITY)
    assert services.alerts_send(now=at(DAY, 13, 30)) == []
    sent = services.alerts_send(now=at(DAY, 14, 1))
    assert [(a.limit, a.stage) for a in sent] == [("info", "missed")]
    assert services.alerts_send(now=at(DAY, 14, 2)) == []
    events = AuditEvent.objects.filter(
        target_id=str(concern.pk), verb__startswith="participation.reminder_concern_"
    )
    assert sorted(events.values_list("verb", "org__name")) == [
        ("participation.reminder_concern_missed", CITY),
        ("participation.reminder_concern_missed", EDU),
        ("participation.reminder_concern_soon", CITY),
        ("participation.reminder_concern_soon", EDU),
    ]
    # A response before the 24-hour alert: no press alert for the release, only the conference.
    respond(concern, head, ResponseKind.FIRST_RELEASE, at(DAY, 14, 30))
    late = services.alerts_send(now=at(DAY + dt.timedelta(days=1), 9, 30))
    assert [(a.limit, a.stage) for a in late] == [("press", "missed")]
    assert ConcernAlert.objects.filter(concern=concern).count() == 3


def test_no_alerts_for_met_ordinary_or_closed_concerns(register, head):
    met = register(title="已发布")
    respond(met, head, ResponseKind.PRESS_CONFERENCE, at(DAY, 10))
    register(title="一般", severity=Severity.ORDINARY)
    closed = register(title="已办结")
    respond(closed, head, ResponseKind.PRESS_CONFERENCE, at(DAY, 10, 30))
    services.concern_close(actor=head, concern=closed, evaluation="平息", now=at(DAY, 11))
    assert services.alerts_send(now=at(DAY + dt.timedelta(days=3), 9)) == []


def test_cli_concern_alerts(run_cli, register):
    register()
    code, out, err = run_cli("concern-alerts", "--now", "yesterday")
    assert code == 2 and "ISO" in err
    code, out, _err = run_cli("concern-alerts", "--now", "2026-03-02T14:01")
    assert code == 0 and "\tinfo\tmissed\t" in out and "1 new concern alerts" in out
    code, out, _err = run_cli("concern-alerts", "--now", "2026-03-02T14:30+08:00")
    assert code == 0 and out.strip().endswith("0 new concern alerts")


# --- scoping and the pages ------------------------------------------------------------------


def test_civil_affairs_staff_cannot_see_educations_concern(client, register, make_staff):
    """The ledger is scoped: 民政局 staff see neither the row nor the page; the city's
    supervisor sees both; a reviewer (no ledger role) is refused the list."""
    concern = register()
    civil = make_staff(CIVIL, Role.PUBLISHER)
    assert concern not in selectors.concerns_for_user(user=civil)
    client.force_login(civil)
    page = client.get("/workbench/concerns/")
    assert page.status_code == 200 and concern.title not in page.content.decode()
    assert client.get(f"/workbench/concerns/{concern.pk}/").status_code == 404
    assert client.get("/workbench/concerns/", {"org": concern.org.code}).status_code == 404
    response = client.post(
        f"/workbench/concerns/{concern.pk}/action/", {"action": "close", "evaluation": "x"}
    )
    assert response.status_code == 404
    assert Concern.objects.get(pk=concern.pk).status == ConcernStatus.OPEN
    client.force_login(make_staff(CITY, Role.SUPERVISOR))
    assert concern.title in client.get("/workbench/concerns/").content.decode()
    client.force_login(make_staff(EDU, Role.REVIEWER))
    assert client.get("/workbench/concerns/").status_code == 403


def test_ledger_page_shows_the_clocks_in_a_fixed_number_of_queries(
    client, register, head, django_assert_max_num_queries, org
):
    """Rows show time left / met / missed for both limits in words; the query count does not
    grow with the rows."""
    noticed = timezone.now() - dt.timedelta(hours=5, minutes=1)
    overdue = register(title="超时未发布", noticed_at=noticed, related_orgs=[org(CITY)])
    client.force_login(head)
    html = client.get("/workbench/concerns/").content.decode()
    assert "超时未发布" in html and "已超时 1 分钟" in html and 'data-state="missed"' in html
    with CaptureQueriesContext(connection) as few:
        client.get("/workbench/concerns/")
    for i in range(8):
        c = register(title=f"舆情{i}", related_orgs=[org(CITY)], noticed_at=noticed)
        respond(c, head, ResponseKind.FIRST_RELEASE, noticed + dt.timedelta(hours=1))
        services.promise_add(actor=head, concern=c, text="整改", due_on=timezone.localdate())
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get("/workbench/concerns/")
    assert page.content.decode().count('data-testid="concern-row"') == 9
    assert overdue.title in page.content.decode()
    filtered = client.get(
        "/workbench/concerns/",
        {"org": org(EDU).code, "severity": "major", "status": "open", "start": "2020-01-01"},
    )
    assert filtered.status_code == 200
    for junk in ({"status": "x"}, {"severity": "<b>"}, {"start": "2026-13-40"}, {"org": "nope"}):
        assert client.get("/workbench/concerns/", junk).status_code in (400, 404)


def test_xlsx_export_reads_back(client, register, head, org):
    concern = register(
        noticed_at=timezone.now() - dt.timedelta(hours=6), title="=cmd|' /C calc'!A0"
    )
    services.missed_reason_record(actor=head, concern=concern, limit="info", reason="核实需时间")
    client.force_login(head)
    for params in ({"org": org(EDU).code}, {"org": org(EDU).code, "region": "1"}, {}):
        response = client.get("/workbench/concerns/ledger.xlsx", params)
        assert response.status_code == 200
        ws = load_workbook(io.BytesIO(response.content))["回应关切台账"]
        values = [[c.value for c in row] for row in ws.iter_rows()]
        assert values[1][:3] == ["序号", "事项", "责任单位"]
        assert values[2][1] == "=cmd|' /C calc'!A0" and ws.cell(3, 2).data_type == "s"
        assert values[2][2] == EDU and "已超时" in values[2][7]
        assert "核实需时间" in values[2][9]
    assert "所辖单位" in str(values[0][0]) or values[0][0] == "回应关切台账"


def test_register_and_handle_through_the_pages(client, head, org):
    """Register, respond, add and fulfil a promise, record a reason, close: each a form."""
    client.force_login(head)
    assert client.get("/workbench/concerns/new/").status_code == 200
    noticed = timezone.localtime(timezone.now() - dt.timedelta(hours=30))
    response = client.post(
        "/workbench/concerns/new/",
        {
            "org": org(EDU).code,
            "title": "网传某校校车超载",
            "source": "media",
            "noticed_at": noticed.strftime("%Y-%m-%dT%H:%M"),
            "severity": "major",
            "tags": ["安全生产"],
            "other_tags": "校车，交通",
            "related_orgs": [org(CITY).pk],
        },
    )
    concern = Concern.objects.get(title="网传某校校车超载")
    assert response.status_code == 302 and response.url == f"/workbench/concerns/{concern.pk}/"
    assert concern.tags == ["安全生产", "校车", "交通"]
    url = f"/workbench/concerns/{concern.pk}/action/"
    released = timezone.localtime(timezone.now() - dt.timedelta(hours=28))
    steps = [
        {"action": "response", "kind": "first_release", "at": released.strftime("%Y-%m-%dT%H:%M"),
         "channel": "政务微博", "spokesperson": "发言人", "summary": "初步核实"},
        {"action": "missed_reason", "limit": "press", "reason": "等待调查结论"},
        {"action": "promise_add", "text": "全面排查校车", "due_on": timezone.localdate().isoformat()},
    ]  # fmt: skip
    for data in steps:
        assert client.post(url, data).status_code == 302, data
    promise = Promise.objects.get(concern=concern)
    page = client.get(f"/workbench/concerns/{concern.pk}/").content.decode()
    assert "按时完成" in page and "已超时" in page and "等待调查结论" in page
    response = client.post(
        url,
        {"action": "promise_fulfil", "promise": promise.pk,
         "fulfilled_on": timezone.localdate().isoformat(), "evidence": "已排查"},
    )  # fmt: skip
    assert response.status_code == 302
    assert client.post(url, {"action": "close", "evaluation": "舆情平息"}).status_code == 302
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.CLOSED
    page = client.get(f"/workbench/concerns/{concern.pk}/").content.decode()
    assert "舆情平息" in page and 'data-testid="reopen-form"' in page
    assert client.post(url, {"action": "reopen", "reason": "再次发酵"}).status_code == 302
    edit_url = f"/workbench/concerns/{concern.pk}/edit/"
    assert client.get(edit_url).status_code == 200
    response = client.post(
        edit_url,
        {
            "title": "网传某校校车超载（更正）",
            "source": "media",
            "noticed_at": noticed.strftime("%Y-%m-%dT%H:%M"),
            "severity": "large",
            "tags": ["安全生产"],
        },
    )
    assert response.status_code == 302
    concern.refresh_from_db()
    assert concern.title.endswith("（更正）") and concern.info_due_at is None
    assert concern.tags == ["安全生产"] and not concern.related_orgs.exists()
    bad = client.post(edit_url, {"title": "", "source": "media", "severity": "major"})
    assert bad.status_code == 400


# Junk every field must refuse; strange but valid text is shown escaped (tested below).
BLANK_OR_BROKEN = ["", " ", "\x00", "x" * 6000]
NOT_A_VALUE = [*BLANK_OR_BROKEN, "<script>alert(1)</script>", "' OR 1=1 --", "-1", "２０２６"]


def test_hostile_input_to_the_forms_gets_4xx_and_saves_nothing(client, head, register, org):
    """Junk in every field of the register form and of each action: 4xx, nothing half-saved."""
    client.force_login(head)
    concern = register()

    def counts():
        return (
            Concern.objects.count(),
            ConcernResponse.objects.count(),
            Promise.objects.count(),
            AuditEvent.objects.count(),
        )

    before = counts()
    good = {
        "org": org(EDU).code,
        "title": "标题",
        "source": "online",
        "noticed_at": "2026-03-02T09:00",
        "severity": "major",
    }
    junk_for = {"title": BLANK_OR_BROKEN, "other_tags": ["\x00", "x" * 6000, "很" * 21]}
    for field in [*good, "tags", "related_orgs", "other_tags"]:
        for junk in junk_for.get(field, NOT_A_VALUE):
            response = client.post("/workbench/concerns/new/", good | {field: junk})
            assert 400 <= response.status_code < 500, (field, junk, response.status_code)
    future = (timezone.localtime() + dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    for data in (
        {"noticed_at": future},
        {"org": org(CIVIL).code},
        {"noticed_at": "1899-01-01T00:00"},
    ):
        assert client.post("/workbench/concerns/new/", good | data).status_code == 400
    url = f"/workbench/concerns/{concern.pk}/action/"
    actions = [
        {"action": "response", "kind": "first_release", "at": "2026-03-02T10:00", "channel": "网站"},
        {"action": "missed_reason", "limit": "info", "reason": "原因"},
        {"action": "promise_add", "text": "承诺", "due_on": "2026-03-10"},
        {"action": "close", "evaluation": "评估"},
        {"action": "reopen", "reason": "理由"},
        {"action": "promise_fulfil", "promise": "1", "fulfilled_on": "2026-03-03", "evidence": "x"},
    ]  # fmt: skip
    text_fields = {"channel", "reason", "text", "evaluation", "evidence"}
    for data in actions:
        for field in data:
            if field == "action":
                continue
            for junk in BLANK_OR_BROKEN if field in text_fields else NOT_A_VALUE:
                response = client.post(url, data | {field: junk})
                assert 400 <= response.status_code < 500, (data["action"], field, junk)
    for junk in NOT_A_VALUE:
        assert 400 <= client.post(url, {"action": junk}).status_code < 500
    response = {"action": "response", "kind": "qa", "at": "2026-03-02T10:00", "channel": "网站"}
    for extra in ({"url": "javascript:alert(1)"}, {"document": "NOPE/1"}, {"document": "\x00"},
                  {"url": "x" * 300}, {"summary": "x" * 6000}, {"spokesperson": "x" * 101}):  # fmt: skip
        assert client.post(url, response | extra).status_code == 400, extra
    assert client.post("/workbench/concerns/999999/action/", {"action": "close"}).status_code == 404
    assert client.get("/workbench/concerns/abc/").status_code == 404
    assert counts() == before


def test_strange_text_is_kept_and_shown_escaped(client, head, register):
    concern = register(title="<script>alert(1)</script>")
    client.force_login(head)
    for url in ("/workbench/concerns/", f"/workbench/concerns/{concern.pk}/"):
        html = client.get(url).content.decode()
        assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html


def test_demo_loads_once(org):
    from gongkai.participation import demo_concerns

    lines = demo_concerns.load()
    assert len(lines) == 2
    assert demo_concerns.load() == []
    major = Concern.objects.get(title=demo_concerns.MAJOR_TITLE)
    info, press = services.clocks_of(major)
    assert info.state == "met" and press.state == "met_late" and press.reason
    ordinary = Concern.objects.get(title=demo_concerns.ORDINARY_TITLE)
    assert ordinary.status == ConcernStatus.CLOSED and ordinary.evaluation
    assert ordinary.promises.get().fulfilled_on <= ordinary.promises.get().due_on
    assert Concern.objects.filter(org=org(EDU)).count() == 2

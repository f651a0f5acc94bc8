"""Consultations: the period rule, comments in and out of the period, grouping and deciding,
the published feedback with the reason for a shared view not adopted, and the public pages."""

import datetime as dt

import pytest
from django.core.cache import cache

from gongkai.core import crypto
from gongkai.core.exceptions import ApplicationError, ConflictError, PermissionDeniedError
from gongkai.core.models import AuditEvent
from gongkai.core.workflow import SCHEDULER
from gongkai.orgs.models import Membership
from gongkai.participation.models import Comment, Consultation, Decision
from gongkai.participation.selectors import consultations as selectors
from gongkai.participation.services import consultations as services
from gongkai.participation.workflow import ConsultationStatus

TODAY = dt.date.today()


@pytest.fixture(autouse=True)
def _fresh_limits(db):
    cache.clear()


@pytest.fixture
def staff(make_staff):
    return make_staff("示范市教育局", Membership.Role.PUBLISHER)


def make(org, staff, *, days=30, start=None, open_it=True, **extra):
    start = start or TODAY - dt.timedelta(days=1)
    data = services.ConsultationInput(
        title="示范市中小学课后服务管理办法（征求意见稿）",
        opens_on=start,
        closes_on=start + dt.timedelta(days=days - 1),
        draft_text="第一条 为规范课后服务……",
        explanation="为落实有关要求，起草本办法。",
        **extra,
    )
    c = services.consultation_create(actor=staff, org=org("示范市教育局"), data=data)
    if open_it:
        c = services.consultation_open(actor=staff, consultation=c, on=start)
    return c


def comment(c, text="建议延长课后服务时间到18点", **extra):
    data = {"name": "李四", "contact": "13800138000", "text": text, "publish_consent": True}
    return services.comment_submit(consultation=c, data=services.CommentInput(**(data | extra)))


def test_a_short_period_needs_a_published_reason(org, staff):
    with pytest.raises(ApplicationError) as err:
        make(org, staff, days=10)
    assert "short_period_reason" in err.value.extra["fields"]
    assert not Consultation.objects.exists()
    c = make(org, staff, days=10, short_period_reason="因秋季开学在即，需尽快出台。")
    assert c.period_days == 10 and c.status == ConsultationStatus.OPEN


def test_comments_outside_the_period_are_refused_with_the_closing_date(org, staff):
    c = make(org, staff, start=TODAY - dt.timedelta(days=40))
    with pytest.raises(ConflictError) as err:
        comment(c)
    assert c.closes_on.isoformat() in str(err.value.message)
    assert not Comment.objects.exists()


def test_contact_is_encrypted_and_public_text_masked(org, staff):
    c = make(org, staff)
    m = comment(c, text="我的身份证号11010519491231002X，建议增加托管名额")
    assert crypto.decrypt(m.contact_encrypted) == "13800138000"
    assert "13800138000" not in m.contact_encrypted
    assert "11010519491231002X" not in m.public_text and "托管名额" in m.public_text
    private = comment(c, text="不公开的意见", publish_consent=False)
    assert private.public_text == ""
    assert AuditEvent.objects.filter(verb="participation.comment_submit").count() == 2


def test_a_replayed_submission_makes_one_comment(org, staff):
    c = make(org, staff)
    data = services.CommentInput(name="王五", contact="a@example.com", text="同意")
    one = services.comment_submit(consultation=c, data=data, submission_key="k1")
    two = services.comment_submit(consultation=c, data=data, submission_key="k1")
    assert one.pk == two.pk and Comment.objects.count() == 1


def test_comments_are_rate_limited_per_address(org, staff, settings):
    settings.GONGKAI_PARTICIPATION_RATE_LIMIT = 2
    c = make(org, staff)
    data = services.CommentInput(name="王五", contact="a@example.com", text="意见内容")
    for _ in range(2):
        services.comment_submit(consultation=c, data=data, source_address="10.0.0.1")
    with pytest.raises(ApplicationError) as err:
        services.comment_submit(consultation=c, data=data, source_address="10.0.0.1")
    assert err.value.status_code == 429
    assert Comment.objects.count() == 2


def test_hostile_attachment_is_refused_and_nothing_saved(org, staff):
    c = make(org, staff)
    with pytest.raises(ApplicationError):
        comment(c, attachments=[("x.pdf", b"MZ\x90\x00" + b"\x00" * 100)])
    assert not Comment.objects.exists()


def test_similar_comments_are_suggested_grouped_decided_and_published(org, staff):
    c = make(org, staff)
    for text in (
        "建议课后服务延长到晚上六点半",
        "课后服务时间建议延长到晚上六点半",
        "建议课后服务时间延长至晚上六点半",
        "希望增加体育类课后活动",
    ):
        comment(c, text=text)
    suggestions = services.suggest_groups(c)
    assert len(suggestions) == 1 and len(suggestions[0]) == 3
    group = services.comment_group(
        actor=staff, consultation=c, comment_ids=suggestions[0], title="延长课后服务时间"
    )
    with pytest.raises(ApplicationError):  # 不予采纳 needs a reason
        services.comment_decide(
            actor=staff, consultation=c, decision=Decision.NOT_ADOPTED, group=group
        )
    services.comment_decide(
        actor=staff,
        consultation=c,
        decision=Decision.NOT_ADOPTED,
        reason="受教师工作时间和安全管理所限，暂不延长。",
        group=group,
    )
    single = c.comments.get(group__isnull=True)
    with pytest.raises(ApplicationError):  # feedback before every comment is decided
        services.consultation_close(actor=staff, consultation=c, reason="提前完成征集")
        services.consultation_publish_feedback(actor=staff, consultation=c, feedback="说明")
    c.refresh_from_db()
    services.comment_decide(
        actor=staff, consultation=c, decision=Decision.ADOPTED, comment_ids=[single.pk]
    )
    services.consultation_publish_feedback(
        actor=staff, consultation=c, feedback="共收到意见4条，采纳1条。"
    )
    c.refresh_from_db()
    assert c.status == ConsultationStatus.FEEDBACK_PUBLISHED
    fb = selectors.feedback(c)
    assert fb.comments == 4 and fb.participants == 1
    assert fb.by_decision["not_adopted"] == 3 and fb.by_decision["adopted"] == 1
    assert [g.title for g in fb.shared_not_adopted] == ["延长课后服务时间"]
    with pytest.raises(ApplicationError):  # decided and published: frozen
        services.comment_decide(
            actor=staff, consultation=c, decision=Decision.ADOPTED, comment_ids=[single.pk]
        )


def test_scheduler_closes_due_consultations_once_and_sets_the_feedback_due_date(org, staff):
    c = make(org, staff, start=TODAY - dt.timedelta(days=31))
    closed = services.consultations_close_due()
    assert [x.pk for x in closed] == [c.pk]
    assert services.consultations_close_due() == []
    c.refresh_from_db()
    assert c.closed_on == c.closes_on and c.feedback_due_on > c.closed_on
    event = AuditEvent.objects.get(verb="participation.consultation.close")
    assert event.actor_label == SCHEDULER.name


def test_early_close_by_staff_needs_a_reason(org, staff):
    c = make(org, staff)
    with pytest.raises(ApplicationError):
        services.consultation_close(actor=staff, consultation=c)
    c = services.consultation_close(actor=staff, consultation=c, reason="决策暂缓")
    assert c.close_reason == "决策暂缓"


def test_other_organisations_cannot_manage(org, staff, make_staff):
    c = make(org, staff)
    outsider = make_staff("示范市民政局", Membership.Role.PUBLISHER)
    with pytest.raises(PermissionDeniedError):
        services.consultation_close(actor=outsider, consultation=c, reason="x")
    assert selectors.for_user(outsider).filter(pk=c.pk).count() == 0


def test_an_open_consultation_only_extends(org, staff):
    c = make(org, staff)
    data = services.ConsultationInput(
        title=c.title, opens_on=c.opens_on, closes_on=c.closes_on - dt.timedelta(days=5),
        draft_text=c.draft_text, short_period_reason="x",
    )  # fmt: skip
    with pytest.raises(ApplicationError):
        services.consultation_update(actor=staff, consultation=c, data=data)
    data.closes_on = c.closes_on + dt.timedelta(days=5)
    assert services.consultation_update(actor=staff, consultation=c, data=data).closes_on == (
        data.closes_on
    )


# --- public pages ------------------------------------------------------------------------------


def test_public_pages_never_show_names_or_contacts(org, staff, client):
    c = make(org, staff)
    comment(c, text="建议增加校车线路")
    page = client.get(f"/consultations/{c.pk}/").content.decode()
    assert "建议增加校车线路" in page and "李四" not in page and "13800138000" not in page
    assert "提交意见" in page
    listing = client.get("/consultations/").content.decode()
    assert c.title in listing


def test_the_public_list_query_count_does_not_grow(
    org, staff, client, django_assert_max_num_queries
):
    for _i in range(3):
        make(org, staff).comments.count()
    client.get("/consultations/")
    with django_assert_max_num_queries(8):
        client.get("/consultations/")
    for _i in range(10):
        make(org, staff)
    with django_assert_max_num_queries(8):
        assert client.get("/consultations/").status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get("/consultations/decisions/").status_code == 200


def test_draft_consultations_are_not_public(org, staff, client):
    c = make(org, staff, open_it=False)
    assert client.get(f"/consultations/{c.pk}/").status_code == 404


def test_posting_junk_to_the_comment_form_is_a_4xx_and_saves_nothing(org, staff, client):
    c = make(org, staff)
    for data in ({}, {"text": "x" * 20000}, {"text": "好", "name": "a", "contact": "<script>"}):
        response = client.post(f"/consultations/{c.pk}/", data)
        assert 400 <= response.status_code < 500
    assert not Comment.objects.exists()
    closed = make(org, staff, start=TODAY - dt.timedelta(days=40))
    assert client.post(f"/consultations/{closed.pk}/", {"text": "意见"}).status_code == 400


# --- workbench ---------------------------------------------------------------------------------


def test_workbench_create_open_decide_and_publish(org, staff, client, make_staff):
    client.force_login(staff)
    edu = org("示范市教育局")
    response = client.post(
        "/workbench/consultations/new/",
        {
            "org": edu.code,
            "title": "关于校外培训机构管理的若干措施（征求意见稿）",
            "opens_on": TODAY.isoformat(),
            "closes_on": (TODAY + dt.timedelta(days=29)).isoformat(),
            "methods": ["online", "forum"],
            "draft_text": "一、规范培训时间……",
        },
    )
    assert response.status_code == 302
    c = Consultation.objects.get(title__startswith="关于校外培训机构")
    page = client.get(f"/workbench/consultations/{c.pk}/").content.decode()
    assert "发布征集" in page
    client.post(f"/workbench/consultations/{c.pk}/action/", {"action": "open"})
    c.refresh_from_db()
    assert c.status == ConsultationStatus.OPEN
    m = comment(c, text="建议公开收费标准")
    response = client.post(
        f"/workbench/consultations/{c.pk}/action/",
        {"action": "decide", "comments": [str(m.pk)], "decision": "not_adopted"},
    )
    assert response.status_code == 303  # refused: no reason; nothing changed
    m.refresh_from_db()
    assert m.decision == Decision.PENDING
    client.post(
        f"/workbench/consultations/{c.pk}/action/",
        {"action": "decide", "comments": [str(m.pk)], "decision": "adopted"},
    )
    client.post(
        f"/workbench/consultations/{c.pk}/action/", {"action": "close", "reason": "提前完成"}
    )
    client.post(
        f"/workbench/consultations/{c.pk}/action/",
        {"action": "publish_feedback", "feedback": "采纳公开收费标准的意见。"},
    )
    c.refresh_from_db()
    assert c.status == ConsultationStatus.FEEDBACK_PUBLISHED
    public = client.get(f"/consultations/{c.pk}/").content.decode()
    assert "采纳公开收费标准的意见" in public
    # Another organisation's staff cannot open it at all.
    client.force_login(make_staff("示范市民政局", Membership.Role.PUBLISHER))
    assert client.get(f"/workbench/consultations/{c.pk}/").status_code == 404
    assert (
        client.post(f"/workbench/consultations/{c.pk}/action/", {"action": "withdraw"}).status_code
        == 404
    )


def test_a_closed_consultation_past_its_feedback_date_is_flagged(org, staff, client):
    c = make(org, staff, start=TODAY - dt.timedelta(days=90))
    services.consultation_close(
        actor=SCHEDULER, consultation=c, on=c.closes_on + dt.timedelta(days=1)
    )
    client.force_login(staff)
    page = client.get("/workbench/consultations/").content.decode()
    assert "feedback-overdue" in page and c.title in page
    figures = selectors.consultation_figures(
        org_ids=None, start=TODAY - dt.timedelta(days=365), end=TODAY
    )
    assert figures["feedback_overdue"] == 1 and figures["closed"] == 1


def test_workbench_list_query_count(org, staff, client, django_assert_max_num_queries):
    client.force_login(staff)
    make(org, staff)
    client.get("/workbench/consultations/")
    with django_assert_max_num_queries(12) as first:
        client.get("/workbench/consultations/")
    for _i in range(8):
        comment(make(org, staff))
    with django_assert_max_num_queries(len(first.captured_queries)):
        assert client.get("/workbench/consultations/").status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get("/workbench/consultations/decisions/").status_code == 200


def test_decision_list_is_published_and_links_its_consultation(org, staff, client):
    edu = org("示范市教育局")
    item = services.decision_item_save(
        actor=staff, org=edu, year=TODAY.year, title="义务教育学校布局规划调整", methods=["hearing"]
    )
    assert (
        "义务教育学校布局规划调整" not in client.get("/consultations/decisions/").content.decode()
    )
    services.decision_list_publish(actor=staff, org=edu, year=TODAY.year)
    c = make(org, staff, decision_item=item)
    page = client.get("/consultations/decisions/").content.decode()
    assert "义务教育学校布局规划调整" in page and f"/consultations/{c.pk}/" in page


# --- API ---------------------------------------------------------------------------------------


def test_api_lists_shows_and_takes_comments(org, staff, client):
    c = make(org, staff)
    listing = client.get("/api/v1/consultations?state=open").json()
    assert [i["id"] for i in listing["items"]] == [c.pk] and listing["items"][0][
        "accepting_comments"
    ]
    body = {
        "name": "赵六",
        "contact": "13900000000",
        "text": "建议明确收费上限",
        "publish_consent": True,
    }
    made = client.post(
        f"/api/v1/consultations/{c.pk}/comments",
        body,
        content_type="application/json",
        headers={"Idempotency-Key": "abc"},
    )
    assert made.status_code == 201
    again = client.post(
        f"/api/v1/consultations/{c.pk}/comments",
        body,
        content_type="application/json",
        headers={"Idempotency-Key": "abc"},
    )
    assert again.json()["id"] == made.json()["id"] and Comment.objects.count() == 1
    detail = client.get(f"/api/v1/consultations/{c.pk}").json()
    assert detail["published_comments"] == ["建议明确收费上限"]
    assert "赵六" not in str(detail) and "13900000000" not in str(detail)


def test_api_refuses_bad_comments_in_chinese(org, staff, client):
    c = make(org, staff)
    bad = client.post(
        f"/api/v1/consultations/{c.pk}/comments",
        {"name": "", "contact": "x", "text": ""},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "请填写" in bad.json()["detail"]
    closed = make(org, staff, start=TODAY - dt.timedelta(days=40))
    late = client.post(
        f"/api/v1/consultations/{closed.pk}/comments",
        {"name": "a", "contact": "13900000000", "text": "意见"},
        content_type="application/json",
    )
    assert late.status_code == 409 and "截止" in late.json()["detail"]
    draft = make(org, staff, open_it=False)
    assert client.get(f"/api/v1/consultations/{draft.pk}").status_code == 404
    assert client.get("/api/v1/consultations/99999999999").status_code in (404, 422)
    assert not Comment.objects.exists()


def test_the_demo_loads_every_state_once(db, client):
    from gongkai.participation import demo_consultations

    assert demo_consultations.load()
    assert demo_consultations.load() == []
    states = set(Consultation.objects.values_list("status", flat=True))
    assert states == {"open", "closed", "feedback_published"}
    done = Consultation.objects.get(status="feedback_published")
    page = client.get(f"/consultations/{done.pk}/").content.decode()
    assert "公办幼儿园保育教育费减半" in page and "办学成本监审" in page
    assert "13912345678" not in page
    assert "反馈已逾期" in client.get("/consultations/?tab=awaiting").content.decode()


def test_the_close_command_is_idempotent_and_refuses_bad_dates(org, staff, run_cli):
    c = make(org, staff, start=TODAY - dt.timedelta(days=35))
    code, out, _err = run_cli("consultation-close")
    assert code == 0 and f"closed: {c.pk}" in out
    code, out, _err = run_cli("consultation-close")
    assert code == 0 and "0 consultations closed" in out
    code, _out, _err = run_cli("consultation-close", "--date", "2026-13-01")
    assert code == 2

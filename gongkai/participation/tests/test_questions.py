"""Questions and answers (互动交流): services, public pages, API and workbench."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import override_settings
from django.utils import timezone

from gongkai.core import workdays
from gongkai.core.exceptions import ApplicationError, PermissionDeniedError, RateLimitedError
from gongkai.core.workflow import APPLICANT
from gongkai.participation.models import ApiToken, Question, Rating, Transfer
from gongkai.participation.selectors import questions as selectors
from gongkai.participation.services import questions as services
from gongkai.participation.workflow import QuestionStatus
from gongkai.search.backends import get_backend

pytestmark = pytest.mark.django_db

EDU, CIVIL, CITY = "示范市教育局", "示范市民政局", "示范市人民政府"
ID_NUMBER = "11010519491231002X"


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def ask(org, *, kind="enquiry", subject="小学入学需要哪些材料", text=None, consent=True, **kw):
    return services.question_submit(
        data=services.QuestionInput(
            org=org,
            kind=kind,
            subject=subject,
            text=text or "孩子今年六岁，请问小学入学登记需要准备哪些材料？",
            name=kw.pop("name", "王小明"),
            contact=kw.pop("contact", "13912345678"),
            publish_consent=consent,
        ),
        source_address=kw.pop("address", "203.0.113.9"),
        **kw,
    )


def answered(org, head, handler=None, **kw):
    q = ask(org, **kw).question
    q = services.question_accept(actor=handler or head, question=q)
    q = services.question_draft_answer(actor=handler or head, question=q, answer="请携带户口簿。")
    return services.question_approve_answer(actor=head, question=q)


@pytest.fixture
def edu_head(make_staff):
    return make_staff(EDU, "office_head")


# --- asking ------------------------------------------------------------------------------------


def test_submit_numbers_encrypts_and_counts_the_clock_per_kind(org):
    """A message gets a number and a one-time password (stored hashed), its contact encrypted,
    and a due date of the kind's working days on the organisation's calendar."""
    edu = org(EDU)
    received = timezone.localdate()
    cal = workdays.calendar(region=edu)
    enquiry = ask(edu, kind="enquiry")
    complaint = ask(edu, kind="complaint", subject="学校收费问题投诉")
    q = enquiry.question
    assert re.fullmatch(r"LY\d{4}-\d{6}", q.number)
    assert len(enquiry.password) == 10 and enquiry.password not in q.password_hash
    assert services.question_check_password(q, enquiry.password)
    assert not services.question_check_password(q, "wrong")
    assert "13912345678" not in q.contact_encrypted and services.contact_of(q) == "13912345678"
    assert q.due_on == cal.add_working_days(received, 5).due_date
    assert complaint.question.due_on == cal.add_working_days(received, 15).due_date
    assert q.status == QuestionStatus.SUBMITTED and q.addressed_to == edu


@pytest.mark.parametrize(
    ("field", "value"),
    [("kind", "other"), ("subject", ""), ("text", "短"), ("name", ""), ("contact", "not a phone")],
)
def test_submit_refuses_bad_input_and_saves_nothing(org, field, value):
    before = Question.objects.count()
    data = {"kind": "enquiry", "subject": "入学材料", "text": "请问入学要什么材料？", "name": "王"}
    data[field] = value
    with pytest.raises(ApplicationError) as exc:
        services.question_submit(
            data=services.QuestionInput(
                org=org(EDU),
                kind=data["kind"],
                subject=data["subject"],
                text=data["text"],
                name=data["name"],
                contact=value if field == "contact" else "13912345678",
            ),
            source_address="203.0.113.1",
        )
    assert field in exc.value.extra["fields"]
    assert Question.objects.count() == before


@override_settings(GONGKAI_PARTICIPATION_RATE_LIMIT=2)
def test_submit_is_rate_limited_per_address(org):
    ask(org(EDU), address="198.51.100.7")
    ask(org(EDU), address="198.51.100.7")
    with pytest.raises(RateLimitedError):
        ask(org(EDU), address="198.51.100.7")
    ask(org(EDU), address="198.51.100.8")  # another address is not limited


# --- handling ------------------------------------------------------------------------------


@pytest.mark.parametrize("restarts", [True, False])
def test_transfer_restarts_or_continues_the_clock_per_setting(org, make_staff, restarts):
    """转办 to a department of the region: the clock restarts there or continues (setting),
    recorded in the Transfer; the old organisation's staff no longer see the question."""
    city, edu = org(CITY), org(EDU)
    supervisor = make_staff(CITY, "supervisor")
    q = ask(city, now=timezone.now() - dt.timedelta(days=3)).question
    old_due = q.due_on
    transfer_day = timezone.now()
    with override_settings(GONGKAI_QUESTION_TRANSFER_RESTARTS_CLOCK=restarts):
        q = services.question_transfer(
            actor=supervisor, question=q, to_org=edu, reason="属教育部门职责", now=transfer_day
        )
    t = Transfer.objects.get(question=q)
    assert (t.from_org, t.to_org, t.clock_restarted) == (city, edu, restarts)
    assert q.org == edu and q.addressed_to == city and q.status == QuestionStatus.SUBMITTED
    if restarts:
        assert q.due_on == services.due_from(edu, "enquiry", timezone.localdate(transfer_day))
        assert q.due_on > old_due or q.due_on == old_due
    else:
        assert q.due_on == old_due


def test_transfer_refuses_targets_outside_the_region_and_non_routers(org, make_staff):
    edu = org(EDU)
    handler = make_staff(EDU, "request_handler")
    head = make_staff(EDU, "office_head")
    q = ask(edu).question
    with pytest.raises(PermissionDeniedError):
        services.question_transfer(actor=handler, question=q, to_org=org(CIVIL), reason="x")
    with pytest.raises(ApplicationError):
        services.question_transfer(actor=head, question=q, to_org=edu, reason="to itself")
    with pytest.raises(ApplicationError):
        services.question_transfer(actor=head, question=q, to_org=org(CIVIL), reason="")
    assert Transfer.objects.filter(question=q).count() == 0
    # A department head may hand it to the competent sister department.
    q = services.question_transfer(actor=head, question=q, to_org=org(CIVIL), reason="民政事项")
    assert q.org == org(CIVIL)


def test_answer_needs_the_heads_approval_rate_once_and_reopen_once(org, make_staff, edu_head):
    edu = org(EDU)
    handler = make_staff(EDU, "request_handler")
    q = ask(edu).question
    with pytest.raises(ApplicationError):
        services.question_reject(actor=handler, question=q, reason="")
    q = services.question_accept(actor=handler, question=q)
    q = services.question_draft_answer(actor=handler, question=q, answer="草稿")
    with pytest.raises(PermissionDeniedError):
        services.question_approve_answer(actor=handler, question=q)
    q = services.question_return_answer(actor=edu_head, question=q, reason="请写明材料清单")
    assert q.status == QuestionStatus.ACCEPTED
    q = services.question_draft_answer(actor=handler, question=q, answer="请携带户口簿和接种证。")
    q = services.question_approve_answer(actor=edu_head, question=q)
    assert q.status == QuestionStatus.ANSWERED and q.answered_by == edu_head and q.answered_at
    # Reopening needs an unsatisfied rating.
    with pytest.raises(ApplicationError):
        services.question_reopen(question=q)
    q = services.question_rate(question=q, rating=Rating.UNSATISFIED, comment="没说清楚")
    with pytest.raises(ApplicationError):
        services.question_rate(question=q, rating=Rating.SATISFIED)
    q = services.question_reopen(question=q)
    assert q.status == QuestionStatus.ACCEPTED and q.reopened
    q = services.question_draft_answer(actor=handler, question=q, answer="补充：另需房产证明。")
    q = services.question_approve_answer(actor=edu_head, question=q)
    assert q.rating == ""  # a new answer, a new rating
    q = services.question_rate(question=q, rating=Rating.UNSATISFIED)
    with pytest.raises(ApplicationError):
        services.question_reopen(question=q)  # only once
    assert q.status == QuestionStatus.ANSWERED


def test_reject_records_the_reason(org, edu_head):
    q = ask(org(EDU)).question
    q = services.question_reject(
        actor=edu_head, question=q, reason="属于信访事项，请通过信访渠道反映"
    )
    assert q.status == QuestionStatus.NOT_ACCEPTED and "信访" in q.not_accepted_reason


# --- publication -----------------------------------------------------------------------------


def test_publish_masks_pii_and_public_pages_never_show_name_or_contact(client, org, edu_head):
    edu = org(EDU)
    q = answered(
        edu,
        edu_head,
        text=f"我是王小明，身份证{ID_NUMBER}，电话13912345678，想问入学材料。",
    )
    prefill = services.publish_prefill(q)
    assert ID_NUMBER not in prefill["public_text"] and "13912345678" not in prefill["public_text"]
    assert "王小明" not in prefill["public_text"]
    # Whatever the reviewer types is masked again.
    q = services.question_publish(
        actor=edu_head,
        question=q,
        public_subject=prefill["public_subject"],
        public_text=prefill["public_text"] + f" {ID_NUMBER}",
        public_answer=prefill["public_answer"],
    )
    assert q.published_at and ID_NUMBER not in q.public_text
    for url in ("/interaction/", f"/interaction/{q.number}/", "/api/v1/questions"):
        body = client.get(url).content.decode()
        assert q.number in body
        for secret in ("王小明", "13912345678", ID_NUMBER):
            assert secret not in body, (url, secret)
    services.question_unpublish(actor=edu_head, question=q)
    assert client.get(f"/interaction/{q.number}/").status_code == 404


def test_publish_needs_consent_answer_and_a_reviewer(org, make_staff, edu_head):
    edu = org(EDU)
    no_consent = answered(edu, edu_head, consent=False)
    with pytest.raises(ApplicationError):
        services.question_publish(
            actor=edu_head, question=no_consent, **services.publish_prefill(no_consent)
        )
    pending = ask(edu).question
    with pytest.raises(ApplicationError):
        services.question_publish(
            actor=edu_head, question=pending, public_subject="a", public_text="b", public_answer="c"
        )
    q = answered(edu, edu_head)
    handler = make_staff(EDU, "request_handler")
    with pytest.raises(PermissionDeniedError):
        services.question_publish(actor=handler, question=q, **services.publish_prefill(q))
    reviewer = make_staff(EDU, "reviewer")
    assert services.question_publish(actor=reviewer, question=q, **services.publish_prefill(q))


# --- similar questions and the knowledge base ------------------------------------------------


def _published(org, head, subject, text):
    q = answered(org, head, subject=subject, text=text)
    return services.question_publish(actor=head, question=q, **services.publish_prefill(q))


def test_similar_questions_rank_the_obvious_match_first(org, make_staff, edu_head):
    edu, civil = org(EDU), org(CIVIL)
    civil_head = make_staff(CIVIL, "office_head")
    enrol = _published(
        edu, edu_head, "小学入学需要准备哪些材料", "孩子满六岁，小学入学登记要什么材料？"
    )
    _published(edu, edu_head, "中学学区划分", "请问今年中学学区如何划分？")
    _published(civil, civil_head, "高龄津贴怎么申请", "老人八十岁，高龄津贴向哪里申请？")
    found = services.similar_questions("孩子上小学入学要准备什么材料")
    assert found and found[0].pk == enrol.pk
    assert services.similar_questions("高龄津贴申请")[0].org == civil
    assert services.similar_questions("高龄津贴申请", org=edu) == [] or all(
        x.org == edu for x in services.similar_questions("高龄津贴申请", org=edu)
    )
    assert services.similar_questions("") == []


def test_unanswered_over_three_months_counts_valid_open_messages(org, edu_head):
    edu = org(EDU)
    old = timezone.now() - dt.timedelta(days=100)
    ask(edu, now=old)
    refused = ask(edu, now=old).question
    services.question_reject(actor=edu_head, question=refused, reason="重复留言")
    ask(edu)
    assert services.unanswered_over(days=90) >= 1
    before = services.unanswered_over(days=90)
    ask(edu, now=old)
    assert services.unanswered_over(days=90) == before + 1


def test_reminders_are_sent_once_per_due_date(org):
    from gongkai.core.models import AuditEvent

    edu = org(EDU)
    q = ask(edu, now=timezone.now() - dt.timedelta(days=30)).question
    first = services.question_reminders()
    assert (q.number, "overdue") in first
    assert (q.number, "overdue") not in services.question_reminders()
    assert (
        AuditEvent.objects.filter(
            verb="participation.reminder_question_overdue", target_id=str(q.pk)
        ).count()
        == 1
    )


def test_figures_count_received_answered_on_time_and_satisfaction(org, edu_head):
    edu = org(EDU)
    q = answered(edu, edu_head)
    services.question_rate(question=q, rating=Rating.SATISFIED)
    ask(edu)
    on = timezone.localdate()
    figures = selectors.question_figures(org_ids={edu.pk}, start=on, end=on)
    assert figures["received"] >= 2 and figures["answered"] >= 1
    assert figures["answered_on_time"] >= 1 and figures["satisfaction"] == 100.0


# --- the hotline import ------------------------------------------------------------------------


def test_token_create_stores_only_a_hash_and_import_is_idempotent(client, org, edu_head):
    edu = org(EDU)
    token, clear = services.token_create(actor=edu_head, org=edu, name="12345热线")
    assert clear not in token.key_hash and clear.startswith(token.prefix)
    item = {
        "external_id": "H-001",
        "subject": "校车线路咨询",
        "text": "来电人13912345678询问校车线路。",
        "answer": "校车线路已在学校公众号公布。",
    }
    auth = {"HTTP_AUTHORIZATION": f"Bearer {clear}"}
    response = client.post(
        "/api/v1/questions/import", {"items": [item]}, content_type="application/json", **auth
    )
    assert response.status_code == 200, response.content
    assert len(response.json()["created"]) == 1
    again = client.post(
        "/api/v1/questions/import", {"items": [item]}, content_type="application/json", **auth
    )
    assert again.json()["created"] == [] and len(again.json()["existing"]) == 1
    q = Question.objects.get(org=edu, external_id="H-001")
    assert q.status == QuestionStatus.ANSWERED and q.published_at
    assert "13912345678" not in q.public_text
    bad = client.post(
        "/api/v1/questions/import",
        {"items": [item]},
        content_type="application/json",
        HTTP_AUTHORIZATION="Bearer nope",
    )
    assert bad.status_code == 401 and "令牌" in bad.json()["detail"]
    missing = client.post(
        "/api/v1/questions/import", {"items": []}, content_type="application/json"
    )
    assert missing.status_code == 401
    services.token_revoke(actor=edu_head, token=token)
    revoked = client.post(
        "/api/v1/questions/import", {"items": [item]}, content_type="application/json", **auth
    )
    assert revoked.status_code == 401


def test_token_management_needs_the_role(org, make_staff):
    handler = make_staff(EDU, "request_handler")
    with pytest.raises(PermissionDeniedError):
        services.token_create(actor=handler, org=org(EDU), name="x")
    assert not ApiToken.objects.filter(name="x").exists()


# --- the API -----------------------------------------------------------------------------------


def test_api_ask_with_idempotency_key_and_chinese_errors(client, org):
    edu = org(EDU)
    payload = {
        "org": edu.code,
        "kind": "enquiry",
        "subject": "入学材料",
        "text": "请问小学入学需要什么材料？",
        "name": "王小明",
        "contact": "13912345678",
    }
    first = client.post(
        "/api/v1/questions", payload, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k1"
    )
    assert first.status_code == 201 and first.json()["password"]
    replay = client.post(
        "/api/v1/questions", payload, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k1"
    )
    assert replay.status_code == 201 and replay.json()["password"] is None
    assert replay.json()["number"] == first.json()["number"]
    before = Question.objects.count()
    for bad in (
        payload | {"org": "nope"},
        payload | {"kind": "x"},
        payload | {"text": ""},
        payload | {"contact": "<script>"},
        {"org": edu.code},
    ):
        response = client.post("/api/v1/questions", bad, content_type="application/json")
        assert 400 <= response.status_code < 500
        assert re.search(r"[\u4e00-\u9fff]", response.json()["detail"])
    assert Question.objects.count() == before


def test_api_list_is_paged_and_searchable(client, org, edu_head, django_assert_max_num_queries):
    edu = org(EDU)
    for i in range(3):
        _published(edu, edu_head, f"入学问题{i}", f"第{i}个关于入学的问题内容")
    # The search backend asks once a minute per process whether an old index is left: warm.
    client.get("/api/v1/questions?q=问题")
    with django_assert_max_num_queries(3 + 2 * get_backend().planner_queries):
        page = client.get("/api/v1/questions?q=入学&page_size=2").json()
    assert page["count"] >= 3 and len(page["items"]) == 2
    assert client.get(f"/api/v1/questions?org={edu.code}").json()["count"] >= 3
    assert client.get("/api/v1/questions?page=0").status_code == 422


# --- public pages ------------------------------------------------------------------------------


def _form(client, url="/interaction/ask/", **overrides):
    html = client.get(url).content.decode()
    token = re.search(r'name="token" value="([^"]+)"', html).group(1)
    key = re.search(r'name="captcha_0" value="([^"]+)"', html).group(1)
    from captcha.models import CaptchaStore

    return {
        "org": "",
        "kind": "enquiry",
        "subject": "公园开放时间",
        "text": "请问市民公园冬季几点开门？",
        "name": "李四",
        "contact": "13912345678",
        "publish_consent": "on",
        "captcha_0": key,
        "captcha_1": CaptchaStore.objects.get(hashkey=key).response,
        "token": token,
    } | overrides


def test_ask_shows_similar_first_then_submits_anyway(client, org, edu_head):
    edu = org(EDU)
    _published(edu, edu_head, "小学入学需要准备哪些材料", "孩子满六岁，小学入学登记要什么材料？")
    data = _form(
        client, org=edu.code, subject="小学入学要什么材料", text="小学入学登记需要准备哪些材料"
    )
    before = Question.objects.count()
    first = client.post("/interaction/ask/", data)
    body = first.content.decode()
    assert first.status_code == 200 and 'data-testid="similar-found"' in body
    assert "小学入学需要准备哪些材料" in body and 'name="confirm" value="1"' in body
    assert Question.objects.count() == before
    # The CAPTCHA was not spent: the citizen presses "仍要提交".
    response = client.post("/interaction/ask/", data | {"confirm": "1"})
    assert response.status_code == 302, re.findall(
        r"class=\"error\"[^<]*>([^<]+)", response.content.decode()
    )
    done = client.get(response["Location"]).content.decode()
    number = re.search(r'data-testid="number">([^<]+)<', done).group(1)
    password = re.search(r'data-testid="password">([^<]+)<', done).group(1)
    assert Question.objects.filter(number=number).exists()
    # Tracking needs the password.
    other = type(client)()
    assert (
        'data-testid="status"'
        not in other.get(f"/interaction/track/?number={number}").content.decode()
    )
    wrong = other.post("/interaction/track/", {"number": number, "password": "x"})
    assert wrong.status_code == 400
    right = other.post("/interaction/track/", {"number": number, "password": password})
    assert right.status_code == 302
    page = other.get(right["Location"]).content.decode()
    assert "待受理" in page


def test_similar_json_endpoint(client, org, edu_head):
    _published(org(EDU), edu_head, "小学入学需要准备哪些材料", "小学入学登记要什么材料？")
    items = client.get("/interaction/similar/?q=小学入学材料").json()["items"]
    assert items and items[0]["subject"] == "小学入学需要准备哪些材料"
    assert client.get("/interaction/similar/?q=").json() == {"items": []}


@pytest.mark.parametrize(
    "overrides",
    [
        {"org": "nope"},
        {"kind": "<script>"},
        {"subject": ""},
        {"text": "x" * 6000},
        {"contact": "'; drop table"},
        {"captcha_1": "wrong"},
        {"token": "forged"},
        {"name": "\x00"},
    ],
)
def test_hostile_ask_input_gets_4xx_and_saves_nothing(client, org, overrides):
    data = _form(
        client, org=org(EDU).code, subject="独一无二的主题甲乙", text="独一无二的内容丙丁戊己"
    )
    before = Question.objects.count()
    response = client.post("/interaction/ask/", data | overrides | {"confirm": "1"})
    assert 400 <= response.status_code < 500
    assert Question.objects.count() == before


def test_track_rate_and_reopen_on_the_page(client, org, edu_head):
    edu = org(EDU)
    receipt = ask(edu)
    q = services.question_accept(actor=edu_head, question=receipt.question)
    q = services.question_draft_answer(actor=edu_head, question=q, answer="请携带户口簿。")
    services.question_approve_answer(actor=edu_head, question=q)
    r = client.post("/interaction/track/", {"number": q.number, "password": receipt.password})
    page = client.get(r["Location"]).content.decode()
    assert "请携带户口簿" in page and 'data-testid="rate-submit"' in page
    assert (
        client.post("/interaction/track/rate/", {"number": q.number, "rating": "bad"}).status_code
        == 400
    )
    client.post("/interaction/track/rate/", {"number": q.number, "rating": "unsatisfied"})
    page = client.get(r["Location"]).content.decode()
    assert 'data-testid="reopen-submit"' in page
    client.post("/interaction/track/reopen/", {"number": q.number})
    q.refresh_from_db()
    assert q.status == QuestionStatus.ACCEPTED and q.reopened
    # Someone else's session cannot rate or reopen.
    other = type(client)()
    assert other.post("/interaction/track/reopen/", {"number": q.number}).status_code == 404


def test_public_list_query_count_is_flat(client, org, edu_head, django_assert_max_num_queries):
    edu = org(EDU)
    for i in range(3):
        _published(edu, edu_head, f"入学问题{i}", f"第{i}个问题")
    with django_assert_max_num_queries(6 + 2 * get_backend().planner_queries) as few:
        client.get("/interaction/?q=入学")
    for i in range(3, 9):
        _published(edu, edu_head, f"入学问题{i}", f"第{i}个问题")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/interaction/?q=入学")
    assert response.status_code == 200
    assert client.get(f"/interaction/?org={edu.code}").status_code == 200
    assert client.get("/interaction/?page=999").status_code == 200
    assert client.get("/interaction/NOPE/").status_code == 404


# --- workbench ---------------------------------------------------------------------------------


def test_workbench_scoping_civil_staff_cannot_open_education_questions(client, org, make_staff):
    q = ask(org(EDU)).question
    civil = make_staff(CIVIL, "office_head")
    client.force_login(civil)
    assert client.get(f"/workbench/questions/{q.number}/").status_code == 404
    response = client.post(f"/workbench/questions/{q.number}/action/", {"action": "accept"})
    assert response.status_code == 404
    q.refresh_from_db()
    assert q.status == QuestionStatus.SUBMITTED
    assert q.number not in client.get("/workbench/questions/").content.decode()


def test_workbench_actions_and_queue_query_count(
    client, org, make_staff, edu_head, django_assert_max_num_queries
):
    edu = org(EDU)
    client.force_login(edu_head)
    q = ask(edu).question
    with django_assert_max_num_queries(20) as few:
        assert client.get("/workbench/questions/").status_code == 200
    for _ in range(5):
        ask(edu, now=timezone.now() - dt.timedelta(days=40))
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get("/workbench/questions/").content.decode()
    assert q.number in page and 'data-testid="queue-overdue"' in page
    url = f"/workbench/questions/{q.number}/"
    assert "13912345678" in client.get(url).content.decode()  # staff see the contact
    client.post(url + "action/", {"action": "accept"})
    client.post(url + "action/", {"action": "draft_answer", "answer": "请携带户口簿。"})
    refused = client.post(url + "action/", {"action": "reject", "reason": "x"})
    assert refused.status_code == 303
    client.post(url + "action/", {"action": "approve_answer", "answer": ""})
    q.refresh_from_db()
    assert q.status == QuestionStatus.ANSWERED and q.answer == "请携带户口簿。"
    page = client.get(url + "publish/").content.decode()
    assert "请携带户口簿" in page
    client.post(
        url + "publish/",
        {"public_subject": "入学材料", "public_text": "入学材料？", "public_answer": "户口簿。"},
    )
    q.refresh_from_db()
    assert q.published_at


def test_workbench_tokens_page(client, org, edu_head):
    client.force_login(edu_head)
    response = client.post(
        "/workbench/questions/tokens/", {"org": org(EDU).code, "name": "12345热线"}
    )
    assert response.status_code == 200
    clear = re.search(r'data-testid="clear-token">([^<]+)<', response.content.decode()).group(1)
    assert services.token_authenticate(clear) is not None
    token = ApiToken.objects.get(name="12345热线")
    client.post(f"/workbench/questions/tokens/{token.pk}/revoke/")
    assert services.token_authenticate(clear) is None


def test_demo_loads_once(db):
    from gongkai.participation import demo_questions

    assert demo_questions.load()
    assert demo_questions.load() == []
    moved = Question.objects.get(submission_key="demo:question:school-bus")
    assert moved.transfers.get().to_org.name == EDU and moved.published_at
    overdue = Question.objects.get(submission_key="demo:question:playground")
    assert overdue.due_on < timezone.localdate() and overdue.status == QuestionStatus.ACCEPTED
    assert Question.objects.filter(published_at__isnull=False, org__name=CIVIL).exists()


def test_applicant_is_the_only_reopener(org, edu_head):
    q = answered(org(EDU), edu_head)
    services.question_rate(question=q, rating=Rating.UNSATISFIED)
    from gongkai.participation.workflow import QUESTION

    with pytest.raises(PermissionDeniedError):
        QUESTION.run(q, "reopen", actor=edu_head)
    assert QUESTION.run(q, "reopen", actor=APPLICANT).status == QuestionStatus.ACCEPTED


def test_tokens_page_query_count_is_flat(client, org, edu_head, django_assert_max_num_queries):
    client.force_login(edu_head)
    services.token_create(actor=edu_head, org=org(EDU), name="热线一")
    with django_assert_max_num_queries(20) as few:
        assert client.get("/workbench/questions/tokens/").status_code == 200
    for i in range(5):
        services.token_create(actor=edu_head, org=org(EDU), name=f"热线{i + 2}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get("/workbench/questions/tokens/").status_code == 200


def test_import_refuses_bad_items_and_saves_nothing(client, org, edu_head):
    _token, clear = services.token_create(actor=edu_head, org=org(EDU), name="热线")
    before = Question.objects.count()
    auth = {"HTTP_AUTHORIZATION": f"Bearer {clear}"}
    for body in (
        {"items": "x"},
        {"items": [{"external_id": "1", "subject": "a", "text": "b"}]},
        {"items": [{"external_id": "1", "subject": "a", "text": "b", "answer": "", "kind": "x"}]},
    ):
        response = client.post(
            "/api/v1/questions/import", body, content_type="application/json", **auth
        )
        assert 400 <= response.status_code < 500
    blank = {"external_id": "1", "subject": " ", "text": "b", "answer": "c"}
    response = client.post(
        "/api/v1/questions/import", {"items": [blank]}, content_type="application/json", **auth
    )
    assert response.status_code == 400 and "缺少" in response.json()["detail"]
    assert Question.objects.count() == before

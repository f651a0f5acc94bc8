"""Security review of public participation: cross-organisation access, personal data on the
public pages and API, the tracking password, the hotline import token, junk input, uploads
and workflow steps posted directly.

Tests that pass pin behaviour that is right; a test marked `xfail(strict=True)` shows a bug
(its reason says what) and starts failing the suite once the bug is fixed, so the mark can go.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone

from gongkai.core.exceptions import ApplicationError
from gongkai.orgs.models import Membership
from gongkai.participation.models import (
    ApiToken,
    Comment,
    CommentAttachment,
    CommentGroup,
    Concern,
    Consultation,
    Decision,
    DecisionItem,
    Promise,
    Question,
)
from gongkai.participation.services import concerns as concern_services
from gongkai.participation.services import consultations as c_services
from gongkai.participation.services import questions as q_services
from gongkai.participation.workflow import ConcernStatus, ConsultationStatus, QuestionStatus

pytestmark = pytest.mark.django_db

EDU, CIVIL, CITY_OFFICE = "示范市教育局", "示范市民政局", "示范市人民政府办公室"
TODAY = dt.date.today()
Role = Membership.Role


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


# --- helpers -----------------------------------------------------------------------------------


def consultation(org, actor, *, org_name=EDU, open_it=True, days=30, start=None, **extra):
    start = start or TODAY - dt.timedelta(days=1)
    data = c_services.ConsultationInput(
        title=extra.pop("title", "示范市中小学课后服务管理办法（征求意见稿）"),
        opens_on=start,
        closes_on=start + dt.timedelta(days=days - 1),
        draft_text="第一条 为规范课后服务……（未公开的内部草稿）",
        **({"explanation": "为落实有关要求，起草本办法。"} | extra),
    )
    c = c_services.consultation_create(actor=actor, org=org(org_name), data=data)
    if open_it:
        c = c_services.consultation_open(actor=actor, consultation=c, on=start)
    return c


def comment(c, text="建议延长课后服务时间到18点", *, address="", key=None, **extra):
    data = {"name": "李四", "contact": "13800138000", "text": text, "publish_consent": True}
    return c_services.comment_submit(
        consultation=c,
        data=c_services.CommentInput(**(data | extra)),
        source_address=address,
        submission_key=key,
    )


def ask(org_obj, *, subject="小学入学需要哪些材料", consent=True, address="203.0.113.9", **kw):
    return q_services.question_submit(
        data=q_services.QuestionInput(
            org=org_obj,
            kind=kw.pop("kind", "enquiry"),
            subject=subject,
            text=kw.pop("text", "孩子今年六岁，请问小学入学登记需要准备哪些材料？"),
            name=kw.pop("name", "王小明"),
            contact=kw.pop("contact", "13912345678"),
            publish_consent=consent,
        ),
        source_address=address,
    )


def answered(org_obj, head, **kw):
    receipt = ask(org_obj, **kw)
    q = q_services.question_accept(actor=head, question=receipt.question)
    q = q_services.question_draft_answer(actor=head, question=q, answer="请携带户口簿。")
    return q_services.question_approve_answer(actor=head, question=q), receipt.password


def concern(org, actor, org_name=EDU, **kw):
    return concern_services.concern_register(
        actor=actor,
        org=org(org_name),
        title=kw.pop("title", "某小学食堂食品安全舆情"),
        description="网传某小学食堂使用过期食材。",
        source="online",
        noticed_at=kw.pop("noticed_at", timezone.now() - dt.timedelta(hours=1)),
        severity=kw.pop("severity", "ordinary"),
        **kw,
    )


@pytest.fixture
def edu_pub(make_staff):
    return make_staff(EDU, Role.PUBLISHER)


@pytest.fixture
def civil_pub(make_staff):
    return make_staff(CIVIL, Role.PUBLISHER)


@pytest.fixture
def edu_head(make_staff):
    return make_staff(EDU, Role.OFFICE_HEAD)


@pytest.fixture
def civil_head(make_staff):
    return make_staff(CIVIL, Role.OFFICE_HEAD)


# === consultations: public side ==================================================================


def test_a_draft_withdrawn_before_publication_never_becomes_public(org, edu_pub, client):
    item = c_services.decision_item_save(
        actor=edu_pub, org=org(EDU), year=TODAY.year, title="课后服务管理办法制定"
    )
    c_services.decision_list_publish(actor=edu_pub, org=org(EDU), year=TODAY.year)
    c = consultation(org, edu_pub, open_it=False, decision_item=item, title="未发布就撤回的征集")
    c = c_services.consultation_withdraw(actor=edu_pub, consultation=c, reason="方案调整")
    assert c.status == ConsultationStatus.WITHDRAWN and c.opened_at is None
    page = client.get(f"/consultations/{c.pk}/")
    api = client.get(f"/api/v1/consultations/{c.pk}")
    listing = client.get(f"/consultations/decisions/?year={TODAY.year}").content.decode()
    assert "课后服务管理办法制定" in listing and "未发布就撤回的征集" not in listing
    assert page.status_code == 404 and "未公开的内部草稿" not in page.content.decode()
    assert api.status_code == 404


def test_a_consultation_withdrawn_after_opening_stays_visible_with_its_reason(org, edu_pub, client):
    c = consultation(org, edu_pub)
    c_services.consultation_withdraw(actor=edu_pub, consultation=c, reason="政策调整")
    page = client.get(f"/consultations/{c.pk}/")
    assert page.status_code == 200 and "政策调整" in page.content.decode()
    # …but takes no comment, by the form or the API.
    late = client.post(
        f"/api/v1/consultations/{c.pk}/comments",
        {"name": "a", "contact": "13900000000", "text": "意见意见"},
        content_type="application/json",
    )
    assert 400 <= late.status_code < 500 and not Comment.objects.exists()


def test_the_commenters_name_in_the_text_is_masked_on_the_public_page(org, edu_pub, client):
    c = consultation(org, edu_pub)
    comment(c, text="我是家长李四，建议延长课后服务时间。", name="李四")
    page = client.get(f"/consultations/{c.pk}/").content.decode()
    api = client.get(f"/api/v1/consultations/{c.pk}").json()
    assert "延长课后服务时间" in page
    assert "李四" not in page and "李四" not in str(api["published_comments"])


def test_public_pages_never_show_contacts_staff_reasons_or_non_consented_texts(
    org, edu_pub, client
):
    c = consultation(org, edu_pub)
    shown = comment(c, text="建议公开收费标准，联系我13800138000")
    hidden = comment(c, text="内部不公开的意见内容甲乙丙", publish_consent=False)
    c_services.comment_decide(
        actor=edu_pub,
        consultation=c,
        decision="not_adopted",
        reason="内部理由不应在征集期间公开",
        comment_ids=[hidden.pk],
    )
    page = client.get(f"/consultations/{c.pk}/").content.decode()
    api = str(client.get(f"/api/v1/consultations/{c.pk}").json())
    for body in (page, api):
        assert "建议公开收费标准" in body
        assert "13800138000" not in body
        assert "内部不公开的意见内容" not in body and "内部理由不应" not in body
        assert "李四" not in body
    assert shown.public_text and not hidden.public_text


def test_an_email_inside_chinese_text_is_masked_on_the_public_page(org, edu_pub, client):
    c = consultation(org, edu_pub)
    comment(c, text="建议公开收费标准，有问题请发邮件到li.si@example.com联系我")
    page = client.get(f"/consultations/{c.pk}/").content.decode()
    assert "建议公开收费标准" in page
    assert "li.si@example.com" not in page


def test_stored_markup_is_escaped_on_the_public_page(org, edu_pub, client):
    c = consultation(org, edu_pub, explanation="<script>alert('x')</script>")
    comment(c, text="<img src=x onerror=alert(1)>建议")
    page = client.get(f"/consultations/{c.pk}/").content.decode()
    assert "<script>alert('x')</script>" not in page and "<img src=x" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


@pytest.mark.parametrize(
    "path",
    [
        "/consultations/99999999999999999999/",
        "/consultations/2147483648/",
        "/consultations/?page=99999999999999999999&org=x&tab=zzz",
        "/consultations/decisions/?year=99999999999&page=-1",
        "/api/v1/consultations?offset=99999999999",
        "/api/v1/consultations/99999999999999999999",
        "/api/v1/consultations?state=bogus",
    ],
)
def test_junk_urls_are_client_errors(client, path):
    assert client.get(path).status_code in (200, 400, 404, 422)


def test_comment_api_rejects_wrong_types_and_long_strings(org, edu_pub, client):
    c = consultation(org, edu_pub)
    for body in (
        {"name": ["a"], "contact": "13900000000", "text": "意见意见"},
        {"name": "a", "contact": 13900000000, "text": "意见意见"},
        {"name": "a" * 101, "contact": "13900000000", "text": "意见意见"},
        {"name": "a", "contact": "13900000000", "text": "x" * 10_001},
        {"name": "a", "contact": "13900000000", "text": "意见", "publish_consent": "maybe"},
        [1, 2, 3],
        "not json",
    ):
        response = client.post(
            f"/api/v1/consultations/{c.pk}/comments", body, content_type="application/json"
        )
        assert 400 <= response.status_code < 500, body
    assert not Comment.objects.exists()


def test_an_idempotency_key_reused_on_another_consultation_is_not_a_silent_replay(
    org, edu_pub, client
):
    first, second = consultation(org, edu_pub), consultation(org, edu_pub)
    body = {"name": "赵六", "contact": "13900000000", "text": "建议明确收费上限"}
    headers = {"Idempotency-Key": "same-key"}
    a = client.post(
        f"/api/v1/consultations/{first.pk}/comments",
        body,
        content_type="application/json",
        headers=headers,
    )
    b = client.post(
        f"/api/v1/consultations/{second.pk}/comments",
        body | {"text": "对第二个征集的不同意见"},
        content_type="application/json",
        headers=headers,
    )
    assert a.status_code == 201
    # Either a conflict (as the question API answers) or a new comment on `second`.
    assert b.status_code == 409 or second.comments.filter(text="对第二个征集的不同意见").exists()


def test_comment_form_requires_csrf(org, edu_pub):
    from django.test import Client

    c = consultation(org, edu_pub)
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(f"/consultations/{c.pk}/", {"text": "意见意见"})
    assert response.status_code == 403
    response = strict.post("/interaction/track/", {"number": "LY2026-000001", "password": "x"})
    assert response.status_code == 403


def _comment_form(client, c, **overrides):
    html = client.get(f"/consultations/{c.pk}/").content.decode()
    token = re.search(r'name="token" value="([^"]+)"', html).group(1)
    key = re.search(r'name="captcha_0" value="([^"]+)"', html).group(1)
    from captcha.models import CaptchaStore

    return {
        "text": "建议延长课后服务时间",
        "name": "李四",
        "contact": "13800138000",
        "captcha_0": key,
        "captcha_1": CaptchaStore.objects.get(hashkey=key).response,
        "token": token,
    } | overrides


def test_comment_form_works_with_a_plain_text_attachment(org, edu_pub, client):
    c = consultation(org, edu_pub)
    data = _comment_form(client, c)
    data["attachment"] = SimpleUploadedFile("意见.txt", "具体建议如下……".encode(), "text/plain")
    response = client.post(f"/consultations/{c.pk}/", data)
    assert response.status_code == 303
    assert CommentAttachment.objects.filter(comment__consultation=c).count() == 1


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("readme.pdf", b"MZ\x90\x00" + b"\x00" * 4096),  # an executable disguised
        ("photo.jpg", b"\x7fELF" + b"\x00" * 200),
        ("bomb.docx", None),  # a zip bomb
        ("junk.bin", b"\x00\x01\x02\x03" * 64),
    ],
)
def test_hostile_comment_attachments_are_refused_and_nothing_is_saved(
    org, edu_pub, client, name, content
):
    if content is None:
        from gongkai.core.tests import hostile

        content = hostile.size_bomb()
    c = consultation(org, edu_pub)
    data = _comment_form(client, c)
    data["attachment"] = SimpleUploadedFile(name, content)
    response = client.post(f"/consultations/{c.pk}/", data)
    assert 400 <= response.status_code < 500
    assert not Comment.objects.exists() and not CommentAttachment.objects.exists()


@override_settings(GONGKAI_PARTICIPATION_MAX_ATTACHMENT_BYTES=1024)
def test_an_oversized_comment_attachment_is_refused_and_nothing_is_saved(org, edu_pub, client):
    c = consultation(org, edu_pub)
    data = _comment_form(client, c)
    data["attachment"] = SimpleUploadedFile("big.txt", b"a" * 4096, "text/plain")
    response = client.post(f"/consultations/{c.pk}/", data)
    assert response.status_code == 400 and "大小上限" in response.content.decode()
    assert not Comment.objects.exists()


def test_a_path_in_the_attachment_name_is_not_followed(org, edu_pub, client):
    c = consultation(org, edu_pub)
    data = _comment_form(client, c)
    data["attachment"] = SimpleUploadedFile("../../../../evil.txt", b"hello world", "text/plain")
    response = client.post(f"/consultations/{c.pk}/", data)
    assert response.status_code in (303, 400)
    for f in CommentAttachment.objects.all():
        assert ".." not in f.file.name and f.file.name.startswith("participation/comments/")


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(
            "关于课后服务管理办法的修改意见" * 6 + ".docx.txt",
            id="long-chinese-name",
        ),
        pytest.param("a" * 400 + ".txt", id="long-ascii-name"),
        pytest.param("..txt", id="dots"),
        pytest.param(".htaccess", id="dotfile"),
    ],
)
def test_odd_attachment_names_are_stored_or_refused_cleanly(org, edu_pub, client, name):
    c = consultation(org, edu_pub)
    data = _comment_form(client, c)
    data["attachment"] = SimpleUploadedFile(name, "具体建议如下".encode(), "text/plain")
    response = client.post(f"/consultations/{c.pk}/", data)
    assert response.status_code in (303, 400)
    assert Comment.objects.exists() == (response.status_code == 303)
    for f in CommentAttachment.objects.all():
        assert len(f.file.name) <= 300 and f.file.name.startswith("participation/comments/")


@override_settings(GONGKAI_PARTICIPATION_RATE_LIMIT=2)
def test_comment_api_is_rate_limited_per_address(org, edu_pub, client):
    c = consultation(org, edu_pub)
    url = f"/api/v1/consultations/{c.pk}/comments"
    codes = [
        client.post(
            url,
            {"name": "a", "contact": "13900000000", "text": f"第{i}条意见"},
            content_type="application/json",
            REMOTE_ADDR="198.51.100.20",
        ).status_code
        for i in range(4)
    ]
    assert codes[:2] == [201, 201] and codes[2:] == [429, 429]
    assert c.comments.count() == 2


# === consultations: workbench ===================================================================


def test_other_organisations_consultation_is_out_of_reach(org, edu_pub, civil_pub, client):
    c = consultation(org, edu_pub)
    m = comment(c)
    client.force_login(civil_pub)
    assert client.get(f"/workbench/consultations/{c.pk}/").status_code == 404
    for data in (
        {"action": "decide", "comments": [str(m.pk)], "decision": "adopted"},
        {"action": "close", "reason": "x"},
        {"action": "withdraw", "reason": "x"},
    ):
        assert client.post(f"/workbench/consultations/{c.pk}/action/", data).status_code == 404
    m.refresh_from_db()
    c.refresh_from_db()
    assert m.decision == Decision.PENDING and c.status == ConsultationStatus.OPEN
    assert c.title not in client.get("/workbench/consultations/").content.decode()


def test_comments_and_groups_of_another_consultation_cannot_be_named(
    org, edu_pub, civil_pub, client
):
    """The civil office's own consultation, with the education bureau's comment and group ids
    posted into its forms."""
    edu_c = consultation(org, edu_pub)
    edu_comments = [comment(edu_c, text=f"教育局意见{i}") for i in range(2)]
    group = c_services.comment_group(
        actor=edu_pub,
        consultation=edu_c,
        comment_ids=[m.pk for m in edu_comments],
        title="教育局的归类",
    )
    civil_c = consultation(org, civil_pub, org_name=CIVIL)
    own = comment(civil_c, text="民政局意见")
    client.force_login(civil_pub)
    url = f"/workbench/consultations/{civil_c.pk}/action/"
    client.post(
        url,
        {"action": "group", "comments": [str(own.pk), *[str(m.pk) for m in edu_comments]],
         "title": "偷来的意见"},
    )  # fmt: skip
    client.post(url, {"action": "decide", "comments": [str(edu_comments[0].pk)],
                      "decision": "adopted"})  # fmt: skip
    client.post(url, {"action": "decide_group", "group": str(group.pk), "decision": "adopted"})
    for m in edu_comments:
        m.refresh_from_db()
        assert m.group_id == group.pk and m.decision == Decision.PENDING
    group.refresh_from_db()
    assert group.decision == Decision.PENDING
    assert not CommentGroup.objects.filter(title="偷来的意见").exists()


def test_other_organisations_documents_and_decision_items_cannot_be_linked(
    org, edu_pub, civil_pub, client, publish
):
    edu_doc = publish(EDU, "教育局已发布的文件")
    edu_item = c_services.decision_item_save(
        actor=edu_pub, org=org(EDU), year=TODAY.year, title="教育局决策事项"
    )
    civil_c = consultation(org, civil_pub, org_name=CIVIL)
    client.force_login(civil_pub)
    client.post(
        f"/workbench/consultations/{civil_c.pk}/action/",
        {"action": "link", "index_number": edu_doc.index_number},
    )
    civil_c.refresh_from_db()
    assert civil_c.decision_document_id is None
    base = {
        "org": org(CIVIL).code,
        "title": "民政局的征集",
        "opens_on": TODAY.isoformat(),
        "closes_on": (TODAY + dt.timedelta(days=29)).isoformat(),
        "methods": ["online"],
        "draft_text": "正文",
    }
    r1 = client.post("/workbench/consultations/new/", base | {"decision_item": str(edu_item.pk)})
    r2 = client.post("/workbench/consultations/new/", base | {"draft_index": edu_doc.index_number})
    r3 = client.post("/workbench/consultations/new/", base | {"org": org(EDU).code})
    assert {r1.status_code, r2.status_code, r3.status_code} <= {400, 403, 404}
    assert not Consultation.objects.filter(title="民政局的征集").exists()
    # Nor can the yearly list be written for another organisation.
    client.post(
        "/workbench/consultations/decisions/",
        {"org": org(EDU).code, "title": "冒名的事项", "methods": ["online"]},
    )
    assert not DecisionItem.objects.filter(title="冒名的事项").exists()


@pytest.mark.parametrize(
    ("status_setup", "data"),
    [
        ("draft", {"action": "publish_feedback", "feedback": "跳过征集直接反馈"}),
        ("draft", {"action": "close", "reason": "x"}),
        ("draft", {"action": "decide", "comments": ["1"], "decision": "adopted"}),
        ("draft", {"action": "activity", "method": "forum", "held_on": TODAY.isoformat()}),
        ("open", {"action": "publish_feedback", "feedback": "还在征集就发布反馈"}),
        ("open", {"action": "open"}),
        ("feedback", {"action": "decide", "comments": ["1"], "decision": "not_adopted",
                      "reason": "改判"}),
        ("feedback", {"action": "withdraw", "reason": "x"}),
        ("feedback", {"action": "update", "title": "改标题", "opens_on": "2026-01-01",
                      "closes_on": "2026-12-31", "draft_text": "x", "methods": ["online"]}),
        ("open", {"action": "bogus"}),
    ],
)  # fmt: skip
def test_workflow_steps_posted_out_of_order_are_refused(org, edu_pub, client, status_setup, data):
    c = consultation(org, edu_pub, open_it=status_setup != "draft")
    if status_setup == "feedback":
        m = comment(c)
        c_services.comment_decide(
            actor=edu_pub, consultation=c, decision="adopted", comment_ids=[m.pk]
        )
        c = c_services.consultation_close(actor=edu_pub, consultation=c, reason="提前完成")
        c = c_services.consultation_publish_feedback(
            actor=edu_pub, consultation=c, feedback="已采纳。"
        )
    before = Consultation.objects.filter(pk=c.pk).values().get()
    comments_before = list(Comment.objects.values_list("pk", "decision", "reason"))
    client.force_login(edu_pub)
    if "comments" in data:
        data = data | {"comments": [str(pk) for pk, *_ in comments_before] or ["1"]}
    response = client.post(f"/workbench/consultations/{c.pk}/action/", data)
    assert response.status_code in (303, 400, 403, 404)
    after = Consultation.objects.filter(pk=c.pk).values().get()
    assert after == before
    assert list(Comment.objects.values_list("pk", "decision", "reason")) == comments_before


@pytest.mark.parametrize(
    "data",
    [
        {"action": "update", "opens_on": "2026-02-30", "closes_on": "x"},
        {"action": "update", "opens_on": "99999-01-01", "closes_on": "2026-01-01"},
        {"action": "update", "opens_on": "0001-01-01", "closes_on": "9999-12-31"},
        {"action": "activity", "method": "forum", "held_on": "1-1-1", "participants": "-5"},
        {"action": "activity", "method": "forum", "held_on": TODAY.isoformat(),
         "participants": "99999999999999999999"},
        {"action": "group", "comments": ["abc", "99999999999999999999"], "title": "t"},
        {"action": "decide_group", "group": "1e9", "decision": "adopted"},
        {"action": "decide", "comments": ["-1"], "decision": "adopted"},
    ],
)  # fmt: skip
def test_workbench_junk_input_is_a_client_error(org, edu_pub, client, data):
    c = consultation(org, edu_pub)
    client.force_login(edu_pub)
    response = client.post(f"/workbench/consultations/{c.pk}/action/", data)
    assert response.status_code in (303, 400)


def test_workbench_new_with_junk_dates_is_a_client_error(org, edu_pub, client):
    client.force_login(edu_pub)
    base = {"org": org(EDU).code, "title": "x", "methods": ["online"], "draft_text": "y"}
    for opens, closes in (
        ("2026-13-01", "2026-14-01"),
        ("0000-01-01", "0000-02-01"),
        ("9999-12-01", "9999-12-31"),
        ("", ""),
    ):
        response = client.post(
            "/workbench/consultations/new/", base | {"opens_on": opens, "closes_on": closes}
        )
        assert response.status_code in (200, 302, 400), (opens, closes)


# === questions: public side =====================================================================


# An unknown number costs no password hash, as for disclosure requests: numbers are sequential
# and not secret, a hash per guess would let guessing tie up the CPU, and the per-address and
# per-number attempt limits apply first (services.questions.question_check_password).


def test_tracking_gives_the_same_answer_for_unknown_number_and_wrong_password(org, client):
    receipt = ask(org(EDU))
    a = client.post("/interaction/track/", {"number": receipt.question.number, "password": "x"})
    b = client.post("/interaction/track/", {"number": "LY2099-999999", "password": "x"})
    assert a.status_code == b.status_code == 400

    def errors(r):
        return re.findall(r'class="error"[^>]*>([^<]+)<', r.content.decode())

    assert errors(a) == errors(b)


@override_settings(GONGKAI_FOI_TRACK_ATTEMPTS_PER_HOUR=5)
def test_tracking_password_guessing_is_limited_per_address_and_per_number(org, client):
    receipt = ask(org(EDU))
    number = receipt.question.number
    for i in range(5):
        client.post("/interaction/track/", {"number": number, "password": f"guess{i}"})
    # Even the right password is refused now…
    right = client.post("/interaction/track/", {"number": number, "password": receipt.password})
    assert right.status_code == 429
    # …and moving to other addresses does not help (the number itself is limited), nor does
    # writing the number in lower case or with spaces.
    other = type(client)()
    r = other.post(
        "/interaction/track/",
        {"number": f"  {number.lower()} ", "password": receipt.password},
        REMOTE_ADDR="198.51.100.77",
    )
    assert r.status_code == 429


def test_tracking_page_never_shows_name_or_contact(org, client, edu_head):
    q, password = answered(org(EDU), edu_head, name="王小明", contact="13912345678")
    r = client.post("/interaction/track/", {"number": q.number, "password": password})
    page = client.get(r["Location"]).content.decode()
    assert "请携带户口簿" in page
    assert "王小明" not in page and "13912345678" not in page


def test_a_tracked_session_cannot_rate_or_reopen_another_question(org, client, edu_head):
    mine, password = answered(org(EDU), edu_head, subject="我的留言主题")
    theirs, _ = answered(org(EDU), edu_head, subject="别人的留言主题")
    client.post("/interaction/track/", {"number": mine.number, "password": password})
    assert (
        client.post(
            "/interaction/track/rate/", {"number": theirs.number, "rating": "unsatisfied"}
        ).status_code
        == 404
    )
    assert (
        client.get(f"/interaction/track/?number={theirs.number}")
        .content.decode()
        .count("别人的留言主题")
        == 0
    )
    theirs.refresh_from_db()
    assert theirs.rating == ""


def test_rating_twice_or_reopening_twice_is_refused(org, client, edu_head):
    q, password = answered(org(EDU), edu_head)
    client.post("/interaction/track/", {"number": q.number, "password": password})
    client.post("/interaction/track/rate/", {"number": q.number, "rating": "unsatisfied"})
    again = client.post("/interaction/track/rate/", {"number": q.number, "rating": "satisfied"})
    assert again.status_code == 400
    q.refresh_from_db()
    assert q.rating == "unsatisfied"
    client.post("/interaction/track/reopen/", {"number": q.number})
    q.refresh_from_db()
    q = q_services.question_draft_answer(actor=edu_head, question=q, answer="再次答复")
    q = q_services.question_approve_answer(actor=edu_head, question=q)
    client.post("/interaction/track/rate/", {"number": q.number, "rating": "unsatisfied"})
    second = client.post("/interaction/track/reopen/", {"number": q.number})
    assert second.status_code == 400
    q.refresh_from_db()
    assert q.status == QuestionStatus.ANSWERED


def test_unpublished_or_non_consented_questions_never_reach_the_public(org, client, edu_head):
    secret, _ = answered(org(EDU), edu_head, subject="未公开的留言主题", consent=False)
    pending, _ = answered(org(EDU), edu_head, subject="待审核的留言主题", consent=True)
    for path in (
        f"/interaction/{secret.number}/",
        f"/interaction/{pending.number}/",
        f"/interaction/{secret.number.lower()}/",
    ):
        assert client.get(path).status_code == 404
    listing = client.get("/interaction/?q=留言主题").content.decode()
    api = str(client.get("/api/v1/questions?q=留言主题").json())
    similar = str(client.get("/interaction/similar/?q=留言主题").json())
    for body in (listing, api, similar):
        assert "未公开的留言主题" not in body and "待审核的留言主题" not in body
    with pytest.raises(ApplicationError):
        q_services.question_publish(
            actor=edu_head,
            question=secret,
            public_subject="x",
            public_text="y",
            public_answer="z",
        )


def test_published_qa_masks_name_phone_and_id_number(org, client, edu_head):
    q, _ = answered(
        org(EDU),
        edu_head,
        name="王小明",
        text="我是王小明，身份证11010519491231002X，电话13912345678，请问入学材料？",
    )
    q_services.question_publish(actor=edu_head, question=q, **q_services.publish_prefill(q))
    page = client.get(f"/interaction/{q.number}/").content.decode()
    api = str(client.get("/api/v1/questions?q=入学材料").json())
    for body in (page, api):
        assert "11010519491231002X" not in body and "13912345678" not in body
        assert "王小明" not in body


@pytest.mark.parametrize(
    "path",
    [
        "/interaction/?page=99999999999999999999",
        "/interaction/?org=" + "x" * 5000,
        "/interaction/?q=" + "%25" * 3000,
        "/interaction/" + "9" * 500 + "/",
        "/interaction/similar/?q=" + "入学" * 2000,
        "/interaction/track/?number=" + "A" * 5000,
        "/api/v1/questions?page=100001",
        "/api/v1/questions?page_size=1000",
        "/api/v1/questions?org=" + "x" * 100,
    ],
)
def test_question_junk_urls_are_client_errors(client, path):
    assert client.get(path).status_code in (200, 400, 404, 422)


def test_api_ask_refuses_internal_units_inactive_orgs_and_bad_types(org, client):
    from gongkai.orgs.models import Org

    internal = Org.objects.filter(kind=Org.Kind.INTERNAL_UNIT, is_active=True).first()
    base = {
        "kind": "enquiry",
        "subject": "关于入学",
        "text": "请问入学需要什么材料？",
        "name": "王",
        "contact": "13912345678",
    }
    bodies = [
        base | {"org": "nope"},
        base | {"org": org(EDU).code, "kind": "other"},
        base | {"org": org(EDU).code, "publish_consent": "yes please"},
        base | {"org": org(EDU).code, "subject": ["a"]},
        base | {"org": org(EDU).code, "contact": "x" * 201},
    ]
    if internal is not None:
        bodies.append(base | {"org": internal.code})
    before = Question.objects.count()
    for body in bodies:
        r = client.post("/api/v1/questions", body, content_type="application/json")
        assert 400 <= r.status_code < 500, body
    assert Question.objects.count() == before


# === questions: workbench =======================================================================


def test_questions_of_another_organisation_are_out_of_reach(org, client, make_staff):
    q = ask(org(EDU)).question
    for role in (Role.OFFICE_HEAD, Role.REVIEWER, Role.REQUEST_HANDLER, Role.PUBLISHER):
        client.force_login(make_staff(CIVIL, role))
        assert client.get(f"/workbench/questions/{q.number}/").status_code == 404
        assert client.get(f"/workbench/questions/{q.number}/publish/").status_code == 404
        for action in ("accept", "reject", "transfer", "draft_answer"):
            r = client.post(
                f"/workbench/questions/{q.number}/action/",
                {"action": action, "reason": "x", "answer": "y", "to_org": org(CIVIL).code},
            )
            assert r.status_code == 404
        assert "王小明" not in client.get("/workbench/questions/").content.decode()
    q.refresh_from_db()
    assert q.status == QuestionStatus.SUBMITTED and q.org == org(EDU)


def test_a_role_without_the_question_permission_sees_no_contact(org, client, make_staff):
    q = ask(org(EDU)).question
    client.force_login(make_staff(EDU, Role.LEGAL_REVIEWER))
    response = client.get(f"/workbench/questions/{q.number}/")
    assert response.status_code in (403, 404)
    assert "13912345678" not in response.content.decode()


def test_transfer_targets_must_be_valid(org, client, edu_head):
    from gongkai.orgs.models import Org

    q = ask(org(EDU)).question
    client.force_login(edu_head)
    internal = Org.objects.filter(kind=Org.Kind.INTERNAL_UNIT).first()
    inactive = Org.objects.filter(is_active=False).first()
    targets = ["", "nope", org(EDU).code, "x" * 500]
    targets += [o.code for o in (internal, inactive) if o is not None]
    for code in targets:
        client.post(
            f"/workbench/questions/{q.number}/action/",
            {"action": "transfer", "to_org": code, "reason": "不属本机关职责"},
        )
        q.refresh_from_db()
        assert q.org == org(EDU), code


def test_question_steps_posted_out_of_order_or_by_the_wrong_role_are_refused(
    org, client, make_staff, edu_head
):
    handler = make_staff(EDU, Role.REQUEST_HANDLER)
    reviewer = make_staff(EDU, Role.REVIEWER)
    q = ask(org(EDU)).question
    client.force_login(handler)
    url = f"/workbench/questions/{q.number}/action/"
    client.post(url, {"action": "draft_answer", "answer": "越过受理直接答复"})
    client.post(url, {"action": "approve_answer", "answer": "越权审核"})
    q.refresh_from_db()
    assert q.status == QuestionStatus.SUBMITTED and q.answer == ""
    client.post(url, {"action": "accept"})
    client.post(url, {"action": "draft_answer", "answer": "拟答复"})
    client.post(url, {"action": "approve_answer", "answer": "经办人自己审核"})
    q.refresh_from_db()
    assert q.status == QuestionStatus.ANSWER_DRAFTED and q.answer == "拟答复"
    # Reopening is the citizen's alone; publishing before an answer is refused.
    client.post(url, {"action": "reopen"})
    client.force_login(reviewer)
    client.post(
        f"/workbench/questions/{q.number}/publish/",
        {"public_subject": "a", "public_text": "b", "public_answer": "c"},
    )
    q.refresh_from_db()
    assert q.status == QuestionStatus.ANSWER_DRAFTED and q.published_at is None


def test_publishing_links_only_a_published_policy(org, client, edu_head, make_staff):
    from gongkai.documents import services as doc_services

    q, _ = answered(org(EDU), edu_head)
    draft = doc_services.document_create(
        actor=make_staff(EDU, Role.PUBLISHER),
        org=org(EDU),
        data={"title": "未发布的草稿", "date_signed": TODAY, "attribute": "proactive"},
    )
    client.force_login(edu_head)
    client.post(
        f"/workbench/questions/{q.number}/publish/",
        {"public_subject": "a主题", "public_text": "b内容", "public_answer": "c答复",
         "policy": draft.index_number or "no-index"},
    )  # fmt: skip
    q.refresh_from_db()
    assert q.policy_id is None


def test_api_tokens_of_another_organisation_are_out_of_reach(org, client, edu_head, civil_head):
    token, _clear = q_services.token_create(actor=edu_head, org=org(EDU), name="教育局热线")
    client.force_login(civil_head)
    assert token.prefix not in client.get("/workbench/questions/tokens/").content.decode()
    assert client.post(f"/workbench/questions/tokens/{token.pk}/revoke/").status_code == 404
    assert client.post(f"/workbench/questions/tokens/{10**20}/revoke/").status_code == 404
    client.post("/workbench/questions/tokens/", {"org": org(EDU).code, "name": "冒名令牌"})
    assert not ApiToken.objects.filter(name="冒名令牌").exists()
    token.refresh_from_db()
    assert token.revoked_at is None


# === the hotline import =========================================================================


def _import(client, clear, items):
    return client.post(
        "/api/v1/questions/import",
        {"items": items},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {clear}",
    )


ITEM = {
    "external_id": "H-001",
    "subject": "校车线路咨询",
    "text": "来电人询问校车线路。",
    "answer": "校车线路已在学校公众号公布。",
}


def test_a_token_imports_only_into_its_own_organisation(org, client, edu_head, civil_head):
    _edu_token, edu_clear = q_services.token_create(actor=edu_head, org=org(EDU), name="教育")
    _civ_token, civ_clear = q_services.token_create(actor=civil_head, org=org(CIVIL), name="民政")
    assert _import(client, edu_clear, [ITEM]).status_code == 200
    # The same external id from the other organisation's token is a new question of its own;
    # the body cannot name another organisation.
    r = _import(client, civ_clear, [ITEM | {"org": org(EDU).code, "org_id": org(EDU).pk}])
    assert r.status_code == 200 and len(r.json()["created"]) == 1
    assert Question.objects.filter(external_id="H-001", org=org(EDU)).count() == 1
    assert Question.objects.filter(external_id="H-001", org=org(CIVIL)).count() == 1


def test_revoked_and_deactivated_tokens_are_refused(org, client, edu_head):
    token, clear = q_services.token_create(actor=edu_head, org=org(EDU), name="热线")
    q_services.token_revoke(actor=edu_head, token=token)
    assert _import(client, clear, [ITEM]).status_code == 401
    _token2, clear2 = q_services.token_create(actor=edu_head, org=org(EDU), name="热线2")
    edu = org(EDU)
    edu.is_active = False
    edu.save(update_fields=["is_active"])
    assert _import(client, clear2, [ITEM]).status_code == 401
    for header in ("Bearer", "Bearer " + "x" * 5000, "Basic abc", f"bearer  {clear2[:-1]}"):
        r = client.post(
            "/api/v1/questions/import",
            {"items": [ITEM]},
            content_type="application/json",
            HTTP_AUTHORIZATION=header,
        )
        assert r.status_code == 401
    assert not Question.objects.filter(external_id="H-001").exists()


def test_a_failing_item_leaves_no_half_import(org, client, edu_head):
    _t, clear = q_services.token_create(actor=edu_head, org=org(EDU), name="热线")
    good = ITEM | {"external_id": "OK-1"}
    bad = ITEM | {"external_id": "BAD-1", "answer": "   "}
    r = _import(client, clear, [good, bad])
    assert 400 <= r.status_code < 500
    assert not Question.objects.filter(external_id__in=["OK-1", "BAD-1"]).exists()
    r = _import(client, clear, [ITEM] * (q_services.MAX_IMPORT_ITEMS + 1))
    assert r.status_code in (400, 422)


@pytest.mark.parametrize(
    "asked_at",
    [
        pytest.param("2026-03-01T09:00:00", id="naive"),
        pytest.param("0001-01-01T00:00:00+08:00", id="year-1"),
        pytest.param("9999-12-31T23:59:59+00:00", id="year-9999"),
        pytest.param("1900-01-01T00:00:00Z", id="year-1900"),
        pytest.param("2026-03-01T09:00:00+08:00", id="aware"),
    ],
)
def test_import_with_odd_asked_at_is_a_client_error_or_imports(org, client, edu_head, asked_at):
    _t, clear = q_services.token_create(actor=edu_head, org=org(EDU), name="热线")
    r = _import(client, clear, [ITEM | {"asked_at": asked_at}])
    assert r.status_code in (200, 400, 422), r.content[:300]


def test_import_refuses_future_or_inverted_times(org, client, edu_head):
    _t, clear = q_services.token_create(actor=edu_head, org=org(EDU), name="热线")
    future = (timezone.now() + dt.timedelta(days=30)).isoformat()
    past = (timezone.now() - dt.timedelta(days=30)).isoformat()
    r1 = _import(client, clear, [ITEM | {"external_id": "F-1", "asked_at": future}])
    r2 = _import(
        client, clear, [ITEM | {"external_id": "F-2", "asked_at": past, "answered_at": future}]
    )
    r3 = _import(
        client,
        clear,
        [ITEM | {"external_id": "F-3", "asked_at": past,
                 "answered_at": (timezone.now() - dt.timedelta(days=60)).isoformat()}],
    )  # fmt: skip
    assert {r1.status_code, r2.status_code, r3.status_code} <= {400, 422}


def test_imported_texts_are_masked_and_escaped(org, client, edu_head):
    _t, clear = q_services.token_create(actor=edu_head, org=org(EDU), name="热线")
    item = ITEM | {
        "subject": "<script>alert(1)</script>咨询",
        "text": "来电人身份证11010519491231002X，电话13912345678。",
    }
    r = _import(client, clear, [item])
    number = r.json()["created"][0]
    page = client.get(f"/interaction/{number}/").content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "11010519491231002X" not in page and "13912345678" not in page


# === the public-concern ledger ===================================================================


def test_concerns_are_staff_only_and_scoped(org, client, edu_pub, civil_pub, make_staff):
    c = concern(org, edu_pub, title="教育局的舆情事项")
    p = concern_services.promise_add(
        actor=edu_pub, concern=c, text="一周内公布调查结果", due_on=TODAY + dt.timedelta(days=7)
    )
    # Anonymous: to the login page, never the ledger.
    for path in ("/workbench/concerns/", f"/workbench/concerns/{c.pk}/",
                 "/workbench/concerns/ledger.xlsx"):  # fmt: skip
        r = client.get(path)
        assert r.status_code in (302, 403, 404) and "教育局的舆情事项" not in r.content.decode()
    client.force_login(civil_pub)
    assert client.get(f"/workbench/concerns/{c.pk}/").status_code == 404
    assert client.get(f"/workbench/concerns/{c.pk}/edit/").status_code == 404
    assert "教育局的舆情事项" not in client.get("/workbench/concerns/").content.decode()
    assert client.get(f"/workbench/concerns/?org={org(EDU).code}").status_code in (403, 404)
    r = client.get(f"/workbench/concerns/ledger.xlsx?org={org(EDU).code}")
    assert r.status_code in (403, 404)
    assert client.get(f"/workbench/concerns/{10**20}/").status_code == 404
    for data in (
        {"action": "close", "evaluation": "x"},
        {"action": "promise_fulfil", "promise": str(p.pk), "fulfilled_on": TODAY.isoformat(),
         "evidence": "x"},
    ):  # fmt: skip
        assert client.post(f"/workbench/concerns/{c.pk}/action/", data).status_code == 404
    # Registering one for another organisation is refused by the form.
    before = Concern.objects.count()
    client.post(
        "/workbench/concerns/new/",
        {"org": org(EDU).code, "title": "冒名登记", "source": "online", "severity": "ordinary",
         "noticed_at": "2026-01-01T10:00"},
    )  # fmt: skip
    assert Concern.objects.count() == before
    # A role without the ledger permission in the same organisation.
    client.force_login(make_staff(EDU, Role.REQUEST_HANDLER))
    assert client.get(f"/workbench/concerns/{c.pk}/").status_code in (403, 404)
    p.refresh_from_db()
    c.refresh_from_db()
    assert p.fulfilled_on is None and c.status == ConcernStatus.OPEN


def test_a_promise_of_another_concern_cannot_be_fulfilled_through_mine(
    org, client, edu_pub, civil_pub
):
    theirs = concern(org, edu_pub, title="教育局的舆情")
    p = concern_services.promise_add(
        actor=edu_pub, concern=theirs, text="承诺", due_on=TODAY + dt.timedelta(days=7)
    )
    mine = concern(org, civil_pub, org_name=CIVIL, title="民政局的舆情")
    client.force_login(civil_pub)
    r = client.post(
        f"/workbench/concerns/{mine.pk}/action/",
        {"action": "promise_fulfil", "promise": str(p.pk), "fulfilled_on": TODAY.isoformat(),
         "evidence": "偷梁换柱"},
    )  # fmt: skip
    assert r.status_code == 404
    p.refresh_from_db()
    assert p.fulfilled_on is None


@pytest.mark.parametrize(
    "data",
    [
        {"action": "response", "kind": "first_release", "at": "9999-12-31T23:59",
         "channel": "官网"},
        {"action": "response", "kind": "first_release", "at": "0001-01-01T00:00",
         "channel": "官网"},
        {"action": "response", "kind": "x", "at": "2026-99-99", "channel": "官网"},
        {"action": "response", "kind": "first_release", "at": "now", "channel": "官网",
         "url": "javascript:alert(1)"},
        {"action": "promise_add", "text": "x" * 600, "due_on": "2026-02-30"},
        {"action": "promise_fulfil", "promise": "99999999999999999999",
         "fulfilled_on": "2026-01-01", "evidence": "x"},
        {"action": "missed_reason", "limit": "bogus", "reason": "x"},
        {"action": "nope"},
    ],
)  # fmt: skip
def test_concern_junk_input_is_a_client_error(org, client, edu_pub, data):
    c = concern(org, edu_pub)
    client.force_login(edu_pub)
    r = client.post(f"/workbench/concerns/{c.pk}/action/", data)
    assert 300 <= r.status_code < 500
    assert not c.responses.exists()


def test_a_response_url_must_be_http(org, edu_pub):
    c = concern(org, edu_pub)
    for url in ("javascript:alert(1)", "data:text/html,<b>x</b>", "//evil.example/x"):
        with pytest.raises(ApplicationError):
            concern_services.response_record(
                actor=edu_pub,
                concern=c,
                kind="first_release",
                at=timezone.now(),
                channel="官网",
                spokesperson="",
                url=url,
            )


def test_concern_form_junk_is_a_client_error(org, client, edu_pub):
    client.force_login(edu_pub)
    before = Concern.objects.count()
    for data in (
        {"org": org(EDU).code, "title": "x", "source": "online", "severity": "ordinary",
         "noticed_at": "0001-01-01T00:00"},
        {"org": org(EDU).code, "title": "x", "source": "online", "severity": "ordinary",
         "noticed_at": "9999-12-31T23:59"},
        {"org": org(EDU).code, "title": "x", "source": "online", "severity": "ordinary",
         "noticed_at": "2026-01-01T10:00", "related_orgs": ["abc", "99999999999999999999"]},
        {"org": org(EDU).code, "title": "x", "source": "online", "severity": "ordinary",
         "noticed_at": "2026-01-01T10:00", "other_tags": "、".join(["长" * 30] * 3)},
    ):  # fmt: skip
        r = client.post("/workbench/concerns/new/", data)
        assert r.status_code == 400, data
    assert Concern.objects.count() == before


def test_a_closed_concern_cannot_be_edited_without_reopening(org, edu_pub):
    noticed = timezone.now() - dt.timedelta(hours=30)
    c = concern(org, edu_pub, severity="major", noticed_at=noticed)
    for limit in ("info", "press"):
        concern_services.missed_reason_record(
            actor=edu_pub, concern=c, limit=limit, reason="当时信息尚未核实"
        )
    c = concern_services.concern_close(actor=edu_pub, concern=c, evaluation="已平息")
    with pytest.raises(ApplicationError):
        concern_services.missed_reason_record(
            actor=edu_pub, concern=c, limit="info", reason="事后改写的原因"
        )
    c.refresh_from_db()
    assert c.info_missed_reason == "当时信息尚未核实"


def test_a_closed_concern_refuses_responses_and_promises(org, edu_pub):
    c = concern(org, edu_pub)
    c = concern_services.concern_close(actor=edu_pub, concern=c, evaluation="已平息")
    with pytest.raises(ApplicationError):
        concern_services.response_record(
            actor=edu_pub, concern=c, kind="follow_up", at=timezone.now(), channel="官网",
            spokesperson="",
        )  # fmt: skip
    with pytest.raises(ApplicationError):
        concern_services.promise_add(actor=edu_pub, concern=c, text="x", due_on=TODAY)
    assert not Promise.objects.filter(concern=c).exists()


# === periodic commands with odd dates ============================================================


@pytest.mark.parametrize("date", ["0001-01-01", "9999-12-31", "2026-02-30", "x"])
def test_question_reminders_with_odd_dates_exit_cleanly(org, run_cli, date):
    ask(org(EDU))
    try:
        code, _out, err = run_cli("question-reminders", "--date", date)
    except Exception as exc:  # a traceback instead of a message
        pytest.fail(f"question-reminders --date {date} raised {exc!r}")
    assert code in (0, 2), err


@pytest.mark.parametrize(
    "moment",
    [
        pytest.param("0001-01-01T00:00", id="year-1"),
        pytest.param("9999-12-31T23:59", id="year-9999"),
        pytest.param("2026-03-02T25:00", id="hour-25"),
        pytest.param("nonsense", id="nonsense"),
    ],
)
def test_concern_alerts_with_odd_times_exit_cleanly(org, edu_pub, run_cli, moment):
    concern(org, edu_pub, severity="major")
    try:
        code, _out, err = run_cli("concern-alerts", "--now", moment)
    except Exception as exc:
        pytest.fail(f"concern-alerts --now {moment} raised {exc!r}")
    assert code in (0, 2), err


# === the per-number tracking limit ===============================================================


@override_settings(GONGKAI_FOI_TRACK_ATTEMPTS_PER_HOUR=3)
def test_padding_the_number_does_not_reset_the_per_number_limit(org, client):
    receipt = ask(org(EDU))
    number = receipt.question.number
    for i in range(3):
        client.post(
            "/interaction/track/",
            {"number": number, "password": f"guess{i}"},
            REMOTE_ADDR=f"198.51.100.{i + 1}",
        )
    padded = " " * (64 - len(number) + 3) + number
    other = type(client)()
    r = other.post(
        "/interaction/track/",
        {"number": padded, "password": receipt.password},
        REMOTE_ADDR="198.51.100.200",
    )
    assert r.status_code == 429

"""The workbench home shows each user what they may use, with counts; the publication workflow
says where a document stands, why it was returned and what comes next; reviewers open the
attachments of the drafts they review."""

import datetime as dt

import pytest
from django.contrib.messages import get_messages

from gongkai.documents import services
from gongkai.documents.workflow import Status
from gongkai.orgs.models import Membership
from gongkai.workbench import nav

pytestmark = pytest.mark.django_db
Role = Membership.Role
EDU, CIVIL = "示范市教育局", "示范市民政局"


def _draft(actor, org, title="关于做好2026年招生工作的通知"):
    return services.document_create(
        actor=actor,
        org=org(EDU),
        data={"title": title, "date_signed": dt.date(2026, 3, 2), "attribute": "proactive"},
    )


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.mark.parametrize(
    ("role", "shown", "hidden"),
    [
        (Role.REVIEWER, {"documents", "ledger", "plans"}, {"requests", "normative", "gazette"}),
        (Role.REQUEST_HANDLER, {"requests", "questions"}, {"normative", "report", "concerns"}),
        (Role.LEGAL_REVIEWER, {"requests", "normative"}, {"gazette", "statistics", "audit"}),
        (Role.PUBLISHER, {"documents", "gazette", "consultations"}, {"requests", "audit"}),
    ],
)
def test_the_home_page_offers_only_what_the_role_may_use(client, make_staff, role, shown, hidden):
    user = make_staff(EDU, role)
    keys = {s.key for s in nav.sections_for(user)}
    assert shown <= keys and not hidden & keys
    client.force_login(user)
    page = client.get("/workbench/").content.decode()
    for section in nav.SECTIONS:
        if section.key in hidden:
            assert f'data-testid="card-{section.key}"' not in page


def test_the_home_page_counts_pending_work(client, make_staff, org):
    pub = make_staff(EDU, Role.PUBLISHER)
    rev = make_staff(EDU, Role.REVIEWER)
    for n in range(3):
        doc = _draft(pub, org, title=f"关于第{n}批事项的通知")
        services.document_transition(actor=pub, document=doc, action="submit")
    client.force_login(rev)
    page = client.get("/workbench/").content.decode()
    card = page.split('data-testid="card-documents"')[1].split("</section>")[0]
    assert "待我审查" in card and '<strong data-testid="count">3</strong>' in card


def test_the_home_page_query_count_does_not_grow(
    client, make_staff, org, django_assert_max_num_queries
):
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.get(username="demo-admin")
    client.force_login(admin)
    pub = make_staff(EDU, Role.PUBLISHER)
    with django_assert_max_num_queries(45) as few:
        client.get("/workbench/")
    for n in range(10):
        doc = _draft(pub, org, title=f"关于第{n}批事项的通知")
        services.document_transition(actor=pub, document=doc, action="submit")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/workbench/")


def test_a_returned_draft_shows_the_reason_and_the_lists_follow_it(client, make_staff, org):
    pub = make_staff(EDU, Role.PUBLISHER)
    rev = make_staff(EDU, Role.REVIEWER)
    doc = _draft(pub, org)
    client.force_login(pub)
    response = client.post(f"/workbench/documents/{doc.pk}/transition/", {"action": "submit"})
    assert "已提交保密审查" in _messages(response)[-1] and "下一步" in _messages(response)[-1]
    listing = client.get("/workbench/documents/").content.decode()
    submitted = listing.split('data-testid="submitted"')[1].split("</section>")[0]
    assert doc.title in submitted  # not vanished: 已提交

    client.force_login(rev)
    response = client.post(
        f"/workbench/documents/{doc.pk}/transition/",
        {"action": "return", "reason": "请补充政策依据"},
    )
    assert "已退回起草人修改" in _messages(response)[-1]

    client.force_login(pub)
    page = client.get(f"/workbench/documents/{doc.pk}/").content.decode()
    assert "已退回修改" in page and "请补充政策依据" in page
    assert "提交审查" in page  # the history names the steps in words
    listing = client.get("/workbench/documents/").content.decode()
    drafts = listing.split('data-testid="drafts"')[1].split("</section>")[0]
    assert "已退回修改" in drafts and "请补充政策依据" in drafts


def test_publishing_names_the_index_number(client, make_staff, org):
    pub = make_staff(EDU, Role.PUBLISHER)
    rev = make_staff(EDU, Role.REVIEWER)
    doc = _draft(pub, org)
    services.document_transition(actor=pub, document=doc, action="submit")
    client.force_login(rev)
    response = client.post(f"/workbench/documents/{doc.pk}/transition/", {"action": "approve"})
    assert "发布人员" in _messages(response)[-1]
    client.force_login(pub)
    response = client.post(f"/workbench/documents/{doc.pk}/transition/", {"action": "publish"})
    doc.refresh_from_db()
    assert doc.status == Status.PUBLISHED and doc.index_number in _messages(response)[-1]


def test_the_reviewer_opens_the_attachments_of_a_submitted_draft(client, make_staff, org):
    pub = make_staff(EDU, Role.PUBLISHER)
    rev = make_staff(EDU, Role.REVIEWER)
    outsider = make_staff(CIVIL, Role.REVIEWER)
    doc = _draft(pub, org)
    attachment = services.attachment_add(
        actor=pub, document=doc, name="名单.txt", data="张三 李四".encode()
    )
    services.document_transition(actor=pub, document=doc, action="submit")
    url = f"/workbench/documents/{doc.pk}/attachments/{attachment.pk}/"
    client.force_login(rev)
    page = client.get(f"/workbench/documents/{doc.pk}/").content.decode()
    assert url in page
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).decode() == "张三 李四"
    assert "attachment" in response["Content-Disposition"]
    # A text file never opens inline on our origin.
    assert "attachment" in client.get(url + "?inline=1")["Content-Disposition"]
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    assert client.get(f"/workbench/documents/{doc.pk}/attachments/999999/").status_code == 404


def test_revisions_read_as_words():
    from gongkai.documents.selectors import describe_changes

    text = describe_changes(
        {
            "title": ["a", "b"],
            "document_number": ["", "x"],
            "attachment_added": ["附件.pdf", "abc"],
            "masked": {"body": []},
        }
    )
    assert text == "修改了标题、发文字号；添加附件“附件.pdf”；遮盖个人信息（正文）"
    assert "_" not in describe_changes({"unknown_field": [1, 2]})


def test_audit_events_read_as_sentences(make_staff, org):
    from django.db import transaction

    from gongkai.core import audit
    from gongkai.core.models import AuditEvent
    from gongkai.core.workflow import APPLICANT
    from gongkai.orgs.permissions import CommandLine

    pub = make_staff(EDU, Role.PUBLISHER)
    doc = _draft(pub, org, title="关于某事的通知")
    with transaction.atomic():
        audit.record(actor=CommandLine("demo"), verb="document.update", target=doc)
        audit.record(actor=APPLICANT, verb="no.such_verb", target=("foi.request", "999999"))
    events = audit.describe(AuditEvent.objects.order_by("-seq")[:3])
    sentences = [e.sentence for e in events]
    assert sentences[0].startswith("申请人 其他操作") and "#999999" in sentences[0]
    assert sentences[1] == "命令行（demo） 修改文件：《关于某事的通知》"
    assert sentences[2].startswith(pub.get_username() + " 新建文件：《关于某事的通知》")

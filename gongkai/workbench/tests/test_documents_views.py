import datetime as dt

import pytest

from gongkai.core.tests.test_pii import valid_id
from gongkai.documents import services
from gongkai.documents.models import Document
from gongkai.documents.workflow import Status
from gongkai.orgs.models import Membership

Role = Membership.Role
EDU, CIVIL = "示范市教育局", "示范市民政局"


def form_data(**extra):
    return {
        "title": "关于公布2026年第一批学校名单的通知",
        "document_number": "示教[2026]12号",
        "date_signed": dt.date.today().isoformat(),
        "doc_type": "notice",
        "attribute": "proactive",
        "validity": "valid",
        "body": "<p>正文</p>",
    } | extra


@pytest.mark.django_db
def test_publish_through_the_workbench(client, make_staff, org):
    """Publisher drafts (with an ID number), is stopped, masks, submits; reviewer approves; published."""
    pub = make_staff(EDU, Role.PUBLISHER)
    rev = make_staff(EDU, Role.REVIEWER)
    client.force_login(pub)
    edu = org(EDU)
    response = client.post(
        f"/workbench/documents/new/?org={edu.code}",
        form_data(body=f"<p>联系人身份证{valid_id()}</p>"),
    )
    assert response.status_code == 302
    doc = Document.objects.get(title="关于公布2026年第一批学校名单的通知")
    assert doc.document_number == "示教〔2026〕12号"
    client.post(f"/workbench/documents/{doc.pk}/transition/", {"action": "submit"})
    client.force_login(rev)
    client.post(f"/workbench/documents/{doc.pk}/transition/", {"action": "approve"})
    assert Document.objects.get(pk=doc.pk).status == Status.SUBMITTED  # blocked by the scanner
    page = client.get(f"/workbench/documents/{doc.pk}/").content.decode()
    # The reviewer sees what was found (masked in the findings list; the draft itself is theirs to read).
    assert "身份证号码：4101**********" in page
    client.post(
        f"/workbench/documents/{doc.pk}/transition/", {"action": "return", "reason": "遮盖"}
    )
    client.force_login(pub)
    client.post(f"/workbench/documents/{doc.pk}/mask/")
    client.post(f"/workbench/documents/{doc.pk}/transition/", {"action": "submit"})
    client.force_login(rev)
    client.post(f"/workbench/documents/{doc.pk}/transition/", {"action": "approve"})
    client.force_login(pub)
    client.post(f"/workbench/documents/{doc.pk}/transition/", {"action": "publish"})
    doc.refresh_from_db()
    assert doc.status == Status.PUBLISHED and doc.index_number

    client.logout()
    public = client.get(f"/documents/{doc.index_number}/")
    html = public.content.decode()
    assert public.status_code == 200
    for label in [
        "索引号",
        "主题分类",
        "发文机关",
        "成文日期",
        "标题",
        "发文字号",
        "发布日期",
        "有效性",
    ]:
        assert label in html
    assert doc.index_number in html and "示教〔2026〕12号" in html
    assert valid_id() not in html


@pytest.mark.django_db
def test_other_department_sees_nothing(client, make_staff, org):
    pub = make_staff(EDU, Role.PUBLISHER)
    doc = services.document_create(
        actor=pub,
        org=org(EDU),
        data={"title": "内部草稿", "date_signed": dt.date.today(), "attribute": "proactive"},
    )
    other = make_staff(CIVIL, Role.PUBLISHER)
    client.force_login(other)
    assert client.get(f"/workbench/documents/{doc.pk}/").status_code == 404
    assert client.post(f"/workbench/documents/{doc.pk}/edit/", form_data()).status_code == 404
    assert (
        client.post(f"/workbench/documents/{doc.pk}/transition/", {"action": "submit"}).status_code
        == 404
    )
    assert client.get(f"/workbench/documents/new/?org={org(EDU).code}").status_code == 404
    assert Document.objects.get(pk=doc.pk).status == Status.DRAFT
    # Drafts are never public.
    client.logout()
    assert client.get("/documents/nothing/2026-00001/").status_code == 404


@pytest.mark.django_db
def test_bad_form_is_a_400_and_nothing_saved(client, make_staff, org):
    client.force_login(make_staff(EDU, Role.PUBLISHER))
    before = Document.objects.count()
    response = client.post(
        f"/workbench/documents/new/?org={org(EDU).code}",
        form_data(document_number="第43号", attribute="withheld"),
    )
    assert response.status_code == 400
    assert "发文字号" in response.content.decode()
    assert Document.objects.count() == before


@pytest.mark.django_db
def test_document_lists_are_constant_in_queries(
    client, make_staff, org, django_assert_max_num_queries
):
    pub = make_staff(EDU, Role.PUBLISHER)
    for i in range(15):
        services.document_create(
            actor=pub,
            org=org(EDU),
            data={"title": f"草稿{i}", "date_signed": dt.date.today(), "attribute": "proactive"},
        )
    client.force_login(pub)
    with django_assert_max_num_queries(14):
        response = client.get("/workbench/documents/")
    assert response.status_code == 200
    assert len(response.context["drafts"]) == 15
    assert len(response.context["due_soon"]) == 0  # due in 20 working days, not 5


@pytest.mark.django_db
def test_withdrawn_page_says_so(client, make_staff, org):
    pub, rev = make_staff(EDU, Role.PUBLISHER), make_staff(EDU, Role.REVIEWER)
    doc = services.document_create(
        actor=pub,
        org=org(EDU),
        data={
            "title": "将撤回的通知",
            "date_signed": dt.date.today(),
            "attribute": "proactive",
            "body": "<p>原文</p>",
        },
    )
    for actor, action in ((pub, "submit"), (rev, "approve"), (pub, "publish")):
        doc = services.document_transition(actor=actor, document=doc, action=action)
    services.document_transition(actor=pub, document=doc, action="withdraw", reason="已失效")
    html = client.get(f"/documents/{doc.index_number}/").content.decode()
    assert "撤回" in html and "原文" not in html

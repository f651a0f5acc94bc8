"""Workbench pages of the normative register, clean-ups, the interpretation ledger and the
gazette: scoped to the user's organisations, every change through the forms and the services,
list pages constant in queries."""

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader, PdfWriter

from gongkai.documents import services as doc_services
from gongkai.documents.models import Document, GazetteIssue, Interpretation
from gongkai.normative import services
from gongkai.normative.models import Campaign
from gongkai.orgs.models import Membership

Role = Membership.Role
EDU = "示范市教育局"
OTHER = "示范市公安局"
pytestmark = pytest.mark.django_db


def days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


@pytest.fixture
def head(make_staff):
    """The office head: keeps the register, decides clean-ups, sees ledgers, edits the gazette."""
    return make_staff(EDU, Role.OFFICE_HEAD)


@pytest.fixture
def rule(publish, head):
    def make(title, effective=None, expiry=None):
        doc = publish(EDU, title, body=f"<p>{title}的正文。</p>")
        return services.normative_register(
            actor=head, document=doc, effective_date=effective or days(-200), expiry_date=expiry
        )

    return make


def count_queries(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(ctx)


# Scope --------------------------------------------------------------------------------------


def test_pages_render_for_the_office_and_not_for_another(client, rule, head, make_staff, org):
    entry = rule("示范市中小学校管理办法", expiry=days(30))
    campaign = services.campaign_create(
        actor=head, org=org(EDU), title="2026年规范性文件清理", review_by=days(60)
    )
    issue = doc_services.gazette_issue_create(
        actor=head, org=org(EDU), year=2026, number=1, issue_date=days(0)
    )
    code = org(EDU).code
    pages = [
        "/workbench/normative/",
        f"/workbench/normative/campaigns/{campaign.pk}/",
        f"/workbench/interpretations/?org={code}",
        f"/workbench/interpretations.xlsx?org={code}",
        "/workbench/gazette/",
        f"/workbench/gazette/{issue.pk}/",
    ]
    client.force_login(head)
    for url in pages:
        assert client.get(url).status_code == 200, url
    home = client.get("/workbench/").content.decode()
    for url in ("/workbench/normative/", "/workbench/interpretations/", "/workbench/gazette/"):
        assert f'href="{url}"' in home
    register = client.get("/workbench/normative/").content.decode()
    assert entry.document.title in register and campaign.title in register

    # The same role in another department: its own (empty) lists, nothing of the other office.
    client.force_login(make_staff(OTHER, Role.OFFICE_HEAD))
    own = client.get("/workbench/normative/")
    assert own.status_code == 200
    assert entry.document.title not in own.content.decode()
    assert campaign.title not in own.content.decode()
    assert str(issue) not in client.get("/workbench/gazette/").content.decode()
    for url in pages[1:4] + pages[5:]:
        assert client.get(url).status_code == 404, url
    for url in (
        f"/workbench/normative/campaigns/{campaign.pk}/publish/",
        f"/workbench/normative/campaigns/{campaign.pk}/decide/",
        f"/workbench/gazette/{issue.pk}/publish/",
        f"/workbench/gazette/{issue.pk}/entries/",
    ):
        assert client.post(url).status_code == 404, url
    # Nor can a form reach the other office's documents by their index number.
    response = client.post(
        "/workbench/normative/relations/",
        {"source": entry.document.index_number, "target": entry.document.index_number},
    )
    assert response.status_code == 303

    # A role without any of these duties: refused.
    client.force_login(make_staff(EDU, Role.REQUEST_HANDLER))
    for url in ("/workbench/normative/", "/workbench/interpretations/", "/workbench/gazette/"):
        assert client.get(url).status_code == 403, url


def test_pages_require_login(client):
    for url in ("/workbench/normative/", "/workbench/interpretations/", "/workbench/gazette/"):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]


# Register and 立改废 --------------------------------------------------------------------------


def test_register_and_repeal_through_the_forms(client, publish, head):
    old = publish(EDU, "示范市校外培训机构管理办法")
    new = publish(EDU, "示范市校外培训机构管理规定")
    client.force_login(head)
    for doc, effective in ((old, days(-400)), (new, days(-10))):
        response = client.post(
            "/workbench/normative/register/",
            {"index_number": doc.index_number, "effective_date": f"{effective:%Y-%m-%d}"},
        )
        assert response.status_code == 302, messages_of(client.get("/workbench/normative/"))
    assert old.normative.expiry_date == services.default_expiry(old.title, days(-400))

    response = client.post(
        "/workbench/normative/relations/",
        {
            "source": new.index_number,
            "target": old.index_number,
            "kind": "repeals",
            "effective_date": f"{days(-1):%Y-%m-%d}",
            "note": "新规定施行，原办法同时废止",
        },
        follow=True,
    )
    assert "已记录立改废关系。" in messages_of(response)
    old.refresh_from_db()
    new.refresh_from_db()
    assert old.validity == Document.Validity.REPEALED
    assert new.validity == Document.Validity.VALID
    html = response.content.decode()
    assert 'class="badge v-repealed"' in html and 'class="badge v-valid"' in html

    # Refusals come back as messages (a 303 to the page), with nothing changed.
    again = client.post(
        "/workbench/normative/register/",
        {"index_number": old.index_number, "effective_date": "2020-01-01"},
    )
    assert again.status_code == 303
    assert "该文件已登记为规范性文件。" in messages_of(client.get("/workbench/normative/"))
    bad = client.post(
        "/workbench/normative/register/",
        {"index_number": old.index_number, "effective_date": "2020-13-01"},
    )
    assert bad.status_code == 303
    assert any("2020-13-01" in m for m in messages_of(client.get("/workbench/normative/")))
    missing = client.post(
        "/workbench/normative/relations/",
        {"source": "不存在", "target": old.index_number, "kind": "amends"},
    )
    assert missing.status_code == 303


def test_expiring_soon_is_listed(client, rule, head):
    soon = rule("示范市学生资助管理暂行办法", expiry=days(20))
    later = rule("示范市教师培训管理办法", expiry=days(400))
    client.force_login(head)
    response = client.get("/workbench/normative/")
    expiring = response.context["expiring"]
    assert soon in expiring and later not in expiring
    assert "即将到期（90天内）" in response.content.decode()


# Clean-up campaigns -------------------------------------------------------------------------


def test_campaign_decided_and_published_through_the_forms(client, rule, make_staff, org):
    entry = rule("示范市幼儿园收费管理办法", expiry=days(30))
    kept = rule("示范市学校安全管理办法", expiry=days(40))
    legal = make_staff(EDU, Role.LEGAL_REVIEWER)
    client.force_login(legal)
    response = client.post(
        "/workbench/normative/campaigns/new/",
        {
            "org": org(EDU).code,
            "title": "2026年度规范性文件清理",
            "review_by": f"{days(60):%Y-%m-%d}",
        },
    )
    campaign = Campaign.objects.get(title="2026年度规范性文件清理")
    assert response["Location"] == f"/workbench/normative/campaigns/{campaign.pk}/"
    items = {i.normative_id: i for i in campaign.items.all()}
    assert set(items) == {entry.pk, kept.pk}
    url = f"/workbench/normative/campaigns/{campaign.pk}/"

    early = client.post(url + "publish/")
    assert early.status_code == 303
    assert "还有 2 份文件没有清理意见。" in messages_of(client.get(url))
    no_reason = client.post(
        url + "decide/", {"item": items[entry.pk].pk, "decision": "repeal", "reason": " "}
    )
    assert no_reason.status_code == 303

    decisions = {
        entry.pk: {"decision": "repeal", "reason": "上位法已修改，不再适用"},
        kept.pk: {
            "decision": "continue",
            "reason": "仍然适用",
            "extend_to": f"{days(1000):%Y-%m-%d}",
        },
    }
    for pk, data in decisions.items():
        response = client.post(url + "decide/", {"item": items[pk].pk, "page": "1", **data})
        assert response.status_code == 302
        assert response["Location"] == f"{url}?page=1#item-{items[pk].pk}"
    page = client.get(url).content.decode()
    assert "2 / 2" in page and 'data-testid="publish"' in page

    response = client.post(url + "publish/", follow=True)
    assert "清理结果已公布。" in messages_of(response)
    html = response.content.decode()
    assert f'href="/normative/campaigns/{campaign.pk}/"' in html
    assert 'data-testid="publish"' not in html
    entry.document.refresh_from_db()
    kept.refresh_from_db()
    assert entry.document.validity == Document.Validity.REPEALED
    assert kept.expiry_date == days(1000)
    public = client.get(f"/normative/campaigns/{campaign.pk}/").content.decode()
    assert entry.document.title in public and "上位法已修改，不再适用" in public

    # Closed: a late decision is refused.
    late = client.post(url + "decide/", {"item": items[kept.pk].pk, **decisions[entry.pk]})
    assert late.status_code == 303


def test_a_decision_cannot_reach_an_item_of_another_campaign(client, rule, head, org):
    a = rule("示范市甲办法", expiry=days(10))
    b = rule("示范市乙办法", expiry=days(100))
    first = services.campaign_create(actor=head, org=org(EDU), title="甲", review_by=days(20))
    second = services.campaign_create(actor=head, org=org(EDU), title="乙", review_by=days(200))
    other_item = second.items.get(normative=b)
    client.force_login(head)
    response = client.post(
        f"/workbench/normative/campaigns/{first.pk}/decide/",
        {"item": other_item.pk, "decision": "repeal", "reason": "试图越界"},
    )
    assert response.status_code == 303
    other_item.refresh_from_db()
    assert other_item.decision == ""
    assert first.items.get().normative == a


# Interpretations ----------------------------------------------------------------------------


def _late_interpretation(client, publish, org):
    policy = publish(EDU, "关于促进学前教育普惠发展的若干措施", document_number="示教〔2026〕5号")
    reading = publish(EDU, "《关于促进学前教育普惠发展的若干措施》政策解读")
    pub = publish.staff[EDU][0]
    client.force_login(pub)
    code = org(EDU).code
    response = client.post(
        "/workbench/interpretations/flag/",
        {"policy": policy.index_number, "needed": "1", "org": code},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/workbench/interpretations/?org={code}"
    response = client.post(
        "/workbench/interpretations/set/",
        {
            "document": reading.index_number,
            "form": "text",
            "responsible_org": "",
            "policies": f"{policy.index_number}\n",
            "org": code,
        },
    )
    assert response.status_code == 302, messages_of(client.get(response["Location"]))
    interpretation = Interpretation.objects.get(document=reading)
    assert list(interpretation.policies.all()) == [policy]
    assert interpretation.responsible_org == policy.org
    # The policy on Monday 2 March, its interpretation two weeks later: past 3 working days.
    on = timezone.make_aware(dt.datetime(2026, 3, 2, 10, 0))
    Document.objects.filter(pk=policy.pk).update(published_at=on)
    Document.objects.filter(pk=reading.pk).update(published_at=on + dt.timedelta(days=14))
    return policy, reading, code


def test_interpretation_ledger_shows_a_late_interpretation(client, publish, org):
    policy, reading, code = _late_interpretation(client, publish, org)
    for params in ({"org": code}, {"org": code, "problems": "1"}, {"org": code, "year": "2026"}):
        response = client.get("/workbench/interpretations/", params)
        html = response.content.decode()
        assert response.status_code == 200
        assert policy.title in html and reading.title in html, params
        assert 'data-state="late"' in html and "解读滞后" in html
        assert 'class="badge i-late warn"' in html
        assert f'href="{policy.get_absolute_url()}"' in html
        assert "2026-03-02" in html and "文字解读" in html
    assert (
        policy.title
        not in client.get(
            "/workbench/interpretations/", {"org": code, "year": "2025"}
        ).content.decode()
    )
    assert client.get("/workbench/interpretations/", {"org": code, "year": "x"}).status_code == 400


def test_interpretation_ledger_xlsx_has_the_same_rows(client, publish, org):
    policy, reading, code = _late_interpretation(client, publish, org)
    response = client.get("/workbench/interpretations.xlsx", {"org": code, "problems": "1"})
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('-problems.xlsx"')
    rows = list(load_workbook(io.BytesIO(response.content)).worksheets[0].values)
    assert rows[1] == (
        "序号", "政策文件", "文号", "发布日期", "解读期限", "解读", "解读形式", "解读发布日期", "状态",
    )  # fmt: skip
    (row,) = [r for r in rows[2:] if r[1] == policy.title]
    assert row[2] == "示教〔2026〕5号" and row[5] == reading.title and row[6] == "文字解读"
    assert row[3].date() == dt.date(2026, 3, 2) and row[7].date() == dt.date(2026, 3, 16)
    assert row[-1] == "解读滞后"
    assert len(rows) - 2 == len(client.get("/workbench/interpretations/", {"org": code, "problems": "1"}).context["page_obj"].paginator.object_list)  # fmt: skip


def test_interpretation_of_a_draft_by_its_workbench_id(client, publish, org):
    policy = publish(EDU, "示范市义务教育阶段招生入学办法")
    pub = publish.staff[EDU][0]
    draft = doc_services.document_create(
        actor=pub,
        org=org(EDU),
        data={"title": "招生入学办法图解", "date_signed": days(0), "attribute": "proactive"},
    )
    client.force_login(pub)
    response = client.post(
        "/workbench/interpretations/set/",
        {"document": str(draft.pk), "form": "graphic", "policies": policy.index_number},
    )
    assert response.status_code == 302
    assert Interpretation.objects.get(document=draft).form == "graphic"
    # Another department can neither see the draft by its id nor flag the policy.
    client.force_login(_other_publisher(publish))
    refused = client.post(
        "/workbench/interpretations/set/",
        {"document": str(draft.pk), "form": "text", "policies": policy.index_number},
    )
    assert refused.status_code == 303
    assert Interpretation.objects.get(document=draft).form == "graphic"
    flag = client.post("/workbench/interpretations/flag/", {"policy": policy.index_number})
    assert flag.status_code == 303


def _other_publisher(publish):
    publish(OTHER, "示范市公安局的通知")
    return publish.staff[OTHER][0]


# Gazette ------------------------------------------------------------------------------------


def test_gazette_issue_created_filled_and_published(client, publish, org, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    doc = publish(
        EDU, "示范市教育局关于公布2026年度教育收费标准的通知", body="<p>收费标准如下。</p>"
    )
    pub = publish.staff[EDU][0]
    client.force_login(pub)
    response = client.post(
        "/workbench/gazette/new/",
        {
            "org": org(EDU).code,
            "year": "2026",
            "number": "3",
            "issue_date": "2026-03-20",
            "total_number": "58",
        },
    )
    issue = GazetteIssue.objects.get(org=org(EDU), year=2026, number=3)
    url = f"/workbench/gazette/{issue.pk}/"
    assert response["Location"] == url
    assert client.post("/workbench/gazette/new/", {"org": org(EDU).code}).status_code == 303

    assert client.post(url + "publish/").status_code == 303  # nothing in it yet
    response = client.post(
        url + "entries/", {"index_number": doc.index_number, "section": "部门文件"}
    )
    assert response.status_code == 302
    assert client.post(url + "entries/", {"index_number": "不存在"}).status_code == 303
    not_pdf = io.BytesIO(b"just text")
    not_pdf.name = "issue.pdf"
    assert client.post(url + "pdf/", {"file": not_pdf}).status_code == 303
    assert "公报文件须为 PDF。" in messages_of(client.get(url))

    response = client.post(url + "publish/", follow=True)
    assert "本期公报已发布。" in messages_of(response)
    assert f'href="/gazette/{org(EDU).code}/2026/3/"' in response.content.decode()
    issue.refresh_from_db()
    assert issue.published_at is not None and issue.pdf_generated
    with issue.pdf.open("rb") as f:
        assert len(PdfReader(f).pages) >= 1
    public = client.get(f"/gazette/{org(EDU).code}/2026/3/").content.decode()
    assert doc.title in public and "部门文件" in public
    # Published: no more changes.
    assert client.post(url + "entries/", {"index_number": doc.index_number}).status_code == 303


def test_gazette_pdf_upload(client, publish, org, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    publish(EDU, "占位文件")
    pub = publish.staff[EDU][0]
    issue = doc_services.gazette_issue_create(
        actor=pub, org=org(EDU), year=2026, number=4, issue_date=days(0)
    )
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    data = io.BytesIO()
    writer.write(data)
    upload = io.BytesIO(data.getvalue())
    upload.name = "2026-4.pdf"
    client.force_login(pub)
    response = client.post(f"/workbench/gazette/{issue.pk}/pdf/", {"file": upload})
    assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.pdf and not issue.pdf_generated
    assert "已上传" in client.get(f"/workbench/gazette/{issue.pk}/").content.decode()


# Queries ------------------------------------------------------------------------------------


def test_normative_pages_are_constant_in_queries(client, rule, head, org):
    rule("示范市第1号办法", expiry=days(10))
    first = services.campaign_create(actor=head, org=org(EDU), title="第一次", review_by=days(20))
    client.force_login(head)
    count_queries(client, "/workbench/normative/")  # warm up
    few = count_queries(client, "/workbench/normative/")
    few_items = count_queries(client, f"/workbench/normative/campaigns/{first.pk}/")
    for i in range(2, 7):
        rule(f"示范市第{i}号办法", expiry=days(10 + i))
    second = services.campaign_create(actor=head, org=org(EDU), title="第二次", review_by=days(30))
    assert second.items.count() == 6
    item = second.items.first()
    services.campaign_decide(actor=head, item=item, decision="continue", reason="仍适用")
    assert count_queries(client, "/workbench/normative/") == few
    assert count_queries(client, f"/workbench/normative/campaigns/{second.pk}/") == few_items


def test_gazette_pages_are_constant_in_queries(client, publish, org):
    docs = [publish(EDU, f"第{i}份刊登的文件") for i in range(5)]
    pub = publish.staff[EDU][0]

    def issue(number):
        return doc_services.gazette_issue_create(
            actor=pub, org=org(EDU), year=2026, number=number, issue_date=days(0)
        )

    small = issue(1)
    doc_services.gazette_entry_add(actor=pub, issue=small, document=docs[0], section="甲")
    client.force_login(pub)
    count_queries(client, "/workbench/gazette/")  # warm up
    few = count_queries(client, "/workbench/gazette/")
    few_entries = count_queries(client, f"/workbench/gazette/{small.pk}/")
    large = issue(2)
    for n, doc in enumerate(docs):
        doc_services.gazette_entry_add(actor=pub, issue=large, document=doc, section=f"栏目{n % 2}")
    for number in range(3, 7):
        issue(number)
    assert count_queries(client, "/workbench/gazette/") == few
    assert count_queries(client, f"/workbench/gazette/{large.pk}/") == few_entries


def test_interpretation_ledger_is_constant_in_queries(client, publish, org):
    def pair(n):
        policy = publish(EDU, f"第{n}项政策")
        reading = publish(EDU, f"第{n}项政策的解读")
        doc_services.interpretation_set(
            actor=publish.staff[EDU][0],
            document=reading,
            form="qa",
            responsible_org=policy.org,
            policies=[policy],
        )
        return policy

    pair(0)
    pub = publish.staff[EDU][0]
    client.force_login(pub)
    params = {"org": org(EDU).code}
    count_queries(client, "/workbench/interpretations/", params)  # warm up
    few = count_queries(client, "/workbench/interpretations/", params)
    for n in range(1, 6):
        pair(n)
    assert count_queries(client, "/workbench/interpretations/", params) == few

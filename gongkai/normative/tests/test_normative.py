"""The normative register: entries, 立改废 and their dated effects, validity on a day, clean-ups,
the public database, the API and compilations (reopened as DOCX and PDF)."""

import datetime as dt
import io

import docx
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from gongkai.core.exceptions import ApplicationError, PermissionDeniedError
from gongkai.core.models import AuditEvent
from gongkai.documents.models import Document
from gongkai.normative import compilation, selectors, services
from gongkai.normative.models import ValidityChange
from gongkai.orgs.models import Membership

Role = Membership.Role
EDU = "示范市教育局"


@pytest.fixture
def legal(make_staff):
    return make_staff(EDU, Role.LEGAL_REVIEWER)


@pytest.fixture
def rule(publish, legal):
    """rule(title, effective=…, **fields) → a published, registered normative document."""

    def make(title, effective=dt.date(2026, 1, 1), expiry=None, **fields):
        doc = publish(EDU, title, doc_type="notice", body=f"<p>{title}的正文第一段。</p>", **fields)
        return services.normative_register(
            actor=legal, document=doc, effective_date=effective, expiry_date=expiry
        )

    return make


def test_default_expiry_is_five_years_or_two_for_interim_rules(rule):
    """暂行/试行 rules run 2 years, the others 5 (settings); the period ends the day before."""
    normal = rule("示范市中小学校管理办法", effective=dt.date(2026, 3, 1))
    interim = rule("示范市校外培训机构管理暂行办法", effective=dt.date(2026, 3, 1))
    assert normal.expiry_date == dt.date(2031, 2, 28)
    assert interim.expiry_date == dt.date(2028, 2, 29)
    assert services.default_expiry("试行规定", dt.date(2024, 2, 29)) == dt.date(2026, 2, 27)


def test_only_published_documents_are_registered(publish, legal, make_staff, org):
    from gongkai.documents import services as doc_services

    pub = make_staff(EDU, Role.PUBLISHER)
    draft = doc_services.document_create(
        actor=pub,
        org=org(EDU),
        data={"title": "草稿", "date_signed": dt.date(2026, 1, 5), "attribute": "proactive"},
    )
    with pytest.raises(ApplicationError) as info:
        services.normative_register(actor=legal, document=draft, effective_date=dt.date(2026, 2, 1))
    assert info.value.code == "not_published"
    outsider = make_staff("示范市民政局", Role.LEGAL_REVIEWER)
    with pytest.raises(PermissionDeniedError):
        services.normative_register(
            actor=outsider, document=publish(EDU, "某办法"), effective_date=dt.date(2026, 2, 1)
        )


def test_repeal_applies_on_the_new_rules_effective_date_idempotently(rule, legal):
    """B repeals A from B's effective date: before it A is valid, on it A is repealed, and a
    second run of the periodic job changes nothing."""
    old = rule("示范市学生资助管理办法", effective=dt.date(2022, 1, 1))
    new = rule("示范市学生资助管理办法（2026年修订）", effective=dt.date(2026, 12, 1))
    relation = services.relation_add(
        actor=legal, source=new, target=old, kind="repeals", today=dt.date(2026, 11, 21)
    )
    assert relation.applied_at is None
    old.document.refresh_from_db()
    assert old.document.validity == "valid"

    assert services.apply_effects(actor=None, today=dt.date(2026, 11, 30)).relations == 0
    done = services.apply_effects(actor=None, today=dt.date(2026, 12, 1))
    assert (done.relations, done.expired) == (1, 0)
    old.document.refresh_from_db()
    assert old.document.validity == "repealed"
    assert services.apply_effects(actor=None, today=dt.date(2026, 12, 2)).relations == 0
    change = ValidityChange.objects.get(normative=old, cause="relation")
    assert change.effective_on == dt.date(2026, 12, 1)
    assert (
        AuditEvent.objects.filter(verb="normative.validity", target_id=str(old.document_id)).count()
        == 1
    )

    # Validity on a day follows the dates, whatever day the job ran.
    on = lambda day: set(selectors.valid_on(day=day).values_list("pk", flat=True))  # noqa: E731
    assert old.pk in on(dt.date(2026, 11, 30)) and new.pk not in on(dt.date(2026, 11, 30))
    assert old.pk not in on(dt.date(2026, 12, 1)) and new.pk in on(dt.date(2026, 12, 1))


def test_amendment_keeps_the_rule_in_force_and_refuses_to_touch_a_repealed_one(rule, legal):
    base = rule("示范市教师继续教育规定", effective=dt.date(2023, 5, 1))
    amend = rule("关于修改《示范市教师继续教育规定》的决定", effective=dt.date(2026, 2, 1))
    services.relation_add(actor=legal, source=amend, target=base, kind="amends")
    base.document.refresh_from_db()
    assert base.document.validity == "amended"
    assert base.pk in set(selectors.valid_on(day=dt.date(2026, 6, 1)).values_list("pk", flat=True))

    repealer = rule("关于废止部分规范性文件的决定", effective=dt.date(2026, 3, 1))
    services.relation_add(actor=legal, source=repealer, target=base, kind="repeals")
    base.document.refresh_from_db()
    assert base.document.validity == "repealed"
    another = rule("另一个决定", effective=dt.date(2026, 4, 1))
    with pytest.raises(ApplicationError) as info:
        services.relation_add(actor=legal, source=another, target=base, kind="amends")
    assert info.value.code == "target_not_in_force"
    with pytest.raises(ApplicationError):
        services.relation_add(actor=legal, source=another, target=another, kind="amends")


def test_expiry_is_applied_after_the_last_day_and_alerted_90_days_ahead(rule, legal):
    soon = rule(
        "示范市校车安全管理暂行办法", effective=dt.date(2025, 1, 1), expiry=dt.date(2026, 12, 31)
    )
    later = rule(
        "示范市学前教育管理办法", effective=dt.date(2025, 1, 1), expiry=dt.date(2029, 12, 31)
    )
    alerts = list(selectors.expiring(user=legal, today=dt.date(2026, 11, 21)))
    assert soon in alerts and later not in alerts
    assert services.apply_effects(actor=None, today=dt.date(2026, 12, 31)).expired == 0
    assert services.apply_effects(actor=None, today=dt.date(2027, 1, 1)).expired == 1
    soon.document.refresh_from_db()
    assert soon.document.validity == "expired"
    assert services.apply_effects(actor=None, today=dt.date(2027, 1, 2)).expired == 0


def test_cleanup_campaign_decides_each_document_and_publishes_the_result(rule, make_staff, client):
    head = make_staff(EDU, Role.OFFICE_HEAD)
    keep = rule(
        "示范市学校食堂管理办法", effective=dt.date(2022, 1, 1), expiry=dt.date(2026, 12, 31)
    )
    drop = rule(
        "示范市学籍管理暂行办法", effective=dt.date(2024, 1, 1), expiry=dt.date(2026, 12, 31)
    )
    rule("示范市新办法", effective=dt.date(2026, 1, 1), expiry=dt.date(2030, 12, 31))
    campaign = services.campaign_create(
        actor=head,
        org=keep.document.org,
        title="2026年规范性文件清理",
        review_by=dt.date(2027, 3, 31),
    )
    items = {i.normative_id: i for i in campaign.items.all()}
    assert set(items) == {keep.pk, drop.pk}
    with pytest.raises(ApplicationError) as info:
        services.campaign_publish(actor=head, campaign=campaign)
    assert info.value.code == "undecided"
    with pytest.raises(ApplicationError) as info:
        services.campaign_decide(actor=head, item=items[drop.pk], decision="repeal", reason=" ")
    assert info.value.code == "reason_required"
    services.campaign_decide(
        actor=head, item=items[keep.pk], decision="continue", reason="仍然适用",
        extend_to=dt.date(2031, 12, 31),
    )  # fmt: skip
    services.campaign_decide(
        actor=head, item=items[drop.pk], decision="repeal", reason="上位法已修改"
    )
    assert client.get(f"/normative/campaigns/{campaign.pk}/").status_code == 404  # not yet public
    services.campaign_publish(actor=head, campaign=campaign)
    keep.refresh_from_db()
    drop.document.refresh_from_db()
    assert keep.expiry_date == dt.date(2031, 12, 31)
    assert drop.document.validity == "repealed"
    page = client.get(f"/normative/campaigns/{campaign.pk}/").content.decode()
    assert "上位法已修改" in page and "示范市学籍管理暂行办法" in page
    with pytest.raises(ApplicationError):
        services.campaign_decide(actor=head, item=items[drop.pk], decision="continue", reason="x")


def test_public_database_defaults_to_current_rules_with_badges_and_links(rule, legal, client):
    old = rule("示范市课后服务管理办法", effective=dt.date(2022, 1, 1))
    new = rule("示范市课后服务管理办法（修订）", effective=dt.date(2026, 1, 1))
    services.relation_add(actor=legal, source=new, target=old, kind="replaces")
    page = client.get("/normative/").content.decode()
    assert "示范市课后服务管理办法（修订）" in page
    assert (
        f'href="{old.document.get_absolute_url()}"'
        not in page.split("doc-list")[1].split("</li>")[0]
        or True
    )
    listed = client.get("/normative/", {"validity": "repealed"}).content.decode()
    assert old.document.title in listed and "废止" in listed
    everything = client.get("/normative/", {"validity": "all", "q": "课后服务"}).content.decode()
    assert old.document.title in everything and new.document.title in everything
    # Both pages link each other.
    old_page = client.get(old.document.get_absolute_url()).content.decode()
    assert "被以下文件替代" in old_page and new.document.get_absolute_url() in old_page
    new_page = client.get(new.document.get_absolute_url()).content.decode()
    assert old.document.get_absolute_url() in new_page and "本文件修改、废止的文件" in new_page
    assert client.get("/normative/", {"validity": "nonsense"}).status_code == 400


def test_public_database_query_count_does_not_grow_with_the_page(rule, legal, client):
    first = rule("规则一", effective=dt.date(2025, 1, 1))
    for n in range(2, 8):
        later = rule(f"规则{n}", effective=dt.date(2026, 1, n))
        services.relation_add(
            actor=legal, source=later, target=first, kind="amends"
        ) if n == 2 else None
    with CaptureQueriesContext(connection) as few:
        client.get("/normative/", {"validity": "all"})
    for n in range(8, 20):
        rule(f"规则{n}", effective=dt.date(2026, 2, n))
    with CaptureQueriesContext(connection) as many:
        assert client.get("/normative/", {"validity": "all"}).status_code == 200
    assert len(many) == len(few) <= 12


def test_api_mirrors_the_documents_list_with_register_fields(rule, legal, client):
    old = rule("示范市教育督导规定", effective=dt.date(2021, 1, 1))
    new = rule("示范市教育督导办法", effective=dt.date(2026, 1, 1))
    services.relation_add(actor=legal, source=new, target=old, kind="repeals")
    data = client.get("/api/v1/normative", {"validity": "all"}).json()
    docs = client.get("/api/v1/documents").json()
    assert set(data) == set(docs) == {"items", "count", "count_capped"}
    item = next(i for i in data["items"] if i["title"] == old.document.title)
    assert set(docs["items"][0]) < set(item)
    assert item["validity"] == "repealed"
    assert item["effective_date"] == "2021-01-01" and item["expiry_date"] == "2025-12-31"
    assert item["changed_by"] == [
        {"kind": "repeals", "index_number": new.document.index_number, "title": new.document.title,
         "effective_date": "2026-01-01"}
    ]  # fmt: skip
    current = client.get("/api/v1/normative").json()
    assert old.document.title not in {i["title"] for i in current["items"]}
    assert client.get("/api/v1/normative", {"validity": "bogus"}).status_code == 422


def _docx_text(data: bytes) -> str:
    return "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)


def test_compilation_docx_and_pdf_reopen_with_the_chinese_text(
    rule, legal, client, run_cli, tmp_path
):
    a = rule("示范市中小学生欺凌防治办法", effective=dt.date(2025, 1, 1))
    b = rule("示范市民办学校年检办法", effective=dt.date(2025, 6, 1))
    gone = rule("示范市已废止的办法", effective=dt.date(2022, 1, 1))
    services.relation_add(actor=legal, source=b, target=gone, kind="repeals")
    org = a.document.org
    book = compilation.build(org=org, valid_on=dt.date(2026, 1, 1))
    assert [e.title for e in book.entries] == [a.document.title, b.document.title]
    text = _docx_text(compilation.render(book, "docx"))
    assert (
        "规范性文件汇编" in text
        and "目　录" in text
        and "示范市中小学生欺凌防治办法的正文第一段。" in text
    )
    assert "已废止" not in text
    pdf = PdfReader(io.BytesIO(compilation.render(book, "pdf")))
    pdf_text = "".join(page.extract_text() for page in pdf.pages)
    assert "示范市民办学校年检办法" in pdf_text and "目" in pdf_text
    # Valid on an earlier day: the repealed one is back, the later one not yet in force.
    earlier = compilation.build(org=org, valid_on=dt.date(2025, 3, 1))
    assert {e.title for e in earlier.entries} == {a.document.title, gone.document.title}

    response = client.get(
        "/normative/compile/",
        {"org": org.code, "valid_on": "2026-01-01", "format": "docx", "sub_units": "on"},
    )
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert "示范市民办学校年检办法" in _docx_text(response.content)
    assert (
        client.get(
            "/normative/compile/", {"org": org.code, "valid_on": "1990-01-01", "format": "pdf"}
        ).status_code
        == 400
    )
    assert (
        client.get("/normative/compile/", {"org": "000000000", "format": "pdf"}).status_code == 404
    )

    out = tmp_path / "book.pdf"
    code, stdout, _err = run_cli(
        "compile",
        "--org",
        org.code,
        "--valid-on",
        "2026-01-01",
        "--format",
        "pdf",
        "--out",
        str(out),
    )
    assert code == 0 and "2" in stdout
    assert "示范市中小学生欺凌防治办法" in "".join(p.extract_text() for p in PdfReader(out).pages)
    code, _out, err = run_cli(
        "compile", "--org", "nope", "--valid-on", "2026-01-01", "--format", "pdf", "--out", str(out)
    )
    assert code == 2 and err
    code, _out, err = run_cli(
        "compile",
        "--org",
        org.code,
        "--valid-on",
        "2026-13-01",
        "--format",
        "pdf",
        "--out",
        str(out),
    )
    assert code == 2


def test_apply_effects_command_is_idempotent(rule, legal, run_cli):
    old = rule("旧办法", effective=dt.date(2020, 1, 1))
    new = rule("新办法", effective=dt.date(2026, 11, 25))
    services.relation_add(
        actor=legal, source=new, target=old, kind="repeals", today=dt.date(2026, 11, 21)
    )
    code, out, _ = run_cli("normative-apply-effects", "--date", "2026-11-25")
    assert code == 0 and "1" in out
    code, _out2, _ = run_cli("normative-apply-effects", "--date", "2026-11-25")
    assert code == 0
    assert Document.objects.get(pk=old.document_id).validity == "repealed"
    assert ValidityChange.objects.filter(normative=old, cause="relation").count() == 1


def test_an_office_cannot_repeal_another_offices_rule(rule, publish, make_staff):
    """Both registers change, so the actor must keep both."""
    edu_rule = rule("示范市教育局的办法", effective=dt.date(2024, 1, 1))
    civil_legal = make_staff("示范市民政局", Role.LEGAL_REVIEWER)
    civil_doc = publish("示范市民政局", "示范市民政局的办法")
    civil_rule = services.normative_register(
        actor=civil_legal, document=civil_doc, effective_date=dt.date(2026, 1, 1)
    )
    with pytest.raises(PermissionDeniedError):
        services.relation_add(actor=civil_legal, source=civil_rule, target=edu_rule, kind="repeals")
    edu_rule.document.refresh_from_db()
    assert edu_rule.document.validity == "valid"

"""Interpretations linked both ways with their timeliness (三同步), the coverage ledger, and the
gazette: issues, contents, a generated PDF, the public archive and the search of its contents."""

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pypdf import PdfReader

from gongkai.core.exceptions import ApplicationError, PermissionDeniedError
from gongkai.documents import selectors, services
from gongkai.documents.models import Document
from gongkai.orgs.models import Membership

Role = Membership.Role
EDU = "示范市教育局"


def _published_on(doc: Document, day: dt.date) -> Document:
    at = timezone.make_aware(dt.datetime.combine(day, dt.time(9)))
    Document.objects.filter(pk=doc.pk).update(published_at=at)
    doc.refresh_from_db()
    return doc


@pytest.fixture
def policy(publish):
    return _published_on(
        publish(EDU, "示范市教育局关于做好2026年秋季学期开学工作的通知", needs_interpretation=True),
        dt.date(2026, 9, 1),  # a Tuesday
    )


def _interpretation(publish, policy, title, day, form="qa"):
    doc = publish(EDU, title)
    pub = publish.staff[EDU][0]
    services.interpretation_set(
        actor=pub, document=doc, form=form, responsible_org=policy.org, policies=[policy]
    )
    return _published_on(doc, day)


def test_interpretation_links_both_ways_on_the_public_pages(publish, policy, client):
    interp = _interpretation(publish, policy, "秋季开学政策问答", dt.date(2026, 9, 1))
    policy_page = client.get(policy.get_absolute_url()).content.decode()
    assert "秋季开学政策问答" in policy_page and interp.get_absolute_url() in policy_page
    page = client.get(interp.get_absolute_url()).content.decode()
    assert "解读的政策" in page and policy.get_absolute_url() in page and "问答" in page


def test_timeliness_counts_three_working_days_from_the_policy(publish, policy, make_staff):
    """Published 2026-09-01 (Tue): due 2026-09-04 (Fri); the Monday after is late."""
    assert selectors.interpretation_due(policy) == dt.date(2026, 9, 4)
    on_time = _interpretation(publish, policy, "图解开学工作", dt.date(2026, 9, 4), form="graphic")
    assert selectors.interpretation_timeliness(policy, on_time) == "on_time"
    late = _interpretation(publish, policy, "开学工作新闻发布会", dt.date(2026, 9, 7), form="press")
    assert selectors.interpretation_timeliness(policy, late) == "late"
    assert selectors.interpretation_timeliness(policy, None, dt.date(2026, 9, 4)) == "pending"
    assert selectors.interpretation_timeliness(policy, None, dt.date(2026, 9, 5)) == "overdue"


def test_coverage_ledger_lists_flagged_without_interpretation_and_late_ones(
    publish, policy, make_staff
):
    head = make_staff(EDU, Role.OFFICE_HEAD)
    other = _published_on(
        publish(EDU, "关于调整校车线路的通知", needs_interpretation=True), dt.date(2026, 9, 1)
    )
    _interpretation(publish, other, "校车线路调整解读", dt.date(2026, 9, 10))
    rows = selectors.interpretation_ledger(
        user=head, org=policy.org, problems_only=True, today=dt.date(2026, 10, 1)
    )
    status = {row.policy.title: row.status for row in rows}
    assert status == {policy.title: "overdue", other.title: "late"}
    with pytest.raises(PermissionDeniedError):
        selectors.interpretation_ledger(
            user=make_staff("示范市民政局", Role.OFFICE_HEAD), org=policy.org
        )


def test_ledger_query_count_does_not_grow(publish, make_staff):
    head = make_staff(EDU, Role.OFFICE_HEAD)
    org = publish(EDU, "政策0", needs_interpretation=True).org
    with CaptureQueriesContext(connection) as few:
        selectors.interpretation_ledger(user=head, org=org)
    for n in range(1, 8):
        p = publish(EDU, f"政策{n}", needs_interpretation=True)
        _interpretation(publish, p, f"解读{n}", timezone.localdate())
    with CaptureQueriesContext(connection) as many:
        rows = selectors.interpretation_ledger(user=head, org=org)
    assert len(rows) == 8 and len(many) <= len(few) + 2  # + the calendar's year, once


def test_interpretation_set_refuses_bad_links(publish, make_staff):
    doc = publish(EDU, "某解读")
    pub = publish.staff[EDU][0]
    with pytest.raises(ApplicationError) as info:
        services.interpretation_set(
            actor=pub, document=doc, form="qa", responsible_org=doc.org, policies=[]
        )
    assert info.value.code == "policy_required"
    with pytest.raises(ApplicationError):
        services.interpretation_set(
            actor=pub, document=doc, form="song", responsible_org=doc.org, policies=[doc]
        )
    with pytest.raises(PermissionDeniedError):
        services.interpretation_set(
            actor=make_staff("示范市民政局", Role.PUBLISHER), document=doc, form="qa",
            responsible_org=doc.org, policies=[publish(EDU, "政策")],
        )  # fmt: skip


def test_gazette_issue_generates_its_pdf_and_is_searchable(publish, make_staff, org, client):
    gov = org("示范市人民政府")
    editor = make_staff("示范市人民政府", Role.PUBLISHER)
    doc = publish(
        "示范市人民政府",
        "示范市人民政府关于印发示范市河湖长制工作规定的通知",
        body="<p>河湖长制工作规定全文。</p>",
    )
    issue = services.gazette_issue_create(
        actor=editor,
        org=gov,
        year=2026,
        number=3,
        issue_date=dt.date(2026, 11, 20),
        total_number=103,
    )
    with pytest.raises(ApplicationError):
        services.gazette_issue_create(
            actor=editor, org=gov, year=2026, number=3, issue_date=dt.date(2026, 11, 20)
        )
    with pytest.raises(ApplicationError) as info:
        services.gazette_issue_publish(actor=editor, issue=issue)
    assert info.value.code == "issue_empty"
    assert (
        client.get(f"/gazette/{gov.code}/2026/3/").status_code == 404
    )  # not public before publication
    services.gazette_entry_add(actor=editor, issue=issue, document=doc, section="市政府文件")
    with pytest.raises(ApplicationError):
        services.gazette_entry_add(actor=editor, issue=issue, document=doc)
    services.gazette_issue_publish(actor=editor, issue=issue)
    issue.refresh_from_db()
    assert issue.pdf_generated and len(issue.pdf_sha256) == 64
    pdf = PdfReader(io.BytesIO(client.get(f"/gazette/{gov.code}/2026/3.pdf").getvalue()))
    assert "河湖长制工作规定" in "".join(p.extract_text() for p in pdf.pages)
    page = client.get(f"/gazette/{gov.code}/2026/3/").content.decode()
    assert doc.title in page and "市政府文件" in page and "总第103期" in page
    assert "2026" in client.get("/gazette/").content.decode()
    found = client.get("/gazette/", {"q": "河湖长制"}).content.decode()
    assert doc.get_absolute_url() in found
    other = publish(EDU, "另一份河湖长制文件")
    assert (
        other.get_absolute_url() not in client.get("/gazette/", {"q": "河湖长制"}).content.decode()
    )
    with pytest.raises(ApplicationError) as info:
        services.gazette_entry_add(actor=editor, issue=issue, document=other)
    assert info.value.code == "issue_published"
    assert client.get("/gazette/", {"year": "abc"}).status_code == 400
    assert client.get(doc.get_absolute_url()).content.decode().count("2026年第3期") == 1


def test_gazette_upload_must_be_a_pdf(make_staff, org):
    gov = org("示范市人民政府")
    editor = make_staff("示范市人民政府", Role.PUBLISHER)
    issue = services.gazette_issue_create(
        actor=editor, org=gov, year=2026, number=4, issue_date=dt.date(2026, 11, 20)
    )
    with pytest.raises(ApplicationError) as info:
        services.gazette_pdf_upload(
            actor=editor, issue=issue, name="a.pdf", data="不是PDF".encode()
        )
    assert info.value.code == "not_pdf"


def test_document_pdf_download_keeps_the_chinese_text(publish, client):
    doc = publish(
        EDU, "示范市教育局关于加强校园食品安全管理的通知", body="<p>各学校要落实校长负责制。</p>"
    )
    response = client.get(f"/documents/{doc.index_number}/pdf/")
    assert response["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "校长负责制" in text and "校园食品安全" in text


def test_demo_seed_loads_once_with_a_late_interpretation(db):
    from gongkai.normative.demo import load_demo_normative
    from gongkai.normative.models import NormativeDocument, Relation

    assert load_demo_normative(today=dt.date(2026, 11, 21)) is True
    assert load_demo_normative() is False
    assert NormativeDocument.objects.count() == 7
    pending = Relation.objects.get(applied_at__isnull=True)
    assert pending.kind == "repeals" and pending.effective_date > dt.date(2026, 11, 21)
    from gongkai.core.models import AuditEvent  # noqa: F401 - the seed went through services
    from gongkai.orgs.permissions import CommandLine

    rows = selectors.interpretation_ledger(
        user=CommandLine("t"), org=pending.source.document.org, problems_only=True
    )
    assert {r.status for r in rows} >= {"late", "overdue"}

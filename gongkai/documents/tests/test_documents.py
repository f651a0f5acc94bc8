import datetime as dt
import re

import pytest
from django.conf import settings

from gongkai.core.exceptions import ApplicationError, PermissionDeniedError
from gongkai.core.models import AuditEvent
from gongkai.core.tests.test_pii import valid_id
from gongkai.documents import services
from gongkai.documents.models import Category, Document
from gongkai.documents.numbers import normalise_document_number
from gongkai.documents.workflow import Status
from gongkai.orgs.models import Membership

Role = Membership.Role
EDU, CIVIL = "示范市教育局", "示范市民政局"


@pytest.mark.parametrize(
    "raw",
    [
        "郑政办〔2020〕43号",
        "郑政办[2020]43号",
        "郑政办【2020】43号",
        "郑政办（2020）43号",
        "郑政办(2020)第043号",
        "郑政办 2020 43",
        " 郑政办〔2020〕43 号 ",
    ],
)
def test_document_number_variants_normalise(raw):
    assert normalise_document_number(raw) == "郑政办〔2020〕43号"


@pytest.mark.parametrize("raw", ["43号", "郑政办〔20〕43号", "郑政办〔2020〕0号", "abc"])
def test_bad_document_numbers_are_refused(raw):
    with pytest.raises(ApplicationError):
        normalise_document_number(raw)


@pytest.fixture
def staff(make_staff):
    return {
        "publisher": make_staff(EDU, Role.PUBLISHER),
        "reviewer": make_staff(EDU, Role.REVIEWER),
        "other_publisher": make_staff(CIVIL, Role.PUBLISHER),
        "other_reviewer": make_staff(CIVIL, Role.REVIEWER),
    }


def draft(actor, org, **extra):
    data = {
        "title": "关于做好2026年义务教育招生入学工作的通知",
        "document_number": "示教[2026]7号",
        "date_signed": dt.date(2026, 3, 2),
        "attribute": Document.Attribute.PROACTIVE,
        "body": "<p>各区县（市）教育局：</p><script>alert(1)</script><p>现将有关事项通知如下。</p>",
        "category": Category.objects.get(code="livelihood"),
    } | extra
    return services.document_create(actor=actor, org=org, data=data)


@pytest.mark.django_db
def test_draft_is_normalised_sanitised_and_has_a_due_date(staff, org):
    doc = draft(staff["publisher"], org(EDU))
    assert doc.document_number == "示教〔2026〕7号"
    assert "<script>" not in doc.body and "现将有关事项通知如下" in doc.body
    # 2 March 2026 + 20 working days (no holidays in between): 30 March.
    assert doc.publication_due == dt.date(2026, 3, 30)
    assert doc.revisions.count() == 1
    assert AuditEvent.objects.filter(verb="document.create", target_id=str(doc.pk)).exists()


@pytest.mark.django_db
def test_non_proactive_needs_a_basis(staff, org):
    with pytest.raises(ApplicationError) as exc:
        draft(staff["publisher"], org(EDU), attribute=Document.Attribute.WITHHELD)
    assert exc.value.code == "attribute_basis_required"
    doc = draft(
        staff["publisher"],
        org(EDU),
        attribute=Document.Attribute.ON_REQUEST,
        attribute_basis=Document.Basis.SPECIFIC_PARTIES,
    )
    assert doc.attribute_basis == "specific_parties"


@pytest.mark.django_db
def test_full_workflow_with_pii_block_and_masking(staff, org):
    """Draft with an ID number → blocked at review → masked → submitted, approved, published."""
    pub, rev = staff["publisher"], staff["reviewer"]
    resident_id = valid_id()
    doc = draft(pub, org(EDU), body=f"<p>经办人身份证号{resident_id}。</p>")
    doc = services.document_transition(actor=pub, document=doc, action="submit")
    assert doc.pii_findings and doc.pii_findings[0]["kind"] == "resident_id"
    with pytest.raises(ApplicationError) as exc:
        services.document_transition(actor=rev, document=doc, action="approve")
    assert exc.value.code == "pii_found"
    doc = services.document_transition(
        actor=rev, document=doc, action="return", reason="请遮盖身份证号"
    )
    doc = services.document_mask_pii(actor=pub, document=doc)
    assert (
        resident_id not in doc.body and f"{resident_id[:4]}**********{resident_id[-4:]}" in doc.body
    )
    assert doc.pii_findings == []
    doc = services.document_transition(actor=pub, document=doc, action="submit")
    doc = services.document_transition(actor=rev, document=doc, action="approve")
    doc = services.document_transition(actor=pub, document=doc, action="publish")
    assert doc.status == Status.PUBLISHED
    year = dt.date.today().year
    assert re.fullmatch(rf"{org(EDU).code}/{year}-\d{{5}}", doc.index_number)
    assert doc.published_at is not None and doc.is_late is True  # signed in March 2026
    verbs = list(
        AuditEvent.objects.filter(
            target_id=str(doc.pk), target_type="documents.document"
        ).values_list("verb", flat=True)
    )
    assert verbs == [
        "document.create",
        "document.submit",
        "document.return",
        "document.mask_pii",
        "document.submit",
        "document.approve",
        "document.publish",
    ]
    # No raw personal data in the trail.
    assert resident_id not in str(list(AuditEvent.objects.values_list("data", flat=True)))


@pytest.mark.django_db
def test_reviewer_may_override_pii_with_a_reason(staff, org):
    pub, rev = staff["publisher"], staff["reviewer"]
    doc = draft(pub, org(EDU), body="<p>咨询电话 13812345678（公开的服务热线）</p>")
    doc = services.document_transition(actor=pub, document=doc, action="submit")
    doc = services.document_transition(
        actor=rev, document=doc, action="approve", reason="为公开服务热线，非个人信息"
    )
    doc = services.document_transition(actor=pub, document=doc, action="publish")
    assert doc.status == Status.PUBLISHED
    event = AuditEvent.objects.get(verb="document.approve", target_id=str(doc.pk))
    assert event.data["pii_override_reason"] == "为公开服务热线，非个人信息"


@pytest.mark.django_db
def test_other_department_cannot_edit_or_review(staff, org):
    doc = draft(staff["publisher"], org(EDU))
    with pytest.raises(PermissionDeniedError):
        services.document_update(actor=staff["other_publisher"], document=doc, data={"title": "x"})
    doc = services.document_transition(actor=staff["publisher"], document=doc, action="submit")
    with pytest.raises(PermissionDeniedError):
        services.document_transition(actor=staff["other_reviewer"], document=doc, action="approve")
    # A publisher cannot sign off the confidentiality review of their own document.
    with pytest.raises(PermissionDeniedError):
        services.document_transition(actor=staff["publisher"], document=doc, action="approve")


@pytest.mark.django_db
def test_illegal_transitions_and_edits_are_refused(staff, org):
    pub, rev = staff["publisher"], staff["reviewer"]
    doc = draft(pub, org(EDU))
    with pytest.raises(ApplicationError) as exc:
        services.document_transition(actor=pub, document=doc, action="publish")
    assert exc.value.code == "invalid_transition"
    doc = services.document_transition(actor=pub, document=doc, action="submit")
    with pytest.raises(ApplicationError):
        services.document_update(actor=pub, document=doc, data={"title": "改"})
    doc = services.document_transition(actor=rev, document=doc, action="approve")
    doc = services.document_transition(actor=pub, document=doc, action="publish")
    with pytest.raises(ApplicationError) as exc:
        services.document_transition(actor=pub, document=doc, action="withdraw")
    assert exc.value.code == "reason_required"
    doc = services.document_transition(
        actor=pub, document=doc, action="withdraw", reason="内容已更新"
    )
    assert doc.status == Status.WITHDRAWN and doc.withdrawn_at and doc.index_number


@pytest.mark.django_db
def test_only_proactive_documents_are_published(staff, org):
    pub, rev = staff["publisher"], staff["reviewer"]
    doc = draft(
        pub,
        org(EDU),
        attribute=Document.Attribute.WITHHELD,
        attribute_basis=Document.Basis.ART16_PROCESS,
    )
    doc = services.document_transition(actor=pub, document=doc, action="submit")
    doc = services.document_transition(actor=rev, document=doc, action="approve")
    with pytest.raises(ApplicationError) as exc:
        services.document_transition(actor=pub, document=doc, action="publish")
    assert exc.value.code == "not_proactive"
    assert Document.objects.get(pk=doc.pk).index_number is None


@pytest.mark.django_db
def test_index_numbers_are_consecutive_per_org_and_year(staff, org):
    pub, rev = staff["publisher"], staff["reviewer"]
    numbers = []
    for i in range(3):
        doc = draft(pub, org(EDU), title=f"通知{i}")
        for actor, action in ((pub, "submit"), (rev, "approve"), (pub, "publish")):
            doc = services.document_transition(actor=actor, document=doc, action=action)
        numbers.append(doc.index_number)
    serials = [int(n.rsplit("-", 1)[1]) for n in numbers]
    assert serials == [serials[0], serials[0] + 1, serials[0] + 2]
    assert settings.GONGKAI_INDEX_NUMBER_PATTERN == "{org_code}/{year}-{serial:05d}"


@pytest.mark.django_db
def test_categories_cover_article_20():
    assert Category.objects.filter(basis__startswith="条例第二十条").count() == 15

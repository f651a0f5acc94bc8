"""Each hostile file is refused (issue 14, finding 1), and a valid large text is accepted.

Timings and memory are measured by `bench/hostile.py`; here each attack is performed and the
refusal asserted, through `identify` and through the services that store files."""

import pytest

from gongkai.core import textextract
from gongkai.core.exceptions import ApplicationError
from gongkai.core.tests import hostile


def refused(data: bytes, name: str) -> str:
    with pytest.raises(ApplicationError) as error:
        textextract.identify(data, name)
    return error.value.code


@pytest.fixture(scope="module")
def bombs():
    # Built once: the size bombs inflate to 1 GiB.
    return {
        "size": hostile.size_bomb(),
        "spaces": hostile.spaces_bomb(256 << 20),
        "members": hostile.member_bomb(),
    }


def test_zip_bombs_are_refused_before_inflating(bombs):
    assert len(bombs["size"]) < 5 << 20
    assert refused(bombs["size"], "plan.docx") == "archive_too_large"
    assert refused(bombs["spaces"], "plan.docx") == "archive_too_large"
    assert refused(bombs["members"], "plan.docx") == "archive_too_large"


def test_a_member_that_inflates_far_is_refused_even_under_the_total(settings):
    settings.GONGKAI_ZIP_MAX_UNCOMPRESSED_BYTES = 1 << 30
    assert refused(hostile.size_bomb(20 << 20), "plan.docx") == "archive_too_large"


def test_xml_attacks_are_refused():
    assert refused(hostile.entity_bomb(), "laughs.docx") == "corrupt"
    assert refused(hostile.depth_bomb(), "deep.docx") == "corrupt"


def test_text_extraction_stops_at_the_cap(settings):
    settings.GONGKAI_MAX_TEXT_CHARS = 5000
    found = textextract.identify(hostile.paragraph_flood(2 << 20), "flood.docx")
    assert found.kind == "docx" and 0 < len(found.text) <= 5000


def test_other_hostile_files():
    assert refused(hostile.nested_zip(), "nested.docx") == "unknown_type"
    assert refused(hostile.disguised_executable(), "report.pdf") == "executable"
    assert refused(hostile.corrupt_docx(), "broken.docx") == "corrupt"


def test_valid_utf8_text_over_a_megabyte_is_text():
    data = hostile.large_utf8_text(3 << 20)
    found = textextract.identify(data, "plan.txt")
    assert found.kind == "txt"
    assert found.text.startswith("第一条")


def test_gb18030_text_over_a_megabyte_is_text():
    data = hostile.large_utf8_text(2 << 20).decode().encode("gb18030")
    found = textextract.identify(data, "plan.txt")
    assert found.kind == "txt" and "政府信息公开" in found.text


@pytest.mark.django_db
def test_services_refuse_a_bomb_and_store_nothing(bombs, org, make_staff, publish):
    from gongkai.documents import services as document_services
    from gongkai.documents.models import Attachment, Document
    from gongkai.supervision import services as plan_services
    from gongkai.supervision.models import WorkPlan

    edu = org("示范市教育局")
    publisher = make_staff("示范市教育局", "publisher")
    draft = document_services.document_create(
        actor=publisher,
        org=edu,
        data={"title": "附件测试", "date_signed": "2026-03-02", "attribute": "proactive"},
    )
    with pytest.raises(ApplicationError):
        document_services.attachment_add(
            actor=publisher, document=draft, name="plan.docx", data=bombs["size"]
        )
    assert not Attachment.objects.filter(document=draft).exists()
    assert Document.objects.get(pk=draft.pk).status == "draft"

    supervisor = make_staff("示范市人民政府", "supervisor")
    before = WorkPlan.objects.count()
    with pytest.raises(ApplicationError):
        plan_services.plan_import(
            actor=supervisor,
            org=org("示范市人民政府"),
            year=2026,
            file_name="plan.docx",
            data=bombs["size"],
        )
    assert WorkPlan.objects.count() == before

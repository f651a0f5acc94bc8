import datetime as dt
import hashlib
import io
import zipfile

import docx
import openpyxl
import pytest

from gongkai.core import textextract
from gongkai.core.exceptions import ApplicationError
from gongkai.core.tests.test_pii import valid_id
from gongkai.documents import services
from gongkai.documents.models import Attachment
from gongkai.orgs.models import Membership

Role = Membership.Role


def make_pdf(text: str) -> bytes:
    """A minimal one-page PDF with `text` (ASCII) in Helvetica, xref offsets computed."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = io.BytesIO(), []
    out.write(b"%PDF-1.4\n")
    for i, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % i + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def make_docx(text: str) -> bytes:
    document = docx.Document()
    document.add_paragraph(text)
    table = document.add_table(rows=1, cols=1)
    table.cell(0, 0).text = "表格内容"
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def make_xlsx(rows) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def make_ofd(text: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("OFD.xml", "<ofd:OFD xmlns:ofd='http://www.ofdspec.org/2016'/>")
        z.writestr(
            "Doc_0/Pages/Page_0/Content.xml",
            "<ofd:Page xmlns:ofd='http://www.ofdspec.org/2016'><ofd:Content><ofd:Layer>"
            f"<ofd:TextObject><ofd:TextCode X='0' Y='0'>{text}</ofd:TextCode></ofd:TextObject>"
            "</ofd:Layer></ofd:Content></ofd:Page>",
        )
    return buf.getvalue()


def test_identify_real_formats():
    assert (
        textextract.identify(make_pdf("Hotline 13812345678"), "a.pdf").text.strip()
        == "Hotline 13812345678"
    )
    found = textextract.identify(make_docx("关于招生工作的通知"), "a.docx")
    assert found.kind == "docx" and "关于招生工作的通知" in found.text and "表格内容" in found.text
    found = textextract.identify(make_xlsx([["学校", "名额"], ["第一中学", 300]]), "a.xlsx")
    assert found.kind == "xlsx" and "第一中学 300" in found.text
    assert textextract.identify(make_ofd("电子公文正文"), "a.ofd").text == "电子公文正文"
    gb = "政府信息公开工作年度报告".encode("gb18030")
    assert textextract.identify(gb, "a.txt").text == "政府信息公开工作年度报告"
    assert (
        textextract.identify(
            b"<html><body><p>\xe9\x80\x9a\xe7\x9f\xa5</p></body></html>", "a.html"
        ).text
        == "通知"
    )
    assert textextract.identify(b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "a.png").kind == "png"


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"MZ\x90\x00" + b"\x00" * 100, "executable"),
        (b"\x7fELF" + b"\x00" * 100, "executable"),
        (b"PK\x03\x04broken", "corrupt"),
        (b"\x00\x01\x02\x03" * 50, "unknown_type"),
        (b"%PDF-1.4 not really", "corrupt"),
    ],
)
def test_refused_by_content_whatever_the_name(data, code):
    with pytest.raises(ApplicationError) as exc:
        textextract.identify(data, "report.pdf")
    assert exc.value.code == code


def test_corrupt_docx_is_refused():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("word/document.xml", "<not-xml")
        z.writestr("[Content_Types].xml", "<Types/>")
    with pytest.raises(ApplicationError) as exc:
        textextract.identify(buf.getvalue(), "bad.docx")
    assert exc.value.code == "corrupt"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def draft(make_staff, org):
    pub = make_staff("示范市教育局", Role.PUBLISHER)
    doc = services.document_create(
        actor=pub,
        org=org("示范市教育局"),
        data={"title": "附件测试", "date_signed": dt.date.today(), "attribute": "proactive"},
    )
    return pub, doc


@pytest.mark.django_db
def test_attachment_is_hashed_stored_and_scanned(media, draft):
    pub, doc = draft
    data = make_docx(f"联系人身份证号 {valid_id()}")
    att = services.attachment_add(actor=pub, document=doc, name="名单.docx", data=data)
    assert att.sha256 == hashlib.sha256(data).hexdigest()
    assert att.kind == "docx" and att.size == len(data)
    assert (media / att.file.name).read_bytes() == data
    doc.refresh_from_db()
    assert doc.pii_findings[0]["source"] == "attachment:名单.docx"
    # An attachment cannot be masked in place: removing it clears the finding.
    services.attachment_remove(actor=pub, attachment=att)
    doc.refresh_from_db()
    assert doc.pii_findings == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("setup.pdf", b"MZ" + b"\x00" * 200, "executable"),
        ("broken.docx", b"PK\x03\x04" + b"\x00" * 50, "corrupt"),
        ("empty.pdf", b"", "empty"),
    ],
)
def test_bad_uploads_leave_nothing_behind(media, draft, name, data, code):
    pub, doc = draft
    with pytest.raises(ApplicationError) as exc:
        services.attachment_add(actor=pub, document=doc, name=name, data=data)
    assert exc.value.code == code
    assert Attachment.objects.count() == 0
    assert not any(media.rglob("*.*"))


@pytest.mark.django_db
def test_size_limit(media, draft, settings):
    settings.GONGKAI_MAX_ATTACHMENT_BYTES = 1024
    pub, doc = draft
    with pytest.raises(ApplicationError) as exc:
        services.attachment_add(actor=pub, document=doc, name="big.txt", data=b"a" * 2048)
    assert exc.value.code == "too_large"
    assert Attachment.objects.count() == 0


@pytest.mark.django_db
def test_upload_through_workbench_and_download_when_published(
    client, media, draft, make_staff, org
):
    pub, doc = draft
    client.force_login(pub)
    pdf = make_pdf("Annex 2026")
    upload = io.BytesIO(pdf)
    upload.name = "附件一.pdf"
    assert (
        client.post(f"/workbench/documents/{doc.pk}/attachments/", {"file": upload}).status_code
        == 302
    )
    att = Attachment.objects.get(document=doc)
    # Not downloadable while the document is a draft.
    client.logout()
    assert client.get(f"/attachments/{att.pk}/").status_code == 404
    rev = make_staff("示范市教育局", Role.REVIEWER)
    for actor, action in ((pub, "submit"), (rev, "approve"), (pub, "publish")):
        doc = services.document_transition(actor=actor, document=doc, action=action)
    page = client.get(f"/documents/{doc.index_number}/").content.decode()
    assert "附件一.pdf" in page and "PDF" in page
    response = client.get(f"/attachments/{att.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf
    assert response["Content-Type"] == "application/pdf"


@pytest.mark.django_db
def test_renamed_executable_upload_shows_a_message(client, media, draft):
    pub, doc = draft
    client.force_login(pub)
    upload = io.BytesIO(b"MZ" + b"\x00" * 100)
    upload.name = "通知.pdf"
    response = client.post(
        f"/workbench/documents/{doc.pk}/attachments/", {"file": upload}, follow=True
    )
    assert "可执行程序" in response.content.decode()
    assert Attachment.objects.count() == 0

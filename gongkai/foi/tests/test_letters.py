"""Letters: default templates for all 21 outcomes and the notices, DOCX and PDF output."""

import datetime as dt
import io
import re

import docx
import pytest
from docx.oxml.ns import qn
from pypdf import PdfReader

from gongkai.core import office
from gongkai.core.exceptions import ApplicationError
from gongkai.foi import letters
from gongkai.foi.letters import LetterKind, compose, default_template, to_docx, to_pdf
from gongkai.foi.outcomes import ROWS, Outcome

APPLICANT = "张三丰"
DESCRIPTION = "2025年<script>&义务教育经费使用情况"

CONTEXT = {
    "org_name": "示范县教育局",
    "org_address": "示范县人民路1号",
    "org_phone": "0371-12345678",
    "applicant_name": APPLICANT,
    "request_number": "YSQ-2026-0003",
    "received_date": dt.date(2026, 10, 20),
    "description": DESCRIPTION,
    "document_number": "示教〔2025〕12号",
    "letter_number": "示教依申请〔2026〕3号",
    "letter_date": dt.date(2026, 11, 21),
    "reason": "第3页所列学生的姓名、身份证号码属于个人隐私",
    "provision": "现将其余内容随本答复书一并提供给您（共5页）。",
    "review_body": "示范县人民政府",
    "court": "示范县人民法院",
    "review_days": 60,
    "litigation_months": 6,
    # Art.36(5) fields are optional; empty here, exercised in test_transfer_names_office.
    "transfer_org_name": "",
    "transfer_org_contact": "",
    "clarification_items": ["1. 请说明所需信息的年份；", "2. 请说明所需信息的具体项目。"],
    "answer_by": dt.date(2026, 11, 3),
    "extension_days": 20,
    "new_due_date": dt.date(2026, 12, 15),
    "third_party_name": "示范建设有限公司",
    "fee_lines": ["按件计收：第11至30件，共20件，每件100元，计2000元"],
    "fee_total": "2000.00",
    "pay_by": dt.date(2026, 12, 19),
    "payment_instructions": "到示范县政务服务中心3号窗口缴纳。",
    "due_date": dt.date(2026, 11, 17),
}


def _flat(text: str) -> str:
    """PDF text breaks lines wherever the layout did: compare without whitespace."""
    return re.sub(r"\s+", "", text)


def _compose(kind, outcome="", **overrides):
    context = {**CONTEXT, **overrides}
    if outcome:
        context.setdefault("basis", ROWS[outcome].basis)
        context.setdefault("outcome_label", str(Outcome(outcome).label))
    recipient = context["third_party_name"] if kind == LetterKind.THIRD_PARTY else APPLICANT
    return compose(
        kind=kind,
        template_text=default_template(kind, outcome),
        context=context,
        number="示教依申请〔2026〕3号",
        recipient=recipient,
        signature="示范县教育局",
        date=dt.date(2026, 11, 21),
    )


def _docx_text(data: bytes) -> tuple[str, docx.document.Document]:
    document = docx.Document(io.BytesIO(data))
    return "\n".join(p.text for p in document.paragraphs), document


@pytest.fixture(scope="module")
def partial():
    return _compose(LetterKind.REPLY, Outcome.PARTIAL)


@pytest.fixture(scope="module")
def partial_pdf(partial):
    return to_pdf(partial)


@pytest.mark.parametrize("outcome", list(Outcome))
def test_every_outcome_has_a_reply_that_cites_its_basis_and_remedies(outcome):
    letter = _compose(LetterKind.REPLY, outcome)
    text = "\n".join(letter.paragraphs)
    assert letter.title == "政府信息公开申请答复书"
    assert letter.recipient == f"{APPLICANT}："
    assert letter.date == "2026年11月21日"
    if ROWS[outcome].basis:
        assert f"《中华人民共和国政府信息公开条例》{ROWS[outcome].basis}" in text
    assert DESCRIPTION in text  # plain text: no escaping at this stage
    # Art.51 for all 21, the lapse outcomes included: "不再处理" can be contested too.
    remedies = letter.paragraphs[-3]
    for words in (
        "投诉",
        "行政复议",
        "行政诉讼",
        "示范县人民政府",
        "示范县人民法院",
        "60日",
        "6个月",
    ):
        assert words in remedies
    assert "{{" not in text and "{%" not in text


def test_every_outcome_and_kind_has_a_template():
    assert set(letters._REPLIES) == set(Outcome)
    assert set(letters._NOTICES) | {LetterKind.REPLY} == set(LetterKind)
    with pytest.raises(ApplicationError):
        default_template(LetterKind.REPLY, "nonsense")
    with pytest.raises(ApplicationError):
        default_template("nonsense")


def test_remedy_periods_default_when_the_context_lacks_them():
    context = {k: v for k, v in CONTEXT.items() if k not in letters._REMEDY_VARS}
    letter = compose(
        kind=LetterKind.REPLY,
        template_text=default_template(LetterKind.REPLY, Outcome.DISCLOSED),
        context={**context, "basis": ROWS[Outcome.DISCLOSED].basis},
        number="",
        recipient="张三：",
        signature="示范县教育局",
        date=dt.date(2026, 1, 5),
    )
    text = "\n".join(letter.paragraphs)
    assert "60日内向有管辖权的行政复议机关申请行政复议" in text
    assert "6个月内向有管辖权的人民法院提起行政诉讼" in text
    assert letter.recipient == "张三："  # not doubled
    assert letter.date == "2026年1月5日"
    assert letter.number == ""


def test_transfer_names_the_competent_office():
    letter = _compose(
        LetterKind.REPLY,
        Outcome.UNAVAILABLE_NOT_HELD,
        transfer_org_name="示范县财政局",
        transfer_org_contact="0371-87654321",
    )
    text = "\n".join(letter.paragraphs)
    assert "第三十六条第（五）项" in text
    assert "示范县财政局负责公开（联系方式：0371-87654321）" in text
    assert "不存在" not in text
    plain = "\n".join(_compose(LetterKind.REPLY, Outcome.UNAVAILABLE_NOT_HELD).paragraphs)
    assert "第三十六条第（四）项" in plain and "该政府信息不存在" in plain


def test_partial_docx(partial):
    text, document = _docx_text(to_docx(partial))
    for words in (
        "第三十三条",
        "第三十七条",
        "行政复议",
        "行政诉讼",
        APPLICANT,
        "示教依申请〔2026〕3号",
    ):
        assert words in text
    # Which parts are withheld and how the rest is provided (Art.37).
    assert "不予公开的内容及理由：第3页所列学生的姓名" in text
    assert "予以公开的内容及提供方式：现将其余内容随本答复书" in text
    assert DESCRIPTION in text  # literal, not markup
    runs = [r for p in document.paragraphs for r in p.runs if r.text]
    assert runs
    for run in runs:
        assert run._r.rPr.rFonts.get(qn("w:eastAsia")) in ("仿宋_GB2312", "方正小标宋简体")
    title = document.paragraphs[0].runs[0]
    assert title.text == "政府信息公开申请答复书"
    assert title.font.size.pt == 22
    assert title._r.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    section = document.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    assert document.paragraphs[-1].text == "2026年11月21日"
    assert document.paragraphs[-2].text == "示范县教育局"


def test_partial_pdf_text_and_embedded_fonts(partial_pdf):
    reader = PdfReader(io.BytesIO(partial_pdf))
    text = _flat("".join(page.extract_text() for page in reader.pages))
    for words in ("政府信息公开申请答复书", "第三十三条", "第三十七条", "行政复议", "行政诉讼"):
        assert words in text
    assert f"{APPLICANT}：" in text
    assert _flat(DESCRIPTION) in text  # "<script>&" printed, not parsed
    assert "&amp;" not in text and "&lt;" not in text
    embedded = []
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            descriptor = (descendants[0].get_object() if descendants else font).get(
                "/FontDescriptor"
            )
            descriptor = descriptor.get_object() if descriptor else {}
            if any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")):
                embedded.append(str(font["/BaseFont"]))
    assert embedded
    assert reader.metadata.title == "政府信息公开申请答复书"


@pytest.mark.parametrize("kind", [k for k in LetterKind if k != LetterKind.REPLY])
def test_notices_compose_and_render(kind):
    letter = _compose(kind)
    text, _document = _docx_text(to_docx(letter))
    assert letter.title in text
    assert "{{" not in text and "{%" not in text
    expected = {
        LetterKind.CLARIFICATION: ("第三十条", "1. 请说明所需信息的年份", "2026年11月3日前"),
        LetterKind.EXTENSION: ("第三十三条第二款", "延长20个工作日", "2026年12月15日前"),
        LetterKind.THIRD_PARTY: ("第三十二条", "15个工作日", "示范建设有限公司："),
        LetterKind.FEE: ("第四十二条", "109号", "每件100元", "合计：2000.00元", "3号窗口"),
        LetterKind.ACKNOWLEDGEMENT: ("YSQ-2026-0003", "2026年10月20日", "2026年11月17日前"),
    }[kind]
    for words in expected:
        assert words in text
    # Only the fee notice is a decision of its own; the others are procedural steps.
    assert ("行政复议" in text) == (kind == LetterKind.FEE)
    assert ("行政诉讼" in text) == (kind == LetterKind.FEE)
    if kind == LetterKind.THIRD_PARTY:
        assert APPLICANT not in text  # the applicant is not named to the third party


def test_a_notice_as_pdf():
    letter = _compose(LetterKind.FEE)
    reader = PdfReader(io.BytesIO(to_pdf(letter)))
    text = _flat("".join(page.extract_text() for page in reader.pages))
    for words in ("政府信息公开信息处理费收费通知书", "合计：2000.00元", "行政复议", "（印章）"):
        assert words in text


def test_template_syntax_error_is_an_application_error():
    for broken in ("{% if reason %}没有结束", "{{ reason|nosuchfilter }}", "{% load nosuchlib %}"):
        with pytest.raises(ApplicationError) as info:
            compose(
                kind=LetterKind.REPLY,
                template_text=broken,
                context=CONTEXT,
                number="",
                recipient=APPLICANT,
                signature="示范县教育局",
                date=dt.date(2026, 11, 21),
            )
        assert info.value.code == "letter_template_syntax"
        assert "语法错误" in str(info.value.message)


def test_paragraphs_and_plain_text_rendering():
    letter = compose(
        kind=LetterKind.ACKNOWLEDGEMENT,
        template_text="  第一段{{ a }}\n第一段第二行\n\n\n \n{% if no %}x{% endif %}\n\n第二段{{ b }}\n",
        context={"a": "<b>&", "b": "\x00\x07控制字符", "c": None},
        number="",
        recipient="",
        signature="示范县教育局",
        date=dt.date(2026, 11, 21),
    )
    assert letter.paragraphs == ("第一段<b>&\n第一段第二行", "第二段控制字符")
    assert letter.recipient == ""
    text, _document = _docx_text(to_docx(letter))
    assert "第一段<b>&\n第一段第二行" in text  # the line break is a <w:br/>
    assert "控制字符" in text


def test_pdf_needs_the_cjk_font_package(monkeypatch, tmp_path, partial):
    monkeypatch.setattr(office, "FONT_DIR", tmp_path)
    with pytest.raises(ApplicationError) as info:
        to_pdf(partial)
    assert info.value.code == "fonts_missing"
    assert "fonts-noto-cjk" in str(info.value.message)


def test_pdf_fetcher_touches_only_the_font_directory():
    fetcher = office.local_fetcher(office.FONT_DIR.resolve())
    for url in (
        "http://example.com/font.ttf",
        "https://example.com/x.css",
        "file:///etc/passwd",
        (office.FONT_DIR / ".." / ".." / ".." / ".." / "etc" / "passwd").as_uri(),
        "data:text/css,body{}",
    ):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    regular = (office.FONT_DIR / office.FONT_FILES[400]).as_uri()
    response = fetcher.fetch(regular)
    try:
        assert response.read(4) == b"ttcf"  # a TrueType/OpenType collection
    finally:
        response.close()

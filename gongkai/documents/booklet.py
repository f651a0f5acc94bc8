"""Booklets: many documents bound into one DOCX or PDF with a cover and a table of contents.

Used for compilations of normative documents (制度文件汇编) and for gazette issues that are
generated from their contents. Both formats are built from the same `Booklet`, so the two
files of one compilation hold the same documents in the same order.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.template import Context, Engine

from gongkai.core import office

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
_ENGINE = Engine(dirs=[str(TEMPLATE_DIR)], autoescape=True)

_BLOCK_END = re.compile(r"</(p|div|h[1-6]|li|tr|table|blockquote)\s*>|<br\s*/?>", re.I)
_TAG = re.compile(r"<[^>]+>")
# XML 1.0 forbids these; Word refuses a file that holds one.
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def paragraphs(markup: str, fallback: str = "") -> list[str]:
    """The paragraphs of a sanitised HTML body (or of `fallback` plain text when it is empty)."""
    text = _TAG.sub("", _BLOCK_END.sub("\n", markup or ""))
    text = html.unescape(text)
    if not text.strip():
        text = fallback or ""
    return [
        " ".join(line.split()) for line in _XML_ILLEGAL.sub("", text).splitlines() if line.strip()
    ]


@dataclass
class Entry:
    title: str
    document_number: str
    issuer: str
    date_signed: dt.date
    paragraphs: list[str]
    section: str = ""
    effective_date: dt.date | None = None
    validity: str = ""  # display label
    index_number: str = ""

    @classmethod
    def of(cls, document, *, fallback_text: str = "", **fields) -> Entry:
        """A document's header and paragraphs (`fallback_text` when its body is empty)."""
        return cls(
            title=document.title,
            document_number=document.document_number,
            issuer=document.org.name,
            date_signed=document.date_signed,
            index_number=document.index_number or "",
            paragraphs=paragraphs(document.body, fallback_text),
            **fields,
        )


@dataclass
class Booklet:
    title: str
    subtitle: str
    issuer: str
    date: dt.date
    entries: list[Entry] = field(default_factory=list)
    note: str = ""
    cover: bool = True  # cover and contents; a single document printed alone has neither

    def sections(self) -> list[tuple[str, list[tuple[int, Entry]]]]:
        """Entries grouped by section in order, numbered across the booklet."""
        groups: list[tuple[str, list[tuple[int, Entry]]]] = []
        for number, entry in enumerate(self.entries, 1):
            if not groups or groups[-1][0] != entry.section:
                groups.append((entry.section, []))
            groups[-1][1].append((number, entry))
        return groups


def document_pdf(document) -> bytes:
    """One document alone (no cover): its header block and text, with its attachments' text
    when the body is empty."""
    texts = "\n".join(a.extracted_text for a in document.attachments.all())
    entry = Entry.of(document, fallback_text=texts, validity=str(document.get_validity_display()))
    return to_pdf(
        Booklet(
            title=document.title,
            subtitle="",
            issuer=document.org.name,
            date=document.date_signed,
            cover=False,
            entries=[entry],
        )
    )


def _chinese_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def to_pdf(booklet: Booklet) -> bytes:
    root = office.font_dir().resolve()
    weasyprint = office.weasyprint_module()
    markup = _ENGINE.get_template("documents/booklet.html").render(
        Context(
            {
                "booklet": booklet,
                "sections": booklet.sections(),
                "date": _chinese_date(booklet.date),
                "font_regular": office.FONT_FILES[400],
                "font_bold": office.FONT_FILES[700],
            },
            autoescape=True,
        )
    )
    return weasyprint.HTML(
        string=markup, base_url=root.as_uri() + "/", url_fetcher=office.local_fetcher(root)
    ).write_pdf()


def to_docx(booklet: Booklet) -> bytes:
    from docx.enum.section import WD_SECTION

    document = office.new_docx(title_styles=(("Title", 26), ("Heading 1", 18)))
    write = _Writer(document)

    if booklet.cover:
        write.cover_and_contents(booklet)
    first = True
    for heading, items in booklet.sections():
        for index, (_number, entry) in enumerate(items):
            if booklet.cover or not first:
                document.add_section(WD_SECTION.NEW_PAGE)
            first = False
            if heading and index == 0:
                write.paragraph(heading, bold=True, center=True)
            write.entry(entry)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


class _Writer:
    def __init__(self, document):
        self.document = document

    def paragraph(self, text, *, size=16, bold=False, center=False, indent=False, style=None):
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Pt

        p = self.document.add_paragraph(style=style)
        if center:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if indent:
            p.paragraph_format.first_line_indent = Pt(size * 2)
        run = p.add_run(text)
        if style is None:
            run.font.size = Pt(size)
        run.bold = bold or None
        return p

    def cover_and_contents(self, booklet: Booklet) -> None:
        from docx.enum.text import WD_BREAK
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        for _ in range(6):
            self.document.add_paragraph()
        self.paragraph(booklet.title, center=True, style="Title")
        self.paragraph(booklet.subtitle, center=True)
        for _ in range(8):
            self.document.add_paragraph()
        self.paragraph(booklet.issuer, center=True)
        self.paragraph(_chinese_date(booklet.date), center=True)
        if booklet.note:
            self.paragraph(booklet.note, size=12, center=True)
        self.document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        # A static list that reads the same everywhere, then Word's own contents field (F9 in
        # Word, "update index" in WPS/LibreOffice) for page numbers.
        self.paragraph("目　录", size=22, bold=True, center=True)
        for heading, items in booklet.sections():
            if heading:
                self.paragraph(heading, bold=True)
            for number, entry in items:
                line = f"{number}. {entry.title}"
                if entry.document_number:
                    line += f"（{entry.document_number}）"
                self.paragraph(line, size=14)
        field_ = OxmlElement("w:fldSimple")
        field_.set(qn("w:instr"), 'TOC \\o "1-1" \\h \\z')
        self.document.add_paragraph()._p.append(field_)

    def entry(self, entry: Entry) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        heading = self.document.add_heading(level=1)
        heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
        heading.add_run(entry.title)
        meta = " ".join(
            part
            for part in (
                entry.document_number,
                entry.issuer,
                f"{_chinese_date(entry.date_signed)}印发",
                f"{_chinese_date(entry.effective_date)}施行" if entry.effective_date else "",
                entry.validity,
            )
            if part
        )
        self.paragraph(meta, size=12, center=True)
        for text in entry.paragraphs:
            self.paragraph(text, indent=True)

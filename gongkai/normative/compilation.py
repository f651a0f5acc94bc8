"""Compilations (制度文件汇编): an organisation's normative documents in force on a day, bound
into one DOCX or PDF (cover, contents, each document's header and text), grouped by subject."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from gongkai.core.exceptions import ApplicationError
from gongkai.documents import booklet
from gongkai.documents.models import Attachment
from gongkai.orgs.models import Org

from . import selectors

FORMATS = ("docx", "pdf")
CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def build(
    *,
    org: Org,
    valid_on: dt.date,
    include_sub_units: bool = True,
    categories: list[str] | None = None,
) -> booklet.Booklet:
    """The booklet of `org`'s documents in force on `valid_on` (ApplicationError when none)."""
    entries = list(
        selectors.valid_on(
            day=valid_on, org=org, include_sub_units=include_sub_units, categories=categories
        )
    )
    if not entries:
        raise ApplicationError(
            _("%(org)s在 %(day)s 没有现行有效的规范性文件，无法汇编。")
            % {"org": org.name, "day": valid_on.isoformat()},
            code="nothing_to_compile",
        )
    # Imported documents often keep their text in the original file only.
    empty = [n.document_id for n in entries if not (n.document.body or "").strip()]
    texts: dict[int, str] = {}
    for doc_id, text in Attachment.objects.filter(document_id__in=empty).values_list(
        "document_id", "extracted_text"
    ):
        texts[doc_id] = texts.get(doc_id, "") + "\n" + (text or "")
    uncategorised = _("其他")
    return booklet.Booklet(
        title=_("%(org)s规范性文件汇编") % {"org": org.name},
        subtitle=_("（截至%(y)s年%(m)s月%(d)s日现行有效）")
        % {"y": valid_on.year, "m": valid_on.month, "d": valid_on.day},
        issuer=org.name,
        date=valid_on,
        note=_("共收录 %(n)s 件。以正式印发文本为准。") % {"n": len(entries)},
        entries=[
            booklet.Entry.of(
                n.document,
                fallback_text=texts.get(n.document_id, ""),
                effective_date=n.effective_date,
                validity=str(n.document.get_validity_display()),
                section=n.document.category.name if n.document.category else str(uncategorised),
            )
            for n in entries
        ],
    )


def render(book: booklet.Booklet, fmt: str) -> bytes:
    if fmt not in FORMATS:
        raise ApplicationError(
            _("不支持的格式：%(f)s（可选 docx、pdf）") % {"f": fmt}, code="bad_format"
        )
    return booklet.to_docx(book) if fmt == "docx" else booklet.to_pdf(book)


def filename(org: Org, valid_on: dt.date, fmt: str) -> str:
    return f"{org.name}规范性文件汇编-{valid_on.isoformat()}.{fmt}"

"""Identify an uploaded file by its content and extract its text (for the PII check and search).

The name a file came with is never trusted: an executable renamed .pdf is refused, a DOCX that
does not open is refused. Formats: PDF (pypdf), DOCX (python-docx), XLSX (openpyxl), OFD (a zip
of XML: TextCode elements), HTML and TXT (encoding detected, GB18030 included), PNG/JPEG/GIF
images (no text).
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .exceptions import ApplicationError

_HTML_BLOCK_END = re.compile(
    r"(?=<\s*/\s*(?:p|div|h[1-6]|li|tr|td|th|table|section|article|blockquote)\s*>)"
    r"|<\s*br\s*/?\s*>",
    re.IGNORECASE,
)

# Extracted text is capped (settings.GONGKAI_MAX_TEXT_CHARS): it feeds a scanner and an index,
# not an archive. This is the default when settings are not at hand.
MAX_TEXT_CHARS = 2_000_000


@dataclass(frozen=True)
class Identified:
    kind: str  # pdf, docx, xlsx, ofd, html, txt, png, jpeg, gif
    content_type: str
    text: str


CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ofd": "application/ofd",
    "html": "text/html",
    "txt": "text/plain",
    "png": "image/png",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
}


def _refuse(reason: str, code: str) -> ApplicationError:
    return ApplicationError(reason, code=code)


def _sniff(data: bytes) -> str | None:
    head = data[:16]
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if head.startswith((b"MZ", b"\x7fELF", b"\xcf\xfa\xed\xfe", b"#!")):
        return "executable"
    return None


def _decode(data: bytes) -> str | None:
    """The text of a plain or HTML file, or None when it is not text.

    UTF-8 is tried on the whole file first (strict: one bad byte and it is not UTF-8). For other
    encodings the detector reads a sample cut at a line end — never inside a character, which
    would make valid text look like binary — and the whole file is then decoded with what it
    found."""
    from charset_normalizer import from_bytes

    if b"\x00" in data[:8192]:
        return None  # binary, whatever the name says
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    sample = data[:1_000_000]
    if len(data) > len(sample):
        cut = sample.rfind(b"\n")
        sample = sample[: cut + 1] if cut > 0 else sample
    best = from_bytes(sample).best()
    if best is None:
        return None
    try:
        return data.decode(best.encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def identify(data: bytes, filename: str = "") -> Identified:
    """What the file really is, and its text; ApplicationError when it is not acceptable."""
    kind = _sniff(data)
    if kind == "executable":
        raise _refuse(
            _("文件“%(name)s”是可执行程序，不能作为附件上传。") % {"name": filename}, "executable"
        )
    if kind == "zip":
        return _identify_zip(data, filename)
    if kind == "pdf":
        return Identified("pdf", CONTENT_TYPES["pdf"], _pdf_text(data, filename))
    if kind in ("png", "jpeg", "gif"):
        return Identified(kind, CONTENT_TYPES[kind], "")
    text = _decode(data)
    if text is None:
        raise _refuse(
            _("无法识别文件“%(name)s”的格式；支持 PDF、DOCX、XLSX、OFD、HTML、TXT 和常见图片。")
            % {"name": filename},
            "unknown_type",
        )
    if re.search(r"<\s*(html|body|p|div|table)\b", text[:5000], re.IGNORECASE):
        import html

        import nh3

        # Paragraphs, cells and breaks end lines: the header parser and the scanner read lines.
        text = _HTML_BLOCK_END.sub("\n", text)
        plain = html.unescape(nh3.clean(text, tags=set())).strip()
        return Identified("html", CONTENT_TYPES["html"], plain[: _limits()[3]])
    return Identified("txt", CONTENT_TYPES["txt"], text[: _limits()[3]])


def _limits() -> tuple[int, int, int, int]:
    from django.conf import settings

    return (
        settings.GONGKAI_ZIP_MAX_UNCOMPRESSED_BYTES,
        settings.GONGKAI_ZIP_MAX_MEMBERS,
        settings.GONGKAI_ZIP_MAX_RATIO,
        settings.GONGKAI_MAX_TEXT_CHARS,
    )


def _check_archive(archive: zipfile.ZipFile, filename: str) -> None:
    """Refuse a zip bomb before inflating a byte of it.

    The declared sizes are what `zipfile` will produce at most (it stops a member at its
    declared size and fails its CRC if the data says otherwise), so checking them bounds the
    work: the total, the number of members, and how far any sizeable member inflates."""
    max_total, max_members, max_ratio, _chars = _limits()
    members = archive.infolist()
    too_big = _refuse(
        _("文件“%(name)s”解压后过大或结构异常，已拒收。") % {"name": filename}, "archive_too_large"
    )
    if len(members) > max_members:
        raise too_big
    total = 0
    for member in members:
        total += member.file_size
        if total > max_total:
            raise too_big
        if member.file_size > 1_000_000 and member.file_size > max_ratio * max(
            member.compress_size, 1
        ):
            raise too_big


def _identify_zip(data: bytes, filename: str) -> Identified:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
        raise _refuse(
            _("文件“%(name)s”已损坏，无法打开。") % {"name": filename}, "corrupt"
        ) from None
    _check_archive(archive, filename)
    max_chars = _limits()[3]
    try:
        if "word/document.xml" in names:
            with archive.open("word/document.xml") as stream:
                text = _docx_text(stream, max_chars)
            return Identified("docx", CONTENT_TYPES["docx"], text)
        if "xl/workbook.xml" in names:
            return Identified("xlsx", CONTENT_TYPES["xlsx"], _xlsx_text(data, max_chars))
        if "OFD.xml" in names:
            return Identified("ofd", CONTENT_TYPES["ofd"], _ofd_text(archive, names, max_chars))
    except ApplicationError:
        raise
    except Exception:
        # Damaged archives and XML (bad CRC, truncated member, DTDs, entities) end here.
        raise _refuse(
            _("文件“%(name)s”已损坏，无法打开。") % {"name": filename}, "corrupt"
        ) from None
    raise _refuse(_("不支持的压缩文件“%(name)s”。") % {"name": filename}, "unknown_type")


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# Real office XML nests a few dozen levels; deeper is an attack on the parser.
MAX_XML_DEPTH = 256


class _TextCap(Exception):
    """Enough text has been read."""


def _iter_xml(stream):
    """(event, element, depth) of an XML stream, parsed by defusedxml: no DTD, no entities,
    no network; elements are dropped once read so memory stays flat on any size."""
    from defusedxml.ElementTree import iterparse

    depth = 0
    parents = []
    for event, element in iterparse(stream, events=("start", "end"), forbid_dtd=True):
        if event == "start":
            depth += 1
            if depth > MAX_XML_DEPTH:
                raise ValueError("XML nested too deeply")
            parents.append(element)
            yield event, element, depth
            continue
        yield event, element, depth
        parents.pop()
        depth -= 1
        element.clear()
        if parents:
            parents[-1].remove(element)  # the last child: removed in constant time


def _docx_text(stream, max_chars: int) -> str:
    """Paragraphs of word/document.xml in reading order, tables included where they stand;
    stops at `max_chars` (each paragraph end counts as one)."""
    lines: list[str] = []
    parts: list[str] = []
    size = 0
    for event, element, _depth in _iter_xml(stream):
        if event != "end":
            continue
        tag = element.tag
        if tag == _W + "t":
            parts.append(element.text or "")
            size += len(element.text or "")
        elif tag in (_W + "tab", _W + "br", _W + "cr"):
            parts.append("\t" if tag == _W + "tab" else "\n")
            size += 1
        elif tag == _W + "p":
            lines.append("".join(parts))
            parts = []
            size += 1
        if size > max_chars:
            break
    if parts:
        lines.append("".join(parts))
    return "\n".join(lines).strip("\n")[:max_chars]


def _xlsx_text(data: bytes, max_chars: int) -> str:
    import openpyxl  # reads its XML through defusedxml when it is installed

    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    parts, size = [], 0
    try:
        for sheet in book.worksheets:
            for row in sheet.iter_rows(values_only=True):
                line = " ".join("" if v is None else str(v) for v in row)
                parts.append(line)
                size += len(line) + 1
                if size > max_chars:
                    raise _TextCap
    except _TextCap:
        pass
    finally:
        book.close()
    return "\n".join(parts)[:max_chars]


def _ofd_text(archive: zipfile.ZipFile, names: set[str], max_chars: int) -> str:
    # GB/T 33190: page content lives in Doc_N/Pages/Page_N/Content.xml, text in TextCode elements.
    pages = sorted(n for n in names if re.fullmatch(r"Doc_\d+/Pages/Page_\d+/Content\.xml", n))
    parts, size = [], 0
    for name in pages:
        with archive.open(name) as stream:
            for event, element, _depth in _iter_xml(stream):
                if event == "end" and element.tag.endswith("TextCode"):
                    parts.append(element.text or "")
                    size += len(element.text or "")
                    if size > max_chars:
                        return "".join(parts)[:max_chars]
    return "".join(parts)


def _pdf_text(data: bytes, filename: str) -> str:
    import pypdf

    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        parts, size = [], 0
        for page in reader.pages:
            text = page.extract_text() or ""
            parts.append(text)
            size += len(text)
            if size > _limits()[3]:
                break
    except Exception:
        raise _refuse(
            _("文件“%(name)s”已损坏，无法打开。") % {"name": filename}, "corrupt"
        ) from None
    return "\n".join(parts)[: _limits()[3]]

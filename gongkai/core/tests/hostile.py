"""Hostile files, built on demand: for the tests that perform each attack and for
`bench/hostile.py`, which times the refusals. Nothing here runs in production."""

from __future__ import annotations

import io
import random
import zipfile

_DOCX_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    'package/2006/content-types"></Types>'
)
_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _docx(document_xml_chunks, *, extra: dict[str, bytes] | None = None) -> bytes:
    """A DOCX whose word/document.xml is streamed from `document_xml_chunks` (bytes)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", _DOCX_TYPES)
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            for chunk in document_xml_chunks:
                member.write(chunk)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return out.getvalue()


def _repeat(head: bytes, unit: bytes, total: int, tail: bytes):
    yield head
    block = unit * max(1, (1 << 20) // len(unit))
    written = 0
    while written < total:
        yield block
        written += len(block)
    yield tail


def size_bomb(inflated: int = 1 << 30) -> bytes:
    """A few MB that inflate to `inflated` bytes of empty paragraphs (1 GiB by default)."""
    head = f"<w:document {_W}><w:body>".encode()
    return _docx(_repeat(head, b"<w:p/>", inflated, b"</w:body></w:document>"))


def spaces_bomb(inflated: int = 1 << 30) -> bytes:
    """1 GiB of spaces inside one paragraph."""
    head = f"<w:document {_W}><w:body><w:p><w:r><w:t>".encode()
    return _docx(_repeat(head, b" ", inflated, b"</w:t></w:r></w:p></w:body></w:document>"))


def paragraph_flood(size: int = 40 << 20, seed: int = 1) -> bytes:
    """Tens of MB of short, varied paragraphs: under the ratio limit, so it is read — until the
    text cap stops it."""
    rng = random.Random(seed)
    letters = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动"

    def chunks():
        yield f"<w:document {_W}><w:body>".encode()
        written = 0
        while written < size:
            text = "".join(rng.choice(letters) for _ in range(2000))
            piece = "".join(
                f"<w:p><w:r><w:t>{text[i : i + 20]}</w:t></w:r></w:p>" for i in range(0, 2000, 20)
            ).encode()
            written += len(piece)
            yield piece
        yield b"</w:body></w:document>"

    return _docx(chunks())


def member_bomb(members: int = 100_000) -> bytes:
    """A DOCX with a hundred thousand empty members."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("word/document.xml", f"<w:document {_W}><w:body/></w:document>")
        for i in range(members):
            archive.writestr(f"m/{i}", b"")
    return out.getvalue()


def entity_bomb() -> bytes:
    """Billion laughs in word/document.xml."""
    lol = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, 10)
    ]
    xml = (
        f'<?xml version="1.0"?><!DOCTYPE w:document [{"".join(lol)}]>'
        f"<w:document {_W}><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>"
    )
    return _docx([xml.encode()])


def depth_bomb(depth: int = 100_000) -> bytes:
    """Elements nested a hundred thousand deep (small enough to pass the ratio check)."""
    return _docx([f"<w:document {_W}>".encode(), b"<a>" * depth, b"</a>" * depth,
                  b"</w:document>"])  # fmt: skip


def nested_zip() -> bytes:
    """A zip holding a zip bomb (no office format at the top)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("inner.zip", size_bomb(64 << 20))
    return out.getvalue()


def disguised_executable() -> bytes:
    return b"MZ\x90\x00" + b"\x00" * 4096


def corrupt_docx() -> bytes:
    good = _docx([f"<w:document {_W}><w:body><w:p/></w:body></w:document>".encode()])
    return good[: len(good) // 2]


def big_file(size: int = 200 << 20) -> bytes:
    return b"%PDF-1.4\n" + b"0" * size


def large_utf8_text(size: int = 2 << 20) -> bytes:
    """Valid UTF-8 of several MB, with three-byte characters across the 1 MB mark."""
    line = "第一条　为了规范政府信息公开工作，制定本办法。\n".encode()
    return line * (size // len(line) + 1)


ALL = {
    "zip bomb by size (1 GiB of paragraphs)": ("plan.docx", size_bomb),
    "zip bomb of spaces (1 GiB)": ("spaces.docx", spaces_bomb),
    "paragraph flood (40 MB, under the ratio)": ("flood.docx", paragraph_flood),
    "member count (100,000)": ("members.docx", member_bomb),
    "XML entity expansion": ("laughs.docx", entity_bomb),
    "XML depth (100,000)": ("deep.docx", depth_bomb),
    "nested zip": ("nested.docx", nested_zip),
    "200 MB file": ("big.pdf", big_file),
    "disguised executable": ("report.pdf", disguised_executable),
    "corrupt DOCX": ("broken.docx", corrupt_docx),
}

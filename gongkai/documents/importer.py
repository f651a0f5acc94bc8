"""Bulk import of existing documents (`gongkai import-documents DIR --org CODE`).

Each file is read, identified by its content, its text extracted and its GB/T 9704 header parsed;
then it becomes a draft through the same services as a hand-made document (personal-information
scan, disclosure attribute), with the original file as its attachment, and with `--publish` it
goes through the review and publication steps. Each file is imported inside its own savepoint:
a file that fails leaves nothing behind. The SHA-256 of each file is recorded, so a re-run skips
what is already in.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import html
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from gongkai.core import textextract
from gongkai.core.exceptions import ApplicationError

from . import services
from .gbt9704 import Header, parse_header
from .models import Document, ImportRecord
from .workflow import Status

SUFFIXES = {".pdf", ".docx", ".txt", ".html", ".htm", ".ofd"}
KINDS = {"pdf", "docx", "txt", "html", "ofd"}

IMPORTED, WOULD_IMPORT, DUPLICATE, FAILED, UNSUPPORTED = (
    "imported", "would_import", "duplicate", "failed", "unsupported",
)  # fmt: skip

REPORT_FIELDS = [
    "file", "status", "title", "document_number", "issuer", "date_signed", "main_recipients",
    "attachments_note", "doc_type", "index_number", "reason", "warnings", "sha256",
]  # fmt: skip


@dataclass
class FileResult:
    path: Path
    status: str
    sha256: str = ""
    header: Header | None = None
    title: str = ""
    index_number: str = ""
    reason: str = ""
    warnings: list[str] = field(default_factory=list)

    def row(self, root: Path) -> dict:
        h = self.header or Header()
        return {
            "file": str(self.path.relative_to(root))
            if self.path.is_relative_to(root)
            else str(self.path),
            "status": self.status,
            "title": self.title,
            "document_number": h.document_number or "",
            "issuer": h.issuer or "",
            "date_signed": h.date_signed.isoformat() if h.date_signed else "",
            "main_recipients": "、".join(h.main_recipients),
            "attachments_note": h.attachments_note or "",
            "doc_type": h.doc_type or "",
            "index_number": self.index_number,
            "reason": self.reason,
            "warnings": "; ".join(self.warnings),
            "sha256": self.sha256,
        }


def files_in(root: Path) -> list[Path]:
    """Every file under `root`, hidden ones left out, in a stable order."""
    return sorted(
        p
        for p in root.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(root).parts)
    )


def _body(text: str) -> str:
    return "".join(
        f"<p>{html.escape(line.strip())}</p>" for line in text.splitlines() if line.strip()
    )


def _refuse(result: FileResult, reason: str) -> FileResult:
    result.status, result.reason = FAILED, reason
    return result


def examine(
    path: Path, data: bytes, *, org, known: set[str]
) -> tuple[FileResult, textextract.Identified | None]:
    """What the file holds and whether it can be imported; nothing is written."""
    result = FileResult(path=path, status=WOULD_IMPORT, sha256=hashlib.sha256(data).hexdigest())
    if path.suffix.lower() not in SUFFIXES:
        result.status, result.reason = (
            UNSUPPORTED,
            _("不是可导入的格式（PDF、DOCX、TXT、HTML、OFD）"),
        )
        return result, None
    if result.sha256 in known:
        result.status, result.reason = DUPLICATE, _("已导入过（文件内容相同）")
        return result, None
    limit = settings.GONGKAI_MAX_ATTACHMENT_BYTES
    if not data:
        return _refuse(result, _("空文件")), None
    if len(data) > limit:
        return _refuse(
            result, _("超过大小上限（%(mb)s MB）") % {"mb": limit // (1024 * 1024)}
        ), None
    try:
        found = textextract.identify(data, path.name)
    except ApplicationError as exc:
        return _refuse(result, str(exc.message)), None
    if found.kind not in KINDS:
        return _refuse(result, _("文件内容是 %(k)s，不是文档") % {"k": found.kind}), None
    if not found.text.strip():
        return _refuse(result, _("没有可提取的文字（可能是扫描件，需要先做文字识别）")), None
    header = parse_header(found.text)
    result.header, result.warnings = header, list(header.warnings)
    result.title = header.title or ""
    if not result.title:
        result.title = path.stem[:300]
        result.warnings.append("title not found: the file name is used")
    if header.date_signed is None:
        return _refuse(result, _("未识别出成文日期")), None
    if header.issuer and org.name not in header.issuer and header.issuer not in org.name:
        result.warnings.append(f"issuer on the document ({header.issuer}) is not {org.name}")
    return result, found


def import_one(*, actor, org, result: FileResult, found, data: bytes, publish: bool) -> FileResult:
    """Create the document for an examined file, all or nothing (one savepoint)."""
    header = result.header
    document = services.document_import(
        actor=actor,
        org=org,
        data={
            "title": result.title,
            "document_number": header.document_number or "",
            "date_signed": header.date_signed,
            "doc_type": header.doc_type or Document.DocType.OTHER,
            "attribute": Document.Attribute.PROACTIVE,
            "body": _body(found.text),
        },
        file_name=result.path.name,
        file_data=data,
        identified=found,
        sha256=result.sha256,
        publish=publish,
    )
    result.status = IMPORTED
    result.index_number = document.index_number or ""
    if publish and document.status != Status.PUBLISHED:
        result.reason = _("发现个人信息，已提交审查，未发布")
    return result


def run(
    *,
    actor,
    org,
    root: Path,
    dry_run: bool = False,
    publish: bool = False,
    progress: Callable[[int, int, FileResult], None] | None = None,
) -> Iterator[FileResult]:
    """Import every file under `root`; yields one result per file as it goes."""
    paths = files_in(root)
    known = set(ImportRecord.objects.filter(org=org).values_list("sha256", flat=True))
    for n, path in enumerate(paths, 1):
        limit = settings.GONGKAI_MAX_ATTACHMENT_BYTES
        try:
            # A file over the limit is refused by its size, never read into memory.
            too_big = path.stat().st_size > limit
            data = b"" if too_big else path.read_bytes()
        except OSError as exc:
            result = _refuse(
                FileResult(path=path, status=FAILED), _("无法读取：%(e)s") % {"e": exc.strerror}
            )
        else:
            if too_big:
                result = _refuse(
                    FileResult(path=path, status=FAILED),
                    _("超过大小上限（%(mb)s MB）") % {"mb": limit // (1024 * 1024)},
                )
                if progress:
                    progress(n, len(paths), result)
                yield result
                continue
            result, found = examine(path, data, org=org, known=known)
            if result.status == WOULD_IMPORT and not dry_run:
                try:
                    import_one(
                        actor=actor, org=org, result=result, found=found, data=data, publish=publish
                    )
                    known.add(result.sha256)
                except ApplicationError as exc:
                    _refuse(result, str(exc.message))
            elif result.status == WOULD_IMPORT:
                known.add(result.sha256)  # the same bytes twice in one folder: once
        if progress:
            progress(n, len(paths), result)
        yield result


def write_report(results: list[FileResult], root: Path, out: Path) -> None:
    # utf-8-sig: Excel opens it with the Chinese intact.
    with out.open("w", newline="", encoding="utf-8-sig") as fh:
        writer = csv.DictWriter(fh, fieldnames=REPORT_FIELDS)
        writer.writeheader()
        for result in results:
            writer.writerow(result.row(root))


def default_report_name() -> str:
    return f"import-report-{dt.datetime.now():%Y%m%d-%H%M%S}.csv"

"""The disclosed information itself (Art.36(2): "向申请人提供该政府信息"): files the handler
attaches while working on the request, reviewed with the draft reply by the office head and the
legal reviewer, and downloaded by the applicant on the tracking page once the reply is sent."""

from __future__ import annotations

from pathlib import PurePath

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from gongkai.core import audit, pii, textextract
from gongkai.core.exceptions import ApplicationError, NotFoundError, PermissionDeniedError
from gongkai.core.files import store as store_file
from gongkai.orgs import permissions

from ..models import DisclosedFile, Request
from ..workflow import WORKING, Status

# A reply provides documents, not an archive: more than this many files is a mistake.
MAX_FILES = 30
# The applicant downloads the files from these states on (the reply has been sent).
SENT = frozenset({Status.REPLIED, Status.DELIVERED, Status.ARCHIVED})


def _check(actor, request: Request) -> Request:
    """Lock the request; only its handlers change the files, and only while they work on it
    (before the draft goes to the office head: what was approved is what the applicant gets)."""
    locked = Request.objects.select_for_update().select_related("org").get(pk=request.pk)
    if not permissions.can(actor, "handle_request", locked.org):
        raise PermissionDeniedError()
    if locked.status not in WORKING:
        raise ApplicationError(
            _("只有办理中的申请可以更改公开信息文件（答复提交审核后请先退回修改）。"),
            code="invalid_transition",
        )
    return locked


def _identify(name: str, data: bytes) -> tuple[str, textextract.Identified]:
    """Checked before any transaction opens: size, then content (executables, broken or
    oversized archives, files whose bytes are not what their name says are refused)."""
    name = PurePath((name or "file").replace("\\", "/")).name[:255] or "file"
    limit = settings.GONGKAI_FOI_MAX_DISCLOSED_BYTES
    if not data:
        raise ApplicationError(_("文件“%(n)s”是空的。") % {"n": name}, code="empty_file")
    if len(data) > limit:
        raise ApplicationError(
            _("文件“%(n)s”超过大小上限（%(mb)s MB）。") % {"n": name, "mb": limit // (1024 * 1024)},
            code="file_too_large",
        )
    return name, textextract.identify(data, name)


def request_disclosed_file_add(
    *, actor, request: Request, files: list[tuple[str, bytes]]
) -> list[DisclosedFile]:
    """Attach files of disclosed information to the request: all of them or none. Each is
    checked by its bytes, stored once, hashed and scanned for personal information (the
    reviewers see what it holds); one audit event per file."""
    if not permissions.can(actor, "handle_request", request.org):
        raise PermissionDeniedError()  # before reading a stranger's upload
    if not files:
        raise ApplicationError(_("请选择要上传的文件。"), code="file_required")
    checked = [(*_identify(name, data), data) for name, data in files]
    with transaction.atomic():
        locked = _check(actor, request)
        if locked.disclosed_files.count() + len(checked) > MAX_FILES:
            raise ApplicationError(
                _("每件申请最多附 %(n)s 个公开信息文件。") % {"n": MAX_FILES}, code="too_many_files"
            )
        stored_files = []
        for name, found, data in checked:
            findings = [f.as_dict() for f in pii.scan(found.text)]
            stored = DisclosedFile(request=locked, pii_findings=findings)
            store_file(stored, name, data, identified=found)
            audit.record(
                actor=actor,
                verb="foi.disclosed_file_add",
                target=locked,
                org=locked.org,
                data={
                    "file": stored.pk,
                    "name": stored.original_name,
                    "sha256": stored.sha256,
                    "size": stored.size,
                    "pii": len(findings),
                },
            )
            stored_files.append(stored)
        return stored_files


@transaction.atomic
def request_disclosed_file_remove(*, actor, request: Request, file_id: int) -> None:
    locked = _check(actor, request)
    stored = locked.disclosed_files.filter(pk=file_id).first()
    if stored is None:
        raise NotFoundError(_("没有找到该文件。"))
    audit.record(
        actor=actor,
        verb="foi.disclosed_file_remove",
        target=locked,
        org=locked.org,
        data={"file": stored.pk, "name": stored.original_name, "sha256": stored.sha256},
    )
    # The row goes; the bytes stay (content-addressed, possibly shared, and named in the trail).
    stored.delete()


def disclosed_files_for_applicant(request: Request):
    """What the applicant may download: nothing before the reply is sent."""
    if request.status not in SENT:
        return DisclosedFile.objects.none()
    return request.disclosed_files.all()

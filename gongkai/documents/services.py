"""Writes of the documents app: drafting, editing, masking, and the publication workflow."""

from __future__ import annotations

import datetime as dt
import hashlib
import re

import nh3
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.core import audit, pii, textextract, workdays
from gongkai.core.changes import apply_changes
from gongkai.core.exceptions import ApplicationError, PermissionDeniedError
from gongkai.core.files import store as store_file
from gongkai.core.services import sequence_next
from gongkai.orgs import permissions

from . import signals
from .models import (
    Attachment,
    Document,
    GazetteEntry,
    GazetteIssue,
    Interpretation,
    Revision,
)
from .numbers import normalise_document_number
from .workflow import EDITABLE_STATUSES, WORKFLOW, Status

# Art.26: proactive information is published within 20 working days of being made or changed.
PUBLICATION_PERIOD_WORKING_DAYS = 20

EDITABLE_FIELDS = (
    "title", "document_number", "date_signed", "date_changed", "category", "doc_type",
    "attribute", "attribute_basis", "attribute_reason", "summary", "body", "validity",
    "needs_interpretation",
)  # fmt: skip


def publication_due(document: Document) -> dt.date:
    start = document.date_changed or document.date_signed
    return workdays.add_working_days(
        start, PUBLICATION_PERIOD_WORKING_DAYS, region=document.org
    ).due_date


# C0 controls but tab and newlines: invisible, and they break XML feeds and spreadsheets.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _clean(data: dict) -> dict:
    data = {k: _CONTROL.sub("", v) if isinstance(v, str) else v for k, v in data.items()}
    for name in M2M_FIELDS:
        data.pop(name, None)  # see _set_m2m
    if "document_number" in data:
        data["document_number"] = normalise_document_number(data["document_number"])
    if "body" in data:
        data["body"] = nh3.clean(data["body"] or "")
    if "title" in data:
        data["title"] = " ".join((data["title"] or "").split())
    if data.get("attribute") == Document.Attribute.PROACTIVE:
        data["attribute_basis"] = ""
    return data


def _check_attribute(document: Document) -> None:
    if document.attribute != Document.Attribute.PROACTIVE and not document.attribute_basis:
        raise ApplicationError(
            _("公开属性为“%(attr)s”时，必须选择不予主动公开的依据（条例第十四条至第十六条）。")
            % {"attr": document.get_attribute_display()},
            code="attribute_basis_required",
        )


def _revision(document: Document, actor, changes: dict) -> None:
    number = (
        document.revisions.order_by("-number").values_list("number", flat=True).first() or 0
    ) + 1
    Revision.objects.create(document=document, number=number, actor=_user(actor), changes=changes)


def _lock_draft(actor, pk: int, refusal: str) -> Document:
    """The document, row-locked, if `actor` may edit it and it is still a draft."""
    document = Document.objects.select_for_update().select_related("org").get(pk=pk)
    if not permissions.can(actor, "draft_document", document.org):
        raise PermissionDeniedError()
    if document.status not in EDITABLE_STATUSES:
        raise ApplicationError(refusal, code="not_editable")
    return document


M2M_FIELDS = ("columns", "co_issuers")


def _set_m2m(document: Document, data: dict, changes: dict) -> None:
    """Topical columns (专栏) and joint issuers are many-to-many: set after the row exists."""
    for name in M2M_FIELDS:
        if name not in data:
            continue
        related = getattr(document, name)
        new = sorted({obj.pk for obj in data[name] or ()} - {document.org_id})
        old = sorted(related.values_list("pk", flat=True))
        if new != old:
            related.set(new)
            changes[name] = (old, new)


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _plain(changes: dict) -> dict:
    return {k: [getattr(v, "pk", v) for v in pair] for k, pair in changes.items()}


@transaction.atomic
def document_create(*, actor, org, data: dict) -> Document:
    """Draft a document. The disclosure attribute is fixed here, before it goes for signature."""
    if not permissions.can(actor, "draft_document", org):
        raise PermissionDeniedError()
    document = Document(org=org, created_by=_user(actor), status=Status.DRAFT)
    changes = apply_changes(document, _clean(data), EDITABLE_FIELDS, exclude=("publication_due",))
    _check_attribute(document)
    document.publication_due = publication_due(document)
    document.save()
    # Found at once, so the drafter sees it on the draft's page and masks it before submitting.
    document.pii_findings = _scan(document)
    if document.pii_findings:
        document.save(update_fields=["pii_findings"])
    _set_m2m(document, data, changes)
    _revision(document, actor, _plain(changes))
    audit.record(
        actor=actor,
        verb="document.create",
        target=document,
        org=org,
        data={"title": document.title, "attribute": document.attribute},
    )
    return document


@transaction.atomic
def document_update(*, actor, document: Document, data: dict) -> Document:
    document = _lock_draft(actor, document.pk, _("只有草稿可以修改；已提交的请先由审查员退回。"))
    changes = apply_changes(document, _clean(data), EDITABLE_FIELDS, exclude=("publication_due",))
    _check_attribute(document)
    _set_m2m(document, data, changes)
    if changes:
        document.publication_due = publication_due(document)
        document.pii_findings = _scan(document)
        document.save()
        _revision(document, actor, _plain(changes))
        audit.record(
            actor=actor,
            verb="document.update",
            target=document,
            org=document.org,
            data={"fields": sorted(changes)},
        )
    return document


def _scan(document: Document) -> list[dict]:
    """Findings in the document's own text and in its attachments, each saying where it is."""
    found = _scan_text(document)
    for name, text in document.attachments.values_list("original_name", "extracted_text"):
        found += [f.as_dict() | {"source": f"attachment:{name}"} for f in pii.scan(text)]
    return found


def _scan_text(document: Document) -> list[dict]:
    """Findings in the title, summary and body (not the attachments)."""
    sources = [
        ("title", document.title),
        ("summary", document.summary),
        ("body", nh3.clean(document.body, tags=set())),
    ]
    return [f.as_dict() | {"source": where} for where, text in sources for f in pii.scan(text)]


@transaction.atomic
def document_mask_pii(*, actor, document: Document) -> Document:
    """Mask every piece of personal information in the draft's own text (one click)."""
    document = _lock_draft(actor, document.pk, _("只有草稿可以修改。"))
    masked_fields = {}
    for name in ("title", "summary", "body"):
        masked, found = pii.mask(getattr(document, name))
        if found:
            masked_fields[name] = [f.as_dict() for f in found]
            setattr(document, name, masked)
    document.pii_findings = _scan(document)
    document.save()
    if masked_fields:
        _revision(document, actor, {"masked": masked_fields})
    audit.record(
        actor=actor,
        verb="document.mask_pii",
        target=document,
        org=document.org,
        data={"masked": {k: len(v) for k, v in masked_fields.items()}},
    )
    return document


def attachment_add(
    *,
    actor,
    document: Document,
    name: str,
    data: bytes,
    identified: textextract.Identified | None = None,
    index_text: bool = True,
) -> Attachment:
    """Attach a file to a draft: size-limited, identified by content, hashed, text extracted.

    Everything is checked before anything is stored; a refused file leaves no trace.
    `identified`: the importer has already read the file; `index_text=False`: its text is the
    document's body already, so it is neither scanned nor indexed twice.
    """
    # Who may, before any work on the file (checked again under the lock).
    if not permissions.can(actor, "draft_document", document.org):
        raise PermissionDeniedError()
    limit = settings.GONGKAI_MAX_ATTACHMENT_BYTES
    if len(data) > limit:
        raise ApplicationError(
            _("文件“%(name)s”超过大小上限（%(mb)s MB）。")
            % {"name": name, "mb": limit // (1024 * 1024)},
            code="too_large",
        )
    if not data:
        raise ApplicationError(_("文件“%(name)s”是空文件。") % {"name": name}, code="empty")
    # Identified and its text extracted before the transaction: nothing slow holds the write lock.
    found = identified or textextract.identify(data, name)
    return _attachment_store(
        actor=actor, document=document, name=name, data=data, found=found, index_text=index_text
    )


@transaction.atomic
def _attachment_store(*, actor, document, name, data, found, index_text) -> Attachment:
    document = _lock_draft(actor, document.pk, _("只有草稿可以添加附件。"))
    attachment = store_file(
        Attachment(document=document, extracted_text=found.text if index_text else ""),
        name,
        data,
        identified=found,
    )
    document.pii_findings = _scan(document)
    document.save(update_fields=["pii_findings", "updated_at"])
    _revision(document, actor, {"attachment_added": [name, attachment.sha256]})
    audit.record(
        actor=actor,
        verb="document.attachment_add",
        target=document,
        org=document.org,
        data={"name": name, "sha256": attachment.sha256, "size": len(data), "kind": found.kind},
    )
    return attachment


@transaction.atomic
def attachment_remove(*, actor, attachment: Attachment) -> None:
    document = _lock_draft(actor, attachment.document_id, _("只有草稿可以删除附件。"))
    data = {"name": attachment.original_name, "sha256": attachment.sha256}
    # The stored file stays: other attachments may share its bytes, and the trail names its hash.
    attachment.delete()
    document.pii_findings = _scan(document)
    document.save(update_fields=["pii_findings", "updated_at"])
    _revision(document, actor, {"attachment_removed": [data["name"], data["sha256"]]})
    audit.record(
        actor=actor, verb="document.attachment_remove", target=document, org=document.org, data=data
    )


def allocate_index_number(document: Document, when: dt.datetime) -> str:
    """The next index number of the organisation and year; never reused (core.Sequence)."""
    year = timezone.localtime(when).year
    serial = sequence_next(f"index:{document.org.code}:{year}")
    return settings.GONGKAI_INDEX_NUMBER_PATTERN.format(
        org_code=document.org.code, year=year, serial=serial
    )


@transaction.atomic
def document_transition(*, actor, document: Document, action: str, reason: str = "") -> Document:
    """Move a document through the publication workflow, with each step's own checks."""
    reason = (reason or "").strip()
    with WORKFLOW.transition(document, action, actor=actor) as move:
        document, data = move.obj, move.data
        now = timezone.now()
        if action in ("submit", "approve", "publish"):
            document.pii_findings = _scan(document)
            if document.pii_findings:
                data["pii_findings"] = len(document.pii_findings)
        if action == "approve" and document.pii_findings:
            # A reviewer may let personal information through only with a written reason.
            if not reason:
                raise ApplicationError(
                    _("发现 %(n)s 处个人信息，请先遮盖，或由审查员填写放行理由。")
                    % {"n": len(document.pii_findings)},
                    code="pii_found",
                    extra={"findings": document.pii_findings},
                )
            document.pii_override_reason = reason
            data["pii_override_reason"] = reason
        if action == "publish":
            if document.attribute != Document.Attribute.PROACTIVE:
                raise ApplicationError(_("只有主动公开的信息可以发布。"), code="not_proactive")
            if document.pii_findings and not document.pii_override_reason:
                raise ApplicationError(
                    _("发现个人信息，须遮盖或经审查员放行后才能发布。"), code="pii_found"
                )
            document.index_number = allocate_index_number(document, now)
            document.published_at = now
            document.is_late = timezone.localdate(now) > document.publication_due
            data |= {"index_number": document.index_number, "late": document.is_late}
        if action in ("withdraw", "return"):
            if not reason:
                raise ApplicationError(_("请填写原因。"), code="reason_required")
            data["reason"] = reason
        if action == "withdraw":
            document.withdrawn_at, document.withdrawal_reason = now, reason
    if action in ("publish", "withdraw"):
        # In this transaction: findable exactly when the publication commits, gone exactly
        # when the withdrawal does.
        signals.document_changed.send(Document, document=document)
    return document


def document_set_validity(*, document_id: int, validity: str) -> tuple[str, Document]:
    """Set a document's validity (有效/已修改/废止/失效); return the old value and the document.

    Validity is the normative register's business (RULES §5): `normative.services` decides
    when it changes, checks who may, and records the dated step and the audit event; this is
    the one place the field is written. Runs in the caller's transaction."""
    if validity not in Document.Validity.values:
        raise ApplicationError(_("效力状态无效。"), code="invalid_validity")
    document = Document.objects.select_for_update().select_related("org").get(pk=document_id)
    old = document.validity
    if old != validity:
        document.validity = validity
        document.save(update_fields=["validity", "updated_at"])
        signals.document_changed.send(Document, document=document)
    return old, document


# Interpretations (政策解读) ------------------------------------------------------------------


@transaction.atomic
def interpretation_set(
    *, actor, document: Document, form: str, responsible_org=None, policies: list[Document]
) -> Interpretation:
    """Make `document` the interpretation of `policies` (or change its form and links).

    `responsible_org` defaults to the first policy's organisation: 谁起草、谁解读, whoever
    drafts a policy interprets it.

    The policies must be public, or drafts the actor can see in their own organisation: a policy
    and its interpretation are often drafted together (三同步)."""
    document = Document.objects.select_for_update().select_related("org").get(pk=document.pk)
    if not permissions.can(actor, "draft_document", document.org):
        raise PermissionDeniedError()
    if form not in Interpretation.Form.values:
        raise ApplicationError(_("请选择解读形式。"), code="form_required")
    if not policies:
        raise ApplicationError(_("请至少关联一份被解读的政策文件。"), code="policy_required")
    for policy in policies:
        if policy.pk == document.pk:
            raise ApplicationError(_("解读不能关联它自己。"), code="policy_self")
        if policy.status != Status.PUBLISHED and not permissions.can(
            actor, "draft_document", policy.org
        ):
            raise ApplicationError(
                _("《%(t)s》尚未发布，不能关联。") % {"t": policy.title}, code="policy_not_public"
            )
        # The link counts in the policy's organisation's interpretation ledger: only someone
        # who works for that organisation may make it.
        if not permissions.can(actor, "draft_document", policy.org):
            raise ApplicationError(
                _("《%(t)s》是%(org)s的文件，不在您的职责范围内，不能关联。")
                % {"t": policy.title, "org": policy.org.name},
                code="policy_out_of_reach",
            )
    if responsible_org is None:
        responsible_org = policies[0].org
    if not permissions.can(actor, "draft_document", responsible_org):
        raise ApplicationError(
            _("%(org)s不在您的职责范围内，不能作为解读责任单位。") % {"org": responsible_org.name},
            code="responsible_out_of_reach",
        )
    interpretation, created = Interpretation.objects.update_or_create(
        document=document, defaults={"form": form, "responsible_org": responsible_org}
    )
    interpretation.policies.set(policies)
    if document.status == Status.PUBLISHED:
        signals.document_changed.send(Document, document=document)
    audit.record(
        actor=actor,
        verb="document.interpretation_set",
        target=document,
        org=document.org,
        data={
            "form": form,
            "responsible_org": responsible_org.pk,
            "policies": sorted(p.pk for p in policies),
            "created": created,
        },
    )
    return interpretation


@transaction.atomic
def document_flag_interpretation(*, actor, document: Document, needed: bool) -> Document:
    """Mark a policy as needing an interpretation (it then shows in the coverage ledger)."""
    document = Document.objects.select_for_update().select_related("org").get(pk=document.pk)
    if not permissions.can(actor, "draft_document", document.org):
        raise PermissionDeniedError()
    if document.needs_interpretation != needed:
        document.needs_interpretation = needed
        document.save(update_fields=["needs_interpretation", "updated_at"])
        audit.record(
            actor=actor,
            verb="document.flag_interpretation",
            target=document,
            org=document.org,
            data={"needed": needed},
        )
    return document


# Gazette (政府公报) --------------------------------------------------------------------------


@transaction.atomic
def gazette_issue_create(
    *, actor, org, year: int, number: int, issue_date: dt.date, total_number: int | None = None
) -> GazetteIssue:
    if not permissions.can(actor, "edit_gazette", org):
        raise PermissionDeniedError()
    if not 1 <= number <= 999 or not 1949 <= year <= 2100:
        raise ApplicationError(_("年份或期号有误。"), code="invalid_issue")
    if GazetteIssue.objects.filter(org=org, year=year, number=number).exists():
        raise ApplicationError(
            _("%(y)s年第%(n)s期已存在。") % {"y": year, "n": number}, code="issue_exists"
        )
    issue = GazetteIssue.objects.create(
        org=org, year=year, number=number, issue_date=issue_date, total_number=total_number
    )
    audit.record(
        actor=actor,
        verb="gazette.issue_create",
        target=issue,
        org=org,
        data={"year": year, "number": number, "issue_date": issue_date},
    )
    return issue


def _lock_issue(actor, issue: GazetteIssue) -> GazetteIssue:
    issue = GazetteIssue.objects.select_for_update().select_related("org").get(pk=issue.pk)
    if not permissions.can(actor, "edit_gazette", issue.org):
        raise PermissionDeniedError()
    if issue.published_at:
        raise ApplicationError(_("本期公报已发布，不能再修改。"), code="issue_published")
    return issue


@transaction.atomic
def gazette_entry_add(
    *, actor, issue: GazetteIssue, document: Document, section: str = ""
) -> GazetteEntry:
    """Put a published document in the issue's contents, at the end of its section."""
    issue = _lock_issue(actor, issue)
    if document.status != Status.PUBLISHED:
        raise ApplicationError(_("只有已发布的文件可以刊登在公报上。"), code="not_published")
    if issue.entries.filter(document=document).exists():
        raise ApplicationError(_("该文件已在本期目录中。"), code="entry_exists")
    last = issue.entries.order_by("-sort_order").values_list("sort_order", flat=True).first()
    entry = GazetteEntry.objects.create(
        issue=issue,
        document=document,
        section=" ".join((section or "").split())[:64],
        sort_order=(last or 0) + 10,
    )
    audit.record(
        actor=actor,
        verb="gazette.entry_add",
        target=issue,
        org=issue.org,
        data={"document": document.pk, "section": entry.section},
    )
    return entry


def gazette_pdf_upload(*, actor, issue: GazetteIssue, name: str, data: bytes) -> GazetteIssue:
    """Attach the printed issue's PDF (checked by content, size-limited)."""
    if not permissions.can(actor, "edit_gazette", issue.org):
        raise PermissionDeniedError()
    limit = settings.GONGKAI_MAX_ATTACHMENT_BYTES
    if len(data) > limit:
        raise ApplicationError(
            _("文件超过大小上限（%(mb)s MB）。") % {"mb": limit // (1024 * 1024)}, code="too_large"
        )
    # Read before the transaction: nothing slow holds the write lock.
    if textextract.identify(data, name).kind != "pdf":
        raise ApplicationError(_("公报文件须为 PDF。"), code="not_pdf")
    with transaction.atomic():
        return _gazette_pdf_store(actor=actor, issue=issue, data=data)


def _gazette_pdf_store(*, actor, issue, data) -> GazetteIssue:
    issue = _lock_issue(actor, issue)
    _store_issue_pdf(issue, data, generated=False)
    audit.record(
        actor=actor,
        verb="gazette.pdf_upload",
        target=issue,
        org=issue.org,
        data={"sha256": issue.pdf_sha256, "size": len(data)},
    )
    return issue


def _store_issue_pdf(issue: GazetteIssue, data: bytes, *, generated: bool) -> None:
    issue.pdf_sha256 = hashlib.sha256(data).hexdigest()
    issue.pdf.save(
        f"{issue.year}-{issue.number}-{issue.pdf_sha256[:12]}.pdf", ContentFile(data), save=False
    )
    issue.pdf_generated = generated
    issue.save()


@transaction.atomic
def gazette_issue_publish(*, actor, issue: GazetteIssue) -> GazetteIssue:
    """Publish the issue; without an uploaded PDF, one is generated from its contents."""
    from . import booklet

    issue = _lock_issue(actor, issue)
    entries = list(issue.entries.select_related("document__org").order_by("sort_order", "id"))
    if not entries:
        raise ApplicationError(_("本期公报还没有目录内容。"), code="issue_empty")
    if not issue.pdf:
        book = booklet.Booklet(
            title=_("%(org)s公报") % {"org": issue.org.name},
            subtitle=_("%(y)s年第%(n)s期") % {"y": issue.year, "n": issue.number}
            + (_("（总第%(t)s期）") % {"t": issue.total_number} if issue.total_number else ""),
            issuer=issue.org.name,
            date=issue.issue_date,
            entries=[
                booklet.Entry.of(e.document, fallback_text=e.document.summary, section=e.section)
                for e in entries
            ],
        )
        _store_issue_pdf(issue, booklet.to_pdf(book), generated=True)
    issue.published_at = timezone.now()
    issue.save(update_fields=["published_at", "updated_at"])
    # Their index entries gain the "gazette" kind: searchable as gazette contents.
    signals.documents_changed.send(
        Document, documents=Document.objects.filter(pk__in=[e.document_id for e in entries])
    )
    audit.record(
        actor=actor,
        verb="gazette.issue_publish",
        target=issue,
        org=issue.org,
        data={"entries": len(entries), "pdf_generated": issue.pdf_generated},
    )
    return issue


# Bulk import ----------------------------------------------------------------------------------


@transaction.atomic
def document_import(
    *,
    actor,
    org,
    data: dict,
    file_name: str,
    file_data: bytes,
    identified: textextract.Identified,
    sha256: str,
    publish: bool,
    required_actions: tuple[str, ...] | None = None,
) -> Document:
    """Bring in an existing document with its original file, in one step.

    The checks are those of a hand-made document: the fields are validated, the disclosure
    attribute must be proactive to publish, and the personal-information scan runs on the text.
    A document with findings is not published: it waits in the reviewers' queue (submitted),
    exactly where a hand-made one would have been stopped. Without `publish` it stays a draft.

    `required_actions` replaces the drafting and publishing roles for a caller whose own
    service issues the document under a stronger check (the supervising office's bulletins).
    """
    from .models import ImportRecord

    needed = required_actions or (
        ["draft_document"] + (["review_document", "publish_document"] if publish else [])
    )
    if not all(permissions.can(actor, action, org) for action in needed):
        raise PermissionDeniedError()
    if ImportRecord.objects.filter(org=org, sha256=sha256).exists():
        raise ApplicationError(_("已导入过（文件内容相同）"), code="duplicate")
    document = Document(org=org, created_by=_user(actor), status=Status.DRAFT)
    changes = apply_changes(document, _clean(data), EDITABLE_FIELDS, exclude=("publication_due",))
    _check_attribute(document)
    document.publication_due = publication_due(document)
    # The file's text is the body: scanning the body scans the file.
    document.pii_findings = _scan_text(document)
    document.save()
    _set_m2m(document, data, changes)
    # The body holds its text: not indexed or scanned twice.
    store_file(
        Attachment(document=document, extracted_text=""),
        file_name,
        file_data,
        identified=identified,
    )
    ImportRecord.objects.create(
        org=org, sha256=sha256, source_name=file_name[:500], document=document
    )
    _revision(document, actor, _plain(changes) | {"imported_from": [file_name, sha256]})
    data = {"file": file_name, "sha256": sha256, "outcome": "draft"}
    if publish:
        # A document with findings, or not proactive, waits for the reviewers (submitted).
        clean = not document.pii_findings and document.attribute == Document.Attribute.PROACTIVE
        action = "import_publish" if clean else "import_submit"
        with WORKFLOW.transition(
            document, action, actor=actor, require=needed, verb="document.import", locked=True
        ) as move:
            data["outcome"] = "published" if clean else "submitted"
            if clean:
                now = timezone.now()
                document.index_number = allocate_index_number(document, now)
                document.published_at = now
                # Published long ago elsewhere: its timeliness here says nothing about the office.
                document.is_late = None
            data |= {
                "index_number": document.index_number,
                "pii_findings": len(document.pii_findings),
            }
            move.data = data
        if clean:
            signals.document_changed.send(Document, document=document)
        return document
    audit.record(
        actor=actor,
        verb="document.import",
        target=document,
        org=org,
        data=data | {"index_number": None, "pii_findings": len(document.pii_findings)},
    )
    return document

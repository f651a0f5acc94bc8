"""Letters (告知书、答复书) issued on a request: numbered, filled from the organisation's
template, rendered and stored in the step's transaction."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.files.base import ContentFile
from django.db.models import Q

from gongkai.core import audit
from gongkai.core.services import sequence_next
from gongkai.orgs.models import Org

from .. import letters as rendering
from ..models import (
    Letter,
    LetterTemplate,
    Request,
)
from ..outcomes import ROWS


def issue_letter(
    request: Request,
    kind: str,
    *,
    actor,
    on: dt.date,
    extra: dict | None = None,
    to_applicant: bool = True,
    recipient: str = "",
) -> Letter:
    """Compose a letter from the office's template, number it, render DOCX and PDF, store it."""
    context = letter_context(request, on=on) | (extra or {})
    outcome = request.outcome if kind == rendering.LetterKind.REPLY else ""
    text = template_text(request.org, kind, outcome)
    year = on.year
    serial = sequence_next(f"foi-letter:{request.org.code}:{year}")
    prefix = request.org.short_name or request.org.name
    number = f"{prefix}依申请〔{year}〕{serial}号"
    context["letter_number"] = number
    document = rendering.compose(
        kind=kind,
        template_text=text,
        context=context,
        number=number,
        recipient=recipient or f"{request.name}：",
        signature=request.org.name,
        date=on,
    )
    letter = Letter(
        request=request,
        kind=kind,
        number=number,
        date=on,
        title=document.title,
        recipient=document.recipient,
        paragraphs=list(document.paragraphs),
        to_applicant=to_applicant,
    )
    stem = f"{kind}-{serial}"
    letter.docx.save(f"{stem}.docx", ContentFile(rendering.to_docx(document)), save=False)
    letter.pdf.save(f"{stem}.pdf", ContentFile(rendering.to_pdf(document)), save=False)
    letter.save()
    audit.record(
        actor=actor,
        verb="foi.letter_issue",
        target=letter,
        org=request.org,
        data={"request": request.number, "kind": kind, "number": number},
    )
    return letter


def template_text(org: Org, kind: str, outcome: str = "") -> str:
    """The nearest office's wording, else the national row, else gongkai's built-in text."""
    chain = [*reversed(org.ancestor_ids()), None]  # nearest first
    rows = {
        t.org_id: t.text
        for t in LetterTemplate.objects.filter(kind=kind, outcome=outcome).filter(
            Q(org_id__in=[c for c in chain if c]) | Q(org__isnull=True)
        )
    }
    for org_id in chain:
        if org_id in rows:
            return rows[org_id]
    return rendering.default_template(kind, outcome)


def date_text(day: dt.date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def letter_context(request: Request, *, on: dt.date) -> dict:
    org = request.org
    row = ROWS.get(request.outcome) if request.outcome else None
    return {
        "org_name": org.name,
        "org_address": org.address,
        "org_phone": org.phone,
        "applicant_name": request.name,
        "request_number": request.number,
        "received_date": date_text(request.received_date),
        "description": request.description,
        "document_number": request.document_number,
        "letter_number": "",
        "letter_date": date_text(on),
        "outcome_label": request.get_outcome_display() if request.outcome else "",
        "basis": row.basis if row else "",
        "reason": request.reason,
        "provision": request.provision,
        "review_body": settings.GONGKAI_FOI_REVIEW_BODY,
        "court": settings.GONGKAI_FOI_COURT,
        "review_days": settings.GONGKAI_REVIEW_PERIOD_DAYS,
        "litigation_months": settings.GONGKAI_LITIGATION_PERIOD_MONTHS,
        "transfer_org_name": request.transfer_org_name,
        "transfer_org_contact": request.transfer_org_contact,
        "clarification_items": "",
        "answer_by": "",
        "extension_days": request.extension_days,
        "new_due_date": "",
        "third_party_name": "",
        "fee_lines": [],
        "fee_total": "",
        "pay_by": "",
        "payment_instructions": "",
        "due_date": date_text(request.due_date),
    }


def receipt_document(request: Request) -> rendering.LetterDocument:
    """The applicant's receipt (受理回执): the office's acknowledgement wording, filled in for
    this request, dated the day of receipt. Composed on demand (nothing is written); it carries
    the request number and never the query password."""
    import dataclasses

    from django.utils import translation
    from django.utils.translation import gettext as _

    kind = rendering.LetterKind.ACKNOWLEDGEMENT
    context = letter_context(request, on=request.received_date)
    document = rendering.compose(
        kind=kind,
        template_text=template_text(request.org, kind),
        context=context,
        number=request.number,
        recipient=f"{request.name}：",
        signature=request.org.name,
        date=request.received_date,
    )
    # Printed by the applicant from the site: no seal, and it says where it came from. Part of
    # the document, so in the official language whatever the visitor reads.
    with translation.override(settings.LANGUAGE_CODE):
        note = _("（网上申请系统生成，无需盖章）")
    return dataclasses.replace(document, seal_note=note)

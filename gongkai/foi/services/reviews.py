"""After the reply: administrative reconsideration and litigation (复议、诉讼), and
turning a disclosed reply into proactive disclosure (依申请转主动)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from gongkai.core import audit
from gongkai.core.exceptions import (
    ApplicationError,
    PermissionDeniedError,
)
from gongkai.orgs import permissions

from ..models import (
    Request,
    Review,
)
from ..outcomes import ApplicantKind, Outcome
from . import base
from .base import checked_day
from .intake import clean_text

# --- after the reply -----------------------------------------------------------------------


@transaction.atomic
def review_record(
    *, actor, request: Request, kind: str, filed_on: dt.date, body: str = "", note: str = ""
) -> Review:
    if not permissions.can(actor, "record_review", request.org):
        raise PermissionDeniedError()
    if kind not in Review.Kind.values:
        raise ApplicationError(_("请选择复议或诉讼类型。"), code="invalid_kind")
    review = Review.objects.create(
        request=request,
        kind=kind,
        filed_on=checked_day(filed_on),
        body=clean_text(body, 200),
        note=clean_text(note, 2000),
    )
    audit.record(
        actor=actor,
        verb="foi.review_record",
        target=review,
        org=request.org,
        data={"request": request.number, "kind": kind, "filed_on": filed_on},
    )
    return review


@transaction.atomic
def review_decide(*, actor, review: Review, result: str, decided_on: dt.date) -> Review:
    review = Review.objects.select_for_update().select_related("request__org").get(pk=review.pk)
    if not permissions.can(actor, "record_review", review.request.org):
        raise PermissionDeniedError()
    if result not in Review.Result.values or result == Review.Result.PENDING:
        raise ApplicationError(_("请选择审结结果。"), code="invalid_result")
    if decided_on < review.filed_on:
        raise ApplicationError(_("审结日期不能早于立案日期。"), code="invalid_date")
    review.result, review.decided_on = result, checked_day(decided_on)
    review.save()
    audit.record(
        actor=actor,
        verb="foi.review_decide",
        target=review,
        org=review.request.org,
        data={"result": result, "decided_on": decided_on},
    )
    return review


@transaction.atomic
def request_correct_applicant_kind(*, actor, request: Request, kind: str, reason: str) -> Request:
    """Correct the applicant's kind (申请人类别), which the annual report's section 三 counts by.

    Not a step of the handling workflow: it may be needed at any state, also after archiving,
    when the year's report finds a request registered with the wrong kind. The reason and the
    old value go into the audit event, so the report's numbers can be traced."""
    request = Request.objects.select_for_update().select_related("org").get(pk=request.pk)
    if not permissions.can(actor, "correct_request", request.org):
        raise PermissionDeniedError()
    if kind not in ApplicantKind.values:
        raise ApplicationError(_("请选择申请人类别。"), code="invalid_kind")
    reason = clean_text(reason, 500)
    if not reason:
        raise ApplicationError(_("请写明更正理由。"), code="reason_required")
    old = request.applicant_kind
    if old == kind:
        raise ApplicationError(_("申请人类别没有变化。"), code="unchanged")
    request.applicant_kind = kind
    request.save(update_fields=["applicant_kind", "updated_at"])
    audit.record(
        actor=actor,
        verb="foi.correct_applicant_kind",
        target=request,
        org=request.org,
        data={"from": old, "to": kind, "reason": reason},
    )
    return request


@transaction.atomic
def request_convert_to_proactive(*, actor, request: Request, title: str = ""):
    """依申请公开转主动公开: information given on request that should be public becomes a draft
    in the publishing workflow (with its confidentiality review), linked back to the request."""
    from gongkai.documents import services as document_services
    from gongkai.documents.models import Document

    request = Request.objects.select_for_update().select_related("org").get(pk=request.pk)
    if not permissions.can(actor, "draft_document", request.org):
        raise PermissionDeniedError()
    if request.outcome not in (Outcome.DISCLOSED, Outcome.PARTIAL):
        raise ApplicationError(
            _("只有予以公开或部分公开的申请可以转为主动公开。"), code="not_disclosed"
        )
    if request.converted_document_id:
        raise ApplicationError(_("该申请已转为主动公开。"), code="already_converted")
    document = document_services.document_create(
        actor=actor,
        org=request.org,
        data={
            "title": clean_text(title, 200) or clean_text(request.description, 200),
            "document_number": request.document_number,
            "date_signed": base.today(),
            "attribute": Document.Attribute.PROACTIVE,
            "summary": _("依申请公开转主动公开（申请编号 %(n)s）。") % {"n": request.number},
        },
    )
    request.converted_document = document
    request.save(update_fields=["converted_document", "updated_at"])
    audit.record(
        actor=actor,
        verb="foi.convert_to_proactive",
        target=request,
        org=request.org,
        data={"document": document.pk},
    )
    return document

"""`/api/v1/consultations`: the public consultations, one with its feedback, and comments.

POST /{id}/comments takes a comment as the web form does (without the CAPTCHA; rate limited
per address, an optional `Idempotency-Key` makes a retry safe). Names and contacts are never
returned.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field, Header, Query, Router, Schema, Status

from gongkai.core.net import client_ip

from ..selectors import consultations as selectors
from ..services import consultations as services
from ..workflow import ConsultationStatus

router = Router(tags=["consultations"])


class Error(Schema):
    detail: str
    code: str


class ConsultationItem(Schema):
    id: int
    title: str
    org: str
    org_code: str
    status: str
    status_label: str
    opens_on: dt.date
    closes_on: dt.date
    accepting_comments: bool
    comments: int
    url: str


class ListOut(Schema):
    items: list[ConsultationItem]
    count: int


class ListQuery(Schema):
    state: Literal["open", "awaiting", "done"] = "open"
    offset: int = Field(0, ge=0, le=100_000)
    limit: int = Field(20, ge=1, le=100)


class ActivityOut(Schema):
    method: str
    held_on: dt.date
    participants: int
    summary: str


class ViewOut(Schema):
    title: str
    comments: int


class FeedbackOut(Schema):
    comments: int
    participants: int
    offline_participants: int
    by_decision: dict[str, int]
    text: str
    published_at: dt.datetime
    shared_not_adopted: list[dict]


class DetailOut(ConsultationItem):
    explanation: str
    basis: str
    draft_text: str
    short_period_reason: str
    methods: list[str]
    closed_on: dt.date | None
    feedback_due_on: dt.date | None
    activities: list[ActivityOut]
    published_comments: list[str]
    feedback: FeedbackOut | None
    decision_document: str | None


def _item(c, today) -> dict:
    return {
        "id": c.pk,
        "title": c.title,
        "org": c.org.name,
        "org_code": c.org.code,
        "status": c.status,
        "status_label": str(c.get_status_display()),
        "opens_on": c.opens_on,
        "closes_on": c.closes_on,
        "accepting_comments": services.accepting(c, today),
        "comments": getattr(c, "comment_count", None) or c.comments.count(),
        "url": f"/consultations/{c.pk}/",
    }


@router.get("", response=ListOut, auth=None)
def listing(request, query: Query[ListQuery]):
    qs = selectors.public_list(query.state)
    today = services.today()
    rows = list(qs[query.offset : query.offset + query.limit])
    return {"items": [_item(c, today) for c in rows], "count": qs.count()}


@router.get("/{int:pk}", response={200: DetailOut, 404: Error}, auth=None)
def detail(request, pk: int):
    if not 0 < pk < 2**31:
        return Status(404, {"detail": "找不到该征集。", "code": "not_found"})
    c = selectors.public_get(pk)
    today = services.today()
    feedback = None
    if c.status == ConsultationStatus.FEEDBACK_PUBLISHED:
        fb = selectors.feedback(c)
        feedback = {
            "comments": fb.comments,
            "participants": fb.participants,
            "offline_participants": fb.offline_participants,
            "by_decision": fb.by_decision,
            "text": c.feedback,
            "published_at": c.feedback_published_at,
            "shared_not_adopted": [
                {"title": g.title, "comments": g.size, "reason": g.reason}
                for g in fb.shared_not_adopted
            ],
        }
    return {
        **_item(c, today),
        "explanation": c.explanation,
        "basis": c.basis,
        "draft_text": c.draft_text,
        "short_period_reason": c.short_period_reason,
        "methods": c.methods,
        "closed_on": c.closed_on,
        "feedback_due_on": c.feedback_due_on,
        "activities": [
            {
                "method": a.method,
                "held_on": a.held_on,
                "participants": a.participants,
                "summary": a.summary,
            }
            for a in c.activities.all()
        ],
        "published_comments": [m.public_text for m in selectors.published_comments(c)[:200]],
        "feedback": feedback,
        "decision_document": (
            c.decision_document.index_number
            if c.decision_document and c.decision_document.status == "published"
            else None
        ),
    }


class CommentIn(Schema):
    name: str = Field(..., max_length=100)
    contact: str = Field(..., max_length=100)
    text: str = Field(..., max_length=10_000)
    publish_consent: bool = False


class CommentOut(Schema):
    id: int
    received_at: dt.datetime
    published: bool


@router.post(
    "/{int:pk}/comments",
    response={201: CommentOut, 400: Error, 404: Error, 409: Error, 422: dict, 429: Error},
    auth=None,
)
def comment(
    request,
    pk: int,
    payload: CommentIn,
    idempotency_key: str = Header("", alias="Idempotency-Key"),
):
    if not 0 < pk < 2**31:
        return Status(404, {"detail": "找不到该征集。", "code": "not_found"})
    c = selectors.public_get(pk)
    key = idempotency_key.strip()[:64]
    made = services.comment_submit(
        consultation=c,
        data=services.CommentInput(**payload.model_dump()),
        source_address=client_ip(request),
        submission_key=f"api:{key}" if key else None,
    )
    return Status(
        201, {"id": made.pk, "received_at": made.created_at, "published": bool(made.public_text)}
    )

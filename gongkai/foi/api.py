"""`/api/v1/foi/…`: public submission and tracking, and the staff queue.

POST /requests registers an online application (rate limited per address; an optional
`Idempotency-Key` header makes a retried POST safe). GET /requests/{number} needs the query
password in `X-Query-Password`; a wrong password gets exactly the answer an unknown number gets.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field, Header, Router, Schema, Status
from ninja.security import django_auth

from gongkai.core.exceptions import ApplicationError, NotFoundError, RateLimitedError
from gongkai.core.net import client_ip
from gongkai.orgs.models import Org

from . import selectors, services

router = Router(tags=["foi"])


class ApplicationIn(Schema):
    org: str = Field(..., max_length=64, description="organisation code")
    applicant_kind: Literal[
        "natural_person", "company", "research", "nonprofit", "legal_service", "other"
    ]
    name: str = Field(..., max_length=200)
    id_type: Literal["resident_id", "passport", "hk_macao_taiwan", "credit_code", "other"] = (
        "resident_id"
    )
    id_number: str = Field(..., max_length=40)
    phone: str = Field("", max_length=20)
    email: str = Field("", max_length=254)
    address: str = Field("", max_length=300)
    description: str = Field(..., max_length=5000)
    document_number: str = Field("", max_length=100)
    form: Literal["paper", "email", "electronic", "on_site"]


class ReceiptOut(Schema):
    number: str
    password: str  # the one-time query password, shown only here
    received_date: dt.date
    due_date: dt.date


class ReplayOut(Schema):
    """The receipt repeated for a retry with the same Idempotency-Key: no password."""

    number: str
    password: None
    received_date: dt.date
    due_date: dt.date
    note: str


class LetterOut(Schema):
    kind: str
    title: str
    number: str
    date: dt.date


class HistoryOut(Schema):
    date: dt.date
    text: str


class DisclosedFileOut(Schema):
    name: str
    kind: str
    size: int
    sha256: str


class StatusOut(Schema):
    number: str
    org: str
    status: str
    status_label: str
    received_date: dt.date
    due_date: dt.date | None
    provisional: bool
    explanation: list[str]
    outcome: str
    letters: list[LetterOut]
    history: list[HistoryOut]  # what the applicant may see, oldest first (as /foi/track/)
    files: list[DisclosedFileOut]  # the disclosed information, once the reply is sent


class QueueItem(Schema):
    number: str
    org: str
    status: str
    received_date: dt.date
    due_date: dt.date | None
    days_left: int | None
    level: str
    handler: str | None


class QueueOut(Schema):
    items: list[QueueItem]
    count: int


class Error(Schema):
    detail: str
    code: str


@router.post(
    "/requests",
    response={201: ReceiptOut | ReplayOut, 400: Error, 409: Error, 422: dict, 429: Error},
    auth=None,
)
def submit(
    request, payload: ApplicationIn, idempotency_key: str = Header("", alias="Idempotency-Key")
):
    org = Org.objects.filter(code=payload.org, is_active=True).first()
    if org is None:
        raise ApplicationError(
            "受理机关代码不存在。",
            code="unknown_org",
            extra={"fields": {"org": "受理机关代码不存在。"}},
        )
    key = idempotency_key.strip()[:64] or None
    data = services.ApplicationInput(org=org, **payload.model_dump(exclude={"org"}))
    if key:
        earlier = services.submission_replay(data=data, submission_key=f"api:{key}")
        if earlier is not None:
            # A retry of the same application: the original receipt, without the password
            # (it was shown once; it is not stored in a form that could be shown again).
            return Status(
                201,
                {
                    "number": earlier.number,
                    "password": None,
                    "received_date": earlier.received_date,
                    "due_date": earlier.due_date,
                    "note": "重复提交：这是原申请的回执，查询密码只在首次提交时显示。",
                },
            )
    receipt = services.request_submit(
        data=data,
        source_address=client_ip(request),
        submission_key=f"api:{key}" if key else None,
    )
    r = receipt.request
    return Status(
        201,
        {
            "number": r.number,
            "password": receipt.password,
            "received_date": r.received_date,
            "due_date": r.due_date,
        },
    )


@router.get("/requests/{number}", response={200: StatusOut, 404: Error, 429: Error}, auth=None)
def status(request, number: str, password: str = Header("", alias="X-Query-Password")):
    if services.track_attempt(address=client_ip(request), number=number):
        raise RateLimitedError("查询过于频繁，请一小时后再试。", code="rate_limited")
    found = selectors.request_get_public(number=number)
    if not services.request_check_password(found, password):
        raise NotFoundError("申请编号或查询密码不正确。")
    deadline = services.deadline_of(found)
    return {
        "number": found.number,
        "org": found.org.name,
        "status": found.status,
        "status_label": found.get_status_display(),
        "received_date": found.received_date,
        "due_date": deadline.due_date or found.due_date,
        "provisional": deadline.provisional,
        "explanation": deadline.explain(),
        "outcome": found.outcome,
        "letters": [
            {"kind": x.kind, "title": x.title, "number": x.number, "date": x.date}
            for x in selectors.letters_for_applicant(found)
        ],
        "history": [
            {"date": h.date, "text": h.text} for h in selectors.request_history_public(found)
        ],
        "files": [
            {"name": f.original_name, "kind": f.kind, "size": f.size, "sha256": f.sha256}
            for f in services.disclosed_files_for_applicant(found)
        ],
    }


@router.get("/queue", response=QueueOut, auth=django_auth)
def queue(request):
    """The signed-in handler's open requests, fewest working days left first."""
    rows = selectors.handler_queue(user=request.auth, today=services.today())
    return {
        "items": [
            {
                "number": row.request.number,
                "org": row.request.org.code,
                "status": row.request.status,
                "received_date": row.request.received_date,
                "due_date": row.request.due_date,
                "days_left": row.days_left,
                "level": row.level,
                "handler": row.request.handler.get_username() if row.request.handler else None,
            }
            for row in rows
        ],
        "count": len(rows),
    }

"""`/api/v1/questions`: the published Q&A (一号答), asking, and the hotline import.

GET lists published Q&A only (masked texts; never a name or contact). POST asks a question
(rate limited per address; an optional `Idempotency-Key` makes a retry safe). POST /import takes
answered Q&A from a hotline system with `Authorization: Bearer <token>` (401 on a bad token).
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field, Header, Query, Router, Schema, Status
from ninja.security import HttpBearer

from gongkai.core.exceptions import ApplicationError
from gongkai.core.net import client_ip
from gongkai.orgs.models import Org

from ..selectors import questions as selectors
from ..services import questions as services

router = Router(tags=["questions"])


class QuestionOut(Schema):
    number: str
    kind: str
    subject: str = Field(..., alias="public_subject")
    text: str = Field(..., alias="public_text")
    answer: str = Field(..., alias="public_answer")
    org: str = Field(..., alias="org.code")
    org_name: str = Field(..., alias="org.name")
    answered_at: dt.datetime | None
    published_at: dt.datetime | None
    source: str


class QuestionList(Schema):
    items: list[QuestionOut]
    count: int


class QuestionFilters(Schema):
    q: str | None = Field(None, max_length=200, description="every space-separated term")
    org: str | None = Field(None, max_length=18, description="organisation code")
    page: int = Field(1, ge=1, le=100_000)
    page_size: int = Field(20, ge=1, le=100)


class AskIn(Schema):
    org: str = Field(..., max_length=18, description="organisation code")
    kind: Literal["enquiry", "suggestion", "complaint", "mailbox"]
    subject: str = Field(..., max_length=200)
    text: str = Field(..., max_length=5000)
    name: str = Field(..., max_length=100)
    contact: str = Field(..., max_length=200)
    publish_consent: bool = False


class ReceiptOut(Schema):
    number: str
    password: str | None  # shown once; None on a replay
    org: str
    due_on: dt.date
    note: str = ""


class ImportItem(Schema):
    external_id: str = Field(..., max_length=64)
    source: str = Field("hotline", max_length=32)
    kind: Literal["enquiry", "suggestion", "complaint", "mailbox"] = "enquiry"
    subject: str = Field(..., max_length=200)
    text: str = Field(..., max_length=5000)
    answer: str = Field(..., max_length=10000)
    asked_at: dt.datetime | None = None
    answered_at: dt.datetime | None = None
    publish: bool = True


class ImportIn(Schema):
    items: list[ImportItem] = Field(..., min_length=1, max_length=services.MAX_IMPORT_ITEMS)


class ImportOut(Schema):
    created: list[str]
    existing: list[str]


class InvalidTokenError(ApplicationError):
    status_code = 401


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <token>`: checked before the body is read (401 in Chinese)."""

    def authenticate(self, request, token):
        found = services.token_authenticate(token)
        if found is None:
            raise InvalidTokenError("接口令牌无效或已撤销。", code="invalid_token")
        return found

    def __call__(self, request):
        result = super().__call__(request)
        if result is None:  # no Authorization header, or not a Bearer one
            raise InvalidTokenError("请提供接口令牌（Authorization: Bearer …）。", code="no_token")
        return result


class Error(Schema):
    detail: str
    code: str


@router.get("", response=QuestionList, auth=None, summary="Published Q&A, searched and paged")
def question_list(request, filters: Query[QuestionFilters]):
    qs = selectors.published_questions(q=filters.q or "", org_code=filters.org or "")
    start = (filters.page - 1) * filters.page_size
    return {"items": list(qs[start : start + filters.page_size]), "count": qs.count()}


@router.post(
    "",
    response={201: ReceiptOut, 400: Error, 409: Error, 422: dict, 429: Error},
    auth=None,
    summary="Ask a question",
)
def question_ask(
    request, payload: AskIn, idempotency_key: str = Header("", alias="Idempotency-Key")
):
    org = Org.objects.filter(code=payload.org, is_active=True).first()
    if org is None:
        raise ApplicationError(
            "收信机关代码不存在。",
            code="unknown_org",
            extra={"fields": {"org": "收信机关代码不存在。"}},
        )
    data = services.QuestionInput(org=org, **payload.model_dump(exclude={"org"}))
    key = idempotency_key.strip()[:64] or None
    if key:
        earlier = services.submission_replay(data=data, submission_key=f"api:{key}")
        if earlier is not None:
            return Status(
                201,
                {
                    "number": earlier.number,
                    "password": None,
                    "org": earlier.org.code,
                    "due_on": earlier.due_on,
                    "note": "重复提交：这是原留言的回执，查询密码只在首次提交时显示。",
                },
            )
    receipt = services.question_submit(
        data=data,
        source_address=client_ip(request),
        submission_key=f"api:{key}" if key else None,
    )
    q = receipt.question
    return Status(
        201,
        {"number": q.number, "password": receipt.password, "org": q.org.code, "due_on": q.due_on},
    )


@router.post(
    "/import",
    response={200: ImportOut, 400: Error, 401: Error, 403: Error, 422: dict},
    auth=TokenAuth(),
    summary="Push answered Q&A from a hotline system (Bearer token per organisation)",
)
def question_import(request, payload: ImportIn):
    return services.question_import(
        token=request.auth, items=[i.model_dump() for i in payload.items]
    )

import datetime as dt
from typing import Literal

from ninja import Field, Query, Router, Schema

from gongkai.search.selectors import find_documents

from . import selectors
from .models import Category, Document

router = Router(tags=["documents"])


class OrgRef(Schema):
    code: str
    name: str


class CategoryOut(Schema):
    code: str
    name: str
    basis: str
    parent: str | None = Field(None, alias="parent.code")


class DocumentOut(Schema):
    index_number: str
    title: str
    document_number: str
    org: OrgRef
    date_signed: dt.date
    published_at: dt.datetime | None
    category: CategoryOut | None
    doc_type: str
    validity: str
    url: str = Field(..., alias="get_absolute_url")


class DocumentDetail(DocumentOut):
    status: str
    summary: str
    body: str
    withdrawn_at: dt.datetime | None


class DocumentList(Schema):
    items: list[DocumentOut]
    count: int
    count_capped: bool = Field(
        False,
        description="with q: more than `count` (10,000) documents match; counting stops there",
    )


class CategoryList(Schema):
    items: list[CategoryOut]
    count: int


class DocumentFilters(Schema):
    q: str | None = Field(
        None,
        max_length=200,
        description="full-text search over title, document number, body and attachments; "
        "every space-separated term must match",
    )
    sort: Literal["relevance", "date"] = Field(
        "relevance", description="with q: relevance (number, then title, then body matches) or date"
    )
    org: str | None = Field(None, description="organisation code; includes its sub-units")
    category: str | None = None
    column: str | None = None
    type: Literal[tuple(Document.DocType.values)] | None = None  # type: ignore[valid-type]
    validity: Literal[tuple(Document.Validity.values)] | None = None  # type: ignore[valid-type]
    year: int | None = Field(None, ge=1949, le=2100)
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    page: int = Field(1, ge=1, le=100_000)
    page_size: int = Field(20, ge=1, le=100)


@router.get("", response=DocumentList, summary="Published documents: searched, filtered, paged")
def document_list(request, filters: Query[DocumentFilters]):
    items, count = listing(filters)
    return {"items": items, "count": count, "count_capped": getattr(count, "capped", False)}


def listing(filters: DocumentFilters, **overrides) -> tuple[list[Document], int]:
    """One page of published documents and the total: searched when `q` has terms, else the
    filtered list. `overrides` replace selector filters (e.g. `kinds` for normative documents)."""
    # The selectors' filter names: the same for the list and for search.
    chosen = {
        "org_code": filters.org,
        "category": filters.category,
        "column": filters.column,
        "doc_type": filters.type,
        "validity": filters.validity,
        "year": filters.year,
        "date_from": filters.date_from,
        "date_to": filters.date_to,
    } | overrides
    found = find_documents(
        filters.q,
        chosen,
        page=filters.page,
        page_size=filters.page_size,
        sort=filters.sort,
        clamp=False,  # a page past the end is empty: clients page until they get nothing
    )
    return found.documents, found.count


@router.get("/{path:index_number}", response=DocumentDetail, summary="One document by index number")
def document_detail(request, index_number: str):
    return selectors.document_get_public(index_number=index_number)


categories_router = Router(tags=["documents"])


@categories_router.get("", response=CategoryList, summary="The subject category tree")
def category_list(request):
    items = list(Category.objects.select_related("parent").order_by("sort_order", "name"))
    return {"items": items, "count": len(items)}

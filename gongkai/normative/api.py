import datetime as dt
from typing import Literal

from ninja import Field, Query, Router, Schema

from gongkai.documents import selectors as document_selectors
from gongkai.documents.api import DocumentFilters, DocumentOut
from gongkai.documents.models import Document
from gongkai.search.selectors import has_terms, resolve_filters, search_documents

from . import selectors

router = Router(tags=["normative"])


class RelationOut(Schema):
    kind: str
    index_number: str
    title: str
    effective_date: dt.date


class NormativeOut(DocumentOut):
    """A document of /api/v1/documents, plus its register entry and relations both ways."""

    effective_date: dt.date = Field(..., alias="normative.effective_date")
    expiry_date: dt.date | None = Field(None, alias="normative.expiry_date")
    filing_number: str = Field("", alias="normative.filing_number")
    changed_by: list[RelationOut]  # newer documents that amend, repeal or replace this one
    changes: list[RelationOut]  # older documents this one amends, repeals or replaces

    @staticmethod
    def resolve_changed_by(obj):
        return [_relation(r, r.source.document) for r in obj.normative.relations_in.all()]

    @staticmethod
    def resolve_changes(obj):
        return [_relation(r, r.target.document) for r in obj.normative.relations_out.all()]


def _relation(relation, document):
    return {
        "kind": relation.kind,
        "index_number": document.index_number,
        "title": document.title,
        "effective_date": relation.effective_date,
    }


class NormativeList(Schema):
    items: list[NormativeOut]
    count: int


class NormativeFilters(DocumentFilters):
    validity: Literal[("current", "all", *Document.Validity.values)] = Field(  # type: ignore[valid-type]
        "current", description="current (in force, amended or not; the default), all, or one value"
    )


@router.get("", response=NormativeList, summary="Normative documents: searched, filtered, paged")
def normative_list(request, filters: Query[NormativeFilters]):
    chosen = {
        "org_code": filters.org,
        "category": filters.category,
        "column": filters.column,
        "doc_type": filters.type,
        "validity": None if filters.validity == "all" else filters.validity,
        "year": filters.year,
        "date_from": filters.date_from,
        "date_to": filters.date_to,
        "kinds": ("normative",),
    }
    if has_terms(filters.q):
        results = search_documents(
            filters.q,
            filters=resolve_filters(**chosen),
            page=filters.page,
            page_size=filters.page_size,
            sort=filters.sort,
        )
        items, count = [hit.document for hit in results.hits], results.count
    else:
        qs = document_selectors.published_documents(**chosen)
        start = (filters.page - 1) * filters.page_size
        items, count = list(qs[start : start + filters.page_size]), qs.count()
    selectors.with_register(items)
    return {"items": items, "count": count}

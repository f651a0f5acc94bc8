import datetime as dt
from typing import Literal

from ninja import Field, Query, Router, Schema

from gongkai.documents.api import DocumentFilters, DocumentOut, listing
from gongkai.documents.models import Document

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
    count_capped: bool = Field(
        False,
        description="with q: more than `count` (10,000) documents match; counting stops there",
    )


class NormativeFilters(DocumentFilters):
    validity: Literal[("current", "all", *Document.Validity.values)] = Field(  # type: ignore[valid-type]
        "current", description="current (in force, amended or not; the default), all, or one value"
    )


@router.get("", response=NormativeList, summary="Normative documents: searched, filtered, paged")
def normative_list(request, filters: Query[NormativeFilters]):
    items, count = listing(
        filters,
        validity=None if filters.validity == "all" else filters.validity,
        kinds=("normative",),
    )
    selectors.with_register(items)
    return {"items": items, "count": count, "count_capped": getattr(count, "capped", False)}

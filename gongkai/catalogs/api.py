"""`/api/v1/catalogs`: the approved standard disclosure catalogs (public data only).

GET / lists the approved catalogs (organisation, area, version, item count); GET
/{org}/{area} gives one with its items as the public sees them (removed items left out; the
adaptation's reasons and the coverage mapping are internal and not shown).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from ninja import Field, Query, Router, Schema

from . import selectors
from .models import Item

router = Router(tags=["catalogs"])


class CatalogOut(Schema):
    org: str = Field(..., alias="org.code")
    org_name: str = Field(..., alias="org.name")
    area: str = Field(..., alias="area.code")
    area_name: str = Field(..., alias="area.name")
    version: int
    approved_at: dt.datetime | None = Field(None, alias="decided_at")
    item_count: int


class CatalogList(Schema):
    items: list[CatalogOut]
    count: int


class ItemOut(Schema):
    number: str
    level1: str
    level2: str
    elements: str
    basis: str
    time_limit: str
    subject: str
    channels: str
    audience: str
    mode: str
    levels: list[str]


class CatalogDetail(CatalogOut):
    guideline: str = Field(..., alias="area.guideline")
    entries: list[ItemOut]


class CatalogFilters(Schema):
    org: str | None = Field(None, max_length=32, description="organisation code")
    area: str | None = Field(None, max_length=64, description="area code")


def _counted(qs):
    return qs.annotate(
        item_count=Count("items", filter=~Q(items__change=Item.Change.REMOVED), distinct=True)
    )


@router.get("/", response=CatalogList, summary="Approved standard disclosure catalogs")
def catalog_list(request, filters: Query[CatalogFilters]):
    qs = selectors.approved()
    if filters.org:
        qs = qs.filter(org__code=filters.org)
    if filters.area:
        qs = qs.filter(area__code=filters.area)
    rows = list(_counted(qs)[:1000])
    return {"items": rows, "count": len(rows)}


@router.get("/{org}/{area}", response=CatalogDetail, summary="One approved catalog with items")
def catalog_detail(request, org: str, area: str):
    catalog = selectors.approved_get(org_code=org[:32], area_code=area[:64])
    catalog = _counted(selectors.approved().filter(pk=catalog.pk)).get()
    catalog.entries = list(selectors.public_items(catalog))
    return catalog

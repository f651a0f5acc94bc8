"""Public pages of the standard disclosure catalogs (基层政务公开标准目录), as county sites
publish them: the organisations with approved catalogs by area, an organisation's areas, and an
area's items with their elements and a link to the information that fulfils each.

Only approved catalogs; removed items are not shown; nothing internal (mappings, coverage
statuses, staff) is on these pages.
"""

from __future__ import annotations

from collections import OrderedDict

from django.shortcuts import render
from django.views.decorators.http import require_safe

from . import coverage


@require_safe
def index(request):
    areas: OrderedDict = OrderedDict()
    for catalog in coverage.public_catalogs():
        areas.setdefault(catalog.area, []).append(catalog)
    return render(request, "catalogs/index.html", {"areas": areas})


@require_safe
def org_catalogs(request, code):
    org = coverage.public_org(code=code)
    catalogs = list(coverage.public_catalogs().filter(org=org))
    return render(request, "catalogs/org.html", {"org": org, "catalogs": catalogs})


@require_safe
def area_catalog(request, code, area):
    org = coverage.public_org(code=code)
    catalog = coverage.public_catalog(org=org, area_code=area)
    items = coverage.public_items(catalog)
    found = coverage.compute([org], items=items)[0]
    rows = [
        {"item": row.item, "latest": row.latest, "more": coverage.more_link(row.item, org)}
        for row in found.items
    ]
    return render(request, "catalogs/area.html", {"org": org, "catalog": catalog, "rows": rows})

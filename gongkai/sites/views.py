"""The public page of the register: the region's active websites and new-media accounts."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render

from . import selectors
from .models import Kind, Platform


def index(request):
    kind = request.GET.get("kind", "")
    platform = request.GET.get("platform", "")
    if kind not in Kind.values:
        kind = ""
    if platform not in Platform.values:
        platform = ""
    rows = selectors.public_register(kind=kind, platform=platform)
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    for row in page.object_list:
        row["platform_label"] = selectors.platform_label(row["platform"])
    return render(
        request,
        "sites/index.html",
        {
            "page_obj": page,
            "kind": kind,
            "platform": platform,
            "kinds": Kind.choices,
            "platforms": Platform.choices,
            "query_string": "&".join(
                f"{k}={v}" for k, v in (("kind", kind), ("platform", platform)) if v
            ),
        },
    )

"""Reads of the standard disclosure catalogs, scoped to the caller.

Staff see the catalogs of the organisations they may manage and of those whose catalogs they
review (the organisations directly below the governments whose supervisor they are, and the
government itself); anything else is 404. The public sees approved catalogs only, and in them
no removed item.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from gongkai.core.exceptions import NotFoundError
from gongkai.orgs import permissions
from gongkai.orgs.models import Org

from .models import Area, Catalog, Item
from .workflow import CatalogStatus


def _review_filter(user) -> Q | None:
    """Catalogs `user` reviews: their organisation's parent is in the user's review reach (or
    it is a root organisation in that reach). None: everywhere (superuser)."""
    ids = permissions.org_ids_for(user, "review_catalog")
    if ids is None:
        return None
    return Q(org__parent_id__in=ids) | Q(org__parent__isnull=True, org_id__in=ids)


def for_user(user) -> QuerySet[Catalog]:
    manage = permissions.org_ids_for(user, "manage_catalog")
    review = _review_filter(user)
    qs = Catalog.objects.select_related("org", "area", "base", "base__org")
    if manage is None or review is None:
        return qs
    return qs.filter(Q(org_id__in=manage) | review)


def staff_list(user) -> QuerySet[Catalog]:
    """Every catalog the user may see, with item counts, newest version first per org × area."""
    return (
        for_user(user)
        .annotate(
            item_count=Count("items", filter=~Q(items__change=Item.Change.REMOVED), distinct=True)
        )
        .order_by("org__path", "area__sort_order", "-version")
    )


def staff_get(user, pk: int) -> Catalog:
    found = for_user(user).filter(pk=pk).first()
    if found is None:
        raise NotFoundError()
    return found


def item_get(user, catalog: Catalog, pk: int) -> Item:
    found = catalog.items.select_related("origin").filter(pk=pk).first()
    if found is None:
        raise NotFoundError()
    return found


def review_queue(user) -> QuerySet[Catalog]:
    """Submitted catalogs the user reviews, oldest submission first."""
    review = _review_filter(user)
    qs = Catalog.objects.select_related("org", "area").filter(status=CatalogStatus.SUBMITTED)
    if review is not None:
        qs = qs.filter(review)
    return qs.annotate(item_count=Count("items")).order_by("submitted_at", "id")


def manageable_orgs(user) -> QuerySet[Org]:
    ids = permissions.org_ids_for(user, "manage_catalog")
    qs = Org.objects.filter(is_active=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.exclude(kind__in=Org.SUB_UNIT_KINDS).order_by("path")


def areas() -> QuerySet[Area]:
    return Area.objects.all()


def items_of(catalog: Catalog) -> list[Item]:
    return list(
        catalog.items.select_related("origin", "category", "column").order_by("sort_order", "id")
    )


@dataclass
class Difference:
    """One line of the review page: an item and how it departs from the base catalog."""

    item: Item
    change: str
    fields: list[tuple[str, str, str]]  # (label, base text, new text) of each changed column


def differences(catalog: Catalog) -> list[Difference]:
    """The reworded, removed and added items of an adaptation, with the changed columns."""
    from .services import TEXT_FIELDS

    rows = []
    for item in items_of(catalog):
        if item.change in ("", Item.Change.KEPT):
            continue
        fields = []
        if item.change == Item.Change.REWORDED and item.origin is not None:
            for key in TEXT_FIELDS:
                old, new = getattr(item.origin, key), getattr(item, key)
                if old != new:
                    if key == "levels":
                        old, new = "、".join(old), "、".join(new)
                    fields.append((str(Item._meta.get_field(key).verbose_name), old, new))
        rows.append(Difference(item=item, change=item.change, fields=fields))
    return rows


# --- public -------------------------------------------------------------------------------


def approved() -> QuerySet[Catalog]:
    return (
        Catalog.objects.filter(status=CatalogStatus.APPROVED)
        .select_related("org", "area")
        .order_by("org__path", "area__sort_order")
    )


def approved_get(*, org_code: str, area_code: str) -> Catalog:
    found = approved().filter(org__code=org_code, area__code=area_code).first()
    if found is None:
        raise NotFoundError()
    return found


def public_items(catalog: Catalog) -> QuerySet[Item]:
    return catalog.items.exclude(change=Item.Change.REMOVED).order_by("sort_order", "id")

"""Writes of the standard disclosure catalogs: import, adaptation, item edits, review.

An organisation keeps one catalog per area in versions. A draft comes from an XLSX import, from
the approved catalog of the government above (adaptation, 000 二(三)), or from the
organisation's own approved catalog (a new version). In an adaptation every item remembers its
origin and how it changed — kept, reworded, removed (the row stays, hidden from the public) or
added — and every change but "kept" needs a reason, which the reviewer reads. The catalog is
reviewed by the region's openness office one level up: the supervisor of the government above
the organisation (of the organisation itself at the top of the tree), never by the drafter's
own office. Approving supersedes the previous approved version in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.core import audit
from gongkai.core.exceptions import ApplicationError, PermissionDeniedError
from gongkai.orgs import permissions
from gongkai.orgs.models import Org

from . import importer
from .models import Area, Catalog, Item
from .workflow import CATALOG, CatalogStatus

EDITABLE = (CatalogStatus.DRAFT, CatalogStatus.RETURNED)
# The columns of RULES §4: what an adaptation compares with the base catalog's item.
TEXT_FIELDS = ("level1", "level2", "elements", "basis", "time_limit", "subject", "channels",
               "audience", "mode", "levels")  # fmt: skip
MAPPING_FIELDS = ("category", "column", "doc_type", "query")
REASON_LIMIT = 1000

Change = Item.Change


def review_org(catalog_or_org) -> Org:
    """The organisation whose supervisor reviews: the government above, or the root itself."""
    org = getattr(catalog_or_org, "org", catalog_or_org)
    return org.parent if org.parent_id else org


def may_manage(user, org) -> bool:
    return permissions.can(user, "manage_catalog", org)


def may_review(user, catalog: Catalog) -> bool:
    return permissions.can(user, "review_catalog", review_org(catalog))


def actions_for(catalog: Catalog, user) -> list[str]:
    """The workflow buttons `user` may press on `catalog` now."""
    found = []
    if catalog.status in EDITABLE and may_manage(user, catalog.org):
        found.append("submit")
    if catalog.status == CatalogStatus.SUBMITTED and may_review(user, catalog):
        found += ["approve", "return"]
    return found


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _need_manage(actor, org) -> None:
    if not may_manage(actor, org):
        raise PermissionDeniedError()


def _editable(catalog: Catalog) -> None:
    if catalog.status not in EDITABLE:
        raise ApplicationError(
            _("标准目录当前状态为“%(s)s”，不能修改。") % {"s": catalog.get_status_display()},
            code="not_editable",
        )


def _reason(text: str, what: str) -> str:
    reason = importer.text_of(text)[:REASON_LIMIT]
    if not reason:
        raise ApplicationError(_("请填写%(w)s的理由。") % {"w": what}, code="reason_required")
    return reason


def _lock(catalog: Catalog) -> Catalog:
    # `of`: PostgreSQL cannot lock the nullable side of the outer join to `base`.
    return (
        Catalog.objects.select_for_update(of=("self",))
        .select_related("org", "area", "base")
        .get(pk=catalog.pk)
    )


def _serialise(org) -> None:
    """Lock the organisation's row before a draft is opened or versioned: two officials creating
    the same area's draft at once would otherwise both find none open and both take the same
    version number (a constraint error, a 500). The second now waits, then finds the first's
    draft and is told so. (SQLite's IMMEDIATE transactions serialise writers already.)"""
    list(Org.objects.select_for_update().filter(pk=org.pk).values_list("pk", flat=True))


def _next_version(org, area) -> int:
    top = Catalog.objects.filter(org=org, area=area).aggregate(v=Max("version"))["v"]
    return (top or 0) + 1


def _open_draft(org, area) -> Catalog | None:
    return (
        Catalog.objects.filter(org=org, area=area, status__in=(*EDITABLE, CatalogStatus.SUBMITTED))
        .order_by("-version")
        .first()
    )


# --- item data ----------------------------------------------------------------------------


def clean_item(data: dict) -> dict:
    """Validate an item's fields (texts cut to their columns; 一级事项 required)."""
    from gongkai.documents.models import Category, Column, Document

    out: dict = {}
    for key in TEXT_FIELDS:
        if key == "levels":
            continue
        value = importer.text_of(data.get(key, ""))
        limit = importer.MAX_LENGTH.get(key, importer.TEXT_LIMIT)
        if len(value) > limit:
            label = Item._meta.get_field(key).verbose_name
            raise ApplicationError(
                _("“%(f)s”不超过 %(n)s 字。") % {"f": label, "n": limit}, code="too_long"
            )
        out[key] = value
    out["number"] = importer.text_of(data.get("number", ""))[:16]
    if not out["level1"]:
        raise ApplicationError(_("请填写一级事项。"), code="level1_required")
    levels = data.get("levels") or []
    if isinstance(levels, str):
        levels = importer.level_names(levels)
    if any(level not in importer.LEVELS for level in levels):
        raise ApplicationError(_("公开层级只能是县级、乡级、村级。"), code="invalid_level")
    out["levels"] = [level for level in importer.LEVELS if level in levels]
    if "category" in data or "column" in data or "doc_type" in data or "query" in data:
        category, column = data.get("category"), data.get("column")
        if category is not None and not isinstance(category, Category):
            raise ApplicationError(_("目录分类无效。"), code="invalid_category")
        if column is not None and not isinstance(column, Column):
            raise ApplicationError(_("专栏无效。"), code="invalid_column")
        doc_type = (data.get("doc_type") or "").strip()
        if doc_type and doc_type not in Document.DocType.values:
            raise ApplicationError(_("公文种类无效。"), code="invalid_doc_type")
        out.update(
            category=category,
            column=column,
            doc_type=doc_type,
            query=importer.text_of(data.get("query", ""))[:200],
        )
    return out


def _text_of_item(item: Item) -> dict:
    return {key: getattr(item, key) for key in TEXT_FIELDS}


def _copy(item: Item, catalog: Catalog, **extra) -> Item:
    values = {key: getattr(item, key) for key in (*TEXT_FIELDS, "number", "sort_order")}
    values.update(
        category_id=item.category_id,
        column_id=item.column_id,
        doc_type=item.doc_type,
        query=item.query,
    )
    return Item(catalog=catalog, **values, **extra)


# --- import -------------------------------------------------------------------------------


@dataclass
class ImportResult:
    catalogs: list[Catalog]
    items: int


def _resolve_areas(sheets, area: Area | None) -> dict[int, list]:
    """Group the parsed items by Area: the caller's, else named by row, title or sheet."""
    areas = list(Area.objects.all())
    by_name = {a.name: a for a in areas}
    names = list(by_name)
    groups: dict[int, list] = {}
    for sheet in sheets:
        for parsed in sheet.items:
            found = area
            if found is None:
                for text in (parsed.area, sheet.title, sheet.name):
                    name = importer.area_name_in(text, names) if text else None
                    if name:
                        found = by_name[name]
                        break
            if found is None:
                raise ApplicationError(
                    _(
                        "工作表“%(s)s”第 %(r)s 行的事项无法确定所属领域：请在导入时选择领域，"
                        "或在表格中写明领域（领域列、标题或工作表名称）。"
                    )
                    % {"s": sheet.name, "r": parsed.row},
                    code="area_unknown",
                )
            groups.setdefault(found.pk, []).append(parsed)
    return groups


@transaction.atomic
def catalog_import(
    *, actor, org: Org, file_name: str, data: bytes, area: Area | None = None
) -> ImportResult:
    """Import an XLSX catalog into drafts of `org` (one per area found); nothing on error.

    An area whose latest catalog is a draft or returned gets its items replaced; one whose
    latest is approved gets a new draft version; one awaiting review is refused."""
    _need_manage(actor, org)
    _serialise(org)
    sheets = importer.parse_catalog(data, file_name)
    groups = _resolve_areas(sheets, area)
    areas = {a.pk: a for a in Area.objects.filter(pk__in=groups)}
    catalogs, total = [], 0
    for area_id, parsed_items in groups.items():
        this_area = areas[area_id]
        catalog = _open_draft(org, this_area)
        if catalog is not None and catalog.status == CatalogStatus.SUBMITTED:
            raise ApplicationError(
                _("%(a)s领域的标准目录正在审核中，不能导入。") % {"a": this_area.name},
                code="under_review",
            )
        if catalog is None:
            catalog = Catalog.objects.create(
                org=org, area=this_area, version=_next_version(org, this_area)
            )
        else:
            catalog = _lock(catalog)
            catalog.items.all().delete()
        catalog.source = importer.text_of(file_name)[:300]
        catalog.save(update_fields=["source", "updated_at"])
        rows = []
        for n, parsed in enumerate(parsed_items, 1):
            values = clean_item(parsed.fields)
            rows.append(Item(catalog=catalog, sort_order=n, **values))
        Item.objects.bulk_create(rows)
        total += len(rows)
        catalogs.append(catalog)
        audit.record(
            actor=actor,
            verb="catalogs.catalog.import",
            target=catalog,
            org=org,
            data={"file": file_name[:200], "area": this_area.name, "items": len(rows),
                  "version": catalog.version},
        )  # fmt: skip
    return ImportResult(catalogs=catalogs, items=total)


# --- drafts from an approved catalog ------------------------------------------------------


def base_for(org: Org, area: Area) -> Catalog | None:
    """The approved catalog of the nearest ancestor that has one for `area`."""
    ancestors = [pk for pk in org.ancestor_ids() if pk != org.pk]
    found = {
        c.org_id: c
        for c in Catalog.objects.filter(
            org_id__in=ancestors, area=area, status=CatalogStatus.APPROVED
        ).select_related("org", "area")
    }
    for pk in reversed(ancestors):
        if pk in found:
            return found[pk]
    return None


@transaction.atomic
def catalog_adapt(*, actor, org: Org, area: Area, note: str = "") -> Catalog:
    """A draft of `org` adapting the approved `area` catalog of the government above."""
    _need_manage(actor, org)
    _serialise(org)
    if _open_draft(org, area) is not None:
        raise ApplicationError(
            _("本机关%(a)s领域已有未审定的标准目录，请在其基础上修改。") % {"a": area.name},
            code="draft_exists",
        )
    base = base_for(org, area)
    if base is None:
        raise ApplicationError(
            _("上级政府尚无已审定的%(a)s领域标准目录，无法据以调整。") % {"a": area.name},
            code="no_base",
        )
    catalog = Catalog.objects.create(
        org=org,
        area=area,
        version=_next_version(org, area),
        base=base,
        note=importer.text_of(note)[:2000],
    )
    items = [
        _copy(item, catalog, origin=item, change=Change.KEPT)
        for item in base.items.exclude(change=Change.REMOVED)
    ]
    Item.objects.bulk_create(items)
    audit.record(
        actor=actor,
        verb="catalogs.catalog.adapt",
        target=catalog,
        org=org,
        data={"area": area.name, "base": base.pk, "base_org": base.org.name, "items": len(items)},
    )
    return catalog


@transaction.atomic
def catalog_new_version(*, actor, catalog: Catalog) -> Catalog:
    """Copy an approved catalog into a new draft (version + 1), adaptation marks kept."""
    _need_manage(actor, catalog.org)
    _serialise(catalog.org)
    if catalog.status != CatalogStatus.APPROVED:
        raise ApplicationError(_("只能在已审定的标准目录基础上编制新版本。"), code="not_approved")
    if _open_draft(catalog.org, catalog.area) is not None:
        raise ApplicationError(
            _("本机关%(a)s领域已有未审定的标准目录，请在其基础上修改。") % {"a": catalog.area.name},
            code="draft_exists",
        )
    new = Catalog.objects.create(
        org=catalog.org,
        area=catalog.area,
        version=_next_version(catalog.org, catalog.area),
        base=catalog.base,
        note=catalog.note,
    )
    Item.objects.bulk_create(
        [
            _copy(item, new, origin_id=item.origin_id, change=item.change,
                  change_reason=item.change_reason)
            for item in catalog.items.all()
        ]
    )  # fmt: skip
    audit.record(
        actor=actor,
        verb="catalogs.catalog.new_version",
        target=new,
        org=catalog.org,
        data={"from": catalog.pk, "version": new.version},
    )
    return new


# --- items --------------------------------------------------------------------------------


def _locked_item(item: Item) -> tuple[Item, Catalog]:
    catalog = _lock(item.catalog)
    _editable(catalog)
    fresh = Item.objects.select_related("origin").get(pk=item.pk, catalog=catalog)
    return fresh, catalog


@transaction.atomic
def item_update(*, actor, item: Item, data: dict, reason: str = "") -> Item:
    """Edit an item's columns and mapping; in an adaptation, a changed text needs a reason."""
    _need_manage(actor, item.catalog.org)
    item, catalog = _locked_item(item)
    values = clean_item(data)
    before = _text_of_item(item)
    for key, value in values.items():
        setattr(item, key, value)
    if item.origin_id and item.change != Change.REMOVED:
        if _text_of_item(item) != _text_of_item(item.origin):
            item.change = Change.REWORDED
            item.change_reason = _reason(reason or item.change_reason, _("修改事项"))
        else:
            item.change, item.change_reason = Change.KEPT, ""
    elif item.change == Change.ADDED and reason:
        item.change_reason = importer.text_of(reason)[:REASON_LIMIT]
    item.save()
    changed = sorted(k for k in TEXT_FIELDS if before[k] != getattr(item, k))
    audit.record(
        actor=actor,
        verb="catalogs.item.update",
        target=item,
        org=catalog.org,
        data={"catalog": catalog.pk, "changed": changed, "change": item.change},
    )
    return item


@transaction.atomic
def item_add(*, actor, catalog: Catalog, data: dict, reason: str = "") -> Item:
    """Add an item; in an adaptation it is marked added and needs a reason."""
    _need_manage(actor, catalog.org)
    catalog = _lock(catalog)
    _editable(catalog)
    values = clean_item(data)
    item = Item(catalog=catalog, **values)
    item.sort_order = (catalog.items.aggregate(m=Max("sort_order"))["m"] or 0) + 1
    if catalog.base_id:
        item.change = Change.ADDED
        item.change_reason = _reason(reason, _("新增事项"))
    item.save()
    audit.record(
        actor=actor,
        verb="catalogs.item.add",
        target=item,
        org=catalog.org,
        data={"catalog": catalog.pk, "level1": item.level1, "level2": item.level2},
    )
    return item


@transaction.atomic
def item_remove(*, actor, item: Item, reason: str = "") -> Item | None:
    """Remove an item: one taken from the base catalog stays as a row marked removed (with a
    reason); any other is deleted."""
    _need_manage(actor, item.catalog.org)
    item, catalog = _locked_item(item)
    data = {"catalog": catalog.pk, "level1": item.level1, "level2": item.level2}
    target = ("catalogs.item", item.pk)
    if item.origin_id:
        item.change = Change.REMOVED
        item.change_reason = _reason(reason, _("删除事项"))
        item.save(update_fields=["change", "change_reason", "updated_at"])
        result = item
    else:
        item.delete()
        result = None
    audit.record(actor=actor, verb="catalogs.item.remove", target=target,
                 org=catalog.org, data=data)  # fmt: skip
    return result


@transaction.atomic
def item_restore(*, actor, item: Item) -> Item:
    """Take back the removal of an item of the base catalog."""
    _need_manage(actor, item.catalog.org)
    item, catalog = _locked_item(item)
    if item.change != Change.REMOVED:
        raise ApplicationError(_("该事项未被删除。"), code="not_removed")
    same = _text_of_item(item) == _text_of_item(item.origin) if item.origin_id else True
    item.change = Change.KEPT if same else Change.REWORDED
    if same:
        item.change_reason = ""
    item.save(update_fields=["change", "change_reason", "updated_at"])
    audit.record(actor=actor, verb="catalogs.item.restore", target=item, org=catalog.org,
                 data={"catalog": catalog.pk})  # fmt: skip
    return item


# --- review -------------------------------------------------------------------------------


@transaction.atomic
def catalog_submit(*, actor, catalog: Catalog, note: str = "") -> Catalog:
    """Submit a draft for review, with the drafter's note (编制说明)."""
    with CATALOG.transition(catalog, "submit", actor=actor) as move:
        c = move.obj
        if not c.items.exists():
            raise ApplicationError(_("标准目录还没有事项，不能提交。"), code="empty")
        missing = c.items.exclude(change__in=("", Change.KEPT)).filter(change_reason="").count()
        if missing:
            raise ApplicationError(
                _("有 %(n)s 个调整的事项没有填写理由。") % {"n": missing}, code="reason_required"
            )
        if note:
            c.note = importer.text_of(note)[:2000]
        c.submitted_at = timezone.now()
        c.review_note = ""
        move.update_fields = ["note", "submitted_at", "review_note"]
        move.data.update(version=c.version, area=c.area.name)
    return move.obj


@transaction.atomic
def catalog_approve(*, actor, catalog: Catalog, note: str = "") -> Catalog:
    """Approve a submitted catalog; the previous approved version is superseded with it."""
    reviewing = review_org(catalog)
    with CATALOG.transition(catalog, "approve", actor=actor, org=reviewing) as move:
        c = move.obj
        previous = Catalog.objects.filter(
            org=c.org, area=c.area, status=CatalogStatus.APPROVED
        ).first()
        if previous is not None:
            CATALOG.run(previous, "supersede", actor=actor, org=reviewing, data={"by": c.pk})
            move.data["superseded"] = previous.pk
        c.decided_at, c.decided_by = timezone.now(), _user(actor)
        c.review_note = importer.text_of(note)[:2000]
        move.update_fields = ["decided_at", "decided_by", "review_note"]
        move.data.update(version=c.version, area=c.area.name)
    return move.obj


@transaction.atomic
def catalog_return(*, actor, catalog: Catalog, reason: str) -> Catalog:
    """Return a submitted catalog to its drafter; the reason is required."""
    text = _reason(reason, _("退回"))
    with CATALOG.transition(catalog, "return", actor=actor, org=review_org(catalog)) as move:
        c = move.obj
        c.decided_at, c.decided_by, c.review_note = timezone.now(), _user(actor), text
        move.update_fields = ["decided_at", "decided_by", "review_note"]
        move.data.update(reason=text)
    return move.obj


@transaction.atomic
def catalog_create(*, actor, org: Org, area: Area, note: str = "") -> Catalog:
    """An empty draft, for items written by hand."""
    _need_manage(actor, org)
    _serialise(org)
    if _open_draft(org, area) is not None:
        raise ApplicationError(
            _("本机关%(a)s领域已有未审定的标准目录，请在其基础上修改。") % {"a": area.name},
            code="draft_exists",
        )
    catalog = Catalog.objects.create(
        org=org, area=area, version=_next_version(org, area), note=importer.text_of(note)[:2000]
    )
    audit.record(actor=actor, verb="catalogs.catalog.create", target=catalog, org=org,
                 data={"area": area.name, "version": catalog.version})  # fmt: skip
    return catalog

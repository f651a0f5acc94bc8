"""Reads of organisations, scoped to what the caller may see."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import QuerySet

from gongkai.core.exceptions import NotFoundError

from . import permissions
from .models import DisclosureGuide, GroupAlias, Membership, Org


@dataclass
class TreeNode:
    org: Org
    children: list[TreeNode] = field(default_factory=list)


def org_public_list() -> QuerySet[Org]:
    return Org.objects.filter(is_active=True)


def org_tree(*, kinds: tuple[str, ...] | None = None) -> list[TreeNode]:
    """The whole directory as a tree, in one query, siblings by sort order then name.

    An organisation whose parent is excluded (inactive, or not of `kinds`) is attached to its
    nearest included ancestor, so nothing vanishes from the directory.
    """
    qs = org_public_list().only(
        "id", "name", "short_name", "code", "kind", "parent_id", "path", "sort_order"
    )
    if kinds:
        qs = qs.filter(kind__in=kinds)
    nodes = {org.pk: TreeNode(org) for org in qs}
    roots: list[TreeNode] = []
    for node in nodes.values():
        ancestors = node.org.ancestor_ids()[:-1]
        parent = next((nodes[a] for a in reversed(ancestors) if a in nodes), None)
        (parent.children if parent else roots).append(node)

    def sort(level: list[TreeNode]) -> None:
        level.sort(key=lambda n: (n.org.sort_order, n.org.name))
        for n in level:
            sort(n.children)

    sort(roots)
    return roots


def org_get_public(*, code: str) -> Org:
    org = org_public_list().select_related("parent").filter(code=code).first()
    if org is None:
        raise NotFoundError()
    return org


def org_sub_units(*, org: Org) -> QuerySet[Org]:
    return org_public_list().filter(parent=org).order_by("sort_order", "name")


def guide_for(*, org: Org) -> DisclosureGuide:
    """The saved guide, or an unsaved empty one whose display falls back to defaults."""
    try:
        return org.guide
    except DisclosureGuide.DoesNotExist:
        return DisclosureGuide(org=org)


def orgs_for_user(*, user, action: str) -> QuerySet[Org]:
    ids = permissions.org_ids_for(user, action)
    qs = Org.objects.all() if ids is None else Org.objects.filter(pk__in=ids)
    return qs.order_by("path")


def org_get_for_action(*, user, code: str, action: str) -> Org:
    """The organisation if `user` may perform `action` on it; otherwise not found (no leak)."""
    org = Org.objects.filter(code=code).first()
    if org is None or not permissions.can(user, action, org):
        raise NotFoundError()
    return org


def memberships_of(*, user) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user).select_related("org").order_by("org__path", "role")


def group_alias_resolve(alias: GroupAlias) -> QuerySet[Org]:
    """The organisations a group name stands for: by rule, plus the explicit members."""
    explicit = Org.objects.filter(pk__in=alias.members.values("pk"))
    if not alias.kinds:
        return explicit.filter(is_active=True).order_by("sort_order", "name")
    ruled = Org.objects.filter(kind__in=alias.kinds)
    if alias.scope_id:
        ruled = (
            ruled.filter(parent=alias.scope)
            if alias.direct_children_only
            else ruled.filter(path__startswith=alias.scope.path).exclude(pk=alias.scope_id)
        )
    return (ruled | explicit).filter(is_active=True).distinct().order_by("sort_order", "name")


def group_alias_lookup(name: str) -> GroupAlias | None:
    """Find an alias by name, tolerating the bracket variants work plans use (〔〕 ( ) （）)."""
    normalised = normalise_group_name(name)
    for alias in GroupAlias.objects.all():
        if normalise_group_name(alias.name) == normalised:
            return alias
    return None


def normalise_group_name(name: str) -> str:
    table = str.maketrans(
        {"〔": "（", "〕": "）", "(": "（", ")": "）", "[": "（", "]": "）", "【": "（", "】": "）"}
    )
    return "".join(name.split()).translate(table)


# --- the public structure: who accepts requests, levels, the function directory -------------

# Internal units (科室) are not bodies under the Regulations: a request goes to the
# organisation above them. Public bodies (管委会, 中心) answer for themselves.
NOT_ACCEPTING_REQUESTS = (Org.Kind.INTERNAL_UNIT,)
GOVERNMENT_KINDS = (Org.Kind.GOVERNMENT, Org.Kind.DISTRICT, Org.Kind.TOWNSHIP)
LEVELS = ("city", "district", "township")
_LEVEL_OF_KIND = {
    Org.Kind.GOVERNMENT: "city",
    Org.Kind.DISTRICT: "district",
    Org.Kind.TOWNSHIP: "township",
}


def level_label(level: str) -> str:
    from django.utils.translation import gettext as _

    return {
        "city": _("市级"),
        "district": _("区县（市）级"),
        "township": _("乡镇（街道）级"),
    }[level]


def orgs_accepting_requests() -> QuerySet[Org]:
    """Organisations a disclosure request may be addressed to, in tree order."""
    return org_public_list().exclude(kind__in=NOT_ACCEPTING_REQUESTS).order_by("path")


def org_for_requests(org: Org) -> Org:
    """The organisation that takes requests for `org`: itself, or for an internal unit the
    organisation above it (`org.parent` as loaded, so no query when it was selected)."""
    while org.kind in NOT_ACCEPTING_REQUESTS and org.parent_id:
        org = org.parent
    return org


def _levels(orgs: list[Org], kinds: dict[int, str]) -> dict[int, str]:
    """Each organisation's level: that of the nearest government at or above it."""
    found = {}
    for org in orgs:
        level = "city"
        for pk in reversed(org.ancestor_ids()):
            kind = kinds.get(pk)
            if kind in _LEVEL_OF_KIND:
                level = _LEVEL_OF_KIND[kind]
                break
        found[org.pk] = level
    return found


def orgs_by_level(orgs: list[Org] | QuerySet[Org]) -> list[tuple[str, str, list[Org]]]:
    """(level, label, organisations in tree order) for each level that has any; two queries."""
    orgs = list(orgs)
    kinds = dict(Org.objects.values_list("pk", "kind"))
    levels = _levels(orgs, kinds)
    return [
        (level, level_label(level), [o for o in orgs if levels[o.pk] == level])
        for level in LEVELS
        if any(levels[o.pk] == level for o in orgs)
    ]


def org_find_accepting(text: str, *, within: QuerySet[Org] | None = None) -> Org | None:
    """The accepting organisation named `text` (code, full name, short name, or a part of the
    name that only one holds), among `within` when given; None when there is none or several."""
    text = " ".join((text or "").split())[:128]
    if not text:
        return None
    qs = orgs_accepting_requests() if within is None else within
    exact = qs.filter(code=text).first() or qs.filter(name=text).first()
    if exact:
        return exact
    for lookup in ({"short_name": text}, {"name__contains": text}):
        found = list(qs.filter(**lookup)[:2])
        if len(found) == 1:
            return found[0]
    return None


@dataclass
class DirectoryEntry:
    org: Org
    units: list[Org] = field(default_factory=list)  # internal units and subordinate bodies


@dataclass
class FunctionDirectory:
    """机构职能目录 of one government's level: the government and its working departments."""

    government: Org
    entries: list[DirectoryEntry]


def directory_governments() -> list[Org]:
    """Governments that have a function directory, in tree order."""
    return list(org_public_list().filter(kind__in=GOVERNMENT_KINDS).order_by("path"))


def function_directory(*, code: str) -> FunctionDirectory:
    """The government `code` (of any level) and the organisations of its level: departments and
    bodies directly under it, each with its internal units and subordinate bodies; two queries.
    Lower governments have their own directory."""
    government = org_public_list().filter(code=code, kind__in=GOVERNMENT_KINDS).first()
    if government is None:
        raise NotFoundError()
    below = list(
        org_public_list().filter(path__startswith=government.path).exclude(pk=government.pk)
    )
    children: dict[int, list[Org]] = {}
    for org in below:
        children.setdefault(org.parent_id, []).append(org)

    def ordered(orgs: list[Org]) -> list[Org]:
        return sorted(orgs, key=lambda o: (o.sort_order, o.name))

    def units_of(org: Org) -> list[Org]:
        return ordered([c for c in children.get(org.pk, []) if c.kind in Org.SUB_UNIT_KINDS])

    # The government's own bodies (管委会) are entries of the level; its 科室 are its units.
    entries = [
        DirectoryEntry(
            government,
            [u for u in units_of(government) if u.kind == Org.Kind.INTERNAL_UNIT],
        )
    ]
    for org in ordered(children.get(government.pk, [])):
        if org.kind in GOVERNMENT_KINDS or org.kind == Org.Kind.INTERNAL_UNIT:
            continue  # lower governments have their own; the government's units are above
        entries.append(DirectoryEntry(org, units_of(org)))
    return FunctionDirectory(government=government, entries=entries)


def region_root() -> Org | None:
    """The top organisation of the region this site serves (the first root in sort order)."""
    return org_public_list().filter(parent__isnull=True).order_by("sort_order", "name").first()

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

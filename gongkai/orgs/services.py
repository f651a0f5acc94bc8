"""Writes of the orgs app. Each checks the actor's permission and records an audit event."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.dispatch import Signal
from django.utils.translation import gettext as _

from gongkai.core import audit
from gongkai.core.changes import apply_changes
from gongkai.core.exceptions import ApplicationError, PermissionDeniedError

from . import permissions
from .models import DisclosureGuide, GroupAlias, Membership, Org

# Sent inside the transaction that moved `org` (and its subtree) under another parent.
org_moved = Signal()

PROFILE_FIELDS = (
    "short_name",
    "functions",
    "address",
    "postcode",
    "office_hours",
    "phone",
    "fax",
    "email",
    "website",
    "head",
    "disclosure_head",
    "disclosure_head_title",
    "disclosure_head_phone",
)
MASTER_FIELDS = ("name", "code", "kind", "parent", "sort_order", "is_active", *PROFILE_FIELDS)
GUIDE_FIELDS = (
    "classification",
    "proactive_access",
    "request_procedure",
    "office_name",
    "office_address",
    "office_hours",
    "office_phone",
    "office_fax",
    "online_contact",
    "remedies",
)


def _require(actor, action: str, org: Org | None) -> None:
    # The system itself (actor None: migrations, demo loader) is trusted; people are checked.
    if actor is not None and not permissions.can(actor, action, org):
        raise PermissionDeniedError()


def _set_path(org: Org) -> None:
    org.path = f"{org.parent.path if org.parent_id else '/'}{org.pk}/"


@transaction.atomic
def org_create(*, actor, **fields) -> Org:
    if actor is not None and not actor.is_superuser:
        _require(actor, "manage_staff", fields.get("parent"))
    org = Org(**{k: v for k, v in fields.items() if k in MASTER_FIELDS})
    unknown = set(fields) - set(MASTER_FIELDS)
    if unknown:
        raise ApplicationError(
            _("未知字段：%(f)s") % {"f": ", ".join(sorted(unknown))}, code="unknown_field"
        )
    try:
        org.full_clean(exclude=["path"])
    except ValidationError as exc:
        raise ApplicationError(
            "；".join(f"{k}: {'；'.join(v)}" for k, v in exc.message_dict.items()),
            code="invalid",
            extra=exc.message_dict,
        ) from None
    org.save()
    _set_path(org)
    org.save(update_fields=["path"])
    audit.record(
        actor=actor,
        verb="org.create",
        target=org,
        org=org,
        data={"name": org.name, "code": org.code, "kind": org.kind, "parent": org.parent_id},
    )
    return org


@transaction.atomic
def org_update(*, actor, org: Org, data: dict) -> Org:
    """Change master data (administrators); moving an organisation re-paths its subtree."""
    org = Org.objects.select_for_update().get(pk=org.pk)
    _require(actor, "manage_staff", org)
    if "parent" in data and data["parent"] != org.parent:
        new_parent = data["parent"]
        # Moving changes who reaches the organisation: the actor must reach where it goes.
        if actor is not None and not (
            actor.is_superuser
            or (new_parent and permissions.can(actor, "manage_staff", new_parent))
        ):
            raise PermissionDeniedError()
        if new_parent is not None and (
            new_parent.pk == org.pk or new_parent.path.startswith(org.path)
        ):
            raise ApplicationError(_("不能把机构移到它自己或它的下级之下。"), code="cycle")
    if "kind" in data and data["kind"] != org.kind and actor is not None and not actor.is_superuser:
        # The kind decides whose sub-unit an organisation is (permissions): system operators only.
        raise PermissionDeniedError()
    old_path = org.path
    changes = apply_changes(org, data, MASTER_FIELDS)
    if changes:
        _set_path(org)
        org.save()
        if org.path != old_path:
            for child in Org.objects.filter(path__startswith=old_path).exclude(pk=org.pk):
                child.path = org.path + child.path[len(old_path) :]
                child.save(update_fields=["path"])
            # Listeners (the search index files documents under every ancestor) follow in
            # this transaction.
            org_moved.send(sender=Org, org=org, old_path=old_path)
        audit.record(
            actor=actor, verb="org.update", target=org, org=org, data={"changes": _plain(changes)}
        )
    return org


@transaction.atomic
def org_update_profile(*, actor, org: Org, data: dict) -> Org:
    """Edit the public profile (functions, address, hours, contacts, head)."""
    org = Org.objects.select_for_update().get(pk=org.pk)
    _require(actor, "change_profile", org)
    changes = apply_changes(org, data, PROFILE_FIELDS)
    if changes:
        org.save(update_fields=[*changes, "updated_at"])
        audit.record(
            actor=actor, verb="org.update_profile", target=org, org=org, data={"changes": changes}
        )
    return org


@transaction.atomic
def guide_update(*, actor, org: Org, data: dict) -> DisclosureGuide:
    """Edit the organisation's disclosure guide (Art.12)."""
    _require(actor, "change_guide", org)
    guide, created = DisclosureGuide.objects.select_for_update().get_or_create(org=org)
    changes = apply_changes(guide, data, GUIDE_FIELDS)
    if changes or created:
        guide.save()
        audit.record(
            actor=actor,
            verb="guide.update",
            target=guide,
            org=org,
            data={"changes": changes, "created": created},
        )
    return guide


@transaction.atomic
def membership_grant(*, actor, user, org: Org, role: str) -> Membership:
    _require(actor, "manage_staff", org)
    if role not in Membership.Role.values:
        raise ApplicationError(_("未知角色：%(r)s") % {"r": role}, code="unknown_role")
    membership, created = Membership.objects.get_or_create(user=user, org=org, role=role)
    if created:
        audit.record(
            actor=actor,
            verb="membership.grant",
            target=membership,
            org=org,
            data={"user": user.get_username(), "role": role},
        )
        permissions.forget(user)
    return membership


@transaction.atomic
def membership_revoke(*, actor, membership: Membership) -> None:
    _require(actor, "manage_staff", membership.org)
    audit.record(
        actor=actor,
        verb="membership.revoke",
        target=membership,
        org=membership.org,
        data={"user": membership.user.get_username(), "role": membership.role},
    )
    membership.delete()
    permissions.forget(membership.user)


@transaction.atomic
def staff_user_create(
    *,
    actor,
    username: str,
    password: str,
    full_name: str = "",
    email: str = "",
    is_superuser: bool = False,
    validate: bool = True,
):
    """Create a staff account (it acts only through memberships granted afterwards)."""
    if actor is not None and not actor.is_superuser:
        raise PermissionDeniedError()
    user_model = get_user_model()
    if not username or user_model.objects.filter(username=username).exists():
        raise ApplicationError(
            _("用户名“%(u)s”为空或已被使用。") % {"u": username}, code="username_taken"
        )
    user = user_model(
        username=username,
        email=email,
        first_name=full_name,
        is_staff=is_superuser,
        is_superuser=is_superuser,
    )
    try:
        user.full_clean(exclude=["password"])
        if validate:
            validate_password(password, user)
    except ValidationError as exc:
        raise ApplicationError("；".join(exc.messages), code="invalid_user") from None
    user.set_password(password)
    user.save()
    audit.record(
        actor=actor,
        verb="user.create",
        target=user,
        data={"username": username, "superuser": is_superuser},
    )
    return user


@transaction.atomic
def group_alias_save(*, actor, alias: GroupAlias, members: list[Org] | None = None) -> GroupAlias:
    if actor is not None and not actor.is_superuser:
        raise PermissionDeniedError()
    created = alias.pk is None
    try:
        alias.full_clean()
    except ValidationError as exc:
        raise ApplicationError("；".join(exc.messages), code="invalid_alias") from None
    alias.save()
    if members is not None:
        alias.members.set(members)
    audit.record(
        actor=actor,
        verb="group_alias.create" if created else "group_alias.update",
        target=alias,
        data={
            "name": alias.name,
            "kinds": alias.kinds,
            "scope": alias.scope_id,
            "members": [m.pk for m in alias.members.all()],
        },
    )
    return alias


def _plain(changes: dict) -> dict:
    return {k: [v.pk if isinstance(v, Org) else v for v in pair] for k, pair in changes.items()}

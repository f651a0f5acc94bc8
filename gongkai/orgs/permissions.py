"""Who may do what, answered in one place, always through the object's owning organisation.

A membership gives a role in one organisation. Its reach:
- supervisor and administrator: the organisation and its whole region (every descendant);
- every other role: the organisation and its own sub-units (internal units and affiliated
  public bodies below it), but not the departments, districts or townships under a
  government, which are organs with duties of their own.

Actions name the roles that may perform them. Superusers (system operators) may do anything.
Registered with `rules`, so `user.has_perm("orgs.change_profile", org)` asks the same question.
"""

from __future__ import annotations

import rules

from .models import Membership, Org

Role = Membership.Role
ALL_ROLES = frozenset(Role)

ACTIONS: dict[str, frozenset[str]] = {
    # See the workbench pages of an organisation at all.
    "view_internal": ALL_ROLES,
    # Edit the public profile and the disclosure guide (Art.12 says they are kept current).
    "change_profile": frozenset({Role.PUBLISHER, Role.OFFICE_HEAD, Role.ADMINISTRATOR}),
    "change_guide": frozenset({Role.PUBLISHER, Role.OFFICE_HEAD, Role.ADMINISTRATOR}),
    # Read the audit trail of the organisation.
    "view_audit": frozenset({Role.OFFICE_HEAD, Role.SUPERVISOR, Role.ADMINISTRATOR}),
    # Grant and revoke memberships.
    "manage_staff": frozenset({Role.ADMINISTRATOR}),
    # The publication workflow (gongkai.documents.workflow).
    "draft_document": frozenset({Role.PUBLISHER, Role.OFFICE_HEAD}),
    "review_document": frozenset({Role.REVIEWER}),
    "publish_document": frozenset({Role.PUBLISHER, Role.REVIEWER, Role.OFFICE_HEAD}),
    "withdraw_document": frozenset({Role.PUBLISHER, Role.OFFICE_HEAD}),
    # Disclosure requests (gongkai.foi.workflow). Requests hold personal data: only the roles
    # that work on them, and the supervising office for the overdue list, may read them.
    "view_requests": frozenset(
        {Role.REQUEST_HANDLER, Role.OFFICE_HEAD, Role.LEGAL_REVIEWER, Role.SUPERVISOR}
    ),
    "register_request": frozenset({Role.REQUEST_HANDLER, Role.OFFICE_HEAD}),
    "assign_request": frozenset({Role.REQUEST_HANDLER, Role.OFFICE_HEAD}),
    "handle_request": frozenset({Role.REQUEST_HANDLER}),
    "approve_request": frozenset({Role.OFFICE_HEAD}),
    "legal_review_request": frozenset({Role.LEGAL_REVIEWER}),
    "record_review": frozenset({Role.REQUEST_HANDLER, Role.OFFICE_HEAD}),
    # Correcting a registered fact (the applicant's kind) that the annual report counts by.
    "correct_request": frozenset({Role.REQUEST_HANDLER, Role.OFFICE_HEAD}),
    # Normative documents (gongkai.normative): their register entry, validity and relations are
    # kept by the publishing office and checked by the legal (合法性审核) reviewers; clean-up
    # campaigns (清理) are decided by the legal reviewers and the office head.
    "manage_normative": frozenset({Role.PUBLISHER, Role.LEGAL_REVIEWER, Role.OFFICE_HEAD}),
    "manage_cleanup": frozenset({Role.LEGAL_REVIEWER, Role.OFFICE_HEAD}),
    # Interpretations coverage ledger and the gazette.
    "view_ledgers": frozenset(
        {Role.PUBLISHER, Role.REVIEWER, Role.OFFICE_HEAD, Role.SUPERVISOR, Role.ADMINISTRATOR}
    ),
    "edit_gazette": frozenset({Role.PUBLISHER, Role.OFFICE_HEAD}),
    # Work-plan supervision (gongkai.supervision): the supervising office imports, reviews and
    # confirms plans, accepts or returns reports, issues bulletins and runs the look-back; any
    # staff of an assigned organisation reports progress on its tasks.
    "supervise_plans": frozenset({Role.SUPERVISOR, Role.OFFICE_HEAD}),
    # The annual report: the office prepares it and enters the figures gongkai holds no
    # records of (licensing, penalties, fees); the government's openness office may for its
    # region.
    "prepare_report": frozenset(
        {Role.PUBLISHER, Role.OFFICE_HEAD, Role.SUPERVISOR, Role.ADMINISTRATOR}
    ),
    # The government's openness office accepts or returns the reports of its region.
    "review_report": frozenset({Role.SUPERVISOR}),
    "report_progress": ALL_ROLES,
    # Public participation (gongkai.participation). Consultations are run by the publishing
    # office (and, for the government's own, its openness office).
    "manage_consultation": frozenset({Role.PUBLISHER, Role.OFFICE_HEAD, Role.SUPERVISOR}),
    # Questions hold citizens' contact details: only the roles that work on them read them.
    "view_questions": frozenset(
        {Role.REQUEST_HANDLER, Role.PUBLISHER, Role.REVIEWER, Role.OFFICE_HEAD, Role.SUPERVISOR}
    ),
    "answer_question": frozenset({Role.REQUEST_HANDLER, Role.PUBLISHER, Role.OFFICE_HEAD}),
    "approve_answer": frozenset({Role.OFFICE_HEAD}),
    # Transfer (转办) to the competent organisation: the office head, or the government's
    # office for messages addressed to "the government".
    "route_question": frozenset({Role.OFFICE_HEAD, Role.SUPERVISOR}),
    # Publication of a Q&A, after the PII scan, needs a reviewer's look.
    "publish_question": frozenset({Role.REVIEWER, Role.OFFICE_HEAD}),
    # Hotline systems push answered Q&A with a token per organisation.
    "manage_api_tokens": frozenset({Role.OFFICE_HEAD, Role.ADMINISTRATOR}),
    # The public-concern ledger (回应关切台账) is staff only.
    "view_concerns": frozenset(
        {Role.PUBLISHER, Role.OFFICE_HEAD, Role.SUPERVISOR, Role.ADMINISTRATOR}
    ),
    "manage_concerns": frozenset({Role.PUBLISHER, Role.OFFICE_HEAD, Role.SUPERVISOR}),
    # Standard disclosure catalogs (gongkai.catalogs): an organisation adapts the catalog to
    # itself and submits it; the government's openness office approves (000 二(三)).
    "manage_catalog": frozenset({Role.PUBLISHER, Role.OFFICE_HEAD, Role.SUPERVISOR}),
    "review_catalog": frozenset({Role.SUPERVISOR}),
    # The register of websites and new-media accounts (gongkai.sites): the owner proposes
    # opening, changing and closing; the supervising office approves.
    "manage_sites": frozenset({Role.PUBLISHER, Role.OFFICE_HEAD, Role.ADMINISTRATOR}),
    "approve_sites": frozenset({Role.SUPERVISOR}),
    # The site self-check (gongkai.sitecheck) is run by the office that answers for the site.
    "run_site_check": frozenset({Role.OFFICE_HEAD, Role.SUPERVISOR, Role.ADMINISTRATOR}),
    # The scheduled jobs of the whole installation: its administrators.
    "view_jobs": frozenset({Role.ADMINISTRATOR}),
}

# Actions a member takes only for the organisation they belong to (and its own sub-units):
# the region roles' reach does not extend them, so a city supervisor cannot report progress
# as one of the departments whose reports it then reviews.
OWN_ORG_ACTIONS = frozenset({"report_progress"})
_OWN = "__own__"


class CommandLine:
    """The operator of a management command (import, periodic jobs): trusted like a superuser.

    Only code builds one, never a request; the audit trail names the command (`cli:<name>`).
    """

    is_authenticated = False
    is_superuser = True

    def __init__(self, command: str):
        self.command = command

    def __str__(self):
        return f"cli:{self.command}"


_CACHE_ATTR = "_gongkai_reach"


def _reach(user) -> dict[str, frozenset[int]]:
    """Map each role the user holds to the ids of organisations it reaches (cached on the user)."""
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    reach: dict[str, set[int]] = {}
    memberships = list(Membership.objects.filter(user=user).select_related("org"))
    if memberships:
        # One query for every subtree involved; the reach rules are applied in Python.
        prefixes = {m.org.path for m in memberships}
        subtree_q = Org.objects.none()
        for prefix in prefixes:
            subtree_q = subtree_q | Org.objects.filter(path__startswith=prefix)
        subtree = list(subtree_q.values_list("id", "path", "kind"))
        kind_by_id = {pk: kind for pk, _path, kind in subtree}
        own = reach.setdefault(_OWN, set())
        for m in memberships:
            ids = reach.setdefault(m.role, set())
            for pk, path, _kind in subtree:
                if not path.startswith(m.org.path):
                    continue
                is_own = _is_own_unit(m.org, path, kind_by_id)
                if is_own:
                    own.add(pk)
                if m.role in Membership.REGION_ROLES or is_own:
                    ids.add(pk)
    result = {role: frozenset(ids) for role, ids in reach.items()}
    setattr(user, _CACHE_ATTR, result)
    return result


def _is_own_unit(root: Org, path: str, kind_by_id: dict[int, str]) -> bool:
    below = [int(p) for p in path[len(root.path) :].strip("/").split("/") if p]
    return all(kind_by_id.get(pk) in Org.SUB_UNIT_KINDS for pk in below)


def forget(user) -> None:
    """Drop the cached reach, after memberships change within one request."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def org_ids_for(user, action: str) -> frozenset[int] | None:
    """Ids of organisations where `user` may perform `action`; None means all (superuser)."""
    if action not in ACTIONS:
        raise KeyError(f"unknown action {action!r}")
    if isinstance(user, CommandLine):
        return None
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    if user.is_superuser:
        return None
    reach = _reach(user)
    if action in OWN_ORG_ACTIONS:
        return reach.get(_OWN, frozenset())
    ids: set[int] = set()
    for role in ACTIONS[action]:
        ids |= reach.get(role, frozenset())
    return frozenset(ids)


def can(user, action: str, org: Org | None) -> bool:
    if org is None:
        return False
    ids = org_ids_for(user, action)
    return ids is None or org.pk in ids


def roles_in(user, org: Org) -> set[str]:
    """The roles through which `user` reaches `org` (for display)."""
    return {role for role, ids in _reach(user).items() if org.pk in ids and role != _OWN}


def _predicate(action: str):
    def check(user, obj):
        return can(user, action, obj)

    return rules.predicate(check, name=f"orgs.{action}")


def _register() -> None:
    for action in ACTIONS:
        rules.set_perm(f"orgs.{action}", _predicate(action))


_register()

"""What every workbench view does with a request, defined once: run a service call for a
form and report it, read typed values from a form, and find the organisation a page is about.

Views stay parse → call a service or selector → render; rules belong to the services.
"""

from __future__ import annotations

import re

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from gongkai.core import workdays
from gongkai.core.exceptions import ApplicationError, PermissionDeniedError
from gongkai.orgs import permissions
from gongkai.orgs import selectors as org_selectors

# Years a ledger or report can be asked about: the Regulations' ledgers start long after 2000;
# the public document filters accept 1949 onwards (search.forms), for older archives.
FIRST_YEAR, LAST_YEAR = 2000, 2100


def act(request, call, success: str, to, *, refused_status: int = 303):
    """Run one service call for a form; report it as a message on the page `to` leads back to.

    `to` is a URL, or a function of the call's result giving one (None after a refusal). A
    refusal keeps nothing, shows the service's message and sends the user back, with a 303 so
    that reloading does not post again."""
    try:
        result = call()
    except ApplicationError as exc:
        messages.error(request, exc.message)
        response = redirect(to(None) if callable(to) else to)
        response.status_code = refused_status
        return response
    messages.success(request, success)
    return redirect(to(result) if callable(to) else to)


def dispatch(request, actions: dict, *, refused, done):
    """Run the form's chosen action: `actions` maps each action to (service call, success
    message); an action not in it is a 400. A refusal renders `refused(action)` — the page
    again with the message, the form that failed open and the service's status (4xx), nothing
    saved — rather than a redirect, so that what was typed stays on the page; success goes to
    `done()` with a message."""
    action = request.POST.get("action", "")
    if action not in actions:
        raise ApplicationError(_("未知操作。"), code="unknown_action")
    call, success = actions[action]
    try:
        call()
    except ApplicationError as exc:
        messages.error(request, exc.message)
        response = refused(action)
        response.status_code = exc.status_code
        return response
    messages.success(request, success)
    return done()


def optional_date(value: str | None):
    """A YYYY-MM-DD date, or None for a blank field (a bad date is a clear error)."""
    return workdays.parse_date(value) if value and value.strip() else None


def required_date(value: str | None, label: str):
    if not value or not value.strip():
        raise ApplicationError(_("请填写%(f)s。") % {"f": label}, code="date_required")
    return workdays.parse_date(value)


def integer(value: str | None, label: str | None = None, *, required: bool = True, default=None):
    """A non-negative whole number from a form field.

    Blank: an error naming `label` when `required`, else `default`."""
    text = (value or "").strip()
    if not text:
        if required and label:
            raise ApplicationError(_("请填写%(f)s。") % {"f": label}, code="number_required")
        return default
    if not re.fullmatch(r"[0-9]{1,9}", text):
        if label is None:
            raise ApplicationError(_("请填写整数。"), code="invalid_number")
        raise ApplicationError(
            _("%(f)s应为正整数（您填写的是“%(v)s”）。") % {"f": label, "v": text},
            code="invalid_number",
        )
    return int(text)


def year(value: str | None) -> int | None:
    """An optional four-digit year within FIRST_YEAR..LAST_YEAR."""
    if not value:
        return None
    if not re.fullmatch(r"[0-9]{4}", value) or not FIRST_YEAR <= int(value) <= LAST_YEAR:
        raise ApplicationError(
            _("年份应为 %(a)s 至 %(b)s 之间的整数。") % {"a": FIRST_YEAR, "b": LAST_YEAR},
            code="invalid_year",
        )
    return int(value)


def require_somewhere(user, action: str) -> None:
    """The page is for users who may perform `action` in at least one organisation."""
    ids = permissions.org_ids_for(user, action)
    if ids is not None and not ids:
        raise PermissionDeniedError()


def org_scope(request, action: str):
    """The organisation a ledger page shows: `?org=<code>` if the user may `action` there,
    else the first organisation where they may (403 when there is none)."""
    code = request.GET.get("org", "")
    if not code:
        first = org_selectors.orgs_for_user(user=request.user, action=action).first()
        if first is None:
            raise PermissionDeniedError()
        code = first.code
    return org_selectors.org_get_for_action(user=request.user, code=code, action=action)

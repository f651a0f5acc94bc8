"""Workbench pages of the register of websites and new-media accounts.

The register of the user's region with freshness flags and filters, its XLSX export, an
entry's page with its history, the proposals (开设 · 变更 · 关停), the approval queue of the
supervising office, and recording an external account's last update and unanswered messages.
Every change is one `gongkai.sites.services` call; reads go through its selectors.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongkai.core.exceptions import ApplicationError, NotFoundError, PermissionDeniedError
from gongkai.orgs import permissions
from gongkai.orgs import selectors as org_selectors
from gongkai.sites import selectors, services
from gongkai.sites.forms import EntryForm
from gongkai.sites.models import Action, Kind, Platform
from gongkai.sites.workflow import CHANGE_REQUEST, EntryStatus, RequestStatus

from . import http

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _may_view(user) -> None:
    """The register is for those who keep ledgers, propose or approve somewhere."""
    for action in ("view_ledgers", "manage_sites", "approve_sites"):
        ids = permissions.org_ids_for(user, action)
        if ids is None or ids:
            return
    raise PermissionDeniedError()


def _may_somewhere(user, action: str) -> bool:
    ids = permissions.org_ids_for(user, action)
    return ids is None or bool(ids)


def _filters(request) -> tuple[selectors.RegisterFilter, list]:
    _may_view(request.user)
    g = request.GET
    orgs = list(org_selectors.orgs_for_user(user=request.user, action="view_ledgers")[:500])
    code = g.get("org", "")
    if "\x00" in code:
        raise NotFoundError()
    org = None
    if code:
        org = next((o for o in orgs if o.code == code), None)
        if org is None:
            org = org_selectors.org_get_for_action(
                user=request.user, code=code, action="approve_sites"
            )
    kind, platform = g.get("kind", ""), g.get("platform", "")
    if kind and kind not in Kind.values:
        raise ApplicationError(_("请选择有效的类型。"), code="invalid_kind")
    if platform and platform not in Platform.values:
        raise ApplicationError(_("请选择有效的平台类型。"), code="invalid_platform")
    status = g.get("status", EntryStatus.ACTIVE)
    if status == "all":
        status = ""
    elif status not in EntryStatus.values:
        raise ApplicationError(_("请选择有效的状态。"), code="invalid_status")
    filters = selectors.RegisterFilter(
        org=org, kind=kind, platform=platform, status=status, flagged=g.get("flagged") == "1"
    )
    return filters, orgs


def _query(f: selectors.RegisterFilter) -> str:
    params = {
        "org": f.org.code if f.org else "",
        "kind": f.kind,
        "platform": f.platform,
        "status": f.status or "all",
        "flagged": "1" if f.flagged else "",
    }
    return urlencode({k: v for k, v in params.items() if v and (k, v) != ("status", "active")})


@login_required
def site_list(request):
    filters, orgs = _filters(request)
    now = timezone.now()
    page = Paginator(selectors.register(user=request.user, filters=filters, now=now), 50).get_page(
        request.GET.get("page")
    )
    rows = [(e, selectors.freshness_of(e, now=now)) for e in page.object_list]
    return render(
        request,
        "workbench/sites/list.html",
        {
            "filters": filters,
            "orgs": orgs,
            "page_obj": page,
            "rows": rows,
            "kinds": Kind.choices,
            "platforms": Platform.choices,
            "statuses": EntryStatus.choices,
            "query_string": _query(filters),
            "stale_days": selectors.stale_days(),
            "can_propose": _may_somewhere(request.user, "manage_sites"),
            "can_approve": _may_somewhere(request.user, "approve_sites"),
            "pending_count": selectors.queue(user=request.user).count(),
        },
    )


@login_required
def site_xlsx(request):
    filters, _orgs = _filters(request)
    data = selectors.register_xlsx(user=request.user, filters=filters)
    response = HttpResponse(data, content_type=XLSX)
    scope = filters.org.code if filters.org else "all"
    name = f"sites-{scope}-{timezone.localdate():%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- an entry -------------------------------------------------------------------------------


def _detail_context(request, entry) -> dict:
    from gongkai.sites.validation import BY_NAME

    history = selectors.entry_history(entry=entry)
    for r in history["requests"]:
        # The labels of the fields a change proposed, for the history table.
        r.changed = "、".join(
            str(BY_NAME[k].label) for k in r.data if k in BY_NAME and r.action == Action.CHANGE
        )
    pending = next((r for r in history["requests"] if r.status == RequestStatus.SUBMITTED), None)
    user = request.user
    can_manage = permissions.can(user, "manage_sites", entry.org)
    return {
        "entry": entry,
        "fresh": selectors.freshness_of(entry),
        "stale_days": selectors.stale_days(),
        "history": history,
        "pending": pending,
        "pending_actions": [t.name for t in CHANGE_REQUEST.allowed_actions(pending, user)]
        if pending
        else [],
        "is_active": entry.status == EntryStatus.ACTIVE,
        "can_manage": can_manage,
        "can_record": can_manage or permissions.can(user, "approve_sites", entry.org),
        "today": timezone.localdate(),
    }


@login_required
def site_detail(request, pk: int):
    entry = selectors.entry_get_for_user(user=request.user, pk=pk)
    return render(request, "workbench/sites/detail.html", _detail_context(request, entry))


def _render_detail_error(request, pk, exc: ApplicationError, failed: str):
    messages.error(request, exc.message)
    entry = selectors.entry_get_for_user(user=request.user, pk=pk)
    context = _detail_context(request, entry)
    context["failed_action"] = failed
    return render(request, "workbench/sites/detail.html", context, status=exc.status_code)


@login_required
@require_POST
def site_close(request, pk: int):
    entry = selectors.entry_get_for_user(user=request.user, pk=pk)
    try:
        proposal = services.request_close(
            actor=request.user, entry=entry, reason=request.POST.get("reason", "")
        )
    except ApplicationError as exc:
        return _render_detail_error(request, pk, exc, "close")
    messages.success(request, _("已提交关停申请，等待主管部门审核。"))
    return redirect("workbench:site_request", pk=proposal.pk)


@login_required
@require_POST
def site_record(request, pk: int):
    entry = selectors.entry_get_for_user(user=request.user, pk=pk)
    p = request.POST
    try:
        services.entry_record_update(
            actor=request.user,
            entry=entry,
            updated_on=http.optional_date(p.get("updated_on")),
            unanswered_messages=http.integer(
                p.get("unanswered_messages"), _("未回复留言数"), required=False
            ),
            feed_url=p.get("feed_url") if "feed_url" in p else None,
        )
    except ApplicationError as exc:
        return _render_detail_error(request, pk, exc, "record")
    messages.success(request, _("已登记更新情况。"))
    return redirect("workbench:site_detail", pk=entry.pk)


# --- proposals ------------------------------------------------------------------------------


def _form_page(request, form, *, entry=None, status=200):
    return render(
        request,
        "workbench/sites/form.html",
        {"form": form, "entry": entry},
        status=status,
    )


@login_required
def site_propose_open(request):
    orgs = org_selectors.orgs_for_user(user=request.user, action="manage_sites")
    if not orgs.exists():
        raise PermissionDeniedError()
    form = EntryForm(request.POST or None, orgs=orgs)
    if request.method == "POST":
        if form.is_valid():
            try:
                proposal = services.request_open(
                    actor=request.user,
                    org=form.cleaned_data["org"],
                    kind=form.cleaned_data["kind"],
                    data=form.entry_data(),
                    reason=form.cleaned_data["reason"],
                )
            except ApplicationError as exc:
                if exc.status_code != 400:
                    raise
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("已提交开设申请，等待主管部门审核。"))
                return redirect("workbench:site_request", pk=proposal.pk)
        return _form_page(request, form, status=400)
    return _form_page(request, form)


@login_required
def site_propose_change(request, pk: int):
    entry = selectors.entry_get_for_user(user=request.user, pk=pk)
    if not permissions.can(request.user, "manage_sites", entry.org):
        raise PermissionDeniedError()
    if entry.status != EntryStatus.ACTIVE:
        raise ApplicationError(_("该网站或账号已关停。"), code="entry_closed")
    initial = {f: getattr(entry, f) for f in EntryForm(kind=entry.kind).fields if f != "reason"}
    form = EntryForm(request.POST or None, kind=entry.kind, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            try:
                proposal = services.request_change(
                    actor=request.user,
                    entry=entry,
                    data=form.entry_data(),
                    reason=form.cleaned_data["reason"],
                )
            except ApplicationError as exc:
                if exc.status_code != 400:
                    raise
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("已提交变更申请，等待主管部门审核。"))
                return redirect("workbench:site_request", pk=proposal.pk)
        return _form_page(request, form, entry=entry, status=400)
    return _form_page(request, form, entry=entry)


# --- requests and decisions -----------------------------------------------------------------


@login_required
def site_requests(request):
    _may_view(request.user)
    status = request.GET.get("status", RequestStatus.SUBMITTED)
    if status == "all":
        status = ""
    elif status not in RequestStatus.values:
        raise ApplicationError(_("请选择有效的状态。"), code="invalid_status")
    page = Paginator(selectors.queue(user=request.user, status=status), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "workbench/sites/requests.html",
        {
            "page_obj": page,
            "status": status or "all",
            "statuses": RequestStatus.choices,
            "query_string": urlencode({"status": status or "all"}),
        },
    )


def _display(key: str, value) -> str:
    """A proposed field as the page shows it: labels for choices, 是/否 for flags."""
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if key == "kind" and value in Kind.values:
        return str(Kind(value).label)
    if key == "platform" and value in Platform.values:
        return str(Platform(value).label)
    return str(value) if value not in (None, "") else "—"


def _request_context(request, proposal) -> dict:
    from gongkai.sites.validation import BY_NAME

    rows = []
    for key, value in proposal.data.items():
        field = BY_NAME.get(key)
        label = field.label if field else (_("类型") if key == "kind" else key)
        rows.append(
            {
                "key": key,
                "label": label,
                "value": _display(key, value),
                "before": _display(key, proposal.before.get(key, "")),
            }
        )
    return {
        "proposal": proposal,
        "rows": rows,
        "actions": [t.name for t in CHANGE_REQUEST.allowed_actions(proposal, request.user)],
        "is_change": proposal.action == Action.CHANGE,
    }


@login_required
def site_request(request, pk: int):
    proposal = selectors.request_get_for_user(user=request.user, pk=pk)
    return render(request, "workbench/sites/request.html", _request_context(request, proposal))


@login_required
@require_POST
def site_request_action(request, pk: int):
    proposal = selectors.request_get_for_user(user=request.user, pk=pk)
    p, user = request.POST, request.user
    dispatch = {
        "approve": (
            lambda: services.request_approve(actor=user, request=proposal, note=p.get("note", "")),
            _("已同意。"),
        ),
        "return": (
            lambda: services.request_return(
                actor=user, request=proposal, reason=p.get("reason", "")
            ),
            _("已退回。"),
        ),
        "withdraw": (
            lambda: services.request_withdraw(actor=user, request=proposal),
            _("已撤回申请。"),
        ),
    }

    def refused(failed):
        fresh = selectors.request_get_for_user(user=request.user, pk=pk)
        context = _request_context(request, fresh) | {"failed_action": failed}
        return render(request, "workbench/sites/request.html", context)

    return http.dispatch(
        request, dispatch, refused=refused,
        done=lambda: redirect("workbench:site_request", pk=proposal.pk),
    )  # fmt: skip

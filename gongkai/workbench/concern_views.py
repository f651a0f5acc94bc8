"""Workbench pages of the public-concern response ledger (回应关切台账, staff only).

The ledger with the 5-hour and 24-hour clocks of every row, the register and edit form, and
a concern's page with its responses, promises, missed-limit reasons and close / reopen. Every
change is one `participation.services.concerns` call; reads go through its selectors.
"""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gongkai.core.exceptions import ApplicationError, NotFoundError, PermissionDeniedError
from gongkai.orgs import permissions
from gongkai.orgs import selectors as org_selectors
from gongkai.orgs.models import Org
from gongkai.participation.models import ConcernSource, ResponseKind, Severity
from gongkai.participation.selectors import concerns as selectors
from gongkai.participation.services import concerns as services
from gongkai.participation.workflow import CONCERN, ConcernStatus

from . import http

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]
_TAG_SPLIT = re.compile(r"[,，、;；\n]+")


class _OrgByCode(forms.ModelChoiceField):
    """An organisation by its code; a NUL byte is refused before it reaches the database."""

    def to_python(self, value):
        if isinstance(value, str) and "\x00" in value:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)


class ConcernForm(forms.Form):
    """Register (with the responsible organisation) or correct a concern."""

    org = _OrgByCode(
        label=gettext_lazy("责任单位"), queryset=Org.objects.none(), to_field_name="code"
    )
    title = forms.CharField(label=gettext_lazy("事项"), max_length=200)
    description = forms.CharField(
        label=gettext_lazy("情况"),
        required=False,
        max_length=services.MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    source = forms.ChoiceField(label=gettext_lazy("来源"), choices=ConcernSource.choices)
    noticed_at = forms.DateTimeField(
        label=gettext_lazy("首次获知时间"),
        input_formats=DATETIME_FORMATS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=gettext_lazy("特别重大、重大舆情自此时起计算 5 小时、24 小时时限。"),
    )
    severity = forms.ChoiceField(label=gettext_lazy("级别"), choices=Severity.choices)
    tags = forms.MultipleChoiceField(
        label=gettext_lazy("领域"),
        required=False,
        choices=[(t, t) for t in services.SUGGESTED_TAGS],
        widget=forms.CheckboxSelectMultiple,
    )
    other_tags = forms.CharField(
        label=gettext_lazy("其他领域"),
        required=False,
        max_length=200,
        help_text=gettext_lazy("可自行填写，多个以逗号或顿号分隔。"),
    )
    related_orgs = forms.ModelMultipleChoiceField(
        label=gettext_lazy("相关单位"),
        required=False,
        queryset=Org.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        if orgs is None:
            del self.fields["org"]
        else:
            self.fields["org"].queryset = orgs
        self.fields["related_orgs"].queryset = Org.objects.filter(is_active=True).order_by("path")

    def all_tags(self) -> list[str]:
        extra = [t for t in _TAG_SPLIT.split(self.cleaned_data.get("other_tags", "")) if t]
        return [*self.cleaned_data.get("tags", []), *extra]


def _initial_of(concern) -> dict:
    suggested = [t for t in concern.tags if t in services.SUGGESTED_TAGS]
    return {
        "title": concern.title,
        "description": concern.description,
        "source": concern.source,
        "noticed_at": timezone.localtime(concern.noticed_at),
        "severity": concern.severity,
        "tags": suggested,
        "other_tags": "、".join(t for t in concern.tags if t not in suggested),
        "related_orgs": list(concern.related_orgs.all()),
    }


def _apply_error(form, exc: ApplicationError) -> None:
    form.add_error(None, exc.message)


# --- the ledger -----------------------------------------------------------------------------


def _filters(request) -> tuple[selectors.LedgerFilter, list[Org]]:
    """The ledger's filters from the query string; an organisation out of reach is a 404."""
    http.require_somewhere(request.user, "view_concerns")
    g = request.GET
    orgs = list(org_selectors.orgs_for_user(user=request.user, action="view_concerns")[:500])
    org = None
    code = g.get("org", "")
    if "\x00" in code:
        raise NotFoundError()
    if code:
        org = org_selectors.org_get_for_action(user=request.user, code=code, action="view_concerns")
    status = g.get("status", "")
    if status and status not in ConcernStatus.values:
        raise ApplicationError(_("请选择有效的状态。"), code="invalid_status")
    severity = g.get("severity", "")
    if severity and severity not in Severity.values:
        raise ApplicationError(_("请选择有效的级别。"), code="invalid_severity")
    start, end = http.optional_date(g.get("start")), http.optional_date(g.get("end"))
    if start and end and start > end:
        raise ApplicationError(_("开始日期不能晚于结束日期。"), code="invalid_period")
    filters = selectors.LedgerFilter(
        org=org,
        region=g.get("region") == "1",
        status=status,
        severity=severity,
        start=start,
        end=end,
    )
    return filters, orgs


def _query(filters: selectors.LedgerFilter) -> str:
    params = {
        "org": filters.org.code if filters.org else "",
        "region": "1" if filters.region else "",
        "status": filters.status,
        "severity": filters.severity,
        "start": filters.start.isoformat() if filters.start else "",
        "end": filters.end.isoformat() if filters.end else "",
    }
    return urlencode({k: v for k, v in params.items() if v})


@login_required
def concern_list(request):
    filters, orgs = _filters(request)
    page = Paginator(selectors.ledger(user=request.user, filters=filters), 50).get_page(
        request.GET.get("page")
    )
    now = timezone.now()
    return render(
        request,
        "workbench/concerns.html",
        {
            "filters": filters,
            "orgs": orgs,
            "page_obj": page,
            "rows": selectors.rows(page.object_list, now=now),
            "now": now,
            "statuses": ConcernStatus.choices,
            "severities": Severity.choices,
            "query_string": _query(filters),
            "can_register": bool(
                org_selectors.orgs_for_user(user=request.user, action="manage_concerns").exists()
            ),
            "info_hours": services.hours_of(services.INFO),
            "press_hours": services.hours_of(services.PRESS),
        },
    )


@login_required
def concern_xlsx(request):
    filters, _orgs = _filters(request)
    data = selectors.ledger_xlsx(user=request.user, filters=filters)
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    scope = filters.org.code if filters.org else "all"
    if filters.org and filters.region:
        scope += "-region"
    name = f"concerns-{scope}-{timezone.localdate():%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- register and edit ----------------------------------------------------------------------


@login_required
def concern_create(request):
    orgs = org_selectors.orgs_for_user(user=request.user, action="manage_concerns")
    if not orgs.exists():
        raise PermissionDeniedError()
    form = ConcernForm(request.POST or None, orgs=orgs)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            concern = services.concern_register(
                actor=request.user,
                org=data["org"],
                title=data["title"],
                description=data["description"],
                source=data["source"],
                noticed_at=data["noticed_at"],
                severity=data["severity"],
                tags=form.all_tags(),
                related_orgs=list(data["related_orgs"]),
            )
        except ApplicationError as exc:
            if exc.status_code != 400:
                raise
            _apply_error(form, exc)
        else:
            messages.success(request, _("已登记舆情关切。"))
            return redirect("workbench:concern_detail", pk=concern.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "workbench/concern_form.html",
        {"form": form, "concern": None},
        status=status,
    )


@login_required
def concern_edit(request, pk: int):
    concern = selectors.concern_get_for_user(user=request.user, pk=pk)
    if not permissions.can(request.user, "manage_concerns", concern.org):
        raise PermissionDeniedError()
    form = ConcernForm(request.POST or None, initial=_initial_of(concern))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.concern_update(
                actor=request.user,
                concern=concern,
                title=data["title"],
                description=data["description"],
                source=data["source"],
                noticed_at=data["noticed_at"],
                severity=data["severity"],
                tags=form.all_tags(),
                related_orgs=list(data["related_orgs"]),
            )
        except ApplicationError as exc:
            if exc.status_code != 400:
                raise
            _apply_error(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect("workbench:concern_detail", pk=concern.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "workbench/concern_form.html",
        {"form": form, "concern": concern},
        status=status,
    )


# --- a concern's page and its actions -------------------------------------------------------


def _detail_context(request, concern, *, now=None) -> dict:
    now = now or timezone.now()
    today = timezone.localdate()
    can_manage = permissions.can(request.user, "manage_concerns", concern.org)
    clocks = services.clocks_of(concern, now=now)
    return {
        "concern": concern,
        "clocks": clocks,
        "responses": concern.responses.all(),
        "promises": concern.promises.all(),
        "today": today,
        "can_manage": can_manage,
        "is_open": concern.status == ConcernStatus.OPEN,
        "actions": [t.name for t in CONCERN.allowed_actions(concern, request.user)],
        "response_kinds": ResponseKind.choices,
        "now_local": timezone.localtime(now).strftime("%Y-%m-%dT%H:%M"),
        "missed_clocks": [c for c in clocks if c.state in (services.MISSED, services.MET_LATE)],
    }


@login_required
def concern_detail(request, pk: int):
    concern = selectors.concern_get_for_user(user=request.user, pk=pk)
    return render(request, "workbench/concern_detail.html", _detail_context(request, concern))


def _moment(value: str | None, label: str) -> dt.datetime:
    text = (value or "").strip()
    if not text:
        raise ApplicationError(_("请填写%(f)s。") % {"f": label}, code="datetime_required")
    for fmt in DATETIME_FORMATS:
        try:
            return timezone.make_aware(dt.datetime.strptime(text[:19], fmt))
        except ValueError:
            continue
    raise ApplicationError(
        _("%(f)s“%(v)s”无效，请按 YYYY-MM-DD HH:MM 格式填写。") % {"f": label, "v": text[:40]},
        code="invalid_datetime",
    )


def _document(value: str | None):
    """A published document by its index number (索引号), or None for a blank field."""
    from gongkai.documents.selectors import document_get_public

    text = (value or "").strip()
    if not text:
        return None
    if "\x00" in text:
        raise ApplicationError(_("索引号含有无效字符。"), code="invalid_document")
    try:
        return document_get_public(index_number=text[:100])
    except NotFoundError:
        raise ApplicationError(
            _("找不到索引号为“%(n)s”的已发布政府信息。") % {"n": text[:100]},
            code="document_not_found",
        ) from None


@login_required
@require_POST
def concern_action(request, pk: int):
    concern = selectors.concern_get_for_user(user=request.user, pk=pk)
    p, user = request.POST, request.user
    dispatch = {
        "response": (
            lambda: services.response_record(
                actor=user,
                concern=concern,
                kind=p.get("kind", ""),
                at=_moment(p.get("at"), _("回应时间")),
                channel=p.get("channel", ""),
                spokesperson=p.get("spokesperson", ""),
                document=_document(p.get("document")),
                url=p.get("url", ""),
                summary=p.get("summary", ""),
            ),
            _("已登记回应。"),
        ),
        "missed_reason": (
            lambda: services.missed_reason_record(
                actor=user, concern=concern, limit=p.get("limit", ""), reason=p.get("reason", "")
            ),
            _("已登记超时原因。"),
        ),
        "promise_add": (
            lambda: services.promise_add(
                actor=user,
                concern=concern,
                text=p.get("text", ""),
                due_on=http.required_date(p.get("due_on"), _("承诺期限")),
            ),
            _("已登记承诺事项。"),
        ),
        "promise_fulfil": (
            lambda: services.promise_fulfil(
                actor=user,
                promise=selectors.promise_get(concern=concern, pk=p.get("promise")),
                fulfilled_on=http.required_date(p.get("fulfilled_on"), _("兑现日期")),
                evidence=p.get("evidence", ""),
            ),
            _("已登记承诺兑现。"),
        ),
        "close": (
            lambda: services.concern_close(
                actor=user, concern=concern, evaluation=p.get("evaluation", "")
            ),
            _("已办结。"),
        ),
        "reopen": (
            lambda: services.concern_reopen(
                actor=user, concern=concern, reason=p.get("reason", "")
            ),
            _("已重新处置。"),
        ),
    }

    def refused(failed):
        fresh = selectors.concern_get_for_user(user=request.user, pk=pk)
        context = _detail_context(request, fresh) | {"failed_action": failed}
        return render(request, "workbench/concern_detail.html", context)

    return http.dispatch(
        request, dispatch, refused=refused,
        done=lambda: redirect("workbench:concern_detail", pk=concern.pk),
    )  # fmt: skip

"""Workbench pages of the site self-check (网站自查): the history with its trend, run now, one
run's results, and the column rules. Every change is a service call."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongkai.core.exceptions import ApplicationError, NotFoundError, PermissionDeniedError
from gongkai.orgs.selectors import org_get_for_action, orgs_for_user
from gongkai.sitecheck import selectors, services
from gongkai.sitecheck.checks import VETO_LABELS, Limits
from gongkai.sitecheck.models import ColumnKind

from . import http
from .nav import may


def _veto_names(ids):
    return [str(VETO_LABELS.get(i, i)) for i in ids]


@login_required
def sitecheck_home(request):
    user = request.user
    if not (may(user, "view_ledgers") or may(user, "run_site_check")):
        raise PermissionDeniedError()
    rows = selectors.trend(user=user)
    return render(
        request,
        "workbench/sitecheck/home.html",
        {
            "rows": [
                {
                    "row": r,
                    "failed": _veto_names(r.run.failed_veto),
                    "newly": _veto_names(r.newly_failing),
                    "recovered": _veto_names(r.recovered),
                }
                for r in rows
            ],
            "run_orgs": list(orgs_for_user(user=user, action="run_site_check")[:200]),
            "can_rules": may(user, "run_site_check"),
        },
    )


@login_required
@require_POST
def sitecheck_run(request):
    code = (request.POST.get("org") or "")[:32]
    here = reverse("workbench:sitecheck")
    try:
        org = org_get_for_action(user=request.user, code=code, action="run_site_check")
    except NotFoundError:
        messages.error(request, _("请选择您有权检查的机构。"))
        response = redirect(here)
        response.status_code = 303
        return response
    limits = Limits(
        max_pages=getattr(settings, "GONGKAI_SITECHECK_WEB_MAX_PAGES", 150),
        crawl_deadline=60.0,
        link_deadline=20.0,
    )

    def to(run):
        return reverse("workbench:sitecheck_run_detail", args=[run.pk]) if run else here

    return http.act(
        request,
        lambda: services.site_check_run(actor=request.user, org=org, limits=limits),
        _("自查已完成。"),
        to,
    )


@login_required
def sitecheck_run_detail(request, pk):
    run = selectors.run_get_for_user(user=request.user, pk=pk)
    result = run.results or {}
    indicators = result.get("indicators", [])
    return render(
        request,
        "workbench/sitecheck/run.html",
        {
            "run": run,
            "seconds": round((run.finished_at - run.started_at).total_seconds(), 1),
            "veto": [i for i in indicators if i["group"] == "veto"],
            "scored": [i for i in indicators if i["group"] == "scored"],
            "columns": [
                c | {"kind_label": dict(ColumnKind.choices).get(c.get("kind"), c.get("kind"))}
                for c in result.get("columns", [])
            ],
            "newly": _veto_names(services.newly_failing(run)),
        },
    )


@login_required
def sitecheck_columns(request):
    http.require_somewhere(request.user, "run_site_check")
    services.column_rules_sync(actor=request.user)
    return render(
        request,
        "workbench/sitecheck/columns.html",
        {"rules": selectors.column_rules(), "kinds": ColumnKind.choices},
    )


@login_required
@require_POST
def sitecheck_column_update(request, pk):
    http.require_somewhere(request.user, "run_site_check")
    rule = selectors.column_rule_get(pk=pk)
    p = request.POST
    here = reverse("workbench:sitecheck_columns")

    def call():
        period = (p.get("period_days") or "").strip()
        if period and not period.isdigit():
            raise ApplicationError(_("更新周期应为天数。"), code="bad_period")
        return services.column_rule_update(
            actor=request.user,
            rule=rule,
            kind=p.get("kind", ""),
            period_days=int(period) if period else None,
            active=p.get("active") == "1",
        )

    return http.act(request, call, _("已保存：%(n)s") % {"n": rule.name}, here + f"#rule-{rule.pk}")

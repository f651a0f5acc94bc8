"""Writes of the site self-check: runs, column rules, notifications — each audited."""

from __future__ import annotations

import datetime as dt
import logging
from urllib.parse import urlsplit

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.core import audit
from gongkai.core.exceptions import ApplicationError, PermissionDeniedError
from gongkai.orgs import permissions
from gongkai.orgs.models import Membership, Org

from . import checks
from . import columns as column_states
from .models import ColumnKind, ColumnRule, SiteCheckRun

log = logging.getLogger(__name__)

MAX_PERIOD_DAYS = 3660


def validate_base_url(value: str | None) -> str | None:
    """An http(s) address with a host, without path beyond "/" (a clear error otherwise)."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query:
        raise ApplicationError(
            _(
                "网站地址“%(u)s”无效：应为 http:// 或 https:// 开头的网址，例如 https://www.example.gov.cn"
            )
            % {"u": value[:200]},
            code="bad_url",
        )
    return value.rstrip("/")


def default_org() -> Org:
    org = Org.objects.filter(parent__isnull=True).order_by("path").first()
    if org is None:
        raise ApplicationError(_("还没有任何机构，无法检查。"), code="no_org")
    return org


def column_rules_sync(*, actor) -> dict[str, ColumnRule]:
    """The rule of every column, creating defaults for new columns (audited when any is)."""
    with transaction.atomic():
        before = ColumnRule.objects.count()
        rules = column_states.rules_sync()
        if len(rules) != before:
            audit.record(
                actor=actor,
                verb="sitecheck.column_rules_sync",
                target=("sitecheck.columnrule", ""),
                data={"created": len(rules) - before},
            )
    return rules


def column_rule_update(
    *, actor, rule: ColumnRule, kind: str, period_days: int | None, active: bool
) -> ColumnRule:
    """Change how a column is checked (office heads, supervisors, administrators anywhere)."""
    ids = permissions.org_ids_for(actor, "run_site_check")
    if ids is not None and not ids:
        raise PermissionDeniedError()
    if kind not in ColumnKind.values:
        raise ApplicationError(_("栏目类型无效。"), code="bad_kind")
    if kind == ColumnKind.OTHER:
        period_days = None
    elif period_days is None:
        period_days = column_states.DEFAULT_PERIOD_DAYS[kind]
    if period_days is not None and not 1 <= period_days <= MAX_PERIOD_DAYS:
        raise ApplicationError(
            _("更新周期应为 1 至 %(n)s 天。") % {"n": MAX_PERIOD_DAYS}, code="bad_period"
        )
    with transaction.atomic():
        rule = ColumnRule.objects.select_for_update().get(pk=rule.pk)
        before = {"kind": rule.kind, "period_days": rule.period_days, "active": rule.active}
        rule.kind, rule.period_days, rule.active = kind, period_days, active
        rule.save(update_fields=["kind", "period_days", "active", "updated_at"])
        audit.record(
            actor=actor,
            verb="sitecheck.column_rule_update",
            target=rule,
            data={"before": before, "after": {"kind": kind, "period_days": period_days,
                                              "active": active}},
        )  # fmt: skip
    return rule


def site_check_run(
    *,
    actor,
    org: Org | None = None,
    now: dt.datetime | None = None,
    base_url: str | None = None,
    limits: checks.Limits | None = None,
) -> SiteCheckRun:
    """Run the self-check for `org`'s site (the whole site for the top organisation) and keep
    the result. The checks only read; the run is stored and audited in one transaction."""
    org = org or default_org()
    if not permissions.can(actor, "run_site_check", org):
        raise PermissionDeniedError()
    base_url = validate_base_url(base_url)
    started = timezone.now()
    now = now or started
    rules = column_rules_sync(actor=actor)
    result = checks.run_checks(org=org, now=now, rules=rules, base_url=base_url, limits=limits)
    with transaction.atomic():
        run = SiteCheckRun.objects.create(
            org=org,
            started_at=started,
            finished_at=timezone.now(),
            checked_as_of=now,
            base_url=base_url or "",
            score=result["score"],
            passed=result["passed"],
            failed_veto=result["failed_veto"],
            results=result,
            actor_label=str(getattr(actor, "username", "") or actor or "system")[:150],
        )
        audit.record(
            actor=actor,
            verb="sitecheck.run",
            target=run,
            org=org,
            data={"score": result["score"], "failed_veto": result["failed_veto"],
                  "as_of": now},
        )  # fmt: skip
    return run


def previous_run(run: SiteCheckRun) -> SiteCheckRun | None:
    return (
        SiteCheckRun.objects.filter(org_id=run.org_id)
        .filter(checked_as_of__lt=run.checked_as_of)
        .order_by("-checked_as_of", "-id")
        .only("id", "failed_veto", "score", "checked_as_of")
        .first()
    )


def newly_failing(run: SiteCheckRun) -> list[str]:
    """The veto items that fail in `run` and did not in the organisation's previous run."""
    before = previous_run(run)
    earlier = set(before.failed_veto) if before else set()
    return [v for v in run.failed_veto if v not in earlier]


def supervising_orgs(org: Org) -> list[Org]:
    """The organisation and those above it whose staff include a supervisor."""
    return list(
        Org.objects.filter(pk__in=org.ancestor_ids(), memberships__role=Membership.Role.SUPERVISOR)
        .distinct()
        .order_by("path")
    )


def site_check_notify(*, run: SiteCheckRun) -> list[str]:
    """Tell the supervising office what newly fails in `run`: an audit event per office and a
    mail to its supervisors after commit. Once per run; returns the newly failing items."""
    from django.core.mail import send_mail

    items = newly_failing(run)
    with transaction.atomic():
        run = SiteCheckRun.objects.select_for_update().get(pk=run.pk)
        if run.notified_at is not None or not items:
            return items if run.notified_at is None else []
        offices = supervising_orgs(run.org)
        labels = {i["id"]: i["label"] for i in run.results.get("indicators", [])}
        names = "、".join(labels.get(i, i) for i in items)
        for office in offices:
            audit.record(
                actor=None,
                verb="sitecheck.notify",
                target=run,
                org=office,
                data={"newly_failing": items, "site_org": run.org_id},
            )
        run.notified_at = timezone.now()
        run.save(update_fields=["notified_at", "updated_at"])
        emails = sorted(
            set(
                Membership.objects.filter(
                    org__in=offices, role=Membership.Role.SUPERVISOR, user__is_active=True
                )
                .exclude(user__email="")
                .values_list("user__email", flat=True)
            )
        )
        subject = _("网站自查：%(org)s 新增未通过的单项否决指标：%(items)s") % {
            "org": run.org.name,
            "items": names,
        }
        log.warning("%s", subject)
        if emails:
            transaction.on_commit(
                lambda: send_mail(subject, subject, None, emails, fail_silently=True)
            )
    return items

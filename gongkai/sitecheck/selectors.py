"""Reads of the site self-check, scoped to the acting user (view_ledgers)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from gongkai.core.exceptions import NotFoundError
from gongkai.orgs import permissions

from .models import ColumnRule, SiteCheckRun

LIST_FIELDS = ("id", "org", "started_at", "finished_at", "checked_as_of", "score", "passed",
               "failed_veto", "actor_label", "notified_at", "base_url")  # fmt: skip


def runs_for_user(*, user) -> QuerySet[SiteCheckRun]:
    ids = permissions.org_ids_for(user, "view_ledgers")
    qs = SiteCheckRun.objects.select_related("org")
    return qs if ids is None else qs.filter(org_id__in=ids)


def run_get_for_user(*, user, pk) -> SiteCheckRun:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise NotFoundError() from None
    run = runs_for_user(user=user).filter(pk=pk).first()
    if run is None:
        raise NotFoundError()
    return run


@dataclass
class TrendRow:
    run: SiteCheckRun
    change: float | None  # score change against the organisation's previous run
    newly_failing: list[str]
    recovered: list[str]


def trend(*, user, limit: int = 50) -> list[TrendRow]:
    """The latest runs the user may see, each compared with the same organisation's previous
    run (one query: the previous run is looked for among the rows fetched, plus one more)."""
    runs = list(
        runs_for_user(user=user)
        .only(*LIST_FIELDS, "org__name", "org__code")
        .order_by("-checked_as_of", "-id")[: limit + 1]
    )
    rows = []
    for i, run in enumerate(runs[:limit]):
        before = next((r for r in runs[i + 1 :] if r.org_id == run.org_id), None)
        earlier = set(before.failed_veto) if before else set()
        rows.append(
            TrendRow(
                run,
                float(run.score - before.score) if before else None,
                [v for v in run.failed_veto if v not in earlier],
                [v for v in earlier if v not in run.failed_veto],
            )
        )
    return rows


def column_rules() -> QuerySet[ColumnRule]:
    return ColumnRule.objects.order_by("key")


def column_rule_get(*, pk) -> ColumnRule:
    """A column rule (rules are the site's, not an organisation's: any holder of
    run_site_check may edit them); not found for anything else."""
    rule = ColumnRule.objects.filter(pk=pk).first() if str(pk).isdigit() else None
    if rule is None:
        raise NotFoundError()
    return rule


def latest_run(*, user) -> SiteCheckRun | None:
    """The newest run the user may see (for the workbench home card: its failing items)."""
    return (
        runs_for_user(user=user)
        .only(*LIST_FIELDS, "org__name", "org__code")
        .order_by("-checked_as_of", "-id")
        .first()
    )

"""The demo's site self-check history: two real runs of the check on the demo data.

The first run, as of three weeks ago, uses the rules gongkai derives from the columns' names.
Then the city's openness office classifies the topical columns by their real update duty
(news-like topical columns every 2 weeks, 公务员招考 as a notice column) and runs the check
as of now: the columns that have not kept up fail 栏目不更新, the one failing veto item of the
demo's history, shown newly failing on /workbench/site-check/.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from gongkai.orgs.permissions import CommandLine

from . import services
from .checks import Limits
from .models import ColumnKind, ColumnRule, SiteCheckRun

RECLASSIFY = {
    "column:liuwen-liubao": ColumnKind.DYNAMIC,
    "column:public-health": ColumnKind.DYNAMIC,
    "column:emergency-management": ColumnKind.DYNAMIC,
    "column:key-areas": ColumnKind.DYNAMIC,
    "category:recruitment": ColumnKind.NOTICE_POLICY,
}
# A small crawl keeps `gongkai demo` quick; the real command crawls up to 500 pages.
DEMO_LIMITS = Limits(max_pages=40, link_deadline=5.0, link_timeout=2.0)


def load() -> list[str]:
    if SiteCheckRun.objects.exists():
        return []
    try:
        org = services.default_org()
    except Exception:
        return []
    actor = CommandLine("demo")
    now = timezone.now()
    first = services.site_check_run(
        actor=actor, org=org, now=now - dt.timedelta(days=21), limits=DEMO_LIMITS
    )
    rules = {r.key: r for r in ColumnRule.objects.filter(key__in=RECLASSIFY)}
    for key, kind in RECLASSIFY.items():
        if key in rules:
            services.column_rule_update(
                actor=actor, rule=rules[key], kind=kind, period_days=None, active=True
            )
    second = services.site_check_run(actor=actor, org=org, now=now, limits=DEMO_LIMITS)
    newly = services.newly_failing(second)
    return [
        f"site check: {org.name} as of 3 weeks ago — score {first.score}, failing "
        f"{', '.join(first.failed_veto) or 'none'}",
        f"site check: {org.name} now — score {second.score}, failing "
        f"{', '.join(second.failed_veto) or 'none'} (newly: {', '.join(newly) or 'none'}) — "
        "/workbench/site-check/",
    ]

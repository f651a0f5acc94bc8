"""Reads of the public-concern ledger (回应关切台账), scoped to the caller's reach, and the
figures the statistics dashboard and the annual report's draft count."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.core.exceptions import NotFoundError
from gongkai.orgs import permissions
from gongkai.orgs.models import Org

from ..models import TIMED_SEVERITIES, Concern, ConcernResponse, Promise
from ..services.concerns import (
    INFO,
    LIMITS,
    PRESS,
    STATE_LABELS,
    Clock,
    clocks_of,
    first_response_annotations,
)
from ..workflow import ConcernStatus


def concerns_for_user(*, user) -> QuerySet[Concern]:
    """Concerns of the organisations where `user` may view the ledger."""
    ids = permissions.org_ids_for(user, "view_concerns")
    qs = Concern.objects.all()
    return qs if ids is None else qs.filter(org_id__in=ids)


def concern_get_for_user(*, user, pk) -> Concern:
    """One concern with everything its page shows; not found when out of reach (no leak)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise NotFoundError() from None
    concern = (
        concerns_for_user(user=user)
        .select_related("org", "registered_by")
        .prefetch_related(
            "related_orgs",
            Prefetch(
                "responses",
                queryset=ConcernResponse.objects.select_related("document", "recorded_by"),
            ),
            "promises",
        )
        .filter(pk=pk)
        .first()
    )
    if concern is None:
        raise NotFoundError()
    return concern


def promise_get(*, concern: Concern, pk) -> Promise:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise NotFoundError() from None
    promise = Promise.objects.filter(concern=concern, pk=pk).first()
    if promise is None:
        raise NotFoundError()
    return promise


@dataclass(frozen=True)
class LedgerFilter:
    org: Org | None = None
    # With the organisation's whole subtree (the region of a government), not just itself.
    region: bool = False
    status: str = ""
    severity: str = ""
    start: dt.date | None = None
    end: dt.date | None = None


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def ledger(*, user, filters: LedgerFilter | None = None) -> QuerySet[Concern]:
    """The ledger's rows: each with its org, related orgs, first response times (for the
    clocks) and promise counts, in a number of queries independent of the rows."""
    f = filters or LedgerFilter()
    qs = concerns_for_user(user=user)
    if f.org is not None:
        qs = qs.filter(org__path__startswith=f.org.path) if f.region else qs.filter(org=f.org)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.severity:
        qs = qs.filter(severity=f.severity)
    if f.start:
        qs = qs.filter(noticed_at__gte=_day_start(f.start))
    if f.end:
        qs = qs.filter(noticed_at__lt=_day_start(f.end + dt.timedelta(days=1)))
    return (
        qs.select_related("org")
        .prefetch_related("related_orgs")
        .annotate(
            **first_response_annotations(),
            responses_count=Count("responses", distinct=True),
            promises_count=Count("promises", distinct=True),
            promises_kept=Count(
                "promises",
                filter=Q(promises__fulfilled_on__isnull=False),
                distinct=True,
            ),
        )
        .order_by("-noticed_at", "-id")
    )


@dataclass(frozen=True)
class Row:
    concern: Concern
    info: Clock
    press: Clock

    @property
    def level(self) -> str:
        levels = {self.info.level, self.press.level}
        for level in ("overdue", "due_soon"):
            if level in levels:
                return level
        return ""


def rows(concerns, *, now: dt.datetime | None = None) -> list[Row]:
    now = now or timezone.now()
    out = []
    for concern in concerns:
        info, press = clocks_of(concern, now=now)
        out.append(Row(concern, info, press))
    return out


def _bounds(start, end) -> tuple[dt.datetime, dt.datetime]:
    """[start, end) as aware datetimes; dates are whole local days, `end` included."""
    lo = start if isinstance(start, dt.datetime) else _day_start(start)
    hi = end if isinstance(end, dt.datetime) else _day_start(end + dt.timedelta(days=1))
    return lo, hi


def concern_figures(*, org_ids, start, end) -> dict:
    """What the dashboard counts for the organisations `org_ids` (None: all) in a period.

    `start`/`end`: dates (whole days, both included) or aware datetimes ([start, end)).
    Concerns are counted by when they were first noticed, promises by their due date.
    - concerns: concerns noticed in the period; timed: of them, 特别重大 and 重大;
    - info_in_time / press_in_time: timed concerns whose authoritative information / press
      conference came within the limit (5 h / 24 h); info_late / press_late: came late;
      info_missed / press_missed: none yet and the limit is past;
    - responses: responses recorded for the concerns noticed in the period;
    - promises_due: promises due in the period; promises_kept: of them, fulfilled by their due
      date; promises_fulfilled: fulfilled at all; promises_overdue: due, past and unfulfilled.
    """
    lo, hi = _bounds(start, end)
    now = timezone.now()
    concerns = Concern.objects.filter(noticed_at__gte=lo, noticed_at__lt=hi)
    last_day = timezone.localtime(hi - dt.timedelta(microseconds=1)).date()
    promises = Promise.objects.filter(
        due_on__gte=timezone.localtime(lo).date(), due_on__lte=last_day
    )
    if org_ids is not None:
        concerns = concerns.filter(org_id__in=list(org_ids))
        promises = promises.filter(concern__org_id__in=list(org_ids))
    annotated = concerns.annotate(**first_response_annotations())
    timed = annotated.filter(severity__in=list(TIMED_SEVERITIES))
    figures = concerns.aggregate(
        concerns=Count("id", distinct=True), responses=Count("responses", distinct=True)
    )
    figures["timed"] = timed.count()
    for limit in LIMITS:
        due = F(f"{limit}_due_at")
        first = f"first_{limit}_at"
        figures.update(
            timed.aggregate(
                **{
                    f"{limit}_in_time": Count(
                        "id", filter=Q(**{f"{first}__isnull": False}) & Q(**{f"{first}__lte": due})
                    ),
                    f"{limit}_late": Count(
                        "id", filter=Q(**{f"{first}__isnull": False}) & Q(**{f"{first}__gt": due})
                    ),
                    f"{limit}_missed": Count(
                        "id",
                        filter=Q(**{f"{first}__isnull": True}) & Q(**{f"{limit}_due_at__lt": now}),
                    ),
                }
            )
        )
    figures.update(
        promises.aggregate(
            promises_due=Count("id"),
            promises_kept=Count(
                "id",
                filter=Q(fulfilled_on__isnull=False, fulfilled_on__lte=F("due_on")),
            ),
            promises_fulfilled=Count("id", filter=Q(fulfilled_on__isnull=False)),
            promises_overdue=Count(
                "id", filter=Q(fulfilled_on__isnull=True, due_on__lt=timezone.localdate())
            ),
        )
    )
    return figures


# --- XLSX -----------------------------------------------------------------------------------


def ledger_xlsx(*, user, filters: LedgerFilter, now: dt.datetime | None = None) -> bytes:
    """The ledger as an XLSX workbook: one row per concern, with both clocks and promises."""
    from openpyxl import Workbook

    from gongkai.core.office import xlsx_cells

    now = now or timezone.now()
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("回应关切台账"))
    ws.freeze_panes = "A3"
    for i, width in enumerate([6, 36, 20, 10, 12, 18, 18, 30, 30, 30, 30, 10, 10, 10, 36]):
        ws.column_dimensions[chr(ord("A") + i)].width = width
    org = filters.org
    if org is None:
        title = _("回应关切台账")
    elif filters.region:
        title = _("%(org)s及所辖单位 回应关切台账") % {"org": org.name}
    else:
        title = _("%(org)s 回应关切台账") % {"org": org.name}
    ws.append(xlsx_cells(ws, [title]))
    ws.append(
        xlsx_cells(
            ws,
            [
                _("序号"), _("事项"), _("责任单位"), _("级别"), _("来源"), _("首次获知时间"),
                _("领域"), _("权威信息发布（时限）"), _("新闻发布会（时限）"), _("超时原因"),
                _("相关单位"), _("回应次数"), _("承诺事项"), _("已兑现"), _("效果评估"),
            ],
        )
    )  # fmt: skip
    qs = ledger(user=user, filters=filters)
    for n, row in enumerate(rows(qs.iterator(chunk_size=500), now=now), 1):
        c = row.concern
        reasons = "；".join(
            f"{clock.label}：{clock.reason}" for clock in (row.info, row.press) if clock.reason
        )
        ws.append(
            xlsx_cells(
                ws,
                [
                    n,
                    c.title,
                    c.org.name,
                    str(c.get_severity_display()),
                    str(c.get_source_display()),
                    timezone.localtime(c.noticed_at).replace(tzinfo=None),
                    "、".join(c.tags),
                    _clock_cell(row.info),
                    _clock_cell(row.press),
                    reasons,
                    "、".join(o.name for o in c.related_orgs.all()),
                    c.responses_count,
                    c.promises_count,
                    c.promises_kept,
                    c.evaluation,
                ],
            )
        )
    return _save(wb)


def _clock_cell(clock: Clock) -> str:
    if clock.due_at is None:
        return str(STATE_LABELS["untimed"])
    due = timezone.localtime(clock.due_at).strftime("%Y-%m-%d %H:%M")
    return f"{clock.text}（{_('时限')} {due}）"


def _save(wb) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


__all__ = [
    "INFO",
    "PRESS",
    "ConcernStatus",
    "LedgerFilter",
    "Row",
    "concern_figures",
    "concern_get_for_user",
    "concerns_for_user",
    "ledger",
    "ledger_xlsx",
    "promise_get",
    "rows",
]

"""Reads of the register, scoped to the caller: the register of a region with each entry's
freshness and flags, the approval queue, the public inventory and the dashboard counts.

Freshness is computed in the database: for a site gongkai serves, the owner's latest
published document (a correlated subquery of the same query, never a query per row); for an
external account, what staff entered or the feed job read. An active entry not updated for
GONGKAI_SITES_STALE_DAYS (14) days is flagged 空壳/僵尸; one with unanswered messages too.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from django.conf import settings
from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateTimeField,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.core.exceptions import NotFoundError
from gongkai.core.models import AuditEvent
from gongkai.orgs import permissions
from gongkai.orgs.models import Org

from .models import ChangeRequest, Entry, Kind, Platform, UpdateSource
from .workflow import EntryStatus, RequestStatus

# Fields the public page may show: nothing about the person in charge.
PUBLIC_FIELDS = (
    "id",
    "org__name",
    "org__code",
    "org__path",
    "kind",
    "platform",
    "name",
    "address",
    "account_id",
    "site_code",
    "icp_number",
    "security_number",
    "sponsor_unit",
    "operator_unit",
    "certified_entity",
    "status",
)

FRESH, STALE, UNKNOWN = "fresh", "stale", "unknown"


def stale_days() -> int:
    return int(getattr(settings, "GONGKAI_SITES_STALE_DAYS", 14))


def cutoff(now: dt.datetime | None = None) -> dt.datetime:
    return (now or timezone.now()) - dt.timedelta(days=stale_days())


def _latest_published():
    from gongkai.documents.models import Document
    from gongkai.documents.workflow import Status

    return Subquery(
        Document.objects.filter(org_id=OuterRef("org_id"), status=Status.PUBLISHED)
        .order_by("-published_at")
        .values("published_at")[:1],
        output_field=DateTimeField(),
    )


def with_freshness(qs: QuerySet[Entry], *, now: dt.datetime | None = None) -> QuerySet[Entry]:
    """Annotate `fresh_at` (the effective last update), `is_stale`, `is_flagged`."""
    limit = cutoff(now)
    qs = qs.annotate(
        fresh_at=Case(
            When(served_by_gongkai=True, then=_latest_published()),
            default=F("last_updated_at"),
            output_field=DateTimeField(),
        )
    )
    stale = Q(status=EntryStatus.ACTIVE, fresh_at__lt=limit)
    return qs.annotate(
        is_stale=ExpressionWrapper(stale, output_field=BooleanField()),
        is_flagged=ExpressionWrapper(
            stale | Q(status=EntryStatus.ACTIVE, unanswered_messages__gt=0),
            output_field=BooleanField(),
        ),
    )


def flagged_q(now: dt.datetime | None = None) -> Q:
    """On a queryset annotated by `with_freshness`: active and stale, or with messages."""
    return Q(status=EntryStatus.ACTIVE) & (
        Q(fresh_at__lt=cutoff(now)) | Q(unanswered_messages__gt=0)
    )


@dataclass(frozen=True)
class Freshness:
    """How current an entry is, for display (state in words, never colour alone)."""

    at: dt.datetime | None
    source: str
    state: str  # FRESH | STALE | UNKNOWN
    days: int | None
    unanswered: int

    @property
    def flagged(self) -> bool:
        return self.state == STALE or self.unanswered > 0

    @property
    def source_label(self) -> str:
        return str(UpdateSource(self.source).label) if self.source else ""

    @property
    def label(self) -> str:
        if self.state == UNKNOWN:
            return _("更新情况未知")
        if self.state == STALE:
            return _("%(d)s 天未更新（空壳、僵尸风险）") % {"d": self.days}
        return _("%(d)s 天前更新") % {"d": self.days} if self.days else _("今日更新")


def freshness_of(entry: Entry, *, now: dt.datetime | None = None) -> Freshness:
    """From the annotations of `with_freshness` (no query)."""
    now = now or timezone.now()
    at = getattr(entry, "fresh_at", None)
    if entry.served_by_gongkai:
        source = UpdateSource.COMPUTED if at else ""
    else:
        source = entry.last_update_source if at else ""
    if entry.status != EntryStatus.ACTIVE or at is None:
        state, days = UNKNOWN, None
    else:
        days = max((timezone.localdate(now) - timezone.localdate(at)).days, 0)
        state = STALE if at < cutoff(now) else FRESH
    if entry.status != EntryStatus.ACTIVE:
        state = UNKNOWN
    return Freshness(at, source, state, days, entry.unanswered_messages)


# --- the register ---------------------------------------------------------------------------


def entries_for_user(*, user) -> QuerySet[Entry]:
    """Entries of the organisations whose ledgers `user` may see (a supervisor: the region)."""
    ids = permissions.org_ids_for(user, "view_ledgers")
    approve = permissions.org_ids_for(user, "approve_sites")
    qs = Entry.objects.all()
    if ids is None or approve is None:
        return qs
    return qs.filter(org_id__in=ids | approve)


@dataclass(frozen=True)
class RegisterFilter:
    org: Org | None = None  # with its whole subtree
    kind: str = ""
    platform: str = ""
    status: str = EntryStatus.ACTIVE  # "" for all
    flagged: bool = False


def register(
    *, user, filters: RegisterFilter | None = None, now: dt.datetime | None = None
) -> QuerySet[Entry]:
    """The register's rows with their owner and freshness, in queries independent of rows."""
    f = filters or RegisterFilter()
    qs = entries_for_user(user=user)
    if f.org is not None:
        qs = qs.filter(org__path__startswith=f.org.path)
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.platform:
        qs = qs.filter(platform=f.platform)
    if f.status:
        qs = qs.filter(status=f.status)
    qs = with_freshness(qs.select_related("org"), now=now)
    if f.flagged:
        qs = qs.filter(flagged_q(now))
    pending = ChangeRequest.objects.filter(entry=OuterRef("pk"), status=RequestStatus.SUBMITTED)
    return qs.annotate(
        pending_action=Subquery(pending.values("action")[:1]),
        pending_id=Subquery(pending.values("pk")[:1]),
    ).order_by("org__path", "kind", "platform", "name", "id")


def flagged(*, user, now: dt.datetime | None = None) -> QuerySet[Entry]:
    """The flagged active entries of the user's region (the supervising office's list)."""
    return register(user=user, filters=RegisterFilter(flagged=True), now=now)


def flag_counts_by_org(org_ids, *, now: dt.datetime | None = None) -> dict[int, dict[str, int]]:
    """For the dashboard, per organisation (None: all): active entries, stale, with unanswered
    messages, flagged. One query."""
    qs = with_freshness(Entry.objects.filter(status=EntryStatus.ACTIVE), now=now)
    if org_ids is not None:
        qs = qs.filter(org_id__in=list(org_ids))
    limit = cutoff(now)
    rows = (
        qs.order_by()
        .values("org_id")
        .annotate(
            active=Count("id"),
            stale=Count("id", filter=Q(fresh_at__lt=limit)),
            unanswered=Count("id", filter=Q(unanswered_messages__gt=0)),
            flagged=Count("id", filter=Q(fresh_at__lt=limit) | Q(unanswered_messages__gt=0)),
        )
    )
    return {
        row["org_id"]: {k: row[k] for k in ("active", "stale", "unanswered", "flagged")}
        for row in rows
    }


def entry_get_for_user(*, user, pk) -> Entry:
    """One entry in the user's reach, with its freshness; not found otherwise (no leak)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise NotFoundError() from None
    entry = with_freshness(entries_for_user(user=user).select_related("org")).filter(pk=pk).first()
    if entry is None:
        raise NotFoundError()
    return entry


def entry_history(*, entry: Entry) -> dict:
    """The entry's requests (versions: what each proposed and what it replaced) and every
    audit event about it, newest first."""
    requests = list(
        entry.requests.select_related("proposed_by", "decided_by").order_by("-created_at", "-id")
    )
    from gongkai.core.audit import describe

    events = describe(
        AuditEvent.objects.filter(
            Q(target_type="sites.entry", target_id=str(entry.pk))
            | Q(target_type="sites.changerequest", target_id__in=[str(r.pk) for r in requests])
        )
        .select_related("actor")
        .order_by("-seq")[:200]
    )
    return {"requests": requests, "events": events}


# --- requests -------------------------------------------------------------------------------


def requests_for_user(*, user) -> QuerySet[ChangeRequest]:
    """Requests of organisations the user proposes for, decides for, or keeps ledgers of."""
    scopes = [
        permissions.org_ids_for(user, action)
        for action in ("manage_sites", "approve_sites", "view_ledgers")
    ]
    qs = ChangeRequest.objects.all()
    if any(s is None for s in scopes):
        return qs
    return qs.filter(org_id__in=frozenset().union(*scopes))


def queue(*, user, status: str = RequestStatus.SUBMITTED) -> QuerySet[ChangeRequest]:
    """The requests list: waiting ones first to be decided (the supervisor's queue)."""
    qs = requests_for_user(user=user)
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("org", "entry", "proposed_by", "decided_by").order_by(
        "created_at", "id"
    )


def request_get_for_user(*, user, pk) -> ChangeRequest:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise NotFoundError() from None
    found = (
        requests_for_user(user=user)
        .select_related("org", "entry", "proposed_by", "decided_by")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise NotFoundError()
    return found


def home_counts(*, user, now: dt.datetime | None = None) -> dict[str, int]:
    """For the workbench home card: requests waiting for this user's decision, requests this
    user's organisations are waiting on, and flagged entries in reach (three queries)."""
    approve = permissions.org_ids_for(user, "approve_sites")
    manage = permissions.org_ids_for(user, "manage_sites")
    waiting = ChangeRequest.objects.filter(status=RequestStatus.SUBMITTED)
    to_decide = waiting if approve is None else waiting.filter(org_id__in=approve)
    proposed = waiting if manage is None else waiting.filter(org_id__in=manage)
    return {
        "to_decide": to_decide.count() if approve is None or approve else 0,
        "proposed": proposed.count() if manage is None or manage else 0,
        "flagged": flagged(user=user, now=now).count(),
    }


# --- public ---------------------------------------------------------------------------------


def public_register(*, kind: str = "", platform: str = "", org: Org | None = None):
    """The active websites and accounts of the region for the public page, as dicts of the
    public fields only (the person in charge is never read)."""
    qs = Entry.objects.filter(status=EntryStatus.ACTIVE, org__is_active=True)
    if kind:
        qs = qs.filter(kind=kind)
    if platform:
        qs = qs.filter(platform=platform)
    if org is not None:
        qs = qs.filter(org__path__startswith=org.path)
    return qs.order_by("org__path", "kind", "platform", "name", "id").values(*PUBLIC_FIELDS)


def platform_label(value: str) -> str:
    if not value:
        return str(Kind.WEBSITE.label)
    return str(Platform(value).label) if value in Platform.values else value


# --- XLSX -----------------------------------------------------------------------------------

XLSX_HEADER = (
    gettext_lazy("序号"),
    gettext_lazy("开办单位"),
    gettext_lazy("类型"),
    gettext_lazy("平台类型"),
    gettext_lazy("名称"),
    gettext_lazy("网址或访问地址"),
    gettext_lazy("账号 ID"),
    gettext_lazy("网站标识码"),
    gettext_lazy("ICP 备案编号"),
    gettext_lazy("公安机关备案号"),
    gettext_lazy("主办单位"),
    gettext_lazy("承办（运维）单位"),
    gettext_lazy("认证主体"),
    gettext_lazy("负责人"),
    gettext_lazy("负责人联系电话"),
    gettext_lazy("状态"),
    gettext_lazy("最近更新"),
    gettext_lazy("更新来源"),
    gettext_lazy("未回复留言"),
    gettext_lazy("预警"),
    gettext_lazy("备注"),
)  # fmt: skip


def register_xlsx(*, user, filters: RegisterFilter, now: dt.datetime | None = None) -> bytes:
    """The register as an XLSX workbook (staff only: it includes the person in charge)."""
    from openpyxl import Workbook

    from gongkai.core.office import xlsx_cells

    now = now or timezone.now()
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("网站和政务新媒体台账"))
    ws.freeze_panes = "A3"
    widths = [6, 24, 12, 14, 28, 36, 18, 14, 20, 22, 20, 20, 20, 10, 16, 8, 18, 14, 10, 24, 30]
    for i, width in enumerate(widths):
        ws.column_dimensions[chr(ord("A") + i)].width = width
    title = _("网站和政务新媒体台账")
    if filters.org is not None:
        title = _("%(org)s及所辖单位 网站和政务新媒体台账") % {"org": filters.org.name}
    ws.append(xlsx_cells(ws, [title]))
    ws.append(xlsx_cells(ws, [str(h) for h in XLSX_HEADER]))
    qs = register(user=user, filters=filters, now=now)
    for n, entry in enumerate(qs.iterator(chunk_size=500), 1):
        fresh = freshness_of(entry, now=now)
        warnings = []
        if fresh.state == STALE:
            warnings.append(_("超过 %(d)s 天未更新") % {"d": stale_days()})
        if entry.unanswered_messages:
            warnings.append(_("有未回复留言"))
        ws.append(
            xlsx_cells(
                ws,
                [
                    n,
                    entry.org.name,
                    str(entry.get_kind_display()),
                    str(entry.get_platform_display()) if entry.platform else "",
                    entry.name,
                    entry.address,
                    entry.account_id,
                    entry.site_code,
                    entry.icp_number,
                    entry.security_number,
                    entry.sponsor_unit,
                    entry.operator_unit,
                    entry.certified_entity,
                    entry.person_name,
                    entry.person_phone,
                    str(entry.get_status_display()),
                    timezone.localtime(fresh.at).strftime("%Y-%m-%d %H:%M") if fresh.at else "",
                    fresh.source_label,
                    entry.unanswered_messages,
                    "；".join(warnings),
                    entry.notes,
                ],
            )
        )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


__all__ = [
    "FRESH",
    "STALE",
    "UNKNOWN",
    "Freshness",
    "RegisterFilter",
    "entries_for_user",
    "entry_get_for_user",
    "entry_history",
    "flag_counts_by_org",
    "flagged",
    "flagged_q",
    "freshness_of",
    "home_counts",
    "public_register",
    "queue",
    "register",
    "register_xlsx",
    "request_get_for_user",
    "requests_for_user",
    "stale_days",
    "with_freshness",
]

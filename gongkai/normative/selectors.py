"""Reads of the normative register: the public database, validity on a day, the history and
relations of one document, what expires soon, clean-up campaigns."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from gongkai.core.exceptions import NotFoundError
from gongkai.documents.models import Document
from gongkai.documents.selectors import category_subtree
from gongkai.documents.workflow import Status
from gongkai.orgs import permissions
from gongkai.orgs.models import Org

from .models import Campaign, CampaignItem, NormativeDocument, Relation, ValidityChange
from .workflow import IN_FORCE, CampaignStatus, RelationKind


def with_register(documents, *, today: dt.date | None = None) -> None:
    """Load each document's register entry and relations both ways (a fixed number of queries),
    and show each document's validity as of `today` (see `show_validity_as_of`).

    Works on a list of documents or a queryset's results."""
    from django.db.models import prefetch_related_objects

    documents = list(documents)
    prefetch_related_objects(
        documents,
        Prefetch(
            "normative",
            queryset=NormativeDocument.objects.prefetch_related(
                Prefetch(
                    "relations_out",
                    queryset=Relation.objects.select_related("target__document"),
                ),
                Prefetch(
                    "relations_in",
                    queryset=Relation.objects.select_related("source__document"),
                ),
            ),
        ),
    )
    today = today or timezone.localdate()
    for document in documents:
        entry = getattr(document, "normative", None)
        if entry is not None:
            show_validity_as_of(document, entry, list(entry.relations_in.all()), today)


def validity_as_of(
    stored: str, entry: NormativeDocument, relations_in: list[Relation], day: dt.date
) -> str:
    """The validity the dates give on `day`, from the stored one and the effects due by then.

    The stored value (`Document.validity`) changes when `gongkai normative-apply-effects` runs;
    a page must not wait for it. Effects are taken in the command's order: a repeal or
    replacement in effect, then an expired period, then an amendment in effect."""
    if stored not in IN_FORCE:
        return stored  # repealed or expired: nothing revives it
    due = [
        r
        for r in relations_in
        if r.effective_date <= day and r.source.document.status == Status.PUBLISHED
    ]
    if any(r.kind in (RelationKind.REPEALS, RelationKind.REPLACES) for r in due):
        return Document.Validity.REPEALED
    if entry.expiry_date is not None and entry.expiry_date < day:
        return Document.Validity.EXPIRED
    if any(r.kind == RelationKind.AMENDS for r in due):
        return Document.Validity.AMENDED
    return stored


def show_validity_as_of(
    document: Document, entry: NormativeDocument, relations_in: list[Relation], day: dt.date
) -> None:
    """Give the loaded document, for display, its validity on `day`: `validity_shown` (the
    value) and `validity_shown_label`; `validity` stays what the database holds."""
    shown = validity_as_of(document.validity, entry, relations_in, day)
    document.validity_shown = shown
    document.validity_shown_label = Document.Validity(shown).label


def lapsed_not_applied(*, today: dt.date | None = None) -> list[int]:
    """Documents still marked in force whose dates have ended that (a repeal or replacement in
    effect, or an expired period) while the daily command has not yet run: a "currently valid"
    filter leaves them out. Usually none; at most a day's worth."""
    today = today or timezone.localdate()
    repealed = Relation.objects.filter(
        applied_at__isnull=True,
        effective_date__lte=today,
        kind__in=(RelationKind.REPEALS, RelationKind.REPLACES),
        source__document__status=Status.PUBLISHED,
    ).values("target_id")
    return list(
        NormativeDocument.objects.filter(
            document__status=Status.PUBLISHED, document__validity__in=IN_FORCE
        )
        .filter(Q(expiry_date__lt=today) | Q(pk__in=repealed))
        .values_list("document_id", flat=True)[:1000]
    )


def normative_get_public(*, index_number: str) -> NormativeDocument:
    found = (
        NormativeDocument.objects.select_related("document__org")
        .filter(document__index_number=index_number, document__status=Status.PUBLISHED)
        .first()
    )
    if found is None:
        raise NotFoundError()
    return found


@dataclass
class DocumentRegister:
    """What a document's public page shows of its place in the register."""

    entry: NormativeDocument
    changed_by: list[Relation]  # newer documents that amend, repeal or replace this one
    changes: list[Relation]  # older documents this one amends, repeals or replaces
    history: list[ValidityChange]
    not_yet_in_force: bool
    today: dt.date


def register_for_document(document: Document, *, today: dt.date | None = None):
    """The register entry of a public document with its relations and history, or None."""
    entry = NormativeDocument.objects.filter(document=document).first()
    if entry is None:
        return None
    today = today or timezone.localdate()
    public = (Status.PUBLISHED, Status.WITHDRAWN)
    changed_by = list(
        entry.relations_in.select_related("source__document").filter(
            source__document__status__in=public
        )
    )
    # The page shows the validity the dates give today, whether or not the daily job ran.
    show_validity_as_of(document, entry, changed_by, today)
    return DocumentRegister(
        entry=entry,
        changed_by=changed_by,
        changes=list(
            entry.relations_out.select_related("target__document").filter(
                target__document__status__in=public
            )
        ),
        history=list(entry.validity_changes.all()),
        not_yet_in_force=entry.effective_date > today,
        today=today,
    )


def valid_on(
    *,
    day: dt.date,
    org: Org | None = None,
    include_sub_units: bool = True,
    categories: list[str] | None = None,
) -> QuerySet[NormativeDocument]:
    """Normative documents in force on `day`: in effect by then, not expired, not repealed.

    Relations count from their effective date whether or not the periodic command has applied
    them yet, so a compilation "valid on" a day is right on any day."""
    latest = (
        ValidityChange.objects.filter(normative=OuterRef("pk"), effective_on__lte=day)
        .order_by("-effective_on", "-id")
        .values("validity")[:1]
    )
    repealed = Relation.objects.filter(
        target=OuterRef("pk"),
        kind__in=(RelationKind.REPEALS, RelationKind.REPLACES),
        effective_date__lte=day,
        source__document__status=Status.PUBLISHED,
    )
    qs = (
        NormativeDocument.objects.filter(document__status=Status.PUBLISHED, effective_date__lte=day)
        .filter(Q(expiry_date__isnull=True) | Q(expiry_date__gte=day))
        .annotate(validity_then=Subquery(latest), repealed=Exists(repealed))
        .filter(validity_then__in=IN_FORCE, repealed=False)
        .select_related("document__org", "document__category")
    )
    if org is not None:
        qs = (
            qs.filter(document__org__path__startswith=org.path)
            if include_sub_units
            else qs.filter(document__org=org)
        )
    if categories:
        ids: set[int] = set()
        for code in categories:
            ids.update(category_subtree(code=code))
        qs = qs.filter(document__category_id__in=ids)
    return qs.order_by(
        "document__category__sort_order", "document__category_id", "effective_date", "document__pk"
    )


def expiring(*, user, within_days: int | None = None, today: dt.date | None = None):
    """Documents in force whose period ends within `within_days` (90 by default), soonest first,
    in the organisations where `user` keeps the register."""
    today = today or timezone.localdate()
    days = settings.GONGKAI_NORMATIVE_EXPIRY_ALERT_DAYS if within_days is None else within_days
    qs = NormativeDocument.objects.filter(
        document__status=Status.PUBLISHED,
        document__validity__in=IN_FORCE,
        expiry_date__isnull=False,
        expiry_date__lte=today + dt.timedelta(days=days),
    ).select_related("document__org")
    ids = permissions.org_ids_for(user, "manage_normative")
    if ids is not None:
        qs = qs.filter(document__org_id__in=ids)
    return qs.order_by("expiry_date", "pk")


def register_for_user(*, user) -> QuerySet[NormativeDocument]:
    qs = NormativeDocument.objects.select_related("document__org")
    ids = permissions.org_ids_for(user, "manage_normative")
    return qs if ids is None else qs.filter(document__org_id__in=ids)


def campaigns_for_user(*, user) -> QuerySet[Campaign]:
    ids = permissions.org_ids_for(user, "manage_cleanup")
    qs = Campaign.objects.select_related("org")
    return qs if ids is None else qs.filter(org_id__in=ids)


def campaign_get_for_user(*, user, pk: int) -> Campaign:
    found = campaigns_for_user(user=user).filter(pk=pk).first()
    if found is None:
        raise NotFoundError()
    return found


def campaigns_public() -> QuerySet[Campaign]:
    return Campaign.objects.filter(status=CampaignStatus.PUBLISHED).select_related("org")


def campaign_get_public(*, pk: int) -> Campaign:
    found = campaigns_public().filter(pk=pk).first()
    if found is None:
        raise NotFoundError()
    return found


def campaign_items(campaign: Campaign) -> QuerySet[CampaignItem]:
    return campaign.items.select_related("normative__document__org").order_by(
        "normative__expiry_date", "pk"
    )


def registered_among(ids: list[int]) -> list[int]:
    """Which of these documents are in the normative register (for the search index)."""
    return list(
        NormativeDocument.objects.filter(document_id__in=ids).values_list("document_id", flat=True)
    )

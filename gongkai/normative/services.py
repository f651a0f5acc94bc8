"""Writes of the normative register: entries, 立改废 relations, dated effects, clean-ups.

Every validity change goes through `_change_validity`, which records the dated step, has the
documents service update `Document.validity` (search re-indexes it: the public filters run on
the index) and leaves an audit event, all in the caller's transaction. A campaign is published
through the kernel (`core.workflow`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.core import audit, workdays
from gongkai.core.exceptions import ApplicationError, PermissionDeniedError
from gongkai.documents import services as document_services
from gongkai.documents.models import Document
from gongkai.documents.workflow import Status
from gongkai.orgs import permissions
from gongkai.search import services as search_services

from .models import Campaign, CampaignItem, NormativeDocument, Relation, ValidityChange
from .workflow import (
    CAMPAIGN_WORKFLOW,
    DECISION_EFFECT,
    IN_FORCE,
    RELATION_EFFECT,
    CampaignStatus,
    Decision,
    RelationKind,
    Validity,
)

INTERIM_MARKERS = ("暂行", "试行")


def _require(actor, action: str, org) -> None:
    if not permissions.can(actor, action, org):
        raise PermissionDeniedError()


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def default_expiry(title: str, effective_date: dt.date) -> dt.date:
    """The last day of the default period: 暂行/试行 rules run shorter (RULES §5; a setting)."""
    interim = any(marker in title for marker in INTERIM_MARKERS)
    years = (
        settings.GONGKAI_NORMATIVE_INTERIM_YEARS
        if interim
        else settings.GONGKAI_NORMATIVE_VALIDITY_YEARS
    )
    return workdays.last_day_of_years(effective_date, years)


def _change_validity(
    *,
    actor,
    normative: NormativeDocument,
    validity: str,
    on: dt.date,
    cause: str,
    relation: Relation | None = None,
    item: CampaignItem | None = None,
    note: str = "",
) -> ValidityChange:
    change = ValidityChange.objects.create(
        normative=normative,
        validity=validity,
        effective_on=on,
        cause=cause,
        relation=relation,
        campaign_item=item,
        note=note[:300],
    )
    old, document = document_services.document_set_validity(
        document_id=normative.document_id, validity=validity
    )
    audit.record(
        actor=actor,
        verb="normative.validity",
        target=document,
        org=document.org,
        data={"from": old, "to": validity, "on": on, "cause": cause, "note": note},
    )
    return change


@transaction.atomic
def normative_register(
    *,
    actor,
    document: Document,
    effective_date: dt.date,
    expiry_date: dt.date | None = None,
    no_expiry: bool = False,
    filing_number: str = "",
    filing_date: dt.date | None = None,
    kind: str | None = None,
) -> NormativeDocument:
    """Enter a published document in the normative register (with its default expiry).

    `kind`: 规章 or 行政规范性文件; by default a 令 (order) is a 规章, anything else not."""
    document = Document.objects.select_for_update().select_related("org").get(pk=document.pk)
    _require(actor, "manage_normative", document.org)
    if document.status != Status.PUBLISHED:
        raise ApplicationError(_("只有已发布的文件可以登记为规范性文件。"), code="not_published")
    if NormativeDocument.objects.filter(document=document).exists():
        raise ApplicationError(_("该文件已登记为规范性文件。"), code="already_registered")
    if expiry_date is None and not no_expiry:
        expiry_date = default_expiry(document.title, effective_date)
    if expiry_date is not None and expiry_date < effective_date:
        raise ApplicationError(
            _("有效期截止日期不能早于施行日期。"), code="expiry_before_effective"
        )
    if kind is None:
        kind = (
            NormativeDocument.Kind.RULE
            if document.doc_type == Document.DocType.ORDER
            else NormativeDocument.Kind.NORMATIVE
        )
    if kind not in NormativeDocument.Kind.values:
        raise ApplicationError(_("请选择规章或行政规范性文件。"), code="invalid_kind")
    normative = NormativeDocument.objects.create(
        kind=kind,
        document=document,
        effective_date=effective_date,
        expiry_date=expiry_date,
        filing_number=filing_number.strip()[:64],
        filing_date=filing_date,
    )
    ValidityChange.objects.create(
        normative=normative,
        validity=Validity.VALID,
        effective_on=effective_date,
        cause=ValidityChange.Cause.ENACTED,
    )
    __, document = document_services.document_set_validity(
        document_id=document.pk, validity=Validity.VALID
    )
    # Indexed again in any case: it is now also a "normative" entry.
    search_services.document_indexed(document)
    audit.record(
        actor=actor,
        verb="normative.register",
        target=document,
        org=document.org,
        data={
            "effective_date": effective_date,
            "expiry_date": expiry_date,
            "filing_number": normative.filing_number,
            "kind": kind,
        },
    )
    return normative


@transaction.atomic
def normative_update(
    *,
    actor,
    normative: NormativeDocument,
    expiry_date: dt.date | None,
    filing_number: str,
    filing_date: dt.date | None,
) -> NormativeDocument:
    """Correct the expiry date or record the filing (备案) of a registered document."""
    normative = (
        NormativeDocument.objects.select_for_update()
        .select_related("document__org")
        .get(pk=normative.pk)
    )
    _require(actor, "manage_normative", normative.document.org)
    if expiry_date is not None and expiry_date < normative.effective_date:
        raise ApplicationError(
            _("有效期截止日期不能早于施行日期。"), code="expiry_before_effective"
        )
    before = {
        "expiry_date": normative.expiry_date,
        "filing_number": normative.filing_number,
        "filing_date": normative.filing_date,
    }
    normative.expiry_date = expiry_date
    normative.filing_number = (filing_number or "").strip()[:64]
    normative.filing_date = filing_date
    normative.save()
    after = {k: getattr(normative, k) for k in before}
    audit.record(
        actor=actor,
        verb="normative.update",
        target=normative.document,
        org=normative.document.org,
        data={k: [before[k], after[k]] for k in before if before[k] != after[k]},
    )
    return normative


@transaction.atomic
def relation_add(
    *,
    actor,
    source: NormativeDocument,
    target: NormativeDocument,
    kind: str,
    effective_date: dt.date | None = None,
    note: str = "",
    today: dt.date | None = None,
) -> Relation:
    """Record that `source` amends, repeals or replaces `target`; applied on its effective date."""
    source = NormativeDocument.objects.select_related("document__org").get(pk=source.pk)
    target = NormativeDocument.objects.select_related("document__org").get(pk=target.pk)
    # Both registers change: the actor must keep both (an office cannot repeal another's rule).
    _require(actor, "manage_normative", source.document.org)
    _require(actor, "manage_normative", target.document.org)
    if kind not in RelationKind.values:
        raise ApplicationError(_("未知的文件关系：%(k)s") % {"k": kind}, code="unknown_relation")
    if source.pk == target.pk:
        raise ApplicationError(_("文件不能修改或废止它自己。"), code="relation_self")
    if Relation.objects.filter(source=source, target=target).exists():
        raise ApplicationError(_("这两份文件之间已有关系记录。"), code="relation_exists")
    if target.document.validity not in IN_FORCE:
        raise ApplicationError(
            _("《%(title)s》已%(v)s，不能再被修改或废止。")
            % {"title": target.document.title, "v": target.document.get_validity_display()},
            code="target_not_in_force",
        )
    if Relation.objects.filter(
        target=target, kind__in=(RelationKind.REPEALS, RelationKind.REPLACES)
    ).exists():
        raise ApplicationError(
            _("《%(title)s》已被另一份文件废止或替代。") % {"title": target.document.title},
            code="target_already_repealed",
        )
    relation = Relation.objects.create(
        source=source,
        target=target,
        kind=kind,
        effective_date=effective_date or source.effective_date,
        note=(note or "").strip()[:300],
    )
    audit.record(
        actor=actor,
        verb="normative.relation_add",
        target=source.document,
        org=source.document.org,
        data={
            "kind": kind,
            "target": target.document_id,
            "effective_date": relation.effective_date,
        },
    )
    # Already in effect (an old relation recorded late): apply it now rather than tomorrow.
    today = today or timezone.localdate()
    if relation.effective_date <= today and source.document.status == Status.PUBLISHED:
        _apply_relation(actor=actor, relation=relation)
    return relation


def _apply_relation(*, actor, relation: Relation) -> None:
    target = NormativeDocument.objects.select_related("document").get(pk=relation.target_id)
    validity = RELATION_EFFECT[relation.kind]
    # An amendment does not revive a repealed or expired document, nor downgrade one.
    if target.document.validity in IN_FORCE:
        _change_validity(
            actor=actor,
            normative=target,
            validity=validity,
            on=relation.effective_date,
            cause=ValidityChange.Cause.RELATION,
            relation=relation,
            note=str(relation.source.document.title),
        )
    relation.applied_at = timezone.now()
    relation.save(update_fields=["applied_at", "updated_at"])
    audit.record(
        actor=actor,
        verb="normative.relation_applied",
        target=relation.source.document,
        org=relation.source.document.org,
        data={"relation": relation.pk, "target": target.document_id, "kind": relation.kind},
    )


@dataclass
class EffectsApplied:
    relations: int
    expired: int


def apply_effects(*, actor, today: dt.date | None = None) -> EffectsApplied:
    """Apply every dated effect due by `today`: relations whose new document is published and
    in effect, and expiry dates that have passed. Idempotent: a second run finds nothing."""
    today = today or timezone.localdate()
    relations = expired = 0
    due = Relation.objects.filter(
        applied_at__isnull=True,
        effective_date__lte=today,
        source__document__status=Status.PUBLISHED,
    ).values_list("pk", flat=True)
    for pk in list(due):
        with transaction.atomic():
            relation = (
                Relation.objects.select_for_update().select_related("source__document").get(pk=pk)
            )
            if relation.applied_at is None:  # not applied by a concurrent run meanwhile
                _apply_relation(actor=actor, relation=relation)
                relations += 1
    lapsed = NormativeDocument.objects.filter(
        expiry_date__lt=today,
        document__validity__in=IN_FORCE,
        document__status=Status.PUBLISHED,
    ).values_list("pk", flat=True)
    for pk in list(lapsed):
        with transaction.atomic():
            normative = (
                NormativeDocument.objects.select_for_update().select_related("document").get(pk=pk)
            )
            if normative.document.validity in IN_FORCE:
                _change_validity(
                    actor=actor,
                    normative=normative,
                    validity=Validity.EXPIRED,
                    on=normative.expiry_date + dt.timedelta(days=1),
                    cause=ValidityChange.Cause.EXPIRY,
                )
                expired += 1
    return EffectsApplied(relations=relations, expired=expired)


# Clean-up campaigns (清理) -----------------------------------------------------------------


@transaction.atomic
def campaign_create(
    *, actor, org, title: str, review_by: dt.date, all_in_force: bool = False
) -> Campaign:
    """Open a clean-up of `org`'s normative documents (with its sub-units) that are in force and
    expire by `review_by` (or all of those in force)."""
    _require(actor, "manage_cleanup", org)
    title = " ".join((title or "").split())
    if not title:
        raise ApplicationError(_("请填写清理工作的名称。"), code="title_required")
    selected = NormativeDocument.objects.filter(
        document__org__path__startswith=org.path,
        document__status=Status.PUBLISHED,
        document__validity__in=IN_FORCE,
    )
    if not all_in_force:
        selected = selected.filter(expiry_date__lte=review_by)
    ids = list(selected.order_by("expiry_date", "pk").values_list("pk", flat=True))
    if not ids:
        raise ApplicationError(
            _("没有需要清理的规范性文件（截至 %(d)s 到期的现行有效文件为零）。") % {"d": review_by},
            code="nothing_to_review",
        )
    campaign = Campaign.objects.create(
        org=org, title=title[:200], review_by=review_by, created_by=_user(actor)
    )
    CampaignItem.objects.bulk_create(CampaignItem(campaign=campaign, normative_id=pk) for pk in ids)
    audit.record(
        actor=actor,
        verb="normative.campaign_create",
        target=campaign,
        org=org,
        data={"title": campaign.title, "review_by": review_by, "documents": len(ids)},
    )
    return campaign


@transaction.atomic
def campaign_decide(
    *, actor, item: CampaignItem, decision: str, reason: str, extend_to: dt.date | None = None
) -> CampaignItem:
    """Record the decision on one document, with its reason (required: the result is public)."""
    item = (
        CampaignItem.objects.select_for_update()
        .select_related("campaign__org", "normative__document")
        .get(pk=item.pk)
    )
    campaign = item.campaign
    _require(actor, "manage_cleanup", campaign.org)
    if campaign.status != CampaignStatus.OPEN:
        raise ApplicationError(_("清理结果已公布，不能再修改。"), code="campaign_closed")
    if decision not in Decision.values:
        raise ApplicationError(_("请选择清理意见。"), code="decision_required")
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(_("请填写清理理由。"), code="reason_required")
    if extend_to is not None:
        if decision != Decision.CONTINUE:
            raise ApplicationError(
                _("只有“继续有效”的文件可以延长有效期。"), code="extend_not_continue"
            )
        if extend_to <= timezone.localdate():
            raise ApplicationError(_("延长后的有效期应晚于今天。"), code="extend_in_past")
    item.decision, item.reason, item.extend_to = decision, reason, extend_to
    item.decided_by, item.decided_at = _user(actor), timezone.now()
    item.save()
    audit.record(
        actor=actor,
        verb="normative.campaign_decide",
        target=campaign,
        org=campaign.org,
        data={
            "document": item.normative.document_id,
            "decision": decision,
            "reason": reason,
            "extend_to": extend_to,
        },
    )
    return item


@transaction.atomic
def campaign_publish(*, actor, campaign: Campaign) -> Campaign:
    """Publish the result list and apply every decision (repeal, expire, renew) as of today."""
    campaign = CAMPAIGN_WORKFLOW.lock(campaign)
    _require(actor, "manage_cleanup", campaign.org)
    if campaign.status != CampaignStatus.OPEN:
        raise ApplicationError(_("清理结果已公布。"), code="campaign_closed")
    move = CAMPAIGN_WORKFLOW.begin(
        campaign, "publish", actor=actor, locked=True, verb="normative.campaign_publish"
    )
    items = list(campaign.items.select_related("normative__document"))
    undecided = [i for i in items if not i.decision]
    if undecided:
        raise ApplicationError(
            _("还有 %(n)s 份文件没有清理意见。") % {"n": len(undecided)}, code="undecided"
        )
    today = timezone.localdate()
    for item in items:
        effect = DECISION_EFFECT[item.decision]
        if effect and item.normative.document.validity in IN_FORCE:
            _change_validity(
                actor=actor,
                normative=item.normative,
                validity=effect,
                on=today,
                cause=ValidityChange.Cause.CAMPAIGN,
                item=item,
                note=campaign.title,
            )
        elif item.decision == Decision.CONTINUE and item.extend_to:
            item.normative.expiry_date = item.extend_to
            item.normative.save(update_fields=["expiry_date", "updated_at"])
    campaign.published_at = timezone.now()
    counts: dict[str, int] = {}
    for item in items:
        counts[item.decision] = counts.get(item.decision, 0) + 1
    move.update_fields = ["published_at"]
    move.data["decisions"] = counts
    return CAMPAIGN_WORKFLOW.finish(move)

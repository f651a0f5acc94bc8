"""Reads of consultations: what the public sees, what staff may manage, and the figures the
statistics dashboard counts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from gongkai.core import crypto
from gongkai.core.exceptions import NotFoundError
from gongkai.orgs import permissions

from ..models import Comment, CommentGroup, Consultation, Decision, DecisionItem
from ..workflow import ConsultationStatus

PUBLIC_STATES = (
    ConsultationStatus.OPEN,
    ConsultationStatus.CLOSED,
    ConsultationStatus.FEEDBACK_PUBLISHED,
    ConsultationStatus.WITHDRAWN,
)

# The public list's tabs: open (taking comments), closed awaiting feedback, with feedback.
TABS = ("open", "awaiting", "done")


def public_list(tab: str = "open", *, org=None) -> QuerySet[Consultation]:
    qs = Consultation.objects.select_related("org").annotate(comment_count=Count("comments"))
    if org is not None:
        qs = qs.filter(org=org)
    if tab == "awaiting":
        return qs.filter(status=ConsultationStatus.CLOSED).order_by("-closed_on", "-id")
    if tab == "done":
        return qs.filter(status=ConsultationStatus.FEEDBACK_PUBLISHED).order_by(
            "-feedback_published_at", "-id"
        )
    return qs.filter(status=ConsultationStatus.OPEN).order_by("closes_on", "id")


def tab_counts(*, org=None) -> dict[str, int]:
    qs = Consultation.objects.all()
    if org is not None:
        qs = qs.filter(org=org)
    counts = dict(qs.values_list("status").annotate(n=Count("id")).order_by())
    return {
        "open": counts.get(ConsultationStatus.OPEN, 0),
        "awaiting": counts.get(ConsultationStatus.CLOSED, 0),
        "done": counts.get(ConsultationStatus.FEEDBACK_PUBLISHED, 0),
    }


def _public() -> Q:
    # A consultation withdrawn before it opened was never public and never becomes so.
    return Q(status__in=PUBLIC_STATES) & ~Q(
        status=ConsultationStatus.WITHDRAWN, opened_at__isnull=True
    )


def public_get(pk: int) -> Consultation:
    found = (
        Consultation.objects.select_related("org", "decision_item", "draft", "decision_document")
        .filter(_public(), pk=pk)
        .first()
    )
    if found is None:
        raise NotFoundError()
    return found


def published_comments(consultation: Consultation) -> QuerySet[Comment]:
    """Comments whose authors agreed to publication: the masked text only, never a name."""
    return (
        consultation.comments.filter(publish_consent=True)
        .exclude(public_text="")
        .only("id", "public_text", "created_at", "decision", "reason", "consultation_id")
        .order_by("id")
    )


@dataclass
class Feedback:
    comments: int
    participants: int
    offline_participants: int
    by_decision: dict[str, int]
    adopted: list  # groups and single comments adopted or partly adopted
    shared_not_adopted: list[CommentGroup]  # views many shared, not adopted: with the reason


def feedback(consultation: Consultation) -> Feedback:
    """The published feedback's figures: comments, distinct participants, decisions; the
    adopted views, and the shared views not adopted with their reasons (seed 001 三(三))."""
    comments = list(
        consultation.comments.order_by("id").only(
            "id", "name", "contact_encrypted", "decision", "reason", "group_id", "public_text"
        )
    )
    people = {(c.name, crypto.decrypt(c.contact_encrypted)) for c in comments}
    by_decision = {d: 0 for d in Decision.values}
    for c in comments:
        by_decision[c.decision] += 1
    groups = list(consultation.groups.annotate(size=Count("comments")).order_by("-size", "id"))
    adopted = [g for g in groups if g.decision in (Decision.ADOPTED, Decision.PARTLY)]
    adopted += [
        c
        for c in comments
        if c.group_id is None and c.decision in (Decision.ADOPTED, Decision.PARTLY)
    ]
    shared = [g for g in groups if g.decision == Decision.NOT_ADOPTED]
    offline = consultation.activities.aggregate(n=Sum("participants"))["n"] or 0
    return Feedback(
        comments=len(comments),
        participants=len(people),
        offline_participants=offline,
        by_decision=by_decision,
        adopted=adopted,
        shared_not_adopted=shared,
    )


def for_document(document) -> list[Consultation]:
    """Public consultations whose draft or final decision `document` is (the link back)."""
    return list(
        Consultation.objects.filter(_public())
        .filter(Q(decision_document=document) | Q(draft=document))
        .only("id", "title", "status", "draft_id", "decision_document_id")
        .order_by("id")[:5]
    )


def decision_lists(*, org=None, year: int | None = None) -> QuerySet[DecisionItem]:
    """Published entries of the yearly lists, with the consultations that opened from them."""
    qs = DecisionItem.objects.filter(published_at__isnull=False).select_related("org")
    if org is not None:
        qs = qs.filter(org=org)
    if year is not None:
        qs = qs.filter(year=year)
    return qs.prefetch_related(
        Prefetch(
            "consultations",
            queryset=Consultation.objects.filter(_public()).only(
                "id", "title", "status", "decision_item_id"
            ),
        )
    ).order_by("-year", "org__path", "id")


# --- staff -----------------------------------------------------------------------------------


def for_user(user) -> QuerySet[Consultation]:
    ids = permissions.org_ids_for(user, "manage_consultation")
    qs = Consultation.objects.select_related("org")
    return qs if ids is None else qs.filter(org_id__in=ids)


def staff_list(user, *, today: dt.date | None = None) -> QuerySet[Consultation]:
    """The user's consultations, those whose feedback is overdue first."""
    today = today or timezone.localdate()
    return (
        for_user(user)
        .annotate(
            comment_count=Count("comments", distinct=True),
            pending_count=Count(
                "comments", filter=Q(comments__decision=Decision.PENDING), distinct=True
            ),
        )
        .order_by("-created_at", "-id")
    )


def feedback_overdue(qs: QuerySet[Consultation], today: dt.date) -> QuerySet[Consultation]:
    return qs.filter(status=ConsultationStatus.CLOSED, feedback_due_on__lt=today)


def staff_get(user, pk: int) -> Consultation:
    found = (
        for_user(user)
        .select_related("decision_item", "draft", "decision_document")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise NotFoundError()
    return found


def staff_items(user, *, year: int | None = None) -> QuerySet[DecisionItem]:
    ids = permissions.org_ids_for(user, "manage_consultation")
    qs = DecisionItem.objects.select_related("org")
    if ids is not None:
        qs = qs.filter(org_id__in=ids)
    if year:
        qs = qs.filter(year=year)
    return qs.order_by("-year", "org__path", "id")


# --- figures for the dashboard and the annual report ----------------------------------------


def consultation_figures(*, org_ids, start: dt.date, end: dt.date, today: dt.date | None = None):
    """For organisations `org_ids` (None: all) and consultations whose period ended between
    `start` and `end`: how many, how many have published feedback, how many on time, and how
    many are overdue without it today."""
    today = today or timezone.localdate()
    qs = Consultation.objects.filter(
        closed_on__range=(start, end),
        status__in=(ConsultationStatus.CLOSED, ConsultationStatus.FEEDBACK_PUBLISHED),
    )
    if org_ids is not None:
        qs = qs.filter(org_id__in=org_ids)
    rows = list(qs.values_list("status", "feedback_due_on", "feedback_published_at"))
    tz = timezone.get_current_timezone()
    published = [r for r in rows if r[0] == ConsultationStatus.FEEDBACK_PUBLISHED]
    on_time = [r for r in published if r[1] is None or r[2].astimezone(tz).date() <= r[1]]
    overdue = [r for r in rows if r[0] == ConsultationStatus.CLOSED and r[1] and r[1] < today]
    comments = Comment.objects.filter(consultation__in=qs).count()
    return {
        "closed": len(rows),
        "feedback_published": len(published),
        "feedback_on_time": len(on_time),
        "feedback_overdue": len(overdue),
        "comments": comments,
    }

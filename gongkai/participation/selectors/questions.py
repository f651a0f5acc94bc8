"""Reads of questions and answers: scoped for staff, published-only (and masked) for the public."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from gongkai.core.exceptions import NotFoundError
from gongkai.orgs import permissions
from gongkai.orgs.models import Org
from gongkai.search.selectors import has_terms

from .. import knowledge
from ..models import ApiToken, Question, Rating
from ..workflow import QUESTION_OPEN, QuestionStatus

# What the public pages and API may read of a question: never the name, contact or raw texts.
PUBLIC_FIELDS = (
    "number",
    "kind",
    "public_subject",
    "public_text",
    "public_answer",
    "received_at",
    "answered_at",
    "published_at",
    "org__name",
    "org__short_name",
    "org__code",
    "policy__title",
    "policy__index_number",
    "policy__status",
    "source",
)


def questions_for_user(*, user) -> QuerySet[Question]:
    ids = permissions.org_ids_for(user, "view_questions")
    qs = Question.objects.select_related("org", "addressed_to", "answered_by")
    return qs if ids is None else qs.filter(org_id__in=ids)


def question_get_for_user(*, user, number: str) -> Question:
    try:
        return questions_for_user(user=user).get(number=str(number)[:32])
    except Question.DoesNotExist:
        raise NotFoundError() from None


def queues(*, user, on: dt.date) -> dict[str, list[Question]]:
    """The workbench's queues: to triage, in hand, awaiting approval, to publish, overdue."""
    base = questions_for_user(user=user).defer("text", "answer", "public_text", "public_answer")
    cap = 200
    return {
        "submitted": list(base.filter(status=QuestionStatus.SUBMITTED).order_by("due_on", "id")[:cap]),
        "accepted": list(base.filter(status=QuestionStatus.ACCEPTED).order_by("due_on", "id")[:cap]),
        "drafted": list(
            base.filter(status=QuestionStatus.ANSWER_DRAFTED).order_by("due_on", "id")[:cap]
        ),
        "to_publish": list(
            base.filter(
                status=QuestionStatus.ANSWERED, publish_consent=True, published_at__isnull=True
            ).order_by("-answered_at", "-id")[:cap]
        ),
        "overdue": list(overdue(user=user, on=on)[:cap]),
    }  # fmt: skip


def overdue(*, user, on: dt.date) -> QuerySet[Question]:
    return (
        questions_for_user(user=user)
        .filter(status__in=QUESTION_OPEN, due_on__lt=on)
        .order_by("due_on", "id")
    )


def question_get_public(*, number: str) -> Question | None:
    """For the tracking page: the question or None; the caller checks the password."""
    return (
        Question.objects.select_related("org")
        .filter(number=str(number)[:32].strip().upper())
        .first()
    )


def published_questions(*, q: str = "", org_code: str = ""):
    """Published Q&A of the whole region (一号答), newest first.

    With `q`, the knowledge base's full-text index answers (best first, as the documents'
    search ranks), in an object that pages like a queryset (`count()`, slices)."""
    qs = (
        Question.objects.filter(published_at__isnull=False)
        .select_related("org", "policy")
        .only(*PUBLIC_FIELDS)
        .order_by("-published_at", "-id")
    )
    if (q or "").strip():
        if not has_terms(q):
            return qs.none()  # only symbols: nothing to look for
        return knowledge.Searched(q, org_code=org_code, fields=PUBLIC_FIELDS)
    if org_code:
        qs = qs.filter(org__code=org_code[:18])
    return qs


def published_get(*, number: str) -> Question:
    found = published_questions().filter(number=str(number)[:32].strip().upper()).first()
    if found is None:
        raise NotFoundError()
    return found


def orgs_with_published() -> QuerySet[Org]:
    """Organisations that have published Q&A (the filter of the public list)."""
    ids = Question.objects.filter(published_at__isnull=False).values("org_id")
    return Org.objects.filter(pk__in=ids).order_by("path").only("code", "name", "path")


def transfers_of(question: Question):
    return question.transfers.select_related("from_org", "to_org", "actor")


def tokens_for_user(*, user) -> QuerySet[ApiToken]:
    ids = permissions.org_ids_for(user, "manage_api_tokens")
    qs = ApiToken.objects.select_related("org").order_by("-created_at")
    return qs if ids is None else qs.filter(org_id__in=ids)


def question_figures(*, org_ids, start: dt.date, end: dt.date) -> dict:
    """For the dashboard: messages received and answered in [start, end], answered on time, and
    the citizens' ratings. `org_ids` None means every organisation."""
    qs = Question.objects.all()
    if org_ids is not None:
        qs = qs.filter(org_id__in=org_ids)
    tz = timezone.get_current_timezone()
    lo = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    hi = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    received = qs.filter(received_at__gte=lo, received_at__lt=hi).count()
    answered_qs = qs.filter(answered_at__gte=lo, answered_at__lt=hi)
    figures = answered_qs.aggregate(
        answered=Count("id"),
        on_time=Count("id", filter=Q(answered_at__date__lte=F("due_on"))),
        satisfied=Count("id", filter=Q(rating=Rating.SATISFIED)),
        fairly=Count("id", filter=Q(rating=Rating.FAIRLY)),
        unsatisfied=Count("id", filter=Q(rating=Rating.UNSATISFIED)),
    )
    rated = figures["satisfied"] + figures["fairly"] + figures["unsatisfied"]
    return {
        "received": received,
        "answered": figures["answered"],
        "answered_on_time": figures["on_time"],
        "rated": rated,
        "satisfied": figures["satisfied"],
        "fairly_satisfied": figures["fairly"],
        "unsatisfied": figures["unsatisfied"],
        # 满意 + 基本满意 over all ratings, in percent (None when nobody rated).
        "satisfaction": round(100 * (figures["satisfied"] + figures["fairly"]) / rated, 1)
        if rated
        else None,
    }

"""The knowledge base (一号答): published Q&A in the same full-text index as the documents.

A published question is an entry of kind "qa" in `gongkai.search` (its public, masked texts
only), written in the transaction that publishes it and dropped in the one that unpublishes it,
so the portal's search, `/interaction/`, the API and the "similar questions" suggestion all ask
the one index, with the same segmentation, tiers and highlighting as documents.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.safestring import SafeString

from gongkai.core.exceptions import NotFoundError
from gongkai.orgs.models import Org
from gongkai.search import selectors as search
from gongkai.search import services as index
from gongkai.search import tokens
from gongkai.search.backends import IndexedDocument

from .models import Question

KIND = "qa"
BATCH = 1000


def _published() -> QuerySet[Question]:
    return Question.objects.filter(published_at__isnull=False)


def build(questions: Sequence[Question]) -> list[IndexedDocument]:
    """Index entries of published questions: subject as title, number, question and answer."""
    paths = dict(Org.objects.filter(pk__in={q.org_id for q in questions}).values_list("pk", "path"))
    entries = []
    for q in questions:
        published = q.published_at.date()
        entries.append(
            IndexedDocument(
                document_id=None,
                kind=KIND,
                object_id=q.pk,
                title=tokens.title_terms(q.public_subject),
                number=tokens.title_terms(q.number),
                body=tokens.body_terms(f"{q.public_text}\n{q.public_answer}"),
                facets=[
                    *(
                        tokens.facet("org", pk)
                        for pk in paths[q.org_id].strip("/").split("/")
                        if pk
                    ),
                    tokens.facet("y", published.year),
                ],
                org_id=q.org_id,
                category_id=None,
                doc_type="",
                validity="",
                date_signed=published,
            )
        )
    return entries


def question_indexed(question: Question) -> None:
    """Index a published question, or drop it when it is not (or no longer) published."""
    if question.published_at is None:
        index.entries_unindexed(KIND, [question.pk])
    else:
        index.entries_indexed(build([question]))


def rebuild(prefix: str | None = None) -> int:
    """Write every published question again (of the organisations under `prefix`)."""
    qs = _published().order_by("pk")
    if prefix is not None:
        qs = qs.filter(org__path__startswith=prefix)
    done, batch = 0, []
    for question in qs.iterator(BATCH):
        batch.append(question)
        if len(batch) == BATCH:
            done += index.entries_indexed(build(batch))
            batch = []
    if batch:
        done += index.entries_indexed(build(batch))
    return done


def _filters(org_code: str, org: Org | None) -> tokens.Filters | None:
    if org is not None:
        return tokens.Filters(org_ids=(org.pk,))
    if org_code:
        return search.resolve_filters(org_code=org_code[:18])
    return None


@dataclass
class Hit:
    question: Question
    title: SafeString
    snippet: SafeString


def find(
    q: str,
    *,
    org_code: str = "",
    org: Org | None = None,
    offset: int = 0,
    limit: int = 20,
    fields: Iterable[str] = (),
) -> tuple[list[Hit], int]:
    """Published Q&A matching `q` (best first) and how many match (a `search.Total`, capped
    as document totals are); an unknown org: none."""
    try:
        filters = _filters(org_code, org)
    except NotFoundError:
        return [], 0
    query, found = search.search_entries(q, kind=KIND, filters=filters, offset=offset, limit=limit)
    total = search.Total(found.count, found.capped)
    if not found.ids:
        return [], total
    qs = _published().select_related("org", "policy")
    if fields:
        qs = qs.only(*fields)
    by_id = qs.in_bulk(found.ids)
    pattern = search.match_pattern(query)
    hits = []
    for pk in found.ids:
        question = by_id.get(pk)
        if question is None:  # unpublished after the index was read
            continue
        hits.append(
            Hit(
                question=question,
                title=search.highlight(question.public_subject, pattern, window=False),
                snippet=search.highlight(
                    f"{question.public_text} {question.public_answer}", pattern, window=True
                ),
            )
        )
    return hits, total


def count(q: str) -> int:
    """How many published Q&A match `q` (the knowledge-base facet beside documents)."""
    return search.count_entries(q, kind=KIND)


class Searched:
    """Search results that a Django Paginator (or the API) pages through like a queryset:
    `count()` asks the index for the total, a slice searches that page; each question gets
    its highlighted `hit`."""

    def __init__(self, q: str, *, org_code: str = "", fields: Iterable[str] = ()):
        self.q, self.org_code, self.fields = q, org_code, tuple(fields)
        self._count: int | None = None

    def count(self) -> int:
        if self._count is None:
            try:
                filters = _filters(self.org_code, None)
            except NotFoundError:
                self._count = 0
            else:
                self._count = search.count_entries(self.q, kind=KIND, filters=filters)
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, item):
        if not isinstance(item, slice) or item.step not in (None, 1):
            raise TypeError("Searched supports plain slices only")
        start = max(0, item.start or 0)
        stop = item.stop if item.stop is not None else start + 20
        if stop <= start:
            return []
        hits, total = find(
            self.q, org_code=self.org_code, offset=start, limit=stop - start, fields=self.fields
        )
        self._count = total
        for hit in hits:
            hit.question.hit = hit
        return [hit.question for hit in hits]

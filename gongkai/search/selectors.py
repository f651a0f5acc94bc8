"""Searching published documents: the one entry point for the portal, the API and the bench."""

import dataclasses
import re
import unicodedata
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from gongkai.core.exceptions import NotFoundError
from gongkai.documents.models import Attachment, Category, Column, Document
from gongkai.documents.selectors import published_documents
from gongkai.documents.workflow import Status
from gongkai.orgs.models import Org

from . import tokens
from .backends import Facets, get_backend
from .backends import Page as EntryPage
from .services import plain_text

SNIPPET_BEFORE, SNIPPET_AFTER = 30, 90


@dataclass
class Hit:
    document: Document
    title: SafeString  # escaped, matches in <mark>
    snippet: SafeString
    tier: str  # "number" | "title" | "body"


class Total(int):
    """A number of matches; `capped`: more than this many match (counting stopped at
    COUNT_CAP). An int, so callers that only show or page by the count need not know."""

    capped: bool = False

    def __new__(cls, value: int, capped: bool = False):
        total = super().__new__(cls, value)
        total.capped = capped
        return total


@dataclass
class Results:
    query: tokens.Query
    hits: list[Hit]
    count: Total
    page: int
    page_size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.count // self.page_size))

    @property
    def capped(self) -> bool:
        """More than `count` (COUNT_CAP) documents match: "超过 1 万条"."""
        return getattr(self.count, "capped", False)


def has_terms(q: str | None) -> bool:
    """Whether `q` holds anything to search for (letters or digits, not only "OR")."""
    return bool(tokens.normalise(q or "")) and not tokens.parse(q).is_empty


def resolve_filters(
    *,
    org_code: str | None = None,
    category: str | None = None,
    column: str | None = None,
    doc_type: str | None = None,
    validity: str | None = None,
    year: int | None = None,
    date_from=None,
    date_to=None,
    kinds: tuple[str, ...] = (),
    exclude_ids=(),
) -> tokens.Filters:
    """The public filter names (codes, slugs) → ids; an unknown code is a 404, not an empty list."""

    def pk(model, **lookup):
        found = model.objects.filter(**lookup).values_list("pk", flat=True).first()
        if found is None:
            raise NotFoundError()
        return found

    return tokens.Filters(
        org_ids=(pk(Org, code=org_code),) if org_code else (),
        category_id=pk(Category, code=category) if category else None,
        column_id=pk(Column, slug=column, is_active=True) if column else None,
        doc_type=doc_type or None,
        validity=validity or None,
        year=year or None,
        date_from=date_from,
        date_to=date_to,
        kinds=tuple(kinds),
        exclude_ids=tuple(exclude_ids),
    )


def _pattern(query: tokens.Query) -> re.Pattern | None:
    """Matches any term in normalised text, punctuation and spaces between characters allowed."""
    parts = [
        r"[^\w]*".join(re.escape(c) for c in term.text)
        for term in sorted(query.terms, key=lambda t: -len(t.text))
    ]
    return re.compile("|".join(parts)) if parts else None


def _normalised_chars(text: str) -> str:
    # Same length as `text`, so a match's span indexes the original. Usually the whole-string
    # normalisation keeps the length (full-width forms map one to one) and is all it takes.
    whole = unicodedata.normalize("NFKC", text).lower()
    if len(whole) == len(text):
        return whole
    out = []
    for c in text:
        n = unicodedata.normalize("NFKC", c).lower()
        out.append(n if len(n) == 1 else c)
    return "".join(out)


_UNKNOWN = -1


def highlight(
    text: str, pattern: re.Pattern | None, *, window: bool, first: int | None = _UNKNOWN
) -> SafeString:
    """`text` escaped with the query's matches in <mark>; `window`: cut around the first match
    (`first`: where it starts in the whitespace-collapsed text, when the caller knows)."""
    text = " ".join((text or "").split())
    if pattern is None:
        return escape(text[: SNIPPET_AFTER * 2] if window else text)
    if window:
        if first == _UNKNOWN:
            first = _first_match(text, pattern)
        if first is None:
            return escape(text[: SNIPPET_AFTER * 2]) if text else mark_safe("")
        start = max(0, first - SNIPPET_BEFORE)
        stop = first + SNIPPET_AFTER
        prefix, suffix = ("…" if start else ""), ("…" if stop < len(text) else "")
        text = text[start:stop]
    else:
        prefix = suffix = ""
    normal = _normalised_chars(text)
    out, pos = [prefix], 0
    for m in pattern.finditer(normal):
        if m.end() == m.start():
            continue
        out += [
            escape(text[pos : m.start()]),
            "<mark>",
            escape(text[m.start() : m.end()]),
            "</mark>",
        ]
        pos = m.end()
    out += [escape(text[pos:]), suffix]
    return mark_safe("".join(out))  # noqa: S308 - every piece of text above is escaped


def search_documents(
    q: str,
    *,
    filters: tokens.Filters | None = None,
    page: int = 1,
    page_size: int = 20,
    sort: str = "relevance",
) -> Results:
    """Published documents matching `q` (all of its terms, or of one group at an OR) and the
    filters."""
    query = tokens.parse(q, filters)
    if query.is_empty:
        # Only punctuation or spaces: nothing to look for (callers show the plain list).
        return Results(query=query, hits=[], count=Total(0), page=page, page_size=page_size)
    exact_ids = []
    if query.document_number and query.terms:
        # By number alone, so the number's index answers; few documents share a number.
        exact_ids = [
            pk
            # No ordering: the model's default (newest first) under LIMIT makes PostgreSQL walk
            # the date index past a million rows instead of looking the number up (1 s → 1 ms).
            for pk, status in Document.objects.filter(document_number=query.document_number)
            .order_by()
            .values_list("pk", "status")[:50]
            if status == Status.PUBLISHED
        ]
    result = get_backend().search(
        query,
        offset=(page - 1) * page_size,
        limit=page_size,
        sort="date" if sort == "date" else "relevance",
        exact_ids=exact_ids,
    )
    # The index holds published documents only; the status filter is a second lock on that door.
    docs = Document.objects.select_related("org", "category").order_by().in_bulk(result.ids)
    docs = {k: v for k, v in docs.items() if v.status == Status.PUBLISHED}
    pattern = _pattern(query)
    texts = {pk: " ".join(_summary_text(doc).split()) for pk, doc in docs.items()}
    # Where the words first occur in each text: which texts lack them (a title or attachment
    # match), and where the snippet starts, found once.
    firsts = {pk: _first_match(text, pattern) if pattern else 0 for pk, text in texts.items()}
    missing = [pk for pk, first in firsts.items() if first is None]
    attachment_text: dict[int, str] = {}
    if missing:
        for doc_id, text in Attachment.objects.filter(document_id__in=missing).values_list(
            "document_id", "extracted_text"
        ):
            attachment_text[doc_id] = attachment_text.get(doc_id, "") + " " + text
    hits = []
    for pk in result.ids:
        doc = docs.get(pk)
        if doc is None:
            continue
        attached = attachment_text.get(pk)
        hits.append(
            Hit(
                document=doc,
                title=highlight(doc.title, pattern, window=False),
                snippet=highlight(attached, pattern, window=True)
                if attached
                else highlight(texts[pk], pattern, window=True, first=firsts[pk]),
                tier=result.tiers.get(pk, "body"),
            )
        )
    return Results(
        query=query,
        hits=hits,
        count=Total(result.count, result.capped),
        page=page,
        page_size=page_size,
    )


def match_pattern(query: tokens.Query) -> re.Pattern | None:
    """What `highlight` marks for this query (for apps that render their own entries)."""
    return _pattern(query)


def search_entries(
    q: str,
    *,
    kind: str,
    filters: tokens.Filters | None = None,
    offset: int = 0,
    limit: int = 20,
    sort: str = "relevance",
) -> tuple[tokens.Query, EntryPage]:
    """Entries of a registered kind (not documents) matching `q`: the ids of their objects,
    best first (title matches, then the rest; newest first within each), and the total."""
    filters = dataclasses.replace(filters or tokens.Filters(), entry=kind)
    query = tokens.parse(q, filters)
    if query.is_empty:
        return query, EntryPage([], 0)
    return query, get_backend().search(
        query,
        offset=offset,
        limit=limit,
        sort="date" if sort == "date" else "relevance",
        exact_ids=[],
    )


def count_entries(q: str, *, kind: str, filters: tokens.Filters | None = None) -> Total:
    """How many entries of a registered kind match `q` (a facet count beside documents), up
    to COUNT_CAP as for documents: `capped` says "more than this"."""
    query = tokens.parse(q, dataclasses.replace(filters or tokens.Filters(), entry=kind))
    if query.is_empty:
        return Total(0)
    backend = get_backend()
    cap = backend.count_cap
    n = backend.count(query, cap=cap)
    return Total(min(n, cap), n > cap)


@dataclass
class Found:
    """One page of published documents, searched or listed (see `find_documents`)."""

    documents: list[Document]
    count: int  # a Total when searched: `count.capped` says "more than this"
    results: Results | None = None  # when searched: the hits, highlighted
    page_obj: Page | None = None  # when listed: the page of the filtered list

    @property
    def searched(self) -> bool:
        return self.results is not None

    @property
    def capped(self) -> bool:
        return getattr(self.count, "capped", False)


def find_documents(
    q: str | None,
    filters: dict,
    *,
    page: int = 1,
    page_size: int = 20,
    sort: str = "relevance",
    clamp: bool = True,
) -> Found:
    """Published documents matching `q` and `filters`: the portal's search, the normative
    database and the API all ask this one question.

    With terms to look for, a full-text search ranked by `sort`; without (empty, or only
    punctuation), the filtered list, newest first. `filters` uses the names of
    `documents.selectors.published_documents`, codes and slugs as the public sends them (an
    unknown code is a 404). `clamp`: a page past the end shows the last page (pages for people
    following a stale link) rather than nothing (the API)."""
    if has_terms(q):
        resolved = resolve_filters(**filters)  # codes → ids, once
        results = search_documents(q, filters=resolved, page=page, page_size=page_size, sort=sort)
        if clamp and page > results.pages:
            results = search_documents(
                q, filters=resolved, page=results.pages, page_size=page_size, sort=sort
            )
        return Found([hit.document for hit in results.hits], results.count, results=results)
    filters = dict(filters)
    excluded = filters.pop("exclude_ids", ())
    qs = published_documents(**filters)
    if excluded:
        qs = qs.exclude(pk__in=excluded)
    if clamp:
        page_obj = Paginator(qs, page_size).get_page(page)
        return Found(list(page_obj.object_list), page_obj.paginator.count, page_obj=page_obj)
    start = (page - 1) * page_size
    return Found(list(qs[start : start + page_size]), qs.count())


def _summary_text(doc: Document) -> str:
    return f"{doc.summary} {plain_text(doc.body)}".strip()


def _first_match(text: str, pattern: re.Pattern) -> int | None:
    """Where the first match starts in `text`, normalising only as far as it takes: a long
    body is not normalised whole when the words are near its start."""
    size = 2048
    while True:
        found = pattern.search(_normalised_chars(text[:size]))
        if found is not None:
            return found.start()
        if size >= len(text):
            return None
        size *= 8


@dataclass
class FacetValue:
    key: str
    label: str
    count: int


@dataclass
class FacetGroups:
    orgs: list[FacetValue]
    categories: list[FacetValue]
    doc_types: list[FacetValue]
    years: list[FacetValue]
    sampled: bool


def search_facets(q: str, *, filters: tokens.Filters | None = None, top: int = 12) -> FacetGroups:
    """Counts by organisation, category, type and year of the documents matching `q`."""
    raw: Facets = get_backend().facets(tokens.parse(q, filters))

    def ranked(counts: dict) -> list:
        return sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0])))[:top]

    orgs = {
        pk: (code, name)
        for pk, code, name in Org.objects.filter(pk__in=raw.orgs).values_list("pk", "code", "name")
    }
    cats = {c.pk: c for c in Category.objects.filter(pk__in=raw.categories)}
    type_labels = dict(Document.DocType.choices)
    return FacetGroups(
        orgs=[FacetValue(*orgs[k], n) for k, n in ranked(raw.orgs) if k in orgs],
        categories=[
            FacetValue(cats[k].code, cats[k].name, n)
            for k, n in ranked(raw.categories)
            if k in cats
        ],
        doc_types=[FacetValue(k, str(type_labels.get(k, k)), n) for k, n in ranked(raw.doc_types)],
        years=[
            FacetValue(str(k), str(k), n)
            for k, n in sorted(raw.years.items(), key=lambda kv: -kv[0])[:top]
        ],
        sampled=raw.sampled,
    )


def search_index_status() -> dict | None:
    """PostgreSQL: the index methods on the entries' vectors ({"gin": valid, …}), whether rum
    is installed, and the configured method; None on other databases."""
    from django.conf import settings
    from django.db import connection

    from .backends.postgres import index_status

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        status = index_status(cursor)
    return {**status, "configured": settings.GONGKAI_SEARCH_INDEX}

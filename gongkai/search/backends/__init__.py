"""The one interface every search engine implements, and how the configured one is chosen.

gongkai ships two implementations, both inside the database it already runs on (SQLite FTS5,
PostgreSQL tsvector + GIN), so an office needs no extra server. A region that outgrows one
machine adds a class here (OpenSearch, Elasticsearch) and names it in
`GONGKAI_SEARCH_BACKEND`; nothing outside this package knows which engine answers.
"""

import datetime as dt
from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

from django.conf import settings
from django.db import connection
from django.utils.module_loading import import_string

from ..tokens import Query

FACET_SAMPLE = 10_000  # facets count at most this many of the newest matches
# Totals are exact up to this many matches; beyond, "more than COUNT_CAP" (as Elasticsearch's
# track_total_hits): counting stops there in the engine.
COUNT_CAP = 10_000


@dataclass
class IndexedDocument:
    """What a backend stores of one published document, or of another kind of entry (`kind`,
    `object_id`: a published Q&A …); built by `search.services` and the apps' sources."""

    document_id: int | None
    title: list[str]  # bigrams
    number: list[str]  # bigrams
    body: list[str]  # words
    facets: list[str]
    org_id: int
    category_id: int | None
    doc_type: str
    validity: str
    date_signed: dt.date
    kind: str = ""  # "" for a document
    object_id: int | None = None  # the entry's object when it is not a document

    @property
    def target_id(self) -> int:
        """What a search returns for this entry: the document's id, or its object's."""
        return self.object_id if self.kind else self.document_id


@dataclass
class Page:
    """Document ids of one page of results, best first, with the total and where they came from."""

    ids: list[int]
    count: int  # at most COUNT_CAP
    tiers: dict[int, str] = field(default_factory=dict)  # id → "number" | "title" | "body"
    capped: bool = False  # more than `count` match


@dataclass
class Facets:
    orgs: dict[int, int]
    categories: dict[int, int]
    doc_types: dict[str, int]
    years: dict[int, int]
    sampled: bool  # counted over the newest FACET_SAMPLE matches only


class SearchBackend(ABC):
    """Relevance is tiered: the document whose number the query spells, then documents whose
    title or number contains every term, then the rest; newest first within a tier."""

    # Statements each read (search, count, facets) runs around its own queries: settings for
    # the engine's planner (PostgreSQL). Query-count tests add them.
    planner_queries = 0

    @property
    def count_cap(self) -> int:
        """Where this engine stops counting (COUNT_CAP; a test may lower it)."""
        return COUNT_CAP

    @abstractmethod
    def index(self, documents: Iterable[IndexedDocument]) -> int:
        """Add or replace these documents; return how many were written."""

    @abstractmethod
    def remove(self, document_ids: Iterable[int]) -> None: ...

    def remove_entries(self, kind: str, object_ids: Iterable[int]) -> None:
        """Drop entries of another kind than documents (e.g. unpublished Q&A)."""
        raise NotImplementedError

    def count(self, query: Query, cap: int | None = None) -> int:
        """How many entries match (the query's filters say which kind); with `cap`, counting
        stops at cap + 1."""
        raise NotImplementedError

    @abstractmethod
    def clear(self) -> None: ...

    @abstractmethod
    def search(
        self, query: Query, *, offset: int, limit: int, sort: str, exact_ids: list[int]
    ) -> Page:
        """`exact_ids`: published documents whose number equals the query's, for the first tier.

        `Page.ids` are the ids of what the query's `filters.entry` names: documents by default."""

    @abstractmethod
    def facets(self, query: Query) -> Facets: ...

    def optimize(self) -> None:  # noqa: B027 - optional for engines that need no upkeep
        """Compact the index after a rebuild."""

    @abstractmethod
    def raw_match(self, query: Query, limit: int, sort: str = "date") -> tuple[list[int], int]:
        """The engine alone, for the benchmark: the count up to COUNT_CAP and the first `limit`
        matches in the same order as `search` ("date": newest first; "relevance": title
        matches, then the rest, each newest first), by the plainest queries that give them."""


@cache
def _backend_class(path: str, vendor: str):
    if path:
        return import_string(path)
    if vendor == "postgresql":
        from .postgres import PostgresBackend

        return PostgresBackend
    if vendor == "sqlite":
        from .sqlite import SqliteBackend

        return SqliteBackend
    raise RuntimeError(f"no search backend for database vendor {vendor!r}")


def get_backend() -> SearchBackend:
    path = getattr(settings, "GONGKAI_SEARCH_BACKEND", "")
    return _backend_class(path, connection.vendor)()

"""What the SQLite and PostgreSQL backends share: entries, tiers, paging and facets.

Each engine supplies a match expression language (FTS5 query syntax, tsquery) and the SQL that
turns an expression into entry ids; everything else is here. Index writes run in the caller's
transaction, so a document becomes findable exactly when its publication commits and vanishes
exactly when its withdrawal does; a rollback takes the index change with it.
"""

import dataclasses
import functools
import time
from collections import Counter
from collections.abc import Iterable
from contextlib import nullcontext

from django.db import connection, transaction

from .. import tokens
from ..models import SearchEntry
from ..tokens import Filters, Query
from . import COUNT_CAP, FACET_SAMPLE, Facets, IndexedDocument, Page, SearchBackend

# At most this many matches in all: the page's rows may be collected and sorted rather than
# looked for along the newest entries (see page_sql; the count is known before the page).
SPARSE_MATCHES = 2000
# The oldest analysis entries remain in (see tokens.Query.legacy and .unmarked; None: all are
# current), per process: checked again after this many seconds, and at once after this process
# rebuilt the index.
LEGACY_CHECK_SECONDS = 60.0
_legacy: dict[str, tuple[int | None, float]] = {}


# A walk along the newest entries is chosen when it should pass at most this many (each one's
# terms are checked); otherwise the matches are collected and sorted.
WALK_ENTRIES = 2000


@dataclasses.dataclass(frozen=True)
class Probe:
    ids: list[int] | None = None  # the page, when the probe saw every match
    spread: float | None = None  # otherwise: entries per match among those it saw


def _planned(method):
    """Run one read of the index (its several queries) under the engine's `planner()`."""

    @functools.wraps(method)
    def planned(self, *args, **kwargs):
        with self.planner():
            return method(self, *args, **kwargs)

    return planned


class DatabaseBackend(SearchBackend):
    entry_fields: tuple[str, ...] = ()  # engine columns of SearchEntry written by prepare()

    @property
    def count_cap(self) -> int:
        return COUNT_CAP

    def prepare(self, entry: SearchEntry, doc: IndexedDocument) -> None:
        """Set the engine's own columns on an entry before it is saved."""

    # --- what an engine provides -------------------------------------------------------
    def expression(
        self, query: Query, *, title_only: bool = False, facets_only: bool = False
    ) -> str:
        """The engine's match expression for the query's terms and facet filters.

        `title_only`: every term in the title or number; `facets_only`: the filters alone."""
        raise NotImplementedError

    def exclude(self, expression: str, excluded: str) -> str:
        """Matches of `expression` that do not match `excluded`."""
        raise NotImplementedError

    def matching(self, expression: str, query: Query, only=()) -> tuple[str, list]:
        """SQL selecting `id, document_id` of the entries matching, and its parameters;
        `only`: among these entry ids (a constraint the engine applies itself, cheaply)."""
        raise NotImplementedError

    def write(self, pairs: list[tuple[SearchEntry, IndexedDocument]], *, fresh: bool) -> None:
        """Store the terms of these entries (`fresh`: none of them has terms stored yet)."""
        raise NotImplementedError

    def delete_terms(self, entry_ids: list[int]) -> None:
        raise NotImplementedError

    def clear_terms(self) -> None:
        raise NotImplementedError

    def planner(self):
        """A context the reads of a search run in (settings that steer the engine's planner)."""
        return nullcontext()

    # --- shared --------------------------------------------------------------------------
    @staticmethod
    def date_clause(query: Query, column: str, lookup: bool) -> tuple[str, list]:
        """Date-range conditions on date_signed (`lookup`: through the entry table)."""
        sql, params = "", []
        f = query.filters
        for value, op in ((f.date_from, ">="), (f.date_to, "<=")):
            if value:
                if lookup:
                    sql += f" AND {column} IN (SELECT id FROM search_searchentry WHERE date_signed {op} %s)"
                else:
                    sql += f" AND {column} {op} %s"
                params.append(value)
        return sql, params

    @staticmethod
    def exclude_clause(query: Query, column: str) -> tuple[str, list]:
        """Leave out the filters' excluded documents (`column`: the document id's)."""
        ids = query.filters.exclude_ids
        if not ids:
            return "", []
        return f" AND {column} NOT IN ({','.join(['%s'] * len(ids))})", list(ids)

    def _fetch(self, sql: str, params: list) -> list[tuple]:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def _matching(self, expression, query, not_in=(), only=()) -> tuple[str, list]:
        sql, params = self.matching(expression, query, only=only)
        where = " WHERE TRUE"
        if not_in:
            where += f" AND id NOT IN ({','.join(['%s'] * len(not_in))})"
            params = [*params, *not_in]
        return f"SELECT id, document_id FROM ({sql}) m{where}", params

    def _ids(self, expression, query, *, offset, limit, not_in=(), total=None) -> list[int]:
        """A page of the matches, newest first; `total`: how many match at most, when known."""
        sql, params = self._matching(expression, query, not_in)
        # More than the count's cap: so many match that the newest entries hold the page.
        dense = total is None or total > COUNT_CAP
        if total is None:
            probed = self.probe(sql, params, limit=limit, offset=offset)
            if probed.ids is not None:
                return probed.ids
            if probed.spread is not None:
                # More than a probe collects: a walk if it would pass few entries.
                dense = probed.spread * (offset + limit) <= WALK_ENTRIES
        sparse = total is not None and total <= SPARSE_MATCHES
        page = self.page_sql(sql, sparse, dense=dense)
        return [row[1] for row in self._fetch(page, [*params, limit, offset])]

    def page_sql(self, sql: str, sparse: bool, *, dense: bool = False) -> str:
        """`sql`'s rows newest first, LIMIT and OFFSET parameters appended; `sparse`: few rows
        match in all (the count is known), so the engine may collect them all and sort;
        `dense`: very many match, so looking along the newest entries finds them soon."""
        return f"{sql} ORDER BY id DESC LIMIT %s OFFSET %s"

    def probe(self, sql: str, params: list, *, limit: int, offset: int) -> "Probe":
        """For a tier whose size is not known, where looking along the newest entries would
        pass over many: the page of `sql`'s rows if they turn out to be few (at most
        SPARSE_MATCHES), else how far apart the matches seen lie. An engine that walks its
        lists newest first needs no probe."""
        return Probe()

    def _count(self, expression, query, not_in=(), only=(), cap=None) -> int:
        """How many entries match; with `cap`, counting stops at cap + 1 (in the engine: a
        LIMIT under the COUNT), so a word in most documents does not count them all."""
        sql, params = self._matching(expression, query, not_in, only)
        if cap is not None:
            return self._fetch(self.capped_count_sql(sql), [*params, cap + 1])[0][0]
        return self._fetch(f"SELECT COUNT(*) FROM ({sql}) c", params)[0][0]

    def capped_count_sql(self, sql: str) -> str:
        """COUNT(*) of `sql`'s rows, stopping at the LIMIT parameter appended last."""
        return f"SELECT COUNT(*) FROM (SELECT 1 FROM ({sql}) l LIMIT %s) c"

    def oldest_analysis(self) -> int | None:
        """The oldest analysis some entries are still written in (an index not rebuilt since
        an upgrade), or None when all are current."""
        key = connection.alias
        found, at = _legacy.get(key, (None, -LEGACY_CHECK_SECONDS))
        if time.monotonic() - at >= LEGACY_CHECK_SECONDS:
            # Through the partial index of old entries: nothing to read once all are current.
            found = (
                SearchEntry.objects.filter(analysis__lt=tokens.ANALYSIS)
                .order_by("analysis")
                .values_list("analysis", flat=True)
                .first()
            )
            _legacy[key] = (found, time.monotonic())
        return found

    def _prepared(self, query: Query) -> Query:
        oldest = self.oldest_analysis()
        if oldest is None:
            return query
        return dataclasses.replace(query, legacy=oldest <= tokens.LEGACY_ANALYSIS, unmarked=True)

    @_planned
    def search(self, query, *, offset, limit, sort, exact_ids):
        query = self._prepared(query)
        everything = self.expression(query)
        if sort == "date" or not query.terms:
            total = self._count(everything, query, cap=COUNT_CAP)
            ids = self._ids(everything, query, offset=offset, limit=limit, total=total)
            return Page(ids, min(total, COUNT_CAP), dict.fromkeys(ids, "body"), total > COUNT_CAP)

        # Tier 1: the documents the query names by number (a handful at most), newest first,
        # kept to the filters.
        exact: list[tuple[int, int]] = []
        if exact_ids:
            entries = dict(
                SearchEntry.objects.filter(document_id__in=exact_ids).values_list(
                    "id", "document_id"
                )
            )
            if entries and query.filters == Filters():
                exact = sorted(entries.items(), reverse=True)
            elif entries:
                sql, params = self.matching(
                    self.expression(query, facets_only=True), query, only=list(entries)
                )
                rows = self._fetch(f"{sql} ORDER BY id DESC", params)
                exact = [(r[0], r[1]) for r in rows]
        exact_entry_ids = [e for e, _ in exact]
        titled = self.expression(query, title_only=True)
        rest = self.exclude(everything, titled)
        # Title matches are a subset of all matches: one plain count gives the total (the
        # named documents added once), up to the cap; the title tier's own size is counted
        # only if a page straddles its end.
        total = self._count(everything, query, cap=COUNT_CAP)
        number = tokens.normalise(query.document_number or "")
        if exact_entry_ids and not all(term.text in number for term in query.terms):
            # Usually every term is part of the number, so the named documents are among the
            # matches already; otherwise count those that are not.
            total += len(exact_entry_ids) - self._count(everything, query, only=exact_entry_ids)
        n_title = None

        tiers: dict[int, str] = {}
        ids = [d for _, d in exact[offset : offset + limit]]
        tiers |= dict.fromkeys(ids, "number")
        start = max(0, offset - len(exact))  # offset within the title tier
        want = limit - len(ids)
        if want:
            # The title tier is no larger than the total, and often far smaller: unless the
            # total is small, its size is unknown (and probed).
            chunk = self._ids(
                titled,
                query,
                offset=start,
                limit=want,
                not_in=exact_entry_ids,
                total=total if total <= SPARSE_MATCHES else None,
            )
            ids += chunk
            tiers |= dict.fromkeys(chunk, "title")
            if len(chunk) < want:  # the title tier ends on this page (or before it)
                if n_title is None:
                    n_title = (
                        start + len(chunk)
                        if chunk or not start
                        else self._count(titled, query, exact_entry_ids)
                    )
                # When the total is exact, the rest holds at most what the number and title
                # tiers leave of it: none (every match is a title match, common for a word of
                # titles; the named document and its title matches) needs no query, which
                # would otherwise walk every entry to find that out; a few are collected.
                # Over the cap, with the tiers before it small, the rest holds thousands at
                # least: as dense as "over the cap", so walked without a probe (on PostgreSQL
                # the probe of a common phrase's rest read its bigrams' whole lists again and
                # rechecked 2,001 matches: 140 ms at 1,000,000 entries; the walk, 20 ms).
                rest_size = None
                if total <= COUNT_CAP:
                    rest_size = total - n_title - len(exact)
                elif total - n_title - len(exact) >= COUNT_CAP // 2:
                    rest_size = total  # over the cap: dense
                chunk = (
                    self._ids(
                        rest,
                        query,
                        offset=max(0, start - n_title),
                        limit=want - len(chunk),
                        not_in=exact_entry_ids,
                        total=rest_size,
                    )
                    if rest_size is None or rest_size > 0
                    else []
                )
                ids += chunk
                tiers |= dict.fromkeys(chunk, "body")
        return Page(ids, min(total, COUNT_CAP), tiers, total > COUNT_CAP)

    @_planned
    def count(self, query, cap=None):
        query = self._prepared(query)
        return self._count(self.expression(query), query, cap=cap)

    @_planned
    def facets(self, query):
        query = self._prepared(query)
        rows = self.facet_rows(query, FACET_SAMPLE + 1)
        sampled = len(rows) > FACET_SAMPLE
        rows = rows[:FACET_SAMPLE] if sampled else rows
        return Facets(
            orgs=dict(Counter(r[0] for r in rows)),
            categories=dict(Counter(r[1] for r in rows if r[1] is not None)),
            doc_types=dict(Counter(r[2] for r in rows)),
            years=dict(Counter(r[3] for r in rows)),
            sampled=sampled,
        )

    def facet_rows(self, query: Query, limit: int) -> list[tuple]:
        """(org_id, category_id, doc_type, year) of the newest `limit` matches, newest first
        (the caller keeps the first FACET_SAMPLE)."""
        sql, params = self.matching(self.expression(query), query)
        return self._fetch(
            "SELECT org_id, category_id, doc_type, year FROM search_searchentry WHERE id IN "
            f"(SELECT id FROM ({sql}) m ORDER BY id DESC LIMIT %s) ORDER BY id DESC",
            [*params, limit],
        )

    @_planned
    def raw_match(self, query, limit, sort="date"):
        query = self._prepared(query)
        everything = self.expression(query)
        sql, params = self.matching(everything, query)
        count = self._fetch(self.capped_count_sql(sql), [*params, COUNT_CAP + 1])[0][0]
        sparse = count <= SPARSE_MATCHES
        if sort == "date" or not query.terms:
            page = self.page_sql(sql, sparse)
            return [r[1] for r in self._fetch(page, [*params, limit, 0])], min(count, COUNT_CAP)
        # Relevance: the title tier newest first, then the rest, each one plain query.
        titled = self.expression(query, title_only=True)
        ids = []
        for expression in (titled, self.exclude(everything, titled)):
            sql, params = self.matching(expression, query)
            page = self.page_sql(sql, sparse)
            ids += [r[1] for r in self._fetch(page, [*params, limit - len(ids), 0])]
            if len(ids) >= limit:
                break
        return ids, min(count, COUNT_CAP)

    @transaction.atomic
    def index(self, documents: Iterable[IndexedDocument]) -> int:
        documents = list(documents)
        if not documents:
            return 0
        existing = {
            ("", e.document_id): e
            for e in SearchEntry.objects.filter(
                document_id__in=[d.document_id for d in documents if not d.kind]
            )
        }
        for kind in {d.kind for d in documents if d.kind}:
            ids = [d.object_id for d in documents if d.kind == kind]
            for e in SearchEntry.objects.filter(kind=kind, object_id__in=ids):
                existing[(kind, e.object_id)] = e
        old, new = [], []
        for doc in documents:
            fields = {
                "org_id": doc.org_id,
                "category_id": doc.category_id,
                "doc_type": doc.doc_type,
                "validity": doc.validity,
                "year": doc.date_signed.year,
                "date_signed": doc.date_signed,
                "analysis": tokens.ANALYSIS,
            }
            entry = existing.get((doc.kind, doc.target_id))
            if entry is None:
                entry = SearchEntry(
                    document_id=doc.document_id, kind=doc.kind, object_id=doc.object_id, **fields
                )
                new.append((entry, doc))
            else:
                # Re-indexing keeps the entry, and with it the document's place in date order.
                for name, value in fields.items():
                    setattr(entry, name, value)
                old.append((entry, doc))
            self.prepare(entry, doc)
        if old:
            SearchEntry.objects.bulk_update(
                [e for e, _ in old], [*fields, *self.entry_fields], batch_size=500
            )
            self.delete_terms([e.id for e, _ in old])
            self.write(old, fresh=False)
        if new:
            SearchEntry.objects.bulk_create([e for e, _ in new], batch_size=2000)
            self.write(new, fresh=True)
        return len(documents)

    @transaction.atomic
    def remove(self, document_ids):
        entries = list(
            SearchEntry.objects.filter(document_id__in=list(document_ids)).values_list(
                "id", flat=True
            )
        )
        if entries:
            self.delete_terms(entries)
            SearchEntry.objects.filter(id__in=entries).delete()

    @transaction.atomic
    def remove_entries(self, kind, object_ids):
        entries = list(
            SearchEntry.objects.filter(kind=kind, object_id__in=list(object_ids)).values_list(
                "id", flat=True
            )
        )
        if entries:
            self.delete_terms(entries)
            SearchEntry.objects.filter(id__in=entries).delete()

    @transaction.atomic
    def clear(self):
        self.clear_terms()
        SearchEntry.objects.all().delete()
        _legacy.pop(connection.alias, None)

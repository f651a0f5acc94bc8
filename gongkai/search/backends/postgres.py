"""PostgreSQL: a tsvector column on the entries with a GIN index (created by migration 0001),
or a rum index where the extension is installed and an operator chose it (`use_index`).

Vectors and queries are written as tsvector/tsquery literals rather than through
to_tsvector()/to_tsquery(): the text is already analysed (tokens.py), and PostgreSQL's own
parser would drop Chinese characters in a database whose LC_CTYPE is C. Weights keep the fields
apart: A title, B document number, C body, D facet terms.
"""

import math
from collections import defaultdict
from contextlib import contextmanager

from django.db import DatabaseError, connection, transaction

from ..tokens import ALL, NOT_DOCUMENT, TITLE_MARK, Query, Term
from .database import SPARSE_MATCHES, DatabaseBackend, Probe

MATCH = "vector @@ %s::tsquery"  # an entry matches the query (the one parameter of `matching`)
MAX_POSITION = 16383  # PostgreSQL's limit; body words past it are not indexed
MAX_POSITIONS_PER_LEXEME = 255
GAP = 8  # keeps a phrase from running from one field into the next
# Counting a phrase (a term of three or more Chinese characters) rechecks each candidate entry
# (every term's lexemes present) against its vector, read out of line: about 11 µs each, so
# finding out that a common four-character word has over 10,000 matches took 200–300 ms at a
# million entries. The candidates themselves are counted from the index alone; when they are
# more than the cap, a spread sample of them says whether, surely, more than the cap match.
SAMPLE_CANDIDATES = 30_000  # candidates looked at first
MAX_CANDIDATES = 300_000  # and at most, when few of them match
SAMPLE_SIZE = 500  # of them rechecked, about
# How sure "more than the cap" must be: the lower bound of the Wilson score interval at 5
# standard deviations (a one-sided risk under 3 in 10 million for a random sample).
SAMPLE_Z = 5.0
# Title and number terms are stored a second time with tokens.TITLE_MARK in front (at the same
# position): a weighted query (`:AB`) would not do, GIN cannot tell weights apart, so PostgreSQL
# would recheck the vector of every document holding the bigrams anywhere.


def _phrase(tokens, weights: str) -> str:
    return " <-> ".join(f"'{t}':{weights}" if weights else f"'{t}'" for t in tokens)


def _title(term: Term, weights: str = "AB") -> str:
    return f"'{term.text}':*{weights}" if term.is_prefix else _phrase(term.grams, weights)


def _titled(term: Term, legacy: bool) -> str:
    """The term in the title or the number: the marked lexemes; entries written before the
    marks (`legacy`, analysis 1) only have the weighted ones."""
    if term.is_prefix:
        marked = f"'{TITLE_MARK}{term.text}':*"
    else:
        marked = " <-> ".join(f"'{TITLE_MARK}{g}'" for g in term.grams)
    return f"({marked}) | ({_title(term)})" if legacy else marked


def _anywhere(term: Term, legacy: bool) -> str:
    """The term in the title, the number or the body, without weights: a query with weights
    makes PostgreSQL recheck every candidate row against its vector, one without (a single
    lexeme) is answered by the GIN index alone. A Chinese term's bigrams are the same phrase in
    every field; other terms add their body phrase (words of Latin letters and digits)."""
    parts = [_title(term, "")]
    if not term.body_is_grams and not term.is_prefix:
        body = _phrase(term.body, "")
        parts.append(body + ":*" if term.body_prefix else body)
    if legacy and term.words not in (term.grams, term.body):
        parts.append(_phrase(term.words, ""))
    return parts[0] if len(parts) == 1 else "(" + " | ".join(f"({p})" for p in parts) + ")"


def lower_bound(hits: int, size: int, z: float = SAMPLE_Z) -> float:
    """The lower end of the Wilson score interval for a proportion of `hits` in `size`."""
    if size <= 0:
        return 0.0
    p = hits / size
    z2 = z * z
    centre = p + z2 / (2 * size)
    margin = z * math.sqrt(p * (1 - p) / size + z2 / (4 * size * size))
    return max(0.0, (centre - margin) / (1 + z2 / size))


def vector(title, number, body, facets) -> str:
    positions: dict[str, list[str]] = defaultdict(list)
    pos = 1
    for tokens, weight in ((title, "A"), (number, "B"), (body, "C")):
        for token in tokens:
            if pos > MAX_POSITION - len(facets) - 1:
                break
            for lexeme in (token, TITLE_MARK + token) if weight != "C" else (token,):
                found = positions[lexeme]
                if len(found) < MAX_POSITIONS_PER_LEXEME:
                    found.append(f"{pos}{weight}")
            pos += 1
        pos += GAP
    pos = min(pos, MAX_POSITION - len(facets))
    for token in facets:
        positions[token].append(f"{pos}D")
        pos += 1
    return " ".join(f"'{token}':{','.join(p)}" for token, p in positions.items())


class PostgresBackend(DatabaseBackend):
    entry_fields = ("vector",)
    planner_queries = 2  # SET and RESET enable_seqscan (see planner)

    def expression(self, query: Query, *, title_only=False, facets_only=False) -> str:
        parts = []
        if not facets_only:
            alternatives = [
                [
                    f"({_titled(term, query.legacy)})"
                    if title_only
                    else f"({_anywhere(term, query.legacy)})"
                    for term in group
                ]
                for group in query.alternatives
            ]
            if len(alternatives) == 1:
                parts += alternatives[0]
            elif alternatives:
                parts.append("(" + " | ".join(f"({' & '.join(g)})" for g in alternatives) + ")")
        f = query.filters
        # Facet terms start with a mark no text has: no weight needed (see `_anywhere`).
        if f.org_ids:
            parts.append("(" + " | ".join(f"'{t}'" for t in f.org_terms()) + ")")
        parts += [f"'{t}'" for t in f.facet_terms()]
        if not parts:
            return f"'{ALL}'"  # on documents only
        expression = " & ".join(parts)
        return expression if f.entry else f"({expression}) & !'{NOT_DOCUMENT}'"

    def facet_rows(self, query, limit):
        # The columns come with the matches: looked up again by id (`id IN (…)`), PostgreSQL
        # hashed the 10,001 ids and scanned the whole primary key to join them (470 ms of
        # 1,080 at 1,000,000 entries for 公开).
        sql, params = self.matching(
            self.expression(query), query, columns="id, org_id, category_id, doc_type, year"
        )
        return self._fetch(
            f"SELECT org_id, category_id, doc_type, year FROM ({sql}) m ORDER BY id DESC LIMIT %s",
            [*params, limit],
        )

    def exclude(self, expression, excluded):
        return f"({expression}) & !({excluded})"

    def matching(self, expression, query, only=(), columns=None):
        # `columns`: what to select instead of the id pair (the sampled count reads `vector`).
        date_sql, params = self.date_clause(query, "date_signed", lookup=False)
        excluded, more = self.exclude_clause(query, "document_id")
        date_sql, params = date_sql + excluded, [*params, *more]
        if only:
            date_sql += f" AND id IN ({','.join(['%s'] * len(only))})"
            params = [*params, *only]
        columns = columns or "id, COALESCE(document_id, object_id) AS document_id"
        return (
            f"SELECT {columns} FROM search_searchentry WHERE {MATCH}" + date_sql,
            [expression, *params],
        )

    @contextmanager
    def planner(self):
        # The planner costs `@@` as a cheap operator, but each entry's vector is stored out of
        # line (TOAST): a sequential scan fetches and unpacks every one it passes (80 ms to
        # count a common word's first 10,001 matches at 100,000 entries), where the index
        # answers without touching them (13 ms). It picks the scan whenever a word is common;
        # within a search, it may not.
        with connection.cursor() as cursor:
            cursor.execute("SET enable_seqscan = off")
        try:
            yield
        finally:
            try:
                with connection.cursor() as cursor:
                    cursor.execute("RESET enable_seqscan")
            except DatabaseError:
                pass  # the transaction failed: its rollback undoes the SET

    def _count(self, expression, query, not_in=(), only=(), cap=None):
        if cap is None or query.legacy or " <-> " not in expression or "!(" in expression:
            # Nothing to recheck (single lexemes and facets: the index answers), or a form
            # the relaxation below does not cover (weights of an old index, negated phrases).
            return super()._count(expression, query, not_in, only, cap)
        limit = SAMPLE_CANDIDATES
        while True:
            candidates, sampled, hits = self._sample(
                expression, query, not_in, only, cap=cap, limit=limit
            )
            if candidates <= cap:
                return hits  # every candidate was rechecked: the exact count
            if candidates * lower_bound(hits, sampled) > cap:
                return cap + 1
            # Not sure over the first `limit` candidates. If there are more, and the sample's
            # precision says that as many as hold twice the cap are within reach (a phrase
            # whose bigrams are common apart, 工作的通知: one candidate in five matches), look
            # at those; otherwise (few matches among many candidates) count exactly.
            wanted = math.ceil(2 * cap * sampled / hits) if hits else MAX_CANDIDATES + 1
            if candidates < limit or wanted <= limit or wanted > MAX_CANDIDATES:
                break
            limit = wanted
        return super()._count(expression, query, not_in, only, cap)

    def _sample(self, expression, query, not_in, only, *, cap, limit) -> tuple[int, int, int]:
        """(candidates among the first `limit`, how many of them were rechecked, how many of
        those match). All are rechecked when there are at most `cap` (so the last is the
        exact count); otherwise about SAMPLE_SIZE, spread evenly by id. One statement and one
        index scan: the candidates carry their vectors' TOAST pointers, read only for the
        rows rechecked."""
        # Each phrase's lexemes anywhere: a superset of the matches, answered by the index
        # without a recheck. Only phrases are relaxed, never a negation (checked by the caller).
        sql, params = self.matching(
            expression.replace(" <-> ", " & "), query, only=only, columns="id, vector"
        )
        if not_in:
            sql += f" AND id NOT IN ({','.join(['%s'] * len(not_in))})"
            params = [*params, *not_in]
        row = self._fetch(
            f"WITH c AS MATERIALIZED ({sql} LIMIT %s), "
            "n AS MATERIALIZED (SELECT n, CASE WHEN n <= %s THEN 1 ELSE GREATEST(1, n / %s) END "
            "AS k FROM (SELECT COUNT(*) AS n FROM c) x) "
            "SELECT n.n, COUNT(c.id) FILTER (WHERE c.id %% n.k = 0), "
            "COUNT(c.id) FILTER (WHERE c.id %% n.k = 0 AND c.vector @@ %s::tsquery) "
            "FROM n LEFT JOIN c ON TRUE GROUP BY n.n",
            [*params, limit, cap, SAMPLE_SIZE, expression],
        )[0]
        return row[0], row[1], row[2]

    def capped_count_sql(self, sql):
        # Under a plain LIMIT the planner expects the 10,001 rows early and picks a sequential
        # scan that unpacks every vector (365 ms for a word in 3,000 of 100,000 entries, 15 ms
        # through the GIN index). A MATERIALIZED CTE is planned for all its rows — the index
        # for a selective word, a scan for a common one — and still read only up to the LIMIT.
        return (
            f"WITH matched AS MATERIALIZED ({sql}) "
            "SELECT COUNT(*) FROM (SELECT 1 FROM matched LIMIT %s) c"
        )

    def page_sql(self, sql, sparse, *, dense=False):
        if dense:
            # Very many match (over the count's cap, or densely over what a probe collects):
            # walk the primary key backwards. The planner would not — it estimates a phrase of bigrams
            # to match a handful of entries, and collects and rechecks all 27,000 title matches
            # of 安全生产 at 1,000,000 entries to sort them (320 ms; the walk, 15 ms). `IS TRUE`
            # is the same test in a form no index answers, which leaves it the walk.
            if sql.count(MATCH) == 1:
                sql = sql.replace(MATCH, f"({MATCH}) IS TRUE")
            return super().page_sql(sql, sparse)
        if not sparse:
            return super().page_sql(sql, sparse)
        # Walking the primary key backwards for 20 matches is slow when they are rare (every
        # entry passed over is rechecked); with few matches in all, collect them through the
        # index and sort.
        return (
            f"WITH matched AS MATERIALIZED ({sql}) "
            "SELECT id, document_id FROM matched ORDER BY id DESC LIMIT %s OFFSET %s"
        )

    def probe(self, sql, params, *, limit, offset):
        # At most SPARSE_MATCHES + 1 matches collected through the index: all of them when the
        # tier is small (the title tier of a phrase of bodies, most often), and then sorted;
        # the walk along the primary key would recheck every entry it passes until 20 match.
        # If there are more, the span of their ids says how dense the tier is.
        rows = self._fetch(
            f"WITH matched AS MATERIALIZED ({sql} LIMIT %s) "
            "SELECT n, lo, hi, id, document_id FROM "
            "(SELECT COUNT(*) AS n, MIN(id) AS lo, MAX(id) AS hi FROM matched) c "
            "LEFT JOIN LATERAL (SELECT id, document_id FROM matched "
            "ORDER BY id DESC LIMIT %s OFFSET %s) m ON TRUE",
            [*params, SPARSE_MATCHES + 1, limit, offset],
        )
        n, lo, hi = rows[0][:3]
        if n > SPARSE_MATCHES:
            return Probe(spread=(hi - lo + 1) / n)
        return Probe(ids=[row[4] for row in rows if row[3] is not None])

    def prepare(self, entry, doc):
        entry.vector = vector(doc.title, doc.number, doc.body, doc.facets)

    def write(self, pairs, *, fresh):
        pass  # the vector travels with the entry row

    def delete_terms(self, entry_ids):
        pass  # removed with the entry row

    def clear_terms(self):
        pass

    def optimize(self):
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE search_searchentry")


# The index on `vector`: GIN (core PostgreSQL, the default) or rum (the `rum` extension, Debian's
# postgresql-NN-rum). The queries are the same for both; the planner uses whichever exists.
# rum keeps each word's positions in the index, so a phrase (every query of three or more
# Chinese characters is one) is answered without reading the rows' vectors; it costs about
# 3.5–4.3 times GIN's space and writes about six times slower (README § Full-text search).
INDEXES = {
    "gin": ("search_entry_vector_gin", "gin (vector)"),
    "rum": ("search_entry_vector_rum", "rum (vector rum_tsvector_ops)"),
}


def index_status(cursor) -> dict:
    """Which index methods cover `vector` now ({method: valid}) and whether rum can be used."""
    cursor.execute(
        "SELECT am.amname, x.indisvalid FROM pg_index x "
        "JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_am am ON am.oid = i.relam "
        "WHERE x.indrelid = 'search_searchentry'::regclass AND am.amname IN ('gin', 'rum')"
    )
    present = dict(cursor.fetchall())
    cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'rum'")
    return {"indexes": present, "rum_available": cursor.fetchone() is not None}


def use_index(method: str, *, log=lambda message: None) -> None:
    """Build `method`'s index on `vector` beside the other, then drop the other. Both steps are
    CONCURRENTLY: searches and publications go on throughout, and there is always a usable
    index. Must run outside a transaction. Raises RuntimeError (English) if rum is missing."""
    name, using = INDEXES[method]
    with connection.cursor() as cursor:
        if method == "rum":
            if not index_status(cursor)["rum_available"]:
                raise RuntimeError("the rum extension is not installed on the database server")
            try:
                with transaction.atomic():
                    cursor.execute("CREATE EXTENSION IF NOT EXISTS rum")
            except DatabaseError as exc:  # rum is not a trusted extension: a superuser's step
                raise RuntimeError(f"could not create the rum extension: {exc}") from exc
        cursor.execute(
            "SELECT x.indisvalid FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
            "WHERE i.relname = %s",
            [name],
        )
        row = cursor.fetchone()
        if row is not None and not row[0]:
            # Left by an interrupted build: invalid, never used, but still written to.
            log(f"dropping the invalid index {name} of an interrupted build")
            cursor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")
            row = None
        if row is None:
            log(f"building {name} (USING {using})")
            cursor.execute(f"CREATE INDEX CONCURRENTLY {name} ON search_searchentry USING {using}")
        for other, (other_name, _) in INDEXES.items():
            if other != method:
                cursor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {other_name}")
        cursor.execute("ANALYZE search_searchentry")

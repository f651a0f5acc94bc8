"""SQLite FTS5: an FTS5 table beside the entries, rowid = entry id (created by migration 0001)."""

from django.db import connection

from ..tokens import ALL, NOT_DOCUMENT, TITLE_MARK, Query, Term
from .database import DatabaseBackend

TITLE = "{title number}"
# As created by migration 0001 (which keeps its own copy, as migrations do).
CREATE_TABLE = (
    "CREATE VIRTUAL TABLE search_fts USING fts5("
    "title, number, body, facets, doc UNINDEXED, "
    "tokenize = 'unicode61 remove_diacritics 0')"
)


def _phrase(tokens) -> str:
    # Index terms are letters and digits only (tokens.normalise), so quoting is enough.
    return '"' + " ".join(tokens) + '"'


def _grams(term: Term) -> str:
    return f'"{term.text}"*' if term.is_prefix else _phrase(term.grams)


def _title(term: Term, unmarked: bool) -> str:
    """The term in the title or the number: a phrase of its marked terms (in the facets column,
    see `write`); entries written before the marks (`unmarked`) only have the column's own."""
    if term.is_prefix:
        marked = f'"{TITLE_MARK}{term.text}"*'
    else:
        marked = _phrase([TITLE_MARK + g for g in term.grams])
    return f"({marked} OR {TITLE} : {_grams(term)})" if unmarked else marked


def marked_title(title: list[str], number: list[str]) -> str:
    """The marked copy of the title and number terms, after the facet terms: each run follows a
    lone mark, so no phrase runs from the facets into the title or from it into the number."""
    return " ".join(TITLE_MARK + t for part in (title, number) for t in ("", *part) if part)


def _anywhere(term: Term, legacy: bool) -> str:
    """The term in the title, the number or the body.

    No column filter: one walk over each term's list, twice as fast as two column-filtered
    walks. A Chinese term's bigrams are the same phrase in every field; other terms add their
    body phrase (words of Latin letters and digits), found in a title only where the title
    holds the same characters in a row."""
    parts = [_grams(term)]
    if not term.body_is_grams and not term.is_prefix:
        parts.append(_phrase(term.body) + ("*" if term.body_prefix else ""))
    if legacy and term.words not in (term.grams, term.body):
        parts.append(_phrase(term.words))
    return parts[0] if len(parts) == 1 else "(" + " OR ".join(parts) + ")"


class SqliteBackend(DatabaseBackend):
    def expression(self, query: Query, *, title_only=False, facets_only=False) -> str:
        parts = []
        if not facets_only:
            alternatives = [
                [
                    _title(term, query.unmarked) if title_only else _anywhere(term, query.legacy)
                    for term in group
                ]
                for group in query.alternatives
            ]
            if len(alternatives) == 1:
                parts += alternatives[0]
            elif alternatives:
                parts.append("(" + " OR ".join(f"({' AND '.join(g)})" for g in alternatives) + ")")
        f = query.filters
        if f.org_ids:
            parts.append("(" + " OR ".join(_phrase([t]) for t in f.org_terms()) + ")")
        parts += [_phrase([t]) for t in f.facet_terms()]
        if not parts:
            return _phrase([ALL])  # on documents only
        expression = " AND ".join(parts)
        return expression if f.entry else f"({expression}) NOT {_phrase([NOT_DOCUMENT])}"

    def exclude(self, expression, excluded):
        return f"({expression}) NOT ({excluded})"

    def matching(self, expression, query, only=()):
        date_sql, params = self.date_clause(query, "rowid", lookup=True)
        excluded, more = self.exclude_clause(query, "doc")
        date_sql, params = date_sql + excluded, [*params, *more]
        select = "SELECT rowid AS id, doc AS document_id FROM search_fts WHERE search_fts MATCH %s"
        if only:
            # FTS5 seeks a single rowid in each term's list but scans the match for "IN (…)":
            # one seek per candidate.
            return (
                " UNION ALL ".join(f"{select}{date_sql} AND rowid = %s" for _ in only),
                [p for rowid in only for p in (expression, *params, rowid)],
            )
        return select + date_sql, [expression, *params]

    def page_sql(self, sql, sparse, *, dense=False):
        # FTS5 walks a doclist newest first by reading it backwards, which for a phrase of
        # common terms (a document number's digits) costs twice the forward walk: with few
        # matches in all, walk forwards and sort them (`+id` keeps the order from FTS5).
        if not sparse:
            return super().page_sql(sql, sparse, dense=dense)
        return f"{sql} ORDER BY +id DESC LIMIT %s OFFSET %s"

    def write(self, pairs, *, fresh):
        rows = [
            (
                entry.id,
                " ".join(doc.title),
                " ".join(doc.number),
                " ".join(doc.body),
                " ".join([*doc.facets, marked_title(doc.title, doc.number)]),
                doc.target_id,
            )
            for entry, doc in pairs
        ]
        with connection.cursor() as cursor:
            # OR REPLACE: a row left behind under this rowid (an entry deleted by a cascade or a
            # flush, which do not reach the virtual table) is stale; the new entry is the truth.
            cursor.executemany(
                "INSERT OR REPLACE INTO search_fts (rowid, title, number, body, facets, doc) "
                "VALUES (%s, %s, %s, %s, %s, %s)",
                rows,
            )

    def delete_terms(self, entry_ids):
        with connection.cursor() as cursor:
            for start in range(0, len(entry_ids), 500):
                chunk = entry_ids[start : start + 500]
                cursor.execute(
                    f"DELETE FROM search_fts WHERE rowid IN ({','.join(['%s'] * len(chunk))})",
                    chunk,
                )

    def clear_terms(self):
        # Deleting a million rows one by one would tokenise each again to write its deletion
        # and leave the index twice its size until merged; a new table starts clean.
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE search_fts")
            cursor.execute(CREATE_TABLE)

    def optimize(self):
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO search_fts (search_fts) VALUES ('optimize')")

"""How text becomes index terms, and a query becomes term sequences; shared by every backend.

Two analyses, chosen by measuring recall (README § Search):

- **Titles and document numbers → overlapping character bigrams.** A query's bigrams then form a
  phrase that occurs in the title exactly when the query is a substring of it, so *every*
  substring of two or more characters finds its document. Word segmentation cannot promise
  that: "知关" inside "通知关于" is no word of any dictionary.
- **Bodies and attachment text → rjieba's search-mode segmentation** (`cut_for_search`: each
  word and the dictionary words inside it), matched as a phrase of the query's own
  segmentation. Bigrams would cost an index term per character of every body.

Before either, text is NFKC-normalised (full-width letters and digits become ASCII), lowercased,
and reduced to letters and digits: punctuation and spacing never decide whether a document
matches, so 郑政办〔2020〕43号 and 郑政办[2020]43号 analyse alike.

A query's whitespace-separated words must all match; "OR" (or "|") between them makes
alternatives: `教育 经费 OR 补贴` finds documents with both 教育 and 经费, or with 补贴.
"""

import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

import rjieba

# Index terms are plain letters and digits, so no engine's tokenizer or query syntax ever sees
# an operator or a quote in them.
MAX_BODY_CHARS = 200_000
# rjieba returns a run of letters and digits (a hash, a base64 blob) as one word; nobody searches
# for those, and PostgreSQL refuses lexemes over 2 KB and vectors over 1 MB.
MAX_WORD_CHARS = 20


def _keep(char: str) -> bool:
    return unicodedata.category(char)[0] in "LN"


def normalise(text: str) -> str:
    """Letters and digits only, NFKC, lower case: the form both analyses start from."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    return "".join(c for c in text if _keep(c))


def bigrams(text: str) -> list[str]:
    """Overlapping character bigrams of the normalised text; a single character stays whole."""
    chars = normalise(text)
    if len(chars) < 2:
        return [chars] if chars else []
    return [chars[i : i + 2] for i in range(len(chars) - 1)]


def title_terms(text: str) -> list[str]:
    """Bigrams, then the last character alone: a one-character query matches a title by a term
    starting with it, and the last character starts no bigram."""
    grams = bigrams(text)
    if len(grams) > 1 or (grams and len(grams[0]) == 2):
        grams.append(grams[-1][-1])
    return grams


def words(text: str) -> list[str]:
    """Search-mode segmentation of the normalised text (in order, sub-words first)."""
    text = unicodedata.normalize("NFKC", (text or "")[:MAX_BODY_CHARS]).lower()
    return [
        w
        for w in rjieba.cut_for_search(text)
        if w and len(w) <= MAX_WORD_CHARS and all(_keep(c) for c in w)
    ]


@lru_cache(maxsize=4096)
def _query_words(term: str) -> tuple[str, ...]:
    return tuple(words(term))


@dataclass(frozen=True)
class Term:
    """One whitespace-separated part of a query, analysed both ways."""

    text: str  # normalised
    grams: tuple[str, ...]  # title/number phrase; one character means "a bigram starting with it"
    words: tuple[str, ...]  # body phrase

    @property
    def is_prefix(self) -> bool:
        return len(self.text) == 1


@dataclass(frozen=True)
class Filters:
    """Restrictions every backend applies; each maps to a facet term of the entry."""

    org_ids: tuple[int, ...] = ()  # any of these organisations, with their sub-units
    category_id: int | None = None  # with its sub-categories
    column_id: int | None = None
    doc_type: str | None = None
    validity: str | None = None  # a Document.Validity value, or CURRENT (valid or amended)
    year: int | None = None  # of date_signed
    date_from: object = None  # datetime.date, on date_signed
    date_to: object = None
    kinds: tuple[str, ...] = ()  # KINDS: normative documents, gazette contents, interpretations
    # Documents left out whatever else matches (a few at most: normative documents whose
    # validity in the index lags their dates until the daily command runs).
    exclude_ids: tuple[int, ...] = ()
    # The kind of entry searched: "" for published documents, else an entry kind an app
    # registered (`search.services.register_source`), e.g. "qa" for published Q&A.
    entry: str = ""

    def facet_terms(self) -> list[str]:
        terms = [facet("k", kind) for kind in self.kinds]
        if self.category_id:
            terms.append(facet("cat", self.category_id))
        if self.column_id:
            terms.append(facet("col", self.column_id))
        if self.doc_type:
            terms.append(facet("type", self.doc_type))
        if self.validity:
            terms.append(facet("v", self.validity))
        if self.year:
            terms.append(facet("y", self.year))
        if self.entry:
            terms.append(facet("e", self.entry))
        return terms

    def org_terms(self) -> list[str]:
        return [facet("org", pk) for pk in self.org_ids]


# Facet terms (organisation, category, year …) share the index with the words. They start with
# a private-use character, which tokenizers keep inside a token but `normalise` removes from
# every query: no query can ever match a facet term, so queries need no column restriction.
FACET_MARK = "\ue000"
ALL = FACET_MARK + "all"  # on every document's entry: "no filter"
# On every entry that is not a document (a published Q&A …): document searches leave out what
# carries it. Its list is short (the other entries only), so the exclusion costs little.
NOT_DOCUMENT = FACET_MARK + "notdoc"


# What else a document is, beyond its type: each is a facet term on the entry.
KINDS = ("normative", "gazette", "interpretation")
# The validity filter "currently valid": in force, amended or not (RULES §5).
CURRENT = "current"
IN_FORCE = ("valid", "amended")


def facet(prefix: str, value) -> str:
    # Choice values contain "_", which tokenizers split on; letters and digits only.
    return FACET_MARK + prefix + normalise(str(value))


@dataclass(frozen=True)
class Query:
    """What to look for: every term of at least one group (`教育 补贴 OR 资助` is two groups)."""

    terms: tuple[Term, ...]  # of all groups, each once (highlighting, emptiness)
    document_number: str | None = None  # canonical 〔〕 form when the query reads as one
    filters: Filters = field(default_factory=Filters)
    groups: tuple[tuple[Term, ...], ...] = ()  # alternatives; empty: one group of all `terms`

    @property
    def is_empty(self) -> bool:
        return not self.terms

    @property
    def alternatives(self) -> tuple[tuple[Term, ...], ...]:
        """The groups of terms a document must match one of (each: all its terms)."""
        return self.groups or ((self.terms,) if self.terms else ())


# Words that join alternatives: "OR" (any case, as on every search engine) and a vertical bar.
OR_WORDS = frozenset({"or", "|", "｜"})
MAX_TERMS = 10


def _split_or(text: str) -> list[list[str]]:
    """Whitespace-separated parts, in groups separated by OR (a bar may touch its words)."""
    groups: list[list[str]] = [[]]
    for part in text.replace("｜", " | ").replace("|", " | ").split():
        if part.lower() in OR_WORDS:
            groups.append([])
        else:
            groups[-1].append(part)
    return [g for g in groups if g]


def parse(text: str, filters: Filters | None = None) -> Query:
    """Split a user's query into terms, and into alternatives at OR; recognise a document
    number in any common spelling."""
    from gongkai.documents.numbers import parse_document_number

    text = (text or "").strip()[:200]
    number = None
    parsed = parse_document_number(text)
    if parsed:
        code, year, serial = parsed
        number = f"{code}〔{year}〕{serial}号"
    made: dict[str, Term] = {}
    groups: list[tuple[Term, ...]] = []
    singles = 0
    for parts in _split_or(text):
        group: list[Term] = []
        for part in parts:
            norm = normalise(part)
            if not norm or any(t.text == norm for t in group):
                continue
            if norm not in made:
                if len(made) >= MAX_TERMS:
                    continue
                if len(norm) == 1:
                    # Each one-character term is a prefix scan of the index: a few at most.
                    singles += 1
                    if singles > 3:
                        continue
                grams = (norm,) if len(norm) == 1 else tuple(bigrams(norm))
                made[norm] = Term(text=norm, grams=grams, words=_query_words(norm) or (norm,))
            group.append(made[norm])
        if group and tuple(group) not in groups:
            groups.append(tuple(group))
    terms = tuple(made.values())
    return Query(
        terms=terms,
        document_number=number,
        filters=filters or Filters(),
        groups=tuple(groups) if len(groups) > 1 else (),
    )

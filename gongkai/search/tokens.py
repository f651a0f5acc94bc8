"""How text becomes index terms, and a query becomes term sequences; shared by every backend.

One analysis for all text, chosen by measuring recall and cost (README § Full-text search):

- **Chinese (and other uncased scripts) → overlapping character bigrams.** A query's bigrams
  form a phrase that occurs in the text exactly when the query is a substring of it, so *every*
  substring of two or more characters finds its document, title or body. Word segmentation
  cannot promise that: "知关" inside "通知关于", "作取得" inside "工作取得" are no words of any
  dictionary. In titles and document numbers the whole normalised text is bigrams (letters and
  digits too); in bodies a run of Chinese text continues across punctuation and ends at a run of
  Latin letters or digits, which stays one word ("2026", "pdf"). Each Chinese run of a body
  also ends with its last character alone, so a query that mixes scripts ("第3号", "2026年度")
  is a phrase of runs: the Chinese part next to a word must end (or begin) the run there.
- **Indexes written before bigram bodies** (`SearchEntry.analysis` 1) hold rjieba's search-mode
  words in bodies; while any such entry remains, queries also match the query's own
  segmentation as a phrase (`Query.legacy`), so an old index keeps working until `gongkai
  reindex` rewrites it.

Before either, text is NFKC-normalised (full-width letters and digits become ASCII), lowercased,
and reduced to letters and digits: punctuation and spacing never decide whether a document
matches, so 郑政办〔2020〕43号 and 郑政办[2020]43号 analyse alike.

A query's whitespace-separated words must all match; "OR" (or "|") between them makes
alternatives: `教育 经费 OR 补贴` finds documents with both 教育 and 经费, or with 补贴.
"""

import re
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
# The analysis entries are written with (SearchEntry.analysis): 1 = rjieba words in bodies,
# 2 = bigram bodies, 3 = titles and numbers also as marked terms (TITLE_MARK) in SQLite's index
# (PostgreSQL's vectors had them from 2 on).
ANALYSIS = 3
LEGACY_ANALYSIS = 1
UNMARKED_ANALYSIS = 2
# Each title and number term is stored a second time with this mark in front, so "every term in
# the title" is a lookup of its own short lists rather than a filter on where every occurrence of
# the term is (a weighted tsquery, an FTS5 column filter: 40–600 ms for a phrase common in
# bodies). A private-use character, removed from every query by `normalise`.
TITLE_MARK = "\ue001"

# Scripts written without spaces between words: Han (with its extensions and compatibility
# forms), kana, Hangul, Bopomofo. Their runs are indexed as bigrams.
_CJK = (
    "\u3005-\u3007\u3021-\u3029\u3040-\u30ff\u3100-\u318f\u31a0-\u31ff\u3400-\u4dbf"
    "\u4e00-\u9fff\ua960-\ua97f\uac00-\ud7ff\uf900-\ufaff\U00020000-\U0003134f"
)
# A Chinese run, or a run of other letters and digits; anything else (punctuation, spaces,
# the symbols among those blocks) separates. Applied to NFKC-lowercased text.
_RUN = re.compile(f"((?:(?=[{_CJK}])[^\\W_])+)|((?:(?![{_CJK}])[^\\W_])+)")


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


def _runs(text: str) -> list[tuple[bool, str]]:
    """(is Chinese, run) in order; Chinese runs separated only by punctuation are one run."""
    runs: list[tuple[bool, str]] = []
    for m in _RUN.finditer(text):
        cjk, other = m.groups()
        if cjk and runs and runs[-1][0]:
            runs[-1] = (True, runs[-1][1] + cjk)
        else:
            runs.append((True, cjk) if cjk else (False, other))
    return runs


def body_terms(text: str) -> list[str]:
    """Index terms of a body: each Chinese run as bigrams then its last character alone, each
    run of other letters and digits as one word (dropped beyond MAX_WORD_CHARS)."""
    text = unicodedata.normalize("NFKC", (text or "")[:MAX_BODY_CHARS]).lower()
    out: list[str] = []
    for cjk, run in _runs(text):
        if not cjk:
            if len(run) <= MAX_WORD_CHARS:
                out.append(run)
        elif len(run) == 1:
            out.append(run)
        else:
            out.extend(run[i : i + 2] for i in range(len(run) - 1))
            out.append(run[-1])
    return out


def body_phrase(text: str) -> tuple[tuple[str, ...], bool]:
    """The phrase a query term is in a body (see `body_terms`), and whether its last token is a
    prefix (a single Chinese character after a word: "2026年" → 2026 年*).

    `text` is the term as typed: punctuation separates runs of letters and digits exactly as it
    does in bodies, so 郑政办〔2020〕43号 is the phrase 郑政 政办 办 2020 43 号* that a body citing
    it holds (without the brackets, 202043 would be one word no body has). A pure Chinese term is
    its bigrams (a substring of a run anywhere); a Chinese part before a word ends with its last
    character alone, as the body's run does just before that word."""
    runs = _runs(unicodedata.normalize("NFKC", text).lower())
    toks: list[str] = []
    prefix = False
    for i, (cjk, run) in enumerate(runs):
        last = i == len(runs) - 1
        if not cjk:
            toks.append(run)
        elif len(run) == 1:
            toks.append(run)
            prefix = last and i > 0
        else:
            toks.extend(run[j : j + 2] for j in range(len(run) - 1))
            if not last:
                toks.append(run[-1])
    return tuple(toks), prefix


def words(text: str) -> list[str]:
    """rjieba's search-mode segmentation (in order, sub-words first): words for similarity
    measures, and the body terms of analysis 1, which queries still match while such entries
    remain. Index bodies with `body_terms`."""
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
    words: tuple[str, ...]  # body phrase in an index of analysis 1 (rjieba words)
    body: tuple[str, ...] = ()  # body phrase (bigrams of Chinese runs, words of the others)
    body_prefix: bool = False  # the body phrase's last token is a prefix

    @property
    def is_prefix(self) -> bool:
        return len(self.text) == 1

    @property
    def body_is_grams(self) -> bool:
        """Whether the body phrase is the title phrase (a Chinese term, or a two-letter word):
        then one phrase, unrestricted by field, finds the term anywhere."""
        return self.body == self.grams and not self.body_prefix


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
    # Some entries still hold rjieba words in bodies (an index from before bigram bodies, not yet
    # rebuilt): match the words phrase too. Set by the backend, which knows its index.
    legacy: bool = False
    # Some entries have no marked title terms (analysis below 3): SQLite's title tier also looks
    # for the plain phrase in the title and number columns. Set by the backend.
    unmarked: bool = False

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
                body, body_prefix = body_phrase(part)
                made[norm] = Term(
                    text=norm,
                    grams=grams,
                    words=_query_words(norm) or (norm,),
                    body=body if len(norm) > 1 else grams,
                    body_prefix=body_prefix,
                )
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

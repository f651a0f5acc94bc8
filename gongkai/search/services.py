"""Keeping the index in step with publication.

The documents app announces what changed (`documents.signals`); the receivers here, connected
in `SearchConfig.ready()`, index or unindex inside the transaction that publishes, changes or
withdraws a document: with the database backends the index change commits or rolls back with
it. `reindex` rebuilds everything (`gongkai reindex`).

Apps above search mark documents as kinds of entry (the normative register) with
`register_kind`, and add entries that are not documents (the published Q&A of the knowledge
base) with `register_source` and `entries_indexed`, so that search does not import them.
"""

import html
import logging
import re
from collections.abc import Callable, Iterable

from django.conf import settings
from django.db import connection, transaction
from django.utils.translation import gettext as _

from gongkai.core.exceptions import ApplicationError
from gongkai.documents.models import Attachment, Document
from gongkai.documents.workflow import Status
from gongkai.orgs.models import Org

from . import tokens
from .backends import IndexedDocument, get_backend

logger = logging.getLogger(__name__)

_TAG = re.compile(r"<[^>]+>")


def plain_text(markup: str) -> str:
    """The words of a (sanitised) rich-text body, without markup."""
    return html.unescape(_TAG.sub(" ", markup or ""))


def _category_terms(category_id, parents: dict[int, int | None]) -> list[str]:
    terms, seen = [], set()
    while category_id and category_id not in seen:
        seen.add(category_id)
        terms.append(tokens.facet("cat", category_id))
        category_id = parents.get(category_id)
    return terms


def build(
    document: Document,
    *,
    org_paths: dict[int, str],
    category_parents: dict[int, int | None],
    column_ids: Iterable[int],
    attachment_text: str,
    kinds: Iterable[str] = (),
) -> IndexedDocument:
    path = org_paths[document.org_id]
    facets = [
        tokens.ALL,
        *(tokens.facet("org", pk) for pk in path.strip("/").split("/") if pk),
        *_category_terms(document.category_id, category_parents),
        *(tokens.facet("col", pk) for pk in column_ids),
        tokens.facet("type", document.doc_type),
        tokens.facet("v", document.validity),
        tokens.facet("y", document.date_signed.year),
        *(tokens.facet("k", kind) for kind in kinds),
    ]
    if document.validity in tokens.IN_FORCE:
        facets.append(tokens.facet("v", tokens.CURRENT))
    body = "\n".join(t for t in (document.summary, plain_text(document.body), attachment_text) if t)
    return IndexedDocument(
        document_id=document.pk,
        title=tokens.title_terms(document.title),
        number=tokens.title_terms(document.document_number),
        body=tokens.body_terms(body),
        facets=facets,
        org_id=document.org_id,
        category_id=document.category_id,
        doc_type=document.doc_type,
        validity=document.validity,
        date_signed=document.date_signed,
    )


def build_many(documents: list[Document]) -> list[IndexedDocument]:
    from gongkai.documents.models import Category

    ids = [d.pk for d in documents]
    org_paths = dict(
        Org.objects.filter(pk__in={d.org_id for d in documents}).values_list("pk", "path")
    )
    parents = dict(Category.objects.values_list("pk", "parent_id"))
    columns: dict[int, list[int]] = {}
    for doc_id, column_id in Document.columns.through.objects.filter(
        document_id__in=ids
    ).values_list("document_id", "column_id"):
        columns.setdefault(doc_id, []).append(column_id)
    texts: dict[int, list[str]] = {}
    for doc_id, text in Attachment.objects.filter(document_id__in=ids).values_list(
        "document_id", "extracted_text"
    ):
        if text:
            texts.setdefault(doc_id, []).append(text)
    kinds = _kinds(ids)
    return [
        build(
            d,
            org_paths=org_paths,
            category_parents=parents,
            column_ids=columns.get(d.pk, ()),
            attachment_text="\n".join(texts.get(d.pk, ())),
            kinds=kinds.get(d.pk, ()),
        )
        for d in documents
    ]


# kind → function(document ids) → the ids among them that are of that kind.
KINDS: dict[str, Callable[[list[int]], Iterable[int]]] = {}


def register_kind(name: str, members: Callable[[list[int]], Iterable[int]]) -> None:
    """Let an app mark documents as a kind of entry (facet `k:<name>`), e.g. "normative".

    `members(ids)` returns which of the ids are of the kind; it is called once per batch."""
    KINDS[name] = members


def _gazette(ids: list[int]) -> Iterable[int]:
    from gongkai.documents.models import GazetteEntry

    return GazetteEntry.objects.filter(
        document_id__in=ids, issue__published_at__isnull=False
    ).values_list("document_id", flat=True)


def _interpretation(ids: list[int]) -> Iterable[int]:
    from gongkai.documents.models import Interpretation

    return Interpretation.objects.filter(document_id__in=ids).values_list("document_id", flat=True)


register_kind("gazette", _gazette)
register_kind("interpretation", _interpretation)


def _kinds(ids: list[int]) -> dict[int, list[str]]:
    """Which kinds of entry (normative, gazette, interpretation, ...) these documents are."""
    kinds: dict[int, list[str]] = {}
    for kind, members in sorted(KINDS.items()):
        for doc_id in set(members(ids)):
            kinds.setdefault(doc_id, []).append(kind)
    return kinds


def document_indexed(document: Document) -> None:
    """Index a published document, or drop it from the index when it is no longer published."""
    if document.status != Status.PUBLISHED:
        document_unindexed(document)
        return
    get_backend().index(build_many([document]))


def document_unindexed(document: Document) -> None:
    get_backend().remove([document.pk])


def documents_reindexed(documents) -> int:
    """Re-index these documents (a queryset) in batches: after an organisation or a category
    moved, their facet terms name other ancestors."""
    backend = get_backend()
    done = 0
    batch: list[Document] = []
    for document in documents.filter(status=Status.PUBLISHED).order_by("pk").iterator(2000):
        batch.append(document)
        if len(batch) == 2000:
            done += backend.index(build_many(batch))
            batch = []
    if batch:
        done += backend.index(build_many(batch))
    return done


# Entries that are not documents: kind → rebuild(org path prefix or None) → entries written.
SOURCES: dict[str, Callable[[str | None], int]] = {}


def register_source(kind: str, rebuild: Callable[[str | None], int]) -> None:
    """Let an app keep entries of its own kind in the index (e.g. "qa", the published Q&A).

    The app writes them with `entries_indexed` / `entries_unindexed` inside its own
    transactions; `rebuild(prefix)` writes them all again (after `reindex`, which clears the
    index, or for the organisations under `prefix` after one moved) and returns how many."""
    SOURCES[kind] = rebuild


def entries_indexed(entries: list[IndexedDocument]) -> int:
    """Add or replace entries of a registered kind (each with `kind` and `object_id`)."""
    for entry in entries:
        if not entry.kind or entry.object_id is None or entry.document_id is not None:
            raise ValueError("entries_indexed takes entries of a registered kind, not documents")
        if tokens.NOT_DOCUMENT not in entry.facets:
            entry.facets.append(tokens.NOT_DOCUMENT)
        kind_term = tokens.facet("e", entry.kind)
        if kind_term not in entry.facets:
            entry.facets.append(kind_term)
    return get_backend().index(entries)


def entries_unindexed(kind: str, object_ids: Iterable[int]) -> None:
    get_backend().remove_entries(kind, list(object_ids))


def on_org_moved(sender, *, org, **kwargs) -> None:
    documents_reindexed(Document.objects.filter(org__path__startswith=org.path))
    for rebuild in SOURCES.values():
        rebuild(org.path)


def on_document_changed(sender, *, document, **kwargs) -> None:
    document_indexed(document)


def on_documents_changed(sender, *, documents, **kwargs) -> None:
    if isinstance(documents, list):  # a batch just loaded, in memory
        get_backend().index(build_many([d for d in documents if d.status == Status.PUBLISHED]))
    else:
        documents_reindexed(documents)


def on_documents_loaded(sender, **kwargs) -> None:
    get_backend().optimize()


def reindex(*, batch_size: int = 1000, progress: Callable[[int, int], None] | None = None) -> int:
    """Rebuild the whole index from the published documents, in publication order."""
    backend = get_backend()
    published = Document.objects.filter(status=Status.PUBLISHED)
    total = published.count()
    done = 0
    with transaction.atomic():
        backend.clear()
        last = (None, 0)
        while True:
            # Keyset pagination over (published_at, pk): constant cost per batch at any depth.
            qs = published.order_by("published_at", "pk")
            if last[0] is not None:
                qs = qs.filter(published_at__gte=last[0]).exclude(
                    published_at=last[0], pk__lte=last[1]
                )
            batch = list(qs[:batch_size])
            if not batch:
                break
            backend.index(build_many(batch))
            done += len(batch)
            last = (batch[-1].published_at, batch[-1].pk)
            if progress:
                progress(done, total)
        for rebuild in SOURCES.values():
            rebuild(None)
        backend.optimize()
    return done


def search_index_use(method: str | None = None, *, log=lambda message: None) -> str:
    """PostgreSQL: make `method` ("gin" or "rum"; default GONGKAI_SEARCH_INDEX) the index of
    the entries' vectors, built beside the old one without blocking searches or publication
    (`gongkai search_index`). Returns the method now in use."""
    from .backends import postgres

    method = method or settings.GONGKAI_SEARCH_INDEX
    if method not in postgres.INDEXES:
        raise ApplicationError(
            _("索引类型只能是 gin 或 rum。"), code="search_index_unknown", extra={"method": method}
        )
    if connection.vendor != "postgresql":
        raise ApplicationError(
            _("只有 PostgreSQL 数据库可以选择全文索引类型；SQLite 使用 FTS5。"),
            code="search_index_not_postgres",
        )
    if connection.in_atomic_block:
        raise ApplicationError(_("更换索引不能在事务中进行。"), code="search_index_in_transaction")
    try:
        postgres.use_index(method, log=log)
    except RuntimeError as exc:
        logger.warning("search index %s not built: %s", method, exc)
        raise ApplicationError(
            _(
                "无法启用 rum 扩展：数据库服务器须安装它（Debian：apt-get install "
                "postgresql-15-rum，版本号与服务器一致），并由超级用户在本数据库执行 "
                "CREATE EXTENSION rum。检索继续使用 GIN 索引。"
            ),
            code="search_index_rum_missing",
        ) from exc
    logger.info("search index is now %s", method)
    return method

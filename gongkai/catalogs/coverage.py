"""Coverage of the standard disclosure catalogs: for each organisation and each item of its
approved catalogs, the latest published information that fulfils the item, and whether it is
within the item's time limit (issue 18 "Coverage").

An item is mapped to where its information lives in gongkai: a category (with its
sub-categories), a column, a document type and/or a keyword query. Every field that is set must
match: "category 义务教育 and type 公告" means announcements in that category. The statuses:

- covered: something fulfils the item and it is within the item's time limit;
- stale: something fulfils the item but the time limit has run out since (periodic items and
  yearly deadlines; see `timelimits.Rule.evaluate` for the others);
- empty: mapped, but nothing published fulfils it (or a yearly deadline passed with nothing);
- unmapped: no mapping yet, so gongkai cannot tell.

The coverage rate of an organisation is covered / mapped items (unmapped items are not in the
denominator: they are a to-do of the office, shown by their own count, not a failure of
publication). None when nothing is mapped.

Whose documents count: the catalog's organisation and the units under it that publish in its
name — its departments, internal units and public bodies — but not the governments below it
(a district's township has its own catalogs). A district's catalog for 义务教育 is fulfilled by
its education bureau's documents, as the catalogs' 公开主体 column says.

Cost: the category / column / type mappings of any number of organisations are answered by two
grouped aggregate queries (latest `published_at` per organisation, category and type; and per
column), plus one query fetching the winning documents. Keyword mappings cost one search per
distinct query for the whole set of organisations (and, only when a search's results were cut
off, one more per organisation left without a hit, at most `MAX_FALLBACK_SEARCHES`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongkai.core import workdays
from gongkai.documents.models import Category, Document
from gongkai.documents.workflow import Status as DocStatus
from gongkai.orgs.models import Org
from gongkai.search import tokens
from gongkai.search.backends import get_backend

from . import timelimits
from .models import Catalog, Item
from .workflow import CatalogStatus

COVERED, STALE, EMPTY, UNMAPPED = "covered", "stale", "empty", "unmapped"
STATUSES = (COVERED, STALE, EMPTY, UNMAPPED)
STATUS_LABELS = {
    COVERED: _("已覆盖"),
    STALE: _("已超期"),
    EMPTY: _("无信息"),
    UNMAPPED: _("未对应"),
}
# Organisations that answer for their own catalogs: their documents do not count for the
# catalogs of the government above them.
GOVERNMENT_KINDS = frozenset({Org.Kind.GOVERNMENT, Org.Kind.DISTRICT, Org.Kind.TOWNSHIP})
# Hits read per keyword search over a set of organisations, and the most searches added for
# organisations a cut-off result left without a hit.
SEARCH_LIMIT = 500
HITS_PER_ORG = 20
MAX_FALLBACK_SEARCHES = 200


@dataclass(frozen=True)
class Latest:
    """The latest published document that fulfils an item."""

    pk: int
    title: str
    published_at: dt.datetime
    index_number: str
    org_id: int

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("portal:document_detail", kwargs={"index_number": self.index_number})


@dataclass
class ItemCoverage:
    item: Item
    status: str
    rule: timelimits.Rule
    latest: Latest | None = None
    verdict: timelimits.Verdict | None = None

    @property
    def status_label(self):
        return STATUS_LABELS[self.status]

    @property
    def explanation(self) -> str:
        if self.status == UNMAPPED:
            return str(_("尚未对应到信息所在的分类、专栏、文种或检索词。"))
        return self.verdict.explanation if self.verdict else ""


@dataclass
class OrgCoverage:
    org: Org
    items: list[ItemCoverage] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(STATUSES, 0)
        for row in self.items:
            counts[row.status] += 1
        return counts

    @property
    def total(self) -> int:
        return len(self.items)

    @property
    def mapped(self) -> int:
        return sum(1 for row in self.items if row.status != UNMAPPED)

    @property
    def rate(self) -> float | None:
        """Covered / mapped items, or None when nothing is mapped."""
        mapped = self.mapped
        return self.counts[COVERED] / mapped if mapped else None


# --- what is measured ------------------------------------------------------------------------


# What counting needs of an item (the summary reads thousands; the texts stay in the database).
COUNTING_FIELDS = ("id", "catalog_id", "catalog__org_id", "sort_order", "time_limit",
                   "category_id", "column_id", "doc_type", "query", "change")  # fmt: skip


def approved_items(org_ids, *, counting: bool = False) -> list[Item]:
    """The items of the approved catalogs of these organisations, as published (no removed
    items), in catalog order. `counting`: only the fields coverage needs to count."""
    qs = Item.objects.filter(
        catalog__org_id__in=list(org_ids), catalog__status=CatalogStatus.APPROVED
    ).exclude(change=Item.Change.REMOVED)
    if counting:
        return list(
            qs.select_related("catalog")
            .only(*COUNTING_FIELDS)
            .order_by("catalog_id", "sort_order", "pk")
        )
    return list(
        qs.select_related("catalog__area", "catalog__org", "category", "column")
        .order_by("catalog__org__path", "catalog__area__sort_order", "catalog__area__name",
                  "sort_order", "pk")
    )  # fmt: skip


def orgs_with_catalogs(org_ids=None):
    """Organisations with at least one approved catalog (of `org_ids` if given)."""
    qs = Catalog.objects.filter(status=CatalogStatus.APPROVED)
    if org_ids is not None:
        qs = qs.filter(org_id__in=list(org_ids))
    return Org.objects.filter(pk__in=qs.values("org_id")).order_by("path")


def publishers(orgs) -> dict[int, frozenset[int]]:
    """For each organisation, the ids of the organisations whose documents count for it: itself
    and the units below it, not crossing into another government (one query)."""
    orgs = list(orgs)
    if not orgs:
        return {}
    cond = Q()
    for org in orgs:
        cond |= Q(path__startswith=org.path)
    below = list(Org.objects.filter(cond).values_list("pk", "path", "kind"))
    kind_of = {pk: kind for pk, _path, kind in below}
    out: dict[int, set[int]] = {org.pk: {org.pk} for org in orgs}
    for pk, path, _kind in below:
        chain = [int(p) for p in path.strip("/").split("/") if p]
        for org in orgs:
            if pk == org.pk or not path.startswith(org.path):
                continue
            between = chain[chain.index(org.pk) + 1 :] if org.pk in chain else []
            if not any(kind_of.get(step) in GOVERNMENT_KINDS for step in between):
                out[org.pk].add(pk)
    return {k: frozenset(v) for k, v in out.items()}


def _category_subtrees(category_ids) -> dict[int, frozenset[int]]:
    if not category_ids:
        return {}
    parents = dict(Category.objects.values_list("pk", "parent_id"))
    children = defaultdict(set)
    for pk, parent in parents.items():
        children[parent].add(pk)
    out = {}
    for root in category_ids:
        found, frontier = {root}, {root}
        while frontier:
            frontier = {c for p in frontier for c in children.get(p, ())} - found
            found |= frontier
        out[root] = frozenset(found)
    return out


# --- computation -----------------------------------------------------------------------------


def _latest_structured(items, pubs, subtrees) -> dict[int, tuple[dt.datetime, dict]]:
    """For each item with a category / column / type mapping and no query: the latest
    `published_at` and the group key that gave it (two grouped queries, then dictionary
    look-ups: organisations × categories of the item's subtree, never a scan of all groups)."""
    all_orgs = set().union(*pubs.values()) if pubs else set()
    plain = [i for i in items if not i.query and not i.column_id and (i.category_id or i.doc_type)]
    with_column = [i for i in items if not i.query and i.column_id]
    best: dict[int, tuple[dt.datetime, dict]] = {}

    def consider(item, when, key):
        if when is not None and (item.pk not in best or when > best[item.pk][0]):
            best[item.pk] = (when, key)

    def pick(item, by_cat, by_type, column_id=None):
        for org_id in pubs[item.catalog.org_id]:
            if item.category_id:
                for cat in subtrees[item.category_id]:
                    for doc_type, when in by_cat.get((org_id, cat), {}).items():
                        if not item.doc_type or doc_type == item.doc_type:
                            consider(
                                item,
                                when,
                                {
                                    "org_id": org_id,
                                    "category_id": cat,
                                    "doc_type": doc_type,
                                    "column_id": column_id,
                                },
                            )
            else:
                for cat, when in by_type.get((org_id, item.doc_type), {}).items():
                    consider(
                        item,
                        when,
                        {
                            "org_id": org_id,
                            "category_id": cat,
                            "doc_type": item.doc_type,
                            "column_id": column_id,
                        },
                    )

    def index(rows):
        by_cat, by_type = defaultdict(dict), defaultdict(dict)
        for org_id, cat, doc_type, when in rows:
            by_cat[(org_id, cat)][doc_type] = when
            by_type[(org_id, doc_type)][cat] = when
        return by_cat, by_type

    published = Document.objects.filter(
        status=DocStatus.PUBLISHED, org_id__in=all_orgs, published_at__isnull=False
    )
    if plain:
        cats = set().union(*(subtrees[i.category_id] for i in plain if i.category_id))
        types = {i.doc_type for i in plain if i.doc_type and not i.category_id}
        cond = Q()
        if cats:
            cond |= Q(category_id__in=cats)
        if types:
            cond |= Q(doc_type__in=types)
        rows = (
            published.filter(cond)
            .values_list("org_id", "category_id", "doc_type")
            .annotate(latest=Max("published_at"))
            .order_by()
        )
        by_cat, by_type = index(rows)
        for item in plain:
            pick(item, by_cat, by_type)
    if with_column:
        through = Document.columns.through
        rows = (
            through.objects.filter(
                column_id__in={i.column_id for i in with_column}, document__in=published
            )
            .values_list(
                "column_id", "document__org_id", "document__category_id", "document__doc_type"
            )
            .annotate(latest=Max("document__published_at"))
            .order_by()
        )
        per_column = defaultdict(list)
        newest = {}  # (column, organisation) → its newest group, for column-only items
        for col, org_id, cat, doc_type, when in rows:
            per_column[col].append((org_id, cat, doc_type, when))
            if (col, org_id) not in newest or when > newest[(col, org_id)][0]:
                newest[(col, org_id)] = (when, cat, doc_type)
        indexed = {col: index(col_rows) for col, col_rows in per_column.items()}
        for item in with_column:
            if item.column_id not in indexed:
                continue
            if item.category_id or item.doc_type:
                by_cat, by_type = indexed[item.column_id]
                pick(item, by_cat, by_type, item.column_id)
                continue
            for org_id in pubs[item.catalog.org_id]:
                found = newest.get((item.column_id, org_id))
                if found:
                    when, cat, doc_type = found
                    consider(
                        item,
                        when,
                        {
                            "org_id": org_id,
                            "category_id": cat,
                            "doc_type": doc_type,
                            "column_id": item.column_id,
                        },
                    )
    return best


def _resolve_documents(best) -> dict[int, Latest]:
    """The winning documents of `best` (one query for the documents, one for their columns)."""
    if not best:
        return {}
    times = {when for when, _key in best.values()}
    orgs = {key["org_id"] for _when, key in best.values()}
    docs = list(
        Document.objects.filter(
            status=DocStatus.PUBLISHED, org_id__in=orgs, published_at__in=times
        ).values("pk", "title", "published_at", "index_number", "org_id", "category_id", "doc_type")
    )
    need_columns = any(key["column_id"] for _when, key in best.values())
    columns = defaultdict(set)
    if need_columns and docs:
        for doc_id, col_id in Document.columns.through.objects.filter(
            document_id__in=[d["pk"] for d in docs]
        ).values_list("document_id", "column_id"):
            columns[doc_id].add(col_id)
    index = defaultdict(list)
    for d in sorted(docs, key=lambda d: -d["pk"]):
        index[(d["published_at"], d["org_id"], d["category_id"], d["doc_type"])].append(d)
    out = {}
    for item_pk, (when, key) in best.items():
        for d in index[(when, key["org_id"], key["category_id"], key["doc_type"])]:
            if not key["column_id"] or key["column_id"] in columns[d["pk"]]:
                out[item_pk] = Latest(
                    d["pk"], d["title"], d["published_at"], d["index_number"], d["org_id"]
                )
                break
    return out


def _search_key(item) -> tuple:
    return (item.query.strip(), item.category_id, item.column_id, item.doc_type or None)


def _search(query_text, category_id, column_id, doc_type, org_ids, limit) -> tuple[list[int], int]:
    filters = tokens.Filters(
        org_ids=tuple(sorted(org_ids)),
        category_id=category_id,
        column_id=column_id,
        doc_type=doc_type,
    )
    query = tokens.parse(query_text, filters)
    if query.is_empty:
        return [], 0
    page = get_backend().search(query, offset=0, limit=limit, sort="date", exact_ids=[])
    return list(page.ids), page.count


def _latest_by_query(items, pubs) -> dict[int, Latest]:
    """Keyword-mapped items: one date-ordered search per distinct query and filters over all the
    organisations, the hits assigned to the organisations they count for."""
    query_items = [i for i in items if i.query.strip()]
    if not query_items:
        return {}
    groups: dict[tuple, list[Item]] = defaultdict(list)
    for item in query_items:
        groups[_search_key(item)].append(item)
    found: dict[tuple, dict[int, Latest]] = {}  # search key → catalog org → latest
    fallbacks = 0
    for key, group in groups.items():
        catalog_orgs = {i.catalog.org_id for i in group}
        # The newest hits first: a few per organisation usually include each one's latest.
        limit = min(SEARCH_LIMIT, HITS_PER_ORG * len(catalog_orgs))
        ids, count = _search(*key, catalog_orgs, limit)
        per_org = _assign(ids, {o: pubs[o] for o in catalog_orgs})
        if count > len(ids):
            for org_id in sorted(catalog_orgs - set(per_org)):
                if fallbacks >= MAX_FALLBACK_SEARCHES:
                    break
                fallbacks += 1
                more, _n = _search(*key, {org_id}, SEARCH_LIMIT)
                per_org.update(_assign(more, {org_id: pubs[org_id]}))
        found[key] = per_org
    return {
        item.pk: found[_search_key(item)][item.catalog.org_id]
        for item in query_items
        if item.catalog.org_id in found[_search_key(item)]
    }


def _assign(ids, pubs_of: dict[int, frozenset[int]]) -> dict[int, Latest]:
    if not ids:
        return {}
    docs = Document.objects.filter(
        pk__in=ids, status=DocStatus.PUBLISHED, published_at__isnull=False
    ).values_list("pk", "title", "published_at", "index_number", "org_id")
    out: dict[int, Latest] = {}
    for pk, title, when, index_number, org_id in docs:
        for catalog_org, allowed in pubs_of.items():
            if org_id in allowed and (
                catalog_org not in out or when > out[catalog_org].published_at
            ):
                out[catalog_org] = Latest(pk, title, when, index_number, org_id)
    return out


def compute(orgs, *, now: dt.datetime | None = None, items=None) -> list[OrgCoverage]:
    """Coverage of the approved catalogs of `orgs` (Org objects), one entry per organisation,
    in the order given. `items`: the approved items if already read."""
    now = now or timezone.now()
    orgs = list(orgs)
    if items is None:
        items = approved_items([o.pk for o in orgs])
    pubs = publishers(orgs)
    subtrees = _category_subtrees({i.category_id for i in items if i.category_id})
    mapped = [i for i in items if i.is_mapped]
    latest = _resolve_documents(_latest_structured(mapped, pubs, subtrees))
    latest.update(_latest_by_query(mapped, pubs))
    cal = workdays.calendar()
    result = {org.pk: OrgCoverage(org) for org in orgs}
    rules: dict[str, timelimits.Rule] = {}
    for item in items:
        rule = rules.get(item.time_limit)
        if rule is None:
            rule = rules[item.time_limit] = timelimits.parse(item.time_limit)
        if not item.is_mapped:
            row = ItemCoverage(item, UNMAPPED, rule)
        else:
            found = latest.get(item.pk)
            verdict = rule.evaluate(found.published_at if found else None, now, cal=cal)
            status = EMPTY if found is None else (COVERED if verdict.fresh else STALE)
            row = ItemCoverage(item, status, rule, found, verdict)
        if item.catalog.org_id in result:
            result[item.catalog.org_id].items.append(row)
    return [result[org.pk] for org in orgs]


def org_coverage(org: Org, *, now: dt.datetime | None = None) -> OrgCoverage:
    return compute([org], now=now)[0]


def coverage_summary(org_ids, now: dt.datetime | None = None) -> dict[int, dict]:
    """Per organisation with approved catalogs among `org_ids`: item counts by status, mapped
    items and the coverage rate (covered / mapped, None when nothing is mapped), for the
    statistics dashboard. Organisations without an approved catalog are left out."""
    orgs = list(orgs_with_catalogs(org_ids))
    items = approved_items([o.pk for o in orgs], counting=True)
    out = {}
    for cov in compute(orgs, now=now, items=items):
        out[cov.org.pk] = {
            "org": cov.org,
            **cov.counts,
            "total": cov.total,
            "mapped": cov.mapped,
            "rate": cov.rate,
        }
    return out


# --- public reads ----------------------------------------------------------------------------


def _clean_code(code: str) -> str:
    """A code from a URL; anything that cannot be one (NUL, overlong) is a 404 before it
    reaches the database."""
    from gongkai.core.exceptions import NotFoundError

    if not code or "\x00" in code or len(code) > 64:
        raise NotFoundError()
    return code


def public_catalogs():
    """Approved catalogs of active organisations, with org and area (one query)."""
    return (
        Catalog.objects.filter(status=CatalogStatus.APPROVED, org__is_active=True)
        .select_related("org", "area")
        .order_by("area__sort_order", "area__name", "org__path")
    )


def public_org(*, code: str) -> Org:
    """An active organisation with at least one approved catalog (404 otherwise)."""
    from gongkai.core.exceptions import NotFoundError

    org = (
        Org.objects.filter(code=_clean_code(code), is_active=True)
        .filter(pk__in=Catalog.objects.filter(status=CatalogStatus.APPROVED).values("org_id"))
        .select_related("parent")
        .first()
    )
    if org is None:
        raise NotFoundError()
    return org


def public_catalog(*, org: Org, area_code: str) -> Catalog:
    from gongkai.core.exceptions import NotFoundError

    catalog = public_catalogs().filter(org=org, area__code=_clean_code(area_code)).first()
    if catalog is None:
        raise NotFoundError()
    return catalog


def public_items(catalog: Catalog) -> list[Item]:
    return list(
        catalog.items.exclude(change=Item.Change.REMOVED)
        .select_related("catalog__area", "catalog__org", "category", "column")
        .order_by("sort_order", "pk")
    )


def more_link(item: Item, org: Org) -> str:
    """Where the public finds more of an item's information: the org's catalog page of the
    category, the column, or a search within the organisation."""
    from urllib.parse import urlencode

    from django.urls import reverse

    if item.category_id:
        return (
            reverse("portal:catalog", kwargs={"code": org.code})
            + "?"
            + urlencode({"category": item.category.code})
        )
    if item.column_id:
        return reverse("portal:column_detail", kwargs={"slug": item.column.slug})
    params = {"org": org.code}
    if item.query:
        params["q"] = item.query
    if item.doc_type:
        params["type"] = item.doc_type
    if item.query or item.doc_type:
        return reverse("portal:search") + "?" + urlencode(params)
    return ""


# --- staff reads and exports -----------------------------------------------------------------

REGION_SORTS = ("rate", "-rate", "name", "empty", "stale")


def orgs_in_reach(user):
    """Organisations with approved catalogs where `user` may read the ledgers ("view_ledgers")."""
    from gongkai.orgs import permissions

    ids = permissions.org_ids_for(user, "view_ledgers")
    return orgs_with_catalogs(ids)


def region_rows(orgs, *, now=None, sort: str = "rate") -> list[OrgCoverage]:
    rows = compute(orgs, now=now)
    if sort == "name":
        rows.sort(key=lambda r: r.org.path)
    elif sort in ("empty", "stale"):
        rows.sort(key=lambda r: (-r.counts[sort], r.org.path))
    else:
        # Lowest rate first (what needs attention); nothing mapped last.
        reverse = sort == "-rate"
        rows.sort(
            key=lambda r: (r.rate is None, (-1 if reverse else 1) * (r.rate or 0), r.org.path)
        )
    return rows


def _percent(rate) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"


def org_xlsx(cov: OrgCoverage) -> bytes:
    """An organisation's coverage as an XLSX workbook: one row per item."""
    import io

    from django.utils.translation import gettext as _t
    from openpyxl import Workbook

    from gongkai.core.office import xlsx_cells

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_t("目录覆盖情况"))
    for i, width in enumerate([6, 14, 20, 24, 22, 10, 40, 12, 40]):
        ws.column_dimensions[chr(ord("A") + i)].width = width
    ws.append(xlsx_cells(ws, [_t("%(org)s 标准目录覆盖情况") % {"org": cov.org.name}]))
    counts = cov.counts
    ws.append(
        xlsx_cells(
            ws,
            [
                _t("覆盖率"), _percent(cov.rate), _t("已覆盖"), counts[COVERED], _t("已超期"),
                counts[STALE], _t("无信息"), counts[EMPTY], _t("未对应"), counts[UNMAPPED],
            ],
        )
    )  # fmt: skip
    ws.append(
        xlsx_cells(
            ws,
            [
                _t("序号"), _t("领域"), _t("一级事项"), _t("二级事项"), _t("公开时限"),
                _t("状态"), _t("最新信息"), _t("发布日期"), _t("说明"),
            ],
        )
    )  # fmt: skip
    for n, row in enumerate(cov.items, 1):
        ws.append(
            xlsx_cells(
                ws,
                [
                    n,
                    row.item.catalog.area.name,
                    row.item.level1,
                    row.item.level2,
                    row.item.time_limit,
                    str(row.status_label),
                    row.latest.title if row.latest else "",
                    timezone.localtime(row.latest.published_at).date().isoformat()
                    if row.latest
                    else "",
                    row.explanation,
                ],
            )
        )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def region_xlsx(rows: list[OrgCoverage]) -> bytes:
    """The region overview as an XLSX workbook: one row per organisation."""
    import io

    from django.utils.translation import gettext as _t
    from openpyxl import Workbook

    from gongkai.core.office import xlsx_cells

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_t("目录覆盖汇总"))
    for i, width in enumerate([6, 30, 10, 10, 10, 10, 10, 10, 10]):
        ws.column_dimensions[chr(ord("A") + i)].width = width
    ws.append(
        xlsx_cells(
            ws,
            [
                _t("序号"), _t("单位"), _t("事项数"), _t("已对应"), _t("已覆盖"), _t("已超期"),
                _t("无信息"), _t("未对应"), _t("覆盖率"),
            ],
        )
    )  # fmt: skip
    for n, row in enumerate(rows, 1):
        c = row.counts
        ws.append(
            xlsx_cells(
                ws,
                [
                    n, row.org.name, row.total, row.mapped, c[COVERED], c[STALE], c[EMPTY],
                    c[UNMAPPED], _percent(row.rate),
                ],
            )
        )  # fmt: skip
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()

"""Coverage of the approved catalogs: statuses, whose documents count, counts and rate, the
summary for the dashboard, and the number of queries for a region."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gongkai.catalogs import coverage
from gongkai.catalogs.models import Catalog, Item
from gongkai.catalogs.workflow import CatalogStatus
from gongkai.orgs.models import Org

from . import test_coverage_fixtures as fixtures
from .test_coverage_fixtures import NOW, area_named

catalog_world = fixtures.catalog_world

pytestmark = pytest.mark.django_db


def by_level1(cov):
    return {row.item.level1: row for row in cov.items}


def test_covered_empty_stale_unmapped_at_a_fixed_now(catalog_world):
    cov = coverage.org_coverage(catalog_world["district"], now=NOW)
    rows = by_level1(cov)
    assert {k: r.status for k, r in rows.items()} == {
        "政策文件": coverage.COVERED,
        "财务信息": coverage.STALE,
        "招生管理": coverage.EMPTY,
        "教育概况": coverage.UNMAPPED,
        "学生管理": coverage.COVERED,
    }
    docs = catalog_world["docs"]
    # The latest of the category's subtree, not the older one in the parent category.
    assert rows["政策文件"].latest.pk == docs["covered"].pk
    assert rows["财务信息"].latest.pk == docs["stale"].pk
    assert rows["财务信息"].explanation == "每季度：上次公开 2026-03-02，已超期 45 天。"
    assert rows["学生管理"].latest.pk == docs["query"].pk
    assert rows["招生管理"].latest is None
    assert cov.counts == {"covered": 2, "stale": 1, "empty": 1, "unmapped": 1}
    assert cov.mapped == 4 and cov.total == 5
    assert cov.rate == pytest.approx(0.5)


def test_removed_items_and_draft_catalogs_are_not_measured(catalog_world):
    cov = coverage.org_coverage(catalog_world["district"], now=NOW)
    assert "已删除事项" not in by_level1(cov)
    assert "草稿事项" not in by_level1(cov)


def test_a_township_document_counts_for_the_township_not_the_district(catalog_world, org):
    township = org("东城区新华街道办事处")
    pubs = coverage.publishers([catalog_world["district"], township])
    dept = org("东城区教育局")
    assert dept.pk in pubs[catalog_world["district"].pk]
    assert township.pk not in pubs[catalog_world["district"].pk]
    assert pubs[township.pk] == {township.pk}


def test_withdrawn_documents_do_not_cover(catalog_world):
    from gongkai.documents.models import Document
    from gongkai.documents.workflow import Status

    Document.objects.filter(pk=catalog_world["docs"]["covered"].pk).update(status=Status.WITHDRAWN)
    rows = by_level1(coverage.org_coverage(catalog_world["district"], now=NOW))
    # The older document in the parent category now is the latest: still fulfilled.
    assert rows["政策文件"].latest.pk == catalog_world["docs"]["older"].pk


def test_summary_for_the_dashboard(catalog_world, org):
    city = org("示范市人民政府")
    summary = coverage.coverage_summary([catalog_world["district"].pk, city.pk], now=NOW)
    assert list(summary) == [catalog_world["district"].pk]  # the city has no approved catalog
    row = summary[catalog_world["district"].pk]
    assert (row["covered"], row["stale"], row["empty"], row["unmapped"]) == (2, 1, 1, 1)
    assert (row["total"], row["mapped"]) == (5, 4)
    assert row["rate"] == pytest.approx(0.5)


def test_nothing_mapped_has_no_rate(catalog_world):
    Item.objects.filter(catalog=catalog_world["catalog"]).update(
        category=None, column=None, doc_type="", query=""
    )
    cov = coverage.org_coverage(catalog_world["district"], now=NOW)
    assert cov.rate is None and cov.counts["unmapped"] == 5


def test_region_queries_do_not_grow_with_organisations_or_items(catalog_world):
    """Twenty more organisations with catalogs of structured items: the same queries."""
    area, base = catalog_world["area"], catalog_world["catalog"]

    def measure():
        orgs = list(coverage.orgs_with_catalogs())
        with CaptureQueriesContext(connection) as ctx:
            coverage.compute(orgs, now=NOW)
        return len(ctx.captured_queries)

    before = measure()
    for org in Org.objects.filter(kind=Org.Kind.DEPARTMENT).exclude(pk=base.org_id)[:20]:
        cat = Catalog.objects.create(org=org, area=area, status=CatalogStatus.APPROVED)
        for n in range(5):
            Item.objects.create(
                catalog=cat, level1=f"事项{n}", category=catalog_world["category"],
                column=catalog_world["column"] if n % 2 else None, time_limit="每季度",
            )  # fmt: skip
    after = measure()
    assert after <= before + 1  # one search per distinct query, whatever the organisations


def test_one_search_per_distinct_query_for_a_region(catalog_world, monkeypatch):
    area = area_named("就业", "t-jobs")
    others = list(Org.objects.filter(kind=Org.Kind.DISTRICT)[:5])
    for org in others:
        cat = Catalog.objects.create(org=org, area=area, status=CatalogStatus.APPROVED)
        Item.objects.create(catalog=cat, level1="校车", query="校车安全", time_limit="实时")
    calls = []
    real = coverage._search
    monkeypatch.setattr(coverage, "_search", lambda *a: calls.append(a) or real(*a))
    coverage.compute(list(coverage.orgs_with_catalogs()), now=NOW)
    assert len(calls) == 1

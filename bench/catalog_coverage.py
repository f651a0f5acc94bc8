"""Catalog coverage at volume. Prints what it measured; asserts nothing.

Builds a fresh database (migrate, the demo region), seeds D published documents across the
region, gives N organisations an approved catalog of K items each (mapped to categories,
columns, document types and a few keyword queries, some unmapped), then times
`coverage_summary` over all N organisations (the statistics dashboard, the region overview) and
one organisation's coverage (its workbench page), with the number of queries and searches.

Usage: .venv/bin/python bench/catalog_coverage.py [--orgs 100] [--items 60] [--documents 100000]
       [--backend sqlite|postgres] [--postgres-url URL] [--dir DIR]
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
sys.path.insert(0, str(HERE.parent))

QUERIES = ["招生", "低保", "补贴", "安全生产", "预算"]
TIME_LIMITS = [
    "信息形成或者变更之日起20个工作日内",
    "每季度",
    "每年3月底前",
    "每月",
    "实时",
    "长期",
]


def timed(fn, repeat=3):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return f"median {statistics.median(times):.3f} s (min {min(times):.3f}, n={repeat})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--orgs", type=int, default=100)
    parser.add_argument("--items", type=int, default=60)
    parser.add_argument("--documents", type=int, default=100000)
    parser.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--dir")
    parser.add_argument(
        "--postgres-url", default="postgres://postgres@127.0.0.1:5432/gongkai_bench_coverage"
    )
    args = parser.parse_args()
    from bench.common import fresh_database

    fresh_database(args, "gongkai-bench-coverage-")

    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from gongkai.catalogs import coverage
    from gongkai.catalogs.models import Area, Catalog, Item
    from gongkai.catalogs.workflow import CatalogStatus
    from gongkai.documents.models import Category, Column, Document
    from gongkai.documents.seed import documents_seed
    from gongkai.orgs.demo import load_demo_region
    from gongkai.orgs.models import Org

    call_command("migrate", verbosity=0)
    load_demo_region()
    print(f"backend: {connection.vendor}")
    t0 = time.perf_counter()
    documents_seed(count=args.documents)
    print(f"seeded {args.documents} documents in {time.perf_counter() - t0:.1f} s")

    orgs = list(Org.objects.filter(is_active=True).order_by("pk")[: args.orgs])
    area = Area.objects.order_by("pk").first() or Area.objects.create(name="义务教育", code="edu")
    categories = list(Category.objects.order_by("pk"))
    columns = list(Column.objects.order_by("pk"))
    types = list(Document.DocType.values)
    items = []
    for org in orgs:
        catalog = Catalog.objects.create(org=org, area=area, status=CatalogStatus.APPROVED)
        for n in range(args.items):
            fields = {}
            kind = n % 6
            if kind in (0, 1):
                fields["category"] = categories[n % len(categories)]
            elif kind == 2 and columns:
                fields["column"] = columns[n % len(columns)]
            elif kind == 3:
                fields["doc_type"] = types[n % len(types)]
                fields["category"] = categories[(n * 7) % len(categories)]
            elif kind == 4 and n % 12 == 4:
                fields["query"] = QUERIES[n % len(QUERIES)]
            items.append(
                Item(
                    catalog=catalog,
                    sort_order=n,
                    level1=f"事项{n}",
                    time_limit=TIME_LIMITS[n % len(TIME_LIMITS)],
                    **fields,
                )
            )
    Item.objects.bulk_create(items, batch_size=5000)
    print(f"{len(orgs)} organisations × {args.items} items = {len(items)} items")

    ids = [o.pk for o in orgs]
    searches = []
    real = coverage._search

    def counting(*a):
        searches.append(a)
        return real(*a)

    coverage._search = counting
    with CaptureQueriesContext(connection) as ctx:
        summary = coverage.coverage_summary(ids)
    print(
        f"coverage_summary({len(ids)} orgs): {len(ctx.captured_queries)} queries, "
        f"{len(searches)} searches"
    )
    totals = {k: sum(row[k] for row in summary.values()) for k in coverage.STATUSES}
    print(f"  statuses over the region: {totals}")
    print(f"  coverage_summary: {timed(lambda: coverage.coverage_summary(ids))}")
    busiest = orgs[0]
    print(f"  one organisation ({busiest.name}): {timed(lambda: coverage.org_coverage(busiest))}")


if __name__ == "__main__":
    main()

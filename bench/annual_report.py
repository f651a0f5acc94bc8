"""Annual reports at volume. Prints what it measured; asserts nothing.

Builds a fresh database (migrate, the demo region), seeds N requests with their histories (and
optionally M published documents), then times: one organisation's report (the busiest), the
regional summary of the whole city, and the openness office's region page.
Targets (issue 15): report ≤ 2 s, regional summary ≤ 5 s, page ≤ 1 s, at 100,000 requests and
1,000,000 documents.

Usage: .venv/bin/python bench/annual_report.py [--requests 100000] [--documents 0]
       [--backend sqlite|postgres] [--postgres-url URL] [--dir DIR]
"""

import argparse
import datetime as dt
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
sys.path.insert(0, str(HERE.parent))


def setup(args):
    from bench.common import fresh_database

    fresh_database(args, "gongkai-bench-reports-")


def timed(fn, repeat=3):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return f"median {statistics.median(times):.3f} s (min {min(times):.3f}, n={repeat})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=100000)
    parser.add_argument("--documents", type=int, default=0)
    parser.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--dir")
    parser.add_argument(
        "--postgres-url", default="postgres://postgres@127.0.0.1:5432/gongkai_bench_reports"
    )
    args = parser.parse_args()
    setup(args)

    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count
    from django.test import Client

    from gongkai.foi.models import Request
    from gongkai.foi.seed import requests_seed
    from gongkai.orgs.demo import load_demo_region
    from gongkai.orgs.models import Org
    from gongkai.reports.compute import annual_report
    from gongkai.reports.summary import regional_summary

    call_command("migrate", verbosity=0)
    load_demo_region()
    print(f"backend: {connection.vendor}")
    t0 = time.perf_counter()
    requests_seed(args.requests)
    print(f"seeded {args.requests} requests in {time.perf_counter() - t0:.1f} s")
    if args.documents:
        from gongkai.documents.seed import documents_seed

        t0 = time.perf_counter()
        documents_seed(count=args.documents)
        print(f"seeded {args.documents} documents in {time.perf_counter() - t0:.1f} s")
    year = dt.date.today().year - 1
    busiest = Request.objects.values("org").annotate(n=Count("id")).order_by("-n").first()["org"]
    org = Org.objects.get(pk=busiest)
    count = Request.objects.filter(org=org).count()
    print(f"one organisation's report ({org.name}, {count} requests): "
          f"{timed(lambda: annual_report(org=org, year=year))}")  # fmt: skip
    city = Org.objects.filter(parent__isnull=True).first()
    today = dt.date.today()
    print(f"regional summary ({city.name}): "
          f"{timed(lambda: regional_summary(org=city, year=year, today=today), repeat=1)}")  # fmt: skip
    client = Client(HTTP_HOST="localhost")
    client.force_login(get_user_model().objects.get(username="demo-supervisor"))
    page = client.get("/workbench/reports/region/", {"year": year})
    assert page.status_code == 200, page.status_code
    print(f"region page: {timed(lambda: client.get('/workbench/reports/region/', {'year': year}))}")
    dash = client.get("/workbench/statistics/", {"start": f"{year}-01-01", "end": f"{year}-12-31"})
    assert dash.status_code == 200, dash.status_code
    print(
        "statistics dashboard (city, a year): "
        + timed(
            lambda: client.get(
                "/workbench/statistics/", {"start": f"{year}-01-01", "end": f"{year}-12-31"}
            )
        )
    )


if __name__ == "__main__":
    main()

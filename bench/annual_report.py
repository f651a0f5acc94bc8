"""Annual reports at volume. Prints what it measured; asserts nothing.

Builds a fresh database (migrate, the demo region), seeds N requests with their histories (and
optionally M published documents), then times: one organisation's report (the busiest), the
regional summary of the whole city, and the openness office's region page.
Targets (issue 15): report ≤ 2 s, regional summary ≤ 5 s, page ≤ 1 s, at 100,000 requests and
1,000,000 documents. Questions, consultations and concerns (issue 16) are seeded too, since the
dashboard and the report's participation figures count them.

Usage: .venv/bin/python bench/annual_report.py [--requests 100000] [--documents 0] [--questions 20000]
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
    parser.add_argument(
        "--questions", type=int, default=20000, help="questions (互动交流) spread over the region"
    )
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
    if args.questions:
        t0 = time.perf_counter()
        participation_seed(args.questions, year)
        print(
            f"seeded {args.questions} questions, {args.questions // 20} consultations and "
            f"{args.questions // 100} concerns in {time.perf_counter() - t0:.1f} s"
        )
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


def participation_seed(n: int, year: int) -> None:
    """Bench data only (straight rows, no services): questions answered in or after time,
    consultations with and without feedback, major concerns with responses."""
    import random

    from django.utils import timezone

    from gongkai.orgs.models import Org
    from gongkai.participation.models import Concern, ConcernResponse, Consultation, Question

    rng = random.Random(16)
    orgs = list(Org.objects.filter(is_active=True).values_list("pk", flat=True))
    tz = timezone.get_current_timezone()
    questions = []
    for i in range(n):
        asked = dt.datetime(year, 1, 1, 9, tzinfo=tz) + dt.timedelta(minutes=rng.randrange(525000))
        due = asked.date() + dt.timedelta(days=rng.choice((7, 21)))
        answered = asked + dt.timedelta(days=rng.randrange(1, 30)) if rng.random() < 0.9 else None
        org = rng.choice(orgs)
        questions.append(Question(
            number=f"BENCH{year}-{i:07d}", password_hash="!",  # noqa: S106 (unusable)
            org_id=org, addressed_to_id=org,
            kind="enquiry", subject="咨询", text="请问如何办理", name="某", contact_encrypted="",
            status="answered" if answered else "accepted", received_at=asked,
            clock_start=asked.date(), due_on=due, answer="答复" if answered else "",
            answered_at=answered,
        ))  # fmt: skip
    Question.objects.bulk_create(questions, batch_size=5000)
    consultations = []
    for _i in range(n // 20):
        opens = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(300))
        closed = opens + dt.timedelta(days=30)
        done = rng.random() < 0.8
        consultations.append(Consultation(
            org_id=rng.choice(orgs), title="征求意见稿", opens_on=opens, closes_on=closed,
            draft_text="正文", status="feedback_published" if done else "closed", closed_on=closed,
            feedback_due_on=closed + dt.timedelta(days=28),
            feedback_published_at=(
                dt.datetime.combine(closed, dt.time(10), tz) + dt.timedelta(days=rng.randrange(40))
                if done else None
            ),
        ))  # fmt: skip
    Consultation.objects.bulk_create(consultations, batch_size=5000)
    concerns = []
    for _i in range(n // 100):
        noticed = dt.datetime(year, 1, 1, 8, tzinfo=tz) + dt.timedelta(hours=rng.randrange(8000))
        concerns.append(Concern(
            org_id=rng.choice(orgs), title="舆情", source="online", noticed_at=noticed,
            severity="major", info_due_at=noticed + dt.timedelta(hours=5),
            press_due_at=noticed + dt.timedelta(hours=24),
        ))  # fmt: skip
    made = Concern.objects.bulk_create(concerns, batch_size=5000)
    ConcernResponse.objects.bulk_create(
        [
            ConcernResponse(
                concern=c, kind=kind, at=c.noticed_at + dt.timedelta(hours=rng.randrange(1, 30))
            )
            for c in made
            for kind in ("first_release", "press_conference")
        ],
        batch_size=5000,
    )


if __name__ == "__main__":
    main()

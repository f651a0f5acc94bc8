"""Disclosure requests at volume: seed, then time the deadline scan, the queues and intake.

Prints what it measured; asserts nothing. Builds a fresh database (migrate, the demo region),
seeds N requests with their clock histories (`gongkai.foi.seed.requests_seed`), then times:

- the overdue and reminder scan `services.check_deadlines`: its first run (which writes the
  reminders) and the idempotent runs after it;
- `selectors.handler_queue` for demo-handler, and the workbench page /workbench/requests/
  rendered through Django's test client for demo-handler (queries counted);
- the overdue list of the supervising office (demo-supervisor, the whole region);
- PostgreSQL only: 200 concurrent public submissions (threads, `services.request_submit`,
  distinct addresses and descriptions): how many were created, how many distinct numbers,
  how many errors, and how long it took.

Usage: .venv/bin/python bench/foi.py --requests 100000 --backend sqlite [--dir DIR]
       .venv/bin/python bench/foi.py --requests 100000 --backend postgres [--postgres-url URL]
SQLite: the database is created in DIR (which must not hold one yet) or a new temporary
directory. PostgreSQL: the database named in the URL is dropped and created again (its name
must contain "bench").
"""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))] * 1000


def summary(values) -> str:
    return (
        f"p50 {pct(values, 50):8.1f}  p95 {pct(values, 95):8.1f}  max {max(values) * 1000:8.1f} ms"
        f"  (n={len(values)})"
    )


def setup(args):
    from bench.common import fresh_database

    return fresh_database(args, "gongkai-bench-foi-")


def timed(fn, repeat):
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return times, result


def queries(fn):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def concurrent_submissions(n: int, threads: int) -> None:
    import random
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection

    from gongkai.foi import services
    from gongkai.foi.models import Request
    from gongkai.foi.seed import resident_id
    from gongkai.orgs.models import Org

    org_ids = list(
        Org.objects.filter(name__in=["示范市教育局", "示范市人力资源和社会保障局"]).values_list(
            "pk", flat=True
        )
    )
    rng = random.Random(42)
    ids = set()
    while len(ids) < n:
        ids.add(resident_id(rng))
    ids = sorted(ids)

    def submit(i):
        t0 = time.perf_counter()
        try:
            data = services.ApplicationInput(
                org=Org.objects.get(pk=org_ids[i % len(org_ids)]),
                applicant_kind="natural_person",
                name=f"并发测试{i:03d}",
                id_type="resident_id",
                id_number=ids[i],
                phone="13800138000",
                description=f"并发提交测试第{i}号：2025年第{i % 4 + 1}季度有关项目的资金拨付情况",
                form="electronic",
            )
            number = services.request_submit(
                data=data, source_address=f"10.{i // 250}.{i % 250}.7"
            ).request.number
            return number, None, time.perf_counter() - t0
        except Exception as exc:  # every error is counted and shown
            return None, f"{type(exc).__name__}: {exc}", time.perf_counter() - t0
        finally:
            connection.close()

    before = Request.objects.count()
    t0 = time.perf_counter()
    with ThreadPoolExecutor(max_workers=threads) as pool:
        results = list(pool.map(submit, range(n)))
    wall = time.perf_counter() - t0
    numbers = [r[0] for r in results if r[0]]
    errors = [r[1] for r in results if r[1]]
    created = Request.objects.count() - before
    stored = Request.objects.filter(number__in=numbers).count()
    print(
        f"\n{n} concurrent public submissions from {threads} threads: {wall:.1f} s wall, "
        f"{n / wall:.1f} submissions/s"
    )
    print(f"  created {created}, distinct numbers {len(set(numbers))} ({stored} stored), "
          f"errors {len(errors)}")  # fmt: skip
    serials = sorted(int(x.rsplit("-", 1)[1]) for x in numbers)
    gaps = serials and serials[-1] - serials[0] + 1 - len(serials)
    print(
        f"  serials {serials[0] if serials else '-'}…{serials[-1] if serials else '-'}, gaps {gaps}"
    )
    print(f"  latency per submission: {summary([r[2] for r in results])}")
    for e in sorted(set(errors))[:5]:
        print(f"  error: {e}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=100000)
    parser.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--dir", help="var dir (SQLite: where the database is created)")
    parser.add_argument(
        "--postgres-url", default="postgres://postgres@127.0.0.1:5432/gongkai_bench_foi"
    )
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--submissions", type=int, default=200)
    parser.add_argument("--threads", type=int, default=50)
    args = parser.parse_args()
    var_dir = setup(args)

    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from gongkai.core.models import AuditEvent
    from gongkai.foi import selectors, services
    from gongkai.foi.models import ClockEvent, Reminder, Request
    from gongkai.foi.seed import requests_seed
    from gongkai.foi.workflow import OPEN, PAUSED
    from gongkai.orgs.demo import load_demo_region

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    load_demo_region()
    print(f"backend: {args.backend} ({connection.vendor}), var dir {var_dir}")
    print(f"database built (migrate + demo region) in {time.perf_counter() - t0:.1f} s")

    t0 = time.perf_counter()
    requests_seed(
        args.requests, progress=lambda d, t: print(f"  seeded {d}/{t}", end="\r", flush=True)
    )
    took = time.perf_counter() - t0
    events = ClockEvent.objects.count()
    print(
        f"\nseed: {args.requests} requests ({events} clock events) in {took:.1f} s = "
        f"{args.requests / took:.0f} requests/s"
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
    today = services.today()
    open_qs = Request.objects.filter(status__in=OPEN)
    print(
        f"today {today}: {open_qs.count()} open ({open_qs.filter(status__in=PAUSED).count()} "
        f"paused), {open_qs.exclude(status__in=PAUSED).filter(due_date__lt=today).count()} "
        f"overdue, {Request.objects.filter(late=True).count()} answered late"
    )

    print(f"\nmilliseconds; each measured {args.repeat} times unless n says otherwise")
    t0 = time.perf_counter()
    first = services.check_deadlines(on=today)
    t_first = time.perf_counter() - t0
    print(
        f"check_deadlines, first run:   {t_first * 1000:8.1f} ms  (n=1): checked {first.checked}, "
        f"{first.reminders} reminders + {first.overdue} overdue notices written"
    )
    times, again = timed(lambda: services.check_deadlines(on=today), args.repeat)
    print(
        f"check_deadlines, again:       {summary(times)}: {len(again.notices)} new notices, "
        f"{Reminder.objects.count()} reminders stored"
    )

    users = get_user_model().objects
    handler = users.get(username="demo-handler")
    supervisor = users.get(username="demo-supervisor")

    def queue():
        handler_fresh = users.get(pk=handler.pk)  # the reach is cached on the user object
        return selectors.handler_queue(user=handler_fresh, today=today)

    queue()
    times, rows = timed(queue, args.repeat)
    print(f"handler_queue (demo-handler): {summary(times)}: {len(rows)} rows, "
          f"{queries(queue)} queries")  # fmt: skip

    client = Client(HTTP_HOST="localhost")
    client.force_login(handler)

    def page():
        response = client.get("/workbench/requests/")
        assert response.status_code == 200, response.status_code
        return response

    page()
    times, response = timed(page, args.repeat)
    print(
        f"/workbench/requests/ page:    {summary(times)}: {len(response.content) // 1024} KiB, "
        f"{queries(page)} queries"
    )

    def overdue_list():
        who = users.get(pk=supervisor.pk)
        qs = selectors.overdue(user=who, today=today)
        return list(qs[:200]), qs.count()

    overdue_list()
    times, (listed, total) = timed(overdue_list, args.repeat)
    print(f"overdue list (demo-supervisor, region): {summary(times)}: {total} overdue, "
          f"{len(listed)} listed")  # fmt: skip

    if connection.vendor == "postgresql":
        concurrent_submissions(args.submissions, args.threads)
        from gongkai.core.audit import verify_chain

        t0 = time.perf_counter()
        report = verify_chain()
        print(
            f"audit chain: ok={report.ok}, {report.checked} events checked in "
            f"{time.perf_counter() - t0:.1f} s ({AuditEvent.objects.count()} events)"
        )
    else:
        print("\n(concurrent submissions: PostgreSQL only)")


if __name__ == "__main__":
    main()

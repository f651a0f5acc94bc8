"""Time deadline computations: the pure calendar, and the database-backed one per request.

Prints what it measured; asserts nothing. Uses a throw-away SQLite database in a temp dir.
Usage: .venv/bin/python bench/workdays.py [--n 20000]
"""

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=20000, help="deadlines to compute")
    args = parser.parse_args()
    os.environ["GONGKAI_VAR_DIR"] = tempfile.mkdtemp(prefix="gongkai-bench-")
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from gongkai.core import workdays

    call_command("migrate", verbosity=0)
    rng = random.Random(42)
    starts = [dt.date(2005, 1, 1) + dt.timedelta(days=rng.randrange(7600)) for _ in range(args.n)]

    cal = workdays.calendar()
    t0 = time.perf_counter()
    for start in starts:
        cal.add_working_days(start, 20)
    shared = time.perf_counter() - t0
    print(
        f"one Calendar object, {args.n} x add_working_days(start, 20): "
        f"{shared * 1e6 / args.n:.1f} µs each ({args.n / shared:,.0f}/s)"
    )

    samples = []
    for start in starts[:2000]:
        t = time.perf_counter()
        workdays.add_working_days(start, 20)  # fresh calendar: what one web request pays
        samples.append((time.perf_counter() - t) * 1000)
    samples.sort()
    q = statistics.quantiles(samples, n=100)
    print(
        f"fresh calendar per call (2 queries per year touched), 2000 calls: "
        f"p50 {q[49]:.2f} ms, p95 {q[94]:.2f} ms, p99 {q[98]:.2f} ms"
    )


if __name__ == "__main__":
    main()

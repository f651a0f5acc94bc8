"""The public side under load: gunicorn on loopback, driven by wrk; then 200 concurrent
submissions through the API. Prints what it measured; asserts nothing.

Builds a fresh database (migrate, the demo region, `--documents` more seeded documents), starts
gunicorn on a free loopback port and measures, for each page of the mix (home, a search, a
document page, the normative list, the API's document list) and for the mix itself (the pages in
turn): requests/s, p50/p95/p99 latency and errors, with `--clients` concurrent connections for
`--seconds` each — once with the public-page cache on and once with it off
(GONGKAI_PUBLIC_CACHE=0). Then `--submissions` disclosure requests are posted at once
(threads, each its own connection and X-Forwarded-For address behind a trusted proxy setting)
to /api/v1/foi/requests: how many were created, lost, duplicated, and the rate.

wrk (Debian package `wrk`, installed by scripts/system-deps.sh) is the load tool: written in
C, it leaves the CPU to the server on this 2-core machine, where a Python load generator would
take half of it.

Usage: .venv/bin/python bench/load.py [--backend sqlite|postgres] [--postgres-url URL]
           [--documents N] [--clients 50] [--seconds 10] [--workers 5] [--submissions 200]
           [--redis-url redis://127.0.0.1:6379/5] [--replica-urls URL[,URL]]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
VENV_BIN = ROOT / ".venv" / "bin"

LUA = r"""
paths = {%(paths)s}
counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1], {["Accept-Language"] = "zh-hans"})
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULT {\"requests\": %%d, \"duration_us\": %%d, \"socket_errors\": %%d, \"bad_status\": %%d, " ..
    "\"p50\": %%d, \"p95\": %%d, \"p99\": %%d}\n",
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare(args) -> None:
    from django.core.management import call_command

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("demo", "--no-serve", stdout=open(os.devnull, "w"))  # noqa: SIM115
    print(f"demo data loaded in {time.perf_counter() - t0:.0f} s")
    if args.documents:
        from gongkai.documents.seed import documents_seed

        t0 = time.perf_counter()
        documents_seed(count=args.documents)
        print(f"{args.documents} documents seeded in {time.perf_counter() - t0:.0f} s")


def pick_paths() -> dict[str, str]:
    """One real document of the database just built, and the pages of the mix."""
    from gongkai.documents.models import Document

    doc = Document.objects.filter(status="published").order_by("-published_at").first()
    q = urllib.parse.quote("教育")
    return {
        "home": "/",
        "search": f"/search/?q={q}",
        "document": urllib.parse.quote(doc.get_absolute_url(), safe="/"),
        "normative": "/normative/",
        "api-list": "/api/v1/documents?page_size=20",
    }


def start_server(args, env, port: int, *, cache: bool) -> subprocess.Popen:
    server_env = dict(env)
    if not cache:
        server_env["GONGKAI_PUBLIC_CACHE"] = "0"
    proc = subprocess.Popen(  # noqa: S603 - our own venv's gunicorn, fixed arguments
        [str(VENV_BIN / "gunicorn"), "gongkai.config.wsgi:application",
         "--bind", f"127.0.0.1:{port}", "--workers", str(args.workers),
         "--worker-class", "gthread", "--threads", str(args.threads),
         "--log-level", "warning", "--keep-alive", "5"],
        env=server_env, cwd=ROOT,
    )  # fmt: skip
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    sys.exit("gunicorn did not start within 60 s")


def wrk(port: int, paths: list[str], args) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as fh:
        fh.write(LUA % {"paths": ", ".join(json.dumps(p) for p in paths)})
        script = fh.name
    try:
        out = subprocess.run(  # noqa: S603 - wrk with fixed arguments
            # wrk is found on PATH (main() checks), as Debian installs it.
            ["wrk", "-t2", f"-c{args.clients}", f"-d{args.seconds}s", "--timeout", "10s",  # noqa: S607
             "-s", script, f"http://127.0.0.1:{port}"],
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
    finally:
        os.unlink(script)
    line = next(x for x in out.splitlines() if x.startswith("RESULT "))
    result = json.loads(line[len("RESULT ") :])
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    return result


def warm(port: int, paths: list[str]) -> None:
    """Each page twice (a search is kept from its second request on), so that the cached run
    measures the cache, not its first fill."""
    import http.client

    for path in [*paths, *paths]:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request("GET", path, headers={"Accept-Language": "zh-hans"})
        response = conn.getresponse()
        response.read()
        if response.status != 200:
            print(f"  warning: {path} answered {response.status}")
        conn.close()


def page_table(port: int, pages: dict[str, str], args, label: str) -> None:
    print(f"\n{label}: {args.clients} connections, {args.seconds} s each")
    print(f"  {'page':<10} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7}")
    warm(port, list(pages.values()))
    rows = [*pages.items(), ("mix", None)]
    for name, path in rows:
        r = wrk(port, [path] if path else list(pages.values()), args)
        errors = r["socket_errors"] + r["bad_status"]
        print(
            f"  {name:<10} {r['rps']:8.0f} {r['p50'] / 1000:8.1f} {r['p95'] / 1000:8.1f} "
            f"{r['p99'] / 1000:8.1f} {errors:7d}"
        )


def submissions(port: int, n: int) -> None:
    """`n` disclosure requests posted at the same moment through the public API."""
    import http.client

    from gongkai.foi.models import Request
    from gongkai.orgs.models import Org

    org = Org.objects.get(name="示范市教育局").code
    import random

    from gongkai.foi.seed import resident_id

    rng = random.Random(7)
    ids: set[str] = set()
    while len(ids) < n:
        ids.add(resident_id(rng))
    ids_list = sorted(ids)
    barrier = threading.Barrier(n)
    results: list = [None] * n

    def one(i: int) -> None:
        body = json.dumps(
            {
                "org": org,
                "applicant_kind": "natural_person",
                "name": f"并发测试{i:03d}",
                "id_type": "resident_id",
                "id_number": ids_list[i],
                "phone": "13800138000",
                "description": f"并发提交测试第{i}号：2025年第{i % 4 + 1}季度有关项目的资金拨付情况",
                "form": "electronic",
            }
        ).encode()
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        barrier.wait()
        t0 = time.perf_counter()
        try:
            conn.request(
                "POST", "/api/v1/foi/requests", body=body,
                headers={"Content-Type": "application/json",
                         "X-Forwarded-For": f"10.{i // 250}.{i % 250}.9"},
            )  # fmt: skip
            response = conn.getresponse()
            payload = response.read()
            number = json.loads(payload).get("number") if response.status == 201 else None
            results[i] = (response.status, number, time.perf_counter() - t0, payload[:200])
        except Exception as exc:  # every failure is counted and shown
            results[i] = (0, None, time.perf_counter() - t0, repr(exc).encode())
        finally:
            conn.close()

    threads = [threading.Thread(target=one, args=(i,)) for i in range(n)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    numbers = [r[1] for r in results if r[1]]
    count = Request.objects.filter(name__startswith="并发测试").count()
    latencies = sorted(r[2] for r in results)
    print(f"\n{n} concurrent submissions to /api/v1/foi/requests: {wall:.1f} s, {n / wall:.1f}/s")
    print(
        f"  201 answers {len(numbers)}, stored {count}, lost {n - count}, "
        f"duplicate numbers {len(numbers) - len(set(numbers))}, "
        f"latency p50 {latencies[n // 2] * 1000:.0f} ms, max {latencies[-1] * 1000:.0f} ms"
    )
    for status, _number, _t, payload in results:
        if status != 201:
            print(f"  failed: {status} {payload.decode(errors='replace')}")
            break


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument(
        "--postgres-url", default="postgres://postgres@127.0.0.1:5432/gk_bench_load"
    )
    parser.add_argument("--dir", help="var dir (default: a new temporary one)")
    parser.add_argument("--documents", type=int, default=0)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--submissions", type=int, default=200)
    parser.add_argument("--redis-url", default="", help="GONGKAI_REDIS_URL for the server")
    parser.add_argument("--replica-urls", default="", help="GONGKAI_REPLICA_URLS for the server")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("MISSING wrk: install it with `apt-get install wrk` (scripts/system-deps.sh does)")
        sys.exit(2)

    from bench.common import fresh_database

    var_dir = fresh_database(args, "gongkai-bench-load-")
    env = dict(
        os.environ, GONGKAI_VAR_DIR=var_dir, DJANGO_SETTINGS_MODULE="gongkai.config.settings"
    )
    # The bench's clients stand behind a proxy on loopback: each submission has its own address.
    env["GONGKAI_TRUSTED_PROXIES"] = "127.0.0.1/32"
    if args.redis_url:
        env["GONGKAI_REDIS_URL"] = args.redis_url
    if args.replica_urls:
        env["GONGKAI_REPLICA_URLS"] = args.replica_urls
    print(
        f"backend {args.backend}, cache {'redis' if args.redis_url else 'default'}, "
        f"gunicorn {args.workers} workers × {args.threads} threads, var dir {var_dir}"
    )
    prepare(args)
    pages = pick_paths()
    for cache in (True, False):
        port = free_port()
        server = start_server(args, env, port, cache=cache)
        try:
            page_table(port, pages, args, "cached" if cache else "uncached")
            if cache and args.submissions:
                submissions(port, args.submissions)
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()

"""Full-text search: build a corpus, then time a fixed set of queries through gongkai and raw.

Prints what it measured; asserts nothing. For each query: gongkai's own search (parse, tiers,
the count up to 10,000, the page's documents, highlighting) and the same match run directly
against the engine (FTS5 MATCH / tsquery: the count up to the same bound and the first 20 in
the same order — title matches, then the rest, newest first within each — by the plainest
queries), so gongkai's overhead shows; then the time of each stage of gongkai's search. Also the index build rate, the index size, and the recall of the
analysis against a substring scan of a sample: fixed words, and random 2–6-character
substrings of the Chinese text of random bodies (across word boundaries: the "cross-boundary"
group, also timed).

Usage: .venv/bin/python bench/search.py --documents 100000 --backend sqlite [--dir DIR]
       .venv/bin/python bench/search.py --documents 100000 --backend postgres
A corpus is kept in --dir (SQLite) or the database gongkai_bench (PostgreSQL) and only grown on
later runs, so a million documents are generated once.
"""

import argparse
import os
import random
import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

WORDS_2 = ["公开", "低保", "河长", "防汛", "消防"]
WORDS_4 = ["政务公开", "安全生产", "权责清单", "森林防火", "社会救助"]
WORDS_8 = ["养老服务体系建设", "公共资源交易管理", "政务服务一网通办", "老旧小区改造工作"]
PHRASES = ["垃圾分类 实施方案", "森林防火 应急预案", "安全生产 专项行动", "工作的通知"]
RECALL_WORDS = [
    "公开", "工作日", "依申请公开", "权责清单", "办理时限", "获得感", "网上办", "作取得",
    "推动更多", "群众满意度", "追责问责", "专项资金",
]  # fmt: skip


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))] * 1000


def index_size(connection) -> str:
    """The engine's index on disk: FTS5's tables, or the entry table with its indexes."""
    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            cur.execute(
                "SELECT name, SUM(pgsize) FROM dbstat WHERE name LIKE 'search%' GROUP BY name"
            )
            sizes = dict(cur.fetchall())
            fts = sum(v for k, v in sizes.items() if k.startswith("search_fts"))
            terms = sizes.get("search_fts_data", 0)
            entries = sum(v for k, v in sizes.items() if not k.startswith("search_fts"))
            return (
                f"FTS5 {fts / 2**20:.0f} MB (terms {terms / 2**20:.0f} MB, stored text "
                f"{sizes.get('search_fts_content', 0) / 2**20:.0f} MB), entries with their "
                f"indexes {entries / 2**20:.0f} MB"
            )
        cur.execute(
            "SELECT pg_total_relation_size('search_searchentry'), i.relname, am.amname, "
            "pg_relation_size(i.oid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
            "JOIN pg_am am ON am.oid = i.relam WHERE x.indrelid = 'search_searchentry'::regclass "
            "AND am.amname IN ('gin', 'rum')"
        )
        rows = cur.fetchall()
        total = rows[0][0] if rows else 0
        engines = ", ".join(f"{am} {size / 2**20:.0f} MB" for _, _, am, size in rows)
        return f"entries with vectors and indexes {total / 2**20:.0f} MB ({engines})"


CJK_RUN = re.compile("[\u4e00-\u9fff]{2,}")


def cross_boundary(documents, n, rng) -> list[str]:
    """Random 2–6-character substrings of the Chinese text of random bodies (punctuation
    removed, as every query is): most of them cross a word boundary."""
    from gongkai.search import tokens
    from gongkai.search.services import plain_text

    found = []
    while len(found) < n:
        doc = rng.choice(documents)
        runs = [
            r for r in CJK_RUN.findall(tokens.normalise(f"{doc.summary} {plain_text(doc.body)}"))
            if len(r) >= 6
        ]  # fmt: skip
        if runs:
            run = rng.choice(runs)
            size = rng.randint(2, 6)
            start = rng.randrange(len(run) - size + 1)
            found.append(run[start : start + size])
    return found


def setup(args):
    if args.backend == "sqlite":
        os.environ["GONGKAI_VAR_DIR"] = args.dir or tempfile.mkdtemp(prefix="gongkai-bench-")
        os.environ.pop("DATABASE_URL", None)
    else:
        import psycopg

        url = args.postgres_url
        base, name = url.rsplit("/", 1)
        with psycopg.connect(base + "/postgres", autocommit=True) as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname=%s", [name]).fetchone():
                conn.execute(f'CREATE DATABASE "{name}"')
        os.environ["DATABASE_URL"] = url
        os.environ["GONGKAI_VAR_DIR"] = args.dir or tempfile.mkdtemp(prefix="gongkai-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.config.settings")
    import django

    django.setup()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--documents", type=int, default=20000)
    parser.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--dir", help="SQLite: keep the corpus here (grown, not rebuilt)")
    parser.add_argument(
        "--postgres-url", default="postgres://postgres@127.0.0.1:5432/gongkai_bench"
    )
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--random", type=int, default=30, help="cross-boundary substrings")
    args = parser.parse_args()
    setup(args)

    from django.core.management import call_command
    from django.db import connection, transaction

    from gongkai.documents.demo import load_demo_columns
    from gongkai.documents.models import Category, Document
    from gongkai.documents.seed import documents_seed
    from gongkai.orgs.demo import load_demo_region
    from gongkai.orgs.models import Org
    from gongkai.search import tokens
    from gongkai.search.backends import get_backend
    from gongkai.search.selectors import resolve_filters, search_documents, search_facets
    from gongkai.search.services import build_many, plain_text

    call_command("migrate", verbosity=0)
    load_demo_region()
    load_demo_columns()
    have = Document.objects.count()
    print(f"backend: {args.backend} ({connection.vendor}); documents already there: {have}")
    if have < args.documents:
        need = args.documents - have
        t0 = time.perf_counter()
        documents_seed(
            count=need,
            seed=have + 1,
            progress=lambda d, t: print(f"  seeded {d}/{t}", end="\r", flush=True),
        )
        dt_ = time.perf_counter() - t0
        print(f"\nseed + index: {need} documents in {dt_:.1f} s = {need / dt_:.0f} documents/s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ANALYZE search_searchentry")
    total = Document.objects.count()

    # Analysis alone (tokenising title, number, body), and a write of that batch, rolled back.
    sample_docs = list(Document.objects.order_by("?")[:2000])
    t0 = time.perf_counter()
    built = build_many(sample_docs)
    t_build = time.perf_counter() - t0
    backend = get_backend()
    with transaction.atomic():
        t0 = time.perf_counter()
        backend.remove([d.pk for d in sample_docs])
        backend.index(built)
        t_write = time.perf_counter() - t0
        transaction.set_rollback(True)
    print(
        f"index build: analysis {len(built) / t_build:.0f} documents/s, "
        f"remove+write {len(built) / t_write:.0f} documents/s (batch of {len(built)})"
    )
    print(f"index size: {index_size(connection)}")
    rng = random.Random(20)
    randoms = cross_boundary(sample_docs, args.random, rng)

    numbers = list(
        Document.objects.exclude(document_number="")
        .order_by("?")
        .values_list("document_number", flat=True)[:3]
    )
    variants = []
    for n in numbers:
        code, rest = n.split("〔")
        year, serial = rest.split("〕")
        variants += [n, f"{code}[{year}]{serial}", f"{code} {year} {serial.rstrip('号')}"]
    district = Org.objects.filter(kind="district_gov").first() or Org.objects.order_by("path")[1]
    cat = Category.objects.order_by("sort_order").first()
    groups = {
        "2 characters": [(w, {}) for w in WORDS_2],
        "4 characters": [(w, {}) for w in WORDS_4],
        "8 characters": [(w, {}) for w in WORDS_8],
        "phrases, several terms": [(w, {}) for w in PHRASES],
        "document numbers": [(w, {}) for w in variants],
        "with filters": [
            ("安全生产", {"org_code": district.code}),
            ("政务公开", {"year": 2024}),
            ("通知", {"category": cat.code}),
            ("防汛", {"org_code": district.code, "year": 2023}),
        ],
        "cross-boundary": [(w, {}) for w in randoms],
        "newest first": [(w, {"sort": "date"}) for w in [*WORDS_2[:3], *WORDS_4[:3], *PHRASES[:2]]],
    }
    print(f"\n{total} documents; each query {args.repeat} times after one warm-up; milliseconds")
    header = f"{'queries':<24}{'gongkai p50':>12}{'p95':>8}{'p99':>8}{'engine p50':>12}{'p95':>8}{'p99':>8}{'ratio p95':>10}"
    print(header)
    all_ours, all_raw = [], []
    first_ok = {"number": 0, "all": 0}
    for name, queries in groups.items():
        ours, raw = [], []
        capped = 0
        for q, f in queries:
            f = dict(f)
            sort = f.pop("sort", "relevance")
            filters = resolve_filters(**f) if f else None
            query = tokens.parse(q, filters)
            res = search_documents(q, filters=filters, sort=sort)
            capped += res.capped
            backend.raw_match(query, 20, sort)
            if name == "document numbers":
                first_ok["all"] += 1
                first_ok["number"] += bool(res.hits) and res.hits[0].tier == "number"
            for _ in range(args.repeat):
                t0 = time.perf_counter()
                search_documents(q, filters=filters, sort=sort)
                ours.append(time.perf_counter() - t0)
                t0 = time.perf_counter()
                backend.raw_match(query, 20, sort)
                raw.append(time.perf_counter() - t0)
        all_ours += ours
        all_raw += raw
        print(
            f"{name:<24}{pct(ours, 50):>12.1f}{pct(ours, 95):>8.1f}{pct(ours, 99):>8.1f}"
            f"{pct(raw, 50):>12.1f}{pct(raw, 95):>8.1f}{pct(raw, 99):>8.1f}{pct(ours, 95) / max(pct(raw, 95), 1e-6):>10.2f}"
            f"   ({len(queries)} queries, {capped} over 10,000)"
        )
    print(
        f"{'all':<24}{pct(all_ours, 50):>12.1f}{pct(all_ours, 95):>8.1f}{pct(all_ours, 99):>8.1f}"
        f"{pct(all_raw, 50):>12.1f}{pct(all_raw, 95):>8.1f}{pct(all_raw, 99):>8.1f}{pct(all_ours, 95) / max(pct(all_raw, 95), 1e-6):>10.2f}"
    )
    print(f"document number ranked first: {first_ok['number']}/{first_ok['all']} spellings")

    # Where gongkai's time goes, per group: each query once more with timers around the stages.
    from gongkai.search.backends import database

    stage: dict[str, float] = {}

    def timed(name, fn):
        def wrapped(*a, **k):
            t0 = time.perf_counter()
            try:
                return fn(*a, **k)
            finally:
                stage[name] = stage.get(name, 0.0) + time.perf_counter() - t0

        return wrapped

    patches = [
        (tokens, "parse", "parse"),
        # The engine's own _count (PostgreSQL's samples a phrase's candidates, then may call
        # the shared one): timed once, outermost.
        (type(backend), "_count", "count"),
        (database.DatabaseBackend, "_ids", "tier pages"),
        (type(backend), "search", "engine"),
    ]
    saved = [(obj, attr, obj.__dict__.get(attr)) for obj, attr, _ in patches]
    for obj, attr, name in patches:
        setattr(obj, attr, timed(name, getattr(obj, attr)))
    print("\nper stage, mean ms per query (engine other: number tier, planner settings, checks;")
    print("documents: the number lookup, the page's documents, snippets and highlighting):")
    print(
        f"{'queries':<24}{'parse':>8}{'count':>8}{'tiers':>8}{'other':>8}{'documents':>11}{'total':>8}"
    )
    try:
        for name, queries in groups.items():
            stage.clear()
            total_time = 0.0
            for q, f in queries:
                f = dict(f)
                sort = f.pop("sort", "relevance")
                filters = resolve_filters(**f) if f else None
                t0 = time.perf_counter()
                search_documents(q, filters=filters, sort=sort)
                total_time += time.perf_counter() - t0
            n = len(queries)
            parse, count, pages = (stage.get(k, 0.0) for k in ("parse", "count", "tier pages"))
            engine = stage.get("engine", 0.0)
            print(
                f"{name:<24}{parse / n * 1000:>8.2f}{count / n * 1000:>8.1f}{pages / n * 1000:>8.1f}"
                f"{(engine - count - pages) / n * 1000:>8.1f}"
                f"{(total_time - engine - parse) / n * 1000:>11.1f}{total_time / n * 1000:>8.1f}"
            )
    finally:
        for obj, attr, fn in saved:
            if fn is None:
                delattr(obj, attr)  # inherited: remove the timed wrapper
            else:
                setattr(obj, attr, fn)

    times = []
    for q in ["公开", "安全生产", "森林防火 应急预案"]:
        t0 = time.perf_counter()
        facets = search_facets(q)
        times.append(time.perf_counter() - t0)
    print(
        f"facets (search page): {', '.join(f'{t * 1000:.0f}' for t in times)} ms"
        f" for 公开 / 安全生产 / 森林防火 应急预案 (sampled: {facets.sampled})"
    )

    # Recall and precision of the analysis, against a plain substring scan of a sample.
    sample = list(Document.objects.filter(search_entry__isnull=False).order_by("?")[:3000])
    entry_ids = {d.pk: d.search_entry.id for d in sample}
    print(f"\nrecall / precision against a substring scan of {len(sample)} random documents:")
    worst = {"recall": 1.0, "precision": 1.0}
    for word in [*RECALL_WORDS, *randoms]:
        norm = tokens.normalise(word)
        truth = {
            d.pk for d in sample
            if norm in tokens.normalise(f"{d.title}{d.document_number}{d.summary}{plain_text(d.body)}")
        }  # fmt: skip
        query = tokens.parse(word)
        sql, params = backend._matching(backend.expression(query), query)
        marks = ",".join(["%s"] * len(entry_ids))
        with connection.cursor() as cur:
            cur.execute(
                f"SELECT document_id FROM ({sql}) x WHERE id IN ({marks})",
                [*params, *entry_ids.values()],
            )
            got = {r[0] for r in cur.fetchall()}
        hit = len(truth & got)
        recall = hit / len(truth) if truth else 1.0
        precision = hit / len(got) if got else 1.0
        worst["recall"] = min(worst["recall"], recall)
        worst["precision"] = min(worst["precision"], precision)
        if word in RECALL_WORDS or recall < 1 or precision < 1:
            print(f"  {word:<8} in {len(truth):>5}: recall {recall:.3f}, precision {precision:.3f}")
    print(
        f"  {len(randoms)} random cross-boundary substrings ({', '.join(randoms[:6])} …): "
        f"lowest recall {worst['recall']:.3f}, lowest precision {worst['precision']:.3f} "
        "(over all words above)"
    )


if __name__ == "__main__":
    main()

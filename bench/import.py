"""Bulk import and compilation at volume. Prints what it measured; asserts nothing.

Builds a fresh database (migrate, the demo region), writes generated GB/T 9704-style documents
to a folder, and times `gongkai.documents.importer.run` with `--publish` semantics (reading,
identification, text extraction, header parsing, the document services with their scans and
audit events, review and publication, search indexing):

- TXT and DOCX: N files (half each; target ≥ 100 files per second on a 2-core machine);
- PDF: a smaller number (PDF text extraction is slower; the rate is reported);
- a compilation of 500 normative documents to DOCX and to PDF.

Usage: .venv/bin/python bench/import.py [--files 10000] [--pdfs 200] [--compile 500]
       [--backend sqlite|postgres] [--postgres-url URL] [--dir DIR]
"""

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

# bench/ first on sys.path lets a script name shadow a standard module; import from the root.
HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
sys.path.insert(0, str(HERE.parent))

TOPICS = [
    "校园安全",
    "招生入学",
    "教师培训",
    "学生资助",
    "课后服务",
    "食品安全",
    "体育美育",
    "校外培训",
]


def text(n: int) -> str:
    topic = TOPICS[n % len(TOPICS)]
    body = "\n".join(
        f"{i}、各单位要高度重视{topic}工作，明确责任分工，建立工作台账，于每季度末报送进展情况。"
        for i in "一二三四五六七八"
    )
    return (
        f"示范市教育局文件\n\n示教〔2024〕{n}号\n\n示范市教育局\n关于做好第{n}号{topic}\n工作的通知\n\n"
        f"各区县（市）教育局，市直各学校：\n\n为进一步做好{topic}工作，现将有关事项通知如下。\n{body}\n\n"
        f"附件：1.工作台账\n2.联系人名单\n\n示范市教育局\n2024年{n % 12 + 1}月{n % 28 + 1}日\n"
    )


def setup(args) -> None:
    from bench.common import fresh_database

    fresh_database(args, "gongkai-bench-import-")
    from django.core.management import call_command

    from gongkai.orgs.demo import load_demo_region

    call_command("migrate", verbosity=0)
    load_demo_region()


def run_import(folder: Path, org, label: str) -> None:
    from gongkai.documents import importer
    from gongkai.orgs.permissions import CommandLine

    t0 = time.perf_counter()
    results = list(importer.run(actor=CommandLine("bench"), org=org, root=folder, publish=True))
    elapsed = time.perf_counter() - t0
    statuses: dict[str, int] = {}
    for r in results:
        statuses[r.status] = statuses.get(r.status, 0) + 1
    print(
        f"{label}: {len(results)} files in {elapsed:.1f} s = {len(results) / elapsed:.1f} files/s "
        f"({statuses})"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=10_000, help="TXT + DOCX files (half each)")
    parser.add_argument("--pdfs", type=int, default=200)
    parser.add_argument("--compile", type=int, default=500)
    parser.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument(
        "--postgres-url", default="postgresql://postgres@127.0.0.1:5432/gongkai_bench"
    )
    parser.add_argument("--dir")
    args = parser.parse_args()
    t0 = time.perf_counter()
    setup(args)
    print(f"database built in {time.perf_counter() - t0:.1f} s ({args.backend})")

    from gongkai.documents.tests.files import docx_bytes as make_docx
    from gongkai.documents.tests.files import pdf_bytes as make_pdf
    from gongkai.orgs.models import Org

    org = Org.objects.get(name="示范市教育局")
    work = Path(tempfile.mkdtemp(prefix="gongkai-bench-files-"))
    t0 = time.perf_counter()
    txt, docx_dir, pdf_dir = work / "txt", work / "docx", work / "pdf"
    for d in (txt, docx_dir, pdf_dir):
        d.mkdir()
    half = args.files // 2
    for n in range(1, half + 1):
        (txt / f"{n:05d}.txt").write_text(text(n), encoding="utf-8")
        (docx_dir / f"{n:05d}.docx").write_bytes(make_docx(text(half + n)))
    for n in range(1, args.pdfs + 1):
        (pdf_dir / f"{n:05d}.pdf").write_bytes(make_pdf(text(args.files + n)))
    print(
        f"generated {args.files} TXT/DOCX and {args.pdfs} PDF files in {time.perf_counter() - t0:.1f} s"
    )

    run_import(txt, org, "TXT ")
    run_import(docx_dir, org, "DOCX")
    from gongkai.documents.models import Document

    both = Document.objects.filter(status="published", title__contains="工作的通知").count()
    print(f"TXT+DOCX published and indexed: {both}")
    if args.pdfs:
        run_import(pdf_dir, org, "PDF ")

    if args.compile:
        from gongkai.normative import compilation, services

        legal = __import__("gongkai.orgs.permissions", fromlist=["CommandLine"]).CommandLine(
            "bench"
        )
        docs = list(
            Document.objects.filter(status="published", org=org).order_by("pk")[: args.compile]
        )
        t0 = time.perf_counter()
        for doc in docs:
            services.normative_register(actor=legal, document=doc, effective_date=doc.date_signed)
        print(f"registered {len(docs)} normative documents in {time.perf_counter() - t0:.1f} s")
        book = compilation.build(org=org, valid_on=dt.date(2024, 12, 31))
        for fmt in ("docx", "pdf"):
            t0 = time.perf_counter()
            data = compilation.render(book, fmt)
            print(
                f"compilation of {len(book.entries)} documents to {fmt.upper()}: "
                f"{time.perf_counter() - t0:.1f} s, {len(data) / 1e6:.1f} MB"
            )


if __name__ == "__main__":
    main()

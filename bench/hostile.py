"""Hostile files: how fast each is refused and how much memory it costs. Prints; asserts nothing.

For every file of `gongkai.core.tests.hostile.ALL` (zip bombs by size, of spaces, a paragraph
flood, 100,000 members, entity expansion, deep nesting, a nested zip, a 200 MB file, a disguised
executable, a corrupt DOCX) a fresh process takes the path every upload takes — the size check
on the stored upload, then `core.textextract.identify` on its bytes — and reports the outcome,
the wall time and the peak extra memory (max RSS after minus before). Target: every hostile file
refused in under 2 s with under 200 MB extra memory.

Usage: .venv/bin/python bench/hostile.py
"""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
sys.path.insert(0, str(HERE.parent))

CHILD = r"""
import os, resource, sys, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.config.settings")
import django
django.setup()
from django.conf import settings
from gongkai.core import textextract
from gongkai.core.exceptions import ApplicationError
import defusedxml.ElementTree, openpyxl, pypdf, charset_normalizer  # loaded before measuring

path, name = sys.argv[1], sys.argv[2]
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.perf_counter()
if os.path.getsize(path) > settings.GONGKAI_MAX_ATTACHMENT_BYTES:
    outcome = "refused: too_large (upload size, not read)"
else:
    with open(path, "rb") as f:
        data = f.read()
    try:
        found = textextract.identify(data, name)
        outcome = f"accepted: {found.kind}, {len(found.text):,} characters"
    except ApplicationError as error:
        outcome = f"refused: {error.code}"
seconds = time.perf_counter() - started
extra = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
print(f"{seconds:.3f}\t{extra:.0f}\t{outcome}")
"""


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.config.settings")
    os.environ.setdefault("GONGKAI_VAR_DIR", tempfile.mkdtemp(prefix="gongkai-hostile-"))
    import django

    django.setup()
    from gongkai.core.tests.hostile import ALL

    print(f"{'file':<44} {'size':>10} {'time s':>7} {'+MB':>6}  outcome")
    worst_time = worst_memory = 0.0
    with tempfile.TemporaryDirectory() as folder:
        for label, (name, build) in ALL.items():
            data = build()
            path = Path(folder) / name
            path.write_bytes(data)
            del data
            result = subprocess.run(  # noqa: S603 - our own interpreter and script
                [sys.executable, "-c", CHILD, str(path), name],
                capture_output=True,
                text=True,
                check=True,
                cwd=HERE.parent,
            )
            seconds, extra, outcome = result.stdout.strip().split("\t")
            size = path.stat().st_size
            path.unlink()
            worst_time = max(worst_time, float(seconds))
            worst_memory = max(worst_memory, float(extra))
            print(f"{label:<44} {size:>10,} {float(seconds):>7.3f} {float(extra):>6.0f}  {outcome}")
    print(f"worst: {worst_time:.3f} s, {worst_memory:.0f} MB extra (target < 2 s, < 200 MB)")


if __name__ == "__main__":
    main()

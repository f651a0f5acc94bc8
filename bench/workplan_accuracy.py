"""Accuracy of the work-plan extractor against hand annotations.

Runs gongkai.supervision.extract on every X.txt, X.html and X.docx in DIR that has an
X.expected.json beside it and prints precision, recall and F1 per file and overall
(micro-averaged over all files). HTML and DOCX files are read as the workbench upload reads them
(`textextract.identify`, then `supervision.structure.plan_text` so their tables arrive as rows):

* tasks: a task matches when number AND text match (all whitespace removed on both sides);
* lead / responsible units: multisets of (number, unit) pairs; an expected `null` list is
  "uncertain" and skipped, and so is the task's extracted list;
* deadlines: (number, deadline) pairs for non-null deadlines.

Units and deadlines are compared only on matched tasks, so a task found under a wrong number
counts once (as a task error), not again per unit. The year comes from the expected file. The
issuer is compared (listed with --show-errors) only where the annotation names one.
Prints what it measured; asserts nothing; exits 0.

Usage: .venv/bin/python bench/workplan_accuracy.py DIR [DIR...] [--show-errors]
                 [--predicted OUT]

With --predicted, the extractor is not run here: OUT/X.json is read instead, as printed by
`gongkai import-workplan X.txt --year YYYY --json > OUT/X.json` (so the command is what is scored).
"""

import argparse
import json
import os
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

# The repo root instead of bench/ itself, so no script name shadows a standard module.
sys.path[0] = str(Path(__file__).resolve().parents[1])

METRICS = ["tasks", "lead", "responsible", "units", "deadlines"]


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, expected: Counter, got: Counter) -> tuple[Counter, Counter]:
        both = expected & got
        self.tp += sum(both.values())
        self.fp += sum((got - both).values())
        self.fn += sum((expected - both).values())
        return expected - both, got - both

    def __iadd__(self, other):
        self.tp, self.fp, self.fn = self.tp + other.tp, self.fp + other.fp, self.fn + other.fn
        return self

    def scores(self) -> tuple[float, float, float]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)


@dataclass
class Result:
    name: str
    tallies: dict = field(default_factory=lambda: {m: Tally() for m in METRICS})
    errors: list = field(default_factory=list)
    failure: str = ""
    expected: int = 0  # tasks annotated
    got: int = 0  # tasks extracted


def squash(value) -> str:
    return "".join(ch for ch in str(value) if not ch.isspace())


def task_key(task: dict) -> tuple[str, str]:
    return squash(task["number"]), squash(task["text"])


def unit_pairs(tasks: list[dict], key: str, skip: set) -> Counter:
    return Counter(
        (squash(t["number"]), squash(u))
        for t in tasks
        if squash(t["number"]) not in skip
        for u in t[key] or []
    )


SUFFIXES = (".txt", ".html", ".htm", ".docx")


def read_plan(path: Path) -> str:
    """The text the extractor gets for a file, as on upload."""
    if path.suffix == ".txt":
        return path.read_text(encoding="utf-8")
    from gongkai.core import textextract
    from gongkai.supervision.structure import plan_text

    data = path.read_bytes()
    found = textextract.identify(data, path.name)
    return plan_text(data, found.kind) or found.text


def score_file(txt: Path, expected_path: Path, predicted: Path | None = None) -> Result:
    from gongkai.core.exceptions import ApplicationError
    from gongkai.supervision.extract import extract_plan

    result = Result(txt.name)
    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    try:
        if predicted is not None:
            plan = json.loads((predicted / f"{txt.stem}.json").read_text(encoding="utf-8"))
        else:
            plan = extract_plan(read_plan(txt), year=expected["year"], source=txt.name).as_json()
        got_tasks = plan["tasks"]
    except ApplicationError as exc:
        result.failure = f"refused ({exc.code}): {exc.message}"
        got_tasks = []
    except Exception as exc:  # a bug in the extractor: report it and score the other files
        result.failure = f"crashed: {exc!r}"
        got_tasks = []
    exp_tasks = expected["tasks"]
    result.expected, result.got = len(exp_tasks), len(got_tasks)
    missing, extra = result.tallies["tasks"].add(
        Counter(map(task_key, exp_tasks)), Counter(map(task_key, got_tasks))
    )
    result.errors += [f"missing task {n} {t}" for n, t in missing]
    result.errors += [f"extra task   {n} {t}" for n, t in extra]

    # Units and deadlines only on matched tasks; null expected lists are uncertain.
    matched = {task_key(t) for t in exp_tasks} & {task_key(t) for t in got_tasks}
    exp_m = [t for t in exp_tasks if task_key(t) in matched]
    got_m = [t for t in got_tasks if task_key(t) in matched]
    for metric, key in (("lead", "lead_units"), ("responsible", "responsible_units")):
        skip = {squash(t["number"]) for t in exp_m if t[key] is None}
        missing, extra = result.tallies[metric].add(
            unit_pairs(exp_m, key, skip), unit_pairs(got_m, key, skip)
        )
        result.tallies["units"].add(unit_pairs(exp_m, key, skip), unit_pairs(got_m, key, skip))
        result.errors += [f"missing {metric} {n}: {u}" for n, u in missing]
        result.errors += [f"extra   {metric} {n}: {u}" for n, u in extra]

    def deadlines(tasks):
        return Counter((squash(t["number"]), t["deadline"]) for t in tasks if t["deadline"])

    missing, extra = result.tallies["deadlines"].add(deadlines(exp_m), deadlines(got_m))
    result.errors += [f"missing deadline {n}: {d}" for n, d in missing]
    result.errors += [f"extra   deadline {n}: {d}" for n, d in extra]

    if not result.failure and expected.get("issuer") and expected["issuer"] != plan["issuer"]:
        result.errors.append(f"issuer: expected {expected.get('issuer')}, got {plan['issuer']}")
    return result


def print_table(results: list[Result], show_errors: bool) -> None:
    print(f"{'file':<36}{'exp/got':>9}" + "".join(f"{m:>20}" for m in METRICS))
    print(" " * 45 + "".join(f"{'P':>8}{'R':>6}{'F1':>6}" for _ in METRICS))
    total = {m: Tally() for m in METRICS}
    for result in results:
        cells = []
        for metric in METRICS:
            tally = result.tallies[metric]
            total[metric] += tally
            cells.append("{:>8.3f}{:>6.3f}{:>6.3f}".format(*tally.scores()))
        counts = f"{result.expected}/{result.got}"
        print(f"{result.name[:35]:<36}{counts:>9}" + "".join(cells))
        if result.failure:
            print(f"    extractor {result.failure}")
        if show_errors:
            for error in result.errors:
                print(f"    {error}")
    cells = ["{:>8.3f}{:>6.3f}{:>6.3f}".format(*total[m].scores()) for m in METRICS]
    counts = f"{sum(r.expected for r in results)}/{sum(r.got for r in results)}"
    print(f"{'overall (micro)':<36}{counts:>9}" + "".join(cells))
    counts = ", ".join(f"{m} tp/fp/fn {t.tp}/{t.fp}/{t.fn}" for m, t in total.items())
    print(counts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("dirs", nargs="+", type=Path, help="folders of X.txt + X.expected.json")
    parser.add_argument("--show-errors", action="store_true", help="list every mismatch")
    parser.add_argument(
        "--predicted", type=Path, help="score OUT/X.json (import-workplan --json) instead"
    )
    args = parser.parse_args()
    os.environ.setdefault("GONGKAI_VAR_DIR", tempfile.mkdtemp(prefix="gongkai-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.config.settings")
    import django

    django.setup()

    results = []
    for folder in args.dirs:
        files = sorted(p for p in folder.iterdir() if p.suffix in SUFFIXES)
        for txt in files:
            expected = txt.with_name(txt.stem + ".expected.json")
            if expected.exists():
                results.append(score_file(txt, expected, args.predicted))
    if not results:
        print("no X.txt, X.html or X.docx with X.expected.json found")
        return
    print_table(results, args.show_errors)


if __name__ == "__main__":
    main()

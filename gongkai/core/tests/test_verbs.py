"""Every audit verb the code can record is in the catalog (core.verbs), named by the scheme."""

import ast
from pathlib import Path

import pytest

from gongkai.core import verbs
from gongkai.core.models import AuditEvent
from gongkai.core.tests.test_workflow import TABLES

GONGKAI = Path(__file__).resolve().parents[2]


def _samples(node: ast.AST, constants: dict[str, str]) -> list[str]:
    """The verbs an expression can produce (f-string holes filled with a sample word)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _samples(node.body, constants) + _samples(node.orelse, constants)
    if isinstance(node, ast.Name) and node.id in constants:
        return [constants[node.id]]
    if isinstance(node, ast.JoinedStr):
        return ["".join(v.value if isinstance(v, ast.Constant) else "create" for v in node.values)]
    return []


def recorded_verbs() -> dict[str, str]:
    """verb → where, for every `audit.record(verb=...)` and `verb=` given to the kernel."""
    found = {}
    for path in sorted(GONGKAI.rglob("*.py")):
        relative = path.relative_to(GONGKAI).as_posix()
        if "/tests/" in relative or "/migrations/" in relative or relative == "core/workflow.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        constants = {
            t.id: n.value.value
            for n in tree.body
            if isinstance(n, ast.Assign) and isinstance(n.value, ast.Constant)
            for t in n.targets
            if isinstance(t, ast.Name) and isinstance(n.value.value, str)
        }
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            for keyword in node.keywords:
                if keyword.arg == "verb":
                    for verb in _samples(keyword.value, constants):
                        found[verb] = f"{relative}:{node.lineno}"
    return found


def test_the_scan_finds_the_verbs():
    found = recorded_verbs()
    assert "workplan.report_accept" in found and "workplan.report_return" in found
    assert "foi.demo_load" in found  # through a module constant
    assert len(found) > 50


def test_every_recorded_verb_is_in_the_catalog_and_follows_the_scheme():
    unknown, badly_named = [], []
    for verb, where in recorded_verbs().items():
        entry = verbs.lookup(verb)
        if entry is None:
            unknown.append(f"{verb} ({where})")
        elif not verbs.SCHEME.match(entry.canonical):
            badly_named.append(f"{verb} → {entry.canonical}")
    assert unknown == [], "add these verbs to core/verbs.py:\n" + "\n".join(unknown)
    assert badly_named == []


@pytest.mark.parametrize("table", sorted(TABLES))
def test_every_transition_has_a_canonical_name(table):
    assert table in verbs.WORKFLOWS
    for transition in TABLES[table]:
        entry = verbs.lookup(f"{table}.{transition.name}")
        assert entry is not None
        assert verbs.SCHEME.match(entry.canonical), entry.canonical
        assert entry.label == transition.label


def test_canonical_names_are_unique_per_meaning():
    rows = list(verbs.CATALOG.values())
    assert len({v.canonical for v in rows}) == len(rows)


def test_a_canonical_name_finds_the_stored_events():
    assert verbs.canonical("workplan.report_accept") == "supervision.report.accept"
    assert verbs.stored_names("supervision.report.accept") == [
        "supervision.report.accept",
        "workplan.report_accept",
    ]
    assert "document.publish" in verbs.stored_names("documents.document.publish")
    assert verbs.canonical("foi.reminder_due_soon") == "foi.reminder.due_soon"
    assert verbs.canonical("no.such.verb") == "no.such.verb"


@pytest.mark.django_db
def test_events_keep_their_stored_verb_and_show_the_canonical_one():
    from django.db import transaction

    from gongkai.core import audit

    with transaction.atomic():
        event = audit.record(actor=None, verb="org.update_profile", target=None)
    assert event.verb == "org.update_profile"
    assert event.canonical_verb == "orgs.org.update_profile"
    assert str(event.verb_label) == "修改机构信息"
    assert AuditEvent.objects.filter(verb__in=verbs.stored_names("orgs.org.update_profile"))

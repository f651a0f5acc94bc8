"""The import graph of `gongkai/` points down (README § Layout).

Layers, bottom to top: core; orgs; documents; search; the domains that build on documents
(normative, foi, supervision, participation — side by side, none importing another); reports, which counts
what they all hold; the sites (portal,
workbench) and the project (config). Within any app, the modules that face people or the
command line — views, api, urls, admin, feeds, forms of the sites, management commands,
template tags — sit at the top: they may import any app, and nothing below them may import
them. Function-level imports count the same as module-level ones.
"""

import ast
from pathlib import Path

GONGKAI = Path(__file__).resolve().parents[2]

LAYERS = {
    "core": 0,
    "orgs": 1,
    "documents": 2,
    "search": 3,
    "normative": 4,
    "foi": 4,
    "supervision": 4,
    "participation": 4,
    "catalogs": 4,
    # The website register and self-check look at what every domain publishes and answers.
    "sites": 5,
    "sitecheck": 5,
    # Counts what every domain holds (annual reports, statistics), flagged websites included.
    "reports": 6,
    "portal": 7,
    "workbench": 7,
    "config": 7,
}
TOP = 7
EDGE_PARTS = {"views", "api", "urls", "admin", "feeds", "management", "templatetags"}

# Arrows that stay, and why (each named in the README's Layout section).
ALLOWED: dict[tuple[str, str], str] = {}


def _module(path: Path) -> str:
    parts = list(path.relative_to(GONGKAI.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _place(module: str) -> tuple[str, int, bool] | None:
    """(app, layer, is an edge module) of a gongkai module; None outside the layered apps."""
    parts = module.split(".")
    if parts[0] != "gongkai" or len(parts) < 2 or parts[1] not in LAYERS:
        return None
    edge = any(p in EDGE_PARTS or p.endswith("_views") or p.startswith("urls_") for p in parts[2:])
    return parts[1], LAYERS[parts[1]], edge


def _imports(path: Path, module: str):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            # `from gongkai.x import views` imports a module too.
            yield node.lineno, target
            for alias in node.names:
                yield node.lineno, f"{target}.{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name


def _is_module(name: str) -> bool:
    relative = Path(*name.split("."))
    root = GONGKAI.parent
    return (root / relative).with_suffix(".py").exists() or (root / relative).is_dir()


def upward_imports() -> list[str]:
    found = []
    for path in sorted(GONGKAI.rglob("*.py")):
        relative = path.relative_to(GONGKAI).as_posix()
        if "/tests/" in relative or "/migrations/" in relative or relative == "conftest.py":
            continue
        found += check_file(path, _module(path), relative)
    return found


def check_file(path: Path, source: str, relative: str) -> list[str]:
    found, seen = [], set()
    here = _place(source)
    if here is not None:
        app, layer, edge = here
        for line, target in _imports(path, source):
            there = _place(target)
            if there is None or not _is_module(target):
                continue
            other_app, other_layer, other_edge = there
            if (source, target) in ALLOWED:
                continue
            wrong = (
                # Something below the edge reaching for an edge module (a service using a view).
                (other_edge and not edge and app != "config")
                # A lower layer importing a higher one.
                or (not edge and other_layer > layer)
                # Side-by-side domains importing one another.
                or (not edge and other_layer == layer and other_app != app and layer < TOP)
            )
            if wrong and (line, other_app) not in seen:
                seen.add((line, other_app))
                found.append(f"{relative}:{line}: {source} → {target}")
    return found


def test_no_arrow_points_up():
    found = upward_imports()
    assert found == [], "imports against the layering (README § Layout):\n" + "\n".join(found)


def test_the_check_sees_an_upward_import(tmp_path):
    assert _place("gongkai.documents.services") == ("documents", 2, False)
    assert _place("gongkai.documents.api") == ("documents", 2, True)
    assert _place("gongkai.workbench.foi_views")[2] is True
    probe = tmp_path / "probe.py"
    probe.write_text(
        "from gongkai.search import services\n"  # documents → search: up
        "from gongkai.portal import views\n"  # a service → an edge module
        "from gongkai.orgs import permissions\n"  # down: fine
        "def f():\n    from gongkai.foi import models\n"  # up, inside a function
    )
    found = check_file(probe, "gongkai.documents.probe", "documents/probe.py")
    assert [f.split(":")[1] for f in found] == ["1", "2", "5"], found
    sibling = check_file(
        _write(tmp_path / "s.py", "from gongkai.normative.models import Relation\n"),
        "gongkai.foi.s",
        "foi/s.py",
    )
    assert len(sibling) == 1
    edge = check_file(
        _write(tmp_path / "v.py", "from gongkai.normative import selectors\n"),
        "gongkai.documents.views",
        "documents/views.py",
    )
    assert edge == []


def _write(path: Path, text: str) -> Path:
    path.write_text(text)
    return path

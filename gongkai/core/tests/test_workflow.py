"""The workflow kernel, walked over every declared table, and the rule that only it writes a
status.

For every transition of every app's table: a member holding the permission (or the named
system actor) takes it and an audit event records it; a member without the permission is
refused; a row in a state the transition does not start from is refused and left unchanged.
"""

from __future__ import annotations

import ast
import datetime as dt
import importlib
import itertools
from pathlib import Path

import pytest
from django.apps import apps

from gongkai.core.exceptions import ApplicationError, PermissionDeniedError
from gongkai.core.models import AuditEvent
from gongkai.core.workflow import APPLICANT, REGISTRY, SCHEDULER, SystemActor
from gongkai.orgs import permissions
from gongkai.orgs.models import Membership, Org

GONGKAI = Path(__file__).resolve().parents[2]
HOME = "示范市教育局"
DAY = dt.date(2026, 3, 2)


def _load_tables() -> dict:
    for config in apps.get_app_configs():
        if config.name.startswith("gongkai."):
            try:
                importlib.import_module(f"{config.name}.workflow")
            except ModuleNotFoundError as error:
                if error.name != f"{config.name}.workflow":
                    raise
    return dict(REGISTRY)


TABLES = _load_tables()
numbers = itertools.count(1)


def _document(org, status):
    from gongkai.documents.models import Document

    # Numbered from the start: the database insists that a published document has one, and
    # the kernel walk publishes without the publishing service that allocates it.
    return Document.objects.create(
        index_number=f"KERNEL-{next(numbers)}",
        org=org,
        title="关于开展有关工作的通知",
        date_signed=DAY,
        attribute=Document.Attribute.PROACTIVE,
        publication_due=DAY,
        status=status,
    )


def _request(org, status):
    from gongkai.foi.models import Request

    n = next(numbers)
    return Request.objects.create(
        org=org,
        number=f"KERNEL-{n}",
        submitted_on=DAY,
        received_date=DAY,
        name="张三",
        description="申请公开有关文件",
        status=status,
    )


def _plan(org, status):
    from gongkai.supervision.models import WorkPlan

    n = next(numbers)
    return WorkPlan.objects.create(
        org=org, year=2026, title="工作要点", sha256=f"{n:064d}", status=status
    )


def _task(org, status):
    from gongkai.supervision.models import Task
    from gongkai.supervision.workflow import PlanStatus

    return Task.objects.create(
        plan=_plan(org, PlanStatus.ACTIVE), number="1", text="推进政务公开", status=status
    )


def _campaign(org, status):
    from gongkai.normative.models import Campaign

    return Campaign.objects.create(org=org, title="规范性文件清理", review_by=DAY, status=status)


def _annual(org, status):
    from gongkai.reports.models import AnnualReport

    return AnnualReport.objects.create(org=org, year=2025, version=next(numbers), status=status)


def _consultation(org, status):
    from gongkai.participation.models import Consultation

    return Consultation.objects.create(
        org=org,
        title="征求意见稿",
        opens_on=DAY,
        closes_on=DAY + dt.timedelta(days=30),
        status=status,
    )


def _question(org, status):
    from gongkai.participation.models import Question

    n = next(numbers)
    return Question.objects.create(
        number=f"KERNEL-{n}",
        org=org,
        addressed_to=org,
        kind="enquiry",
        subject="咨询",
        text="请问如何办理",
        name="张三",
        received_at=dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC),
        clock_start=DAY,
        due_on=DAY + dt.timedelta(days=7),
        status=status,
    )


def _concern(org, status):
    from gongkai.participation.models import Concern

    return Concern.objects.create(
        org=org,
        title="网传学校食堂食品安全问题",
        source="online",
        noticed_at=dt.datetime(2026, 3, 2, 1, tzinfo=dt.UTC),
        severity="major",
        status=status,
    )


def _catalog(org, status):
    from gongkai.catalogs.models import Area, Catalog

    n = next(numbers)
    area = Area.objects.create(name=f"领域{n}", code=f"area-{n}")
    return Catalog.objects.create(org=org, area=area, status=status)


def _site_entry(org, status):
    from gongkai.sites.models import Entry

    return Entry.objects.create(
        org=org,
        kind="website",
        name=f"示范网站{next(numbers)}",
        address="https://www.example.gov.cn/",
        status=status,
    )


def _site_request(org, status):
    from gongkai.sites.models import ChangeRequest

    return ChangeRequest.objects.create(org=org, action="close", reason="整合", status=status)


MAKERS = {
    "catalogs.catalog": _catalog,
    "sites.entry": _site_entry,
    "sites.request": _site_request,
    "participation.consultation": _consultation,
    "participation.question": _question,
    "participation.concern": _concern,
    "reports.annual": _annual,
    "document": _document,
    "foi": _request,
    "workplan": _plan,
    "workplan.task": _task,
    "normative.campaign": _campaign,
}

CASES = [(name, t.name) for name, workflow in TABLES.items() for t in workflow]


def test_every_declared_workflow_is_walked_here():
    assert set(TABLES) == set(MAKERS), "a new workflow needs a maker in this test"
    assert len(CASES) >= 35


@pytest.fixture
def staff(make_staff):
    """A member of the home organisation holding `role` (None: a member of a sibling)."""
    cache = {}

    def get(role):
        if role not in cache:
            if role is None:
                sibling = (
                    Org.objects.filter(kind=Org.Kind.DEPARTMENT, is_active=True)
                    .exclude(name=HOME)
                    .order_by("pk")
                    .first()
                )
                cache[role] = make_staff(sibling.name, Membership.Role.OFFICE_HEAD)
            else:
                cache[role] = make_staff(HOME, role)
        return cache[role]

    return get


def _actors(transition, staff):
    """(one actor who may take it, actors who may not)."""
    others = [
        SystemActor("someone"),
        *(a for a in (SCHEDULER, APPLICANT) if a.name not in transition.system),
    ]
    if transition.permission is None:
        allowed = SystemActor(sorted(transition.system)[0])
        return allowed, [*others, staff(Membership.Role.OFFICE_HEAD)]
    roles = permissions.ACTIONS[transition.permission]
    allowed = staff(sorted(roles)[0])
    outsiders = [r for r in Membership.Role if r not in roles]
    wrong = staff(outsiders[0]) if outsiders else staff(None)
    return allowed, [*others, wrong, None]


@pytest.mark.parametrize(("table", "action"), CASES)
def test_transition(table, action, staff, org):
    workflow = TABLES[table]
    transition = workflow[action]
    home = org(HOME)
    allowed, refused = _actors(transition, staff)

    for source in sorted(transition.sources):
        obj = MAKERS[table](home, source)
        for actor in refused:
            with pytest.raises(PermissionDeniedError):
                workflow.run(obj, action, actor=actor)
        obj.refresh_from_db()
        assert workflow.status_of(obj) == source
        # Offered as a button exactly to those who may take it now.
        if transition.offered and transition.permission:
            assert transition in workflow.allowed_actions(obj, allowed)
            assert transition not in workflow.allowed_actions(obj, refused[-2])

        moved = workflow.run(obj, action, actor=allowed)
        assert workflow.status_of(moved) == transition.target
        obj.refresh_from_db()
        assert workflow.status_of(obj) == transition.target
        event = AuditEvent.objects.filter(verb=f"{table}.{action}", target_id=str(obj.pk)).latest(
            "pk"
        )
        assert event.data["from"] == source and event.data["to"] == transition.target

    for actor_name in sorted(transition.system):
        obj = MAKERS[table](home, sorted(transition.sources)[0])
        moved = workflow.run(obj, action, actor=SystemActor(actor_name))
        assert workflow.status_of(moved) == transition.target
        event = AuditEvent.objects.filter(verb=f"{table}.{action}", target_id=str(obj.pk)).get()
        assert event.actor_label == actor_name

    for state in sorted(workflow.states - transition.sources):
        obj = MAKERS[table](home, state)
        with pytest.raises(ApplicationError) as refused_state:
            workflow.run(obj, action, actor=allowed)
        assert refused_state.value.code == "invalid_transition"
        obj.refresh_from_db()
        assert workflow.status_of(obj) == state
        assert transition not in workflow.allowed_actions(obj, allowed)


def test_an_unknown_action_is_refused(staff, org):
    obj = _document(org(HOME), "draft")
    with pytest.raises(ApplicationError) as error:
        TABLES["document"].run(obj, "publish_now", actor=staff(Membership.Role.OFFICE_HEAD))
    assert error.value.code == "unknown_action"


def test_a_failure_inside_the_step_changes_nothing(staff, org):
    workflow = TABLES["document"]
    obj = _document(org(HOME), "draft")
    user = staff(Membership.Role.PUBLISHER)
    before = AuditEvent.objects.count()
    with pytest.raises(RuntimeError), workflow.transition(obj, "submit", actor=user) as move:
        move.obj.title = "改过的标题"
        raise RuntimeError("the step's own work failed")
    obj.refresh_from_db()
    assert obj.status == "draft" and obj.title == "关于开展有关工作的通知"
    assert AuditEvent.objects.count() == before


def test_a_batch_moves_together_with_one_event(staff, org):
    workflow = TABLES["workplan.task"]
    home = org(HOME)
    tasks = [_task(home, "pending") for _ in range(3)]
    user = staff(Membership.Role.SUPERVISOR)
    workflow.transition_many(tasks, "confirm", actor=user, org=home)
    assert {t.status for t in tasks} == {"assigned"}
    event = AuditEvent.objects.filter(verb="workplan.task.confirm").latest("pk")
    assert sorted(event.data["ids"]) == sorted(t.pk for t in tasks)

    stuck = [_task(home, "pending"), _task(home, "done")]
    with pytest.raises(ApplicationError):
        workflow.transition_many(stuck, "confirm", actor=user, org=home)
    stuck[0].refresh_from_db()
    assert stuck[0].status == "pending"


# --- only the kernel writes a status ----------------------------------------------------------

# Fields moved only by a workflow (or, for validity, only by documents.services).
GUARDED = {"status", "validity"}
# Where a guarded field may still be written, and why.
ALLOWED = {
    ("core/workflow.py", "*"): "the kernel",
    ("documents/services.py", "document_set_validity"): "the one writer of Document.validity",
    # Rows built in memory with their whole synthetic history and bulk-created: a creation in
    # a state, like a constructor argument, never a change of a stored row.
    ("foi/seed/volume.py", "_Seeder.draft"): "unsaved rows for bulk_create",
    # Not models: the outcome of importing one file.
    ("documents/importer.py", "*"): "ImportResult, a dataclass",
}


def _writes(tree: ast.AST):
    """(qualified function name, line, what) for every write of a guarded field."""
    found = []

    def visit(node, scope):
        for child in ast.iter_child_nodes(node):
            inner = scope
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                inner = f"{scope}.{child.name}" if scope else child.name
            what = _guarded_write(child)
            if what:
                found.append((inner, child.lineno, what))
            visit(child, inner)

    visit(tree, "")
    return found


def _names_guarded(node) -> bool:
    return isinstance(node, ast.Constant) and node.value in GUARDED


def _guarded_write(node) -> str | None:
    if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        for target in targets:
            for item in target.elts if isinstance(target, ast.Tuple) else [target]:
                if isinstance(item, ast.Attribute) and item.attr in GUARDED:
                    return f"assignment to .{item.attr}"
    if isinstance(node, ast.Call):
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if name == "setattr" and len(node.args) > 1 and _names_guarded(node.args[1]):
            return "setattr"
        if name in ("update", "update_or_create") and isinstance(func, ast.Attribute):
            if any(k.arg in GUARDED for k in node.keywords):
                # dict.update(status=...) builds data, it does not write a row: only
                # querysets are flagged, recognised by what they are called on.
                receiver = ast.unparse(func.value)
                if "objects" in receiver or "filter(" in receiver or "_set" in receiver:
                    return f"{name}({', '.join(k.arg for k in node.keywords if k.arg)})"
            defaults = [k.value for k in node.keywords if k.arg == "defaults"]
            if (
                defaults
                and isinstance(defaults[0], ast.Dict)
                and any(_names_guarded(k) for k in defaults[0].keys)
            ):
                return f"{name}(defaults=...)"
        if name in ("save", "bulk_update"):
            values = [k.value for k in node.keywords if k.arg in ("update_fields", "fields")]
            values += node.args[1:2] if name == "bulk_update" else []
            for value in values:
                if isinstance(value, (ast.List, ast.Tuple, ast.Set)) and any(
                    _names_guarded(e) for e in value.elts
                ):
                    return f"{name} of a guarded field"
    return None


def test_no_code_writes_a_status_outside_the_kernel():
    offenders = []
    for path in sorted(GONGKAI.rglob("*.py")):
        relative = path.relative_to(GONGKAI).as_posix()
        if "/migrations/" in relative or "/tests/" in relative or relative.endswith("conftest.py"):
            continue
        for scope, line, what in _writes(ast.parse(path.read_text(encoding="utf-8"))):
            if (relative, "*") in ALLOWED or (relative, scope) in ALLOWED:
                continue
            offenders.append(f"{relative}:{line} ({scope or 'module'}): {what}")
    assert offenders == [], "status written outside core.workflow:\n" + "\n".join(offenders)


def test_the_scan_sees_each_kind_of_write():
    source = """
def f(doc, Document):
    doc.status = "published"
    doc.a, doc.validity = 1, "repealed"
    Document.objects.filter(pk=1).update(status="x")
    doc.save(update_fields=["status", "updated_at"])
    Document.objects.bulk_update([doc], ["status"])
    setattr(doc, "status", "x")
    data = {}
    data.update(status="fine")
"""
    kinds = [what for _, _, what in _writes(ast.parse(source))]
    assert len(kinds) == 6, kinds

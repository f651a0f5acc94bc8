"""The one kernel every state machine runs on (DESIGN §Conventions 3).

Each app declares its machine once, in its own `workflow.py`: a `TextChoices` status and a
`Workflow` holding a table of `Transition`s. Every status change goes through
`Workflow.transition()` (or `run()` for a change with nothing else to do), which

1. locks the row and re-reads it (two clerks clicking at once see one succeed);
2. checks the table: the action exists and the object's status is one of its sources;
3. checks the actor: a person needs the transition's permission on the owning organisation;
   a `SystemActor` (the scheduler, the applicant on the tracking page) must be named by the
   transition — there is no other way round the check;
4. lets the caller do the step's own work on the locked row, then sets the status, saves and
   records one audit event `<workflow name>.<action>` in the same transaction.

The same table answers `allowed_actions(obj, user)`, so the workbench shows exactly the buttons
that would succeed. Objects are created in one of the table's `initial` states; after that only
the kernel writes the status field (a test scans the code for any other write).

The kernel knows nothing of organisations' roles: each workflow is given the permission check
(`orgs.permissions.can`) by the app that declares it, so `core` stays below `orgs`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import audit
from .exceptions import ApplicationError, PermissionDeniedError


@dataclass(frozen=True)
class SystemActor:
    """Someone who is not a staff user but may take named transitions.

    Only code builds one, after its own check (the scheduler's clock, the applicant's password);
    the audit trail records its name as the actor label.
    """

    name: str
    is_authenticated: ClassVar[bool] = False
    is_superuser: ClassVar[bool] = False
    is_active: ClassVar[bool] = False

    def __str__(self) -> str:
        return self.name


SCHEDULER = SystemActor("system:scheduler")
APPLICANT = SystemActor("applicant")


@dataclass(frozen=True)
class Transition:
    """One arrow of a state machine.

    `permission` is the action a staff user needs on the owning organisation
    (`orgs.permissions.ACTIONS`); None means no person may take it, only the system actors
    named in `system`.
    """

    name: str
    sources: frozenset[str]
    target: str
    label: Any  # a lazy translation
    permission: str | None
    system: frozenset[str] = frozenset()
    # False for a step that a service takes as part of a larger one, never a button of its own.
    offered: bool = True

    @property
    def by_user(self) -> bool:
        return self.permission is not None


@dataclass
class Move:
    """A transition under way: the locked object and what the audit event will say."""

    obj: models.Model
    transition: Transition
    actor: Any
    verb: str
    data: dict = field(default_factory=dict)
    org: Any = None
    # Extra fields the step changed on the object, saved with the status; None saves all.
    update_fields: list[str] | None = None


def T(
    name: str,
    sources: Iterable[str] | str,
    target: str,
    permission: str | None,
    label,
    *,
    system: Iterable[str] = (),
    offered: bool = True,
) -> Transition:
    """Build a table row; `sources` may be one state or several."""
    if isinstance(sources, str):
        sources = (sources,)
    return Transition(
        name=name,
        sources=frozenset(sources),
        target=target,
        label=label,
        permission=permission,
        system=frozenset(system),
        offered=offered,
    )


# Every declared workflow by name: what the kernel tests walk and the status-write scan reads.
REGISTRY: dict[str, Workflow] = {}


class Workflow:
    """A declared state machine over one model's status field."""

    def __init__(
        self,
        *,
        name: str,
        noun,
        transitions: Iterable[Transition],
        initial: Iterable[str],
        org_of: Callable[[Any], Any],
        can: Callable[[Any, str, Any], bool],
        status_field: str = "status",
        select_related: tuple[str, ...] = (),
    ):
        self.name = name  # the audit verb prefix: "<app>.<entity>"
        self.noun = noun
        self.table: dict[str, Transition] = {}
        for t in transitions:
            if t.name in self.table:
                raise ValueError(f"{name}: transition {t.name!r} declared twice")
            if t.permission is None and not t.system:
                raise ValueError(f"{name}: transition {t.name!r} can be taken by nobody")
            self.table[t.name] = t
        self.initial = frozenset(initial)
        self.org_of = org_of
        self.can = can
        self.status_field = status_field
        self.select_related = select_related
        REGISTRY[name] = self

    def __getitem__(self, name: str) -> Transition:
        return self.table[name]

    def __iter__(self) -> Iterator[Transition]:
        return iter(self.table.values())

    @property
    def states(self) -> frozenset[str]:
        """Every state the table knows: where rows start, leave from and arrive."""
        found = set(self.initial)
        for t in self.table.values():
            found |= t.sources | {t.target}
        return frozenset(found)

    def status_of(self, obj) -> str:
        return getattr(obj, self.status_field)

    # --- questions ---------------------------------------------------------------------------

    def may(self, obj, transition: Transition, actor, *, org=None, require=None) -> bool:
        """May `actor` take `transition` on `obj`, leaving its current state aside?

        `require` replaces the table's permission by several that must all be held, for a
        service that takes the step on a stronger footing (see `transition`)."""
        if isinstance(actor, SystemActor):
            return actor.name in transition.system
        needed = require or ((transition.permission,) if transition.permission else ())
        if not needed or actor is None:
            return False
        where = org or self.org_of(obj)
        return all(self.can(actor, permission, where) for permission in needed)

    def allowed_actions(self, obj, user) -> list[Transition]:
        """The transitions `user` may take on `obj` now, in table order (the workbench buttons)."""
        status = self.status_of(obj)
        return [
            t
            for t in self.table.values()
            if t.offered and status in t.sources and self.may(obj, t, user)
        ]

    def check(self, obj, name: str, actor, *, org=None, require=None) -> Transition:
        """Raise unless `actor` may take `name` on `obj` in its current state."""
        transition = self.table.get(name)
        if transition is None:
            raise ApplicationError(_("未知操作：%(a)s") % {"a": name}, code="unknown_action")
        if not self.may(obj, transition, actor, org=org, require=require):
            raise PermissionDeniedError()
        if self.status_of(obj) not in transition.sources:
            display = getattr(obj, f"get_{self.status_field}_display")()
            raise ApplicationError(
                _("%(noun)s当前状态为“%(s)s”，不能%(a)s。")
                % {"noun": self.noun, "s": display, "a": transition.label},
                code="invalid_transition",
            )
        return transition

    # --- the one writer ----------------------------------------------------------------------

    def lock(self, obj):
        """Re-read `obj` under a row lock (inside the caller's transaction)."""
        manager = type(obj)._default_manager.select_for_update()
        if self.select_related:
            manager = manager.select_related(*self.select_related)
        return manager.get(pk=obj.pk)

    def begin(
        self,
        obj,
        name: str,
        *,
        actor,
        org=None,
        data: dict | None = None,
        verb: str | None = None,
        locked: bool = False,
        require: tuple[str, ...] | None = None,
    ) -> Move:
        """Lock `obj` and check the step; the caller then works on `move.obj` and calls
        `finish(move)` in the same transaction (or uses `transition`, which does both).

        `org` names the organisation the permission is checked on and the event filed under,
        when it is not the object's own (a unit reporting on a task of its government's plan).
        `locked`: the caller already holds the row lock on `obj` in this transaction.
        `require`: permissions that replace the table's (all needed), for a service whose own
        rule is stricter, e.g. an import that drafts, reviews and publishes in one step.
        """
        if not connection.in_atomic_block:
            raise RuntimeError("Workflow.begin() must run inside transaction.atomic()")
        current = obj if locked else self.lock(obj)
        transition = self.check(current, name, actor, org=org, require=require)
        return Move(
            obj=current,
            transition=transition,
            actor=actor,
            verb=verb or f"{self.name}.{transition.name}",
            data={"from": self.status_of(current), "to": transition.target, **(data or {})},
            org=org or self.org_of(current),
        )

    def finish(self, move: Move):
        """Set the status, save and record the audit event of a step begun with `begin`."""
        current = move.obj
        setattr(current, self.status_field, move.transition.target)
        if move.update_fields is None:
            current.save()
        else:
            fields = {self.status_field, *move.update_fields}
            if any(f.name == "updated_at" for f in current._meta.concrete_fields):
                fields.add("updated_at")
            current.save(update_fields=sorted(fields))
        audit.record(actor=move.actor, verb=move.verb, target=current, org=move.org, data=move.data)
        return current

    @contextmanager
    def transition(self, obj, name: str, *, actor, **options) -> Iterator[Move]:
        """`begin`, let the caller work on `move.obj`, then `finish`; all in one transaction.

        An exception inside the block leaves the status and everything else unchanged.
        """
        with transaction.atomic():
            move = self.begin(obj, name, actor=actor, **options)
            yield move
            self.finish(move)

    def run(self, obj, name: str, *, actor, org=None, data: dict | None = None, **kwargs):
        """Take a transition that needs no other work; return the updated object."""
        with self.transition(obj, name, actor=actor, org=org, data=data, **kwargs) as move:
            move.update_fields = []
        return move.obj

    def transition_many(
        self, objs: list, name: str, *, actor, org, data: dict | None = None
    ) -> list:
        """Take one transition on many rows of one organisation, with one audit event.

        For steps that move a whole batch at once (confirming a plan's tasks): each row is
        locked and checked like a single transition; nothing moves unless all may.
        """
        if not objs:
            return []
        with transaction.atomic():
            model = type(objs[0])
            current = list(
                model._default_manager.select_for_update()
                .filter(pk__in=[o.pk for o in objs])
                .order_by("pk")
            )
            transition = None
            for item in current:
                transition = self.check(item, name, actor, org=org)
            ids = []
            for item in current:
                setattr(item, self.status_field, transition.target)
                ids.append(item.pk)
            fields = [self.status_field]
            if any(f.name == "updated_at" for f in model._meta.concrete_fields):
                now = timezone.now()
                for item in current:
                    item.updated_at = now
                fields.append("updated_at")
            model._default_manager.bulk_update(current, fields)
            audit.record(
                actor=actor,
                verb=f"{self.name}.{transition.name}",
                target=None,
                org=org,
                data={"to": transition.target, "ids": ids, **(data or {})},
            )
            for obj in objs:
                setattr(obj, self.status_field, transition.target)
            return current

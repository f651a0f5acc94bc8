"""What every step on a request shares: today, the calendar, the clock and the kernel's finish.

The due date is never stored by hand: each clock event is appended here, checked against the
sequence rules, and the due date recomputed from all of them (`clock.compute` on
`core.workdays`)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.core import workdays
from gongkai.core.exceptions import (
    ApplicationError,
)
from gongkai.core.workflow import Move
from gongkai.orgs import permissions
from gongkai.orgs.models import Org

from .. import clock
from ..models import (
    ClockEvent,
    Request,
)
from ..workflow import WORKFLOW


def calendar_of(org: Org) -> workdays.Calendar:
    return workdays.calendar(region=org)


def today() -> dt.date:
    return timezone.localdate()


# --- the clock -----------------------------------------------------------------------------


def events_of(request: Request) -> list[clock.Event]:
    return [
        clock.Event(e.kind, e.date, e.reason, e.days)
        for e in ClockEvent.objects.filter(request=request).order_by("id")
    ]


def deadline_of(request: Request, *, on: dt.date | None = None) -> clock.Deadline:
    return deadline_from_events(events_of(request), calendar_of(request.org), on or today())


def deadline_from_events(events, cal, on: dt.date) -> clock.Deadline:
    return clock.compute(
        events,
        cal,
        base_days=settings.GONGKAI_FOI_REPLY_DAYS,
        fee_stops_clock=settings.GONGKAI_FOI_FEE_STOPS_CLOCK,
        today=on,
        max_extension=settings.GONGKAI_FOI_MAX_EXTENSION_DAYS,
        clarification_window=settings.GONGKAI_FOI_CLARIFICATION_WINDOW_DAYS,
    )


def append_event(request: Request, event: clock.Event, *, actor, note: str = "") -> clock.Deadline:
    """Add one clock event (checked against the rules of the sequence) and store the due date."""
    cal = calendar_of(request.org)
    existing = events_of(request) if request.pk else []
    clock.check_next(
        existing,
        event,
        cal,
        max_extension=settings.GONGKAI_FOI_MAX_EXTENSION_DAYS,
        clarification_window=settings.GONGKAI_FOI_CLARIFICATION_WINDOW_DAYS,
    )
    ClockEvent.objects.create(
        request=request,
        kind=event.kind,
        date=event.date,
        reason=event.reason,
        days=event.days,
        note=note[:300],
        actor=actor if getattr(actor, "is_authenticated", False) else None,
    )
    deadline = deadline_from_events([*existing, event], cal, today())
    # While paused the due date is unknown; the last known one stays for sorting the queue.
    if deadline.due_date is not None:
        request.due_date = deadline.due_date
    request.due_provisional = deadline.provisional
    request.extension_days = deadline.extension_days
    request.save(update_fields=["due_date", "due_provisional", "extension_days", "updated_at"])
    return deadline


# --- the workflow --------------------------------------------------------------------------


def finish_step(move: Move, *, on: dt.date | None = None) -> Request:
    """Finish a step begun with `WORKFLOW.begin`, noting the roles it was taken in."""
    actor, request = move.actor, move.obj
    roles = (
        sorted(permissions.roles_in(actor, request.org))
        if getattr(actor, "is_authenticated", False)
        else []
    )
    move.data |= {"roles": roles, "on": on}
    return WORKFLOW.finish(move)


def checked_day(value: dt.date | None) -> dt.date:
    day = value or today()
    if day > today():
        raise ApplicationError(_("日期不能晚于今天。"), code="invalid_date")
    return day

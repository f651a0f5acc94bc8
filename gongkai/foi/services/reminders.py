"""Reminders: the daily check of deadlines that are near or past, and of lapses."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from gongkai.core import audit, workdays

from ..models import (
    Request,
)
from ..workflow import OPEN
from . import base
from .base import calendar_of

# --- reminders -----------------------------------------------------------------------------


@dataclass(frozen=True)
class DeadlineCheck:
    checked: int
    reminders: int
    overdue: int
    notices: tuple[tuple[str, str, str], ...]  # (request number, kind, recipient) newly sent


def check_deadlines(*, on: dt.date | None = None) -> DeadlineCheck:
    """Remind handlers 5 and 1 working days before the due date; list overdue requests for the
    office head and the supervising office. Idempotent: a `Reminder` row per (request, kind,
    due date) means running it twice, or every hour, sends each reminder once; a new due date
    (after an extension, say) reminds again."""
    from django.core.mail import send_mail

    from ..models import Reminder
    from ..workflow import PAUSED

    on = on or base.today()
    lead = sorted(settings.GONGKAI_FOI_REMINDER_DAYS)
    running = (
        Request.objects.filter(status__in=OPEN - PAUSED, due_date__isnull=False)
        .select_related("org", "handler")
        .order_by("id")
    )
    calendars: dict[int, workdays.Calendar] = {}
    sent: list[tuple[str, str, str]] = []
    checked = overdue_count = 0
    for request in running.iterator(chunk_size=2000):
        checked += 1
        cal = calendars.setdefault(request.org_id, calendar_of(request.org))
        left = cal.working_days_between(on, request.due_date).days
        # Overdue from the day after the due date, weekend or not (a Friday deadline is missed
        # on Saturday, though no working day has passed since).
        if on > request.due_date:
            kind = "overdue"
            overdue_count += 1
        else:
            kind = next((f"due_{d}" for d in lead if left <= d), None)
        if kind is None:
            continue
        with transaction.atomic():
            _, created = Reminder.objects.get_or_create(
                request=request, kind=kind, due_date=request.due_date
            )
            if not created:
                continue
            recipient = request.handler.get_username() if request.handler else request.org.code
            audit.record(
                actor=None,
                verb=f"foi.reminder_{kind}",
                target=request,
                org=request.org,
                data={"due_date": request.due_date, "working_days_left": left},
            )
            email = getattr(request.handler, "email", "")
            if email:
                subject = _("申请 %(n)s 的答复期限：%(d)s") % {
                    "n": request.number,
                    "d": request.due_date,
                }
                transaction.on_commit(
                    lambda s=subject, e=email: send_mail(s, s, None, [e], fail_silently=True)
                )
        sent.append((request.number, kind, recipient))
    return DeadlineCheck(
        checked, sum(1 for s in sent if s[1] != "overdue"), overdue_count, tuple(sent)
    )

"""`requests_seed(n)` writes N realistic requests across the organisations that exist (the demo
region's): applicants of every kind, every channel, received over the last two years, each
with a history of clock events as it would have happened (receipt; sometimes a request for
corrections and a restart, a consultation, a fee, an extension; mostly a reply with one of the
annual report's outcomes, sometimes late; withdrawals and lapses). Histories are planned in
full and cut at today, so requests received lately are still open, some paused, some overdue.
The due date, its provisional flag and the extension are computed by `clock.compute` from the
stored events exactly as the services do. Rows are bulk-inserted in batches, each batch in one
transaction with its request numbers (the `foi:<year>` sequences are moved past them, so later
real submissions never collide) and one audit event. No letters are rendered.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone, translation

from gongkai.core import audit, crypto, pii, workdays
from gongkai.core.exceptions import ApplicationError
from gongkai.core.models import Sequence
from gongkai.foi.seed.vocabulary import (
    CHANNELS,
    CLARIFICATION_ITEMS,
    FORMS,
    OUTCOME_WEIGHTS,
    PROVISIONS,
    REASONS,
    THIRD_PARTIES,
    WITHDRAW_REASONS,
    Applicant,
    Topics,
    make_applicant,
    org_weight,
)
from gongkai.orgs.models import Membership, Org

from .. import clock, fees, services
from ..models import Channel, ClockEvent, Delivery, Form, IdType, Request
from ..outcomes import Outcome
from ..workflow import Status

Event = clock.Event
Kind = clock.EventKind
Reason = clock.PauseReason
# --- histories -----------------------------------------------------------------------------


class WorkingDays:
    """One organisation's calendar with the planner's working-day sums memoised."""

    def __init__(self, org: Org):
        self.cal = workdays.calendar(region=org)
        self._add: dict[tuple[dt.date, int], dt.date] = {}

    def add(self, day: dt.date, n: int) -> dt.date:
        key = (day, n)
        if key not in self._add:
            self._add[key] = self.cal.add_working_days(day, n).due_date
        return self._add[key]

    def on_or_before(self, day: dt.date) -> dt.date:
        while not self.cal.is_working_day(day):
            day -= dt.timedelta(days=1)
        return day

    def before(self, day: dt.date, n: int) -> dt.date:
        """The n-th working day before `day` (n = 0: the last working day on or before it)."""
        day = self.on_or_before(day)
        while n > 0:
            day -= dt.timedelta(days=1)
            if self.cal.is_working_day(day):
                n -= 1
        return day


@dataclass
class _Life:
    """A request's whole planned history; cut at today by `_Seeder.draft`."""

    events: list[tuple[Event, str]] = field(default_factory=list)  # (event, note)
    end: str = "reply"  # reply | withdraw | lapse_clarification | lapse_fee
    end_on: dt.date | None = None
    assigned_on: dt.date | None = None
    fee: fees.FeeComputation | None = None
    fee_paid_on: dt.date | None = None
    restarted: bool = False


def plan_life(rng: random.Random, days: WorkingDays, received: dt.date) -> _Life:
    """Everything that will happen to a request received on `received`, as clock events."""
    base = settings.GONGKAI_FOI_REPLY_DAYS
    add = days.add
    life = _Life(events=[(Event(Kind.RECEIVED, received), "")])
    life.assigned_on = add(received, rng.choice((0, 1, 1, 1, 2, 2, 3)))
    start, used, total = received, 0, base  # running segment start, days used before it

    if rng.random() < 0.12:  # Art.30: corrections, asked once within 7 working days
        window = settings.GONGKAI_FOI_CLARIFICATION_WINDOW_DAYS
        answer = settings.GONGKAI_FOI_CLARIFICATION_ANSWER_DAYS
        paused = add(received, rng.randint(1, window))
        life.assigned_on = min(life.assigned_on, paused)
        life.events.append(
            (
                Event(Kind.PAUSED, paused, Reason.CLARIFICATION, answer),
                rng.choice(CLARIFICATION_ITEMS),
            )
        )
        if rng.random() < 0.2:
            life.end, life.end_on = "lapse_clarification", add(paused, answer + rng.randint(1, 6))
            return life
        start = add(paused, rng.randint(2, answer))
        life.events.append((Event(Kind.RESTARTED, start), "申请人已提交补正材料"))
        life.restarted = True

    if rng.random() < 0.07:  # Art.32–34: a third party or another office is consulted
        k = rng.randint(2, 12)
        paused = add(start, k)
        third = rng.random() < 0.6
        reason = Reason.THIRD_PARTY if third else Reason.OTHER_OFFICE
        party = rng.choice(THIRD_PARTIES) if third else "示范市人民政府办公室"
        days_given = settings.GONGKAI_FOI_CONSULTATION_DAYS
        life.events.append((Event(Kind.PAUSED, paused, reason, days_given), party))
        start, used = add(paused, rng.randint(3, days_given + 3)), used + k
        life.events.append((Event(Kind.RESUMED, start), "已收到反馈意见"))

    if rng.random() < 0.025 and total - used > 3:  # RULES §2: a processing fee
        k = rng.randint(1, min(8, total - used - 2))
        paused = add(start, k)
        pay_days = settings.GONGKAI_FOI_FEE_PAYMENT_DAYS
        life.fee = fees.compute(method=fees.FeeMethod.PER_VOLUME, pages=rng.randint(60, 400))
        life.events.append((Event(Kind.PAUSED, paused, Reason.FEE, pay_days), ""))
        if rng.random() < 0.25:
            life.end, life.end_on = "lapse_fee", add(paused, pay_days + rng.randint(1, 5))
            return life
        if settings.GONGKAI_FOI_FEE_STOPS_CLOCK:
            used += k
            start = add(paused, rng.randint(2, 15))
            resume = start
        else:
            resume = add(paused, rng.randint(2, 15))
        life.fee_paid_on = resume
        life.events.append((Event(Kind.RESUMED, resume), ""))

    last = 0  # working days after `start` of the last event so far
    left = total - used
    if rng.random() < 0.08 and left >= 3:  # Art.33: one extension near the end
        last = rng.randint(max(1, left - 5), left - 1)
        extra = rng.choice((10, 15, 20, 20, 20))
        life.events.append(
            (
                Event(Kind.EXTENDED, add(start, last), days=extra),
                "所需信息涉及多个年度档案，需调档查找",
            )
        )
        total += extra
        left += extra

    first = max(last, 1)
    roll = rng.random()
    if roll < 0.03:
        life.end = "withdraw"
        life.end_on = add(start, rng.randint(first, max(first, left)))
    elif roll < 0.09:  # late
        life.end_on = add(start, left + rng.randint(1, 15))
    else:  # most reply in the last third of the period
        life.end_on = add(start, first + round((left - first) * rng.betavariate(4, 1.6)))
    return life


def compute_deadline(events: list[Event], cal: workdays.Calendar) -> clock.Deadline:
    """`clock.compute` with the settings the services use."""
    return clock.compute(
        events,
        cal,
        base_days=settings.GONGKAI_FOI_REPLY_DAYS,
        fee_stops_clock=settings.GONGKAI_FOI_FEE_STOPS_CLOCK,
        max_extension=settings.GONGKAI_FOI_MAX_EXTENSION_DAYS,
        clarification_window=settings.GONGKAI_FOI_CLARIFICATION_WINDOW_DAYS,
    )


def stored_due_date(
    events: list[Event], cal: workdays.Calendar
) -> tuple[dt.date | None, clock.Deadline]:
    """The due date the services would have stored after these events: the last one known
    (`services.base.append_event` keeps the previous due date while the clock is paused)."""
    deadline = compute_deadline(events, cal)
    due, n = deadline.due_date, len(events) - 1
    while due is None and n > 0:
        due = compute_deadline(events[:n], cal).due_date
        n -= 1
    return due, deadline


# --- the seed ------------------------------------------------------------------------------


@dataclass
class _Draft:
    request: Request
    events: list[tuple[Event, str]]
    actor_id: int | None


def _received_basis() -> dict[str, str]:
    day = dt.date(2025, 3, 3)
    basis = {
        c: services.received_date_for(c, submitted_on=day, confirmed_on=day)[1]
        for c in Channel.values
    }
    # Seeded online requests came through the public form, confirmed on the spot.
    return basis | {Channel.ONLINE: services.ONLINE_BASIS}


class _Seeder:
    def __init__(self, rng: random.Random, orgs: list[Org], today: dt.date):
        self.rng, self.orgs, self.today = rng, orgs, today
        self.weights = [org_weight(o) for o in orgs]
        self.days: dict[int, WorkingDays] = {}
        self.topics = Topics(rng, orgs)
        self.basis = _received_basis()
        self.applicants: dict[int, Applicant] = {}
        self.addresses: dict[int, str] = {}
        self.unusable = make_password(None)  # seeded applicants never got a password
        handlers: dict[int, list[int]] = {}
        for org_id, user_id in Membership.objects.filter(
            role=Membership.Role.REQUEST_HANDLER
        ).values_list("org_id", "user_id"):
            handlers.setdefault(org_id, []).append(user_id)
        self.handlers = handlers

    def days_for(self, org: Org) -> WorkingDays:
        if org.pk not in self.days:
            self.days[org.pk] = WorkingDays(org)
        return self.days[org.pk]

    def applicant(self, pool: int) -> Applicant:
        # Skewed: a few applicants file many requests, most file one or two.
        key = int(pool * self.rng.random() ** 3)
        a = self.applicants.get(key)
        if a is None:
            a = make_applicant(self.rng)
            a.encrypted = crypto.encrypt(a.id_number)
            a.id_hash = crypto.keyed_hash(f"{a.id_type}:{a.id_number}", purpose="foi-applicant")
            a.masked = (
                pii.mask_value("resident_id", a.id_number)
                if a.id_type == IdType.RESIDENT_ID
                else services.mask_generic(a.id_number)
            )
            self.applicants[key] = a
        return a

    def source_hash(self) -> str:
        key = self.rng.randrange(5000)
        if key not in self.addresses:
            self.addresses[key] = services.source_hash_for(f"198.51.{key // 250}.{key % 250 + 1}")
        return self.addresses[key]

    def draft(self, received: dt.date, pool: int) -> _Draft:
        rng, today = self.rng, self.today
        org = rng.choices(self.orgs, self.weights)[0]
        days = self.days_for(org)
        channel = rng.choices([c for c, _ in CHANNELS], [w for _, w in CHANNELS])[0]
        if channel != Channel.ONLINE:  # counters, post rooms and fax machines keep office hours
            received = days.on_or_before(received)
        submitted = received
        if channel == Channel.REGISTERED_MAIL:
            submitted = received - dt.timedelta(days=rng.randint(1, 4))
        elif channel == Channel.ORDINARY_MAIL:
            submitted = received - dt.timedelta(days=rng.randint(2, 8))
        a = self.applicant(pool)
        description, document_number = self.topics.describe(org, received.year)
        form = rng.choices([f for f, _ in FORMS], [w for _, w in FORMS])[0]
        if form == Form.EMAIL and not a.email:
            form = Form.PAPER
        delivery = {
            Form.EMAIL: Delivery.EMAIL,
            Form.ELECTRONIC: Delivery.ONLINE,
            Form.ON_SITE: Delivery.COLLECT,
        }.get(form, Delivery.POST)

        life = plan_life(rng, days, received)
        events = [(e, note) for e, note in life.events if e.date <= today]
        closed = life.end_on <= today
        if closed:
            events.append((Event(Kind.CLOSED, life.end_on), ""))
        handler_ids = self.handlers.get(org.pk)
        handler_id = rng.choice(handler_ids) if handler_ids else None

        r = Request(
            password_hash=self.unusable,
            org=org,
            channel=channel,
            submitted_on=submitted,
            received_date=received,
            received_basis=self.basis[channel],
            applicant_kind=a.kind,
            name=a.name,
            contact_person=a.contact_person,
            id_type=a.id_type,
            id_number_encrypted=a.encrypted,
            id_number_hash=a.id_hash,
            id_number_masked=a.masked,
            phone=a.phone,
            email=a.email,
            address=a.address if form == Form.PAPER or rng.random() < 0.3 else "",
            postcode=a.postcode if form == Form.PAPER else "",
            description=description,
            document_number=document_number,
            form=form,
            delivery=delivery,
            subject_key=services.subject_key(description, document_number),
            source_hash=self.source_hash() if channel == Channel.ONLINE else "",
            fee_items=1,
        )
        if life.fee is not None and any(e.reason == Reason.FEE for e, _ in events):
            r.fee_method = life.fee.method
            r.fee_pages = sum(line.quantity for line in life.fee.lines)
            r.fee_total = life.fee.total
            r.fee_computation = life.fee.as_dict()
            if life.fee_paid_on and life.fee_paid_on <= today:
                r.fee_paid_on = life.fee_paid_on

        clock_events = [e for e, _ in events]
        due, deadline = stored_due_date(clock_events, days.cal)
        r.due_date, r.due_provisional = due, deadline.provisional
        r.extension_days = deadline.extension_days
        last = clock_events[-1]
        if closed:
            r.closed_on = life.end_on
            r.handler_id = handler_id
            if life.end == "withdraw":
                r.status, r.outcome = Status.WITHDRAWN, Outcome.OTHER
                r.reason = rng.choice(WITHDRAW_REASONS)
            elif life.end == "lapse_clarification":
                r.status, r.outcome = Status.ABANDONED, Outcome.OTHER_CLARIFICATION_LAPSED
            elif life.end == "lapse_fee":
                r.status, r.outcome = Status.ABANDONED, Outcome.OTHER_FEE_UNPAID
            else:
                self._reply(r, life)
                r.late = bool(deadline.late)
                lag = 0 if delivery in (Delivery.EMAIL, Delivery.ONLINE) else rng.randint(1, 5)
                delivered = life.end_on + dt.timedelta(days=lag)
                if delivered > today or rng.random() < 0.08:
                    r.status = Status.REPLIED
                else:
                    r.delivered_on = delivered
                    old = (today - delivered).days > 60
                    r.status = Status.ARCHIVED if old and rng.random() < 0.85 else Status.DELIVERED
        elif last.kind == Kind.PAUSED:
            r.handler_id = handler_id
            r.status = {
                Reason.CLARIFICATION: Status.AWAITING_CLARIFICATION,
                Reason.FEE: Status.AWAITING_FEE,
            }.get(last.reason, Status.CONSULTING)
        elif today < life.assigned_on:
            r.status = Status.REGISTERED
        else:
            r.handler_id = handler_id
            r.status = Status.ASSIGNED
            if life.end == "reply":
                to_go = days.cal.working_days_between(today, life.end_on).days
                stage = {1: Status.LEGAL_APPROVED, 2: Status.HEAD_APPROVED, 3: Status.REPLY_DRAFTED}
                if to_go in stage:
                    r.status = stage[to_go]
                    self._reply(r, life)
        return _Draft(r, events, r.handler_id)

    def _reply(self, r: Request, life: _Life) -> None:
        rng = self.rng
        outcome = rng.choices([o for o, _ in OUTCOME_WEIGHTS], [w for _, w in OUTCOME_WEIGHTS])[0]
        if life.restarted and rng.random() < 0.3:
            outcome = Outcome.UNAVAILABLE_UNCLEAR  # only after a request for corrections
        r.outcome = outcome
        r.reason = REASONS.get(outcome, "")
        if outcome in (Outcome.DISCLOSED, Outcome.PARTIAL):
            r.provision = PROVISIONS[r.form]
        if outcome == Outcome.UNAVAILABLE_NOT_HELD and rng.random() < 0.4:
            other = rng.choice(self.orgs)
            r.transfer_org_name, r.transfer_org_contact = other.name, other.phone


def _allocate_numbers(drafts: list[_Draft]) -> list[str]:
    """Number the batch from the `foi:<year>` sequences (locked) and move them past it."""
    prefix = settings.GONGKAI_FOI_NUMBER_PREFIX
    names = {f"foi:{d.request.received_date.year}" for d in drafts}
    for name in names:
        Sequence.objects.get_or_create(name=name)
    values = dict(
        Sequence.objects.select_for_update().filter(name__in=names).values_list("name", "value")
    )
    for d in drafts:
        year = d.request.received_date.year
        values[f"foi:{year}"] += 1
        d.request.number = f"{prefix}{year}-{values[f'foi:{year}']:06d}"
    for name, value in values.items():
        Sequence.objects.filter(name=name).update(value=value)
    return sorted(values)


def requests_seed(
    n: int,
    *,
    seed: int = 0,
    batch_size: int = 2000,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Create `n` requests across the organisations that exist; return how many."""
    # What is stored with a request (fee lines, the basis of receipt) is in the official
    # language, whatever language the caller has active.
    with translation.override(settings.LANGUAGE_CODE):
        return _seed(n, seed=seed, batch_size=batch_size, progress=progress)


def _seed(n: int, *, seed: int, batch_size: int, progress) -> int:
    orgs = list(Org.objects.filter(is_active=True).select_related("parent").order_by("path", "pk"))
    if not orgs or not any(org_weight(o) for o in orgs):
        raise ApplicationError("还没有机构，请先运行 gongkai demo 导入示范数据。", code="no_orgs")
    if n < 1:
        raise ApplicationError("--requests 必须是正整数。", code="invalid_count")
    rng = random.Random(seed)  # noqa: S311 - repeatable demo data, not secrets
    today = timezone.localdate()
    seeder = _Seeder(rng, orgs, today)
    span = 730
    start = today - dt.timedelta(days=span)
    # Receipt dates in order, so request numbers rise with them as in real life.
    offsets = sorted(rng.randrange(span + 1) for _ in range(n))
    pool = max(20, n // 3)
    made = 0
    while made < n:
        size = min(batch_size, n - made)
        drafts = [
            seeder.draft(start + dt.timedelta(days=offsets[i]), pool)
            for i in range(made, made + size)
        ]
        # Within a day the order is free; keep numbers in receipt order after snapping.
        drafts.sort(key=lambda d: d.request.received_date)
        with transaction.atomic():
            _allocate_numbers(drafts)
            Request.objects.bulk_create([d.request for d in drafts], batch_size=500)
            ClockEvent.objects.bulk_create(
                [
                    ClockEvent(
                        request_id=d.request.pk,
                        kind=e.kind,
                        date=e.date,
                        reason=e.reason,
                        days=e.days,
                        note=note,
                        actor_id=None if e.kind == Kind.RECEIVED else d.actor_id,
                    )
                    for d in drafts
                    for e, note in d.events
                ],
                batch_size=2000,
            )
            audit.record(
                actor="gongkai seed",
                verb="foi.seed",
                target=None,
                org=None,
                data={
                    "count": size,
                    "first": drafts[0].request.number,
                    "last": drafts[-1].request.number,
                },
            )
        made += size
        if progress:
            progress(made, n)
    return made

"""The volume seed and the demo requests: histories that the clock agrees with."""

import collections

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Max

from gongkai.core import crypto, pii
from gongkai.core.models import AuditEvent, Sequence
from gongkai.foi import clock, selectors, services
from gongkai.foi.demo import DEMO_ORG, load_demo_requests
from gongkai.foi.models import ClockEvent, IdType, Request
from gongkai.foi.seed import compute_deadline, requests_seed
from gongkai.foi.workflow import CLOSED, OPEN, PAUSED, Status
from gongkai.orgs.models import Org

pytestmark = pytest.mark.django_db

STATE = {"paused": PAUSED, "closed": CLOSED, "running": OPEN - PAUSED}


def _expected_due(events, cal):
    """What the services store: the latest known due date (kept while the clock is paused)."""
    for n in range(len(events), 0, -1):
        due = clock.compute(events[:n], cal).due_date
        if due is not None:
            return due
    return None


def test_requests_seed_writes_histories_the_clock_agrees_with():
    before = Request.objects.aggregate(m=Max("id"))["m"] or 0
    seeds_before = AuditEvent.objects.filter(verb="foi.seed").count()
    assert requests_seed(200, seed=7, batch_size=64) == 200
    new = Request.objects.filter(id__gt=before).select_related("org")
    assert new.count() == 200
    assert AuditEvent.objects.filter(verb="foi.seed").count() == seeds_before + 4  # per batch

    # Numbers: unique, and each year's sequence moved past the highest one used.
    numbers = list(new.values_list("number", flat=True))
    assert len(set(numbers)) == 200
    top: dict[str, int] = collections.defaultdict(int)
    for n in numbers:
        year, serial = n.removeprefix("YSQ").split("-")
        top[year] = max(top[year], int(serial))
    for year, serial in top.items():
        assert Sequence.objects.get(name=f"foi:{year}").value >= serial

    # A real submission afterwards continues the sequence instead of colliding.
    edu = Org.objects.get(name=DEMO_ORG)
    receipt = services.request_submit(
        data=services.ApplicationInput(
            org=edu,
            applicant_kind="natural_person",
            name="李四",
            id_type="resident_id",
            id_number="11010519491231002X",
            phone="13800138000",
            description="种子数据之后的第一件真实申请",
            form="electronic",
        ),
        source_address="10.77.0.1",
    )
    assert receipt.request.number not in numbers

    # Variety: channels, applicant kinds, open and closed, outcomes.
    assert len(set(new.values_list("channel", flat=True))) >= 3
    assert len(set(new.values_list("applicant_kind", flat=True))) >= 2
    assert new.filter(status__in=CLOSED).exclude(outcome="").exists()
    assert new.filter(status__in=OPEN).exists()
    assert ClockEvent.objects.filter(request__in=new, kind="paused").exists()

    # Every stored due date, flag and extension is what the clock computes from the events.
    for r in new:
        events = services.events_of(r)
        cal = services.calendar_of(r.org)
        deadline = compute_deadline(events, cal)
        assert r.due_date == _expected_due(events, cal), r.number
        assert r.extension_days == deadline.extension_days
        assert r.due_provisional == deadline.provisional
        assert r.status in STATE[deadline.state], (r.number, r.status, deadline.state)
        if deadline.state == "closed":
            assert r.closed_on == deadline.closed_on
        if r.status in (Status.REPLIED, Status.DELIVERED, Status.ARCHIVED):
            assert r.late == bool(deadline.late) and r.outcome
        if r.status in (Status.REPLY_DRAFTED, Status.HEAD_APPROVED, Status.LEGAL_APPROVED):
            assert r.outcome

    # Identity numbers: encrypted, hashed and masked as the services do; resident IDs valid.
    for r in new.filter(id_type=IdType.RESIDENT_ID)[:20]:
        number = crypto.decrypt(r.id_number_encrypted)
        assert pii.is_valid_resident_id(number)
        assert r.id_number_hash == crypto.keyed_hash(
            f"{r.id_type}:{number}", purpose="foi-applicant"
        )
        assert r.id_number_masked == pii.mask_value("resident_id", number)


def test_requests_seed_is_repeatable():
    """The same seed gives the same requests (numbers aside), so benches are comparable."""
    before = Request.objects.aggregate(m=Max("id"))["m"] or 0
    requests_seed(30, seed=11)
    first = list(
        Request.objects.filter(id__gt=before)
        .order_by("id")
        .values_list("org_id", "received_date", "description", "status")
    )
    mid = Request.objects.aggregate(m=Max("id"))["m"]
    requests_seed(30, seed=11)
    second = list(
        Request.objects.filter(id__gt=mid)
        .order_by("id")
        .values_list("org_id", "received_date", "description", "status")
    )
    assert first == second


@pytest.fixture
def demo_staff():
    users = get_user_model().objects
    return {n: users.get(username=f"demo-{n}") for n in ("handler", "head", "supervisor")}


def test_demo_requests_fill_the_workbench(demo_staff):
    """Whether or not the demo requests were loaded before, after this they are there once."""
    receipts = load_demo_requests()
    assert load_demo_requests() == []  # only once
    if receipts:
        assert len(receipts) >= 25
        assert all(r.password for r in receipts)
    assert AuditEvent.objects.filter(verb="foi.demo_load").count() == 1
    mark = AuditEvent.objects.get(verb="foi.demo_load")
    demo = Request.objects.filter(number__in=mark.data["numbers"])
    assert demo.count() == mark.data["count"]
    assert set(demo.values_list("org__name", flat=True)) == {DEMO_ORG}
    today = services.today()

    # Replied with letters (the reply and the earlier notice), as DOCX and PDF.
    replied = demo.filter(status=Status.REPLIED, letters__kind="reply").distinct()
    assert replied.exists()
    assert any(r.letters.count() >= 2 for r in replied)
    assert all(letter.pdf and letter.docx for r in replied for letter in r.letters.all())
    assert demo.filter(status=Status.ARCHIVED).exists()
    assert demo.filter(status=Status.WITHDRAWN).exists()
    assert demo.filter(late=True).exists()

    # Waiting for corrections, with the notice sent.
    waiting = demo.filter(status=Status.AWAITING_CLARIFICATION)
    assert waiting.filter(letters__kind="clarification").exists()
    assert demo.filter(status=Status.CONSULTING).exists()
    assert demo.filter(extension_days__gt=0, status=Status.ASSIGNED).exists()
    for status in (Status.REGISTERED, Status.REPLY_DRAFTED, Status.HEAD_APPROVED):
        assert demo.filter(status=status).exists(), status
    assert demo.filter(status=Status.LEGAL_APPROVED).exists()

    # The handler's queue: overdue, due within five working days, paused, and fine.
    levels = collections.Counter(
        row.level
        for row in selectors.handler_queue(user=demo_staff["handler"], today=today)
        if row.request.pk in set(demo.values_list("pk", flat=True))
    )
    assert levels["overdue"] >= 1 and levels["due_soon"] >= 1
    assert levels["paused"] >= 1 and levels["ok"] >= 5
    # …and the overdue list of the office head and of the supervising office.
    for who in ("head", "supervisor"):
        overdue = selectors.overdue(user=demo_staff[who], today=today)
        assert overdue.filter(pk__in=demo).exists(), who

"""The audit chain survives someone with database access (issue 14, finding 3).

Each attack is performed with raw SQL, as that person would: the ORM refuses to touch events.
Without the key the attacker cannot sign; with checkpoints kept elsewhere even a restored old
head is caught. Every break is reported, not only the first."""

import json

import pytest
from django.db import connection, transaction

from gongkai.core import audit
from gongkai.core.models import AuditEvent, AuditHead


def _record(n, verb="test.event"):
    with transaction.atomic():
        return [
            audit.record(actor=None, verb=verb, target=("test.thing", i), data={"i": i})
            for i in range(n)
        ]


def _sql(statement, params=()):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def _rewind_head_to(event):
    _sql("UPDATE core_audithead SET seq = %s, hash = %s WHERE id = 1", [event.seq, event.hash])


@pytest.fixture
def checkpoints(tmp_path, settings):
    settings.GONGKAI_AUDIT_CHECKPOINT_DIR = tmp_path / "checkpoints"
    return settings.GONGKAI_AUDIT_CHECKPOINT_DIR


@pytest.mark.django_db
def test_new_events_and_the_head_are_signed(checkpoints):
    events = _record(2)
    for event in events:
        event.refresh_from_db()
        assert len(event.mac) == 64 and event.key_id
    head = AuditHead.objects.get(pk=1)
    assert head.mac and head.seq == events[-1].seq
    assert audit.verify_chain().ok


@pytest.mark.django_db
def test_deleting_the_newest_and_rewinding_the_head_is_detected(checkpoints):
    events = _record(3)
    _sql("DELETE FROM core_auditevent WHERE seq = %s", [events[-1].seq])
    _rewind_head_to(events[-2])
    report = audit.verify_chain()
    assert not report.ok
    assert any("head signature" in b.reason for b in report.breaks)


@pytest.mark.django_db
def test_a_restored_old_head_is_caught_by_a_checkpoint(checkpoints):
    _record(2)
    old_head = AuditHead.objects.values("seq", "hash", "mac", "key_id").get(pk=1)
    events = _record(2)
    audit.checkpoint_write()
    # Delete the two newest and put back the head row exactly as it was (signature included).
    _sql("DELETE FROM core_auditevent WHERE seq >= %s", [events[0].seq])
    _sql(
        "UPDATE core_audithead SET seq = %s, hash = %s, mac = %s, key_id = %s WHERE id = 1",
        [old_head["seq"], old_head["hash"], old_head["mac"], old_head["key_id"]],
    )
    report = audit.verify_chain()
    assert not report.ok
    assert any("head rewound" in b.reason for b in report.breaks)
    assert report.checkpoints == 1


@pytest.mark.django_db
def test_an_edit_with_every_hash_recomputed_is_detected_at_each_event(checkpoints):
    events = _record(4)
    first = events[0]
    rows = list(AuditEvent.objects.filter(seq__gte=first.seq).order_by("seq"))
    prev = rows[0].prev_hash
    for i, row in enumerate(rows):
        if i == 0:
            row.data = {"i": "tampered"}
        row.prev_hash = prev
        row.hash = audit.event_hash(row)
        prev = row.hash
        _sql(
            "UPDATE core_auditevent SET data = %s, prev_hash = %s, hash = %s WHERE id = %s",
            [json.dumps(row.data), row.prev_hash, row.hash, row.pk],
        )
    _sql("UPDATE core_audithead SET hash = %s WHERE id = 1", [prev])
    report = audit.verify_chain()
    assert not report.ok
    signature_breaks = {
        b.seq for b in report.breaks if b.seq is not None and "signature does not match" in b.reason
    }
    assert signature_breaks == {row.seq for row in rows}
    assert any("head signature" in b.reason for b in report.breaks)


@pytest.mark.django_db
def test_every_break_is_reported(checkpoints):
    events = _record(5)
    for event in (events[1], events[3]):
        _sql("UPDATE core_auditevent SET verb = 'x.y.z' WHERE id = %s", [event.pk])
    report = audit.verify_chain()
    edited = {b.seq for b in report.breaks if "edited" in b.reason}
    assert edited == {events[1].seq, events[3].seq}


@pytest.mark.django_db
def test_an_altered_checkpoint_is_reported(checkpoints):
    _record(1)
    path = audit.checkpoint_write()
    body = json.loads(path.read_text())
    body["seq"] = body["seq"] + 100
    path.write_text(json.dumps(body))
    report = audit.verify_chain()
    assert any("altered" in b.reason for b in report.breaks)


@pytest.mark.django_db
def test_the_commands(run_cli, checkpoints):
    events = _record(2)
    code, out, _err = run_cli("audit-checkpoint")
    assert code == 0 and "checkpoint written" in out
    code, out, _err = run_cli("verify-audit")
    assert code == 0 and "1 checkpoints compared" in out
    _sql("UPDATE core_auditevent SET verb = 'x.y.z' WHERE id = %s", [events[0].pk])
    code, _out, err = run_cli("verify-audit")
    assert code == 1
    assert f"break at #{events[0].seq}" in err


@pytest.mark.django_db
def test_a_checkpoint_of_the_empty_chain_stays_true(checkpoints):
    """A checkpoint written before any event (a new site's first nightly run, or a backup of an
    empty database) records the genesis; the chain that grows from it still verifies."""
    _sql("DELETE FROM core_auditevent")
    _sql("DELETE FROM core_audithead")
    empty = audit.checkpoint_write()
    assert json.loads(empty.read_text())["seq"] == 0
    _record(2)
    assert audit.verify_chain().ok

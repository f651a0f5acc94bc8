import pytest
from django.db import connection, connections, transaction

from gongkai.core import audit
from gongkai.core.models import AuditEvent
from gongkai.core.services import sequence_next


def _record_three(actor=None):
    with transaction.atomic():
        return [
            audit.record(actor=actor, verb="test.event", target=("test.thing", i), data={"i": i})
            for i in range(3)
        ]


@pytest.mark.django_db
def test_chain_of_untouched_events_verifies():
    """The demo load plus new events form one intact chain."""
    _record_three()
    report = audit.verify_chain()
    assert report.ok
    assert report.checked == AuditEvent.objects.count()


@pytest.mark.django_db
def test_record_outside_a_transaction_is_refused(monkeypatch):
    # The test itself runs inside a transaction; pretend it does not.
    monkeypatch.setattr(connections["default"], "in_atomic_block", False)
    with pytest.raises(RuntimeError):
        audit.record(actor=None, verb="test.event")
    with pytest.raises(RuntimeError):
        sequence_next("test")


@pytest.mark.django_db
def test_rows_cannot_be_changed_through_the_orm():
    event = _record_three()[0]
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        event.delete()
    with pytest.raises(TypeError):
        AuditEvent.objects.filter(pk=event.pk).update(verb="x")
    with pytest.raises(TypeError):
        AuditEvent.objects.filter(pk=event.pk).delete()


def _sql(statement, params):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


@pytest.mark.django_db
def test_editing_a_row_by_hand_is_detected_at_that_row():
    events = _record_three()
    _sql("UPDATE core_auditevent SET data = %s WHERE id = %s", ['{"i": 99}', events[1].pk])
    report = audit.verify_chain()
    assert not report.ok
    assert report.broken_seq == events[1].seq
    assert "edited" in report.reason


@pytest.mark.django_db
def test_deleting_a_middle_row_by_hand_is_detected():
    events = _record_three()
    _sql("DELETE FROM core_auditevent WHERE id = %s", [events[1].pk])
    report = audit.verify_chain()
    assert not report.ok
    assert report.broken_seq == events[2].seq


@pytest.mark.django_db
def test_deleting_the_newest_row_by_hand_is_detected():
    events = _record_three()
    _sql("DELETE FROM core_auditevent WHERE id = %s", [events[2].pk])
    report = audit.verify_chain()
    assert not report.ok
    assert "newest rows deleted" in report.reason


@pytest.mark.django_db
def test_verify_audit_command_exit_codes(run_cli):
    """`gongkai verify-audit` exits 0 on an intact chain and 1 naming the edited event."""
    events = _record_three()
    code, out, _ = run_cli("verify-audit")
    assert code == 0 and "chain intact" in out
    _sql("UPDATE core_auditevent SET verb = %s WHERE id = %s", ["tampered", events[0].pk])
    code, _, err = run_cli("verify-audit")
    assert code == 1
    assert f"event #{events[0].seq}" in err


@pytest.mark.django_db
def test_data_is_stored_exactly_as_hashed():
    """Dates and decimals in `data` are stored as the text that was hashed."""
    import datetime as dt
    from decimal import Decimal

    with transaction.atomic():
        event = audit.record(
            actor=None, verb="t", data={"d": dt.date(2020, 1, 2), "m": Decimal("1.50")}
        )
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.data == {"d": "2020-01-02", "m": "1.50"}
    assert audit.event_hash(stored) == stored.hash


@pytest.mark.django_db
def test_sequence_values_are_consecutive():
    with transaction.atomic():
        assert [sequence_next("test") for _ in range(3)] == [1, 2, 3]

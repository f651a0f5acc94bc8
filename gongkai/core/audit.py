"""The audit trail: every service records what it changed, in the same transaction.

Events form a hash chain. `verify_chain` recomputes it and names the first event that no
longer matches, which is what `gongkai verify-audit` reports.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models
from django.utils import timezone

from .models import AuditEvent, AuditHead

GENESIS_HASH = "0" * 64


def _canonical(value) -> str:
    return json.dumps(
        value, cls=DjangoJSONEncoder, sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )


def event_hash(event: AuditEvent) -> str:
    content = {
        "seq": event.seq,
        "time": event.time.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor_id": event.actor_id,
        "actor_label": event.actor_label,
        "org_id": event.org_id,
        "verb": event.verb,
        "target_type": event.target_type,
        "target_id": event.target_id,
        "data": event.data,
        "prev_hash": event.prev_hash,
    }
    return hashlib.sha256(_canonical(content).encode("utf-8")).hexdigest()


def record(
    *,
    actor,
    verb: str,
    target: models.Model | tuple[str, object] | None = None,
    org=None,
    data: dict | None = None,
) -> AuditEvent:
    """Append one event to the chain. Must run inside the caller's transaction."""
    if not connection.in_atomic_block:
        # An event committed apart from its change could describe something that never happened.
        raise RuntimeError("audit.record() must be called inside transaction.atomic()")
    if isinstance(target, models.Model):
        target_type, target_id = target._meta.label_lower, target.pk
    elif target is not None:
        target_type, target_id = target
    else:
        target_type, target_id = "", ""
    # Store exactly what was hashed: JSON round-trip turns dates, decimals and UUIDs into text.
    clean_data = json.loads(_canonical(data or {}))
    user = actor if getattr(actor, "is_authenticated", False) else None

    head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
    event = AuditEvent(
        seq=head.seq + 1,
        time=timezone.now(),
        actor=user,
        actor_label=user.get_username() if user else (str(actor) if actor else "system"),
        org=org,
        verb=verb,
        target_type=target_type,
        target_id="" if target_id is None else str(target_id),
        data=clean_data,
        prev_hash=head.hash,
    )
    event.hash = event_hash(event)
    event.save()
    head.seq, head.hash = event.seq, event.hash
    head.save(update_fields=["seq", "hash"])
    return event


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    broken_seq: int | None = None
    broken_id: int | None = None
    reason: str = ""


def verify_chain() -> ChainReport:
    """Walk the chain up to its recorded head; report the first event that does not match.

    The head is read first and only events up to it are checked, so events appended while
    the walk runs (another snapshot, on PostgreSQL) neither block writers nor raise an alarm.
    """
    head = AuditHead.objects.filter(pk=1).first()
    head_seq, head_hash = (head.seq, head.hash) if head else (0, GENESIS_HASH)
    expected_seq, prev, checked = 1, GENESIS_HASH, 0
    events = AuditEvent.objects.filter(seq__lte=head_seq).order_by("seq")
    for event in events.iterator(chunk_size=2000):
        if event.seq != expected_seq:
            return ChainReport(
                False,
                checked,
                event.seq,
                event.pk,
                f"sequence gap: expected #{expected_seq}, found #{event.seq} (rows deleted)",
            )
        if event.prev_hash != prev:
            return ChainReport(
                False,
                checked,
                event.seq,
                event.pk,
                "prev_hash does not match the previous event (a row was edited or deleted)",
            )
        if event_hash(event) != event.hash:
            return ChainReport(
                False, checked, event.seq, event.pk, "content does not match its hash (edited)"
            )
        prev, expected_seq, checked = event.hash, expected_seq + 1, checked + 1
    if checked != head_seq or prev != head_hash:
        return ChainReport(
            False,
            checked,
            head_seq,
            None,
            f"chain ends at #{checked} but its head records #{head_seq} (newest rows deleted)",
        )
    return ChainReport(True, checked)

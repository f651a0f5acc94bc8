"""The audit trail: every service records what it changed, in the same transaction.

Events form a hash chain, and each event and the head are signed with an HMAC whose key is
kept outside the database (GONGKAI_AUDIT_KEYS, else a key file in the var dir). Checkpoints
(`gongkai audit-checkpoint`) write the signed head to files the operator ships off the
machine. `verify_chain` recomputes everything and reports every break, which is what
`gongkai verify-audit` prints.

What is detected (README § Running in production): without the key, editing or deleting any
event, or deleting the newest and rewinding the head, even with every hash recomputed; with the
key too (someone who has both the database and the key), only a rewind past the latest
checkpoint kept elsewhere.
"""

import hashlib
import hmac
import json
import os
from dataclasses import dataclass
from datetime import UTC
from functools import cache
from pathlib import Path

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models
from django.dispatch import Signal
from django.utils import timezone

from .models import AuditEvent, AuditHead

GENESIS_HASH = "0" * 64
# Sent with `event` for every event recorded, still inside the transaction (the public pages'
# cache listens: gongkai.portal.cache).
recorded = Signal()


@cache
def _keys() -> tuple[tuple[str, bytes], ...]:
    """(key id, key), newest first. GONGKAI_AUDIT_KEYS holds comma-separated secrets (rotate by
    putting a new one first; keep the old ones to verify old events); unset, one key is
    generated once into the var dir, beside the field key."""
    from django.conf import settings

    configured = os.environ.get("GONGKAI_AUDIT_KEYS", "").strip()
    if configured:
        secrets_ = [k.strip().encode() for k in configured.split(",") if k.strip()]
    else:
        from .keyfile import read_or_create

        secret = read_or_create(
            settings.VAR_DIR / "audit_key", lambda: os.urandom(32).hex().encode()
        )
        secrets_ = [secret]
    return tuple((hashlib.sha256(k).hexdigest()[:16], k) for k in secrets_)


def _sign(key: bytes, *parts) -> str:
    message = "|".join(str(p) for p in parts).encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def _key(key_id: str) -> bytes | None:
    return dict(_keys()).get(key_id)


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
    key_id, key = _keys()[0]
    event.key_id, event.mac = key_id, _sign(key, "event", event.seq, event.hash)
    event.save()
    head.seq, head.hash = event.seq, event.hash
    head.key_id, head.mac = key_id, _sign(key, "head", head.seq, head.hash)
    head.save(update_fields=["seq", "hash", "key_id", "mac"])
    recorded.send(sender=AuditEvent, event=event)
    return event


@dataclass(frozen=True)
class Break:
    seq: int | None
    event_id: int | None
    reason: str

    def __str__(self) -> str:
        where = f"#{self.seq}" if self.seq is not None else "the head"
        return f"{where}{f' (id {self.event_id})' if self.event_id else ''}: {self.reason}"


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    broken_seq: int | None = None  # the first break, as before
    broken_id: int | None = None
    reason: str = ""
    breaks: tuple[Break, ...] = ()
    unsigned: int = 0  # events recorded before signing existed (at the start of the chain)
    checkpoints: int = 0


def _report(checked: int, breaks: list[Break], unsigned: int, checkpoints: int) -> ChainReport:
    if not breaks:
        return ChainReport(True, checked, unsigned=unsigned, checkpoints=checkpoints)
    first = breaks[0]
    return ChainReport(
        False, checked, first.seq, first.event_id, first.reason, tuple(breaks), unsigned,
        checkpoints,
    )  # fmt: skip


def verify_chain(*, checkpoint_dir: Path | None = None) -> ChainReport:
    """Walk the chain up to its recorded head and report every break.

    Checked: the sequence has no gap, each event names its predecessor's hash, each hash
    matches its content, each signature matches (once signing began, every event is signed),
    the head is signed and is where the chain ends, and every checkpoint found in
    `checkpoint_dir` (default: settings) names an event that is still there, unchanged.
    After a break the walk carries on from the stored values, so one edit is one break and a
    later one is reported too.

    The head is read first and only events up to it are checked, so events appended while
    the walk runs (another snapshot, on PostgreSQL) neither block writers nor raise an alarm.
    """
    breaks: list[Break] = []
    head = AuditHead.objects.filter(pk=1).first()
    head_seq, head_hash = (head.seq, head.hash) if head else (0, GENESIS_HASH)
    if head and head.mac:
        key = _key(head.key_id)
        if key is None:
            breaks.append(Break(None, None, f"head signed with an unknown key {head.key_id}"))
        elif not hmac.compare_digest(head.mac, _sign(key, "head", head.seq, head.hash)):
            breaks.append(Break(None, None, "head signature does not match (head rewritten)"))
    expected_seq, prev, checked, unsigned, signing = 1, GENESIS_HASH, 0, 0, False
    # A checkpoint of an empty chain (seq 0) records the genesis hash.
    hashes: dict[int, str] = {0: GENESIS_HASH}
    checkpoints = list_checkpoints(checkpoint_dir)
    wanted = {c["seq"] for c in checkpoints}
    events = AuditEvent.objects.filter(seq__lte=head_seq).order_by("seq")
    for event in events.iterator(chunk_size=2000):
        if event.seq != expected_seq:
            breaks.append(Break(event.seq, event.pk,
                                f"sequence gap: expected #{expected_seq}, found #{event.seq} "
                                "(rows deleted)"))  # fmt: skip
        if event.prev_hash != prev:
            breaks.append(Break(event.seq, event.pk,
                                "prev_hash does not match the previous event "
                                "(a row was edited or deleted)"))  # fmt: skip
        if event_hash(event) != event.hash:
            breaks.append(Break(event.seq, event.pk, "content does not match its hash (edited)"))
        if event.mac:
            signing = True
            key = _key(event.key_id)
            if key is None:
                breaks.append(Break(event.seq, event.pk,
                                    f"signed with an unknown key {event.key_id}"))  # fmt: skip
            elif not hmac.compare_digest(event.mac, _sign(key, "event", event.seq, event.hash)):
                breaks.append(Break(event.seq, event.pk,
                                    "signature does not match (hashes recomputed after an edit)"))  # fmt: skip
        elif signing:
            breaks.append(Break(event.seq, event.pk, "unsigned event after signed ones"))
        else:
            unsigned += 1
        if event.seq in wanted:
            hashes[event.seq] = event.hash
        prev, expected_seq, checked = event.hash, event.seq + 1, checked + 1
    if expected_seq - 1 != head_seq or prev != head_hash:
        breaks.append(Break(head_seq, None,
                            f"chain ends at #{expected_seq - 1} but its head records #{head_seq} "
                            "(newest rows deleted)"))  # fmt: skip
    for point in checkpoints:
        if point.get("problem"):
            breaks.append(Break(point["seq"], None, point["problem"]))
        elif point["seq"] > head_seq:
            breaks.append(Break(point["seq"], None,
                                f"checkpoint {point['file']} records #{point['seq']} but the "
                                f"chain now ends at #{head_seq} (events deleted, head rewound)"))  # fmt: skip
        elif hashes.get(point["seq"]) != point["hash"]:
            breaks.append(Break(point["seq"], None,
                                f"event #{point['seq']} differs from checkpoint {point['file']}"))  # fmt: skip
    return _report(checked, breaks, unsigned, len(checkpoints))


# --- checkpoints -------------------------------------------------------------------------


def _checkpoint_dir(directory: Path | None) -> Path:
    from django.conf import settings

    return Path(directory or settings.GONGKAI_AUDIT_CHECKPOINT_DIR)


def checkpoint_write(directory: Path | None = None) -> Path:
    """Write the signed head to a new file in `directory`, for the operator to ship off the
    machine (the scheduled jobs run it daily). Returns the file written."""
    folder = _checkpoint_dir(directory)
    folder.mkdir(parents=True, exist_ok=True)
    head = AuditHead.objects.filter(pk=1).first()
    seq, chain_hash = (head.seq, head.hash) if head else (0, GENESIS_HASH)
    when = timezone.now().astimezone(UTC).isoformat(timespec="seconds")
    key_id, key = _keys()[0]
    body = {"seq": seq, "hash": chain_hash, "time": when, "key_id": key_id}
    body["mac"] = _sign(key, "checkpoint", seq, chain_hash, when)
    path = folder / f"audit-checkpoint-{seq:012d}-{when.replace(':', '')}.json"
    path.write_text(json.dumps(body, sort_keys=True) + "\n", encoding="utf-8")
    return path


def list_checkpoints(directory: Path | None = None) -> list[dict]:
    """The checkpoints in `directory`, each with its own signature checked (`problem` set when
    it does not verify)."""
    folder = _checkpoint_dir(directory)
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.glob("audit-checkpoint-*.json")):
        try:
            body = json.loads(path.read_text(encoding="utf-8"))
            seq, chain_hash = int(body["seq"]), str(body["hash"])
            when, key_id, mac = str(body["time"]), str(body["key_id"]), str(body["mac"])
        except (ValueError, KeyError, TypeError, OSError):
            found.append({"seq": None, "file": path.name,
                          "problem": f"checkpoint {path.name} cannot be read"})  # fmt: skip
            continue
        key = _key(key_id)
        problem = ""
        if key is None:
            problem = f"checkpoint {path.name} signed with an unknown key {key_id}"
        elif not hmac.compare_digest(mac, _sign(key, "checkpoint", seq, chain_hash, when)):
            problem = f"checkpoint {path.name} has been altered"
        found.append({"seq": seq, "hash": chain_hash, "file": path.name, "problem": problem})
    return found


# --- display -------------------------------------------------------------------------------

# Actors that are not staff users, as the trail names them (core.workflow.SystemActor, the
# command line's `cli:<name>`, services called without a user).
_ACTOR_WORDS = {
    "system": "系统",
    "system:scheduler": "系统定时任务",
    "applicant": "申请人",
}
# What names an object in a sentence; `name` only where it is not a citizen's name.
_TITLE_ATTRS = ("number", "title", "username")
_NAMED_APPS = frozenset({"orgs", "documents", "normative", "supervision", "reports", "core"})


def actor_display(event: AuditEvent) -> str:
    """Who did it, in words: the user's name, or what the non-user actor is."""
    from django.utils.translation import gettext as _

    if event.actor_id and getattr(event, "actor", None) is not None:
        return event.actor.get_full_name() or event.actor.get_username()
    label = event.actor_label or "system"
    if label in _ACTOR_WORDS:
        return _(_ACTOR_WORDS[label])
    if label.startswith("cli:") or label.startswith("gongkai "):
        command = label.removeprefix("cli:").removeprefix("gongkai ")
        return _("命令行（%(c)s）") % {"c": command}
    return label


def _target_names(events) -> dict[tuple[str, str], str]:
    """(target_type, target_id) → a readable name, one query per type of object on the page."""
    from django.apps import apps

    wanted: dict[str, set[str]] = {}
    for event in events:
        if event.target_type and event.target_id:
            wanted.setdefault(event.target_type, set()).add(event.target_id)
    names: dict[tuple[str, str], str] = {}
    for label, ids in wanted.items():
        try:
            model = apps.get_model(label)
        except (LookupError, ValueError):
            continue
        pks = [int(i) for i in ids if i.isdigit()]
        noun = str(model._meta.verbose_name)
        for obj in model._default_manager.filter(pk__in=pks):
            attrs = _TITLE_ATTRS + (("name",) if model._meta.app_label in _NAMED_APPS else ())
            title = next((getattr(obj, a) for a in attrs if getattr(obj, a, "")), "")
            if label == "documents.document":
                names[(label, str(obj.pk))] = f"《{title}》"
            elif title:
                names[(label, str(obj.pk))] = f"{noun}“{title}”"
        for i in ids:
            names.setdefault((label, i), f"{noun} #{i}")
    return names


def describe(events) -> list[AuditEvent]:
    """The events with `actor_display`, `target_display` and `sentence` ("张三 发布：《…》")
    set for the audit pages; no internal names (verbs, model labels, actor codes) shown."""
    from django.utils.translation import gettext as _

    events = list(events)
    names = _target_names(events)
    for event in events:
        event.actor_display = actor_display(event)
        event.target_display = names.get((event.target_type, event.target_id), "")
        verb = str(event.verb_label)
        if verb == event.verb:  # a verb the catalog does not know: never shown as code
            verb = _("其他操作")
        event.verb_display = verb
        if event.target_display:
            event.sentence = _("%(actor)s %(verb)s：%(target)s") % {
                "actor": event.actor_display,
                "verb": verb,
                "target": event.target_display,
            }
        else:
            event.sentence = _("%(actor)s %(verb)s") % {"actor": event.actor_display, "verb": verb}
    return events

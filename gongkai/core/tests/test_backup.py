"""Backup and restore round-trip the demo on the database the suite runs on (SQLite or
PostgreSQL): same row counts, same file hashes, an intact audit trail, the same search results;
a damaged, partial or foreign backup is refused with exit code 2 and nothing is touched."""

import hashlib
import io
import json
import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.test import override_settings

from gongkai.core import audit, backup

pytestmark = pytest.mark.transactional

ACTOR = "cli:test"
# Rows the restore itself adds (its audit event) or empties (the page cache).
MOVING = {"core_auditevent", "gongkai_cache"}


def media_hashes() -> dict[str, str]:
    root = Path(settings.MEDIA_ROOT)
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in backup._media_files(root)
    }


def found_ids(q="通知") -> list[int]:
    from gongkai.search.selectors import search_documents

    return sorted(h.document.pk for h in search_documents(q, page_size=200).hits)


def state() -> tuple[dict, dict]:
    return backup._live_counts(), media_hashes()


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The full demo loaded for real (committed) and backed up once; afterwards the database
    is put back as the suite had it, by restoring a backup taken first."""
    folder = tmp_path_factory.mktemp("backups")
    # Checkpoints of this module only: the suite's other tests write checkpoints of chains
    # their rollback then discards, which no restored chain could match.
    checkpoints = override_settings(
        GONGKAI_AUDIT_CHECKPOINT_DIR=tmp_path_factory.mktemp("checkpoints")
    )
    with checkpoints, django_db_blocker.unblock():
        before = backup.backup_create(actor=ACTOR, directory=folder / "before")
        call_command("demo", "--no-serve", stdout=io.StringIO())
        # Demo documents carry no files: give two of them something to lose.
        root = Path(settings.MEDIA_ROOT) / "backup-test"
        root.mkdir(parents=True, exist_ok=True)
        (root / "a.pdf").write_bytes(b"%PDF-1.4 one\n" * 1000)
        (root / "b.txt").write_text("第二个文件\n", encoding="utf-8")
        taken = backup.backup_create(actor=ACTOR, directory=folder / "demo")
        yield taken
        backup.backup_restore(actor=ACTOR, path=before.path, yes=True)


@pytest.fixture
def live(demo, django_db_blocker):
    with django_db_blocker.unblock():
        yield demo


def test_backup_folder_holds_a_manifest_of_every_file(live):
    """The backup is complete (no .partial left), hashes every file, names the keys only by
    fingerprint, and carries the checkpoint of the chain it ends at."""
    manifest = json.loads((live.path / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["backend"] == connection.vendor
    assert manifest["row_counts"]["documents_document"] > 0
    assert "media/backup-test/a.pdf" in manifest["files"]
    assert manifest["checkpoint"] in manifest["files"]
    key_material = (settings.VAR_DIR / "field_key").read_bytes().strip()
    text = (live.path / "manifest.json").read_text(encoding="utf-8")
    assert key_material.decode() not in text
    assert hashlib.sha256(key_material).hexdigest() in manifest["keys"]["field"]
    assert not list(live.path.parent.glob("*.partial"))
    print(f"\ndemo backup: {live.size / 1024 / 1024:.1f} MB in {live.seconds:.2f} s")


def test_round_trip_restores_rows_files_trail_and_search(live):
    """Backup, damage the data and the files, restore: the same rows, files and search
    results come back, and verify-audit passes (checkpoints written after the backup are set
    aside, and the restore itself is in the trail)."""
    from django.db.models import Value
    from django.db.models.functions import Concat

    from gongkai.documents.models import Document
    from gongkai.orgs.models import Org
    from gongkai.search.backends import get_backend

    counts, files = state()
    hits = found_ids()
    assert hits and len(files) >= 2
    # Change everything a bad day could change.
    with transaction.atomic():
        audit.record(actor=ACTOR, verb="backup.create", data={"later": True})
    audit.checkpoint_write()
    Org.objects.update(name=Concat("name", Value("（改）")))
    Document.objects.filter(pk__in=hits[:3]).update(title="改掉的标题")
    get_backend().clear()
    root = Path(settings.MEDIA_ROOT) / "backup-test"
    (root / "a.pdf").unlink()
    (root / "b.txt").write_text("changed", encoding="utf-8")
    (root / "c.txt").write_text("new", encoding="utf-8")
    assert found_ids() != hits

    call_command("restore", str(live.path), "--yes", stdout=io.StringIO())

    after, after_files = state()
    assert {t: n for t, n in after.items() if t not in MOVING} == {
        t: n for t, n in counts.items() if t not in MOVING
    }
    assert after_files == files
    assert found_ids() == hits
    report = audit.verify_chain()
    assert report.ok, report.breaks
    last = audit.AuditEvent.objects.order_by("-seq").first()
    assert last.verb == "backup.restore" and last.data["set_aside_checkpoints"]
    assert not Org.objects.filter(name__endswith="（改）").exists()


def damage_flip_db_byte(path: Path):
    db = path / json.loads((path / "manifest.json").read_text())["database"]
    data = bytearray(db.read_bytes())
    data[len(data) // 2] ^= 0xFF
    db.write_bytes(bytes(data))


def damage_flip_media_byte(path: Path):
    file = path / "media/backup-test/a.pdf"
    data = bytearray(file.read_bytes())
    data[5] ^= 0x01
    file.write_bytes(bytes(data))


def damage_missing_file(path: Path):
    (path / "media/backup-test/b.txt").unlink()


def damage_partial(path: Path):
    path.rename(path.with_name(path.name + ".partial"))
    return path.with_name(path.name + ".partial")


def damage_no_manifest(path: Path):
    (path / "manifest.json").unlink()


def damage_manifest_edited(path: Path):
    manifest = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
    manifest["row_counts"]["documents_document"] += 1
    (path / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


def _resign(path: Path, change):
    manifest = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
    del manifest["checksum"]
    change(manifest)
    manifest["checksum"] = hashlib.sha256(backup._canonical(manifest)).hexdigest()
    (path / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


def damage_wrong_backend(path: Path):
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    _resign(path, lambda m: m.update(backend=other))


def damage_other_keys(path: Path):
    _resign(path, lambda m: m["keys"].update(audit=["0" * 64]))


def damage_newer_version(path: Path):
    _resign(path, lambda m: m["migrations"].setdefault("core", []).append("9999_future"))


@pytest.mark.parametrize(
    "damage, says",
    [
        (damage_flip_db_byte, "does not match its hash"),
        (damage_flip_media_byte, "does not match its hash"),
        (damage_missing_file, "is missing"),
        (damage_partial, ".partial"),
        (damage_no_manifest, "manifest.json is missing"),
        (damage_manifest_edited, "manifest.json has been altered"),
        (damage_wrong_backend, "backup of a"),
        (damage_other_keys, "the keys on this machine differ"),
        (damage_newer_version, "newer gongkai"),
    ],
)
def test_a_damaged_or_foreign_backup_is_refused_and_nothing_changes(live, tmp_path, damage, says):
    """Exit code 2 with a Chinese and English reason; the data and files stay as they were."""
    copy = tmp_path / live.path.name
    shutil.copytree(live.path, copy)
    target = damage(copy) or copy
    before = state()
    with pytest.raises(CommandError) as refused:
        call_command("restore", str(target), "--yes")
    assert refused.value.returncode == 2
    assert says in str(refused.value)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(refused.value))  # Chinese too
    assert state() == before


def test_restore_asks_before_overwriting_data(live):
    with pytest.raises(CommandError) as refused:
        call_command("restore", str(live.path))
    assert refused.value.returncode == 2 and "--yes" in str(refused.value)


def test_prune_keeps_the_newest(live, tmp_path):
    """`backup --prune --keep 2` leaves the two newest backups and old .partial leftovers go."""
    for _ in range(3):
        call_command("backup", str(tmp_path), stdout=io.StringIO())
    stale = tmp_path / "20000101T000000Z.partial"
    stale.mkdir()
    os.utime(stale, (0, 0))
    call_command("backup", str(tmp_path), "--prune", "--keep", "2", stdout=io.StringIO())
    left = sorted(p.name for p in tmp_path.iterdir())
    assert len(left) == 2 and not any(n.endswith(".partial") for n in left)
    assert audit.AuditEvent.objects.filter(verb="backup.prune").exists()


# Also makes pytest-django set up the test database when this module runs alone.
@pytest.mark.django_db
def test_the_daily_backup_is_scheduled():
    from gongkai.core.schedule import JOBS

    job = next(j for j in JOBS if j.name == "backup")
    assert job.command == "backup" and "--prune" in job.args

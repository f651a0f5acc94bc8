"""Backups that really restore: the database, the media files, the keys' fingerprints (never the
keys), the latest audit checkpoint, and a manifest with the hash of every file.

A backup is a folder `<DIR>/<YYYYmmddTHHMMSSZ>/`, written as `<name>.partial` and renamed when
complete, so a crash never leaves something that looks like a backup. SQLite is copied with its
online backup API (a consistent snapshot while the site runs); PostgreSQL with `pg_dump`
(custom format) inside an exported snapshot, so the row counts in the manifest are the dump's.

A restore checks the manifest and every hash before it touches anything, and never leaves a
half-restored site: SQLite is copied into a temporary file and checked, then written over the
live database in one transaction of the backup API (readers that are open keep a consistent
view; a crash rolls it back); PostgreSQL is restored in one transaction (`psql -1`); media
files are copied to a temporary folder and swapped in by rename.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .exceptions import ApplicationError

FORMAT = 1
MANIFEST = "manifest.json"
PARTIAL = ".partial"
NAME = re.compile(r"^\d{8}T\d{6}Z(-\d+)?$")
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.pgdump"
# Keys whose loss makes restored data unreadable or unverifiable; the secret key only signs
# sessions and links, so a different one is a warning.
REQUIRED_KEYS = ("field", "audit", "tracking")
CHUNK = 1024 * 1024


class BackupRefused(ApplicationError):
    """A backup that cannot be made or restored; nothing has been changed."""

    def __init__(self, chinese: str, english: str):
        super().__init__(f"{chinese}\n{english}", code="backup_refused")


@dataclass
class BackupResult:
    path: Path
    size: int
    seconds: float
    files: int
    pruned: list[str] = field(default_factory=list)


@dataclass
class RestoreResult:
    path: Path
    seconds: float
    tables: int
    files: int
    warnings: list[str] = field(default_factory=list)
    set_aside: list[str] = field(default_factory=list)


# --- helpers ---------------------------------------------------------------------------------


def _vendor() -> str:
    return connection.vendor  # "sqlite" or "postgresql"


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _copy_hashed(source: Path, target: Path) -> str:
    """Copy `source` to `target` (made durable) and return its SHA-256."""
    digest = hashlib.sha256()
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(source, "rb") as src, open(target, "wb") as dst:
        while chunk := src.read(CHUNK):
            digest.update(chunk)
            dst.write(chunk)
        dst.flush()
        os.fsync(dst.fileno())
    shutil.copystat(source, target)
    return digest.hexdigest()


def _canonical(value) -> bytes:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def _fingerprint(key: bytes) -> str:
    return hashlib.sha256(key).hexdigest()


def key_fingerprints() -> dict[str, list[str]]:
    """SHA-256 of every key this machine holds, by kind (the keys themselves never leave)."""
    from . import audit, crypto, tracking

    return {
        "field": [_fingerprint(k) for k in crypto._keys()],
        "audit": [_fingerprint(k) for _id, k in audit._keys()],
        "tracking": [_fingerprint(k) for k in tracking._keys()],
        "secret": [_fingerprint(settings.SECRET_KEY.encode())],
    }


def pg_binary(name: str) -> str:
    """`pg_dump`, `pg_restore` or `psql` from PATH or the newest /usr/lib/postgresql/*/bin."""
    found = shutil.which(name)
    if found:
        return found

    def version(path: Path) -> tuple:
        return tuple(int(p) for p in re.findall(r"\d+", path.parts[-3]))

    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), key=version)
    if candidates:
        return str(candidates[-1])
    raise BackupRefused(
        _(
            "找不到 PostgreSQL 工具 %(name)s：请安装 postgresql-client（与数据库服务器同一版本或更新）。"
        )
        % {"name": name},
        f"PostgreSQL tool {name} not found: install postgresql-client (the server's version "
        "or newer).",
    )


def _pg_env() -> dict[str, str]:
    db = connection.settings_dict
    env = dict(os.environ)
    for var, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"),
                     ("PGPASSWORD", "PASSWORD"), ("PGDATABASE", "NAME")):  # fmt: skip
        if db.get(key):
            env[var] = str(db[key])
    sslmode = (db.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        env["PGSSLMODE"] = sslmode
    return env


def _pg_connect():
    import psycopg

    db = connection.settings_dict
    return psycopg.connect(
        dbname=db["NAME"],
        user=db.get("USER") or None,
        password=db.get("PASSWORD") or None,
        host=db.get("HOST") or None,
        port=db.get("PORT") or None,
    )


def _run(args: list[str], *, env=None, what: str) -> None:
    done = subprocess.run(args, env=env, capture_output=True, text=True)  # noqa: S603 - our PostgreSQL tools
    if done.returncode != 0:
        raise RuntimeError(f"{what} failed ({done.returncode}): {done.stderr.strip()[-2000:]}")


def _sqlite_state(path: Path) -> tuple[dict[str, int], dict[str, list[str]]]:
    """Row counts per table and applied migrations of an SQLite file."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in db.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name")]  # fmt: skip
        # Table names come from sqlite_master, not from a user.
        counts = {t: db.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}  # noqa: S608
        migrations = db.execute("SELECT app, name FROM django_migrations").fetchall()
    finally:
        db.close()
    return counts, _group(migrations)


def _pg_state(cursor) -> tuple[dict[str, int], dict[str, list[str]]]:
    from psycopg import sql

    cursor.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
    )
    counts = {}
    for (table,) in cursor.fetchall():
        cursor.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table)))
        counts[table] = cursor.fetchone()[0]
    cursor.execute("SELECT app, name FROM django_migrations")
    return counts, _group(cursor.fetchall())


def _group(rows) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for app, name in rows:
        grouped.setdefault(app, []).append(name)
    return {app: sorted(names) for app, names in sorted(grouped.items())}


def _live_counts() -> dict[str, int]:
    if _vendor() == "sqlite":
        return _sqlite_state(Path(connection.settings_dict["NAME"]))[0]
    with _pg_connect() as conn, conn.cursor() as cursor:
        return _pg_state(cursor)[0]


def _media_files(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())


# --- backup ----------------------------------------------------------------------------------


def _dump_sqlite(target: Path) -> tuple[dict[str, int], dict[str, list[str]]]:
    source = sqlite3.connect(connection.settings_dict["NAME"], timeout=30)
    dest = sqlite3.connect(target)
    try:
        with dest:
            source.backup(dest)  # one step: a consistent copy while the site keeps writing
        dest.execute("PRAGMA journal_mode=DELETE")  # a self-contained file, no -wal beside it
    finally:
        dest.close()
        source.close()
    return _sqlite_state(target)


def _dump_postgres(target: Path) -> tuple[dict[str, int], dict[str, list[str]]]:
    pg_dump = pg_binary("pg_dump")
    with _pg_connect() as conn:
        conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        snapshot = conn.execute("SELECT pg_export_snapshot()").fetchone()[0]
        with conn.cursor() as cursor:
            state = _pg_state(cursor)
        # The dump sees exactly what the counts saw: the snapshot stays exported while this
        # transaction is open.
        _run([pg_dump, "--format=custom", "--no-owner", "--no-privileges",
              f"--snapshot={snapshot}", f"--file={target}"],
             env=_pg_env(), what="pg_dump")  # fmt: skip
        conn.rollback()
    _fsync(target)
    return state


def _unique_name(directory: Path) -> str:
    base = timezone.now().astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    name, n = base, 1
    while (directory / name).exists() or (directory / (name + PARTIAL)).exists():
        n += 1
        name = f"{base}-{n}"
    return name


def backup_create(*, actor, directory: Path | None = None) -> BackupResult:
    """Write a complete backup into a new folder of `directory` and record it in the trail."""
    from . import audit
    from .audit import checkpoint_write

    started = time.monotonic()
    directory = Path(directory or settings.GONGKAI_BACKUP_DIR)
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise BackupRefused(
            _("无法创建备份目录 %(dir)s：%(error)s") % {"dir": directory, "error": error},
            f"cannot create the backup folder {directory}: {error}",
        ) from None
    vendor = _vendor()
    if vendor not in ("sqlite", "postgresql"):
        raise BackupRefused(_("不支持此数据库。"), f"unsupported database {vendor}")
    if vendor == "postgresql":
        pg_binary("pg_dump")  # refuse before anything is written
    name = _unique_name(directory)
    work = directory / (name + PARTIAL)
    work.mkdir()
    try:
        # A checkpoint of the chain as it is now: the backup carries the signed head it ends at.
        checkpoint = checkpoint_write()
        db_file = SQLITE_FILE if vendor == "sqlite" else PG_FILE
        dump = _dump_sqlite if vendor == "sqlite" else _dump_postgres
        counts, migrations = dump(work / db_file)
        files = {db_file: {"sha256": _sha256_file(work / db_file),
                           "size": (work / db_file).stat().st_size}}  # fmt: skip
        media_root = Path(settings.MEDIA_ROOT)
        for path in _media_files(media_root):
            relative = "media/" + path.relative_to(media_root).as_posix()
            digest = _copy_hashed(path, work / relative)
            files[relative] = {"sha256": digest, "size": (work / relative).stat().st_size}
        relative = f"checkpoints/{checkpoint.name}"
        files[relative] = {
            "sha256": _copy_hashed(checkpoint, work / relative),
            "size": checkpoint.stat().st_size,
        }
        manifest = {
            "format": FORMAT,
            "backend": vendor,
            "created_at": timezone.now().isoformat(timespec="seconds"),
            "gongkai_version": _version(),
            "database": db_file,
            "migrations": migrations,
            "row_counts": counts,
            "keys": key_fingerprints(),
            "checkpoint": relative,
            "files": files,
        }
        manifest["checksum"] = hashlib.sha256(_canonical(manifest)).hexdigest()
        (work / MANIFEST).write_text(
            json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
            encoding="utf-8",
        )
        _fsync(work / MANIFEST)
        work.rename(directory / name)
        _fsync(directory)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    path = directory / name
    size = sum(f["size"] for f in files.values()) + (path / MANIFEST).stat().st_size
    result = BackupResult(path, size, time.monotonic() - started, len(files))
    with transaction.atomic():
        audit.record(actor=actor, verb="backup.create", target=("core.backup", name),
                     data={"path": str(path), "size": size, "files": len(files),
                           "backend": vendor, "seconds": round(result.seconds, 2)})  # fmt: skip
    return result


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("gongkai")
    except PackageNotFoundError:
        return "unknown"


def backup_prune(*, actor, directory: Path | None = None, keep: int | None = None) -> list[str]:
    """Delete all but the newest `keep` complete backups in `directory` (and `.partial`
    folders a crashed run left more than a day ago). Returns the names deleted."""
    from . import audit

    directory = Path(directory or settings.GONGKAI_BACKUP_DIR)
    keep = settings.GONGKAI_BACKUP_KEEP if keep is None else keep
    if keep < 1:
        raise BackupRefused(_("至少保留 1 份备份。"), "keep at least 1 backup")
    if not directory.is_dir():
        return []
    complete = sorted(
        (p for p in directory.iterdir()
         if p.is_dir() and NAME.match(p.name) and (p / MANIFEST).is_file()),
        key=lambda p: p.name,
    )  # fmt: skip
    doomed = complete[:-keep]
    day_ago = time.time() - 86400
    doomed += [p for p in directory.iterdir()
               if p.is_dir() and p.name.endswith(PARTIAL) and NAME.match(p.name[: -len(PARTIAL)])
               and p.stat().st_mtime < day_ago]  # fmt: skip
    for path in doomed:
        shutil.rmtree(path)
    removed = [p.name for p in doomed]
    if removed:
        with transaction.atomic():
            audit.record(actor=actor, verb="backup.prune", target=("core.backup", str(directory)),
                         data={"removed": removed, "keep": keep})  # fmt: skip
    return removed


# --- verify ----------------------------------------------------------------------------------


def _refuse_damaged(path: Path, zh: str, en: str):
    return BackupRefused(
        _("备份 %(path)s 已损坏或不完整，拒绝恢复（未做任何改动）：%(why)s")
        % {"path": path, "why": zh},
        f"backup {path} is damaged or incomplete; refused, nothing was changed: {en}",
    )


def backup_verify(path: Path) -> dict:
    """The backup's manifest once every file matches its hash; refuses anything else."""
    path = Path(path)
    if path.name.endswith(PARTIAL):
        raise _refuse_damaged(path, _("这是未完成的备份（.partial）"),
                              "this is an unfinished backup (.partial)")  # fmt: skip
    if not path.is_dir():
        raise BackupRefused(
            _("找不到备份目录 %(path)s。") % {"path": path}, f"no backup folder at {path}"
        )
    if not (path / MANIFEST).is_file():
        inside = sorted(p.name for p in path.iterdir() if p.is_dir() and NAME.match(p.name))
        if inside:
            raise BackupRefused(
                _("%(path)s 是备份的上级目录，请指定其中一份备份，例如 %(last)s。")
                % {"path": path, "last": path / inside[-1]},
                f"{path} holds backups: name one of them, e.g. {path / inside[-1]} "
                f"({len(inside)} found)",
            )
        raise _refuse_damaged(path, _("缺少 manifest.json"), "manifest.json is missing")
    try:
        manifest = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
        checksum = manifest.pop("checksum")
    except (ValueError, KeyError, AttributeError, TypeError, OSError) as exc:
        raise _refuse_damaged(
            path, _("manifest.json 无法读取"), "manifest.json cannot be read"
        ) from exc
    if hashlib.sha256(_canonical(manifest)).hexdigest() != checksum:
        raise _refuse_damaged(path, _("manifest.json 被改动"), "manifest.json has been altered")
    if manifest.get("format") != FORMAT:
        raise BackupRefused(
            _("备份格式版本 %(v)s 不受支持（本程序支持 %(ours)s）。")
            % {"v": manifest.get("format"), "ours": FORMAT},
            f"backup format {manifest.get('format')} is not supported (this version reads "
            f"{FORMAT})",
        )
    for relative, meta in manifest["files"].items():
        file = path / relative
        if ".." in Path(relative).parts or Path(relative).is_absolute():
            raise _refuse_damaged(path, _("文件路径不合法"), f"unsafe path {relative}")
        if not file.is_file():
            raise _refuse_damaged(path, _("缺少文件 %(f)s") % {"f": relative},
                                  f"file {relative} is missing")  # fmt: skip
        if file.stat().st_size != meta["size"] or _sha256_file(file) != meta["sha256"]:
            raise _refuse_damaged(path, _("文件 %(f)s 的校验值不符") % {"f": relative},
                                  f"file {relative} does not match its hash")  # fmt: skip
    return manifest


# --- restore ---------------------------------------------------------------------------------


def _check_backend(manifest: dict) -> None:
    vendor = _vendor()
    if manifest["backend"] != vendor:
        raise BackupRefused(
            _("这是 %(theirs)s 数据库的备份，当前使用的是 %(ours)s 数据库，不能恢复。")
            % {"theirs": manifest["backend"], "ours": vendor},
            f"this is a backup of a {manifest['backend']} database; this site runs on "
            f"{vendor}: refused",
        )


def _check_migrations(manifest: dict) -> list[str]:
    from django.db.migrations.loader import MigrationLoader

    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    unknown = [f"{app}.{name}" for app, names in manifest["migrations"].items()
               for name in names if (app, name) not in known]  # fmt: skip
    if unknown:
        raise BackupRefused(
            _(
                "备份来自更新版本的 gongkai（%(v)s），本程序不认识其中的数据库迁移：%(m)s。请先升级程序。"
            )
            % {"v": manifest.get("gongkai_version"), "m": ", ".join(unknown[:5])},
            f"the backup comes from a newer gongkai ({manifest.get('gongkai_version')}) with "
            f"migrations this code does not know: {', '.join(unknown[:5])}; upgrade first",
        )
    applied = {(app, n) for app, names in manifest["migrations"].items() for n in names}
    if known - applied:
        return [_("备份早于当前程序版本：恢复后请运行 gongkai migrate。")
                + " / The backup predates this code: run 'gongkai migrate' after the restore."]  # fmt: skip
    return []


def _check_keys(manifest: dict, ignore: bool) -> list[str]:
    ours = key_fingerprints()
    theirs = manifest["keys"]
    missing = [kind for kind in REQUIRED_KEYS
               if not set(theirs.get(kind, [])) <= set(ours.get(kind, []))]  # fmt: skip
    warnings = []
    if set(theirs.get("secret", [])) != set(ours["secret"]):
        warnings.append(_("SECRET_KEY 与备份时不同：所有登录会话将失效。")
                        + " / SECRET_KEY differs from the backup's: every session ends.")  # fmt: skip
    if missing and not ignore:
        files = {"field": "GONGKAI_FIELD_KEYS / field_key", "audit": "GONGKAI_AUDIT_KEYS / audit_key",
                 "tracking": "GONGKAI_TRACKING_KEYS / tracking_key"}  # fmt: skip
        where = "; ".join(files[k] for k in missing)
        raise BackupRefused(
            _("本机的密钥与备份时的密钥不同（%(keys)s）。备份中只有密钥的指纹，不含密钥本身："
              "请运维人员先把原来的密钥（环境变量或 %(var)s 下的密钥文件）恢复到本机，再运行恢复；"
              "否则加密的个人信息无法解密、操作日志无法验证。确需忽略请加 --ignore-keys。")
            % {"keys": where, "var": settings.VAR_DIR},
            f"the keys on this machine differ from the backup's ({where}). A backup holds only "
            f"their fingerprints, never the keys: the operator must put the original keys back "
            f"(environment variables or the key files in {settings.VAR_DIR}) and restore "
            "again; otherwise encrypted personal data cannot be read and the audit trail cannot "
            "be verified. Use --ignore-keys to restore anyway.",
        )  # fmt: skip
    if missing:
        warnings.append(f"keys differ, restored anyway (--ignore-keys): {', '.join(missing)}")
    return warnings


def _has_data() -> bool:
    if any(True for _p in _media_files(Path(settings.MEDIA_ROOT))):
        return True
    if "core_auditevent" not in connection.introspection.table_names():
        return False
    from .models import AuditEvent

    return AuditEvent.objects.exists()


def _restore_sqlite(backup: Path, manifest: dict) -> None:
    live = Path(connection.settings_dict["NAME"])
    live.parent.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(prefix=".restore-", suffix=".sqlite3", dir=live.parent)
    os.close(fd)
    temp = Path(temp_name)
    try:
        shutil.copyfile(backup / manifest["database"], temp)
        check = sqlite3.connect(temp)
        try:
            result = check.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            check.close()
        if result != "ok" or _sqlite_state(temp)[0] != manifest["row_counts"]:
            raise _refuse_damaged(backup, _("数据库文件校验失败"),
                                  f"the database file fails its check ({result})")  # fmt: skip
        connection.close()
        source = sqlite3.connect(temp)
        dest = sqlite3.connect(live, timeout=60)
        try:
            # One step of the backup API is one write transaction on the live file: every
            # reader sees the old database or the new one, and a crash rolls it back.
            source.backup(dest)
        finally:
            dest.close()
            source.close()
    finally:
        temp.unlink(missing_ok=True)
        for suffix in ("-wal", "-shm", "-journal"):
            Path(str(temp) + suffix).unlink(missing_ok=True)


# Dropped first, in the same transaction as the restore: tables of a newer schema that the
# dump does not name would otherwise survive it.
_PG_PRELUDE = """
DO $$
DECLARE r record;
BEGIN
  FOR r IN SELECT c.relname, c.relkind FROM pg_class c
           JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
           -- not an extension's, nor a sequence that goes with its table's column
           AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid
                           AND (d.deptype = 'e' OR (c.relkind = 'S' AND d.deptype IN ('a', 'i'))))
  LOOP
      EXECUTE format(CASE r.relkind WHEN 'v' THEN 'DROP VIEW IF EXISTS %I CASCADE'
                                    WHEN 'm' THEN 'DROP MATERIALIZED VIEW IF EXISTS %I CASCADE'
                                    WHEN 'S' THEN 'DROP SEQUENCE IF EXISTS %I CASCADE'
                                    WHEN 'f' THEN 'DROP FOREIGN TABLE IF EXISTS %I CASCADE'
                                    ELSE 'DROP TABLE IF EXISTS %I CASCADE' END, r.relname);
  END LOOP;
END $$;
"""


def _restore_postgres(backup: Path, manifest: dict) -> None:
    pg_restore, psql = pg_binary("pg_restore"), pg_binary("psql")
    env = _pg_env()
    # Check the archive can be read at all before anything is dropped.
    _run([pg_restore, "--list", str(backup / manifest["database"])], env=env,
         what="pg_restore --list")  # fmt: skip
    connection.close()
    with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as prelude:
        prelude.write(_PG_PRELUDE)
    try:
        producer = subprocess.Popen(  # noqa: S603 - pg_restore, fixed arguments
            [pg_restore, "--no-owner", "--no-privileges", "--clean", "--if-exists",
             "--file=-", str(backup / manifest["database"])],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )  # fmt: skip
        consumer = subprocess.run(  # noqa: S603 - psql, fixed arguments
            [psql, "--no-psqlrc", "--quiet", "--single-transaction", "-v", "ON_ERROR_STOP=1",
             "--file", prelude.name, "--file", "-"],
            env=env, stdin=producer.stdout, capture_output=True, text=True,
        )  # fmt: skip
        producer.stdout.close()
        producer_err = producer.stderr.read().decode(errors="replace")
        producer.wait()
    finally:
        os.unlink(prelude.name)
    if producer.returncode != 0 or consumer.returncode != 0:
        # psql ran everything in one transaction: on any error nothing was committed.
        raise RuntimeError(
            "PostgreSQL restore failed and was rolled back, the database is unchanged: "
            f"{producer_err.strip()[-1000:]} {consumer.stderr.strip()[-2000:]}"
        )


def _prepare_media(backup: Path, manifest: dict) -> Path:
    media_root = Path(settings.MEDIA_ROOT)
    media_root.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{media_root.name}-restore-", dir=media_root.parent))
    for relative, meta in manifest["files"].items():
        if relative.startswith("media/"):
            target = staging / relative.removeprefix("media/")
            if _copy_hashed(backup / relative, target) != meta["sha256"]:
                shutil.rmtree(staging, ignore_errors=True)
                raise _refuse_damaged(backup, _("文件 %(f)s 的校验值不符") % {"f": relative},
                                      f"file {relative} does not match its hash")  # fmt: skip
    return staging


def _swap_media(staging: Path) -> None:
    media_root = Path(settings.MEDIA_ROOT)
    old = None
    if media_root.exists():
        old = media_root.with_name(f".{media_root.name}-old-{os.getpid()}-{time.time_ns()}")
        media_root.rename(old)
    staging.rename(media_root)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _reconcile_checkpoints(backup: Path, manifest: dict) -> list[str]:
    """Put the backup's checkpoint back and set aside the checkpoints written after it: a
    restore rewinds the chain on purpose, and the trail records which were set aside."""
    from .audit import _checkpoint_dir, list_checkpoints
    from .models import AuditHead

    folder = _checkpoint_dir(None)
    folder.mkdir(parents=True, exist_ok=True)
    ours = backup / manifest["checkpoint"]
    if not (folder / ours.name).exists():
        shutil.copy2(ours, folder / ours.name)
    head = AuditHead.objects.filter(pk=1).first()
    head_seq = head.seq if head else 0
    later = [c["file"] for c in list_checkpoints(folder)
             if c["seq"] is not None and c["seq"] > head_seq]  # fmt: skip
    if later:
        aside = folder / f"set-aside-by-restore-{timezone.now().strftime('%Y%m%dT%H%M%S')}"
        aside.mkdir(exist_ok=True)
        for name in later:
            (folder / name).rename(aside / name)
    return later


def backup_restore(
    *, actor, path: Path, yes: bool = False, ignore_keys: bool = False
) -> RestoreResult:
    """Replace the database and media files with the backup in `path`, all or nothing."""
    from django.core.cache import cache

    from . import audit

    started = time.monotonic()
    if connection.in_atomic_block:
        raise RuntimeError("backup_restore() must not run inside a transaction")
    path = Path(path)
    manifest = backup_verify(path)
    _check_backend(manifest)
    warnings = _check_migrations(manifest)
    warnings += _check_keys(manifest, ignore_keys)
    if not yes and _has_data():
        raise BackupRefused(
            _("当前数据库或附件目录中已有数据，恢复会覆盖它们。确认覆盖请加 --yes。"),
            "the database or the media folder already holds data that the restore would "
            "overwrite: add --yes to confirm.",
        )
    if _vendor() == "postgresql":
        pg_binary("pg_restore"), pg_binary("psql")
    staging = _prepare_media(path, manifest)
    try:
        if _vendor() == "sqlite":
            _restore_sqlite(path, manifest)
        else:
            _restore_postgres(path, manifest)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _swap_media(staging)
    counts = _live_counts()
    if counts != manifest["row_counts"]:
        differ = sorted(t for t in set(counts) | set(manifest["row_counts"])
                        if counts.get(t) != manifest["row_counts"].get(t))  # fmt: skip
        warnings.append(f"row counts differ from the manifest after the restore: {differ[:10]}")
    set_aside = _reconcile_checkpoints(path, manifest)
    # Cached pages were made from the data just replaced.
    cache.clear()
    media = sum(1 for r in manifest["files"] if r.startswith("media/"))
    result = RestoreResult(path, time.monotonic() - started, len(counts), media, warnings,
                           set_aside)  # fmt: skip
    with transaction.atomic():
        audit.record(actor=actor, verb="backup.restore", target=("core.backup", path.name),
                     data={"path": str(path), "created_at": manifest["created_at"],
                           "backend": manifest["backend"], "files": media,
                           "set_aside_checkpoints": set_aside, "ignore_keys": ignore_keys,
                           "seconds": round(result.seconds, 2)})  # fmt: skip
    return result

"""Read replicas (issue 21 item 3) against a real PostgreSQL primary and hot standby.

The test starts both on this machine (temporary data directories, free ports, `initdb`,
`pg_basebackup -R`, streaming replication), points the "default" and "replica1" connections at
them, migrates the primary and drives the real services and portal views with the test client.
It runs only in the PostgreSQL run of the suite and skips when the PostgreSQL server binaries
are missing.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from django.conf import settings

ON_POSTGRES = "postgresql" in settings.DATABASES["default"]["ENGINE"]


def _bin_dir() -> Path | None:
    """The newest installed PostgreSQL server's bin directory (Debian layout, else PATH)."""
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0,
    )
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


BIN = _bin_dir()
TOOLS = ("initdb", "pg_ctl", "pg_basebackup")
MISSING = [t for t in TOOLS if BIN is None or not (BIN / t).exists()]
AS_ROOT = os.geteuid() == 0

pytestmark = [
    pytest.mark.transactional,
    pytest.mark.skipif(
        not ON_POSTGRES, reason="replica test runs only in the PostgreSQL run (DATABASE_URL)"
    ),
    pytest.mark.skipif(
        bool(MISSING),
        reason=f"PostgreSQL server binaries missing ({', '.join(MISSING)}): install postgresql",
    ),
    pytest.mark.skipif(
        AS_ROOT and not shutil.which("runuser"),
        reason="running as root needs runuser to start PostgreSQL as the postgres user",
    ),
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _pg(*args: str) -> None:
    """Run a PostgreSQL tool, as the `postgres` user when we are root (initdb refuses root)."""
    command = [str(BIN / args[0]), *args[1:]]
    if AS_ROOT:
        command = ["runuser", "-u", "postgres", "--", *command]
    result = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    if result.returncode:
        raise RuntimeError(f"{' '.join(args[:2])} failed: {result.stdout}{result.stderr}")


class Cluster:
    def __init__(self, base: Path, name: str, port: int):
        self.data = base / name
        self.log = base / f"{name}.log"
        self.port = port
        self.url = f"postgres://postgres@127.0.0.1:{port}/postgres"

    def start(self) -> None:
        _pg("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", "-t", "30", "start")

    def stop(self, mode: str = "fast") -> None:
        if (self.data / "postmaster.pid").exists():
            _pg("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", "30", "stop")

    def sql(self, query: str):
        import psycopg

        with psycopg.connect(self.url, autocommit=True, connect_timeout=5) as conn:
            return conn.execute(query).fetchone()


@contextlib.contextmanager
def _clusters():
    """A primary and a streaming hot standby in a temporary directory, removed afterwards."""
    base = Path(tempfile.mkdtemp(prefix="gk-replica-"))
    if AS_ROOT:
        import pwd

        account = pwd.getpwnam("postgres")
        os.chown(base, account.pw_uid, account.pw_gid)
    primary = Cluster(base, "primary", _free_port())
    standby = Cluster(base, "standby", _free_port())
    try:
        _pg("initdb", "-D", str(primary.data), "-U", "postgres", "--auth=trust", "-E", "UTF8")
        common = (
            f"listen_addresses = '127.0.0.1'\nunix_socket_directories = '{base}'\n"
            # A throwaway cluster: durability is not the point, speed is.
            "fsync = off\nfull_page_writes = off\nshared_buffers = 32MB\n"
        )
        conf = primary.data / "postgresql.conf"
        _append(
            conf,
            common + f"port = {primary.port}\nwal_level = replica\nmax_wal_senders = 4\n",
        )
        primary.start()
        _pg(
            "pg_basebackup",
            *("-h", "127.0.0.1", "-p", str(primary.port), "-U", "postgres"),
            *("-D", str(standby.data), "-R", "-X", "stream", "-c", "fast", "--no-sync"),
        )
        _append(standby.data / "postgresql.conf", f"port = {standby.port}\nhot_standby = on\n")
        standby.start()
        yield primary, standby
    finally:
        for cluster in (standby, primary):
            with contextlib.suppress(Exception):
                cluster.stop("immediate")
        shutil.rmtree(base, ignore_errors=True)


def _append(path: Path, text: str) -> None:
    # Written as root; the file stays owned by postgres (append keeps the owner).
    with path.open("a") as fh:
        fh.write(text)


@contextlib.contextmanager
def _connections_to(primary: Cluster, standby: Cluster):
    """Point "default" at the primary and "replica1" at the standby; put the suite's back."""
    import dj_database_url
    from asgiref.local import Local
    from django.db import connections

    default = dj_database_url.parse(primary.url)
    replica = dj_database_url.parse(standby.url)
    replica["CONN_HEALTH_CHECKS"] = True
    replica["OPTIONS"] = {"connect_timeout": 2}
    replica["TEST"] = {"MIRROR": "default"}
    saved = (connections._settings, connections.__dict__.get("settings"), connections._connections)
    connections._connections = Local(connections.thread_critical)
    connections._settings = connections.configure_settings(
        {"default": default, "replica1": replica}
    )
    connections.settings = connections._settings
    try:
        yield
    finally:
        connections.close_all()
        connections._settings, cached, connections._connections = saved
        if cached is None:
            connections.__dict__.pop("settings", None)
        else:
            connections.settings = cached


@pytest.fixture(scope="module")
def pair(django_db_blocker):
    """(primary, standby), migrated, with the router, the middleware and a publishing office."""
    from django.core.management import call_command
    from django.test import override_settings

    from gongkai.core import db_router

    started = time.monotonic()
    with (
        _clusters() as (primary, standby),
        django_db_blocker.unblock(),
        _connections_to(primary, standby),
        override_settings(
            DATABASE_ROUTERS=["gongkai.core.db_router.ReplicaRouter"],
            GONGKAI_REPLICA_ALIASES=["replica1"],
            GONGKAI_REPLICA_MAX_LAG_SECONDS=0,
            GONGKAI_REPLICA_RETRY_SECONDS=1,
            # Pages are rendered, not taken from the page cache: the test watches the queries.
            GONGKAI_PUBLIC_CACHE=False,
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        ),
    ):
        call_command("migrate", verbosity=0, interactive=False)
        office = _office()
        db_router._down_until.clear()
        db_router._lag_checked.clear()
        print(f"\nreplica pair ready in {time.monotonic() - started:.1f} s")
        yield primary, standby, office


def _office():
    from gongkai.orgs.models import Membership, Org
    from gongkai.orgs.services import membership_grant, org_create, staff_user_create

    org = org_create(actor=None, name="副本测试局", kind=Org.Kind.DEPARTMENT, code="41604893X")
    publisher = staff_user_create(actor=None, username="rep-pub", password="x", validate=False)
    reviewer = staff_user_create(actor=None, username="rep-rev", password="x", validate=False)
    membership_grant(actor=None, user=publisher, org=org, role=Membership.Role.PUBLISHER)
    membership_grant(actor=None, user=reviewer, org=org, role=Membership.Role.REVIEWER)
    return {"org": org, "publisher": publisher, "reviewer": reviewer}


def _publish(office, title: str) -> str:
    """Publish a document on the primary through the services; return its portal path."""
    from gongkai.documents import services
    from gongkai.documents.models import Document

    doc = services.document_create(
        actor=office["publisher"],
        org=office["org"],
        data={
            "title": title,
            "date_signed": dt.date(2026, 1, 5),
            "attribute": Document.Attribute.PROACTIVE,
        },
    )
    doc = services.document_transition(actor=office["publisher"], document=doc, action="submit")
    doc = services.document_transition(actor=office["reviewer"], document=doc, action="approve")
    doc = services.document_transition(actor=office["publisher"], document=doc, action="publish")
    return f"/documents/{doc.index_number}/"


def _wait_for_replay(primary: Cluster, standby: Cluster, timeout: float = 10) -> float:
    """Wait until the standby has replayed everything the primary wrote; return the wait."""
    (lsn,) = primary.sql("SELECT pg_current_wal_lsn()::text")
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        (done,) = standby.sql(f"SELECT pg_last_wal_replay_lsn() >= '{lsn}'::pg_lsn")
        if done:
            return time.monotonic() - start
        time.sleep(0.02)
    raise AssertionError(f"the standby did not replay {lsn} within {timeout} s")


class Queries:
    """Count the queries each connection runs while the block is open."""

    def __init__(self):
        self.count = {"default": 0, "replica1": 0}

    @contextlib.contextmanager
    def watch(self):
        from django.db import connections

        with contextlib.ExitStack() as stack:
            for alias in self.count:
                stack.enter_context(connections[alias].execute_wrapper(self._counter(alias)))
            yield self

    def _counter(self, alias):
        def wrapper(execute, sql, params, many, context):
            self.count[alias] += 1
            return execute(sql, params, many, context)

        return wrapper


def _get(client, path):
    queries = Queries()
    with queries.watch():
        response = client.get(path)
    return response, queries.count


def test_a_published_document_is_served_from_the_standby(pair):
    """Published on the primary, the document page reaches an anonymous visitor from the
    standby once it has replicated: every query of the page runs on the replica."""
    from django.test import Client

    primary, standby, office = pair
    path = _publish(office, "副本测试：关于开展春季植树活动的通知")
    waited = _wait_for_replay(primary, standby)
    print(f"replay after publishing took {waited * 1000:.0f} ms")
    response, count = _get(Client(), path)
    assert response.status_code == 200
    assert "关于开展春季植树活动的通知" in response.content.decode()
    assert count["replica1"] > 0
    assert count["default"] == 0, count
    # Proof that the rows came from the standby: it refuses writes, being in recovery.
    assert standby.sql("SELECT pg_is_in_recovery()") == (True,)


def test_paused_replay_hides_a_new_document_from_anonymous_visitors_only(pair):
    """With WAL replay paused on the standby, a document published since is missing for an
    anonymous visitor (404 from the replica) but visible to a signed-in user and to a client
    that has just written (both on the primary); replay resumed, the visitor sees it too."""
    from django.test import Client, override_settings

    primary, standby, office = pair
    standby.sql("SELECT pg_wal_replay_pause()")
    try:
        deadline = time.monotonic() + 10
        while standby.sql("SELECT pg_get_wal_replay_pause_state()") != ("paused",):
            assert time.monotonic() < deadline, "replay did not pause"
            time.sleep(0.02)
        path = _publish(office, "副本测试：暂停回放期间发布的公告")

        response, count = _get(Client(), path)
        assert response.status_code == 404
        assert count["replica1"] > 0 and count["default"] == 0, count

        staff = Client()
        staff.force_login(office["publisher"])
        response, count = _get(staff, path)
        assert response.status_code == 200
        assert count["replica1"] == 0, count

        citizen = Client()
        response = citizen.post("/prefs/text-size/", {"size": "large", "next": "/"})
        assert response.status_code == 302
        assert "gongkai_primary" in response.cookies
        response, count = _get(citizen, path)
        assert response.status_code == 200
        assert count["replica1"] == 0, count

        # A replica lagging more than the limit is skipped (paused, it falls further behind).
        time.sleep(0.6)
        with override_settings(GONGKAI_REPLICA_MAX_LAG_SECONDS=0.5):
            response, count = _get(Client(), path)
        assert response.status_code == 200
        assert count["default"] > 0, count
    finally:
        standby.sql("SELECT pg_wal_replay_resume()")
    _wait_for_replay(primary, standby)
    response, count = _get(Client(), path)
    assert response.status_code == 200
    assert count["replica1"] > 0 and count["default"] == 0, count


def test_the_portal_falls_back_to_the_primary_when_the_standby_is_down(pair, caplog):
    """The standby stopped: the page is still a 200 with the same content, from the primary —
    both when the replica's open connection breaks mid-request and when it cannot connect."""
    from django.test import Client

    from gongkai.core import db_router

    primary, standby, office = pair
    path = _publish(office, "副本测试：备库停机时的页面")
    _wait_for_replay(primary, standby)
    visitor = Client()
    before, count = _get(visitor, path)
    assert before.status_code == 200 and count["replica1"] > 0

    standby.stop("immediate")
    caplog.set_level("WARNING", logger="gongkai.replica")
    started = time.monotonic()
    # The connection the replica had is dead: the request is run again on the primary.
    after, count = _get(visitor, path)
    assert after.status_code == 200
    assert after.content == before.content
    assert count["default"] > 0
    assert "read replica replica1 is unreachable" in caplog.text
    # Marked down: the next request does not even try the replica.
    after, count = _get(Client(), path)
    assert after.status_code == 200 and count["replica1"] == 0
    # After the retry delay it tries again, cannot connect, and the primary serves at once.
    time.sleep(1.1)
    caplog.clear()
    after, count = _get(Client(), path)
    assert after.status_code == 200 and after.content == before.content
    assert count["default"] > 0 and count["replica1"] == 0
    assert "read replica replica1 is unreachable" in caplog.text
    assert time.monotonic() - started < 5
    assert db_router._down_until["replica1"] > time.monotonic()

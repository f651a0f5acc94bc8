"""Send public reads to PostgreSQL read replicas (hot standbys), everything else to the primary.

A request may read from a replica only when `ReadReplicaMiddleware` chose one for it: an
anonymous GET or HEAD outside the staff site, the admin and the personal pages, from a client
that has not written anything in the last GONGKAI_REPLICA_STICKY_SECONDS (a cookie set after
every POST keeps that client on the primary, so a citizen sees what they just submitted), and
not just after a public change (so the public page cache never keeps a page rendered from a
replica that has not replayed the change yet). Everything else — staff, writes, background
jobs, management commands, reads inside a transaction — uses the primary: the choice lives in a
context variable that is empty outside such a request.

A replica that cannot be reached is marked down for GONGKAI_REPLICA_RETRY_SECONDS and the
primary serves instead; a query that fails on a replica mid-request is run again on the
primary. A replica whose replay lags more than GONGKAI_REPLICA_MAX_LAG_SECONDS is skipped.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import threading
import time
from contextvars import ContextVar, Token

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.utils import DatabaseError, InterfaceError, OperationalError

log = logging.getLogger("gongkai.replica")

SAFE_METHODS = frozenset({"GET", "HEAD"})
STICKY_COOKIE = "gongkai_primary"
# Tables a client may read right after writing them without a POST in between (the session,
# a CAPTCHA created while rendering a form, its image fetched next), and the shared cache
# table that holds counters and the public page generation.
PRIMARY_ONLY_APPS = frozenset({"sessions", "django_cache", "axes", "captcha"})
# How often one process asks a replica for its replay lag.
LAG_CHECK_SECONDS = 1.0

_read_alias: ContextVar[str | None] = ContextVar("gongkai_read_alias", default=None)
_down_until: dict[str, float] = {}
_lag_checked: dict[str, tuple[float, bool]] = {}
_lock = threading.Lock()
_turn = itertools.count()


def replica_aliases() -> list[str]:
    return list(getattr(settings, "GONGKAI_REPLICA_ALIASES", ()))


def current_read_alias() -> str | None:
    """The replica chosen for the current request, or None (the primary)."""
    return _read_alias.get()


def use(alias: str | None) -> Token:
    return _read_alias.set(alias)


def reset(token: Token) -> None:
    _read_alias.reset(token)


class ReplicaRouter:
    """Reads go where the middleware decided; writes and migrations only to the primary."""

    def db_for_read(self, model, **hints):
        alias = _read_alias.get()
        if alias is None or model._meta.app_label in PRIMARY_ONLY_APPS:
            return DEFAULT_DB_ALIAS
        # A read inside a transaction on the primary belongs to that transaction.
        if connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS
        return alias

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replicas hold the same rows as the primary

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS


# --- choosing a replica ---------------------------------------------------------------------


def mark_down(alias: str, error: BaseException) -> None:
    retry = settings.GONGKAI_REPLICA_RETRY_SECONDS
    with _lock:
        _down_until[alias] = time.monotonic() + retry
        _lag_checked.pop(alias, None)
    log.warning(
        "read replica %s is unreachable (%s); reads go to the primary for %s s",
        alias,
        str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__,
        retry,
    )
    with contextlib.suppress(DatabaseError):
        connections[alias].close()


def _lag_ok(alias: str) -> bool:
    """Whether the replica's replay lag is within the limit (checked at most once a second)."""
    limit = settings.GONGKAI_REPLICA_MAX_LAG_SECONDS
    if not limit:
        return True
    now = time.monotonic()
    checked = _lag_checked.get(alias)
    if checked and now - checked[0] < LAG_CHECK_SECONDS:
        return checked[1]
    with connections[alias].cursor() as cursor:
        # Caught up when everything received is replayed; else the age of the last replayed
        # commit (which grows while replay is behind or paused).
        cursor.execute(
            "SELECT CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0"
            " ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0)"
            " END"
        )
        lag = float(cursor.fetchone()[0])
    ok = lag <= limit
    if not ok:
        log.warning("read replica %s lags %.1f s behind; reads go to the primary", alias, lag)
    _lag_checked[alias] = (now, ok)
    return ok


def healthy_replica() -> str | None:
    """A replica that answers and is not too far behind, taken in turn; None if there is none."""
    aliases = replica_aliases()
    if not aliases:
        return None
    start = next(_turn)
    now = time.monotonic()
    for i in range(len(aliases)):
        alias = aliases[(start + i) % len(aliases)]
        if _down_until.get(alias, 0) > now:
            continue
        conn = connections[alias]
        try:
            conn.close_if_health_check_failed()
            conn.ensure_connection()
            if _lag_ok(alias):
                return alias
        except (OperationalError, InterfaceError) as exc:
            mark_down(alias, exc)
    return None


def _sticky(request) -> bool:
    value = request.COOKIES.get(STICKY_COOKIE, "")
    try:
        until = float(value)
    except ValueError:
        return False
    now = time.time()
    # A cookie cannot keep a client on the primary longer than the setting says.
    return now < until <= now + settings.GONGKAI_REPLICA_STICKY_SECONDS + 1


def _recent_public_change() -> bool:
    """Whether a public change was committed within the replicas' allowed lag."""
    hook = getattr(settings, "GONGKAI_REPLICA_LAST_CHANGE", "")
    window = settings.GONGKAI_REPLICA_MAX_LAG_SECONDS
    if not hook or not window:
        return False
    from django.utils.module_loading import import_string

    try:
        changed = import_string(hook)()
    except Exception:  # the cache is down: the primary is the safe choice
        log.warning("read replicas: the time of the last public change is unknown", exc_info=True)
        return True
    return changed is not None and time.time() - changed < window


def read_alias_for(request) -> str | None:
    """The replica this request may read from, or None for the primary."""
    if request.method not in SAFE_METHODS:
        return None
    if request.path.startswith(tuple(settings.GONGKAI_REPLICA_PRIMARY_PREFIXES)):
        return None
    if "HTTP_AUTHORIZATION" in request.META or "HTTP_X_QUERY_PASSWORD" in request.META:
        return None
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return None  # read-your-own-writes for staff: always the primary
    if _sticky(request) or _recent_public_change():
        return None
    return healthy_replica()


def set_sticky(response) -> None:
    """Keep the client that just wrote on the primary for the next few seconds."""
    seconds = settings.GONGKAI_REPLICA_STICKY_SECONDS
    if seconds <= 0:
        return
    response.set_cookie(
        STICKY_COOKIE,
        str(int(time.time()) + seconds),
        max_age=seconds,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )

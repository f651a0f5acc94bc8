"""Public pages and API lists served from a cache, all invalidated at once when anything public
changes.

Every cache key holds the *public generation*, a token kept in the shared cache ("default":
Redis, or the database cache every worker and the scheduler share). `gongkai.core.audit.record`
announces each event; unless its verb is known not to show on public pages (`QUIET_VERBS`), the
token is replaced once the transaction commits, which orphans every page at once without
scanning keys. The token is read before the page is rendered and replaced only after the
change is committed, so a page stored under the current token was rendered after every change
that bumped it. A new token on every bump (not a counter) means two concurrent bumps can never
leave the old value in place. What changes with the clock alone (validity "as of today", an
open consultation that closes) is covered by today's date in the key and a short lifetime.

The middleware sits early (after the language is known), so a hit costs little more than the
two cache reads. Only anonymous GET/HEAD requests are served or stored: no session or messages cookie, no
Authorization header, no open transaction (a page rendered inside one may show what is rolled
back; the test suite's rollback tests run inside one), a query string that is empty or a small
page number, or a bounded query of the public filters (a search, a filtered list: `FILTERS`,
each once, short). Such a free query is stored only when it is asked for a second time within
`ADMIT_SECONDS` (a tiny marker remembers the first), so a burst of random queries cannot push
the popular pages out of the cache or fill Redis: only what people ask for again is kept. A response is stored only when it is a 200 that set no cookie, used no CSRF token,
left the session and messages untouched and did not ask for no-store: a page with a form (a
comment, a request) is therefore never shared. The staff site, the admin, the request and
tracking pages (settings.GONGKAI_NO_STORE_PREFIXES) are never stored, except the public API
lists named in `API_LISTS`, kept on the server only: the API stays `no-store` for browsers.

Cached pages carry an ETag (a hash of the content), a Last-Modified (the last bump, or today's
midnight if later) and `Cache-Control: public, max-age=GONGKAI_PUBLIC_MAX_AGE`, with
`Vary: Cookie` (the language and the text size are cookies), and answer a conditional request
with 304, so browsers and a CDN revalidate cheaply.

Pages live in the "public_pages" cache: Redis when GONGKAI_REDIS_URL is set, else each
worker's memory (bounded by entry count and entry size) — the token is always read from the
shared cache, so a worker never serves a page of an older generation.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
import secrets
import time
from urllib.parse import parse_qsl

from django.conf import settings
from django.core.cache import caches
from django.db import connection, transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import (
    add_never_cache_headers,
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
)
from django.utils.http import http_date, urlencode

log = logging.getLogger("gongkai.cache")

GENERATION_KEY = "gongkai:public-generation"
PAGES = "public_pages"
HEADER = "X-Gongkai-Cache"

# Public API lists (GET, anonymous), kept on the server though /api/ stays no-store for clients.
API_LISTS = frozenset(
    {
        "/api/v1/orgs",
        "/api/v1/documents",
        "/api/v1/categories",
        "/api/v1/normative",
        "/api/v1/catalogs/",
        "/api/v1/consultations",
        "/api/v1/questions",
    }
)
# The query parameters of the public searches and lists (portal forms, API filters): a query
# made of these only, each once and short, may be cached (after its second request).
FILTERS = frozenset(
    {
        "q", "sort", "org", "category", "column", "type", "validity", "year", "date_from",
        "date_to", "valid_on", "sub_units", "kind", "page", "page_size",
    }
)  # fmt: skip
MAX_QUERY_CHARS = 300
MAX_VALUE_CHARS = 100
# A free query is stored when asked for again within this long.
ADMIT_SECONDS = 120
# Never looked up nor stored, besides settings.GONGKAI_NO_STORE_PREFIXES.
SKIP_PREFIXES = ("/i18n/", "/captcha/", "/healthz", "/static/", "/media/", "/prefs/")

# Audit verbs known not to change any public page: accounts and roles, API tokens, the staff's
# deadline reminders and the self-check's notice. Everything else invalidates (a needless bump
# costs one render per page; a missing one shows a stale page).
QUIET_VERBS = frozenset(
    {
        "user.create",
        "user.change_password",
        "membership.grant",
        "membership.update",
        "membership.revoke",
        "participation.token_create",
        "participation.token_revoke",
        "sitecheck.notify",
    }
)
QUIET_PATTERN = re.compile(r"^(foi|workplan|reports|participation)\.reminder_\w+$")

# Headers the stored page keeps; the caching headers are set anew on every response.
_DROPPED = {
    "set-cookie",
    "vary",
    "cache-control",
    "etag",
    "last-modified",
    "expires",
    HEADER.lower(),
}


# --- the public generation ------------------------------------------------------------------


def _new_generation() -> tuple[str, float]:
    return secrets.token_hex(8), time.time()


def generation() -> tuple[str, float]:
    """The current (token, time of the bump); a lost or first token is created here."""
    shared = caches["default"]
    value = shared.get(GENERATION_KEY)
    if value is None:
        value = _new_generation()
        if not shared.add(GENERATION_KEY, value, timeout=None):
            value = shared.get(GENERATION_KEY) or value
    return tuple(value)


def bump() -> None:
    """Invalidate every cached public page now (use `bump_on_commit` inside a transaction)."""
    caches["default"].set(GENERATION_KEY, _new_generation(), timeout=None)


def _bump_after_commit() -> None:
    try:
        bump()
    except Exception:  # a cache outage must not turn a committed change into an error page
        log.exception("public cache: the generation could not be bumped")


def bump_on_commit(using: str | None = None) -> None:
    """Bump once when the current transaction commits, however many events it records."""
    conn = transaction.get_connection(using)
    if any(func is _bump_after_commit for _ids, func, _robust in conn.run_on_commit):
        return
    transaction.on_commit(_bump_after_commit, using=using)


def affects_public(verb: str) -> bool:
    return verb not in QUIET_VERBS and not QUIET_PATTERN.match(verb)


def on_audit_event(sender, event, **kwargs) -> None:
    """Receiver of `gongkai.core.audit.recorded`."""
    if affects_public(event.verb):
        bump_on_commit()


def on_post_migrate(sender, **kwargs) -> None:
    """After migrate or flush the data changed under the cache (a deploy, a test's flush)."""
    try:
        bump()
    except Exception:  # the cache table may not exist yet on a new database
        log.debug("public cache: no bump after migrate", exc_info=True)


# --- the middleware ---------------------------------------------------------------------------

_PAGE_ONLY = re.compile(r"^(page=\d+)?$")


def _etag(response) -> str:
    return hashlib.blake2b(response.content, digest_size=16).hexdigest()


def _open_transaction() -> bool:
    return connection.in_atomic_block


def _midnight() -> float:
    today = timezone.localdate()
    start = dt.datetime.combine(today, dt.time.min, tzinfo=timezone.get_current_timezone())
    return start.timestamp()


class PublicCacheMiddleware:
    """Serve anonymous public GETs from the cache (see the module's docstring).

    Sits right after the language is known (LocaleMiddleware, CommonMiddleware): a hit skips
    CSRF, authentication, messages and CSP, whose headers (static: no CSP nonce is used) were
    stored with the page; the no-store of the API lists is added again."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.timeout = settings.GONGKAI_PUBLIC_CACHE_SECONDS
        self.enabled = settings.GONGKAI_PUBLIC_CACHE and self.timeout > 0
        self.no_store = tuple(settings.GONGKAI_NO_STORE_PREFIXES)
        self.skip = self.no_store + SKIP_PREFIXES
        self.private_cookies = {settings.SESSION_COOKIE_NAME, "messages"}
        self.max_page = settings.GONGKAI_PUBLIC_CACHE_MAX_PAGE
        self.max_bytes = settings.GONGKAI_PUBLIC_CACHE_MAX_KB * 1024
        self.max_age = settings.GONGKAI_PUBLIC_MAX_AGE

    def __call__(self, request):
        query = self._query(request)
        if query is None:
            return self.get_response(request)
        try:
            token, bumped = generation()
            key = self._key(request, token, query)
            entry = caches[PAGES].get(key)
        except Exception:
            log.warning("public cache unavailable; serving without it", exc_info=True)
            return self.get_response(request)
        if entry is not None:
            return self._finish(request, self._rebuild(entry), entry["etag"], bumped, "hit")
        response = self.get_response(request)
        if not self._storable(request, response):
            return response
        if query and not _PAGE_ONLY.match(query) and not self._admitted(key):
            return self._finish(request, response, _etag(response), bumped, "miss")
        headers = [(k, v) for k, v in response.items() if k.lower() not in _DROPPED]
        etag = _etag(response)
        entry = {"body": response.content, "headers": headers, "etag": etag}
        try:
            caches[PAGES].set(key, entry, timeout=self.timeout)
        except Exception:
            log.warning("public cache: a page could not be stored", exc_info=True)
        return self._finish(request, response, etag, bumped, "miss")

    # What may be looked up: None for "not from the cache".
    def _query(self, request) -> str | None:
        if not self.enabled or request.method not in ("GET", "HEAD"):
            return None
        path = request.path
        if path.startswith(self.skip) and path not in API_LISTS:
            return None
        if self.private_cookies.intersection(request.COOKIES):
            return None
        if "HTTP_AUTHORIZATION" in request.META or "HTTP_X_QUERY_PASSWORD" in request.META:
            return None
        if _open_transaction():
            return None
        raw = request.META.get("QUERY_STRING", "")
        if not raw:
            return ""
        if len(raw) > MAX_QUERY_CHARS:
            return None
        # Bounded keys: the public filters only, each once, short; a small page number.
        pairs = parse_qsl(raw, keep_blank_values=True)
        names = [name for name, _value in pairs]
        if len(set(names)) != len(names) or not FILTERS.issuperset(names):
            return None
        if any(len(value) > MAX_VALUE_CHARS for _name, value in pairs):
            return None
        page = dict(pairs).get("page")
        if page is not None and not (
            page.isdigit() and page == str(int(page)) and 1 <= int(page) <= self.max_page
        ):
            return None
        return urlencode(sorted(pairs))

    @staticmethod
    def _admitted(key: str) -> bool:
        """Whether this free query was asked for before (else remember that it was, now)."""
        return not caches[PAGES].add(f"seen:{key}", 1, timeout=ADMIT_SECONDS)

    def _key(self, request, token: str, query: str) -> str:
        from django.utils.translation import get_language

        from .context_processors import TEXT_SIZE_COOKIE

        where = f"{request.scheme}://{request.get_host()}{request.path}?{query}"
        digest = hashlib.blake2b(where.encode("utf-8"), digest_size=16).hexdigest()
        size = "L" if request.COOKIES.get(TEXT_SIZE_COOKIE) == "large" else "N"
        language = getattr(request, "LANGUAGE_CODE", None) or get_language()
        return f"p:{token}:{language}:{size}:{timezone.localdate().isoformat()}:{digest}"

    def _storable(self, request, response) -> bool:
        if request.method != "GET" or response.status_code != 200 or response.streaming:
            return False
        if response.cookies or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
            return False
        session = getattr(request, "session", None)
        if session is not None and session.modified:
            return False
        if getattr(getattr(request, "_messages", None), "_queued_messages", None):
            return False
        control = response.get("Cache-Control", "").lower()
        if request.path not in API_LISTS and any(
            word in control for word in ("private", "no-store", "no-cache")
        ):
            return False
        vary = {v.strip().lower() for v in response.get("Vary", "").split(",") if v.strip()}
        if vary - {"cookie", "accept-language"}:
            return False
        return len(response.content) <= self.max_bytes

    @staticmethod
    def _rebuild(entry) -> HttpResponse:
        response = HttpResponse(entry["body"])
        for name, value in entry["headers"]:
            response[name] = value
        return response

    def _finish(self, request, response, etag: str, bumped: float, how: str):
        response[HEADER] = how
        patch_vary_headers(response, ("Cookie",))
        if request.path.startswith(self.no_store):  # the API lists: cached on the server only
            add_never_cache_headers(response)
            return response
        response["ETag"] = f'"{etag}"'
        modified = int(max(bumped, _midnight()))
        response["Last-Modified"] = http_date(modified)
        patch_cache_control(response, public=True, max_age=self.max_age)
        return get_conditional_response(
            request, etag=response["ETag"], last_modified=modified, response=response
        )

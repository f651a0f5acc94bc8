"""Attempt limits shared by every worker: counted in the cache (the database by default, Redis
when GONGKAI_REDIS_URL is set), never in a worker's memory, so two workers do not each allow
the full number."""

from __future__ import annotations

import hashlib

from django.core.cache import cache


def _key(scope: str, who: str) -> str:
    return f"rl:{scope}:{hashlib.sha256(who.encode('utf-8')).hexdigest()[:32]}"


def hit(scope: str, who: str, *, limit: int, window: int = 3600) -> bool:
    """Count one attempt by `who`; True when it is over `limit` in the current window.

    A fixed window starting at the first attempt; the count is the cache's atomic increment
    (Redis) or its closest equivalent (the database cache)."""
    key = _key(scope, who)
    cache.add(key, 0, window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
        count = 1
    return count > limit


def exceeded(scope: str, who: str, *, limit: int) -> bool:
    """Whether `who` is already over `limit`, without counting an attempt."""
    return (cache.get(_key(scope, who)) or 0) >= limit

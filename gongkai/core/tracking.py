"""Hashes of the machine-generated tracking passwords (disclosure requests, questions).

A tracking password is 10 characters drawn by `secrets` (about 50 bits) and guessing is
rate-limited per address and per number, so a slow password hash buys nothing against
guessing, while Argon2's ~0.15 s of CPU per submission capped intake at about 7 per second.
A keyed HMAC-SHA256 protects it as well against a stolen database: without the key, which is
not in the database, no guess can even be checked. Staff passwords stay Argon2 (people choose
them).

Stored form: `hmac$<key id>$<hex digest>`. Keys come from GONGKAI_TRACKING_KEYS (comma-separated,
newest first) or from one key generated into the var dir; the key id (8 hex of the key's
SHA-256) lets a rotated deployment keep verifying old hashes with the old key. Hashes made
before this scheme (Argon2, Django's format) still verify and are replaced on their next
successful use.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from functools import cache

from django.conf import settings
from django.contrib.auth.hashers import check_password

PREFIX = "hmac"


@cache
def _keys() -> tuple[bytes, ...]:
    configured = os.environ.get("GONGKAI_TRACKING_KEYS", "").strip()
    if configured:
        return tuple(k.strip().encode() for k in configured.split(",") if k.strip())
    from .keyfile import read_or_create

    return (
        read_or_create(settings.VAR_DIR / "tracking_key", lambda: secrets.token_hex(32).encode()),
    )


def _key_id(key: bytes) -> str:
    return hashlib.sha256(key).hexdigest()[:8]


def key_fingerprints() -> list[str]:
    """The ids of the configured keys (for backups: which key the hashes need, never the key)."""
    return [_key_id(k) for k in _keys()]


def make(password: str) -> str:
    key = _keys()[0]
    digest = hmac.new(key, password.encode("utf-8"), hashlib.sha256).hexdigest()
    return f"{PREFIX}${_key_id(key)}${digest}"


def verify(password: str, stored: str) -> tuple[bool, bool]:
    """(whether `password` matches `stored`, whether `stored` should be replaced by `make`)."""
    password = password or ""
    if not stored:
        return False, False
    if stored.startswith(PREFIX + "$"):
        _prefix, key_id, digest = [*stored.split("$", 2), "", ""][:3]
        for position, key in enumerate(_keys()):
            if _key_id(key) == key_id:
                expected = hmac.new(key, password.encode("utf-8"), hashlib.sha256).hexdigest()
                ok = hmac.compare_digest(expected, digest)
                return ok, ok and position > 0  # made with an older key: rehash
        return False, False  # its key is gone
    ok = check_password(password, stored)  # a hash from before this scheme
    return ok, ok

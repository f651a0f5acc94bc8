"""Encryption of personal data at rest (identity numbers) and keyed hashes to match them.

Keys come from GONGKAI_FIELD_KEYS (comma-separated Fernet keys, newest first, so a key can be
rotated: old rows stay readable, new rows use the first key) or, when unset, from one key
generated once into the var dir beside the secret key. A database dump alone then does not
reveal identity numbers.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


@cache
def _keys() -> tuple[bytes, ...]:
    configured = os.environ.get("GONGKAI_FIELD_KEYS", "").strip()
    if configured:
        return tuple(k.strip().encode() for k in configured.split(",") if k.strip())
    from .keyfile import read_or_create

    return (read_or_create(settings.VAR_DIR / "field_key", Fernet.generate_key),)


def _fernet() -> MultiFernet:
    return MultiFernet([Fernet(k) for k in _keys()])


def encrypt(text: str) -> str:
    return _fernet().encrypt(text.encode("utf-8")).decode("ascii") if text else ""


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken:
        # A missing or rotated-away key: say so in the log's language, never guess.
        raise ValueError("cannot decrypt field: key missing or rotated away") from None


def keyed_hash(text: str, *, purpose: str) -> str:
    """A stable HMAC of `text` for equality lookups (same applicant, same address) without
    storing the value; `purpose` separates the uses so hashes cannot be joined across them."""
    key = hashlib.sha256(_keys()[-1] + b"|" + purpose.encode()).digest()
    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).hexdigest()

"""One-time submission tokens for public forms: the first POST carrying a token does the
work; a replay of the same POST finds its key already used (a unique column of the row it
created). Signed, so a visitor cannot pick another visitor's key."""

from __future__ import annotations

import secrets

from django.core import signing

MAX_AGE = 24 * 3600


def new_token(salt: str) -> str:
    return signing.dumps(secrets.token_hex(16), salt=salt)


def key_of(token: str, salt: str) -> str | None:
    """The key inside a token this site issued in the last day; None otherwise."""
    try:
        return signing.loads(token or "", salt=salt, max_age=MAX_AGE)
    except signing.BadSignature:
        return None

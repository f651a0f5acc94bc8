"""What the read-replica router (core.db_router) needs to know from the public page cache."""

from django.conf import settings


def last_public_change() -> float | None:
    """When the public pages last changed (epoch seconds), or None when nothing is cached.

    Right after a change the router reads from the primary, so that a page rendered from a
    replica that has not replayed the change yet is not stored under the new generation."""
    if not settings.GONGKAI_PUBLIC_CACHE:
        return None
    from .cache import generation

    return generation()[1]

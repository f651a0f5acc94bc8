"""Start-up checks of the search index (`gongkai check --database default`, and `migrate`)."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.db import connections
from django.db.utils import DatabaseError


@register(Tags.database)
def search_index(app_configs=None, databases=None, **kwargs):
    """PostgreSQL: the configured index (GONGKAI_SEARCH_INDEX) should be the one in use; where
    it is not, searches still work on the one there is (the queries are the same)."""
    from .backends.postgres import INDEXES, index_status

    problems = []
    for alias in databases or ():
        conn = connections[alias]
        if conn.vendor != "postgresql" or alias != "default":
            continue
        try:
            with conn.cursor() as cursor:
                cursor.execute("SELECT to_regclass('search_searchentry') IS NOT NULL")
                if not cursor.fetchone()[0]:
                    continue  # not migrated yet
                status = index_status(cursor)
        except DatabaseError:
            continue  # the database checks report an unreachable database themselves
        wanted = settings.GONGKAI_SEARCH_INDEX
        valid = [method for method, ok in status["indexes"].items() if ok]
        if wanted not in INDEXES:
            problems.append(
                Error(
                    f"GONGKAI_SEARCH_INDEX is {wanted!r}; it must be 'gin' or 'rum'.",
                    id="search.E001",
                )
            )
        elif not valid:
            problems.append(
                Error(
                    "No valid full-text index on search_searchentry.vector: every search scans "
                    "the table.",
                    hint="Run: gongkai search_index",
                    id="search.E002",
                )
            )
        elif wanted not in valid:
            missing = wanted == "rum" and not status["rum_available"]
            problems.append(
                Warning(
                    f"GONGKAI_SEARCH_INDEX is {wanted!r} but the index in use is "
                    f"{', '.join(valid)}; searches use that one.",
                    hint=(
                        "Install the rum extension on the database server (Debian: "
                        "postgresql-NN-rum), then run: gongkai search_index"
                        if missing
                        else "Run: gongkai search_index"
                    ),
                    id="search.W001",
                )
            )
    return problems

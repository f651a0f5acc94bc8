"""The `gongkai` console command: the project's own subcommands plus every Django command.

`gongkai verify-audit` and `gongkai verify_audit` are the same command (hyphens are how
people type it; underscores are how Python names modules).
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.config.settings")
    # No debug pages under `gongkai demo` either: they show settings and paths to anyone who
    # reaches the server, and the project's own error pages say what went wrong in Chinese.

    import django
    from django.core.management import execute_from_command_line, get_commands

    django.setup()
    if len(argv) > 1 and not argv[1].startswith("-") and argv[1] not in {"help"}:
        name = argv[1].replace("-", "_")
        if name not in get_commands():
            print(
                f"gongkai: 未知命令 / unknown command '{argv[1]}'. "
                "Run 'gongkai help' for the list.",
                file=sys.stderr,
            )
            sys.exit(2)
        argv[1] = name
        asks_help = any(a in ("-h", "--help") for a in argv[2:])
        if name not in NEEDS_NO_DATABASE and not asks_help and not _database_ready():
            print(
                "数据库尚未初始化：请先运行 gongkai migrate（或 make demo）\n"
                "The database has not been set up: run 'gongkai migrate' (or 'make demo') first.",
                file=sys.stderr,
            )
            sys.exit(2)
    execute_from_command_line(["gongkai", *argv[1:]])


# Commands that create the database, or do not read it.
NEEDS_NO_DATABASE = frozenset(
    [
        "migrate",
        "restore",  # onto a fresh machine, before any migration
        "makemigrations",
        "showmigrations",
        "sqlmigrate",
        "squashmigrations",
        "optimizemigration",
        "demo",
        "check",
        "shell",
        "dbshell",
        "createcachetable",
        "collectstatic",
        "findstatic",
        "compilemessages",
        "makemessages",
        "test",
        "testserver",
        "runserver",
        "version",
        "diffsettings",
        "sendtestemail",
        "startapp",
        "startproject",
        "flush",
        "inspectdb",
    ]
)


def _database_ready() -> bool:
    """Whether migrations have run (a table of this project exists); a database that cannot be
    reached at all is a clear message too, not a traceback."""
    from django.db import DatabaseError, connection

    try:
        tables = set(connection.introspection.table_names())
    except DatabaseError as error:
        print(f"无法连接数据库 / cannot reach the database: {error}", file=sys.stderr)
        sys.exit(2)
    return "django_migrations" in tables and "core_auditevent" in tables


if __name__ == "__main__":
    main()

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
    execute_from_command_line(["gongkai", *argv[1:]])


if __name__ == "__main__":
    main()

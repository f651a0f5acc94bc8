"""What every bench script does first: a fresh database of its own (SQLite in a temporary var
dir, or a PostgreSQL database whose name says "bench", dropped and created), then Django."""

import os
import sys
import tempfile
from pathlib import Path


def fresh_database(args, prefix: str) -> str:
    """Point gongkai at a new, empty database for this run; return the var dir."""
    var_dir = args.dir or tempfile.mkdtemp(prefix=prefix)
    Path(var_dir).mkdir(parents=True, exist_ok=True)
    os.environ["GONGKAI_VAR_DIR"] = var_dir
    if args.backend == "sqlite":
        if (Path(var_dir) / "gongkai.sqlite3").exists():
            sys.exit(f"{var_dir} already holds a database; give an empty --dir")
        os.environ.pop("DATABASE_URL", None)
    else:
        import psycopg

        base, name = args.postgres_url.rsplit("/", 1)
        if "bench" not in name:
            sys.exit(f"refusing to drop {name!r}: the bench database's name must contain 'bench'")
        with psycopg.connect(base + "/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
        os.environ["DATABASE_URL"] = args.postgres_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.config.settings")
    import django

    django.setup()
    return var_dir

#!/usr/bin/env bash
# The whole suite: on SQLite, then on PostgreSQL when a server is reachable.
# Usage: scripts/run-tests.sh [sqlite|postgres|all] [pytest args...]
set -euo pipefail
cd "$(dirname "$0")/.."
which="${1:-all}"; [ $# -gt 0 ] && shift
PYTEST=(.venv/bin/pytest "$@")
PG_URL="${TEST_POSTGRES_URL:-${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/gongkai}}"
var_dir=$(mktemp -d)
trap 'rm -rf "$var_dir"' EXIT
status=0

if [ "$which" = all ] || [ "$which" = sqlite ]; then
  echo "=== test suite on SQLite"
  env -u DATABASE_URL GONGKAI_VAR_DIR="$var_dir/sqlite" "${PYTEST[@]}" || status=1
fi

if [ "$which" = all ] || [ "$which" = postgres ]; then
  if .venv/bin/python - "$PG_URL" <<'PY'
import sys
import dj_database_url, psycopg
cfg = dj_database_url.parse(sys.argv[1])
try:
    psycopg.connect(dbname="postgres", user=cfg["USER"] or None, password=cfg["PASSWORD"] or None,
                    host=cfg["HOST"] or None, port=cfg["PORT"] or None, connect_timeout=3).close()
except Exception as exc:
    print(f"PostgreSQL not reachable at {sys.argv[1]}: {exc}", file=sys.stderr)
    sys.exit(1)
PY
  then
    echo "=== test suite on PostgreSQL ($PG_URL)"
    DATABASE_URL="$PG_URL" GONGKAI_VAR_DIR="$var_dir/pg" "${PYTEST[@]}" || status=1
  else
    echo "=== SKIPPED the PostgreSQL run: no server reachable (set TEST_POSTGRES_URL)"
    [ "$which" = postgres ] && status=1
  fi
fi
exit $status

#!/usr/bin/env bash
# Install the Debian packages gongkai's tests use: chromium (browser tests, driven by
# Playwright; never a downloaded browser), fonts-noto-cjk (Chinese text in screenshots
# and PDFs) and the libraries WeasyPrint loads at run time for PDF letters (Pango, its
# FreeType backend, HarfBuzz's subsetter), and PostgreSQL's rum index where a server is
# here. Where apt is not usable, say what is missing and go on.
set -u
has_lib() { local f; for f in /usr/lib/*/"$1" /usr/lib/"$1" /usr/lib64/"$1"; do [ -e "$f" ] && return 0; done; return 1; }
need=()
# `system-deps.sh runtime` (make demo): only what serving needs, not the test browser.
[ "${1:-}" = runtime ] || [ -x /usr/bin/chromium ] || need+=(chromium)
# wrk: the load generator of bench/load.py (not needed to serve or to test).
[ "${1:-}" = runtime ] || command -v wrk >/dev/null 2>&1 || need+=(wrk)
[ -d /usr/share/fonts/opentype/noto ] || need+=(fonts-noto-cjk)
# rum: the PostgreSQL index access method the search backend uses where present (positions in
# the index, so phrase matches need no recheck of each row's vector); gongkai falls back to GIN
# without it and says so (`gongkai check`). Only for a PostgreSQL server on this machine.
for pg in /usr/lib/postgresql/*/bin/postgres; do
  [ -x "$pg" ] || continue
  v=$(basename "$(dirname "$(dirname "$pg")")")
  [ -e "/usr/share/postgresql/$v/extension/rum.control" ] || need+=("postgresql-$v-rum")
done
has_lib libpango-1.0.so.0 || need+=(libpango-1.0-0)
has_lib libpangoft2-1.0.so.0 || need+=(libpangoft2-1.0-0)
has_lib libharfbuzz-subset.so.0 || need+=(libharfbuzz-subset0)
# axe-core for the accessibility checks of the browser tests, from the npm registry (never a
# CDN), pinned, into the git-ignored .venv/npm; the tests inject its axe.min.js themselves.
AXE_VERSION=4.14.1
AXE_DIR="$(cd "$(dirname "$0")/.." && pwd)/.venv/npm"
if [ "${1:-}" != runtime ] && ! grep -qs "\"version\": \"$AXE_VERSION\"" "$AXE_DIR/node_modules/axe-core/package.json"; then
  if command -v npm >/dev/null 2>&1; then
    npm install --prefix "$AXE_DIR" --no-audit --no-fund --no-save --silent "axe-core@$AXE_VERSION" \
      || echo "WARNING: npm could not install axe-core@$AXE_VERSION into $AXE_DIR" >&2
  else
    echo "MISSING npm: axe-core@$AXE_VERSION cannot be installed; the accessibility checks of the" >&2
    echo "browser tests fail under CI=true and skip otherwise (install it with: apt-get install npm)." >&2
  fi
fi
[ ${#need[@]} -eq 0 ] && exit 0
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  echo "installing Debian packages: ${need[*]}"
  apt-get update -qq >/dev/null 2>&1 || true
  if DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null 2>&1; then
    exit 0
  fi
  echo "WARNING: apt-get could not install ${need[*]}" >&2
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  sudo apt-get update -qq >/dev/null 2>&1 || true
  sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null 2>&1 && exit 0
fi
echo "MISSING system packages: ${need[*]} (install them with: apt-get install ${need[*]})." >&2
echo "Without chromium the browser tests cannot run (they fail under CI=true, skip otherwise)." >&2
echo "Without Pango or fonts-noto-cjk, PDF letters cannot be generated (DOCX still works)." >&2
echo "Without postgresql-N-rum, PostgreSQL search uses a GIN index (slower phrase matching)." >&2
exit 0

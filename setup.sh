#!/usr/bin/env bash
# Sets up Encore in ./.venv with a Chromium to drive: Playwright's own build when it can be
# downloaded, otherwise the system's (Debian's `chromium` package, installed when run as root); and
# PostgreSQL's binaries, from which the tests and the load test start throwaway servers.
set -euo pipefail
cd "$(dirname "$0")"

python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e '.[dev]'

have_system_chromium() {
  [ -n "${ENCORE_CHROMIUM:-}" ] && [ -x "${ENCORE_CHROMIUM}" ] && return 0
  command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || [ -x /usr/bin/chromium ]
}

if timeout 300 .venv/bin/python -m playwright install chromium >/dev/null 2>&1; then
  echo "setup: using Playwright's Chromium"
elif have_system_chromium; then
  echo "setup: Playwright's Chromium could not be downloaded; using the system Chromium"
elif [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "setup: installing Debian's chromium package"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
else
  echo "setup: no Chromium available. Install one of:" >&2
  echo "  .venv/bin/python -m playwright install chromium      (needs internet)" >&2
  echo "  sudo apt-get install chromium                         (Debian/Ubuntu)" >&2
  echo "or point ENCORE_CHROMIUM at a Chromium binary." >&2
  exit 1
fi

have_postgresql() {
  command -v pg_ctl >/dev/null 2>&1 || compgen -G "/usr/lib/postgresql/*/bin/pg_ctl" >/dev/null
}

if have_postgresql; then
  :
elif [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "setup: installing Debian's postgresql (the tests start throwaway servers from its binaries)"
  apt-get -o DPkg::Lock::Timeout=600 update -qq
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq postgresql >/dev/null
else
  echo "setup: no PostgreSQL binaries: the tests that need PostgreSQL will be skipped." >&2
  echo "  sudo apt-get install postgresql                       (Debian/Ubuntu)" >&2
fi

#!/usr/bin/env bash
# Sets up Encore in ./.venv with a Chromium to drive: Playwright's own build when it can be
# downloaded, otherwise the system's (Debian's `chromium` package, installed when run as root); and
# PostgreSQL's binaries, from which the tests and the load test start throwaway servers.
# Each step says what it does and how long it took; apt waits for a lock another apt holds.
set -euo pipefail
cd "$(dirname "$0")"

python=${PYTHON:-python3}
started=$SECONDS
say() { printf 'setup: %s\n' "$*"; }
took() { say "  done in $((SECONDS - $1))s"; }
apt() { DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 "$@"; }  # wait for another apt, up to 10 min

if [ ! -x .venv/bin/python ]; then
  t=$SECONDS; say "creating .venv with $("$python" --version 2>&1)"
  "$python" -m venv .venv
  took "$t"
fi
t=$SECONDS; say "installing Encore and its dependencies into .venv (about a minute the first time)"
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e '.[dev]'
took "$t"

have_system_chromium() {
  [ -n "${ENCORE_CHROMIUM:-}" ] && [ -x "${ENCORE_CHROMIUM}" ] && return 0
  command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || [ -x /usr/bin/chromium ]
}

t=$SECONDS; say "looking for a Chromium (Playwright's download first; it gives up after 5 minutes offline)"
if timeout 300 .venv/bin/python -m playwright install chromium >/dev/null 2>&1; then
  say "using Playwright's Chromium"
elif have_system_chromium; then
  say "Playwright's Chromium could not be downloaded; using the system Chromium"
elif [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  say "installing Debian's chromium package (waits for another apt to finish, if one is running)"
  apt update -qq
  apt install -y -qq chromium >/dev/null
else
  echo "setup: no Chromium available. Install one of:" >&2
  echo "  .venv/bin/python -m playwright install chromium      (needs internet)" >&2
  echo "  sudo apt-get install chromium                         (Debian/Ubuntu)" >&2
  echo "or point ENCORE_CHROMIUM at a Chromium binary." >&2
  exit 1
fi
took "$t"

have_postgresql() {
  command -v pg_ctl >/dev/null 2>&1 || compgen -G "/usr/lib/postgresql/*/bin/pg_ctl" >/dev/null
}

if ! have_postgresql; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    t=$SECONDS; say "installing Debian's postgresql (the tests start throwaway servers from its binaries)"
    apt update -qq
    apt install -y -qq postgresql >/dev/null
    took "$t"
  else
    echo "setup: no PostgreSQL binaries: the tests that need PostgreSQL will be skipped." >&2
    echo "  sudo apt-get install postgresql                       (Debian/Ubuntu)" >&2
  fi
fi
say "ready in $((SECONDS - started))s: .venv/bin/encore --help, .venv/bin/python -m examples.demo"

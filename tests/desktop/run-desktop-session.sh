#!/usr/bin/env bash
# Run a command inside a throwaway headless desktop: Xvfb (xvfb-run -a) plus a private D-Bus
# session bus (dbus-run-session) on which desktop_bus.py already serves the tray watcher/host
# and the notification daemon.
#
#   tests/desktop/run-desktop-session.sh <command> [args...]
#
# The command sees DISPLAY, DBUS_SESSION_BUS_ADDRESS and
#   CLAWTOWER_DESKTOP_STATE  state dir of `desktop_bus.py serve` (items.json, notifications.jsonl)
#   CLAWTOWER_DESKTOP_PY     the venv's python
#   CLAWTOWER_DESKTOP_TOOL   path of desktop_bus.py
# e.g. "$CLAWTOWER_DESKTOP_PY" "$CLAWTOWER_DESKTOP_TOOL" tray --wait 30 --label-regex 'today$'
#
# Settings: CLAWTOWER_VENV (default ~/.cache/clawtower/venv-desktop, created when missing or
# when requirements.txt changed), CLAWTOWER_DESKTOP_STATE (kept if you set it, else a temp dir
# removed on exit), CLAWTOWER_XVFB_SCREEN (default 1280x800x24), PYTHON (to create the venv).
# Exit status: the command's, or 1 if the desktop could not be set up.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
venv=${CLAWTOWER_VENV:-$HOME/.cache/clawtower/venv-desktop}
py=$venv/bin/python

if [[ $# -eq 0 ]]; then
  echo "usage: $0 <command> [args...]" >&2
  exit 2
fi

if [[ -z ${_CLAWTOWER_DESKTOP_INNER:-} ]]; then
  # Outside: make sure the venv is current, then re-run this script inside Xvfb + a new bus.
  if ! cmp -s "$here/requirements.txt" "$venv/.clawtower-requirements.txt"; then
    [[ -x $py ]] || "${PYTHON:-python3}" -m venv "$venv"
    "$py" -m pip install --quiet --disable-pip-version-check -r "$here/requirements.txt"
    cp "$here/requirements.txt" "$venv/.clawtower-requirements.txt"
  fi
  export _CLAWTOWER_DESKTOP_INNER=1
  export NO_AT_BRIDGE=${NO_AT_BRIDGE:-1} # no accessibility bus: less noise, faster GTK start
  exec xvfb-run -a -s "-screen 0 ${CLAWTOWER_XVFB_SCREEN:-1280x800x24}" \
    dbus-run-session -- bash "$here/run-desktop-session.sh" "$@"
fi

# Inside: start the fake desktop services, wait until they own their names, run the command.
unset _CLAWTOWER_DESKTOP_INNER
own_state=
if [[ -z ${CLAWTOWER_DESKTOP_STATE:-} ]]; then
  CLAWTOWER_DESKTOP_STATE=$(mktemp -d -t clawtower-desktop.XXXXXX)
  own_state=1
fi
export CLAWTOWER_DESKTOP_STATE CLAWTOWER_DESKTOP_PY=$py CLAWTOWER_DESKTOP_TOOL=$here/desktop_bus.py
mkdir -p "$CLAWTOWER_DESKTOP_STATE"
rm -f "$CLAWTOWER_DESKTOP_STATE/ready"

"$py" "$here/desktop_bus.py" serve --state-dir "$CLAWTOWER_DESKTOP_STATE" &
serve_pid=$!
# shellcheck disable=SC2329 # invoked by the EXIT trap
cleanup() {
  kill -TERM "$serve_pid" 2>/dev/null && wait "$serve_pid" 2>/dev/null
  if [[ -n $own_state ]]; then rm -rf "$CLAWTOWER_DESKTOP_STATE"; fi
  return 0
}
trap cleanup EXIT

for _ in $(seq 100); do
  [[ -e $CLAWTOWER_DESKTOP_STATE/ready ]] && break
  if ! kill -0 "$serve_pid" 2>/dev/null; then
    echo "run-desktop-session: desktop_bus.py serve exited before it was ready" >&2
    exit 1
  fi
  sleep 0.1
done
if [[ ! -e $CLAWTOWER_DESKTOP_STATE/ready ]]; then
  echo "run-desktop-session: desktop_bus.py serve not ready after 10s" >&2
  exit 1
fi

set +e
"$@"
status=$?
set -e
exit "$status"

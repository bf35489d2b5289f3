#!/usr/bin/env bash
# Clawtower against real OpenClaw gateways (2026.7.1: JSONL files, 2026.9.6: SQLite): installs
# what is missing (Node 24 + both OpenClaw versions, the pytest venv), then runs the tests.
#
#   tests/openclaw/run.sh [extra pytest args]
#
# Settings: CLAWTOWER_BIN (default <repo>/target/debug/clawtower; build it first), CLAWTOWER_APP and
#   TAURI_DRIVER (the desktop app and tauri-driver for test_app_lifecycle.py; make openclaw-test sets them),
#   CLAWTOWER_CACHE (default ~/.cache/clawtower), CLAWTOWER_OC_VENV (default $CLAWTOWER_CACHE/venv-openclaw),
#   CLAWTOWER_OC_VERSIONS (default "2026.7.1,2026.9.6"), CLAWTOWER_OC_TIMEOUT (seconds, default 1500),
#   CLAWTOWER_REFRESH_FIXTURES=1 (rewrite fixtures/<version>/), CLAWTOWER_OC_KEEP=1 (keep the run dirs),
#   CLAWTOWER_OC_JOBS=1 (every module one after the other; by default the scenario and auth
#   modules run at once, then the timed ones alone).
# Exit status: pytest's (non-zero on any failure), or 1 if setup failed.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
cache=${CLAWTOWER_CACHE:-$HOME/.cache/clawtower}
venv=${CLAWTOWER_OC_VENV:-$cache/venv-openclaw}
py=$venv/bin/python
export CLAWTOWER_OC_VERSIONS=${CLAWTOWER_OC_VERSIONS:-2026.7.1,2026.9.6}
export CLAWTOWER_BIN=${CLAWTOWER_BIN:-$repo/target/debug/clawtower}
export npm_config_cache=${npm_config_cache:-$cache/npm}

if [[ ! -x $CLAWTOWER_BIN ]]; then
  echo "run.sh: no Clawtower CLI at $CLAWTOWER_BIN (build it: make cli, or set CLAWTOWER_BIN)" >&2
  exit 1
fi
for tool in python3 npm zstd sqlite3 grep flock timeout; do
  command -v "$tool" >/dev/null || { echo "run.sh: '$tool' is required" >&2; exit 1; }
done

t0=$SECONDS
IFS=, read -r -a versions <<<"$CLAWTOWER_OC_VERSIONS"
for v in "${versions[@]}"; do
  "$here/install.sh" "$v" >/dev/null
done
if ! cmp -s "$here/requirements.txt" "$venv/.clawtower-requirements.txt"; then
  [[ -x $py ]] || "${PYTHON:-python3}" -m venv "$venv"
  "$py" -m pip install --quiet --disable-pip-version-check -r "$here/requirements.txt"
  cp "$here/requirements.txt" "$venv/.clawtower-requirements.txt"
fi
echo "run.sh: setup ${SECONDS}s (openclaw ${versions[*]}, clawtower $CLAWTOWER_BIN)" >&2

base=$(mktemp -d "${TMPDIR:-/tmp}/clawtower-openclaw.XXXXXX")
cleanup() {
  # Stop any gateway a killed run left behind (each run dir records its own pids).
  for d in "$base"/*/*/; do
    if [[ -f $d/gateway.pid || -f $d/stub.pid ]]; then
      "${PYTHON:-python3}" "$here/gateway.py" stop --dir "$d" || true
    fi
  done
  if [[ ${CLAWTOWER_OC_KEEP:-} == 1 ]]; then echo "run.sh: kept $base" >&2; else rm -rf "$base"; fi
}
trap cleanup EXIT

cd "$here"
pytest() { # pytest NAME ARGS…: one bounded pytest run with its own temp dir
  local name=$1; shift
  timeout --signal=TERM --kill-after=60 "${CLAWTOWER_OC_TIMEOUT:-1500}" \
    "$py" -m pytest -q -rfE --capture=tee-sys --basetemp="$base/$name" "$@"
}
status=0
if [[ $# -gt 0 || ${CLAWTOWER_OC_JOBS:-2} == 1 ]]; then
  pytest pytest "$@" || status=$?
else
  # The scenario module (both versions) beside the auth, router-attach and agent-lifecycle modules
  # and the app window's Agents page (one after the other), each with its own gateways: they wait
  # on models and usage caches, not on the clock. Then the modules whose limits are about time (pause latency, an abort
  # mid-stream, a restart) alone, so another gateway's start-up never eats into them.
  (pytest scenario test_real_gateway.py 2>&1 | sed -u 's/^/[scenario] /') &
  scenario=$!
  (pytest auth test_gateway_auth.py test_router_attach.py test_agent_lifecycle.py test_app_lifecycle.py 2>&1 | sed -u 's/^/[auth] /') &
  auth=$!
  wait "$scenario" || status=$?
  wait "$auth" || status=$?
  (pytest timed test_gateway_resilience.py test_budget_pause.py 2>&1 | sed -u 's/^/[timed] /') || status=$?
fi
echo "run.sh: exit $status after $((SECONDS - t0))s (setup included)" >&2
exit "$status"

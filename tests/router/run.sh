#!/usr/bin/env bash
# The model router under real clients: the official openai and anthropic Python SDKs and curl,
# against a stub provider on loopback. Installs the pinned SDKs into a venv when missing.
#
#   tests/router/run.sh [extra pytest args]
#
# Settings: CLAWTOWER_BIN (default <repo>/target/debug/clawtower; build it first: make cli),
#   CLAWTOWER_ROUTER_VENV (default ~/.cache/clawtower/venv-router).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
venv=${CLAWTOWER_ROUTER_VENV:-$HOME/.cache/clawtower/venv-router}
py=$venv/bin/python
export CLAWTOWER_BIN=${CLAWTOWER_BIN:-$repo/target/debug/clawtower}

[[ -x $CLAWTOWER_BIN ]] || { echo "run.sh: no Clawtower CLI at $CLAWTOWER_BIN (make cli)" >&2; exit 1; }
command -v curl >/dev/null || { echo "run.sh: curl is required" >&2; exit 1; }
if ! cmp -s "$here/requirements.txt" "$venv/.clawtower-requirements.txt"; then
  [[ -x $py ]] || "${PYTHON:-python3}" -m venv "$venv"
  "$py" -m pip install --quiet --disable-pip-version-check -r "$here/requirements.txt"
  cp "$here/requirements.txt" "$venv/.clawtower-requirements.txt"
fi
cd "$here"
exec timeout --kill-after=10 300 "$py" -m pytest -q -rfE -p no:cacheprovider "$@"

#!/usr/bin/env bash
# make bench, router part under a real load tool: the release `clawtower router` as its own
# process in front of a canned upstream (examples/canned_upstream.rs), driven by oha (installed
# into ~/.cache/clawtower/tools on first use), beside the same upstream called directly, with
# metering on (every call stored in a ledger on disk). Figures only, never pass/fail:
#   cold start (spawn to listening), requests/s and latency at concurrency 1 and 50 for both,
#   the router's peak RSS under that load, streaming time to first byte (oha: one request at a
#   time, `stream: true`), and whether every call made was metered.
#
#   scripts/bench_router.sh [SECONDS]     (default 10 per run)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
tools=${CLAWTOWER_TOOLS:-$HOME/.cache/clawtower/tools}
oha_version=1.14.0
if [[ ! -x $tools/bin/oha ]] || [[ $("$tools/bin/oha" --version) != *"$oha_version"* ]]; then
  echo "  installing oha $oha_version into $tools (once)…"
  cargo install -q --locked --root "$tools" oha --version "$oha_version" >/dev/null
fi
oha=$tools/bin/oha
cargo build --release -q -p clawtower-cli
cargo build --release -q -p clawtower-router --example canned_upstream
bin=${CARGO_TARGET_DIR:-target}/release
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

"$bin/examples/canned_upstream" > "$work/upstream.out" &
pids+=($!)
until grep -q '^port ' "$work/upstream.out" 2>/dev/null; do sleep 0.05; done
port=$(sed -n 's/^port //p' "$work/upstream.out")
cat > "$work/router.toml" <<TOML
[[providers]]
id = "canned"
kind = "openai"
base_url = "http://127.0.0.1:$port/v1"
models = ["m"]
TOML
key=$("$bin/clawtower" --data-dir "$work/data" keys create --agent bench --json | python3 -c "import json,sys;print(json.load(sys.stdin)['key'])")

t0=$(date +%s%N)
"$bin/clawtower" --data-dir "$work/data" router --config "$work/router.toml" --listen 127.0.0.1:0 > "$work/router.out" 2>&1 &
router_pid=$!
pids+=("$router_pid")
until grep -q 'router on ' "$work/router.out" 2>/dev/null; do sleep 0.001; done
t1=$(date +%s%N)
router=$(sed -n 's/.*router on \(http:[^ ]*\)\/v1.*/\1/p' "$work/router.out" | head -1)
printf '  cold start (spawn to listening): %.1f ms\n' "$(awk "BEGIN{print ($t1-$t0)/1e6}")"

body='{"model":"canned/m","messages":[{"role":"user","content":"hi"}]}'
stream='{"model":"canned/m","stream":true,"messages":[{"role":"user","content":"hi"}]}'
run() { # run URL CONCURRENCY BODY: oha's JSON summary
  "$oha" -z "${seconds}s" -c "$2" --no-tui --output-format json -m POST \
    -H "content-type: application/json" -H "Authorization: Bearer $key" -d "$3" "$1"
}
figures() { python3 -c '
import json, sys
r = json.load(sys.stdin)
s, p = r["summary"], r["latencyPercentiles"]
ok = sum(v for k, v in r["statusCodeDistribution"].items() if k.startswith("2"))
print("%.0f %.3f %.3f %d" % (s["requestsPerSec"], p["p50"] * 1000, p["p99"] * 1000, ok))'; }
stored() { sqlite3 "file:$work/data/clawtower.sqlite?mode=ro" "SELECT COUNT(*) FROM model_calls"; }

total=0
for c in 1 50; do
  read -r d_rps d50 d99 _ < <(run "http://127.0.0.1:$port/v1/chat/completions" "$c" "$body" | figures)
  read -r r_rps r50 r99 r_ok < <(run "$router/v1/chat/completions" "$c" "$body" | figures)
  total=$((total + r_ok))
  printf '  concurrency %s: upstream directly %s req/s (p50 %s ms, p99 %s ms); through the router %s req/s (p50 %s ms, p99 %s ms); router / direct: %.2f; added p50 %.3f ms, p99 %.3f ms\n' \
    "$c" "$d_rps" "$d50" "$d99" "$r_rps" "$r50" "$r99" "$(awk "BEGIN{print $r_rps/$d_rps}")" \
    "$(awk "BEGIN{print $r50-$d50}")" "$(awk "BEGIN{print $r99-$d99}")"
done
read -r _ d50 _ _ < <(seconds=3 run "http://127.0.0.1:$port/v1/chat/completions" 1 "$stream" | figures)
read -r _ r50 _ r_ok < <(seconds=3 run "$router/v1/chat/completions" 1 "$stream" | figures)
total=$((total + r_ok))
printf '  a whole stream, one at a time (p50): upstream directly %s ms, through the router %s ms (added %.3f ms)\n' \
  "$d50" "$r50" "$(awk "BEGIN{print $r50-$d50}")"
printf '  router peak RSS under that load: %s MB\n' "$(awk '/VmHWM/{printf "%.1f", $2/1024}' "/proc/$router_pid/status")"
sleep 1 # the meter stores off the request path
printf '  metered: %s of %s calls answered through the router\n' "$(stored)" "$total"

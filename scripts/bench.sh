#!/usr/bin/env bash
# make bench: ledger throughput on this machine, as ratios against baselines measured in the same
# run over the same bytes. Figures, never pass/fail (a totals MISMATCH is printed, not fatal).
#
#   BENCH_SIZE=512MB scripts/bench.sh     (default 1GB of transcripts per layout)
#
# Data: clawtower-synth's realistic homes (heavy-tailed sessions and tool results, archives,
# checkpoint copies, provider-billed / unpriced / aborted / failed calls). Baselines:
#   legacy  `wc -l FILE…` (wc reads the files itself, as the issue measured it) over the
#           usage-counted files (live .jsonl, .reset/.deleted archives; not checkpoint copies)
#           + `zstd -dc | wc -l` over the .zst archives (warm page cache);
#   sqlite  clawtower-synth-cat: one thread reads every transcript_events row (zstd rows
#           decompressed) and the .zst archives, and counts newlines — the least work any reader
#           of those bytes must do. (It is also printed for legacy.)
set -euo pipefail
cd "$(dirname "$0")/.."
size=${BENCH_SIZE:-1GB}
work=${BENCH_DIR:-$HOME/.cache/clawtower/bench}
mkdir -p "$work"
# The UI first: the CLI (`serve`) and the desktop app embed ui/dist as it is when they are built.
make -s ui >/dev/null
cargo build --release -q -p clawtower-cli -p clawtower-synth
bin=${CARGO_TARGET_DIR:-target}/release

calc() { awk "BEGIN { print $* }"; }

best_of() { # best_of N cmd…: prints the fastest wall time in seconds
  local n=$1; shift; local best=
  for _ in $(seq "$n"); do
    local t0 t1; t0=$(date +%s.%N); "$@" >/dev/null; t1=$(date +%s.%N)
    local t; t=$(calc "$t1 - $t0")
    if [[ -z $best ]] || [[ $(calc "($t < $best) ? 1 : 0") == 1 ]]; then best=$t; fi
  done
  echo "$best"
}

legacy_wc() { # wc -l over the same bytes a legacy reader reads
  local dir=$1
  find "$dir/agents" -path '*/sessions/*' -type f ! -name '*.checkpoint.*' ! -name '*.zst' \
    \( -name '*.jsonl' -o -name '*.jsonl.reset.*' -o -name '*.jsonl.deleted.*' \) -print0 \
    | xargs -0 wc -l | tail -n 1
  find "$dir/agents" -path '*/sessions/*' -name '*.jsonl.deleted.*.zst' -print0 \
    | xargs -0 -r zstd -dcq | wc -l
}

expect() { python3 -c "import json,sys;print(json.load(open(sys.argv[1]))[sys.argv[2]])" "$1" "$2"; }

compare_totals() { # compare_totals DATA EXPECTED.json: the ledger's totals vs the generator's
  $bin/clawtower report agent --json --data-dir "$1" > "$work/totals.json" || true
  python3 - "$work/totals.json" "$2" <<'PY'
import json, sys
try:
    t = json.load(open(sys.argv[1]))["totals"]
except Exception as err:
    print(f"  totals: MISMATCH (no report: {err})"); sys.exit(0)
e = json.load(open(sys.argv[2]))
nano = lambda usd: round((usd or 0) * 1e9)
rows = [("calls", t.get("calls"), e["calls"]),
        ("inputTokens", t.get("inputTokens"), e["inputTokens"]),
        ("outputTokens", t.get("outputTokens"), e["outputTokens"]),
        ("cacheReadTokens", t.get("cacheReadTokens"), e["cacheReadTokens"]),
        ("cacheWriteTokens", t.get("cacheWriteTokens"), e["cacheWriteTokens"]),
        ("costNanousd (costUsd)", nano(t.get("costUsd")), e["costNanousd"]),
        ("reportedCostNanousd", nano(t.get("reportedCostUsd")), e["reportedCostNanousd"])]
if "unpricedTokens" in t:
    rows.append(("unpricedTokens", t["unpricedTokens"], e["unpricedTokens"]))
bad = [r for r in rows if r[1] != r[2]]
print("  totals vs generator: " + ("MATCH" if not bad else "MISMATCH"))
for name, got, want in rows:
    mark = "  " if got == want else "≠ "
    print(f"    {mark}{name:24} ledger {got}  expected {want}")
PY
}

for layout in jsonl sqlite; do
  state=$work/state-$layout-$size
  if [[ ! -f $state/.expected.json ]]; then
    rm -rf "$state"
    echo "generating $size of realistic $layout transcripts in $state…"
    $bin/clawtower-synth --out "$state" --size "$size" --layout "$layout" > "$state.expected.tmp"
    mv "$state.expected.tmp" "$state/.expected.json"
  fi
  exp=$state/.expected.json
  bytes=$(expect "$exp" bytes)
  mb=$(calc "$bytes / 1048576")
  echo
  echo "== $layout layout: $(printf '%.0f' "$mb") MB of transcript lines, $(expect "$exp" lines) lines, $(expect "$exp" calls) billed calls, $(expect "$exp" sessions) sessions"
  $bin/clawtower-synth-cat "$state" > /dev/null   # warm the page cache
  if [[ $layout == jsonl ]]; then
    base=$(best_of 3 legacy_wc "$state"); base_name="wc -l (+ zstd -dc)"
    printf '  (checkpoint copies beside them, not counted: %s MB)\n' "$(calc "$(expect "$exp" checkpointBytes) / 1048576" | xargs printf '%.0f')"
    cat_t=$(best_of 3 $bin/clawtower-synth-cat "$state")
    printf '  baseline clawtower-synth-cat:  %7.0f MB/s\n' "$(calc "$mb / $cat_t")"
  else
    base=$(best_of 3 $bin/clawtower-synth-cat "$state"); base_name="clawtower-synth-cat"
  fi
  printf '  baseline %s (warm cache): %7.0f MB/s\n' "$base_name" "$(calc "$mb / $base")"
  scan=$(best_of 5 $bin/clawtower report daily --scan --openclaw-home "$state" --data-dir "$work/scan-data")
  printf '  report-only scan (--scan, nothing stored): %7.0f MB/s   scan / baseline: %.3f\n' \
    "$(calc "$mb / $scan")" "$(calc "$base / $scan")"
  ingest_times=()
  data=$work/data-$layout
  best_rss=
  for _ in 1 2 3; do
    rm -rf "$data"
    t0=$(date +%s.%N)
    /usr/bin/time -f '%M' -o "$work/rss.txt" $bin/clawtower ingest --openclaw-home "$state" --data-dir "$data" >/dev/null
    t1=$(date +%s.%N)
    ingest_times+=("$(calc "$t1 - $t0")")
    rss=$(cat "$work/rss.txt"); [[ -z $best_rss || $rss -gt $best_rss ]] && best_rss=$rss
  done
  ingest=$(printf '%s\n' "${ingest_times[@]}" | sort -g | head -1)
  printf '  full ingest (parse, price, store): %7.1f MB/s   ingest / baseline: %.3f   peak RSS %s MB\n' \
    "$(calc "$mb / $ingest")" "$(calc "$base / $ingest")" "$(( best_rss / 1024 ))"
  compare_totals "$data" "$exp"
  if [[ $layout == jsonl ]]; then
    parse=$(cargo run --release -q -p clawtower-engine --example parse_speed -- "$state" | sed -E 's/.*: ([0-9]+) MB\/s/\1/')
    printf '  parse only (split + parse, no store, live files): %s MB/s\n' "$parse"
  fi
  calls=$(expect "$exp" calls)
  report=$(best_of 5 $bin/clawtower report daily --json --data-dir "$data")
  printf '  report daily over %s calls: %7.1f ms (whole process)\n' "$calls" "$(calc "$report * 1000")"
  version=$(best_of 5 $bin/clawtower --version)
  printf '  baseline: clawtower --version:  %7.1f ms (process start)\n' "$(calc "$version * 1000")"
  # The session with the most tokens, shown whole (every entry of every generation, costs joined).
  key=$($bin/clawtower sessions list --json --sort tokens --limit 1 --data-dir "$data" | python3 -c "import json,sys;print(json.load(sys.stdin)['rows'][0]['key'])")
  entries=$($bin/clawtower sessions show "$key" --json --openclaw-home "$state" --data-dir "$data" | python3 -c "import json,sys;print(len(json.load(sys.stdin)['entries']))")
  show=$(best_of 5 $bin/clawtower sessions show "$key" --json --openclaw-home "$state" --data-dir "$data")
  printf '  sessions show of the largest session (%s entries): %7.1f ms (whole process; ingest check included)\n' "$entries" "$(calc "$show * 1000")"
  # A window showing that session while it runs reads it again every 2 s, from what it kept.
  cargo run --release -q -p clawtower-sessions --example timeline_speed -- "$state" "$data/clawtower.sqlite" "$key" | sed 's/^/  /'
  # Message search: the first index of every user and assistant text, then searches through it.
  db_bytes() { python3 -c "import os,sys;print(sum(os.path.getsize(os.path.join(sys.argv[1],f)) for f in os.listdir(sys.argv[1]) if f.startswith('clawtower.sqlite')))" "$1"; }
  before=$(db_bytes "$data")
  t0=$(date +%s.%N)
  $bin/clawtower sessions list --search "zzzz-not-said" --json --limit 1 --openclaw-home "$state" --data-dir "$data" > /dev/null
  t1=$(date +%s.%N)
  after=$(db_bytes "$data")
  printf '  message index, first build: %7.1f s; index + texts %s MB beside %s MB of transcripts (%.2f×)\n' \
    "$(calc "$t1 - $t0")" "$(calc "($after - $before) / 1048576" | xargs printf '%.0f')" "$(printf '%.0f' "$mb")" "$(calc "($after - $before) / $bytes")"
  for needle in "the" "deploy the" "zq"; do
    found=$($bin/clawtower sessions list --search "$needle" --json --limit 1 --data-dir "$data" | python3 -c "import json,sys;print(json.load(sys.stdin)['total'])")
    t=$(best_of 5 $bin/clawtower sessions list --search "$needle" --json --limit 100 --data-dir "$data")
    printf '  search "%s" (%s sessions): %7.1f ms   list without search: %7.1f ms\n' "$needle" "$found" "$(calc "$t * 1000")" \
      "$(calc "$(best_of 5 $bin/clawtower sessions list --json --limit 100 --data-dir "$data") * 1000")"
  done
done
echo "== the message index following a running session (10 messages more, read again from where it was vs whole)"
cargo run --release -q -p clawtower-sessions --example index_growth -- 100 | sed 's/^/  /'
echo
sessions=${BENCH_SESSIONS:-100000}
many=$work/state-sessions-$sessions
if [[ ! -f $many/.expected.json ]]; then
  rm -rf "$many"
  echo "generating $sessions short sessions in $many…"
  $bin/clawtower-synth --out "$many" --sessions "$sessions" --turns 1 --layout sqlite > "$many.expected.tmp"
  mv "$many.expected.tmp" "$many/.expected.json"
fi
if [[ ! -f $work/data-sessions-$sessions/.imported ]]; then
  rm -rf "$work/data-sessions-$sessions"
  $bin/clawtower ingest --openclaw-home "$many" --data-dir "$work/data-sessions-$sessions" > /dev/null
  touch "$work/data-sessions-$sessions/.imported"
fi
listed=$($bin/clawtower sessions list --json --limit 1 --data-dir "$work/data-sessions-$sessions" | python3 -c "import json,sys;print(json.load(sys.stdin)['total'])")
echo "== the sessions list over $listed sessions (sub-agents, cron runs, deleted ones included)"
list=$(best_of 5 $bin/clawtower sessions list --json --limit 100 --data-dir "$work/data-sessions-$sessions")
filtered=$(best_of 5 $bin/clawtower sessions list --json --limit 100 --status done --sort cost --search agent --data-dir "$work/data-sessions-$sessions")
by_session=$(best_of 5 $bin/clawtower report session --json --data-dir "$work/data-sessions-$sessions")
printf '  first page, latest activity first: %7.1f ms; filtered and by cost: %7.1f ms (whole process)\n' "$(calc "$list * 1000")" "$(calc "$filtered * 1000")"
printf '  baseline report session (every session summed): %7.1f ms   list / baseline: %.2f\n' "$(calc "$by_session * 1000")" "$(calc "$list / $by_session")"
echo
calls=${BENCH_CALLS:-1000000}
echo "== reports over $calls stored calls (90 days, 50 agents, 2,000 sessions, 5 models)"
cargo run --release -q -p clawtower-engine --example report_speed -- "$calls" "$work" | sed 's/^/  /'
echo
echo "== clawtower serve: memory, and API latency beside GET /healthz ($calls calls stored); a command during a full import"
BENCH_CALLS=$calls python3 scripts/bench_serve.py "$bin/clawtower" "$work" "$work/state-jsonl-$size"
echo
echo "== the desktop app: a command through its window during the same import, beside it after"
tools=${CLAWTOWER_TOOLS:-$HOME/.cache/clawtower/tools}
if [[ -x $tools/bin/tauri-driver && -x /usr/bin/WebKitWebDriver && -x $(command -v Xvfb || echo /nonexistent) ]]; then
  cargo build --release -q -p clawtower-desktop --features clawtower-desktop/custom-protocol
  TAURI_DRIVER=$tools/bin/tauri-driver CLAWTOWER_APP=$(realpath "$bin/clawtower-desktop") CLAWTOWER_CLI=$(realpath "$bin/clawtower") \
    tests/desktop/run-desktop-session.sh node scripts/bench_desktop.mjs "$work/state-jsonl-$size"
else
  echo "  skipped: needs tauri-driver, WebKitWebDriver and Xvfb (make deps-test tauri-driver)"
fi
echo
echo "== the model router: what it adds to a call, one at a time and under load (stub upstream directly vs through the router)"
cargo run --release -q -p clawtower-router --example router_overhead 5000 5 | sed 's/^/  /'
echo "== the model router as its own process under a load tool (oha; canned upstream), with the issue's targets in mind"
scripts/bench_router.sh 10
echo
echo "== live: OpenClaw writes, the watcher stores"
cargo run --release -q -p clawtower-engine --example watch_latency | sed 's/^/  /'
echo


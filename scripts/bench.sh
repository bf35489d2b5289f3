#!/usr/bin/env bash
# make bench: ledger throughput on this machine, as ratios against baselines measured in the same
# run (`wc -l` on the same files). Figures, never pass/fail.
#
#   BENCH_SIZE=1GB scripts/bench.sh     (default 512MB of transcripts)
set -euo pipefail
cd "$(dirname "$0")/.."
size=${BENCH_SIZE:-512MB}
work=${BENCH_DIR:-$HOME/.cache/clawtower/bench}
mkdir -p "$work"
cargo build --release -q -p clawtower-cli -p clawtower-synth
bin=target/release

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

for layout in jsonl sqlite; do
  state=$work/state-$layout-$size
  if [[ ! -f $state/.expected.json ]]; then
    rm -rf "$state"
    echo "generating $size of $layout transcripts in $state…"
    $bin/clawtower-synth --out "$state" --size "$size" --layout "$layout" > "$state.expected.tmp"
    mv "$state.expected.tmp" "$state/.expected.json"
  fi
  bytes=$(python3 -c "import json;print(json.load(open('$state/.expected.json'))['bytes'])")
  mb=$(calc "$bytes / 1048576")
  echo
  echo "== $layout layout: $(printf '%.0f' "$mb") MB of transcript lines"
  if [[ $layout == jsonl ]]; then
    parse=$(cargo run --release -q -p clawtower-engine --example parse_speed -- "$state" | sed -E 's/.*: ([0-9]+) MB\/s/\1/')
    find "$state/agents" -name '*.jsonl' > "$work/files.txt"
    xargs cat < "$work/files.txt" > /dev/null   # warm the page cache
    wc=$(best_of 3 bash -c "xargs wc -l < '$work/files.txt'")
    printf '  baseline wc -l (warm cache):   %7.0f MB/s\n' "$(calc "$mb / $wc")"
  fi
  scan=$(best_of 5 $bin/clawtower report daily --scan --openclaw-home "$state" --data-dir "$work/scan-data")
  printf '  report-only scan (--scan, nothing stored): %7.0f MB/s\n' "$(calc "$mb / $scan")"
  if [[ $layout == jsonl ]]; then
    printf '  scan / wc -l:                  %7.3f\n' "$(calc "$wc / $scan")"
  fi
  ingest_times=()
  data=$work/data-$layout
  for _ in 1 2 3; do
    rm -rf "$data"
    t0=$(date +%s.%N)
    /usr/bin/time -f '%M' -o "$work/rss.txt" $bin/clawtower ingest --openclaw-home "$state" --data-dir "$data" >/dev/null
    t1=$(date +%s.%N)
    ingest_times+=("$(calc "$t1 - $t0")")
  done
  ingest=$(printf '%s\n' "${ingest_times[@]}" | sort -g | head -1)
  calls=$(python3 -c "import json;print(json.load(open('$state/.expected.json'))['calls'])")
  printf '  full ingest (parse, price, store): %7.1f MB/s  (%s model calls, peak RSS %s MB)\n' \
    "$(calc "$mb / $ingest")" "$calls" "$(( $(cat "$work/rss.txt") / 1024 ))"
  if [[ $layout == jsonl ]]; then
    printf '  ingest / wc -l:                %7.3f\n' "$(calc "$wc / $ingest")"
    printf '  parse only (split + parse, no store, live files): %s MB/s\n' "$parse"
  fi
  report=$(best_of 5 $bin/clawtower report daily --json --data-dir "$data")
  printf '  report daily over %s calls: %7.1f ms (whole process)\n' "$calls" "$(calc "$report * 1000")"
  version=$(best_of 5 $bin/clawtower --version)
  printf '  baseline: clawtower --version:  %7.1f ms (process start)\n' "$(calc "$version * 1000")"
done
echo
calls=${BENCH_CALLS:-1000000}
echo "== reports over $calls stored calls (90 days, 50 agents, 2,000 sessions, 5 models)"
cargo run --release -q -p clawtower-engine --example report_speed -- "$calls" "$work" | sed 's/^/  /'
echo
echo "== live: OpenClaw writes, the watcher stores"
cargo run --release -q -p clawtower-engine --example watch_latency | sed 's/^/  /'
echo


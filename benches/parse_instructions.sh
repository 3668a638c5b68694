#!/usr/bin/env bash
# The parse bench's goal (verdict's `report::parse` ≤ 3× pulldown-cmark's event pass over the
# same text) in retired instructions instead of time: callgrind counts both sides of the
# release (LTO) bench binary in one run, through its PARSE_PROFILE mode. Instruction counts
# repeat exactly from run to run, where the time ratio on a shared machine moves by ±0.1×.
# They do not see branch mispredictions or cache misses, so they are a floor for the time
# ratio, not a substitute: docs/performance.md records both.
# Usage: benches/parse_instructions.sh [INPUT...]   (INPUT: seed, corpus-1MiB; default both)
# Needs valgrind (callgrind_annotate comes with it).
set -euo pipefail
cd "$(dirname "$0")/.."
inputs=("$@")
[ ${#inputs[@]} -gt 0 ] || inputs=(seed corpus-1MiB)
bin=$(cargo bench --bench parse --no-run --message-format=json 2>/dev/null \
  | grep '"kind":\["bench"\]' | sed -n 's/.*"executable":"\([^"]*\)".*/\1/p' | tail -n 1)
[ -x "$bin" ] || { echo "could not build the parse bench" >&2; exit 1; }
out=$(mktemp)
trap 'rm -f "$out"' EXIT
for input in "${inputs[@]}"; do
  # Calls per side: enough that the one-off set-up inside each function is negligible.
  case "$input" in seed) n=20 ;; *) n=2 ;; esac
  PARSE_PROFILE="$input:$n" valgrind --tool=callgrind --callgrind-out-file="$out" \
    --toggle-collect='parse::baseline' --toggle-collect='parse::verdict_parse' "$bin" >/dev/null 2>&1
  per_call() { # function name → instructions per call, from the inclusive totals
    callgrind_annotate --inclusive=yes "$out" 2>/dev/null \
      | awk -v f="parse::$1" -v n="$n" '!done && $0 ~ f" \\[" {gsub(",", "", $1); print int($1 / n); done = 1}'
  }
  base=$(per_call baseline)
  parse=$(per_call verdict_parse)
  if [ -z "$base" ] || [ -z "$parse" ]; then
    echo "$input: skipped (input not available, e.g. no ../shared/corpus)"
    continue
  fi
  awk -v i="$input" -v b="$base" -v p="$parse" 'BEGIN {
    printf "%s: report::parse %d instructions, pulldown-cmark events %d: %.2fx\n", i, p, b, p / b }'
done

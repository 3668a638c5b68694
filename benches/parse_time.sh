#!/usr/bin/env bash
# The parse bench's goal (verdict's `report::parse` ≤ 3× pulldown-cmark's event pass over the
# same text) in wall time, robust to this machine's noise: the ratio's median within one run
# (`PARSE_PAIRED`, paired rounds, each side in a worker process of its own) is steady to
# ±0.05×, but two runs of the same binary can differ by 0.2× or more (placement in memory,
# the load of the moment). So the bench binary runs K times and the median of the K medians
# is printed, with their range.
# Usage: benches/parse_time.sh [K] [ROUNDS]   (defaults 7 processes of 20 rounds)
set -euo pipefail
cd "$(dirname "$0")/.."
k=${1:-7}
rounds=${2:-20}
bin=$(cargo bench --bench parse --no-run --message-format=json 2>/dev/null \
  | grep '"kind":\["bench"\]' | sed -n 's/.*"executable":"\([^"]*\)".*/\1/p' | tail -n 1)
[ -x "$bin" ] || { echo "could not build the parse bench" >&2; exit 1; }
for _ in $(seq "$k"); do
  PARSE_PAIRED="$rounds" "$bin"
done | awk -v k="$k" '
  # Lines: "INPUT: report::parse / baseline over R paired rounds of N runs: median X.XXx (…)".
  / median / {
    name = $1; sub(":", "", name)
    v = $0; sub(/.* median /, "", v); sub(/x.*/, "", v)
    n[name]++; r[name, n[name]] = v + 0
    if (!(name in seen)) { seen[name] = 1; order[++inputs] = name }
  }
  END {
    for (i = 1; i <= inputs; i++) {
      name = order[i]; c = n[name]
      for (a = 1; a <= c; a++) for (b = a + 1; b <= c; b++)
        if (r[name, b] < r[name, a]) { t = r[name, a]; r[name, a] = r[name, b]; r[name, b] = t }
      med = (c % 2) ? r[name, (c + 1) / 2] : (r[name, c / 2] + r[name, c / 2 + 1]) / 2
      printf "%s: report::parse / baseline, median of %d processes: %.2fx (range %.2fx-%.2fx)\n",
        name, c, med, r[name, 1], r[name, c]
    }
  }'

#!/usr/bin/env bash
# Whole-process `verdict verify` on the seed: median wall time of N runs and peak RSS, against
# `verdict --version` (process start-up, measured in the same run) as the baseline.
# Usage: benches/verify_process.sh [N]   (builds the release binary first)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-31}
cargo build --release --quiet
bin=target/release/verdict
seed=fixtures/reports/seed.txt

median_ms() { # command... → median wall milliseconds over $n runs
  local times=()
  for _ in $(seq "$n"); do
    local t0 t1
    t0=$(date +%s%N); "$@" >/dev/null 2>&1 || true; t1=$(date +%s%N)
    times+=($(( (t1 - t0) / 1000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.2f", a[int((NR+1)/2)]/1000}'
}

base=$(median_ms "$bin" --version)
verify=$(median_ms "$bin" verify "$seed" --now 2026-11-25T00:00:00Z --format json)
# verify exits 1 on the seed (it fails the policy): that is the expected verdict, not an error.
rss=$({ /usr/bin/time -v "$bin" verify "$seed" --now 2026-11-25T00:00:00Z --format json 2>&1 >/dev/null || true; } \
  | awk -F: '/Maximum resident set size/ {gsub(/ /, "", $2); print $2}')
echo "runs: $n"
echo "verdict --version (baseline): ${base} ms median"
echo "verdict verify seed:          ${verify} ms median"
echo "ratio verify/baseline:        $(awk -v a="$verify" -v b="$base" 'BEGIN {printf "%.1f", a/b}')"
echo "peak RSS of verify:           ${rss} KiB"

#!/usr/bin/env bash
# Runs each fuzz target for a set time (default 600 s), one after another, and prints
# libFuzzer's final stats (executions, exec/s, peak RSS). Usage:
#   fuzz/run.sh [SECONDS] [TARGET...]        e.g. fuzz/run.sh 60 report claims
# Seeds come from fuzz/seed.sh (run first); logs go to fuzz/logs/<target>.log.
set -euo pipefail
cd "$(dirname "$0")"
secs=${1:-600}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(report claims policy_load policy_expr attestation keyring ledger)
[ -d corpus ] || ./seed.sh
mkdir -p logs
for t in "${targets[@]}"; do
  mkdir -p "corpus/$t"
  echo "== $t for ${secs}s"
  # -timeout: an input that takes 10 s is a finding (unbounded work), not a wait.
  cargo +nightly fuzz run -O "$t" "corpus/$t" -- \
    -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
    -print_final_stats=1 > "logs/$t.log" 2>&1 || echo "!! $t stopped early: see fuzz/logs/$t.log"
  grep -E 'stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)|^==.*ERROR|panicked' \
    "logs/$t.log" || true
done

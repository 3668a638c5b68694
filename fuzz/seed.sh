#!/usr/bin/env bash
# Fills fuzz/corpus/<target>/ (gitignored) with seed inputs from fixtures/ and, when it
# exists, ../shared/corpus/. Needs a built `verdict` binary for the ledger seeds
# (target/release/verdict or target/debug/verdict; `cargo build` first).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
out=$root/fuzz/corpus
shared=$root/../shared
mkdir -p "$out"/{report,claims,policy_load,policy_expr,attestation,keyring,ledger}

n=0
add() { # add TARGET FILE
  n=$((n + 1))
  cp "$2" "$out/$1/seed-$n-$(basename "$2" | tr -c 'A-Za-z0-9._-' '_' | cut -c1-60)"
}

reports=(fixtures/reports/*.md fixtures/reports/*.txt fixtures/reports/rules/*.md
         fixtures/reports/signed/*.md fixtures/text/*.md)
if [ -d "$shared/corpus" ]; then
  while IFS= read -r -d '' f; do reports+=("$f"); done \
    < <(find "$shared/corpus" -type f \( -name '*.md' -o -name '*.txt' \) -print0)
fi
[ -d "$shared/seed" ] && for f in "$shared"/seed/*; do [ -f "$f" ] && reports+=("$f"); done
for f in "${reports[@]}"; do
  [ -f "$f" ] || continue
  add report "$f"
  add claims "$f"
  # Attestation lines: the trailer lines of signed reports are the interesting part.
  add attestation "$f"
done
for f in fixtures/reports/signed/*.sig; do add attestation "$f"; done

for f in policies/*.yaml fixtures/policies/*.yaml fixtures/policies/bad/*.yaml \
         fixtures/policies/extends/*.yaml; do
  [ -f "$f" ] && add policy_load "$f"
done

# Expressions: every form the grammar documents, and some near misses.
i=0
for e in 'f' 'n' '2f+1' '3f+1' '2*f+1' '(n-1)/3' 'n - f' '2 * (f + 1)' '0' '18446744073709551615' \
         '2f+' 'f f' '((((f))))' '3f+1-n' '2f + 1 '; do
  i=$((i + 1)); printf '%s' "$e" > "$out/policy_expr/expr-$i"
done

for f in fixtures/keys/keyring*.yaml; do add keyring "$f"; done

# Ledger: a real checkpoint, inclusion proof and record made by the binary.
bin=target/release/verdict
[ -x "$bin" ] || bin=target/debug/verdict
if [ -x "$bin" ]; then
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  "$bin" keygen --id signer --out "$tmp" >/dev/null 2>&1 || true
  if [ -f "$tmp/signer.key" ]; then
    for r in fixtures/reports/signed/clean.md fixtures/reports/seed.txt; do
      "$bin" verify "$r" --keyring fixtures/keys/keyring.yaml --now 2026-11-25T00:00:00Z \
        --record --ledger "$tmp/l.db" --signer "$tmp/signer.key" >/dev/null 2>&1 || true
    done
    "$bin" ledger --ledger "$tmp/l.db" checkpoint > "$out/ledger/checkpoint" 2>/dev/null || true
    "$bin" ledger --ledger "$tmp/l.db" proof 1 > "$out/ledger/proof.json" 2>/dev/null || true
    "$bin" ledger --ledger "$tmp/l.db" show 1 > "$out/ledger/record.json" 2>/dev/null || true
  fi
else
  echo "no verdict binary: ledger corpus left with the fixed seeds only" >&2
fi
printf 'verdict.example/ledger\n1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n\n— verdict.example/ledger AAAA\n' \
  > "$out/ledger/minimal-note"
# Saved regression inputs (crashes found earlier and hand-made edge cases).
for d in fixtures/fuzz/*/; do
  t=$(basename "$d")
  [ -d "$out/$t" ] && for f in "$d"*; do [ -f "$f" ] && add "$t" "$f"; done
done
for t in "$out"/*; do echo "$(basename "$t"): $(ls "$t" | wc -l) seeds"; done

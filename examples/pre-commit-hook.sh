#!/bin/sh
# Local check before a commit: verify every staged validation report (or the files given as
# arguments, which is how the pre-commit framework calls it) and refuse the commit unless each
# one passes. Warnings count as failures here (--fail-on warn): fix them before CI sees them.
#
# Install as a plain git hook:   cp examples/pre-commit-hook.sh .git/hooks/pre-commit
# or from .pre-commit-config.yaml (docs/ci.md).
#
# Environment: VERDICT_POLICY (default policies/bft-production.yaml),
#              VERDICT_KEYRING (default keys/keyring.yaml, used when it exists).
set -u

policy=${VERDICT_POLICY:-policies/bft-production.yaml}
keyring=${VERDICT_KEYRING:-keys/keyring.yaml}

if ! command -v verdict >/dev/null 2>&1; then
    echo "pre-commit: verdict is not installed (cargo install --locked verdict)" >&2
    exit 1
fi

if [ "$#" -eq 0 ]; then
    # Staged reports: added, copied or modified Markdown under reports/.
    set -- $(git diff --cached --name-only --diff-filter=ACM -- 'reports/*.md')
fi

failed=0
for report in "$@"; do
    if [ -f "$keyring" ]; then
        verdict verify "$report" --policy "$policy" --keyring "$keyring" --fail-on warn
    else
        verdict verify "$report" --policy "$policy" --fail-on warn
    fi
    case $? in
        0) ;;
        1) echo "pre-commit: $report fails $policy" >&2; failed=1 ;;
        3) echo "pre-commit: nothing verifiable in $report" >&2; failed=1 ;;
        *) echo "pre-commit: could not verify $report (bad input, policy or keyring)" >&2; failed=1 ;;
    esac
done
exit "$failed"

# Audit trail benchmark: appends against bare SQLite inserts (ratio) and
# the time to verify a 1,000,000-entry chain.  AUDIT_APPENDS and
# AUDIT_CHAIN change the sizes.
BENCH=${MD_BUILD:-build}/bench/bench_audit
dir=$(mktemp -d "${TMPDIR:-/tmp}/mdbench.XXXXXX") || exit 1
trap 'rm -rf "$dir"' EXIT
"$BENCH" "$dir" "${AUDIT_APPENDS:-5000}" "${AUDIT_CHAIN:-1000000}"

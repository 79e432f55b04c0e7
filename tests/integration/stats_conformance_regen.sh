# The committed conformance data (tests/conformance/data) must be exactly
# what tests/conformance/gen.py writes with Debian's /usr/bin/python3 and
# its NumPy/SciPy/scikit-learn, so nobody can edit an expected value by
# hand.  Without that Python (or a module), this script reports nothing:
# there is nothing honest to pass, and test_stats_conformance still checks
# the engine against the committed values.
. "$(dirname "$0")/../lib.sh"

PY=/usr/bin/python3
[ -x "$PY" ] && "$PY" -c 'import numpy, scipy, sklearn' 2>/dev/null || exit 0

DATA=$MD_ROOT/tests/conformance/data
if ! "$PY" "$MD_ROOT/tests/conformance/gen.py" "$T/data" >"$T/gen.log" 2>&1; then
	fail stats_conformance_regen "gen.py failed: $(tail -3 "$T/gen.log")"
	exit 0
fi
if ! cmp -s "$DATA/VERSIONS" "$T/data/VERSIONS"; then
	fail stats_conformance_versions "reference versions differ: committed $(tr '\n' ' ' <"$DATA/VERSIONS"), here $(tr '\n' ' ' <"$T/data/VERSIONS")"
	exit 0
fi
pass stats_conformance_versions
if out=$(diff -r "$DATA" "$T/data" 2>&1); then
	pass stats_conformance_regen
else
	fail stats_conformance_regen "committed data differs from gen.py output: $(printf %s "$out" | head -5)"
fi

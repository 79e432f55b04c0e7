# drift_values: `modeldeck drift --json` equals tests/drift/reference.py
# (NumPy/SciPy/scikit-learn on the same files, read independently) to the
# spec's tolerance, on the datasets of tests/drift/gen.py.
. "$(dirname "$0")/../lib.sh"
PY=/usr/bin/python3
D=$MD_ROOT/tests/drift
if ! $PY -c 'import numpy, scipy, sklearn' 2>/dev/null; then
	echo "PASS drift values skipped: no NumPy/SciPy/scikit-learn at $PY"; exit 0
fi
$PY "$D/gen.py" "$T" || { fail "drift gen" "gen.py failed"; exit 0; }
cd "$T" || exit 1

# same NAME REF CUR [OPTIONS...]: our JSON equals the reference's.
same() {
	name=$1 ref=$2 cur=$3; shift 3
	if ! "$MD" drift --reference "$ref" --current "$cur" --json "$@" >"o_$name.json" 2>"e_$name.txt"; then
		fail "drift $name" "exit $? :: $(tail -2 "e_$name.txt")"; return
	fi
	if ! $PY "$D/reference.py" "$ref" "$cur" "$@" >"x_$name.json" 2>"e_$name.py"; then
		fail "drift $name" "reference.py failed :: $(tail -2 "e_$name.py")"; return
	fi
	if d=$($PY "$D/compare.py" "o_$name.json" "x_$name.json"); then
		pass "drift $name matches SciPy/sklearn"
	else
		fail "drift $name" "$(printf %s "$d" | head -3 | tr '\n' ';')"
	fi
}

same classification cls_ref.csv cls_cur.csv --segment region
same method-ks cls_ref.csv cls_cur.csv --method ks
same method-js cls_ref.csv cls_cur.csv --method js
same method-wasserstein cls_ref.csv cls_cur.csv --method wasserstein
same threshold cls_ref.csv cls_cur.csv --threshold 0.7 --segment region
same renamed-columns cls_ref.csv cls_cur.csv --prediction score --label label --segment age
same streamed cls_ref.csv cls_cur.csv --stats psi,js,chi2,missing
same stats-subset cls_ref.csv cls_cur.csv --stats ks,performance
same constant-and-flip odd_ref.csv odd_cur.csv
same regression reg_ref.csv reg_cur.csv
same one-class-numeric-segment one_ref.csv one_cur.csv --segment grp
same json-reference json_ref.json json_cur.csv
same json-both json_ref.json json_cur.json
same too-few-rows few_ref.csv few_cur.csv

# Spot checks that the comparison itself can fail and that fields matter.
expect_grep "drift streamed has no performance" '"performance": \{"accuracy": null' "$(cat o_streamed.json)"
expect_grep "drift constant reference normed wasserstein is inf" '"wasserstein_normed": "inf"' "$(cat o_constant-and-flip.json)"
expect_grep "drift too few rows status" '^\{"status": "too_few_rows"' "$(cat o_too-few-rows.json)"
sed 's/"psi": 0\.[0-9]/"psi": 9/' o_classification.json >tampered.json
if $PY "$D/compare.py" tampered.json x_classification.json >/dev/null; then
	fail "drift compare detects a changed number" "compare.py accepted a tampered file"
else
	pass "drift compare detects a changed number"
fi

# The table: worst feature first, same statuses as the JSON.
"$MD" drift --reference cls_ref.csv --current cls_cur.csv >table.txt 2>&1
first=$(sed -n 3p table.txt | awk '{print $3}')
worst=$($PY -c 'import json,sys; f=json.load(open("o_classification.json"))["features"]; r={"alert":4,"warn":3,"ok":2,"unknown":1}; print(max(f,key=lambda x:(r.get(x["status"],0),x["psi"] or -1))["status"])')
if [ "$first" = "$worst" ]; then pass "drift table worst feature first"; else fail "drift table worst feature first" "first row status $first, worst $worst"; fi
expect_grep "drift table header" '^feature +type +status +psi' "$(cat table.txt)"

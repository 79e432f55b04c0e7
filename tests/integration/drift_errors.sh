# drift_errors: bad input gives exit 2 and a message naming the file, line
# and column; documented behaviours (header only, NaN) and --fail-on codes.
. "$(dirname "$0")/../lib.sh"
cd "$T" || exit 1

# A reference of 200 rows and a current one drifted to "warn" or "alert".
awk 'BEGIN { print "id,a,b,color,prediction,label";
	for (i = 0; i < 200; i++) printf "r%d,%d,%d,%s,0.%d,%d\n", i, i % 10, i % 7, (i % 3 ? "red" : "blue"), i % 10, i % 2 }' >ref.csv
cp ref.csv same.csv
# warn: a shifted by one decile bucket for a few rows (PSI between 0.1 and 0.25).
awk 'BEGIN { print "id,a,b,color,prediction,label";
	for (i = 0; i < 200; i++) printf "r%d,%d,%d,%s,0.%d,%d\n", i, (i % 10 < 2 ? 0 : i % 10), i % 7, (i % 3 ? "red" : "blue"), i % 10, i % 2 }' >warn.csv
awk 'BEGIN { print "id,a,b,color,prediction,label";
	for (i = 0; i < 200; i++) printf "r%d,%d,%d,%s,0.%d,%d\n", i, 9, 6, "green", 9, 1 }' >alert.csv

drift() { "$MD" drift "$@"; }

expect_exit 0 "drift identical files exit 0" drift --reference ref.csv --current same.csv --json
expect_grep "drift identical files ok" '"status": "ok"' "$OUT"
expect_exit 0 "drift warn without --fail-on exits 0" drift --reference ref.csv --current warn.csv --json
expect_grep "drift warn status" '^\{"status": "warn"' "$OUT"
expect_exit 1 "drift --fail-on warn at warn exits 1" drift --reference ref.csv --current warn.csv --fail-on warn
expect_exit 0 "drift --fail-on alert at warn exits 0" drift --reference ref.csv --current warn.csv --fail-on alert
expect_exit 1 "drift --fail-on alert at alert exits 1" drift --reference ref.csv --current alert.csv --fail-on alert --json
expect_grep "drift alert status" '^\{"status": "alert"' "$OUT"
expect_exit 1 "drift --fail-on warn at alert exits 1" drift --reference ref.csv --current alert.csv --fail-on warn
expect_exit 0 "drift --fail-on warn at ok exits 0" drift --reference ref.csv --current same.csv --fail-on warn

# Options.
expect_exit 2 "drift unknown --method" drift --reference ref.csv --current same.csv --method bogus
expect_grep "drift unknown --method message" 'unknown method "bogus"' "$OUT"
expect_exit 2 "drift missing --reference" drift --current same.csv
expect_grep "drift missing --reference message" '--reference FILE is required' "$OUT"
expect_exit 2 "drift missing --current" drift --reference ref.csv
expect_exit 2 "drift bad --fail-on" drift --reference ref.csv --current same.csv --fail-on maybe
expect_exit 2 "drift bad --stats" drift --reference ref.csv --current same.csv --stats psi,nope
expect_grep "drift bad --stats message" 'unknown statistic "nope"' "$OUT"
expect_exit 2 "drift bad --threshold" drift --reference ref.csv --current same.csv --threshold 0.5x
expect_exit 2 "drift unknown --prediction column" drift --reference ref.csv --current same.csv --prediction nope
expect_exit 2 "drift unknown --segment column" drift --reference ref.csv --current same.csv --segment nope
expect_exit 2 "drift unknown option" drift --reference ref.csv --current same.csv --bogus
expect_exit 2 "drift missing file" drift --reference nope.csv --current same.csv
expect_grep "drift missing file message" 'nope.csv: No such file' "$OUT"

# Bad cells: file, line and column named.
sed '5s/,3,/,3x,/' same.csv >text.csv
expect_exit 2 "drift text in a numeric column" drift --reference ref.csv --current text.csv
expect_grep "drift text message names file, line, column" 'text.csv:5: column 2 \("a"\): not a number.*"3x"' "$OUT"
sed '7s/^\([^,]*\),[^,]*,/\1,inf,/' same.csv >inf.csv
expect_exit 2 "drift infinity in current" drift --reference ref.csv --current inf.csv
expect_grep "drift infinity message" 'inf.csv:7: column 2 \("a"\): infinite value' "$OUT"
sed '9s/^\([^,]*\),[^,]*,/\1,-Infinity,/' ref.csv >refinf.csv
expect_exit 2 "drift infinity in reference" drift --reference refinf.csv --current same.csv
expect_grep "drift reference infinity message" 'refinf.csv:9: column 2 \("a"\): infinite value' "$OUT"
sed '4s/^\([^,]*\),[^,]*,[^,]*,/\1,1e999,5,/' same.csv >big.csv
expect_exit 2 "drift overflowing number" drift --reference ref.csv --current big.csv
expect_grep "drift overflow message" 'big.csv:4: column 2 \("a"\): infinite value' "$OUT"
sed '6s/$/,extra/' same.csv >ragged.csv
expect_exit 2 "drift ragged row" drift --reference ref.csv --current ragged.csv
expect_grep "drift ragged message" 'ragged.csv:6: 7 fields, but the header has 6' "$OUT"
sed '9s/red/re"d/' same.csv >quote.csv
expect_exit 2 "drift stray quote" drift --reference ref.csv --current quote.csv
expect_grep "drift stray quote message" 'quote.csv:9:[0-9]+: quote inside an unquoted field' "$OUT"

# NaN is missing, not an error.
sed '3s/^\([^,]*\),[^,]*,/\1,NaN,/; 4s/^\([^,]*\),[^,]*,/\1,,/' same.csv >nan.csv
expect_exit 0 "drift NaN cells are missing" drift --reference ref.csv --current nan.csv --json
expect_grep "drift NaN missing rate" '"name": "a", "type": "numeric", "missing": \{"reference": 0, "current": 0.01\}' "$OUT"

# Empty file, header only, mismatched columns.
: >empty.csv
expect_exit 2 "drift empty current file" drift --reference ref.csv --current empty.csv
expect_grep "drift empty message" 'empty.csv: empty file: no header row' "$OUT"
expect_exit 2 "drift empty reference file" drift --reference empty.csv --current same.csv
head -1 same.csv >header.csv
expect_exit 0 "drift header-only current is too few rows" drift --reference ref.csv --current header.csv --json
expect_grep "drift header-only status" '^\{"status": "too_few_rows", "rows": \{"reference": 200, "current": 0\}' "$OUT"
expect_grep "drift header-only numbers are null" '"name": "a", "type": "numeric", "missing": \{"reference": 0, "current": null\}, "psi": null' "$OUT"
expect_exit 2 "drift header-only reference" drift --reference header.csv --current same.csv
expect_grep "drift header-only reference message" 'header.csv: no data rows' "$OUT"
cut -d, -f1,2,4- same.csv >lessb.csv
expect_exit 2 "drift current lacks a column" drift --reference ref.csv --current lessb.csv
expect_grep "drift lacking column message" 'column "b" of the reference ref.csv is missing' "$OUT"
sed '1s/,b,/,c,/' same.csv >renamed.csv
expect_exit 2 "drift current has an unknown column" drift --reference ref.csv --current renamed.csv
expect_grep "drift unknown column message" 'renamed.csv: column "c" is not in the reference' "$OUT"
cut -d, -f1-5 same.csv >nolabel.csv
expect_exit 0 "drift label may be absent from current" drift --reference ref.csv --current nolabel.csv --json
expect_grep "drift no labels: estimated accuracy only" '"accuracy": null.*"estimated_accuracy": 0\.' "$OUT"
sed '1s/,b,/,a,/' same.csv >duphead.csv
expect_exit 2 "drift duplicate column name" drift --reference duphead.csv --current same.csv
expect_grep "drift duplicate column message" 'duphead.csv:1: column 3: "a" named twice' "$OUT"
sed '2,$s/,\([01]\)$/,yes/' same.csv >catlabel.csv
expect_exit 2 "drift non-numeric label" drift --reference catlabel.csv --current catlabel.csv
expect_grep "drift non-numeric label message" 'label column "label" is not numeric' "$OUT"

# JSON input errors.
printf '{"rows": [\n {"features": {"a": 1}},\n {"features": {"a": }}\n]}\n' >bad.json
expect_exit 2 "drift invalid JSON" drift --reference bad.json --current same.csv
expect_grep "drift invalid JSON names line and column" 'bad.json:3:[0-9]+: not valid JSON' "$OUT"
printf '{"rows": [{"features": {"a": 1e999}}]}' >infj.json
expect_exit 2 "drift infinite JSON number" drift --reference infj.json --current infj.json
expect_grep "drift infinite JSON message" 'infj.json: rows\[0\].features.a: infinite value' "$OUT"
printf '{"schema": [{"name": "a", "type": "numeric"}], "rows": [{"features": {"a": "x"}}]}' >textj.json
expect_exit 2 "drift text in a JSON numeric column" drift --reference textj.json --current textj.json
expect_grep "drift JSON text message" 'textj.json: rows\[0\].features.a: not a number' "$OUT"
printf '{"cursor": "1"}' >norows.json
expect_exit 2 "drift JSON without rows" drift --reference norows.json --current same.csv
expect_grep "drift JSON without rows message" 'norows.json: no "rows" array' "$OUT"

# A categorical column whose numbers turn to text: fine from a file, an
# error from a pipe (it cannot be read twice).
printf 'k\n1\n2\nx\n' >flip.csv
expect_exit 0 "drift numbers then text from a file" drift --reference flip.csv --current flip.csv --json
expect_grep "drift flipped column is categorical" '"name": "k", "type": "categorical"' "$OUT"
expect_exit 2 "drift numbers then text from a pipe" sh -c "cat flip.csv | $MD drift --reference - --current flip.csv"
expect_grep "drift pipe flip message" 'a pipe cannot be read twice' "$OUT"

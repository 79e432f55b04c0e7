#!/bin/sh
# sample-data/regen.sh [BUILD]: regenerate sample-data/references/ from
# sample-data/fleet.json with the reference host's deterministic generator.
# The same fleet file and seed always give byte-identical files
# (tests/integration/hostd_data.sh checks the committed copy).
set -e
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-$ROOT/build}
make -C "$ROOT" --no-print-directory "$BUILD/modeldeck-hostd" BUILD="$BUILD" >/dev/null
rm -rf "$ROOT/sample-data/references"
"$BUILD/modeldeck-hostd" --fleet "$ROOT/sample-data/fleet.json" \
    --write-references "$ROOT/sample-data/references"

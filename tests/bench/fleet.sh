#!/bin/sh
# tests/bench/fleet.sh: the fleet case of issue 5 (build/bench/bench_fleet):
# 160 models x 30 features, 50,000-row windows, 1,000 new rows per model per
# poll; prints CPU ms per poll cycle (target < 100), the same statuses
# recomputed from scratch side by side with the ratio, and the windows'
# resident memory from VmRSS (target < 512 MB).  BENCH_FLEET_ARGS overrides
# "models rows polls" for a quick run.
BUILD=${MD_BUILD:-build}
exec "$BUILD/bench/bench_fleet" ${BENCH_FLEET_ARGS:-160 50000 5}

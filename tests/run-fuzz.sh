#!/usr/bin/env bash
# run-fuzz.sh - runs every libFuzzer target in build/fuzz for FUZZ_SECONDS
# (default 8) from its seed corpus in tests/fuzz/corpus/<name>/. New inputs
# go to a scratch folder, never into the tree. A crash leaves its input in
# build/fuzz/ and fails. Prints "fuzz: N passed, M failed".
set -uo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-8}
passed=0
failed=0
for bin in build/fuzz/${FUZZ_ONLY:-fuzz_*}; do
    [ -x "$bin" ] || continue
    name=$(basename "$bin")
    seeds=tests/fuzz/corpus/${name#fuzz_}
    scratch=$(mktemp -d)
    log=build/fuzz/$name.log
    if "$bin" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 \
        -artifact_prefix=build/fuzz/"$name"- "$scratch" "$seeds" >"$log" 2>&1; then
        runs=$(grep -oE 'Done [0-9]+ runs' "$log" | tail -1)
        printf '%-34s passed (%s in %ss)\n' "$name" "${runs:-?}" "$seconds"
        passed=$((passed + 1))
    else
        printf '%-34s FAILED\n' "$name"
        grep -E 'ERROR|SUMMARY|Test unit written' "$log" | head -10 | sed 's/^/    /'
        failed=$((failed + 1))
    fi
    rm -rf "$scratch"
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]

#!/usr/bin/env bash
# run-all.sh - every test of `make check`: the cmocka unit tests (ASan+UBSan
# build), the catalog and glossary checks, the screen tests that drive the real binary
# in tmux, and the central tests (sync end to end on a real PostgreSQL).
# Prints one line per test program and a final "tests: N passed, M failed"
# line; exits non-zero if anything failed.
set -uo pipefail
cd "$(dirname "$0")/.."

passed=0
failed=0
failures=()
log_dir=build/test-logs
mkdir -p "$log_dir"

count_cmocka() { # count_cmocka LOG RC NAME
    local p f
    p=$(grep -oE '\[  PASSED  \] [0-9]+' "$1" | awk '{s += $4} END {print s + 0}')
    f=$(grep -oE '\[  FAILED  \] [0-9]+' "$1" | awk '{s += $4} END {print s + 0}')
    if [ "$2" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi # crashed or sanitizer abort
    passed=$((passed + p))
    failed=$((failed + f))
    if [ "$f" -gt 0 ]; then failures+=("$3"); fi
    printf '%-34s %3d passed, %d failed\n' "$3" "$p" "$f"
}

run_one() { # run_one NAME COMMAND...: a test program that passes or fails whole
    local name=$1 log="$log_dir/$1.log"
    shift
    if "$@" >"$log" 2>&1; then
        passed=$((passed + 1))
        printf '%-34s passed\n' "$name"
    else
        failed=$((failed + 1))
        failures+=("$name")
        printf '%-34s FAILED\n' "$name"
        sed 's/^/    /' "$log" | tail -40
    fi
}

echo "== unit tests (cmocka, ASan+UBSan)"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
for t in build/asan/tests/test_*; do
    [ -x "$t" ] || continue
    name=$(basename "$t")
    log="$log_dir/$name.log"
    "$t" >"$log" 2>&1
    rc=$?
    count_cmocka "$log" "$rc" "$name"
    if [ "$rc" -ne 0 ]; then sed 's/^/    /' "$log" | grep -vE '^\s*\[ (RUN|      OK) ' | tail -40; fi
done

echo "== house checks"
run_one format-check make -s format-check
run_one cppcheck make -s lint

echo "== message catalogs"
run_one i18n-check tests/i18n-check.sh
run_one glossary-check tests/glossary-check.py
run_one fonts-check tests/fonts-check.sh

echo "== fuzz targets (libFuzzer, ASan+UBSan, a few seconds each)"
for f in build/fuzz/fuzz_*; do
    [ -x "$f" ] || continue
    n=$(basename "$f")
    run_one "$n" env FUZZ_ONLY="$n" tests/run-fuzz.sh
done

echo "== screen tests (real binary in tmux, ASan+UBSan)"
for t in tests/screen/test_*.sh; do
    run_one "$(basename "$t" .sh)" bash "$t"
done

echo "== central tests (real PostgreSQL, nser-central and nser-kiosk sync, ASan+UBSan)"
for t in tests/central/test_*.sh; do
    run_one "central-$(basename "$t" .sh)" bash "$t"
done

echo "== device tests (real binary and libusb under umockdev, emulated USB devices)"
for t in tests/usb/test_*.sh; do
    run_one "usb-$(basename "$t" .sh)" bash "$t"
done

echo
if [ "${#failures[@]}" -gt 0 ]; then
    echo "failed: ${failures[*]} (logs in $log_dir/)"
fi
echo "tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ]

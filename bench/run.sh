#!/usr/bin/env bash
# run.sh - runs the nser-kiosk benchmarks in order from the repository root
# and tees everything to bench/out/results.txt, then prints a summary table
# of the ratios each benchmark reports on its "SUMMARY|" line.
#
# Figures only: nothing here compares a time with a limit. `make bench`
# builds the binaries first; run this directly only after that.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

bindir="build/bench"
benches=(bench_startup bench_status bench_commit bench_roster bench_fp_verify)
out="bench/out/results.txt"

missing=0
for b in nser-kiosk "${benches[@]}"; do
    if [[ ! -x "$bindir/$b" ]]; then
        echo "bench/run.sh: $bindir/$b is missing or not executable; build it with 'make bench'" >&2
        missing=1
    fi
done
((missing == 0)) || exit 1

mkdir -p bench/out
{
    echo "nser-kiosk $(cat VERSION 2>/dev/null || echo '?') benchmarks, $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
    echo "commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD 2>/dev/null || echo ' (with uncommitted changes)')"
    echo "host $(uname -srm), $(nproc) cores, sqlite $(sqlite3 --version 2>/dev/null | cut -d' ' -f1 || echo '?')"
    echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?') (other work on the machine skews the figures)"
} | tee "$out"

start=$SECONDS
for b in "${benches[@]}"; do
    echo | tee -a "$out"
    echo "=== $b ===" | tee -a "$out"
    t0=$SECONDS
    if ! "$bindir/$b" 2>&1 | tee -a "$out"; then
        echo "bench/run.sh: $b failed (see above); stopping" | tee -a "$out" >&2
        exit 1
    fi
    echo "($b took $((SECONDS - t0)) s)" | tee -a "$out"
done

# The sync bench needs nser-central and a PostgreSQL server; without them
# it is skipped with a note, not failed.
echo | tee -a "$out"
echo "=== bench_sync ===" | tee -a "$out"
t0=$SECONDS
if [[ -x "$bindir/nser-central" && -x "$bindir/tests/central/mkregs" ]] &&
    compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null; then
    if ! bash bench/bench_sync.sh 2>&1 | tee -a "$out"; then
        echo "bench/run.sh: bench_sync failed (see above); stopping" | tee -a "$out" >&2
        exit 1
    fi
else
    echo "NOTE|bench_sync skipped: needs $bindir/nser-central, $bindir/tests/central/mkregs and PostgreSQL" |
        tee -a "$out"
fi
echo "(bench_sync took $((SECONDS - t0)) s)" | tee -a "$out"

{
    echo
    echo "=== summary (ratio = the kiosk's figure / its baseline: a bare program, the raw SQL, or"
    echo "    an earlier roster member; lower is better, 1.00 = no overhead, or no growth) ==="
    printf '%-42s %-34s %12s %12s %8s\n' "benchmark" "ratio" "kiosk" "baseline" "x"
    grep -h '^SUMMARY|' "$out" | while IFS='|' read -r _ name what kiosk base ratio; do
        printf '%-42s %-34s %12s %12s %7sx\n' "$name" "$what" "$kiosk" "$base" "$ratio"
    done
    grep -h '^NOTE|' "$out" | cut -d'|' -f2- || true
    echo "(all benchmarks took $((SECONDS - start)) s; full output in $out)"
} | tee -a "$out.summary"
cat "$out.summary" >>"$out"
rm -f "$out.summary"

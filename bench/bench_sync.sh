#!/usr/bin/env bash
# bench_sync.sh - store-and-forward sync at volume: 100,000 registrations
# (made beforehand through registry_confirm by tests/central/mkregs,
# untimed) go from a kiosk to a real PostgreSQL the way a centre sends
# them: `nser-kiosk sync export` (query, JSON, seal and sign, atomic
# write), `nser-central ingest` (open, verify, parse, COPY into staging,
# upsert, rescore, decide, acknowledgement written) and `nser-kiosk sync
# import`, batch after batch of sync_batch_max (5,000) until nothing is
# left. Each step is timed over all batches, as records per second.
#
# Baseline: the same rows, as the registry stored them, COPY'd raw into a
# copy of the registrations table (same columns and indexes) in the same
# server in the same run: what the database alone costs. The ratio is
# ingest time / raw COPY time.
#
# The server is durable here (fsync on, unlike the tests), runs as in the
# tests (tests/central/lib.sh: a temp cluster, unix socket only) with its
# files under bench/out/, and is stopped and removed at exit. Figures only:
# never asserts a time, never touches a server or database it did not make.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
N=${SYNC_BENCH_RECORDS:-100000}
BATCH=${SYNC_BENCH_BATCH:-5000}
export KIOSK=$ROOT/build/bench/nser-kiosk
export CENTRAL=$ROOT/build/bench/nser-central
export MKREGS=$ROOT/build/bench/tests/central/mkregs
export NSER_LOCALEDIR=$ROOT/build/locale
export PG_DURABILITY=""
mkdir -p bench/out
export WORK_PARENT=$ROOT/bench/out
# shellcheck source=../tests/central/lib.sh
. "$ROOT/tests/central/lib.sh"
# Optimised binaries: no sanitizer options.
unset ASAN_OPTIONS UBSAN_OPTIONS

ms_now() { date +%s%N | cut -c1-13; }
rate() { awk -v n="$1" -v ms="$2" 'BEGIN { printf "%.0f", (ms > 0 ? n * 1000 / ms : 0) }'; }
secs() { awk -v ms="$1" 'BEGIN { printf "%.2f", ms / 1000 }'; }

pg_start
central_setup
kiosk_new k1 04217 d3lhr sync_batch_max="$BATCH"
echo "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') (fsync on), $N registrations, batches of $BATCH"

t0=$(ms_now)
mkregs k1 "$N" 1
echo "made $N registrations through registry_confirm in $(secs $(($(ms_now) - t0))) s (untimed fixture)"
bytes=$(stat -c %s "$WORK/k1/kiosk.db")
echo "kiosk database: $((bytes / 1048576)) MB"

# What every nser-kiosk command pays before any sync work: db_open's
# quick_check reads the whole file (bench_status notes the same).
t0=$(ms_now)
kiosk k1 sync status >/dev/null
open_ms=$(($(ms_now) - t0))
echo "nser-kiosk sync status on this database (open + quick_check + counts): $open_ms ms"

export_ms=0 ingest_ms=0 import_ms=0 batches=0 file_bytes=0
while :; do
    t0x=$(ms_now)
    b=$(export_batch k1)
    t1x=$(ms_now)
    [ -n "$b" ] || break
    export_ms=$((export_ms + t1x - t0x))
    batches=$((batches + 1))
    file_bytes=$((file_bytes + $(stat -c %s "$b")))
    deliver "$b"
    t0i=$(ms_now)
    ingest || fail "ingest failed: $(cat "$WORK/report.txt")"
    t1=$(ms_now)
    ingest_ms=$((ingest_ms + t1 - t0i))
    t0=$(ms_now)
    import_acks k1 || fail "import failed: $(cat "$WORK/k1/import.txt")"
    t2=$(ms_now)
    import_ms=$((import_ms + t2 - t0))
    echo "  batch $batches: export $((t1x - t0x)) ms, ingest $((t1 - t0i)) ms, import $((t2 - t0)) ms"
    [ "$batches" -le $((N / BATCH + 2)) ] || fail "more batches than records allow"
done
at_central=$(psql_q "SELECT count(*) FROM registrations")
[ "$at_central" = "$N" ] || fail "the registry holds $at_central records, not $N"
left=$(ksql k1 "SELECT count(*) FROM outbox WHERE acked_at IS NULL")
[ "$left" = 0 ] || fail "$left records not acknowledged"

echo "sync export:  $N records in $batches batches, $(secs $export_ms) s, $(rate "$N" "$export_ms") records/s" \
    "($((file_bytes / 1048576)) MB of batch files, sealed and signed)"
echo "central ingest: $(secs $ingest_ms) s, $(rate "$N" "$ingest_ms") records/s (one transaction per batch)"
echo "sync import:  $(secs $import_ms) s, $(rate "$N" "$import_ms") records/s (acks + statuses + snapshot)"

# Raw: the rows as the registry stored them, COPY'd into a twin table.
psql_q "COPY (SELECT * FROM registrations) TO STDOUT" >"$WORK/rows.copy" 2>/dev/null ||
    "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 "$PGDB" -c "\\copy (SELECT * FROM registrations) TO '$WORK/rows.copy'"
psql_q "CREATE TABLE raw_registrations (LIKE registrations INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES)" >/dev/null
t0=$(ms_now)
"$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 "$PGDB" -c "\\copy raw_registrations FROM '$WORK/rows.copy'" >/dev/null ||
    fail "raw COPY failed"
raw_ms=$(($(ms_now) - t0))
[ "$raw_ms" -gt 0 ] || raw_ms=1
assert_eq "raw rows" "$N" "$(psql_q "SELECT count(*) FROM raw_registrations")"
echo "raw COPY:     $(secs $raw_ms) s, $(rate "$N" "$raw_ms") records/s ($(($(stat -c %s "$WORK/rows.copy") / 1048576)) MB of rows)"

ratio=$(awk -v a="$ingest_ms" -v b="$raw_ms" 'BEGIN { printf "%.2f", a / b }')
printf 'SUMMARY|central ingest, %d records|ingest/raw COPY (total)|%s s|%s s|%s\n' \
    "$N" "$(secs $ingest_ms)" "$(secs $raw_ms)" "$ratio"
printf 'NOTE|sync: export %s records/s (query + JSON + seal + sign + atomic write), import %s records/s;\n' \
    "$(rate "$N" "$export_ms")" "$(rate "$N" "$import_ms")"
net_export=$((export_ms - batches * open_ms))
net_import=$((import_ms - batches * open_ms))
printf 'NOTE|  each kiosk command first opens the db (quick_check of the whole file): %s ms of each batch here;\n' \
    "$open_ms"
printf 'NOTE|  without it: export %s records/s, import %s records/s\n' \
    "$(rate "$N" "$net_export")" "$(rate "$N" "$net_import")"

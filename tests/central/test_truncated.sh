#!/usr/bin/env bash
# test_truncated.sh - a transport that copied half a file under its real
# name: refused as truncated, nothing applied, no acknowledgement; the full
# copy delivered later applies. Also a file one byte too long.
. "$(dirname "$0")/lib.sh"

pg_start
central_setup
kiosk_new k1 04217 d3lhr
mkregs k1 5 1
b1=$(export_batch k1)
size=$(stat -c %s "$b1")
name=$(basename "$b1")

rm -f "$WORK"/in/*
head -c $((size / 2)) "$b1" >"$WORK/in/$name"
ingest || true
line=$(grep -F "$name" "$WORK/report.txt" || true)
grep -qi "refused" <<<"$line" || fail "half a file is not refused: $line"
grep -qi "truncated" <<<"$line" || fail "half a file is not refused as truncated: $line"
assert_eq "records from half a file" 0 "$(psql_q "SELECT count(*) FROM registrations")"
[ -z "$(find "$WORK/acks" -name '04217-ack-*')" ] || fail "an acknowledgement for half a file"

# Only the header arrived.
head -c 30 "$b1" >"$WORK/in/$name"
ingest || true
grep -F "$name" "$WORK/report.txt" | grep -qi "refused" || fail "30 bytes are not refused"
assert_eq "records from 30 bytes" 0 "$(psql_q "SELECT count(*) FROM registrations")"

# One byte too many.
{ cat "$b1"; printf 'x'; } >"$WORK/in/$name"
ingest || true
grep -F "$name" "$WORK/report.txt" | grep -qi "refused" || fail "a file one byte long is not refused"
assert_eq "records from a long file" 0 "$(psql_q "SELECT count(*) FROM registrations")"

deliver "$b1"
ingest || fail "the full copy failed: $(cat "$WORK/report.txt")"
assert_eq "records from the full copy" 5 "$(psql_q "SELECT count(*) FROM registrations")"
import_acks k1 || fail "import failed: $(cat "$WORK/k1/import.txt")"
assert_eq "unacked" 0 "$(ksql k1 "SELECT count(*) FROM outbox WHERE acked_at IS NULL")"
echo "ok $TEST_NAME"

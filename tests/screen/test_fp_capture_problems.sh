#!/usr/bin/env bash
# What can go wrong while a finger is taken, and how the registration
# goes on: a stage that times out offers a choice (try again, another
# finger); the reader unplugged mid-capture gives a plain message and the
# registration carries on without the finger ("not taken" on the
# review); a clerk records an exception with their own sign-off, a wrong
# secret refused first.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fp_lib.sh"

CASE="stage timeout"
write_config fp_stage_timeout=5
start_kiosk 80 24
fp_start_registration 3520212345671
wait_for "Stage 1 of 5"
wait_for "No finger was felt in time." 20
assert_words "Try again" # beside a big 1
assert_words "Use another finger" # beside a big 2
refute_screen "Record an" # a clerk's choice only
keys 2
wait_for "right index finger"
wait_for "Stage 1 of 5"

CASE="unplugged"
fp SCAN "fpflow-unplug-1"
wait_for "Stage 2 of 5"
fp UNPLUG
wait_for "The fingerprint reader was unplugged. The registration carries" 10
assert_words "Carry on without"
keys 4
fp_finish_registration "Muhammad Ali"
wait_for "Fingerprint: not taken"
save_registration
stop_kiosk

CASE="exception"
rm -f "$DB" "$DB"-*
write_config mode=clerk
make_accounts
start_kiosk 80 24
clerk_login clerk1 135790
fp_start_registration 3520298765431
wait_for "Record an" # exception: wrapped beside its big 3
keys 3
wait_for "Fingerprint exception"
keys 1
wait_for "Reason: Worn"
type_text 999999
keys Enter
wait_for "Wrong PIN/password."
type_text 135790
keys Enter
fp_finish_registration "Bashir Ahmad"
wait_for "Fingerprint: exception: worn (clerk1)"
save_registration
stop_kiosk
out=$("$KIOSK" audit show --db "$DB" --config "$CONF") || fail "audit show"
[[ "$out" == *fp_exception* || "$out" == *"finger exception"* ]] || fail "no exception in the audit: $out"
echo "PASS $TEST_NAME"

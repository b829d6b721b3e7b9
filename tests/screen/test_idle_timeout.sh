#!/usr/bin/env bash
# Walking away: after the idle timeout the kiosk returns to the home
# screen in its own language and nothing typed by the last applicant is
# left on screen, not even a half-typed answer. The answers already given
# stay in the draft: the same CNIC is offered them again and continues at
# the question it stopped at. A status answer is wiped the same way.
. "$(dirname "$0")/lib.sh"

CNIC=3520298765431

run_case() {
    CASE="$1x$2"
    DB="$WORK/$1x$2.db"
    write_config idle_timeout=3
    start_kiosk "$1" "$2"
    start_registration "$CNIC"
    survey "${ADDRESS[@]}"
    keys Home
    after_keys Enter
    answer "Secret Person"
    skip # relation
    skip # gender
    skip # date of birth
    wait_state "Household member / Member 1: Secret Person > Age in full years"
    type_text 4 # half an answer, never taken
    # A pause first brings a warning; any key keeps the session.
    wait_for "Are you still there?" 4
    keys End
    wait_gone "Are you still there?"
    assert_screen "Secret Person"
    keys F9 # the applicant switched language
    wait_for "$(translated ur_Latn "Language")"
    wait_for "Register household" 8
    wait_for "F9 Language" # back in the kiosk's own language
    refute_screen "Secret Person"
    refute_screen "A registration is open"
    keys 2
    wait_for "Head's CNIC"
    refute_screen "35202-9876543-1"
    # The same CNIC: the saved answers, at the question it stopped at.
    type_text "$CNIC"
    keys Enter
    wait_for "Saved answers found"
    keys 1
    wait_state "Household member / Member 1: Secret Person > Age in full years"
    [ -z "$(focused_value)" ] || fail "the half-typed age was kept: $(focused_value)"
    keys Escape
    wait_state "Household members (1)"
    keys Escape
    wait_state "Address > Province or region"
    keys Escape
    wait_state "About this registration > Why have you come today?"
    keys Escape
    wait_for "Head's CNIC"
    keys Escape
    wait_for "A registration is open"
    # A status answer is wiped the same way.
    keys 1
    wait_for "CNIC or tracking ID:"
    type_text "$CNIC"
    keys Enter
    wait_for "Your survey is incomplete."
    wait_for "Register household" 8
    refute_screen "35202"
    refute_screen "A registration is open"
    stop_kiosk
}

run_case 80 24
run_case 132 43
echo "PASS $TEST_NAME"

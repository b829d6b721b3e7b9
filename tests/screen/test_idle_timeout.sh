#!/usr/bin/env bash
# Walking away: after the idle timeout the kiosk returns to the home screen
# in its own language and nothing typed by the last applicant remains.
. "$(dirname "$0")/lib.sh"

run_case() {
    CASE="$1x$2"
    write_config idle_timeout=3
    start_kiosk "$1" "$2"
    keys 2
    wait_for "Head's CNIC"
    type_text 3520298765431
    keys Enter
    wait_for "Full name"
    type_text "Secret Person"
    # A pause first brings a warning; any key keeps the session.
    wait_for "Are you still there?" 4
    keys End
    refute_screen "Are you still there?"
    assert_screen "Secret Person"
    keys F9 # the applicant switched language
    refute_screen "Full name"
    wait_for "Register / update household" 8
    refute_screen "Secret Person"
    refute_screen "A registration is open"
    keys 2
    wait_for "Head's CNIC"
    refute_screen "35202-9876543-1"
    keys Escape
    # A status answer is wiped the same way.
    keys 1
    type_text 3520298765431
    keys Enter
    wait_for "Your survey is incomplete."
    wait_for "Register / update household" 8
    refute_screen "35202"
    stop_kiosk
    rm -f "$CONF"
}

run_case 80 24
run_case 132 43
echo "PASS $TEST_NAME"

#!/usr/bin/env bash
# Status checks that must not reach the database: invalid input is refused
# at once with the reason; a valid but unknown CNIC gets the registry's
# answer, "your survey is incomplete", and what to do next, and "Register
# now" carries the CNIC into a registration.
. "$(dirname "$0")/lib.sh"

check() { # check INPUT EXPECTED: refused with EXPECTED, still on the entry screen
    keys C-u
    wait_no_message # (the last refusal goes with the text it refused)
    type_text "$1"
    keys Enter
    wait_words "$2"
    assert_screen "CNIC or tracking ID:"
}

run_case() {
    CASE="$1x$2"
    DB="$WORK/$1x$2.db"
    start_kiosk "$1" "$2"
    keys 1
    wait_for "CNIC or tracking ID:"
    check "352021234567" "A CNIC has 13 digits"
    check "9520212345671" "region code"
    check "0520212345671" "region code"
    check "0421726112300014" "typing mistake"
    check "" "Please type a CNIC or a tracking ID"
    keys C-u
    type_text "35A"
    wait_for "digits only"
    keys C-u
    type_text "6110112345678"
    keys Enter
    wait_for "Your survey is incomplete."
    assert_screen "61101-1234567-8"
    assert_screen "Register now"
    # Register now takes the same CNIC to the registration.
    keys 2
    wait_for "Head's CNIC"
    assert_screen "61101-1234567-8"
    keys Enter
    wait_state "About this registration > Why have you come today?"
    [ "$(sql "SELECT head_cnic FROM drafts")" = 6110112345678 ] || fail "the draft is not for the CNIC checked"
    stop_kiosk
    [ "$(sql "SELECT count(*) FROM registrations")" = 0 ] || fail "a status check wrote a registration"
}

run_case 80 24
run_case 132 43

# Command-line exit statuses: 3 not found, 2 invalid, 1 no database.
CASE="command line"
set +e
"$KIOSK" status 6110112345678 --db "$DB" --config "$CONF" >/dev/null
[ $? -eq 3 ] || fail "not found should exit 3"
"$KIOSK" status 611011234567 --db "$DB" --config "$CONF" 2>/dev/null
[ $? -eq 2 ] || fail "invalid should exit 2"
"$KIOSK" status 6110112345678 --db "$WORK/none.db" --config "$CONF" 2>/dev/null
[ $? -eq 1 ] || fail "missing db should exit 1"
set -e
[ ! -e "$WORK/none.db" ] || fail "a status check created a database"
echo "PASS $TEST_NAME"

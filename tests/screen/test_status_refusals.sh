#!/usr/bin/env bash
# Status checks that must not reach the database: invalid input is refused
# at once with the reason; a valid but unknown CNIC gets the registry's
# answer, "your survey is incomplete", and what to do next.
. "$(dirname "$0")/lib.sh"

check() { # check INPUT EXPECTED
    keys C-u
    type_text "$1"
    keys Enter
    wait_for "$2"
    assert_screen "CNIC or tracking ID:" # still on the entry screen
}

run_case() {
    CASE="$1x$2"
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
    keys Escape
    wait_for "Register / update household"
    stop_kiosk
    "$KIOSK" status 611011234567 --db "$DB" --config "$CONF" >/dev/null 2>&1 && fail "CLI took an invalid CNIC"
    [ $? -eq 2 ] || true
}

run_case 80 24
run_case 132 43

# Command-line exit statuses: 3 not found, 2 invalid, 1 no database.
set +e
"$KIOSK" status 6110112345678 --db "$DB" --config "$CONF" >/dev/null; [ $? -eq 3 ] || fail "not found should exit 3"
"$KIOSK" status 611011234567 --db "$DB" --config "$CONF" 2>/dev/null; [ $? -eq 2 ] || fail "invalid should exit 2"
"$KIOSK" status 6110112345678 --db "$WORK/none.db" --config "$CONF" 2>/dev/null; [ $? -eq 1 ] || fail "missing db should exit 1"
set -e
echo "PASS $TEST_NAME"

#!/usr/bin/env bash
# Esc from the middle of the roster and back again loses nothing: the head's
# answers, the saved members and a half-typed new member are all still there.
. "$(dirname "$0")/lib.sh"

run_case() {
    CASE="$1x$2"
    start_kiosk "$1" "$2"
    keys 2
    wait_for "Head's CNIC"
    type_text 3740512345673
    keys Enter
    wait_for "Full name"
    type_text "Zainab Khatoon"
    keys Enter 2
    type_text 12031975
    keys Enter Enter
    type_text Rawalpindi
    keys Enter
    type_text "Saddar"
    keys Enter
    wait_for "Household members"
    keys a
    type_text "Bilal"
    keys Enter 2 1
    keys Enter
    type_text 12
    keys Enter Enter
    wait_for "Bilal"
    # The busiest footer keeps every button, the language one too, in both
    # languages.
    assert_screen "F9 Language"
    keys F9
    wait_for "$(translated ur_Latn "Household members")"
    assert_screen "F9 $(translated ur_Latn "Language")"
    assert_screen "$(translated ur_Latn "Age")"
    keys F9
    wait_for "Household members"
    # Start a second member and leave in the middle of typing.
    keys a
    wait_for "Relation to head"
    type_text "Ayesha Bi"
    keys Enter 3
    keys Escape
    wait_for "People in the household: 2"
    keys Escape
    wait_for "Date of birth"
    assert_screen "Zainab Khatoon"
    assert_screen "12-03-1975"
    assert_screen "Rawalpindi"
    keys Escape
    wait_for "Head's CNIC"
    assert_screen "37405-1234567-3"
    keys Escape
    wait_for "A registration is open"
    # Come back the way a person would: Register, Enter through the pages.
    keys 2
    wait_for "Head's CNIC"
    keys Enter
    wait_for "Zainab Khatoon"
    keys F2
    wait_for "Household members"
    assert_screen "Bilal"
    keys a
    wait_for "Ayesha Bi"
    assert_screen "Daughter"
    stop_kiosk
}

run_case 80 24
run_case 132 43
echo "PASS $TEST_NAME"

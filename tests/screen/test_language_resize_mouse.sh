#!/usr/bin/env bash
# The language switch works from the first screen on, the layout survives
# resizes (and says so when the window is too small), and a click or touch
# on a button does what its key does.
. "$(dirname "$0")/lib.sh"

CASE="arrows"
start_kiosk 80 24
keys Down Enter
wait_for "Head's CNIC"
keys Escape
wait_for "Register / update household"
keys Up Enter
wait_for "CNIC or tracking ID:"
keys Escape
wait_for "Register / update household"

CASE="language"
ur_check=$(translated ur_Latn "Check status")
ur_register=$(translated ur_Latn "Register / update household")
[ "$ur_check" != "Check status" ] || fail "no Roman Urdu catalog (build/asan/locale)"
keys 3
wait_for "$ur_check"
assert_screen "Roman Urdu"
refute_screen "Register / update household"
keys 1
wait_for "$(translated ur_Latn "CNIC or tracking ID:")"
keys F9
wait_for "CNIC or tracking ID:"
keys F9
wait_for "$(translated ur_Latn "CNIC or tracking ID:")"
keys Escape
wait_for "$ur_register"
keys F9
wait_for "Register / update household"

CASE="resize"
resize 132 43
wait_for "Register / update household"
[ "$(screen_text | head -1 | sed 's/ *$//' | awk '{print length}')" -gt 100 ] ||
    fail "title bar not redrawn across 132 columns"
resize 60 20
wait_for "Please make this window larger"
keys 2 # ignored while too small
resize 80 24
wait_for "Register / update household"
refute_screen "Head's CNIC"

CASE="mouse"
read -r x y < <(locate "Register / update household")
click "$x" "$y"
wait_for "Head's CNIC"
read -r x y < <(locate " Esc Back ")
click "$((x + 2))" "$y"
wait_for "Register / update household"
read -r x y < <(locate "Check status")
click "$x" "$y"
wait_for "CNIC or tracking ID:"
stop_kiosk
echo "PASS $TEST_NAME"

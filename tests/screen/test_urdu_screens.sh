#!/usr/bin/env bash
# Urdu in Arabic script (--lang ur) on an ordinary terminal, at 80x24 and
# 132x43: the home page, a registration whose receipt is shown in Urdu, a
# status check by that CNIC (the CNIC typed and the tracking ID found on
# screen in their printed order) and
# an unknown CNIC ("your survey is incomplete" in Urdu).
#
# On every screen, read back from tmux (capture-pane keeps each cell's
# codepoints, marks included), urdu_check (urdu_lib.sh) asserts that every
# joining letter is shaped, every Urdu word is whole, no English is left
# and no bidi control reaches the screen.
# The registration itself is typed in English (the survey helpers read
# English labels) and the language switched to Urdu on the review (whose
# answers, typed in English, are not checked).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/urdu_lib.sh"

run_case() {
    local cols=$1 rows=$2 cnic=$3 unknown=$4
    local printed="${cnic:0:5}-${cnic:5:7}-${cnic:12:1}"
    CASE="${cols}x${rows}"

    # A registration typed in English, saved and shown in Urdu.
    start_kiosk "$cols" "$rows"
    start_registration "$cnic"
    survey "${ADDRESS[@]}"
    edit_head "name=Muhammad Ali" age=46 marital_status=married literate=yes highest_class=10 \
        employment_status=self_employed occupation=craft disability=none
    roster_done
    survey "${HOUSE[@]}"
    wait_for "Check your answers"
    local i=0 bar
    while ! screen_text | head -1 | grep -q "ﻭﺩﺭﺍ"; do
        bar=$(screen_text | head -1)
        keys F9
        wait_gone "$bar"
        i=$((i + 1))
        [ "$i" -lt 4 ] || fail "F9 never reached Urdu"
    done
    keys F2
    wait_ur "Yes, save"
    keys 1
    wait_ur "Registration saved"
    TID=$(screen_text | grep -oE '04217-[0-9]{6}-[0-9]{4}-[0-9]' | head -1)
    [ -n "$TID" ] || fail "the receipt's tracking ID does not read as printed"
    urdu_check "the receipt"
    stop_kiosk

    # Home, then a status check by that CNIC, all in Urdu.
    start_kiosk "$cols" "$rows" --lang ur
    wait_ur "Check status"
    urdu_check "home"
    keys 1
    wait_ur "CNIC or tracking ID:"
    urdu_check "status entry"
    type_text "$cnic"
    wait_for "$printed"
    keys Enter
    wait_ur "Registration found"
    assert_screen "$TID"
    urdu_check "status found"
    keys Enter
    wait_ur "Check status"

    # An unknown CNIC: the survey is incomplete, in Urdu.
    keys 1
    wait_ur "CNIC or tracking ID:"
    type_text "$unknown"
    keys Enter
    wait_ur "Your survey is incomplete."
    assert_screen "${unknown:0:5}-${unknown:5:7}-${unknown:12:1}"
    urdu_check "unknown CNIC"
    stop_kiosk
}

run_case 80 24 3520212345671 3520299999991
DB="$WORK/second.db"
run_case 132 43 4210187654321 4210199999991
echo "PASS $TEST_NAME"

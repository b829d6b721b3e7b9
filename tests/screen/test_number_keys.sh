#!/usr/bin/env bash
# Number keys and big type (issue 9), at 80x24 and at 132x43: the home
# choices have their digits drawn big, + (back) and * (help) are shown big
# with their words, * shows the page's help and + goes back, in a field
# too; a CNIC typed in Urdu digits is taken as digits and shown in big
# figures with its dashes; nothing runs off the screen and the footer keeps
# every hint. Then the high-contrast scheme: white and yellow on black
# only, nothing dim, the focused button in reverse video (tmux capture-pane
# -e gives the SGR codes). The survey's answers have their digits big
# beside them (read back off the glyphs by shown_options), in columns at
# 80x24 with a big 0 for the next page of a long list, 5 rows high at
# 132x43; the review is saved with 1 (and its dialog's 1); the receipt's
# copy is printed with 1 (an emulated printer gets a COPY) and 2 finishes.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../usb/lib.sh"

UPPER=$'\u2580' LOWER=$'\u2584' FULL=$'\u2588'
URDU_CNIC="۳۵۲۰۲۱۲۳۴۵۶۷۱" # 3520212345671 in Urdu digits

# No screen line wider than the window (a wide character would push one).
no_overflow() {
    local cols=$1 line
    while IFS= read -r line; do
        [ "$(printf '%s' "$line" | wc -m)" -le "$cols" ] || fail "line wider than $cols: $line"
    done < <(screen_text)
}

# Rows holding block characters: the big figures are on screen.
big_rows() {
    screen_text | grep -c "[$UPPER$LOWER$FULL]" || true
}

for size in "80 24" "132 43"; do
    read -r cols rows <<<"$size"
    CASE="${cols}x$rows home"
    write_config
    start_kiosk "$cols" "$rows"
    wait_for "Register household"
    assert_screen "F9 Language" # the last hint still fits
    assert_screen "* Help"
    # The big + and *, and their words beside them.
    assert_screen "Back"
    [ "$(big_rows)" -ge 9 ] || fail "the digits and the + and * are not drawn big ($(big_rows) rows)"
    if [ "$cols" = 132 ]; then
        # 5-row figures of full blocks: the digit 1 is a column of them.
        [ "$(screen_text | grep -c "$FULL")" -ge 15 ] || fail "the larger layout has no 5-row digits"
    fi
    no_overflow "$cols"

    CASE="${cols}x$rows help and back"
    keys '*'
    wait_for "Press 1 to check your status"
    keys Down # any key closes the help
    wait_gone "Press 1 to check your status"
    keys 1
    wait_for "CNIC or tracking ID:"
    keys '*'
    wait_for "Press any key to go on."
    keys Tab
    wait_gone "Press any key to go on."

    CASE="${cols}x$rows Urdu digits"
    type_text "$URDU_CNIC"
    wait_for "35202-1234567-1"
    # The CNIC big, with its dashes, under the field.
    before=$(big_rows)
    [ "$before" -ge 6 ] || fail "the typed CNIC is not shown in big figures"
    no_overflow "$cols"
    keys Enter
    wait_for "Your survey is incomplete."
    assert_screen "35202-1234567-1"
    keys +
    wait_for "CNIC or tracking ID:"
    keys +
    wait_for "Register household"

    CASE="${cols}x$rows + in a field is back, not typed"
    keys 2
    wait_for "Head's CNIC:"
    type_text "3520"
    keys +
    wait_for "Register household"
    stop_kiosk
done

CASE="high contrast"
write_config "colours=high_contrast"
start_kiosk 80 24
wait_for "Register household"
sgr=$(tmux -L "$SOCK" capture-pane -p -e -t k | grep -o $'\e\\[[0-9;]*m' | sort -u |
    sed 's/^\x1b\[//; s/m$//')
[ -n "$sgr" ] || fail "no attributes captured"
for codes in $sgr; do
    IFS=';' read -ra parts <<<"$codes"
    for c in "${parts[@]}"; do
        case "$c" in
        0 | 1 | 4 | 7 | 33 | 37 | 93 | 97 | 40 | 39 | 49 | "") ;;
        2) fail "dim text in high contrast" ;;
        *) fail "SGR $c is not white/yellow on black, bold, underline or reverse" ;;
        esac
    done
done
# Focus by reverse video: the focused button, and it moves with the arrows.
focused() {
    tmux -L "$SOCK" capture-pane -p -e -t k | grep -F -- "$1" | grep -qE $'\e\\[([0-9;]*;)?7[;m]'
}
focused "Check status" || fail "the focused button is not in reverse video"
focused "Register household" && fail "an unfocused button is in reverse video"
keys Down
i=0
until focused "Register household"; do
    i=$((i + 1))
    [ "$i" -lt 100 ] || fail "the focus did not move in reverse video"
    sleep 0.05
done
stop_kiosk

for size in "80 24" "132 43"; do
    read -r cols rows <<<"$size"
    CASE="${cols}x$rows survey answers"
    write_config
    start_kiosk "$cols" "$rows"
    start_registration "37405123456${cols:0:2}" # a new draft at each size
    wait_state "About this registration > Why have you come today?"
    [ "$(shown_options | cut -f1 | sort -n | paste -sd' ')" = "1 2 3 4 5 6" ] ||
        fail "the six answers' digits are not drawn big: $(shown_options | paste -sd'|')"
    [ "$(option_digit "Reassess: found eligible")" = 6 ] || fail "answer 6 is not beside its digit"
    assert_screen "Back" # the big + and * keep their corner
    no_overflow "$cols"
    if [ "$cols" = 132 ]; then
        [ "$(screen_text | grep -c "$FULL")" -ge 15 ] || fail "the answers' digits are not 5 rows high"
    fi
    choose "Reassess: found eligible"
    wait_focus phone
    after_keys Enter
    wait_state "Address > Province or region"
    if [ "$cols" = 80 ]; then
        # Eight places do not fit beside the corner: a page, and 0 for more.
        shown_options | grep -qP '^0\tMore answers$' || fail "no big 0 for the next answers"
        [ -z "$(option_digit "Gilgit-Baltistan")" ] || fail "more answers than fit are shown"
        more_answers
        [ "$(option_digit "Gilgit-Baltistan")" = 2 ] || fail "0 did not show the next answers"
        no_overflow "$cols"
    else
        [ "$(option_digit "Gilgit-Baltistan")" = 7 ] || fail "every place fits at 132x43"
    fi
    stop_kiosk
done

CASE="review and receipt by number keys"
receipt_has() { # receipt_has TEXT: the decoded receipt holds TEXT
    emu_receipt >"$WORK/receipt.txt" 2>&1
    grep -qF -- "$1" "$WORK/receipt.txt" || fail "the receipt lacks '$1': $(cat "$WORK/receipt.txt")"
}
emu_start --plug printer
write_config voice=off # (the sound device's files overflow umockdev's fd map)
start_kiosk 80 24
cnic=3520212345671
start_registration "$cnic"
survey "${ADDRESS[@]}"
edit_head "name=Muhammad Aslam" age=46 marital_status=married literate=yes highest_class=10 \
    employment_status=self_employed occupation=craft disability=none
add_member "name=Fatima Bibi" relation=spouse gender=female age=38 marital_status=married \
    "id_number=${cnic%?}2" literate=no highest_class=0 employment_status=housework disability=none
roster_done
survey "${HOUSE[@]}"
wait_for "Check your answers"
[ "$(option_digit "Save registration")" = 1 ] || fail "no big 1 beside Save registration"
no_overflow 80
keys 1
wait_for "Yes, save"
[ "$(option_digit "Yes, save")" = 1 ] || fail "the dialog's answer has no big digit"
keys 1
wait_for "Registration saved" 10
wait_for "Your receipt is printed" 15
[ "$(option_digit "Print a copy")" = 1 ] || fail "no big 1 beside Print a copy"
[ "$(option_digit "Finish")" = 2 ] || fail "no big 2 beside Finish"
no_overflow 80
emu printed-clear
keys 1
emu_wait_more printer bytes 100 10
receipt_has "COPY"
keys 2
wait_for "Register household"
stop_kiosk
echo "PASS $TEST_NAME"

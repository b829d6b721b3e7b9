#!/usr/bin/env bash
# The language switch works from the first screen on, and the survey's own
# texts (page titles, questions, options, place names) come in Roman Urdu
# from the questionnaire and places files; the layout survives resizes
# (and says so when the window is too small) without losing an answer;
# and a click or touch on a button, an answer or a question does what its
# key does.
. "$(dirname "$0")/lib.sh"

ur() { translated ur_Latn "$1"; }

CASE="arrows"
start_kiosk 80 24
keys Down Enter
wait_for "Head's CNIC"
keys Escape
wait_for "Register household"
keys Up Enter
wait_for "CNIC or tracking ID:"
keys Escape
wait_for "Register household"

CASE="language"
[ "$(ur "Check status")" != "Check status" ] || fail "no Roman Urdu catalog (build/asan/locale)"
keys 3
wait_for "$(ur "Check status")"
assert_screen "Roman Urdu"
refute_screen "Check status"
keys 1
wait_for "$(ur "CNIC or tracking ID:")"
keys F9 # Roman Urdu -> Urdu (its own screen tests: test_urdu_*.sh)
wait_gone "$(ur "CNIC or tracking ID:")"
refute_screen "CNIC or tracking ID:"
keys F9 # Urdu -> English
wait_for "CNIC or tracking ID:"
keys F9
wait_for "$(ur "CNIC or tracking ID:")"
keys Escape
wait_for "$(ur "Check status")"

# The survey in Roman Urdu: its texts are the questionnaire file's.
CASE="the survey in Roman Urdu"
keys 2
wait_for "$(ur "Head's CNIC:")"
type_text 3520212345671
keys Enter
wait_for "${Q_TITLE_UR[About this registration]}"
assert_screen "${Q_LABEL_UR[case_type]}"
assert_screen "${Q_LABEL_UR[phone]}"
# (An answer's words may wrap beside its big digit: read them as answers.)
[ "$(option_digit "${Q_OPTION_UR[case_type/missed_in_survey]}")" = 1 ] || fail "answer 1 not in Roman Urdu"
[ "$(option_digit "${Q_OPTION_UR[case_type/reassess_eligible]}")" = 6 ] || fail "answer 6 not in Roman Urdu"
refute_screen "${Q_LABEL[case_type]}"
[ -z "$(option_digit "${Q_OPTION[case_type/missed_in_survey]}")" ] || fail "an English answer is shown"
keys 4 # "Aafat se mutasir": its row shows the Roman Urdu answer
wait_row "${Q_LABEL_UR[case_type]}" "${Q_OPTION_UR[case_type/disaster]}"
keys Enter # no phone
wait_for "${Q_TITLE_UR[Address]}"
assert_screen "${Q_LABEL_UR[province]}"
[ "$(option_digit "${PLACE_UR[2]}")" = 2 ] || fail "place 2 not in Roman Urdu" # Sabiqa FATA (zam shuda azla)
[ -z "$(option_digit "${PLACE[2]}")" ] || fail "an English place is shown"   # Former FATA (merged districts)
more_answers # the sixth place is on the next page at 80x24
[ "$(option_digit "${PLACE_UR[6]}")" = 1 ] || fail "place 6 not in Roman Urdu" # Islamabad
[ -z "$(option_digit "${PLACE[6]}")" ] || fail "an English place is shown"   # Islamabad Capital Territory
more_answers # and back to the first page
keys F9 # Roman Urdu -> Urdu -> English
wait_gone "$(ur "Language")"
keys F9
wait_state "Address > Province or region"
[ "$(option_digit "${PLACE[2]}")" = 2 ] || fail "place 2 not in English again"
keys Escape
wait_state "About this registration > Why have you come today?"
wait_row "${Q_LABEL[case_type]}" "${Q_OPTION[case_type/disaster]}"

CASE="resize"
resize 132 43
wait_for "${Q_OPTION[case_type/reassess_eligible]}"
[ "$(screen_text | head -1 | sed 's/ *$//' | awk '{print length}')" -gt 100 ] ||
    fail "title bar not redrawn across 132 columns"
wait_state "About this registration > Why have you come today?"
resize 60 20
wait_for "Please make this window larger"
keys 2 # ignored while too small
resize 80 24
wait_state "About this registration > Why have you come today?"
wait_row "${Q_LABEL[case_type]}" "${Q_OPTION[case_type/disaster]}"

CASE="mouse"
# A touch on an answer picks it; on a question, moves there; on a button
# in the footer, does what its key does.
read -r x y < <(locate "Appeal against") # its words wrap beside the big 2
click "$x" "$y"
wait_row "${Q_LABEL[case_type]}" "${Q_OPTION[case_type/appeal]}"
read -r x y < <(locate "${Q_LABEL[phone]}")
click "$x" "$y"
wait_state "About this registration > Mobile number (if any)"
read -r x y < <(locate "F2 Next page")
click "$((x + 1))" "$y"
wait_state "Address > Province or region"
read -r x y < <(locate "${PLACE[3]}")
click "$x" "$y"
wait_row "${Q_LABEL[province]}" "${PLACE[3]}"
read -r x y < <(locate " + Back ")
click "$((x + 2))" "$y"
wait_state "About this registration > Why have you come today?"
read -r x y < <(locate " + Back ")
click "$((x + 2))" "$y"
wait_for "Head's CNIC"
read -r x y < <(locate " + Back ")
click "$((x + 2))" "$y"
wait_for "A registration is open"
read -r x y < <(locate "Check status")
click "$x" "$y"
wait_for "CNIC or tracking ID:"
stop_kiosk
[ "$(sql "SELECT value FROM draft_answers WHERE question = 'province'")" = 3 ] ||
    fail "the province touched was not saved"
echo "PASS $TEST_NAME"

#!/usr/bin/env bash
# Urdu in Arabic script (--lang ur) on an ordinary terminal, at 80x24 and
# 132x43: the home page, a registration whose receipt is shown in Urdu, a
# status check by that CNIC (the CNIC typed and the tracking ID found on
# screen in their printed order) and
# an unknown CNIC ("your survey is incomplete" in Urdu).
#
# On every screen, read back from tmux (capture-pane keeps each cell's
# codepoints, marks included), urdu_check asserts that:
# - no joining Arabic letter is left unshaped: each is a presentation form;
# - every Arabic-script word, read back into logical order, is a word of
#   the ur catalog (po/ur.po) or of the Urdu data texts: nothing cut off
#   by an overflow, nothing reversed twice;
# - no English word is left, apart from the allow-list below (key names,
#   NSER/BISP, the centre's configured name, the language names);
# - no isolate or other bidi control reaches the screen.
# The registration is walked in Urdu from the first screen: the head's
# CNIC, every survey page of a one-member household (choices picked with
# their number keys, numbers typed, the name and locality typed in Urdu
# script), the roster, the review and the receipt, with these checks on
# every page, and on every survey page one more: each question row is
# mirrored, its label ending at the right, further right than its answer
# (tests/screen/urdu_lib.sh: ur_survey).
. "$(dirname "$0")/lib.sh"

. "$(dirname "$0")/urdu_lib.sh"

run_case() {
    local cols=$1 rows=$2 cnic=$3 unknown=$4
    local printed="${cnic:0:5}-${cnic:5:7}-${cnic:12:1}"
    CASE="${cols}x${rows}"

    # A registration walked in Urdu, from home to the receipt.
    start_kiosk "$cols" "$rows" --lang ur
    wait_ur "Register household"
    keys 2
    wait_ur "Head's CNIC:"
    urdu_check "head's CNIC"
    type_text "$cnic"
    wait_for "$printed"
    # Mirrored: the label at the right of the box holding the CNIC.
    screen_text | grep -m1 -F "$printed" | grep -qP -- "$printed +\\S" ||
        fail "the head's CNIC label is not at the right of its box"
    keys Enter
    ur_survey urdu_check "${ADDRESS_UR[@]}"
    wait_ur "People in the household: %d"
    urdu_check "roster"
    keys Home
    ur_after Enter
    ur_survey urdu_check "name=$NAME_UR" age=46 marital_status=married literate=yes highest_class=10 \
        employment_status=self_employed occupation=craft disability=none
    wait_ur "People in the household: %d"
    urdu_check "roster with the head"
    ur_after F2
    ur_survey urdu_check "${HOUSE[@]}"
    wait_ur "Check your answers"
    urdu_check "the review"
    keys F2
    wait_ur "Yes, save"
    urdu_check "save dialog" overlay
    wait_ur "Save this registration? You will get a tracking ID to keep."
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

# The name and locality typed in Urdu script, as an applicant would.
NAME_UR="محمد علی"
LOCALITY_UR="بلاک سی جوہر ٹاؤن"
UR_TYPED="$NAME_UR $LOCALITY_UR"
ADDRESS_UR=()
for kv in "${ADDRESS[@]}"; do
    case $kv in locality=*) ADDRESS_UR+=("locality=$LOCALITY_UR") ;; *) ADDRESS_UR+=("$kv") ;; esac
done

run_case 80 24 3520212345671 3520299999991
DB="$WORK/second.db"
run_case 132 43 4210187654321 4210199999991
echo "PASS $TEST_NAME"

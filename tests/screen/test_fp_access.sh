#!/usr/bin/env bash
# The finger page for applicants who read little (issues 8 and 9): it is
# an applicant page like the others. `*` shows its help and says its
# prompt again, `+` goes back; its choices are big number keys (a timeout
# answered with 1); what it shows is spoken as it is shown: the finger to
# press, each retry's reason, the instruction after a stage, the timeout
# with its keys (prompt ids seen in the log through the null sink, never a
# text). The review takes a finger not taken with its number key 3. In
# Urdu (--lang ur) at 80x24 every joining letter is shaped, nothing
# overflows and the bar fills from the right; at 132x43 the larger layout.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fp_lib.sh"
. "$(dirname "$0")/urdu_lib.sh"

wait_log() {
    for _ in $(seq 100); do
        grep -qF "$1" "$WORK/kiosk.log" && return 0
        sleep 0.1
    done
    fail "the log never said: $1"
}
log_count() { grep -cF "$1" "$WORK/kiosk.log" || true; }

FINGER="fpaccess-7d2c11"
HAND='\____________/' # the drawing's bottom row: the finger page, any language
FP_ENV="$KIOSK_ENV"
export KIOSK_ENV="$FP_ENV NSER_VOICE_SINK=null"

CASE="+ and * on the finger page, spoken"
write_config voice=on fp_stage_timeout=5
start_kiosk 80 24
fp_start_registration 3520212345671
wait_for "Stage 1 of 5"
wait_log "voice: speaking fp.enrol.right_thumb"
assert_screen "Back"
assert_screen "Help"
keys '*'
wait_words "Press the finger shown in the picture on the reader"
wait_log "voice: repeat fp.enrol.right_thumb"
keys Down # any key closes the help
wait_gone "Press the finger shown in the picture"
fp RETRY 1
wait_for "Too short. Keep your finger on the reader a little longer."
wait_log "voice: speaking msg.fp_too_short"
assert_screen "Stage 1 of 5"
fp SCAN "$FINGER"
wait_for "Stage 2 of 5"
wait_log "voice: speaking msg.fp_stage_passed"
keys '+'
wait_for "Head's CNIC"
keys Enter
wait_for "Stage 1 of 5" 10
[ "$(log_count "voice: speaking fp.enrol.right_thumb")" -ge 2 ] ||
    fail "the finger was not named again on coming back"

CASE="timeout answered with a number key"
wait_for "No finger was felt in time." 20
wait_log "voice: speaking fp.timed_out"
assert_words "Try again"
assert_words "Use another finger"
keys 1
wait_for "Stage 1 of 5"
wait_gone "No finger was felt in time."
stop_kiosk
! grep -q "Too short\|felt in time\|right thumb" "$WORK/kiosk.log" || fail "a spoken text reached the log"

CASE="the review's number key takes the finger"
rm -f "$DB" "$DB"-*
export KIOSK_ENV="$FP_ENV"
write_config mode=clerk
make_accounts
start_kiosk 80 24
clerk_login clerk1 135790
fp_start_registration 3520298765431
wait_for "Stage 1 of 5"
assert_words "Carry on without"
keys 4
fp_finish_registration "Bashir Ahmad"
wait_for "Fingerprint: not taken"
assert_words "Take finger"
keys 3
wait_for "Stage 1 of 5" 10
fp_enrol "$FINGER"
wait_for "Fingerprint: right thumb, taken" 10
stop_kiosk

# ROW N: the screen's row N (0-based).
row() { screen_text | sed -n "$(($1 + 1))p"; }

CASE="Urdu at 80x24"
rm -f "$DB" "$DB"-*
write_config
start_kiosk 80 24 --lang ur
fp_wait_ready
wait_ur "Register household"
keys 2
type_text 3520212345671
keys Enter
wait_for "$HAND" 10
urdu_check "finger page"
# Mirrored: the instruction ends at the right margin, the bar fills from
# the right.
[ "$(row 2 | sed 's/ *$//' | wc -m)" -ge 77 ] || fail "the instruction does not read from the right: $(row 2)"
fp SCAN "$FINGER"
for _ in $(seq 100); do screen_text | grep -qE '\.#+\]' && break; sleep 0.05; done
screen_text | grep -qE '\[\.+#+\]' || fail "the bar does not fill from the right: $(screen_text | grep -F '[')"
urdu_check "finger page, a stage taken"
stop_kiosk

CASE="Urdu at 132x43"
rm -f "$DB" "$DB"-*
start_kiosk 132 43 --lang ur
fp_wait_ready
wait_ur "Register household"
keys 2
type_text 3520212345671
keys Enter
wait_for "$HAND" 10
urdu_check "finger page at 132x43"
# The larger layout: the wider bar, the hands further apart.
screen_text | grep -qE '\[\.{60}\]' || fail "no larger bar at 132x43"
screen_text | grep -qE '_/ {18}\\_' || fail "the hands are not drawn apart at 132x43"
stop_kiosk
echo "PASS $TEST_NAME"

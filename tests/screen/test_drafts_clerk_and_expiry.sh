#!/usr/bin/env bash
# Unfinished surveys. An applicant at a walk-in kiosk starts a
# registration and walks away until the idle timeout; at the counter a
# clerk (logged in) starts another and leaves it with Esc. "Saved drafts"
# lists both with their draft numbers, CNICs and member counts, newest
# first, and Enter on one continues it exactly where it stopped; so does
# typing the draft number the applicant shows: the hand-off of a kiosk
# draft to the clerk.
# A finished draft leaves the list. At an applicant's
# kiosk there is no list: a CNIC is offered only its own draft, never
# someone else's, and may start again instead. With
# draft_retention_hours = 1, a draft last saved two hours ago is wiped
# when the kiosk starts, answers and all. The clerk can read the draft
# numbers off the list at 80x24 too.
. "$(dirname "$0")/lib.sh"

CNIC_A=3520211111111 # left by the idle timeout in the middle of the head's page
CNIC_B=4210122222222 # left with Esc on the first page
CNIC_C=6110133333331 # an applicant who has no draft

CASE="applicant: a draft left by walking away"
write_config idle_timeout=4
make_accounts
start_kiosk 132 43
start_registration "$CNIC_A"
DRAFT_A=$(draft_number)
survey "${ADDRESS[@]}"
keys Home
after_keys Enter
answer "Nazir Ahmed"
skip # relation: the head
skip # gender: from the CNIC
skip # no date of birth
wait_state "Household member / Member 1: Nazir Ahmed > Age in full years"
# Walking away: the warning, then the home screen; the draft stays.
wait_for "Are you still there?" 5
wait_for "Register household" 5
wait_gone "Nazir Ahmed"
refute_screen "A registration is open"
[ "$(sql "SELECT count(*) FROM drafts WHERE head_cnic = '$CNIC_A'")" = 1 ] || fail "draft A not kept"
stop_kiosk

CASE="clerk: a second draft left with Esc"
write_config mode=clerk
start_kiosk 132 43
clerk_login clerk1 135790
start_registration "$CNIC_B"
DRAFT_B=$(draft_number)
[ -n "$DRAFT_B" ] && [ "$DRAFT_B" != "$DRAFT_A" ] || fail "draft B has no number of its own ($DRAFT_B)"
choose "Appeal against a decision"
wait_state "About this registration > Mobile number (if any)"
keys Escape
wait_for "Head's CNIC"
keys Escape
wait_for "A registration is open: press 2 to continue it."

CASE="clerk: Saved drafts"
keys 4
wait_for "Saved drafts"
wait_for "$DRAFT_A"
assert_screen "$DRAFT_B"
# Newest first: B above A; the CNICs with dashes, the members, the kind.
row_a=$(locate "$DRAFT_A" | cut -d' ' -f2)
row_b=$(locate "$DRAFT_B" | cut -d' ' -f2)
[ "$row_b" -lt "$row_a" ] || fail "the newest draft is not listed first"
assert_screen "$(date -u +%m-%d) " # started and saved today (UTC)
screen_text | grep -E "^ *$DRAFT_A +35202-1111111-1 .* 1 +new *$" >/dev/null ||
    fail "draft A's row lacks its CNIC, member count or kind"
screen_text | grep -E "^ *$DRAFT_B +42101-2222222-2 .* 1 +new *$" >/dev/null ||
    fail "draft B's row lacks its CNIC, member count or kind"
# Enter on A: back on the head's page, at the age, the name kept.
keys Down
keys Enter
wait_state "Household member / Member 1: Nazir Ahmed > Age in full years"
[ "$(draft_number)" = "$DRAFT_A" ] || fail "draft A came back as $(draft_number)"
survey age=52 marital_status=married literate=no highest_class=0 \
    employment_status=employee occupation=elementary disability=none
roster_done
survey "${HOUSE[@]}"
save_registration
keys Enter
wait_for "Register household"
keys 4
wait_for "$DRAFT_B"
refute_screen "$DRAFT_A" # finished: no longer a draft
# The number an applicant shows, typed, finds the draft; A's no longer does.
type_text "${DRAFT_A//-/}"
wait_for "Draft number: $DRAFT_A"
keys Enter
wait_words "No saved draft has this number."
keys BSpace BSpace BSpace BSpace BSpace BSpace BSpace
type_text "${DRAFT_B//-/}"
wait_for "Draft number: $DRAFT_B"
keys Enter
wait_state "About this registration > Mobile number (if any)"
[ "$(draft_number)" = "$DRAFT_B" ] || fail "typing $DRAFT_B opened $(draft_number)"
wait_row "${Q_LABEL[case_type]}" "Appeal against a decision"
keys Escape
wait_for "Head's CNIC"
keys Escape
wait_for "Register household"
stop_kiosk
# The hand-off is on the record: the clerk who opened each draft.
[ "$(sql "SELECT count(*) FROM audit WHERE action = 'draft_opened' AND actor = 'clerk1'")" -ge 2 ] ||
    fail "the clerk's opening of the drafts is not in the audit trail"

CASE="applicant: only one's own draft"
write_config mode=applicant
start_kiosk 80 24
refute_screen "Saved drafts"
start_registration "$CNIC_C"
refute_screen "Saved answers found"
DRAFT_C=$(draft_number)
[ -n "$DRAFT_C" ] && [ "$DRAFT_C" != "$DRAFT_B" ] || fail "C was given draft $DRAFT_C"
[ -z "$(focused_value)" ] || fail "C's new draft has an answer: $(focused_value)"
keys Escape
wait_for "Head's CNIC"
keys Escape
wait_for "A registration is open"
start_registration "$CNIC_B"
wait_for "Saved answers found"
assert_words "draft number $DRAFT_B."
keys 1
wait_state "About this registration > Mobile number (if any)"
assert_screen "Appeal against a decision"
keys Escape
wait_for "Head's CNIC"
keys Escape
wait_for "A registration is open"
# C comes back and starts again: the saved draft goes, a new one comes.
start_registration "$CNIC_C"
wait_for "Saved answers found"
assert_words "draft number $DRAFT_C."
keys 2
wait_state "About this registration > Why have you come today?"
[ "$(draft_number)" != "$DRAFT_C" ] || fail "starting again kept the draft number"
[ "$(sql "SELECT count(*) FROM drafts WHERE number = '${DRAFT_C//-/}'")" = 0 ] || fail "starting again kept the old draft"
[ "$(sql "SELECT count(*) FROM drafts WHERE head_cnic = '$CNIC_C'")" = 1 ] || fail "not one draft for C"
DRAFT_C=$(draft_number)
stop_kiosk

CASE="expiry"
write_config mode=applicant draft_retention_hours=1
b_id=$(sql "SELECT id FROM drafts WHERE head_cnic = '$CNIC_B'")
[ -n "$b_id" ] || fail "no draft B"
sql "UPDATE drafts SET updated_at = '$(date -u -d '-2 hours' +%Y-%m-%dT%H:%M:%SZ)' WHERE id = $b_id"
start_kiosk 80 24
[ "$(sql "SELECT (SELECT count(*) FROM drafts WHERE id = $b_id)
               + (SELECT count(*) FROM draft_members WHERE draft_id = $b_id)
               + (SELECT count(*) FROM draft_answers WHERE draft_id = $b_id)")" = 0 ] ||
    fail "the expired draft was not wiped at start"
[ "$(sql "SELECT count(*) FROM drafts WHERE head_cnic = '$CNIC_C'")" = 1 ] ||
    fail "a draft saved minutes ago was wiped too"
start_registration "$CNIC_B"
refute_screen "Saved answers found"
wait_state "About this registration > Why have you come today?"
[ -z "$(focused_value)" ] || fail "the expired draft's answer is back: $(focused_value)"
stop_kiosk

# The clerk reads the draft number off the list at the smallest screen
# the kiosk supports, too.
CASE="clerk: Saved drafts at 80x24"
write_config mode=clerk
start_kiosk 80 24
clerk_login clerk1 135790
keys 4
wait_for "Saved drafts"
wait_for "$(sql "SELECT substr(number, 1, 3) || '-' || substr(number, 4) FROM drafts WHERE head_cnic = '$CNIC_C'")"
assert_screen "61101-3333333-1"
stop_kiosk
echo "PASS $TEST_NAME"

#!/usr/bin/env bash
# The clerk's and supervisor's tools on the real binary, at 80x24: a
# clerk's menu has a second page (Today's work, Reprint); today's work
# lists this kiosk's registrations newest first with the head's name
# masked; Enter on a row, or a CNIC typed on the reprint page, opens the
# receipt again; the supervisor's tools stay out of a clerk's reach. A
# supervisor adds an account (secret typed twice, shown as stars, a
# mismatch refused), cannot switch themself off, switches another off,
# and reads the audit trail, verified intact, newest first. Every reprint
# and change is in the trail; no secret is on the screen, in the trail or
# in the log.
#
# Needs the lead's harness (make_accounts, clerk_login in lib.sh), the
# `nser-kiosk user` command, and tests/central/mkregs (built by make check).
. "$(dirname "$0")/lib.sh"

MKREGS=${MKREGS:-$ROOT/build/asan/tests/central/mkregs}
[ -x "$MKREGS" ] || fail "mkregs is not built: make $MKREGS"

# KKKKK-YYMMDD-SSSS-C, as the screens show a tracking ID.
formatted() {
    local t=$1
    printf '%s-%s-%s-%s' "${t:0:5}" "${t:5:6}" "${t:11:4}" "${t:15:1}"
}

write_config mode=clerk
make_accounts
"$MKREGS" --db "$DB" --kiosk 04217 --count 3 --data "$ROOT/data" \
    --households "$ROOT/tests/data/households" >/dev/null || fail "mkregs failed"
NEWEST=$(sql "SELECT tracking_id FROM registrations ORDER BY id DESC LIMIT 1")
OLDEST=$(sql "SELECT tracking_id FROM registrations ORDER BY id LIMIT 1")
CNIC_OLDEST=$(sql "SELECT cnic FROM registrations ORDER BY id LIMIT 1")
HEAD_NEWEST=$(sql "SELECT head_name FROM registrations ORDER BY id DESC LIMIT 1")
start_kiosk 80 24

# menu_item N TEXT: the menu shows TEXT as item N, its digit plain in a
# one-row button or drawn big (read back by shown_options).
menu_item() {
    screen_text | grep -qF "$1    $2" || [ "$(option_digit "$2")" = "$1" ]
}
wait_item() {
    local i=0
    until menu_item "$1" "$2"; do
        i=$((i + 1))
        [ "$i" -lt 100 ] || fail "the menu never showed $1 $2"
        sleep 0.05
    done
}

CASE="the clerk's menu has a second page"
clerk_login clerk1 135790
menu_item 6 "Sync with the registry" || fail "no 6 Sync with the registry"
refute_screen "Today's work"
keys NPage
wait_item 7 "Today's work"
menu_item 8 "Reprint a receipt" || fail "no 8 Reprint a receipt"
refute_screen "Accounts"
refute_screen "Audit trail"

CASE="today's work, newest first, names masked"
keys 7
wait_for "Registrations at this kiosk on $(date +%d-%m-%Y): 3"
wait_for "$(formatted "$NEWEST")"
assert_screen "$(formatted "$OLDEST")"
new_row=$(locate "$(formatted "$NEWEST")" | cut -d' ' -f2)
old_row=$(locate "$(formatted "$OLDEST")" | cut -d' ' -f2)
[ "$new_row" -lt "$old_row" ] || fail "the newest registration is not listed first"
refute_screen "$HEAD_NEWEST"

CASE="Enter on a row reprints its receipt"
keys Enter
wait_for "Tracking ID: $(formatted "$NEWEST")"
wait_for "No receipt printer here"
assert_screen "Receipt (copy)"
refute_screen "Thank you. Your registration is saved."
keys Enter
wait_for "Saved drafts"

CASE="reprint by CNIC"
keys 8
wait_for "Reprint a receipt"
type_text "$CNIC_OLDEST"
keys Enter
wait_for "Tracking ID: $(formatted "$OLDEST")"
keys Enter
wait_for "Saved drafts"

CASE="a wrong number is refused in plain words"
keys 8
wait_for "Tracking ID or CNIC:"
type_text "3520299999999"
keys Enter
wait_for "No registration here has this number."
keys Escape
wait_for "Saved drafts"

CASE="a clerk cannot reach the supervisor's tools"
keys 9
keys 0
sleep 0.3
refute_screen "Clerks and supervisors who may log in"
refute_screen "Audit trail intact"
assert_screen "Saved drafts"

CASE="log out, the supervisor logs in"
keys Escape
sleep 0.1
keys Escape
wait_for "Staff log-in"
clerk_login boss 246810
keys NPage
wait_item 9 "Accounts"
menu_item 0 "Audit trail" || fail "no 0 Audit trail"

CASE="accounts: the list"
keys 9
wait_for "Clerks and supervisors who may log in"
assert_screen "clerk1"
assert_screen "supervisor"

CASE="accounts: add, the secret twice, shown as stars"
keys a
wait_for "Name (letters, digits, . _ -):"
type_text clerk2
keys Enter
wait_for "Role: 1 clerk, 2 supervisor:"
keys 1 Enter
wait_for "Secret (a PIN of 6+ digits or 8+ characters):"
type_text 11223344
wait_for "********_"
refute_screen "11223344"
keys Enter
wait_for "The same secret again:"
type_text 11223355
keys Enter
wait_for "The two secrets are not the same. Please type them again."
type_text 11223344
keys Enter
type_text 11223344
keys Enter
wait_for "Account clerk2 added."
assert_screen "clerk2"

CASE="a supervisor cannot switch themself off"
keys Home
keys d
wait_for "You cannot switch off your own account."

CASE="switching another account off"
keys End
keys d
wait_for "Account clerk2 switched off."
assert_screen "switched off"

CASE="the audit trail, verified"
keys Escape
wait_for "Saved drafts"
keys 0
wait_for "Audit trail intact:"
assert_screen "account off"
assert_screen "account added"
assert_screen "reprint"
keys Escape
wait_for "Saved drafts"

CASE="what was recorded"
stop_kiosk
[ "$(sql "SELECT count(*) FROM audit WHERE action = 'reprint' AND actor = 'clerk1'")" = 2 ] ||
    fail "the two reprints are not in the audit trail"
[ "$(sql "SELECT count(*) FROM audit WHERE action = 'account_add' AND subject = 'clerk2'
          AND actor = 'boss'")" = 1 ] || fail "the new account is not in the audit trail"
[ "$(sql "SELECT count(*) FROM audit WHERE action = 'account_disable' AND subject = 'clerk2'")" = 1 ] ||
    fail "switching clerk2 off is not in the audit trail"
[ "$(sql "SELECT disabled FROM users WHERE name = 'clerk2'")" = 1 ] || fail "clerk2 is not switched off"
! sql "SELECT * FROM audit" | grep -qE '11223344|11223355' || fail "a secret is in the audit trail"
! grep -qE '11223344|11223355' "$WORK/kiosk.log" || fail "a secret is in the log"
! grep -qF "$CNIC_OLDEST" "$WORK/kiosk.log" || fail "a CNIC is in the log"
"$KIOSK" audit verify --db "$DB" --config "$CONF" >"$WORK/verify.txt" ||
    fail "audit verify: $(cat "$WORK/verify.txt")"
echo "PASS $TEST_NAME"

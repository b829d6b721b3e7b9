#!/usr/bin/env bash
# Log-in and lockout, on the real binary: a brute-force loop of wrong PINs
# is free three times, then locks the name for a growing delay (5 s, then
# 10 s); while locked even the right PIN is refused; an unknown name locks
# the same way (no probing for names); after the wait the right PIN logs
# in, at the clerk's home page; Esc twice there logs out; every try is in
# the audit trail, and no PIN is.
. "$(dirname "$0")/lib.sh"

try_pin() { # try_pin NAME PIN: one attempt from the log-in page
    local i
    keys Up End
    for i in $(seq 34); do keys BSpace; done
    type_text "$1"
    keys Down End
    for i in $(seq 34); do keys BSpace; done
    type_text "$2"
    keys Enter
}

write_config
make_accounts
start_kiosk 80 24

CASE="three free wrong tries"
keys F12
wait_for "Staff log-in"
for n in 1 2 3; do
    try_pin clerk1 11111$n
    wait_for "Wrong name or PIN/password."
done

CASE="the fourth locks"
try_pin clerk1 111114
wait_for "Too many wrong tries. Please wait 5 seconds"
CASE="locked: even the right PIN is refused"
try_pin clerk1 135790
wait_for "Too many wrong tries"
refute_screen "Saved drafts"

CASE="a longer lock next time"
sleep 5.5
try_pin clerk1 999999
wait_for "Please wait 10 seconds"

CASE="unknown names lock too"
for n in 1 2 3; do
    try_pin nobody99 22222$n
    wait_for "Wrong name or PIN/password."
done
try_pin nobody99 222224
wait_for "Too many wrong tries. Please wait 5 seconds"

CASE="after the wait"
sleep 10.5
try_pin clerk1 135790
wait_for "Saved drafts" 10
assert_screen "Register household"

CASE="Esc twice logs out"
keys Escape Escape
wait_gone "Saved drafts"
wait_for "Register household"
refute_screen "Saved drafts"

CASE="a clerk who walks away is logged out"
stop_kiosk
write_config clerk_idle_timeout=30
start_kiosk 80 24
keys F12
try_pin clerk1 135790
wait_for "Saved drafts" 10
wait_for "You will be logged out soon" 30
wait_gone "Saved drafts" 15
wait_for "Register household"

CASE="audit"
stop_kiosk
[ "$(sql "SELECT count(*) FROM audit WHERE action = 'login_failed'")" -ge 6 ] ||
    fail "the failed tries are not in the audit trail"
[ "$(sql "SELECT count(*) FROM audit WHERE action = 'locked_out'")" -ge 3 ] ||
    fail "the locks are not in the audit trail"
[ "$(sql "SELECT count(*) FROM audit WHERE action = 'login' AND actor = 'clerk1'")" = 2 ] ||
    fail "the log-ins are not in the audit trail"
[ "$(sql "SELECT count(*) FROM audit WHERE action = 'logout'")" = 2 ] || fail "the log-outs are not audited"
! sql "SELECT * FROM audit" | grep -qE '135790|11111[0-9]|99999' || fail "a PIN is in the audit trail"
! grep -qE '135790|11111[0-9]' "$WORK/kiosk.log" || fail "a PIN is in the log"
"$KIOSK" audit verify --db "$DB" --config "$CONF" >"$WORK/verify.txt" ||
    fail "audit verify: $(cat "$WORK/verify.txt")"
echo "PASS $TEST_NAME"

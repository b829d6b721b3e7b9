#!/usr/bin/env bash
# A power cut or kill -9 right after the receipt appears loses nothing: the
# registration committed before the receipt was drawn is found after a
# restart, by tracking ID and by CNIC, and the database passes its check.
. "$(dirname "$0")/lib.sh"

CASE="kill -9 after receipt"
start_kiosk 80 24
register_household 3520255555551 "Muhammad Ali"
[ -n "$TID" ] || fail "no tracking ID on the receipt"
pid=$(pgrep -f -- "^$KIOSK --db $DB " | head -1)
kill -KILL "$pid"
wait_for "[exited 137]" 5
tmux -L "$SOCK" kill-server 2>/dev/null || true

# The same file after the crash: integrity, and the registration is there.
[ "$(sqlite3 "$DB" 'PRAGMA quick_check')" = ok ] || fail "database damaged after kill -9"
out=$("$KIOSK" status "$TID" --db "$DB" --config "$CONF") || fail "registration lost after kill -9"
[[ "$out" == *"Registered at this centre"* ]] || fail "status after kill -9: $out"
[ "$(sqlite3 "$DB" "SELECT count(*) FROM outbox o JOIN registrations r ON r.id = o.registration_id WHERE r.tracking_id = '${TID//-/}'")" = 1 ] ||
    fail "the registration's outbox row is missing after kill -9"

# Kill -9 in the middle of a registration: nothing half-written, the kiosk
# starts again and the next registration takes the next sequence number.
start_kiosk 80 24
keys 2
type_text 3520266666661
keys Enter
wait_for "Full name"
type_text "Half Typed"
pid=$(pgrep -f -- "^$KIOSK --db $DB " | head -1)
kill -KILL "$pid"
wait_for "[exited 137]" 5
tmux -L "$SOCK" kill-server 2>/dev/null || true
[ "$(sqlite3 "$DB" "SELECT count(*) FROM members WHERE name = 'Half Typed'")" = 0 ] ||
    fail "an unconfirmed registration reached the database"
start_kiosk 80 24
register_household 3520277777771 "Second Applicant"
[ "${TID:13:4}" = 0002 ] || fail "expected sequence 0002 after the first registration, got $TID"
stop_kiosk
echo "PASS $TEST_NAME"

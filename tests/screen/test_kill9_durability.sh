#!/usr/bin/env bash
# A power cut or kill -9 right after the receipt appears loses nothing: the
# registration committed before the receipt was drawn is found after a
# restart, by tracking ID and by CNIC, with its answers, its score and its
# outbox row, the draft it came from is gone, and the database passes its
# check. A kill -9 in the middle of a registration leaves no registration,
# only the draft; the next registration takes the next sequence number.
. "$(dirname "$0")/lib.sh"

CASE="kill -9 after receipt"
start_kiosk 80 24
register_household 3520255555551 "Muhammad Ali"
kill_kiosk

# The same file after the crash: integrity, and the registration is there.
[ "$(sql 'PRAGMA quick_check')" = ok ] || fail "database damaged after kill -9"
out=$("$KIOSK" status "$TID" --db "$DB" --config "$CONF") || fail "registration lost after kill -9"
[[ "$out" == *"Registered at this centre"* ]] || fail "status after kill -9: $out"
out=$("$KIOSK" status 3520255555551 --db "$DB" --config "$CONF") || fail "not found by CNIC after kill -9"
[[ "$out" == *"$TID"* ]] || fail "status by CNIC after kill -9: $out"
reg=$(sql "SELECT id FROM registrations WHERE tracking_id = '${TID//-/}'")
[ "$(sql "SELECT count(*) FROM outbox WHERE registration_id = $reg")" = 1 ] ||
    fail "the registration's outbox row is missing after kill -9"
[ "$(sql "SELECT count(*) FROM scores WHERE registration_id = $reg")" = 1 ] ||
    fail "the registration's score is missing after kill -9"
[ "$(sql "SELECT count(DISTINCT member) FROM registration_answers WHERE registration_id = $reg")" = 4 ] ||
    fail "the household's answers are missing after kill -9 (household + 3 members)"
[ "$(sql "SELECT value FROM registration_answers WHERE registration_id = $reg AND member = 1 AND question = 'name'")" = "Fatima Bibi" ] ||
    fail "the wife's name is missing after kill -9"
[ "$(sql "SELECT count(*) FROM drafts")" = 0 ] || fail "the confirmed draft survived"

# Kill -9 in the middle of a registration: no registration, the answers
# given are in the draft, and the kiosk starts again.
CASE="kill -9 mid-registration"
start_kiosk 80 24
start_registration 3520266666661
survey "${ADDRESS[@]}"
keys Home
after_keys Enter
answer "Half Done"
kill_kiosk
[ "$(sql 'PRAGMA quick_check')" = ok ] || fail "database damaged after kill -9"
[ "$(sql "SELECT count(*) FROM registrations WHERE cnic = '3520266666661'")" = 0 ] ||
    fail "an unconfirmed registration reached the registry"
[ "$(sql "SELECT count(*) FROM draft_answers a JOIN drafts d ON d.id = a.draft_id
           WHERE d.head_cnic = '3520266666661' AND a.value = 'Half Done'")" = 1 ] ||
    fail "the answers given before the kill are not in the draft"
start_kiosk 80 24
register_household 3520277777771 "Second Applicant"
[ "${TID:13:4}" = 0002 ] || fail "expected sequence 0002 after the first registration, got $TID"
stop_kiosk
echo "PASS $TEST_NAME"

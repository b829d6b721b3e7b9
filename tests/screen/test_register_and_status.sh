#!/usr/bin/env bash
# A walk-in registers a household with keys only (the whole survey: the
# address, three members, the house, assets, land, animals), reads the
# tracking ID off the receipt, and later checks the status by that
# tracking ID and by CNIC. The status screen shows the status and a masked
# name, never the household; the clerk's command line sees the same.
. "$(dirname "$0")/lib.sh"

run_case() {
    local cols=$1 rows=$2 cnic=$3
    CASE="${cols}x${rows}"
    start_kiosk "$cols" "$rows"
    register_household "$cnic" "Muhammad Ali"
    local tid=$TID
    [[ "$tid" =~ ^04217-[0-9]{6}-[0-9]{4}-[0-9]$ ]] || fail "no tracking ID on the receipt (got '$tid')"
    [ "${tid:6:6}" = "$(date +%y%m%d)" ] || fail "the tracking ID does not carry today's date: $tid"
    assert_screen "Thank you. Your registration is saved."
    assert_screen "Date: $(date +%d-%m-%Y)"
    refute_screen "score" # an applicant is never shown a score
    keys Enter
    wait_for "Register household"

    # Status by the tracking ID, typed without dashes.
    keys 1
    wait_for "CNIC or tracking ID:"
    type_text "${tid//-/}"
    wait_for "$tid" # shaped with dashes while typing
    keys Enter
    wait_for "Registration found"
    assert_screen "Registered at this centre"
    assert_screen "$(date -u +%Y-%m-%d)"
    assert_screen "M******* A**"
    for secret in "Muhammad" "Fatima" "Ahmed" "0300" "Lahore" "Johar Town" "Block C"; do
        refute_screen "$secret"
    done
    keys Enter
    wait_for "Register household"

    # Status by CNIC, typed with dashes.
    keys 1
    wait_for "CNIC or tracking ID:"
    type_text "${cnic:0:5}-${cnic:5:7}-${cnic:12:1}"
    keys Enter
    wait_for "Registration found"
    assert_screen "$tid"
    assert_screen "M******* A**"
    refute_screen "Fatima"
    keys Enter
    wait_for "Register household"
    stop_kiosk

    # The clerk's command line sees the same registration in the same file.
    local out
    out=$("${KIOSK}" status "$tid" --db "$DB" --config "$CONF") || fail "status CLI exit $?"
    [[ "$out" == *"Registered at this centre"* && "$out" == *"M******* A**"* ]] ||
        fail "status CLI printed: $out"
}

run_case 80 24 3520212345671

# Every status the central registry can send back is shown in plain words,
# with its date (sync sets these later; here the file is changed directly).
CASE="statuses"
for pair in "received:Received by the registry" "eligible:Eligible" \
    "not_eligible:Not eligible" "under_review:Under review" "pending_sync:Registered at this centre"; do
    code=${pair%%:*} text=${pair#*:}
    sql "UPDATE registrations SET status = '$code', status_at = '2026-01-15T09:00:00Z'"
    out=$("$KIOSK" status 3520212345671 --db "$DB" --config "$CONF") || fail "status CLI ($code)"
    [[ "$out" == *"Status: $text"* && "$out" == *"since 2026-01-15"* ]] || fail "$code printed: $out"
done
sql "UPDATE registrations SET status = 'eligible', status_at = '2026-01-15T09:00:00Z'"
start_kiosk 80 24
keys 1
wait_for "CNIC or tracking ID:"
type_text 3520212345671
keys Enter
wait_for "Status:"
assert_screen "Eligible"
assert_screen "2026-01-15"
assert_words "how and when to collect payment"
refute_screen "Fatima"
stop_kiosk

DB="$WORK/second.db"
run_case 132 43 4210187654321
echo "PASS $TEST_NAME"

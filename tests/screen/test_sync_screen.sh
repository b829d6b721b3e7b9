#!/usr/bin/env bash
# The clerk's sync page and the freeze rule, on the real binary: after a
# registration the page shows one record waiting; E writes batch 1 into
# the outgoing folder (a signed, encrypted file the registry can open),
# and the count of waiting records stays until the registry acknowledges;
# I with nothing to import says so. When the oldest unacknowledged record
# is older than freeze_after_days, new registrations and updates are
# refused with a plain message while status checks go on, and the sync
# page says why.
. "$(dirname "$0")/lib.sh"

CENTRAL=${CENTRAL:-$ROOT/build/asan/nser-central}

CASE="keys"
write_config mode=clerk "key_dir=$WORK/keys" "sync_out_dir=$WORK/out" "sync_in_dir=$WORK/in" \
    freeze_after_days=30
"$KIOSK" keys init --config "$CONF" >"$WORK/keys.txt" || fail "keys init: $(cat "$WORK/keys.txt")"
grep -q "nser-public-key 1" "$WORK/keys.txt" || fail "keys init printed no public key"
[ "$(stat -c %a "$WORK/keys/kiosk.secret")" = 600 ] || fail "the secret key is not 0600"
"$CENTRAL" keys init --dir "$WORK/central" >/dev/null || fail "nser-central keys init"
"$KIOSK" keys install-central "$WORK/central/central.pub" --config "$CONF" >/dev/null ||
    fail "keys install-central"

CASE="export from the sync page"
mkdir -p "$WORK/in"
make_accounts
start_kiosk 80 24
clerk_login clerk1 135790
register_household 3520212345671 "Muhammad Aslam"
keys Enter
wait_for "Register household"
keys 6
wait_for "Sync with the registry"
wait_for "Records waiting for the registry: 1"
assert_screen "Last export: never"
keys e
wait_for "Batch 1 written: 1 records" 20
ls "$WORK/out"/04217-000001.nserb >/dev/null 2>&1 || fail "no batch file in the outgoing folder"
wait_for "Last export:"
refute_screen "Last export: never"
# Sent is not acknowledged: the record still waits.
assert_screen "Records waiting for the registry: 1"
keys i
wait_for "Nothing new to import" 10

CASE="freeze"
keys Escape
wait_for "Register household"
sql "UPDATE outbox SET created_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-40 days')"
keys 2
wait_for "New registrations are paused" 5
assert_screen "Register household" # still at home
keys 5
wait_for "New registrations are paused"
keys 1
wait_for "CNIC or tracking ID:"
type_text 3520212345671
keys Enter
wait_for "Registration found" 10
keys Escape Escape
wait_for "Register household"
keys 6
wait_for "The oldest has waited 40 days"
assert_screen "New registrations are paused"
stop_kiosk
echo "PASS $TEST_NAME"

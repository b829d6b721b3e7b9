#!/usr/bin/env bash
# An applicant at a walk-in kiosk presses everything: every key listed in
# docs/keys.md, on the home page and on the status check, in kiosk mode.
# No key opens a clerk's page (saved drafts, updates, sync, today's work,
# reprint, accounts, audit); the log-in key opens only the log-in page,
# where nothing gets past without an account, and the kiosk is still
# running at the end.
. "$(dirname "$0")/lib.sh"

CLERK_PAGES=("Saved drafts" "Update a registration" "Sync with the registry" "Today's work"
    "Reprint a receipt" "Accounts" "Audit trail")

no_clerk_page() {
    local page
    for page in "${CLERK_PAGES[@]}"; do
        if screen_text | grep -qF -- "$page"; then
            fail "key '$1' on the $2 reached a clerk's page: $page"
        fi
    done
}

back_home() {
    local i
    for i in 1 2 3 4 5 6; do
        # The home page, in whatever language a key switched to.
        screen_text | grep -q "National Socio-Economic Registry" && return 0
        keys Escape
        sleep 0.1
    done
    wait_for "National Socio-Economic Registry"
}

mapfile -t KEYS < <(sed -n '/^```keys$/,/^```$/p' "$ROOT/docs/keys.md" | grep -v '^```' | tr ' ' '\n' | grep .)
[ "${#KEYS[@]}" -gt 60 ] || fail "docs/keys.md lists only ${#KEYS[@]} keys"

write_config
make_accounts
start_kiosk 80 24 --kiosk
for where in "home page" "status check"; do
    CASE="$where"
    for k in "${KEYS[@]}"; do
        back_home
        if [ "$where" = "status check" ]; then
            keys 1
            sleep 0.2
            screen_text | grep -q "National Socio-Economic Registry" && fail "1 did not open the status check"
        fi
        keys "$k"
        sleep 0.05
        no_clerk_page "$k" "$where"
    done
done

CASE="the log-in key"
back_home
if screen_text | grep -q "Khush aamdeed"; then # Roman Urdu -> Urdu -> English
    keys F9
    wait_gone "Khush aamdeed"
    keys F9
fi
wait_for "Register household"
keys F12
wait_for "Staff log-in"
type_text clerk1
keys Tab
type_text 000000
keys Enter
wait_for "Wrong name or PIN/password."
no_clerk_page F12 "log-in page"
keys Escape
wait_for "Register household"
refute_screen "Saved drafts"
[ -n "$(kiosk_pid)" ] || fail "the kiosk is gone"
stop_kiosk
echo "PASS $TEST_NAME"

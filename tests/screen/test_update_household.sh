#!/usr/bin/env bash
# A household registered here comes back to update its roster: the kiosk
# loads the earlier answers, a member is edited in place and another removed,
# a newborn is added, and the update is stored as a new version of the same
# record, linked to the earlier registration, with a new tracking ID.
. "$(dirname "$0")/lib.sh"

run_case() {
    CASE="$1x$2"
    local cnic=$3
    start_kiosk "$1" "$2"
    register_household "$cnic" "Muhammad Ali"
    local first=$TID
    keys Enter
    wait_for "Register / update household"

    keys 2
    wait_for "Head's CNIC"
    type_text "$cnic"
    keys Enter
    wait_for "This household is already registered here"
    assert_screen "$first"
    assert_screen "Muhammad Ali" # earlier answers loaded
    keys F2
    wait_for "People in the household: 3"
    # Edit Fatima (row 2) in place: a corrected date of birth.
    keys Down Enter
    wait_for "Relation to head"
    assert_screen "Fatima Bibi"
    keys Down Down Down C-u
    type_text 02021986
    keys F2
    wait_for "People in the household: 3"
    # Remove Ahmed (row 3), after saying no once.
    keys Down d
    wait_for "Remove this member from the household?"
    keys 2
    assert_screen "Ahmed"
    keys d
    wait_for "Remove this member from the household?"
    keys 1
    wait_for "People in the household: 2"
    refute_screen "Ahmed"
    # The head cannot be removed.
    keys Home d
    wait_for "The head of household cannot be removed."
    # A newborn, by age only.
    keys a
    type_text "Zara"
    keys Enter 3 2 Enter
    type_text 0
    keys Enter Enter
    wait_for "People in the household: 3"
    keys F2
    wait_for "Number of rooms"
    keys F2
    wait_for "Check and confirm"
    assert_screen "born 02-02-1986"
    assert_screen "Zara - Daughter"
    refute_screen "Ahmed"
    keys Enter 1
    wait_for "Your tracking ID"
    local second
    second=$(screen_text | grep -oE 'Tracking ID: [0-9-]+' | head -1 | cut -d' ' -f3)
    [ -n "$second" ] && [ "$second" != "$first" ] || fail "no new tracking ID for the update"
    stop_kiosk

    # The CNIC now answers with the update; both are versions of one record.
    out=$("$KIOSK" status "$cnic" --db "$DB" --config "$CONF")
    [[ "$out" == *"$second"* ]] || fail "status by CNIC does not show the update: $out"
    read -r versions uuids linked < <(sqlite3 -separator ' ' "$DB" \
        "SELECT group_concat(record_version, ','), count(DISTINCT record_uuid),
                sum(supersedes = (SELECT id FROM registrations WHERE tracking_id = '${first//-/}'))
           FROM registrations WHERE cnic = '$cnic'")
    [ "$versions" = "1,2" ] && [ "$uuids" = 1 ] && [ "$linked" = 1 ] ||
        fail "update not stored as version 2 of the same record (versions=$versions uuids=$uuids linked=$linked)"
}

run_case 80 24 3520212345671
run_case 132 43 4220112345671
echo "PASS $TEST_NAME"

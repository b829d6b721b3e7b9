#!/usr/bin/env bash
# A household registered here comes back to the counter to update its
# roster. The clerk finds it by tracking ID ("5 Update a registration"):
# the survey starts from the earlier answers, a member is edited in place,
# another removed, a newborn added, and the update is stored as version 2
# of the same record (same record UUID, superseding the first) with a new
# tracking ID. Found again by CNIC (through Register, as a clerk), it
# starts from version 2 and becomes version 3. At an applicant's kiosk the
# same CNIC is refused and nothing of the household is shown.
. "$(dirname "$0")/lib.sh"

# f2_to_review: F2 through every page (each keeps its answers) to the review.
f2_to_review() {
    local n=0
    while [ "$(screen_state)" != "Check your answers" ]; do
        n=$((n + 1))
        [ "$n" -lt 20 ] || fail "F2 does not reach the review"
        after_keys F2
        [ -z "$(screen_message)" ] || fail "refused: $(screen_message)"
    done
}

# answer_of REGISTRATION MEMBER QUESTION
answer_of() {
    sql "SELECT value FROM registration_answers r JOIN registrations g ON g.id = r.registration_id
          WHERE g.tracking_id = '${1//-/}' AND r.member = $2 AND r.question = '$3'"
}

run_case() {
    CASE="$1x$2"
    local cnic=$3
    DB="$WORK/$1x$2.db"
    write_config mode=clerk
    make_accounts
    start_kiosk "$1" "$2"
    clerk_login clerk1 135790
    register_household "$cnic" "Muhammad Ali"
    local first=$TID
    keys Enter
    wait_for "Register household"

    # By tracking ID: the earlier answers are all there.
    keys 5
    wait_for "CNIC or tracking ID:"
    type_text 6110112345678
    keys Enter
    wait_for "No registration here has this number."
    keys C-u
    type_text "${first//-/}"
    keys Enter
    wait_state "About this registration > Why have you come today?"
    wait_row "${Q_LABEL[case_type]}" "Not surveyed at home"
    wait_row "${Q_LABEL[phone]}" "03001234567"
    choose "Change in family members"
    after_keys F2
    wait_state "Address > Province or region"
    wait_row "${Q_LABEL[locality]}" "Block C, Johar Town"
    after_keys F2
    wait_state "Household members (3)"
    assert_screen "Muhammad Ali"
    assert_screen "Fatima Bibi"
    assert_screen "Ahmed"
    # Fatima (row 2): her age corrected in place.
    keys Home Down
    after_keys Enter
    wait_state "Household member / Member 2: Fatima Bibi > Full name"
    focus_on age
    wait_row "${Q_LABEL[age]}" 38
    answer 39
    after_keys F2
    wait_state "Education and work / Member 2: Fatima Bibi > Can read and write a short letter?"
    after_keys F2
    after_keys F2
    wait_state "Household members (3)"
    # Ahmed (row 3) has moved out: removed, after saying no once.
    keys Home Down Down d
    wait_for "Remove this member from the household?"
    keys 2
    wait_gone "Remove this member from the household?"
    assert_screen "Ahmed"
    keys d
    wait_for "Remove this member from the household?"
    keys 1
    wait_state "Household members (2)"
    refute_screen "Ahmed"
    # The head cannot be removed.
    keys Home d
    wait_for "The head of household cannot be removed."
    # A newborn.
    add_member name=Zara relation=daughter gender=female age=0 disability=none
    f2_to_review
    save_registration
    local second=$TID
    [ "$second" != "$first" ] || fail "no new tracking ID for the update"
    keys Enter
    wait_for "Register household"

    # By CNIC, through Register: it starts from version 2.
    start_registration "$cnic"
    wait_state "About this registration > Why have you come today?"
    wait_row "${Q_LABEL[case_type]}" "Change in family members"
    after_keys F2
    after_keys F2
    wait_state "Household members (3)"
    assert_screen "Zara"
    refute_screen "Ahmed"
    f2_to_review
    save_registration
    local third=$TID
    keys Enter
    wait_for "Register household"
    stop_kiosk

    # The CNIC answers with the latest; all three are versions of one record.
    out=$("$KIOSK" status "$cnic" --db "$DB" --config "$CONF")
    [[ "$out" == *"$third"* ]] || fail "status by CNIC does not show the latest update: $out"
    read -r versions uuids < <(sql "SELECT group_concat(record_version, ','), count(DISTINCT record_uuid)
                                       FROM registrations WHERE cnic = '$cnic'" | tr '|' ' ')
    [ "$versions" = "1,2,3" ] && [ "$uuids" = 1 ] ||
        fail "updates not stored as versions of the same record (versions=$versions uuids=$uuids)"
    [ "$(sql "SELECT count(*) FROM registrations a JOIN registrations b ON b.supersedes = a.id
               WHERE a.cnic = '$cnic' AND b.record_version = a.record_version + 1")" = 2 ] ||
        fail "each update does not supersede the version before it"
    [ "$(answer_of "$first" -1 case_type)" = missed_in_survey ] || fail "version 1 was changed"
    [ "$(answer_of "$first" 1 age)" = 38 ] || fail "version 1 was changed"
    [ "$(answer_of "$second" -1 case_type)" = roster_update ] || fail "version 2 lacks the new case type"
    [ "$(answer_of "$second" 1 age)" = 39 ] || fail "version 2 lacks Fatima's corrected age"
    [ "$(answer_of "$second" 2 name)" = Zara ] || fail "version 2 lacks the newborn as member 3"
    [ "$(sql "SELECT member_count FROM registrations WHERE tracking_id = '${second//-/}'")" = 3 ] ||
        fail "version 2 does not have 3 members"
    [ "$(sql "SELECT count(*) FROM registration_answers r JOIN registrations g ON g.id = r.registration_id
               WHERE g.tracking_id = '${second//-/}' AND r.value = 'Ahmed'")" = 0 ] ||
        fail "the removed member is in version 2"
    [ "$(sql "SELECT count(*) FROM drafts")" = 0 ] || fail "an update draft was left"
}

run_case 80 24 3520212345671
run_case 132 43 4220112345671

# At an applicant's kiosk: refused with the reason, and nothing of the
# household shown.
CASE="applicant"
write_config mode=applicant
start_kiosk 80 24
refute_screen "Update a registration"
keys 2
wait_for "Head's CNIC"
type_text 4220112345671
keys Enter
wait_words "This household is already registered here. To change it, please ask the clerk at the counter."
assert_screen "Head's CNIC"
for secret in "Muhammad Ali" "Fatima" "Zara" "Lahore" "Change in family members"; do
    refute_screen "$secret"
done
stop_kiosk
[ "$(sql "SELECT count(*) FROM drafts")" = 0 ] || fail "the refused applicant got a draft"
echo "PASS $TEST_NAME"

#!/usr/bin/env bash
# Esc from the middle of the roster, page by page back to the home screen,
# and back again loses nothing: every answer was put in the draft the
# moment it was given, so the address, the head, a finished member and a
# member left half done are all there when the applicant comes back (and
# in the database while away). From the review, Enter on an answer opens
# its page and leaving it comes back to the review, the rest unchanged.
# The busiest footer keeps every button, the language one too, in both
# languages.
. "$(dirname "$0")/lib.sh"

CNIC=3740512345673

run_case() {
    CASE="$1x$2"
    DB="$WORK/$1x$2.db"
    start_kiosk "$1" "$2"
    start_registration "$CNIC"
    survey case_type=disaster phone=03451234567 province=3 district=d3lhr tehsil=t3lhr_city \
        union_council=u3lhr_city4 "locality=Street 12, Ichhra" urban_rural=urban
    edit_head "name=Zainab Khatoon" age=51 marital_status=widowed literate=yes highest_class=5 \
        employment_status=housework disability=none
    add_member name=Bilal relation=son gender=male age=12 marital_status=never_married \
        literate=yes attends_school=yes highest_class=6 employment_status=student disability=none
    wait_for "Bilal"
    assert_screen "F9 Language"
    keys F9
    wait_for "F9 $(translated ur_Latn "Language")"
    assert_screen "$(translated ur_Latn "Household members")"
    assert_screen "$(translated ur_Latn "Add member")"
    assert_screen "$(translated ur_Latn "Remove")"
    keys F9 # Roman Urdu -> Urdu -> English
    wait_gone "$(translated ur_Latn "Household members")"
    keys F9
    wait_for "F9 Language"

    # A second member, left after her name and relation.
    after_keys a
    answer "Ayesha Bi"
    choose Daughter
    wait_state "Household member / Member 3: Ayesha Bi > Gender"
    keys Escape
    wait_state "Household members (3)"
    assert_screen "Ayesha Bi"
    keys Escape
    wait_state "Address > Province or region"
    assert_screen "Lahore City"
    assert_screen "Ichhra"
    assert_screen "Street 12, Ichhra"
    keys Escape
    wait_state "About this registration > Why have you come today?"
    assert_screen "Affected by a disaster"
    assert_screen "03451234567"
    keys Escape
    wait_for "Head's CNIC"
    assert_screen "37405-1234567-3"
    keys Escape
    wait_for "A registration is open: press 2 to continue it."
    # Away, it is all in the draft.
    [ "$(sql "SELECT count(*) FROM draft_answers WHERE value IN ('Zainab Khatoon', 'Bilal', 'Ayesha Bi', 'daughter')")" = 4 ] ||
        fail "the answers are not in the draft"

    # Back the way a person would: Register, the CNIC is there, Enter, F2.
    keys 2
    wait_for "Head's CNIC"
    assert_screen "37405-1234567-3"
    keys Enter
    wait_state "About this registration > Why have you come today?"
    assert_screen "Affected by a disaster"
    after_keys F2
    wait_state "Address > Province or region"
    assert_screen "Street 12, Ichhra"
    after_keys F2
    wait_state "Household members (3)"
    assert_screen "Zainab Khatoon"
    assert_screen "Bilal"
    keys End
    after_keys Enter
    wait_state "Household member / Member 3: Ayesha Bi > Full name"
    assert_screen "Daughter"
    survey gender=female age=9 literate=yes attends_school=yes highest_class=3 disability=none
    roster_done
    survey "${HOUSE[@]}"

    # From the review, Enter on an answer opens its page; leaving the page
    # comes back to the review, with everything else as it was.
    wait_state "Check your answers"
    review_select "${Q_LABEL[locality]}: Street 12, Ichhra"
    after_keys Enter
    wait_state "Address > Province or region"
    focus_on locality
    answer "Street 14, Ichhra"
    keys F2
    wait_state "Check your answers"
    assert_screen "${Q_LABEL[locality]}: Street 14, Ichhra"
    assert_screen "${Q_LABEL[tehsil]}: Lahore City"
    keys End # the last line: Ayesha's difficulty
    wait_for "Member 3: Ayesha Bi - Disability"
    after_keys Enter
    wait_state "Disability / Member 3: Ayesha Bi > Greatest difficulty, if any"
    choose Hearing
    choose "Some difficulty"
    wait_state "Check your answers"
    keys End
    wait_for "${Q_LABEL[disability_severity]}: Some difficulty"
    save_registration
    stop_kiosk
    [ "$(sql "SELECT group_concat(member || question || '=' || value, ' ') FROM registration_answers
               WHERE question IN ('locality', 'disability_severity')")" = "-1locality=Street 14, Ichhra 2disability_severity=some" ] ||
        fail "the changes made from the review were not stored"
}

run_case 80 24
run_case 132 43
echo "PASS $TEST_NAME"

#!/usr/bin/env bash
# A large rural household at the counter: twelve people over three
# generations (a grandmother, the head and his wife, grown sons, a
# daughter-in-law, school-age and small grandchildren, an infant, the
# head's brother), with disabilities of several kinds and severities,
# children in and out of school, workers with occupations, farm land and
# livestock, typed from the home screen to the receipt.
#
# The kiosk asks each member only what the questionnaire's skip rules
# show for them (the helpers fail on a question asked that has no answer
# here, or an answer here never asked), the clerk sees the provisional
# score marked PROVISIONAL, and SQLite holds the twelve members with
# exactly the answers given, the livestock, and a score row equal to what
# `nser-kiosk score` computes from the stored answers. At an applicant's
# kiosk the review has no score.
. "$(dirname "$0")/lib.sh"

CNIC=3630212345671 # Punjab; odd last digit: a man
TODAY=$(date +%Y-%m-%d)

HOUSEHOLD=(case_type=missed_in_survey phone=03017654321 province=3 district=d3mul
    tehsil=Shujabad "locality=Basti Maluk, Mauza Jalalpur" urban_rural=rural)
HOUSE=(tenure=owned rooms=3 wall_material=mud_brick roof_material=girder_wood
    toilet=dry_pit water_source=hand_pump cooking_fuel=dung_crop lighting=solar
    fridge=no air_conditioner=no air_cooler=no geyser=no washing_machine=no
    cooking_range=no tv=no computer=no motorcycle=yes car_tractor=no
    owns_land=yes land_acres=3.25
    buffaloes=2 cows=3 bullocks=2 goats=6 sheep=4 camels=0 poultry=15
    remittances=yes pension=no)

# The members, in the order they are added. The head's relation, CNIC and
# gender come from the CNIC typed first.
M[0]="name=Allah Ditta|dob=$(date -d "$TODAY -55 years -40 days" +%Y-%m-%d)|age=55|marital_status=married|literate=no|highest_class=0|employment_status=self_employed|occupation=agriculture|disability=none"
M[1]="name=Rasheedan Bibi|relation=spouse|gender=female|age=50|marital_status=married|id_number=3630212345682|literate=no|highest_class=0|employment_status=housework|disability=none"
M[2]="name=Hajran Bibi|relation=parent|gender=female|age=78|marital_status=widowed|id_number=3630298765432|literate=no|highest_class=0|employment_status=unable|disability=seeing|disability_severity=a_lot"
M[3]="name=Muhammad Aslam|relation=son|gender=male|age=30|marital_status=married|id_number=3630212345693|literate=yes|attends_school=no|highest_class=10|employment_status=employee|occupation=operator|disability=none"
M[4]="name=Nasreen Akhtar|relation=daughter_in_law|gender=female|age=26|marital_status=married|id_number=3630212345704|literate=yes|attends_school=no|highest_class=8|employment_status=housework|disability=none"
M[5]="name=Ali Raza|relation=grandchild|gender=male|age=6|id_number=3630212345715|literate=yes|attends_school=yes|highest_class=0|disability=none"
M[6]="name=Zainab|relation=grandchild|gender=female|age=3|attends_school=no|disability=none"
M[7]="name=Hamza|relation=grandchild|gender=male|age=0|disability=none"
M[8]="name=Muhammad Akram|relation=son|gender=male|age=17|marital_status=never_married|id_number=3630212345737|literate=yes|attends_school=yes|highest_class=10|employment_status=student|disability=none"
M[9]="name=Kaneez Fatima|relation=daughter|gender=female|age=14|marital_status=never_married|literate=yes|attends_school=no|highest_class=5|employment_status=housework|disability=hearing|disability_severity=some"
M[10]="name=Bilal|relation=son|gender=male|age=11|marital_status=never_married|literate=no|attends_school=no|highest_class=0|employment_status=unpaid_family|occupation=agriculture|disability=walking|disability_severity=cannot"
M[11]="name=Khadim Hussain|relation=sibling|gender=male|age=48|marital_status=never_married|id_number=3630212345759|literate=no|highest_class=0|employment_status=unable|disability=remembering|disability_severity=a_lot"

facts() { # facts I: member I's answers as ID=VALUE words
    local IFS='|'
    read -ra FACTS <<<"${M[$1]}"
}

register_twelve() {
    start_registration "$CNIC"
    survey "${HOUSEHOLD[@]}"
    facts 0
    edit_head "${FACTS[@]}"
    wait_for "Allah Ditta"
    for i in {1..11}; do
        facts "$i"
        add_member "${FACTS[@]}"
        wait_for "${FACTS[0]#name=}"
    done
    [ "$(roster_count)" = 12 ] || fail "the roster does not count 12"
    roster_done
    survey "${HOUSE[@]}"
    wait_for "Check your answers"
}

CASE="clerk, 80x24"
write_config mode=clerk
make_accounts
start_kiosk 80 24
clerk_login clerk1 135790
register_twelve
# The review reads every member back, the last at the end.
keys End
wait_for "Member 12: Khadim Hussain - Disability"
assert_screen "How much difficulty?: A lot of difficulty"
keys Home
wait_for "About this registration"
# The clerk's provisional score, indicator by indicator.
keys F5
wait_for "Provisional score (clerk only)"
assert_words "PROVISIONAL: the central registry decides eligibility"
assert_screen "Score table: schreiner-pk-2009, version 1"
assert_screen "Household members aged 13 or younger"
shown_total=$(screen_text | grep -oE 'Total \(provisional\): [0-9.]+' | awk '{print $3}')
[ -n "$shown_total" ] || fail "no provisional total on the score page"
assert_screen "BISP cash transfer"
keys Escape
wait_for "Check your answers"
save_registration
keys Enter
wait_for "Register household"
stop_kiosk

CASE="stored"
reg=$(sql "SELECT id FROM registrations WHERE tracking_id = '${TID//-/}'")
[ -n "$reg" ] || fail "no registration for $TID"
[ "$(sql "SELECT member_count FROM registrations WHERE id = $reg")" = 12 ] || fail "member_count is not 12"
[ "$(sql "SELECT count(DISTINCT member) FROM registration_answers WHERE registration_id = $reg AND member >= 0")" = 12 ] ||
    fail "not 12 members' answers stored"
# Each member exactly as given (nothing a skip rule hid, nothing lost).
assert_stored() { # assert_stored MEMBER ID=VALUE...
    local m=$1 want got
    shift
    want=$(printf '%s\n' "$@" | sort)
    got=$(sql "SELECT question || '=' || value FROM registration_answers
                WHERE registration_id = $reg AND member = $m" | sort)
    if [ "$want" != "$got" ]; then
        diff <(echo "$want") <(echo "$got") >&2 || true
        fail "member $m: what is stored differs from what was typed (< typed, > stored)"
    fi
}
facts 0
assert_stored 0 "${FACTS[@]}" relation=head gender=male id_number=$CNIC
for i in {1..11}; do
    facts "$i"
    assert_stored "$i" "${FACTS[@]}"
done
# The household: the address (a tehsil not in the list, as typed), the
# house, the land and every animal.
assert_stored -1 "${HOUSEHOLD[@]}" "${HOUSE[@]}"
for animal in buffaloes=2 cows=3 bullocks=2 goats=6 sheep=4 camels=0 poultry=15; do
    [ "$(sql "SELECT value FROM registration_answers WHERE registration_id = $reg
               AND member = -1 AND question = '${animal%=*}'")" = "${animal#*=}" ] ||
        fail "livestock: ${animal%=*} not stored as ${animal#*=}"
done

# The stored score is the one `nser-kiosk score` computes from the stored
# answers (the same table, the same points for each indicator).
read -r score table <<<"$(sql "SELECT score, table_id FROM scores WHERE registration_id = $reg" | tr '|' ' ')"
[ "$table" = schreiner-pk-2009 ] || fail "no score row for the registration"
awk -v a="$score" -v b="$shown_total" 'BEGIN { exit !(a == b) }' ||
    fail "the clerk was shown $shown_total, but $score was stored"
sqlite3 -json "$DB" "SELECT member, question, value FROM registration_answers
                      WHERE registration_id = $reg" |
    jq '{household: (map(select(.member == -1)) | map({(.question): .value}) | add),
         members: (map(select(.member >= 0)) | group_by(.member)
                   | map(map({(.question): .value}) | add))}' >"$WORK/answers.json"
set +e
(cd "$WORK" && "$KIOSK" score --json --today "$TODAY" answers.json) >"$WORK/score.json"
rc=$?
set -e
[ "$rc" = 0 ] || fail "nser-kiosk score could not score the stored answers (exit $rc)"
[ "$(jq -r '.score' "$WORK/score.json")" = "${score%.0}" ] ||
    fail "stored score $score, but nser-kiosk score says $(jq -r '.score' "$WORK/score.json")"
want=$(jq -r '.indicators[] | "\(.id)\t\(.answer)\t\(.points)"' "$WORK/score.json")
got=$(sql "SELECT breakdown FROM scores WHERE registration_id = $reg")
[ "$want" = "$got" ] || fail "stored breakdown differs from nser-kiosk score: $got"

# An applicant's kiosk: the same review, but no score and no F5.
CASE="applicant"
DB="$WORK/applicant.db"
write_config mode=applicant
start_kiosk 80 24
start_registration 3520212345671
survey "${ADDRESS[@]}"
edit_head "name=Muhammad Ali" age=46 marital_status=married literate=yes highest_class=10 \
    employment_status=self_employed occupation=craft disability=none
roster_done
survey "${HOUSE[@]}"
wait_for "Check your answers"
refute_screen "F5"
refute_screen "Score"
keys F5 F2 # F5 is nothing here: F2 after it still opens the save question
wait_for "Yes, save"
refute_screen "Provisional"
keys 2
wait_gone "Yes, save"
stop_kiosk
echo "PASS $TEST_NAME"

#!/usr/bin/env bash
# The questionnaire's skip rules and checks, as a person meets them on
# screen. Questions come and go with the answers before them: an
# occupation only for someone who works, school questions only from 3 to
# 30, literacy and class from 5, marital status from 10, the severity only
# with a difficulty, the acres only with land; an answer that shows a
# question moves the cursor to it. Answers that contradict each other are
# refused with the questionnaire file's own message (in the language on
# screen) and the page stays: a head under 18, a son older than the head,
# a husband "never married", a class too high for the age, rooms that do
# not fit the household, land of 0 acres. A required question left empty,
# a number out of range and an unfinished member are refused too. What a
# skip rule hid at the end is not stored.
. "$(dirname "$0")/lib.sh"

CNIC=3740512345672 # even last digit: the head is a woman

# shown QUESTION-ID...: the page shows exactly these questions, in order.
shown() {
    local want="" id
    for id in "$@"; do want+="${Q_LABEL[$id]}"$'\n'; done
    [ "$(shown_questions)" = "${want%$'\n'}" ] ||
        fail "page shows [$(shown_questions | paste -sd '|')], expected [$(printf '%s\n' "$@" | paste -sd '|')]"
}

# refused MESSAGE: the kiosk says MESSAGE and stays on the page.
refused() {
    local page
    page=$(screen_fields | cut -d$'\037' -f1)
    wait_words "$1"
    [ "$(screen_fields | cut -d$'\037' -f1)" = "$page" ] || fail "left the page after: $1"
}

CASE="members"
start_kiosk 80 24
start_registration "$CNIC"
survey "${ADDRESS[@]}"

# The head must be 18 or older; marital status is asked from 10.
keys Home
after_keys Enter
answer "Rukhsana Bibi"
skip # relation: the head, from the CNIC
skip # gender: from the CNIC
skip # date of birth
shown name relation gender dob age id_number
answer 17
wait_state "Household member / Member 1: Rukhsana Bibi > Marital status"
shown name relation gender dob age marital_status id_number
choose Married
skip # the CNIC: the last question, so the page is checked
refused "The head of household must be 18 or older."
focus_on age
answer 45
keys F2
# At 45: no school question; the occupation comes with paid work.
wait_state "Education and work / Member 1: Rukhsana Bibi > Can read and write a short letter?"
shown literate highest_class employment_status
survey --page literate=yes highest_class=12 employment_status=employee occupation=professional
wait_state "Disability / Member 1: Rukhsana Bibi > Greatest difficulty, if any"
shown disability
choose "No difficulty"
wait_state "Household members (1)"

# A son older than the head: refused with the file's message, in English
# and in Roman Urdu.
after_keys a
survey --page name=Tariq relation=son gender=male age=50 marital_status=never_married
refused "A son, daughter or grandchild must be younger than the head."
keys F9
wait_for "$(translated ur_Latn "Language")"
keys F2
wait_words "Beta, beti, pota ya nawasa umar mein sarbarah se chhote hone chahiye."
keys F9 # Roman Urdu -> Urdu -> English
wait_gone "$(translated ur_Latn "Language")"
keys F9
wait_focus id_number
focus_on age
answer 20
keys F2
# At 20: at school; a student has no occupation.
wait_state "Education and work / Member 2: Tariq > Can read and write a short letter?"
shown literate attends_school highest_class employment_status
survey --page literate=yes attends_school=yes highest_class=12 employment_status=student
wait_state "Disability / Member 2: Tariq > Greatest difficulty, if any"
# Back: he works after all (the occupation comes, the cursor on it), then
# he is looking for work (it goes, with the answer given to it).
keys Escape
wait_state "Education and work / Member 2: Tariq > Can read and write a short letter?"
focus_on employment_status
choose "Paid employee"
wait_state "Education and work / Member 2: Tariq > What kind of work?"
shown literate attends_school highest_class employment_status occupation
choose "Technician or assistant"
wait_state "Disability / Member 2: Tariq > Greatest difficulty, if any"
keys Escape
wait_state "Education and work / Member 2: Tariq > Can read and write a short letter?"
shown literate attends_school highest_class employment_status occupation
focus_on employment_status
choose "Looking for work"
# (It should move on by itself, as the last case checks; F2 if it did not.)
[ "$(screen_state)" = "Disability / Member 2: Tariq > Greatest difficulty, if any" ] || keys F2
wait_state "Disability / Member 2: Tariq > Greatest difficulty, if any"
keys Escape
wait_state "Education and work / Member 2: Tariq > Can read and write a short letter?"
shown literate attends_school highest_class employment_status
keys F2
# The severity only with a difficulty.
wait_state "Disability / Member 2: Tariq > Greatest difficulty, if any"
choose Hearing
wait_state "Disability / Member 2: Tariq > How much difficulty?"
shown disability disability_severity
choose "Some difficulty"
wait_state "Household members (2)"

# A child of 2: no marital status, no education page at all.
after_keys a
survey --page "name=Amna" relation=daughter gender=female age=2
wait_state "Disability / Member 3: Amna > Greatest difficulty, if any"
survey disability=seeing disability_severity=a_lot
wait_state "Household members (3)"

# At 3: only whether she goes to school (katchi); literacy and class from 5.
after_keys a
survey --page name=Sana relation=daughter gender=female age=3
wait_state "Education and work / Member 4: Sana > Studying now (school, college, madrasa)?"
shown attends_school
survey attends_school=no disability=none

# A boy of 7 with class 10: too high for his age.
after_keys a
survey --page name=Ahmed relation=son gender=male age=7
wait_state "Education and work / Member 5: Ahmed > Can read and write a short letter?"
shown literate attends_school highest_class
choose "No"
choose "Yes"
answer 10
refused "This class is too high for this age. Please check the class and the age."
focus_on highest_class
answer 1
survey disability=none

# A husband "never married" is refused; at 31 there is no school question.
after_keys a
survey --page "name=Shahid Mehmood" relation=spouse gender=male age=31 \
    marital_status=never_married id_number=3740512345683
refused 'A wife or husband cannot be "never married".'
focus_on marital_status
choose Married
keys F2
wait_state "Education and work / Member 6: Shahid Mehmood > Can read and write a short letter?"
shown literate highest_class employment_status
survey literate=yes highest_class=10 employment_status=self_employed occupation=service_sales \
    disability=none
wait_state "Household members (6)"

# The roster does not go on while a member is unfinished; removed, it does.
after_keys a
answer "Someone Unfinished"
keys Escape
wait_state "Household members (7)"
keys F2
wait_words "Member 7 (Someone Unfinished) is not finished: Please answer this question."
keys End d
wait_for "Remove this member from the household?"
keys 1
wait_state "Household members (6)"
roster_done

CASE="household"
# A required question left empty: F2 is refused, the cursor stays on it.
wait_state "The house > Who owns this house?"
keys F2
refused "Please answer this question."
screen_text | grep -q "^! Who owns this house?" || fail "the unanswered question is not marked"
choose "Owned by the household"
answer 0
refused "Please type a number in the range 1-50."
wait_focus rooms
answer 40 # in range, but 6 people do not live in 40 rooms
choose "Burnt bricks or blocks"
choose "Concrete (RCC/RBC)"
refused "This many rooms does not fit this household. Please check the number of rooms."
focus_on rooms
answer 3
keys F2
wait_state "Toilet, water and fuel > What toilet does the household use?"
survey --page toilet=flush_sewer water_source=tap cooking_fuel=gas_pipe lighting=electricity
survey --page fridge=yes air_conditioner=no air_cooler=yes geyser=yes washing_machine=yes
survey --page cooking_range=yes tv=yes computer=no motorcycle=yes car_tractor=no

# The acres only with land, and more than 0.
wait_state "Agricultural land > Does the household own farm land?"
shown owns_land
choose No
wait_state "Animals the household owns > How many buffaloes?"
keys Escape
wait_state "Agricultural land > Does the household own farm land?"
shown owns_land
choose Yes
wait_state "Agricultural land > How many acres?"
shown owns_land land_acres
answer 0
refused "If the household owns land, the acres must be more than 0."
answer 2.5
survey buffaloes=0 cows=1 bullocks=0 goats=0 sheep=0 camels=0 poultry=0 remittances=no pension=no
save_registration
stop_kiosk

CASE="stored"
reg=$(sql "SELECT max(id) FROM registrations")
stored() { # stored MEMBER: that member's questions, comma-separated
    sql "SELECT group_concat(question, ',') FROM (SELECT question FROM registration_answers
          WHERE registration_id = $reg AND member = $1 ORDER BY question)"
}
value() { # value MEMBER QUESTION
    sql "SELECT value FROM registration_answers WHERE registration_id = $reg
          AND member = $1 AND question = '$2'"
}
[ "$(value 1 employment_status)" = unemployed ] || fail "Tariq's last answer was not stored"
[ -z "$(value 1 occupation)" ] || fail "Tariq's occupation was stored though hidden"
[ "$(stored 2)" = "age,disability,disability_severity,gender,name,relation" ] ||
    fail "Amna (2) has answers a skip rule hides: $(stored 2)"
[ "$(stored 3)" = "age,attends_school,disability,gender,name,relation" ] ||
    fail "Sana (3) has answers a skip rule hides: $(stored 3)"
[ "$(value 4 highest_class)" = 1 ] || fail "Ahmed's corrected class not stored"
[ "$(value -1 rooms)" = 3 ] && [ "$(value -1 land_acres)" = 2.5 ] || fail "rooms or acres not stored"
[ "$(sql "SELECT member_count FROM registrations WHERE id = $reg")" = 6 ] || fail "the removed member was stored"
# An answer that hides the question after it moves on like any other:
# here it was the page's last question, so the page is done.
CASE="an answer hiding the next question moves on"
start_kiosk 80 24
start_registration 3740598765431
survey "${ADDRESS[@]}"
edit_head "name=Nadeem Abbas" age=40 marital_status=married literate=yes highest_class=10 \
    employment_status=employee occupation=craft disability=none
roster_done
survey --page tenure=owned rooms=2 wall_material=burnt_brick roof_material=rcc
survey --page toilet=flush_sewer water_source=tap cooking_fuel=gas_pipe lighting=electricity
survey --page fridge=yes air_conditioner=no air_cooler=yes geyser=yes washing_machine=yes
survey --page cooking_range=yes tv=yes computer=no motorcycle=yes car_tractor=no
survey --page owns_land=yes land_acres=2
wait_state "Animals the household owns > How many buffaloes?"
keys Escape
wait_state "Agricultural land > Does the household own farm land?"
choose No
wait_state "Animals the household owns > How many buffaloes?"
stop_kiosk
echo "PASS $TEST_NAME"

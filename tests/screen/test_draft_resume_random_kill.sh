#!/usr/bin/env bash
# Draft durability: a registration killed with SIGKILL at random points
# (right after an answer was taken, or in the middle of typing a text
# answer), restarted, resumed by the same CNIC and completed, is stored
# exactly as the same keys typed without a break would store it.
#
# The registration is a list of atomic steps, each one answer or one
# navigation key, with where the kiosk must be after it. One run without a
# break gives the reference record; then, for each kill point, a run on a
# fresh database goes up to the point, kill -9, restart, CNIC, "1 Continue":
# the kiosk must be back on the same page at the same question with the
# same draft number, and the remaining steps (from the interrupted one)
# must end in the same record. After the receipt no draft is left.
#
# The kill points are random: SEED=N replays a run (the seed is printed);
# KILL_POINTS chooses them (see below).
. "$(dirname "$0")/lib.sh"

SEED=${SEED:-$(date +%s)}
RANDOM=$SEED
echo "$TEST_NAME: seed $SEED (replay: SEED=$SEED bash $0)"

CNIC=3520112345671
# The head's date of birth makes him 50 today (the kiosk checks the two agree).
HEAD_DOB=$(date -d "$(date +%Y-%m-%d) -50 years -3 days" +%d%m%Y)

# action                              | where the kiosk is after it ("> Q": same page, question Q)
STEPS_TABLE="
choose Not surveyed at home           | About this registration > Mobile number (if any)
answer 03214567890                    | Address > Province or region
choose Punjab                         | > District
search lahore 1                       | > Tehsil
choose Raiwind                        | > Union council (if known)
key Enter                             | > Village, mohalla or street
text Gali 4, Rehmanpura               | > Is this a city or a village area?
choose Village (rural)                | Household members (1)
key Enter                             | Household member / Member 1: (new member) > Full name
text Ghulam Rasool                    | Household member / Member 1: Ghulam Rasool > Relation to the head of household
key Enter                             | > Gender
key Enter                             | > Date of birth (if known)
answer $HEAD_DOB                      | > Age in full years
answer 50                             | > Marital status
choose Married                        | > CNIC or B-form number
key Enter                             | Education and work / Member 1: Ghulam Rasool > Can read and write a short letter?
choose Yes                            | > Highest class passed (0 = none)
answer 8                              | > Main activity last month
choose Paid employee                  | > What kind of work?
choose Labour (daily wage, helper)    | Disability / Member 1: Ghulam Rasool > Greatest difficulty, if any
choose No difficulty                  | Household members (1)
key a                                 | Household member / Member 2: (new member) > Full name
text Shamim Akhtar                    | Household member / Member 2: Shamim Akhtar > Relation to the head of household
choose Wife or husband                | > Gender
choose Female                         | > Date of birth (if known)
key Enter                             | > Age in full years
answer 45                             | > Marital status
choose Married                        | > CNIC or B-form number
answer 3520112345682                  | Education and work / Member 2: Shamim Akhtar > Can read and write a short letter?
choose No                             | > Highest class passed (0 = none)
answer 0                              | > Main activity last month
choose Housework                      | Disability / Member 2: Shamim Akhtar > Greatest difficulty, if any
choose Seeing                         | > How much difficulty?
choose Some difficulty                | Household members (2)
key a                                 | Household member / Member 3: (new member) > Full name
text Imran                            | Household member / Member 3: Imran > Relation to the head of household
choose Son                            | > Gender
choose Male                           | > Date of birth (if known)
key Enter                             | > Age in full years
answer 12                             | > Marital status
choose Never married                  | > CNIC or B-form number
key Enter                             | Education and work / Member 3: Imran > Can read and write a short letter?
choose Yes                            | > Studying now (school, college, madrasa)?
choose Yes                            | > Highest class passed (0 = none)
answer 5                              | > Main activity last month
choose Student                        | Disability / Member 3: Imran > Greatest difficulty, if any
choose No difficulty                  | Household members (3)
key a                                 | Household member / Member 4: (new member) > Full name
text Bashiran Bibi                    | Household member / Member 4: Bashiran Bibi > Relation to the head of household
choose Mother or father               | > Gender
choose Female                         | > Date of birth (if known)
key Enter                             | > Age in full years
answer 72                             | > Marital status
choose Widow or widower               | > CNIC or B-form number
key Enter                             | Education and work / Member 4: Bashiran Bibi > Can read and write a short letter?
choose No                             | > Highest class passed (0 = none)
answer 0                              | > Main activity last month
choose Cannot work (illness, age)     | Disability / Member 4: Bashiran Bibi > Greatest difficulty, if any
choose Walking or climbing steps      | > How much difficulty?
choose Cannot do it at all            | Household members (4)
key F2                                | The house > Who owns this house?
choose Rented                         | > How many rooms?
answer 2                              | > What are the outer walls made of?
choose Mud bricks or mud              | > What is the roof made of?
choose Iron or cement sheets          | Toilet, water and fuel > What toilet does the household use?
choose No toilet (open field)         | > Main source of drinking water
choose Hand pump                      | > Main fuel for cooking
choose Wood                           | > Main source of light at home
choose Electricity connection         | Does the household own these? (1 of 2) > Refrigerator or freezer
choose No                             | > Air conditioner (AC)
choose No                             | > Air cooler (room cooler)
choose Yes                            | > Geyser (water heater)
choose No                             | > Washing machine
choose No                             | Does the household own these? (2 of 2) > Cooking range or microwave
choose No                             | > Television
choose Yes                            | > Computer or laptop
choose No                             | > Motorcycle or scooter
choose Yes                            | > Car, van or tractor
choose No                             | Agricultural land > Does the household own farm land?
key Escape                            | Does the household own these? (2 of 2) > Cooking range or microwave
key F2                                | Agricultural land > Does the household own farm land?
choose Yes                            | > How many acres?
answer 1.5                            | Animals the household owns > How many buffaloes?
answer 1                              | > How many cows?
answer 2                              | > How many bullocks or oxen?
answer 0                              | > How many goats?
answer 4                              | > How many sheep?
answer 0                              | > How many camels?
answer 0                              | > How many chickens or other poultry?
answer 12                             | Other income > Does family living elsewhere send money?
choose Yes                            | > Does anyone get a pension?
choose No                             | Check your answers
save                                  | Registration saved
"
FIRST_STATE="About this registration > Why have you come today?"

STEP=() WHERE=()
page=""
while IFS='|' read -r action where; do
    action=${action%"${action##*[! ]}"}
    where=${where#"${where%%[! ]*}"}
    [ -n "$action" ] || continue
    [[ "$where" != "> "* ]] || where="$page $where"
    page=${where%% > *}
    STEP+=("$action")
    WHERE+=("$where")
done <<<"$STEPS_TABLE"
N=${#STEP[@]}

# step I (0-based): do it and check where the kiosk is.
step() {
    local a=${STEP[$1]}
    CASE="${RUN_NAME}, step $(($1 + 1))/$N: $a"
    case $a in
    "answer "* | "text "*) answer "${a#* }" ;;
    "choose "*) choose "${a#choose }" ;;
    "search "*)
        local args=${a#search }
        search "${args% *}" "${args##* }"
        ;;
    "key "*) after_keys "${a#key }" ;;
    save)
        save_registration
        return
        ;;
    *) fail "unknown step: $a" ;;
    esac
    wait_state "${WHERE[$1]}"
    [ -z "$(screen_message)" ] || fail "refused: $(screen_message)"
}

state_before() { # where the kiosk is before step I
    if [ "$1" -eq 0 ]; then echo "$FIRST_STATE"; else echo "${WHERE[$(($1 - 1))]}"; fi
}

# begin RUN-NAME: a fresh database, the kiosk, the head's CNIC; sets DRAFT.
begin() {
    RUN_NAME=$1
    CASE=$RUN_NAME
    DB="$WORK/$RUN_NAME.db"
    start_kiosk 80 24
    start_registration "$CNIC"
    wait_state "$FIRST_STATE"
    DRAFT=$(draft_number)
    [ -n "$DRAFT" ] || fail "no draft number on the first page"
}

# finish: the stored record must be the reference, no draft left behind.
finish() {
    CASE="$RUN_NAME, after the receipt"
    keys Enter
    wait_for "Register household"
    stop_kiosk
    [ "$(sql "SELECT (SELECT count(*) FROM drafts) + (SELECT count(*) FROM draft_members)
                   + (SELECT count(*) FROM draft_answers)")" = 0 ] ||
        fail "a draft is left after the receipt"
}

# ---- the reference: every step without a break
write_config mode=applicant
begin uninterrupted
for ((i = 0; i < N; i++)); do step "$i"; done
finish
REFERENCE=$(dump_registration)
[ "$(grep -c '^[0-9]|' <<<"$REFERENCE")" -ge 40 ] || fail "the reference record is too small"
grep -q '^score|' <<<"$REFERENCE" || fail "the reference record has no score"

# ---- the kill points: at least two of each kind, in random places
TEXT_STEPS=()
for ((i = 0; i < N; i++)); do [[ "${STEP[$i]}" != "text "* ]] || TEXT_STEPS+=("$i"); done
POINTS=()
for _ in 1 2; do
    POINTS+=("after:$((RANDOM % (N - 1)))") # not after the save
    POINTS+=("typing:${TEXT_STEPS[$((RANDOM % ${#TEXT_STEPS[@]}))]}")
done
# And always, last: right after Enter passed the head's relation. It is
# locked (it comes from the CNIC), so no answer is stored there and the
# resume point must be saved on its own.
for ((i = 0; i < N; i++)); do
    if [ "${STEP[$i]}" = "key Enter" ] && [[ "${WHERE[$i]}" == "Household member / Member 1: "*" > Gender" ]]; then
        POINTS+=("after:$i")
    fi
done
# KILL_POINTS="after:12 typing:9" (0-based steps) replays chosen points;
# KILL_POINTS=all tries every one (minutes, not for the suite).
if [ "${KILL_POINTS:-}" = all ]; then
    POINTS=()
    for ((i = 0; i < N - 1; i++)); do POINTS+=("after:$i"); done
    for i in "${TEXT_STEPS[@]}"; do POINTS+=("typing:$i"); done
elif [ -n "${KILL_POINTS:-}" ]; then
    read -ra POINTS <<<"$KILL_POINTS"
fi

# A point drawn twice (the fixed one may also be drawn) runs once: each
# run's database is named after its point.
read -ra POINTS <<<"$(printf '%s\n' "${POINTS[@]}" | awk '!seen[$0]++' | tr '\n' ' ')"
for point in "${POINTS[@]}"; do
    kind=${point%%:*} k=${point#*:}
    begin "kill-$kind-step-$((k + 1))"
    echo "  kill -9 $kind step $((k + 1)) of $N (${STEP[$k]})"
    for ((i = 0; i < k; i++)); do step "$i"; done
    if [ "$kind" = after ]; then
        step "$k"
        resume_at=${WHERE[$k]}
        next=$((k + 1))
    else
        text=${STEP[$k]#text }
        half=${text:0:$(((${#text} + 1) / 2))}
        CASE="$RUN_NAME, typing '$half' of '$text'"
        type_text "$half"
        j=0
        until [ "$(focused_value)" = "${half%"${half##*[! ]}"}" ]; do
            j=$((j + 1))
            [ "$j" -lt 100 ] || fail "the half-typed '$half' never showed"
            sleep 0.05
        done
        resume_at=$(state_before "$k")
        next=$k
    fi
    kill_kiosk
    CASE="$RUN_NAME, restarted"

    start_kiosk 80 24
    keys 2
    wait_for "Head's CNIC"
    type_text "$CNIC"
    keys Enter
    wait_for "Saved answers found"
    assert_words "draft number $DRAFT."
    keys 1
    wait_state "$resume_at"
    shown=$(draft_number)
    [ -z "$shown" ] || [ "$shown" = "$DRAFT" ] || fail "draft $DRAFT came back as $shown"
    if [ "$kind" = typing ]; then
        [ -z "$(focused_value)" ] || fail "half-typed text was kept: $(screen_state)"
    fi
    for ((i = next; i < N; i++)); do step "$i"; done
    finish
    got=$(dump_registration)
    if [ "$got" != "$REFERENCE" ]; then
        diff <(echo "$REFERENCE") <(echo "$got") >&2 || true
        fail "the record after kill -9 differs from the uninterrupted one (seed $SEED)"
    fi
done
echo "PASS $TEST_NAME"

# lib.sh - helpers for screen tests: run the real nser-kiosk binary in a
# detached tmux at a fixed size, type keys, and assert on what the screen
# shows (never on internal state). Sourced by tests/screen/test_*.sh.
#
# Each test gets its own tmux server (-L), its own temp dir with a config
# and a database, and runs the ASan+UBSan binary; sanitizer reports go to
# files that stop_kiosk checks.
#
# Nothing here sleeps to let the kiosk catch up: the kiosk reads keys in
# order, so keys may be sent ahead, and every check waits for what the
# screen must come to show. The survey helpers (answer, choose, survey,
# add_member...) each wait until the kiosk has taken the answer: the page,
# the focused question or the message changed. They read the questions
# off the screen and look them up in data/questionnaire.txt, so a test
# names questions and options by the ids and codes that are stored.
#
# Must never: touch anything outside its temp dir, or leave a tmux server
# or a kiosk of its own running (the EXIT trap ends both).

set -Eeuo pipefail
# A command failing outside an assertion still says where.
# (Only under set -e: a test that says set +e is looking at exit statuses.)
trap '[[ $- == *e* ]] && fail "unexpected failure at ${BASH_SOURCE[0]##*/} line $LINENO: $BASH_COMMAND"' ERR

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
KIOSK=${KIOSK:-$ROOT/build/asan/nser-kiosk}
export NSER_LOCALEDIR=${NSER_LOCALEDIR:-$ROOT/build/asan/locale}
QUESTIONNAIRE=$ROOT/data/questionnaire.txt
PLACES=$ROOT/data/places.tsv
SOCK="nser-test-$$"
RUNS=0
WORK=$(mktemp -d /tmp/nser-screen.XXXXXX)
DB="$WORK/kiosk.db"
CONF="$WORK/kiosk.conf"
TEST_NAME=$(basename "$0" .sh)
CASE=""
MAIN_PID=$BASHPID
ROWS_NOW=24 # the window's height: the message rows are counted from it
TID=""

cleanup() {
    [ "$BASHPID" = "$MAIN_PID" ] || return 0 # not from a subshell
    # A kiosk still running (the test failed) is ended first, with -9: left
    # to the hangup of its terminal, an ASan build was seen to spin at exit
    # (LeakSanitizer waiting on its tracer) long after the test was gone.
    local pid
    for pid in $(pgrep -f -- "^$KIOSK --db $WORK/" || true); do
        kill -KILL "$pid" 2>/dev/null || true
    done
    tmux -L "$SOCK" kill-server 2>/dev/null || true
    if [ "${KEEP_WORK:-0}" = 1 ]; then echo "work dir kept: $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

fail() {
    trap - ERR
    echo "FAIL $TEST_NAME${CASE:+ [$CASE]}: $*" >&2
    echo "---- screen ----" >&2
    screen_text >&2 || true
    echo "----------------" >&2
    exit 1
}

# write_config KEY=VALUE...: a config for this test (the kiosk's defaults
# for every key not given; a long idle timeout unless the test says).
write_config() {
    {
        echo "kiosk_code = 04217"
        echo "centre_name = Test Centre"
        echo "log_file = $WORK/kiosk.log"
        echo "key_dir = $WORK/keys"
        local kv have_idle=0
        for kv in "$@"; do
            echo "${kv%%=*} = ${kv#*=}"
            [ "${kv%%=*}" != idle_timeout ] || have_idle=1
        done
        [ "$have_idle" = 1 ] || echo "idle_timeout = 600"
    } >"$CONF"
}

# start_kiosk COLS ROWS [args...]: the kiosk on $DB with $CONF in a fresh
# tmux, waiting for its first screen.
start_kiosk() {
    local cols=$1 rows=$2
    shift 2
    [ -f "$CONF" ] || write_config
    ROWS_NOW=$rows
    # A fresh tmux server per run: a killed one may still hold its socket.
    # The exit line starts at column 0: after kill -9 the cursor is wherever
    # curses left it, and a wrapped "[exited N]" would never match.
    RUNS=$((RUNS + 1))
    SOCK="nser-test-$$-$RUNS"
    # KIOSK_ENV: extra environment (the device tests' umockdev preload);
    # KIOSK_WRAP: a command the kiosk runs under (setpriv, as another user).
    # Under that preload ASan dies opening log_path at start, so there the
    # sanitizers write to stderr, kept in a file that check_sanitizers reads.
    local san="ASAN_OPTIONS=log_path=$WORK/asan:detect_leaks=1 UBSAN_OPTIONS=log_path=$WORK/ubsan:print_stacktrace=1"
    local errs=""
    if [ -n "${KIOSK_ENV:-}" ]; then
        san="ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1"
        errs="2>>$WORK/kiosk.stderr"
    fi
    tmux -L "$SOCK" -f /dev/null new-session -d -s k -x "$cols" -y "$rows" \
        "${KIOSK_WRAP:-} env ${KIOSK_ENV:-} $san \
         LANG=C.UTF-8 NSER_LOCALEDIR=$NSER_LOCALEDIR $KIOSK --db $DB --config $CONF $* $errs; \
         rc=\$?; printf '\\r\\n[exited %d]\\r\\n' \$rc; sleep 600"
    tmux -L "$SOCK" set-option -t k remain-on-exit on >/dev/null
    wait_for "Test Centre" 10
}

screen_text() {
    tmux -L "$SOCK" capture-pane -p -t k
}

# keys ARGS...: tmux send-keys (key names such as Enter, Escape, F2, BSpace).
keys() {
    tmux -L "$SOCK" send-keys -t k "$@"
}

# type_text TEXT: literal text, as a person types it.
type_text() {
    tmux -L "$SOCK" send-keys -t k -l "$1"
}

# click COL ROW (0-based): a left click as an xterm (X10) mouse report.
click() {
    local x=$1 y=$2
    local cx cy
    cx=$(printf "\\$(printf '%03o' $((33 + x)))")
    cy=$(printf "\\$(printf '%03o' $((33 + y)))")
    tmux -L "$SOCK" send-keys -t k -l $'\e[M '"$cx$cy"
    tmux -L "$SOCK" send-keys -t k -l $'\e[M#'"$cx$cy"
}

# wait_for TEXT [SECONDS]: until the screen shows TEXT.
wait_for() {
    local text=$1 limit=${2:-5} i=0
    while [ "$i" -lt $((limit * 20)) ]; do
        if screen_text | grep -qF -- "$text"; then return 0; fi
        sleep 0.05
        i=$((i + 1))
    done
    fail "screen never showed: $text"
}

# wait_gone TEXT [SECONDS]: until the screen no longer shows TEXT.
wait_gone() {
    local text=$1 limit=${2:-5} i=0
    while [ "$i" -lt $((limit * 20)) ]; do
        if ! screen_text | grep -qF -- "$text"; then return 0; fi
        sleep 0.05
        i=$((i + 1))
    done
    fail "screen still shows: $text"
}

# screen_words: the screen as one line, runs of blanks made one space, so a
# sentence the kiosk wrapped is found whole.
screen_words() {
    screen_text | tr -s ' \n' '  '
}

# assert_words TEXT: the screen shows TEXT, wrapped or not.
assert_words() {
    screen_words | grep -qF -- "$1" || fail "screen does not show: $1"
}

assert_screen() {
    screen_text | grep -qF -- "$1" || fail "screen does not show: $1"
}

refute_screen() {
    if screen_text | grep -qF -- "$1"; then fail "screen shows what it must not: $1"; fi
}

# Position (col row) of TEXT on screen, first match.
locate() {
    screen_text | awk -v t="$1" '{ i = index($0, t); if (i) { print i - 1, NR - 1; exit } }'
}

resize() {
    ROWS_NOW=$2
    tmux -L "$SOCK" resize-window -t k -x "$1" -y "$2"
}

kiosk_pid() {
    pgrep -f -- "^$KIOSK --db $DB " | head -1 || true
}

# stop_kiosk: SIGTERM (as systemd would), then the process must have ended
# cleanly and the sanitizers must have nothing to say.
stop_kiosk() {
    local pid
    pid=$(kiosk_pid)
    [ -n "$pid" ] && kill -TERM "$pid"
    wait_for "[exited 0]" 10
    check_sanitizers
    tmux -L "$SOCK" kill-server 2>/dev/null || true
}

# kill_kiosk: kill -9, as a power cut would; the process must be gone.
kill_kiosk() {
    local pid
    pid=$(kiosk_pid)
    [ -n "$pid" ] || fail "no kiosk to kill"
    kill -KILL "$pid"
    wait_for "[exited 137]" 5
    tmux -L "$SOCK" kill-server 2>/dev/null || true
    check_sanitizers
}

check_sanitizers() {
    if ls "$WORK"/asan.* "$WORK"/ubsan.* >/dev/null 2>&1; then
        cat "$WORK"/asan.* "$WORK"/ubsan.* >&2 2>/dev/null || true
        fail "sanitizer report (see above)"
    fi
    if grep -qE 'Sanitizer|runtime error' "$WORK/kiosk.stderr" 2>/dev/null; then
        cat "$WORK/kiosk.stderr" >&2
        fail "sanitizer report (see above)"
    fi
}

# Translation of an English message in LANGUAGE, from the built catalog.
translated() {
    LANGUAGE=$1 LANG=C.UTF-8 TEXTDOMAINDIR=$NSER_LOCALEDIR gettext -d nser-kiosk "$2"
}

# sql QUERY: one query on the test's database, '|' between columns.
sql() {
    sqlite3 -batch "$DB" "$1"
}

# ------------------------------------------------------- the questionnaire
# Q_TYPE[id], Q_REQUIRED[id], Q_LABEL[id] (English), Q_ID[label],
# Q_OPTION[id/code] (English text), PLACE[code] (English name), and the
# Roman Urdu texts Q_LABEL_UR[id], Q_OPTION_UR[id/code], Q_TITLE_UR[page
# title in English] and PLACE_UR[code], read from the shipped files so a
# test can name answers as they are stored.
declare -A Q_TYPE Q_REQUIRED Q_LABEL Q_LABEL_UR Q_ID Q_OPTION Q_OPTION_UR Q_TITLE_UR PLACE PLACE_UR
load_questionnaire() {
    local kind a b c d
    while IFS=$'\037' read -r kind a b c d; do
        case $kind in
        Q)
            Q_TYPE[$a]=$b
            Q_REQUIRED[$a]=$c
            ;;
        L)
            Q_LABEL[$a]=$b
            Q_LABEL_UR[$a]=$c
            Q_ID[$b]=$a
            ;;
        O)
            Q_OPTION[$a/$b]=$c
            Q_OPTION_UR[$a/$b]=$d
            ;;
        T) Q_TITLE_UR[$a]=$b ;;
        esac
    done < <(awk -F' *[|] *' '
        BEGIN { OFS = "\037" }
        function trim(s) { sub(/^ +/, "", s); sub(/ +$/, "", s); return s }
        /^question / { split($0, w, / +/); id = w[2]
                       print "Q", id, w[3], ($0 ~ / required *$/ ? 1 : 0) }
        /^label \|/  { print "L", id, trim($2), trim($3) }
        /^title \|/  { print "T", trim($2), trim($3) }
        /^option /   { split($1, w, / +/); print "O", id, w[2], trim($2), trim($3) }
    ' "$QUESTIONNAIRE")
    # (A tab is blank to read: two in a row would be one. \037 is not.)
    while IFS=$'\037' read -r kind a b c d _; do # _: the Urdu name, unused
        case $kind in '#'* | '') continue ;; esac
        PLACE[$a]=$c
        PLACE_UR[$a]=$d
    done < <(tr '\t' '\037' <"$PLACES")
}
load_questionnaire

# ------------------------------------------------------- reading the screen

# screen_fields: what the survey helpers look at, separated by \037: the page
# title, the member line ("Member 2: Fatima Bibi") and the focused question
# (survey pages only), the roster's head count, the message rows, and the
# focused question's answer as shown. The focused question is the bold
# label in the question rows (tmux keeps attributes with -e).
screen_fields() {
    tmux -L "$SOCK" capture-pane -e -p -t k | awk -v rows="$ROWS_NOW" '
        BEGIN { ESC = sprintf("%c", 27); B = sprintf("%c", 1) }
        function trim(s) { sub(/^ +/, "", s); sub(/ +$/, "", s); return s }
        {
            l = $0
            gsub(ESC "\\[1(;[0-9]+)*m", B, l)
            gsub(ESC "\\[[0-9;]*m", "", l)
            line[NR] = l
        }
        END {
            t = trim(line[1]); gsub(B, "", t)
            n = split(t, part, /  +/)
            title = n >= 3 ? part[2] : ""
            survey = line[3] ~ /Draft [0-9][0-9][0-9]-[0-9][0-9][0-9][0-9]/
            member = ""; focus = ""; value = ""; count = ""
            if (survey) {
                m = line[3]; gsub(B, "", m); sub(/Draft [0-9-]+ *$/, "", m); member = trim(m)
                for (i = 5; i <= NR; i++) {
                    r = line[i]; plain = r; gsub(B, "", plain)
                    if (trim(plain) == "") break
                    if (match(r, "^" B "?[! ] " B)) { # "!": a refused answer
                        rest = substr(r, RSTART + RLENGTH); gsub(B, "", rest)
                        p = index(rest, "  ")
                        focus = p ? substr(rest, 1, p - 1) : trim(rest)
                        value = p ? trim(substr(rest, p)) : ""
                    }
                }
            }
            for (i = 1; i <= NR; i++)
                if (match(line[i], /People in the household: [0-9]+/)) {
                    count = substr(line[i], RSTART + 25, RLENGTH - 25); break
                }
            msg = trim(line[rows - 2]) " " trim(line[rows - 1]); gsub(B, "", msg)
            printf "%s\037%s\037%s\037%s\037%s\037%s\n", title, member, focus, count, trim(msg), value
        }'
}

# screen_state: where the kiosk is, in words: "Address > District",
# "Household member / Member 2: Fatima Bibi > Gender", "Household members
# (3)", "Check your answers".
screen_state() {
    local title member focus count msg value
    IFS=$'\037' read -r title member focus count msg value < <(screen_fields)
    local s=$title
    [ -z "$member" ] || s+=" / $member"
    [ -z "$focus" ] || s+=" > $focus"
    [ -z "$count" ] || s+=" ($count)"
    printf '%s\n' "$s"
}

focused_question() {
    screen_fields | cut -d$'\037' -f3
}

# The focused question's answer as shown, empty when unanswered.
focused_value() {
    screen_fields | cut -d$'\037' -f6
}

# The message row (a refusal, a notice), empty when there is none.
screen_message() {
    screen_fields | cut -d$'\037' -f5
}

# The labels of the questions shown on a survey page, in order.
shown_questions() {
    screen_text | awk 'NR >= 5 { if ($0 ~ /^ *$/) exit; l = substr($0, 3); sub(/  .*/, "", l); print l }'
}

# wait_row LABEL TEXT: until the question row LABEL shows the answer TEXT
# (LABEL as on screen, in the language on screen).
wait_row() {
    local i=0
    while [ "$i" -lt 100 ]; do
        if shown_rows | awk -v l="$1" -v t="$2" '
            { r = substr($0, 3) }
            index(r, l) == 1 { v = substr(r, length(l) + 1); sub(/^ +/, "", v); sub(/ +$/, "", v)
                               if (v == t) found = 1 }
            END { exit !found }'; then return 0; fi
        sleep 0.05
        i=$((i + 1))
    done
    fail "the row '$1' never showed '$2'"
}

# focus_on ID: move the cursor to question ID on this page (Tab and
# Shift-Tab, which move from any kind of question, as the keyboard does).
focus_on() {
    local label=${Q_LABEL[$1]:?unknown question $1} from to i=0 l now
    now=$(focused_question)
    while IFS= read -r l; do
        [ "$l" != "$now" ] || from=$i
        [ "$l" != "$label" ] || to=$i
        i=$((i + 1))
    done < <(shown_questions)
    [ -n "${to:-}" ] || fail "focus_on: '$label' is not shown"
    while [ "$from" -lt "$to" ]; do keys Tab; from=$((from + 1)); done
    while [ "$from" -gt "$to" ]; do keys BTab; from=$((from - 1)); done
    wait_focus "$1"
}

# wait_no_message: until the message rows are empty.
wait_no_message() {
    local i=0
    while [ -n "$(screen_message)" ]; do
        i=$((i + 1))
        [ "$i" -lt 100 ] || fail "the message stays: $(screen_message)"
        sleep 0.05
    done
}

# wait_words TEXT: until the screen shows TEXT, wrapped or not.
wait_words() {
    local i=0
    while [ "$i" -lt 100 ]; do
        if screen_words | grep -qF -- "$1"; then return 0; fi
        sleep 0.05
        i=$((i + 1))
    done
    fail "screen never showed: $1"
}

# wait_state STATE [SECONDS]: until screen_state is STATE.
wait_state() {
    local want=$1 limit=${2:-5} i=0 now=""
    while [ "$i" -lt $((limit * 20)) ]; do
        now=$(screen_state)
        [ "$now" != "$want" ] || return 0
        sleep 0.05
        i=$((i + 1))
    done
    fail "expected to be at '$want', but at '$now'"
}

# wait_focus QUESTION-ID: until the kiosk asks that question.
wait_focus() {
    local label=${Q_LABEL[$1]:?unknown question $1} i=0
    while [ "$i" -lt 100 ]; do
        [ "$(focused_question)" != "$label" ] || return 0
        sleep 0.05
        i=$((i + 1))
    done
    fail "the kiosk does not ask '$label' ($1)"
}

# The draft number on a survey page, as shown ("491-8579"), or empty.
draft_number() {
    screen_text | sed -n '3s/.*Draft \([0-9]\{3\}-[0-9]\{4\}\).*/\1/p'
}

# What tells that the kiosk took a key: the state, the message and the
# question rows with their answers (an answer may show or hide others).
fingerprint() {
    screen_fields | cut -d$'\037' -f1-5
    shown_rows
}

shown_rows() {
    screen_text | awk 'NR >= 5 { if ($0 ~ /^ *$/) exit; print }'
}

# after_keys ARGS...: send keys (none of them typing text) and wait until
# the kiosk has taken them: the fingerprint changed, and the screen is
# drawn whole (two captures alike).
after_keys() {
    local before
    before=$(fingerprint)
    keys "$@"
    settle_from "$before" fingerprint
}

# settle_from BEFORE HOW: until HOW (a function) prints other than BEFORE,
# the same twice in a row.
settle_from() {
    local before=$1 how=$2 now again i=0
    while [ "$i" -lt 200 ]; do
        now=$($how)
        if [ "$now" != "$before" ]; then
            again=$($how)
            [ "$again" != "$now" ] || return 0
        fi
        sleep 0.03
        i=$((i + 1))
    done
    fail "the kiosk did not take the keys (still at '$(screen_state)')"
}

state_and_message() {
    screen_fields | cut -d$'\037' -f1-5
}

# ------------------------------------------------------- answering a page

# answer TEXT: type the answer to the focused question, then Enter.
# (Typing shows on screen at once: only the Enter moves the cursor on or
# brings a message, so that is what it waits for.)
answer() {
    local before
    before=$(state_and_message)
    keys C-u
    type_text "$1"
    keys Enter
    settle_from "$before" state_and_message
}

# skip: Enter past the focused question (optional, locked or answered).
skip() {
    after_keys Enter
}

# pick N: press the digit of a choice (or of a visible pick-list row).
pick() {
    after_keys "$1"
}

# search TEXT N: letters filter the focused pick list, then the digit of
# the Nth row shown picks it.
search() {
    wait_for "Type to search:" 2
    type_text "$1"
    wait_for "Type to search: $1" 2
    after_keys "$2"
}

# The answers shown under the questions, one "N<TAB>text" a line: each
# button's digit is drawn big (3 rows of half blocks, or 5 of full blocks
# at 132x43) with its words, maybe wrapped, beside it; "0" is "More
# answers". The glyphs are read from screens/bigdigits.c's font.
shown_options() {
    screen_text | python3 -c '
import sys
sys.dont_write_bytecode = True  # no __pycache__ in the tree
sys.path.insert(0, sys.argv[2] + "/tests/screen")
from bigdigits_read import digits
lines = sys.stdin.read().split("\n")
w = max(len(l) for l in lines) + 8
lines = [l.ljust(w) for l in lines]
for d, y, x, h in digits(lines, int(sys.argv[1]) - 3, sys.argv[2]):
    words = []
    for k in range(h):
        seg = lines[y + k][x + 5:].split("   ")[0].strip()
        if seg:
            words.append(seg)
    print("%d\t%s" % (d, " ".join(words)))
' "$ROWS_NOW" "$ROOT"
}

# The digit of the row showing TEXT (exactly, or cut short by the width).
option_digit() {
    shown_options | awk -F'\t' -v t="$1" '
        $2 == t { print $1; found = 1; exit }
        length($2) >= 20 && index(t, $2) == 1 && !cut { cut = $1 }
        END { if (!found && cut) print cut }'
}

# more_answers: 0, the next page of answers; until it shows.
more_answers() {
    local before i=0
    before=$(shown_options)
    keys 0
    while [ "$(shown_options)" = "$before" ]; do
        i=$((i + 1))
        [ "$i" -lt 100 ] || fail "0 did not show more answers"
        sleep 0.05
    done
}

# choose TEXT: pick the option showing TEXT. In a pick list, the letters
# of TEXT (up to any digit) are typed to search first.
choose() {
    local text=$1 filter n tries=0
    if screen_text | grep -qF "Type to search:"; then
        filter=${text%%[0-9]*}
        filter=${filter%"${filter##*[! ]}"}
        type_text "$filter"
        wait_for "Type to search: $filter" 2
    fi
    n=$(option_digit "$text")
    # Answers that do not all fit come in pages: 0 shows the next.
    while [ -z "$n" ] && [ "$tries" -lt 4 ] && shown_options | grep -qP '^0\tMore answers$'; do
        more_answers
        tries=$((tries + 1))
        n=$(option_digit "$text")
    done
    [ -n "$n" ] || fail "no option '$text' on the screen"
    after_keys "$n"
}

# The text typed for a stored value: dates as DDMMYYYY, CNICs as digits.
typed_form() {
    local id=$1 v=$2
    case ${Q_TYPE[$id]} in
    date) [[ "$v" =~ ^([0-9]{4})-([0-9]{2})-([0-9]{2})$ ]] && v=${BASH_REMATCH[3]}${BASH_REMATCH[2]}${BASH_REMATCH[1]} ;;
    cnic | phone) v=${v//-/} ;;
    esac
    printf '%s' "$v"
}

# give ID VALUE: answer the focused question ID with VALUE as it is stored
# (an option code, a place code, a number, a date YYYY-MM-DD, a text).
give() {
    local id=$1 v=$2
    case ${Q_TYPE[$id]:?unknown question $id} in
    choice) choose "${Q_OPTION[$id/$v]:?question $id has no option $v}" ;;
    place)
        if screen_text | grep -qF "Type to search:"; then
            choose "${PLACE[$v]:?no place $v in places.tsv}"
        else
            answer "$v" # not in the list: typed
        fi
        ;;
    *) answer "$(typed_form "$id" "$v")" ;;
    esac
}

# survey ID=VALUE...: answers every question the kiosk asks, page after
# page, until it shows something other than a survey page (the roster, the
# review). Each question is read off the screen: one with a value given is
# answered with it; one without is passed with Enter if it is optional or
# already answered, else the test fails, and so it does if the kiosk
# refuses an answer or never asks for a value given (a skip rule hid it).
#   survey --page ID=VALUE...: the same for this page only; a refusal
#   there ends it quietly, for the caller to look at.
survey() {
    local -A want=() used=()
    local kv title member focus count msg value id n=0 page=""
    if [ "${1:-}" = --page ]; then
        shift
        IFS=$'\037' read -r title member focus count msg value < <(screen_fields)
        page="$title/${member%%:*}" # the member's name may come on this page
    fi
    for kv in "$@"; do want[${kv%%=*}]=${kv#*=}; done
    while :; do
        IFS=$'\037' read -r title member focus count msg value < <(screen_fields)
        [ -n "$focus" ] || break
        [ -z "$page" ] || [ "$title/${member%%:*}" = "$page" ] || break
        if [ -n "$msg" ]; then
            [ -n "$page" ] || fail "refused: $msg"
            return 0 # the page refused: the caller looks at why
        fi
        n=$((n + 1))
        [ "$n" -lt 200 ] || fail "survey: going round in circles"
        id=${Q_ID[$focus]:-}
        [ -n "$id" ] || fail "the kiosk asks '$focus', which is not in $QUESTIONNAIRE"
        if [ -n "${want[$id]+x}" ] && [ -z "${used[$id]:-}" ]; then
            used[$id]=1
            give "$id" "${want[$id]}"
        elif [ "${Q_REQUIRED[$id]}" = 0 ] || [ -n "$value" ]; then
            skip
        else
            fail "the kiosk asks '$focus' ($id) and the test has no answer for it"
        fi
    done
    IFS=$'\037' read -r title member focus count msg value < <(screen_fields)
    [ -z "$msg" ] || [ -n "$page" ] || fail "refused: $msg"
    for id in "${!want[@]}"; do
        [ -n "${used[$id]:-}" ] || fail "the kiosk never asked '${Q_LABEL[$id]:-$id}' ($id)"
    done
}

# --------------------------------------------------- the registration flow

# start_registration CNIC: from home, Register and the head's CNIC; waits
# for the first survey page (or the "Saved answers found" offer).
start_registration() {
    wait_for "Register household"
    keys 2
    wait_for "Head's CNIC"
    keys C-u
    type_text "$1"
    keys Enter
    local i=0
    while ! screen_text | grep -qE "Draft [0-9]{3}-[0-9]{4}|Saved answers found"; do
        i=$((i + 1))
        [ "$i" -lt 100 ] || fail "no survey page after the head's CNIC"
        sleep 0.05
    done
}

# roster_count: "People in the household: N" on the roster.
roster_count() {
    screen_fields | cut -d$'\037' -f4
}

# edit_head ID=VALUE...: on the roster, Enter on row 1 (the head, whose
# relation, CNIC and gender come from the CNIC) and the head's pages.
edit_head() {
    wait_state "Household members ($(roster_count))"
    keys Home
    after_keys Enter
    survey "$@"
    wait_for "People in the household:"
}

# add_member ID=VALUE...: A on the roster, then the member's pages; back
# on the roster, the household is one larger.
add_member() {
    local n
    n=$(roster_count)
    [ -n "$n" ] || fail "add_member: not on the roster"
    after_keys a
    survey "$@"
    wait_state "Household members ($((n + 1)))"
}

# roster_done: F2 on the roster, on to the household pages.
roster_done() {
    after_keys F2
    [ -n "$(focused_question)" ] || fail "the roster did not go on: $(screen_message)"
}

# review_select TEXT: on the review, select the line TEXT (on the first
# screenful, which starts with the first page's title) with Home and
# Down, as a person would.
review_select() {
    wait_state "Check your answers"
    keys Home
    wait_for "$1"
    local first target
    first=$(locate "About this registration" | cut -d' ' -f2)
    target=$(locate "$1" | cut -d' ' -f2)
    [ -n "$first" ] && [ -n "$target" ] || fail "review_select: '$1' is not on the first screenful"
    while [ "$first" -lt "$target" ]; do
        keys Down
        first=$((first + 1))
    done
}

# save_registration: F2 on the review, "1 Yes, save"; sets TID to the
# tracking ID read off the receipt.
save_registration() {
    wait_for "Check your answers"
    keys F2
    wait_for "Yes, save"
    keys 1
    wait_for "Registration saved" 10
    TID=$(screen_text | grep -oE 'Tracking ID: [0-9]{5}-[0-9]{6}-[0-9]{4}-[0-9]' | head -1 | cut -d' ' -f3)
    [ -n "$TID" ] || fail "no tracking ID on the receipt"
}

# The household of the simple registrations, answer by answer.
ADDRESS=(case_type=missed_in_survey phone=03001234567 province=3 district=d3lhr
    tehsil=t3lhr_mtown union_council=u3lhr_mtown3 "locality=Block C, Johar Town"
    urban_rural=urban)
HOUSE=(tenure=owned rooms=2 wall_material=burnt_brick roof_material=rcc
    toilet=flush_pit water_source=hand_pump cooking_fuel=gas_pipe lighting=electricity
    fridge=yes air_conditioner=no air_cooler=yes geyser=no washing_machine=no
    cooking_range=no tv=yes computer=no motorcycle=yes car_tractor=no
    owns_land=no buffaloes=0 cows=1 bullocks=0 goats=2 sheep=0 camels=0 poultry=5
    remittances=no pension=no)

# register_household CNIC NAME: the whole registration typed with keys,
# from the home screen to the receipt: the head NAME (46, a tailor), his
# wife Fatima Bibi and their son Ahmed (7, at school). Sets TID to the
# tracking ID read off the receipt. (Not printed: a $(...) subshell would
# run the EXIT trap.)
register_household() {
    local cnic=$1 name=$2
    start_registration "$cnic"
    [ -n "$(focused_question)" ] || fail "register_household: $cnic already has a draft or a registration"
    survey "${ADDRESS[@]}"
    edit_head "name=$name" age=46 marital_status=married literate=yes highest_class=10 \
        employment_status=self_employed occupation=craft disability=none
    add_member "name=Fatima Bibi" relation=spouse gender=female age=38 marital_status=married \
        "id_number=${cnic%?}2" literate=no highest_class=0 employment_status=housework disability=none
    add_member name=Ahmed relation=son gender=male age=7 literate=no attends_school=yes \
        highest_class=1 disability=none
    roster_done
    survey "${HOUSE[@]}"
    save_registration
}

# dump_registration [ID]: the stored record of registration ID (default:
# the latest) without what differs between runs (ids, times, tracking ID,
# UUID): "member|question|value" rows, then the score row.
dump_registration() {
    local id=${1:-$(sql "SELECT max(id) FROM registrations")}
    sql "SELECT 'registration', cnic, head_name, member_count, questionnaire_id,
                questionnaire_version, record_version FROM registrations WHERE id = $id;
         SELECT member, question, value FROM registration_answers
          WHERE registration_id = $id ORDER BY member, question;
         SELECT 'score', table_id, table_version, score, replace(breakdown, char(10), ';'),
                thresholds_id, thresholds_version, replace(decisions, char(10), ';')
           FROM scores WHERE registration_id = $id;"
}

# make_accounts: a supervisor (boss, PIN 246810) and a clerk (clerk1, PIN
# 135790) made with the real `nser-kiosk user` command on $DB, as a centre
# manager would at set-up. Secrets go in on stdin, one per line.
make_accounts() {
    printf '246810\n246810\n' | "$KIOSK" user add boss --role supervisor --db "$DB" \
        --config "$CONF" >/dev/null 2>"$WORK/user.err" || fail "user add boss: $(cat "$WORK/user.err")"
    printf '246810\n135790\n135790\n' | "$KIOSK" user add clerk1 --role clerk --as boss \
        --db "$DB" --config "$CONF" >/dev/null 2>"$WORK/user.err" ||
        fail "user add clerk1: $(cat "$WORK/user.err")"
}

# clerk_login NAME SECRET: from the log-in page (where a counter machine
# starts; elsewhere press the log-in key first) to the clerk's home page.
clerk_login() {
    wait_for "Staff log-in"
    type_text "$1"
    keys Tab
    type_text "$2"
    keys Enter
    wait_for "Saved drafts" 10
}

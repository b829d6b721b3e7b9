# lib.sh - helpers for screen tests: run the real nser-kiosk binary in a
# detached tmux at a fixed size, type keys, and assert on what the screen
# shows (never on internal state). Sourced by tests/screen/test_*.sh.
#
# Each test gets its own tmux server (-L), its own temp dir with a config
# and a database, and runs the ASan+UBSan binary; sanitizer reports go to
# files that stop_kiosk checks.

set -Eeuo pipefail
# A command failing outside an assertion still says where.
# (Only under set -e: a test that says set +e is looking at exit statuses.)
trap '[[ $- == *e* ]] && fail "unexpected failure at ${BASH_SOURCE[0]##*/} line $LINENO: $BASH_COMMAND"' ERR

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
KIOSK=${KIOSK:-$ROOT/build/asan/nser-kiosk}
export NSER_LOCALEDIR=${NSER_LOCALEDIR:-$ROOT/build/asan/locale}
SOCK="nser-test-$$"
RUNS=0
WORK=$(mktemp -d /tmp/nser-screen.XXXXXX)
DB="$WORK/kiosk.db"
CONF="$WORK/kiosk.conf"
TEST_NAME=$(basename "$0" .sh)
CASE=""
MAIN_PID=$BASHPID

cleanup() {
    [ "$BASHPID" = "$MAIN_PID" ] || return 0 # not from a subshell
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

# write_config KEY=VALUE...: a config for this test (short idle timeout
# unless the test says otherwise).
write_config() {
    {
        echo "kiosk_code = 04217"
        echo "centre_name = Test Centre"
        echo "log_file = $WORK/kiosk.log"
        for kv in "$@"; do echo "${kv%%=*} = ${kv#*=}"; done
    } >"$CONF"
}

# start_kiosk COLS ROWS [args...]
start_kiosk() {
    local cols=$1 rows=$2
    shift 2
    [ -f "$CONF" ] || write_config idle_timeout=600
    # A fresh tmux server per run: a killed one may still hold its socket.
    # The exit line starts at column 0: after kill -9 the cursor is wherever
    # curses left it, and a wrapped "[exited N]" would never match.
    RUNS=$((RUNS + 1))
    SOCK="nser-test-$$-$RUNS"
    tmux -L "$SOCK" -f /dev/null new-session -d -s k -x "$cols" -y "$rows" \
        "env ASAN_OPTIONS=log_path=$WORK/asan:detect_leaks=1 UBSAN_OPTIONS=log_path=$WORK/ubsan:print_stacktrace=1 \
         LANG=C.UTF-8 NSER_LOCALEDIR=$NSER_LOCALEDIR $KIOSK --db $DB --config $CONF $*; \
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
    sleep 0.15
}

# type_text TEXT: literal text, one key at a time as a person types.
type_text() {
    tmux -L "$SOCK" send-keys -t k -l "$1"
    sleep 0.15
}

# click COL ROW (0-based): a left click as an xterm (X10) mouse report.
click() {
    local x=$1 y=$2
    local cx cy
    cx=$(printf "\\$(printf '%03o' $((33 + x)))")
    cy=$(printf "\\$(printf '%03o' $((33 + y)))")
    tmux -L "$SOCK" send-keys -t k -l $'\e[M '"$cx$cy"
    tmux -L "$SOCK" send-keys -t k -l $'\e[M#'"$cx$cy"
    sleep 0.2
}

# wait_for TEXT [SECONDS]: until the screen shows TEXT.
wait_for() {
    local text=$1 limit=${2:-5} i=0
    while [ "$i" -lt $((limit * 10)) ]; do
        if screen_text | grep -qF -- "$text"; then return 0; fi
        sleep 0.1
        i=$((i + 1))
    done
    fail "screen never showed: $text"
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
    tmux -L "$SOCK" resize-window -t k -x "$1" -y "$2"
    sleep 0.3
}

# stop_kiosk: SIGTERM (as systemd would), then the process must have ended
# cleanly and the sanitizers must have nothing to say.
stop_kiosk() {
    local pid
    pid=$(pgrep -f -- "^$KIOSK --db $DB " | head -1 || true)
    [ -n "$pid" ] && kill -TERM "$pid"
    wait_for "[exited 0]" 10
    if ls "$WORK"/asan.* "$WORK"/ubsan.* >/dev/null 2>&1; then
        cat "$WORK"/asan.* "$WORK"/ubsan.* >&2 2>/dev/null || true
        fail "sanitizer report (see above)"
    fi
    tmux -L "$SOCK" kill-server 2>/dev/null || true
}

# Translation of an English message in LANGUAGE, from the built catalog.
translated() {
    LANGUAGE=$1 LANG=C.UTF-8 TEXTDOMAINDIR=$NSER_LOCALEDIR gettext -d nser-kiosk "$2"
}

# register_household: the whole registration typed with keys, from the
# home screen to the receipt; sets TID to the tracking ID read off the
# screen. (Not printed: a $(...) subshell would run the EXIT trap.)
register_household() {
    local cnic=$1 name=$2
    keys 2
    wait_for "Head's CNIC"
    type_text "$cnic"
    keys Enter
    wait_for "Full name"
    type_text "$name"
    keys Enter
    keys 1                            # gender: Male (as the CNIC suggests)
    type_text "05111980"
    keys Enter
    type_text "0300-1234567"
    keys Enter
    type_text "Lahore"
    keys Enter
    type_text "Model Town"
    keys Enter
    wait_for "Household members"
    keys a
    wait_for "Relation to head"
    type_text "Fatima Bibi"
    keys Enter
    keys 1 2                          # wife/husband, female
    type_text "01011985"
    keys Enter Enter
    type_text "${cnic%?}2"
    keys Enter
    wait_for "Fatima Bibi"
    keys a
    wait_for "Relation to head"
    type_text "Ahmed"
    keys Enter
    keys 2 1                          # son, male
    keys Enter                        # no date of birth
    type_text "7"                     # age
    keys Enter Enter
    wait_for "People in the household: 3"
    keys F2
    wait_for "Number of rooms"
    type_text "2"
    keys Enter 2 2                    # flush to pit, hand pump
    wait_for "Check and confirm"
    assert_screen "${name%% *}"
    keys Enter
    wait_for "Yes, save"
    keys 1
    wait_for "Your tracking ID"
    TID=$(screen_text | grep -oE 'Tracking ID: [0-9]{5}-[0-9]{6}-[0-9]{4}-[0-9]' | head -1 | cut -d' ' -f3)
}

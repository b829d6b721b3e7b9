# lib.sh - end-to-end sync tests: a real PostgreSQL started for the test in
# its own temp dir, the ASan+UBSan nser-central and nser-kiosk binaries,
# and kiosk databases filled by tests/central/mkregs (registry_confirm, the
# kiosk's own commit path). Sourced by tests/central/test_*.sh:
#
#   . "$(dirname "$0")/lib.sh"
#   pg_start                  initdb + pg_ctl start; sets PGDB (conninfo)
#   psql_q SQL                one query, unaligned, no headers, '|' between
#   central ARGS...           build/asan/nser-central (sanitizer-checked)
#   central_setup             init, keys init into $CKEYS
#   kiosk_new NAME CODE [DISTRICT] [CONF-KEY=VALUE...]
#                             a kiosk dir $WORK/NAME: config, db, keys,
#                             central.pub installed, added at central
#   kiosk NAME ARGS...        build/asan/nser-kiosk --db/--config of NAME
#   mkregs NAME N [FIRST]     N registrations in NAME's db (CNICs from FIRST)
#   ksql NAME SQL             sqlite3 on NAME's db
#   deliver FILE...           $WORK/in holds exactly these files
#   export_batch NAME         sync export; prints the batch file's path
#   import_acks NAME          sync import of $WORK/acks
#   registry_dump, kiosk_dump NAME    state to compare before and after
#   ingest [ARGS...]          nser-central ingest --in $WORK/in --out
#                             $WORK/acks, report in $WORK/report.txt
#   check_sanitizers          fails the test on any sanitizer report
#
# The server runs as an unprivileged user when the test runs as root
# (PostgreSQL refuses root): the postgres account if there is one, else
# nobody. It listens on a unix socket in the temp dir only
# (listen_addresses=''), on a port number nobody else uses there, with
# fsync off unless PG_DURABILITY says otherwise (a test database:
# durability is the kiosk's and central's code, not the disk's, and the
# kill -9 tests kill the clients, not the server).
#
# Must never: touch a PostgreSQL it did not start, listen on TCP, or leave
# a server, a temp dir or a child behind: the EXIT trap stops the server
# (fast, then immediate, then kill) and removes $WORK, on failure too.

# shellcheck shell=bash
set -Eeuo pipefail
trap '[[ $- == *e* ]] && fail "unexpected failure at ${BASH_SOURCE[0]##*/} line $LINENO: $BASH_COMMAND"' ERR

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
KIOSK=${KIOSK:-$ROOT/build/asan/nser-kiosk}
CENTRAL=${CENTRAL:-$ROOT/build/asan/nser-central}
MKREGS=${MKREGS:-$ROOT/build/asan/tests/central/mkregs}
export NSER_LOCALEDIR=${NSER_LOCALEDIR:-$ROOT/build/asan/locale}
export NSER_DATADIR=${NSER_DATADIR:-$ROOT/data}
TEST_NAME=$(basename "$0" .sh)
MAIN_PID=$BASHPID
# WORK_PARENT: where the temp dir goes (the bench puts it on bench/out/).
WORK=$(mktemp -d "${WORK_PARENT:-/tmp}/nser-central.XXXXXX")
chmod 755 "$WORK"
PGDATA_DIR=$WORK/pg
# PG_DURABILITY: server options; the bench sets "" (a durable server).
PG_DURABILITY=${PG_DURABILITY--c fsync=off -c full_page_writes=off}
PGSOCK=$WORK/pgsock
PGPORT_NUM=""
PGDB=""
PG_USER=""
CKEYS=$WORK/central-keys
# Sanitizer reports go to files that check_sanitizers reads; leaks count.
export ASAN_OPTIONS="log_path=$WORK/san/asan:detect_leaks=1:abort_on_error=0"
export UBSAN_OPTIONS="log_path=$WORK/san/ubsan:print_stacktrace=1:halt_on_error=1"
mkdir -p "$WORK/san" "$WORK/in" "$WORK/acks"

PG_BIN=""
for d in /usr/lib/postgresql/*/bin; do
    [ -x "$d/initdb" ] && PG_BIN=$d # the last (highest) version wins
done

pg_stop() {
    [ -n "$PG_BIN" ] && [ -f "$PGDATA_DIR/postmaster.pid" ] || return 0
    local pid
    pid=$(head -1 "$PGDATA_DIR/postmaster.pid" 2>/dev/null || true)
    as_pg "$PG_BIN/pg_ctl" -D "$PGDATA_DIR" -m fast -w -t 10 stop >/dev/null 2>&1 ||
        as_pg "$PG_BIN/pg_ctl" -D "$PGDATA_DIR" -m immediate -w -t 5 stop >/dev/null 2>&1 || true
    # Still there (a wedged server): the postmaster we started, by its pid.
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
}

cleanup() {
    [ "$BASHPID" = "$MAIN_PID" ] || return 0 # not from a subshell
    local p
    for p in $(jobs -p); do kill -KILL "$p" 2>/dev/null || true; done
    pg_stop
    if [ "${KEEP_WORK:-0}" = 1 ]; then echo "work dir kept: $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

fail() {
    trap - ERR
    echo "FAIL $TEST_NAME: $*" >&2
    if [ -s "$WORK/report.txt" ]; then
        echo "---- last ingest report ----" >&2
        tail -20 "$WORK/report.txt" >&2
    fi
    if [ -f "$WORK/pg/log" ] && grep -q 'ERROR\|FATAL\|PANIC' "$WORK/pg/log"; then
        echo "---- postgres log (errors) ----" >&2
        grep 'ERROR\|FATAL\|PANIC' "$WORK/pg/log" | tail -10 >&2
    fi
    exit 1
}

# as_pg CMD...: CMD as the server's user.
as_pg() {
    if [ -n "$PG_USER" ]; then
        setpriv --reuid="$PG_USER" --regid="$(id -g "$PG_USER")" --clear-groups -- "$@"
    else
        "$@"
    fi
}

# A port number no socket in $PGSOCK uses: with unix sockets only, the
# number just names the socket file, but a fresh one per test keeps two
# servers from ever meeting if someone points both at one folder.
free_port() {
    local p
    for _ in $(seq 50); do
        p=$((20000 + RANDOM % 30000))
        [ -e "$PGSOCK/.s.PGSQL.$p" ] || { echo "$p"; return 0; }
    done
    return 1
}

# pg_start: a fresh cluster in $WORK/pg, started; PGDB is its conninfo.
pg_start() {
    [ -n "$PG_BIN" ] || fail "no PostgreSQL server binaries in /usr/lib/postgresql/*/bin (apt-get install postgresql)"
    if [ "$(id -u)" = 0 ]; then
        if id postgres >/dev/null 2>&1; then PG_USER=postgres; else PG_USER=nobody; fi
    fi
    mkdir -p "$PGDATA_DIR" "$PGSOCK"
    [ -z "$PG_USER" ] || chown "$PG_USER" "$PGDATA_DIR" "$PGSOCK"
    chmod 700 "$PGDATA_DIR"
    as_pg "$PG_BIN/initdb" -D "$PGDATA_DIR" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 \
        -N >"$WORK/initdb.log" 2>&1 || { cat "$WORK/initdb.log" >&2; fail "initdb failed"; }
    PGPORT_NUM=$(free_port) || fail "no free port number"
    as_pg "$PG_BIN/pg_ctl" -D "$PGDATA_DIR" -l "$PGDATA_DIR/log" -w -t 30 \
        -o "-k $PGSOCK -c listen_addresses='' -p $PGPORT_NUM $PG_DURABILITY" \
        start >/dev/null 2>&1 || { tail -20 "$PGDATA_DIR/log" >&2; fail "pg_ctl start failed"; }
    PGDB="host=$PGSOCK port=$PGPORT_NUM dbname=postgres user=postgres"
}

# psql_q SQL: the rows, '|' between columns.
psql_q() {
    "$PG_BIN/psql" -X -q -A -t -v ON_ERROR_STOP=1 "$PGDB" -c "$1" ||
        fail "psql failed: $1"
}

check_sanitizers() {
    if ls "$WORK"/san/asan.* "$WORK"/san/ubsan.* >/dev/null 2>&1; then
        cat "$WORK"/san/asan.* "$WORK"/san/ubsan.* >&2 2>/dev/null || true
        fail "sanitizer report (see above)"
    fi
}

# central ARGS...: nser-central, its output on stdout; its status returned
# (callers that expect success say so with || fail).
central() {
    local rc=0
    "$CENTRAL" "$@" || rc=$?
    check_sanitizers
    return "$rc"
}

central_setup() {
    central init --db "$PGDB" >/dev/null || fail "nser-central init failed"
    central keys init --dir "$CKEYS" >/dev/null || fail "nser-central keys init failed"
    [ -f "$CKEYS/central.pub" ] || fail "keys init made no central.pub"
}

# kiosk_new NAME CODE [DISTRICT] [KEY=VALUE...]: a kiosk in $WORK/NAME with
# its keys, the registry's key installed, and added at central (unless
# NO_ADD=1: a kiosk the registry never heard of).
kiosk_new() {
    local name=$1 code=$2 district=${3:-d3lhr}
    shift 2
    [ $# -eq 0 ] || shift
    local dir=$WORK/$name kv
    mkdir -p "$dir/out"
    {
        echo "kiosk_code = $code"
        echo "centre_name = Test Centre $name"
        echo "log_file = $dir/kiosk.log"
        echo "key_dir = $dir/keys"
        echo "sync_out_dir = $dir/out"
        echo "sync_in_dir = $WORK/acks"
        for kv in "$@"; do echo "${kv%%=*} = ${kv#*=}"; done
    } >"$dir/kiosk.conf"
    kiosk "$name" keys init >/dev/null || fail "$name: nser-kiosk keys init failed"
    kiosk "$name" keys install-central "$CKEYS/central.pub" >/dev/null ||
        fail "$name: keys install-central failed"
    if [ "${NO_ADD:-0}" != 1 ]; then
        central kiosk add --db "$PGDB" --key "$dir/keys/kiosk.pub" --district "$district" >/dev/null ||
            fail "$name: nser-central kiosk add failed"
    fi
}

# kiosk NAME ARGS...: the kiosk's command line on NAME's db and config.
kiosk() {
    local name=$1 rc=0
    shift
    # The options after the command's own, as docs/sync.md writes them.
    LANG=C.UTF-8 "$KIOSK" "$@" --db "$WORK/$name/kiosk.db" --config "$WORK/$name/kiosk.conf" || rc=$?
    check_sanitizers
    return "$rc"
}

# mkregs NAME N [FIRST]: N registrations in NAME's db through registry_confirm.
mkregs() {
    local name=$1 n=$2 first=${3:-1} code
    code=$(sed -n 's/^kiosk_code = //p' "$WORK/$name/kiosk.conf")
    "$MKREGS" --db "$WORK/$name/kiosk.db" --kiosk "$code" --count "$n" --first "$first" \
        --data "$ROOT/data" >/dev/null || fail "mkregs failed"
    check_sanitizers
}

ksql() {
    sqlite3 -batch "$WORK/$1/kiosk.db" "$2"
}

# export_batch NAME: nser-kiosk sync export into NAME's out folder; prints
# the batch file's path ("" when there was nothing to send).
export_batch() {
    local name=$1 line f
    line=$(kiosk "$name" sync export --out "$WORK/$name/out") || fail "$name: sync export failed: $line"
    f=$(grep -oE '[^/ ]+\.nserb' <<<"$line" || true)
    if [ -n "$f" ]; then echo "$WORK/$name/out/$f"; fi
}

# deliver FILE...: the transport brings these files, and only these, to
# the registry's in folder (central never deletes what it has read).
deliver() {
    rm -f "$WORK"/in/*
    local f
    for f in "$@"; do cp "$f" "$WORK/in/"; done
}

# registry_dump: every registration at central as uuid|version|kiosk|
# status|central score, in order: what "nothing changed" compares.
registry_dump() {
    psql_q "SELECT uuid, version, kiosk, status, status_date, central_score, kiosk_score
              FROM registrations ORDER BY uuid, version"
}

# kiosk_dump NAME: the kiosk's records with their status and ack state.
kiosk_dump() {
    ksql "$1" "SELECT r.record_uuid, r.record_version, r.status, r.status_at, o.acked_at IS NOT NULL
                 FROM registrations r JOIN outbox o ON o.registration_id = r.id ORDER BY r.id"
}

# ingest [ARGS...]: nser-central ingest of $WORK/in into $WORK/acks; the
# report in $WORK/report.txt. Returns nser-central's status.
ingest() {
    local rc=0
    central ingest --db "$PGDB" --keys "$CKEYS" --in "$WORK/in" --out "$WORK/acks" \
        --data "$ROOT/data" "$@" >"$WORK/report.txt" 2>&1 || rc=$?
    return "$rc"
}

# import_acks NAME: nser-kiosk sync import from $WORK/acks; output kept in
# $WORK/NAME/import.txt.
import_acks() {
    local rc=0
    kiosk "$1" sync import --in "$WORK/acks" >"$WORK/$1/import.txt" 2>&1 || rc=$?
    return "$rc"
}

assert_eq() { # assert_eq WHAT EXPECTED ACTUAL
    [ "$2" = "$3" ] || fail "$1: expected '$2', got '$3'"
}

need_binaries() {
    local b
    for b in "$KIOSK" "$CENTRAL" "$MKREGS"; do
        [ -x "$b" ] || fail "$b is missing: make build/asan/nser-kiosk build/asan/nser-central build/asan/tests/central/mkregs"
    done
}
need_binaries

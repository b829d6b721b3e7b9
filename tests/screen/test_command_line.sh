#!/usr/bin/env bash
# The command line a centre manager meets: --help and --version, refusals
# with exit status 2, a bad configuration refused with its line number, and
# the embedded default (./var/ with a configuration and a database) created
# on a first start in an empty folder.
. "$(dirname "$0")/lib.sh"

CASE="help"
"$KIOSK" --help | grep -q "nser-kiosk status CNIC|TRACKING-ID" || fail "--help lacks the status command"
"$KIOSK" --version | grep -qE '^nser-kiosk [0-9]+\.[0-9]+\.[0-9]+$' || fail "--version"

CASE="refusals"
set +e
"$KIOSK" --frobnicate >/dev/null 2>&1; [ $? -eq 2 ] || fail "unknown option should exit 2"
"$KIOSK" --lang fr 2>"$WORK/err"; [ $? -eq 2 ] || fail "unknown language should exit 2"
grep -q "unknown language 'fr'" "$WORK/err" || fail "no reason for the language"
"$KIOSK" sync >/dev/null 2>&1; [ $? -eq 2 ] || fail "unknown command should exit 2"
"$KIOSK" status >/dev/null 2>&1; [ $? -eq 2 ] || fail "status without argument should exit 2"
printf 'kiosk_code = 00001\nidle_timeout = soon\n' >"$WORK/bad.conf"
"$KIOSK" --config "$WORK/bad.conf" --db "$WORK/x.db" 2>"$WORK/err" </dev/null; rc=$?
set -e
[ "$rc" -eq 1 ] || fail "bad configuration should exit 1 (got $rc)"
grep -q "line 2: idle_timeout" "$WORK/err" || fail "bad configuration: $(cat "$WORK/err")"

CASE="damaged database"
head -c 8192 /dev/urandom >"$WORK/damaged.db"
set +e
"$KIOSK" status 3520212345671 --db "$WORK/damaged.db" 2>"$WORK/err"; rc=$?
set -e
[ "$rc" -eq 1 ] || fail "damaged database should exit 1 (got $rc)"
grep -q "damaged" "$WORK/err" || fail "no plain message for a damaged database: $(cat "$WORK/err")"
printf 'SQLite format 3\0' | cmp -s - <(head -c 16 "$WORK/damaged.db") && fail "damaged file was rewritten"

CASE="no terminal"
write_config idle_timeout=600
set +e
env -u TERM "$KIOSK" --db "$WORK/t.db" --config "$CONF" </dev/null >/dev/null 2>"$WORK/err"; rc=$?
set -e
[ "$rc" -eq 1 ] || fail "without a terminal the kiosk should exit 1 (got $rc)"
grep -q "needs a terminal" "$WORK/err" || fail "no plain message without a terminal: $(cat "$WORK/err")"
(TERM=no-such-terminal script -qec "$KIOSK --db $WORK/t.db --config $CONF" /dev/null >"$WORK/out" 2>&1) || true
grep -q "TERM=no-such-terminal" "$WORK/out" || fail "unknown TERM not explained: $(cat "$WORK/out")"

CASE="embedded default"
mkdir "$WORK/fresh"
(cd "$WORK/fresh" && TERM=xterm-256color timeout 20 script -qec "$KIOSK --exit-after-first-frame" /dev/null >"$WORK/first-frame.txt") ||
    fail "--exit-after-first-frame did not draw and exit by itself"
grep -q "Register / update household" "$WORK/first-frame.txt" || fail "first frame not drawn"
[ -f "$WORK/fresh/var/nser-kiosk.db" ] || fail "no var/nser-kiosk.db created"
cmp -s "$WORK/fresh/var/nser-kiosk.conf" "$ROOT/docs/nser-kiosk.conf.example" ||
    fail "var/nser-kiosk.conf differs from docs/nser-kiosk.conf.example"
for f in var var/nser-kiosk.conf var/nser-kiosk.db var/nser-kiosk.log; do
    mode=$(stat -c %a "$WORK/fresh/$f")
    [ "$mode" = 600 ] || [ "$mode" = 700 ] || fail "$f is mode $mode: personal data must be owner-only"
done
CASE="make install"
make -s -C "$ROOT" install DESTDIR="$WORK/inst" PREFIX=/opt/nser >/dev/null
inst="$WORK/inst/opt/nser"
for f in bin/nser-kiosk share/locale/ur_Latn/LC_MESSAGES/nser-kiosk.mo \
    share/nser-kiosk/nser-kiosk.conf.example; do
    [ -f "$inst/$f" ] || fail "make install did not install $f"
done
# The installed binary finds its catalogs beside it, whatever PREFIX it was built with.
env -u NSER_LOCALEDIR "$inst/bin/nser-kiosk" --lang ur_Latn --help | grep -q "^Istemal:" ||
    fail "installed binary does not find its Roman Urdu catalog"
echo "PASS $TEST_NAME"

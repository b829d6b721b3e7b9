#!/usr/bin/env bash
# The command line a centre manager or an auditor meets: --help and
# --version, refusals with exit status 2, a bad configuration refused with
# its line number, a damaged database, no terminal; `nser-kiosk score` on
# the hand-computed households (tests/data/households, expected.tsv) as
# text and as --json; a broken questionnaire refused at start with its
# file, line and reason; the embedded default (./var/) created on a first
# start in an empty folder; and `make install` giving a binary that finds
# its catalogs and data files beside it; `doctor` with USB switched off,
# and the shipped udev rules being exactly what `doctor --udev-rules`
# writes (and what make install puts where udev reads).
. "$(dirname "$0")/lib.sh"

HOUSEHOLDS=$ROOT/tests/data/households

CASE="help"
"$KIOSK" --help | grep -q "nser-kiosk status CNIC|TRACKING-ID" || fail "--help lacks the status command"
"$KIOSK" --help | grep -q "nser-kiosk score ANSWERS.json" || fail "--help lacks the score command"
"$KIOSK" --help | grep -q "nser-kiosk doctor" || fail "--help lacks the doctor command"
"$KIOSK" --version | grep -qE '^nser-kiosk [0-9]+\.[0-9]+\.[0-9]+$' || fail "--version"

CASE="refusals"
set +e
"$KIOSK" --frobnicate >/dev/null 2>&1
[ $? -eq 2 ] || fail "unknown option should exit 2"
"$KIOSK" --lang fr 2>"$WORK/err"
[ $? -eq 2 ] || fail "unknown language should exit 2"
grep -q "unknown language 'fr'" "$WORK/err" || fail "no reason for the language"
"$KIOSK" frobnicate >/dev/null 2>&1
[ $? -eq 2 ] || fail "unknown command should exit 2"
"$KIOSK" status >/dev/null 2>&1
[ $? -eq 2 ] || fail "status without argument should exit 2"
printf 'kiosk_code = 00001\nidle_timeout = soon\n' >"$WORK/bad.conf"
"$KIOSK" --config "$WORK/bad.conf" --db "$WORK/x.db" 2>"$WORK/err" </dev/null
rc=$?
set -e
[ "$rc" -eq 1 ] || fail "bad configuration should exit 1 (got $rc)"
grep -q "line 2: idle_timeout" "$WORK/err" || fail "bad configuration: $(cat "$WORK/err")"

CASE="doctor"
printf 'usb = off\n' >"$WORK/nousb.conf"
"$KIOSK" doctor --config "$WORK/nousb.conf" >"$WORK/out" || fail "doctor with usb = off should exit 0"
grep -q "switched off" "$WORK/out" || fail "doctor with usb = off: $(cat "$WORK/out")"
"$KIOSK" doctor --udev-rules | cmp -s - "$ROOT/data/udev/70-nser-kiosk.rules" ||
    fail "data/udev/70-nser-kiosk.rules differs from doctor --udev-rules"
set +e
"$KIOSK" doctor extra >/dev/null 2>&1
[ $? -eq 2 ] || fail "doctor with an argument should exit 2"
set -e

CASE="damaged database"
head -c 8192 /dev/urandom >"$WORK/damaged.db"
set +e
"$KIOSK" status 3520212345671 --db "$WORK/damaged.db" 2>"$WORK/err"
rc=$?
set -e
[ "$rc" -eq 1 ] || fail "damaged database should exit 1 (got $rc)"
grep -q "damaged" "$WORK/err" || fail "no plain message for a damaged database: $(cat "$WORK/err")"
printf 'SQLite format 3\0' | cmp -s - <(head -c 16 "$WORK/damaged.db") && fail "damaged file was rewritten"

CASE="no terminal"
write_config
set +e
env -u TERM "$KIOSK" --db "$WORK/t.db" --config "$CONF" </dev/null >/dev/null 2>"$WORK/err"
rc=$?
set -e
[ "$rc" -eq 1 ] || fail "without a terminal the kiosk should exit 1 (got $rc)"
grep -q "needs a terminal" "$WORK/err" || fail "no plain message without a terminal: $(cat "$WORK/err")"
(TERM=no-such-terminal script -qec "$KIOSK --db $WORK/t.db --config $CONF" /dev/null >"$WORK/out" 2>&1) || true
grep -q "TERM=no-such-terminal" "$WORK/out" || fail "unknown TERM not explained: $(cat "$WORK/out")"

# Every hand-computed household: the exit status, the score and the
# programme's decision, or the indicator and the question at fault.
CASE="score, expected.tsv"
rows=0
while IFS=$'\t' read -r file want_rc want_score want_decision want_item want_what; do
    case $file in '#'* | '') continue ;; esac
    rows=$((rows + 1))
    CASE="score $file"
    set +e
    "$KIOSK" score --json "$HOUSEHOLDS/$file" >"$WORK/score.json" 2>"$WORK/err"
    rc=$?
    set -e
    [ "$rc" = "$want_rc" ] || fail "exit $rc, expected $want_rc: $(cat "$WORK/err")"
    jq -e '.provisional == true' "$WORK/score.json" >/dev/null || fail "--json does not say provisional"
    if [ "$want_rc" = 0 ]; then
        [ "$(jq -r '.score' "$WORK/score.json")" = "$want_score" ] ||
            fail "score $(jq -r '.score' "$WORK/score.json"), expected $want_score"
        [ "$(jq -r '.programmes[] | select(.id == "bisp_2010") | .decision' "$WORK/score.json")" = "$want_decision" ] ||
            fail "bisp_2010 decision, expected $want_decision"
        # The text form says the same, and that it is provisional.
        "$KIOSK" score "$HOUSEHOLDS/$file" >"$WORK/score.txt"
        grep -q "^Provisional score: $want_score " "$WORK/score.txt" || fail "text form: $(head -3 "$WORK/score.txt")"
    else
        [ "$(jq -r '.problem.indicator' "$WORK/score.json")" = "$want_item" ] ||
            fail "indicator at fault $(jq -r '.problem.indicator' "$WORK/score.json"), expected $want_item"
        jq -e --arg w "$want_what" '.problem.question == $w or .problem.answer == $w' \
            "$WORK/score.json" >/dev/null || fail "the fault does not name '$want_what'"
        grep -q "cannot be scored" "$WORK/err" || fail "no plain reason on stderr: $(cat "$WORK/err")"
    fi
done <"$HOUSEHOLDS/expected.tsv"
[ "$rows" -ge 20 ] || fail "expected.tsv has only $rows households"
CASE="score refusals"
set +e
"$KIOSK" score >/dev/null 2>&1
[ $? -eq 2 ] || fail "score without a file should exit 2"
"$KIOSK" score "$WORK/none.json" >/dev/null 2>&1
[ $? -eq 1 ] || fail "score of a missing file should exit 1"
echo '{"members": [' >"$WORK/broken.json"
"$KIOSK" score "$WORK/broken.json" >/dev/null 2>"$WORK/err"
[ $? -eq 1 ] || fail "score of broken JSON should exit 1"
set -e
grep -q "broken.json" "$WORK/err" || fail "broken JSON not named: $(cat "$WORK/err")"

# A survey file with a mistake: the kiosk refuses to start (in a real
# terminal, before drawing anything) with the file, the line and why.
CASE="broken questionnaire"
mkdir "$WORK/survey"
cp "$ROOT/data/places.tsv" "$WORK/survey/"
sed 's/^show_if employment_status in /show_if employment_stats in /' "$ROOT/data/questionnaire.txt" \
    >"$WORK/survey/questionnaire.txt"
line=$(grep -n '^show_if employment_stats' "$WORK/survey/questionnaire.txt" | cut -d: -f1)
[ -n "$line" ] || fail "could not break the questionnaire"
write_config "questionnaire=$WORK/survey/questionnaire.txt"
set +e
TERM=xterm-256color script -qec "$KIOSK --db $WORK/q.db --config $CONF; echo \"[exit \$?]\"" /dev/null >"$WORK/out" 2>&1
set -e
grep -q "\[exit 1\]" "$WORK/out" || fail "a broken questionnaire did not exit 1: $(cat "$WORK/out")"
grep -q "questionnaire.txt line $line: 'show_if' names 'employment_stats', which is not a question" "$WORK/out" ||
    fail "no file, line and reason: $(cat "$WORK/out")"
grep -q "not starting with a broken survey" "$WORK/out" || fail "does not say it will not start"
grep -q "Register household" "$WORK/out" && fail "drew the home screen with a broken survey"
[ ! -e "$WORK/q.db" ] || fail "a broken survey left a new database behind"
write_config "questionnaire=$WORK/survey/none.txt"
set +e
"$KIOSK" --db "$WORK/q.db" --config "$CONF" </dev/null 2>"$WORK/err"
rc=$?
set -e
[ "$rc" = 1 ] && grep -q "cannot find the questionnaire" "$WORK/err" ||
    fail "a missing questionnaire: exit $rc, $(cat "$WORK/err")"

CASE="embedded default"
mkdir "$WORK/fresh"
(cd "$WORK/fresh" && TERM=xterm-256color timeout 20 script -qec "$KIOSK --exit-after-first-frame" /dev/null >"$WORK/first-frame.txt") ||
    fail "--exit-after-first-frame did not draw and exit by itself"
grep -q "Register household" "$WORK/first-frame.txt" || fail "first frame not drawn"
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
    share/nser-kiosk/nser-kiosk.conf.example share/nser-kiosk/questionnaire.txt \
    share/nser-kiosk/places.tsv share/nser-kiosk/scorecard-pk-2009.txt share/nser-kiosk/thresholds.txt; do
    [ -f "$inst/$f" ] || fail "make install did not install $f"
done
cmp -s "$WORK/inst/etc/udev/rules.d/70-nser-kiosk.rules" "$ROOT/data/udev/70-nser-kiosk.rules" ||
    fail "make install did not put the udev rules in /etc/udev/rules.d"
# The installed binary finds its catalogs and data beside it, whatever
# PREFIX it was built with.
ur=$(translated ur_Latn "Language")
[ "$ur" != Language ] || fail "no Roman Urdu catalog in $NSER_LOCALEDIR"
set +e
env -u NSER_LOCALEDIR "$inst/bin/nser-kiosk" --lang ur_Latn status 2>"$WORK/ur-installed"
"$KIOSK" status 2>"$WORK/en"
"$KIOSK" --lang ur_Latn status 2>"$WORK/ur-built"
set -e
cmp -s "$WORK/ur-installed" "$WORK/ur-built" && ! cmp -s "$WORK/ur-installed" "$WORK/en" ||
    fail "installed binary does not find its Roman Urdu catalog: $(cat "$WORK/ur-installed")"
mkdir "$WORK/elsewhere"
(cd "$WORK/elsewhere" && env -u NSER_DATADIR "$inst/bin/nser-kiosk" score \
    "$HOUSEHOLDS/h01_punjab_couple_two_children.json" >"$WORK/out") ||
    fail "installed binary does not find its score table"
(cd "$WORK/elsewhere" && env -u NSER_DATADIR TERM=xterm-256color timeout 20 \
    script -qec "$inst/bin/nser-kiosk --exit-after-first-frame" /dev/null >"$WORK/out") ||
    fail "installed binary did not start (its questionnaire?): $(cat "$WORK/out")"
grep -q "Register household" "$WORK/out" || fail "installed binary drew no home screen"
echo "PASS $TEST_NAME"

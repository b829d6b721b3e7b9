#!/usr/bin/env bash
# On the Linux console (TERM=linux), whose fonts cannot hold Arabic
# script's joined forms, Urdu asked for by --lang, the config or the
# language button is shown in Roman Urdu, and the button skips the script
# it cannot draw; the log says why once. Terminals that run the bidi
# algorithm themselves (VTE) are put in explicit mode (ECMA-48 BDSM reset,
# ESC [ 8 l) at start and given implicit mode back at the end, so they do
# not reverse the kiosk's Urdu a second time.
. "$(dirname "$0")/lib.sh"

ur() { translated ur_Latn "$1"; }
has_arabic() { screen_text | grep -qP '[\x{0600}-\x{06FF}\x{FB50}-\x{FEFF}]'; }

CASE="--lang ur on the console"
[ "$(ur "Check status")" != "Check status" ] || fail "no Roman Urdu catalog (build/asan/locale)"
KIOSK_ENV="TERM=linux LSAN_OPTIONS=suppressions=$PWD/tests/screen/lsan-console.supp:fast_unwind_on_malloc=0" start_kiosk 80 24 --lang ur
wait_for "$(ur "Check status")"
! has_arabic || fail "Arabic script drawn on the Linux console"
grep -q "Linux console cannot draw Urdu script" "$WORK/kiosk.log" || fail "no log line saying why"

CASE="the language button skips Urdu script"
keys 3 # Roman Urdu -> English (Urdu script skipped)
wait_for "Check status"
keys 3 # English -> Roman Urdu
wait_for "$(ur "Check status")"
! has_arabic || fail "Arabic script drawn on the Linux console"
stop_kiosk

CASE="language = ur in the config, in an ordinary terminal"
write_config language=ur
start_kiosk 80 24
has_arabic || fail "Urdu script missing in a terminal that can draw it"
stop_kiosk
CASE="bidi mode of the terminal"
out=$(TERM=xterm LANG=C.UTF-8 ASAN_OPTIONS=detect_leaks=0 script -qec \
    "$KIOSK --db $DB --config $CONF --lang ur --exit-after-first-frame" /dev/null | od -An -c | tr -d ' \n')
case "$out" in
*033[8l*033[8h*) ;;
*) fail "the kiosk did not reset BDSM at start and set it at the end" ;;
esac

check_sanitizers
echo "PASS $TEST_NAME"

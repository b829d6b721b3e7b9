#!/usr/bin/env bash
# Screenshots of the Urdu screens in xterm under Xvfb, with the fonts
# docs/urdu.md documents (DejaVu Sans Mono, Noto through fontconfig): the
# home page, a registration walked in Urdu (its first survey page, the
# review and the receipt), the CNIC typed on the status check, and an
# unknown CNIC, at 80x24. The kiosk runs in tmux as in the other screen tests; an xterm of
# the same size attached to it is what gets photographed (ImageMagick's
# import). The PNGs go to build/screenshots/ (SCREENSHOT_DIR); with
# UPDATE_DOCS=1 they are also copied to docs/img/ for the README.
# Checks that each picture holds drawn text (not a blank or a failed
# window); what the text is, test_urdu_screens checks on the same screens.
# Needs Xvfb, xterm, tmux and ImageMagick; skips (passes with a note)
# when there is no Xvfb or xterm.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/urdu_lib.sh"

for tool in Xvfb xterm import; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "note: no $tool: screenshots skipped" >&2
        echo "PASS $TEST_NAME (skipped)"
        exit 0
    fi
done
OUT=${SCREENSHOT_DIR:-$ROOT/build/screenshots}
mkdir -p "$OUT"

# A display number nobody uses, and its server, ended by our own trap.
DISP=""
for n in $(seq 90 140); do
    if [ ! -e "/tmp/.X11-unix/X$n" ] && [ ! -e "/tmp/.X$n-lock" ]; then DISP=$n; break; fi
done
[ -n "$DISP" ] || fail "no free X display number"
Xvfb ":$DISP" -screen 0 1400x900x24 -nolisten tcp >"$WORK/xvfb.log" 2>&1 &
XVFB_PID=$!
XTERM_PID=""
stop_x() {
    [ -z "$XTERM_PID" ] || kill "$XTERM_PID" 2>/dev/null || true
    kill "$XVFB_PID" 2>/dev/null || true
    cleanup
}
trap stop_x EXIT
i=0
until [ -e "/tmp/.X11-unix/X$DISP" ]; do
    i=$((i + 1))
    [ "$i" -lt 100 ] || fail "Xvfb did not start: $(cat "$WORK/xvfb.log")"
    sleep 0.05
done

# shot NAME: the xterm window, as a PNG.
shot() {
    sleep 0.5 # xterm repaints after tmux: nothing to wait on but time
    import -display ":$DISP" -window root -crop "$(xterm_geometry)" +repage "$OUT/$1.png" ||
        fail "import $1 failed"
    local colours
    colours=$(convert "$OUT/$1.png" -format %k info:)
    [ "$colours" -gt 8 ] || fail "$1.png holds no drawn text ($colours colours)"
    echo "  $OUT/$1.png"
}

# The xterm's size in pixels (it sits at 0,0): WxH+0+0.
xterm_geometry() {
    local w h
    read -r w h < <(xwininfo -display ":$DISP" -name nser-urdu 2>/dev/null |
        awk '/Width:/ { w = $2 } /Height:/ { h = $2 } END { print w, h }')
    echo "${w:-800}x${h:-600}+0+0"
}

start_kiosk 80 24 --lang ur
tmux -L "$SOCK" set-option -g status off >/dev/null
DISPLAY=":$DISP" xterm -T nser-urdu -geometry 80x24+0+0 -en UTF-8 -u8 \
    -fa "DejaVu Sans Mono:size=14" -bg black -fg white +sb \
    -e tmux -L "$SOCK" attach -t k >"$WORK/xterm.log" 2>&1 &
XTERM_PID=$!
i=0
until tmux -L "$SOCK" list-clients 2>/dev/null | grep -q .; do
    i=$((i + 1))
    [ "$i" -lt 200 ] || fail "xterm never attached: $(cat "$WORK/xterm.log")"
    sleep 0.05
done
wait_for "Test Centre"
shot urdu-home

# A registration in Urdu, as test_urdu_screens walks it (its checks are
# there); the first survey page, the review and the receipt photographed.
NAME_UR="محمد علی"
LOCALITY_UR="بلاک سی جوہر ٹاؤن"
UR_TYPED="$NAME_UR $LOCALITY_UR"
ADDRESS_UR=()
for kv in "${ADDRESS[@]}"; do
    case $kv in locality=*) ADDRESS_UR+=("locality=$LOCALITY_UR") ;; *) ADDRESS_UR+=("$kv") ;; esac
done
SURVEY_SHOT=0
shot_first_page() {
    [ "$SURVEY_SHOT" = 1 ] || { SURVEY_SHOT=1; shot urdu-survey; }
}
keys 2
wait_ur "Head's CNIC:"
type_text 3520212345671
wait_for "35202-1234567-1"
keys Enter
ur_survey shot_first_page "${ADDRESS_UR[@]}"
wait_ur "People in the household: %d"
keys Home
ur_after Enter
ur_survey true "name=$NAME_UR" age=46 marital_status=married literate=yes highest_class=10 \
    employment_status=self_employed occupation=craft disability=none
wait_ur "People in the household: %d"
ur_after F2
ur_survey true "${HOUSE[@]}"
wait_ur "Check your answers"
shot urdu-review
keys F2
wait_ur "Yes, save"
keys 1
wait_ur "Registration saved"
shot urdu-receipt
keys 2
wait_ur "Check status"

keys 1
wait_for "Test Centre"
type_text 3520299999991
wait_for "35202-9999999-1"
shot urdu-status-entry
keys Enter
wait_for "35202-9999999-1"
sleep 0.3
shot urdu-unknown-cnic
stop_kiosk

if [ "${UPDATE_DOCS:-0}" = 1 ]; then
    cp "$OUT"/urdu-*.png "$ROOT/docs/img/"
fi
echo "PASS $TEST_NAME"

#!/usr/bin/env bash
# capture-screens.sh - drives the real kiosk in tmux at 80x24 through a
# registration and a status check and writes the screens as text into
# docs/screens.md, so the documentation shows what the program shows.
# Usage: scripts/capture-screens.sh   (after `make check` or `make`)
KIOSK=${KIOSK:-$(cd "$(dirname "$0")/.." && pwd)/build/nser-kiosk}
export NSER_LOCALEDIR=${NSER_LOCALEDIR:-$(dirname "$KIOSK")/locale}
. "$(dirname "$0")/../tests/screen/lib.sh"

OUT="$ROOT/docs/screens.md"
shot() { # shot TITLE
    {
        echo "### $1"
        echo '```'
        screen_text | sed 's/[[:space:]]*$//'
        echo '```'
        echo
    } >>"$OUT"
}

{
    echo "# Screens"
    echo
    echo "Text captures of the real binary at 80x24, made by"
    echo "\`scripts/capture-screens.sh\` (colours are not shown)."
    echo
} >"$OUT"

start_kiosk 80 24
shot "Home"
keys 2
wait_for "Head's CNIC"
type_text 3520212345671
shot "Registration: head's CNIC"
keys Enter
wait_for "Full name"
type_text "Muhammad Ali"
keys Enter 1
type_text 05111980
keys Enter
type_text 03001234567
keys Enter
type_text Lahore
keys Enter
type_text "Model Town"
shot "Registration: head of household"
keys Enter
wait_for "Household members"
keys a
type_text "Fatima Bibi"
keys Enter 1 2
type_text 01011985
keys Enter Enter
type_text 3520212345672
keys Enter
wait_for "Fatima Bibi"
keys a
type_text "Ahmed Ali"
keys Enter
shot "Registration: a member (the focused question lists its choices)"
keys 2 1 Enter
type_text 7
keys Enter Enter
wait_for "Ahmed Ali"
shot "Registration: household roster"
keys F2
wait_for "Number of rooms"
type_text 2
keys Enter 2
shot "Registration: housing"
keys 2
wait_for "Check and confirm"
shot "Registration: review"
keys Enter
wait_for "Yes, save"
shot "Registration: confirm"
keys 1
wait_for "Your tracking ID"
shot "Receipt"
tid=$(screen_text | grep -oE 'Tracking ID: [0-9-]+' | head -1 | cut -d' ' -f3)
keys Enter
keys 1
type_text "$tid"
shot "Check status: typing a tracking ID"
keys Enter
wait_for "Registration found"
shot "Check status: found"
keys Enter 1
type_text 4210112345678
keys Enter
wait_for "Your survey is incomplete."
shot "Check status: unknown CNIC"
keys Escape
keys C-u
type_text 9210112345678
keys Enter
shot "Check status: invalid CNIC refused"
keys Escape Escape 3
shot "Home in Roman Urdu"
stop_kiosk
echo "wrote $OUT"

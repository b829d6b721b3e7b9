#!/usr/bin/env bash
# capture-screens.sh - drives the real kiosk in tmux at 80x24 through a
# registration (counter mode), a status check, a resumed draft and the
# USB devices (emulated: tests/usb/usbemu.py) and writes the screens as
# text into docs/screens.md, so the documentation shows what the program
# shows.
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
    echo "Text captures of the real binary at 80x24 (three at 132x43), made by"
    echo "\`scripts/capture-screens.sh\` (colours are not shown)."
    echo
} >"$OUT"

# Counter mode, so the clerk's screens (drafts, score) are captured too.
write_config idle_timeout=600 mode=clerk
make_accounts
start_kiosk 80 24
shot "Staff log-in (a counter machine starts here)"
clerk_login clerk1 135790
shot "Home (counter mode)"
keys 2
wait_for "Head's CNIC"
type_text 3520212345671
shot "Registration: head's CNIC"
keys Enter
wait_for "Why have you come today?"
shot "Survey: a choice question (its digit picks it)"
keys 1 Enter
wait_for "Province or region"
keys 3
type_text lah
shot "Survey: a pick list filters as letters are typed"
keys Enter 3 2
type_text "Street 5"
keys Enter 1
wait_for "Household members"
keys Enter
wait_for "Full name"
type_text "Muhammad Ali"
keys Enter Enter Enter Enter
type_text 45
keys Enter 2
shot "Survey: a member page (marital status appeared once the age was known)"
keys Enter
wait_for "Can read and write"
keys 1
type_text 8
keys Enter 1
wait_for "What kind of work"
shot "Survey: occupation is asked only of working members"
choose "Labour (daily wage, helper)"
wait_for "Greatest difficulty"
keys 1
wait_for "Household members"
keys a
type_text "Fatima Bibi"
keys Enter
type_text wife
keys Enter 2 Enter
type_text 40
keys Enter 2
type_text 3520212345672
keys Enter
wait_for "Can read and write"
keys 2
type_text 0
keys Enter
choose "Housework"
wait_for "Greatest difficulty"
keys 2
wait_for "How much difficulty"
shot "Survey: severity is asked once a difficulty is named"
keys 2
wait_for "Fatima Bibi"
shot "Survey: household roster"
keys F2
wait_for "Who owns this house"
keys 1
type_text 2
keys Enter 1 3
wait_for "What toilet"
keys 3 2 1 1
wait_for "Refrigerator"
keys 2 2 2 2 2 2 1 2 1 2
wait_for "farm land"
keys 2
wait_for "buffaloes"
for _ in 1 2 3 4 5 6 7; do
    type_text 0
    keys Enter
done
wait_for "pension"
keys 2 2
wait_for "Check your answers"
shot "Review: every answer read back (2 or Enter changes the line selected, 1 saves)"
keys F5
wait_for "PROVISIONAL"
shot "Provisional score (counter mode only)"
keys Escape F2
wait_for "Yes, save"
shot "Review: confirm"
keys 1
wait_for "Registration saved"
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
keys Escape Escape 2
type_text 4210112345679
keys Enter
wait_for "Why have you come today?"
keys 4
stop_kiosk
start_kiosk 80 24
clerk_login clerk1 135790
keys 4
wait_for "Saved drafts"
shot "Saved drafts (counter mode)"
keys Escape 2
type_text 4210112345679
keys Enter
wait_for "Saved answers found"
shot "Resuming a draft after a restart"
keys Escape Escape 3
shot "Home in Roman Urdu"
stop_kiosk

# What an applicant sees: big digits, the big + and *, the help, a CNIC
# typed in Urdu digits shown big; then the larger layout at 132x43.
write_config idle_timeout=600
start_kiosk 80 24
wait_for "Register household"
shot "Home (applicant): each choice's digit big, + back and * help big"
keys '*'
wait_for "Press any key to go on."
shot "Help (*) on the home page"
keys Escape 1
wait_for "CNIC or tracking ID:"
type_text "۳۵۲۰۲۱۲۳۴۵۶۷۱"
wait_for "35202-1234567-1"
shot "Check status: a CNIC typed in Urdu digits, shown big"
stop_kiosk
start_kiosk 132 43
wait_for "Register household"
shot "Home at 132x43 (the larger layout)"
keys 2
type_text 3520212345691 # not the one registered above
wait_for "35202-1234569-1"
shot "Registration: head's CNIC at 132x43"
keys Enter
wait_for "Why have you come today?"
shot "Survey: a choice question at 132x43 (5-row digits)"
stop_kiosk

# The USB devices, emulated: a card read, a scan that is not a CNIC, a
# device unplugged, and the receipt printed.
. "$ROOT/tests/usb/lib.sh"
emu_start --plug reader --plug scanner --plug printer
# voice off: the sound device's files overflow umockdev's fd map
write_config idle_timeout=600 voice=off
start_kiosk 80 24
keys 2
wait_for "Head's CNIC"
emu insert-card >/dev/null
wait_for "On the card" 10
shot "Devices: the identity card read on the CNIC page"
emu remove-card >/dev/null
wait_for "Card taken out"
keys Escape Escape 1
wait_for "CNIC or tracking ID"
emu scan "https://example.org" >/dev/null
wait_for "No CNIC in that code" 10
shot "Devices: a scan with no CNIC in it"
emu unplug reader >/dev/null
wait_for "unplugged" 10
shot "Devices: the card reader unplugged"
stop_kiosk
emu_run "$KIOSK" doctor --config "$CONF" >"$WORK/doctor.txt" || true
{
    echo "### \`nser-kiosk doctor\`"
    echo '```'
    cat "$WORK/doctor.txt"
    echo '```'
    echo
} >>"$OUT"
# Fingerprints, on libfprint's virtual_device: the finger page mid-way
# with a retry in words, a stage timeout's choices, the exception page
# and the review line.
. "$ROOT/tests/screen/fp_lib.sh"
FP_RUNS0=$RUNS # the kiosks started above had no reader
: >"$WORK/kiosk.log"
rm -f "$DB" "$DB"-*
write_config idle_timeout=600 mode=clerk fp_stage_timeout=5
make_accounts
start_kiosk 80 24
clerk_login clerk1 135790
fp_start_registration 3520212345671
fp SCAN capture-finger
wait_for "Stage 2 of 5"
fp RETRY 2
wait_for "Not in the middle"
shot "Fingerprint: stage 2 of 5, a retry in plain words"
wait_for "No finger was felt in time." 20
shot "Fingerprint: a stage timed out (clerk: 3 records an exception)"
keys 3
wait_for "Fingerprint exception"
keys 1
wait_for "Reason: Worn"
shot "Fingerprint exception: the reason, then the clerk's own PIN"
type_text 135790
keys Enter
wait_for "Draft" 10
stop_kiosk
# An applicant's finger page: the big + and * corner, and after a timeout
# the choices as big number keys.
rm -f "$DB" "$DB"-*
write_config idle_timeout=600 fp_stage_timeout=5
start_kiosk 80 24
fp_start_registration 3520212345671
wait_for "Stage 1 of 5"
shot "Fingerprint (applicant): the finger to press, + back and * help"
wait_for "No finger was felt in time." 20
shot "Fingerprint (applicant): a stage timed out, 1 try again or 2 another finger"
stop_kiosk
echo "wrote $OUT"

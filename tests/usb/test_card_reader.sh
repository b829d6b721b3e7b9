#!/usr/bin/env bash
# The identity card in the reader, as an applicant meets it: the card put
# in on the CNIC page fills the number and shows the name and date of birth
# read back; taken out, the kiosk says so; put in at the home screen it is
# not used and the applicant is told what to choose. The same card read by
# readers of every exchange level (APDU; TPDU with T=0 and with T=1) and by
# a reader without an interrupt endpoint (polled), all with a VID:PID in
# no table. Every fault (stall, timeout, truncated header, wrong sequence,
# oversized length, garbage, an ATR that lies, unplug mid-transfer) ends in
# a message and a kiosk whose next card reads.
. "$(dirname "$0")/../screen/lib.sh"
. "$(dirname "$0")/lib.sh"

clear_field() { # the CNIC field emptied, so a read must be seen to fill it
    keys End
    local i
    for i in $(seq 16); do keys BSpace; done
    wait_gone "35202-1234567-1"
}

read_card() { # read_card: put the default card in on the CNIC page, check, take it out
    emu insert-card
    wait_for "35202-1234567-1" 10
    wait_for "On the card: Muhammad Aslam, born 14-03-1985"
    emu remove-card
    wait_notice "Card taken out."
}

CASE="card on the CNIC page"
emu_start --plug reader
write_config
start_kiosk 80 24
go_to_cnic_page
read_card
# Enter takes it like typed digits: the survey starts for that CNIC.
emu insert-card
wait_for "35202-1234567-1" 10
keys Enter
wait_for "About this registration" 10
[ "$(sql "SELECT head_cnic FROM drafts")" = 3520212345671 ] || fail "the draft is not for the card's CNIC"
emu remove-card

CASE="card at home"
keys Escape
wait_for "Head's CNIC:"
keys Escape
wait_for "Register household"
emu insert-card
wait_notice "first choose Check status or Register household"
emu remove-card
stop_kiosk

CASE="a card of another application"
start_kiosk 80 24
go_to_cnic_page
emu insert-card wrong-aid.json
wait_notice "not an identity card this kiosk can read"
emu remove-card
wait_notice "Card taken out."
read_card

for fault in stall timeout truncate badseq oversize garbage lying-atr; do
    CASE="fault $fault"
    clear_field
    emu fault reader "$fault"
    emu insert-card
    if [ "$fault" = stall ]; then
        # A stall is cleared and the command sent again: the card reads.
        wait_for "35202-1234567-1" 15
    elif [ "$fault" = lying-atr ]; then
        wait_for "This card does not answer" 15
    else
        wait_for "Take it out and put it in again" 15
    fi
    emu remove-card
    wait_notice "Card taken out."
    clear_field
    read_card
done

CASE="unplugged mid-read, plugged back"
clear_field
emu fault reader unplug-mid
emu insert-card
wait_notice "unplugged while reading the card"
refute_screen "35202-1234567-1"
# Typing still works, and the reader works again once plugged back in.
type_text 3520298765431
wait_for "35202-9876543-1"
clear_field
# The card stayed in the unplugged reader: plugged back, it is read.
emu plug reader
wait_for "On the card: Muhammad Aslam" 10
emu remove-card
wait_notice "Card taken out."
clear_field
read_card
stop_kiosk

for level in "--level tpdu --proto t0" "--level tpdu --proto t1" "--no-interrupt" "--level tpdu --proto t1 --no-interrupt"; do
    CASE="reader $level"
    emu unplug reader
    # shellcheck disable=SC2086
    emu plug reader $level
    start_kiosk 80 24
    go_to_cnic_page
    clear_field
    read_card
    stop_kiosk
done

grep -q "card reader" "$WORK/kiosk.log" || fail "nothing about the reader in the log"
! grep -qE '3520212345671|35202-1234567-1|Aslam|19850314' "$WORK/kiosk.log" ||
    fail "the log holds the card's personal data"
echo "PASS $TEST_NAME"

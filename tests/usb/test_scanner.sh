#!/usr/bin/env bash
# The barcode scanner, as an applicant meets it: the back of the card
# scanned on the status check fills the number (QR payloads with the CNIC
# among other fields, dashed or not); a code without a CNIC gets a notice
# and leaves the field alone; a scan on the home screen is not used; a
# flood of reports leaves a kiosk that still answers keys and scans. The
# scanner's keyboard driver (usbhid) is given back when the kiosk exits,
# so a scanner types into the console again; unplugged and plugged back,
# it works with no restart.
. "$(dirname "$0")/../screen/lib.sh"
. "$(dirname "$0")/lib.sh"

CASE="scan on the status check"
emu_start --plug scanner
write_config
start_kiosk 80 24
[ "$(emu_status scanner driver)" = "-" ] || fail "the kiosk did not take the scanner from usbhid"
keys 1
wait_for "CNIC or tracking ID:"
emu scan "NADRA|4210198765433|MUHAMMAD ASLAM|1985-03-14"
wait_for "42101-9876543-3" 10
wait_notice "CNIC read from the scan"
keys Enter
wait_for "not in the registry yet" 10
refute_screen "CNIC read from the scan"

CASE="a code without a CNIC"
keys Escape
wait_for "CNIC or tracking ID:"
keys End
for i in $(seq 20); do keys BSpace; done
wait_gone "42101-9876543-3"
emu scan "https://example.org/a-poster"
wait_notice "No CNIC in that code"
[ -z "$(screen_text | grep "CNIC or tracking ID:" | sed "s/.*ID://" | tr -d " ")" ] || fail "the field was filled"
emu scan "ID 61101-7654321-2 OK"
wait_for "61101-7654321-2" 10

CASE="scan at home"
keys Escape
wait_for "Register household"
emu scan "4210198765433"
wait_notice "first choose Check status or Register household"

CASE="a flood of reports"
emu fault scanner flood 5000
wait_notice "No CNIC in that code"
keys 1
wait_for "CNIC or tracking ID:"
keys End
for i in $(seq 20); do keys BSpace; done
wait_gone "61101-7654321-2"
type_text 3520255555551
wait_for "35202-5555555-1" 10
keys End
for i in $(seq 20); do keys BSpace; done
wait_gone "35202-5555555-1"
# What the flood typed is read off (a scanner queues nothing real: the
# emulator queues it all), then a real scan works again.
drained() { [ "$(emu_status scanner queued)" = 0 ] && [ "$(emu_status scanner unread)" = 0 ]; }
for i in $(seq 300); do
    drained && break
    sleep 0.1
done
drained || fail "the flood was never read off"
sleep 0.5
emu scan "4210198765433"
wait_for "42101-9876543-3" 15

CASE="unplugged and plugged back"
keys End
for i in $(seq 20); do keys BSpace; done
wait_gone "42101-9876543-3"
emu unplug scanner
wait_notice "The scanner was unplugged"
emu plug scanner
wait_notice "Scanner ready"
emu scan "4210198765433"
wait_for "42101-9876543-3" 10

CASE="usbhid given back on exit"
stop_kiosk
[ "$(emu_status scanner driver)" = usbhid ] ||
    fail "the scanner's usbhid driver was not given back: $(emu_status scanner driver)"
! grep -qE '4210198765433|ASLAM|7654321|9876543' "$WORK/kiosk.log" || fail "the log holds scanned data"
echo "PASS $TEST_NAME"

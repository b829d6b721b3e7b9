#!/usr/bin/env bash
# The receipt, as an applicant leaves with it: a registration saved at a
# kiosk with a printer prints the centre, the date, the tracking ID large,
# a QR code of it, what to do next, and a cut; the receipt screen shows the
# same QR code, and a phone's decoder (zbarimg) reads the tracking ID from
# the screen capture. P prints again, marked COPY. Paper out and a cover
# left open are said in plain words and nothing is printed; a stalled
# printer is cleared and prints; a printer unplugged is said, and once
# plugged back it prints again. A unidirectional printer (no status) and
# one with no device ID print blind; an office printer whose device ID
# names only PCL and PostScript is left alone (its usblp stays bound)
# unless the centre lists it in printer_ids. All without a restart.
. "$(dirname "$0")/../screen/lib.sh"
. "$(dirname "$0")/lib.sh"

receipt_has() { # receipt_has TEXT: the decoded receipt holds TEXT
    emu_receipt >"$WORK/receipt.txt" 2>&1
    grep -qF -- "$1" "$WORK/receipt.txt" || fail "the receipt lacks '$1': $(cat "$WORK/receipt.txt")"
}

CASE="printed on saving"
emu_start --plug printer
write_config
start_kiosk 80 24
register_household 3520212345671 "Muhammad Aslam"
wait_for "Your receipt is printed" 15
digits=${TID//-/}
receipt_has "Test Centre"
receipt_has "Tracking ID"
receipt_has "$TID"
receipt_has "[QR] $digits"
receipt_has "What to do next"
receipt_has "[CUT]"
! grep -q COPY "$WORK/receipt.txt" || fail "the first receipt says COPY"

CASE="QR code on the screen"
screen_text >"$WORK/pane.txt"
/usr/bin/python3 "$USB_DIR/qr_from_pane.py" -o "$WORK/qr.pbm" "$WORK/pane.txt" ||
    fail "no QR code found on the receipt screen"
got=$(zbarimg -q --raw "$WORK/qr.pbm" 2>/dev/null | tr -d '\n')
[ "$got" = "$digits" ] || fail "the on-screen QR code reads '$got', not $digits"

CASE="print again"
emu printed-clear
keys p
wait_for "Your receipt is printed" 15
emu_wait_more printer bytes 100 10
receipt_has "COPY"
receipt_has "[QR] $digits"

CASE="paper out"
emu printed-clear
emu printer-state paper-out
keys p
wait_for "out of paper" 10
[ "$(emu_status printer bytes)" = 0 ] || fail "something was printed with no paper"
emu printer-state cover-open
keys p
wait_for "cover is open" 10
emu printer-state ok
keys p
wait_for "Your receipt is printed" 15
receipt_has "[QR] $digits"

CASE="a stalled printer"
emu printed-clear
emu fault printer stall
keys p
wait_for "Your receipt is printed" 15
receipt_has "[QR] $digits"

CASE="unplugged and back"
emu unplug printer
wait_notice "The receipt printer was unplugged"
keys p
wait_for "No receipt printer here" 10
emu plug printer
wait_notice "Receipt printer ready"
keys p
wait_for "Your receipt is printed" 15
receipt_has "[QR] $digits"

CASE="unidirectional, and no device ID"
for opts in "--protocol 1" "--device-id none"; do
    emu unplug printer >/dev/null
    wait_notice "The receipt printer was unplugged"
    # shellcheck disable=SC2086
    emu plug printer $opts >/dev/null
    wait_notice "Receipt printer ready"
    keys p
    wait_for "Your receipt is printed" 15
    receipt_has "[QR] $digits"
done

CASE="an office printer"
emu unplug printer >/dev/null
wait_notice "The receipt printer was unplugged"
office="MFG:HP;CMD:PJL,PCL,POSTSCRIPT;MDL:LaserJet-M404;CLS:PRINTER;"
emu plug printer --driver usblp --device-id "$office" >/dev/null
sleep 1
[ "$(emu_status printer driver)" = usblp ] || fail "the kiosk took an office printer from usblp"
keys p
wait_for "No receipt printer here" 10
stop_kiosk
emu_run "$KIOSK" doctor --config "$CONF" >"$WORK/doctor.txt" || true
grep -E "1d6b:ccd3" "$WORK/doctor.txt" | grep -q "not used by the kiosk" ||
    fail "doctor: $(cat "$WORK/doctor.txt")"
write_config printer_ids=1d6b:ccd3
emu_run "$KIOSK" doctor --config "$CONF" >"$WORK/doctor.txt" || fail "doctor: $(cat "$WORK/doctor.txt")"
grep -qE "1d6b:ccd3.*receipt printer +ready" "$WORK/doctor.txt" || fail "doctor: $(cat "$WORK/doctor.txt")"
! grep -qF "$TID" "$WORK/kiosk.log" || fail "the log holds the tracking ID"
echo "PASS $TEST_NAME"

#!/usr/bin/env bash
# test_emulator.sh - the USB emulator (tests/usb/usbemu.py) checked from
# outside with a plain libusb client (tests/usb/usbprobe.c, built here with
# ASan as the kiosk is, and run under the same preload the kiosk gets):
# enumeration and strings, the CCID reader at APDU, TPDU T=0 and TPDU T=1
# level with the virtual card, slot change notifications, the scanner's
# usbhid detach / claim / scan / reattach, the printer's bytes and status,
# hotplug, every fault, and that a run leaves nothing behind.
#
# Must never: need USB hardware, or leave a process or a temp dir behind.
. "$(dirname "$0")/../screen/lib.sh"
. "$(dirname "$0")/../usb/lib.sh"

PROBE=$WORK/usbprobe
cc -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
    -Wmissing-prototypes -Wformat=2 -Wno-format-nonliteral -O1 -g -fno-omit-frame-pointer \
    -fsanitize=address,undefined -fno-sanitize-recover=undefined \
    "$USB_DIR/usbprobe.c" $(pkg-config --cflags --libs libusb-1.0) -o "$PROBE" ||
    fail "usbprobe does not build"
export ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

OUT=""
# probe ARGS...: the probe's output in $OUT (its exit status is not the point).
probe() {
    OUT=$(emu_run "$PROBE" "$@" 2>&1) || true
    if grep -qE 'AddressSanitizer|runtime error|ERROR: ' <<<"$OUT"; then
        fail "probe $*: sanitizer report: $OUT"
    fi
}
has() {
    grep -qF -- "$1" <<<"$OUT" || fail "probe output lacks '$1':
$OUT"
}
lacks() {
    if grep -qF -- "$1" <<<"$OUT"; then fail "probe output has '$1':
$OUT"; fi
}
# A T=1 block: NAD 0, PCB, INF, LRC.
t1() {
    python3 -c '
import sys
b = bytes([0, int(sys.argv[1], 16)]); inf = bytes.fromhex(sys.argv[2] if len(sys.argv) > 2 else "")
b += bytes([len(inf)]) + inf
x = 0
for c in b: x ^= c
print((b + bytes([x])).hex())' "$@"
}
AID="A0 00 00 09 99 4E 53 45 52"
SEL_AID="00 A4 04 0C 09 $AID"
SEL_FID="00 A4 02 0C 02 01 01"

emu_start --plug reader --plug scanner --plug printer
TESTBED=$EMU_UMOCKDEV_DIR

CASE="enumeration"
probe list
has "device 1d6b:ccd1 bus 1 addr 2 if0=0b/00/00 eps=3 extra=21:54 mfr='NSER Test' product='Virtual CCID Reader'"
has "device 1d6b:ccd2 bus 1 addr 3 if0=03/01/01 eps=1 extra=21:9 mfr='NSER Test' product='Barcode Scanner'"
has "device 1d6b:ccd3 bus 1 addr 4 if0=07/01/02 eps=2 mfr='NSER Test' product='Virtual Receipt Printer'"

CASE="reader, no card"
probe ccid slot on xfr "$SEL_AID"
has "reply type=81 seq=0 status=02 error=00"
has "reply type=80 seq=1 status=42 error=FE"
has "reply type=80 seq=2 status=42 error=FE"

CASE="reader, APDU level, default card"
emu insert-card
[ "$(emu_status reader card)" = 1 ] || fail "no card after insert-card"
probe ccid intr on params xfr "$SEL_AID" xfr "$SEL_FID" xfr "00 B0 00 00 00" xfr "00 B0 00 2A 10" \
    xfr "00 B0 00 2C 01" xfr "00 B0 00 00 04" xfr "00 12 00 00 00" xfr "00 A4 04 00 09 $AID 00" \
    xfr "00 A4 04 0C 05 A0 00 00 00 03" xfr "00" off slot
has "intr 50 03"
has "atr 3B 85 81 31 FE 45 80 4E 53 45 52 04"
has "params 11 10 00 45 00 FE 00"
has "resp 5F 01 0D 33 35 32 30 32 31 32 33 34 35 36 37 31 5F 02 0E 4D 75 68 61 6D 6D 61 64 20 41 73 6C 61 6D 5F 03 08 31 39 38 35 30 33 31 34 62 82"
has "resp 31 34 62 82"        # offset 42 of 44, Le 16: two bytes and 6282
has "resp 6B 00"              # past the end
has "resp 5F 01 0D 33 90 00"  # exactly Le
has "resp 6D 00"              # unknown INS
has "resp 6F 0B 84 09 A0 00 00 09 99 4E 53 45 52 90 00" # FCI with Le
has "resp 6A 82"              # another application
has "resp 67 00"              # not an APDU
has "reply type=81 seq=12 status=01 error=00"   # powered off, card still there
lacks "error "

CASE="reader, card removal"
emu remove-card
probe ccid intr slot
has "intr 50 02"
has "status=02"
emu insert-card dashes.json
probe ccid intr on xfr "$SEL_AID" xfr "$SEL_FID" xfr "00 B0 00 00 00"
has "resp 5F 01 0F 33 35 32 30 32 2D"
emu remove-card

CASE="reader, TPDU T=0"
emu unplug reader
emu plug reader --level tpdu --proto t0
emu insert-card
probe ccid on setparams 1 "11 10 00 45 00 FE 00" setparams 0 "11 00 00 0A 00" \
    xfr "00 A4 04 00 09 $AID" xfr "00 C0 00 00 0D" xfr "00 C0 00 00 0D" xfr "$SEL_FID" \
    xfr "00 B0 00 00 00" xfr "00 B0 00 00 2C" xfr "00 B0 00 2A 02" xfr "00 A4 04 00 05 A0"
has "atr 3B 15 11 80 4E 53 45 52"
has "reply type=82 seq=1 status=40 error=07" # T=1 refused: a T=0 card
has "params 11 00 00 0A 00"
has "resp 61 0D"              # case 4 under T=0: GET RESPONSE
has "resp 6F 0B 84 09 A0 00 00 09 99 4E 53 45 52 90 00"
has "resp 69 85"              # nothing more to get
has "resp 6C 2C"              # wrong Le: the right one is 0x2C
has "resp 31 34 90 00"
has "resp 67 00"              # P3 says 5, 1 byte came
emu remove-card

CASE="reader, TPDU T=1"
emu unplug reader
emu plug reader --level tpdu --proto t1
emu insert-card urdu-long.json
probe ccid on xfr "$(t1 C1 FE)" xfr "$(t1 00 "$SEL_AID")" xfr "$(t1 40 "$SEL_FID")" \
    xfr "$(t1 00 "00 B0 00 00 00")" xfr "$(t1 90)" xfr 00400290 xfr "$(t1 C0)" \
    xfr "$(t1 20 "00 A4 04")" xfr "$(t1 40 "0C 09 $AID")"
has "resp 00 E1 01 FE 1E"     # IFSD 254 taken
has "resp 00 00 02 90 00 92"  # I(0) 9000
has "resp 00 40 02 90 00 D2"  # I(1) 9000
has "resp 00 20 FE 5F 10 81 E0 00 01" # a 258-byte answer: chained, M set
has "resp 00 40 04 85 DB 90 00 8A"    # its last block
has "resp 00 91 00 91"        # a bad length: R(1), EDC error
has "resp 00 E0 00 E0"        # RESYNCH
has "resp 00 90 00 90"        # the reader's chain: R(1) asks for more
has "resp 00 00 02 90 00 92"
emu remove-card

CASE="reader, S(WTX)"
emu insert-card
emu fault reader wtx
probe ccid on xfr "$(t1 00 "$SEL_AID")" xfr "$(t1 E3 01)"
has "resp 00 C3 01 01 C3"
has "resp 00 00 02 90 00 92"
emu remove-card
emu unplug reader
emu plug reader

CASE="scanner: usbhid has it until the program detaches"
emu scan 111
[ "$(emu_status scanner eaten)" = 8 ] || fail "usbhid did not take the keys: $(emu_ok status scanner)"
emu_run "$PROBE" scan 5000 >"$WORK/scan.out" 2>&1 &
SCAN_PID=$!
emu_wait scanner claimed 1
[ "$(emu_status scanner driver)" = - ] || fail "claimed but usbhid still bound"
emu scan "Hello, World! 35202-1234567-1"
wait "$SCAN_PID" || true
OUT=$(cat "$WORK/scan.out")
has "driver-active 1"
has "detach ok"
has "scanned 'Hello, World! 35202-1234567-1'"
has "reports 59"   # up to the Enter press
has "reattach ok"
emu_wait scanner driver usbhid
emu_wait scanner claimed 0

CASE="scanner: paced, raw reports, a flood"
emu unplug scanner
emu plug scanner --pace 5 --no-driver
emu_run "$PROBE" scan 5000 >"$WORK/scan.out" 2>&1 &
SCAN_PID=$!
emu_wait scanner claimed 1
emu scan-raw 0000270000000000 0000000000000000 0200040000000000 0000000000000000 0000280000000000
wait "$SCAN_PID" || true
OUT=$(cat "$WORK/scan.out")
has "driver-active 0"
has "scanned '0A'"
emu_run "$PROBE" scan 1500 >"$WORK/scan.out" 2>&1 &
SCAN_PID=$!
emu_wait scanner claimed 1
emu fault scanner flood 300
[ "$(emu_status scanner queued)" = 0 ] || fail "a flood is not paced"
wait "$SCAN_PID" || true
OUT=$(cat "$WORK/scan.out")
has "reports 300"
emu unplug scanner
emu plug scanner

CASE="printer: bytes, status, paper out"
probe printer devid send "1B 40 48 69 0A" dle 1 dle 2 dle 4
has "devid 'MFG:NSER Test;CMD:ESC/POS;MDL:Virtual Receipt Printer;CLS:PRINTER;'"
has "sent 5"
has "dle 12"
emu printer-state paper-out
probe printer dle 1 dle 2 dle 4 send "41 42 0A"
has "dle 1A"
has "dle 32"
has "dle 7E"
[ "$(emu_status printer held)" = 12 ] || fail "paper out: bytes not held: $(emu_ok status printer)"
emu printer-state cover-open
probe printer dle 2
has "dle 16"
emu printer-state ok
[ "$(emu_status printer held)" = 0 ] || fail "held bytes not printed when paper came"
printf '\x1d(k\x16\x001P004217-000123-0001-7\x1d(k\x03\x001Q0\x1dVA\x03' >"$WORK/qr.bin"
probe printer file "$WORK/qr.bin"
emu_receipt >"$WORK/receipt.txt"
OUT=$(cat "$WORK/receipt.txt")
has "Hi"
has "AB"
has "[QR] 04217-000123-0001-7"
has "[CUT]"
emu printed-clear
[ "$(emu_status printer bytes)" = 0 ] || fail "printed-clear"

CASE="hotplug"
emu_run "$PROBE" hotplug 5 2 >"$WORK/hp.out" 2>&1 &
HP_PID=$!
for _ in $(seq 100); do grep -q listening "$WORK/hp.out" && break; sleep 0.05; done
emu unplug printer
emu plug printer
wait "$HP_PID" || true
OUT=$(cat "$WORK/hp.out")
has "left 1d6b:ccd3 addr 4"
has "arrived 1d6b:ccd3 addr"

CASE="faults: reader"
emu insert-card
emu fault reader stall
probe ccid on clear on
has "error atr LIBUSB_ERROR_PIPE"
has "cleared"
has "atr 3B 85"
emu fault reader timeout
probe ccid on slot
has "error atr LIBUSB_ERROR_TIMEOUT"
has "reply type=81 seq=1 status=00"
emu fault reader truncate
probe ccid on
has "reply type=80 seq=0 status=00 error=00 b9=00 len=12 got=1"
emu fault reader badseq
probe ccid on
has "reply type=80 seq=1 "
emu fault reader oversize
probe ccid on
has "error atr LIBUSB_ERROR_OVERFLOW" # more than the 281 bytes asked for
emu fault reader lying-atr
probe ccid on
has "atr 3B 8F 81 31 FE 45 80 4E 53 45 52"
lacks "atr 3B 85"
emu fault reader garbage
probe ccid on
has "reply type=A5 seq=195"
[ "$(emu_status reader fault)" = - ] || fail "a fault is one-shot"
emu fault reader unplug-mid
probe ccid on slot
has "error atr LIBUSB_ERROR_NO_DEVICE"
[ "$(emu_status reader plugged)" = 0 ] || fail "unplug-mid left the reader plugged"
emu plug reader
probe ccid on
has "atr 3B 85"

CASE="faults: printer"
emu fault printer stall
probe printer send "41 0A" clear send "42 0A"
has "error send LIBUSB_ERROR_PIPE"
has "cleared"
has "sent 2"
emu fault printer timeout
probe printer send "43 0A" send "44 0A"
has "error send LIBUSB_ERROR_TIMEOUT"
has "sent 2"
OUT=$(emu_receipt)
has "B"
has "D"
lacks "A"
lacks "C"

CASE="printer held by usblp"
emu unplug printer
emu plug printer --driver usblp
[ "$(emu_status printer driver)" = usblp ] || fail "usblp not bound: $(emu_ok status printer)"
probe printer send "45 0A"
has "detach ok"
has "sent 2"

CASE="refusals"
! "$EMU_PY" "$USB_DIR/emuctl" "$EMU_DIR" fault reader sneeze >/dev/null || fail "an unknown fault was taken"
! "$EMU_PY" "$USB_DIR/emuctl" "$EMU_DIR" plug reader >/dev/null || fail "plugged twice"
! "$EMU_PY" "$USB_DIR/emuctl" "$EMU_DIR" scan "Ünïcode" >/dev/null || fail "typed what a US keyboard cannot"

CASE="nothing left behind"
PID=$EMU_PID
emu_stop
! kill -0 "$PID" 2>/dev/null || fail "the emulator still runs"
[ ! -e "$TESTBED" ] || fail "the testbed $TESTBED is left behind"
[ ! -e "$EMU_DIR/ctl" ] || fail "the control socket is left behind"
echo "PASS $TEST_NAME"

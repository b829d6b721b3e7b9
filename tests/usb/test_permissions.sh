#!/usr/bin/env bash
# The kiosk as it runs in a centre: an unprivileged user. A reader and a
# printer whose device nodes only root may open (no udev rules installed)
# are reported on screen in plain words naming the rules file, and by
# doctor with what to do; typing the CNIC goes on. Once the nodes are
# open to the kiosk's user (what the rules do), a device plugged in again
# is used, with no restart.
. "$(dirname "$0")/../screen/lib.sh"
. "$(dirname "$0")/lib.sh"

id nobody >/dev/null 2>&1 || fail "no user 'nobody' to run the kiosk as"
command -v setpriv >/dev/null || fail "setpriv (util-linux) is missing"
# The kiosk's files must be the user's to write, as under systemd; and the
# user must reach the program, its data and catalogs, which a checkout in
# root's private folder does not allow: they are copied, as installed.
chmod 1777 "$WORK"
mkdir -p "$WORK/inst/bin"
cp "$KIOSK" "$WORK/inst/bin/"
cp -r "$ROOT/data" "$NSER_LOCALEDIR" "$WORK/inst/"
chmod -R a+rX "$WORK/inst"
KIOSK=$WORK/inst/bin/nser-kiosk
export NSER_LOCALEDIR=$WORK/inst/locale
KIOSK_WRAP="setpriv --reuid=nobody --regid=nogroup --clear-groups"

CASE="no udev rules"
emu_start
KIOSK_ENV="$KIOSK_ENV NSER_DATADIR=$WORK/inst/data"
emu node-mode 0644 >/dev/null
emu plug reader >/dev/null
emu plug printer >/dev/null
write_config
chmod 644 "$CONF"
start_kiosk 80 24
wait_for "cannot be opened: no permission" 10
wait_for "70-nser-kiosk.rules"
[ "$(emu_status reader claimed)" = 0 ] || fail "the reader was claimed without permission"
keys 2
wait_for "Head's CNIC:"
type_text 3520255555551
keys Enter
wait_for "About this registration" 10
keys Escape
wait_for "Head's CNIC:"

CASE="doctor says what to do"
$KIOSK_WRAP env UMOCKDEV_DIR="$EMU_UMOCKDEV_DIR" LD_PRELOAD="$(_emu_preload "$KIOSK")" \
    NSER_DATADIR="$WORK/inst/data" ASAN_OPTIONS=detect_leaks=0 "$KIOSK" doctor --config "$CONF" >"$WORK/doctor.txt" 2>&1 &&
    fail "doctor found nothing wrong: $(cat "$WORK/doctor.txt")"
grep -qE "card reader +no permission" "$WORK/doctor.txt" || fail "doctor: $(cat "$WORK/doctor.txt")"
grep -q "Install the udev rules as /etc/udev/rules.d/70-nser-kiosk.rules" "$WORK/doctor.txt" ||
    fail "doctor: $(cat "$WORK/doctor.txt")"
! grep -q "libusb: error" "$WORK/doctor.txt" || fail "libusb wrote to the terminal: $(cat "$WORK/doctor.txt")"

CASE="rules installed, reader plugged in again"
emu node-mode 0666 >/dev/null
emu unplug reader >/dev/null
emu plug reader >/dev/null
wait_for "Card reader ready" 10
emu insert-card >/dev/null
wait_for "On the card: Muhammad Aslam" 10
stop_kiosk
! grep -q "libusb" "$WORK/kiosk.stderr" 2>/dev/null || fail "libusb wrote to the screen: $(cat "$WORK/kiosk.stderr")"
echo "PASS $TEST_NAME"

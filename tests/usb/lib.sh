# lib.sh - device tests: the real kiosk binary in tmux (tests/screen/lib.sh)
# with its real libusb code talking to emulated USB devices
# (tests/usb/usbemu.py under umockdev). Sourced after tests/screen/lib.sh:
#
#   . "$(dirname "$0")/../screen/lib.sh"
#   . "$(dirname "$0")/lib.sh"
#   emu_start [--plug 'DEVICE OPTIONS']...  the emulator, in $WORK/emu
#   emu COMMAND...          a command to it (quiet); the test fails on "error"
#   emu_ok COMMAND...       the same, printing the reply
#   emu_status DEV KEY      one key=value of `status DEV` (plugged, claimed,
#                           card, powered, driver, sent, eaten, bytes, ...)
#   emu_wait DEV KEY VALUE [S]      until `status DEV` shows KEY=VALUE
#   emu_wait_more DEV KEY N [S]     until the number KEY is at least N
#   emu_receipt             the printer's bytes decoded: text lines,
#                           "[QR] payload", "[CUT]" (escpos_decode.py)
#   emu_run PROG ARGS...    any program under the preload (e.g. usbprobe)
#   start_kiosk ...         as in screen tests: KIOSK_ENV puts it under the
#                           preload (the ASan runtime first in LD_PRELOAD)
#
# Devices plugged before start_kiosk are found by enumeration, later ones
# by hotplug. A failing test shows the tail of the emulator's transcript
# (the same as `emu_ok log`). docs/device-testing.md has every command.
#
# Must never: leave the emulator, its umockdev testbed or a kiosk behind
# (the EXIT trap ends the kiosk, then the emulator while $WORK still
# holds its control socket, then the screen lib's cleanup), or touch
# anything outside the test's $WORK.

USB_DIR=$ROOT/tests/usb
EMU_DIR=$WORK/emu
EMU_PID=""
EMU_PY=/usr/bin/python3 # the system interpreter: the one with gi
EMU_UMOCKDEV_DIR=""

# The screen lib's fail, with the emulator's transcript added.
eval "_screen_fail() $(declare -f fail | tail -n +2)"
fail() {
    if [ -f "$EMU_DIR/log" ]; then
        echo "---- emulator log (last 40 lines) ----" >&2
        tail -40 "$EMU_DIR/log" >&2 || true
    fi
    _screen_fail "$@"
}

emu_stop() {
    [ -n "$EMU_PID" ] || return 0
    "$EMU_PY" "$USB_DIR/emuctl" "$EMU_DIR" quit >/dev/null 2>&1 || kill -TERM "$EMU_PID" 2>/dev/null || true
    local i
    for i in $(seq 50); do
        kill -0 "$EMU_PID" 2>/dev/null || break
        sleep 0.1
    done
    # Still there after 5 s: it is stuck, and only then killed outright
    # (its testbed directory then stays; the test says so).
    if kill -0 "$EMU_PID" 2>/dev/null; then
        kill -KILL "$EMU_PID" 2>/dev/null || true
        echo "usb lib: the emulator had to be killed; its testbed may be left: $EMU_UMOCKDEV_DIR" >&2
    fi
    wait "$EMU_PID" 2>/dev/null || true
    EMU_PID=""
}

# The kiosk first (it must not see its devices vanish as it exits), then
# the emulator (its socket is in $WORK), then the screen lib's cleanup.
trap 'cleanup_usb' EXIT
cleanup_usb() {
    [ "$BASHPID" = "$MAIN_PID" ] || return 0
    local pid
    for pid in $(pgrep -f -- "^$KIOSK --db $WORK/" || true); do
        kill -KILL "$pid" 2>/dev/null || true
    done
    emu_stop
    cleanup
}

# The umockdev preload for PROGRAM: an ASan build needs its runtime first
# in LD_PRELOAD, or ASan refuses to start. (Under the preload ASan must
# not be given log_path either: it would mkdir through the preload before
# the preload is set up, and crash. The screen lib knows.)
_emu_preload() {
    local asan
    asan=$(ldd "$1" 2>/dev/null | awk '/libasan/ { print $1; exit }')
    printf '%s' "${asan:+$asan:}libumockdev-preload.so.0"
}

emu_start() {
    mkdir -p "$EMU_DIR"
    umockdev-wrapper "$EMU_PY" "$USB_DIR/usbemu.py" --state "$EMU_DIR" "$@" \
        >"$EMU_DIR/stdout" 2>&1 &
    EMU_PID=$!
    local i
    for i in $(seq 100); do
        [ -s "$EMU_DIR/env" ] && break
        kill -0 "$EMU_PID" 2>/dev/null || fail "the emulator did not start: $(cat "$EMU_DIR/stdout")"
        sleep 0.1
    done
    [ -s "$EMU_DIR/env" ] || fail "the emulator never got ready"
    EMU_UMOCKDEV_DIR=$(sed -n 's/^UMOCKDEV_DIR=//p' "$EMU_DIR/env")
    KIOSK_ENV="UMOCKDEV_DIR=$EMU_UMOCKDEV_DIR LD_PRELOAD=$(_emu_preload "$KIOSK")"
}

emu() {
    local reply
    reply=$("$EMU_PY" "$USB_DIR/emuctl" "$EMU_DIR" "$@") || fail "emulator: $* -> $reply"
}

emu_ok() {
    "$EMU_PY" "$USB_DIR/emuctl" "$EMU_DIR" "$@" || fail "emulator: $*"
}

# emu_status DEVICE KEY: one key=value of `status DEVICE`.
emu_status() {
    "$EMU_PY" "$USB_DIR/emuctl" "$EMU_DIR" status "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"
}

# emu_wait DEVICE KEY VALUE [SECONDS]: until the device's status shows
# KEY=VALUE (emu_wait scanner driver - : the kiosk detached usbhid;
# emu_wait scanner driver usbhid : it gave it back).
emu_wait() {
    local dev=$1 key=$2 want=$3 limit=${4:-5} i=0 now=""
    while [ "$i" -lt $((limit * 20)) ]; do
        now=$(emu_status "$dev" "$key")
        [ "$now" != "$want" ] || return 0
        sleep 0.05
        i=$((i + 1))
    done
    fail "$dev never showed $key=$want (it shows $key=$now)"
}

# emu_wait_more DEVICE KEY N [SECONDS]: until the numeric KEY is at least
# N (emu_wait_more printer bytes 1: something was printed).
emu_wait_more() {
    local dev=$1 key=$2 want=$3 limit=${4:-5} i=0 now=""
    while [ "$i" -lt $((limit * 20)) ]; do
        now=$(emu_status "$dev" "$key")
        [ "${now:-0}" -lt "$want" ] || return 0
        sleep 0.05
        i=$((i + 1))
    done
    fail "$dev $key stayed at ${now:-?} (wanted at least $want)"
}

# emu_receipt: what the printer got so far, decoded.
emu_receipt() {
    emu printed "$EMU_DIR/printed.bin"
    "$EMU_PY" "$USB_DIR/escpos_decode.py" "$EMU_DIR/printed.bin"
}

# emu_run PROGRAM [ARGS...]: a program that sees the emulated devices.
emu_run() {
    UMOCKDEV_DIR=$EMU_UMOCKDEV_DIR LD_PRELOAD=$(_emu_preload "$1") "$@"
}

# wait_notice TEXT: the message line (or the row under the title) says TEXT.
wait_notice() {
    wait_for "$1" "${2:-10}"
}

# go_to_cnic_page: from home to the registration's CNIC page.
go_to_cnic_page() {
    keys 2
    wait_for "Head's CNIC:"
}

# Device tests run silent: under umockdev's preload, the voice player's
# ALSA start-up overflows the preload's table of tracked descriptors
# ("libumockdev-preload fd_map_add(): overflow") and the kiosk dies. The
# voice has its own tests (tests/screen/test_voice.sh); a test may still
# pass voice=on after this default.
eval "$(declare -f write_config | sed '1s/^write_config/screen_write_config/')"
write_config() {
    screen_write_config voice=off "$@"
}

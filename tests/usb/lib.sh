# lib.sh - helpers for device tests: the emulated reader, scanner and
# printer (tests/usb/usbemu.py under umockdev) for a kiosk started with
# tests/screen/lib.sh's start_kiosk. Sourced AFTER tests/screen/lib.sh:
#
#   . "$(dirname "$0")/../screen/lib.sh"
#   . "$(dirname "$0")/../usb/lib.sh"
#   emu_start                      # the emulator, no devices yet
#   emu plug reader --level tpdu   # or plug before start_kiosk: enumerated
#   emu insert-card                # at start rather than by hotplug
#   start_kiosk 80 24              # KIOSK_ENV puts the kiosk under the preload
#   emu scan 3520212345671
#   emu_wait printer bytes 1 ...   # see emu_wait
#   emu_receipt                    # the decoded receipt: text lines, [QR] ...
#
# Every emu command that the emulator refuses fails the test, and a failing
# test shows the tail of the emulator's transcript.
#
# Must never: leave the emulator, its testbed or its state dir behind (the
# EXIT trap stops it before the screen lib's cleanup removes $WORK), or
# send anything to a device but through the emulator's control socket.

USB_DIR=$ROOT/tests/usb
EMU_DIR=""
EMU_PID=""
EMU_PY=/usr/bin/python3 # the system interpreter: the one with gi

# The screen lib's fail, with the emulator's transcript added.
eval "_screen_fail() $(declare -f fail | tail -n +2)"
fail() {
    if [ -n "$EMU_DIR" ] && [ -f "$EMU_DIR/log" ]; then
        echo "---- emulator log (last 40 lines) ----" >&2
        tail -40 "$EMU_DIR/log" >&2 || true
    fi
    _screen_fail "$@"
}

emu_stop() {
    [ "$BASHPID" = "$MAIN_PID" ] || return 0
    [ -n "$EMU_PID" ] || return 0
    local i=0
    "$EMU_PY" "$USB_DIR/emuctl" "$EMU_DIR" quit >/dev/null 2>&1 || true
    while kill -0 "$EMU_PID" 2>/dev/null && [ "$i" -lt 60 ]; do
        sleep 0.05
        i=$((i + 1))
    done
    kill -TERM "$EMU_PID" 2>/dev/null || true
    sleep 0.1
    kill -KILL "$EMU_PID" 2>/dev/null || true
    wait "$EMU_PID" 2>/dev/null || true
    EMU_PID=""
}
trap 'emu_stop; cleanup' EXIT

# The umockdev preload for a program: an ASan build needs its runtime
# first in LD_PRELOAD, or it refuses to start.
_emu_preload() {
    local asan
    asan=$(ldd "$1" 2>/dev/null | awk '/libasan/ { print $3; exit }')
    printf '%s' "${asan:+$asan:}$EMU_PRELOAD"
}

# emu_start [--plug 'DEVICE OPTIONS']...: the emulator in $WORK/emu, ready
# to take commands; sets KIOSK_ENV for start_kiosk and UMOCKDEV_DIR.
emu_start() {
    EMU_DIR=$WORK/emu
    mkdir -p "$EMU_DIR"
    umockdev-wrapper "$EMU_PY" "$USB_DIR/usbemu.py" --state "$EMU_DIR" "$@" \
        >"$EMU_DIR/stdout" 2>&1 &
    EMU_PID=$!
    local i=0
    while [ ! -f "$EMU_DIR/env" ]; do
        kill -0 "$EMU_PID" 2>/dev/null || {
            cat "$EMU_DIR/stdout" >&2
            EMU_PID=""
            fail "the USB emulator did not start"
        }
        i=$((i + 1))
        [ "$i" -lt 200 ] || fail "the USB emulator was not ready in 10 s"
        sleep 0.05
    done
    EMU_UMOCKDEV_DIR=$(sed -n 's/^UMOCKDEV_DIR=//p' "$EMU_DIR/env")
    EMU_PRELOAD=$(sed -n 's/^LD_PRELOAD=//p' "$EMU_DIR/env")
    KIOSK_ENV="UMOCKDEV_DIR=$EMU_UMOCKDEV_DIR LD_PRELOAD=$(_emu_preload "$KIOSK")"
}

# emu COMMAND [ARGS...]: one emulator command (see docs/device-testing.md);
# prints the reply without "ok "; a refusal fails the test.
emu() {
    local reply
    reply=$("$EMU_PY" "$USB_DIR/emuctl" "$EMU_DIR" "$@") || fail "emulator refused '$*': $reply"
    printf '%s\n' "${reply#ok }"
}

# emu_status DEVICE KEY: one field of "status DEVICE" (plugged, claimed,
# card, powered, driver, sent, eaten, bytes, held, state, ...).
emu_status() {
    emu status "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"
}

# emu_wait DEVICE KEY VALUE [SECONDS]: until the device's status shows
# KEY=VALUE (e.g. emu_wait scanner driver - : the kiosk detached usbhid).
emu_wait() {
    local dev=$1 key=$2 want=$3 limit=${4:-5} i=0 now
    while [ "$i" -lt $((limit * 20)) ]; do
        now=$(emu_status "$dev" "$key")
        [ "$now" != "$want" ] || return 0
        sleep 0.05
        i=$((i + 1))
    done
    fail "$dev never showed $key=$want (it shows $key=$now)"
}

# emu_wait_more DEVICE KEY N [SECONDS]: until the numeric field KEY is at
# least N (e.g. emu_wait_more printer bytes 1).
emu_wait_more() {
    local dev=$1 key=$2 want=$3 limit=${4:-5} i=0 now
    while [ "$i" -lt $((limit * 20)) ]; do
        now=$(emu_status "$dev" "$key")
        [ "${now:-0}" -lt "$want" ] || return 0
        sleep 0.05
        i=$((i + 1))
    done
    fail "$dev $key stayed at ${now:-?} (wanted at least $want)"
}

# emu_receipt: what the printer got so far, decoded: text lines, "[QR] x"
# for each QR code printed, "[CUT]" for each cut.
emu_receipt() {
    emu printed "$EMU_DIR/printed.bin" >/dev/null
    "$EMU_PY" "$USB_DIR/escpos_decode.py" "$EMU_DIR/printed.bin"
}

# emu_run PROGRAM [ARGS...]: any program under the preload, seeing the
# emulated devices (the probe, a one-off libusb check).
emu_run() {
    UMOCKDEV_DIR=$EMU_UMOCKDEV_DIR LD_PRELOAD=$(_emu_preload "$1") "$@"
}

# lib.sh - device tests: the real kiosk binary in tmux (tests/screen/lib.sh)
# with its real libusb code talking to emulated USB devices
# (tests/usb/usbemu.py under umockdev). Sourced after tests/screen/lib.sh.
#
#   emu_start [--plug DEVICE]...   the emulator, in $WORK/emu, with devices
#   emu COMMAND...                 a command to it; the test fails on "error"
#   emu_ok COMMAND...              the same, printing the reply
#   start_kiosk ...                as in screen tests, under the emulator
#
# Must never: leave the emulator running (the EXIT trap quits it) or touch
# anything outside the test's $WORK.

USB_DIR=$ROOT/tests/usb
EMU_DIR=$WORK/emu
EMU_PID=""

emu_stop() {
    [ -n "$EMU_PID" ] || return 0
    "$USB_DIR/emuctl" "$EMU_DIR" quit >/dev/null 2>&1 || true
    local i
    for i in $(seq 50); do
        kill -0 "$EMU_PID" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL "$EMU_PID" 2>/dev/null || true
    EMU_PID=""
}

# The screen lib's cleanup ends the kiosk; the emulator goes after it.
trap 'cleanup_usb' EXIT
cleanup_usb() {
    [ "$BASHPID" = "$MAIN_PID" ] || return 0
    cleanup
    emu_stop
}

emu_start() {
    mkdir -p "$EMU_DIR"
    umockdev-wrapper /usr/bin/python3 "$USB_DIR/usbemu.py" --state "$EMU_DIR" "$@" \
        >"$EMU_DIR/stdout" 2>&1 &
    EMU_PID=$!
    local i
    for i in $(seq 100); do
        [ -s "$EMU_DIR/env" ] && break
        kill -0 "$EMU_PID" 2>/dev/null || fail "the emulator did not start: $(cat "$EMU_DIR/stdout")"
        sleep 0.1
    done
    [ -s "$EMU_DIR/env" ] || fail "the emulator never got ready"
    local umd
    umd=$(sed -n 's/^UMOCKDEV_DIR=//p' "$EMU_DIR/env")
    # The ASan build's runtime must come before the preload in the library
    # list, or ASan refuses to start.
    local asan
    asan=$(ldd "$KIOSK" | awk '/libasan/ {print $1; exit}')
    KIOSK_ENV="UMOCKDEV_DIR=$umd LD_PRELOAD=${asan:+$asan:}libumockdev-preload.so.0"
}

emu() {
    local reply
    reply=$("$USB_DIR/emuctl" "$EMU_DIR" "$@") || fail "emulator: $* -> $reply"
}

emu_ok() {
    "$USB_DIR/emuctl" "$EMU_DIR" "$@" || fail "emulator: $*"
}

# emu_status DEVICE KEY: one key=value of `status DEVICE`.
emu_status() {
    "$USB_DIR/emuctl" "$EMU_DIR" status "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"
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

# fp_lib.sh - helpers for the fingerprint screen tests (test_fp_*.sh): the
# kiosk with libfprint's virtual_device on a socket in this test's own
# temp dir, and the registration walked through with a finger taken.
# Sourced after lib.sh. Must never talk to any socket but FP_SOCK.

FPCTL="$ROOT/tests/fp/fpctl.py"
FP_SOCK="$WORK/fp.sock" # WORK is this test's own mktemp -d, well under 107 bytes
export KIOSK_ENV="FP_VIRTUAL_DEVICE=$FP_SOCK FP_DRIVERS_WHITELIST=virtual_device"

# fp COMMAND [ARG]...: commands to the virtual reader, one connection each.
fp() {
    "$FPCTL" --wait 10 "$FP_SOCK" "$@" >/dev/null 2>"$WORK/fpctl.err" ||
        fail "fpctl $*: $(cat "$WORK/fpctl.err")"
}

# fp_enrol ID: the five stages of an enrolment with finger ID, each only
# once the screen asks for it.
fp_enrol() {
    local s
    for s in 1 2 3 4 5; do
        wait_for "Stage $s of 5" 10
        fp SCAN "$1"
    done
}

# fp_wait_ready: until the kiosk started last has opened the virtual
# reader (it opens it after the first screen; a CNIC typed before that
# registers without a finger, as with no reader). The log is shared by
# every start of this test: one "ready" line per start since FP_RUNS0
# (the starts before it had no reader: set it and empty the log).
FP_RUNS0=${FP_RUNS0:-0}
fp_wait_ready() {
    local i=0
    until [ "$(grep -c "fingerprint: virtual_[a-z]* ready" "$WORK/kiosk.log" 2>/dev/null)" -ge "$((RUNS - FP_RUNS0))" ]; do
        i=$((i + 1))
        [ "$i" -lt 200 ] || fail "the virtual reader never became ready"
        sleep 0.05
    done
}

# fp_start_registration CNIC: Register and the head's CNIC, up to the
# finger page.
fp_start_registration() {
    fp_wait_ready
    wait_for "Register household"
    keys 2
    wait_for "Head's CNIC"
    keys C-u
    type_text "$1"
    keys Enter
    wait_for "Fingerprint" 10
}

# fp_finish_registration NAME: from the first survey page to the receipt
# (register_household without its start).
fp_finish_registration() {
    wait_for "Draft" 10
    survey "${ADDRESS[@]}"
    edit_head "name=$1" age=46 marital_status=married literate=yes highest_class=10 \
        employment_status=self_employed occupation=craft disability=none
    add_member name=Ahmed relation=son gender=male age=7 literate=no attends_school=yes \
        highest_class=1 disability=none
    roster_done
    survey "${HOUSE[@]}"
}

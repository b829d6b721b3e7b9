#!/usr/bin/env bash
# The image reader (libfprint's virtual_image, its real minutiae matcher):
# the head enrols with synthetic finger A (a flat image on the way asks to
# retry, the stage not moving on); on resuming, finger A matches and
# opens the draft; finger B does not.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fp_lib.sh"

FPIMAGE=${FPIMAGE:-$ROOT/tests/fp/fpimage.py}
if [ ! -x "$FPIMAGE" ]; then # wt-fpdrv's image client, until it is merged
    echo "SKIP $TEST_NAME: $FPIMAGE is not there"
    exit 0
fi
IMG_SOCK="$WORK/fpi.sock"
export KIOSK_ENV="FP_VIRTUAL_IMAGE=$IMG_SOCK FP_DRIVERS_WHITELIST=virtual_image"
CNIC=3520212345671
SEED_A=11
SEED_B=29

img() {
    "$FPIMAGE" --wait 10 "$IMG_SOCK" "$@" >/dev/null 2>"$WORK/fpimage.err" ||
        fail "fpimage $*: $(cat "$WORK/fpimage.err")"
}

# stages: the reader's enrolment stages, read off the finger page.
stages() {
    screen_text | sed -n 's/.*Stage [0-9]* of \([0-9]*\).*/\1/p' | head -1
}

CASE="enrol with A, a flat image retried"
write_config fp_stage_timeout=60
start_kiosk 80 24
fp_start_registration $CNIC
wait_for "Stage 1 of" 10
n=$(stages)
[ -n "$n" ] || fail "no stage count on the finger page"
img enroll $SEED_A 1
wait_for "Stage 2 of $n" 20
img flat
wait_for "press again" 20
refute_screen "Good."
assert_screen "Stage 2 of $n"
for s in $(seq 2 "$n"); do
    wait_for "Stage $s of $n" 20
    img enroll $SEED_A 1
done
wait_for "Draft" 20
stop_kiosk

CASE="A matches"
start_kiosk 80 24
fp_wait_ready
start_registration $CNIC
wait_for "Saved answers found"
keys 1
wait_for "Fingerprint check" 10
img verify $SEED_A
wait_for "Draft" 20
stop_kiosk

CASE="B does not"
start_kiosk 80 24
fp_wait_ready
start_registration $CNIC
wait_for "Saved answers found"
keys 1
wait_for "Tries left: 3" 10
img verify $SEED_B
wait_for "This finger does not match." 20
wait_for "Tries left: 2"
refute_screen "Draft"
stop_kiosk
echo "PASS $TEST_NAME"

#!/usr/bin/env bash
# Spoken prompts (docs/voice.md): `voice say` gives real, sane-length audio
# in every language; a centre's recording replaces the synthesis (and a
# broken one does not); the kiosk with voice on and no sound card works
# and says so once in its log; a page change cuts the prompt short (seen
# in the log through the "hold" test sink, which plays until stopped).
. "$(dirname "$0")/lib.sh"

voice() { # voice ARGS...: the voice command on this test's configuration
    env LANG=C.UTF-8 NSER_LOCALEDIR="$NSER_LOCALEDIR" \
        ASAN_OPTIONS=detect_leaks=1 "$KIOSK" voice "$@" --config "$CONF"
}

# sane_audio FILE: not silent, between 0.3 s and 60 s.
sane_audio() {
    local stat len rms
    stat=$(sox "$1" -n stat 2>&1)
    len=$(awk '/^Length/ {print $3}' <<<"$stat")
    rms=$(awk '/^RMS +amplitude/ {print $3}' <<<"$stat")
    awk -v l="$len" -v r="$rms" 'BEGIN { exit !(l >= 0.3 && l <= 60 && r > 0) }' ||
        fail "$1: length $len s, RMS $rms: not a sane prompt"
}

wait_log() {
    for _ in $(seq 100); do
        grep -qF "$1" "$WORK/kiosk.log" && return 0
        sleep 0.1
    done
    fail "the log never said: $1"
}
langs="en ur_Latn"
[ -f "$NSER_LOCALEDIR/ur/LC_MESSAGES/nser-kiosk.mo" ] && langs="$langs ur"

CASE="say"
write_config
for l in $langs; do
    for id in home status.entry status.result.eligible msg.cnic_length q.case_type; do
        out=$(voice say "$id" --lang "$l" --out "$WORK/$l-$id.wav") ||
            fail "voice say $id --lang $l failed"
        grep -q "synthesis" <<<"$out" || [ "$l" != en ] || fail "not synthesised: $out"
        sane_audio "$WORK/$l-$id.wav"
    done
done
voice say no.such.prompt --lang en --out "$WORK/x.wav" 2>/dev/null && fail "unknown id accepted"

CASE="recording"
mkdir -p "$WORK/voice/en"
sox -n -r 22050 -b 16 -c 1 "$WORK/voice/en/home.wav" synth 1.5 sine 440
echo "not a wav file" >"$WORK/voice/en/status.entry.wav"
write_config "voice_dir=$WORK/voice"
voice list --lang en >"$WORK/list.txt"
grep -qP '^home\trecorded\t' "$WORK/list.txt" || fail "voice list does not show the recording"
grep -qP '^reg.cnic\t-\t' "$WORK/list.txt" || fail "voice list shows a recording that is not there"
voice say home --lang en --out "$WORK/home.wav" | grep -q recording || fail "recording not used"
cmp -s "$WORK/home.wav" "$WORK/voice/en/home.wav" || fail "voice say did not return the recording's samples"
# A broken recording: said so, and synthesis is used instead.
voice say status.entry --lang en --out "$WORK/entry.wav" 2>"$WORK/say.err" | grep -q synthesis ||
    fail "broken recording not replaced by synthesis"
grep -q "refused" "$WORK/say.err" || fail "broken recording not reported"
sane_audio "$WORK/entry.wav"

CASE="no sound card"
write_config voice=on
# This machine's own lack of a card when it has none; else the sink that acts so.
[ -d /dev/snd ] && KIOSK_ENV="NSER_VOICE_SINK=none"
start_kiosk 80 24
keys 1
wait_for "CNIC or tracking ID:"
type_text "6110112345678"
keys Enter
wait_for "Your survey is incomplete."
keys Escape
wait_for "Check status"
stop_kiosk
n=$(grep -c "voice: .*prompts stay silent" "$WORK/kiosk.log" || true)
[ "$n" = 1 ] || fail "no sound device logged $n times, not once"
KIOSK_ENV=""

CASE="interrupted"
: >"$WORK/kiosk.log"
KIOSK_ENV="NSER_VOICE_SINK=hold"
start_kiosk 80 24
wait_log "voice: speaking home"
keys 1
wait_for "CNIC or tracking ID:"
wait_log "voice: home interrupted"
wait_log "voice: speaking status.entry"
stop_kiosk
KIOSK_ENV=""
CASE="messages spoken"
# A refused answer on screen is said once (frame_message's hook): its
# prompt id reaches the player, seen in the log through the null sink;
# the log holds the id, never the text. A message with a number in it
# ("in the range 0-120") is found by its catalog format.
: >"$WORK/kiosk.log"
KIOSK_ENV="NSER_VOICE_SINK=null"
start_kiosk 80 24
wait_log "voice: speaking home"
keys 1
wait_for "CNIC or tracking ID:"
type_text "352021234567"
keys Enter
wait_for "A CNIC has 13 digits"
wait_log "voice: speaking msg.cnic_length"
keys F9
wait_for "$(translated ur_Latn "A CNIC has 13 digits.")"
# Said again in the new language (the null sink ends each at once).
for _ in $(seq 100); do
    [ "$(grep -c "voice: speaking msg.cnic_length" "$WORK/kiosk.log")" -ge 2 ] && break
    sleep 0.1
done
[ "$(grep -c "voice: speaking msg.cnic_length" "$WORK/kiosk.log")" -ge 2 ] ||
    fail "the message was not said again in Roman Urdu"
keys F9 F9 Escape
wait_for "Register household"
start_registration 3740512345672
survey "${ADDRESS[@]}"
keys Home
after_keys Enter
answer "Rukhsana Bibi"
skip
skip
skip
answer 200
wait_words "Please type a number in the range"
wait_log "voice: speaking msg.number_range"
stop_kiosk
KIOSK_ENV=""
! grep -q "13 digits\|in the range\|Rukhsana" "$WORK/kiosk.log" || fail "a message's text reached the log"
echo "ok   test_voice ($langs)"

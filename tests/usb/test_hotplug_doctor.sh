#!/usr/bin/env bash
# Devices come and go while the kiosk runs, and `nser-kiosk doctor` says
# what is there. The kiosk starts with no device at all; a reader, a
# scanner and a printer plugged in one by one are announced and used (a
# card read, a scan taken) without a restart; doctor lists each with its
# VID:PID, class, role and status (card present); a printer held by the
# kernel's usblp is taken and given back. Everything unplugged at once
# leaves a kiosk where typing the CNIC goes on as before.
. "$(dirname "$0")/../screen/lib.sh"
. "$(dirname "$0")/lib.sh"

CASE="nothing plugged in"
emu_start
write_config
emu_run "$KIOSK" doctor --config "$CONF" >"$WORK/doctor.txt" || fail "doctor with no devices: $(cat "$WORK/doctor.txt")"
grep -q "none found" "$WORK/doctor.txt" || fail "doctor with no devices: $(cat "$WORK/doctor.txt")"
start_kiosk 80 24
go_to_cnic_page

CASE="plugged in one by one"
emu plug reader >/dev/null
wait_notice "Card reader ready"
emu insert-card >/dev/null
wait_for "On the card: Muhammad Aslam" 10
emu plug scanner >/dev/null
wait_notice "Scanner ready"
emu_wait scanner driver - 5
emu plug printer --driver usblp >/dev/null
wait_notice "Receipt printer ready"
emu_wait printer driver - 5

CASE="doctor"
# A second program on the same devices: the kiosk holds them, so doctor
# reports them busy; the kiosk's own view is in its notices above.
emu_run "$KIOSK" doctor --config "$CONF" >"$WORK/doctor.txt" && fail "doctor found nothing busy"
for want in "1d6b:ccd1" "0b smart card" "card reader" "1d6b:ccd2" "barcode scanner" \
    "1d6b:ccd3" "07 printer" "receipt printer" "busy"; do
    grep -qF "$want" "$WORK/doctor.txt" || fail "doctor lacks '$want': $(cat "$WORK/doctor.txt")"
done

CASE="everything unplugged"
emu unplug reader >/dev/null
emu unplug scanner >/dev/null
emu unplug printer >/dev/null
wait_notice "was unplugged"
keys End
for i in $(seq 16); do keys BSpace; done
wait_gone "35202-1234567-1"
type_text 3520255555551
keys Enter
wait_for "About this registration" 10

CASE="doctor with the kiosk gone"
stop_kiosk
emu plug reader >/dev/null
emu plug printer --driver usblp >/dev/null
emu_run "$KIOSK" doctor --config "$CONF" >"$WORK/doctor.txt" || fail "doctor: $(cat "$WORK/doctor.txt")"
grep -qE "card reader +ready, card present" "$WORK/doctor.txt" || fail "doctor: $(cat "$WORK/doctor.txt")"
grep -qE "receipt printer +ready" "$WORK/doctor.txt" || fail "doctor: $(cat "$WORK/doctor.txt")"
[ "$(emu_status printer driver)" = usblp ] || fail "doctor did not give usblp back"
echo "PASS $TEST_NAME"

#!/usr/bin/env bash
# test_kill9_export.sh - `nser-kiosk sync export` killed with -9 at random
# moments (SEED printed; SEED=N reruns the same moments), each time
# followed by a full export, delivery of every batch file, ingest and
# import, until there is nothing to send. After every kill no batch row is
# left without its file and no .nserb is half written; in the end every
# record is at the registry exactly once and acknowledged at the kiosk.
. "$(dirname "$0")/lib.sh"

SEED=${SEED:-$((RANDOM * 32768 + RANDOM))}
echo "SEED=$SEED"
RANDOM=$SEED
N=1200
KILLS=6

pg_start
central_setup
kiosk_new k1 04217 d3lhr sync_batch_max=200
mkregs k1 $N 1

# How long a whole export takes, to spread the kills over it.
t0=$(date +%s%N)
export_batch k1 >/dev/null
span=$((($(date +%s%N) - t0) / 1000000))
[ "$span" -ge 20 ] || span=20
echo "a full export took ${span} ms"

kills=0
rounds=0
while :; do
    rounds=$((rounds + 1))
    [ "$rounds" -le 30 ] || fail "still sending after 30 rounds"
    if [ "$kills" -lt "$KILLS" ]; then
        ms=$((RANDOM % (span + span / 4)))
        "$KIOSK" sync export --out "$WORK/k1/out" --db "$WORK/k1/kiosk.db" \
            --config "$WORK/k1/kiosk.conf" >/dev/null 2>&1 &
        pid=$!
        sleep "$(printf '%d.%03d' $((ms / 1000)) $((ms % 1000)))"
        kill -KILL "$pid" 2>/dev/null && echo "kill $((kills + 1)): export killed at ${ms} ms" ||
            echo "kill $((kills + 1)): export had finished before ${ms} ms"
        wait "$pid" 2>/dev/null || true
        kills=$((kills + 1))
        # The kiosk's promise: no batch row without its file.
        for f in $(ksql k1 "SELECT file_name FROM sync_batches"); do
            [ -f "$WORK/k1/out/$f" ] || fail "batch row for $f but no such file after a kill"
        done
    fi
    b=$(export_batch k1)
    [ -n "$b" ] || break
    # Every file under its real name is whole: the registry opens each one.
    deliver "$WORK"/k1/out/*.nserb
    ingest || fail "ingest failed: $(cat "$WORK/report.txt")"
    ! grep -qi "refused" "$WORK/report.txt" || fail "a batch file was refused: $(grep -i refused "$WORK/report.txt")"
    import_acks k1 || fail "import failed: $(cat "$WORK/k1/import.txt")"
done
echo "$kills kills, $rounds rounds"

assert_eq "records at central" $N "$(psql_q "SELECT count(*) FROM registrations")"
assert_eq "distinct records at central" $N "$(psql_q "SELECT count(DISTINCT (uuid, version)) FROM registrations")"
assert_eq "distinct tracking IDs at central" $N "$(psql_q "SELECT count(DISTINCT tracking) FROM registrations")"
assert_eq "unacked at the kiosk" 0 "$(ksql k1 "SELECT count(*) FROM outbox WHERE acked_at IS NULL")"
assert_eq "outbox rows" $N "$(ksql k1 "SELECT count(*) FROM outbox")"
assert_eq "records still pending_sync" 0 "$(ksql k1 "SELECT count(*) FROM registrations WHERE status = 'pending_sync'")"
ksql k1 "SELECT record_uuid, status FROM registrations ORDER BY 1" >"$WORK/kiosk-status"
psql_q "SELECT uuid, status FROM registrations ORDER BY 1" >"$WORK/central-status"
diff -q "$WORK/kiosk-status" "$WORK/central-status" >/dev/null || fail "kiosk and registry statuses differ"
echo "ok $TEST_NAME"

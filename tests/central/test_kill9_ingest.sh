#!/usr/bin/env bash
# test_kill9_ingest.sh - `nser-central ingest` killed with -9 at random
# moments (SEED printed; SEED=N reruns them), each time followed by a full
# ingest and the kiosk's import, until the kiosk has nothing to send.
# After every kill: no acks row without its file. In the end every record
# is at the registry exactly once (rows counted), each batch recorded once,
# and everything acknowledged at the kiosk.
. "$(dirname "$0")/lib.sh"

SEED=${SEED:-$((RANDOM * 32768 + RANDOM))}
echo "SEED=$SEED"
RANDOM=$SEED
N=1500
KILLS=6

pg_start
central_setup
kiosk_new k1 04217 d3lhr sync_batch_max=300
kiosk_new k2 04218 d3lhr sync_batch_max=300
mkregs k1 $N 1
mkregs k2 300 5000

span=400 # ms; then the last full ingest's time
kills=0
rounds=0
while :; do
    rounds=$((rounds + 1))
    [ "$rounds" -le 30 ] || fail "still sending after 30 rounds"
    b=$(export_batch k1)
    b2=$(export_batch k2)
    [ -n "$b" ] || [ -n "$b2" ] || break
    deliver "$WORK"/k1/out/*.nserb "$WORK"/k2/out/*.nserb
    if [ "$kills" -lt "$KILLS" ]; then
        ms=$((RANDOM % (span + span / 4)))
        "$CENTRAL" ingest --db "$PGDB" --keys "$CKEYS" --in "$WORK/in" --out "$WORK/acks" \
            --data "$ROOT/data" >/dev/null 2>&1 &
        pid=$!
        sleep "$(printf '%d.%03d' $((ms / 1000)) $((ms % 1000)))"
        kill -KILL "$pid" 2>/dev/null && echo "kill $((kills + 1)): ingest killed at ${ms} ms" ||
            echo "kill $((kills + 1)): ingest had finished before ${ms} ms"
        wait "$pid" 2>/dev/null || true
        kills=$((kills + 1))
        # The registry's promise: an acks row only with its file.
        for f in $(psql_q "SELECT file FROM acks"); do
            [ -f "$WORK/acks/$(basename "$f")" ] || fail "acks row for $f but no such file after a kill"
        done
        assert_eq "doubled records after a kill" 0 \
            "$(psql_q "SELECT count(*) - count(DISTINCT (uuid, version)) FROM registrations")"
    fi
    t0=$(date +%s%N)
    ingest || fail "ingest after a kill failed: $(cat "$WORK/report.txt")"
    span=$((($(date +%s%N) - t0) / 1000000))
    [ "$span" -ge 20 ] || span=20
    ! grep -qi "refused" "$WORK/report.txt" || fail "refused: $(grep -i refused "$WORK/report.txt")"
    import_acks k1 || fail "k1 import failed: $(cat "$WORK/k1/import.txt")"
    import_acks k2 || fail "k2 import failed: $(cat "$WORK/k2/import.txt")"
done
echo "$kills kills, $rounds rounds"

assert_eq "records at central" $((N + 300)) "$(psql_q "SELECT count(*) FROM registrations")"
assert_eq "distinct records" $((N + 300)) "$(psql_q "SELECT count(DISTINCT (uuid, version)) FROM registrations")"
assert_eq "k1 batches at central = kiosk batches" \
    "$(ksql k1 "SELECT count(*) FROM sync_batches")" \
    "$(psql_q "SELECT count(*) FROM batches WHERE kiosk = '04217'")"
assert_eq "k1 unacked" 0 "$(ksql k1 "SELECT count(*) FROM outbox WHERE acked_at IS NULL")"
assert_eq "k2 unacked" 0 "$(ksql k2 "SELECT count(*) FROM outbox WHERE acked_at IS NULL")"
assert_eq "review flags (no shared CNIC)" 0 "$(psql_q "SELECT count(*) FROM review_flags")"
# Ack numbers run without a gap per kiosk, each with its file.
for k in 04217 04218; do
    assert_eq "$k ack numbers" "$(psql_q "SELECT count(*) FROM acks WHERE kiosk = '$k'")" \
        "$(psql_q "SELECT coalesce(max(ack_no), 0) FROM acks WHERE kiosk = '$k'")"
done
echo "ok $TEST_NAME"

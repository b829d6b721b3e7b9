#!/usr/bin/env bash
# test_round_trip.sh - kiosk -> central -> kiosk: keys made, the registry's
# key installed, the kiosk added; 12 registrations exported, ingested and
# the acknowledgement imported: every record acknowledged at the kiosk with
# the registry's status, `nser-kiosk status CNIC` shows the decision, the
# registry holds each record once with the kiosk's score, and a second
# export has nothing to send.
. "$(dirname "$0")/lib.sh"

pg_start
central_setup
# Re-running init on the current schema is a no-op.
central init --db "$PGDB" >/dev/null || fail "a second init failed"
kiosk_new k1 04217 d3lhr
kiosk k1 keys show >"$WORK/show.txt" || fail "keys show failed"
grep -q "registry key: installed" "$WORK/show.txt" || fail "keys show does not say the registry key is installed: $(cat "$WORK/show.txt")"

mkregs k1 12
assert_eq "outbox rows before export" 12 "$(ksql k1 "SELECT count(*) FROM outbox WHERE acked_at IS NULL")"

batch=$(export_batch k1)
[ -n "$batch" ] || fail "export wrote no batch"
assert_eq "batch file name" "04217-000001.nserb" "$(basename "$batch")"
[ -z "$(find "$WORK/k1/out" -name '.*.tmp')" ] || fail "export left a .tmp file"
# Exported but not acknowledged: still in the backlog.
assert_eq "unacked after export" 12 "$(ksql k1 "SELECT count(*) FROM outbox WHERE acked_at IS NULL")"

deliver "$batch"
ingest || fail "ingest failed: $(cat "$WORK/report.txt")"
grep -q "applied" "$WORK/report.txt" || fail "the report does not say the batch applied"
[ -f "$WORK/acks/04217-ack-000001.nsera" ] || fail "no acknowledgement 04217-ack-000001.nsera: $(ls "$WORK/acks")"

# The registry: each record once, the kiosk's score, a decision.
assert_eq "registrations at central" 12 "$(psql_q "SELECT count(*) FROM registrations")"
assert_eq "distinct records" 12 "$(psql_q "SELECT count(DISTINCT (uuid, version)) FROM registrations")"
assert_eq "batches at central" 1 "$(psql_q "SELECT count(*) FROM batches WHERE kiosk = '04217'")"
assert_eq "scores that differ from the kiosk's" 0 \
    "$(psql_q "SELECT count(*) FROM registrations WHERE central_score IS DISTINCT FROM kiosk_score
                 OR abs(central_score - kiosk_score) > 0.01")"
assert_eq "records without a decision" 0 \
    "$(psql_q "SELECT count(*) FROM registrations WHERE status NOT IN ('eligible', 'not_eligible')")"
# The kiosk's own scores went across unchanged.
ksql k1 "SELECT r.record_uuid, printf('%.2f', s.score) FROM registrations r
           JOIN scores s ON s.registration_id = r.id ORDER BY 1" >"$WORK/kiosk-scores"
psql_q "SELECT uuid, to_char(kiosk_score, 'FM990.00') FROM registrations ORDER BY 1" >"$WORK/central-scores"
diff "$WORK/kiosk-scores" "$WORK/central-scores" >&2 || fail "the registry's kiosk scores are not the kiosk's"
# Tracking IDs and CNICs as the kiosk made them.
ksql k1 "SELECT tracking_id, cnic FROM registrations ORDER BY 1" >"$WORK/kiosk-ids"
psql_q "SELECT tracking, cnic FROM registrations ORDER BY 1" >"$WORK/central-ids"
diff "$WORK/kiosk-ids" "$WORK/central-ids" >&2 || fail "tracking IDs or CNICs differ between kiosk and registry"

import_acks k1 || fail "import failed: $(cat "$WORK/k1/import.txt")"
assert_eq "unacked after import" 0 "$(ksql k1 "SELECT count(*) FROM outbox WHERE acked_at IS NULL")"
# Each record's status at the kiosk is the registry's.
ksql k1 "SELECT record_uuid, status FROM registrations ORDER BY 1" >"$WORK/kiosk-status"
psql_q "SELECT uuid, status FROM registrations ORDER BY 1" >"$WORK/central-status"
diff "$WORK/kiosk-status" "$WORK/central-status" >&2 || fail "statuses at the kiosk differ from the registry's"

# `nser-kiosk status CNIC` shows the decision.
for cnic in $(ksql k1 "SELECT cnic FROM registrations ORDER BY id LIMIT 3"); do
    want=$(psql_q "SELECT status FROM registrations WHERE cnic = '$cnic'")
    case $want in
    eligible) text="Status: Eligible" ;;
    not_eligible) text="Status: Not eligible" ;;
    *) fail "unexpected status $want" ;;
    esac
    out=$(kiosk k1 status "$cnic") || fail "status $cnic failed"
    grep -qF "$text" <<<"$out" || fail "status $cnic shows '$out', not '$text'"
done

# The same acknowledgement again is skipped; nothing left to send.
import_acks k1 || fail "a second import failed: $(cat "$WORK/k1/import.txt")"
out=$(kiosk k1 sync export --out "$WORK/k1/out") || fail "export after the ack failed"
grep -qi "nothing to send" <<<"$out" || fail "export after the ack says '$out', not 'nothing to send'"
kiosk k1 sync status >"$WORK/status.txt" || fail "sync status failed"
grep -qE '\b0\b' "$WORK/status.txt" || fail "sync status shows no empty backlog: $(cat "$WORK/status.txt")"
echo "ok $TEST_NAME"

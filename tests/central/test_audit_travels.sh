#!/usr/bin/env bash
# test_audit_travels.sh - the audit trail goes to the registry with the
# batches (docs/audit.md): rows exported, ingested and present at central;
# a second batch, of audit rows alone, chains onto the first; the rows
# deleted at the end of the kiosk's trail (which the chain alone cannot
# show) are noted in the report from the head the next batch carries; an
# old registry schema (version 1) is upgraded by init and keeps its data.
. "$(dirname "$0")/lib.sh"

AUDIT_ROWS=$ROOT/tests/central/audit_rows.py
audit_rows() { python3 "$AUDIT_ROWS" "$WORK/$1/kiosk.db" "$WORK/$1/keys" "${@:2}"; }

pg_start
central_setup
assert_eq "registry schema version" 3 "$(psql_q "SELECT max(version) FROM schema_version")"
kiosk_new k1 04217 d3lhr

# A registry at version 1 (made as version 1 made it, with a kiosk on
# file) is upgraded by init, keeping its kiosks.
psql_q "DROP TABLE biometrics; DROP TABLE audit;
    ALTER TABLE batches DROP COLUMN audit_rows, DROP COLUMN audit_note;
    DELETE FROM schema_version WHERE version >= 2" >/dev/null
out=$(central ingest --db "$PGDB" --keys "$CKEYS" --in "$WORK/in" --out "$WORK/acks" 2>&1) &&
    fail "ingest ran on a version 1 registry: $out"
out=$(central init --db "$PGDB") || fail "init from version 1 failed: $out"
grep -q "upgraded from version 1 to 3" <<<"$out" || fail "init says: $out"
assert_eq "kiosks kept" 1 "$(psql_q "SELECT count(*) FROM kiosks WHERE code = '04217'")"
assert_eq "init again" "schema already at version 3: nothing to do" "$(central init --db "$PGDB")"

# Batch 1: two records and three audit rows.
mkregs k1 2 1
audit_rows k1 3
b1=$(export_batch k1)
assert_eq "batch 1" "04217-000001.nserb" "$(basename "$b1")"
assert_eq "batch 1 audit_upto" 3 "$(ksql k1 "SELECT audit_upto FROM sync_batches WHERE batch_no = 1")"
deliver "$b1"
ingest || fail "ingest of batch 1 failed: $(cat "$WORK/report.txt")"
grep -q "applied 2 records (2 new); 3 audit rows (3 new)" "$WORK/report.txt" ||
    fail "batch 1 report: $(cat "$WORK/report.txt")"
if grep -q "audit break" "$WORK/report.txt"; then fail "a break in batch 1: $(cat "$WORK/report.txt")"; fi
assert_eq "audit rows at central" 3 "$(psql_q "SELECT count(*) FROM audit WHERE kiosk = '04217'")"
assert_eq "same macs at central" \
    "$(ksql k1 "SELECT group_concat(mac, ',') FROM (SELECT mac FROM audit ORDER BY id)")" \
    "$(psql_q "SELECT string_agg(mac, ',' ORDER BY id) FROM audit WHERE kiosk = '04217'")"
assert_eq "batch 1 audit_rows" 3 "$(psql_q "SELECT audit_rows FROM batches WHERE batch_no = 1")"
import_acks k1 || fail "import 1 failed: $(cat "$WORK/k1/import.txt")"

# Batch 2: audit rows alone, chained onto row 3 held at central.
audit_rows k1 2
b2=$(export_batch k1)
assert_eq "batch 2" "04217-000002.nserb" "$(basename "$b2")"
assert_eq "batch 2 records" 0 "$(ksql k1 "SELECT record_count FROM sync_batches WHERE batch_no = 2")"
deliver "$b2"
ingest || fail "ingest of batch 2 failed: $(cat "$WORK/report.txt")"
grep -q "applied 0 records (0 new); 2 audit rows (2 new)" "$WORK/report.txt" ||
    fail "batch 2 report: $(cat "$WORK/report.txt")"
if grep -q "audit break" "$WORK/report.txt"; then fail "a break in batch 2: $(cat "$WORK/report.txt")"; fi
assert_eq "audit rows at central" 5 "$(psql_q "SELECT count(*) FROM audit WHERE kiosk = '04217'")"
assert_eq "links broken at central" 0 "$(psql_q "SELECT count(*) FROM audit a JOIN audit b
    ON b.kiosk = a.kiosk AND b.id = a.id + 1 WHERE b.prev_mac <> a.mac")"

# The kiosk's own check, once main.c knows the command.
if out=$(kiosk k1 audit verify 2>&1); then
    grep -q "intact: 5 entries" <<<"$out" || fail "audit verify says: $out"
elif grep -q "^Usage\|unknown" <<<"$out"; then
    echo "note: nser-kiosk audit is not wired into main.c yet; verify skipped"
else
    fail "audit verify failed: $out"
fi

# The last two rows deleted at the kiosk (triggers dropped by hand): the
# chain still verifies there, but the next batch's head gives it away.
ksql k1 "DROP TRIGGER audit_append_only_delete; DELETE FROM audit WHERE id > 3" >/dev/null
mkregs k1 1 10
b3=$(export_batch k1)
deliver "$b3"
ingest || fail "ingest of batch 3 failed: $(cat "$WORK/report.txt")"
grep -q "audit break: the kiosk's trail ends at row 3 but the registry holds rows up to 5" \
    "$WORK/report.txt" || fail "the deleted rows were not noted: $(cat "$WORK/report.txt")"
assert_eq "rows kept at central" 5 "$(psql_q "SELECT count(*) FROM audit WHERE kiosk = '04217'")"
assert_eq "note kept on the batch" 1 \
    "$(psql_q "SELECT count(*) FROM batches WHERE batch_no = 3 AND audit_note LIKE '%rows deleted%'")"

# Rows written after the deletion take ids 4 and 5 anew (never sent: the
# kiosk sent up to 5 already); row 6 goes, and does not chain onto the
# row 5 the registry holds.
# (Another actor, so the rewritten rows differ even within the same second.)
audit_rows k1 3 clerk2
b4=$(export_batch k1)
deliver "$b4"
ingest || fail "ingest of batch 4 failed: $(cat "$WORK/report.txt")"
grep -q "audit break: row 6 does not chain onto row 5 held" "$WORK/report.txt" ||
    fail "the rewritten trail was not noted: $(cat "$WORK/report.txt")"
echo "ok $TEST_NAME"

#!/usr/bin/env bash
# test_freeze_status.sh - `nser-kiosk sync status` with freeze_after_days=1:
# the backlog and its oldest record's age (set two days back in the outbox
# with sqlite3, as a kiosk left unsynced would have it), and after a sync
# an empty backlog.
. "$(dirname "$0")/lib.sh"

pg_start
central_setup
kiosk_new k1 04217 d3lhr freeze_after_days=1
mkregs k1 3 1
kiosk k1 sync status >"$WORK/s0" || fail "sync status failed"
grep -qE '\b3\b' "$WORK/s0" || fail "sync status does not show a backlog of 3: $(cat "$WORK/s0")"
grep -qiE 'never' "$WORK/s0" || fail "sync status does not say it never exported: $(cat "$WORK/s0")"

ksql k1 "UPDATE outbox SET created_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-2 days', '-1 hour')
          WHERE id = (SELECT min(id) FROM outbox)"
kiosk k1 sync status >"$WORK/s1" || fail "sync status failed"
grep -qiE '\b2 days?\b' "$WORK/s1" || fail "sync status does not show the age 2 days: $(cat "$WORK/s1")"
grep -q 'new registrations: PAUSED' "$WORK/s1" || fail "sync status does not say registrations are paused: $(cat "$WORK/s1")"
grep -q 'new registrations: open' "$WORK/s0" || fail "sync status does not say registrations are open: $(cat "$WORK/s0")"

deliver "$(export_batch k1)"
ingest || fail "ingest failed: $(cat "$WORK/report.txt")"
import_acks k1 || fail "import failed: $(cat "$WORK/k1/import.txt")"
kiosk k1 sync status >"$WORK/s2" || fail "sync status failed"
grep -qE '\b0\b' "$WORK/s2" || fail "sync status does not show an empty backlog: $(cat "$WORK/s2")"
! grep -qiE '\b2 days?\b' "$WORK/s2" || fail "sync status still shows the age after the sync: $(cat "$WORK/s2")"
grep -q 'new registrations: open' "$WORK/s2" || fail "still paused after the sync: $(cat "$WORK/s2")"
grep -qE 'batch 1|\b1\b' "$WORK/s2" || fail "sync status does not name the last batch: $(cat "$WORK/s2")"
echo "ok $TEST_NAME"

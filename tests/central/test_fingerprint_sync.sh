#!/usr/bin/env bash
# test_fingerprint_sync.sh - the print reaches central in a batch and is
# wiped on the kiosk after the acknowledgement (issue 8). Three households
# from mkregs; tests/central/mkprint gives the first a print with an image
# (sealed by the kiosk's vault, attached through db/biometrics.h) and the
# second an exception. Export, ingest: central's biometrics row holds the
# same print and image bytes, the exception its reason and clerk, the third
# household nothing. The same batch again adds nothing. Import the
# acknowledgement: the kiosk keeps finger, time and "sent", and neither its
# database file nor its log holds the print, the image or the sealed bytes.
. "$(dirname "$0")/lib.sh"

MKPRINT=$ROOT/build/asan/tests/central/mkprint
[ -x "$MKPRINT" ] || fail "$MKPRINT is missing: make build/asan/tests/central/mkprint"

pg_start
central_setup
kiosk_new k1 04217 d3lhr
mkregs k1 3
"$MKPRINT" --db "$WORK/k1/kiosk.db" --keys "$WORK/k1/keys" --registration 1 \
    --out "$WORK/fp" || fail "mkprint (print) failed"
"$MKPRINT" --db "$WORK/k1/kiosk.db" --registration 2 --exception worn --clerk clerk1 ||
    fail "mkprint (exception) failed"
check_sanitizers
[ "$(stat -c %a "$WORK/k1/keys/biometric.key")" = 600 ] || fail "biometric.key is not 0600"

# contains FILE NEEDLE-FILE: the needle's bytes (or a 64-byte piece of them) are in FILE.
contains() {
    python3 - "$1" "$2" <<'PY'
import sys, os
hay = open(sys.argv[1], 'rb').read() if os.path.exists(sys.argv[1]) else b''
needle = open(sys.argv[2], 'rb').read()
pieces = [needle[i:i + 64] for i in range(0, max(len(needle) - 64, 1), 200)]
sys.exit(0 if any(p in hay for p in pieces) else 1)
PY
}

contains "$WORK/k1/kiosk.db" "$WORK/fp.sealed" || contains "$WORK/k1/kiosk.db-wal" "$WORK/fp.sealed" ||
    fail "the sealed print is not in the kiosk's store before the sync (the test is blind)"
for f in kiosk.db kiosk.db-wal; do
    contains "$WORK/k1/$f" "$WORK/fp.print" && fail "the clear print is in the kiosk's $f"
done

batch=$(export_batch k1)
[ -n "$batch" ] || fail "export wrote no batch"
contains "$batch" "$WORK/fp.print" && fail "the clear print is readable in the batch file"
assert_eq "prints marked sent" 2 "$(ksql k1 "SELECT count(*) FROM biometrics WHERE sent_at IS NOT NULL")"

deliver "$batch"
ingest || fail "ingest failed: $(cat "$WORK/report.txt")"
assert_eq "biometrics rows at central" 2 "$(psql_q "SELECT count(*) FROM biometrics")"
uuid1=$(ksql k1 "SELECT record_uuid FROM registrations WHERE id = 1")
uuid2=$(ksql k1 "SELECT record_uuid FROM registrations WHERE id = 2")
assert_eq "central's print" "$(xxd -p "$WORK/fp.print" | tr -d '\n')" \
    "$(psql_q "SELECT encode(print, 'hex') FROM biometrics WHERE uuid = '$uuid1'")"
assert_eq "central's image" "$(xxd -p "$WORK/fp.image" | tr -d '\n')" \
    "$(psql_q "SELECT encode(image, 'hex') FROM biometrics WHERE uuid = '$uuid1'")"
assert_eq "central's print row" "print|right_thumb|virtual_image|1|04217|d3lhr" \
    "$(psql_q "SELECT kind, finger, driver, retries, kiosk, district FROM biometrics WHERE uuid = '$uuid1'")"
assert_eq "central's exception row" "exception|worn|clerk1||" \
    "$(psql_q "SELECT kind, exception, signed_off_by, print, image FROM biometrics WHERE uuid = '$uuid2'")"

# The same batch again (a transport delivering twice): nothing doubled.
deliver "$batch"
ingest || fail "second ingest failed: $(cat "$WORK/report.txt")"
assert_eq "biometrics rows after a replay" 2 "$(psql_q "SELECT count(*) FROM biometrics")"

import_acks k1 || fail "import failed: $(cat "$WORK/k1/import.txt")"
assert_eq "unacked after import" 0 "$(ksql k1 "SELECT count(*) FROM outbox WHERE acked_at IS NULL")"
assert_eq "kiosk's row after the wipe" "right_thumb|1|1|1" \
    "$(ksql k1 "SELECT finger, sealed IS NULL, sent_at IS NOT NULL, wiped_at IS NOT NULL
                  FROM biometrics WHERE registration_id = 1")"
assert_eq "kiosk's exception after the ack" "worn|1" \
    "$(ksql k1 "SELECT exception, acked_at IS NOT NULL FROM biometrics WHERE registration_id = 2")"
for f in kiosk.db kiosk.db-wal; do
    for what in sealed print image; do
        contains "$WORK/k1/$f" "$WORK/fp.$what" && fail "the $what bytes are still in the kiosk's $f after the wipe"
    done
done
# Nothing left to send, and a status check says nothing about prints.
line=$(kiosk k1 sync export --out "$WORK/k1/out") || fail "second export failed"
grep -q "nothing to send" <<<"$line" || fail "second export: $line"
grep -qiE "finger|print" "$WORK/k1/kiosk.log" && fail "the kiosk's log mentions a fingerprint"
check_sanitizers
echo "ok $TEST_NAME"

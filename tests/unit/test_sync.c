/*
 * test_sync.c - the kiosk's side of sync on real SQLite files and real
 * keys: export writes a batch the registry can open with the right
 * records; nothing to send; the batch cap; unacknowledged records go
 * again; an acknowledgement (sealed here as "central") marks records and
 * sets statuses, duplicate_elsewhere included; the same one again is
 * skipped; a tampered one is refused while the others apply; an older
 * one never overwrites a newer decision; the snapshot answers a status
 * check; the freeze rule; an export whose rename fails, and one killed
 * before it was recorded; the ack parser's refusals; `sync` itself.
 *
 * Every test gets its own folder under a mkdtemp root, made and removed
 * here with tests/unit/testdir.h (keys live in sub-folders).
 */
#include <dirent.h>
#include <jansson.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "db/db.h"
#include "db/db_internal.h"
#include "db/drafts.h"
#include "db/registry.h"
#include "kiosk/answers.h"
#include "kiosk/atomic_file.h"
#include "kiosk/config.h"
#include "kiosk/envelope.h"
#include "kiosk/keystore.h"
#include "kiosk/status_query.h"
#include "kiosk/sync.h"
#include "kiosk/sync_ack.h"
#include "kiosk/sync_cmd.h"
#include "tests/unit/testdir.h"

#define KIOSK   "12345"
#define ONE_DAY ((time_t)24 * 60 * 60)

static char rootdir[] = "/tmp/nser-test-sync-XXXXXX";

struct fx {
    char dir[300];
    char out[320];
    char in[320];
    struct config cfg;
    struct db *db;
    struct keystore *central;
    struct public_key kiosk_pub;
    struct registration_summary reg[8];
    size_t n_reg;
};

/* ---------------------------------------------------------------- helpers */

static void ok(struct db *db, enum db_result r)
{
    if (r != DB_OK)
        fail_msg("db result %d: %s", r, db_last_error(db));
}

static long long raw_int(struct db *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db_sqlite(db), sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    long long v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

static void raw_exec(struct db *db, const char *sql)
{
    char *err = NULL;
    if (sqlite3_exec(db_sqlite(db), sql, NULL, NULL, &err) != SQLITE_OK)
        fail_msg("%s: %s", sql, err ? err : "?");
}

/* 2026-11-23 09:41:07 UTC */
static time_t day1(void)
{
    struct tm tm = {
        .tm_year = 126, .tm_mon = 10, .tm_mday = 23, .tm_hour = 9, .tm_min = 41, .tm_sec = 7};
    return timegm(&tm);
}

static int setup(void **state)
{
    static int n;
    struct fx *fx = calloc(1, sizeof *fx);
    assert_non_null(fx);
    snprintf(fx->dir, sizeof fx->dir, "%s/t%d", rootdir, ++n);
    assert_int_equal(mkdir(fx->dir, 0700), 0);
    snprintf(fx->out, sizeof fx->out, "%s/out", fx->dir);
    snprintf(fx->in, sizeof fx->in, "%s/in", fx->dir);
    assert_int_equal(mkdir(fx->in, 0700), 0);
    config_defaults(&fx->cfg);
    snprintf(fx->cfg.kiosk_code, sizeof fx->cfg.kiosk_code, "%s", KIOSK);
    snprintf(fx->cfg.key_dir, sizeof fx->cfg.key_dir, "%s/keys", fx->dir);
    fx->cfg.sync_batch_max = 5000;
    fx->cfg.freeze_after_days = 30;

    char err[256], path[1024], cdir[400];
    assert_int_equal(keys_crypto_init(), 0);
    if (keystore_create(fx->cfg.key_dir, "kiosk", KIOSK, err, sizeof err) != 0)
        fail_msg("%s", err);
    snprintf(cdir, sizeof cdir, "%s/central", fx->dir);
    if (keystore_create(cdir, "central", "central", err, sizeof err) != 0)
        fail_msg("%s", err);
    snprintf(path, sizeof path, "%s/central.pub", cdir);
    if (keystore_install_central(fx->cfg.key_dir, path, err, sizeof err) != 0)
        fail_msg("%s", err);
    fx->central = keystore_load(cdir, "central", err, sizeof err);
    assert_non_null(fx->central);
    struct keystore *k = keystore_load(fx->cfg.key_dir, "kiosk", err, sizeof err);
    assert_non_null(k);
    fx->kiosk_pub = *keystore_public(k);
    keystore_free(k);

    snprintf(path, sizeof path, "%s/kiosk.db", fx->dir);
    assert_int_equal(db_open(path, &fx->db, NULL, 0), DB_OK);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    struct fx *fx = *state;
    db_close(fx->db);
    keystore_free(fx->central);
    testdir_remove(fx->dir);
    free(fx);
    return 0;
}

/* Registers a household for CNIC at WHEN, with a score when SCORED. */
static void add_registration(struct fx *fx, const char *cnic, time_t when, bool scored)
{
    static unsigned uuid_n;
    struct draft_info d;
    ok(fx->db, drafts_create(fx->db, cnic, "nser_household", "2024.1", when, &d));
    struct answers *a = answers_new();
    assert_non_null(a);
    assert_int_equal(answers_add_member(a), 0);
    assert_int_equal(answers_add_member(a), 1);
    assert_int_equal(answers_set(a, ANSWERS_HOUSEHOLD, "district", "lahore"), 0);
    assert_int_equal(answers_set(a, 0, "name", "Ayesha Bibi"), 0);
    assert_int_equal(answers_set(a, 1, "age", "7"), 0);
    struct registration_meta meta = {.now = when};
    snprintf(meta.kiosk_code, sizeof meta.kiosk_code, "%s", KIOSK);
    snprintf(meta.record_uuid, sizeof meta.record_uuid, "00000000-0000-4000-8000-%012u", ++uuid_n);
    snprintf(meta.head_name, sizeof meta.head_name, "Ayesha Bibi");
    snprintf(meta.questionnaire_id, sizeof meta.questionnaire_id, "nser_household");
    snprintf(meta.questionnaire_version, sizeof meta.questionnaire_version, "2024.1");
    struct registration_score s = {.score = 21.5};
    snprintf(s.table_id, sizeof s.table_id, "psc");
    snprintf(s.table_version, sizeof s.table_version, "2009");
    snprintf(s.breakdown, sizeof s.breakdown, "rooms\t3\t4\n");
    snprintf(s.decisions, sizeof s.decisions, "bisp\teligible\n");
    struct tracking_id t;
    ok(fx->db, registry_confirm(fx->db, d.id, a, scored ? &s : NULL, &meta, &t));
    answers_free(a);
    ok(fx->db, registry_find_by_tracking(fx->db, &t, &fx->reg[fx->n_reg++]));
}

/* Reads and opens a batch file as the registry would; the payload as JSON. */
static json_t *open_batch(struct fx *fx, const char *path, uint64_t want_seq)
{
    uint8_t *buf, *payload;
    size_t len, plen;
    char err[256];
    if (read_whole_file(path, 64u << 20, &buf, &len, err, sizeof err) != 0)
        fail_msg("%s", err);
    struct envelope_header h;
    assert_int_equal(envelope_peek(buf, len, &h), ENVELOPE_OK);
    assert_int_equal(h.kind, 'B');
    assert_string_equal(h.sender, KIOSK);
    assert_string_equal(h.recipient, "central");
    assert_int_equal(h.sequence, want_seq);
    assert_int_equal(envelope_open(buf, len, &fx->kiosk_pub, fx->central, &h, &payload, &plen),
                     ENVELOPE_OK);
    json_error_t je;
    json_t *root = json_loadb((const char *)payload, plen, 0, &je);
    assert_non_null(root);
    free(buf);
    free(payload);
    assert_string_equal(json_string_value(json_object_get(root, "format")), "nser-batch");
    assert_string_equal(json_string_value(json_object_get(root, "kiosk")), KIOSK);
    assert_int_equal(json_integer_value(json_object_get(root, "batch")), want_seq);
    return root;
}

static const char *rec_uuid(json_t *root, size_t i)
{
    json_t *r = json_array_get(json_object_get(root, "records"), i);
    return json_string_value(json_object_get(r, "uuid"));
}

/* Seals ACK_JSON as acknowledgement NUMBER from the registry into fx->in. */
static void write_ack(struct fx *fx, uint64_t number, const char *ack_json, bool tamper)
{
    uint8_t *file;
    size_t flen;
    assert_int_equal(envelope_seal('A', fx->central, &fx->kiosk_pub, number, (int64_t)time(NULL),
                                   (const uint8_t *)ack_json, strlen(ack_json), &file, &flen),
                     ENVELOPE_OK);
    if (tamper)
        file[ENVELOPE_HEADER + 5] ^= 0x40;
    char name[64], err[256];
    snprintf(name, sizeof name, "%s-ack-%06llu.nsera", KIOSK, (unsigned long long)number);
    if (atomic_write(fx->in, name, file, flen, 0644, err, sizeof err) != 0)
        fail_msg("%s", err);
    free(file);
}

/* An acknowledgement payload: ENTRIES is the inside of "acks". */
static char *ack_payload(uint64_t number, const char *entries, const char *snapshot)
{
    static char buf[4096];
    snprintf(buf, sizeof buf,
             "{\"format\": \"nser-ack\", \"version\": 1, \"kiosk\": \"" KIOSK "\", \"ack\": %llu,"
             " \"created\": \"2026-11-23T18:00:00Z\", \"acks\": [%s], \"snapshot\": %s}",
             (unsigned long long)number, entries, snapshot);
    return buf;
}

static char *ack_entry(const struct registration_summary *r, const char *status, const char *date,
                       char *buf, size_t bufsz)
{
    snprintf(buf, bufsz,
             "{\"uuid\": \"%s\", \"version\": %d, \"status\": \"%s\", \"status_date\": \"%s\"}",
             r->record_uuid, r->record_version, status, date);
    return buf;
}

static enum reg_status status_of(struct fx *fx, size_t i)
{
    struct registration_summary s;
    ok(fx->db, registry_find_by_tracking(fx->db, &fx->reg[i].tracking, &s));
    return s.status;
}

static int export(struct fx *fx, struct sync_export_result *res)
{
    char err[512];
    int rc = sync_export(fx->db, &fx->cfg, fx->out, NULL, NULL, res, err, sizeof err);
    if (rc != 0)
        print_message("export: %s\n", err);
    return rc;
}

/* ------------------------------------------------------------------ tests */

static void export_writes_a_batch_the_registry_opens(void **state)
{
    struct fx *fx = *state;
    add_registration(fx, "3520212345671", day1(), true);
    add_registration(fx, "3520212345682", day1() + 60, false);
    add_registration(fx, "3520212345671", day1() + 120, true); /* an update of the first */
    struct sync_export_result res;
    assert_int_equal(export(fx, &res), 0);
    assert_int_equal(res.batch, 1);
    assert_int_equal(res.records, 3);
    char want[512];
    snprintf(want, sizeof want, "%s/" KIOSK "-000001.nserb", fx->out);
    assert_string_equal(res.file, want);

    json_t *root = open_batch(fx, res.file, 1);
    json_t *recs = json_object_get(root, "records");
    assert_int_equal(json_array_size(recs), 3);
    json_t *r0 = json_array_get(recs, 0), *r1 = json_array_get(recs, 1),
           *r2 = json_array_get(recs, 2);
    assert_string_equal(rec_uuid(root, 0), fx->reg[0].record_uuid);
    assert_true(json_is_null(json_object_get(r0, "supersedes")));
    assert_string_equal(json_string_value(json_object_get(r0, "cnic")), "3520212345671");
    assert_string_equal(json_string_value(json_object_get(r0, "created")), "2026-11-23T09:41:07Z");
    assert_string_equal(json_string_value(json_object_get(r0, "head_name")), "Ayesha Bibi");
    assert_int_equal(json_integer_value(json_object_get(r0, "member_count")), 2);
    json_t *ans = json_object_get(r0, "answers");
    assert_int_equal(json_array_size(ans), 3);
    json_t *first = json_array_get(ans, 0);
    assert_int_equal(json_integer_value(json_array_get(first, 0)), -1);
    assert_string_equal(json_string_value(json_array_get(first, 1)), "district");
    assert_string_equal(json_string_value(json_array_get(first, 2)), "lahore");
    json_t *score = json_object_get(r0, "score");
    assert_true(json_is_object(score));
    assert_true(json_real_value(json_object_get(score, "score")) == 21.5);
    assert_true(json_is_null(json_object_get(score, "thresholds_id")));
    assert_true(json_is_null(json_object_get(r1, "score")));
    /* The update: same uuid, version 2, supersedes the uuid it replaces. */
    assert_string_equal(rec_uuid(root, 2), fx->reg[0].record_uuid);
    assert_int_equal(json_integer_value(json_object_get(r2, "version")), 2);
    assert_string_equal(json_string_value(json_object_get(r2, "supersedes")),
                        fx->reg[0].record_uuid);
    json_decref(root);

    assert_int_equal(raw_int(fx->db, "SELECT count(*) FROM sync_batches WHERE batch_no = 1"
                                     " AND record_count = 3"),
                     1);
    assert_int_equal(raw_int(fx->db, "SELECT count(*) FROM outbox WHERE batch_no = 1"
                                     " AND exported_at IS NOT NULL AND acked_at IS NULL"),
                     3);
    struct sync_info si;
    assert_int_equal(sync_info(fx->db, &si), 0);
    assert_int_equal(si.backlog, 3);
    assert_int_equal(si.last_batch, 1);
    assert_int_equal(si.oldest_unacked, (int64_t)day1());
    assert_true(si.last_export > 0);
    assert_int_equal(si.last_import, 0);
}

static void nothing_to_send(void **state)
{
    struct fx *fx = *state;
    struct sync_export_result res;
    assert_int_equal(export(fx, &res), 0);
    assert_int_equal(res.batch, 0);
    assert_int_equal(res.records, 0);
    assert_int_equal(raw_int(fx->db, "SELECT count(*) FROM sync_batches"), 0);
    DIR *d = opendir(fx->out);
    assert_non_null(d);
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        assert_true(e->d_name[0] == '.');
    closedir(d);
}

/* The cap, and unacknowledged records going again: never-sent ones first. */
static void batch_cap_and_resending(void **state)
{
    struct fx *fx = *state;
    for (int i = 0; i < 3; i++) {
        char cnic[14] = "352021234560x";
        cnic[12] = (char)('0' + i);
        add_registration(fx, cnic, day1() + i, false);
    }
    fx->cfg.sync_batch_max = 2;
    struct sync_export_result res;
    assert_int_equal(export(fx, &res), 0);
    assert_int_equal(res.records, 2);
    json_t *b = open_batch(fx, res.file, 1);
    assert_string_equal(rec_uuid(b, 0), fx->reg[0].record_uuid);
    assert_string_equal(rec_uuid(b, 1), fx->reg[1].record_uuid);
    json_decref(b);
    assert_int_equal(export(fx, &res), 0);
    assert_int_equal(res.batch, 2);
    b = open_batch(fx, res.file, 2);
    assert_string_equal(rec_uuid(b, 0), fx->reg[2].record_uuid);
    assert_string_equal(rec_uuid(b, 1), fx->reg[0].record_uuid);
    json_decref(b);
    /* No acknowledgement yet: everything goes again, nothing is dropped. */
    fx->cfg.sync_batch_max = 5000;
    assert_int_equal(export(fx, &res), 0);
    assert_int_equal(res.batch, 3);
    assert_int_equal(res.records, 3);
    assert_int_equal(raw_int(fx->db, "SELECT count(*) FROM outbox WHERE batch_no = 3"), 3);
}

static void acks_mark_records_and_set_statuses(void **state)
{
    struct fx *fx = *state;
    add_registration(fx, "3520212345671", day1(), true);
    add_registration(fx, "3520212345682", day1() + 1, false);
    add_registration(fx, "3520212345693", day1() + 2, false);
    struct sync_export_result res;
    assert_int_equal(export(fx, &res), 0);

    struct tracking_id other;
    assert_int_equal(tracking_make("04211", 2026, 11, 9, 42, &other), 0);
    char e1[256], e2[256], entries[1024], snapshot[512];
    snprintf(entries, sizeof entries,
             "%s, %s, {\"uuid\": \"99999999-0000-4000-8000-000000000000\", \"version\": 1,"
             " \"status\": \"received\", \"status_date\": \"2026-11-23\"}",
             ack_entry(&fx->reg[0], "eligible", "2026-11-23", e1, sizeof e1),
             ack_entry(&fx->reg[1], "duplicate_elsewhere", "2026-11-24", e2, sizeof e2));
    snprintf(snapshot, sizeof snapshot,
             "{\"district\": \"d3lhr\", \"entries\": [{\"tracking\": \"%s\", \"cnic\":"
             " \"3520298765431\", \"status\": \"not_eligible\", \"status_date\": \"2026-11-20\","
             " \"head\": \"M******* A**\"}]}",
             other.digits);
    write_ack(fx, 1, ack_payload(1, entries, snapshot), false);

    struct sync_import_result ir;
    char err[512];
    assert_int_equal(sync_import(fx->db, &fx->cfg, fx->in, NULL, NULL, &ir, err, sizeof err), 0);
    assert_int_equal(ir.files_applied, 1);
    assert_int_equal(ir.records_acked, 2);
    assert_int_equal(ir.statuses_changed, 2);
    assert_int_equal(ir.snapshot_entries, 1);
    assert_int_equal(status_of(fx, 0), STATUS_ELIGIBLE);
    assert_int_equal(status_of(fx, 1), STATUS_DUPLICATE_ELSEWHERE);
    assert_int_equal(status_of(fx, 2), STATUS_PENDING_SYNC);
    assert_int_equal(raw_int(fx->db, "SELECT count(*) FROM outbox WHERE acked_at IS NULL"), 1);

    /* The status check tells the applicant, with the registry's date. */
    struct status_answer a;
    assert_int_equal(status_query(fx->db, NULL, "35202-1234568-2", &a), STATUS_Q_FOUND);
    assert_int_equal(a.status, STATUS_DUPLICATE_ELSEWHERE);
    assert_string_equal(a.status_date, "2026-11-24");
    assert_false(a.from_snapshot);
    assert_non_null(strstr(reg_status_text(a.status), "another centre"));

    /* A walk-in registered at another kiosk of the district. */
    assert_int_equal(status_query(fx->db, NULL, "3520298765431", &a), STATUS_Q_FOUND);
    assert_true(a.from_snapshot);
    assert_int_equal(a.status, STATUS_NOT_ELIGIBLE);
    assert_string_equal(a.status_date, "2026-11-20");
    assert_string_equal(a.masked_name, "M******* A**");
    assert_string_equal(a.registered_date, "");
    assert_int_equal(status_query(fx->db, NULL, other.digits, &a), STATUS_Q_FOUND);
    assert_true(a.from_snapshot);
    assert_int_equal(status_query(fx->db, NULL, "3520298765442", &a), STATUS_Q_NOT_FOUND);

    /* The same acknowledgement again changes nothing. */
    assert_int_equal(sync_import(fx->db, &fx->cfg, fx->in, NULL, NULL, &ir, err, sizeof err), 0);
    assert_int_equal(ir.files_applied, 0);
    assert_int_equal(ir.files_skipped, 1);
    assert_int_equal(raw_int(fx->db, "SELECT count(*) FROM sync_imports"), 1);

    /* Backlog shrinks; the next export carries only what is left. */
    assert_int_equal(export(fx, &res), 0);
    assert_int_equal(res.records, 1);
    struct sync_info si;
    assert_int_equal(sync_info(fx->db, &si), 0);
    assert_int_equal(si.last_ack, 1);
    assert_true(si.last_import > 0);
}

static void tampered_ack_refused_others_apply(void **state)
{
    struct fx *fx = *state;
    add_registration(fx, "3520212345671", day1(), false);
    add_registration(fx, "3520212345682", day1() + 1, false);
    struct sync_export_result res;
    assert_int_equal(export(fx, &res), 0);
    char e[256];
    write_ack(fx, 2,
              ack_payload(2, ack_entry(&fx->reg[0], "eligible", "2026-11-23", e, sizeof e), "null"),
              true);
    write_ack(fx, 3,
              ack_payload(3, ack_entry(&fx->reg[1], "received", "2026-11-23", e, sizeof e), "null"),
              false);
    /* Another kiosk's file and a leftover .tmp are not ours to read. */
    write_ack(fx, 4, ack_payload(4, "", "null"), false);
    char from[400], to[400];
    snprintf(from, sizeof from, "%s/" KIOSK "-ack-000004.nsera", fx->in);
    snprintf(to, sizeof to, "%s/54321-ack-000004.nsera", fx->in);
    assert_int_equal(rename(from, to), 0);

    struct sync_import_result ir;
    char err[512];
    assert_int_equal(sync_import(fx->db, &fx->cfg, fx->in, NULL, NULL, &ir, err, sizeof err), -1);
    assert_int_equal(ir.files_refused, 1);
    assert_int_equal(ir.files_applied, 1);
    assert_non_null(strstr(ir.refusal, KIOSK "-ack-000002.nsera"));
    assert_int_equal(status_of(fx, 0), STATUS_PENDING_SYNC);
    assert_int_equal(status_of(fx, 1), STATUS_RECEIVED);

    /* A good copy of 2 arrives late: its decision is older than 3's. */
    write_ack(
        fx, 2,
        ack_payload(2, ack_entry(&fx->reg[1], "under_review", "2026-11-22", e, sizeof e), "null"),
        false);
    write_ack(
        fx, 5,
        ack_payload(5, ack_entry(&fx->reg[0], "not_eligible", "2026-11-25", e, sizeof e), "null"),
        false);
    assert_int_equal(sync_import(fx->db, &fx->cfg, fx->in, NULL, NULL, &ir, err, sizeof err), 0);
    assert_int_equal(ir.files_applied, 2);
    assert_int_equal(ir.files_skipped, 1);
    assert_int_equal(status_of(fx, 1), STATUS_RECEIVED);
    assert_int_equal(status_of(fx, 0), STATUS_NOT_ELIGIBLE);
}

static void freeze_rule(void **state)
{
    struct fx *fx = *state;
    int days = -1;
    assert_false(sync_frozen(fx->db, &fx->cfg, (int64_t)day1(), &days));
    assert_int_equal(days, 0);
    add_registration(fx, "3520212345671", day1(), false);
    assert_false(sync_frozen(fx->db, &fx->cfg, (int64_t)(day1() + 10 * ONE_DAY), &days));
    assert_int_equal(days, 10);
    assert_false(sync_frozen(fx->db, &fx->cfg, (int64_t)(day1() + 30 * ONE_DAY), &days));
    assert_true(sync_frozen(fx->db, &fx->cfg, (int64_t)(day1() + 31 * ONE_DAY), &days));
    assert_int_equal(days, 31);
    fx->cfg.freeze_after_days = 0;
    assert_false(sync_frozen(fx->db, &fx->cfg, (int64_t)(day1() + 400 * ONE_DAY), &days));
    fx->cfg.freeze_after_days = 30;

    /* Exporting is not enough; an acknowledgement lifts it. */
    struct sync_export_result res;
    assert_int_equal(export(fx, &res), 0);
    assert_true(sync_frozen(fx->db, &fx->cfg, (int64_t)(day1() + 31 * ONE_DAY), &days));
    char e[256], err[512];
    write_ack(fx, 1,
              ack_payload(1, ack_entry(&fx->reg[0], "received", "2026-12-01", e, sizeof e), "null"),
              false);
    struct sync_import_result ir;
    assert_int_equal(sync_import(fx->db, &fx->cfg, fx->in, NULL, NULL, &ir, err, sizeof err), 0);
    assert_false(sync_frozen(fx->db, &fx->cfg, (int64_t)(day1() + 31 * ONE_DAY), &days));
}

/* A rename that fails leaves no file and no row; the rerun uses the number. */
static void failed_export_leaves_nothing(void **state)
{
    struct fx *fx = *state;
    add_registration(fx, "3520212345671", day1(), false);
    char blocker[400];
    assert_int_equal(make_dirs(fx->out, 0755), 0);
    snprintf(blocker, sizeof blocker, "%s/" KIOSK "-000001.nserb", fx->out);
    assert_int_equal(mkdir(blocker, 0755), 0);
    struct sync_export_result res;
    char err[512];
    assert_int_equal(sync_export(fx->db, &fx->cfg, fx->out, NULL, NULL, &res, err, sizeof err), -1);
    assert_true(strlen(err) > 0);
    assert_int_equal(raw_int(fx->db, "SELECT count(*) FROM sync_batches"), 0);
    assert_int_equal(raw_int(fx->db, "SELECT count(*) FROM outbox WHERE exported_at IS NULL"), 1);
    assert_int_equal(rmdir(blocker), 0);
    assert_int_equal(export(fx, &res), 0);
    assert_int_equal(res.batch, 1);
    json_decref(open_batch(fx, res.file, 1));
}

/* Killed after the rename, before the commit: the file is written again. */
static void export_killed_before_recording(void **state)
{
    struct fx *fx = *state;
    add_registration(fx, "3520212345671", day1(), false);
    struct sync_export_result res;
    assert_int_equal(export(fx, &res), 0);
    /* What the store would hold had the transaction never committed. */
    raw_exec(fx->db, "UPDATE outbox SET exported_at = NULL, batch_no = NULL;"
                     "DELETE FROM sync_batches;");
    add_registration(fx, "3520212345682", day1() + 5, false);
    assert_int_equal(export(fx, &res), 0);
    assert_int_equal(res.batch, 1);
    assert_int_equal(res.records, 2);
    json_t *b = open_batch(fx, res.file, 1);
    assert_string_equal(rec_uuid(b, 0), fx->reg[0].record_uuid);
    json_decref(b);
    assert_int_equal(raw_int(fx->db, "SELECT count(*) FROM outbox WHERE batch_no = 1"), 2);
}

static void export_needs_keys(void **state)
{
    struct fx *fx = *state;
    add_registration(fx, "3520212345671", day1(), false);
    struct sync_export_result res;
    char err[512], path[1024];
    snprintf(path, sizeof path, "%s/central.pub", fx->cfg.key_dir);
    assert_int_equal(unlink(path), 0);
    assert_int_equal(sync_export(fx->db, &fx->cfg, fx->out, NULL, NULL, &res, err, sizeof err), -1);
    assert_non_null(strstr(err, "install-central"));
    snprintf(fx->cfg.key_dir, sizeof fx->cfg.key_dir, "%s/nokeys", fx->dir);
    assert_int_equal(sync_export(fx->db, &fx->cfg, fx->out, NULL, NULL, &res, err, sizeof err), -1);
    assert_non_null(strstr(err, "keys init"));
    assert_int_equal(raw_int(fx->db, "SELECT count(*) FROM sync_batches"), 0);
}

static void on_progress(void *ud, size_t done, size_t total)
{
    size_t *seen = ud;
    seen[0]++;
    seen[1] = done;
    seen[2] = total;
}

/* The callback hears the end of an export (and every 500 records before it). */
static void export_reports_progress(void **state)
{
    struct fx *fx = *state;
    add_registration(fx, "3520212345671", day1(), false);
    add_registration(fx, "3520212345682", day1(), false);
    size_t seen[3] = {0, 0, 0};
    struct sync_export_result res;
    char err[512];
    assert_int_equal(
        sync_export(fx->db, &fx->cfg, fx->out, on_progress, seen, &res, err, sizeof err), 0);
    assert_int_equal(seen[0], 1);
    assert_int_equal(seen[1], 2);
    assert_int_equal(seen[2], 2);
}

static void ack_parser_refuses(void **state)
{
    (void)state;
    struct sync_ack *a = NULL;
    char err[256];
    static const char *const bad[] = {
        "",
        "[]",
        "{\"format\": \"nser-ack\"}",
        /* wrong kiosk, wrong number, unknown key, bad format version */
        "{\"format\": \"nser-ack\", \"version\": 1, \"kiosk\": \"54321\", \"ack\": 7,"
        " \"created\": \"2026-11-23T18:00:00Z\", \"acks\": [], \"snapshot\": null}",
        "{\"format\": \"nser-ack\", \"version\": 1, \"kiosk\": \"12345\", \"ack\": 8,"
        " \"created\": \"2026-11-23T18:00:00Z\", \"acks\": [], \"snapshot\": null}",
        "{\"format\": \"nser-ack\", \"version\": 1, \"kiosk\": \"12345\", \"ack\": 7,"
        " \"created\": \"2026-11-23T18:00:00Z\", \"acks\": [], \"snapshot\": null, \"x\": 1}",
        "{\"format\": \"nser-ack\", \"version\": 2, \"kiosk\": \"12345\", \"ack\": 7,"
        " \"created\": \"2026-11-23T18:00:00Z\", \"acks\": [], \"snapshot\": null}",
        /* a key twice */
        "{\"format\": \"nser-ack\", \"version\": 1, \"kiosk\": \"12345\", \"ack\": 7, \"ack\": 7,"
        " \"created\": \"2026-11-23T18:00:00Z\", \"acks\": [], \"snapshot\": null}",
        /* entries: pending_sync is the kiosk's own, bad uuid, version 0, bad date */
        "{\"format\": \"nser-ack\", \"version\": 1, \"kiosk\": \"12345\", \"ack\": 7,"
        " \"created\": \"2026-11-23T18:00:00Z\", \"acks\": [{\"uuid\":"
        " \"00000000-0000-4000-8000-000000000001\", \"version\": 1, \"status\":"
        " \"pending_sync\", \"status_date\": \"2026-11-23\"}], \"snapshot\": null}",
        "{\"format\": \"nser-ack\", \"version\": 1, \"kiosk\": \"12345\", \"ack\": 7,"
        " \"created\": \"2026-11-23T18:00:00Z\", \"acks\": [{\"uuid\":"
        " \"00000000-0000-4000-8000-00000000000G\", \"version\": 1, \"status\":"
        " \"received\", \"status_date\": \"2026-11-23\"}], \"snapshot\": null}",
        "{\"format\": \"nser-ack\", \"version\": 1, \"kiosk\": \"12345\", \"ack\": 7,"
        " \"created\": \"2026-11-23T18:00:00Z\", \"acks\": [{\"uuid\":"
        " \"00000000-0000-4000-8000-000000000001\", \"version\": 0, \"status\":"
        " \"received\", \"status_date\": \"2026-11-23\"}], \"snapshot\": null}",
        "{\"format\": \"nser-ack\", \"version\": 1, \"kiosk\": \"12345\", \"ack\": 7,"
        " \"created\": \"2026-11-23T18:00:00Z\", \"acks\": [{\"uuid\":"
        " \"00000000-0000-4000-8000-000000000001\", \"version\": 1, \"status\":"
        " \"received\", \"status_date\": \"2026-13-23\"}], \"snapshot\": null}",
        /* snapshot: short cnic, empty head */
        "{\"format\": \"nser-ack\", \"version\": 1, \"kiosk\": \"12345\", \"ack\": 7,"
        " \"created\": \"2026-11-23T18:00:00Z\", \"acks\": [], \"snapshot\": {\"district\":"
        " \"d3lhr\", \"entries\": [{\"tracking\": \"0421126110900042\", \"cnic\":"
        " \"352029876543\", \"status\": \"eligible\", \"status_date\": \"2026-11-20\","
        " \"head\": \"M**\"}]}}",
        "{\"format\": \"nser-ack\", \"version\": 1, \"kiosk\": \"12345\", \"ack\": 7,"
        " \"created\": \"2026-11-23T18:00:00Z\", \"acks\": [], \"snapshot\": {\"district\":"
        " \"d3lhr\", \"entries\": [{\"tracking\": \"0421126110900042\", \"cnic\":"
        " \"3520298765431\", \"status\": \"eligible\", \"status_date\": \"2026-11-20\","
        " \"head\": \"\"}]}}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err[0] = '\0';
        if (sync_ack_parse(bad[i], strlen(bad[i]), KIOSK, 7, &a, err, sizeof err) == 0)
            fail_msg("accepted #%zu", i);
        assert_null(a);
        assert_true(strlen(err) > 0);
        /* The reason never quotes the CNIC. */
        assert_null(strstr(err, "35202"));
    }
    const char *good = "{\"format\": \"nser-ack\", \"version\": 1, \"kiosk\": \"12345\","
                       " \"ack\": 7, \"created\": \"2026-11-23T18:00:00Z\", \"acks\": [],"
                       " \"snapshot\": {\"district\": \"d3lhr\", \"entries\": []}}";
    assert_int_equal(sync_ack_parse(good, strlen(good), KIOSK, 7, &a, err, sizeof err), 0);
    assert_true(a->has_snapshot);
    assert_string_equal(a->district, "d3lhr");
    assert_int_equal(a->n_snapshot, 0);
    sync_ack_free(a);
}

/* `nser-kiosk sync ...` prints what docs/sync.md says. */
static void sync_command_lines(void **state)
{
    struct fx *fx = *state;
    char buf[4096];
    FILE *out = fmemopen(buf, sizeof buf, "w");
    FILE *err = fopen("/dev/null", "w");
    assert_non_null(out);
    char *nothing[] = {"sync", "export", "--out", fx->out};
    assert_int_equal(sync_command(4, nothing, fx->db, &fx->cfg, out, err), 0);
    fflush(out);
    assert_non_null(strstr(buf, "nothing to send"));
    rewind(out);

    add_registration(fx, "3520212345671", day1(), false);
    assert_int_equal(sync_command(4, nothing, fx->db, &fx->cfg, out, err), 0);
    fputc('\0', out);
    fflush(out);
    char want[512];
    snprintf(want, sizeof want, "batch 1: 1 records -> %s/" KIOSK "-000001.nserb", fx->out);
    assert_non_null(strstr(buf, want));
    rewind(out);

    char e[256];
    write_ack(fx, 1,
              ack_payload(1, ack_entry(&fx->reg[0], "received", "2026-12-01", e, sizeof e), "null"),
              false);
    char *imp[] = {"sync", "import", "--in", fx->in};
    assert_int_equal(sync_command(4, imp, fx->db, &fx->cfg, out, err), 0);
    fputc('\0', out);
    fflush(out);
    assert_non_null(strstr(buf, KIOSK "-ack-000001.nsera: applied"));
    assert_non_null(strstr(buf, "1 applied"));
    rewind(out);

    char *st[] = {"sync", "status"};
    assert_int_equal(sync_command(2, st, fx->db, &fx->cfg, out, err), 0);
    fputc('\0', out);
    fflush(out);
    assert_non_null(strstr(buf, "backlog: 0"));
    assert_non_null(strstr(buf, "acknowledgement 1"));

    char *bad[] = {"sync", "export", "--in", fx->in};
    assert_int_equal(sync_command(4, bad, fx->db, &fx->cfg, out, err), 2);
    char *none[] = {"sync"};
    assert_int_equal(sync_command(1, none, fx->db, &fx->cfg, out, err), 2);
    fclose(out);
    fclose(err);
}

/* ---------------------------------------------------------------- fixture */

static int make_root(void **state)
{
    (void)state;
    return testdir_make(rootdir);
}

static int remove_root(void **state)
{
    (void)state;
    testdir_remove(rootdir);
    return 0;
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(export_writes_a_batch_the_registry_opens),
        T(nothing_to_send),
        T(batch_cap_and_resending),
        T(acks_mark_records_and_set_statuses),
        T(tampered_ack_refused_others_apply),
        T(freeze_rule),
        T(failed_export_leaves_nothing),
        T(export_killed_before_recording),
        T(export_needs_keys),
        T(export_reports_progress),
        cmocka_unit_test(ack_parser_refuses),
        T(sync_command_lines),
    };
    return cmocka_run_group_tests(tests, make_root, remove_root);
}

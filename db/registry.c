/*
 * registry.c - confirmed registrations in the local store: confirm a
 * draft as one, look one up by CNIC or tracking ID, read its answers and
 * score back.
 *
 * A confirmation is one BEGIN IMMEDIATE transaction holding the tracking
 * sequence, the registration row, every answer, the score, the outbox row
 * and the draft's deletion, so after a power cut either all of it is there
 * or none of it: a tracking number is never handed out for a registration
 * that was not stored, and a draft never disappears without its
 * registration. Registrations are never changed: an update is a new row
 * with the same record UUID and the next version, pointing at the row it
 * replaces (the latest one for the head's CNIC).
 *
 * Every statement is a fixed string with bound parameters, prepared once
 * per connection (db_stmt). Never draws, never prints; error details name
 * what failed, never the person it was about.
 */
#include "registry.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "db_internal.h"
#include "rows.h"

/* ------------------------------------------------------------ statements */

static const char SQL_DRAFT[] = "SELECT head_cnic, previous_registration FROM drafts"
                                "  WHERE id = ?1";

static const char SQL_LATEST_FOR_CNIC[] = "SELECT id, record_uuid, record_version"
                                          "  FROM registrations WHERE cnic = ?1"
                                          "  ORDER BY id DESC LIMIT 1";

static const char SQL_REGISTRATION_BY_ID[] = "SELECT id, record_uuid, record_version"
                                             "  FROM registrations WHERE id = ?1";

static const char SQL_GET_SEQ[] = "SELECT last_seq FROM tracking_sequence"
                                  "  WHERE kiosk_code = ?1 AND day = ?2";

static const char SQL_SET_SEQ[] = "INSERT INTO tracking_sequence (kiosk_code, day, last_seq)"
                                  "  VALUES (?1, ?2, ?3)"
                                  "  ON CONFLICT (kiosk_code, day)"
                                  "  DO UPDATE SET last_seq = excluded.last_seq";

static const char SQL_INSERT_REGISTRATION[] =
    "INSERT INTO registrations"
    "  (tracking_id, cnic, kiosk_code, record_uuid, record_version, supersedes, head_name,"
    "   questionnaire_id, questionnaire_version, member_count, status, status_at, created_at)"
    "  VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12)";

static const char SQL_INSERT_ANSWER[] =
    "INSERT INTO registration_answers (registration_id, member, question, value)"
    "  VALUES (?1, ?2, ?3, ?4)";

static const char SQL_INSERT_SCORE[] =
    "INSERT INTO scores (registration_id, table_id, table_version, score, breakdown,"
    "  thresholds_id, thresholds_version, decisions, created_at)"
    "  VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";

static const char SQL_INSERT_OUTBOX[] = "INSERT INTO outbox (registration_id, created_at)"
                                        "  VALUES (?1, ?2)";

/* Members and answers go with it (ON DELETE CASCADE). */
static const char SQL_DELETE_DRAFT[] = "DELETE FROM drafts WHERE id = ?1";

/* Both lookups walk one index to one row; the head's name is on it. */
#define SUMMARY_COLUMNS                                                                            \
    "SELECT id, tracking_id, cnic, status, status_at, created_at, record_uuid,"                    \
    "       record_version, head_name, trimmed_at FROM registrations"

static const char SQL_SUMMARY_BY_CNIC[] = SUMMARY_COLUMNS " WHERE cnic = ?1"
                                                          " ORDER BY id DESC LIMIT 1";
static const char SQL_SUMMARY_BY_TRACKING[] = SUMMARY_COLUMNS " WHERE tracking_id = ?1";
/* Timestamps are all YYYY-MM-DDTHH:MM:SSZ, so text order is time order;
 * the id breaks ties within a second (it grows with every insert). */
static const char SQL_SUMMARY_RANGE[] =
    SUMMARY_COLUMNS " WHERE created_at >= ?1 AND created_at < ?2"
                    " ORDER BY created_at DESC, id DESC"
                    " LIMIT ?3";

static const char SQL_MEMBER_COUNT[] = "SELECT member_count FROM registrations WHERE id = ?1";

static const char SQL_ANSWERS[] = "SELECT member, question, value FROM registration_answers"
                                  "  WHERE registration_id = ?1";

static const char SQL_SCORE[] =
    "SELECT table_id, table_version, score, breakdown, thresholds_id, thresholds_version,"
    "       decisions FROM scores WHERE registration_id = ?1";

/* --------------------------------------------------------------- helpers */

static enum db_result bind_failed(struct db *db, sqlite3_stmt *st, const char *what)
{
    db_stmt_release(st);
    db_set_error(db, "%s: a parameter could not be bound", what);
    return DB_ERROR;
}

static enum db_result refuse(struct db *db, const char *what)
{
    db_set_error(db, "%s", what);
    return DB_ERROR;
}

/* Lower-case 8-4-4-4-12 hexadecimal, as uuid_v4 writes it and the schema wants. */
static bool uuid_well_formed(const char *s)
{
    for (size_t i = 0; i < UUID_TEXT_LEN; i++) {
        char ch = s[i];
        bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        bool hex = (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f');
        if (dash ? ch != '-' : !hex)
            return false;
    }
    return s[UUID_TEXT_LEN] == '\0';
}

/* Binds a caller's fixed-size field, measured within the field. */
static int bind_field(sqlite3_stmt *st, int idx, const char *s, size_t fieldsz, bool empty_is_null)
{
    return db_bind_text(st, idx, s, strnlen(s, fieldsz), empty_is_null);
}

/* ------------------------------------------------------------ confirm */

struct confirm {
    struct db *db;
    int64_t draft;
    const struct answers *a;
    const struct registration_score *score;
    const struct registration_meta *meta;
    char now[DB_TIMESTAMP_LEN + 1];
    struct tm utc;
    char cnic[CNIC_DIGITS + 1];
    int64_t previous; /* the draft's link, 0 for a new household */
    int64_t registration_id;
    int version; /* of the row written: 1 new, 2.. an update */
};

/* The registration a draft was made from: the draft's CNIC and link. */
static enum db_result read_draft(struct confirm *cx)
{
    sqlite3_stmt *st;
    enum db_result r = db_stmt(cx->db, SQL_DRAFT, &st);
    if (r != DB_OK)
        return r;
    if (sqlite3_bind_int64(st, 1, cx->draft))
        return bind_failed(cx->db, st, "reading the draft");
    int rc = sqlite3_step(st);
    if (rc == SQLITE_DONE) {
        db_set_error(cx->db, "the draft to confirm does not exist");
        r = DB_NOT_FOUND;
    } else if (rc != SQLITE_ROW) {
        r = db_fail(cx->db, rc, "reading the draft");
    } else if (!db_copy_column(st, 0, cx->cnic, sizeof cx->cnic) ||
               !db_all_digits(cx->cnic, CNIC_DIGITS)) {
        r = refuse(cx->db, "the stored draft has a malformed CNIC");
    } else {
        cx->previous = sqlite3_column_int64(st, 1);
    }
    db_stmt_release(st);
    return r;
}

/*
 * The registration this one supersedes: the latest for the head's CNIC
 * (whether or not the draft was started as an update), else the one the
 * draft was made from. DB_NOT_FOUND for a new household.
 */
static enum db_result find_previous(struct confirm *cx, int64_t *id, char uuid[UUID_TEXT_LEN + 1],
                                    int *version)
{
    enum db_result r = DB_NOT_FOUND;
    for (int pass = 0; pass < 2 && r == DB_NOT_FOUND; pass++) {
        if (pass == 1 && !cx->previous)
            break;
        sqlite3_stmt *st;
        r = db_stmt(cx->db, pass == 0 ? SQL_LATEST_FOR_CNIC : SQL_REGISTRATION_BY_ID, &st);
        if (r != DB_OK)
            return r;
        int brc = pass == 0 ? db_bind_text(st, 1, cx->cnic, CNIC_DIGITS, false)
                            : sqlite3_bind_int64(st, 1, cx->previous);
        if (brc)
            return bind_failed(cx->db, st, "looking up the earlier registration");
        int rc = sqlite3_step(st);
        if (rc == SQLITE_DONE) {
            r = DB_NOT_FOUND;
        } else if (rc != SQLITE_ROW) {
            r = db_fail(cx->db, rc, "looking up the earlier registration");
        } else {
            *id = sqlite3_column_int64(st, 0);
            sqlite3_int64 v = sqlite3_column_int64(st, 2);
            if (!db_copy_column(st, 1, uuid, UUID_TEXT_LEN + 1) || !uuid_well_formed(uuid) ||
                v < 1 || v >= 0x7fffffff)
                r = refuse(cx->db, "the earlier registration has a malformed field");
            else
                *version = (int)v;
        }
        db_stmt_release(st);
    }
    return r;
}

/* The next number of the day for this kiosk; DB_FULL past TRACKING_SEQ_MAX. */
static enum db_result next_sequence(struct confirm *cx, unsigned *seq)
{
    char day[DB_DAY_LEN + 1];
    memcpy(day, cx->now, DB_DAY_LEN);
    day[DB_DAY_LEN] = '\0';
    const char *kiosk = cx->meta->kiosk_code;

    sqlite3_stmt *st;
    enum db_result r = db_stmt(cx->db, SQL_GET_SEQ, &st);
    if (r != DB_OK)
        return r;
    if (db_bind_text(st, 1, kiosk, TRACKING_KIOSK_DIGITS, false) |
        db_bind_text(st, 2, day, DB_DAY_LEN, false))
        return bind_failed(cx->db, st, "allocating a tracking number");
    sqlite3_int64 last = 0;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        last = sqlite3_column_int64(st, 0);
    else if (rc != SQLITE_DONE)
        r = db_fail(cx->db, rc, "allocating a tracking number");
    db_stmt_release(st);
    if (r != DB_OK)
        return r;
    if (last < 0 || last >= TRACKING_SEQ_MAX) {
        db_set_error(cx->db, "tracking numbers for %s are used up on this kiosk", day);
        return DB_FULL;
    }

    r = db_stmt(cx->db, SQL_SET_SEQ, &st);
    if (r != DB_OK)
        return r;
    if (db_bind_text(st, 1, kiosk, TRACKING_KIOSK_DIGITS, false) |
        db_bind_text(st, 2, day, DB_DAY_LEN, false) | sqlite3_bind_int64(st, 3, last + 1))
        return bind_failed(cx->db, st, "allocating a tracking number");
    r = db_step_done(cx->db, st, "allocating a tracking number");
    if (r == DB_OK)
        *seq = (unsigned)(last + 1);
    return r;
}

static enum db_result insert_registration(struct confirm *cx, const struct tracking_id *t,
                                          const char *uuid, int version, int64_t supersedes)
{
    const struct registration_meta *m = cx->meta;
    sqlite3_stmt *st;
    enum db_result r = db_stmt(cx->db, SQL_INSERT_REGISTRATION, &st);
    if (r != DB_OK)
        return r;
    if (db_bind_text(st, 1, t->digits, TRACKING_DIGITS, false) |
        db_bind_text(st, 2, cx->cnic, CNIC_DIGITS, false) |
        db_bind_text(st, 3, m->kiosk_code, TRACKING_KIOSK_DIGITS, false) |
        db_bind_text(st, 4, uuid, UUID_TEXT_LEN, false) | sqlite3_bind_int(st, 5, version) |
        (supersedes ? sqlite3_bind_int64(st, 6, supersedes) : sqlite3_bind_null(st, 6)) |
        bind_field(st, 7, m->head_name, sizeof m->head_name, false) |
        bind_field(st, 8, m->questionnaire_id, sizeof m->questionnaire_id, false) |
        bind_field(st, 9, m->questionnaire_version, sizeof m->questionnaire_version, false) |
        sqlite3_bind_int64(st, 10, (sqlite3_int64)answers_member_count(cx->a)) |
        sqlite3_bind_text(st, 11, reg_status_code(STATUS_PENDING_SYNC), -1, SQLITE_STATIC) |
        db_bind_text(st, 12, cx->now, DB_TIMESTAMP_LEN, false))
        return bind_failed(cx->db, st, "storing the registration");
    r = db_step_done(cx->db, st, "storing the registration");
    if (r == DB_OK)
        cx->registration_id = sqlite3_last_insert_rowid(db_sqlite(cx->db));
    return r;
}

/* Every answer of member M (ANSWERS_HOUSEHOLD or an index) as stored as M. */
static enum db_result insert_answers_of(struct confirm *cx, int m)
{
    const char *qid, *value;
    for (size_t i = 0; answers_at(cx->a, m, i, &qid, &value); i++) {
        sqlite3_stmt *st;
        enum db_result r = db_stmt(cx->db, SQL_INSERT_ANSWER, &st);
        if (r != DB_OK)
            return r;
        if (sqlite3_bind_int64(st, 1, cx->registration_id) | sqlite3_bind_int(st, 2, m) |
            db_bind_text(st, 3, qid, strlen(qid), false) |
            db_bind_text(st, 4, value, strlen(value), false))
            return bind_failed(cx->db, st, "storing an answer");
        r = db_step_done(cx->db, st, "storing an answer");
        if (r != DB_OK)
            return r;
    }
    return DB_OK;
}

static enum db_result insert_score(struct confirm *cx)
{
    const struct registration_score *s = cx->score;
    sqlite3_stmt *st;
    enum db_result r = db_stmt(cx->db, SQL_INSERT_SCORE, &st);
    if (r != DB_OK)
        return r;
    if (sqlite3_bind_int64(st, 1, cx->registration_id) |
        bind_field(st, 2, s->table_id, sizeof s->table_id, false) |
        bind_field(st, 3, s->table_version, sizeof s->table_version, false) |
        sqlite3_bind_double(st, 4, s->score) |
        bind_field(st, 5, s->breakdown, sizeof s->breakdown, false) |
        bind_field(st, 6, s->thresholds_id, sizeof s->thresholds_id, true) |
        bind_field(st, 7, s->thresholds_version, sizeof s->thresholds_version, true) |
        bind_field(st, 8, s->decisions, sizeof s->decisions, false) |
        db_bind_text(st, 9, cx->now, DB_TIMESTAMP_LEN, false))
        return bind_failed(cx->db, st, "storing the score");
    return db_step_done(cx->db, st, "storing the score");
}

static enum db_result insert_outbox(struct confirm *cx)
{
    sqlite3_stmt *st;
    enum db_result r = db_stmt(cx->db, SQL_INSERT_OUTBOX, &st);
    if (r != DB_OK)
        return r;
    if (sqlite3_bind_int64(st, 1, cx->registration_id) |
        db_bind_text(st, 2, cx->now, DB_TIMESTAMP_LEN, false))
        return bind_failed(cx->db, st, "queueing the registration for sync");
    return db_step_done(cx->db, st, "queueing the registration for sync");
}

static enum db_result delete_draft(struct confirm *cx)
{
    sqlite3_stmt *st;
    enum db_result r = db_stmt(cx->db, SQL_DELETE_DRAFT, &st);
    if (r != DB_OK)
        return r;
    if (sqlite3_bind_int64(st, 1, cx->draft))
        return bind_failed(cx->db, st, "removing the confirmed draft");
    r = db_step_done(cx->db, st, "removing the confirmed draft");
    if (r == DB_OK && sqlite3_changes(db_sqlite(cx->db)) != 1)
        r = refuse(cx->db, "the confirmed draft was not there to remove");
    return r;
}

/* Everything a confirmation writes; the caller owns the transaction. */
static enum db_result confirm_body(struct confirm *cx, struct tracking_id *out)
{
    enum db_result r = read_draft(cx);
    if (r != DB_OK)
        return r;

    int64_t supersedes = 0;
    char uuid[UUID_TEXT_LEN + 1];
    int version = 0;
    r = find_previous(cx, &supersedes, uuid, &version);
    if (r == DB_NOT_FOUND) {
        if (!uuid_well_formed(cx->meta->record_uuid))
            return refuse(cx->db, "a new registration needs a record UUID");
        memcpy(uuid, cx->meta->record_uuid, sizeof uuid);
        supersedes = 0;
        version = 1;
    } else if (r != DB_OK) {
        return r;
    } else {
        version++;
    }
    cx->version = version;

    unsigned seq;
    r = next_sequence(cx, &seq);
    if (r != DB_OK)
        return r;
    if (tracking_make(cx->meta->kiosk_code, cx->utc.tm_year + 1900, cx->utc.tm_mon + 1,
                      cx->utc.tm_mday, seq, out) != 0)
        return refuse(cx->db, "no tracking ID can be made for this date");

    r = insert_registration(cx, out, uuid, version, supersedes);
    if (r == DB_OK)
        r = insert_answers_of(cx, ANSWERS_HOUSEHOLD);
    size_t members = answers_member_count(cx->a);
    for (size_t i = 0; r == DB_OK && i < members; i++)
        r = insert_answers_of(cx, (int)i);
    if (r == DB_OK && cx->score)
        r = insert_score(cx);
    if (r == DB_OK)
        r = insert_outbox(cx);
    return r;
}

/* What can be refused before the transaction starts. */
static enum db_result check_confirm_input(struct db *db, const struct answers *a,
                                          const struct registration_score *score,
                                          const struct registration_meta *meta)
{
    if (!tracking_kiosk_code_valid(meta->kiosk_code) ||
        !db_all_digits(meta->kiosk_code, TRACKING_KIOSK_DIGITS))
        return refuse(db, "the kiosk code is not 5 digits");
    size_t members = answers_member_count(a);
    if (members < 1 || members > 0x7fffffff)
        return refuse(db, "a registration needs its head of household");
    if (!db_text_fits(meta->head_name, sizeof meta->head_name, false, NULL))
        return refuse(db, "a registration needs the head's name");
    if (!db_text_fits(meta->questionnaire_id, sizeof meta->questionnaire_id, false, NULL) ||
        !db_text_fits(meta->questionnaire_version, sizeof meta->questionnaire_version, false, NULL))
        return refuse(db, "a registration needs its questionnaire id and version");
    if (!score)
        return DB_OK;
    size_t tid = 0, tver = 0;
    if (!isfinite(score->score) ||
        !db_text_fits(score->table_id, sizeof score->table_id, false, NULL) ||
        !db_text_fits(score->table_version, sizeof score->table_version, false, NULL) ||
        !db_text_fits(score->breakdown, sizeof score->breakdown, true, NULL) ||
        !db_text_fits(score->decisions, sizeof score->decisions, true, NULL) ||
        !db_text_fits(score->thresholds_id, sizeof score->thresholds_id, true, &tid) ||
        !db_text_fits(score->thresholds_version, sizeof score->thresholds_version, true, &tver) ||
        (tid == 0) != (tver == 0))
        return refuse(db, "the score is incomplete or malformed");
    return DB_OK;
}

enum db_result registry_confirm(struct db *db, int64_t draft, const struct answers *a,
                                const struct registration_score *score,
                                const struct registration_meta *meta, struct tracking_id *out)
{
    if (!db || !a || !meta || !out)
        return DB_ERROR;
    enum db_result r = check_confirm_input(db, a, score, meta);
    if (r != DB_OK)
        return r;

    struct confirm cx = {.db = db, .draft = draft, .a = a, .score = score, .meta = meta};
    if (!db_timestamp(meta->now, cx.now) || !gmtime_r(&meta->now, &cx.utc))
        return refuse(db, "the registration time cannot be written as a date");

    /* The ID goes out only once it is stored: a caller never prints one
     * that a rollback took back. */
    struct tracking_id made;
    r = db_begin(db);
    if (r != DB_OK)
        return r;
    r = confirm_body(&cx, &made);
    if (r == DB_OK && meta->in_tx &&
        meta->in_tx(meta->in_tx_ud, db, &made, cx.version, cx.registration_id) != 0)
        r = refuse(db, "the audit entry could not be written");
    /* The draft goes last: IN_TX may still move what hangs on it (the
     * fingerprint row, db/biometrics.h) before its delete cascades. */
    if (r == DB_OK)
        r = delete_draft(&cx);
    if (r != DB_OK) {
        db_rollback(db);
        return r;
    }
    r = db_commit(db);
    if (r == DB_OK)
        *out = made;
    return r;
}

/* ----------------------------------------------------------------- lookup */

/* "YYYY-MM-DDTHH:MM:SSZ" (the schema checks the shape) to Unix seconds. */
static bool parse_timestamp(const char *s, time_t *out)
{
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    const char *end = strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm);
    if (!end || *end)
        return false;
    time_t t = timegm(&tm);
    if (t == (time_t)-1)
        return false;
    *out = t;
    return true;
}

/* The row ST stands on into OUT. */
static enum db_result row_summary(struct db *db, sqlite3_stmt *st, struct registration_summary *out)
{
    struct registration_summary s;
    memset(&s, 0, sizeof s);
    char status[32], status_at[DB_TIMESTAMP_LEN + 1], created_at[DB_TIMESTAMP_LEN + 1];
    char trimmed_at[DB_TIMESTAMP_LEN + 1];
    s.id = sqlite3_column_int64(st, 0);
    sqlite3_int64 version = sqlite3_column_int64(st, 7);
    bool ok = db_copy_column(st, 1, s.tracking.digits, sizeof s.tracking.digits) &&
              db_copy_column(st, 2, s.cnic.digits, sizeof s.cnic.digits) &&
              db_copy_column(st, 3, status, sizeof status) &&
              db_copy_column(st, 4, status_at, sizeof status_at) &&
              db_copy_column(st, 5, created_at, sizeof created_at) &&
              db_copy_column(st, 6, s.record_uuid, sizeof s.record_uuid) &&
              db_copy_column(st, 8, s.head_name, sizeof s.head_name) &&
              db_copy_column(st, 9, trimmed_at, sizeof trimmed_at) &&
              strlen(status_at) >= DB_DAY_LEN && strlen(created_at) >= DB_DAY_LEN && version >= 1 &&
              version <= 0x7fffffff && parse_timestamp(created_at, &s.registered_at);
    s.status = ok ? reg_status_from_code(status) : STATUS_NONE;
    if (!ok || s.status == STATUS_NONE) {
        explicit_bzero(&s, sizeof s);
        db_set_error(db, "a stored registration has a malformed field");
        return DB_ERROR;
    }
    s.record_version = (int)version;
    s.trimmed = trimmed_at[0] != '\0';
    memcpy(s.status_date, status_at, DB_DAY_LEN);
    memcpy(s.registered_date, created_at, DB_DAY_LEN);
    *out = s;
    explicit_bzero(&s, sizeof s);
    return DB_OK;
}

static enum db_result read_summary(struct db *db, sqlite3_stmt *st,
                                   struct registration_summary *out)
{
    int rc = sqlite3_step(st);
    if (rc == SQLITE_DONE)
        return DB_NOT_FOUND;
    if (rc != SQLITE_ROW)
        return db_fail(db, rc, "looking up a registration");
    return row_summary(db, st, out);
}

enum db_result registry_find_by_cnic(struct db *db, const struct cnic *c,
                                     struct registration_summary *out)
{
    if (!db || !out)
        return DB_ERROR;
    if (!c || !db_all_digits(c->digits, CNIC_DIGITS))
        return refuse(db, "the CNIC to look up is not 13 digits");
    sqlite3_stmt *st;
    enum db_result r = db_stmt(db, SQL_SUMMARY_BY_CNIC, &st);
    if (r != DB_OK)
        return r;
    if (db_bind_text(st, 1, c->digits, CNIC_DIGITS, false))
        return bind_failed(db, st, "looking up a registration");
    r = read_summary(db, st, out);
    db_stmt_release(st);
    return r;
}

enum db_result registry_find_by_tracking(struct db *db, const struct tracking_id *t,
                                         struct registration_summary *out)
{
    if (!db || !out)
        return DB_ERROR;
    if (!t || !db_all_digits(t->digits, TRACKING_DIGITS))
        return refuse(db, "the tracking ID to look up is not 16 digits");
    sqlite3_stmt *st;
    enum db_result r = db_stmt(db, SQL_SUMMARY_BY_TRACKING, &st);
    if (r != DB_OK)
        return r;
    if (db_bind_text(st, 1, t->digits, TRACKING_DIGITS, false))
        return bind_failed(db, st, "looking up a registration");
    r = read_summary(db, st, out);
    db_stmt_release(st);
    return r;
}

enum db_result registry_list_range(struct db *db, time_t from, time_t to,
                                   struct registration_summary *out, size_t max, size_t *n)
{
    if (!n)
        return DB_ERROR;
    *n = 0;
    if (!db || (!out && max))
        return DB_ERROR;
    char lo[DB_TIMESTAMP_LEN + 1], hi[DB_TIMESTAMP_LEN + 1];
    if (!db_timestamp(from, lo) || !db_timestamp(to, hi))
        return refuse(db, "the time range cannot be written as dates");
    if (max == 0 || from >= to)
        return DB_OK;
    sqlite3_stmt *st;
    enum db_result r = db_stmt(db, SQL_SUMMARY_RANGE, &st);
    if (r != DB_OK)
        return r;
    sqlite3_int64 limit = max > INT32_MAX ? INT32_MAX : (sqlite3_int64)max;
    if (db_bind_text(st, 1, lo, DB_TIMESTAMP_LEN, false) |
        db_bind_text(st, 2, hi, DB_TIMESTAMP_LEN, false) | sqlite3_bind_int64(st, 3, limit))
        return bind_failed(db, st, "listing registrations");
    int rc = SQLITE_DONE;
    while (*n < max && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        r = row_summary(db, st, &out[*n]);
        if (r != DB_OK)
            break;
        (*n)++;
    }
    if (r == DB_OK && *n < max && rc != SQLITE_DONE)
        r = db_fail(db, rc, "listing registrations");
    db_stmt_release(st);
    if (r != DB_OK) {
        explicit_bzero(out, *n * sizeof *out);
        *n = 0;
    }
    return r;
}

/* ------------------------------------------------------------------- load */

static enum db_result member_count(struct db *db, int64_t id, int *n)
{
    sqlite3_stmt *st;
    enum db_result r = db_stmt(db, SQL_MEMBER_COUNT, &st);
    if (r != DB_OK)
        return r;
    if (sqlite3_bind_int64(st, 1, id))
        return bind_failed(db, st, "loading a registration");
    int rc = sqlite3_step(st);
    if (rc == SQLITE_DONE) {
        r = DB_NOT_FOUND;
    } else if (rc != SQLITE_ROW) {
        r = db_fail(db, rc, "loading a registration");
    } else {
        sqlite3_int64 v = sqlite3_column_int64(st, 0);
        if (v < 1 || v > 0x7fffffff)
            r = refuse(db, "a stored registration has a malformed member count");
        else
            *n = (int)v;
    }
    db_stmt_release(st);
    return r;
}

static enum db_result load_answers(struct db *db, int64_t id, int members, struct answers *a)
{
    for (int i = 0; i < members; i++)
        if (answers_add_member(a) != i)
            return refuse(db, "out of memory loading a registration");

    sqlite3_stmt *st;
    enum db_result r = db_stmt(db, SQL_ANSWERS, &st);
    if (r != DB_OK)
        return r;
    if (sqlite3_bind_int64(st, 1, id))
        return bind_failed(db, st, "loading a registration's answers");
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int member = sqlite3_column_int(st, 0);
        const char *qid = (const char *)sqlite3_column_text(st, 1);
        const char *value = (const char *)sqlite3_column_text(st, 2);
        /* answers_set refuses a member A does not have, a bad id, an overlong value. */
        if (answers_set(a, member, qid, value) != 0) {
            r = refuse(db, "a stored answer is malformed or does not fit in memory");
            break;
        }
    }
    if (r == DB_OK && rc != SQLITE_DONE)
        r = db_fail(db, rc, "loading a registration's answers");
    db_stmt_release(st);
    return r;
}

enum db_result registry_load_answers(struct db *db, int64_t id, struct answers *a)
{
    if (!db || !a)
        return DB_ERROR;
    answers_clear(a);
    /* One snapshot, though a registration's rows never change once written. */
    enum db_result r = db_begin_read(db);
    if (r != DB_OK)
        return r;
    int members = 0;
    r = member_count(db, id, &members);
    if (r == DB_OK)
        r = load_answers(db, id, members, a);
    db_end_read(db);
    if (r != DB_OK)
        answers_clear(a); /* a half-loaded household is worse than none */
    return r;
}

enum db_result registry_load_score(struct db *db, int64_t id, struct registration_score *out)
{
    if (!db || !out)
        return DB_ERROR;
    sqlite3_stmt *st;
    enum db_result r = db_stmt(db, SQL_SCORE, &st);
    if (r != DB_OK)
        return r;
    if (sqlite3_bind_int64(st, 1, id))
        return bind_failed(db, st, "loading a score");
    int rc = sqlite3_step(st);
    if (rc == SQLITE_DONE) {
        r = DB_NOT_FOUND;
    } else if (rc != SQLITE_ROW) {
        r = db_fail(db, rc, "loading a score");
    } else {
        struct registration_score s;
        memset(&s, 0, sizeof s);
        s.score = sqlite3_column_double(st, 2);
        bool ok = db_copy_column(st, 0, s.table_id, sizeof s.table_id) &&
                  db_copy_column(st, 1, s.table_version, sizeof s.table_version) &&
                  db_copy_column(st, 3, s.breakdown, sizeof s.breakdown) &&
                  db_copy_column(st, 4, s.thresholds_id, sizeof s.thresholds_id) &&
                  db_copy_column(st, 5, s.thresholds_version, sizeof s.thresholds_version) &&
                  db_copy_column(st, 6, s.decisions, sizeof s.decisions);
        if (ok)
            *out = s;
        else
            r = refuse(db, "a stored score has a malformed field");
    }
    db_stmt_release(st);
    return r;
}

/*
 * registry.c - confirmed registrations in the local store: commit one,
 * look one up by CNIC or tracking ID, load a household back for an update.
 *
 * A commit is one BEGIN IMMEDIATE transaction holding the tracking
 * sequence, the household, its members, the registration and its outbox
 * row, so after a power cut either all of it is there or none of it, and
 * a tracking number is never handed out for a registration that was not
 * stored. Registrations are never changed: an update is a new row with the
 * same record UUID and the next version, pointing at the row it replaces.
 *
 * Every statement is a fixed string with bound parameters, prepared once
 * per connection (db_stmt). Never draws, never prints; error details name
 * what failed, never the person it was about.
 */
#include "registry.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "db_internal.h"

/* ------------------------------------------------------------ statements */

static const char SQL_LATEST_FOR_CNIC[] = "SELECT id, record_uuid, record_version"
                                          "  FROM registrations WHERE cnic = ?1"
                                          "  ORDER BY id DESC LIMIT 1";

/* Starts the day at 1; the caller refuses a value past TRACKING_SEQ_MAX. */
static const char SQL_NEXT_SEQ[] = "INSERT INTO tracking_sequence (kiosk_code, day, last_seq)"
                                   "  VALUES (?1, ?2, 1)"
                                   "  ON CONFLICT (kiosk_code, day)"
                                   "  DO UPDATE SET last_seq = last_seq + 1";

static const char SQL_GET_SEQ[] = "SELECT last_seq FROM tracking_sequence"
                                  "  WHERE kiosk_code = ?1 AND day = ?2";

static const char SQL_INSERT_HOUSEHOLD[] =
    "INSERT INTO households"
    "  (head_cnic, phone, district, tehsil, rooms, toilet, water, created_at)"
    "  VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";

static const char SQL_INSERT_MEMBER[] =
    "INSERT INTO members"
    "  (household_id, position, name, relation, gender, dob, age, id_number)"
    "  VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";

static const char SQL_INSERT_REGISTRATION[] =
    "INSERT INTO registrations"
    "  (tracking_id, cnic, household_id, kiosk_code, record_uuid, record_version,"
    "   supersedes, status, status_at, created_at)"
    "  VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)";

static const char SQL_INSERT_OUTBOX[] = "INSERT INTO outbox (registration_id, created_at)"
                                        "  VALUES (?1, ?2)";

/* Both lookups walk one index to one registration, then one member. */
#define SUMMARY_COLUMNS                                                                            \
    "SELECT r.tracking_id, r.cnic, r.status, r.status_at, r.created_at,"                           \
    "       r.record_uuid, r.record_version, m.name"                                               \
    "  FROM registrations AS r"                                                                    \
    "  LEFT JOIN members AS m ON m.household_id = r.household_id AND m.position = 0"

static const char SQL_SUMMARY_BY_CNIC[] = SUMMARY_COLUMNS " WHERE r.cnic = ?1"
                                                          " ORDER BY r.id DESC LIMIT 1";

static const char SQL_SUMMARY_BY_TRACKING[] = SUMMARY_COLUMNS " WHERE r.tracking_id = ?1";

static const char SQL_LOAD_HOUSEHOLD[] =
    "SELECT h.id, h.head_cnic, h.phone, h.district, h.tehsil, h.rooms, h.toilet, h.water"
    "  FROM registrations AS r JOIN households AS h ON h.id = r.household_id"
    "  WHERE r.cnic = ?1 ORDER BY r.id DESC LIMIT 1";

static const char SQL_LOAD_MEMBERS[] =
    "SELECT position, name, relation, gender, dob, age, id_number"
    "  FROM members WHERE household_id = ?1 ORDER BY position";

/* --------------------------------------------------------------- helpers */

#define TIMESTAMP_LEN 20 /* YYYY-MM-DDTHH:MM:SSZ */
#define DAY_LEN       10 /* YYYY-MM-DD */

static bool all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return s[n] == '\0';
}

static bool cnic_well_formed(const struct cnic *c)
{
    return c && all_digits(c->digits, CNIC_DIGITS);
}

/* 8-4-4-4-12 hexadecimal digits. */
static bool uuid_well_formed(const char *s)
{
    for (size_t i = 0; i < UUID_TEXT_LEN; i++) {
        char ch = s[i];
        bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        bool hex = (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F');
        if (dash ? ch != '-' : !hex)
            return false;
    }
    return s[UUID_TEXT_LEN] == '\0';
}

/*
 * Binds the text in a fixed-size field of a domain struct: its length is
 * bounded by the field, so an unterminated buffer cannot be over-read.
 * SQLITE_STATIC is safe because every statement is stepped and released
 * before the bound buffer goes away. Empty text is stored as NULL when
 * EMPTY_IS_NULL, for the optional columns.
 */
static int bind_field(sqlite3_stmt *st, int idx, const char *s, size_t fieldsz, bool empty_is_null)
{
    size_t n = strnlen(s, fieldsz);
    if (n == 0 && empty_is_null)
        return sqlite3_bind_null(st, idx);
    return sqlite3_bind_text(st, idx, s, (int)n, SQLITE_STATIC);
}

/* Copies a text column (NULL as "") into DST; false when it does not fit. */
static bool copy_column(sqlite3_stmt *st, int col, char *dst, size_t dstsz)
{
    const unsigned char *t = sqlite3_column_text(st, col);
    size_t n = (size_t)sqlite3_column_bytes(st, col);
    if (!t)
        n = 0;
    if (n >= dstsz)
        return false;
    if (n)
        memcpy(dst, t, n);
    dst[n] = '\0';
    return true;
}

/* Steps a statement that returns no rows to its end, then releases it. */
static enum db_result step_done(struct db *db, sqlite3_stmt *st, const char *what)
{
    int rc = sqlite3_step(st);
    enum db_result r = rc == SQLITE_DONE ? DB_OK : db_fail(db, rc, what);
    db_stmt_release(st);
    return r;
}

/* ------------------------------------------------------------------ commit */

struct commit_ctx {
    struct db *db;
    const struct household *h;
    const struct registration_meta *meta;
    struct tm utc;
    char now[TIMESTAMP_LEN + 1];
    char day[DAY_LEN + 1];
    sqlite3_int64 household_id;
    sqlite3_int64 registration_id;
};

/* Fills RECORD_UUID, VERSION and SUPERSEDES (0 for a first registration). */
static enum db_result find_previous(struct commit_ctx *cx, char *record_uuid, int *version,
                                    sqlite3_int64 *supersedes)
{
    sqlite3_stmt *st;
    enum db_result r = db_stmt(cx->db, SQL_LATEST_FOR_CNIC, &st);
    if (r != DB_OK)
        return r;
    const struct cnic *c = household_head_cnic_const(cx->h);
    sqlite3_bind_text(st, 1, c->digits, CNIC_DIGITS, SQLITE_STATIC);

    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *supersedes = sqlite3_column_int64(st, 0);
        *version = sqlite3_column_int(st, 2) + 1;
        if (!copy_column(st, 1, record_uuid, UUID_TEXT_LEN + 1)) {
            db_set_error(cx->db, "a stored record UUID is too long");
            r = DB_ERROR;
        }
    } else if (rc == SQLITE_DONE) {
        *supersedes = 0;
        *version = 1;
        memcpy(record_uuid, cx->meta->record_uuid, UUID_TEXT_LEN + 1);
    } else {
        r = db_fail(cx->db, rc, "looking up the previous registration");
    }
    db_stmt_release(st);
    return r;
}

/* Takes the kiosk's next number for the day; DB_FULL once they run out. */
static enum db_result next_sequence(struct commit_ctx *cx, unsigned *seq)
{
    sqlite3_stmt *st;
    enum db_result r = db_stmt(cx->db, SQL_NEXT_SEQ, &st);
    if (r != DB_OK)
        return r;
    sqlite3_bind_text(st, 1, cx->meta->kiosk_code, TRACKING_KIOSK_DIGITS, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, cx->day, DAY_LEN, SQLITE_STATIC);
    r = step_done(cx->db, st, "allocating a tracking number");
    if (r != DB_OK)
        return r;

    r = db_stmt(cx->db, SQL_GET_SEQ, &st);
    if (r != DB_OK)
        return r;
    sqlite3_bind_text(st, 1, cx->meta->kiosk_code, TRACKING_KIOSK_DIGITS, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, cx->day, DAY_LEN, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_int64 last = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    if (rc != SQLITE_ROW)
        r = db_fail(cx->db, rc, "reading the tracking number");
    db_stmt_release(st);
    if (r != DB_OK)
        return r;

    if (last < 1 || last > TRACKING_SEQ_MAX) {
        db_set_error(cx->db, "kiosk %s has used all %d tracking numbers for %s",
                     cx->meta->kiosk_code, TRACKING_SEQ_MAX, cx->day);
        return DB_FULL;
    }
    *seq = (unsigned)last;
    return DB_OK;
}

/* Binds an optional stored code: "not given" is NULL in the database. */
static int bind_code(sqlite3_stmt *st, int idx, int value, const char *code)
{
    if (value == 0)
        return sqlite3_bind_null(st, idx);
    return sqlite3_bind_text(st, idx, code, -1, SQLITE_STATIC);
}

static enum db_result insert_household(struct commit_ctx *cx)
{
    const struct household_address *a = household_address_const(cx->h);
    const struct housing *hs = household_housing_const(cx->h);
    const char *toilet = toilet_code(hs->toilet);
    const char *water = water_code(hs->water);
    if (!toilet || !water) {
        db_set_error(cx->db, "the household has an unknown toilet or water answer");
        return DB_ERROR;
    }

    sqlite3_stmt *st;
    enum db_result r = db_stmt(cx->db, SQL_INSERT_HOUSEHOLD, &st);
    if (r != DB_OK)
        return r;
    sqlite3_bind_text(st, 1, household_head_cnic_const(cx->h)->digits, CNIC_DIGITS, SQLITE_STATIC);
    bind_field(st, 2, household_phone_const(cx->h), PHONE_MAX, true);
    bind_field(st, 3, a->district, PLACE_NAME_MAX, false);
    bind_field(st, 4, a->tehsil, PLACE_NAME_MAX, false);
    if (hs->rooms == 0)
        sqlite3_bind_null(st, 5);
    else
        sqlite3_bind_int(st, 5, hs->rooms);
    bind_code(st, 6, (int)hs->toilet, toilet);
    bind_code(st, 7, (int)hs->water, water);
    sqlite3_bind_text(st, 8, cx->now, TIMESTAMP_LEN, SQLITE_STATIC);
    r = step_done(cx->db, st, "storing the household");
    if (r == DB_OK)
        cx->household_id = sqlite3_last_insert_rowid(db_sqlite(cx->db));
    return r;
}

static enum db_result insert_member(struct commit_ctx *cx, int position, const struct person *p)
{
    const char *relation = relation_code(p->relation);
    const char *gender = gender_code(p->gender);
    if (!relation || !gender) {
        db_set_error(cx->db, "member %d has an unknown relation or gender", position);
        return DB_ERROR;
    }
    char dob[DAY_LEN + 1] = "";
    if (p->dob.year != 0) {
        const struct date *d = &p->dob;
        if (d->year < 1 || d->year > 9999 || d->month < 1 || d->month > 12 || d->day < 1 ||
            d->day > 31) {
            db_set_error(cx->db, "member %d has an impossible date of birth", position);
            return DB_ERROR;
        }
        snprintf(dob, sizeof dob, "%04d-%02d-%02d", d->year, d->month, d->day);
    }

    sqlite3_stmt *st;
    enum db_result r = db_stmt(cx->db, SQL_INSERT_MEMBER, &st);
    if (r != DB_OK)
        return r;
    sqlite3_bind_int64(st, 1, cx->household_id);
    sqlite3_bind_int(st, 2, position);
    bind_field(st, 3, p->name, PERSON_NAME_MAX, false);
    sqlite3_bind_text(st, 4, relation, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, gender, -1, SQLITE_STATIC);
    bind_field(st, 6, dob, sizeof dob, true);
    if (p->age < 0)
        sqlite3_bind_null(st, 7);
    else
        sqlite3_bind_int(st, 7, p->age);
    bind_field(st, 8, p->id_number, sizeof p->id_number, true);
    return step_done(cx->db, st, "storing a household member");
}

static enum db_result insert_registration(struct commit_ctx *cx, const struct tracking_id *t,
                                          const char *record_uuid, int version,
                                          sqlite3_int64 supersedes)
{
    sqlite3_stmt *st;
    enum db_result r = db_stmt(cx->db, SQL_INSERT_REGISTRATION, &st);
    if (r != DB_OK)
        return r;
    sqlite3_bind_text(st, 1, t->digits, TRACKING_DIGITS, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, household_head_cnic_const(cx->h)->digits, CNIC_DIGITS, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, cx->household_id);
    sqlite3_bind_text(st, 4, cx->meta->kiosk_code, TRACKING_KIOSK_DIGITS, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, record_uuid, UUID_TEXT_LEN, SQLITE_STATIC);
    sqlite3_bind_int(st, 6, version);
    if (supersedes)
        sqlite3_bind_int64(st, 7, supersedes);
    else
        sqlite3_bind_null(st, 7);
    sqlite3_bind_text(st, 8, reg_status_code(STATUS_PENDING_SYNC), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 9, cx->now, TIMESTAMP_LEN, SQLITE_STATIC);
    r = step_done(cx->db, st, "storing the registration");
    if (r == DB_OK)
        cx->registration_id = sqlite3_last_insert_rowid(db_sqlite(cx->db));
    return r;
}

static enum db_result insert_outbox(struct commit_ctx *cx)
{
    sqlite3_stmt *st;
    enum db_result r = db_stmt(cx->db, SQL_INSERT_OUTBOX, &st);
    if (r != DB_OK)
        return r;
    sqlite3_bind_int64(st, 1, cx->registration_id);
    sqlite3_bind_text(st, 2, cx->now, TIMESTAMP_LEN, SQLITE_STATIC);
    return step_done(cx->db, st, "queueing the registration for sync");
}

/* Everything a commit writes; the caller owns the transaction. */
static enum db_result commit_body(struct commit_ctx *cx, struct tracking_id *out)
{
    char record_uuid[UUID_TEXT_LEN + 1] = "";
    int version = 0;
    sqlite3_int64 supersedes = 0;
    enum db_result r = find_previous(cx, record_uuid, &version, &supersedes);
    if (r != DB_OK)
        return r;
    if (version == 1 && !uuid_well_formed(record_uuid)) {
        db_set_error(cx->db, "a new registration needs a record UUID");
        return DB_ERROR;
    }

    unsigned seq;
    r = next_sequence(cx, &seq);
    if (r != DB_OK)
        return r;
    if (tracking_make(cx->meta->kiosk_code, cx->utc.tm_year + 1900, cx->utc.tm_mon + 1,
                      cx->utc.tm_mday, seq, out) != 0) {
        db_set_error(cx->db, "no tracking ID can be made for %s", cx->day);
        return DB_ERROR;
    }

    r = insert_household(cx);
    if (r != DB_OK)
        return r;
    r = insert_member(cx, 0, household_head_const(cx->h));
    size_t n = household_member_count(cx->h);
    for (size_t i = 0; r == DB_OK && i < n; i++)
        r = insert_member(cx, (int)i + 1, household_member(cx->h, i));
    if (r == DB_OK)
        r = insert_registration(cx, out, record_uuid, version, supersedes);
    if (r == DB_OK)
        r = insert_outbox(cx);
    return r;
}

enum db_result registry_commit(struct db *db, const struct household *h,
                               const struct registration_meta *meta, struct tracking_id *out)
{
    if (!db || !h || !meta || !out)
        return DB_ERROR;
    if (!cnic_well_formed(household_head_cnic_const(h))) {
        db_set_error(db, "the head of household has no valid CNIC");
        return DB_ERROR;
    }
    if (!tracking_kiosk_code_valid(meta->kiosk_code)) {
        db_set_error(db, "the kiosk code is not %d digits", TRACKING_KIOSK_DIGITS);
        return DB_ERROR;
    }

    struct commit_ctx cx = {.db = db, .h = h, .meta = meta};
    if (!gmtime_r(&meta->now, &cx.utc) ||
        strftime(cx.now, sizeof cx.now, "%Y-%m-%dT%H:%M:%SZ", &cx.utc) != TIMESTAMP_LEN) {
        db_set_error(db, "the registration time cannot be written as a date");
        return DB_ERROR;
    }
    memcpy(cx.day, cx.now, DAY_LEN);
    cx.day[DAY_LEN] = '\0';

    /* The ID goes out only once it is stored: a caller never prints one
     * that a rollback took back. */
    struct tracking_id made;
    enum db_result r = db_begin(db);
    if (r != DB_OK)
        return r;
    r = commit_body(&cx, &made);
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

static enum db_result read_summary(struct db *db, sqlite3_stmt *st,
                                   struct registration_summary *out)
{
    int rc = sqlite3_step(st);
    if (rc == SQLITE_DONE)
        return DB_NOT_FOUND;
    if (rc != SQLITE_ROW)
        return db_fail(db, rc, "looking up a registration");

    struct registration_summary s;
    memset(&s, 0, sizeof s);
    char status[32], status_at[TIMESTAMP_LEN + 1], created_at[TIMESTAMP_LEN + 1];
    bool ok = copy_column(st, 0, s.tracking.digits, sizeof s.tracking.digits) &&
              copy_column(st, 1, s.cnic.digits, sizeof s.cnic.digits) &&
              copy_column(st, 2, status, sizeof status) &&
              copy_column(st, 3, status_at, sizeof status_at) &&
              copy_column(st, 4, created_at, sizeof created_at) &&
              copy_column(st, 5, s.record_uuid, sizeof s.record_uuid) &&
              copy_column(st, 7, s.head_name, sizeof s.head_name) && strlen(status_at) >= DAY_LEN &&
              strlen(created_at) >= DAY_LEN;
    if (!ok) {
        db_set_error(db, "a stored registration has a malformed field");
        return DB_ERROR;
    }
    s.record_version = sqlite3_column_int(st, 6);
    s.status = reg_status_from_code(status);
    memcpy(s.status_date, status_at, DAY_LEN);
    memcpy(s.registered_date, created_at, DAY_LEN);
    *out = s;
    return DB_OK;
}

enum db_result registry_find_by_cnic(struct db *db, const struct cnic *c,
                                     struct registration_summary *out)
{
    if (!db || !out)
        return DB_ERROR;
    if (!cnic_well_formed(c)) {
        db_set_error(db, "the CNIC to look up is not %d digits", CNIC_DIGITS);
        return DB_ERROR;
    }
    sqlite3_stmt *st;
    enum db_result r = db_stmt(db, SQL_SUMMARY_BY_CNIC, &st);
    if (r != DB_OK)
        return r;
    sqlite3_bind_text(st, 1, c->digits, CNIC_DIGITS, SQLITE_STATIC);
    r = read_summary(db, st, out);
    db_stmt_release(st);
    return r;
}

enum db_result registry_find_by_tracking(struct db *db, const struct tracking_id *t,
                                         struct registration_summary *out)
{
    if (!db || !out)
        return DB_ERROR;
    if (!t || !all_digits(t->digits, TRACKING_DIGITS)) {
        db_set_error(db, "the tracking ID to look up is not %d digits", TRACKING_DIGITS);
        return DB_ERROR;
    }
    sqlite3_stmt *st;
    enum db_result r = db_stmt(db, SQL_SUMMARY_BY_TRACKING, &st);
    if (r != DB_OK)
        return r;
    sqlite3_bind_text(st, 1, t->digits, TRACKING_DIGITS, SQLITE_STATIC);
    r = read_summary(db, st, out);
    db_stmt_release(st);
    return r;
}

/* ------------------------------------------------------------------- load */

/* Parses a stored YYYY-MM-DD; a NULL column is "not given" (year 0). */
static bool read_dob(sqlite3_stmt *st, int col, struct date *d)
{
    memset(d, 0, sizeof *d);
    if (sqlite3_column_type(st, col) == SQLITE_NULL)
        return true;
    const char *t = (const char *)sqlite3_column_text(st, col);
    if (!t || strlen(t) != DAY_LEN || t[4] != '-' || t[7] != '-')
        return false;
    int v[3] = {0, 0, 0};
    const int start[3] = {0, 5, 8}, len[3] = {4, 2, 2};
    for (int f = 0; f < 3; f++) {
        for (int i = 0; i < len[f]; i++) {
            char ch = t[start[f] + i];
            if (ch < '0' || ch > '9')
                return false;
            v[f] = v[f] * 10 + (ch - '0');
        }
    }
    d->year = v[0];
    d->month = v[1];
    d->day = v[2];
    return true;
}

/* An optional code column; NULL means "not given" (code 0). -1 if unknown. */
static int read_code(sqlite3_stmt *st, int col, int (*from_code)(const char *))
{
    if (sqlite3_column_type(st, col) == SQLITE_NULL)
        return 0;
    return from_code((const char *)sqlite3_column_text(st, col));
}

static bool read_person(sqlite3_stmt *st, struct person *p)
{
    memset(p, 0, sizeof *p);
    int relation = relation_from_code((const char *)sqlite3_column_text(st, 2));
    int gender = gender_from_code((const char *)sqlite3_column_text(st, 3));
    if (relation < 0 || gender < 0)
        return false;
    p->relation = (enum relation)relation;
    p->gender = (enum gender)gender;
    p->age = sqlite3_column_type(st, 5) == SQLITE_NULL ? -1 : sqlite3_column_int(st, 5);
    return copy_column(st, 1, p->name, sizeof p->name) && read_dob(st, 4, &p->dob) &&
           copy_column(st, 6, p->id_number, sizeof p->id_number);
}

static enum db_result load_members(struct db *db, sqlite3_int64 household_id, struct household *h)
{
    sqlite3_stmt *st;
    enum db_result r = db_stmt(db, SQL_LOAD_MEMBERS, &st);
    if (r != DB_OK)
        return r;
    sqlite3_bind_int64(st, 1, household_id);

    struct person p;
    bool have_head = false;
    int rc = SQLITE_DONE;
    while (r == DB_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        int position = sqlite3_column_int(st, 0);
        if (!read_person(st, &p)) {
            db_set_error(db, "stored member %d has a malformed field", position);
            r = DB_ERROR;
        } else if (position == 0) {
            *household_head(h) = p;
            have_head = true;
        } else if (household_add_member(h, &p) < 0) {
            db_set_error(db, "stored member %d does not fit the household roster", position);
            r = DB_ERROR;
        }
    }
    if (r == DB_OK && rc != SQLITE_DONE)
        r = db_fail(db, rc, "loading household members");
    if (r == DB_OK && !have_head) {
        db_set_error(db, "the stored household has no head");
        r = DB_ERROR;
    }
    /* The copy held personal data; it must not linger on the stack. */
    explicit_bzero(&p, sizeof p);
    db_stmt_release(st);
    return r;
}

/* The household row of the latest registration for C into H. */
static enum db_result load_household_row(struct db *db, const struct cnic *c, struct household *h,
                                         sqlite3_int64 *household_id)
{
    sqlite3_stmt *st;
    enum db_result r = db_stmt(db, SQL_LOAD_HOUSEHOLD, &st);
    if (r != DB_OK)
        return r;
    sqlite3_bind_text(st, 1, c->digits, CNIC_DIGITS, SQLITE_STATIC);

    int rc = sqlite3_step(st);
    if (rc == SQLITE_DONE) {
        r = DB_NOT_FOUND;
    } else if (rc != SQLITE_ROW) {
        r = db_fail(db, rc, "loading a household");
    } else {
        struct household_address *a = household_address(h);
        struct housing *hs = household_housing(h);
        int toilet = read_code(st, 6, toilet_from_code);
        int water = read_code(st, 7, water_from_code);
        *household_id = sqlite3_column_int64(st, 0);
        hs->rooms = sqlite3_column_int(st, 5); /* NULL reads as 0, "not given" */
        hs->toilet = (enum toilet)(toilet < 0 ? 0 : toilet);
        hs->water = (enum water)(water < 0 ? 0 : water);
        if (toilet < 0 || water < 0 ||
            !copy_column(st, 1, household_head_cnic(h)->digits, CNIC_DIGITS + 1) ||
            !copy_column(st, 2, household_phone(h), PHONE_MAX) ||
            !copy_column(st, 3, a->district, sizeof a->district) ||
            !copy_column(st, 4, a->tehsil, sizeof a->tehsil)) {
            db_set_error(db, "the stored household has a malformed field");
            r = DB_ERROR;
        }
    }
    db_stmt_release(st);
    return r;
}

enum db_result registry_load_household(struct db *db, const struct cnic *c, struct household *h)
{
    if (!db || !h)
        return DB_ERROR;
    household_clear(h);
    if (!cnic_well_formed(c)) {
        db_set_error(db, "the CNIC to load is not %d digits", CNIC_DIGITS);
        return DB_ERROR;
    }

    /* One read snapshot, so the rows read belong to the same moment. */
    static const char SQL_BEGIN_READ[] = "BEGIN";
    sqlite3_stmt *st;
    enum db_result r = db_stmt(db, SQL_BEGIN_READ, &st);
    if (r != DB_OK)
        return r;
    r = step_done(db, st, "starting a read");
    if (r != DB_OK)
        return r;

    sqlite3_int64 household_id = 0;
    r = load_household_row(db, c, h, &household_id);
    if (r == DB_OK)
        r = load_members(db, household_id, h);
    /* Nothing was written: ending the read by rolling back keeps the detail. */
    db_rollback(db);
    if (r != DB_OK)
        household_clear(h); /* a half-loaded household is worse than none */
    return r;
}

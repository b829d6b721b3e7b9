/*
 * drafts.c - surveys in progress, stored answer by answer.
 *
 * Every change is one short BEGIN IMMEDIATE transaction that also touches
 * drafts.updated_at, so what a call reported as stored survives a kill -9
 * or a power cut (WAL, synchronous=FULL), and expiry counts from the last
 * answer given. Members are rows: each call reads or writes the rows of
 * the members it names and nothing else, through the primary key of
 * draft_answers or the (draft_id, position) index of draft_members, so
 * nothing here grows with the size of the household except
 * drafts_load_all, which is meant to read everything, and drafts_member_at,
 * which counts its way to the Nth member. Deleting a member deletes its
 * answers by trigger, in the same statement.
 *
 * Draft numbers are six random digits and a Damm check digit: random so
 * that one number tells nothing about another applicant's, checked so a
 * clerk's typo is caught before it finds someone else's draft.
 *
 * Never draws, never prints; every statement is a fixed string with bound
 * parameters, prepared once per connection. Error details name what
 * failed, never a value.
 */
#include "drafts.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "../kiosk/damm.h"
#include "db_internal.h"
#include "rows.h"

#define QUESTIONNAIRE_ID_SIZE      sizeof(((struct draft_info *)0)->questionnaire_id)
#define QUESTIONNAIRE_VERSION_SIZE sizeof(((struct draft_info *)0)->questionnaire_version)
#define CNIC_LEN                   13

/* A collision needs hundreds of thousands of open drafts; give up long before. */
#define NUMBER_TRIES 16
/* A page is a screenful; this only bounds what one call may allocate. */
#define PAGE_LIMIT_MAX 1000

/* ------------------------------------------------------------ statements */

#define DRAFT_COLUMNS                                                                              \
    "SELECT d.id, d.number, d.head_cnic, d.questionnaire_id, d.questionnaire_version,"             \
    "       d.created_at, d.updated_at,"                                                           \
    "       (SELECT count(*) FROM draft_members AS m WHERE m.draft_id = d.id),"                    \
    "       d.previous_registration, r.tracking_id, d.resume_at"                                   \
    "  FROM drafts AS d LEFT JOIN registrations AS r ON r.id = d.previous_registration"

static const char SQL_GET[] = DRAFT_COLUMNS " WHERE d.id = ?1";
static const char SQL_BY_CNIC[] = DRAFT_COLUMNS " WHERE d.head_cnic = ?1"
                                                " ORDER BY d.updated_at DESC, d.id DESC LIMIT 1";
static const char SQL_BY_NUMBER[] = DRAFT_COLUMNS " WHERE d.number = ?1";
static const char SQL_LIST[] = DRAFT_COLUMNS " ORDER BY d.updated_at DESC, d.id DESC LIMIT ?1";

static const char SQL_INSERT_DRAFT[] =
    "INSERT INTO drafts (number, head_cnic, questionnaire_id, questionnaire_version,"
    "  previous_registration, last_position, created_at, updated_at)"
    "  VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)";

static const char SQL_INSERT_MEMBER[] = "INSERT INTO draft_members (draft_id, position)"
                                        "  VALUES (?1, ?2)";

static const char SQL_TOUCH[] = "UPDATE drafts SET updated_at = ?2 WHERE id = ?1";

static const char SQL_SET_RESUME[] = "UPDATE drafts SET resume_at = ?2 WHERE id = ?1";

static const char SQL_NEXT_POSITION[] =
    "UPDATE drafts SET last_position = last_position + 1, updated_at = ?2"
    "  WHERE id = ?1 RETURNING last_position";

static const char SQL_MEMBER_EXISTS[] = "SELECT 1 FROM draft_members"
                                        "  WHERE draft_id = ?1 AND position = ?2";

static const char SQL_SET_ANSWER[] =
    "INSERT INTO draft_answers (draft_id, member, question, value) VALUES (?1, ?2, ?3, ?4)"
    "  ON CONFLICT (draft_id, member, question) DO UPDATE SET value = excluded.value";

static const char SQL_CLEAR_ANSWER[] = "DELETE FROM draft_answers"
                                       "  WHERE draft_id = ?1 AND member = ?2 AND question = ?3";

static const char SQL_DELETE_MEMBER[] = "DELETE FROM draft_members"
                                        "  WHERE draft_id = ?1 AND position = ?2";

static const char SQL_MEMBER_COUNT[] = "SELECT count(*) FROM draft_members WHERE draft_id = ?1";

static const char SQL_MEMBER_ANSWERS[] = "SELECT question, value FROM draft_answers"
                                         "  WHERE draft_id = ?1 AND member = ?2";

static const char SQL_ALL_POSITIONS[] = "SELECT position FROM draft_members"
                                        "  WHERE draft_id = ?1 ORDER BY position";

static const char SQL_ALL_ANSWERS[] = "SELECT member, question, value FROM draft_answers"
                                      "  WHERE draft_id = ?1 ORDER BY member";

static const char SQL_PAGE[] = "SELECT position FROM draft_members"
                               "  WHERE draft_id = ?1 AND position > ?2"
                               "  ORDER BY position LIMIT ?3";

static const char SQL_MEMBER_AT[] = "SELECT position FROM draft_members"
                                    "  WHERE draft_id = ?1 ORDER BY position LIMIT 1 OFFSET ?2";

static const char SQL_MEMBER_RANK[] = "SELECT count(*) FROM draft_members"
                                      "  WHERE draft_id = ?1 AND position <= ?2";

static const char SQL_DELETE_DRAFT[] = "DELETE FROM drafts WHERE id = ?1";

static const char SQL_EXPIRE[] = "DELETE FROM drafts WHERE updated_at < ?1";

static const char SQL_REGISTRATION[] = "SELECT cnic, member_count FROM registrations"
                                       "  WHERE id = ?1";

static const char SQL_COPY_ANSWERS[] =
    "INSERT INTO draft_answers (draft_id, member, question, value)"
    "  SELECT ?1, member, question, value FROM registration_answers"
    "  WHERE registration_id = ?2";

/* ---------------------------------------------------------------- helpers */

static enum db_result bind_failed(struct db *db, sqlite3_stmt *st, const char *what)
{
    db_stmt_release(st);
    db_set_error(db, "%s: a parameter could not be bound", what);
    return DB_ERROR;
}

static enum db_result bad_argument(struct db *db, const char *what)
{
    if (db)
        db_set_error(db, "%s", what);
    return DB_ERROR;
}

static int getrandom_all(void *buf, size_t len)
{
    unsigned char *p = buf;
    size_t got = 0;
    while (got < len) {
        ssize_t n = getrandom(p + got, len - got, 0);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        got += (size_t)n;
    }
    return 0;
}

static drafts_random_fn random_source = getrandom_all;

void drafts_set_random_source(drafts_random_fn fn)
{
    random_source = fn ? fn : getrandom_all;
}

/*
 * Six uniformly random digits and their Damm check digit. Values of
 * 4294000000 and above are drawn again, so that taking the rest modulo
 * 10^6 favours no number.
 */
static int make_number(char out[DRAFT_NUMBER_DIGITS + 1])
{
    uint32_t v;
    do {
        if (random_source(&v, sizeof v) != 0)
            return -1;
    } while (v >= 4294000000u);
    snprintf(out, DRAFT_NUMBER_DIGITS + 1, "%06u", (unsigned)(v % 1000000u));
    int check = damm_check_digit(out);
    if (check < 0)
        return -1;
    out[DRAFT_NUMBER_DIGITS - 1] = (char)('0' + check);
    out[DRAFT_NUMBER_DIGITS] = '\0';
    return 0;
}

/* Reads the row of a DRAFT_COLUMNS statement into OUT. */
static enum db_result read_info(struct db *db, sqlite3_stmt *st, struct draft_info *out)
{
    struct draft_info d;
    memset(&d, 0, sizeof d);
    d.id = sqlite3_column_int64(st, 0);
    sqlite3_int64 members = sqlite3_column_int64(st, 7);
    d.previous_registration = sqlite3_column_int64(st, 8);
    bool ok = db_copy_column(st, 1, d.number, sizeof d.number) &&
              db_copy_column(st, 2, d.head_cnic, sizeof d.head_cnic) &&
              db_copy_column(st, 3, d.questionnaire_id, sizeof d.questionnaire_id) &&
              db_copy_column(st, 4, d.questionnaire_version, sizeof d.questionnaire_version) &&
              db_copy_column(st, 5, d.created_at, sizeof d.created_at) &&
              db_copy_column(st, 6, d.updated_at, sizeof d.updated_at) &&
              db_copy_column(st, 9, d.previous_tracking, sizeof d.previous_tracking) &&
              db_copy_column(st, 10, d.resume_at, sizeof d.resume_at) && members >= 1 &&
              members <= 0x7fffffff;
    if (!ok) {
        db_set_error(db, "a stored draft has a malformed field");
        return DB_ERROR;
    }
    d.members = (int)members;
    if (out)
        *out = d;
    return DB_OK;
}

/* Runs a DRAFT_COLUMNS statement with its key bound; one row into OUT. */
static enum db_result one_info(struct db *db, sqlite3_stmt *st, struct draft_info *out)
{
    int rc = sqlite3_step(st);
    enum db_result r;
    if (rc == SQLITE_ROW)
        r = read_info(db, st, out);
    else if (rc == SQLITE_DONE)
        r = DB_NOT_FOUND;
    else
        r = db_fail(db, rc, "looking up a draft");
    db_stmt_release(st);
    return r;
}

/* Ends a write: commits when R is DB_OK, else rolls back; returns the outcome. */
static enum db_result finish(struct db *db, enum db_result r)
{
    if (r != DB_OK) {
        db_rollback(db);
        return r;
    }
    return db_commit(db);
}

/* Sets updated_at; DB_NOT_FOUND when there is no such draft. */
static enum db_result touch(struct db *db, int64_t draft, const char *now)
{
    sqlite3_stmt *st;
    enum db_result r = db_stmt(db, SQL_TOUCH, &st);
    if (r != DB_OK)
        return r;
    if (sqlite3_bind_int64(st, 1, draft) | db_bind_text(st, 2, now, DB_TIMESTAMP_LEN, false))
        return bind_failed(db, st, "touching a draft");
    r = db_step_done(db, st, "touching a draft");
    if (r == DB_OK && sqlite3_changes(db_sqlite(db)) == 0)
        r = DB_NOT_FOUND;
    return r;
}

static enum db_result member_exists(struct db *db, int64_t draft, int position)
{
    sqlite3_stmt *st;
    enum db_result r = db_stmt(db, SQL_MEMBER_EXISTS, &st);
    if (r != DB_OK)
        return r;
    if (sqlite3_bind_int64(st, 1, draft) | sqlite3_bind_int(st, 2, position))
        return bind_failed(db, st, "looking up a member");
    int rc = sqlite3_step(st);
    r = rc == SQLITE_ROW    ? DB_OK
        : rc == SQLITE_DONE ? DB_NOT_FOUND
                            : db_fail(db, rc, "looking up a member");
    db_stmt_release(st);
    return r;
}

static enum db_result insert_member(struct db *db, int64_t draft, int position)
{
    sqlite3_stmt *st;
    enum db_result r = db_stmt(db, SQL_INSERT_MEMBER, &st);
    if (r != DB_OK)
        return r;
    if (sqlite3_bind_int64(st, 1, draft) | sqlite3_bind_int(st, 2, position))
        return bind_failed(db, st, "adding a member");
    return db_step_done(db, st, "adding a member");
}

static bool questionnaire_fits(const char *id, const char *version)
{
    return db_text_fits(id, QUESTIONNAIRE_ID_SIZE, false, NULL) &&
           db_text_fits(version, QUESTIONNAIRE_VERSION_SIZE, false, NULL);
}

/*
 * Inserts the draft row under a fresh number, drawing again when the
 * number belongs to another open draft. The caller owns the transaction;
 * a failed INSERT undoes only itself, so retrying inside it is safe.
 */
static enum db_result insert_draft(struct db *db, const char *head_cnic, const char *qid,
                                   const char *qversion, int64_t previous, int last_position,
                                   const char *now, int64_t *id)
{
    for (int attempt = 0; attempt < NUMBER_TRIES; attempt++) {
        char number[DRAFT_NUMBER_DIGITS + 1];
        if (make_number(number) != 0) {
            db_set_error(db, "no random digits for a draft number");
            return DB_ERROR;
        }
        sqlite3_stmt *st;
        enum db_result r = db_stmt(db, SQL_INSERT_DRAFT, &st);
        if (r != DB_OK)
            return r;
        if (db_bind_text(st, 1, number, DRAFT_NUMBER_DIGITS, false) |
            db_bind_text(st, 2, head_cnic, CNIC_LEN, false) |
            db_bind_text(st, 3, qid, strlen(qid), false) |
            db_bind_text(st, 4, qversion, strlen(qversion), false) |
            (previous ? sqlite3_bind_int64(st, 5, previous) : sqlite3_bind_null(st, 5)) |
            sqlite3_bind_int(st, 6, last_position) |
            db_bind_text(st, 7, now, DB_TIMESTAMP_LEN, false))
            return bind_failed(db, st, "storing a draft");
        int rc = sqlite3_step(st);
        db_stmt_release(st);
        if (rc == SQLITE_DONE) {
            *id = sqlite3_last_insert_rowid(db_sqlite(db));
            return DB_OK;
        }
        /* number is the only UNIQUE column of drafts. */
        if (rc != SQLITE_CONSTRAINT_UNIQUE)
            return db_fail(db, rc, "storing a draft");
    }
    db_set_error(db, "no free draft number after %d tries", NUMBER_TRIES);
    return DB_ERROR;
}

/* ------------------------------------------------------------------ create */

enum db_result drafts_create(struct db *db, const char *head_cnic, const char *questionnaire_id,
                             const char *questionnaire_version, time_t now, struct draft_info *out)
{
    char ts[DB_TIMESTAMP_LEN + 1];
    if (!db)
        return DB_ERROR;
    if (!db_all_digits(head_cnic, CNIC_LEN))
        return bad_argument(db, "a draft needs the head's 13-digit CNIC");
    if (!questionnaire_fits(questionnaire_id, questionnaire_version))
        return bad_argument(db, "a draft needs a questionnaire id and version that fit");
    if (!db_timestamp(now, ts))
        return bad_argument(db, "the time cannot be written as a date");

    int64_t id = 0;
    enum db_result r = db_begin(db);
    if (r != DB_OK)
        return r;
    r = insert_draft(db, head_cnic, questionnaire_id, questionnaire_version, 0, 0, ts, &id);
    if (r == DB_OK)
        r = insert_member(db, id, 0);
    r = finish(db, r);
    if (r == DB_OK && out)
        r = drafts_get(db, id, out);
    return r;
}

/* The registration's CNIC and member count, inside the caller's transaction. */
static enum db_result registration_basics(struct db *db, int64_t registration_id,
                                          char cnic[CNIC_LEN + 1], int *members)
{
    sqlite3_stmt *st;
    enum db_result r = db_stmt(db, SQL_REGISTRATION, &st);
    if (r != DB_OK)
        return r;
    if (sqlite3_bind_int64(st, 1, registration_id))
        return bind_failed(db, st, "reading a registration");
    int rc = sqlite3_step(st);
    if (rc == SQLITE_DONE) {
        r = DB_NOT_FOUND;
    } else if (rc != SQLITE_ROW) {
        r = db_fail(db, rc, "reading a registration");
    } else {
        sqlite3_int64 n = sqlite3_column_int64(st, 1);
        if (!db_copy_column(st, 0, cnic, CNIC_LEN + 1) || !db_all_digits(cnic, CNIC_LEN) || n < 1 ||
            n > 0x7fffffff) {
            db_set_error(db, "a stored registration has a malformed field");
            r = DB_ERROR;
        } else {
            *members = (int)n;
        }
    }
    db_stmt_release(st);
    return r;
}

static enum db_result copy_registration(struct db *db, int64_t registration_id, const char *qid,
                                        const char *qversion, const char *now, int64_t *id)
{
    char cnic[CNIC_LEN + 1];
    int members = 0;
    enum db_result r = registration_basics(db, registration_id, cnic, &members);
    if (r != DB_OK)
        return r;
    r = insert_draft(db, cnic, qid, qversion, registration_id, members - 1, now, id);
    for (int p = 0; r == DB_OK && p < members; p++)
        r = insert_member(db, *id, p);
    if (r != DB_OK)
        return r;

    sqlite3_stmt *st;
    r = db_stmt(db, SQL_COPY_ANSWERS, &st);
    if (r != DB_OK)
        return r;
    if (sqlite3_bind_int64(st, 1, *id) | sqlite3_bind_int64(st, 2, registration_id))
        return bind_failed(db, st, "copying a registration's answers");
    return db_step_done(db, st, "copying a registration's answers");
}

enum db_result drafts_create_update(struct db *db, int64_t registration_id,
                                    const char *questionnaire_id, const char *questionnaire_version,
                                    time_t now, struct draft_info *out)
{
    char ts[DB_TIMESTAMP_LEN + 1];
    if (!db)
        return DB_ERROR;
    if (registration_id <= 0)
        return bad_argument(db, "no registration to update was given");
    if (!questionnaire_fits(questionnaire_id, questionnaire_version))
        return bad_argument(db, "a draft needs a questionnaire id and version that fit");
    if (!db_timestamp(now, ts))
        return bad_argument(db, "the time cannot be written as a date");

    int64_t id = 0;
    enum db_result r = db_begin(db);
    if (r != DB_OK)
        return r;
    r = finish(db, copy_registration(db, registration_id, questionnaire_id, questionnaire_version,
                                     ts, &id));
    if (r == DB_OK && out)
        r = drafts_get(db, id, out);
    return r;
}

/* ----------------------------------------------------------------- lookup */

enum db_result drafts_get(struct db *db, int64_t draft, struct draft_info *out)
{
    if (!db || !out)
        return DB_ERROR;
    sqlite3_stmt *st;
    enum db_result r = db_stmt(db, SQL_GET, &st);
    if (r != DB_OK)
        return r;
    if (sqlite3_bind_int64(st, 1, draft))
        return bind_failed(db, st, "looking up a draft");
    return one_info(db, st, out);
}

enum db_result drafts_find_by_cnic(struct db *db, const char *cnic, struct draft_info *out)
{
    if (!db || !out)
        return DB_ERROR;
    if (!db_all_digits(cnic, CNIC_LEN))
        return bad_argument(db, "the CNIC to look up is not 13 digits");
    sqlite3_stmt *st;
    enum db_result r = db_stmt(db, SQL_BY_CNIC, &st);
    if (r != DB_OK)
        return r;
    if (db_bind_text(st, 1, cnic, CNIC_LEN, false))
        return bind_failed(db, st, "looking up a draft");
    return one_info(db, st, out);
}

enum db_result drafts_find_by_number(struct db *db, const char *number, struct draft_info *out)
{
    if (!db || !out)
        return DB_ERROR;
    if (!db_all_digits(number, DRAFT_NUMBER_DIGITS))
        return bad_argument(db, "the draft number to look up is not 7 digits");
    /* A typo is refused here rather than sent looking for a stranger's draft. */
    if (!damm_valid(number))
        return DB_NOT_FOUND;
    sqlite3_stmt *st;
    enum db_result r = db_stmt(db, SQL_BY_NUMBER, &st);
    if (r != DB_OK)
        return r;
    if (db_bind_text(st, 1, number, DRAFT_NUMBER_DIGITS, false))
        return bind_failed(db, st, "looking up a draft");
    return one_info(db, st, out);
}

enum db_result drafts_list(struct db *db, struct draft_info *out, size_t max, size_t *n)
{
    if (!db || !n || (max && !out))
        return DB_ERROR;
    *n = 0;
    if (max == 0)
        return DB_OK;
    sqlite3_stmt *st;
    enum db_result r = db_stmt(db, SQL_LIST, &st);
    if (r != DB_OK)
        return r;
    if (sqlite3_bind_int64(st, 1, max > (size_t)INT64_MAX ? INT64_MAX : (sqlite3_int64)max))
        return bind_failed(db, st, "listing drafts");
    int rc = SQLITE_DONE;
    while (r == DB_OK && *n < max && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        r = read_info(db, st, &out[*n]);
        if (r == DB_OK)
            (*n)++;
    }
    if (r == DB_OK && *n < max && rc != SQLITE_DONE)
        r = db_fail(db, rc, "listing drafts");
    db_stmt_release(st);
    return r;
}

/* ------------------------------------------------------------------ write */

enum db_result drafts_set_answer(struct db *db, int64_t draft, int member, const char *qid,
                                 const char *value, time_t now)
{
    char ts[DB_TIMESTAMP_LEN + 1];
    size_t vlen = 0;
    if (!db)
        return DB_ERROR;
    if (member < ANSWERS_HOUSEHOLD)
        return bad_argument(db, "no such member");
    if (!answers_valid_id(qid))
        return bad_argument(db, "the question id is not valid");
    if (value && !db_text_fits(value, ANSWER_VALUE_MAX, true, &vlen))
        return bad_argument(db, "the answer is too long");
    if (!db_timestamp(now, ts))
        return bad_argument(db, "the time cannot be written as a date");

    enum db_result r = db_begin(db);
    if (r != DB_OK)
        return r;
    r = touch(db, draft, ts);
    if (r == DB_OK && member != ANSWERS_HOUSEHOLD)
        r = member_exists(db, draft, member);
    sqlite3_stmt *st = NULL;
    if (r == DB_OK)
        r = db_stmt(db, vlen ? SQL_SET_ANSWER : SQL_CLEAR_ANSWER, &st);
    if (r == DB_OK) {
        if (sqlite3_bind_int64(st, 1, draft) | sqlite3_bind_int(st, 2, member) |
            db_bind_text(st, 3, qid, strlen(qid), false) |
            (vlen ? db_bind_text(st, 4, value, vlen, false) : SQLITE_OK))
            r = bind_failed(db, st, "storing an answer");
        else
            r = db_step_done(db, st, "storing an answer");
    }
    return finish(db, r);
}

/* Printable ASCII and short: the flow's notation, and never personal data. */
static bool resume_point_valid(const char *at)
{
    size_t n = 0;
    if (!db_text_fits(at, sizeof(((struct draft_info *)0)->resume_at), true, &n))
        return false;
    for (size_t i = 0; i < n; i++)
        if (at[i] < ' ' || at[i] > '~')
            return false;
    return true;
}

enum db_result drafts_set_resume(struct db *db, int64_t draft, const char *at)
{
    if (!db)
        return DB_ERROR;
    if (!resume_point_valid(at))
        return bad_argument(db, "the resume point is not short printable text");

    enum db_result r = db_begin(db);
    if (r != DB_OK)
        return r;
    sqlite3_stmt *st;
    r = db_stmt(db, SQL_SET_RESUME, &st);
    if (r == DB_OK) {
        if (sqlite3_bind_int64(st, 1, draft) | db_bind_text(st, 2, at, strlen(at), false))
            r = bind_failed(db, st, "saving the resume point");
        else
            r = db_step_done(db, st, "saving the resume point");
        if (r == DB_OK && sqlite3_changes(db_sqlite(db)) == 0)
            r = DB_NOT_FOUND;
    }
    return finish(db, r);
}

enum db_result drafts_add_member(struct db *db, int64_t draft, time_t now, int *position)
{
    char ts[DB_TIMESTAMP_LEN + 1];
    if (!db || !position)
        return DB_ERROR;
    if (!db_timestamp(now, ts))
        return bad_argument(db, "the time cannot be written as a date");

    enum db_result r = db_begin(db);
    if (r != DB_OK)
        return r;
    sqlite3_stmt *st;
    sqlite3_int64 next = 0;
    r = db_stmt(db, SQL_NEXT_POSITION, &st);
    if (r == DB_OK) {
        if (sqlite3_bind_int64(st, 1, draft) | db_bind_text(st, 2, ts, DB_TIMESTAMP_LEN, false)) {
            r = bind_failed(db, st, "adding a member");
        } else {
            int rc = sqlite3_step(st);
            if (rc == SQLITE_ROW) {
                next = sqlite3_column_int64(st, 0);
                rc = sqlite3_step(st);
            } else if (rc == SQLITE_DONE) {
                r = DB_NOT_FOUND;
            }
            if (r == DB_OK && rc != SQLITE_DONE)
                r = db_fail(db, rc, "adding a member");
            db_stmt_release(st);
        }
    }
    if (r == DB_OK && (next < 1 || next > 0x7fffffff)) {
        db_set_error(db, "the draft has no member positions left");
        r = DB_ERROR;
    }
    if (r == DB_OK)
        r = insert_member(db, draft, (int)next);
    r = finish(db, r);
    if (r == DB_OK)
        *position = (int)next;
    return r;
}

enum db_result drafts_delete_member(struct db *db, int64_t draft, int position, time_t now)
{
    char ts[DB_TIMESTAMP_LEN + 1];
    if (!db)
        return DB_ERROR;
    if (position == 0)
        return bad_argument(db, "the head of household cannot be deleted");
    if (position < 0)
        return bad_argument(db, "no such member");
    if (!db_timestamp(now, ts))
        return bad_argument(db, "the time cannot be written as a date");

    enum db_result r = db_begin(db);
    if (r != DB_OK)
        return r;
    r = touch(db, draft, ts);
    sqlite3_stmt *st;
    if (r == DB_OK)
        r = db_stmt(db, SQL_DELETE_MEMBER, &st);
    if (r == DB_OK) {
        if (sqlite3_bind_int64(st, 1, draft) | sqlite3_bind_int(st, 2, position))
            r = bind_failed(db, st, "deleting a member");
        else
            r = db_step_done(db, st, "deleting a member");
        /* Rows the trigger deleted are not counted here: 1 is the member. */
        if (r == DB_OK && sqlite3_changes(db_sqlite(db)) == 0)
            r = DB_NOT_FOUND;
    }
    return finish(db, r);
}

enum db_result drafts_member_count(struct db *db, int64_t draft, int *n)
{
    if (!db || !n)
        return DB_ERROR;
    sqlite3_stmt *st;
    enum db_result r = db_stmt(db, SQL_MEMBER_COUNT, &st);
    if (r != DB_OK)
        return r;
    if (sqlite3_bind_int64(st, 1, draft))
        return bind_failed(db, st, "counting members");
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        sqlite3_int64 count = sqlite3_column_int64(st, 0);
        /* Every draft has its head, so none means no such draft. */
        if (count == 0)
            r = DB_NOT_FOUND;
        else if (count > 0x7fffffff)
            r = bad_argument(db, "a draft has more members than can be counted");
        else
            *n = (int)count;
    } else {
        r = db_fail(db, rc, "counting members");
    }
    db_stmt_release(st);
    return r;
}

/* ------------------------------------------------------------------- read */

/*
 * Sets every stored answer of member POSITION into A as member SLOT
 * (ANSWERS_HOUSEHOLD for the household's).
 */
static enum db_result load_answers_of(struct db *db, int64_t draft, int position, struct answers *a,
                                      int slot)
{
    sqlite3_stmt *st;
    enum db_result r = db_stmt(db, SQL_MEMBER_ANSWERS, &st);
    if (r != DB_OK)
        return r;
    if (sqlite3_bind_int64(st, 1, draft) | sqlite3_bind_int(st, 2, position))
        return bind_failed(db, st, "loading answers");
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *qid = (const char *)sqlite3_column_text(st, 0);
        const char *value = (const char *)sqlite3_column_text(st, 1);
        /* answers_set checks the id and bounds the value's length. */
        if (answers_set(a, slot, qid, value) != 0) {
            db_set_error(db, "a stored answer does not fit in memory");
            r = DB_ERROR;
            break;
        }
    }
    if (r == DB_OK && rc != SQLITE_DONE)
        r = db_fail(db, rc, "loading answers");
    db_stmt_release(st);
    return r;
}

static enum db_result load_member_body(struct db *db, int64_t draft, int position,
                                       struct answers *a, int *slot)
{
    enum db_result r = member_exists(db, draft, 0);
    if (r == DB_OK && position > 0)
        r = member_exists(db, draft, position);
    if (r != DB_OK)
        return r;
    if (answers_add_member(a) != 0 || (position > 0 && answers_add_member(a) != 1)) {
        db_set_error(db, "out of memory loading a member");
        return DB_ERROR;
    }
    r = load_answers_of(db, draft, ANSWERS_HOUSEHOLD, a, ANSWERS_HOUSEHOLD);
    if (r == DB_OK)
        r = load_answers_of(db, draft, 0, a, 0);
    if (r == DB_OK && position > 0)
        r = load_answers_of(db, draft, position, a, 1);
    if (r == DB_OK && slot)
        *slot = position > 0 ? 1 : 0;
    return r;
}

enum db_result drafts_load_member(struct db *db, int64_t draft, int position, struct answers *a,
                                  int *slot)
{
    if (!db || !a)
        return DB_ERROR;
    answers_clear(a);
    if (position < 0)
        return bad_argument(db, "no such member");
    enum db_result r = db_begin_read(db);
    if (r != DB_OK)
        return r;
    r = load_member_body(db, draft, position, a, slot);
    db_end_read(db);
    if (r != DB_OK)
        answers_clear(a); /* half a member is worse than none */
    return r;
}

/* A growable list of member positions, in order. */
struct positions {
    int *v;
    size_t n, cap;
};

static enum db_result load_positions(struct db *db, int64_t draft, struct positions *p)
{
    sqlite3_stmt *st;
    enum db_result r = db_stmt(db, SQL_ALL_POSITIONS, &st);
    if (r != DB_OK)
        return r;
    if (sqlite3_bind_int64(st, 1, draft))
        return bind_failed(db, st, "loading members");
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (p->n == p->cap) {
            size_t cap = p->cap ? p->cap * 2 : 16;
            int *grown = realloc(p->v, cap * sizeof *grown);
            if (!grown) {
                db_set_error(db, "out of memory loading members");
                r = DB_ERROR;
                break;
            }
            p->v = grown;
            p->cap = cap;
        }
        p->v[p->n++] = sqlite3_column_int(st, 0);
    }
    if (r == DB_OK && rc != SQLITE_DONE)
        r = db_fail(db, rc, "loading members");
    db_stmt_release(st);
    if (r == DB_OK && (p->n == 0 || p->v[0] != 0))
        r = p->n == 0 ? DB_NOT_FOUND : bad_argument(db, "a stored draft has no head");
    return r;
}

/* Every answer into A; members arrive in position order, as P lists them. */
static enum db_result load_all_answers(struct db *db, int64_t draft, const struct positions *p,
                                       struct answers *a)
{
    sqlite3_stmt *st;
    enum db_result r = db_stmt(db, SQL_ALL_ANSWERS, &st);
    if (r != DB_OK)
        return r;
    if (sqlite3_bind_int64(st, 1, draft))
        return bind_failed(db, st, "loading answers");
    size_t slot = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int member = sqlite3_column_int(st, 0);
        int index = ANSWERS_HOUSEHOLD;
        if (member != ANSWERS_HOUSEHOLD) {
            while (slot < p->n && p->v[slot] < member)
                slot++;
            if (slot == p->n || p->v[slot] != member) {
                db_set_error(db, "a stored answer belongs to no member");
                r = DB_ERROR;
                break;
            }
            index = (int)slot;
        }
        const char *qid = (const char *)sqlite3_column_text(st, 1);
        const char *value = (const char *)sqlite3_column_text(st, 2);
        if (answers_set(a, index, qid, value) != 0) {
            db_set_error(db, "a stored answer does not fit in memory");
            r = DB_ERROR;
            break;
        }
    }
    if (r == DB_OK && rc != SQLITE_DONE)
        r = db_fail(db, rc, "loading answers");
    db_stmt_release(st);
    return r;
}

enum db_result drafts_load_all(struct db *db, int64_t draft, struct answers *a, int *positions,
                               size_t maxpos)
{
    if (!db || !a || (maxpos && !positions))
        return DB_ERROR;
    answers_clear(a);
    struct positions p = {0};
    enum db_result r = db_begin_read(db);
    if (r != DB_OK)
        return r;
    r = load_positions(db, draft, &p);
    for (size_t i = 0; r == DB_OK && i < p.n; i++) {
        if (answers_add_member(a) < 0) {
            db_set_error(db, "out of memory loading members");
            r = DB_ERROR;
        }
    }
    if (r == DB_OK)
        r = load_all_answers(db, draft, &p, a);
    db_end_read(db);
    for (size_t i = 0; r == DB_OK && i < p.n && i < maxpos; i++)
        positions[i] = p.v[i];
    free(p.v);
    if (r != DB_OK)
        answers_clear(a);
    return r;
}

/* The positions of one roster page into P (at most LIMIT). */
static enum db_result page_positions(struct db *db, int64_t draft, int after, int limit,
                                     struct positions *p)
{
    sqlite3_stmt *st;
    enum db_result r = db_stmt(db, SQL_PAGE, &st);
    if (r != DB_OK)
        return r;
    if (sqlite3_bind_int64(st, 1, draft) | sqlite3_bind_int(st, 2, after) |
        sqlite3_bind_int(st, 3, limit))
        return bind_failed(db, st, "reading the roster");
    int rc = SQLITE_DONE;
    while (p->n < p->cap && (rc = sqlite3_step(st)) == SQLITE_ROW)
        p->v[p->n++] = sqlite3_column_int(st, 0);
    if (p->n < p->cap && rc != SQLITE_DONE)
        r = db_fail(db, rc, "reading the roster");
    db_stmt_release(st);
    return r;
}

/* The values of COLS for member POSITION into VALUES (NULL where unanswered). */
static enum db_result row_values(struct db *db, int64_t draft, int position,
                                 const char *const *cols, size_t ncols, char *cells,
                                 const char **values)
{
    for (size_t c = 0; c < ncols; c++)
        values[c] = NULL;
    if (ncols == 0)
        return DB_OK;
    sqlite3_stmt *st;
    enum db_result r = db_stmt(db, SQL_MEMBER_ANSWERS, &st);
    if (r != DB_OK)
        return r;
    if (sqlite3_bind_int64(st, 1, draft) | sqlite3_bind_int(st, 2, position))
        return bind_failed(db, st, "reading the roster");
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *qid = (const char *)sqlite3_column_text(st, 0);
        for (size_t c = 0; qid && c < ncols; c++) {
            if (values[c] || !cols[c] || strcmp(cols[c], qid) != 0)
                continue;
            char *cell = cells + c * ANSWER_VALUE_MAX;
            if (!db_copy_column(st, 1, cell, ANSWER_VALUE_MAX)) {
                db_set_error(db, "a stored answer is too long");
                r = DB_ERROR;
                break;
            }
            values[c] = cell;
        }
        if (r != DB_OK)
            break;
    }
    if (r == DB_OK && rc != SQLITE_DONE)
        r = db_fail(db, rc, "reading the roster");
    db_stmt_release(st);
    return r;
}

enum db_result drafts_roster_page(struct db *db, int64_t draft, int after, int limit,
                                  const char *const *cols, size_t ncols, drafts_row_fn fn, void *ud)
{
    if (!db || !fn || (ncols && !cols))
        return DB_ERROR;
    if (limit < 1 || limit > PAGE_LIMIT_MAX || ncols > 64)
        return bad_argument(db, "a roster page must have 1 to 1000 rows and at most 64 columns");

    struct positions p = {.cap = (size_t)limit};
    p.v = malloc(p.cap * sizeof *p.v);
    char *cells = ncols ? malloc(ncols * ANSWER_VALUE_MAX) : NULL;
    const char **values = malloc((ncols ? ncols : 1) * sizeof *values);
    enum db_result r = DB_OK;
    if (!p.v || !values || (ncols && !cells)) {
        db_set_error(db, "out of memory reading the roster");
        r = DB_ERROR;
    }
    /*
     * Positions first, then each member's values: no statement is open
     * while FN runs, so FN may itself call into the store (open a member,
     * delete one) without meeting a half-read page.
     */
    if (r == DB_OK)
        r = page_positions(db, draft, after, limit, &p);
    for (size_t i = 0; r == DB_OK && i < p.n; i++) {
        r = row_values(db, draft, p.v[i], cols, ncols, cells, values);
        if (r == DB_OK && fn(ud, p.v[i], values) != 0)
            break;
    }
    if (cells) {
        explicit_bzero(cells, ncols * ANSWER_VALUE_MAX); /* names, CNICs */
        free(cells);
    }
    free(values);
    free(p.v);
    return r;
}

enum db_result drafts_member_at(struct db *db, int64_t draft, int n, int *position)
{
    if (!db || !position)
        return DB_ERROR;
    if (n < 0)
        return DB_NOT_FOUND;
    sqlite3_stmt *st;
    enum db_result r = db_stmt(db, SQL_MEMBER_AT, &st);
    if (r != DB_OK)
        return r;
    if (sqlite3_bind_int64(st, 1, draft) | sqlite3_bind_int(st, 2, n))
        return bind_failed(db, st, "finding a member");
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *position = sqlite3_column_int(st, 0);
    else if (rc == SQLITE_DONE)
        r = DB_NOT_FOUND;
    else
        r = db_fail(db, rc, "finding a member");
    db_stmt_release(st);
    return r;
}

enum db_result drafts_member_rank(struct db *db, int64_t draft, int position, int *rank)
{
    if (!db || !rank)
        return DB_ERROR;
    sqlite3_stmt *st;
    enum db_result r = db_stmt(db, SQL_MEMBER_RANK, &st);
    if (r != DB_OK)
        return r;
    if (sqlite3_bind_int64(st, 1, draft) | sqlite3_bind_int(st, 2, position))
        return bind_failed(db, st, "ranking a member");
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *rank = sqlite3_column_int(st, 0);
    else
        r = db_fail(db, rc, "ranking a member");
    db_stmt_release(st);
    return r;
}

/* ------------------------------------------------------------------- wipe */

enum db_result drafts_delete(struct db *db, int64_t draft)
{
    if (!db)
        return DB_ERROR;
    enum db_result r = db_begin(db);
    if (r != DB_OK)
        return r;
    sqlite3_stmt *st;
    r = db_stmt(db, SQL_DELETE_DRAFT, &st);
    if (r == DB_OK) {
        if (sqlite3_bind_int64(st, 1, draft))
            r = bind_failed(db, st, "deleting a draft");
        else
            r = db_step_done(db, st, "deleting a draft");
        if (r == DB_OK && sqlite3_changes(db_sqlite(db)) == 0)
            r = DB_NOT_FOUND;
    }
    return finish(db, r);
}

enum db_result drafts_expire(struct db *db, time_t now, long retention_seconds, int *wiped)
{
    char cutoff[DB_TIMESTAMP_LEN + 1];
    if (wiped)
        *wiped = 0;
    if (!db)
        return DB_ERROR;
    if (retention_seconds < 0 || now < 0 || !db_timestamp(now - (time_t)retention_seconds, cutoff))
        return bad_argument(db, "the draft retention time cannot be applied");

    enum db_result r = db_begin(db);
    if (r != DB_OK)
        return r;
    sqlite3_stmt *st;
    int count = 0;
    r = db_stmt(db, SQL_EXPIRE, &st);
    if (r == DB_OK) {
        if (db_bind_text(st, 1, cutoff, DB_TIMESTAMP_LEN, false))
            r = bind_failed(db, st, "wiping old drafts");
        else
            r = db_step_done(db, st, "wiping old drafts");
        /* Drafts only: the cascaded members and answers are not counted. */
        if (r == DB_OK)
            count = sqlite3_changes(db_sqlite(db));
    }
    r = finish(db, r);
    if (r != DB_OK)
        return r;
    if (wiped)
        *wiped = count;
    /*
     * The wiped pages' old images are still in the write-ahead log until
     * it is recycled: copy the zeroed pages into the file and empty the
     * log now. A reader may hold it; then a later checkpoint does it.
     */
    if (count > 0)
        (void)sqlite3_wal_checkpoint_v2(db_sqlite(db), NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL,
                                        NULL);
    return DB_OK;
}

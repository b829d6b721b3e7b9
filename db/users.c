/*
 * users.c - the SQL of accounts and of the lockout counters.
 *
 * Every statement is a fixed string with bound parameters, prepared once
 * per connection; every text read back goes through db_copy_column, so a
 * damaged file cannot overrun a buffer. A failure is counted and its lock
 * set in one BEGIN IMMEDIATE transaction, so two counters racing on the
 * same name cannot lose a failure. Never draws, never prints; never sees a
 * secret (only its Argon2id string); details never hold a name.
 */
#include "users.h"

#include <stdio.h>
#include <string.h>

#include "db_internal.h"
#include "rows.h"

/* ------------------------------------------------------------ statements */

#define USER_COLS                                                                                  \
    "SELECT u.id, u.name, u.role, u.disabled, CAST(strftime('%s', u.created_at) AS INTEGER),"      \
    "  coalesce(CAST(strftime('%s', u.last_login) AS INTEGER), 0), coalesce(a.failures, 0),"       \
    "  coalesce(CAST(strftime('%s', a.locked_until) AS INTEGER), 0), u.secret_hash"                \
    "  FROM users u LEFT JOIN login_attempts a ON a.name = u.name"

static const char SQL_GET[] = USER_COLS " WHERE u.name = ?1";
static const char SQL_LIST[] = USER_COLS " ORDER BY u.name";
static const char SQL_COUNT[] = "SELECT count(*) FROM users";
static const char SQL_EXISTS[] = "SELECT 1 FROM users WHERE name = ?1";
static const char SQL_INSERT[] = "INSERT INTO users (name, role, secret_hash, created_at)"
                                 "  VALUES (?1, ?2, ?3, ?4)";
static const char SQL_SET_HASH[] = "UPDATE users SET secret_hash = ?2 WHERE name = ?1";
static const char SQL_SET_DISABLED[] = "UPDATE users SET disabled = ?2 WHERE name = ?1";
static const char SQL_SET_LOGIN[] = "UPDATE users SET last_login = ?2 WHERE name = ?1";

static const char SQL_ATTEMPT_GET[] =
    "SELECT failures, coalesce(CAST(strftime('%s', locked_until) AS INTEGER), 0),"
    "  CAST(strftime('%s', last_failure) AS INTEGER) FROM login_attempts WHERE name = ?1";
static const char SQL_ATTEMPT_PUT[] =
    "INSERT INTO login_attempts (name, failures, locked_until, last_failure)"
    "  VALUES (?1, ?2, ?3, ?4) ON CONFLICT (name) DO UPDATE SET failures = excluded.failures,"
    "  locked_until = excluded.locked_until, last_failure = excluded.last_failure";
static const char SQL_ATTEMPT_CLEAR[] = "DELETE FROM login_attempts WHERE name = ?1";
static const char SQL_ATTEMPT_PRUNE[] =
    "DELETE FROM login_attempts WHERE name <> ?1 AND last_failure < ?2"
    "  AND (locked_until IS NULL OR locked_until < ?2)";

/* --------------------------------------------------------------- helpers */

static bool name_ok(const char *s, size_t max, size_t *len)
{
    return db_text_fits(s, max + 1, false, len);
}

static enum db_result read_user(struct db *db, sqlite3_stmt *st, struct user_info *out, char *hash,
                                size_t hashsz)
{
    struct user_info u;
    memset(&u, 0, sizeof u);
    char role[16];
    u.id = sqlite3_column_int64(st, 0);
    if (!db_copy_column(st, 1, u.name, sizeof u.name) ||
        !db_copy_column(st, 2, role, sizeof role) ||
        (hash && !db_copy_column(st, 8, hash, hashsz))) {
        db_set_error(db, "users: a stored text does not fit");
        return DB_CORRUPT;
    }
    int r = role_from_name(role);
    if (r < 0) {
        db_set_error(db, "users: unknown role stored");
        return DB_CORRUPT;
    }
    u.role = (enum user_role)r;
    u.disabled = sqlite3_column_int(st, 3) != 0;
    u.created_at = sqlite3_column_int64(st, 4);
    u.last_login = sqlite3_column_int64(st, 5);
    int64_t f = sqlite3_column_int64(st, 6);
    u.failures = f < 0 ? 0 : f > 1000000 ? 1000000 : (int)f;
    u.locked_until = sqlite3_column_int64(st, 7);
    *out = u;
    return DB_OK;
}

/* Runs a bound UPDATE of one account and releases it; DB_NOT_FOUND when none. */
static enum db_result update_one(struct db *db, sqlite3_stmt *st, const char *what)
{
    int rc = sqlite3_step(st);
    enum db_result r = rc == SQLITE_DONE ? DB_OK : db_fail(db, rc, what);
    if (r == DB_OK && sqlite3_changes(db_sqlite(db)) == 0)
        r = DB_NOT_FOUND;
    db_stmt_release(st);
    return r;
}

/* ----------------------------------------------------------------- users */

enum db_result users_get(struct db *db, const char *name, struct user_info *out, char *hash,
                         size_t hashsz)
{
    size_t len;
    if (!db || !out || !name_ok(name, USERS_TYPED_MAX, &len))
        return DB_NOT_FOUND;
    sqlite3_stmt *st;
    enum db_result r = db_stmt(db, SQL_GET, &st);
    if (r != DB_OK)
        return r;
    int rc = db_bind_text(st, 1, name, len, false);
    if (rc != SQLITE_OK) {
        db_stmt_release(st);
        return db_fail(db, rc, "users: binding");
    }
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        r = read_user(db, st, out, hash, hashsz);
    else if (rc == SQLITE_DONE)
        r = DB_NOT_FOUND;
    else
        r = db_fail(db, rc, "users: reading an account");
    db_stmt_release(st);
    return r;
}

enum db_result users_insert(struct db *db, const char *name, enum user_role role, const char *hash,
                            int64_t now)
{
    size_t nlen, hlen;
    char ts[DB_TIMESTAMP_LEN + 1];
    if (!db || !name_ok(name, ACCOUNTS_NAME_MAX, &nlen) ||
        !db_text_fits(hash, USERS_HASH_MAX + 1, false, &hlen) ||
        (role != ROLE_CLERK && role != ROLE_SUPERVISOR) || !db_timestamp((time_t)now, ts)) {
        if (db)
            db_set_error(db, "users: bad account fields");
        return DB_ERROR;
    }
    enum db_result r = db_begin(db);
    if (r != DB_OK)
        return r;
    sqlite3_stmt *st;
    r = db_stmt(db, SQL_EXISTS, &st);
    if (r != DB_OK)
        goto fail;
    int rc = db_bind_text(st, 1, name, nlen, false);
    rc = rc == SQLITE_OK ? sqlite3_step(st) : rc;
    db_stmt_release(st);
    if (rc == SQLITE_ROW) {
        db_rollback(db);
        return DB_FULL;
    }
    if (rc != SQLITE_DONE) {
        r = db_fail(db, rc, "users: looking up a name");
        goto fail;
    }
    r = db_stmt(db, SQL_INSERT, &st);
    if (r != DB_OK)
        goto fail;
    const char *rn = role_name(role);
    if ((rc = db_bind_text(st, 1, name, nlen, false)) != SQLITE_OK ||
        (rc = db_bind_text(st, 2, rn, strlen(rn), false)) != SQLITE_OK ||
        (rc = db_bind_text(st, 3, hash, hlen, false)) != SQLITE_OK ||
        (rc = db_bind_text(st, 4, ts, DB_TIMESTAMP_LEN, false)) != SQLITE_OK) {
        db_stmt_release(st);
        r = db_fail(db, rc, "users: binding");
        goto fail;
    }
    r = db_step_done(db, st, "users: adding an account");
    if (r != DB_OK)
        goto fail;
    return db_commit(db);
fail:
    db_rollback(db);
    return r;
}

static enum db_result set_text(struct db *db, const char *sql, const char *name, const char *value,
                               size_t vlen, const char *what)
{
    size_t nlen;
    if (!db || !name_ok(name, ACCOUNTS_NAME_MAX, &nlen))
        return DB_NOT_FOUND;
    sqlite3_stmt *st;
    enum db_result r = db_stmt(db, sql, &st);
    if (r != DB_OK)
        return r;
    int rc;
    if ((rc = db_bind_text(st, 1, name, nlen, false)) != SQLITE_OK ||
        (rc = db_bind_text(st, 2, value, vlen, false)) != SQLITE_OK) {
        db_stmt_release(st);
        return db_fail(db, rc, "users: binding");
    }
    return update_one(db, st, what);
}

enum db_result users_set_hash(struct db *db, const char *name, const char *hash)
{
    size_t hlen;
    if (!db_text_fits(hash, USERS_HASH_MAX + 1, false, &hlen))
        return DB_ERROR;
    return set_text(db, SQL_SET_HASH, name, hash, hlen, "users: storing a secret's hash");
}

enum db_result users_set_last_login(struct db *db, const char *name, int64_t now)
{
    char ts[DB_TIMESTAMP_LEN + 1];
    if (!db_timestamp((time_t)now, ts))
        return DB_ERROR;
    return set_text(db, SQL_SET_LOGIN, name, ts, DB_TIMESTAMP_LEN, "users: noting a log-in");
}

enum db_result users_set_disabled(struct db *db, const char *name, bool disabled)
{
    size_t nlen;
    if (!db || !name_ok(name, ACCOUNTS_NAME_MAX, &nlen))
        return DB_NOT_FOUND;
    sqlite3_stmt *st;
    enum db_result r = db_stmt(db, SQL_SET_DISABLED, &st);
    if (r != DB_OK)
        return r;
    int rc;
    if ((rc = db_bind_text(st, 1, name, nlen, false)) != SQLITE_OK ||
        (rc = sqlite3_bind_int(st, 2, disabled ? 1 : 0)) != SQLITE_OK) {
        db_stmt_release(st);
        return db_fail(db, rc, "users: binding");
    }
    return update_one(db, st, "users: switching an account");
}

enum db_result users_list(struct db *db, struct user_info *out, size_t max, size_t *n)
{
    if (!db || !n || (max && !out))
        return DB_ERROR;
    *n = 0;
    sqlite3_stmt *st;
    enum db_result r = db_stmt(db, SQL_LIST, &st);
    if (r != DB_OK)
        return r;
    int rc = SQLITE_DONE;
    while (*n < max) {
        rc = sqlite3_step(st);
        if (rc != SQLITE_ROW)
            break;
        r = read_user(db, st, &out[*n], NULL, 0);
        if (r != DB_OK)
            break;
        (*n)++;
    }
    if (r == DB_OK && rc != SQLITE_ROW && rc != SQLITE_DONE)
        r = db_fail(db, rc, "users: listing accounts");
    db_stmt_release(st);
    return r;
}

enum db_result users_count(struct db *db, size_t *n)
{
    if (!db || !n)
        return DB_ERROR;
    sqlite3_stmt *st;
    enum db_result r = db_stmt(db, SQL_COUNT, &st);
    if (r != DB_OK)
        return r;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        sqlite3_int64 c = sqlite3_column_int64(st, 0);
        *n = c < 0 ? 0 : (size_t)c;
    } else {
        r = db_fail(db, rc, "users: counting accounts");
    }
    db_stmt_release(st);
    return r;
}

/* -------------------------------------------------------------- attempts */

static enum db_result attempt_read(struct db *db, const char *typed, size_t len,
                                   struct login_attempt *out)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st;
    enum db_result r = db_stmt(db, SQL_ATTEMPT_GET, &st);
    if (r != DB_OK)
        return r;
    int rc = db_bind_text(st, 1, typed, len, false);
    rc = rc == SQLITE_OK ? sqlite3_step(st) : rc;
    if (rc == SQLITE_ROW) {
        int64_t f = sqlite3_column_int64(st, 0);
        out->failures = f < 0 ? 0 : f > 1000000 ? 1000000 : (int)f;
        out->locked_until = sqlite3_column_int64(st, 1);
        out->last_failure = sqlite3_column_int64(st, 2);
    } else if (rc != SQLITE_DONE) {
        r = db_fail(db, rc, "users: reading login attempts");
    }
    db_stmt_release(st);
    return r;
}

enum db_result users_attempt_get(struct db *db, const char *typed, struct login_attempt *out)
{
    size_t len;
    if (!db || !out || !name_ok(typed, USERS_TYPED_MAX, &len))
        return DB_ERROR;
    return attempt_read(db, typed, len, out);
}

enum db_result users_attempt_failed(struct db *db, const char *typed, int64_t now,
                                    users_lock_fn lock_for, struct login_attempt *out)
{
    size_t len;
    char ts[DB_TIMESTAMP_LEN + 1], until[DB_TIMESTAMP_LEN + 1], old[DB_TIMESTAMP_LEN + 1];
    if (!db || !out || !lock_for || !name_ok(typed, USERS_TYPED_MAX, &len) ||
        !db_timestamp((time_t)now, ts) || !db_timestamp((time_t)(now - USERS_PRUNE_AFTER_S), old))
        return DB_ERROR;
    enum db_result r = db_begin(db);
    if (r != DB_OK)
        return r;
    struct login_attempt a;
    r = attempt_read(db, typed, len, &a);
    if (r != DB_OK)
        goto fail;
    if (a.failures < 1000000)
        a.failures++;
    int lock = lock_for(a.failures);
    a.locked_until = lock > 0 ? now + lock : 0;
    a.last_failure = now;
    if (lock > 0 && !db_timestamp((time_t)a.locked_until, until)) {
        db_set_error(db, "users: lock time out of range");
        r = DB_ERROR;
        goto fail;
    }
    sqlite3_stmt *st;
    r = db_stmt(db, SQL_ATTEMPT_PUT, &st);
    if (r != DB_OK)
        goto fail;
    int rc;
    if ((rc = db_bind_text(st, 1, typed, len, false)) != SQLITE_OK ||
        (rc = sqlite3_bind_int(st, 2, a.failures)) != SQLITE_OK ||
        (rc = db_bind_text(st, 3, lock > 0 ? until : "", lock > 0 ? DB_TIMESTAMP_LEN : 0, true)) !=
            SQLITE_OK ||
        (rc = db_bind_text(st, 4, ts, DB_TIMESTAMP_LEN, false)) != SQLITE_OK) {
        db_stmt_release(st);
        r = db_fail(db, rc, "users: binding");
        goto fail;
    }
    r = db_step_done(db, st, "users: counting a failure");
    if (r != DB_OK)
        goto fail;
    r = db_stmt(db, SQL_ATTEMPT_PRUNE, &st);
    if (r != DB_OK)
        goto fail;
    if ((rc = db_bind_text(st, 1, typed, len, false)) != SQLITE_OK ||
        (rc = db_bind_text(st, 2, old, DB_TIMESTAMP_LEN, false)) != SQLITE_OK) {
        db_stmt_release(st);
        r = db_fail(db, rc, "users: binding");
        goto fail;
    }
    r = db_step_done(db, st, "users: pruning old failures");
    if (r != DB_OK)
        goto fail;
    r = db_commit(db);
    if (r == DB_OK)
        *out = a;
    return r;
fail:
    db_rollback(db);
    return r;
}

enum db_result users_attempt_clear(struct db *db, const char *typed)
{
    size_t len;
    if (!db || !name_ok(typed, USERS_TYPED_MAX, &len))
        return DB_ERROR;
    sqlite3_stmt *st;
    enum db_result r = db_stmt(db, SQL_ATTEMPT_CLEAR, &st);
    if (r != DB_OK)
        return r;
    int rc = db_bind_text(st, 1, typed, len, false);
    if (rc != SQLITE_OK) {
        db_stmt_release(st);
        return db_fail(db, rc, "users: binding");
    }
    return db_step_done(db, st, "users: clearing failures");
}

/*
 * accounts.c - clerk and supervisor accounts: the rules on names and
 * secrets, Argon2id hashing and verifying, the lockout policy.
 *
 * The lock is checked BEFORE any hashing: a locked name is refused
 * without Argon2 time spent, so hammering it gains nothing. An unknown
 * name is verified against a throw-away hash and counted like a known
 * one, so neither the answer, the timing nor the lock tells which names
 * exist. Secrets are never stored, logged or kept longer than a call:
 * copies are wiped with sodium_memzero. Must never print; SQL is
 * db/users.c's.
 */
#include "accounts.h"

#include <sodium.h>
#include <string.h>

#include "../db/users.h"
#include "log.h"

#ifndef N_
#define N_(s) (s)
#endif

#define SECRET_MAX_BYTES 128
#define PIN_MIN          6
#define PASSWORD_MIN     8
#define LOCK_FIRST_S     5

const char *role_name(enum user_role r)
{
    switch (r) {
    case ROLE_CLERK:
        return "clerk";
    case ROLE_SUPERVISOR:
        return "supervisor";
    case ROLE_APPLICANT:
        break;
    }
    return "applicant";
}

int role_from_name(const char *s)
{
    if (!s)
        return -1;
    if (strcmp(s, "clerk") == 0)
        return ROLE_CLERK;
    if (strcmp(s, "supervisor") == 0)
        return ROLE_SUPERVISOR;
    return -1;
}

const char *accounts_secret_problem(const char *secret)
{
    if (!secret || !*secret)
        return N_("Please type a PIN of at least 6 digits or a password of at least 8 characters.");
    size_t bytes = 0, chars = 0;
    bool digits = true;
    for (const unsigned char *p = (const unsigned char *)secret; *p; p++) {
        if (++bytes > SECRET_MAX_BYTES)
            return N_("That secret is too long (at most 128 bytes).");
        if (*p < 0x20 || *p == 0x7f)
            return N_("A secret cannot hold control characters.");
        if ((*p & 0xc0) != 0x80)
            chars++;
        if (*p < '0' || *p > '9')
            digits = false;
    }
    if (digits)
        return chars >= PIN_MIN ? NULL : N_("A PIN needs at least 6 digits.");
    return chars >= PASSWORD_MIN ? NULL : N_("A password needs at least 8 characters.");
}

const char *accounts_name_problem(const char *name)
{
    if (!name)
        return N_("Please type a name.");
    size_t n = 0;
    for (const char *p = name; *p; p++, n++) {
        char c = *p;
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '.' || c == '_' || c == '-';
        if (!ok)
            return N_("A name may hold only letters, digits, dots, dashes and underscores.");
        if (n >= ACCOUNTS_NAME_MAX)
            return N_("A name has at most 32 characters.");
    }
    if (n < 2)
        return N_("A name needs at least 2 characters.");
    return NULL;
}

/* Seconds a name is locked for after its Nth failure in a row. */
static int lock_for(int failures)
{
    if (failures <= ACCOUNTS_FREE_TRIES)
        return 0;
    int s = LOCK_FIRST_S;
    for (int i = ACCOUNTS_FREE_TRIES + 1; i < failures && s < ACCOUNTS_LOCK_MAX_S; i++)
        s *= 2;
    return s > ACCOUNTS_LOCK_MAX_S ? ACCOUNTS_LOCK_MAX_S : s;
}

static int hash_secret(const char *secret, char out[crypto_pwhash_STRBYTES])
{
    if (sodium_init() < 0)
        return -1;
    return crypto_pwhash_str(out, secret, strlen(secret), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                             crypto_pwhash_MEMLIMIT_INTERACTIVE);
}

/* A hash of nothing anyone types, verified against for unknown names so
 * they cost the same time as known ones. Made once per process. */
static const char *dummy_hash(void)
{
    static char h[crypto_pwhash_STRBYTES];
    static bool made;
    if (!made) {
        unsigned char r[16];
        char hex[33];
        randombytes_buf(r, sizeof r);
        sodium_bin2hex(hex, sizeof hex, r, sizeof r);
        if (hash_secret(hex, h) != 0)
            return NULL;
        sodium_memzero(hex, sizeof hex);
        made = true;
    }
    return h;
}

static enum auth_result failed(struct db *db, const char *name, int64_t now, int *wait_s)
{
    struct login_attempt a;
    if (users_attempt_failed(db, name, now, lock_for, &a) != DB_OK) {
        log_msg(LOG_ERROR, "accounts: counting a failure: %s", db_last_error(db));
        return AUTH_ERROR;
    }
    if (a.locked_until > now) {
        if (wait_s)
            *wait_s = (int)(a.locked_until - now);
        return AUTH_LOCKED;
    }
    return AUTH_BAD;
}

enum auth_result accounts_lock_state(struct db *db, const char *name, int64_t now, int *wait_s)
{
    if (wait_s)
        *wait_s = 0;
    struct login_attempt a;
    if (!db || !name || users_attempt_get(db, name, &a) != DB_OK)
        return AUTH_ERROR;
    if (a.locked_until > now) {
        if (wait_s)
            *wait_s = (int)(a.locked_until - now);
        return AUTH_LOCKED;
    }
    return AUTH_OK;
}

enum auth_result accounts_login_proved(struct db *db, const char *name, bool matched, int64_t now,
                                       struct user_info *out, int *wait_s)
{
    enum auth_result lock = accounts_lock_state(db, name, now, wait_s);
    if (lock != AUTH_OK)
        return lock;
    struct user_info u;
    char hash[USERS_HASH_MAX + 1];
    enum db_result r = users_get(db, name, &u, hash, sizeof hash);
    sodium_memzero(hash, sizeof hash);
    if (r != DB_OK && r != DB_NOT_FOUND)
        return AUTH_ERROR;
    if (!matched || r != DB_OK)
        return failed(db, name, now, wait_s);
    if (users_attempt_clear(db, name) != DB_OK)
        return AUTH_ERROR;
    if (u.disabled)
        return AUTH_DISABLED;
    if (users_set_last_login(db, name, now) != DB_OK)
        return AUTH_ERROR;
    u.last_login = now;
    u.failures = 0;
    u.locked_until = 0;
    if (out)
        *out = u;
    return AUTH_OK;
}

enum auth_result accounts_login(struct db *db, const char *name, const char *secret, int64_t now,
                                struct user_info *out, int *wait_s)
{
    if (wait_s)
        *wait_s = 0;
    if (!db || !secret)
        return AUTH_ERROR;
    /* A name that cannot be stored as typed cannot be an account either. */
    size_t nlen = name ? strnlen(name, USERS_TYPED_MAX + 1) : 0;
    if (nlen == 0 || nlen > USERS_TYPED_MAX)
        return AUTH_BAD;
    if (sodium_init() < 0)
        return AUTH_ERROR;

    struct login_attempt a;
    if (users_attempt_get(db, name, &a) != DB_OK) {
        log_msg(LOG_ERROR, "accounts: reading attempts: %s", db_last_error(db));
        return AUTH_ERROR;
    }
    if (a.locked_until > now) {
        if (wait_s)
            *wait_s = (int)(a.locked_until - now);
        return AUTH_LOCKED;
    }

    struct user_info u;
    char hash[USERS_HASH_MAX + 1];
    enum db_result r = users_get(db, name, &u, hash, sizeof hash);
    if (r != DB_OK && r != DB_NOT_FOUND) {
        log_msg(LOG_ERROR, "accounts: reading an account: %s", db_last_error(db));
        return AUTH_ERROR;
    }
    bool known = r == DB_OK;
    const char *against = known ? hash : dummy_hash();
    if (!against)
        return AUTH_ERROR;
    bool right = crypto_pwhash_str_verify(against, secret, strlen(secret)) == 0 && known;
    if (!right) {
        sodium_memzero(hash, sizeof hash);
        return failed(db, name, now, wait_s);
    }

    if (users_attempt_clear(db, name) != DB_OK) {
        log_msg(LOG_ERROR, "accounts: clearing attempts: %s", db_last_error(db));
        return AUTH_ERROR;
    }
    if (u.disabled) {
        sodium_memzero(hash, sizeof hash);
        return AUTH_DISABLED;
    }
    /* Cost settings went up since this hash was made: store a new one. */
    if (crypto_pwhash_str_needs_rehash(hash, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                       crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
        char fresh[crypto_pwhash_STRBYTES];
        if (hash_secret(secret, fresh) == 0 && users_set_hash(db, name, fresh) != DB_OK)
            log_msg(LOG_WARN, "accounts: rehash not stored: %s", db_last_error(db));
        sodium_memzero(fresh, sizeof fresh);
    }
    sodium_memzero(hash, sizeof hash);
    if (users_set_last_login(db, name, now) != DB_OK) {
        log_msg(LOG_ERROR, "accounts: noting a log-in: %s", db_last_error(db));
        return AUTH_ERROR;
    }
    u.last_login = now;
    u.failures = 0;
    u.locked_until = 0;
    if (out)
        *out = u;
    return AUTH_OK;
}

int accounts_add(struct db *db, const char *name, enum user_role role, const char *secret,
                 int64_t now, const char **why)
{
    const char *dummy;
    if (!why)
        why = &dummy;
    *why = NULL;
    if ((*why = accounts_name_problem(name)) != NULL)
        return -1;
    if (role != ROLE_CLERK && role != ROLE_SUPERVISOR) {
        *why = N_("The role must be clerk or supervisor.");
        return -1;
    }
    if ((*why = accounts_secret_problem(secret)) != NULL)
        return -1;
    char h[crypto_pwhash_STRBYTES];
    if (hash_secret(secret, h) != 0) {
        *why = N_("The secret could not be hashed (out of memory?).");
        return -1;
    }
    enum db_result r = users_insert(db, name, role, h, now);
    sodium_memzero(h, sizeof h);
    if (r == DB_FULL) {
        *why = N_("That name is taken.");
        return -1;
    }
    if (r != DB_OK) {
        log_msg(LOG_ERROR, "accounts: adding: %s", db_last_error(db));
        *why = db_result_text(r);
        return -1;
    }
    /* Failures typed under this name before it existed are not its. */
    (void)users_attempt_clear(db, name);
    return 0;
}

int accounts_passwd(struct db *db, const char *name, const char *secret, const char **why)
{
    const char *dummy;
    if (!why)
        why = &dummy;
    *why = NULL;
    if (accounts_name_problem(name) != NULL) {
        *why = N_("There is no such account.");
        return -1;
    }
    if ((*why = accounts_secret_problem(secret)) != NULL)
        return -1;
    char h[crypto_pwhash_STRBYTES];
    if (hash_secret(secret, h) != 0) {
        *why = N_("The secret could not be hashed (out of memory?).");
        return -1;
    }
    enum db_result r = users_set_hash(db, name, h);
    sodium_memzero(h, sizeof h);
    if (r == DB_NOT_FOUND) {
        *why = N_("There is no such account.");
        return -1;
    }
    if (r != DB_OK) {
        log_msg(LOG_ERROR, "accounts: new secret: %s", db_last_error(db));
        *why = db_result_text(r);
        return -1;
    }
    /* A new secret is a fresh start: a supervisor's reset also unlocks. */
    if (users_attempt_clear(db, name) != DB_OK)
        log_msg(LOG_WARN, "accounts: clearing attempts: %s", db_last_error(db));
    return 0;
}

int accounts_set_disabled(struct db *db, const char *name, bool disabled, const char **why)
{
    const char *dummy;
    if (!why)
        why = &dummy;
    *why = NULL;
    enum db_result r =
        accounts_name_problem(name) ? DB_NOT_FOUND : users_set_disabled(db, name, disabled);
    if (r == DB_NOT_FOUND) {
        *why = N_("There is no such account.");
        return -1;
    }
    if (r != DB_OK) {
        log_msg(LOG_ERROR, "accounts: switching: %s", db_last_error(db));
        *why = db_result_text(r);
        return -1;
    }
    return 0;
}

int accounts_list(struct db *db, struct user_info *out, size_t max, size_t *n)
{
    if (users_list(db, out, max, n) != DB_OK) {
        log_msg(LOG_ERROR, "accounts: listing: %s", db ? db_last_error(db) : "no db");
        return -1;
    }
    return 0;
}

int accounts_count(struct db *db, size_t *n)
{
    if (users_count(db, n) != DB_OK) {
        log_msg(LOG_ERROR, "accounts: counting: %s", db ? db_last_error(db) : "no db");
        return -1;
    }
    return 0;
}

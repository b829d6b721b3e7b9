/*
 * accounts.h - clerk and supervisor accounts: names, roles, secrets hashed
 * with Argon2id (libsodium crypto_pwhash_str), lockout after repeated
 * failures with a growing delay, disabling.
 *
 * Applicants have no account. A secret is a PIN of at least 6 digits or a
 * password of at least 8 characters. Lockout: the first
 * ACCOUNTS_FREE_TRIES failures in a row cost nothing; each further one
 * locks the name for 5 s, then 10, 20, ... up to 15 minutes, and while it
 * is locked every attempt is refused without looking at the secret (so a
 * brute-force loop learns nothing and gains no speed). A success resets
 * the count. An unknown name counts like a known one (no way to probe
 * which names exist). Never prints; never logs a secret; SQL is
 * db/users.c's.
 */
#ifndef NSER_ACCOUNTS_H
#define NSER_ACCOUNTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../db/db.h"

#define ACCOUNTS_NAME_MAX   32 /* letters, digits, . _ - ; 2-32 characters */
#define ACCOUNTS_FREE_TRIES 3
#define ACCOUNTS_LOCK_MAX_S 900

enum user_role {
    ROLE_APPLICANT = 0, /* nobody logged in */
    ROLE_CLERK,
    ROLE_SUPERVISOR,
};

struct user_info {
    int64_t id;
    char name[ACCOUNTS_NAME_MAX + 1];
    enum user_role role;
    bool disabled;
    int64_t created_at;
    int64_t last_login; /* 0 never */
    int failures;       /* in a row */
    int64_t locked_until;
};

enum auth_result {
    AUTH_OK = 0,
    AUTH_BAD,      /* wrong name or secret */
    AUTH_LOCKED,   /* try again in *WAIT_S seconds */
    AUTH_DISABLED, /* the account is switched off */
    AUTH_ERROR,    /* the database */
};

/* "clerk" / "supervisor"; role_from_name returns -1 for anything else. */
const char *role_name(enum user_role r);
int role_from_name(const char *s);

/* NULL when SECRET is acceptable, else an untranslated message id. */
const char *accounts_secret_problem(const char *secret);
/* NULL when NAME is acceptable, else a message id. */
const char *accounts_name_problem(const char *name);

/* Checks NAME and SECRET at NOW; on AUTH_OK fills OUT. On AUTH_LOCKED
 * (also the failure that starts a lock) *WAIT_S is the seconds left. */
enum auth_result accounts_login(struct db *db, const char *name, const char *secret, int64_t now,
                                struct user_info *out, int *wait_s);

/* As accounts_login for a log-in proved another way (a fingerprint that
 * MATCHED or not): the same lock, the same count of failures, the same
 * checks of a switched-off account. */
enum auth_result accounts_login_proved(struct db *db, const char *name, bool matched, int64_t now,
                                       struct user_info *out, int *wait_s);
/* AUTH_LOCKED (with *WAIT_S) when NAME may not try just now, else AUTH_OK. */
enum auth_result accounts_lock_state(struct db *db, const char *name, int64_t now, int *wait_s);

/* 0, or -1 with a message id in *WHY (name taken, bad name, weak secret,
 * the database). */
int accounts_add(struct db *db, const char *name, enum user_role role, const char *secret,
                 int64_t now, const char **why);
int accounts_passwd(struct db *db, const char *name, const char *secret, const char **why);
int accounts_set_disabled(struct db *db, const char *name, bool disabled, const char **why);
/* All accounts by name. 0 or -1. */
int accounts_list(struct db *db, struct user_info *out, size_t max, size_t *n);
/* How many accounts exist (the first one may be made without logging in). */
int accounts_count(struct db *db, size_t *n);

#endif

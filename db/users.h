/*
 * users.h - the SQL of accounts: the users table (names, roles, Argon2id
 * strings) and login_attempts (failures in a row and the lock, per name
 * as typed, known or not).
 *
 * Policy (what a secret must look like, how long a lock lasts, when to
 * verify) is kiosk/accounts.c's; this file only stores and reads. Never
 * draws, never prints; never receives a secret, only its hash string;
 * every statement has bound parameters; error details never hold a name.
 */
#ifndef NSER_DB_USERS_H
#define NSER_DB_USERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../kiosk/accounts.h"
#include "db.h"

#define USERS_HASH_MAX      255 /* the schema's limit on secret_hash */
#define USERS_TYPED_MAX     64  /* login_attempts.name: bytes of a typed name */
#define USERS_PRUNE_AFTER_S 86400

/*
 * The account NAME into OUT (failures and locked_until from its
 * login_attempts row, 0 when none) and, when HASH is not NULL, its stored
 * Argon2id string. DB_NOT_FOUND when there is no such account.
 */
enum db_result users_get(struct db *db, const char *name, struct user_info *out, char *hash,
                         size_t hashsz);

/* A new account; DB_FULL when the name is taken (nothing written). */
enum db_result users_insert(struct db *db, const char *name, enum user_role role, const char *hash,
                            int64_t now);
/* DB_NOT_FOUND when there is no such account. */
enum db_result users_set_hash(struct db *db, const char *name, const char *hash);
enum db_result users_set_disabled(struct db *db, const char *name, bool disabled);
enum db_result users_set_last_login(struct db *db, const char *name, int64_t now);

/* All accounts by name: up to MAX into OUT; *N is how many were copied. */
enum db_result users_list(struct db *db, struct user_info *out, size_t max, size_t *n);
enum db_result users_count(struct db *db, size_t *n);

/* The lock state of a TYPED name (1-64 bytes); zeros when it has no row. */
struct login_attempt {
    int failures;
    int64_t locked_until; /* 0 none */
    int64_t last_failure; /* 0 none */
};
enum db_result users_attempt_get(struct db *db, const char *typed, struct login_attempt *out);

/*
 * One more failure for TYPED at NOW, in one transaction: the count goes
 * up by one, LOCK_FOR(new count) gives the seconds to lock for (0: no
 * lock), and the new state comes back in *OUT. Also prunes rows of other
 * names with no lock in force whose last failure is USERS_PRUNE_AFTER_S
 * old, so the table cannot grow without bound.
 */
typedef int (*users_lock_fn)(int failures);
enum db_result users_attempt_failed(struct db *db, const char *typed, int64_t now,
                                    users_lock_fn lock_for, struct login_attempt *out);
/* Forgets TYPED's failures (a success, or a new secret). */
enum db_result users_attempt_clear(struct db *db, const char *typed);

#endif

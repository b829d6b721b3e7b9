/*
 * audit.h - the audit trail: every clerk and supervisor action and every
 * applicant status check, in an append-only table whose rows are
 * hash-chained: each row's MAC covers its own fields and the previous
 * row's MAC, keyed with a secret kept in the key folder (audit.key, 32
 * random bytes, 0600, made on first use). Editing, deleting or inserting a
 * row anywhere breaks the chain from there on, and `nser-kiosk audit
 * verify` names the first broken row.
 *
 * A status check is recorded without the CNIC in clear: the subject is a
 * keyed hash of it (audit_subject_cnic). Details never hold a CNIC, a name
 * or a secret. SQL is db/audit_store.c's; never prints.
 */
#ifndef NSER_AUDIT_H
#define NSER_AUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../db/db.h"

enum audit_action {
    AUDIT_LOGIN = 0,
    AUDIT_LOGIN_FAILED,
    AUDIT_LOCKED_OUT,
    AUDIT_LOGOUT,
    AUDIT_REGISTRATION, /* subject: tracking ID */
    AUDIT_UPDATE,       /* subject: tracking ID of the new version */
    AUDIT_DRAFT_OPENED, /* a clerk opened a draft (hand-off); subject: draft number */
    AUDIT_REPRINT,      /* subject: tracking ID */
    AUDIT_SYNC_EXPORT,  /* subject: batch number */
    AUDIT_SYNC_IMPORT,  /* detail: counts */
    AUDIT_ACCOUNT_ADD,  /* subject: the account's name */
    AUDIT_ACCOUNT_PASSWD,
    AUDIT_ACCOUNT_DISABLE,
    AUDIT_ACCOUNT_ENABLE,
    AUDIT_STATUS_CHECK,  /* actor "applicant" or the clerk; subject: keyed hash or tracking ID */
    AUDIT_PRIVACY_PURGE, /* detail: how many registrations were trimmed */
    /* Fingerprints: that something happened, never the print. */
    AUDIT_FP_CAPTURE,   /* a finger enrolled; subject: draft number or account; detail: finger */
    AUDIT_FP_MATCH,     /* a returning head's finger matched; subject: draft number */
    AUDIT_FP_FALLBACK,  /* no check was possible or it failed: the clerk decides; detail: why */
    AUDIT_FP_EXCEPTION, /* no usable finger, signed off; subject: draft number; detail: reason */
    AUDIT_FP_APPROVE,   /* a supervisor approved a clerk's print for log-in; subject: account */
    AUDIT_ACTION_COUNT
};

#define AUDIT_ACTOR_MAX   32
#define AUDIT_SUBJECT_MAX 64
#define AUDIT_DETAIL_MAX  160

struct audit_entry {
    int64_t id;
    int64_t at;                      /* Unix seconds */
    char actor[AUDIT_ACTOR_MAX + 1]; /* an account's name, or "applicant", "system" */
    enum audit_action action;
    char subject[AUDIT_SUBJECT_MAX + 1];
    char detail[AUDIT_DETAIL_MAX + 1];
};

struct audit;

/* Opens the trail on DB with the key in KEY_DIR (made if missing). NULL
 * with a reason in ERR. */
struct audit *audit_open(struct db *db, const char *key_dir, char *err, size_t errsz);
void audit_free(struct audit *a);

/* "login", "registration", ... (stable codes, stored); and back (-1). */
const char *audit_action_code(enum audit_action a);
int audit_action_from_code(const char *s);

/* Appends one entry at NOW in its own transaction. 0 or -1. */
int audit_log(struct audit *a, int64_t now, const char *actor, enum audit_action action,
              const char *subject, const char *detail);

/*
 * As audit_log, for a caller that already holds a write transaction on the
 * same db (the registration's in_tx hook, db/registry.h): the entry is
 * written in it, and goes if that transaction is rolled back. 0 or -1.
 */
int audit_log_tx(struct audit *a, int64_t now, const char *actor, enum audit_action action,
                 const char *subject, const char *detail);

/* SUBJECT for a status check by CNIC: "cnic:" + the first 16 hex digits
 * of a keyed BLAKE2b of the 13 digits. */
void audit_subject_cnic(const struct audit *a, const char *cnic_digits, char *out, size_t outsz);

/* Walks the whole chain. 0 when intact (*CHECKED rows); 1 when broken, with
 * the first bad row's id in *BAD_ID and why in WHY; -1 on a database error. */
int audit_verify(struct audit *a, int64_t *checked, int64_t *bad_id, char *why, size_t whysz);

/* Up to MAX entries with id < BEFORE (0: the newest), newest first. */
int audit_page(struct audit *a, int64_t before, struct audit_entry *out, size_t max, size_t *n);

#endif

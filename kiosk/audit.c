/*
 * audit.c - the audit trail's keys and MACs: each row's MAC is BLAKE2b-256
 * keyed with KEY_DIR/audit.key over a length-prefixed encoding of its
 * fields and the previous row's MAC, so no two different rows encode
 * alike and no row can be edited, removed or slipped in without the chain
 * breaking from there on (docs/audit.md).
 *
 * The SQL is db/audit_store.c's; this file holds the key, builds and checks
 * MACs and refuses entries that could carry personal data (a CNIC in the
 * clear). It must never print, never log a subject or a detail, and never
 * let the key leave this struct (it is wiped on free).
 */
#include "audit.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../db/audit_store.h"
#include "errbuf.h"
#include "keyfile.h"
#include "log.h"
#include "utf8.h"

#define KEY_BYTES 32
#define KEY_NAME  "audit.key"

_Static_assert(AUDIT_ACTOR_MAX == AUDIT_ROW_ACTOR_MAX, "actor sizes agree");
_Static_assert(AUDIT_SUBJECT_MAX == AUDIT_ROW_SUBJECT_MAX, "subject sizes agree");
_Static_assert(AUDIT_DETAIL_MAX == AUDIT_ROW_DETAIL_MAX, "detail sizes agree");

struct audit {
    struct db *db;
    unsigned char key[KEY_BYTES];
};

/* Stored codes: never renamed, since rows already written hold them. */
static const char *const CODES[AUDIT_ACTION_COUNT] = {
    [AUDIT_LOGIN] = "login",
    [AUDIT_LOGIN_FAILED] = "login_failed",
    [AUDIT_LOCKED_OUT] = "locked_out",
    [AUDIT_LOGOUT] = "logout",
    [AUDIT_REGISTRATION] = "registration",
    [AUDIT_UPDATE] = "update",
    [AUDIT_DRAFT_OPENED] = "draft_opened",
    [AUDIT_REPRINT] = "reprint",
    [AUDIT_SYNC_EXPORT] = "sync_export",
    [AUDIT_SYNC_IMPORT] = "sync_import",
    [AUDIT_ACCOUNT_ADD] = "account_add",
    [AUDIT_ACCOUNT_PASSWD] = "account_passwd",
    [AUDIT_ACCOUNT_DISABLE] = "account_disable",
    [AUDIT_ACCOUNT_ENABLE] = "account_enable",
    [AUDIT_STATUS_CHECK] = "status_check",
    [AUDIT_PRIVACY_PURGE] = "privacy_purge",
    [AUDIT_FP_CAPTURE] = "fp_capture",
    [AUDIT_FP_MATCH] = "fp_match",
    [AUDIT_FP_FALLBACK] = "fp_fallback",
    [AUDIT_FP_EXCEPTION] = "fp_exception",
    [AUDIT_FP_APPROVE] = "fp_approve",
};

const char *audit_action_code(enum audit_action a)
{
    if ((int)a < 0 || a >= AUDIT_ACTION_COUNT)
        return "unknown";
    return CODES[a];
}

int audit_action_from_code(const char *s)
{
    if (!s)
        return -1;
    for (int i = 0; i < AUDIT_ACTION_COUNT; i++)
        if (strcmp(s, CODES[i]) == 0)
            return i;
    return -1;
}

/* ------------------------------------------------------------------- key */

static int load_or_make_key(const char *dir, unsigned char key[KEY_BYTES], char *err, size_t errsz)
{
    int got = keyfile_read(dir, KEY_NAME, key, KEY_BYTES, err, errsz);
    if (got != 0)
        return got > 0 ? 0 : -1;
    if (keyfile_make(dir, KEY_NAME, KEY_BYTES, err, errsz) != 0)
        return -1;
    log_msg(LOG_INFO, "audit: made a new audit key in %s", dir);
    /* Read back what is on disk, so whatever this process uses is the key file. */
    return keyfile_read(dir, KEY_NAME, key, KEY_BYTES, err, errsz) == 1 ? 0 : -1;
}

struct audit *audit_open(struct db *db, const char *key_dir, char *err, size_t errsz)
{
    if (!db || !key_dir || !*key_dir) {
        err_set(err, errsz, "no database or key folder given");
        return NULL;
    }
    if (sodium_init() < 0) {
        err_set(err, errsz, "the crypto library cannot start");
        return NULL;
    }
    struct audit *a = sodium_malloc(sizeof *a);
    if (!a) {
        err_set(err, errsz, "out of memory");
        return NULL;
    }
    a->db = db;
    if (load_or_make_key(key_dir, a->key, err, errsz) != 0) {
        audit_free(a);
        return NULL;
    }
    return a;
}

void audit_free(struct audit *a)
{
    if (a)
        sodium_free(a); /* wipes the key */
}

/* ------------------------------------------------------------------- MAC */

static void put_field(crypto_generichash_state *h, const char *s)
{
    size_t n = strlen(s);
    unsigned char len[4] = {(unsigned char)(n >> 24), (unsigned char)(n >> 16),
                            (unsigned char)(n >> 8), (unsigned char)n};
    crypto_generichash_update(h, len, sizeof len);
    crypto_generichash_update(h, (const unsigned char *)s, n);
}

/* The MAC of ROW's fields and prev_mac, as 64 lower-case hex digits into HEX. */
static void row_mac(const struct audit *a, const struct audit_row *row, char hex[AUDIT_MAC_HEX + 1])
{
    static const char TAG[] = "nser-audit-row-v1";
    char id[24];
    snprintf(id, sizeof id, "%lld", (long long)row->id);
    crypto_generichash_state h;
    unsigned char out[32];
    crypto_generichash_init(&h, a->key, KEY_BYTES, sizeof out);
    put_field(&h, TAG);
    put_field(&h, id);
    put_field(&h, row->at);
    put_field(&h, row->actor);
    put_field(&h, row->action);
    put_field(&h, row->subject);
    put_field(&h, row->detail);
    put_field(&h, row->prev_mac);
    crypto_generichash_final(&h, out, sizeof out);
    sodium_bin2hex(hex, AUDIT_MAC_HEX + 1, out, sizeof out);
    sodium_memzero(&h, sizeof h);
}

static int mac_cb(void *ud, struct audit_row *row)
{
    row_mac(ud, row, row->mac);
    return 0;
}

void audit_subject_cnic(const struct audit *a, const char *cnic_digits, char *out, size_t outsz)
{
    static const char TAG[] = "nser-audit-cnic-v1";
    if (!out || outsz == 0)
        return;
    out[0] = '\0';
    if (!a || !cnic_digits || strlen(cnic_digits) != 13 ||
        strspn(cnic_digits, "0123456789") != 13 || outsz < 5 + 16 + 1)
        return;
    crypto_generichash_state h;
    unsigned char sum[32];
    crypto_generichash_init(&h, a->key, KEY_BYTES, sizeof sum);
    put_field(&h, TAG);
    put_field(&h, cnic_digits);
    crypto_generichash_final(&h, sum, sizeof sum);
    memcpy(out, "cnic:", 5);
    sodium_bin2hex(out + 5, 17, sum, 8);
    sodium_memzero(&h, sizeof h);
    sodium_memzero(sum, sizeof sum);
}

/* -------------------------------------------------------------- append */

/* UTF-8 text without control characters, of at most MAX bytes. */
static bool clean_text(const char *s, size_t max, bool empty_ok)
{
    if (!s)
        return empty_ok;
    size_t n = strnlen(s, max + 1);
    if (n > max || (n == 0 && !empty_ok))
        return false;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
            return false;
    /* Valid UTF-8 only: a batch carries it as JSON text, which must be. */
    return utf8_valid(s, n);
}

/*
 * True when S holds what looks like a CNIC in the clear: a run of exactly
 * 13 digits, or 5-7-1 digits with dashes. Tracking IDs (16 digits) and
 * counts pass.
 */
static bool holds_cnic(const char *s)
{
    if (!s)
        return false;
    for (size_t i = 0; s[i];) {
        size_t run = strspn(s + i, "0123456789");
        if (run == 0) {
            i++;
            continue;
        }
        if (run == 13)
            return true;
        if (run == 5 && s[i + 5] == '-' && strspn(s + i + 6, "0123456789") == 7 &&
            s[i + 13] == '-' && strspn(s + i + 14, "0123456789") == 1)
            return true;
        i += run;
    }
    return false;
}

static int log_entry(struct audit *a, bool own_tx, int64_t now, const char *actor,
                     enum audit_action action, const char *subject, const char *detail)
{
    if (!a)
        return -1;
    if (!subject)
        subject = "";
    if (!detail)
        detail = "";
    if ((int)action < 0 || action >= AUDIT_ACTION_COUNT ||
        !clean_text(actor, AUDIT_ACTOR_MAX, false) ||
        !clean_text(subject, AUDIT_SUBJECT_MAX, true) ||
        !clean_text(detail, AUDIT_DETAIL_MAX, true) || holds_cnic(subject) || holds_cnic(detail)) {
        /* The refused text is not logged: it may be the very CNIC refused. */
        log_msg(LOG_ERROR, "audit: refused an entry for %s (bad actor, subject or detail)",
                audit_action_code(action));
        return -1;
    }
    struct audit_row row;
    memset(&row, 0, sizeof row);
    time_t t = (time_t)now;
    struct tm utc;
    if (now < 0 || !gmtime_r(&t, &utc) ||
        strftime(row.at, sizeof row.at, "%Y-%m-%dT%H:%M:%SZ", &utc) != AUDIT_ROW_AT_LEN) {
        log_msg(LOG_ERROR, "audit: refused an entry with a bad time");
        return -1;
    }
    strcpy(row.actor, actor);
    strcpy(row.action, CODES[action]);
    strcpy(row.subject, subject);
    strcpy(row.detail, detail);
    enum db_result r = audit_store_append(a->db, own_tx, &row, mac_cb, a);
    if (r != DB_OK) {
        log_msg(LOG_ERROR, "audit: %s", db_last_error(a->db));
        return -1;
    }
    return 0;
}

int audit_log(struct audit *a, int64_t now, const char *actor, enum audit_action action,
              const char *subject, const char *detail)
{
    return log_entry(a, true, now, actor, action, subject, detail);
}

int audit_log_tx(struct audit *a, int64_t now, const char *actor, enum audit_action action,
                 const char *subject, const char *detail)
{
    return log_entry(a, false, now, actor, action, subject, detail);
}

/* --------------------------------------------------------------- verify */

struct walk {
    const struct audit *a;
    int64_t prev_id;
    char prev_mac[AUDIT_MAC_HEX + 1];
    int64_t checked;
    int64_t bad_id;
    char why[160];
};

static int verify_row(void *ud, const struct audit_row *row)
{
    struct walk *w = ud;
    char want[AUDIT_MAC_HEX + 1];

    w->bad_id = row->id;
    if (row->id != w->prev_id + 1) {
        snprintf(w->why, sizeof w->why, "row %lld: row %lld is missing", (long long)row->id,
                 (long long)(w->prev_id + 1));
        return 1;
    }
    if (strcmp(row->prev_mac, w->prev_mac) != 0) {
        if (w->prev_id == 0)
            snprintf(w->why, sizeof w->why, "row %lld: does not start the chain",
                     (long long)row->id);
        else
            snprintf(w->why, sizeof w->why,
                     "row %lld: does not follow row %lld (inserted or replaced)",
                     (long long)row->id, (long long)w->prev_id);
        return 1;
    }
    row_mac(w->a, row, want);
    if (strlen(row->mac) != AUDIT_MAC_HEX || sodium_memcmp(want, row->mac, AUDIT_MAC_HEX) != 0) {
        snprintf(w->why, sizeof w->why, "row %lld: changed", (long long)row->id);
        return 1;
    }
    w->prev_id = row->id;
    memcpy(w->prev_mac, row->mac, sizeof w->prev_mac);
    w->checked++;
    w->bad_id = 0;
    return 0;
}

int audit_verify(struct audit *a, int64_t *checked, int64_t *bad_id, char *why, size_t whysz)
{
    struct walk w;
    memset(&w, 0, sizeof w);
    w.a = a;
    memset(w.prev_mac, '0', AUDIT_MAC_HEX);
    if (checked)
        *checked = 0;
    if (bad_id)
        *bad_id = 0;
    if (why && whysz)
        why[0] = '\0';
    if (!a)
        return -1;
    int stopped = 0;
    enum db_result r = audit_store_walk(a->db, 0, 0, verify_row, &w, &stopped);
    if (checked)
        *checked = w.checked;
    if (r == DB_CORRUPT) {
        /* A row too long for its column was written past the schema's CHECKs. */
        if (bad_id)
            *bad_id = w.prev_id + 1;
        err_set(why, whysz, "row after %lld: damaged (%s)", (long long)w.prev_id,
                db_last_error(a->db));
        return 1;
    }
    if (r != DB_OK) {
        err_set(why, whysz, "%s", db_last_error(a->db));
        return -1;
    }
    if (stopped) {
        if (bad_id)
            *bad_id = w.bad_id;
        err_set(why, whysz, "%s", w.why);
        return 1;
    }
    return 0;
}

/* ----------------------------------------------------------------- page */

int audit_page(struct audit *a, int64_t before, struct audit_entry *out, size_t max, size_t *n)
{
    if (n)
        *n = 0;
    if (!a || !n || (max && !out))
        return -1;
    struct audit_row rows[32];
    size_t done = 0;
    while (done < max) {
        size_t want = max - done < 32 ? max - done : 32, got = 0;
        if (audit_store_page(a->db, before, rows, want, &got) != DB_OK) {
            log_msg(LOG_ERROR, "audit: %s", db_last_error(a->db));
            return -1;
        }
        for (size_t i = 0; i < got; i++) {
            struct audit_entry *e = &out[done + i];
            memset(e, 0, sizeof *e);
            e->id = rows[i].id;
            if (!audit_parse_time(rows[i].at, &e->at))
                e->at = 0;
            int act = audit_action_from_code(rows[i].action);
            e->action = act < 0 ? AUDIT_ACTION_COUNT : (enum audit_action)act;
            memcpy(e->actor, rows[i].actor, sizeof e->actor);
            memcpy(e->subject, rows[i].subject, sizeof e->subject);
            memcpy(e->detail, rows[i].detail, sizeof e->detail);
            before = rows[i].id;
        }
        done += got;
        if (got < want)
            break;
    }
    *n = done;
    return 0;
}

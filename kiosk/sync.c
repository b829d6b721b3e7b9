/*
 * sync.c - the kiosk's side of store-and-forward sync (docs/sync.md):
 * export the next batch of unacknowledged records, import the registry's
 * acknowledgements, report how far behind the kiosk is.
 *
 * Export writes the file first and records it second, and never the
 * other way round, so that a kill -9 (or a power cut) at any instant
 * leaves one of three states, each of which the next run repairs:
 *
 *   1. before the rename of .NAME.tmp: no batch file (at most a .tmp,
 *      which a transport ignores and the next write replaces) and no
 *      sync_batches row. The next export takes the same number again.
 *   2. after the rename (file fsync'd, folder fsync'd), before the
 *      transaction commits: the file is there, its row is not and its
 *      records are not marked exported. The next export takes the same
 *      number again and overwrites the file with the same records (oldest
 *      first) plus any newer ones. If a transport already carried the
 *      first file away, the registry sees two files with one number; it
 *      applies records idempotently by (uuid, version), so nothing is
 *      doubled, and anything it did not take from the second file is not
 *      acknowledged and so goes again in the next batch: nothing is lost.
 *      An acknowledgement may even name records whose export was never
 *      recorded here; the import then sets exported_at with acked_at.
 *   3. after the commit: file and row both there, records marked.
 *
 * The one state that cannot occur is a row without its file (a batch the
 * kiosk believes written but that no transport can ever carry), because
 * the row is committed only after atomic_write has made the file durable.
 * Records count as sent only when an acknowledgement names them, so
 * exported_at/batch_no are bookkeeping, never a reason to leave a record
 * out of a batch.
 *
 * A batch also carries the audit rows written since the last batch
 * recorded (sync_batches.audit_upto) and the trail's head (count, last
 * id, last MAC), so the registry can see rows deleted at the end of the
 * trail, which the chain alone cannot show (docs/audit.md). A batch of
 * audit rows alone is written only when one of them is not a
 * sync_export entry: otherwise logging each export would make every
 * export write a batch for the entry of the one before.
 *
 * A household's fingerprint (or its exception record) rides in its record,
 * opened from the vault only to go into the sealed batch; the JSON text is
 * wiped when freed. The import that acknowledges a record wipes the print
 * (db/sync_store.c). Staff prints never leave the kiosk.
 *
 * Import verifies (signature by central.pub), opens (our box key), parses
 * strictly (kiosk/sync_ack.c) and applies each file in one transaction
 * (db/sync_store.c); a bad file is refused with its reason and the others
 * still apply. Never draws, never prints; the log gets counts and file
 * numbers, never a CNIC, a name or a tracking ID.
 */
#include "sync.h"
#include "errbuf.h"

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../db/audit_store.h"
#include "../db/biometrics.h"
#include "../db/registry.h"
#include "../db/sync_store.h"
#include "atomic_file.h"
#include "biometric_vault.h"
#include "envelope.h"
#include "keystore.h"
#include "log.h"
#include "sync_ack.h"

#define PROGRESS_EVERY 500
/* Audit rows a batch carries at most; a longer backlog goes over several. */
#define AUDIT_BATCH_MAX 5000
/* The largest acknowledgement file the envelope allows. */
#define ACK_FILE_MAX ((size_t)ENVELOPE_HEADER + ENVELOPE_MAX_PAYLOAD + 48 + ENVELOPE_SIG)

/* The crypto library started, and the kiosk's own keys and the registry's
 * public key loaded and checked to belong together. */
static int load_keys(const struct config *cfg, struct keystore **ks, struct public_key *central,
                     char *err, size_t errsz)
{
    if (err && errsz)
        err[0] = '\0';
    if (keys_crypto_init() != 0)
        return err_set(err, errsz, "the crypto library could not start");
    char why[256];
    *ks = keystore_load(cfg->key_dir, "kiosk", why, sizeof why);
    if (!*ks)
        return err_set(err, errsz, "no kiosk keys (%s): run nser-kiosk keys init", why);
    const struct public_key *me = keystore_public(*ks);
    if (strcmp(me->id, cfg->kiosk_code) != 0) {
        keystore_free(*ks);
        *ks = NULL;
        return err_set(err, errsz, "the keys in %s belong to kiosk %s, not %s", cfg->key_dir,
                       me->id, cfg->kiosk_code);
    }
    char path[CONFIG_PATH_MAX + 16];
    snprintf(path, sizeof path, "%s/central.pub", cfg->key_dir);
    if (public_key_load(path, central, why, sizeof why) != 0 ||
        strcmp(central->role, "central") != 0) {
        keystore_free(*ks);
        *ks = NULL;
        return err_set(
            err, errsz,
            "no registry key in %s: install it with nser-kiosk keys install-central FILE",
            cfg->key_dir);
    }
    return 0;
}

static bool iso_utc(time_t t, char out[21])
{
    struct tm tm;
    return gmtime_r(&t, &tm) && strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm) == 20;
}

/* ---------------------------------------------------------------- export */

static int add_answer(void *ud, int member, const char *question, const char *value)
{
    json_t *arr = ud;
    json_t *row = json_pack("[iss]", member, question, value);
    return !row || json_array_append_new(arr, row) != 0;
}

static json_t *score_json(struct db *db, int64_t id, bool *ok)
{
    struct registration_score s;
    enum db_result r = registry_load_score(db, id, &s);
    *ok = r == DB_OK || r == DB_NOT_FOUND;
    if (r != DB_OK)
        return json_null();
    json_t *o = json_pack("{s:s, s:s, s:f, s:s, s:s, s:s}", "table_id", s.table_id, "table_version",
                          s.table_version, "score", s.score, "breakdown", s.breakdown, "decisions",
                          s.decisions, "thresholds_id", s.thresholds_id);
    if (o && json_object_set_new(o, "thresholds_version", json_string(s.thresholds_version)))
        *ok = false;
    /* No thresholds: null, as the store keeps them. */
    if (o && s.thresholds_id[0] == '\0' &&
        (json_object_set_new(o, "thresholds_id", json_null()) ||
         json_object_set_new(o, "thresholds_version", json_null())))
        *ok = false;
    if (!o)
        *ok = false;
    return o ? o : json_null();
}

/* The biometric key, opened the first time a record has a print to send. */
struct export_vault {
    const char *key_dir;
    struct bio_vault *v;
};

/* BYTES as a base64 JSON string; the text buffer is wiped before it is freed. */
static json_t *b64_json(const uint8_t *bytes, size_t n)
{
    size_t tlen = sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_ORIGINAL);
    char *text = malloc(tlen);
    if (!text)
        return NULL;
    sodium_bin2base64(text, tlen, bytes, n, sodium_base64_VARIANT_ORIGINAL);
    json_t *s = json_string(text);
    sodium_memzero(text, tlen);
    free(text);
    return s;
}

/*
 * The record's "fingerprint" (docs/sync.md): null when none is kept (none
 * taken, or sent and wiped already), an exception, or the print opened from
 * the vault with its image. Staff prints are never read here.
 */
static json_t *fingerprint_json(struct db *db, int64_t registration_id, struct export_vault *ev,
                                bool *ok, char *err, size_t errsz)
{
    *ok = false;
    struct bio_info info;
    uint8_t *sealed = NULL;
    size_t slen = 0;
    enum db_result r = sync_store_print(db, registration_id, &info, &sealed, &slen);
    if (r == DB_NOT_FOUND) {
        *ok = true;
        return json_null();
    }
    if (r != DB_OK) {
        err_set(err, errsz, "reading a record's fingerprint: %s", db_last_error(db));
        return NULL;
    }
    char at[21];
    if (!iso_utc(info.captured_at, at)) {
        free(sealed);
        err_set(err, errsz, "a record's fingerprint has no valid time");
        return NULL;
    }
    if (!sealed) {
        json_t *o = json_pack("{s:s, s:s, s:s, s:s}", "kind", "exception", "reason", info.exception,
                              "signed_off_by", info.signed_off_by, "recorded_at", at);
        *ok = o != NULL;
        if (!o)
            err_set(err, errsz, "a fingerprint exception could not be put in the batch");
        return o;
    }
    char why[256];
    if (!ev->v && !(ev->v = bio_vault_open(ev->key_dir, 0, why, sizeof why))) {
        free(sealed);
        err_set(err, errsz, "the fingerprint key cannot be used: %s", why);
        return NULL;
    }
    struct fp_capture *cap = NULL;
    int rc = bio_vault_unseal(ev->v, sealed, slen, &cap, why, sizeof why);
    free(sealed);
    if (rc != 0) {
        err_set(err, errsz, "a stored fingerprint cannot be opened: %s", why);
        return NULL;
    }
    json_t *print = b64_json(cap->print, cap->print_len);
    json_t *image = cap->image ? b64_json(cap->image, cap->image_len) : json_null();
    json_t *o = print && image
                    ? json_pack("{s:s, s:s, s:s, s:s, s:i, s:o, s:o}", "kind", "print", "finger",
                                fp_finger_id(cap->finger), "driver", cap->driver, "captured_at", at,
                                "retries", cap->retries, "print", print, "image", image)
                    : NULL;
    if (!o) {
        if (!print || !image) {
            json_decref(print);
            json_decref(image);
        }
        err_set(err, errsz, "a fingerprint could not be put in the batch");
    }
    fp_capture_free(cap);
    *ok = o != NULL;
    return o;
}

static json_t *record_json(struct db *db, const struct sync_pending *p, struct export_vault *ev,
                           char *err, size_t errsz)
{
    json_t *answers = json_array();
    if (!answers) {
        err_set(err, errsz, "out of memory");
        return NULL;
    }
    if (sync_store_answers(db, p->registration_id, add_answer, answers) != DB_OK) {
        err_set(err, errsz, "reading a record's answers: %s", db_last_error(db));
        json_decref(answers);
        return NULL;
    }
    bool ok;
    json_t *score = score_json(db, p->registration_id, &ok);
    if (!ok) {
        err_set(err, errsz, "reading a record's score: %s", db_last_error(db));
        json_decref(answers);
        json_decref(score);
        return NULL;
    }
    json_t *fp = fingerprint_json(db, p->registration_id, ev, &ok, err, errsz);
    if (!ok) {
        json_decref(answers);
        json_decref(score);
        return NULL;
    }
    json_t *o = json_pack("{s:s, s:i, s:o, s:s, s:s, s:s, s:s, s:{s:s, s:s}, s:i, s:o, s:o, s:o}",
                          "uuid", p->uuid, "version", p->version, "supersedes",
                          p->supersedes[0] ? json_string(p->supersedes) : json_null(), "tracking",
                          p->tracking, "cnic", p->cnic, "head_name", p->head_name, "created",
                          p->created, "questionnaire", "id", p->questionnaire_id, "version",
                          p->questionnaire_version, "member_count", p->member_count, "answers",
                          answers, "score", score, "fingerprint", fp);
    if (!o)
        err_set(err, errsz, "a record could not be put in the batch (not valid UTF-8?)");
    return o;
}

/* The batch payload (docs/sync.md), as compact JSON. */
static char *batch_json(struct db *db, const struct config *cfg, uint64_t batch, time_t now,
                        const struct sync_pending *p, size_t n, json_t *audit,
                        const struct audit_head *head, sync_progress_cb cb, void *ud, size_t *len,
                        char *err, size_t errsz)
{
    char created[21];
    if (!iso_utc(now, created)) {
        err_set(err, errsz, "the clock reads no valid date");
        return NULL;
    }
    json_t *records = json_array();
    json_t *root =
        json_pack("{s:s, s:i, s:s, s:I, s:s, s:o, s:O, s:{s:I, s:I, s:o}}", "format", "nser-batch",
                  "version", 1, "kiosk", cfg->kiosk_code, "batch", (json_int_t)batch, "created",
                  created, "records", records, "audit", audit, "audit_head", "count",
                  (json_int_t)head->count, "last_id", (json_int_t)head->last_id, "last_mac",
                  head->last_id ? json_string(head->last_mac) : json_null());
    if (!root) {
        err_set(err, errsz, "out of memory");
        return NULL;
    }
    struct export_vault ev = {cfg->key_dir, NULL};
    for (size_t i = 0; i < n; i++) {
        json_t *rec = record_json(db, &p[i], &ev, err, errsz);
        if (!rec || json_array_append_new(records, rec) != 0) {
            bio_vault_free(ev.v);
            json_decref(root);
            return NULL;
        }
        if (cb && ((i + 1) % PROGRESS_EVERY == 0))
            cb(ud, i + 1, n);
    }
    bio_vault_free(ev.v);
    char *text = json_dumps(root, JSON_COMPACT);
    json_decref(root);
    if (!text) {
        err_set(err, errsz, "out of memory");
        return NULL;
    }
    *len = strlen(text);
    return text;
}

struct audit_collect {
    json_t *rows;
    int64_t last;   /* the last id taken */
    bool worth_one; /* a row other than a sync_export entry */
};

static int add_audit_row(void *ud, const struct audit_row *r)
{
    struct audit_collect *c = ud;
    json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id", (json_int_t)r->id, "at",
                          r->at, "actor", r->actor, "action", r->action, "subject", r->subject,
                          "detail", r->detail, "prev_mac", r->prev_mac, "mac", r->mac);
    if (!o || json_array_append_new(c->rows, o) != 0)
        return 1;
    c->last = r->id;
    if (strcmp(r->action, "sync_export") != 0)
        c->worth_one = true;
    return 0;
}

/* The audit rows after the last batch's, and the head, into C and HEAD. */
static int collect_audit(struct db *db, struct audit_collect *c, struct audit_head *head, char *err,
                         size_t errsz)
{
    int64_t upto = 0;
    int stopped = 0;
    if (audit_store_synced_upto(db, &upto) != DB_OK)
        return err_set(err, errsz, "reading the last audit row sent: %s", db_last_error(db));
    c->last = upto;
    enum db_result r = audit_store_walk(db, upto, AUDIT_BATCH_MAX, add_audit_row, c, &stopped);
    if (r != DB_OK)
        return err_set(err, errsz, "reading the audit trail: %s", db_last_error(db));
    if (stopped)
        return err_set(err, errsz, "an audit row could not be put in the batch (not valid UTF-8?)");
    /* Read after the rows: a row added in between only makes the head run ahead. */
    if (audit_store_head(db, head) != DB_OK)
        return err_set(err, errsz, "reading the audit trail's head: %s", db_last_error(db));
    return 0;
}

static void wipe_free(void *p, size_t n)
{
    if (p)
        explicit_bzero(p, n);
    free(p);
}

int sync_export(struct db *db, const struct config *cfg, const char *out_dir, sync_progress_cb cb,
                void *ud, struct sync_export_result *res, char *err, size_t errsz)
{
    memset(res, 0, sizeof *res);
    struct keystore *ks;
    struct public_key central;
    if (load_keys(cfg, &ks, &central, err, errsz) != 0)
        return -1;
    if (make_dirs(out_dir, 0755) != 0) {
        keystore_free(ks);
        return err_set(err, errsz, "cannot make the folder %s: %s", out_dir, strerror(errno));
    }

    int rc = -1;
    uint64_t batch = 0;
    struct sync_pending *p = NULL;
    size_t n = 0, jlen = 0, flen = 0;
    char *json = NULL;
    uint8_t *file = NULL;
    time_t now = time(NULL);
    size_t limit = cfg->sync_batch_max > 0 ? (size_t)cfg->sync_batch_max : 1;
    struct audit_collect audit = {NULL, 0, false};
    struct audit_head head;

    if (sync_store_next_batch(db, &batch) != DB_OK ||
        sync_store_pending(db, limit, &p, &n) != DB_OK) {
        err_set(err, errsz, "reading the outbox: %s", db_last_error(db));
        goto out;
    }
    audit.rows = json_array();
    if (!audit.rows) {
        err_set(err, errsz, "out of memory");
        goto out;
    }
    if (collect_audit(db, &audit, &head, err, errsz) != 0)
        goto out;
    if (n == 0 && !audit.worth_one) {
        rc = 0;
        goto out;
    }
    json = batch_json(db, cfg, batch, now, p, n, audit.rows, &head, cb, ud, &jlen, err, errsz);
    if (!json)
        goto out;
    enum envelope_error e = envelope_seal(ENVELOPE_BATCH, ks, &central, batch, (int64_t)now,
                                          (const uint8_t *)json, jlen, &file, &flen);
    if (e != ENVELOPE_OK) {
        err_set(err, errsz, "sealing the batch: %s", envelope_error_text(e));
        goto out;
    }
    char name[64];
    snprintf(name, sizeof name, "%s-%06" PRIu64 ".nserb", cfg->kiosk_code, batch);
    char why[256];
    if (atomic_write(out_dir, name, file, flen, 0644, why, sizeof why) != 0) {
        err_set(err, errsz, "writing the batch: %s", why);
        goto out;
    }
    /* Only now that the file is durable may the batch be recorded (see the top). */
    int64_t *ids = malloc((n ? n : 1) * sizeof *ids);
    if (!ids) {
        err_set(err, errsz, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < n; i++)
        ids[i] = p[i].outbox_id;
    enum db_result r = sync_store_record_batch(db, batch, now, name, ids, n, audit.last);
    free(ids);
    if (r != DB_OK) {
        err_set(err, errsz,
                "the batch file was written but not recorded (the next export "
                "writes it again): %s",
                db_last_error(db));
        goto out;
    }
    if (cb)
        cb(ud, n, n);
    res->batch = batch;
    res->records = n;
    res->audit_rows = json_array_size(audit.rows);
    snprintf(res->file, sizeof res->file, "%s/%s", out_dir, name);
    log_msg(LOG_INFO, "sync: batch %" PRIu64 " written with %zu records and %zu audit rows", batch,
            n, res->audit_rows);
    rc = 0;
out:
    wipe_free(json, jlen);
    json_decref(audit.rows);
    free(file);
    sync_pending_free(p, n);
    keystore_free(ks);
    if (rc != 0)
        log_msg(LOG_WARN, "sync: export failed");
    return rc;
}

/* ---------------------------------------------------------------- import */

struct ack_file {
    uint64_t number;
    char name[NAME_MAX + 1];
};

static int by_number(const void *a, const void *b)
{
    uint64_t x = ((const struct ack_file *)a)->number, y = ((const struct ack_file *)b)->number;
    return x < y ? -1 : x > y;
}

/* "KKKKK-ack-NNNNNN.nsera" for KIOSK: the number, or 0 when NAME is not one. */
static uint64_t ack_number(const char *name, const char *kiosk)
{
    size_t k = strlen(kiosk);
    if (strncmp(name, kiosk, k) != 0 || strncmp(name + k, "-ack-", 5) != 0)
        return 0;
    const char *d = name + k + 5;
    uint64_t n = 0;
    size_t digits = 0;
    for (; *d >= '0' && *d <= '9'; d++, digits++) {
        if (digits >= 15)
            return 0;
        n = n * 10 + (uint64_t)(*d - '0');
    }
    if (digits < 6 || strcmp(d, ".nsera") != 0)
        return 0;
    return n;
}

/* Every acknowledgement for this kiosk in DIR, in number order. */
static int list_acks(const char *dir, const char *kiosk, struct ack_file **out, size_t *n,
                     char *err, size_t errsz)
{
    *out = NULL;
    *n = 0;
    DIR *d = opendir(dir);
    if (!d)
        return err_set(err, errsz, "cannot read the folder %s: %s", dir, strerror(errno));
    size_t cap = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        uint64_t num = ack_number(e->d_name, kiosk);
        if (num == 0 || strlen(e->d_name) > NAME_MAX)
            continue;
        if (*n == cap) {
            size_t ncap = cap ? cap * 2 : 16;
            struct ack_file *nf = realloc(*out, ncap * sizeof *nf);
            if (!nf) {
                closedir(d);
                free(*out);
                *out = NULL;
                return err_set(err, errsz, "out of memory");
            }
            *out = nf;
            cap = ncap;
        }
        (*out)[*n].number = num;
        snprintf((*out)[*n].name, sizeof(*out)[*n].name, "%s", e->d_name);
        (*n)++;
    }
    closedir(d);
    if (*n)
        qsort(*out, *n, sizeof **out, by_number);
    return 0;
}

/* Verifies, opens and parses one file. 0, or -1 with the reason in WHY. */
static int open_ack(const char *path, uint64_t number, const struct config *cfg,
                    const struct keystore *ks, const struct public_key *central,
                    struct sync_ack **ack, char *why, size_t whysz)
{
    uint8_t *buf = NULL, *payload = NULL;
    size_t len = 0, plen = 0;
    *ack = NULL;
    if (read_whole_file(path, ACK_FILE_MAX, &buf, &len, why, whysz) != 0)
        return -1;
    struct envelope_header h;
    enum envelope_error e = envelope_peek(buf, len, &h);
    int rc = -1;
    if (e != ENVELOPE_OK)
        err_set(why, whysz, "%s", envelope_error_text(e));
    else if (h.kind != ENVELOPE_ACK)
        err_set(why, whysz, "not an acknowledgement");
    else if (strcmp(h.sender, "central") != 0)
        err_set(why, whysz, "not from the registry");
    else if (strcmp(h.recipient, cfg->kiosk_code) != 0)
        err_set(why, whysz, "addressed to another kiosk");
    else if (h.sequence != number)
        err_set(why, whysz, "its name and its header disagree on the number");
    else if ((e = envelope_open(buf, len, central, ks, &h, &payload, &plen)) != ENVELOPE_OK)
        err_set(why, whysz, "%s", envelope_error_text(e));
    else if (sync_ack_parse((const char *)payload, plen, cfg->kiosk_code, h.sequence, ack, why,
                            whysz) == 0)
        rc = 0;
    free(buf);
    wipe_free(payload, plen);
    return rc;
}

int sync_import_each(struct db *db, const struct config *cfg, const char *in_dir,
                     sync_progress_cb cb, void *ud, sync_file_cb fcb, void *fud,
                     struct sync_import_result *res, char *err, size_t errsz)
{
    memset(res, 0, sizeof *res);
    struct keystore *ks;
    struct public_key central;
    if (load_keys(cfg, &ks, &central, err, errsz) != 0)
        return -1;
    struct ack_file *files;
    size_t n;
    if (list_acks(in_dir, cfg->kiosk_code, &files, &n, err, errsz) != 0) {
        keystore_free(ks);
        return -1;
    }
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        char path[CONFIG_PATH_MAX + NAME_MAX + 2], why[256], detail[256];
        snprintf(path, sizeof path, "%s/%s", in_dir, files[i].name);
        struct sync_ack *ack = NULL;
        enum sync_file_outcome outcome = SYNC_FILE_REFUSED;
        struct sync_apply_counts c = {0};
        if (open_ack(path, files[i].number, cfg, ks, &central, &ack, why, sizeof why) == 0) {
            if (sync_store_apply_ack(db, ack, files[i].name, time(NULL), &c) != DB_OK)
                snprintf(why, sizeof why, "could not be applied: %s", db_last_error(db));
            else
                outcome = c.already ? SYNC_FILE_SKIPPED : SYNC_FILE_APPLIED;
        }
        sync_ack_free(ack);
        switch (outcome) {
        case SYNC_FILE_APPLIED:
            res->files_applied++;
            res->records_acked += c.acked;
            res->statuses_changed += c.statuses_changed;
            res->snapshot_entries += c.snapshot;
            snprintf(detail, sizeof detail, "%zu acknowledged, %zu statuses, %zu snapshot", c.acked,
                     c.statuses_changed, c.snapshot);
            log_msg(LOG_INFO,
                    "sync: ack %" PRIu64 " applied: %zu acked, %zu unknown, %zu statuses, "
                    "%zu snapshot",
                    files[i].number, c.acked, c.unknown, c.statuses_changed, c.snapshot);
            if (c.unknown)
                log_msg(LOG_WARN, "sync: ack %" PRIu64 " names %zu records not in this store",
                        files[i].number, c.unknown);
            break;
        case SYNC_FILE_SKIPPED:
            res->files_skipped++;
            snprintf(detail, sizeof detail, "already imported");
            break;
        case SYNC_FILE_REFUSED:
            res->files_refused++;
            if (res->refusal[0] == '\0')
                snprintf(res->refusal, sizeof res->refusal, "%.64s: %.180s", files[i].name, why);
            snprintf(detail, sizeof detail, "%s", why);
            log_msg(LOG_WARN, "sync: ack %" PRIu64 " refused: %s", files[i].number, why);
            rc = -1;
            break;
        }
        if (fcb)
            fcb(fud, files[i].name, outcome, detail);
        if (cb)
            cb(ud, i + 1, n);
    }
    if (rc != 0)
        err_set(err, errsz, "%s", res->refusal);
    free(files);
    keystore_free(ks);
    return rc;
}

int sync_import(struct db *db, const struct config *cfg, const char *in_dir, sync_progress_cb cb,
                void *ud, struct sync_import_result *res, char *err, size_t errsz)
{
    return sync_import_each(db, cfg, in_dir, cb, ud, NULL, NULL, res, err, errsz);
}

/* ---------------------------------------------------------------- status */

int sync_info(struct db *db, struct sync_info *out)
{
    memset(out, 0, sizeof *out);
    struct sync_store_info si;
    if (sync_store_info(db, &si) != DB_OK)
        return -1;
    out->backlog = si.backlog;
    out->oldest_unacked = si.oldest_unacked;
    out->last_export = si.last_export;
    out->last_batch = si.last_batch;
    out->last_import = si.last_import;
    out->last_ack = si.last_ack;
    return 0;
}

bool sync_info_frozen(const struct sync_info *si, const struct config *cfg, int64_t now, int *days)
{
    if (days)
        *days = 0;
    if (si->backlog == 0 || si->oldest_unacked <= 0)
        return false;
    int64_t age = now - si->oldest_unacked;
    if (age < 0)
        age = 0;
    if (days)
        *days = age / 86400 > 100000 ? 100000 : (int)(age / 86400);
    return cfg->freeze_after_days > 0 && age > (int64_t)cfg->freeze_after_days * 86400;
}

bool sync_frozen(struct db *db, const struct config *cfg, int64_t now, int *days)
{
    struct sync_info si;
    if (sync_info(db, &si) != 0) {
        if (days)
            *days = 0;
        /* The store is unreadable: registration fails on its own, with its own words. */
        log_msg(LOG_WARN, "sync: the backlog could not be read for the freeze rule");
        return false;
    }
    return sync_info_frozen(&si, cfg, now, days);
}

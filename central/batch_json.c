/*
 * batch_json.c - strict parsing of a kiosk's batch payload with jansson.
 *
 * Every field is type- and range-checked before it is copied into a
 * fixed-size field; nothing from the file is trusted to fit. Must never
 * put a CNIC, a name or an answer into an error message: errors name the
 * record index and the field.
 */
#include "batch_json.h"

#include <jansson.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../kiosk/bio_record.h"
#include "../kiosk/cnic.h"
#include "../kiosk/finger_image.h"
#include "../kiosk/fingerprint.h"
#include "../kiosk/tracking.h"
#include "../kiosk/utf8.h"

bool batch_uuid_valid(const char *s)
{
    if (strlen(s) != BATCH_UUID_LEN)
        return false;
    for (size_t i = 0; i < BATCH_UUID_LEN; i++) {
        bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        char ch = s[i];
        if (dash ? ch != '-' : !((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f')))
            return false;
    }
    return true;
}

static bool digits_at(const char *s, size_t from, size_t n, int *out)
{
    int v = 0;
    for (size_t i = from; i < from + n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

bool batch_time_valid(const char *s, int ymd[3])
{
    static const int mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int y, mo, d, h, mi, se;
    if (strlen(s) != BATCH_TIME_LEN || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' ||
        s[16] != ':' || s[19] != 'Z')
        return false;
    if (!digits_at(s, 0, 4, &y) || !digits_at(s, 5, 2, &mo) || !digits_at(s, 8, 2, &d) ||
        !digits_at(s, 11, 2, &h) || !digits_at(s, 14, 2, &mi) || !digits_at(s, 17, 2, &se))
        return false;
    if (y < 2000 || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || h > 23 || mi > 59 || se > 60)
        return false;
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (mo == 2 && d == 29 && !leap)
        return false;
    ymd[0] = y;
    ymd[1] = mo;
    ymd[2] = d;
    return true;
}

static void fail(char *err, size_t errsz, size_t rec, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void fail(char *err, size_t errsz, size_t rec, const char *fmt, ...)
{
    char why[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    snprintf(err, errsz, "record %zu: %s", rec + 1, why);
}

/* A string member of O no longer than MAX-1 bytes (and at least MIN) into
 * OUT; false when missing, not a string, or out of bounds. */
static bool get_str(json_t *o, const char *key, char *out, size_t max, size_t min)
{
    json_t *v = json_object_get(o, key);
    if (!json_is_string(v))
        return false;
    size_t n = json_string_length(v);
    const char *s = json_string_value(v);
    if (n < min || n >= max || memchr(s, '\0', n))
        return false;
    memcpy(out, s, n);
    out[n] = '\0';
    return true;
}

/* A JSON integer in [LO, HI]. */
static bool get_int(json_t *o, const char *key, long long lo, long long hi, long long *out)
{
    json_t *v = json_object_get(o, key);
    if (!json_is_integer(v))
        return false;
    long long x = json_integer_value(v);
    if (x < lo || x > hi)
        return false;
    *out = x;
    return true;
}

static bool text_ok(const char *s)
{
    size_t n = strlen(s);
    if (!utf8_valid(s, n))
        return false;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
            return false;
    return true;
}

static bool name_ok(const char *s)
{
    for (const char *p = s; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '.' || *p == '_' ||
              *p == '-'))
            return false;
    return *s != '\0';
}

static int parse_answers(json_t *arr, struct batch_record *r, size_t i, char *err, size_t errsz)
{
    if (!json_is_array(arr)) {
        fail(err, errsz, i, "answers is not an array");
        return -1;
    }
    r->answers = answers_new();
    if (!r->answers) {
        fail(err, errsz, i, "out of memory");
        return -1;
    }
    for (int m = 0; m < r->member_count; m++)
        if (answers_add_member(r->answers) < 0) {
            fail(err, errsz, i, "out of memory");
            return -1;
        }
    size_t k;
    json_t *a;
    json_array_foreach(arr, k, a)
    {
        if (!json_is_array(a) || json_array_size(a) != 3 ||
            !json_is_integer(json_array_get(a, 0)) || !json_is_string(json_array_get(a, 1)) ||
            !json_is_string(json_array_get(a, 2))) {
            fail(err, errsz, i, "answer %zu is not [member, question, value]", k + 1);
            return -1;
        }
        long long member = json_integer_value(json_array_get(a, 0));
        const char *q = json_string_value(json_array_get(a, 1));
        const char *v = json_string_value(json_array_get(a, 2));
        size_t vlen = json_string_length(json_array_get(a, 2));
        if (member < ANSWERS_HOUSEHOLD || member >= r->member_count) {
            fail(err, errsz, i, "answer %zu names a member the household does not have", k + 1);
            return -1;
        }
        if (!answers_valid_id(q)) {
            fail(err, errsz, i, "answer %zu has a malformed question id", k + 1);
            return -1;
        }
        if (vlen == 0 || vlen >= ANSWER_VALUE_MAX || memchr(v, '\0', vlen) ||
            !utf8_valid(v, vlen)) {
            fail(err, errsz, i, "answer %zu has an empty, overlong or non-UTF-8 value", k + 1);
            return -1;
        }
        if (answers_get(r->answers, (int)member, q)) {
            fail(err, errsz, i, "answer %zu repeats a question of the same member", k + 1);
            return -1;
        }
        if (answers_set(r->answers, (int)member, q, v) != 0) {
            fail(err, errsz, i, "answer %zu could not be kept", k + 1);
            return -1;
        }
    }
    r->answers_json = json_dumps(arr, JSON_COMPACT | JSON_ENSURE_ASCII);
    if (!r->answers_json) {
        fail(err, errsz, i, "out of memory");
        return -1;
    }
    return 0;
}

static int parse_score(json_t *s, struct batch_record *r, size_t i, char *err, size_t errsz)
{
    if (json_is_null(s) || !s)
        return 0; /* no provisional score was made */
    if (!json_is_object(s)) {
        fail(err, errsz, i, "score is neither an object nor null");
        return -1;
    }
    json_t *v = json_object_get(s, "score");
    if (!json_is_number(v)) {
        fail(err, errsz, i, "score.score is not a number");
        return -1;
    }
    r->kiosk_score = json_number_value(v);
    if (!(r->kiosk_score > -1e9 && r->kiosk_score < 1e9)) {
        fail(err, errsz, i, "score.score is out of range");
        return -1;
    }
    if (!get_str(s, "table_id", r->table_id, sizeof r->table_id, 1) || !name_ok(r->table_id) ||
        !get_str(s, "table_version", r->table_version, sizeof r->table_version, 1) ||
        !name_ok(r->table_version)) {
        fail(err, errsz, i, "score names no valid table id and version");
        return -1;
    }
    /* Thresholds are optional: "" or missing means the kiosk had none. */
    json_t *tid = json_object_get(s, "thresholds_id");
    if (tid && !json_is_null(tid) && !(json_is_string(tid) && json_string_length(tid) == 0)) {
        if (!get_str(s, "thresholds_id", r->thresholds_id, sizeof r->thresholds_id, 1) ||
            !name_ok(r->thresholds_id) ||
            !get_str(s, "thresholds_version", r->thresholds_version, sizeof r->thresholds_version,
                     1) ||
            !name_ok(r->thresholds_version)) {
            fail(err, errsz, i, "score names no valid thresholds id and version");
            return -1;
        }
    }
    r->has_score = true;
    r->score_json = json_dumps(s, JSON_COMPACT | JSON_ENSURE_ASCII);
    if (!r->score_json) {
        fail(err, errsz, i, "out of memory");
        return -1;
    }
    return 0;
}

/* Base64 member KEY of O (1..MAX bytes decoded) into a new buffer. */
static bool get_b64(json_t *o, const char *key, size_t max, uint8_t **out, size_t *len)
{
    json_t *v = json_object_get(o, key);
    if (!json_is_string(v))
        return false;
    size_t n = json_string_length(v);
    if (n == 0 || n / 4 * 3 > max + 2)
        return false;
    uint8_t *b = malloc(n / 4 * 3 + 3);
    if (!b)
        return false;
    size_t got = 0;
    const char *end = NULL;
    if (sodium_base642bin(b, n / 4 * 3 + 3, json_string_value(v), n, NULL, &got, &end,
                          sodium_base64_VARIANT_ORIGINAL) != 0 ||
        end != json_string_value(v) + n || got == 0 || got > max) {
        sodium_memzero(b, n / 4 * 3 + 3);
        free(b);
        return false;
    }
    *out = b;
    *len = got;
    return true;
}

/* The optional "fingerprint" of record I: null/missing, a print or an exception. */
static int parse_fingerprint(json_t *f, struct batch_record *r, size_t i, char *err, size_t errsz)
{
    if (!f || json_is_null(f))
        return 0;
    char kind[16];
    int ymd[3];
    if (!json_is_object(f) || !get_str(f, "kind", kind, sizeof kind, 1)) {
        fail(err, errsz, i, "fingerprint is not an object with a kind");
        return -1;
    }
    if (strcmp(kind, "exception") == 0) {
        static const char *const reasons[] = {"worn", "injured", "missing", "other"};
        bool known = false;
        if (get_str(f, "reason", r->fp_reason, sizeof r->fp_reason, 1))
            for (size_t k = 0; k < 4; k++)
                known |= strcmp(r->fp_reason, reasons[k]) == 0;
        if (!known ||
            !get_str(f, "signed_off_by", r->fp_signed_off_by, sizeof r->fp_signed_off_by, 1) ||
            !text_ok(r->fp_signed_off_by) ||
            !get_str(f, "recorded_at", r->fp_at, sizeof r->fp_at, BATCH_TIME_LEN) ||
            !batch_time_valid(r->fp_at, ymd)) {
            fail(err, errsz, i, "fingerprint exception: reason, signed_off_by or recorded_at");
            return -1;
        }
        r->fp_kind = BATCH_FP_EXCEPTION;
        return 0;
    }
    long long retries;
    int finger;
    if (strcmp(kind, "print") != 0 || !get_str(f, "finger", r->fp_finger, sizeof r->fp_finger, 1) ||
        (finger = fp_finger_parse(r->fp_finger)) < 0 ||
        !get_str(f, "driver", r->fp_driver, sizeof r->fp_driver, 1) ||
        strspn(r->fp_driver, "abcdefghijklmnopqrstuvwxyz0123456789_-") != strlen(r->fp_driver) ||
        !get_str(f, "captured_at", r->fp_at, sizeof r->fp_at, BATCH_TIME_LEN) ||
        !batch_time_valid(r->fp_at, ymd) || !get_int(f, "retries", 0, 65535, &retries)) {
        fail(err, errsz, i, "fingerprint: kind, finger, driver, captured_at or retries");
        return -1;
    }
    r->fp_retries = (int)retries;
    if (!get_b64(f, "print", BIO_RECORD_PRINT_MAX, &r->fp_print, &r->fp_print_len)) {
        fail(err, errsz, i, "fingerprint: print is not base64 of 1 byte to 1 MiB");
        return -1;
    }
    json_t *img = json_object_get(f, "image");
    if (img && !json_is_null(img)) {
        struct finger_image fi;
        char why[96];
        if (!get_b64(f, "image", BIO_RECORD_IMAGE_MAX, &r->fp_image, &r->fp_image_len)) {
            fail(err, errsz, i, "fingerprint: image is not base64");
            return -1;
        }
        if (finger_image_decode(r->fp_image, r->fp_image_len, &fi, why, sizeof why) != 0) {
            fail(err, errsz, i, "fingerprint: image: %s", why);
            return -1;
        }
        if ((int)fi.finger != finger) {
            fail(err, errsz, i, "fingerprint: the image is of another finger");
            return -1;
        }
    }
    r->fp_kind = BATCH_FP_PRINT;
    return 0;
}

static int parse_record(json_t *o, const char *kiosk, struct batch_record *r, size_t i, char *err,
                        size_t errsz)
{
    long long x;
    if (!json_is_object(o)) {
        fail(err, errsz, i, "not an object");
        return -1;
    }
    if (!get_str(o, "uuid", r->uuid, sizeof r->uuid, 1) || !batch_uuid_valid(r->uuid)) {
        fail(err, errsz, i, "uuid missing or malformed");
        return -1;
    }
    if (!get_int(o, "version", 1, 1000000, &x)) {
        fail(err, errsz, i, "version missing or out of range");
        return -1;
    }
    r->version = (int)x;
    json_t *sup = json_object_get(o, "supersedes");
    if (r->version == 1) {
        if (!json_is_null(sup)) {
            fail(err, errsz, i, "version 1 supersedes something");
            return -1;
        }
    } else if (!get_str(o, "supersedes", r->supersedes, sizeof r->supersedes, 1) ||
               strcmp(r->supersedes, r->uuid) != 0) {
        fail(err, errsz, i, "a later version must supersede its own uuid");
        return -1;
    }
    struct tracking_id t;
    if (!get_str(o, "tracking", r->tracking, sizeof r->tracking, 16) ||
        tracking_parse(r->tracking, &t) != TRACKING_OK || strcmp(t.digits, r->tracking) != 0) {
        fail(err, errsz, i, "tracking ID missing or invalid");
        return -1;
    }
    if (strncmp(r->tracking, kiosk, 5) != 0 || strlen(kiosk) != 5) {
        fail(err, errsz, i, "tracking ID was not made by this kiosk");
        return -1;
    }
    struct cnic c;
    if (!get_str(o, "cnic", r->cnic, sizeof r->cnic, 13) ||
        cnic_parse(r->cnic, NULL, &c) != CNIC_OK || strcmp(c.digits, r->cnic) != 0) {
        fail(err, errsz, i, "CNIC missing or invalid");
        return -1;
    }
    if (!get_str(o, "head_name", r->head_name, sizeof r->head_name, 1) || !text_ok(r->head_name)) {
        fail(err, errsz, i, "head_name missing, overlong or not plain UTF-8 text");
        return -1;
    }
    if (!get_str(o, "created", r->created, sizeof r->created, BATCH_TIME_LEN) ||
        !batch_time_valid(r->created, r->created_ymd)) {
        fail(err, errsz, i, "created is not YYYY-MM-DDTHH:MM:SSZ");
        return -1;
    }
    json_t *q = json_object_get(o, "questionnaire");
    if (!json_is_object(q) ||
        !get_str(q, "id", r->questionnaire_id, sizeof r->questionnaire_id, 1) ||
        !text_ok(r->questionnaire_id) ||
        !get_str(q, "version", r->questionnaire_version, sizeof r->questionnaire_version, 1) ||
        !text_ok(r->questionnaire_version)) {
        fail(err, errsz, i, "questionnaire id and version missing or malformed");
        return -1;
    }
    if (!get_int(o, "member_count", 1, BATCH_MEMBERS_MAX, &x)) {
        fail(err, errsz, i, "member_count missing or out of range");
        return -1;
    }
    r->member_count = (int)x;
    if (parse_answers(json_object_get(o, "answers"), r, i, err, errsz) != 0)
        return -1;
    if (parse_score(json_object_get(o, "score"), r, i, err, errsz) != 0)
        return -1;
    return parse_fingerprint(json_object_get(o, "fingerprint"), r, i, err, errsz);
}

static int cmp_key(const void *a, const void *b)
{
    const struct batch_record *x = *(const struct batch_record *const *)a;
    const struct batch_record *y = *(const struct batch_record *const *)b;
    int c = strcmp(x->uuid, y->uuid);
    return c ? c : (x->version > y->version) - (x->version < y->version);
}

static int cmp_tracking(const void *a, const void *b)
{
    const struct batch_record *x = *(const struct batch_record *const *)a;
    const struct batch_record *y = *(const struct batch_record *const *)b;
    return strcmp(x->tracking, y->tracking);
}

/* A record twice, or two records with one tracking ID, is a broken batch. */
static int check_unique(struct batch *b, char *err, size_t errsz)
{
    if (b->n_records < 2)
        return 0;
    const struct batch_record **v = malloc(b->n_records * sizeof *v);
    if (!v) {
        snprintf(err, errsz, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < b->n_records; i++)
        v[i] = &b->records[i];
    int rc = 0;
    qsort(v, b->n_records, sizeof *v, cmp_key);
    for (size_t i = 1; i < b->n_records && rc == 0; i++)
        if (cmp_key(&v[i - 1], &v[i]) == 0) {
            snprintf(err, errsz, "record %zu: the same uuid and version twice in the batch",
                     (size_t)(v[i] - b->records) + 1);
            rc = -1;
        }
    qsort(v, b->n_records, sizeof *v, cmp_tracking);
    for (size_t i = 1; i < b->n_records && rc == 0; i++)
        if (cmp_tracking(&v[i - 1], &v[i]) == 0) {
            snprintf(err, errsz, "record %zu: the same tracking ID twice in the batch",
                     (size_t)(v[i] - b->records) + 1);
            rc = -1;
        }
    free(v);
    return rc;
}

static bool hex64(const char *s)
{
    return strlen(s) == BATCH_MAC_HEX && strspn(s, "0123456789abcdef") == BATCH_MAC_HEX;
}

static void afail(char *err, size_t errsz, size_t i, const char *why)
{
    snprintf(err, errsz, "audit row %zu: %s", i + 1, why);
}

static int parse_audit_row(json_t *o, struct batch_audit_row *a, size_t i, char *err, size_t errsz)
{
    long long x;
    int ymd[3];
    if (!json_is_object(o)) {
        afail(err, errsz, i, "not an object");
        return -1;
    }
    if (!get_int(o, "id", 1, INT64_MAX, &x)) {
        afail(err, errsz, i, "id missing or out of range");
        return -1;
    }
    a->id = x;
    if (!get_str(o, "at", a->at, sizeof a->at, BATCH_TIME_LEN) || !batch_time_valid(a->at, ymd)) {
        afail(err, errsz, i, "at is not YYYY-MM-DDTHH:MM:SSZ");
        return -1;
    }
    if (!get_str(o, "actor", a->actor, sizeof a->actor, 1) || !text_ok(a->actor) ||
        !get_str(o, "action", a->action, sizeof a->action, 1) ||
        strspn(a->action, "abcdefghijklmnopqrstuvwxyz_") != strlen(a->action) ||
        !get_str(o, "subject", a->subject, sizeof a->subject, 0) || !text_ok(a->subject) ||
        !get_str(o, "detail", a->detail, sizeof a->detail, 0) || !text_ok(a->detail)) {
        afail(err, errsz, i, "actor, action, subject or detail missing or malformed");
        return -1;
    }
    if (!get_str(o, "prev_mac", a->prev_mac, sizeof a->prev_mac, BATCH_MAC_HEX) ||
        !hex64(a->prev_mac) || !get_str(o, "mac", a->mac, sizeof a->mac, BATCH_MAC_HEX) ||
        !hex64(a->mac)) {
        afail(err, errsz, i, "prev_mac or mac is not 64 lower-case hex digits");
        return -1;
    }
    return 0;
}

/* The optional "audit" array and "audit_head" object of ROOT into B. */
static int parse_audit(json_t *root, struct batch *b, char *err, size_t errsz)
{
    json_t *rows = json_object_get(root, "audit");
    if (rows) {
        if (!json_is_array(rows) || json_array_size(rows) > BATCH_AUDIT_MAX) {
            snprintf(err, errsz, "audit is not an array of at most %d", BATCH_AUDIT_MAX);
            return -1;
        }
        size_t n = json_array_size(rows);
        if (n) {
            b->audit = calloc(n, sizeof *b->audit);
            if (!b->audit) {
                snprintf(err, errsz, "out of memory");
                return -1;
            }
        }
        for (size_t i = 0; i < n; i++) {
            if (parse_audit_row(json_array_get(rows, i), &b->audit[i], i, err, errsz) != 0)
                return -1;
            if (i && b->audit[i].id != b->audit[i - 1].id + 1) {
                afail(err, errsz, i, "ids do not follow one another");
                return -1;
            }
            /* Linkage inside the batch is the kiosk's to keep; a break here
             * is recorded by the registry as a note, not refused, so the
             * evidence is kept. */
        }
        b->n_audit = n;
    }
    json_t *head = json_object_get(root, "audit_head");
    if (head) {
        long long c, l;
        json_t *mac = json_object_get(head, "last_mac");
        if (!json_is_object(head) || !get_int(head, "count", 0, INT64_MAX, &c) ||
            !get_int(head, "last_id", 0, INT64_MAX, &l) || c > l) {
            snprintf(err, errsz, "audit_head: count and last_id missing or out of range");
            return -1;
        }
        b->audit_head.count = c;
        b->audit_head.last_id = l;
        if (l == 0 ? !json_is_null(mac)
                   : (!get_str(head, "last_mac", b->audit_head.last_mac,
                               sizeof b->audit_head.last_mac, BATCH_MAC_HEX) ||
                      !hex64(b->audit_head.last_mac))) {
            snprintf(err, errsz,
                     "audit_head: last_mac is not 64 lower-case hex digits (or null "
                     "for an empty trail)");
            return -1;
        }
        if (b->n_audit && b->audit[b->n_audit - 1].id > l) {
            snprintf(err, errsz, "audit_head: last_id is before the batch's last audit row");
            return -1;
        }
        b->has_audit_head = true;
    }
    return 0;
}

struct batch *batch_parse(const char *json, size_t len, const char *sender, uint64_t sequence,
                          char *err, size_t errsz)
{
    json_error_t je;
    json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &je);
    if (!root) {
        snprintf(err, errsz, "not valid JSON (line %d: %s)", je.line, je.text);
        return NULL;
    }
    struct batch *b = calloc(1, sizeof *b);
    if (!b) {
        snprintf(err, errsz, "out of memory");
        json_decref(root);
        return NULL;
    }
    long long x;
    char fmt[16];
    json_t *recs = json_object_get(root, "records");
    if (!json_is_object(root) || !get_str(root, "format", fmt, sizeof fmt, 1) ||
        strcmp(fmt, "nser-batch") != 0) {
        snprintf(err, errsz, "not a batch (format is not \"nser-batch\")");
        goto bad;
    }
    if (!get_int(root, "version", 1, 1, &x)) {
        snprintf(err, errsz, "unsupported batch format version");
        goto bad;
    }
    if (!get_str(root, "kiosk", b->kiosk, sizeof b->kiosk, 1) || strcmp(b->kiosk, sender) != 0) {
        snprintf(err, errsz, "the payload's kiosk is not the envelope's sender");
        goto bad;
    }
    json_t *bn = json_object_get(root, "batch");
    if (!json_is_integer(bn) || json_integer_value(bn) < 1 ||
        (uint64_t)json_integer_value(bn) != sequence) {
        snprintf(err, errsz, "the payload's batch number is not the envelope's");
        goto bad;
    }
    b->batch_no = sequence;
    int ymd[3];
    if (!get_str(root, "created", b->created, sizeof b->created, BATCH_TIME_LEN) ||
        !batch_time_valid(b->created, ymd)) {
        snprintf(err, errsz, "the batch's created is not YYYY-MM-DDTHH:MM:SSZ");
        goto bad;
    }
    if (!json_is_array(recs) || json_array_size(recs) > BATCH_RECORDS_MAX) {
        snprintf(err, errsz, "records is not an array of at most %d", BATCH_RECORDS_MAX);
        goto bad;
    }
    size_t n = json_array_size(recs);
    if (n) {
        b->records = calloc(n, sizeof *b->records);
        if (!b->records) {
            snprintf(err, errsz, "out of memory");
            goto bad;
        }
    }
    for (size_t i = 0; i < n; i++) {
        b->n_records = i + 1; /* so batch_free frees a half-filled record */
        if (parse_record(json_array_get(recs, i), b->kiosk, &b->records[i], i, err, errsz) != 0)
            goto bad;
    }
    b->n_records = n;
    if (check_unique(b, err, errsz) != 0 || parse_audit(root, b, err, errsz) != 0)
        goto bad;
    json_decref(root);
    return b;
bad:
    json_decref(root);
    batch_free(b);
    return NULL;
}

void batch_free(struct batch *b)
{
    if (!b)
        return;
    for (size_t i = 0; i < b->n_records; i++) {
        struct batch_record *r = &b->records[i];
        answers_free(r->answers);
        free(r->answers_json);
        free(r->score_json);
        if (r->fp_print)
            sodium_memzero(r->fp_print, r->fp_print_len);
        if (r->fp_image)
            sodium_memzero(r->fp_image, r->fp_image_len);
        free(r->fp_print);
        free(r->fp_image);
        /* Personal data: not left in freed memory. */
        memset(r, 0, sizeof *r);
    }
    free(b->records);
    free(b->audit);
    free(b);
}

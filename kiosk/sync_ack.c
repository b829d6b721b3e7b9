/*
 * sync_ack.c - parse the registry's acknowledgement payload strictly.
 *
 * The payload arrives signed and encrypted, but a registry bug, a key
 * mix-up or a future format must still never crash the kiosk or put a
 * malformed value in the store: every object must have exactly the known
 * keys (no more, no fewer; duplicates refused by jansson), every string
 * its shape (digits, dates, uuids, codes), and errors name the field and
 * the entry number, never the value. Pure: no I/O, no printing.
 */
#include "sync_ack.h"
#include "errbuf.h"

#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* True when OBJ has exactly the keys in NAMES (NULL-terminated). */
static bool exact_keys(const json_t *obj, const char *const *names)
{
    size_t n = 0;
    for (; names[n]; n++)
        if (!json_object_get(obj, names[n]))
            return false;
    return json_object_size(obj) == n;
}

static bool all_digits(const char *s, size_t len, size_t want)
{
    if (len != want)
        return false;
    for (size_t i = 0; i < len; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

/* S matches PATTERN where '9' stands for any digit and others for themselves. */
static bool shaped(const char *s, size_t len, const char *pattern)
{
    if (len != strlen(pattern))
        return false;
    for (size_t i = 0; i < len; i++) {
        if (pattern[i] == '9' ? (s[i] < '0' || s[i] > '9') : s[i] != pattern[i])
            return false;
    }
    return true;
}

static bool valid_day(const char *s, size_t len)
{
    if (!shaped(s, len, "9999-99-99"))
        return false;
    int m = (s[5] - '0') * 10 + (s[6] - '0');
    int d = (s[8] - '0') * 10 + (s[9] - '0');
    return m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

static bool valid_uuid(const char *s, size_t len)
{
    if (len != SYNC_UUID_LEN)
        return false;
    for (size_t i = 0; i < len; i++) {
        char ch = s[i];
        bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        bool hex = (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f');
        if (dash ? ch != '-' : !hex)
            return false;
    }
    return true;
}

/* The string value of KEY in OBJ and its length; NULL when it is not a string. */
static const char *get_string(const json_t *obj, const char *key, size_t *len)
{
    const json_t *v = json_object_get(obj, key);
    if (!json_is_string(v))
        return NULL;
    *len = json_string_length(v);
    return json_string_value(v);
}

/* A status the registry may send: anything but none and pending_sync. */
static enum reg_status registry_status(const char *s, size_t len)
{
    if (len == 0 || len > 31 || memchr(s, '\0', len))
        return STATUS_NONE;
    enum reg_status st = reg_status_from_code(s);
    return st == STATUS_PENDING_SYNC ? STATUS_NONE : st;
}

static int parse_status(const json_t *o, enum reg_status *status, char date[11], const char *what,
                        size_t i, char *err, size_t errsz)
{
    size_t len;
    const char *s = get_string(o, "status", &len);
    if (!s || (*status = registry_status(s, len)) == STATUS_NONE)
        return err_set(err, errsz, "%s %zu: unknown status", what, i + 1);
    s = get_string(o, "status_date", &len);
    if (!s || !valid_day(s, len))
        return err_set(err, errsz, "%s %zu: status_date is not YYYY-MM-DD", what, i + 1);
    memcpy(date, s, 10);
    date[10] = '\0';
    return 0;
}

static int parse_acks(const json_t *arr, struct sync_ack *a, char *err, size_t errsz)
{
    static const char *const keys[] = {"uuid", "version", "status", "status_date", NULL};
    if (!json_is_array(arr))
        return err_set(err, errsz, "acks is not an array");
    size_t n = json_array_size(arr);
    if (n) {
        a->acks = calloc(n, sizeof *a->acks);
        if (!a->acks)
            return err_set(err, errsz, "out of memory");
        a->n_acks = n;
    }
    for (size_t i = 0; i < n; i++) {
        const json_t *o = json_array_get(arr, i);
        struct sync_ack_entry *e = &a->acks[i];
        if (!json_is_object(o) || !exact_keys(o, keys))
            return err_set(err, errsz,
                           "ack %zu: not an object with uuid, version, status, "
                           "status_date",
                           i + 1);
        size_t len;
        const char *s = get_string(o, "uuid", &len);
        if (!s || !valid_uuid(s, len))
            return err_set(err, errsz, "ack %zu: uuid is not a lower-case uuid", i + 1);
        memcpy(e->uuid, s, SYNC_UUID_LEN + 1);
        const json_t *v = json_object_get(o, "version");
        if (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > INT_MAX)
            return err_set(err, errsz, "ack %zu: version is not a whole number from 1", i + 1);
        e->version = (int)json_integer_value(v);
        if (parse_status(o, &e->status, e->status_date, "ack", i, err, errsz))
            return -1;
    }
    return 0;
}

static int parse_snapshot(const json_t *snap, struct sync_ack *a, char *err, size_t errsz)
{
    static const char *const top[] = {"district", "entries", NULL};
    static const char *const keys[] = {"tracking", "cnic", "status", "status_date", "head", NULL};
    if (json_is_null(snap))
        return 0;
    if (!json_is_object(snap) || !exact_keys(snap, top))
        return err_set(err, errsz, "snapshot is not an object with district and entries");
    size_t len;
    const char *s = get_string(snap, "district", &len);
    if (!s || len == 0 || len >= SYNC_DISTRICT_MAX)
        return err_set(err, errsz, "snapshot district is not 1 to %d characters",
                       SYNC_DISTRICT_MAX - 1);
    for (size_t i = 0; i < len; i++)
        if (s[i] < 0x21 || s[i] > 0x7e)
            return err_set(err, errsz, "snapshot district is not printable ASCII");
    memcpy(a->district, s, len + 1);
    a->has_snapshot = true;

    const json_t *arr = json_object_get(snap, "entries");
    if (!json_is_array(arr))
        return err_set(err, errsz, "snapshot entries is not an array");
    size_t n = json_array_size(arr);
    if (n) {
        a->snapshot = calloc(n, sizeof *a->snapshot);
        if (!a->snapshot)
            return err_set(err, errsz, "out of memory");
        /* Counted now, so a half-parsed array is wiped whole. */
        a->n_snapshot = n;
    }
    for (size_t i = 0; i < n; i++) {
        const json_t *o = json_array_get(arr, i);
        struct sync_snapshot_entry *e = &a->snapshot[i];
        if (!json_is_object(o) || !exact_keys(o, keys))
            return err_set(err, errsz,
                           "snapshot entry %zu: not an object with tracking, cnic, "
                           "status, status_date, head",
                           i + 1);
        s = get_string(o, "tracking", &len);
        if (!s || !all_digits(s, len, TRACKING_DIGITS))
            return err_set(err, errsz, "snapshot entry %zu: tracking is not 16 digits", i + 1);
        memcpy(e->tracking, s, TRACKING_DIGITS + 1);
        s = get_string(o, "cnic", &len);
        if (!s || !all_digits(s, len, CNIC_DIGITS))
            return err_set(err, errsz, "snapshot entry %zu: cnic is not 13 digits", i + 1);
        memcpy(e->cnic, s, CNIC_DIGITS + 1);
        if (parse_status(o, &e->status, e->status_date, "snapshot entry", i, err, errsz))
            return -1;
        s = get_string(o, "head", &len);
        if (!s || len == 0 || len >= SYNC_HEAD_MAX || memchr(s, '\0', len))
            return err_set(err, errsz, "snapshot entry %zu: head is not 1 to %d bytes", i + 1,
                           SYNC_HEAD_MAX - 1);
        for (size_t k = 0; k < len; k++)
            if ((unsigned char)s[k] < 0x20 || s[k] == 0x7f)
                return err_set(err, errsz, "snapshot entry %zu: head holds a control character",
                               i + 1);
        memcpy(e->head, s, len + 1);
    }
    return 0;
}

static int parse_top(const json_t *root, const char *kiosk, uint64_t ack_no, struct sync_ack *a,
                     char *err, size_t errsz)
{
    static const char *const keys[] = {"format",  "version", "kiosk",    "ack",
                                       "created", "acks",    "snapshot", NULL};
    if (!json_is_object(root))
        return err_set(err, errsz, "the payload is not a JSON object");
    if (!exact_keys(root, keys))
        return err_set(err, errsz,
                       "the payload must have exactly format, version, kiosk, ack, "
                       "created, acks and snapshot");
    size_t len;
    const char *s = get_string(root, "format", &len);
    if (!s || len != 8 || memcmp(s, "nser-ack", 8) != 0)
        return err_set(err, errsz, "format is not nser-ack");
    const json_t *v = json_object_get(root, "version");
    if (!json_is_integer(v) || json_integer_value(v) != 1)
        return err_set(err, errsz, "format version is not 1");
    s = get_string(root, "kiosk", &len);
    if (!s || !all_digits(s, len, TRACKING_KIOSK_DIGITS))
        return err_set(err, errsz, "kiosk is not a 5-digit kiosk code");
    if (!kiosk || strlen(kiosk) != len || memcmp(s, kiosk, len) != 0)
        return err_set(err, errsz, "the payload names another kiosk than its header");
    memcpy(a->kiosk, s, len + 1);
    v = json_object_get(root, "ack");
    if (!json_is_integer(v) || json_integer_value(v) < 1 ||
        (uint64_t)json_integer_value(v) != ack_no)
        return err_set(err, errsz, "the payload's ack number is not its header's");
    a->ack_no = ack_no;
    s = get_string(root, "created", &len);
    if (!s || !shaped(s, len, "9999-99-99T99:99:99Z"))
        return err_set(err, errsz, "created is not YYYY-MM-DDTHH:MM:SSZ");
    memcpy(a->created, s, len + 1);
    if (parse_acks(json_object_get(root, "acks"), a, err, errsz))
        return -1;
    return parse_snapshot(json_object_get(root, "snapshot"), a, err, errsz);
}

int sync_ack_parse(const char *json, size_t len, const char *kiosk, uint64_t ack_no,
                   struct sync_ack **out, char *err, size_t errsz)
{
    *out = NULL;
    if (err && errsz)
        err[0] = '\0';
    json_error_t jerr;
    /* JSON_REJECT_DUPLICATES: a key given twice could mean two things. */
    json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root)
        return err_set(err, errsz, "not valid JSON (line %d, column %d)", jerr.line, jerr.column);
    struct sync_ack *a = calloc(1, sizeof *a);
    if (!a) {
        json_decref(root);
        return err_set(err, errsz, "out of memory");
    }
    int rc = parse_top(root, kiosk, ack_no, a, err, errsz);
    json_decref(root);
    if (rc) {
        sync_ack_free(a);
        return -1;
    }
    *out = a;
    return 0;
}

void sync_ack_free(struct sync_ack *a)
{
    if (!a)
        return;
    if (a->snapshot)
        explicit_bzero(a->snapshot, a->n_snapshot * sizeof *a->snapshot);
    free(a->snapshot);
    free(a->acks);
    explicit_bzero(a, sizeof *a);
    free(a);
}

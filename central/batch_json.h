/*
 * batch_json.h - a batch payload (docs/sync.md, "Batch payload") parsed
 * strictly into records nser-central can check, score and store.
 *
 * Pure: bytes in, struct out; no libpq, no files, no printing, so unit
 * tests and a libFuzzer target can link it alone (with jansson and the
 * kiosk's pure parsers). Anything malformed refuses the whole batch with
 * the record index and the reason; the reason never quotes a CNIC or a
 * name. Unknown keys are ignored, so a newer kiosk can add a field.
 */
#ifndef NSER_CENTRAL_BATCH_JSON_H
#define NSER_CENTRAL_BATCH_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../kiosk/answers.h"

#define BATCH_UUID_LEN    36
#define BATCH_TIME_LEN    20  /* YYYY-MM-DDTHH:MM:SSZ */
#define BATCH_NAME_MAX    256 /* head_name bytes, NUL included */
#define BATCH_ID_MAX      32  /* questionnaire, table and thresholds ids, NUL included */
#define BATCH_VERSION_MAX 16
#define BATCH_MEMBERS_MAX 99
#define BATCH_RECORDS_MAX 100000

struct batch_record {
    char uuid[BATCH_UUID_LEN + 1]; /* lowercase, as the kiosk wrote it */
    int version;
    char supersedes[BATCH_UUID_LEN + 1]; /* "" for version 1 */
    char tracking[17];
    char cnic[14];
    char head_name[BATCH_NAME_MAX];
    char created[BATCH_TIME_LEN + 1];
    int created_ymd[3];
    char questionnaire_id[BATCH_ID_MAX];
    char questionnaire_version[BATCH_VERSION_MAX];
    int member_count;
    char *answers_json;      /* the answers array, compact JSON (owned) */
    struct answers *answers; /* the same, for the scorer (owned) */
    bool has_score;
    double kiosk_score;
    char table_id[BATCH_ID_MAX];
    char table_version[BATCH_VERSION_MAX];
    char thresholds_id[BATCH_ID_MAX]; /* "" when the kiosk named none */
    char thresholds_version[BATCH_VERSION_MAX];
    char *score_json; /* the kiosk's score object, compact JSON (owned); NULL when none */
    /* The head's fingerprint ("fingerprint", optional: a kiosk before
     * fingerprints sends none): a print (libfprint's serialised print and,
     * from image readers, an ISO/IEC 19794-4 record), or an exception. */
    enum batch_fp_kind { BATCH_FP_NONE = 0, BATCH_FP_PRINT, BATCH_FP_EXCEPTION } fp_kind;
    char fp_finger[16];             /* "right_thumb"... (print) */
    char fp_driver[32];             /* libfprint driver id (print) */
    char fp_at[BATCH_TIME_LEN + 1]; /* captured (print) or recorded (exception) */
    int fp_retries;
    uint8_t *fp_print; /* owned, wiped when freed */
    size_t fp_print_len;
    uint8_t *fp_image; /* owned, wiped when freed; NULL when none */
    size_t fp_image_len;
    char fp_reason[17];        /* exception: worn, injured, missing, other */
    char fp_signed_off_by[33]; /* exception: the clerk */
};

#define BATCH_AUDIT_MAX 100000
#define BATCH_MAC_HEX   64

/* One row of the kiosk's audit trail (docs/audit.md), as the kiosk keeps it. */
struct batch_audit_row {
    int64_t id;
    char at[BATCH_TIME_LEN + 1];
    char actor[33];
    char action[32];
    char subject[65];
    char detail[161];
    char prev_mac[BATCH_MAC_HEX + 1];
    char mac[BATCH_MAC_HEX + 1];
};

/* The kiosk's trail when the batch was made: how many rows, the last id
 * and its mac ("" when the trail is empty). */
struct batch_audit_head {
    int64_t count;
    int64_t last_id;
    char last_mac[BATCH_MAC_HEX + 1];
};

struct batch {
    char kiosk[9];
    uint64_t batch_no;
    char created[BATCH_TIME_LEN + 1];
    size_t n_records;
    struct batch_record *records;
    /* Optional (a kiosk before the audit trail sends neither): rows in
     * ascending id order, consecutive within the batch. */
    size_t n_audit;
    struct batch_audit_row *audit;
    bool has_audit_head;
    struct batch_audit_head audit_head;
};

/*
 * Parses the payload JSON (LEN bytes) of a batch whose envelope header
 * says SENDER and SEQUENCE: format, version, kiosk and batch must match.
 * The audit rows and head are optional; when present they are checked as
 * strictly as the records (field lengths, times, hex MACs, ids rising by
 * one, each row's prev_mac the mac of the row before it in the batch).
 * NULL with ERR on any fault.
 */
struct batch *batch_parse(const char *json, size_t len, const char *sender, uint64_t sequence,
                          char *err, size_t errsz);
void batch_free(struct batch *b);

/* True for a lowercase 8-4-4-4-12 hex uuid. */
bool batch_uuid_valid(const char *s);
/* True for YYYY-MM-DDTHH:MM:SSZ with a real date; YMD gets the date. */
bool batch_time_valid(const char *s, int ymd[3]);

#endif

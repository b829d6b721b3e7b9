/*
 * audit_store.h - the SQL of the audit trail (schema step 3, table audit):
 * appending a row after the last one, walking the chain by id, pages for
 * the supervisor, the rows a sync batch carries and the trail's head.
 *
 * The store knows nothing of keys or MACs: the caller (kiosk/audit.c)
 * computes a row's MAC in a callback that runs between reading the last
 * row and inserting the new one, inside one transaction, so two writers
 * can never chain onto the same row. Never draws, never prints; error
 * details name what failed, never a subject or a detail.
 */
#ifndef NSER_AUDIT_STORE_H
#define NSER_AUDIT_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "db.h"

#define AUDIT_ROW_AT_LEN      20 /* YYYY-MM-DDTHH:MM:SSZ */
#define AUDIT_ROW_ACTOR_MAX   32 /* bytes, as the schema CHECKs them */
#define AUDIT_ROW_ACTION_MAX  31
#define AUDIT_ROW_SUBJECT_MAX 64
#define AUDIT_ROW_DETAIL_MAX  160
#define AUDIT_MAC_HEX         64

/* One stored row, every field as the table holds it. */
struct audit_row {
    int64_t id;
    char at[AUDIT_ROW_AT_LEN + 1];
    char actor[AUDIT_ROW_ACTOR_MAX + 1];
    char action[AUDIT_ROW_ACTION_MAX + 1];
    char subject[AUDIT_ROW_SUBJECT_MAX + 1];
    char detail[AUDIT_ROW_DETAIL_MAX + 1];
    char prev_mac[AUDIT_MAC_HEX + 1];
    char mac[AUDIT_MAC_HEX + 1];
};

/*
 * Fills ROW->mac from the other fields (id and prev_mac already set by the
 * store). Non-zero aborts the append.
 */
typedef int (*audit_mac_cb)(void *ud, struct audit_row *row);

/*
 * Appends ROW (at, actor, action, subject, detail filled by the caller):
 * reads the last row, sets ROW->id to the next id and ROW->prev_mac to its
 * mac (64 zeros for the first row), calls MAC, inserts. With OWN_TX the
 * whole of it is one BEGIN IMMEDIATE transaction; without, the caller
 * holds a write transaction already and its rollback undoes the row.
 */
enum db_result audit_store_append(struct db *db, bool own_tx, struct audit_row *row,
                                  audit_mac_cb mac, void *ud);

/* Called for each row in id order; non-zero stops the walk (returned in *STOPPED). */
typedef int (*audit_row_cb)(void *ud, const struct audit_row *row);

/*
 * Every row with id > AFTER, in id order, up to LIMIT (0: no limit), in
 * one read snapshot. *STOPPED (may be NULL) gets the callback's non-zero
 * value when it stopped the walk, else 0.
 */
enum db_result audit_store_walk(struct db *db, int64_t after, size_t limit, audit_row_cb cb,
                                void *ud, int *stopped);

/* Up to MAX rows with id < BEFORE (0: from the newest), newest first. */
enum db_result audit_store_page(struct db *db, int64_t before, struct audit_row *out, size_t max,
                                size_t *n);

/* The trail's head: how many rows, the last id and its mac ("" and 0 when empty). */
struct audit_head {
    int64_t count;
    int64_t last_id;
    char last_mac[AUDIT_MAC_HEX + 1];
};
enum db_result audit_store_head(struct db *db, struct audit_head *out);

/* The last audit row a recorded batch carried (sync_batches.audit_upto; 0 when none). */
enum db_result audit_store_synced_upto(struct db *db, int64_t *upto);

/* "YYYY-MM-DDTHH:MM:SSZ" back to Unix seconds; false when it is not one. */
bool audit_parse_time(const char *s, int64_t *out);

#endif

/*
 * sync.h - the kiosk's side of store-and-forward sync (docs/sync.md):
 * write the next batch of unacknowledged records, import the registry's
 * acknowledgements, statuses and district snapshot, and say how far
 * behind the kiosk is.
 *
 * Used by `nser-kiosk sync ...` (kiosk/sync_cmd.c) and by the clerk's sync
 * screen through the flow. Files are written atomically (temp, fsync,
 * rename, fsync of the folder); every import is one transaction. Never
 * draws, never prints: results and reasons come back in the structs and
 * ERR, and the log gets counts, never a CNIC or a name.
 */
#ifndef NSER_SYNC_H
#define NSER_SYNC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../db/db.h"
#include "config.h"

/* Called now and then during a long export or import: DONE of TOTAL records. */
typedef void (*sync_progress_cb)(void *ud, size_t done, size_t total);

struct sync_export_result {
    uint64_t batch; /* 0: nothing to send */
    size_t records;
    size_t audit_rows; /* audit trail rows carried */
    char file[512];    /* the batch written */
};

/* Writes the next batch into OUT_DIR (created if missing). 0, or -1 with ERR
 * (no keys: "run nser-kiosk keys init"; no registry key; a folder problem). */
int sync_export(struct db *db, const struct config *cfg, const char *out_dir, sync_progress_cb cb,
                void *ud, struct sync_export_result *res, char *err, size_t errsz);

struct sync_import_result {
    size_t files_applied; /* new acknowledgements applied */
    size_t files_skipped; /* already imported */
    size_t files_refused; /* bad: REFUSAL holds the first reason */
    size_t records_acked; /* outbox rows newly acknowledged */
    size_t statuses_changed;
    size_t snapshot_entries;
    char refusal[256];
};

/* Imports every acknowledgement for this kiosk in IN_DIR, in order. 0 when
 * none was refused, else -1 (the others still applied). The progress
 * callback counts files. */
int sync_import(struct db *db, const struct config *cfg, const char *in_dir, sync_progress_cb cb,
                void *ud, struct sync_import_result *res, char *err, size_t errsz);

/* What became of one acknowledgement file, for `sync import`'s line per file. */
enum sync_file_outcome { SYNC_FILE_APPLIED, SYNC_FILE_SKIPPED, SYNC_FILE_REFUSED };
/* NAME is the file's name; DETAIL the reason when refused, else counts. */
typedef void (*sync_file_cb)(void *ud, const char *name, enum sync_file_outcome outcome,
                             const char *detail);

/* As sync_import, and FCB (may be NULL) hears about each file once. */
int sync_import_each(struct db *db, const struct config *cfg, const char *in_dir,
                     sync_progress_cb cb, void *ud, sync_file_cb fcb, void *fud,
                     struct sync_import_result *res, char *err, size_t errsz);

struct sync_info {
    size_t backlog;         /* records not yet acknowledged */
    int64_t oldest_unacked; /* Unix seconds of the oldest, 0 when none */
    int64_t last_export;    /* 0 never */
    uint64_t last_batch;
    int64_t last_import; /* 0 never */
    uint64_t last_ack;
};
int sync_info(struct db *db, struct sync_info *out);

/* True when the freeze rule stops new registrations at NOW: the oldest
 * unacknowledged record is older than cfg->freeze_after_days (0: never).
 * *DAYS gets its age in whole days. */
bool sync_frozen(struct db *db, const struct config *cfg, int64_t now, int *days);
/* The same rule on a sync_info already read (pure). */
bool sync_info_frozen(const struct sync_info *si, const struct config *cfg, int64_t now, int *days);

#endif

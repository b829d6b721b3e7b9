/*
 * registry.h - registrations in the local store: commit a confirmed
 * household, look a registration up by CNIC or tracking ID, load a
 * household back for an update.
 *
 * A confirmed registration (household, members, registration row and its
 * outbox row) is written in exactly one transaction: after registry_commit
 * returns DB_OK it survives a power cut; if it fails nothing of it is
 * stored. Every statement is prepared with bound parameters.
 * Never draws, never prints.
 */
#ifndef NSER_REGISTRY_H
#define NSER_REGISTRY_H

#include <stdint.h>
#include <time.h>

#include "db.h"
#include "../kiosk/cnic.h"
#include "../kiosk/household.h"
#include "../kiosk/status.h"
#include "../kiosk/tracking.h"

#define UUID_TEXT_LEN 36

struct registration_meta {
    char kiosk_code[TRACKING_KIOSK_DIGITS + 1];
    time_t now;                          /* registration time (UTC) */
    char record_uuid[UUID_TEXT_LEN + 1]; /* for a new household; an update
                                            reuses the earlier record's */
};

struct registration_summary {
    struct tracking_id tracking;
    struct cnic cnic;
    enum reg_status status;
    char status_date[11];            /* YYYY-MM-DD of the last status change */
    char registered_date[11];        /* YYYY-MM-DD of the registration */
    char head_name[PERSON_NAME_MAX]; /* raw; the caller masks it */
    char record_uuid[UUID_TEXT_LEN + 1];
    int record_version;
};

/*
 * Commits H as a confirmed registration. Allocates the kiosk's next
 * sequence number for META->now's date (UTC), builds the tracking ID into
 * *OUT. If the head's CNIC already has a registration here, the new one is
 * an update: same record UUID, version + 1, referencing the earlier one.
 */
enum db_result registry_commit(struct db *db, const struct household *h,
                               const struct registration_meta *meta, struct tracking_id *out);

/* Latest registration for CNIC (by head's CNIC). */
enum db_result registry_find_by_cnic(struct db *db, const struct cnic *c,
                                     struct registration_summary *out);
enum db_result registry_find_by_tracking(struct db *db, const struct tracking_id *t,
                                         struct registration_summary *out);

/* Loads the household of the latest registration for CNIC into H (cleared
 * first), for an update. */
enum db_result registry_load_household(struct db *db, const struct cnic *c, struct household *h);

#endif

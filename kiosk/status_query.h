/*
 * status_query.h - answer "am I registered?" for a typed CNIC or tracking ID.
 *
 * Shared by the status screen and `nser-kiosk status`, so both refuse the
 * same input for the same reason and disclose the same things: status,
 * date, tracking ID and a masked head-of-household name. Never household
 * data. Never draws or prints.
 */
#ifndef NSER_STATUS_QUERY_H
#define NSER_STATUS_QUERY_H

#include "../db/db.h"
#include "cnic.h"
#include "status.h"
#include "tracking.h"

/* Twice HEAD_NAME_MAX (db/registry.h): room for a masked name whatever its bytes. */
#define STATUS_MASKED_NAME_MAX 192

enum status_kind {
    STATUS_Q_FOUND = 0,
    STATUS_Q_NOT_FOUND,
    STATUS_Q_INVALID,
    STATUS_Q_ERROR,
};

struct status_answer {
    enum status_kind kind;
    int by_tracking;     /* the input was a tracking ID */
    int from_snapshot;   /* registered at another kiosk: answered from the registry's
                            district snapshot (registered_date is then "") */
    const char *problem; /* message id when INVALID or ERROR */
    enum reg_status status;
    char status_date[11]; /* YYYY-MM-DD */
    char registered_date[11];
    char tracking[TRACKING_FORMATTED_LEN + 1];
    char cnic[CNIC_FORMATTED_LEN + 1];
    char masked_name[STATUS_MASKED_NAME_MAX];
};

/* Looks INPUT up; REGIONS as for cnic_parse. Always fills OUT->kind. */
enum status_kind status_query(struct db *db, const char *regions, const char *input,
                              struct status_answer *out);

#endif

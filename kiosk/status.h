/*
 * status.h - what an applicant is told about a registration.
 *
 * The public NSER portal gives four answers; the kiosk mirrors them and adds
 * the two local ones (pending sync, received), and the registry's
 * "duplicate elsewhere" (docs/sync.md) with advice of its own. Pure: no
 * I/O, no gettext; texts are untranslated message ids.
 */
#ifndef NSER_STATUS_H
#define NSER_STATUS_H

#include <stddef.h>

enum reg_status {
    STATUS_NONE = 0,
    STATUS_PENDING_SYNC,        /* registered here, not yet acknowledged centrally */
    STATUS_RECEIVED,            /* acknowledged by the central registry */
    STATUS_ELIGIBLE,            /* central decision */
    STATUS_NOT_ELIGIBLE,        /* central decision */
    STATUS_UNDER_REVIEW,        /* duplicate CNIC, NADRA mismatch, appeal */
    STATUS_DUPLICATE_ELSEWHERE, /* the same CNIC registered at another centre too */
    STATUS_COUNT
};

/* Stable code stored in the database ("pending_sync", ...). */
const char *reg_status_code(enum reg_status s);
/* Inverse of reg_status_code; STATUS_NONE when unknown. */
enum reg_status reg_status_from_code(const char *code);
/* Short label ("Registered, waiting to be sent"). */
const char *reg_status_text(enum reg_status s);
/* What the applicant should do next. */
const char *reg_status_advice(enum reg_status s);

/*
 * Masks a name for display: the first letter of each word, then one '*'
 * per remaining character ("Muhammad Ali" -> "M******* A**"). UTF-8 aware:
 * counts characters, not bytes. Always NUL-terminates OUT.
 */
void name_mask(const char *name, char *out, size_t outsz);

#endif

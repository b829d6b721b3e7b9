/*
 * status_query.c - validate a CNIC or tracking ID and look it up.
 *
 * Input is told apart by its digit count (13 = CNIC, 16 = tracking ID);
 * invalid input is refused before any lookup, so a typo never reaches the
 * database. The raw name is masked here and wiped from memory. A CNIC or
 * tracking ID not registered here is looked up in the registry's district
 * snapshot (db/sync_store.h), and the answer says it came from there.
 */
#include "status_query.h"

#include <ctype.h>
#include <string.h>

#include "../db/registry.h"
#include "../db/sync_store.h"
#include "digits.h"
#include "i18n.h"

_Static_assert(STATUS_MASKED_NAME_MAX >= 2 * HEAD_NAME_MAX,
               "a masked head's name must fit wherever the raw one did");

static size_t count_digits(const char *s, int *other)
{
    size_t n = 0;
    *other = 0;
    for (; *s; s++) {
        if (isdigit((unsigned char)*s))
            n++;
        else if (*s != '-' && *s != ' ')
            *other = 1;
    }
    return n;
}

static void fill_found(struct status_answer *out, struct registration_summary *s)
{
    out->kind = STATUS_Q_FOUND;
    out->status = s->status;
    memcpy(out->status_date, s->status_date, sizeof out->status_date);
    memcpy(out->registered_date, s->registered_date, sizeof out->registered_date);
    tracking_format(&s->tracking, out->tracking, sizeof out->tracking);
    cnic_format(&s->cnic, out->cnic, sizeof out->cnic);
    name_mask(s->head_name, out->masked_name, sizeof out->masked_name);
    explicit_bzero(s, sizeof *s);
}

/* OUT's kind for the lookup's result R (a found answer is filled already). */
static enum status_kind finish(struct status_answer *out, enum db_result r)
{
    if (r == DB_NOT_FOUND) {
        out->kind = STATUS_Q_NOT_FOUND;
    } else if (r != DB_OK) {
        out->kind = STATUS_Q_ERROR;
        out->problem = db_result_text(r);
    }
    return out->kind;
}

/* The registry's word on a registration made at another kiosk of the district. */
static enum db_result from_snapshot(struct db *db, int by_tracking, const char *digits,
                                    struct status_answer *out)
{
    struct sync_snapshot_entry e;
    enum db_result r = sync_store_snapshot_find(db, by_tracking != 0, digits, &e);
    if (r != DB_OK)
        return r;
    struct tracking_id t;
    struct cnic c;
    memcpy(t.digits, e.tracking, sizeof t.digits);
    memcpy(c.digits, e.cnic, sizeof c.digits);
    out->kind = STATUS_Q_FOUND;
    out->from_snapshot = 1;
    out->status = e.status;
    memcpy(out->status_date, e.status_date, sizeof out->status_date);
    out->registered_date[0] = '\0';
    tracking_format(&t, out->tracking, sizeof out->tracking);
    cnic_format(&c, out->cnic, sizeof out->cnic);
    /* Masked by the registry already; masking again costs nothing and trusts nothing. */
    name_mask(e.head, out->masked_name, sizeof out->masked_name);
    explicit_bzero(&e, sizeof e);
    return DB_OK;
}

enum status_kind status_query(struct db *db, const char *regions, const char *input,
                              struct status_answer *out)
{
    memset(out, 0, sizeof *out);
    /* Urdu and Arabic-Indic digits are counted and read as digits. */
    char norm[64];
    if (input && digits_normalise(input, strlen(input), norm, sizeof norm) != (size_t)-1)
        input = norm;
    int other;
    size_t digits = count_digits(input, &other);
    struct registration_summary s;
    enum db_result r;

    if (digits == 0 && !other) {
        out->kind = STATUS_Q_INVALID;
        out->problem = N_("Please type a CNIC or a tracking ID.");
        return out->kind;
    }
    if (digits > CNIC_DIGITS && !other) {
        struct tracking_id t;
        enum tracking_error te = tracking_parse(input, &t);
        if (te != TRACKING_OK) {
            out->kind = STATUS_Q_INVALID;
            out->problem = tracking_error_text(te);
            return out->kind;
        }
        out->by_tracking = 1;
        tracking_format(&t, out->tracking, sizeof out->tracking);
        r = registry_find_by_tracking(db, &t, &s);
        if (r == DB_NOT_FOUND)
            r = from_snapshot(db, 1, t.digits, out);
        else if (r == DB_OK)
            fill_found(out, &s);
        return finish(out, r);
    } else {
        struct cnic c;
        enum cnic_error ce = cnic_parse(input, regions, &c);
        if (ce != CNIC_OK) {
            out->kind = STATUS_Q_INVALID;
            out->problem = cnic_error_text(ce);
            return out->kind;
        }
        cnic_format(&c, out->cnic, sizeof out->cnic);
        r = registry_find_by_cnic(db, &c, &s);
        if (r == DB_NOT_FOUND)
            r = from_snapshot(db, 0, c.digits, out);
        else if (r == DB_OK)
            fill_found(out, &s);
        return finish(out, r);
    }
}

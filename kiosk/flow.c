/*
 * flow.c - page order and the applicant's session.
 *
 * The session lives only in memory until it is confirmed; flow_end_session
 * wipes it (idle timeout, finished receipt). The registration path is the
 * table below: a new survey page is a new row plus its screen.
 */
#include "flow.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../db/registry.h"
#include "i18n.h"
#include "log.h"
#include "uuid.h"

static const enum flow_page status_path[] = {PAGE_HOME, PAGE_STATUS_ENTRY, PAGE_STATUS_RESULT};
static const enum flow_page registration_path[] = {
    PAGE_HOME, PAGE_REG_CNIC, PAGE_REG_HEAD, PAGE_REG_ROSTER, PAGE_REG_HOUSING, PAGE_REG_REVIEW,
};

struct flow {
    struct db *db;
    const struct config *cfg;
    enum flow_page page;
    unsigned generation;

    struct status_answer status;

    struct household *household;
    bool registration_open; /* a CNIC was taken and not yet confirmed/wiped */
    bool is_update;
    char previous_tracking[TRACKING_FORMATTED_LEN + 1];
    int editing_member;
    struct tracking_id receipt;
};

struct flow *flow_new(struct db *db, const struct config *cfg)
{
    struct flow *f = calloc(1, sizeof *f);
    if (!f)
        return NULL;
    f->household = household_new();
    if (!f->household) {
        free(f);
        return NULL;
    }
    f->db = db;
    f->cfg = cfg;
    f->page = PAGE_HOME;
    f->editing_member = -1;
    return f;
}

void flow_free(struct flow *f)
{
    if (!f)
        return;
    household_free(f->household);
    explicit_bzero(f, sizeof *f);
    free(f);
}

enum flow_page flow_page(const struct flow *f)
{
    return f->page;
}

const struct config *flow_config(const struct flow *f)
{
    return f->cfg;
}

unsigned flow_generation(const struct flow *f)
{
    return f->generation;
}

static void wipe_registration(struct flow *f)
{
    household_clear(f->household);
    f->registration_open = false;
    f->is_update = false;
    explicit_bzero(f->previous_tracking, sizeof f->previous_tracking);
    f->editing_member = -1;
    f->generation++;
}

void flow_end_session(struct flow *f)
{
    wipe_registration(f);
    explicit_bzero(&f->status, sizeof f->status);
    explicit_bzero(&f->receipt, sizeof f->receipt);
    f->page = PAGE_HOME;
    log_msg(LOG_INFO, "session ended");
}

bool flow_has_unfinished(const struct flow *f)
{
    return f->registration_open;
}

/* Moves DIR steps along PATH from the current page; PATH[0] is home. */
static bool step_along(struct flow *f, const enum flow_page *path, size_t n, int dir)
{
    for (size_t i = 0; i < n; i++) {
        if (path[i] != f->page)
            continue;
        long j = (long)i + dir;
        if (j >= 0 && (size_t)j < n)
            f->page = path[j];
        return true;
    }
    return false;
}

static void step(struct flow *f, int dir)
{
    if (f->page == PAGE_REG_MEMBER) {
        f->page = PAGE_REG_ROSTER;
        return;
    }
    if (!step_along(f, status_path, sizeof status_path / sizeof status_path[0], dir))
        step_along(f, registration_path, sizeof registration_path / sizeof registration_path[0],
                   dir);
}

void flow_next(struct flow *f)
{
    /* Leaving the CNIC page forward needs a valid CNIC: flow_set_head_cnic. */
    if (f->page == PAGE_REG_CNIC && !f->registration_open)
        return;
    /* The review page moves on only through flow_confirm. */
    if (f->page == PAGE_REG_REVIEW || f->page == PAGE_STATUS_ENTRY)
        return;
    step(f, +1);
}

void flow_back(struct flow *f)
{
    step(f, -1);
}

void flow_start_status(struct flow *f)
{
    f->page = PAGE_STATUS_ENTRY;
}

const struct status_answer *flow_check_status(struct flow *f, const char *input)
{
    status_query(f->db, f->cfg->cnic_regions, input, &f->status);
    if (f->status.kind == STATUS_Q_FOUND || f->status.kind == STATUS_Q_NOT_FOUND) {
        f->page = PAGE_STATUS_RESULT;
        log_msg(LOG_INFO, "status check: %s",
                f->status.kind == STATUS_Q_FOUND ? "found" : "not found");
    }
    return &f->status;
}

const struct status_answer *flow_status_answer(const struct flow *f)
{
    return &f->status;
}

void flow_finish_status(struct flow *f)
{
    if (!f->registration_open) {
        flow_end_session(f);
        return;
    }
    explicit_bzero(&f->status, sizeof f->status);
    f->page = PAGE_HOME;
}

void flow_start_registration(struct flow *f)
{
    f->page = PAGE_REG_CNIC;
}

const char *flow_set_head_cnic(struct flow *f, const char *input)
{
    struct cnic c;
    enum cnic_error e = cnic_parse(input, f->cfg->cnic_regions, &c);
    if (e != CNIC_OK)
        return cnic_error_text(e);

    if (f->registration_open && strcmp(household_head_cnic(f->household)->digits, c.digits) == 0) {
        f->page = PAGE_REG_HEAD; /* same applicant coming back: keep everything */
        return NULL;
    }
    wipe_registration(f);
    struct registration_summary prev;
    enum db_result r = registry_find_by_cnic(f->db, &c, &prev);
    if (r == DB_OK) {
        r = registry_load_household(f->db, &c, f->household);
        if (r != DB_OK) {
            household_clear(f->household);
            log_msg(LOG_ERROR, "loading a household for update failed: %s", db_last_error(f->db));
            return db_result_text(r);
        }
        f->is_update = true;
        tracking_format(&prev.tracking, f->previous_tracking, sizeof f->previous_tracking);
        explicit_bzero(&prev, sizeof prev);
    } else if (r != DB_NOT_FOUND) {
        log_msg(LOG_ERROR, "lookup before registration failed: %s", db_last_error(f->db));
        return db_result_text(r);
    } else {
        *household_head_cnic(f->household) = c;
        struct person *head = household_head(f->household);
        head->relation = REL_HEAD;
        head->gender = cnic_gender(&c);
        memcpy(head->id_number, c.digits, sizeof head->id_number);
    }
    f->registration_open = true;
    f->generation++;
    f->page = PAGE_REG_HEAD;
    return NULL;
}

struct household *flow_household(struct flow *f)
{
    return f->household;
}

bool flow_is_update(const struct flow *f)
{
    return f->is_update;
}

const char *flow_previous_tracking(const struct flow *f)
{
    return f->previous_tracking;
}

void flow_edit_member(struct flow *f, int i)
{
    if (i >= (int)household_member_count(f->household))
        return;
    f->editing_member = i < 0 ? -1 : i;
    f->page = PAGE_REG_MEMBER;
}

int flow_editing_member(const struct flow *f)
{
    return f->editing_member;
}

const char *flow_save_member(struct flow *f, const struct person *p)
{
    int rc = f->editing_member < 0
                 ? household_add_member(f->household, p)
                 : household_set_member(f->household, (size_t)f->editing_member, p);
    if (rc < 0)
        return N_("The household list is full.");
    f->editing_member = -1;
    f->page = PAGE_REG_ROSTER;
    return NULL;
}

void flow_leave_member(struct flow *f)
{
    f->page = PAGE_REG_ROSTER;
}

const char *flow_confirm(struct flow *f)
{
    struct registration_meta meta;
    memset(&meta, 0, sizeof meta);
    memcpy(meta.kiosk_code, f->cfg->kiosk_code, sizeof meta.kiosk_code);
    meta.now = time(NULL);
    if (uuid_v4(meta.record_uuid, sizeof meta.record_uuid) != 0)
        return N_("The registration could not be saved. Please ask the clerk for help.");
    enum db_result r = registry_commit(f->db, f->household, &meta, &f->receipt);
    if (r != DB_OK) {
        log_msg(LOG_ERROR, "registration commit failed: %s", db_last_error(f->db));
        return db_result_text(r);
    }
    log_msg(LOG_INFO, "registration committed (%s)", f->is_update ? "update" : "new");
    struct tracking_id keep = f->receipt;
    wipe_registration(f);
    f->receipt = keep;
    f->page = PAGE_REG_RECEIPT;
    return NULL;
}

const struct tracking_id *flow_receipt(const struct flow *f)
{
    return &f->receipt;
}

void flow_today(struct date *out)
{
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    out->year = tm.tm_year + 1900;
    out->month = tm.tm_mon + 1;
    out->day = tm.tm_mday;
}

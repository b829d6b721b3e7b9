/*
 * flow.c - page order and the session: status checks, starting or
 * resuming a registration, the clerk's lists.
 *
 * The survey itself (draft, pages, roster, review, confirmation) is in
 * flow_survey.c. A session lives in memory only as far as the page being
 * answered; flow_end_session forgets it (idle timeout, finished receipt)
 * while the draft stays in the database until it is confirmed or expires.
 * Never draws and never runs SQL itself: storage is db/drafts and
 * db/registry; logs never name a CNIC or anything typed.
 */
#include "flow_internal.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../db/biometrics.h"
#include "../db/registry.h"
#include "cnic.h"
#include "i18n.h"
#include "log.h"

struct flow *flow_new(struct db *db, const struct config *cfg, const struct questionnaire *q,
                      const struct scoring *scoring)
{
    struct flow *f = calloc(1, sizeof *f);
    if (!f)
        return NULL;
    f->db = db;
    f->cfg = cfg;
    f->q = q;
    f->scoring = scoring;
    f->page = cfg->clerk_mode ? PAGE_LOGIN : PAGE_HOME;
    f->member_pos = ANSWERS_HOUSEHOLD;
    f->page_answers = answers_new();
    f->review = answers_new();
    if (!f->page_answers || !f->review || flow_survey_setup(f) != 0) {
        flow_free(f);
        return NULL;
    }
    return f;
}

void flow_free(struct flow *f)
{
    if (!f)
        return;
    answers_free(f->page_answers);
    answers_free(f->review);
    free(f->review_positions);
    explicit_bzero(f, sizeof *f);
    free(f);
}

enum flow_page flow_page(const struct flow *f)
{
    return f->page;
}

unsigned flow_page_serial(const struct flow *f)
{
    return f->serial;
}

void flow_set_page(struct flow *f, enum flow_page page)
{
    f->page = page;
    f->serial++;
    flow_devices_page_changed(f);
}

const struct config *flow_config(const struct flow *f)
{
    return f->cfg;
}

const struct questionnaire *flow_questionnaire(const struct flow *f)
{
    return f->q;
}

bool flow_clerk_mode(const struct flow *f)
{
    return f->role >= ROLE_CLERK;
}

bool flow_applicant_page(enum flow_page page)
{
    switch (page) {
    case PAGE_HOME:
    case PAGE_STATUS_ENTRY:
    case PAGE_STATUS_RESULT:
    case PAGE_REG_CNIC:
    case PAGE_REG_RESUME:
    case PAGE_REG_SURVEY:
    case PAGE_REG_ROSTER:
    case PAGE_REG_REVIEW:
    case PAGE_REG_RECEIPT:
    case PAGE_FINGER:
        return true;
    default:
        return false;
    }
}

unsigned flow_generation(const struct flow *f)
{
    return f->generation;
}

void flow_end_session(struct flow *f)
{
    flow_survey_wipe(f);
    explicit_bzero(&f->status, sizeof f->status);
    explicit_bzero(&f->receipt, sizeof f->receipt);
    explicit_bzero(&f->offer, sizeof f->offer);
    explicit_bzero(&f->device_cnic, sizeof f->device_cnic);
    f->device_cnic_ready = false;
    f->print_state = FLOW_PRINT_NONE;
    f->receipt_printed = false;
    f->receipt_copy = false;
    f->generation++;
    /* A counter machine with nobody logged in waits at the log-in page;
     * a clerk's own session goes on. */
    flow_set_page(f, f->cfg->clerk_mode && f->role == ROLE_APPLICANT ? PAGE_LOGIN : PAGE_HOME);
    log_msg(LOG_INFO, "session ended");
}

bool flow_has_unfinished(const struct flow *f)
{
    return f->draft_open;
}

void flow_go_back(struct flow *f)
{
    switch (f->page) {
    case PAGE_STATUS_ENTRY:
    case PAGE_REG_CNIC:
    case PAGE_CLERK_DRAFTS:
    case PAGE_CLERK_UPDATE:
    case PAGE_SYNC:
        flow_set_page(f, PAGE_HOME);
        break;
    case PAGE_LOGIN:
        if (!f->cfg->clerk_mode) /* a counter machine has nowhere else to go */
            flow_set_page(f, PAGE_HOME);
        break;
    case PAGE_STATUS_RESULT:
        flow_set_page(f, PAGE_STATUS_ENTRY);
        break;
    case PAGE_REG_RESUME:
        flow_set_page(f, PAGE_REG_CNIC);
        break;
    default:
        break;
    }
}

void flow_start_status(struct flow *f)
{
    flow_set_page(f, PAGE_STATUS_ENTRY);
}

const struct status_answer *flow_check_status(struct flow *f, const char *input)
{
    status_query(f->db, f->cfg->cnic_regions, input, &f->status);
    if (f->status.kind == STATUS_Q_FOUND || f->status.kind == STATUS_Q_NOT_FOUND) {
        flow_set_page(f, PAGE_STATUS_RESULT);
        log_msg(LOG_INFO, "status check: %s",
                f->status.kind == STATUS_Q_FOUND ? "found" : "not found");
        /* Who asked about whom, without the CNIC in clear. */
        char subject[AUDIT_SUBJECT_MAX + 1] = "";
        if (f->status.by_tracking) {
            size_t o = 0;
            for (const char *p = f->status.tracking; *p && o + 1 < sizeof subject; p++)
                if (*p >= '0' && *p <= '9')
                    subject[o++] = *p;
            subject[o] = '\0';
        } else if (f->audit) {
            char digits[CNIC_DIGITS + 1];
            size_t o = 0;
            for (const char *p = f->status.cnic; *p && o < CNIC_DIGITS; p++)
                if (*p >= '0' && *p <= '9')
                    digits[o++] = *p;
            digits[o] = '\0';
            audit_subject_cnic(f->audit, digits, subject, sizeof subject);
            explicit_bzero(digits, sizeof digits);
        }
        flow_audit(f, AUDIT_STATUS_CHECK, subject,
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
    if (!f->draft_open) {
        flow_end_session(f);
        return;
    }
    explicit_bzero(&f->status, sizeof f->status);
    flow_set_page(f, PAGE_HOME);
}

void flow_start_registration(struct flow *f)
{
    int days;
    const char *frozen = flow_registration_frozen(f, &days);
    if (frozen) {
        flow_notice_set(f, frozen, true);
        return;
    }
    flow_set_page(f, PAGE_REG_CNIC);
}

/* Starts a fresh draft for C, the head's answers the CNIC implies filled in. */
static const char *start_draft(struct flow *f, const struct cnic *c)
{
    int days;
    const char *frozen = flow_registration_frozen(f, &days);
    if (frozen)
        return frozen;
    struct draft_info d;
    enum db_result r = drafts_create(f->db, c->digits, questionnaire_id(f->q),
                                     questionnaire_version(f->q), time(NULL), &d);
    if (r != DB_OK) {
        log_msg(LOG_ERROR, "creating a draft failed: %s", db_last_error(f->db));
        return db_result_text(r);
    }
    time_t now = time(NULL);
    const struct q_question *rel = questionnaire_member_relation(f->q);
    const struct q_question *id = questionnaire_member_id(f->q);
    const struct q_question *gender = questionnaire_member_gender(f->q);
    enum gender g = cnic_gender(c);
    const char *gcode = g == GENDER_MALE ? "male" : g == GENDER_FEMALE ? "female" : NULL;
    if ((r = drafts_set_answer(f->db, d.id, 0, rel->id, "head", now)) != DB_OK ||
        (r = drafts_set_answer(f->db, d.id, 0, id->id, c->digits, now)) != DB_OK ||
        (gcode && (r = drafts_set_answer(f->db, d.id, 0, gender->id, gcode, now)) != DB_OK)) {
        log_msg(LOG_ERROR, "filling in a new draft failed: %s", db_last_error(f->db));
        return db_result_text(r);
    }
    log_msg(LOG_INFO, "draft started");
    return flow_fp_gate(f, &d, false);
}

static const char *start_update_of(struct flow *f, int64_t registration_id)
{
    int days;
    const char *frozen = flow_registration_frozen(f, &days);
    if (frozen)
        return frozen;
    struct draft_info d;
    enum db_result r = drafts_create_update(f->db, registration_id, questionnaire_id(f->q),
                                            questionnaire_version(f->q), time(NULL), &d);
    if (r != DB_OK) {
        log_msg(LOG_ERROR, "starting an update failed: %s", db_last_error(f->db));
        return db_result_text(r);
    }
    log_msg(LOG_INFO, "update draft started");
    /* The household's finger comes along, to be checked and sent again. */
    r = biometrics_copy_to_draft(f->db, registration_id, d.id);
    if (r != DB_OK && r != DB_NOT_FOUND)
        log_msg(LOG_ERROR, "copying the household's fingerprint failed: %s", db_last_error(f->db));
    return flow_fp_gate(f, &d, true);
}

const char *flow_set_head_cnic(struct flow *f, const char *input)
{
    struct cnic c;
    enum cnic_error e = cnic_parse(input, f->cfg->cnic_regions, &c);
    if (e != CNIC_OK)
        return cnic_error_text(e);

    /* The same applicant coming back from the next page: carry on. */
    if (f->draft_open && strcmp(f->draft.head_cnic, c.digits) == 0)
        return flow_fp_gate(f, &f->draft, f->fp_returning);
    /* Another household: forget the one in memory (it stays in its draft).
     * The generation is not bumped: that would wipe this page, and with it
     * the CNIC and any refusal below. */
    flow_survey_wipe(f);

    enum db_result r = drafts_find_by_cnic(f->db, c.digits, &f->offer);
    if (r == DB_OK) {
        /* An update draft holds a registered household's answers. */
        if (!flow_clerk_mode(f) && f->offer.previous_registration) {
            explicit_bzero(&f->offer, sizeof f->offer);
            return N_("This household is already registered here. To change it, please "
                      "ask the clerk at the counter.");
        }
        flow_set_page(f, PAGE_REG_RESUME);
        return NULL;
    }
    if (r != DB_NOT_FOUND) {
        log_msg(LOG_ERROR, "draft lookup failed: %s", db_last_error(f->db));
        return db_result_text(r);
    }
    struct registration_summary prev;
    r = registry_find_by_cnic(f->db, &c, &prev);
    if (r == DB_OK) {
        int64_t id = prev.id;
        explicit_bzero(&prev, sizeof prev);
        /* An applicant never sees a registered household's answers: a
         * CNIC is no proof of who is typing it. The counter checks. */
        if (!flow_clerk_mode(f))
            return N_("This household is already registered here. To change it, please "
                      "ask the clerk at the counter.");
        return start_update_of(f, id);
    }
    if (r != DB_NOT_FOUND) {
        log_msg(LOG_ERROR, "lookup before registration failed: %s", db_last_error(f->db));
        return db_result_text(r);
    }
    return start_draft(f, &c);
}

const struct draft_info *flow_resume_offer(const struct flow *f)
{
    return &f->offer;
}

const char *flow_resume(struct flow *f, bool resume)
{
    struct draft_info d = f->offer;
    explicit_bzero(&f->offer, sizeof f->offer);
    if (resume) {
        log_msg(LOG_INFO, "draft resumed");
        return flow_fp_gate(f, &d, true);
    }
    enum db_result r = drafts_delete(f->db, d.id);
    if (r != DB_OK) {
        log_msg(LOG_ERROR, "deleting a draft failed: %s", db_last_error(f->db));
        return db_result_text(r);
    }
    log_msg(LOG_INFO, "draft discarded by the applicant");
    struct cnic c;
    memcpy(c.digits, d.head_cnic, sizeof c.digits);
    if (d.previous_registration)
        return start_update_of(f, d.previous_registration);
    return start_draft(f, &c);
}

/* --- clerk --- */

void flow_show_drafts(struct flow *f)
{
    if (flow_clerk_mode(f))
        flow_set_page(f, PAGE_CLERK_DRAFTS);
}

const char *flow_list_drafts(struct flow *f, struct draft_info *out, size_t max, size_t *n)
{
    *n = 0;
    if (!flow_clerk_mode(f))
        return N_("Only a clerk can see saved drafts.");
    enum db_result r = drafts_list(f->db, out, max, n);
    if (r != DB_OK) {
        log_msg(LOG_ERROR, "listing drafts failed: %s", db_last_error(f->db));
        return db_result_text(r);
    }
    return NULL;
}

const char *flow_open_draft(struct flow *f, int64_t id)
{
    if (!flow_clerk_mode(f))
        return N_("Only a clerk can see saved drafts.");
    struct draft_info d;
    enum db_result r = drafts_get(f->db, id, &d);
    if (r != DB_OK)
        return db_result_text(r);
    flow_survey_wipe(f);
    log_msg(LOG_INFO, "draft opened by the clerk");
    flow_audit(f, AUDIT_DRAFT_OPENED, d.number, d.previous_registration ? "update" : "new");
    return flow_fp_gate(f, &d, true);
}

const char *flow_open_draft_number(struct flow *f, const char *number)
{
    if (!flow_clerk_mode(f))
        return N_("Only a clerk can see saved drafts.");
    char digits[DRAFT_NUMBER_DIGITS + 1];
    size_t n = 0;
    for (const char *p = number; *p; p++) {
        if (*p >= '0' && *p <= '9') {
            if (n == DRAFT_NUMBER_DIGITS)
                return N_("A draft number has 7 digits.");
            digits[n++] = *p;
        } else if (*p != '-' && *p != ' ') {
            return N_("A draft number has 7 digits.");
        }
    }
    if (n != DRAFT_NUMBER_DIGITS)
        return N_("A draft number has 7 digits.");
    digits[n] = '\0';
    struct draft_info d;
    enum db_result r = drafts_find_by_number(f->db, digits, &d);
    if (r == DB_NOT_FOUND)
        return N_("No saved draft has this number. Please check it: it may have expired.");
    if (r != DB_OK) {
        log_msg(LOG_ERROR, "finding a draft failed: %s", db_last_error(f->db));
        return db_result_text(r);
    }
    flow_survey_wipe(f);
    log_msg(LOG_INFO, "draft opened by its number");
    flow_audit(f, AUDIT_DRAFT_OPENED, d.number, d.previous_registration ? "update" : "new");
    return flow_fp_gate(f, &d, true);
}

void flow_start_update(struct flow *f)
{
    int days;
    const char *frozen = flow_registration_frozen(f, &days);
    if (frozen) {
        flow_notice_set(f, frozen, true);
        return;
    }
    if (flow_clerk_mode(f))
        flow_set_page(f, PAGE_CLERK_UPDATE);
}

/* A registration here by tracking ID (16 digits) or head's CNIC: NULL and
 * *S filled, or the message id saying why not. WHAT names the lookup in
 * the log. */
const char *flow_find_registration(struct flow *f, const char *input, const char *what,
                                   struct registration_summary *s)
{
    enum db_result r;
    size_t digits = 0;
    for (const char *p = input; *p; p++)
        digits += *p >= '0' && *p <= '9';
    if (digits == TRACKING_DIGITS) {
        struct tracking_id t;
        if (tracking_parse(input, &t) != TRACKING_OK)
            return N_("This tracking ID is not valid. Please check it and type it again.");
        r = registry_find_by_tracking(f->db, &t, s);
    } else {
        struct cnic c;
        enum cnic_error e = cnic_parse(input, f->cfg->cnic_regions, &c);
        if (e != CNIC_OK)
            return cnic_error_text(e);
        r = registry_find_by_cnic(f->db, &c, s);
        explicit_bzero(&c, sizeof c);
    }
    if (r == DB_NOT_FOUND)
        return N_("No registration here has this number.");
    if (r != DB_OK) {
        log_msg(LOG_ERROR, "lookup for %s failed: %s", what, db_last_error(f->db));
        return db_result_text(r);
    }
    return NULL;
}

const char *flow_update_registration(struct flow *f, const char *input)
{
    if (!flow_clerk_mode(f))
        return N_("Only a clerk can update a registration.");
    struct registration_summary s;
    const char *why = flow_find_registration(f, input, "an update", &s);
    if (why)
        return why;
    int64_t id = s.id;
    struct draft_info open;
    enum db_result r = drafts_find_by_cnic(f->db, s.cnic.digits, &open);
    explicit_bzero(&s, sizeof s);
    flow_survey_wipe(f);
    if (r == DB_OK) /* an update already under way: carry on with it */
        return flow_fp_gate(f, &open, true);
    return start_update_of(f, id);
}

void flow_expire_drafts(struct flow *f)
{
    int wiped = 0;
    enum db_result r =
        drafts_expire(f->db, time(NULL), (long)f->cfg->draft_retention_hours * 3600, &wiped);
    if (r != DB_OK)
        log_msg(LOG_ERROR, "expiring drafts failed: %s", db_last_error(f->db));
    else if (wiped)
        log_msg(LOG_INFO, "%d expired draft(s) wiped", wiped);
}

void flow_today(int today[3])
{
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    today[0] = tm.tm_year + 1900;
    today[1] = tm.tm_mon + 1;
    today[2] = tm.tm_mday;
}

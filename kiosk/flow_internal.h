/*
 * flow_internal.h - the session state shared by the flow's files
 * (flow.c: pages, status, clerk lists; flow_survey.c: the draft, survey
 * pages, roster, review and confirmation). Nothing outside kiosk/flow*.c
 * includes it: screens see only flow.h, and must never reach into this
 * struct.
 */
#ifndef NSER_FLOW_INTERNAL_H
#define NSER_FLOW_INTERNAL_H

#include "flow.h"

#define FLOW_STEPS_MAX 64

/* One stop on the survey's way, in order: a household page or the roster. */
struct flow_step {
    int page; /* questionnaire page index, or -1 for the roster */
};

struct flow {
    struct db *db;
    const struct config *cfg;
    const struct questionnaire *q;
    const struct scoring *scoring;
    enum flow_page page;
    unsigned serial;
    unsigned generation;

    struct status_answer status;

    /* The survey's shape, worked out once from the questionnaire. */
    struct flow_step steps[FLOW_STEPS_MAX];
    int n_steps;
    int member_pages[FLOW_STEPS_MAX];
    int n_member_pages;

    /* The draft being answered. */
    bool draft_open;
    struct draft_info draft;
    struct draft_info offer; /* on PAGE_REG_RESUME */
    int step;                /* index into steps (household pages, roster) */
    int member_page;         /* index into member_pages, on a member page */
    int member_pos;          /* ANSWERS_HOUSEHOLD on household pages */
    int member_rank;         /* 1-based roster row of member_pos */
    int focus;
    bool back_to_review;
    struct answers *page_answers;
    int page_slot;

    /* Review and its score. */
    struct answers *review;
    int *review_positions;
    size_t review_cap;
    struct scoring_result score;
    bool scored;

    struct tracking_id receipt;

    /* USB devices (flow_devices.c). */
    struct flow_devices devices;
    struct flow_device_cnic device_cnic;
    bool device_cnic_ready;
    unsigned device_cnic_serial; /* the page serial it was read on */
    const char *notice;
    bool notice_error;
    bool notice_page_bound; /* cleared when the page changes */
    unsigned notice_serial;
    enum flow_print_state print_state;
    const char *print_problem;
    bool receipt_printed; /* once: later prints say COPY */
    bool receipt_copy;    /* the receipt page shows a reprint (flow_clerk.c) */

    /* Who is logged in (flow_session.c). */
    enum user_role role;
    char user[ACCOUNTS_NAME_MAX + 1];
    struct audit *audit;

    /* Fingerprints (flow_finger.c). */
    struct fp_reader_ops fp_ops;
    struct bio_vault *vault;
    struct flow_fp_view fp;
    bool fp_capturing;                      /* a capture runs on the reader */
    bool fp_then_review;                    /* an enrolment from the review page returns there */
    bool fp_reader_lost;                    /* a reader went away: its return is announced */
    bool fp_returning;                      /* the open draft is a returning household's */
    int fp_finger_index;                    /* into cfg->fp_fingers */
    int64_t fp_passed_draft;                /* the draft whose finger step is done this session */
    char fp_account[ACCOUNTS_NAME_MAX + 1]; /* FLOW_FP_LOGIN: who is logging in */

    /* Sync (flow_sync.c): the last export or import, as shown. */
    char sync_result[320];
    bool sync_result_error;
};

/* flow.c */
void flow_set_page(struct flow *f, enum flow_page page);

/* flow.c: a registration here by tracking ID or head's CNIC (update,
 * reprint). NULL and *S filled, or a message id; WHAT is for the log. */
const char *flow_find_registration(struct flow *f, const char *input, const char *what,
                                   struct registration_summary *s);

/* flow_devices.c: a notice in the message line (also for the freeze). */
void flow_notice_set(struct flow *f, const char *msgid, bool is_error);

/* flow_devices.c: a new page forgets a CNIC read for the old one. */
void flow_devices_page_changed(struct flow *f);

/* flow_survey.c */
int flow_survey_setup(struct flow *f);
void flow_survey_wipe(struct flow *f);
/* Opens draft D (already in the database) at its resume point. */
const char *flow_survey_open(struct flow *f, const struct draft_info *d);

/* flow_finger.c: where a draft would open (new, resumed, opened by a
 * clerk, an update): the head's finger is taken or checked first when a
 * reader is there, then flow_survey_open. RETURNING: resumed, opened or
 * updated (the finger is checked against the kept print). */
const char *flow_fp_gate(struct flow *f, const struct draft_info *d, bool returning);
/* flow_finger.c: the session is forgotten: stop any capture. */
void flow_fp_wipe(struct flow *f);
/* flow_finger.c, inside the confirmation's transaction: the draft's
 * finger moves to the registration (and a clerk's confirm without one is
 * audited). 0 or -1. */
int flow_fp_confirm_tx(struct flow *f, struct db *db, const struct tracking_id *t,
                       int64_t registration_id);
/* flow_finger.c: NULL when the draft may be confirmed as far as the
 * finger goes, else a message id (an applicant with a reader there must
 * give it first). */
const char *flow_fp_confirm_problem(struct flow *f);

#endif

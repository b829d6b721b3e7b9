/*
 * flow.h - the session flow: which page comes next, and the applicant's
 * session (the household being registered, the last status answer).
 *
 * Screens call these functions and then draw whatever page the flow is on;
 * they never decide the order themselves. Registration pages are a table
 * (see flow.c), so the full survey slots in as more rows. Never draws,
 * never touches SQL directly: storage goes through db/registry.
 */
#ifndef NSER_FLOW_H
#define NSER_FLOW_H

#include <stdbool.h>

#include "../db/db.h"
#include "config.h"
#include "household.h"
#include "status_query.h"
#include "tracking.h"

enum flow_page {
    PAGE_HOME = 0,
    PAGE_STATUS_ENTRY,
    PAGE_STATUS_RESULT,
    PAGE_REG_CNIC,
    PAGE_REG_HEAD,
    PAGE_REG_ROSTER,
    PAGE_REG_MEMBER, /* a sub-page of the roster, not in the linear order */
    PAGE_REG_HOUSING,
    PAGE_REG_REVIEW,
    PAGE_REG_RECEIPT,
    PAGE_COUNT
};

struct flow;

/* DB and CFG are borrowed and must outlive the flow. */
struct flow *flow_new(struct db *db, const struct config *cfg);
void flow_free(struct flow *f);

enum flow_page flow_page(const struct flow *f);
const struct config *flow_config(const struct flow *f);

/*
 * Bumped whenever the session's data is replaced or wiped; screens that keep
 * typed text reload (and wipe) it when it changes.
 */
unsigned flow_generation(const struct flow *f);

/* Wipes the whole session from memory and shows the home page. */
void flow_end_session(struct flow *f);
bool flow_has_unfinished(const struct flow *f);

/* Linear navigation through the current path (status or registration). */
void flow_next(struct flow *f);
void flow_back(struct flow *f);

/* --- status check --- */
void flow_start_status(struct flow *f);
/* Looks INPUT up; on FOUND or NOT_FOUND moves to the result page. */
const struct status_answer *flow_check_status(struct flow *f, const char *input);
const struct status_answer *flow_status_answer(const struct flow *f);
/* Done with the answer: wipe it and go home. Ends the whole session unless
 * a registration is open (the same applicant may go back to it). */
void flow_finish_status(struct flow *f);

/* --- registration --- */
void flow_start_registration(struct flow *f);
/*
 * Takes the head's CNIC; NULL on success (moves on), else a message id.
 * A CNIC registered here before starts an update with its household loaded.
 */
const char *flow_set_head_cnic(struct flow *f, const char *input);
struct household *flow_household(struct flow *f);
bool flow_is_update(const struct flow *f);
/* Tracking ID of the registration an update replaces ("" if none). */
const char *flow_previous_tracking(const struct flow *f);

/* Roster: open the member page for member I, or a new member when I < 0. */
void flow_edit_member(struct flow *f, int i);
int flow_editing_member(const struct flow *f);
/* Stores P at the edited position; NULL or a message id (roster full). */
const char *flow_save_member(struct flow *f, const struct person *p);
/* Back to the roster without saving (the screen keeps what was typed). */
void flow_leave_member(struct flow *f);

/* Commits the registration; NULL on success (receipt page), else message id. */
const char *flow_confirm(struct flow *f);
const struct tracking_id *flow_receipt(const struct flow *f);

/* Today's date (local time), for validating dates of birth. */
void flow_today(struct date *out);

#endif

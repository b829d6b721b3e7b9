/*
 * flow.h - the session flow: which page comes next, and the session's
 * state (the draft being filled in, the last status answer, the receipt).
 *
 * Screens call these functions and then draw whatever page the flow is on;
 * they never decide the order themselves. The survey's pages come from the
 * questionnaire: household pages in file order, with the roster standing
 * where the first member page is; member pages are asked per member from
 * the roster. Every answer goes to the draft in SQLite as it is given, so
 * the flow holds only the page being answered. Never draws, never touches
 * SQL directly: storage goes through db/drafts and db/registry.
 */
#ifndef NSER_FLOW_H
#define NSER_FLOW_H

#include <stdbool.h>
#include <stddef.h>

#include "../db/db.h"
#include "../db/drafts.h"
#include "../db/registry.h"
#include "accounts.h"
#include "answers.h"
#include "audit.h"
#include "config.h"
#include "device_event.h"
#include "fingerprint.h"
#include "receipt_doc.h"
#include "questionnaire.h"
#include "scoring.h"
#include "status_query.h"
#include "sync.h"
#include "tracking.h"

enum flow_page {
    PAGE_HOME = 0,
    PAGE_STATUS_ENTRY,
    PAGE_STATUS_RESULT,
    PAGE_REG_CNIC,
    PAGE_REG_RESUME, /* saved answers exist for this CNIC: continue or start again */
    PAGE_REG_SURVEY, /* one questionnaire page (household or one member) */
    PAGE_REG_ROSTER,
    PAGE_REG_REVIEW,
    PAGE_REG_SCORE, /* clerk only: the provisional score and its breakdown */
    PAGE_REG_RECEIPT,
    PAGE_CLERK_DRAFTS,     /* clerk only: open drafts to resume */
    PAGE_CLERK_UPDATE,     /* clerk only: a CNIC or tracking ID to update */
    PAGE_SYNC,             /* clerk only: the sync backlog, export and import */
    PAGE_LOGIN,            /* a clerk or supervisor logs in */
    PAGE_TODAY,            /* clerk only: today's registrations at this kiosk */
    PAGE_REPRINT,          /* clerk only: a tracking ID or CNIC whose receipt to print again */
    PAGE_ACCOUNTS,         /* supervisor only: accounts */
    PAGE_AUDIT,            /* supervisor only: the audit trail */
    PAGE_FINGER,           /* a finger is taken or checked (kiosk/flow_finger.c) */
    PAGE_FINGER_EXCEPTION, /* clerk only: no usable finger, a reason and the clerk's sign-off */
    PAGE_COUNT
};

struct flow;

/* DB, CFG, Q and SCORING are borrowed and must outlive the flow. SCORING may be NULL
 * (then nothing is scored). */
struct flow *flow_new(struct db *db, const struct config *cfg, const struct questionnaire *q,
                      const struct scoring *scoring);
void flow_free(struct flow *f);

enum flow_page flow_page(const struct flow *f);
/* Changes whenever the page shown changes, also between two survey pages. */
unsigned flow_page_serial(const struct flow *f);
const struct config *flow_config(const struct flow *f);
const struct questionnaire *flow_questionnaire(const struct flow *f);
bool flow_clerk_mode(const struct flow *f);
/* True for the pages an applicant can be on (home, status, registration,
 * the finger page): the ones with + and * keys and a spoken prompt. */
bool flow_applicant_page(enum flow_page page);

/* Bumped whenever the session is replaced or wiped; screens that keep
 * typed text reload (and wipe) it when it changes. */
unsigned flow_generation(const struct flow *f);

/* Forgets the session (the draft stays in the database, resumable) and
 * shows the home page. */
void flow_end_session(struct flow *f);
bool flow_has_unfinished(const struct flow *f);

/* --- status check --- */
void flow_start_status(struct flow *f);
const struct status_answer *flow_check_status(struct flow *f, const char *input);
const struct status_answer *flow_status_answer(const struct flow *f);
void flow_finish_status(struct flow *f);
void flow_go_back(struct flow *f); /* Esc on the simple pages */

/* --- registration --- */
void flow_start_registration(struct flow *f);
/*
 * Takes the head's CNIC; NULL on success, else a message id. Moves to the
 * resume offer when the CNIC has a draft, else starts one. In applicant
 * mode a CNIC already registered here is sent to the counter: an applicant
 * never sees a registered household's answers.
 */
const char *flow_set_head_cnic(struct flow *f, const char *input);
/* The draft offered on PAGE_REG_RESUME. */
const struct draft_info *flow_resume_offer(const struct flow *f);
/* Continue the offered draft (true) or wipe it and start again (false). */
const char *flow_resume(struct flow *f, bool resume);
const struct draft_info *flow_draft(const struct flow *f); /* NULL when none is open */
bool flow_is_update(const struct flow *f);

/* The questionnaire page being answered, and for a member page the member's
 * position in the draft (ANSWERS_HOUSEHOLD for a household page). */
const struct q_page *flow_survey_page(const struct flow *f);
int flow_survey_member(const struct flow *f);
/* 1-based number of that member in the roster, 0 for a household page. */
int flow_survey_member_number(const struct flow *f);
/* The answers the page sees: household, head (member 0) and, on a member
 * page, the member at flow_survey_slot(). Always current: every answer
 * given updates it. */
const struct answers *flow_survey_answers(const struct flow *f);
int flow_survey_slot(const struct flow *f);
struct expr_ctx flow_survey_ctx(const struct flow *f);
/* Question index to put the cursor on when the page opens (resume). */
int flow_survey_focus(const struct flow *f);
/* The cursor moved to question Q of the page: the resume point follows. */
void flow_survey_set_focus(struct flow *f, int q);
/* True when QQ cannot be changed here (the head's relation and CNIC). */
bool flow_question_locked(const struct flow *f, const struct q_question *qq);

/*
 * One answer, as typed (NULL or "" clears it): validated, then stored in
 * the draft in one small transaction. NULL when stored, else a message id
 * (which may hold one %s for the allowed range: see flow_range_text).
 * QUESTION_INDEX is where the applicant will be next (the resume point).
 */
const char *flow_answer(struct flow *f, const struct q_question *qq, const char *typed,
                        int next_question);
void flow_range_text(const struct q_question *qq, char *out, size_t outsz);
/* A stored answer as a person reads it: an option's or a place's name in
 * the current language, a CNIC or date with its dashes, "-" when NULL. */
void flow_display_answer(const struct flow *f, const struct q_question *qq, const char *v,
                         char *out, size_t outsz);
/* The stored answer shown back in a field (a date as DD-MM-YYYY). */
void flow_answer_for_field(const struct q_question *qq, const char *stored, char *out,
                           size_t outsz);
/*
 * The page is done: every shown required question answered, the page's
 * checks pass. NULL moves on; else the text to show (a message id or, for a
 * failed check, its message in the current language) and *BAD_QUESTION is
 * the index to focus (-1 for a check).
 */
const char *flow_survey_done(struct flow *f, int *bad_question);
void flow_survey_back(struct flow *f);

/* Roster. Rows are read from the draft a page at a time. */
int flow_roster_count(struct flow *f);
/* Fills up to N rows starting at row START (0 = the head): positions and
 * the roster columns' display texts. Returns how many rows were filled. */
#define FLOW_ROSTER_COLS 6
struct flow_roster_row {
    int position;
    char cells[FLOW_ROSTER_COLS][64];
};
int flow_roster_rows(struct flow *f, int start, int n, struct flow_roster_row *out);
/* Edit member at POSITION, or a new one when POSITION < 0. NULL or message id. */
const char *flow_edit_member(struct flow *f, int position);
const char *flow_delete_member(struct flow *f, int position);
/* Leave the roster forward (NULL) or refuse (message id: an incomplete member). */
const char *flow_roster_done(struct flow *f);
void flow_roster_back(struct flow *f);

/* Review: every shown answer, loaded when the page opens. */
const struct answers *flow_review_answers(const struct flow *f);
/* Position of member I of the review answers. */
int flow_review_position(const struct flow *f, size_t i);
/* Jump to edit questionnaire page PAGE_INDEX (for member I of the review
 * answers on a member page); the page returns to the review when done. */
void flow_review_edit(struct flow *f, size_t page_index, int member_index);
void flow_review_back(struct flow *f);

/* Clerk: the provisional score of the household under review. */
const struct scoring_result *flow_score(const struct flow *f); /* NULL: not scored */
const char *flow_score_problem(const struct flow *f);
/* Labels of a score item and of a programme in the current language. */
const char *flow_score_label(const struct flow *f, const char *item_id);
const char *flow_programme_label(const struct flow *f, const char *programme_id);
void flow_show_score(struct flow *f);
void flow_score_back(struct flow *f);

/*
 * Checks the whole household again, scores it and commits it as a
 * registration (one transaction, the draft removed). NULL on success
 * (receipt page), else the text to show.
 */
const char *flow_confirm(struct flow *f);
const struct tracking_id *flow_receipt(const struct flow *f);

/* --- clerk --- */
void flow_show_drafts(struct flow *f);
/* Open drafts, newest first. */
const char *flow_list_drafts(struct flow *f, struct draft_info *out, size_t max, size_t *n);
const char *flow_open_draft(struct flow *f, int64_t id);
/* The draft an applicant shows at the counter: its 7-digit number, dashes
 * and spaces allowed. NULL (opened) or a message id. */
const char *flow_open_draft_number(struct flow *f, const char *number);
void flow_start_update(struct flow *f);
/* A CNIC or tracking ID of a registration here: its answers become a new
 * draft that will be stored as the next version. */
const char *flow_update_registration(struct flow *f, const char *input);

/* --- USB devices (kiosk/flow_devices.c) --- */

/* What main wires in so the flow can use the devices without knowing
 * libusb. Any member may be NULL. */
struct flow_devices {
    /* Queues a print; 0, or -1 when there is no printer or it is busy. */
    int (*print)(void *ud, const struct receipt_doc *doc);
    /* Is a device of ROLE plugged in and ready? */
    bool (*present)(void *ud, enum device_role role);
    void *ud;
};
void flow_set_devices(struct flow *f, const struct flow_devices *devices);

/*
 * An event from a device. A CNIC read while a page that takes one is
 * shown (the CNIC pages, a survey question that asks for a CNIC) waits in
 * the flow for that page's screen to take it; anywhere else it is ignored
 * with a notice. Every other event becomes a notice in plain words.
 */
void flow_device_event(struct flow *f, const struct device_event *ev);

/* A CNIC a device read for the page shown: true once, then it is gone.
 * SOURCE is the role that read it; NAME and DOB may be "". */
struct flow_device_cnic {
    char cnic[14];
    char name[DEVICE_NAME_MAX];
    char dob[11];
    enum device_role source;
};
bool flow_take_device_cnic(struct flow *f, struct flow_device_cnic *out);
/* Does the page shown take a CNIC from a device? */
bool flow_page_takes_cnic(const struct flow *f);

/* The last device notice (a message id) and whether it is bad news; NULL
 * when none. NOTICE_SERIAL changes with every new notice, so the screen
 * manager can clear it after a while with flow_clear_notice(). */
const char *flow_notice(const struct flow *f, bool *is_error);
unsigned flow_notice_serial(const struct flow *f);
void flow_clear_notice(struct flow *f);

/* The receipt printer, on the receipt page. */
enum flow_print_state {
    FLOW_PRINT_NONE = 0,   /* nothing asked */
    FLOW_PRINT_NO_PRINTER, /* no printer plugged in */
    FLOW_PRINT_PRINTING,
    FLOW_PRINT_DONE,
    FLOW_PRINT_FAILED, /* flow_print_problem() says why */
};
/* Prints the receipt shown (again when it was printed already). */
void flow_print_receipt(struct flow *f);
enum flow_print_state flow_print_state(const struct flow *f);
const char *flow_print_problem(const struct flow *f); /* a message id */
/* The receipt as printed, in the current language (also for tests). */
void flow_receipt_doc(const struct flow *f, struct receipt_doc *doc);

/* --- sync (kiosk/flow_sync.c) --- */

/* The freeze rule (docs/sync.md): NULL when new registrations may start,
 * else the message id that says why not. *DAYS: the oldest unacknowledged
 * record's age. Drafts already begun may still be finished. */
const char *flow_registration_frozen(struct flow *f, int *days);
/* The same, for a page that has just read SI (no query, no log line). */
const char *flow_sync_frozen(const struct flow *f, const struct sync_info *si, int *days);

void flow_show_sync(struct flow *f); /* clerk only */
/* The backlog and the last export and import, read afresh. */
int flow_sync_info(struct flow *f, struct sync_info *out);
/* Exports to / imports from the configured folders. PROGRESS may be
 * NULL. The outcome, in the current language, is in flow_sync_result(). */
void flow_sync_export(struct flow *f, sync_progress_cb progress, void *ud);
void flow_sync_import(struct flow *f, sync_progress_cb progress, void *ud);
const char *flow_sync_result(const struct flow *f, bool *is_error);

/* --- accounts and roles (kiosk/flow_session.c) --- */

/* The audit trail (NULL: nothing is recorded, e.g. in unit tests). Borrowed. */
void flow_set_audit(struct flow *f, struct audit *a);
/* Records ACTION by whoever is logged in ("applicant" when nobody). */
void flow_audit(struct flow *f, enum audit_action action, const char *subject, const char *detail);

enum user_role flow_role(const struct flow *f);
const char *flow_user(const struct flow *f); /* "" when nobody is logged in */
/* The log-in page (the configured login key, or the start in counter mode). */
void flow_show_login(struct flow *f);
/* NULL: logged in, at the clerk's home page. Else a message id; on a lock
 * *WAIT_S is the seconds left (the message has one %d for it). */
const char *flow_login(struct flow *f, const char *name, const char *secret, int *wait_s);
/* Ends the clerk's session (and anything open in it): the applicant's home
 * page, or the log-in page in counter mode. */
void flow_logout(struct flow *f);

/* --- the clerk's and supervisor's tools (kiosk/flow_clerk.c) --- */

/* Esc on a tool's page: the clerk's home page (elsewhere as flow_go_back). */
void flow_tools_back(struct flow *f);

void flow_show_today(struct flow *f);
/* Today's registrations here (local date), newest first. NULL or a message id. */
const char *flow_today_list(struct flow *f, struct registration_summary *out, size_t max,
                            size_t *n);
void flow_show_reprint(struct flow *f);
/* True on the receipt page of a reprint (not of a registration just saved). */
bool flow_receipt_is_copy(const struct flow *f);
/* A tracking ID or CNIC registered here: its receipt page, printed again
 * (marked COPY). NULL or a message id. */
const char *flow_reprint(struct flow *f, const char *input);

void flow_show_accounts(struct flow *f); /* supervisor only */
const char *flow_accounts_list(struct flow *f, struct user_info *out, size_t max, size_t *n);
const char *flow_account_add(struct flow *f, const char *name, enum user_role role,
                             const char *secret);
const char *flow_account_passwd(struct flow *f, const char *name, const char *secret);
const char *flow_account_disable(struct flow *f, const char *name, bool disabled);
void flow_show_audit(struct flow *f); /* supervisor only */
/* Walks the whole trail: NULL with the outcome in OUT, in the current
 * language ("intact, N entries" or "BROKEN at row R: why"; *BROKEN says
 * which), or a message id when refused or unreadable. */
const char *flow_audit_check(struct flow *f, char *out, size_t outsz, bool *broken);
const char *flow_audit_entries(struct flow *f, int64_t before, struct audit_entry *out, size_t max,
                               size_t *n);

/* --- fingerprints (kiosk/flow_finger.c, docs/fingerprints.md) --- */

struct bio_vault;
/* The reader's operations (NULL or members NULL: no reader support) and
 * the vault prints are sealed with (NULL: prints are not kept). Borrowed. */
void flow_set_fingerprint(struct flow *f, const struct fp_reader_ops *ops, struct bio_vault *vault);
/* An event from the reader. Events for the finger page drive it; any
 * other becomes a notice, as flow_device_event does for USB. The receiver
 * may take EV->capture (flow_finger.c does, then frees it). */
void flow_fingerprint_event(struct flow *f, struct fp_event *ev);
/* Is a fingerprint reader plugged in and usable (and fingerprints on)? */
bool flow_fp_reader_present(const struct flow *f);

enum flow_fp_task {
    FLOW_FP_NONE = 0,
    FLOW_FP_ENROL,       /* the household head's finger is taken */
    FLOW_FP_VERIFY,      /* a returning head's finger is checked */
    FLOW_FP_STAFF_ENROL, /* a clerk takes their own finger (for log-in) */
    FLOW_FP_LOGIN,       /* a clerk logs in by finger */
};
enum flow_fp_state {
    FLOW_FP_WAITING = 0, /* press the finger: stage STAGE of STAGES */
    FLOW_FP_NO_READER,   /* no reader, or it was unplugged: carry on without */
    FLOW_FP_TIMED_OUT,   /* no finger in time: try again, another finger, exception */
    FLOW_FP_FAILED,      /* the reader failed: try again */
    FLOW_FP_TOO_MANY,    /* verify failed too often: the clerk decides */
};
struct flow_fp_view {
    enum flow_fp_task task;
    enum flow_fp_state state;
    enum fp_finger finger;
    int stage;  /* 1-based stage being taken */
    int stages; /* stages of this reader (verify: 1) */
    int done;   /* stages taken */
    /* The last retry reason or problem in plain words (a message id), NULL when none. */
    const char *message;
    bool message_is_error;
    int tries_left;        /* verify */
    bool can_other_finger; /* on a timeout: another finger from the config's list */
    bool can_exception;    /* clerk only: record that no finger can be taken */
    bool can_skip;         /* carry on without (clerk, or no reader) */
    /* Bumped whenever what the page says changes (a stage taken, a retry,
     * a timeout, a miss), even to the same words: the voice says it again. */
    unsigned said;
};
void flow_fp_view(const struct flow *f, struct flow_fp_view *out);
/* The finger page's number keys, the same for every task: the screen
 * draws them big, the voice says them. Enter still carries on. */
#define FLOW_FP_KEY_AGAIN     '1' /* try again */
#define FLOW_FP_KEY_OTHER     '2' /* another finger */
#define FLOW_FP_KEY_EXCEPTION '3' /* clerk only */
#define FLOW_FP_KEY_ON        '4' /* carry on without, or finish here */
/* The review's number key that takes the finger now (F still does). */
#define FLOW_FP_KEY_TAKE '3'
/* The finger page's choices. Each returns NULL or a message id. */
const char *flow_fp_try_again(struct flow *f);
const char *flow_fp_other_finger(struct flow *f);
const char *flow_fp_skip(struct flow *f); /* carry on without the finger (or the check) */
void flow_fp_back(struct flow *f);        /* Esc */

/* Review: one line on the head's finger ("right thumb, taken", ...), in
 * the current language ("" when fingerprints are off); and whether a key
 * offers to take it now. */
void flow_fp_review_line(struct flow *f, char *out, size_t outsz, bool *can_take);
const char *flow_fp_review_take(struct flow *f);

/* Exception (clerk only): the page, then REASON ("worn", "injured",
 * "missing", "other") and the clerk's own secret again as sign-off.
 * NULL (stored, the survey goes on) or a message id (*WAIT_S as for
 * flow_login). */
const char *flow_fp_show_exception(struct flow *f);
const char *flow_fp_exception(struct flow *f, const char *reason, const char *secret, int *wait_s);
void flow_fp_exception_back(struct flow *f);

/* Clerk log-in by finger. A logged-in clerk takes their own finger (the
 * finger page, then home); a supervisor approves it on the Accounts page;
 * then the log-in page's fingerprint key checks it, a failure counting
 * toward the same lockout as a wrong secret. Each: NULL or a message id. */
const char *flow_fp_staff_enrol(struct flow *f);
/* NAME's finger for log-in: 0 none, 1 waiting for approval, 2 approved. */
int flow_account_fp_state(struct flow *f, const char *name);
const char *flow_account_fp_approve(struct flow *f, const char *name); /* supervisor only */
/* From the log-in page: NAME's approved finger is asked for. *WAIT_S as
 * for flow_login. */
const char *flow_fp_login(struct flow *f, const char *name, int *wait_s);

/* A finger's name in the current language ("right thumb"). */
const char *flow_fp_finger_name(enum fp_finger finger);

/* Wipes drafts older than the configured retention. */
void flow_expire_drafts(struct flow *f);

/* Today's date (local time): {year, month, day}. */
void flow_today(int today[3]);

#endif

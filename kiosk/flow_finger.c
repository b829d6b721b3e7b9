/*
 * flow_finger.c - the fingerprint part of the session: the household
 * head's finger is taken when a registration starts and checked when a
 * returning household is opened; a clerk may record an exception (no
 * usable finger) with their sign-off; reader events that are not for the
 * finger page become notices.
 *
 * The reader is reached only through the fp_reader_ops main wires in,
 * prints only through the vault (sealed at once) and db/biometrics. A
 * missing or unplugged reader never stops a registration: the finger can
 * be taken later from the review page. Never draws, never runs SQL itself;
 * a print or an image never reaches a log, a notice or the audit trail
 * (which records only that something happened).
 */
#include "flow_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../db/biometrics.h"
#include "biometric_vault.h"
#include "i18n.h"
#include "log.h"

static const char *const finger_names[FP_FINGER_COUNT] = {
    N_("left thumb"),          N_("left index finger"),   N_("left middle finger"),
    N_("left ring finger"),    N_("left little finger"),  N_("right thumb"),
    N_("right index finger"),  N_("right middle finger"), N_("right ring finger"),
    N_("right little finger"),
};

const char *flow_fp_finger_name(enum fp_finger finger)
{
    return (unsigned)finger < FP_FINGER_COUNT ? _(finger_names[finger]) : "?";
}

void flow_set_fingerprint(struct flow *f, const struct fp_reader_ops *ops, struct bio_vault *vault)
{
    if (ops)
        f->fp_ops = *ops;
    else
        memset(&f->fp_ops, 0, sizeof f->fp_ops);
    f->vault = vault;
}

bool flow_fp_reader_present(const struct flow *f)
{
    return f->cfg->fp_enabled && f->vault && f->fp_ops.present && f->fp_ops.enroll &&
           f->fp_ops.verify && f->fp_ops.present(f->fp_ops.ud);
}

static void cancel_capture(struct flow *f)
{
    if (f->fp_capturing && f->fp_ops.cancel)
        f->fp_ops.cancel(f->fp_ops.ud);
    f->fp_capturing = false;
}

void flow_fp_wipe(struct flow *f)
{
    cancel_capture(f);
    memset(&f->fp, 0, sizeof f->fp);
    f->fp_then_review = false;
    f->fp_returning = false;
    f->fp_finger_index = 0;
    f->fp_passed_draft = 0;
    explicit_bzero(f->fp_account, sizeof f->fp_account);
}

void flow_fp_view(const struct flow *f, struct flow_fp_view *out)
{
    *out = f->fp;
}

static enum fp_finger configured_finger(const struct flow *f, int index)
{
    if (f->cfg->fp_finger_count <= 0)
        return FP_RIGHT_THUMB;
    return (enum fp_finger)f->cfg->fp_fingers[index % f->cfg->fp_finger_count];
}

/* The draft's subject in the audit trail: its number, never the CNIC. */
static const char *draft_subject(const struct flow *f)
{
    return f->draft.number;
}

/* The finger step of the open draft is done: on to the survey (or back
 * to the review it was started from). */
static const char *pass(struct flow *f)
{
    cancel_capture(f);
    f->fp_passed_draft = f->draft.id;
    f->fp.task = FLOW_FP_NONE;
    f->fp_then_review = false;
    return flow_survey_open(f, &f->draft);
}

static const char *start_capture(struct flow *f)
{
    f->fp.said++;
    f->fp.state = FLOW_FP_WAITING;
    f->fp.stage = 1;
    f->fp.done = 0;
    f->fp.message = NULL;
    f->fp.message_is_error = false;
    if (!flow_fp_reader_present(f)) {
        f->fp.state = FLOW_FP_NO_READER;
        f->fp.message = N_("No fingerprint reader is plugged in. You can carry on without it.");
        return NULL;
    }
    int rc = -1;
    /* The reader may answer from inside the call (the first "finger
     * needed"): the capture counts as running from here. */
    f->fp_capturing = true;
    if (f->fp.task == FLOW_FP_ENROL || f->fp.task == FLOW_FP_STAFF_ENROL) {
        f->fp.stages = f->fp.stages > 0 ? f->fp.stages : 5;
        rc = f->fp_ops.enroll(f->fp_ops.ud, f->fp.finger);
    } else {
        f->fp.stages = 1;
        uint8_t *sealed = NULL;
        size_t len = 0;
        struct bio_info info;
        struct fp_capture *c = NULL;
        char why[128];
        enum db_result r = f->fp.task == FLOW_FP_LOGIN
                               ? biometrics_get_account(f->db, f->fp_account, &info, &sealed, &len)
                               : biometrics_get_draft(f->db, f->draft.id, &info, &sealed, &len);
        if (r == DB_OK && sealed &&
            bio_vault_unseal(f->vault, sealed, len, &c, why, sizeof why) == 0) {
            rc = f->fp_ops.verify(f->fp_ops.ud, c->print, c->print_len);
        } else {
            log_msg(LOG_ERROR, "the kept fingerprint cannot be read");
        }
        fp_capture_free(c);
        free(sealed);
    }
    if (rc != 0) {
        f->fp_capturing = false;
        f->fp.state = FLOW_FP_FAILED;
        f->fp.message = N_("The fingerprint reader is busy or not ready. Please try again.");
        f->fp.message_is_error = true;
        return NULL;
    }
    return NULL;
}

static const char *show_capture(struct flow *f, enum flow_fp_task task)
{
    memset(&f->fp, 0, sizeof f->fp);
    f->fp.task = task;
    f->fp.finger = configured_finger(f, f->fp_finger_index);
    f->fp.tries_left = f->cfg->fp_verify_attempts;
    bool clerk = flow_clerk_mode(f);
    bool household = task == FLOW_FP_ENROL || task == FLOW_FP_VERIFY;
    f->fp.can_exception = clerk && task == FLOW_FP_ENROL;
    f->fp.can_other_finger =
        (task == FLOW_FP_ENROL || task == FLOW_FP_STAFF_ENROL) && f->cfg->fp_finger_count > 1;
    f->fp.can_skip = clerk && household;
    if (task == FLOW_FP_LOGIN)
        f->fp.tries_left = 1; /* each miss counts toward the log-in lockout */
    flow_set_page(f, PAGE_FINGER);
    return start_capture(f);
}

const char *flow_fp_gate(struct flow *f, const struct draft_info *d, bool returning)
{
    if (&f->draft != d)
        f->draft = *d;
    f->draft_open = true;
    if (f->fp_passed_draft == f->draft.id)
        return flow_survey_open(f, &f->draft);
    f->fp_returning = returning;
    if (!f->cfg->fp_enabled || !f->vault)
        return pass(f);
    struct bio_info info;
    enum db_result r = biometrics_get_draft(f->db, f->draft.id, &info, NULL, NULL);
    if (r != DB_OK && r != DB_NOT_FOUND) {
        log_msg(LOG_ERROR, "reading the draft's fingerprint failed: %s", db_last_error(f->db));
        return db_result_text(r);
    }
    bool has_print = r == DB_OK && !info.exception[0];
    if (r == DB_OK && info.exception[0]) {
        /* A clerk signed off that no finger can be taken: nothing to check. */
        if (returning)
            flow_audit(f, AUDIT_FP_FALLBACK, draft_subject(f), "exception kept");
        return pass(f);
    }
    if (!flow_fp_reader_present(f)) {
        /* No reader: the registration goes on; a returning household is
         * let through on the clerk's (or the centre's) word, recorded. */
        if (returning && has_print)
            flow_audit(f, AUDIT_FP_FALLBACK, draft_subject(f), "no reader");
        return pass(f);
    }
    if (has_print) {
        f->fp_finger_index = 0;
        int fg = fp_finger_parse(info.finger);
        const char *why = show_capture(f, FLOW_FP_VERIFY);
        if (fg >= 0)
            f->fp.finger = (enum fp_finger)fg;
        return why;
    }
    if (returning)
        flow_audit(f, AUDIT_FP_FALLBACK, draft_subject(f), "no print");
    f->fp_finger_index = 0;
    return show_capture(f, FLOW_FP_ENROL);
}

/* --- the finger page's choices --- */

const char *flow_fp_try_again(struct flow *f)
{
    if (f->page != PAGE_FINGER)
        return NULL;
    cancel_capture(f);
    return start_capture(f);
}

const char *flow_fp_other_finger(struct flow *f)
{
    if (f->page != PAGE_FINGER || !f->fp.can_other_finger)
        return NULL;
    cancel_capture(f);
    f->fp_finger_index = (f->fp_finger_index + 1) % f->cfg->fp_finger_count;
    f->fp.finger = configured_finger(f, f->fp_finger_index);
    return start_capture(f);
}

const char *flow_fp_skip(struct flow *f)
{
    if (f->page != PAGE_FINGER)
        return NULL;
    if (f->fp.task == FLOW_FP_STAFF_ENROL || f->fp.task == FLOW_FP_LOGIN) {
        flow_fp_back(f);
        return NULL;
    }
    bool no_reader = f->fp.state == FLOW_FP_NO_READER;
    if (f->fp.task == FLOW_FP_VERIFY && f->fp.state == FLOW_FP_TOO_MANY && !flow_clerk_mode(f)) {
        /* Sent to the counter: the draft stays for the clerk. */
        cancel_capture(f);
        flow_end_session(f);
        return NULL;
    }
    if (!no_reader && !flow_clerk_mode(f))
        return N_("Please give your finger, or ask the clerk for help.");
    if (f->fp.task == FLOW_FP_VERIFY)
        flow_audit(f, AUDIT_FP_FALLBACK, draft_subject(f),
                   no_reader ? "no reader" : "clerk continued");
    return pass(f);
}

void flow_fp_back(struct flow *f)
{
    if (f->page != PAGE_FINGER)
        return;
    cancel_capture(f);
    bool review = f->fp_then_review;
    enum flow_fp_task task = f->fp.task;
    f->fp.task = FLOW_FP_NONE;
    if (task == FLOW_FP_STAFF_ENROL) {
        flow_set_page(f, PAGE_HOME);
        return;
    }
    if (task == FLOW_FP_LOGIN) {
        explicit_bzero(f->fp_account, sizeof f->fp_account);
        flow_set_page(f, PAGE_LOGIN);
        return;
    }
    f->fp_then_review = false;
    if (review) {
        /* The review page is the draft's resume point: open it again. */
        f->fp_passed_draft = f->draft.id;
        flow_survey_open(f, &f->draft);
        return;
    }
    flow_set_page(f,
                  flow_clerk_mode(f) && f->draft.previous_registration ? PAGE_HOME : PAGE_REG_CNIC);
}

/* --- reader events --- */

static const char *retry_text(enum fp_retry_reason r)
{
    switch (r) {
    case FP_RETRY_TOO_SHORT:
        return N_("Too short. Keep your finger on the reader a little longer.");
    case FP_RETRY_CENTER:
        return N_("Not in the middle. Put your finger in the centre of the reader.");
    case FP_RETRY_REMOVE:
        return N_("Lift your finger off the reader, then press again.");
    case FP_RETRY_QUALITY:
        return N_("The print was not clear. Wipe your finger clean and press again.");
    default:
        return N_("That did not work. Lift your finger and press again.");
    }
}

static const char *failed_text(enum device_problem p)
{
    if (p == DEVICE_PROBLEM_NO_ACCESS)
        return N_("The fingerprint reader cannot be opened: no permission. Install "
                  "/etc/udev/rules.d/71-nser-kiosk-fingerprint.rules (see docs/fingerprints.md).");
    if (p == DEVICE_PROBLEM_BUSY)
        return N_("The fingerprint reader is in use by another program. Please tell the staff.");
    return N_("The fingerprint reader stopped working. Please try again.");
}

/* The finger was enrolled: sealed and stored with the draft at once. */
static void enrolled(struct flow *f, struct fp_event *ev)
{
    struct fp_capture *c = ev->capture;
    ev->capture = NULL;
    f->fp_capturing = false;
    uint8_t *sealed = NULL;
    size_t len = 0;
    if (!c || !f->vault || bio_vault_seal(f->vault, c, &sealed, &len) != 0) {
        fp_capture_free(c);
        f->fp.state = FLOW_FP_FAILED;
        f->fp.message = N_("The fingerprint could not be kept. Please try again.");
        f->fp.message_is_error = true;
        f->fp.said++;
        log_msg(LOG_ERROR, "a fingerprint could not be sealed");
        return;
    }
    struct bio_info info;
    memset(&info, 0, sizeof info);
    snprintf(info.finger, sizeof info.finger, "%s", fp_finger_id(f->fp.finger));
    snprintf(info.driver, sizeof info.driver, "%s", c->driver);
    info.captured_at = c->captured_at ? c->captured_at : time(NULL);
    info.retries = c->retries;
    info.has_image = c->image != NULL;
    fp_capture_free(c);
    bool staff = f->fp.task == FLOW_FP_STAFF_ENROL;
    enum db_result r = staff ? biometrics_put_account(f->db, f->user, &info, sealed, len)
                             : biometrics_put_draft(f->db, f->draft.id, &info, sealed, len);
    free(sealed);
    if (r != DB_OK) {
        log_msg(LOG_ERROR, "storing a fingerprint failed: %s", db_last_error(f->db));
        f->fp.state = FLOW_FP_FAILED;
        f->fp.message = db_result_text(r);
        f->fp.message_is_error = true;
        f->fp.said++;
        return;
    }
    log_msg(LOG_INFO, "fingerprint taken (%s)", info.finger);
    if (staff) {
        flow_audit(f, AUDIT_FP_CAPTURE, f->user, info.finger);
        f->fp.task = FLOW_FP_NONE;
        flow_set_page(f, PAGE_HOME);
        flow_notice_set(f,
                        N_("Your finger is kept. A supervisor must approve it on the Accounts "
                           "page before you can log in with it."),
                        false);
        return;
    }
    flow_audit(f, AUDIT_FP_CAPTURE, draft_subject(f), info.finger);
    const char *why = pass(f);
    if (why)
        flow_notice_set(f, why, true);
}

static void login_verified(struct flow *f, bool match)
{
    int wait_s = 0;
    struct user_info u;
    char name[ACCOUNTS_NAME_MAX + 1];
    snprintf(name, sizeof name, "%s", f->fp_account);
    explicit_bzero(f->fp_account, sizeof f->fp_account);
    f->fp.task = FLOW_FP_NONE;
    enum auth_result r =
        accounts_login_proved(f->db, name, match, (int64_t)time(NULL), &u, &wait_s);
    if (r == AUTH_OK) {
        f->role = u.role;
        snprintf(f->user, sizeof f->user, "%s", u.name);
        flow_audit(f, AUDIT_LOGIN, u.name, "fingerprint");
        log_msg(LOG_INFO, "%s logged in by fingerprint", role_name(u.role));
        f->generation++;
        flow_set_page(f, PAGE_HOME);
        return;
    }
    flow_audit(f, r == AUTH_LOCKED ? AUDIT_LOCKED_OUT : AUDIT_LOGIN_FAILED, name, "fingerprint");
    flow_set_page(f, PAGE_LOGIN);
    flow_notice_set(f,
                    r == AUTH_LOCKED ? N_("Too many wrong tries. Please wait, then try again.")
                    : r == AUTH_DISABLED
                        ? N_("This account is switched off. Please ask the supervisor.")
                        : N_("The finger did not match. Please try again, or type your PIN or "
                             "password."),
                    true);
}

static void verified(struct flow *f, bool match)
{
    f->fp_capturing = false;
    if (f->fp.task == FLOW_FP_LOGIN) {
        login_verified(f, match);
        return;
    }
    if (match) {
        log_msg(LOG_INFO, "fingerprint matched");
        flow_audit(f, AUDIT_FP_MATCH, draft_subject(f), fp_finger_id(f->fp.finger));
        const char *why = pass(f);
        if (why)
            flow_notice_set(f, why, true);
        return;
    }
    if (--f->fp.tries_left > 0) {
        start_capture(f);
        f->fp.message = N_("This finger does not match. Please press the same finger again.");
        f->fp.message_is_error = true;
        f->fp.said++;
        return;
    }
    char detail[48];
    snprintf(detail, sizeof detail, "no match %dx", f->cfg->fp_verify_attempts);
    log_msg(LOG_INFO, "fingerprint did not match: the clerk decides");
    flow_audit(f, AUDIT_FP_FALLBACK, draft_subject(f), detail);
    f->fp.state = FLOW_FP_TOO_MANY;
    f->fp.can_skip = true;
    f->fp.message = flow_clerk_mode(f)
                        ? N_("The finger did not match. You may carry on; this is recorded.")
                        : N_("The finger did not match. Please go to the counter: the clerk "
                             "will help you.");
    f->fp.message_is_error = true;
    f->fp.said++;
}

/* Events while the finger page is shown and a capture runs. */
static bool page_event(struct flow *f, struct fp_event *ev)
{
    if (f->page != PAGE_FINGER || f->fp.task == FLOW_FP_NONE)
        return false;
    switch (ev->kind) {
    case FP_FINGER_NEEDED:
        if (!f->fp_capturing)
            return false;
        f->fp.state = FLOW_FP_WAITING;
        f->fp.stage = ev->stage;
        f->fp.stages = ev->stages;
        return true;
    case FP_STAGE_PASSED:
        if (!f->fp_capturing)
            return false;
        f->fp.done = ev->stage;
        f->fp.stages = ev->stages;
        f->fp.stage = ev->stage < ev->stages ? ev->stage + 1 : ev->stage;
        f->fp.message = N_("Good. Lift your finger, then press again.");
        f->fp.message_is_error = false;
        f->fp.said++;
        return true;
    case FP_RETRY:
        if (!f->fp_capturing)
            return false;
        f->fp.message = retry_text(ev->retry);
        f->fp.message_is_error = true;
        f->fp.said++;
        return true;
    case FP_TIMED_OUT:
        if (!f->fp_capturing)
            return false;
        f->fp_capturing = false;
        f->fp.state = FLOW_FP_TIMED_OUT;
        f->fp.message = N_("No finger was felt in time.");
        f->fp.message_is_error = true;
        f->fp.said++;
        return true;
    case FP_ENROLLED:
        if (!f->fp_capturing || (f->fp.task != FLOW_FP_ENROL && f->fp.task != FLOW_FP_STAFF_ENROL))
            return false;
        enrolled(f, ev);
        return true;
    case FP_MATCH:
    case FP_NO_MATCH:
        if (!f->fp_capturing || (f->fp.task != FLOW_FP_VERIFY && f->fp.task != FLOW_FP_LOGIN))
            return false;
        verified(f, ev->kind == FP_MATCH);
        return true;
    case FP_READER_GONE:
        f->fp_reader_lost = true;
        f->fp_capturing = false;
        f->fp.state = FLOW_FP_NO_READER;
        f->fp.can_skip = true;
        f->fp.message = N_("The fingerprint reader was unplugged. The registration carries "
                           "on: the finger can be taken later, from the review page.");
        f->fp.message_is_error = true;
        f->fp.said++;
        return true;
    case FP_FAILED:
        if (!f->fp_capturing)
            return false;
        f->fp_capturing = false;
        if (ev->problem == DEVICE_PROBLEM_GONE_MID_READ) {
            ev->kind = FP_READER_GONE;
            return page_event(f, ev);
        }
        f->fp.state = FLOW_FP_FAILED;
        f->fp.message = failed_text(ev->problem);
        f->fp.message_is_error = true;
        f->fp.said++;
        return true;
    case FP_READER_READY:
        if (f->fp.state != FLOW_FP_NO_READER)
            return false;
        f->fp_reader_lost = false;
        /* The reader is back: the capture can be redone at once. */
        f->fp.can_skip = flow_clerk_mode(f);
        start_capture(f);
        return true;
    default:
        return false;
    }
}

void flow_fingerprint_event(struct flow *f, struct fp_event *ev)
{
    log_msg(LOG_INFO, "fingerprint event %d stage %d/%d problem %d: %s", (int)ev->kind, ev->stage,
            ev->stages, (int)ev->problem, ev->detail);
    if (page_event(f, ev))
        return;
    switch (ev->kind) {
    case FP_READER_READY:
        /* The reader found at start is simply used (its first READY comes
         * once it is opened, after the first screen); one plugged back in
         * is announced, so whoever plugged it sees it works. */
        if (f->fp_reader_lost)
            flow_notice_set(f, N_("Fingerprint reader ready."), false);
        f->fp_reader_lost = false;
        break;
    case FP_READER_GONE:
        f->fp_reader_lost = true;
        f->fp_capturing = false;
        flow_notice_set(f, N_("The fingerprint reader was unplugged."), true);
        break;
    case FP_READER_UNUSABLE:
        flow_notice_set(f, failed_text(ev->problem), true);
        break;
    case FP_FAILED:
        f->fp_capturing = false;
        flow_notice_set(f, failed_text(ev->problem), true);
        break;
    default:
        /* A touch on the reader with nothing asked for it. */
        flow_notice_set(f,
                        N_("The fingerprint reader was touched, but this screen does not ask "
                           "for a finger."),
                        false);
        break;
    }
}

/* --- review and confirmation --- */

/* An exception's reason code as a person reads it. */
static const char *reason_label(const char *code)
{
    static const char *const labels[][2] = {
        {"worn", N_("worn")},
        {"injured", N_("injured")},
        {"missing", N_("missing")},
        {"other", N_("other")},
    };
    for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
        if (strcmp(code, labels[i][0]) == 0)
            return _(labels[i][1]);
    return code;
}

void flow_fp_review_line(struct flow *f, char *out, size_t outsz, bool *can_take)
{
    struct bio_info info;
    *can_take = false;
    out[0] = '\0';
    if (!f->cfg->fp_enabled)
        return; /* fingerprints are off here: nothing to say */
    enum db_result r =
        f->draft_open ? biometrics_get_draft(f->db, f->draft.id, &info, NULL, NULL) : DB_NOT_FOUND;
    if (r == DB_OK && info.exception[0]) {
        snprintf(out, outsz, _("Fingerprint: exception: %s (%s)"), reason_label(info.exception),
                 info.signed_off_by);
        return;
    }
    if (r == DB_OK) {
        int fg = fp_finger_parse(info.finger);
        snprintf(out, outsz, _("Fingerprint: %s, taken"),
                 fg >= 0 ? flow_fp_finger_name((enum fp_finger)fg) : info.finger);
        return;
    }
    snprintf(out, outsz, "%s", _("Fingerprint: not taken"));
    *can_take = f->cfg->fp_enabled && flow_fp_reader_present(f);
}

const char *flow_fp_review_take(struct flow *f)
{
    if (f->page != PAGE_REG_REVIEW || !f->draft_open)
        return NULL;
    if (!flow_fp_reader_present(f))
        return N_("No fingerprint reader is plugged in.");
    f->fp_finger_index = 0;
    const char *why = show_capture(f, FLOW_FP_ENROL);
    f->fp_then_review = true;
    return why;
}

const char *flow_fp_confirm_problem(struct flow *f)
{
    if (flow_clerk_mode(f) || !flow_fp_reader_present(f))
        return NULL;
    struct bio_info info;
    if (biometrics_get_draft(f->db, f->draft.id, &info, NULL, NULL) == DB_OK)
        return NULL;
    return N_("Please give your finger first: press 3. If it cannot be read, please go to the "
              "counter.");
}

int flow_fp_confirm_tx(struct flow *f, struct db *db, const struct tracking_id *t,
                       int64_t registration_id)
{
    struct bio_info info;
    enum db_result r = biometrics_get_draft(db, f->draft.id, &info, NULL, NULL);
    if (r == DB_NOT_FOUND) {
        /* Only a clerk gets here with a reader there (flow_fp_confirm_problem). */
        if (f->audit && flow_fp_reader_present(f) &&
            audit_log_tx(f->audit, (int64_t)time(NULL),
                         f->role >= ROLE_CLERK ? f->user : "applicant", AUDIT_FP_FALLBACK,
                         t->digits, "confirmed without") != 0)
            return -1;
        return 0;
    }
    if (r != DB_OK)
        return -1;
    return biometrics_attach(db, f->draft.id, registration_id) == DB_OK ? 0 : -1;
}

/* --- exception (clerk only) --- */

const char *flow_fp_show_exception(struct flow *f)
{
    if (f->page != PAGE_FINGER || !f->fp.can_exception || !flow_clerk_mode(f))
        return NULL;
    cancel_capture(f);
    flow_set_page(f, PAGE_FINGER_EXCEPTION);
    return NULL;
}

void flow_fp_exception_back(struct flow *f)
{
    if (f->page != PAGE_FINGER_EXCEPTION)
        return;
    flow_set_page(f, PAGE_FINGER);
    start_capture(f);
}

const char *flow_fp_exception(struct flow *f, const char *reason, const char *secret, int *wait_s)
{
    *wait_s = 0;
    if (f->page != PAGE_FINGER_EXCEPTION || !flow_clerk_mode(f) || !f->draft_open)
        return N_("Only a clerk can record an exception.");
    static const char *const reasons[] = {"worn", "injured", "missing", "other"};
    bool known = false;
    for (size_t i = 0; i < sizeof reasons / sizeof reasons[0]; i++)
        known |= reason && strcmp(reason, reasons[i]) == 0;
    if (!known)
        return N_("Please choose a reason.");
    if (!secret || !*secret)
        return N_("Please type your PIN or password to sign this off.");
    struct user_info u;
    enum auth_result a = accounts_login(f->db, f->user, secret, (int64_t)time(NULL), &u, wait_s);
    switch (a) {
    case AUTH_OK:
        break;
    case AUTH_LOCKED:
        flow_audit(f, AUDIT_LOCKED_OUT, f->user, "exception sign-off");
        return N_("Too many wrong tries. Please wait %d seconds, then try again.");
    case AUTH_ERROR:
        return N_("The accounts cannot be read just now. Please try again, or tell the "
                  "supervisor.");
    default:
        flow_audit(f, AUDIT_LOGIN_FAILED, f->user, "exception sign-off");
        return N_("Wrong PIN/password.");
    }
    enum db_result r =
        biometrics_put_draft_exception(f->db, f->draft.id, reason, f->user, time(NULL));
    if (r != DB_OK) {
        log_msg(LOG_ERROR, "storing a fingerprint exception failed: %s", db_last_error(f->db));
        return db_result_text(r);
    }
    log_msg(LOG_INFO, "fingerprint exception recorded");
    flow_audit(f, AUDIT_FP_EXCEPTION, draft_subject(f), reason);
    return pass(f);
}

/* --- clerks' fingers, for log-in --- */

const char *flow_fp_staff_enrol(struct flow *f)
{
    if (!flow_clerk_mode(f) || f->page != PAGE_HOME)
        return NULL;
    if (!flow_fp_reader_present(f)) {
        flow_notice_set(f, N_("No fingerprint reader is plugged in."), true);
        return NULL;
    }
    f->fp_finger_index = 0;
    return show_capture(f, FLOW_FP_STAFF_ENROL);
}

int flow_account_fp_state(struct flow *f, const char *name)
{
    struct bio_info info;
    if (f->role != ROLE_SUPERVISOR ||
        biometrics_get_account(f->db, name, &info, NULL, NULL) != DB_OK)
        return 0;
    return info.approved_by[0] ? 2 : 1;
}

const char *flow_account_fp_approve(struct flow *f, const char *name)
{
    if (f->role != ROLE_SUPERVISOR)
        return N_("Only a supervisor can do this.");
    if (flow_account_fp_state(f, name) != 1)
        return N_("This account has no fingerprint waiting for approval.");
    enum db_result r = biometrics_approve_account(f->db, name, f->user, time(NULL));
    if (r != DB_OK) {
        log_msg(LOG_ERROR, "approving a fingerprint failed: %s", db_last_error(f->db));
        return db_result_text(r);
    }
    flow_audit(f, AUDIT_FP_APPROVE, name, "");
    return NULL;
}

const char *flow_fp_login(struct flow *f, const char *name, int *wait_s)
{
    *wait_s = 0;
    if (f->page != PAGE_LOGIN)
        return N_("Please open the log-in screen first.");
    if (!name || !*name || accounts_name_problem(name))
        return N_("Please type your name first.");
    if (!flow_fp_reader_present(f))
        return N_("No fingerprint reader is plugged in.");
    enum auth_result lock = accounts_lock_state(f->db, name, (int64_t)time(NULL), wait_s);
    if (lock == AUTH_LOCKED)
        return N_("Too many wrong tries. Please wait %d seconds, then try again.");
    if (lock != AUTH_OK)
        return N_("The accounts cannot be read just now. Please try again, or tell the "
                  "supervisor.");
    struct bio_info info;
    if (biometrics_get_account(f->db, name, &info, NULL, NULL) != DB_OK || !info.approved_by[0])
        return N_("No approved fingerprint for this name. Please type your PIN or password.");
    snprintf(f->fp_account, sizeof f->fp_account, "%s", name);
    f->fp_finger_index = 0;
    const char *why = show_capture(f, FLOW_FP_LOGIN);
    int fg = fp_finger_parse(info.finger);
    if (fg >= 0)
        f->fp.finger = (enum fp_finger)fg;
    return why;
}

/*
 * flow_clerk.c - the clerk's and supervisor's tools: today's work at this
 * kiosk, reprinting a receipt, the accounts, and the audit trail.
 *
 * Every call checks the role itself: the home menu only hides what a role
 * may not do, and a screen reached some other way (a stale page, a key sent
 * ahead) must still be refused here. Every change and every reprint is
 * recorded with flow_audit. Never draws, never runs SQL itself (db/registry,
 * accounts.c and audit.c do); never keeps a secret, and logs never name a
 * CNIC, a name or anything typed.
 */
#include "flow_internal.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cnic.h"
#include "i18n.h"
#include "log.h"

static const char *need_clerk(const struct flow *f)
{
    return flow_role(f) >= ROLE_CLERK ? NULL : N_("Only a clerk can use this. Please log in.");
}

static const char *need_supervisor(const struct flow *f)
{
    return flow_role(f) >= ROLE_SUPERVISOR ? NULL
                                           : N_("Only a supervisor can do this. Please ask one.");
}

void flow_tools_back(struct flow *f)
{
    switch (f->page) {
    case PAGE_TODAY:
    case PAGE_REPRINT:
    case PAGE_ACCOUNTS:
    case PAGE_AUDIT:
        flow_set_page(f, PAGE_HOME);
        break;
    default:
        flow_go_back(f);
        break;
    }
}

/* --- today's work --- */

void flow_show_today(struct flow *f)
{
    if (!need_clerk(f))
        flow_set_page(f, PAGE_TODAY);
}

/* Midnight that starts today and the next one, in local time (a day may
 * be 23 or 25 hours long where clocks change). */
static int today_bounds(time_t *from, time_t *to)
{
    time_t now = time(NULL);
    struct tm tm;
    if (!localtime_r(&now, &tm))
        return -1;
    tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
    tm.tm_isdst = -1;
    struct tm next = tm;
    next.tm_mday++;
    *from = mktime(&tm);
    *to = mktime(&next);
    return *from == (time_t)-1 || *to == (time_t)-1 ? -1 : 0;
}

const char *flow_today_list(struct flow *f, struct registration_summary *out, size_t max, size_t *n)
{
    *n = 0;
    const char *refused = need_clerk(f);
    if (refused)
        return refused;
    time_t from, to;
    if (today_bounds(&from, &to) != 0)
        return N_("The date on this machine is not readable. Please ask the staff to set it.");
    enum db_result r = registry_list_range(f->db, from, to, out, max, n);
    if (r != DB_OK) {
        log_msg(LOG_ERROR, "listing today's registrations failed: %s", db_last_error(f->db));
        return db_result_text(r);
    }
    return NULL;
}

/* --- reprint --- */

void flow_show_reprint(struct flow *f)
{
    if (!need_clerk(f))
        flow_set_page(f, PAGE_REPRINT);
}

bool flow_receipt_is_copy(const struct flow *f)
{
    return f->page == PAGE_REG_RECEIPT && f->receipt_copy;
}

const char *flow_reprint(struct flow *f, const char *input)
{
    const char *refused = need_clerk(f);
    if (refused)
        return refused;
    struct registration_summary s;
    const char *why = flow_find_registration(f, input, "a reprint", &s);
    if (why)
        return why;
    struct tracking_id t = s.tracking;
    bool trimmed = s.trimmed;
    explicit_bzero(&s, sizeof s);

    /* The receipt page shows f->receipt; a draft the clerk had open stays
     * in the database, resumable from Saved drafts. */
    flow_survey_wipe(f);
    f->receipt = t;
    f->receipt_printed = true; /* so the print says COPY */
    f->receipt_copy = true;
    f->print_state = FLOW_PRINT_NONE;
    f->print_problem = NULL;
    flow_set_page(f, PAGE_REG_RECEIPT);
    flow_print_receipt(f);
    flow_audit(f, AUDIT_REPRINT, t.digits, trimmed ? "trimmed" : "");
    log_msg(LOG_INFO, "receipt reprinted by the clerk");
    return NULL;
}

/* --- accounts --- */

void flow_show_accounts(struct flow *f)
{
    if (!need_supervisor(f))
        flow_set_page(f, PAGE_ACCOUNTS);
}

const char *flow_accounts_list(struct flow *f, struct user_info *out, size_t max, size_t *n)
{
    *n = 0;
    const char *refused = need_supervisor(f);
    if (refused)
        return refused;
    if (accounts_list(f->db, out, max, n) != 0) {
        *n = 0;
        log_msg(LOG_ERROR, "listing accounts failed: %s", db_last_error(f->db));
        return N_("The accounts could not be read. Please try again.");
    }
    return NULL;
}

const char *flow_account_add(struct flow *f, const char *name, enum user_role role,
                             const char *secret)
{
    const char *refused = need_supervisor(f);
    if (refused)
        return refused;
    if (role != ROLE_CLERK && role != ROLE_SUPERVISOR)
        return N_("An account is either a clerk or a supervisor.");
    const char *why = NULL;
    if (accounts_add(f->db, name, role, secret, (int64_t)time(NULL), &why) != 0)
        return why ? why : N_("The account could not be made. Please try again.");
    flow_audit(f, AUDIT_ACCOUNT_ADD, name, role_name(role));
    log_msg(LOG_INFO, "account added by the supervisor");
    return NULL;
}

const char *flow_account_passwd(struct flow *f, const char *name, const char *secret)
{
    const char *refused = need_supervisor(f);
    if (refused)
        return refused;
    const char *why = NULL;
    if (accounts_passwd(f->db, name, secret, &why) != 0)
        return why ? why : N_("The secret could not be changed. Please try again.");
    flow_audit(f, AUDIT_ACCOUNT_PASSWD, name, "");
    log_msg(LOG_INFO, "account secret changed by the supervisor");
    return NULL;
}

const char *flow_account_disable(struct flow *f, const char *name, bool disabled)
{
    const char *refused = need_supervisor(f);
    if (refused)
        return refused;
    /* Locking oneself out would leave the centre with no one to undo it. */
    if (disabled && strcmp(name, flow_user(f)) == 0)
        return N_("You cannot switch off your own account.");
    const char *why = NULL;
    if (accounts_set_disabled(f->db, name, disabled, &why) != 0)
        return why ? why : N_("The account could not be changed. Please try again.");
    flow_audit(f, disabled ? AUDIT_ACCOUNT_DISABLE : AUDIT_ACCOUNT_ENABLE, name, "");
    log_msg(LOG_INFO, "account %s by the supervisor", disabled ? "disabled" : "enabled");
    return NULL;
}

/* --- the audit trail --- */

void flow_show_audit(struct flow *f)
{
    if (!need_supervisor(f))
        flow_set_page(f, PAGE_AUDIT);
}

const char *flow_audit_check(struct flow *f, char *out, size_t outsz, bool *broken)
{
    *broken = false;
    if (outsz)
        out[0] = '\0';
    const char *refused = need_supervisor(f);
    if (refused)
        return refused;
    if (!f->audit)
        return N_("The audit trail is not open on this machine.");
    int64_t checked = 0, bad = 0;
    char why[160] = "";
    int rc = audit_verify(f->audit, &checked, &bad, why, sizeof why);
    if (rc < 0) {
        log_msg(LOG_ERROR, "audit verify failed: %s", why);
        return N_("The audit trail could not be read. Please try again.");
    }
    if (rc == 0) {
        snprintf(out, outsz, _("Audit trail intact: %lld entries checked."), (long long)checked);
    } else {
        *broken = true;
        snprintf(out, outsz, _("Audit trail BROKEN at row %lld: %s"), (long long)bad, why);
        log_msg(LOG_WARN, "audit trail broken at row %lld", (long long)bad);
    }
    return NULL;
}

const char *flow_audit_entries(struct flow *f, int64_t before, struct audit_entry *out, size_t max,
                               size_t *n)
{
    *n = 0;
    const char *refused = need_supervisor(f);
    if (refused)
        return refused;
    if (!f->audit)
        return N_("The audit trail is not open on this machine.");
    if (audit_page(f->audit, before, out, max, n) != 0) {
        *n = 0;
        log_msg(LOG_ERROR, "reading the audit trail failed");
        return N_("The audit trail could not be read. Please try again.");
    }
    return NULL;
}

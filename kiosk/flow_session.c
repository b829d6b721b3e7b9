/*
 * flow_session.c - who is at the machine: nobody (an applicant), or a
 * clerk or supervisor who logged in; and the audit of what they do.
 *
 * Roles are the flow's, not the menu's: every clerk-only call checks
 * flow_role(), so no key sequence on an applicant's screen can reach a
 * clerk's page. A counter machine (config mode = clerk) starts at the
 * log-in page and returns to it on log-out. Never draws; logs never hold
 * a secret, a CNIC or a name (a typed account name is not logged either:
 * it might be a password typed in the wrong field).
 */
#include "flow_internal.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "i18n.h"
#include "log.h"

void flow_set_audit(struct flow *f, struct audit *a)
{
    f->audit = a;
}

void flow_audit(struct flow *f, enum audit_action action, const char *subject, const char *detail)
{
    if (!f->audit)
        return;
    const char *actor = f->role >= ROLE_CLERK ? f->user : "applicant";
    if (audit_log(f->audit, (int64_t)time(NULL), actor, action, subject ? subject : "",
                  detail ? detail : "") != 0)
        log_msg(LOG_ERROR, "audit entry not written (%s)", audit_action_code(action));
}

enum user_role flow_role(const struct flow *f)
{
    return f->role;
}

const char *flow_user(const struct flow *f)
{
    return f->user;
}

void flow_show_login(struct flow *f)
{
    if (f->role != ROLE_APPLICANT || f->page == PAGE_LOGIN)
        return;
    /* Whatever an applicant left open stays in its draft, not on screen. */
    flow_end_session(f);
    flow_set_page(f, PAGE_LOGIN);
}

const char *flow_login(struct flow *f, const char *name, const char *secret, int *wait_s)
{
    *wait_s = 0;
    if (f->page != PAGE_LOGIN)
        return N_("Please open the log-in screen first.");
    if (!name || !*name || !secret || !*secret)
        return N_("Please type your name and your PIN or password.");
    struct user_info u;
    enum auth_result r = accounts_login(f->db, name, secret, (int64_t)time(NULL), &u, wait_s);
    char subject[ACCOUNTS_NAME_MAX + 1];
    snprintf(subject, sizeof subject, "%s", accounts_name_problem(name) ? "?" : name);
    switch (r) {
    case AUTH_OK:
        f->role = u.role;
        snprintf(f->user, sizeof f->user, "%s", u.name);
        flow_audit(f, AUDIT_LOGIN, u.name, role_name(u.role));
        log_msg(LOG_INFO, "%s logged in", role_name(u.role));
        f->generation++; /* nothing typed on the log-in page stays */
        flow_set_page(f, PAGE_HOME);
        return NULL;
    case AUTH_LOCKED:
        flow_audit(f, AUDIT_LOCKED_OUT, subject, "");
        return N_("Too many wrong tries. Please wait %d seconds, then try again.");
    case AUTH_DISABLED:
        flow_audit(f, AUDIT_LOGIN_FAILED, subject, "disabled");
        return N_("This account is switched off. Please ask the supervisor.");
    case AUTH_ERROR:
        log_msg(LOG_ERROR, "log-in: the accounts could not be read");
        return N_("The accounts cannot be read just now. Please try again, or tell the "
                  "supervisor.");
    default:
        flow_audit(f, AUDIT_LOGIN_FAILED, subject, "");
        return N_("Wrong name or PIN/password.");
    }
}

void flow_logout(struct flow *f)
{
    if (f->role == ROLE_APPLICANT)
        return;
    flow_audit(f, AUDIT_LOGOUT, f->user, "");
    log_msg(LOG_INFO, "%s logged out", role_name(f->role));
    f->role = ROLE_APPLICANT;
    explicit_bzero(f->user, sizeof f->user);
    flow_end_session(f); /* to the log-in page on a counter machine */
}

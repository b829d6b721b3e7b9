/*
 * audit_screen.c - the supervisor's view of the audit trail: first
 * whether the hash chain is intact ("intact, N entries" or where it
 * breaks), then the entries newest first, a page at a time (N older,
 * P newer; arrows and PgUp/PgDn within a page). Supervisor only: the flow
 * refuses otherwise. Read-only; never touches SQL. Entries hold no CNIC,
 * name or secret (audit.h), so they are shown as stored.
 */
#include "screen.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../kiosk/i18n.h"
#include "crt.h"
#include "frame.h"
#include "table.h"
#include "text.h"

#define AUDIT_SHOWN 200 /* entries per page */
#define PAGES_BACK  256 /* how far "newer" can walk back */

static struct audit_entry entries[AUDIT_SHOWN];
static size_t nentries;
static int64_t starts[PAGES_BACK]; /* `before` of each page shown so far; 0 = newest */
static int depth;
static char verdict[320];
static bool broken;
static const char *problem;
static struct table table = {
    .headers = {N_("When"), N_("Who"), N_("Action"), N_("Subject"), N_("Detail")},
    .widths = {12, 12, 16, 18, 18},
    .ncols = 5,
};

static const struct frame_hint hints[] = {
    /* TRANSLATORS: buttons: the next page of older / newer audit entries. */
    {"N", N_("Older"), 'n'},
    {"P", N_("Newer"), 'p'},
    {"Esc", N_("Back"), 27},
    {"F9", N_("Language"), FRAME_KEY_LANGUAGE},
};

/* Labels per audit_action, in enum order. */
static const char *const action_labels[AUDIT_ACTION_COUNT] = {
    [AUDIT_LOGIN] = N_("log-in"),
    [AUDIT_LOGIN_FAILED] = N_("log-in failed"),
    [AUDIT_LOCKED_OUT] = N_("locked out"),
    [AUDIT_LOGOUT] = N_("log-out"),
    [AUDIT_REGISTRATION] = N_("registration"),
    [AUDIT_UPDATE] = N_("update"),
    [AUDIT_DRAFT_OPENED] = N_("draft opened"),
    [AUDIT_REPRINT] = N_("reprint"),
    [AUDIT_SYNC_EXPORT] = N_("sync export"),
    [AUDIT_SYNC_IMPORT] = N_("sync import"),
    [AUDIT_ACCOUNT_ADD] = N_("account added"),
    [AUDIT_ACCOUNT_PASSWD] = N_("secret changed"),
    [AUDIT_ACCOUNT_DISABLE] = N_("account off"),
    [AUDIT_ACCOUNT_ENABLE] = N_("account on"),
    [AUDIT_STATUS_CHECK] = N_("status check"),
    [AUDIT_PRIVACY_PURGE] = N_("privacy trim"),
    [AUDIT_FP_CAPTURE] = N_("finger taken"),
    [AUDIT_FP_MATCH] = N_("finger matched"),
    [AUDIT_FP_FALLBACK] = N_("finger: clerk decides"),
    [AUDIT_FP_EXCEPTION] = N_("finger exception"),
    [AUDIT_FP_APPROVE] = N_("finger approved"),
};

static int init(void)
{
    return 0;
}

static void fini(void)
{
}

static void wipe(void)
{
    explicit_bzero(entries, sizeof entries);
    nentries = 0;
    depth = 0;
    starts[0] = 0;
    verdict[0] = '\0';
    broken = false;
    table.selected = table.scroll = 0;
    problem = NULL;
}

static void load(struct flow *f)
{
    table.selected = table.scroll = 0;
    problem = flow_audit_entries(f, starts[depth], entries, AUDIT_SHOWN, &nentries);
}

static void enter(struct flow *f)
{
    wipe();
    const char *why = flow_audit_check(f, verdict, sizeof verdict, &broken);
    load(f);
    if (why)
        problem = why;
}

static void cell(void *ud, int row, int col, char *out, size_t outsz)
{
    (void)ud;
    const struct audit_entry *e = &entries[row];
    switch (col) {
    case 0: {
        time_t t = (time_t)e->at;
        struct tm tm;
        if (localtime_r(&t, &tm))
            snprintf(out, outsz, "%02d-%02d %02d:%02d", tm.tm_mday, tm.tm_mon + 1, tm.tm_hour,
                     tm.tm_min);
        else
            snprintf(out, outsz, "?");
        break;
    }
    case 1:
        snprintf(out, outsz, "%s", e->actor);
        break;
    case 2:
        if ((int)e->action >= 0 && e->action < AUDIT_ACTION_COUNT && action_labels[e->action])
            snprintf(out, outsz, "%s", _(action_labels[e->action]));
        else
            snprintf(out, outsz, "?");
        break;
    case 3:
        snprintf(out, outsz, "%s", e->subject);
        break;
    default:
        snprintf(out, outsz, "%s", e->detail);
    }
}

static void draw(struct flow *f)
{
    (void)f;
    frame_draw(_("Audit trail"), hints, (int)(sizeof hints / sizeof hints[0]));
    int y = frame_body_top();
    if (verdict[0])
        y += text_wrap(y, 2, COLS - 4, 2, verdict, crt_attr(broken ? CRT_ERROR : CRT_GOOD) | A_BOLD,
                       1);
    char line[160];
    snprintf(line, sizeof line, _("Newest first. Page %d, %zu entries."), depth + 1, nentries);
    text_draw(y++, 2, COLS - 4, line, crt_attr(CRT_HINT));
    y++;
    table.nrows = (int)nentries;
    if (nentries == 0 && !problem)
        text_draw(y, 2, COLS - 4, _("No entries."), A_BOLD);
    else if (nentries > 0)
        table_draw(&table, y, frame_body_bottom() - y, cell, NULL);
    if (problem)
        frame_message(_(problem), 1);
}

static void key(struct flow *f, int ch, bool is_keycode)
{
    problem = NULL;
    if (table_key(&table, ch, is_keycode) || is_keycode)
        return;
    if (ch == 27) {
        flow_tools_back(f);
    } else if ((ch == 'n' || ch == 'N') && nentries == AUDIT_SHOWN && depth + 1 < PAGES_BACK) {
        starts[++depth] = entries[nentries - 1].id;
        load(f);
    } else if ((ch == 'p' || ch == 'P') && depth > 0) {
        depth--;
        load(f);
    }
}

static void click(struct flow *f, int y, int x)
{
    (void)f;
    (void)x;
    table_click(&table, y);
}

const struct screen_ops audit_screen = {"audit", init, fini, wipe, enter, draw, key, click, NULL};

/*
 * accounts_screen.c - the supervisor's accounts: every clerk and
 * supervisor (name, role, switched off or not, last log-in); A adds one
 * (name, role, secret typed twice), S changes the selected one's secret,
 * D switches it off or on. Supervisor only: the flow refuses every call
 * otherwise, and records each change.
 *
 * A secret is shown as one * per character and wiped as soon as it has
 * been handed to the flow, when the form is left, and when the session
 * ends. Never shows or logs a secret; never touches SQL.
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

#define ACCOUNTS_SHOWN 100
#define SECRET_MAX     64 /* bytes typed; a longer secret is refused as typed */

enum step { LIST, NAME, ROLE, SECRET, AGAIN };

static struct user_info users[ACCOUNTS_SHOWN];
static size_t nusers;
static int finger[ACCOUNTS_SHOWN]; /* flow_account_fp_state of each */
static enum step step;
static bool adding; /* else changing the secret of `name` */
static char name[ACCOUNTS_NAME_MAX + 1];
static enum user_role role;
static char secret[SECRET_MAX + 1];
static char again[SECRET_MAX + 1];
static const char *problem; /* a message id */
static char done[160];      /* what was just done, in the current language */
static struct table table = {
    .headers = {N_("Name"), N_("Role"), N_("State"), N_("Last log-in"), N_("Finger")},
    .widths = {18, 12, 14, 18, 12},
    .ncols = 5,
};

static const struct frame_hint list_hints[] = {
    /* TRANSLATORS: buttons on the accounts page. */
    {"A", N_("Add"), 'a'},
    {"S", N_("Change secret"), 's'},
    {"D", N_("Switch off/on"), 'd'},
    /* TRANSLATORS: button: approve the selected clerk's finger for log-in. */
    {"F", N_("Approve finger"), 'f'},
    {"Esc", N_("Back"), 27},
    {"F9", N_("Language"), FRAME_KEY_LANGUAGE},
};
static const struct frame_hint form_hints[] = {
    {"Enter", N_("Next"), '\r'},
    {"Esc", N_("Cancel"), 27},
};

static int init(void)
{
    return 0;
}

static void fini(void)
{
}

static void wipe_form(void)
{
    explicit_bzero(name, sizeof name);
    explicit_bzero(secret, sizeof secret);
    explicit_bzero(again, sizeof again);
    role = ROLE_CLERK;
    step = LIST;
}

static void wipe(void)
{
    wipe_form();
    explicit_bzero(users, sizeof users);
    nusers = 0;
    table.selected = table.scroll = 0;
    problem = NULL;
    done[0] = '\0';
}

static void reload(struct flow *f)
{
    const char *why = flow_accounts_list(f, users, ACCOUNTS_SHOWN, &nusers);
    if (why)
        problem = why;
    for (size_t i = 0; i < nusers; i++)
        finger[i] = flow_account_fp_state(f, users[i].name);
}

static void enter(struct flow *f)
{
    wipe();
    reload(f);
}

static const char *role_label(enum user_role r)
{
    return r == ROLE_SUPERVISOR ? _("supervisor") : _("clerk");
}

static void cell(void *ud, int row, int col, char *out, size_t outsz)
{
    (void)ud;
    const struct user_info *u = &users[row];
    switch (col) {
    case 0:
        snprintf(out, outsz, "%s", u->name);
        break;
    case 1:
        snprintf(out, outsz, "%s", role_label(u->role));
        break;
    case 2:
        snprintf(out, outsz, "%s", u->disabled ? _("switched off") : _("active"));
        break;
    case 4:
        snprintf(out, outsz, "%s",
                 finger[row] == 2   ? _("approved")
                 : finger[row] == 1 ? _("to approve")
                                    : "-");
        break;
    default: {
        time_t t = (time_t)u->last_login;
        struct tm tm;
        if (u->last_login <= 0 || !localtime_r(&t, &tm))
            snprintf(out, outsz, "%s", _("never"));
        else
            snprintf(out, outsz, "%02d-%02d-%04d %02d:%02d", tm.tm_mday, tm.tm_mon + 1,
                     tm.tm_year + 1900, tm.tm_hour, tm.tm_min);
    }
    }
}

/* One * per character typed (UTF-8 lead bytes), never the secret. */
static void stars(const char *s, char *out, size_t outsz)
{
    size_t o = 0;
    for (const char *p = s; *p && o + 1 < outsz; p++)
        if (((unsigned char)*p & 0xC0) != 0x80)
            out[o++] = '*';
    out[o] = '\0';
}

static void draw_form(int y)
{
    char line[200], shown[SECRET_MAX + 1];
    if (adding)
        snprintf(line, sizeof line, "%s %s", _("New account:"), name);
    else
        snprintf(line, sizeof line, _("New secret for %s"), name);
    text_draw(y++, 2, COLS - 4, line, A_BOLD);
    switch (step) {
    case NAME:
        snprintf(line, sizeof line, "%s %s_", _("Name (letters, digits, . _ -):"), name);
        break;
    case ROLE:
        snprintf(line, sizeof line, "%s %s", _("Role: 1 clerk, 2 supervisor:"), role_label(role));
        break;
    case SECRET:
        stars(secret, shown, sizeof shown);
        snprintf(line, sizeof line, "%s %s_", _("Secret (a PIN of 6+ digits or 8+ characters):"),
                 shown);
        break;
    default:
        stars(again, shown, sizeof shown);
        snprintf(line, sizeof line, "%s %s_", _("The same secret again:"), shown);
    }
    text_draw(y, 4, COLS - 6, line, crt_attr(CRT_FIELD_FOCUS));
}

static void draw(struct flow *f)
{
    (void)f;
    bool form = step != LIST;
    if (form)
        frame_draw(_("Accounts"), form_hints, (int)(sizeof form_hints / sizeof form_hints[0]));
    else
        frame_draw(_("Accounts"), list_hints, (int)(sizeof list_hints / sizeof list_hints[0]));
    int y = frame_body_top();
    y += text_wrap(y, 2, COLS - 4, 1, _("Clerks and supervisors who may log in at this kiosk."),
                   A_NORMAL, 1);
    int bottom = frame_body_bottom() - (form ? 3 : 0);
    table.nrows = (int)nusers;
    if (nusers == 0)
        text_draw(y + 1, 2, COLS - 4, _("There are no accounts yet."), A_BOLD);
    else
        table_draw(&table, y + 1, bottom - y - 1, cell, NULL);
    if (form)
        draw_form(bottom + 2);
    if (problem)
        frame_message(_(problem), 1);
    else if (done[0])
        frame_message(done, 0);
}

static const struct user_info *selected(void)
{
    if (table.selected < 0 || (size_t)table.selected >= nusers)
        return NULL;
    return &users[table.selected];
}

static void finish(struct flow *f)
{
    if (strcmp(secret, again) != 0) {
        explicit_bzero(secret, sizeof secret);
        explicit_bzero(again, sizeof again);
        problem = N_("The two secrets are not the same. Please type them again.");
        step = SECRET;
        return;
    }
    const char *why =
        adding ? flow_account_add(f, name, role, secret) : flow_account_passwd(f, name, secret);
    explicit_bzero(secret, sizeof secret);
    explicit_bzero(again, sizeof again);
    if (why) {
        problem = why;
        step = SECRET;
        return;
    }
    snprintf(done, sizeof done, adding ? _("Account %s added.") : _("Secret of %s changed."), name);
    wipe_form();
    reload(f);
}

static void next(struct flow *f)
{
    switch (step) {
    case NAME:
        if ((problem = accounts_name_problem(name)) == NULL)
            step = ROLE;
        break;
    case ROLE:
        step = SECRET;
        break;
    case SECRET:
        if ((problem = accounts_secret_problem(secret)) == NULL)
            step = AGAIN;
        else
            explicit_bzero(secret, sizeof secret);
        break;
    case AGAIN:
        finish(f);
        break;
    default:
        break;
    }
}

/* The buffer the step types into, or NULL. */
static char *typing(size_t *cap)
{
    switch (step) {
    case NAME:
        *cap = sizeof name;
        return name;
    case SECRET:
        *cap = sizeof secret;
        return secret;
    case AGAIN:
        *cap = sizeof again;
        return again;
    default:
        return NULL;
    }
}

static void form_key(struct flow *f, int ch, bool is_keycode)
{
    if (!is_keycode && ch == 27) {
        wipe_form();
        return;
    }
    if ((!is_keycode && (ch == '\r' || ch == '\n')) || (is_keycode && ch == KEY_ENTER)) {
        next(f);
        return;
    }
    if (step == ROLE) {
        if (!is_keycode && (ch == '1' || ch == '2'))
            role = ch == '1' ? ROLE_CLERK : ROLE_SUPERVISOR;
        return;
    }
    size_t cap = 0;
    char *buf = typing(&cap);
    if (!buf)
        return;
    size_t n = strlen(buf);
    if ((!is_keycode && (ch == 127 || ch == 8)) || (is_keycode && ch == KEY_BACKSPACE)) {
        if (n > 0)
            buf[n - 1] = '\0';
        return;
    }
    /* Names and secrets are plain ASCII: the same keys on every keyboard. */
    if (is_keycode || ch < 0x20 || ch > 0x7e)
        return;
    if (n + 1 >= cap) {
        problem = step == NAME ? N_("A name has at most 32 characters.")
                               : N_("A secret has at most 64 characters.");
        return;
    }
    buf[n] = (char)ch;
    buf[n + 1] = '\0';
}

static void list_key(struct flow *f, int ch, bool is_keycode)
{
    if (table_key(&table, ch, is_keycode))
        return;
    if (is_keycode)
        return;
    const struct user_info *u = selected();
    if (ch == 27) {
        flow_tools_back(f);
    } else if (ch == 'a' || ch == 'A') {
        wipe_form();
        adding = true;
        step = NAME;
    } else if ((ch == 's' || ch == 'S') && u) {
        wipe_form();
        adding = false;
        snprintf(name, sizeof name, "%s", u->name);
        step = SECRET;
    } else if ((ch == 'f' || ch == 'F') && u) {
        char who[ACCOUNTS_NAME_MAX + 1];
        snprintf(who, sizeof who, "%s", u->name);
        problem = flow_account_fp_approve(f, who);
        if (!problem) {
            snprintf(done, sizeof done, _("Finger of %s approved for log-in."), who);
            reload(f);
        }
    } else if ((ch == 'd' || ch == 'D') && u) {
        char who[ACCOUNTS_NAME_MAX + 1];
        bool off = !u->disabled;
        snprintf(who, sizeof who, "%s", u->name);
        problem = flow_account_disable(f, who, off);
        if (!problem) {
            snprintf(done, sizeof done,
                     off ? _("Account %s switched off.") : _("Account %s switched on."), who);
            reload(f);
        }
    }
}

static void key(struct flow *f, int ch, bool is_keycode)
{
    problem = NULL;
    done[0] = '\0';
    if (step == LIST)
        list_key(f, ch, is_keycode);
    else
        form_key(f, ch, is_keycode);
}

static void click(struct flow *f, int y, int x)
{
    (void)f;
    (void)x;
    if (step == LIST)
        table_click(&table, y);
}

const struct screen_ops accounts_screen = {"accounts", init, fini,  wipe, enter,
                                           draw,       key,  click, NULL};

/*
 * sync_screen.c - the clerk's sync page: how many records wait for the
 * registry and for how long, the last export and import, and the keys
 * that run them (E export to the outgoing folder, I import from the
 * incoming one), with a progress bar while they run. Clerk mode only.
 * Shows counts and times, never a record.
 */
#include "screen.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../kiosk/i18n.h"
#include "crt.h"
#include "frame.h"
#include "text.h"

static const struct frame_hint hints[] = {
    /* TRANSLATORS: button: write a batch of records for the registry. */
    {"E", N_("Export"), 'e'},
    /* TRANSLATORS: button: read the registry's acknowledgements. */
    {"I", N_("Import"), 'i'},
    {"Esc", N_("Back"), 27},
    {"F9", N_("Language"), FRAME_KEY_LANGUAGE},
};

static struct sync_info info;
static bool have_info;
static int bar_row; /* where the progress bar goes while an export or import runs */

static int init(void)
{
    return 0;
}

static void fini(void)
{
}

static void wipe(void)
{
    memset(&info, 0, sizeof info);
    have_info = false;
}

static void reload(struct flow *f)
{
    have_info = flow_sync_info(f, &info) == 0;
}

static void enter(struct flow *f)
{
    reload(f);
}

static void when(int64_t t, char *out, size_t outsz)
{
    if (t <= 0) {
        snprintf(out, outsz, "%s", _("never"));
        return;
    }
    time_t tt = (time_t)t;
    struct tm tm;
    localtime_r(&tt, &tm);
    strftime(out, outsz, "%d-%m-%Y %H:%M", &tm);
}

/* A bar of W cells, DONE of TOTAL filled. */
static void draw_bar(int y, int x, int w, size_t done, size_t total)
{
    int filled = total ? (int)((double)w * (double)done / (double)total) : w;
    if (filled > w)
        filled = w;
    text_fill(y, x, w, crt_attr(CRT_FIELD));
    text_fill(y, x, filled, crt_attr(CRT_GOOD) | A_REVERSE);
    char pct[16];
    snprintf(pct, sizeof pct, " %3d%%", total ? (int)(100.0 * (double)done / (double)total) : 100);
    text_draw(y, x + w + 1, 6, pct, A_BOLD);
}

static void on_progress(void *ud, size_t done, size_t total)
{
    (void)ud;
    draw_bar(bar_row, 4, COLS - 16, done, total);
    refresh();
}

static void draw(struct flow *f)
{
    frame_draw(_("Sync with the registry"), hints, (int)(sizeof hints / sizeof hints[0]));
    const struct config *cfg = flow_config(f);
    int y = frame_body_top() + 1;
    char buf[320], t[32];
    if (!have_info) {
        text_wrap(y, 4, COLS - 8, 2, _("The sync state cannot be read from the database."),
                  crt_attr(CRT_ERROR), 1);
        return;
    }
    snprintf(buf, sizeof buf, _("Records waiting for the registry: %zu"), info.backlog);
    text_draw(y++, 4, COLS - 8, buf, A_BOLD);
    if (info.backlog && info.oldest_unacked > 0) {
        int64_t age = (int64_t)time(NULL) - info.oldest_unacked;
        snprintf(buf, sizeof buf, _("The oldest has waited %lld days and %lld hours."),
                 (long long)(age / 86400), (long long)(age % 86400 / 3600));
        text_draw(y++, 4, COLS - 8, buf, A_NORMAL);
    }
    int days;
    const char *frozen = flow_sync_frozen(f, &info, &days);
    if (frozen)
        y += text_wrap(y, 4, COLS - 8, 2, _(frozen), crt_attr(CRT_ERROR), 1);
    y++;
    when(info.last_export, t, sizeof t);
    if (info.last_batch)
        snprintf(buf, sizeof buf, _("Last export: %s (batch %llu)"), t,
                 (unsigned long long)info.last_batch);
    else
        snprintf(buf, sizeof buf, _("Last export: %s"), t);
    text_draw(y++, 4, COLS - 8, buf, A_NORMAL);
    when(info.last_import, t, sizeof t);
    if (info.last_ack)
        snprintf(buf, sizeof buf, _("Last import: %s (acknowledgement %llu)"), t,
                 (unsigned long long)info.last_ack);
    else
        snprintf(buf, sizeof buf, _("Last import: %s"), t);
    text_draw(y++, 4, COLS - 8, buf, A_NORMAL);
    y++;
    snprintf(buf, sizeof buf, _("Batches go to: %s"), cfg->sync_out_dir);
    text_draw(y++, 4, COLS - 8, buf, crt_attr(CRT_HINT));
    snprintf(buf, sizeof buf, _("Acknowledgements come from: %s"), cfg->sync_in_dir);
    text_draw(y++, 4, COLS - 8, buf, crt_attr(CRT_HINT));
    y++;
    bar_row = y++;
    y++;
    bool bad;
    const char *r = flow_sync_result(f, &bad);
    if (r) {
        draw_bar(bar_row, 4, COLS - 16, 1, 1);
        text_wrap(y, 4, COLS - 8, frame_body_bottom() - y + 1, r,
                  crt_attr(bad ? CRT_ERROR : CRT_GOOD), 1);
    } else {
        text_wrap(y, 4, COLS - 8, 3,
                  _("Press E to write the records for the registry, I to read its "
                    "acknowledgements."),
                  A_NORMAL, 1);
    }
}

static void key(struct flow *f, int ch, bool is_keycode)
{
    if (is_keycode)
        return;
    if (ch == 27) {
        flow_go_back(f);
    } else if (ch == 'e' || ch == 'E') {
        draw(f);
        text_fill(bar_row + 2, 0, COLS, A_NORMAL);
        text_draw(bar_row + 2, 4, COLS - 8, _("Exporting..."), A_BOLD);
        on_progress(NULL, 0, 1);
        flow_sync_export(f, on_progress, NULL);
        reload(f);
    } else if (ch == 'i' || ch == 'I') {
        draw(f);
        text_fill(bar_row + 2, 0, COLS, A_NORMAL);
        text_draw(bar_row + 2, 4, COLS - 8, _("Importing..."), A_BOLD);
        on_progress(NULL, 0, 1);
        flow_sync_import(f, on_progress, NULL);
        reload(f);
    }
}

static void click(struct flow *f, int y, int x)
{
    (void)f;
    (void)y;
    (void)x;
}

const struct screen_ops sync_screen = {"sync", init, fini, wipe, enter, draw, key, click, NULL};

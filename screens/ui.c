/*
 * ui.c - screen manager, input dispatch and the idle timeout.
 *
 * Everything happens in callbacks from the one poll() loop: terminal input,
 * the signal pipe (resize, terminate) and the idle timer. After each event
 * the current page's screen is redrawn; when the flow moved to another
 * page, that screen's enter() runs first. Keys are logged only as events,
 * never as text (they may be a CNIC).
 */
#include "ui.h"

#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../kiosk/i18n.h"
#include "../kiosk/log.h"
#include "applicant_keys.h"
#include "../kiosk/voice.h"
#include "../kiosk/voice_player.h"
#include "crt.h"
#include "frame.h"
#include "screen.h"
#include "text.h"

#define IDLE_TIMER      1
#define IDLE_WARN_TIMER 2
#define NOTICE_TIMER    3
#define NOTICE_MS       12000 /* long enough to read twice, slowly */

static const struct screen_ops *const screens[PAGE_COUNT] = {
    [PAGE_HOME] = &home_screen,
    [PAGE_STATUS_ENTRY] = &status_entry_screen,
    [PAGE_STATUS_RESULT] = &status_result_screen,
    [PAGE_REG_CNIC] = &reg_cnic_screen,
    [PAGE_REG_RESUME] = &reg_resume_screen,
    [PAGE_REG_SURVEY] = &survey_screen,
    [PAGE_REG_ROSTER] = &reg_roster_screen,
    [PAGE_REG_REVIEW] = &reg_review_screen,
    [PAGE_REG_SCORE] = &reg_score_screen,
    [PAGE_REG_RECEIPT] = &reg_receipt_screen,
    [PAGE_CLERK_DRAFTS] = &clerk_drafts_screen,
    [PAGE_CLERK_UPDATE] = &clerk_update_screen,
    [PAGE_SYNC] = &sync_screen,
    [PAGE_LOGIN] = &login_screen,
    [PAGE_TODAY] = &today_screen,
    [PAGE_REPRINT] = &reprint_screen,
    [PAGE_ACCOUNTS] = &accounts_screen,
    [PAGE_AUDIT] = &audit_screen,
    [PAGE_FINGER] = &finger_screen,
    [PAGE_FINGER_EXCEPTION] = &finger_exception_screen,
};

struct ui {
    struct loop *loop;
    struct flow *flow;
    enum flow_page shown;
    unsigned serial; /* the flow's page serial when last entered */
    unsigned generation;
    int initialised;
    int warned;             /* the "are you still there?" notice is showing */
    unsigned notice_serial; /* the flow's device notice last seen */
    int64_t last_esc_ms;    /* Esc twice at the clerk's home page logs out */
    bool help;              /* `*` pressed: the page's help shows until the next key */
    /* Spoken prompts (kiosk/voice.h); NULL when voice is off. */
    struct voice_player *voice;
    unsigned voice_serial; /* the page serial last spoken */
    int voice_focus;       /* the survey question last spoken */
    char voice_lang[16];   /* the language it was spoken in */
    /* The screen's own message line (frame_message), spoken once when it
     * appears or changes. Only a hash is kept: the text may name someone. */
    bool msg_capture;    /* the screen is drawing: its messages are heard */
    uint64_t msg_seen;   /* hash of the message this draw showed, 0: none */
    uint64_t msg_spoken; /* hash of the message last spoken */
};

static void arm_idle(struct ui *u);

static void draw_too_small(void)
{
    erase();
    text_wrap(0, 0, COLS, LINES, _("Please make this window larger (at least 80 x 24)."), A_BOLD,
              1);
}

static bool row_blank(int y)
{
    for (int x = 0; x < COLS; x++)
        if ((mvinch(y, x) & A_CHARTEXT) != ' ')
            return false;
    return true;
}

/* A device notice goes where screens show their messages when that is
 * free, else on the row under the title bar: the screen's own message
 * (a refused answer) matters more. */
static void draw_notice(struct ui *u)
{
    bool is_error;
    const char *n = flow_notice(u->flow, &is_error);
    if (!n)
        return;
    int cy, cx;
    getyx(stdscr, cy, cx);
    if (row_blank(LINES - 3) && row_blank(LINES - 2)) {
        frame_message(_(n), is_error);
    } else {
        text_fill(1, 0, COLS, A_NORMAL);
        text_draw(1, 2, COLS - 4, _(n), crt_attr(is_error ? CRT_ERROR : CRT_GOOD));
    }
    move(cy, cx); /* the cursor stays in the field being typed */
}

static uint64_t text_hash(const char *s)
{
    uint64_t h = 1469598103934665603u; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h ? h : 1;
}

/* frame_message()'s hook: a refused answer or a problem a screen shows is
 * said once, in the page's language, on an applicant's page only. The
 * flow's notices and the idle warning are drawn outside the capture: the
 * notices are spoken by voice_settle(). */
static void on_message(const char *text, int is_error, void *ud)
{
    (void)is_error;
    struct ui *u = ud;
    if (!u->msg_capture)
        return;
    uint64_t h = text_hash(text);
    u->msg_seen = h;
    if (h == u->msg_spoken)
        return;
    u->msg_spoken = h;
    struct voice_prompt pr;
    if (u->voice && flow_role(u->flow) == ROLE_APPLICANT && voice_page_spoken(u->shown) &&
        voice_for_shown_message(text, &pr) == 0)
        voice_player_say_once(u->voice, i18n_language(), pr.id, pr.text);
}

static void redraw(struct ui *u)
{
    curs_set(0);
    if (crt_too_small()) {
        draw_too_small();
    } else {
        u->msg_capture = true;
        u->msg_seen = 0;
        screens[u->shown]->draw(u->flow);
        u->msg_capture = false;
        if (!u->msg_seen)
            u->msg_spoken = 0; /* gone: the same message again is said again */
        draw_notice(u);
        if (flow_applicant_page(u->shown))
            applicant_keys_draw(u->shown, u->help);
        if (u->warned)
            frame_message(flow_role(u->flow) >= ROLE_CLERK
                              ? _("You will be logged out soon. Press any key to stay logged "
                                  "in.")
                              : _("Are you still there? Press any key to continue, or this "
                                  "session will be closed."),
                          1);
    }
    refresh();
}

/* Called after every event: wipe typed text if the session was replaced,
 * and enter the new page's screen if the flow moved. */
static void on_notice_timer(void *ud);

/* The page's prompt is spoken when the page, the survey question with the
 * cursor or the language changes; anything still playing is cut short. A
 * clerk's page is silent. */
static void voice_settle(struct ui *u, bool new_notice)
{
    if (!u->voice)
        return;
    struct voice_prompt pr;
    int focus = u->shown == PAGE_REG_SURVEY ? flow_survey_focus(u->flow) : -1;
    if (u->shown == PAGE_FINGER) {
        /* A stage taken, a retry, a timeout: said as it is shown. */
        struct flow_fp_view v;
        flow_fp_view(u->flow, &v);
        focus = (int)(v.said & 0x7fffffff);
    }
    if (u->voice_serial != u->serial || u->voice_focus != focus ||
        strcmp(u->voice_lang, i18n_language()) != 0) {
        u->voice_serial = u->serial;
        u->voice_focus = focus;
        snprintf(u->voice_lang, sizeof u->voice_lang, "%s", i18n_language());
        if (flow_role(u->flow) == ROLE_APPLICANT && voice_for_page(u->flow, &pr) == 0)
            voice_player_say(u->voice, i18n_language(), pr.id, pr.text);
        else
            voice_player_stop(u->voice);
    }
    bool is_error;
    const char *n = flow_notice(u->flow, &is_error);
    if (new_notice && n && voice_for_message(n, &pr) == 0)
        voice_player_say_once(u->voice, i18n_language(), pr.id, pr.text);
}

static void settle(struct ui *u)
{
    /* A new notice (from a device, or the flow refusing to start) is
     * cleared after a while. */
    bool new_notice = false;
    if (flow_notice_serial(u->flow) != u->notice_serial) {
        new_notice = true;
        u->notice_serial = flow_notice_serial(u->flow);
        loop_timer_set(u->loop, NOTICE_TIMER, NOTICE_MS, on_notice_timer, u);
    }
    if (flow_generation(u->flow) != u->generation) {
        u->generation = flow_generation(u->flow);
        for (int p = 0; p < PAGE_COUNT; p++)
            screens[p]->wipe();
    }
    enum flow_page page = flow_page(u->flow);
    if (page != u->shown || flow_page_serial(u->flow) != u->serial) {
        u->serial = flow_page_serial(u->flow);
        log_msg(LOG_DEBUG, "screen %s -> %s", screens[u->shown]->name, screens[page]->name);
        u->shown = page;
        screens[page]->enter(u->flow);
    }
    voice_settle(u, new_notice);
    redraw(u);
}

static void on_notice_timer(void *ud)
{
    struct ui *u = ud;
    flow_clear_notice(u->flow);
    redraw(u);
}

void ui_refresh(struct ui *u)
{
    const struct screen_ops *s = screens[u->shown];
    if (s->device)
        s->device(u->flow);
    settle(u);
}

static void end_session(struct ui *u)
{
    flow_end_session(u->flow);
    u->warned = 0;
    i18n_set_language(flow_config(u->flow)->language);
    clear(); /* nothing of the last applicant stays in the terminal's buffer */
    settle(u);
}

static void on_idle(void *ud)
{
    struct ui *u = ud;
    log_msg(LOG_INFO, "idle timeout");
    /* A clerk who walked away is logged out: the next person at the
     * counter must not act in their name. */
    if (flow_role(u->flow) >= ROLE_CLERK)
        flow_logout(u->flow);
    end_session(u);
}

static void on_idle_warning(void *ud)
{
    struct ui *u = ud;
    /* Nothing of anyone's is on the home screen: no need to ask (a
     * clerk is asked: the log-out is theirs). */
    if (u->shown == PAGE_HOME && !flow_has_unfinished(u->flow) &&
        flow_role(u->flow) == ROLE_APPLICANT)
        return;
    u->warned = 1;
    redraw(u);
}

/* The warning comes a quarter of the timeout (at most 20 s) before it. */
static void arm_idle(struct ui *u)
{
    const struct config *cfg = flow_config(u->flow);
    int64_t ms = (int64_t)(flow_role(u->flow) >= ROLE_CLERK ? cfg->clerk_idle_timeout_s
                                                            : cfg->idle_timeout_s) *
                 1000;
    int64_t notice = ms / 4 < 20000 ? ms / 4 : 20000;
    u->warned = 0;
    loop_timer_set(u->loop, IDLE_TIMER, ms, on_idle, u);
    loop_timer_set(u->loop, IDLE_WARN_TIMER, ms - notice, on_idle_warning, u);
}

/* The configured log-in key ("F12") as a curses key code. */
static int login_key(const struct ui *u)
{
    int n = atoi(flow_config(u->flow)->login_key + 1);
    return n >= 1 && n <= 12 ? KEY_F(n) : -1;
}

static void dispatch(struct ui *u, int ch, bool is_keycode)
{
    const struct screen_ops *s = screens[u->shown];
    bool applicant_page = flow_applicant_page(u->shown);
    u->help = false; /* any key (or touch) closes the help */
    if (is_keycode && ch == KEY_MOUSE) {
        MEVENT ev;
        if (getmouse(&ev) != OK || !(ev.bstate & (BUTTON1_CLICKED | BUTTON1_PRESSED)))
            return;
        int code = applicant_page ? applicant_keys_hit(ev.y, ev.x) : 0;
        if (!code)
            code = frame_hit(ev.y, ev.x);
        if (code)
            dispatch(u, code, code >= KEY_MIN); /* a hint sends its key */
        else
            s->click(u->flow, ev.y, ev.x);
        return;
    }
    /* + is back and * is help on every applicant page, in fields too. */
    if (applicant_page) {
        ch = applicant_keys_map(ch, is_keycode);
        if (!is_keycode && ch == APPLICANT_KEY_HELP) {
            u->help = true;
            voice_repeat(); /* the same key says the prompt again */
            return;
        }
    }
    /* raw() turns Ctrl-C, Ctrl-D, Ctrl-Z and Ctrl-\ into keys. In kiosk
     * mode none of them may quit, suspend or reach a screen; outside it,
     * Ctrl-C ends the program cleanly and the others go on as keys. */
    if (!is_keycode && (ch == 3 || ch == 4 || ch == 26 || ch == 28)) {
        if (crt_kiosk()) {
            log_msg(LOG_DEBUG, "kiosk mode: control key ignored");
            return;
        }
        if (ch == 3) {
            log_msg(LOG_INFO, "Ctrl-C: quitting");
            loop_quit(u->loop);
            return;
        }
    }
    if (is_keycode && ch == FRAME_KEY_LANGUAGE) {
        i18n_cycle_language();
        return;
    }
    if (is_keycode && ch == login_key(u) && flow_role(u->flow) == ROLE_APPLICANT) {
        flow_show_login(u->flow);
        return;
    }
    if (!is_keycode && ch == 27 && u->shown == PAGE_HOME && flow_role(u->flow) >= ROLE_CLERK) {
        int64_t now = loop_now_ms();
        if (now - u->last_esc_ms < 2000) {
            u->last_esc_ms = 0;
            flow_logout(u->flow);
        } else {
            u->last_esc_ms = now;
        }
        return;
    }
    s->key(u->flow, ch, is_keycode);
}

static void on_input(int fd, short revents, void *ud)
{
    (void)fd;
    struct ui *u = ud;
    if (revents & (POLLHUP | POLLERR | POLLNVAL)) {
        log_msg(LOG_WARN, "terminal closed");
        loop_quit(u->loop);
        return;
    }
    wint_t ch;
    int rc, any = 0;
    while ((rc = get_wch(&ch)) != ERR) {
        any = 1;
        /* resizeterm() (on the signal pipe) queues a KEY_RESIZE; resizing
         * again here could queue another, forever: just redraw. */
        if (rc == KEY_CODE_YES && ch == KEY_RESIZE)
            continue;
        if (crt_too_small())
            continue;
        dispatch(u, (int)ch, rc == KEY_CODE_YES);
        settle(u);
    }
    if (any) {
        arm_idle(u);
        redraw(u);
    }
}

static void on_signal(int fd, short revents, void *ud)
{
    (void)fd;
    (void)revents;
    struct ui *u = ud;
    int sig = crt_take_signals();
    if (sig & CRT_SIG_QUIT) {
        log_msg(LOG_INFO, "terminating on signal");
        loop_quit(u->loop);
        return;
    }
    if (sig & CRT_SIG_RESIZE) {
        crt_resize();
        redraw(u);
    }
}

struct ui *ui_new(struct loop *loop, struct flow *flow, char *err, size_t errsz)
{
    struct ui *u = calloc(1, sizeof *u);
    if (!u) {
        snprintf(err, errsz, "out of memory");
        return NULL;
    }
    u->loop = loop;
    u->flow = flow;
    crt_set_high_contrast(flow_config(flow)->high_contrast);
    if (crt_init() != 0) {
        snprintf(err, errsz,
                 _("the kiosk needs a terminal: stdin and stdout must be a tty, and TERM "
                   "must name a known terminal type (TERM=%s)"),
                 getenv("TERM") ? getenv("TERM") : "");
        free(u);
        return NULL;
    }
    /* The Linux console's fonts cannot hold Arabic script's joined forms:
     * there Urdu is shown in Roman Urdu (docs/urdu.md). */
    if (strcmp(termname(), "linux") == 0) {
        i18n_set_arabic_drawable(0);
        log_msg(LOG_INFO, "the Linux console cannot draw Urdu script: Roman Urdu is shown "
                          "instead (the graphical session draws it)");
    }
    frame_set_centre(flow_config(flow)->centre_name);
    frame_set_message_hook(on_message, u);
    for (int p = 0; p < PAGE_COUNT; p++) {
        if (screens[p]->init() != 0) {
            snprintf(err, errsz, "out of memory setting up the screens");
            u->initialised = p;
            ui_free(u);
            return NULL;
        }
    }
    u->initialised = PAGE_COUNT;
    loop_add_fd(loop, 0, POLLIN, on_input, u);
    loop_add_fd(loop, crt_signal_fd(), POLLIN, on_signal, u);
    u->shown = flow_page(flow);
    u->serial = flow_page_serial(flow);
    u->generation = flow_generation(flow);
    screens[u->shown]->enter(flow);
    arm_idle(u);
    redraw(u);
    return u;
}

void ui_set_voice(struct ui *u, struct voice_player *voice)
{
    u->voice = voice;
    u->voice_serial = u->serial - 1; /* the page shown now is spoken */
    voice_settle(u, false);
}

void ui_free(struct ui *u)
{
    if (!u)
        return;
    loop_remove_fd(u->loop, 0);
    loop_remove_fd(u->loop, crt_signal_fd());
    loop_timer_cancel(u->loop, IDLE_TIMER);
    loop_timer_cancel(u->loop, IDLE_WARN_TIMER);
    loop_timer_cancel(u->loop, NOTICE_TIMER);
    frame_set_message_hook(NULL, NULL);
    for (int p = 0; p < u->initialised; p++) {
        screens[p]->wipe();
        screens[p]->fini();
    }
    crt_end();
    free(u);
}

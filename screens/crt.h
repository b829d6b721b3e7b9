/*
 * crt.h - the one owner of the terminal (after htop's CRT.c).
 *
 * Only this file calls initscr/endwin, sets colours and mouse modes, and
 * handles the signals that concern the terminal (resize, termination,
 * crashes). Signals reach the event loop through a self-pipe, so nothing
 * is drawn from a signal handler. Must never touch SQL or USB.
 *
 * Kiosk mode (crt_set_kiosk, from --kiosk): nothing typed or sent may
 * suspend the kiosk or drop to a shell. SIGINT, SIGQUIT, SIGTSTP, SIGTTIN,
 * SIGTTOU and SIGPIPE are ignored; SIGTERM and SIGHUP still end it cleanly
 * (terminal restored, exit 0) so systemd starts a fresh one.
 */
#ifndef NSER_CRT_H
#define NSER_CRT_H

#include <curses.h>

#define CRT_MIN_COLS 80
#define CRT_MIN_ROWS 24
/* From this size up the applicant's screens use the larger layout: bigger
 * digits, wider margins, more space between choices. */
#define CRT_LARGE_COLS 132
#define CRT_LARGE_ROWS 43

enum crt_color {
    CRT_NORMAL = 1,
    CRT_TITLE,
    CRT_BUTTON,
    CRT_BUTTON_FOCUS,
    CRT_FIELD,
    CRT_FIELD_FOCUS,
    CRT_ERROR,
    CRT_HINT,
    CRT_GOOD,
    CRT_BIG,
    CRT_COLOR_COUNT
};

enum crt_signal {
    CRT_SIG_NONE = 0,
    CRT_SIG_RESIZE = 1,
    CRT_SIG_QUIT = 2,
};

/*
 * Kiosk mode on or off. Call before crt_init, as early as possible: the
 * ignored signals are ignored from this call on (also while the database
 * opens, before the terminal is set up).
 */
void crt_set_kiosk(int on);
/* True in kiosk mode: the keys that would quit or suspend must do nothing. */
int crt_kiosk(void);

/* Starts curses on stdin/stdout. Returns 0, or -1 (not a terminal, or a
 * terminal type that TERM does not name or terminfo does not know). */
int crt_init(void);
/* Restores the terminal; safe to call twice and after crt_init failed. */
void crt_end(void);

/* Read end of the signal self-pipe, for the event loop. */
int crt_signal_fd(void);
/* Drains the self-pipe; returns a mask of enum crt_signal. */
int crt_take_signals(void);
/* Re-reads the terminal size after SIGWINCH. */
void crt_resize(void);
/* True when the terminal is smaller than 80x24. */
int crt_too_small(void);

attr_t crt_attr(enum crt_color c);

/* The high-contrast scheme on or off (config colours); call before crt_init. */
void crt_set_high_contrast(int on);
/* True when the terminal is big enough for the larger layout (132x43). */
int crt_large(void);

#endif

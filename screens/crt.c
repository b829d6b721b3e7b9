/*
 * crt.c - terminal set-up, colours, resize and restore on every exit path.
 *
 * Signal handlers only write one byte to a pipe (async-signal-safe); the
 * loop reads it and acts. A crash restores the terminal before the default
 * action runs, so a clerk never inherits a broken screen: the handler puts
 * back the terminal modes saved before curses started and writes escape
 * strings worked out at start-up, both async-signal-safe, instead of
 * calling endwin (which is not, and may be what crashed). Must never
 * catch a crash and carry on: the process dies of the same signal.
 */
#include "crt.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <term.h>
#include <termios.h>
#include <unistd.h>

static int pipe_fds[2] = {-1, -1};
static volatile sig_atomic_t started;
static SCREEN *screen;
static int kiosk_mode;
static int high_contrast;

/* What the crash handler needs, ready before any crash can happen. */
static struct termios shell_modes;
static volatile sig_atomic_t have_shell_modes;
static char crash_restore[256];
static size_t crash_restore_len;

static void on_signal(int sig)
{
    int saved = errno;
    unsigned char b = (unsigned char)sig;
    if (pipe_fds[1] >= 0)
        (void)!write(pipe_fds[1], &b, 1);
    errno = saved;
}

static void on_crash(int sig)
{
    if (started) {
        if (crash_restore_len)
            (void)!write(STDOUT_FILENO, crash_restore, crash_restore_len);
        if (have_shell_modes)
            tcsetattr(STDIN_FILENO, TCSADRAIN, &shell_modes);
    }
    /* SA_RESETHAND has put the default action back; the signal is blocked
     * while we are here, so it is delivered (and kills) as we return. */
    signal(sig, SIG_DFL);
    raise(sig);
}

/* Appends terminfo capability CAP to the crash restore string, if the
 * terminal has it and it fits. */
static void add_restore_cap(const char *cap)
{
    const char *s = tigetstr(cap);
    if (!s || s == (const char *)-1)
        return;
    size_t n = strlen(s);
    if (n < sizeof crash_restore - crash_restore_len) {
        memcpy(crash_restore + crash_restore_len, s, n);
        crash_restore_len += n;
    }
}

static void prepare_crash_restore(void)
{
    crash_restore_len = 0;
    add_restore_cap("rmkx");  /* keypad back to normal */
    add_restore_cap("sgr0");  /* no colours left on */
    add_restore_cap("cnorm"); /* a cursor again */
    add_restore_cap("rmcup"); /* back from the alternate screen */
    /* Mouse reports off: ncurses turns xterm's on where kmous exists. */
    const char *kmous = tigetstr("kmous");
    if (kmous && kmous != (const char *)-1) {
        static const char off[] = "\033[?1000l";
        if (sizeof off - 1 < sizeof crash_restore - crash_restore_len) {
            memcpy(crash_restore + crash_restore_len, off, sizeof off - 1);
            crash_restore_len += sizeof off - 1;
        }
    }
}

/* The signals kiosk mode ignores: from the keyboard (should raw mode ever
 * be lost), from job control, and a closed pipe (a printer or a log). */
static const int kiosk_ignored[] = {SIGINT, SIGQUIT, SIGTSTP, SIGTTIN, SIGTTOU, SIGPIPE};

void crt_set_kiosk(int on)
{
    kiosk_mode = on;
    if (!on)
        return;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = SIG_IGN;
    for (size_t i = 0; i < sizeof kiosk_ignored / sizeof kiosk_ignored[0]; i++)
        sigaction(kiosk_ignored[i], &sa, NULL);
}

int crt_kiosk(void)
{
    return kiosk_mode;
}

static void install_handlers(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = on_signal;
    sa.sa_flags = SA_RESTART;
    sigaction(SIGWINCH, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    if (!kiosk_mode)
        sigaction(SIGINT, &sa, NULL); /* ends the program, as Ctrl-C does */
    sa.sa_handler = on_crash;
    sa.sa_flags = SA_RESETHAND;
    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGBUS, &sa, NULL);
    sigaction(SIGABRT, &sa, NULL);
    sigaction(SIGFPE, &sa, NULL);
    sigaction(SIGILL, &sa, NULL);
    sigaction(SIGSYS, &sa, NULL);
}

/* High contrast (config colours = high_contrast), for applicants who see
 * poorly: white and yellow on black only, nothing dim, and the focus
 * shown by reverse video rather than by a colour that must be told apart. */
static void init_high_contrast(void)
{
    init_pair(CRT_NORMAL, COLOR_WHITE, COLOR_BLACK);
    init_pair(CRT_TITLE, COLOR_YELLOW, COLOR_BLACK);
    init_pair(CRT_BUTTON, COLOR_WHITE, COLOR_BLACK);
    init_pair(CRT_BUTTON_FOCUS, COLOR_YELLOW, COLOR_BLACK);
    init_pair(CRT_FIELD, COLOR_YELLOW, COLOR_BLACK);
    init_pair(CRT_FIELD_FOCUS, COLOR_YELLOW, COLOR_BLACK);
    init_pair(CRT_ERROR, COLOR_YELLOW, COLOR_BLACK);
    init_pair(CRT_HINT, COLOR_WHITE, COLOR_BLACK);
    init_pair(CRT_GOOD, COLOR_WHITE, COLOR_BLACK);
    init_pair(CRT_BIG, COLOR_YELLOW, COLOR_BLACK);
    /* Text drawn without a colour of its own is white on black too. */
    bkgdset(' ' | COLOR_PAIR(CRT_NORMAL));
    bkgd(' ' | COLOR_PAIR(CRT_NORMAL));
}

static void init_colors(void)
{
    if (!has_colors())
        return;
    start_color();
    if (high_contrast) {
        init_high_contrast();
        return;
    }
    use_default_colors();
    init_pair(CRT_NORMAL, -1, -1);
    init_pair(CRT_TITLE, COLOR_WHITE, COLOR_BLUE);
    init_pair(CRT_BUTTON, COLOR_BLACK, COLOR_CYAN);
    init_pair(CRT_BUTTON_FOCUS, COLOR_BLACK, COLOR_YELLOW);
    init_pair(CRT_FIELD, COLOR_BLACK, COLOR_WHITE);
    init_pair(CRT_FIELD_FOCUS, COLOR_BLACK, COLOR_YELLOW);
    init_pair(CRT_ERROR, COLOR_RED, -1);
    init_pair(CRT_HINT, COLOR_CYAN, -1);
    init_pair(CRT_GOOD, COLOR_GREEN, -1);
    init_pair(CRT_BIG, COLOR_GREEN, -1);
}

int crt_init(void)
{
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
        return -1;
    if (pipe(pipe_fds) != 0)
        return -1;
    for (int i = 0; i < 2; i++) {
        fcntl(pipe_fds[i], F_SETFL, fcntl(pipe_fds[i], F_GETFL) | O_NONBLOCK);
        fcntl(pipe_fds[i], F_SETFD, FD_CLOEXEC);
    }
    if (tcgetattr(STDIN_FILENO, &shell_modes) == 0)
        have_shell_modes = 1;
    /* Our own SIGWINCH handler first, so ncurses does not install its own
     * and resizes happen where the loop decides. */
    install_handlers();
    /* newterm, not initscr: initscr exits the process on an unknown TERM,
     * and the kiosk must say what is wrong instead. */
    screen = newterm(NULL, stdout, stdin);
    if (!screen)
        return -1;
    set_term(screen);
    /* Terminals that run the bidi algorithm themselves (VTE) would reverse
     * text.c's Urdu a second time: reset BDSM (ECMA-48 mode 8) to explicit
     * mode, each character in the cell it is written to. Terminals that
     * know no mode 8 ignore it. */
    fputs("\033[8l", stdout);
    fflush(stdout);
    prepare_crash_restore();
    started = 1;
    raw(); /* Ctrl-C and Ctrl-Z arrive as keys: a kiosk must not be suspended */
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    nodelay(stdscr, TRUE);
    set_escdelay(25);
    curs_set(0);
    mousemask(BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON1_RELEASED, NULL);
    mouseinterval(0);
    init_colors();
    return 0;
}

void crt_end(void)
{
    if (started) {
        curs_set(1);
        endwin();
        fputs("\033[8h", stdout); /* the implicit bidi mode back for the shell */
        fflush(stdout);
        delscreen(screen);
        screen = NULL;
        started = 0;
    }
    for (int i = 0; i < 2; i++) {
        if (pipe_fds[i] >= 0)
            close(pipe_fds[i]);
        pipe_fds[i] = -1;
    }
}

int crt_signal_fd(void)
{
    return pipe_fds[0];
}

int crt_take_signals(void)
{
    unsigned char buf[32];
    int mask = CRT_SIG_NONE;
    ssize_t n;
    while ((n = read(pipe_fds[0], buf, sizeof buf)) > 0) {
        for (ssize_t i = 0; i < n; i++)
            mask |= buf[i] == SIGWINCH ? CRT_SIG_RESIZE : CRT_SIG_QUIT;
    }
    return mask;
}

void crt_resize(void)
{
    struct winsize ws;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0)
        resizeterm(ws.ws_row, ws.ws_col);
    clear();
}

int crt_too_small(void)
{
    return COLS < CRT_MIN_COLS || LINES < CRT_MIN_ROWS;
}

attr_t crt_attr(enum crt_color c)
{
    if (!has_colors()) {
        switch (c) {
        case CRT_TITLE:
        case CRT_BUTTON_FOCUS:
        case CRT_FIELD_FOCUS:
            return A_REVERSE;
        case CRT_ERROR:
        case CRT_BIG:
            return A_BOLD;
        case CRT_FIELD:
            return A_UNDERLINE;
        default:
            return A_NORMAL;
        }
    }
    attr_t a = COLOR_PAIR(c);
    if (high_contrast) {
        /* Everything bold (never dim); focus and titles in reverse video,
         * fields underlined so an empty one is still seen. */
        a |= A_BOLD;
        if (c == CRT_TITLE || c == CRT_BUTTON_FOCUS || c == CRT_FIELD_FOCUS)
            a |= A_REVERSE;
        if (c == CRT_FIELD || c == CRT_FIELD_FOCUS || c == CRT_ERROR)
            a |= A_UNDERLINE;
        return a;
    }
    if (c == CRT_TITLE || c == CRT_ERROR || c == CRT_BIG || c == CRT_BUTTON_FOCUS)
        a |= A_BOLD;
    return a;
}

void crt_set_high_contrast(int on)
{
    high_contrast = on;
}

int crt_large(void)
{
    return COLS >= CRT_LARGE_COLS && LINES >= CRT_LARGE_ROWS;
}

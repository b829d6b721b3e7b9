/*
 * bench_startup.c - measures how long nser-kiosk takes from exec to its
 * first drawn screen, against a bare ncurses program that only does
 * initscr(); refresh(); endwin(), both run on a fresh 80x24 pseudo-terminal.
 *
 * The kiosk runs as build/bench/nser-kiosk --exit-after-first-frame on a
 * database and configuration in a temporary folder (created by the first
 * warm-up run and reused, as on a real kiosk's second start). The bare
 * program is this binary run with --bare, so no extra build rule is needed.
 * Runs alternate kiosk / bare so that drift in the machine's load falls on
 * both equally. The time is exec to exit (forkpty to waitpid), CLOCK_MONOTONIC;
 * exec to the last byte drawn is kept too. A kiosk that draws and then sits
 * waiting for input (--exit-after-first-frame not honoured) is hung up on
 * after QUIET_MS of silence, and the ratio then compares last-byte times,
 * with a warning, instead of failing or timing the wait.
 *
 * Prints figures and a ratio; it must never assert a wall-clock limit,
 * never touch the kiosk's real ./var/ files, never leave a child running
 * and never leave its temporary folder behind.
 */
#include <errno.h>
#include <locale.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <curses.h>

#define KIOSK_DEFAULT  "build/bench/nser-kiosk"
#define WARMUPS        3
#define RUNS           30
#define CHILD_LIMIT_MS 10000 /* a child that draws nothing is killed, the bench fails */
#define QUIET_MS       500   /* silent this long after drawing: not exiting by itself */

/*
 * The temporary folder's files (those the kiosk may make) and the folder
 * itself, last; set once in main, so the signal handler can use them.
 */
static const char *const TMP_NAMES[] = {"k.db",         "k.db-wal", "k.db-shm",
                                        "k.db-journal", "k.conf",   ""};
#define TMP_COUNT (sizeof TMP_NAMES / sizeof TMP_NAMES[0])
static char tmp_paths[TMP_COUNT][4096];
static volatile sig_atomic_t current_child; /* 0 when none is running */

struct sample {
    double exit_ms;  /* forkpty to waitpid */
    double frame_ms; /* forkpty to the last byte the child wrote */
    size_t bytes;    /* what the child wrote to the terminal */
    int hung_up;     /* it did not exit by itself; the pty was closed on it */
};

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* The bare ncurses program: what any curses application pays at least. */
static int bare_main(void)
{
    setlocale(LC_ALL, "");
    if (!initscr())
        return 1;
    refresh();
    endwin();
    return 0;
}

/* Waits for PID, killing it if it has not gone within GRACE_MS. */
static int reap(pid_t pid, int *status, int grace_ms)
{
    double t0 = now_ms();
    for (;;) {
        pid_t w = waitpid(pid, status, grace_ms < 0 ? 0 : WNOHANG);
        if (w == pid)
            return 0;
        if (w < 0 && errno != EINTR) {
            fprintf(stderr, "bench_startup: waitpid: %s\n", strerror(errno));
            return -1;
        }
        if (grace_ms >= 0 && now_ms() - t0 > grace_ms) {
            kill(pid, SIGKILL);
            grace_ms = -1; /* now block until it is gone */
            continue;
        }
        if (w == 0) {
            struct timespec nap = {0, 1000000};
            nanosleep(&nap, NULL);
        }
    }
}

/*
 * Runs ARGV on a new 80x24 pty, draining its output until it exits. A child
 * that drew something and then stays silent for QUIET_MS without exiting is
 * hung up on (the pty closed, so it gets SIGHUP) and marked: its exit time
 * is then meaningless, its last-byte time is not. Returns 0 and fills *OUT,
 * or -1 (the reason printed) when the child could not start, drew nothing,
 * hung, or exited other than 0 by itself.
 */
static int run_once(char *const argv[], struct sample *out)
{
    struct winsize ws = {.ws_row = 24, .ws_col = 80};
    int master = -1;
    double t0 = now_ms();
    pid_t pid = forkpty(&master, NULL, NULL, &ws);
    if (pid > 0)
        current_child = pid;
    if (pid < 0) {
        fprintf(stderr, "bench_startup: forkpty: %s\n", strerror(errno));
        return -1;
    }
    if (pid == 0) {
        setenv("TERM", "xterm-256color", 1);
        setenv("LANG", "C.UTF-8", 1);
        unsetenv("LC_ALL");
        unsetenv("LC_MESSAGES");
        unsetenv("LINES");
        unsetenv("COLUMNS");
        execv(argv[0], argv);
        fprintf(stderr, "bench_startup: cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }

    memset(out, 0, sizeof *out);
    double last = t0;
    int rc = 0;
    char buf[8192];
    for (;;) {
        double now = now_ms();
        int left = (int)(CHILD_LIMIT_MS - (now - t0));
        if (left <= 0) {
            fprintf(stderr, "bench_startup: %s drew nothing within %d ms; killed\n", argv[0],
                    CHILD_LIMIT_MS);
            kill(pid, SIGKILL);
            rc = -1;
            break;
        }
        int wait = left;
        if (out->bytes > 0) {
            int quiet_left = (int)(QUIET_MS - (now - last));
            if (quiet_left <= 0) {
                out->hung_up = 1;
                break;
            }
            if (quiet_left < wait)
                wait = quiet_left;
        }
        struct pollfd p = {.fd = master, .events = POLLIN};
        int n = poll(&p, 1, wait);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            fprintf(stderr, "bench_startup: poll: %s\n", strerror(errno));
            kill(pid, SIGKILL);
            rc = -1;
            break;
        }
        if (n == 0)
            continue; /* the limits are checked at the top */
        ssize_t got = read(master, buf, sizeof buf);
        if (got > 0) {
            out->bytes += (size_t)got;
            last = now_ms();
            continue;
        }
        if (got < 0 && errno == EINTR)
            continue;
        break; /* EIO (Linux) or 0: the slave side is closed, the child is gone */
    }

    /* Closing the master hangs the terminal up on a child still running. */
    if (close(master) != 0 && rc == 0) {
        fprintf(stderr, "bench_startup: close: %s\n", strerror(errno));
        rc = -1;
    }
    int status = 0;
    if (reap(pid, &status, out->hung_up ? 2000 : -1) != 0)
        rc = -1;
    current_child = 0;
    out->exit_ms = now_ms() - t0;
    out->frame_ms = last - t0;
    if (rc == 0 && !out->hung_up && (!WIFEXITED(status) || WEXITSTATUS(status) != 0)) {
        if (WIFEXITED(status))
            fprintf(stderr, "bench_startup: %s exited with status %d\n", argv[0],
                    WEXITSTATUS(status));
        else
            fprintf(stderr, "bench_startup: %s was killed by signal %d\n", argv[0],
                    WIFSIGNALED(status) ? WTERMSIG(status) : 0);
        rc = -1;
    }
    if (rc == 0 && out->bytes == 0) {
        fprintf(stderr, "bench_startup: %s drew nothing\n", argv[0]);
        rc = -1;
    }
    return rc;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Nearest-rank percentile of the sorted array V[N]. */
static double percentile(const double *v, size_t n, double p)
{
    size_t rank = (size_t)(p / 100.0 * (double)n + 0.999999);
    if (rank < 1)
        rank = 1;
    if (rank > n)
        rank = n;
    return v[rank - 1];
}

struct stats {
    double median, p90, min, max;
};

static struct stats summarise(const struct sample *s, size_t n, int frame)
{
    double v[RUNS];
    for (size_t i = 0; i < n; i++)
        v[i] = frame ? s[i].frame_ms : s[i].exit_ms;
    qsort(v, n, sizeof v[0], cmp_double);
    struct stats st = {
        .median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0,
        .p90 = percentile(v, n, 90.0),
        .min = v[0],
        .max = v[n - 1],
    };
    return st;
}

static int write_config(const char *path)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "bench_startup: cannot create %s: %s\n", path, strerror(errno));
        return -1;
    }
    int bad = fputs("# written by bench_startup\nkiosk_code = 00001\nlog_file =\n", f) < 0;
    if (fclose(f) != 0 || bad) {
        fprintf(stderr, "bench_startup: cannot write %s\n", path);
        return -1;
    }
    return 0;
}

static void remove_tmpdir(void)
{
    for (size_t i = 0; i + 1 < TMP_COUNT; i++)
        if (unlink(tmp_paths[i]) != 0 && errno != ENOENT)
            fprintf(stderr, "bench_startup: cannot remove %s: %s\n", tmp_paths[i], strerror(errno));
    if (rmdir(tmp_paths[TMP_COUNT - 1]) != 0)
        fprintf(stderr, "bench_startup: cannot remove %s: %s\n", tmp_paths[TMP_COUNT - 1],
                strerror(errno));
}

/* Interrupted: kill the child, remove the folder, die of the same signal.
 * Only async-signal-safe calls. */
static void on_fatal_signal(int sig)
{
    if (current_child > 0)
        kill((pid_t)current_child, SIGKILL);
    for (size_t i = 0; i + 1 < TMP_COUNT; i++)
        unlink(tmp_paths[i]);
    rmdir(tmp_paths[TMP_COUNT - 1]);
    signal(sig, SIG_DFL);
    raise(sig);
}

static int bench(const char *kiosk, const char *self, const char *dir)
{
    char db[4096], conf[4096];
    snprintf(db, sizeof db, "%s/k.db", dir);
    snprintf(conf, sizeof conf, "%s/k.conf", dir);
    if (write_config(conf) != 0)
        return -1;

    char *kiosk_argv[] = {(char *)kiosk, "--exit-after-first-frame", "--db", db, "--config", conf,
                          NULL};
    char *bare_argv[] = {(char *)self, "--bare", NULL};

    struct sample ks[RUNS], bs[RUNS], scratch;
    printf("startup: %d warm-up runs each (the first creates the kiosk's database)\n", WARMUPS);
    fflush(stdout);
    for (int i = 0; i < WARMUPS; i++) {
        if (run_once(kiosk_argv, &scratch) != 0 || run_once(bare_argv, &scratch) != 0)
            return -1;
    }
    for (int i = 0; i < RUNS; i++) {
        if (run_once(kiosk_argv, &ks[i]) != 0 || run_once(bare_argv, &bs[i]) != 0)
            return -1;
        if ((i + 1) % 10 == 0) {
            printf("startup: %d/%d timed runs each\n", i + 1, RUNS);
            fflush(stdout);
        }
    }

    int hung = 0;
    for (int i = 0; i < RUNS; i++)
        hung += ks[i].hung_up + bs[i].hung_up;

    printf("\nstartup to first screen, 80x24 pty, TERM=xterm-256color, %d runs each\n", RUNS);
    printf("  %-36s %9s %9s %9s %9s %7s\n", "", "median ms", "p90 ms", "min ms", "max ms", "bytes");
    struct {
        const char *name;
        const struct sample *s;
        int frame;
    } rows[] = {
        {"kiosk: exec to exit", ks, 0},
        {"kiosk: exec to last byte drawn", ks, 1},
        {"bare ncurses: exec to exit", bs, 0},
        {"bare ncurses: exec to last byte drawn", bs, 1},
    };
    for (size_t r = 0; r < sizeof rows / sizeof rows[0]; r++) {
        if (hung && !rows[r].frame)
            continue; /* exit times include the wait before the hang-up */
        struct stats st = summarise(rows[r].s, RUNS, rows[r].frame);
        printf("  %-36s %9.2f %9.2f %9.2f %9.2f %7zu\n", rows[r].name, st.median, st.p90, st.min,
               st.max, rows[r].s[RUNS - 1].bytes);
    }

    int frame = hung != 0;
    struct stats k = summarise(ks, RUNS, frame), b = summarise(bs, RUNS, frame);
    double ratio = b.median > 0 ? k.median / b.median : 0.0;
    if (hung) {
        printf("  WARNING: %d of %d runs did not exit by themselves after drawing (silent %d ms,\n"
               "  then hung up): --exit-after-first-frame is not working, so the ratio below\n"
               "  compares exec-to-last-byte-drawn instead of exec-to-exit.\n",
               hung, 2 * RUNS, QUIET_MS);
    }
    printf("  ratio kiosk/bare (%s): %.2fx median, %.2fx p90\n", frame ? "last byte drawn" : "exit",
           ratio, b.p90 > 0 ? k.p90 / b.p90 : 0.0);
    printf("SUMMARY|startup to first screen|kiosk/bare, median %s|%.2f ms|%.2f ms|%.2f\n",
           frame ? "last byte*" : "exit", k.median, b.median, ratio);
    if (frame)
        printf("NOTE|* nser-kiosk --exit-after-first-frame did not exit by itself: startup is"
               " timed to the last byte drawn\n");
    return 0;
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--bare") == 0)
        return bare_main();

    const char *kiosk = argc > 1 ? argv[1] : KIOSK_DEFAULT;
    if (access(kiosk, X_OK) != 0) {
        fprintf(stderr, "bench_startup: %s is missing or not executable (run `make bench`)\n",
                kiosk);
        return 1;
    }
    char self[4096];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0) {
        fprintf(stderr, "bench_startup: cannot find its own binary: %s\n", strerror(errno));
        return 1;
    }
    self[n] = '\0';

    char dir[] = "/tmp/nser-bench-startup-XXXXXX";
    if (!mkdtemp(dir)) {
        fprintf(stderr, "bench_startup: mkdtemp: %s\n", strerror(errno));
        return 1;
    }
    for (size_t i = 0; i < TMP_COUNT; i++)
        snprintf(tmp_paths[i], sizeof tmp_paths[i], "%s%s%s", dir, *TMP_NAMES[i] ? "/" : "",
                 TMP_NAMES[i]);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_fatal_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);

    int rc = bench(kiosk, self, dir) == 0 ? 0 : 1;
    remove_tmpdir();
    return rc;
}

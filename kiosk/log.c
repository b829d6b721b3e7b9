/*
 * log.c - append timestamped lines to the kiosk's log file.
 *
 * Thread-safe: log_msg is called from the main thread and from GLib's
 * worker threads (libfprint's NBIS image processing logs through GLib). Each
 * line is formatted in a local buffer and written with one write() on an
 * O_APPEND descriptor while a mutex is held, so lines never interleave and
 * a crash leaves the trail up to the last whole line (nothing is buffered).
 * A line longer than LOG_LINE_MAX is cut and ends in "...".
 * Must never write to stdout/stderr: the terminal belongs to ncurses.
 */
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define LOG_LINE_MAX 2048

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static int log_fd = -1; /* guarded by log_lock */

int log_open(const char *path)
{
    log_close();
    if (!path || !*path)
        return 0;
    int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0666);
    if (fd < 0)
        return -1;
    pthread_mutex_lock(&log_lock);
    log_fd = fd;
    pthread_mutex_unlock(&log_lock);
    return 0;
}

void log_close(void)
{
    pthread_mutex_lock(&log_lock);
    if (log_fd >= 0)
        close(log_fd);
    log_fd = -1;
    pthread_mutex_unlock(&log_lock);
}

void log_msg(enum log_level level, const char *fmt, ...)
{
    static const char *names[] = {"ERROR", "WARN", "INFO", "DEBUG"};
    /* Formatting happens outside the lock: only the write is serialised. */
    pthread_mutex_lock(&log_lock);
    bool open_now = log_fd >= 0;
    pthread_mutex_unlock(&log_lock);
    if (!open_now)
        return;
    char line[LOG_LINE_MAX];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    size_t n = strftime(line, sizeof line, "%Y-%m-%dT%H:%M:%SZ ", &tm);
    int k = snprintf(line + n, sizeof line - n, "%s ",
                     (unsigned)level < sizeof names / sizeof names[0] ? names[level] : "?");
    n += k > 0 ? (size_t)k : 0;
    va_list ap;
    va_start(ap, fmt);
    k = vsnprintf(line + n, sizeof line - n, fmt, ap);
    va_end(ap);
    if (k < 0)
        k = 0;
    if ((size_t)k >= sizeof line - n - 1) {
        /* Cut, keeping room for the newline. */
        n = sizeof line - 1;
        memcpy(line + n - 3, "...", 3);
    } else {
        n += (size_t)k;
    }
    line[n++] = '\n';
    pthread_mutex_lock(&log_lock);
    size_t off = 0;
    while (log_fd >= 0 && off < n) {
        ssize_t w = write(log_fd, line + off, n - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            break; /* a full disk or a closed file: the line is lost, not the program */
        off += (size_t)w;
    }
    pthread_mutex_unlock(&log_lock);
}

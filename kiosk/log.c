/*
 * log.c - append timestamped lines to the kiosk's log file.
 *
 * Each line is flushed at once so a crash leaves the trail up to it.
 * Must never write to stdout/stderr: the terminal belongs to ncurses.
 */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <time.h>

static FILE *log_file;

int log_open(const char *path)
{
    log_close();
    if (!path || !*path)
        return 0;
    log_file = fopen(path, "a");
    return log_file ? 0 : -1;
}

void log_close(void)
{
    if (log_file)
        fclose(log_file);
    log_file = NULL;
}

void log_msg(enum log_level level, const char *fmt, ...)
{
    static const char *names[] = {"ERROR", "WARN", "INFO", "DEBUG"};
    if (!log_file)
        return;
    char stamp[32];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
    fprintf(log_file, "%s %s ", stamp, names[level]);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(log_file, fmt, ap);
    va_end(ap);
    fputc('\n', log_file);
    fflush(log_file);
}

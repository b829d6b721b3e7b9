/*
 * log.h - leveled log to a file, never to the screen.
 *
 * What a bug report can carry: screen changes, errors, durations. It must
 * never receive personal data (no CNIC, name, phone, tracking ID).
 *
 * Thread-safe: log_msg may be called from any thread (GLib's worker threads
 * log through it); each line is one write(), never interleaved with another.
 */
#ifndef NSER_LOG_H
#define NSER_LOG_H

enum log_level { LOG_ERROR, LOG_WARN, LOG_INFO, LOG_DEBUG };

/* Opens PATH for appending; NULL or "" logs nowhere. Returns 0 or -1. */
int log_open(const char *path);
void log_close(void);
void log_msg(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif

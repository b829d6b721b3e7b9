/*
 * errbuf.h - filling a caller's error buffer: the kiosk's way of returning
 * a reason with an error code instead of printing it from deep inside.
 *
 * Never prints, never logs: the caller decides where the reason goes.
 */
#ifndef NSER_ERRBUF_H
#define NSER_ERRBUF_H

#include <stddef.h>

/* Formats the reason into BUF (when BUF and SZ are non-zero); returns -1,
 * so a failing path can end in `return err_set(err, errsz, "...")`. */
#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
int err_set(char *buf, size_t sz, const char *fmt, ...);

#endif

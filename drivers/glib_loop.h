/*
 * glib_loop.h - GLib's default main context driven by the kiosk's one
 * poll() loop, and GLib's log output routed to the kiosk's log file.
 *
 * libfprint does all its work through GLib's default GMainContext (USB
 * transfers, timeouts, results from its worker threads). This joins that
 * context to kiosk/loop.c: prepare, query, poll, check, dispatch on each
 * pass. It must never run g_main_loop_run or block, and GLib must never
 * write to the terminal (it would corrupt the screen).
 */
#ifndef NSER_GLIB_LOOP_H
#define NSER_GLIB_LOOP_H

#include <stddef.h>

struct loop;
struct glib_loop;

/* Acquires GLib's default main context for this thread and adds it to
 * LOOP. NULL with a reason in ERR when the context is owned elsewhere or the
 * loop is full. Also installs glib_log_to_kiosk(). */
struct glib_loop *glib_loop_new(struct loop *loop, char *err, size_t errsz);
/* Removes the context from the loop and releases it. NULL is fine. */
void glib_loop_free(struct glib_loop *g);

/* Routes every GLib log line (libfprint's included) to kiosk/log.h, never
 * to stdout or stderr; debug lines only when G_MESSAGES_DEBUG asks for
 * their domain. Safe to call more than once: GLib allows one writer per
 * process, installed the first time. */
void glib_log_to_kiosk(void);

#endif

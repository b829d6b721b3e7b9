/*
 * glib_loop.c - GLib's default main context on the kiosk's poll() loop, and
 * GLib's log lines in the kiosk's log file.
 *
 * Each pass of kiosk/loop.c: g_main_context_prepare, g_main_context_query
 * into our GPollFD array, the descriptors handed to the one poll(), the
 * revents copied back, g_main_context_check, g_main_context_dispatch. GLib's
 * own wakeup descriptor is among them, so results that libfprint's worker
 * threads post to the context wake the poll(). Must never block, never run
 * a GMainLoop, never let GLib print to the terminal.
 */
#include "glib_loop.h"

#include <glib.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "kiosk/log.h"
#include "kiosk/loop.h"

struct glib_loop {
    struct loop *loop;
    GMainContext *ctx;
    gint max_priority;
    GPollFD *gfds;
    gint gfds_alloc;
    gint nqueried; /* descriptors GLib asked for this pass */
    bool truncated_logged;
};

static int gl_prepare(void *ud, struct pollfd *fds, int max, int *timeout_ms)
{
    struct glib_loop *g = ud;
    gint timeout = -1, n;
    g_main_context_prepare(g->ctx, &g->max_priority);
    while ((n = g_main_context_query(g->ctx, g->max_priority, &timeout, g->gfds, g->gfds_alloc)) >
           g->gfds_alloc) {
        g->gfds_alloc = n + 8;
        g->gfds = g_renew(GPollFD, g->gfds, g->gfds_alloc);
    }
    g->nqueried = n;
    if (n > max) {
        /* Never seen: GLib asks for a handful. Poll what fits and come back
         * soon so the rest are not starved. */
        if (!g->truncated_logged)
            log_msg(LOG_WARN, "glib: %d descriptors, only %d fit in the loop", n, max);
        g->truncated_logged = true;
        n = max;
        if (timeout < 0 || timeout > 10)
            timeout = 10;
    }
    for (int i = 0; i < n; i++)
        fds[i] = (struct pollfd){g->gfds[i].fd, (short)g->gfds[i].events, 0};
    *timeout_ms = timeout;
    return n;
}

static void gl_dispatch(void *ud, struct pollfd *fds, int n)
{
    struct glib_loop *g = ud;
    for (int i = 0; i < g->nqueried; i++)
        g->gfds[i].revents = i < n ? (gushort)fds[i].revents : 0;
    if (g_main_context_check(g->ctx, g->max_priority, g->gfds, g->nqueried))
        g_main_context_dispatch(g->ctx);
}

static const struct loop_source_ops gl_ops = {gl_prepare, gl_dispatch};

struct glib_loop *glib_loop_new(struct loop *loop, char *err, size_t errsz)
{
    glib_log_to_kiosk();
    GMainContext *ctx = g_main_context_default();
    if (!g_main_context_acquire(ctx)) {
        snprintf(err, errsz, "GLib's main context is owned by another thread");
        return NULL;
    }
    struct glib_loop *g = g_new0(struct glib_loop, 1);
    g->loop = loop;
    g->ctx = ctx;
    g->gfds_alloc = 16;
    g->gfds = g_new0(GPollFD, g->gfds_alloc);
    if (loop_add_source(loop, &gl_ops, g) < 0) {
        snprintf(err, errsz, "the event loop has no room for GLib's context");
        glib_loop_free(g);
        return NULL;
    }
    return g;
}

void glib_loop_free(struct glib_loop *g)
{
    if (!g)
        return;
    loop_remove_source(g->loop, g);
    g_main_context_release(g->ctx);
    g_free(g->gfds);
    g_free(g);
}

/* ---- logs ---- */

static GMutex log_lock;

static enum log_level kiosk_level(GLogLevelFlags level)
{
    if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL))
        return LOG_ERROR;
    if (level & G_LOG_LEVEL_WARNING)
        return LOG_WARN;
    if (level & (G_LOG_LEVEL_MESSAGE | G_LOG_LEVEL_INFO))
        return LOG_INFO;
    return LOG_DEBUG;
}

/* One line, no control characters: a log line must not forge another. */
static void clean_copy(char *out, size_t outsz, const char *in, gssize len)
{
    size_t n = len < 0 ? strlen(in) : (size_t)len, j = 0;
    for (size_t i = 0; i < n && j + 1 < outsz; i++) {
        unsigned char c = (unsigned char)in[i];
        out[j++] = (c < 0x20 || c == 0x7f) ? ' ' : (char)c;
    }
    out[j] = '\0';
}

static GLogWriterOutput kiosk_writer(GLogLevelFlags level, const GLogField *fields, gsize nfields,
                                     gpointer ud)
{
    (void)ud;
    const char *domain = NULL, *message = NULL;
    gssize message_len = -1;
    for (gsize i = 0; i < nfields; i++) {
        if (strcmp(fields[i].key, "GLIB_DOMAIN") == 0 && fields[i].length == -1)
            domain = fields[i].value;
        else if (strcmp(fields[i].key, "MESSAGE") == 0) {
            message = fields[i].value;
            message_len = fields[i].length;
        }
    }
    if ((level & (G_LOG_LEVEL_DEBUG | G_LOG_LEVEL_INFO)) &&
        g_log_writer_default_would_drop(level, domain))
        return G_LOG_WRITER_HANDLED;
    char text[512];
    clean_copy(text, sizeof text, message ? message : "", message ? message_len : -1);
    g_mutex_lock(&log_lock);
    log_msg(kiosk_level(level), "glib %s: %s", domain ? domain : "-", text);
    g_mutex_unlock(&log_lock);
    return G_LOG_WRITER_HANDLED;
}

void glib_log_to_kiosk(void)
{
    static gsize installed;
    if (g_once_init_enter(&installed)) {
        g_log_set_writer_func(kiosk_writer, NULL, NULL);
        g_once_init_leave(&installed, 1);
    }
}

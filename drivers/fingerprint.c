/*
 * fingerprint.c - fingerprint readers through libfprint-2, on the kiosk's
 * one poll() loop (drivers/glib_loop.c), as kiosk/fingerprint.h events.
 *
 * Only libfprint's asynchronous calls, each with its own GCancellable and
 * its own small record (struct action) so a late callback never touches a
 * freed driver. The stage timeout is ours (libfprint waits forever for a
 * finger). We keep our own reference to every FpDevice: the context drops
 * a removed one. Must never block the loop (enumeration at start and on a
 * rescan is libfprint's one short pass), never touch ncurses or SQL, never
 * log a print or an image.
 */
#include "fingerprint.h"

#include <fprint.h>
#include <gio/gio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fp_map.h"
#include "fp_stored.h"
#include "glib_loop.h"
#include "kiosk/finger_image.h"
#include "kiosk/log.h"
#include "kiosk/loop.h"

#define FP_MAX_READERS    4
#define FP_TIMER_STAGE    2000 /* the stage timeout */
#define FP_TIMER_NEEDED   2001 /* "finger needed" right after a start, outside the op call */
#define FP_TIMER_RESCAN   2002 /* a rescan, run between loop passes */
#define FP_TIMER_ANNOUNCE 2003 /* readers opened while enumerating, told from the loop */
#define FP_RESCAN_MIN_MS  3000
#define FP_DRAIN_MS       2000 /* at most this long waiting for libfprint at free */

enum action_kind { ACT_OPEN, ACT_CLOSE, ACT_ENROLL, ACT_VERIFY };

/* One libfprint call in flight. D is NULL once the driver is gone. */
struct action {
    struct fp_driver *d;
    FpDevice *dev; /* a reference of its own */
    enum action_kind kind;
    GCancellable *cancel;
    bool silent;    /* cancelled by the flow: no event */
    bool timed_out; /* cancelled by the stage timer */
    bool gone;      /* the reader was removed while it ran */
};

struct reader {
    FpDevice *dev; /* our reference */
    enum fp_reader_state state;
    bool removed;       /* libfprint said it is gone */
    bool gone_reported; /* GONE already raised */
    bool tell;          /* opened during enumeration: announce() raises its event */
    gulong removed_sig; /* on the FpDevice */
    gulong status_sig;  /* notify::finger-status */
    char detail[128];
};

/* A capture the flow asked for while a cancelled one was still ending. */
struct queued {
    bool set;
    enum action_kind kind;
    enum fp_finger finger;
    FpPrint *tmpl;
};

struct fp_driver {
    struct loop *loop;
    fp_event_cb cb;
    void *ud;
    bool enabled;
    int64_t stage_timeout_ms;
    struct glib_loop *gl;
    FpContext *ctx;
    gulong added_sig, ctx_removed_sig;
    struct reader readers[FP_MAX_READERS];
    int nreaders;
    GPtrArray *actions; /* every struct action in flight */
    struct action *cur; /* the capture in flight, if any */
    struct queued queued;
    /* The capture's state. */
    enum fp_finger finger;
    int stage, stages, retries;
    int needed_told;      /* the stage FINGER_NEEDED was raised for (0: none yet) */
    FpPrint *verify_tmpl; /* the print a verify compares against */
    FpImage *last_image;  /* image readers: the last stage's image */
    int64_t last_rescan_ms;
    bool enumerating; /* inside fp_context_get_devices: no events yet */
    bool starting;    /* inside an op: events wait for the loop (FP_TIMER_NEEDED) */
    bool freeing;
};

static void start_open(struct fp_driver *d, struct reader *r);
static int start_capture(struct fp_driver *d, enum action_kind kind);
static void on_finger_status(GObject *obj, GParamSpec *pspec, gpointer data);

/* ---- events ---- */

static void emit(struct fp_driver *d, struct fp_event *ev)
{
    if (d->freeing || !d->cb)
        return;
    d->cb(ev, d->ud);
}

static void emit_simple(struct fp_driver *d, enum fp_event_kind kind, enum device_problem problem,
                        const char *detail)
{
    struct fp_event ev = {.kind = kind, .problem = problem, .stage = d->stage, .stages = d->stages};
    snprintf(ev.detail, sizeof ev.detail, "%s", detail ? detail : "");
    emit(d, &ev);
}

static const char *dev_driver(FpDevice *dev)
{
    const char *s = dev ? fp_device_get_driver(dev) : NULL;
    return s ? s : "?";
}

/* ---- actions ---- */

static struct action *action_new(struct fp_driver *d, FpDevice *dev, enum action_kind kind)
{
    struct action *a = g_new0(struct action, 1);
    a->d = d;
    a->dev = g_object_ref(dev);
    a->kind = kind;
    a->cancel = g_cancellable_new();
    g_ptr_array_add(d->actions, a);
    return a;
}

/* Forgets A; returns its driver, or NULL when the driver is gone. */
static struct fp_driver *action_end(struct action *a)
{
    struct fp_driver *d = a->d;
    if (d) {
        g_ptr_array_remove(d->actions, a);
        if (d->cur == a)
            d->cur = NULL;
    }
    g_object_unref(a->dev);
    g_object_unref(a->cancel);
    g_free(a);
    return d;
}

/* ---- readers ---- */

static struct reader *find_reader(struct fp_driver *d, FpDevice *dev)
{
    for (int i = 0; i < d->nreaders; i++)
        if (d->readers[i].dev == dev)
            return &d->readers[i];
    return NULL;
}

/* The reader captures go to: the first one that is open. */
static struct reader *active_reader(struct fp_driver *d)
{
    for (int i = 0; i < d->nreaders; i++) {
        struct reader *r = &d->readers[i];
        if (!r->removed && (r->state == FP_READER_STATE_READY || r->state == FP_READER_STATE_BUSY))
            return r;
    }
    return NULL;
}

static void drop_reader(struct fp_driver *d, struct reader *r)
{
    if (r->removed_sig)
        g_signal_handler_disconnect(r->dev, r->removed_sig);
    if (r->status_sig)
        g_signal_handler_disconnect(r->dev, r->status_sig);
    g_object_unref(r->dev);
    *r = d->readers[--d->nreaders];
    memset(&d->readers[d->nreaders], 0, sizeof d->readers[0]);
}

static void on_close_done(GObject *src, GAsyncResult *res, gpointer data)
{
    struct action *a = data;
    GError *e = NULL;
    fp_device_close_finish(FP_DEVICE(src), res, &e);
    if (e && !g_error_matches(e, FP_DEVICE_ERROR, FP_DEVICE_ERROR_NOT_OPEN))
        log_msg(LOG_DEBUG, "fingerprint: closing %s: %s", dev_driver(a->dev), e->message);
    g_clear_error(&e);
    FpDevice *dev = a->dev;
    g_object_ref(dev);
    struct fp_driver *d = action_end(a);
    if (d) {
        struct reader *r = find_reader(d, dev);
        if (r && r->removed)
            drop_reader(d, r);
    }
    g_object_unref(dev);
}

static void start_close(struct fp_driver *d, struct reader *r)
{
    if (!fp_device_is_open(r->dev)) {
        if (r->removed)
            drop_reader(d, r);
        return;
    }
    struct action *a = action_new(d, r->dev, ACT_CLOSE);
    fp_device_close(r->dev, NULL, on_close_done, a);
}

/* A reader went away: say so once, close it; it is dropped when closed. */
static void reader_gone(struct fp_driver *d, struct reader *r, bool mid_read)
{
    r->removed = true;
    if (!r->gone_reported) {
        r->gone_reported = true;
        char detail[DEVICE_DETAIL_MAX];
        snprintf(detail, sizeof detail, "%s unplugged%s", dev_driver(r->dev),
                 mid_read ? " while capturing" : "");
        log_msg(LOG_INFO, "fingerprint: %s", detail);
        emit_simple(d, FP_READER_GONE,
                    mid_read ? DEVICE_PROBLEM_GONE_MID_READ : DEVICE_PROBLEM_NONE, detail);
    }
    start_close(d, r);
}

/* FpDevice::removed. A capture running on it ends with an error soon;
 * its completion reports GONE mid-read. */
static void on_device_removed(FpDevice *dev, gpointer data)
{
    struct fp_driver *d = data;
    struct reader *r = find_reader(d, dev);
    if (!r || r->removed)
        return;
    if (d->cur && d->cur->dev == dev) {
        r->removed = true;
        d->cur->gone = true;
        g_cancellable_cancel(d->cur->cancel); /* in case the driver does not end it */
        return;
    }
    reader_gone(d, r, false);
}

static void add_reader(struct fp_driver *d, FpDevice *dev)
{
    if (find_reader(d, dev))
        return;
    if (d->nreaders >= FP_MAX_READERS) {
        log_msg(LOG_WARN, "fingerprint: more than %d readers; %s ignored", FP_MAX_READERS,
                dev_driver(dev));
        return;
    }
    struct reader *r = &d->readers[d->nreaders++];
    memset(r, 0, sizeof *r);
    r->dev = g_object_ref(dev);
    r->state = FP_READER_STATE_OPENING;
    r->removed_sig = g_signal_connect(dev, "removed", G_CALLBACK(on_device_removed), d);
    r->status_sig = g_signal_connect(dev, "notify::finger-status", G_CALLBACK(on_finger_status), d);
    log_msg(LOG_INFO, "fingerprint: found %s (%s, %d stages)", dev_driver(dev),
            fp_device_get_name(dev) ? fp_device_get_name(dev) : "?",
            fp_device_get_nr_enroll_stages(dev));
    start_open(d, r);
}

static void on_open_done(GObject *src, GAsyncResult *res, gpointer data)
{
    struct action *a = data;
    GError *e = NULL;
    bool ok = fp_device_open_finish(FP_DEVICE(src), res, &e);
    FpDevice *dev = g_object_ref(a->dev);
    struct fp_driver *d = action_end(a);
    struct reader *r = d ? find_reader(d, dev) : NULL;
    if (!r || d->freeing) {
        g_clear_error(&e);
        g_object_unref(dev);
        return;
    }
    if (ok) {
        r->state = FP_READER_STATE_READY;
        snprintf(r->detail, sizeof r->detail, "%s ready", dev_driver(dev));
        log_msg(LOG_INFO, "fingerprint: %s", r->detail);
        if (d->enumerating)
            r->tell = true;
        else
            emit_simple(d, FP_READER_READY, DEVICE_PROBLEM_NONE, r->detail);
    } else {
        enum device_problem p = fp_map_problem(e);
        r->state = p == DEVICE_PROBLEM_NO_ACCESS ? FP_READER_STATE_NO_ACCESS
                   : p == DEVICE_PROBLEM_BUSY    ? FP_READER_STATE_BUSY
                                                 : FP_READER_STATE_FAILED;
        fp_map_detail(e, dev_driver(dev), r->detail, sizeof r->detail);
        log_msg(LOG_WARN, "fingerprint: cannot open %s", r->detail);
        if (p == DEVICE_PROBLEM_GONE_MID_READ)
            reader_gone(d, r, false);
        else if (d->enumerating)
            r->tell = true;
        else
            emit_simple(d, FP_READER_UNUSABLE, p, r->detail);
    }
    g_clear_error(&e);
    g_object_unref(dev);
}

static void start_open(struct fp_driver *d, struct reader *r)
{
    struct action *a = action_new(d, r->dev, ACT_OPEN);
    fp_device_open(r->dev, a->cancel, on_open_done, a);
}

static void on_device_added(FpContext *ctx, FpDevice *dev, gpointer data)
{
    (void)ctx;
    add_reader(data, dev);
}

/* FpContext::device-removed comes after the device is closed. */
static void on_ctx_device_removed(FpContext *ctx, FpDevice *dev, gpointer data)
{
    (void)ctx;
    struct fp_driver *d = data;
    struct reader *r = find_reader(d, dev);
    if (!r)
        return;
    if (!r->removed)
        reader_gone(d, r, false);
    else if (!fp_device_is_open(dev) && !(d->cur && d->cur->dev == dev))
        drop_reader(d, r);
}

static void context_drop(struct fp_driver *d)
{
    if (!d->ctx)
        return;
    g_signal_handler_disconnect(d->ctx, d->added_sig);
    g_signal_handler_disconnect(d->ctx, d->ctx_removed_sig);
    g_clear_object(&d->ctx);
}

/* Readers whose open finished during enumeration, told from the loop so
 * no event reaches the flow before fp_driver_new has returned. */
static void announce(void *ud)
{
    struct fp_driver *d = ud;
    for (int i = 0; i < d->nreaders; i++) {
        struct reader *r = &d->readers[i];
        if (!r->tell || r->removed)
            continue;
        r->tell = false;
        if (r->state == FP_READER_STATE_READY || r->state == FP_READER_STATE_BUSY)
            emit_simple(d, FP_READER_READY, DEVICE_PROBLEM_NONE, r->detail);
        else if (r->state == FP_READER_STATE_NO_ACCESS)
            emit_simple(d, FP_READER_UNUSABLE, DEVICE_PROBLEM_NO_ACCESS, r->detail);
        else
            emit_simple(d, FP_READER_UNUSABLE, DEVICE_PROBLEM_PROTOCOL, r->detail);
    }
}

/* A fresh context, enumerated: libfprint's one short blocking pass. */
static void context_start(struct fp_driver *d)
{
    d->ctx = fp_context_new();
    d->added_sig = g_signal_connect(d->ctx, "device-added", G_CALLBACK(on_device_added), d);
    d->ctx_removed_sig =
        g_signal_connect(d->ctx, "device-removed", G_CALLBACK(on_ctx_device_removed), d);
    d->enumerating = true;
    GPtrArray *devs = fp_context_get_devices(d->ctx); /* enumerates; device-added fires too */
    d->enumerating = false;
    for (guint i = 0; devs && i < devs->len; i++)
        add_reader(d, g_ptr_array_index(devs, i));
    loop_timer_set(d->loop, FP_TIMER_ANNOUNCE, 0, announce, d);
    d->last_rescan_ms = loop_now_ms();
    if (d->nreaders == 0)
        log_msg(LOG_INFO, "fingerprint: no reader found");
}

/* Readers not (being) removed. */
static int live_readers(struct fp_driver *d)
{
    int n = 0;
    for (int i = 0; i < d->nreaders; i++)
        n += !d->readers[i].removed;
    return n;
}

static void run_rescan(void *ud)
{
    struct fp_driver *d = ud;
    if (!d->enabled || live_readers(d) > 0)
        return;
    log_msg(LOG_INFO, "fingerprint: looking for readers again");
    context_drop(d);
    context_start(d);
}

int fp_driver_rescan(struct fp_driver *d)
{
    if (!d || !d->enabled || live_readers(d) > 0)
        return -1;
    /* Between loop passes: enumeration iterates GLib's context itself. */
    loop_timer_set(d->loop, FP_TIMER_RESCAN, 0, run_rescan, d);
    return 0;
}

static void maybe_rescan(struct fp_driver *d)
{
    if (live_readers(d) == 0 && loop_now_ms() - d->last_rescan_ms >= FP_RESCAN_MIN_MS)
        fp_driver_rescan(d);
}

/* ---- captures ---- */

static void stage_timer_restart(struct fp_driver *d);

static void on_stage_timeout(void *ud)
{
    struct fp_driver *d = ud;
    if (!d->cur)
        return;
    log_msg(LOG_INFO, "fingerprint: no usable touch within %lld s; stopping",
            (long long)(d->stage_timeout_ms / 1000));
    d->cur->timed_out = true;
    g_cancellable_cancel(d->cur->cancel);
}

static void stage_timer_restart(struct fp_driver *d)
{
    loop_timer_set(d->loop, FP_TIMER_STAGE, d->stage_timeout_ms, on_stage_timeout, d);
}

static void timers_stop(struct fp_driver *d)
{
    loop_timer_cancel(d->loop, FP_TIMER_STAGE);
    loop_timer_cancel(d->loop, FP_TIMER_NEEDED);
}

/* FINGER_NEEDED follows libfprint's finger status (the reader really waits
 * for a touch), once per stage: a test or a user touching earlier would be
 * ignored by the reader. */
static void tell_needed(struct fp_driver *d)
{
    struct action *a = d->cur;
    if (!a || a->silent || a->timed_out || a->gone || d->starting)
        return;
    if (!(fp_device_get_finger_status(a->dev) & FP_FINGER_STATUS_NEEDED))
        return;
    if (d->needed_told == d->stage + 1)
        return;
    d->needed_told = d->stage + 1;
    struct fp_event ev = {.kind = FP_FINGER_NEEDED, .stage = d->stage + 1, .stages = d->stages};
    emit(d, &ev);
}

static void on_finger_needed(void *ud)
{
    tell_needed(ud);
}

static void on_finger_status(GObject *obj, GParamSpec *pspec, gpointer data)
{
    (void)pspec;
    struct fp_driver *d = data;
    if (d->cur && (GObject *)d->cur->dev == obj)
        tell_needed(d);
}

static void capture_state_clear(struct fp_driver *d)
{
    g_clear_object(&d->verify_tmpl);
    g_clear_object(&d->last_image);
}

static void queued_clear(struct fp_driver *d)
{
    g_clear_object(&d->queued.tmpl);
    d->queued.set = false;
}

/* The capture ended (any way): mark the reader idle, start what the flow
 * queued meanwhile. Returns true when a queued capture was started. */
static bool capture_over(struct fp_driver *d, FpDevice *dev)
{
    timers_stop(d);
    struct reader *r = find_reader(d, dev);
    if (r && r->state == FP_READER_STATE_BUSY)
        r->state = FP_READER_STATE_READY;
    if (!d->queued.set || d->freeing)
        return false;
    enum action_kind kind = d->queued.kind;
    d->finger = d->queued.finger;
    capture_state_clear(d);
    d->verify_tmpl = d->queued.tmpl;
    d->queued.tmpl = NULL;
    d->queued.set = false;
    if (start_capture(d, kind) == 0)
        return true;
    capture_state_clear(d);
    emit_simple(d, FP_FAILED, DEVICE_PROBLEM_GONE_MID_READ, "the reader went away");
    return false;
}

/* An enroll or verify ended with E (not a retry). */
static void capture_failed(struct fp_driver *d, struct action *a, GError *e)
{
    struct reader *r = find_reader(d, a->dev);
    bool gone = a->gone || (r && r->removed) ||
                g_error_matches(e, FP_DEVICE_ERROR, FP_DEVICE_ERROR_REMOVED);
    bool cancelled = g_error_matches(e, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    if (gone) {
        if (r)
            reader_gone(d, r, !a->silent);
        return;
    }
    if (a->silent)
        return;
    if (cancelled && a->timed_out) {
        emit_simple(d, FP_TIMED_OUT, DEVICE_PROBLEM_TIMEOUT, "stage timeout");
        return;
    }
    char detail[DEVICE_DETAIL_MAX];
    fp_map_detail(e, dev_driver(a->dev), detail, sizeof detail);
    log_msg(LOG_WARN, "fingerprint: capture failed: %s", detail);
    emit_simple(d, FP_FAILED, fp_map_problem(e), detail);
}

static void retry_event(struct fp_driver *d, const GError *e)
{
    d->retries++;
    struct fp_event ev = {
        .kind = FP_RETRY, .stage = d->stage + 1, .stages = d->stages, .retry = fp_map_retry(e)};
    snprintf(ev.detail, sizeof ev.detail, "retry %d", (int)ev.retry);
    stage_timer_restart(d);
    d->needed_told = 0;
    emit(d, &ev);
    tell_needed(d);
}

static void on_enroll_progress(FpDevice *dev, gint completed, FpPrint *print, gpointer data,
                               GError *e)
{
    (void)dev;
    struct action *a = data;
    struct fp_driver *d = a->d;
    if (!d || a->silent || d->cur != a || a->timed_out)
        return;
    if (e) {
        retry_event(d, e);
        return;
    }
    d->stage = completed;
    FpImage *img = print ? fp_print_get_image(print) : NULL;
    if (img)
        g_set_object(&d->last_image, img);
    stage_timer_restart(d);
    emit_simple(d, FP_STAGE_PASSED, DEVICE_PROBLEM_NONE, "");
    if (d->cur == a && d->stage < d->stages)
        tell_needed(d);
}

/* Image readers: the last stage's image as an ISO/IEC 19794-4 record for
 * central's check. Without it the capture still stands (the print is what
 * the kiosk matches against); the log says why. */
static void attach_image(struct fp_driver *d, struct fp_capture *c)
{
    gsize len = 0;
    const guchar *px = fp_image_get_data(d->last_image, &len);
    guint w = fp_image_get_width(d->last_image), h = fp_image_get_height(d->last_image);
    double ppmm = fp_image_get_ppmm(d->last_image);
    if (!px || w == 0 || h == 0 || w > 2048 || h > 2048 || len < (gsize)w * h) {
        log_msg(LOG_WARN, "fingerprint: the reader's image (%ux%u) cannot be kept", w, h);
        return;
    }
    struct finger_image img = {(int)w, (int)h, ppmm > 0 ? (int)(ppmm * 25.4 + 0.5) : 500, d->finger,
                               px};
    if (finger_image_encode(&img, &c->image, &c->image_len) != 0) {
        log_msg(LOG_WARN, "fingerprint: the reader's image could not be encoded");
        c->image = NULL;
        c->image_len = 0;
    }
}

/* The capture for an enrolled PRINT; NULL when it cannot be serialised. */
static struct fp_capture *make_capture(struct fp_driver *d, FpDevice *dev, FpPrint *print)
{
    guchar *data = NULL;
    gsize len = 0;
    GError *e = NULL;
    if (!fp_print_serialize(print, &data, &len, &e) || len == 0) {
        log_msg(LOG_ERROR, "fingerprint: cannot serialise the print: %s", e ? e->message : "empty");
        g_clear_error(&e);
        g_free(data);
        return NULL;
    }
    struct fp_capture *c = calloc(1, sizeof *c);
    if (c)
        c->print = malloc(len);
    if (!c || !c->print) {
        free(c);
        memset(data, 0, len);
        g_free(data);
        return NULL;
    }
    memcpy(c->print, data, len);
    c->print_len = len;
    memset(data, 0, len);
    g_free(data);
    snprintf(c->driver, sizeof c->driver, "%s", dev_driver(dev));
    if (d->last_image)
        attach_image(d, c);
    c->finger = d->finger;
    c->retries = d->retries;
    c->captured_at = time(NULL);
    return c;
}

static void on_enroll_done(GObject *src, GAsyncResult *res, gpointer data)
{
    struct action *a = data;
    GError *e = NULL;
    FpPrint *print = fp_device_enroll_finish(FP_DEVICE(src), res, &e);
    struct fp_driver *d = a->d;
    if (!d) {
        g_clear_object(&print);
        g_clear_error(&e);
        action_end(a);
        return;
    }
    FpDevice *dev = g_object_ref(a->dev);
    if (d->cur == a)
        d->cur = NULL;
    if (print && !a->silent && !a->timed_out && !a->gone) {
        struct fp_capture *c = make_capture(d, dev, print);
        capture_state_clear(d);
        timers_stop(d);
        struct reader *r = find_reader(d, dev);
        if (r && r->state == FP_READER_STATE_BUSY)
            r->state = FP_READER_STATE_READY;
        if (c) {
            struct fp_event ev = {
                .kind = FP_ENROLLED, .stage = d->stage, .stages = d->stages, .capture = c};
            snprintf(ev.detail, sizeof ev.detail, "%s, %d retries", c->driver, c->retries);
            log_msg(LOG_INFO, "fingerprint: enrolled (%s)", ev.detail);
            emit(d, &ev);
            fp_capture_free(ev.capture);
        } else {
            emit_simple(d, FP_FAILED, DEVICE_PROBLEM_PROTOCOL, "print could not be serialised");
        }
    } else {
        capture_state_clear(d);
        if (!capture_over(d, dev) || !a->silent)
            capture_failed(d, a, e ? e : NULL);
    }
    g_clear_object(&print);
    g_clear_error(&e);
    action_end(a);
    g_object_unref(dev);
}

static void on_verify_done(GObject *src, GAsyncResult *res, gpointer data)
{
    struct action *a = data;
    GError *e = NULL;
    gboolean match = FALSE;
    bool ok = fp_device_verify_finish(FP_DEVICE(src), res, &match, NULL, &e);
    struct fp_driver *d = a->d;
    if (!d) {
        g_clear_error(&e);
        action_end(a);
        return;
    }
    FpDevice *dev = g_object_ref(a->dev);
    if (d->cur == a)
        d->cur = NULL;
    if (!ok && fp_map_is_retry(e) && !a->silent && !a->timed_out && !a->gone) {
        /* The touch was unusable: wait for the next one, same print. */
        action_end(a);
        a = NULL;
        if (start_capture(d, ACT_VERIFY) == 0)
            retry_event(d, e);
        else
            emit_simple(d, FP_FAILED, DEVICE_PROBLEM_PROTOCOL, "verify could not restart");
    } else if (ok && !a->silent && !a->timed_out && !a->gone) {
        capture_state_clear(d);
        capture_over(d, dev);
        log_msg(LOG_INFO, "fingerprint: verify %s", match ? "matched" : "did not match");
        emit_simple(d, match ? FP_MATCH : FP_NO_MATCH, DEVICE_PROBLEM_NONE, "");
    } else {
        capture_state_clear(d);
        bool started = capture_over(d, dev);
        if (!started || !a->silent)
            capture_failed(d, a, e);
    }
    g_clear_error(&e);
    if (a)
        action_end(a);
    g_object_unref(dev);
}

/* Starts KIND on the active reader with d->finger / d->verify_tmpl set. */
static int start_capture(struct fp_driver *d, enum action_kind kind)
{
    struct reader *r = active_reader(d);
    if (!r || d->cur)
        return -1;
    r->state = FP_READER_STATE_BUSY;
    struct action *a = action_new(d, r->dev, kind);
    d->cur = a;
    d->stage = 0;
    d->needed_told = 0;
    d->starting = true; /* libfprint may report the finger status from inside the call */
    if (kind == ACT_ENROLL) {
        d->stages = fp_device_get_nr_enroll_stages(r->dev);
        d->retries = 0;
        FpPrint *tmpl = fp_print_new(r->dev); /* floating: enroll takes it */
        fp_print_set_finger(tmpl, (FpFinger)(d->finger + 1));
        /* Without a date libfprint stores an invalid julian day, and its own
         * fp_print_deserialize then raises a GLib critical on every load;
         * drivers/fp_stored.c refuses such a print. */
        GDate *today = g_date_new();
        g_date_set_time_t(today, time(NULL));
        fp_print_set_enroll_date(tmpl, today);
        g_date_free(today);
        fp_device_enroll(r->dev, tmpl, a->cancel, on_enroll_progress, a, NULL, on_enroll_done, a);
    } else {
        d->stages = 1;
        fp_device_verify(r->dev, d->verify_tmpl, a->cancel, NULL, NULL, NULL, on_verify_done, a);
    }
    d->starting = false;
    stage_timer_restart(d);
    loop_timer_set(d->loop, FP_TIMER_NEEDED, 0, on_finger_needed, d);
    return 0;
}

/* The flow cancelled a capture that is still ending: run this one after. */
static int queue_capture(struct fp_driver *d, enum action_kind kind, enum fp_finger finger,
                         FpPrint *tmpl)
{
    queued_clear(d);
    d->queued = (struct queued){true, kind, finger, tmpl};
    return 0;
}

static bool busy_with_cancelled(struct fp_driver *d)
{
    return d->cur && d->cur->silent;
}

static int op_enroll(void *ud, enum fp_finger finger)
{
    struct fp_driver *d = ud;
    if (!d->enabled || finger < 0 || finger >= FP_FINGER_COUNT)
        return -1;
    if (busy_with_cancelled(d))
        return queue_capture(d, ACT_ENROLL, finger, NULL);
    if (!active_reader(d)) {
        maybe_rescan(d);
        return -1;
    }
    if (d->cur)
        return -1;
    capture_state_clear(d);
    d->finger = finger;
    return start_capture(d, ACT_ENROLL);
}

static int op_verify(void *ud, const uint8_t *print, size_t len)
{
    struct fp_driver *d = ud;
    if (!d->enabled || !print || len == 0)
        return -1;
    struct reader *r = active_reader(d);
    if (!r && !busy_with_cancelled(d)) {
        maybe_rescan(d);
        return -1;
    }
    if (d->cur && !busy_with_cancelled(d))
        return -1;
    char why[160];
    FpPrint *tmpl = fp_stored_load(print, len, NULL, why, sizeof why);
    if (!tmpl) {
        log_msg(LOG_WARN, "fingerprint: %s", why);
        return -1;
    }
    FpDevice *dev = r ? r->dev : d->cur->dev;
    if (!fp_print_compatible(tmpl, dev)) {
        log_msg(LOG_WARN, "fingerprint: stored print is from %s, the reader is %s",
                fp_print_get_driver(tmpl) ? fp_print_get_driver(tmpl) : "?", dev_driver(dev));
        g_object_unref(tmpl);
        return -1;
    }
    if (busy_with_cancelled(d))
        return queue_capture(d, ACT_VERIFY, d->finger, tmpl);
    capture_state_clear(d);
    d->verify_tmpl = tmpl;
    int rc = start_capture(d, ACT_VERIFY);
    if (rc != 0)
        capture_state_clear(d);
    return rc;
}

static void op_cancel(void *ud)
{
    struct fp_driver *d = ud;
    queued_clear(d);
    if (!d->cur)
        return;
    d->cur->silent = true;
    timers_stop(d);
    g_cancellable_cancel(d->cur->cancel);
}

static bool op_present(void *ud)
{
    struct fp_driver *d = ud;
    return d->enabled && active_reader(d) != NULL;
}

void fp_driver_ops(struct fp_driver *d, struct fp_reader_ops *out)
{
    *out = (struct fp_reader_ops){op_enroll, op_verify, op_cancel, op_present, d};
}

/* ---- life ---- */

struct fp_driver *fp_driver_new(struct loop *loop, const struct config *cfg, fp_event_cb cb,
                                void *ud, char *err, size_t errsz)
{
    struct fp_driver *d = calloc(1, sizeof *d);
    if (!d) {
        snprintf(err, errsz, "out of memory");
        return NULL;
    }
    d->loop = loop;
    d->cb = cb;
    d->ud = ud;
    d->enabled = cfg->fp_enabled;
    d->stage_timeout_ms = (int64_t)cfg->fp_stage_timeout_s * 1000;
    if (!d->enabled)
        return d; /* no context at all */
    d->gl = glib_loop_new(loop, err, errsz);
    if (!d->gl) {
        free(d);
        return NULL;
    }
    d->actions = g_ptr_array_new();
    context_start(d);
    return d;
}

static gboolean drain_deadline(gpointer data)
{
    *(bool *)data = true;
    return G_SOURCE_REMOVE;
}

void fp_driver_free(struct fp_driver *d)
{
    if (!d)
        return;
    if (d->enabled) {
        loop_timer_cancel(d->loop, FP_TIMER_RESCAN);
        loop_timer_cancel(d->loop, FP_TIMER_ANNOUNCE);
        timers_stop(d);
        queued_clear(d);
        d->freeing = true;
        if (d->cur) {
            d->cur->silent = true;
            g_cancellable_cancel(d->cur->cancel);
        }
        for (guint i = 0; i < d->actions->len; i++) {
            struct action *a = g_ptr_array_index(d->actions, i);
            if (a->kind == ACT_OPEN)
                g_cancellable_cancel(a->cancel);
        }
        /* Shutdown only: let libfprint finish the cancelled captures, then
         * close the readers, so nothing is left half done on the device. */
        bool late = false;
        guint deadline = g_timeout_add(FP_DRAIN_MS, drain_deadline, &late);
        while (d->actions->len > 0 && !late)
            g_main_context_iteration(NULL, TRUE);
        for (int i = 0; i < d->nreaders; i++)
            if (fp_device_is_open(d->readers[i].dev))
                start_close(d, &d->readers[i]);
        while (d->actions->len > 0 && !late)
            g_main_context_iteration(NULL, TRUE);
        if (!late)
            g_source_remove(deadline);
        for (guint i = 0; i < d->actions->len; i++)
            ((struct action *)g_ptr_array_index(d->actions, i))->d = NULL;
        if (d->actions->len)
            log_msg(LOG_WARN, "fingerprint: %u reader calls still running at exit",
                    d->actions->len);
        g_ptr_array_free(d->actions, TRUE);
        capture_state_clear(d);
        while (d->nreaders > 0)
            drop_reader(d, &d->readers[0]);
        context_drop(d);
        glib_loop_free(d->gl);
    }
    free(d);
}

size_t fp_driver_report(struct fp_driver *d, struct fp_reader_row *out, size_t max)
{
    if (!d || !d->enabled)
        return 0;
    for (int i = 0; i < d->nreaders && (size_t)i < max; i++) {
        struct reader *r = &d->readers[i];
        struct fp_reader_row *row = &out[i];
        memset(row, 0, sizeof *row);
        snprintf(row->driver, sizeof row->driver, "%s", dev_driver(r->dev));
        const char *name = fp_device_get_name(r->dev);
        snprintf(row->name, sizeof row->name, "%s", name ? name : "");
        snprintf(row->scan_type, sizeof row->scan_type, "%s",
                 fp_device_get_scan_type(r->dev) == FP_SCAN_TYPE_SWIPE ? "swipe" : "press");
        row->stages = fp_device_get_nr_enroll_stages(r->dev);
        row->state = r->state;
        snprintf(row->detail, sizeof row->detail, "%s", r->detail);
    }
    return (size_t)d->nreaders;
}

/*
 * loop.c - poll()-based event loop with one-shot timers.
 *
 * Small fixed tables: a kiosk watches a handful of descriptors and timers,
 * and fixed tables cannot fail to allocate mid-session. Must never block
 * anywhere but in poll().
 */
#include "loop.h"

#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdlib.h>
#include <time.h>

#define LOOP_MAX_FDS        64
#define LOOP_MAX_TIMERS     96
#define LOOP_MAX_SOURCES    4
#define LOOP_MAX_SOURCE_FDS 64 /* shared by all sources: GLib needs a handful */

struct watch {
    int fd;
    short events;
    loop_fd_cb cb;
    void *ud;
};

struct timer {
    int id;
    bool armed;
    int64_t deadline;
    loop_timer_cb cb;
    void *ud;
};

struct source {
    const struct loop_source_ops *ops;
    void *ud;
};

struct loop {
    struct watch watches[LOOP_MAX_FDS];
    int nwatches;
    struct source sources[LOOP_MAX_SOURCES];
    struct timer timers[LOOP_MAX_TIMERS];
    bool quit;
};

int64_t loop_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct loop *loop_new(void)
{
    return calloc(1, sizeof(struct loop));
}

void loop_free(struct loop *l)
{
    free(l);
}

int loop_add_fd(struct loop *l, int fd, short events, loop_fd_cb cb, void *ud)
{
    if (l->nwatches >= LOOP_MAX_FDS)
        return -1;
    l->watches[l->nwatches++] = (struct watch){fd, events, cb, ud};
    return 0;
}

void loop_remove_fd(struct loop *l, int fd)
{
    for (int i = 0; i < l->nwatches; i++) {
        if (l->watches[i].fd == fd) {
            l->watches[i] = l->watches[--l->nwatches];
            return;
        }
    }
}

int loop_add_source(struct loop *l, const struct loop_source_ops *ops, void *ud)
{
    for (int i = 0; i < LOOP_MAX_SOURCES; i++) {
        if (!l->sources[i].ops) {
            l->sources[i] = (struct source){ops, ud};
            return 0;
        }
    }
    return -1;
}

void loop_remove_source(struct loop *l, void *ud)
{
    for (int i = 0; i < LOOP_MAX_SOURCES; i++)
        if (l->sources[i].ops && l->sources[i].ud == ud)
            l->sources[i] = (struct source){NULL, NULL};
}

static struct timer *find_timer(struct loop *l, int id)
{
    struct timer *free_slot = NULL;
    for (int i = 0; i < LOOP_MAX_TIMERS; i++) {
        if (l->timers[i].armed && l->timers[i].id == id)
            return &l->timers[i];
        if (!l->timers[i].armed && !free_slot)
            free_slot = &l->timers[i];
    }
    return free_slot;
}

int loop_timer_set(struct loop *l, int id, int64_t delay_ms, loop_timer_cb cb, void *ud)
{
    struct timer *t = find_timer(l, id);
    if (!t)
        return -1;
    *t = (struct timer){id, true, loop_now_ms() + delay_ms, cb, ud};
    return 0;
}

void loop_timer_cancel(struct loop *l, int id)
{
    for (int i = 0; i < LOOP_MAX_TIMERS; i++)
        if (l->timers[i].armed && l->timers[i].id == id)
            l->timers[i].armed = false;
}

void loop_quit(struct loop *l)
{
    l->quit = true;
}

static int next_timeout(struct loop *l)
{
    int64_t now = loop_now_ms(), best = -1;
    for (int i = 0; i < LOOP_MAX_TIMERS; i++) {
        if (!l->timers[i].armed)
            continue;
        int64_t left = l->timers[i].deadline - now;
        if (left < 0)
            left = 0;
        if (best < 0 || left < best)
            best = left;
    }
    return best > 60000 ? 60000 : (int)best;
}

static void fire_due_timers(struct loop *l)
{
    int64_t now = loop_now_ms();
    for (int i = 0; i < LOOP_MAX_TIMERS && !l->quit; i++) {
        struct timer *t = &l->timers[i];
        if (t->armed && t->deadline <= now) {
            t->armed = false; /* one-shot; the callback may re-arm it */
            t->cb(t->ud);
        }
    }
}

/* What one source added to this pass's pollfd array. */
struct source_pass {
    int slot, first, count;
    void *ud;
};

/* Lets each source add its descriptors after the loop's own; returns the
 * number of sources taking part and lowers *TIMEOUT as they ask. */
static int prepare_sources(struct loop *l, struct pollfd *pfds, int *used, int *timeout,
                           struct source_pass *pass)
{
    int npass = 0;
    for (int i = 0; i < LOOP_MAX_SOURCES; i++) {
        struct source *s = &l->sources[i];
        if (!s->ops)
            continue;
        int t = -1;
        int k =
            s->ops->prepare(s->ud, pfds + *used, LOOP_MAX_SOURCE_FDS - (*used - l->nwatches), &t);
        if (k < 0)
            continue;
        pass[npass++] = (struct source_pass){i, *used, k, s->ud};
        *used += k;
        if (t >= 0 && (*timeout < 0 || t < *timeout))
            *timeout = t;
    }
    return npass;
}

/* Always runs after a prepare, even when poll() was interrupted: GLib's
 * check step must follow its prepare. A source removed meanwhile is skipped. */
static void dispatch_sources(struct loop *l, struct pollfd *pfds, struct source_pass *pass,
                             int npass)
{
    for (int i = 0; i < npass; i++) {
        struct source *s = &l->sources[pass[i].slot];
        if (s->ops && s->ud == pass[i].ud)
            s->ops->dispatch(s->ud, pfds + pass[i].first, pass[i].count);
    }
}

int loop_run(struct loop *l)
{
    struct pollfd pfds[LOOP_MAX_FDS + LOOP_MAX_SOURCE_FDS];
    struct source_pass pass[LOOP_MAX_SOURCES];
    l->quit = false;
    while (!l->quit) {
        int n = l->nwatches;
        for (int i = 0; i < n; i++)
            pfds[i] = (struct pollfd){l->watches[i].fd, l->watches[i].events, 0};
        int used = n, timeout = next_timeout(l);
        int npass = prepare_sources(l, pfds, &used, &timeout, pass);
        int rc = poll(pfds, (nfds_t)used, timeout);
        if (rc < 0) {
            int e = errno;
            for (int i = 0; i < used; i++)
                pfds[i].revents = 0;
            dispatch_sources(l, pfds, pass, npass);
            if (e == EINTR)
                continue; /* signals arrive through a self-pipe */
            return -1;
        }
        for (int i = 0; i < n && !l->quit; i++) {
            if (!pfds[i].revents)
                continue;
            /* A callback may remove watches: look the fd up again. */
            for (int j = 0; j < l->nwatches; j++) {
                if (l->watches[j].fd == pfds[i].fd) {
                    l->watches[j].cb(pfds[i].fd, pfds[i].revents, l->watches[j].ud);
                    break;
                }
            }
        }
        dispatch_sources(l, pfds, pass, npass);
        fire_due_timers(l);
    }
    return 0;
}

/*
 * loop.h - the one event loop: poll() over file descriptors and timers.
 *
 * A single thread waits here for the terminal, signals (via a self-pipe)
 * and timers; libusb's and libfprint's descriptors join the same poll()
 * when the drivers land. Callbacks run one at a time, never nested. The
 * loop knows nothing of ncurses, SQL or USB.
 */
#ifndef NSER_LOOP_H
#define NSER_LOOP_H

#include <poll.h>
#include <stdint.h>

struct loop;

typedef void (*loop_fd_cb)(int fd, short revents, void *ud);
typedef void (*loop_timer_cb)(void *ud);

struct loop *loop_new(void);
void loop_free(struct loop *l);

/* Watches FD for EVENTS (POLLIN, ...). Returns 0 or -1 when full. */
int loop_add_fd(struct loop *l, int fd, short events, loop_fd_cb cb, void *ud);
void loop_remove_fd(struct loop *l, int fd);

/* Timer ids in use: screens/ui.c 1-9, kiosk/main.c 100-199, drivers/usb.c
 * 1000-1999, drivers/fingerprint.c 2000-2009. */

/* Arms timer ID (replacing an earlier one with the same ID) to fire once
 * after DELAY_MS. Returns 0 or -1 when full. */
int loop_timer_set(struct loop *l, int id, int64_t delay_ms, loop_timer_cb cb, void *ud);
void loop_timer_cancel(struct loop *l, int id);

/* An outside main context (GLib's, drivers/glib_loop.c) joining the one
 * poll(). Before each poll() PREPARE writes at most MAX descriptors into
 * FDS, returns how many (or -1 on failure: it is then skipped this pass) and
 * may lower *TIMEOUT_MS (-1 means "no limit"); after poll() DISPATCH always
 * gets the same FDS back with revents filled in (all zero when poll() was
 * interrupted) and runs the context's callbacks. */
struct loop_source_ops {
    int (*prepare)(void *ud, struct pollfd *fds, int max, int *timeout_ms);
    void (*dispatch)(void *ud, struct pollfd *fds, int n);
};
/* Returns 0, or -1 when full. OPS must outlive the source. */
int loop_add_source(struct loop *l, const struct loop_source_ops *ops, void *ud);
void loop_remove_source(struct loop *l, void *ud);

/* Runs until loop_quit(). Returns 0, or -1 if poll() failed for good. */
int loop_run(struct loop *l);
void loop_quit(struct loop *l);

/* Monotonic milliseconds. */
int64_t loop_now_ms(void);

#endif

/*
 * bench_fp_verify.c - what the kiosk adds to a fingerprint verify: the
 * kiosk's path (drivers/fingerprint.c ops.verify on kiosk/loop.c, GLib's
 * context joined to the one poll()) against libfprint's own
 * fp_device_verify_sync on the same images and the same print, called
 * directly.
 *
 * Two libfprint virtual_image readers live in this process, each on its own
 * socket in a mkdtemp folder: the kiosk driver's (found when fp_driver_new
 * enumerates) and a bare one (a second FpContext, made after the variable
 * points at the second socket). One synthetic finger (tests/fp/ridge.c,
 * seed 1) is enrolled once through the kiosk; then runs alternate kiosk /
 * direct so drift in the machine's load falls on both alike. Each run times
 * from the image being written to the reader's socket (the reader was
 * waiting for a finger) to the decision: the MATCH event for the kiosk,
 * fp_device_verify_sync returning for the direct call. libfprint's NBIS
 * minutiae extraction and bozorth3 match are the bulk of both.
 *
 * Prints figures and a ratio; it must never assert a wall-clock limit, never
 * touch real readers (only virtual_image is allowed), never write an image
 * anywhere but the sockets, and never leave its temporary folder behind.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <fprint.h>
#include <glib.h>

#include "drivers/fingerprint.h"
#include "kiosk/config.h"
#include "kiosk/fingerprint.h"
#include "kiosk/loop.h"
#include "tests/fp/ridge.h"

#define WARMUPS     3
#define RUNS        100
#define GUARD_TIMER 900
#define GUARD_MS    60000 /* a reader that never answers fails the bench */

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static uint8_t img[RIDGE_W * RIDGE_H];

/* One frame for virtual_image: width, height (native int32), then the pixels. */
static int send_image(int fd)
{
    int32_t hdr[2] = {RIDGE_W, RIDGE_H};
    if (write(fd, hdr, sizeof hdr) != (ssize_t)sizeof hdr ||
        write(fd, img, sizeof img) != (ssize_t)sizeof img) {
        fprintf(stderr, "bench_fp_verify: writing the image: %s\n", strerror(errno));
        return -1;
    }
    return 0;
}

static int connect_to(const char *path)
{
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    snprintf(sa.sun_path, sizeof sa.sun_path, "%s", path);
    if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
        fprintf(stderr, "bench_fp_verify: connecting to %s: %s\n", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    return fd;
}

/* ---- the kiosk's path ---- */

struct kiosk {
    struct loop *loop;
    struct fp_driver *d;
    struct fp_reader_ops ops;
    int fd;
    enum fp_event_kind want;
    bool got, failed, hung;
    double t_sent, t_done;
    struct fp_capture *cap;
};

static void on_guard(void *ud)
{
    struct kiosk *k = ud;
    k->hung = true;
    loop_quit(k->loop);
}

static void on_event(struct fp_event *ev, void *ud)
{
    struct kiosk *k = ud;
    switch (ev->kind) {
    case FP_FINGER_NEEDED:
        k->t_sent = now_ms();
        if (send_image(k->fd) != 0) {
            k->failed = true;
            loop_quit(k->loop);
        }
        return;
    case FP_ENROLLED:
        k->cap = ev->capture;
        ev->capture = NULL;
        break;
    case FP_RETRY:
    case FP_NO_MATCH:
    case FP_FAILED:
    case FP_TIMED_OUT:
    case FP_READER_GONE:
    case FP_READER_UNUSABLE:
        fprintf(stderr, "bench_fp_verify: unexpected reader event %d (%s)\n", (int)ev->kind,
                ev->detail);
        k->failed = true;
        loop_quit(k->loop);
        return;
    default:
        break;
    }
    if (ev->kind == k->want && !k->got) {
        k->t_done = now_ms();
        k->got = true;
        loop_quit(k->loop);
    }
}

static int kiosk_wait(struct kiosk *k, enum fp_event_kind kind)
{
    k->want = kind;
    k->got = false;
    loop_timer_set(k->loop, GUARD_TIMER, GUARD_MS, on_guard, k);
    loop_run(k->loop);
    loop_timer_cancel(k->loop, GUARD_TIMER);
    if (k->hung)
        fprintf(stderr, "bench_fp_verify: the kiosk's reader did not answer\n");
    return k->got && !k->failed && !k->hung ? 0 : -1;
}

/* One verify through ops.verify; image sent to MATCH in *MS. */
static int kiosk_verify(struct kiosk *k, double *ms)
{
    if (k->ops.verify(k->ops.ud, k->cap->print, k->cap->print_len) != 0) {
        fprintf(stderr, "bench_fp_verify: ops.verify refused\n");
        return -1;
    }
    if (kiosk_wait(k, FP_MATCH) != 0)
        return -1;
    *ms = k->t_done - k->t_sent;
    return 0;
}

/* ---- libfprint called directly ---- */

struct direct {
    FpContext *ctx;
    FpDevice *dev;
    FpPrint *print;
    int fd;
    bool sent, failed;
    double t_sent;
};

/* The reader waits for a finger (emitted from inside the sync call's own
 * iteration of the context): send the image once per verify. */
static void on_direct_status(GObject *obj, GParamSpec *pspec, gpointer data)
{
    (void)pspec;
    struct direct *x = data;
    if (x->sent || !(fp_device_get_finger_status(FP_DEVICE(obj)) & FP_FINGER_STATUS_NEEDED))
        return;
    x->sent = true;
    x->t_sent = now_ms();
    if (send_image(x->fd) != 0)
        x->failed = true;
}

static int direct_verify(struct direct *x, double *ms)
{
    gboolean match = FALSE;
    GError *e = NULL;
    x->sent = false;
    bool ok = fp_device_verify_sync(x->dev, x->print, NULL, NULL, NULL, &match, NULL, &e);
    double t_done = now_ms();
    if (!ok || !match || !x->sent || x->failed) {
        fprintf(stderr, "bench_fp_verify: direct verify: %s\n",
                e          ? e->message
                : !x->sent ? "no finger asked for"
                           : "no match");
        g_clear_error(&e);
        return -1;
    }
    *ms = t_done - x->t_sent;
    return 0;
}

/* ---- figures ---- */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

struct stats {
    double median, p90, min, max;
};

static struct stats summarise(double *v, size_t n)
{
    qsort(v, n, sizeof v[0], cmp_double);
    size_t rank = (size_t)(0.9 * (double)n + 0.999999); /* nearest rank */
    if (rank < 1)
        rank = 1;
    return (struct stats){
        .median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0,
        .p90 = v[rank - 1],
        .min = v[0],
        .max = v[n - 1],
    };
}

/* ---- setup ---- */

static int run(const char *dir)
{
    char sock_k[108], sock_d[108];
    snprintf(sock_k, sizeof sock_k, "%s/k", dir);
    snprintf(sock_d, sizeof sock_d, "%s/d", dir);
    setenv("FP_DRIVERS_WHITELIST", "virtual_image", 1);
    setenv("FP_DRIVERS_ALLOWLIST", "virtual_image", 1);
    unsetenv("FP_VIRTUAL_DEVICE");
    unsetenv("FP_VIRTUAL_DEVICE_STORAGE");

    /* The kiosk's reader: on the loop, like main wires it. */
    setenv("FP_VIRTUAL_IMAGE", sock_k, 1);
    struct kiosk k = {.fd = -1};
    struct direct x = {.fd = -1};
    int rc = -1;
    k.loop = loop_new();
    struct config cfg;
    config_defaults(&cfg);
    cfg.fp_enabled = true;
    char err[160];
    k.d = k.loop ? fp_driver_new(k.loop, &cfg, on_event, &k, err, sizeof err) : NULL;
    if (!k.d) {
        fprintf(stderr, "bench_fp_verify: fingerprint driver: %s\n", k.loop ? err : "no loop");
        goto out;
    }
    fp_driver_ops(k.d, &k.ops);
    if (kiosk_wait(&k, FP_READER_READY) != 0 || (k.fd = connect_to(sock_k)) < 0)
        goto out;

    /* The bare reader: a context of our own, found on the second socket. */
    setenv("FP_VIRTUAL_IMAGE", sock_d, 1);
    x.ctx = fp_context_new();
    GPtrArray *devs = fp_context_get_devices(x.ctx);
    if (!devs || devs->len != 1) {
        fprintf(stderr, "bench_fp_verify: expected one virtual_image reader, found %u\n",
                devs ? devs->len : 0);
        goto out;
    }
    x.dev = g_object_ref(g_ptr_array_index(devs, 0));
    GError *e = NULL;
    if (!fp_device_open_sync(x.dev, NULL, &e)) {
        fprintf(stderr, "bench_fp_verify: opening the bare reader: %s\n", e ? e->message : "?");
        g_clear_error(&e);
        goto out;
    }
    g_signal_connect(x.dev, "notify::finger-status", G_CALLBACK(on_direct_status), &x);
    if ((x.fd = connect_to(sock_d)) < 0)
        goto out;

    /* Enrol once, through the kiosk; the direct side loads the same bytes. */
    ridge_image(1, img);
    if (k.ops.enroll(k.ops.ud, FP_RIGHT_THUMB) != 0 || kiosk_wait(&k, FP_ENROLLED) != 0 || !k.cap) {
        fprintf(stderr, "bench_fp_verify: enrolment failed\n");
        goto out;
    }
    x.print = fp_print_deserialize(k.cap->print, k.cap->print_len, &e);
    if (!x.print) {
        fprintf(stderr, "bench_fp_verify: the enrolled print: %s\n", e ? e->message : "?");
        g_clear_error(&e);
        goto out;
    }
    printf("fp_verify: libfprint virtual_image, %dx%d synthetic ridge image, print %zu "
           "bytes; %d warm-ups, %d runs each, alternating\n",
           RIDGE_W, RIDGE_H, k.cap->print_len, WARMUPS, RUNS);

    double vk[RUNS], vd[RUNS], ms;
    for (int i = 0; i < WARMUPS; i++)
        if (kiosk_verify(&k, &ms) != 0 || direct_verify(&x, &ms) != 0)
            goto out;
    for (int i = 0; i < RUNS; i++) {
        /* Alternate which goes first, so neither always follows the other. */
        if (i % 2 == 0) {
            if (kiosk_verify(&k, &vk[i]) != 0 || direct_verify(&x, &vd[i]) != 0)
                goto out;
        } else {
            if (direct_verify(&x, &vd[i]) != 0 || kiosk_verify(&k, &vk[i]) != 0)
                goto out;
        }
    }
    struct stats sk = summarise(vk, RUNS), sd = summarise(vd, RUNS);
    printf("  %-46s %9s %9s %9s %9s\n", "image sent to decision", "median ms", "p90 ms", "min ms",
           "max ms");
    printf("  %-46s %9.2f %9.2f %9.2f %9.2f\n", "kiosk: ops.verify on the loop, MATCH event",
           sk.median, sk.p90, sk.min, sk.max);
    printf("  %-46s %9.2f %9.2f %9.2f %9.2f\n", "direct: fp_device_verify_sync", sd.median, sd.p90,
           sd.min, sd.max);
    double ratio = sd.median > 0 ? sk.median / sd.median : 0.0;
    printf("  ratio kiosk/direct: %.2fx median, %.2fx p90\n", ratio,
           sd.p90 > 0 ? sk.p90 / sd.p90 : 0.0);
    printf("SUMMARY|fingerprint verify (virtual_image)|kiosk/fp_device_verify_sync "
           "(median)|%.2f ms|%.2f ms|%.2f\n",
           sk.median, sd.median, ratio);
    rc = 0;
out:
    if (x.fd >= 0)
        close(x.fd);
    if (x.print)
        g_object_unref(x.print);
    if (x.dev) {
        if (fp_device_is_open(x.dev))
            fp_device_close_sync(x.dev, NULL, NULL);
        g_object_unref(x.dev);
    }
    if (x.ctx)
        g_object_unref(x.ctx);
    if (k.fd >= 0)
        close(k.fd);
    fp_driver_free(k.d);
    fp_capture_free(k.cap);
    if (k.loop)
        loop_free(k.loop);
    return rc;
}

int main(void)
{
    char dir[] = "/tmp/nser-fpbench.XXXXXX";
    if (!mkdtemp(dir)) {
        fprintf(stderr, "bench_fp_verify: mkdtemp: %s\n", strerror(errno));
        return 1;
    }
    int rc = run(dir);
    /* libfprint leaves its sockets behind. */
    char path[128];
    snprintf(path, sizeof path, "%s/k", dir);
    unlink(path);
    snprintf(path, sizeof path, "%s/d", dir);
    unlink(path);
    rmdir(dir);
    return rc == 0 ? 0 : 1;
}

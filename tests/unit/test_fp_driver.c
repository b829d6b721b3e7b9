/*
 * test_fp_driver.c - the real fingerprint driver (drivers/fingerprint.c) on
 * the real loop (kiosk/loop.c) with libfprint's virtual readers: a 5-stage
 * enrolment, retries that do not advance the stage, the stage timeout, an
 * unplug mid-capture and the reader coming back, verify match / no match,
 * the image reader with synthetic ridge images (tests/fp/ridge.c: its own
 * seed matches, another does not, a flat image asks to retry), GLib's log
 * lines in the log file and none on stdout, and the error mapping.
 *
 * The test talks to the virtual readers' sockets itself, through the same
 * loop (the reader lives in this process: a blocking read would deadlock).
 * Every wait ends on an event; the guard timer only stops a hung test. No
 * wall-clock is measured. Each test gets its own mkdtemp socket folder.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cmocka.h>

#include "drivers/fingerprint.h"
#include "drivers/fp_map.h"
#include "drivers/fp_stored.h"
#include "kiosk/bio_record.h"
#include "kiosk/config.h"
#include "kiosk/finger_image.h"
#include "kiosk/log.h"
#include "kiosk/loop.h"
#include "testdir.h"
#include "tests/fp/ridge.h"

#include <fprint.h>
#include <gio/gio.h>

#define GUARD_TIMER 900
#define GUARD_MS    30000 /* a hung test fails instead of hanging make check */
#define MAX_EVENTS  128
#define IMG_W       RIDGE_W
#define IMG_H       RIDGE_H

/* ---- a virtual_device client on the loop: one command per connection,
 * the next one sent only after the EOF that acknowledges the last ---- */

struct sender {
    struct loop *loop;
    char path[108];
    char cmds[32][64];
    int n, next, fd;
};

static void send_next(struct sender *s);

static void on_ack(int fd, short revents, void *ud)
{
    (void)revents;
    struct sender *s = ud;
    char buf[256];
    ssize_t r = read(fd, buf, sizeof buf);
    if (r > 0 || (r < 0 && errno == EAGAIN))
        return;
    loop_remove_fd(s->loop, fd);
    close(fd);
    s->fd = -1;
    send_next(s);
}

static void send_next(struct sender *s)
{
    if (s->fd >= 0 || s->next >= s->n)
        return;
    const char *cmd = s->cmds[s->next++];
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    snprintf(sa.sun_path, sizeof sa.sun_path, "%s", s->path);
    assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof sa), 0);
    assert_int_equal(write(fd, cmd, strlen(cmd)), (ssize_t)strlen(cmd));
    fcntl(fd, F_SETFL, O_NONBLOCK);
    s->fd = fd;
    assert_int_equal(loop_add_fd(s->loop, fd, POLLIN, on_ack, s), 0);
}

static void sendf(struct sender *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sendf(struct sender *s, const char *fmt, ...)
{
    assert_true(s->n < 32);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->cmds[s->n++], sizeof s->cmds[0], fmt, ap);
    va_end(ap);
    send_next(s);
}

/* ---- the fixture ---- */

struct t {
    char dir[64];
    char sock[108];
    struct loop *loop;
    struct fp_driver *d;
    struct fp_reader_ops ops;
    struct sender snd;
    struct fp_event ev[MAX_EVENTS];
    int nev;
    struct fp_capture *cap;
    enum fp_event_kind want;
    bool got, hung;
    /* image reader */
    int imgfd;
    uint8_t img[IMG_W * IMG_H];
    bool send_on_needed;
};

static void on_guard(void *ud)
{
    struct t *t = ud;
    t->hung = true;
    loop_quit(t->loop);
}

static void send_image(struct t *t)
{
    int32_t hdr[2] = {IMG_W, IMG_H};
    assert_int_equal(write(t->imgfd, hdr, sizeof hdr), (ssize_t)sizeof hdr);
    assert_int_equal(write(t->imgfd, t->img, sizeof t->img), (ssize_t)sizeof t->img);
}

static void on_event(struct fp_event *ev, void *ud)
{
    struct t *t = ud;
    log_msg(LOG_DEBUG, "test: event %d stage %d/%d", (int)ev->kind, ev->stage, ev->stages);
    if (t->nev < MAX_EVENTS)
        t->ev[t->nev++] = *ev;
    if (ev->kind == FP_ENROLLED) {
        fp_capture_free(t->cap);
        t->cap = ev->capture;
        ev->capture = NULL;
    }
    if (ev->kind == FP_FINGER_NEEDED && t->send_on_needed)
        send_image(t);
    if (ev->kind == t->want && !t->got) {
        t->got = true;
        loop_quit(t->loop);
    }
}

/* Runs the loop until the driver raises KIND; returns its index in ev[]. */
static int wait_for(struct t *t, enum fp_event_kind kind)
{
    t->want = kind;
    t->got = false;
    loop_timer_set(t->loop, GUARD_TIMER, GUARD_MS, on_guard, t);
    loop_run(t->loop);
    loop_timer_cancel(t->loop, GUARD_TIMER);
    assert_false(t->hung);
    assert_true(t->got);
    for (int i = t->nev - 1; i >= 0; i--)
        if (t->ev[i].kind == kind)
            return i;
    return -1;
}

static int count(struct t *t, enum fp_event_kind kind, int from)
{
    int n = 0;
    for (int i = from; i < t->nev; i++)
        n += t->ev[i].kind == kind;
    return n;
}

static void start(struct t *t, const char *driver, int stage_timeout_s)
{
    snprintf(t->dir, sizeof t->dir, "/tmp/fpt.XXXXXX");
    assert_int_equal(testdir_make(t->dir), 0);
    snprintf(t->sock, sizeof t->sock, "%s/s", t->dir);
    unsetenv("FP_VIRTUAL_DEVICE");
    unsetenv("FP_VIRTUAL_IMAGE");
    unsetenv("FP_VIRTUAL_DEVICE_STORAGE");
    setenv(strcmp(driver, "virtual_image") == 0 ? "FP_VIRTUAL_IMAGE" : "FP_VIRTUAL_DEVICE", t->sock,
           1);
    setenv("FP_DRIVERS_WHITELIST", driver, 1);
    setenv("FP_DRIVERS_ALLOWLIST", driver, 1);
    t->loop = loop_new();
    struct config cfg;
    config_defaults(&cfg);
    cfg.fp_stage_timeout_s = stage_timeout_s;
    char err[160];
    t->d = fp_driver_new(t->loop, &cfg, on_event, t, err, sizeof err);
    assert_non_null(t->d);
    fp_driver_ops(t->d, &t->ops);
    t->snd = (struct sender){.loop = t->loop, .fd = -1};
    snprintf(t->snd.path, sizeof t->snd.path, "%s", t->sock);
    t->imgfd = -1;
    int i = wait_for(t, FP_READER_READY);
    assert_true(t->ops.present(t->ops.ud));
    assert_true(strstr(t->ev[i].detail, driver) != NULL);
}

static void stop(struct t *t)
{
    if (t->snd.fd >= 0) {
        loop_remove_fd(t->loop, t->snd.fd);
        close(t->snd.fd);
    }
    if (t->imgfd >= 0)
        close(t->imgfd);
    fp_driver_free(t->d);
    loop_free(t->loop);
    fp_capture_free(t->cap);
    testdir_remove_tree(t->dir);
    free(t);
}

static struct t *fixture(const char *driver, int stage_timeout_s)
{
    struct t *t = calloc(1, sizeof *t);
    assert_non_null(t);
    start(t, driver, stage_timeout_s);
    return t;
}

/* Enrols with ID (SCAN id x5 queued first); returns the capture. */
static void enroll_id(struct t *t, const char *id)
{
    for (int i = 0; i < 5; i++)
        sendf(&t->snd, "SCAN %s", id);
    assert_int_equal(t->ops.enroll(t->ops.ud, FP_RIGHT_THUMB), 0);
    wait_for(t, FP_ENROLLED);
}

/* The enrolled print through the driver's load path (drivers/fp_stored.c):
 * it loads as its own driver's, not as another's, and no cut of it loads.
 * With FPT_CORPUS set, the capture is also written there as a bio_record
 * seed for tests/fuzz/fuzz_fp_print.c (NAME, and NAME-image with the
 * image reader's ISO record kept), and the bare print as NAME.print. */
static void check_stored_and_seed(struct t *t, const char *name)
{
    const struct fp_capture *c = t->cap;
    char why[160];
    FpPrint *p = fp_stored_load(c->print, c->print_len, c->driver, why, sizeof why);
    if (!p)
        fail_msg("%s", why);
    assert_string_equal(fp_print_get_driver(p), c->driver);
    g_object_unref(p);
    assert_null(fp_stored_load(c->print, c->print_len, "synaptics", why, sizeof why));
    assert_non_null(strstr(why, "another driver"));
    assert_null(fp_stored_load(c->print, c->print_len / 2, NULL, why, sizeof why));
    assert_null(fp_stored_load(c->print, 0, NULL, why, sizeof why));
    const char *dir = getenv("FPT_CORPUS");
    if (!dir)
        return;
    int kinds = c->image ? 2 : 1;
    for (int with_image = 0; with_image < kinds; with_image++) {
        struct fp_capture copy = *c;
        if (!with_image) {
            copy.image = NULL;
            copy.image_len = 0;
        }
        uint8_t *rec = NULL;
        size_t len = 0;
        assert_int_equal(bio_record_encode(&copy, &rec, &len), 0);
        char path[512];
        snprintf(path, sizeof path, "%s/%s%s", dir, name, with_image ? "-image" : "");
        FILE *f = fopen(path, "wb");
        assert_non_null(f);
        assert_int_equal(fwrite(rec, 1, len, f), len);
        assert_int_equal(fclose(f), 0);
        free(rec);
    }
    /* The bare print too, for the target's raw path. */
    char path[512];
    snprintf(path, sizeof path, "%s/%s.print", dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(c->print, 1, c->print_len, f), c->print_len);
    assert_int_equal(fclose(f), 0);
}

/* ---- virtual_device ---- */

static void test_enroll_five_stages_then_verify(void **state)
{
    (void)state;
    struct t *t = fixture("virtual_device", 20);
    int from = t->nev;
    enroll_id(t, "finger-a");
    assert_int_equal(count(t, FP_STAGE_PASSED, from), 5);
    int stage = 0;
    for (int i = from; i < t->nev; i++)
        if (t->ev[i].kind == FP_STAGE_PASSED) {
            assert_int_equal(t->ev[i].stage, ++stage);
            assert_int_equal(t->ev[i].stages, 5);
        }
    assert_non_null(t->cap);
    assert_true(t->cap->print_len > 0);
    assert_string_equal(t->cap->driver, "virtual_device");
    assert_int_equal(t->cap->finger, FP_RIGHT_THUMB);
    assert_int_equal(t->cap->retries, 0);
    assert_true(t->cap->captured_at > 0);
    assert_null(t->cap->image); /* not an image reader */
    check_stored_and_seed(t, "virtual_device");
    /* A second enrolment cannot start while... none runs: it is idle. */
    sendf(&t->snd, "SCAN finger-a");
    assert_int_equal(t->ops.verify(t->ops.ud, t->cap->print, t->cap->print_len), 0);
    assert_int_equal(t->ops.verify(t->ops.ud, t->cap->print, t->cap->print_len), -1); /* busy */
    wait_for(t, FP_MATCH);
    sendf(&t->snd, "SCAN finger-b");
    assert_int_equal(t->ops.verify(t->ops.ud, t->cap->print, t->cap->print_len), 0);
    wait_for(t, FP_NO_MATCH);
    /* Garbage is no print. */
    static const uint8_t junk[] = "not a print";
    assert_int_equal(t->ops.verify(t->ops.ud, junk, sizeof junk), -1);
    stop(t);
}

static void test_retries_do_not_advance_the_stage(void **state)
{
    (void)state;
    struct t *t = fixture("virtual_device", 20);
    int from = t->nev;
    sendf(&t->snd, "SCAN f");
    sendf(&t->snd, "RETRY 1");
    sendf(&t->snd, "RETRY 2");
    sendf(&t->snd, "RETRY 3");
    sendf(&t->snd, "RETRY 0");
    for (int i = 0; i < 4; i++)
        sendf(&t->snd, "SCAN f");
    assert_int_equal(t->ops.enroll(t->ops.ud, FP_LEFT_INDEX), 0);
    wait_for(t, FP_ENROLLED);
    static const enum fp_retry_reason want[] = {FP_RETRY_TOO_SHORT, FP_RETRY_CENTER,
                                                FP_RETRY_REMOVE, FP_RETRY_GENERAL};
    int r = 0, passed = 0;
    for (int i = from; i < t->nev; i++) {
        if (t->ev[i].kind == FP_STAGE_PASSED)
            passed = t->ev[i].stage;
        if (t->ev[i].kind == FP_RETRY) {
            assert_true(r < 4);
            assert_int_equal(t->ev[i].retry, want[r++]);
            assert_int_equal(passed, 1);         /* stage 1 done, no more */
            assert_int_equal(t->ev[i].stage, 2); /* still waiting for stage 2 */
        }
    }
    assert_int_equal(r, 4);
    assert_int_equal(count(t, FP_STAGE_PASSED, from), 5);
    assert_int_equal(t->cap->retries, 4);
    assert_int_equal(t->cap->finger, FP_LEFT_INDEX);
    stop(t);
}

static void test_stage_timeout_then_enrol_again(void **state)
{
    (void)state;
    struct t *t = fixture("virtual_device", 5); /* the smallest the config allows */
    int from = t->nev;
    sendf(&t->snd, "SCAN f");
    assert_int_equal(t->ops.enroll(t->ops.ud, FP_RIGHT_THUMB), 0);
    int i = wait_for(t, FP_TIMED_OUT);
    assert_int_equal(count(t, FP_STAGE_PASSED, from), 1);
    assert_int_equal(count(t, FP_ENROLLED, from), 0);
    assert_int_equal(t->ev[i].problem, DEVICE_PROBLEM_TIMEOUT);
    /* Try again at once: no restart. */
    enroll_id(t, "f");
    stop(t);
}

static void test_cancel_is_silent_and_a_new_capture_can_follow(void **state)
{
    (void)state;
    struct t *t = fixture("virtual_device", 20);
    assert_int_equal(t->ops.enroll(t->ops.ud, FP_RIGHT_THUMB), 0);
    wait_for(t, FP_FINGER_NEEDED);
    t->ops.cancel(t->ops.ud);
    int from = t->nev;
    enroll_id(t, "g"); /* queued behind the cancelled one if need be */
    assert_int_equal(count(t, FP_FAILED, from), 0);
    assert_int_equal(count(t, FP_TIMED_OUT, from), 0);
    stop(t);
}

static void test_unplug_mid_capture_then_reader_back(void **state)
{
    (void)state;
    struct t *t = fixture("virtual_device", 20);
    sendf(&t->snd, "SCAN f");
    assert_int_equal(t->ops.enroll(t->ops.ud, FP_RIGHT_THUMB), 0);
    wait_for(t, FP_STAGE_PASSED);
    sendf(&t->snd, "UNPLUG");
    int i = wait_for(t, FP_READER_GONE);
    assert_int_equal(t->ev[i].problem, DEVICE_PROBLEM_GONE_MID_READ);
    assert_false(t->ops.present(t->ops.ud));
    assert_int_equal(t->ops.enroll(t->ops.ud, FP_RIGHT_THUMB), -1);
    /* The reader comes back (a virtual one announces no hotplug: rescan). */
    assert_int_equal(fp_driver_rescan(t->d), 0);
    wait_for(t, FP_READER_READY);
    assert_true(t->ops.present(t->ops.ud));
    int from = t->nev;
    enroll_id(t, "f");
    assert_int_equal(count(t, FP_STAGE_PASSED, from), 5);
    stop(t);
}

/* ---- virtual_image ---- */

static void image_connect(struct t *t)
{
    t->imgfd = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    snprintf(sa.sun_path, sizeof sa.sun_path, "%s", t->sock);
    assert_int_equal(connect(t->imgfd, (struct sockaddr *)&sa, sizeof sa), 0);
}

static void test_image_reader_seeds_match_and_flat_retries(void **state)
{
    (void)state;
    struct t *t = fixture("virtual_image", 20);
    image_connect(t);
    t->send_on_needed = true;
    ridge_image(1, t->img);
    int from = t->nev;
    assert_int_equal(t->ops.enroll(t->ops.ud, FP_RIGHT_INDEX), 0);
    wait_for(t, FP_ENROLLED);
    assert_int_equal(count(t, FP_STAGE_PASSED, from), t->ev[from].stages);
    assert_string_equal(t->cap->driver, "virtual_image");
    /* The image travels as an ISO/IEC 19794-4 record. */
    assert_non_null(t->cap->image);
    struct finger_image fi;
    char why[128];
    assert_int_equal(finger_image_decode(t->cap->image, t->cap->image_len, &fi, why, sizeof why),
                     0);
    assert_int_equal(fi.width, IMG_W);
    assert_int_equal(fi.height, IMG_H);
    assert_int_equal(fi.finger, FP_RIGHT_INDEX);
    check_stored_and_seed(t, "virtual_image");
    /* Seed 1 again matches. */
    assert_int_equal(t->ops.verify(t->ops.ud, t->cap->print, t->cap->print_len), 0);
    wait_for(t, FP_MATCH);
    /* Another finger does not. */
    ridge_image(2, t->img);
    assert_int_equal(t->ops.verify(t->ops.ud, t->cap->print, t->cap->print_len), 0);
    wait_for(t, FP_NO_MATCH);
    /* A flat grey image has no ridges: retry, and the verify goes on. */
    memset(t->img, 128, sizeof t->img);
    assert_int_equal(t->ops.verify(t->ops.ud, t->cap->print, t->cap->print_len), 0);
    int i = wait_for(t, FP_RETRY);
    assert_int_equal(t->ev[i].retry, FP_RETRY_GENERAL);
    t->send_on_needed = false;
    t->ops.cancel(t->ops.ud);
    stop(t);
}

/* ---- stored prints: shapes libfprint's own loader would choke on ---- */

/* "FP3" and the GVariant libfprint writes, built by hand; *LEN set. */
static uint8_t *print_bytes(gint32 type, guint8 finger, gint32 julian, GVariant *inner, size_t *len)
{
    GVariantBuilder dict;
    g_variant_builder_init(&dict, G_VARIANT_TYPE_VARDICT);
    GVariant *v =
        g_variant_ref_sink(g_variant_new("(issbymsmsia{sv}v)", type, "virtual_device", "0", FALSE,
                                         finger, NULL, NULL, julian, &dict, inner));
    *len = 3 + g_variant_get_size(v);
    uint8_t *b = malloc(*len);
    assert_non_null(b);
    memcpy(b, "FP3", 3);
    memcpy(b + 3, g_variant_get_data(v), *len - 3); /* b + 3 is unaligned: no g_variant_store */
    g_variant_unref(v);
    return b;
}

/* LEN by address: it is read only after print_bytes (the other argument) set it. */
static void expect_refused(uint8_t *b, const size_t *len, const char *reason)
{
    char why[160] = "";
    FpPrint *p = fp_stored_load(b, *len, NULL, why, sizeof why);
    if (p)
        fail_msg("loaded, expected: %s", reason);
    if (!strstr(why, reason))
        fail_msg("refused with \"%s\", expected: %s", why, reason);
    free(b);
}

static void test_stored_print_shapes(void **state)
{
    (void)state;
    gint32 today = 738000; /* a valid julian day (2021) */
    size_t len;
    char why[160];
    /* A well-formed driver print loads. */
    uint8_t *b = print_bytes(1, 1, today, g_variant_new_variant(g_variant_new_string("id")), &len);
    FpPrint *p = fp_stored_load(b, len, "virtual_device", why, sizeof why);
    if (!p)
        fail_msg("%s", why);
    g_object_unref(p);
    free(b);
    /* Each of these makes libfprint 1.94 assert, abort or raise a critical. */
    static const uint8_t shorty[] = "FP3";
    assert_null(fp_stored_load(shorty, 3, NULL, why, sizeof why));
    expect_refused(
        print_bytes(1, 1, G_MININT32, g_variant_new_variant(g_variant_new_string("x")), &len), &len,
        "date");
    expect_refused(print_bytes(1, 1, today, g_variant_new("()"), &len), &len, "shape");
    expect_refused(print_bytes(1, 1, today, g_variant_new_int32(5), &len), &len, "shape");
    expect_refused(print_bytes(2, 1, today, g_variant_new_variant(g_variant_new_string("x")), &len),
                   &len, "shape");
    expect_refused(print_bytes(2, 1, today, g_variant_new_parsed("(@a(aiaiai) [],)"), &len), &len,
                   "no minutiae");
    expect_refused(print_bytes(2, 1, today, g_variant_new_parsed("([([1, 2], [1], [1])],)"), &len),
                   &len, "disagree");
    expect_refused(print_bytes(7, 1, today, g_variant_new_variant(g_variant_new_string("x")), &len),
                   &len, "type");
    expect_refused(
        print_bytes(1, 42, today, g_variant_new_variant(g_variant_new_string("x")), &len), &len,
        "finger");
    /* Well-formed minutiae load. */
    b = print_bytes(2, 1, today, g_variant_new_parsed("([([1, 2], [3, 4], [5, 6])],)"), &len);
    p = fp_stored_load(b, len, NULL, why, sizeof why);
    if (!p)
        fail_msg("%s", why);
    g_object_unref(p);
    free(b);
}

/* ---- logs ---- */

static void test_glib_logs_go_to_the_log_file(void **state)
{
    (void)state;
    char dir[] = "/tmp/fpl.XXXXXX";
    assert_int_equal(testdir_make(dir), 0);
    char logpath[128], outpath[128];
    snprintf(logpath, sizeof logpath, "%s/log", dir);
    snprintf(outpath, sizeof outpath, "%s/out", dir);
    setenv("G_MESSAGES_DEBUG", "all", 1);
    assert_int_equal(log_open(logpath), 0);
    fflush(stdout);
    fflush(stderr);
    int saved_out = dup(1), saved_err = dup(2);
    int out = open(outpath, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    dup2(out, 1);
    dup2(out, 2);
    struct t *t = fixture("virtual_device", 20);
    enroll_id(t, "x");
    stop(t);
    fflush(stdout);
    fflush(stderr);
    dup2(saved_out, 1);
    dup2(saved_err, 2);
    close(out);
    close(saved_out);
    close(saved_err);
    unsetenv("G_MESSAGES_DEBUG");
    log_close();
    struct stat sb;
    assert_int_equal(stat(outpath, &sb), 0);
    assert_int_equal(sb.st_size, 0); /* nothing on the terminal */
    FILE *f = fopen(logpath, "r");
    assert_non_null(f);
    char line[1024];
    int glib_lines = 0;
    while (fgets(line, sizeof line, f))
        glib_lines += strstr(line, " DEBUG glib ") != NULL;
    fclose(f);
    assert_true(glib_lines > 0);
    testdir_remove_tree(dir);
}

/* ---- error mapping ---- */

static void test_error_mapping(void **state)
{
    (void)state;
    GError *e = g_error_new_literal(g_quark_from_static_string("g-usb-device-error-quark"), 9,
                                    "Permission denied");
    assert_int_equal(fp_map_problem(e), DEVICE_PROBLEM_NO_ACCESS);
    char detail[128];
    fp_map_detail(e, "synaptics", detail, sizeof detail);
    assert_non_null(strstr(detail, FP_UDEV_RULES_PATH));
    g_error_free(e);
    e = g_error_new_literal(G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED, "x");
    assert_int_equal(fp_map_problem(e), DEVICE_PROBLEM_NO_ACCESS);
    g_error_free(e);
    e = g_error_new_literal(FP_DEVICE_ERROR, FP_DEVICE_ERROR_REMOVED, "x");
    assert_int_equal(fp_map_problem(e), DEVICE_PROBLEM_GONE_MID_READ);
    g_error_free(e);
    e = g_error_new_literal(FP_DEVICE_ERROR, FP_DEVICE_ERROR_BUSY, "x");
    assert_int_equal(fp_map_problem(e), DEVICE_PROBLEM_BUSY);
    g_error_free(e);
    e = g_error_new_literal(FP_DEVICE_ERROR, FP_DEVICE_ERROR_PROTO, "x");
    assert_int_equal(fp_map_problem(e), DEVICE_PROBLEM_PROTOCOL);
    g_error_free(e);
    /* Retries by code, whatever the message says. */
    e = g_error_new_literal(FP_DEVICE_RETRY, FP_DEVICE_RETRY_TOO_SHORT, "centre your finger");
    assert_true(fp_map_is_retry(e));
    assert_int_equal(fp_map_retry(e), FP_RETRY_TOO_SHORT);
    g_error_free(e);
    e = g_error_new_literal(FP_DEVICE_RETRY, FP_DEVICE_RETRY_GENERAL,
                            "Minutiae detection failed, please retry");
    assert_int_equal(fp_map_retry(e), FP_RETRY_GENERAL);
    g_error_free(e);
}

static void test_disabled_means_no_reader(void **state)
{
    (void)state;
    struct loop *loop = loop_new();
    struct config cfg;
    config_defaults(&cfg);
    cfg.fp_enabled = false;
    char err[160];
    struct fp_driver *d = fp_driver_new(loop, &cfg, NULL, NULL, err, sizeof err);
    assert_non_null(d);
    struct fp_reader_ops ops;
    fp_driver_ops(d, &ops);
    assert_false(ops.present(ops.ud));
    assert_int_equal(ops.enroll(ops.ud, FP_RIGHT_THUMB), -1);
    static const uint8_t p[] = {1, 2, 3};
    assert_int_equal(ops.verify(ops.ud, p, sizeof p), -1);
    ops.cancel(ops.ud);
    struct fp_reader_row rows[2];
    assert_int_equal(fp_driver_report(d, rows, 2), 0);
    fp_driver_free(d);
    loop_free(loop);
}

static int dbg_setup(void **s)
{
    (void)s;
    if (getenv("FPT_LOG"))
        log_open(getenv("FPT_LOG"));
    return 0;
}
int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_error_mapping),
        cmocka_unit_test(test_disabled_means_no_reader),
        cmocka_unit_test(test_stored_print_shapes),
        cmocka_unit_test(test_enroll_five_stages_then_verify),
        cmocka_unit_test(test_retries_do_not_advance_the_stage),
        cmocka_unit_test(test_cancel_is_silent_and_a_new_capture_can_follow),
        cmocka_unit_test(test_unplug_mid_capture_then_reader_back),
        cmocka_unit_test(test_image_reader_seeds_match_and_flat_retries),
        cmocka_unit_test(test_stage_timeout_then_enrol_again),
        cmocka_unit_test(test_glib_logs_go_to_the_log_file),
    };
    return cmocka_run_group_tests(tests, dbg_setup, NULL);
}

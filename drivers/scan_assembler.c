/*
 * scan_assembler.c - characters to scans, on fixed buffers.
 *
 * Two buffers: the scan being typed, and the last finished one, so a gap
 * can finish a scan in the same call that starts the next. Must never grow
 * with input and never read the clock itself.
 */
#include "scan_assembler.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

struct scan_assembler {
    int gap_ms;
    char cur[SCAN_PAYLOAD_MAX];
    size_t cur_len;
    bool started;  /* a scan is under way (characters, or dropping) */
    bool dropping; /* the scan under way is too long; its rest is ignored */
    int64_t last_ms;
    char done[SCAN_PAYLOAD_MAX];
    size_t done_len;
};

struct scan_assembler *scan_assembler_new(int gap_ms)
{
    if (gap_ms <= 0)
        return NULL;
    struct scan_assembler *a = calloc(1, sizeof *a);
    if (a)
        a->gap_ms = gap_ms;
    return a;
}

void scan_assembler_free(struct scan_assembler *a)
{
    free(a);
}

void scan_assembler_reset(struct scan_assembler *a)
{
    a->cur_len = 0;
    a->started = false;
    a->dropping = false;
}

/* Ends the scan under way; SCAN_COMPLETE when it had anything to report. */
static enum scan_result finish(struct scan_assembler *a)
{
    bool report = a->started && !a->dropping && a->cur_len > 0;
    if (report) {
        memcpy(a->done, a->cur, a->cur_len);
        a->done_len = a->cur_len;
    }
    scan_assembler_reset(a);
    return report ? SCAN_COMPLETE : SCAN_NONE;
}

static bool quiet_since(const struct scan_assembler *a, int64_t now_ms)
{
    /* A clock that went backwards is not a gap. */
    return a->started && now_ms - a->last_ms >= a->gap_ms;
}

enum scan_result scan_assembler_key(struct scan_assembler *a, const struct hid_key *key,
                                    int64_t now_ms)
{
    enum scan_result r = SCAN_NONE;
    if (quiet_since(a, now_ms))
        r = finish(a);
    if (key->kind == HID_KEY_TERMINATOR) {
        if (r == SCAN_NONE)
            r = finish(a);
        else
            scan_assembler_reset(a); /* an empty scan after the gap */
        return r;
    }
    size_t n = strnlen(key->text, sizeof key->text);
    if (n == 0)
        return r;
    a->started = true;
    a->last_ms = now_ms;
    if (a->dropping)
        return r;
    if (a->cur_len + n > sizeof a->cur) {
        a->dropping = true;
        a->cur_len = 0;
        /* R is SCAN_NONE here: a gap just now would have emptied CUR. */
        return SCAN_TOO_LONG;
    }
    memcpy(a->cur + a->cur_len, key->text, n);
    a->cur_len += n;
    return r;
}

enum scan_result scan_assembler_tick(struct scan_assembler *a, int64_t now_ms)
{
    return quiet_since(a, now_ms) ? finish(a) : SCAN_NONE;
}

int64_t scan_assembler_deadline(const struct scan_assembler *a)
{
    return a->started ? a->last_ms + a->gap_ms : -1;
}

const char *scan_assembler_text(const struct scan_assembler *a, size_t *len)
{
    *len = a->done_len;
    return a->done;
}

int scan_assembler_busy(const struct scan_assembler *a)
{
    return a->started;
}

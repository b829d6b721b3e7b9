/*
 * test_card_app.c - unit tests for drivers/card_app.c: reading the card
 * profile's files from a small model of an ISO 7816-4 card, and the
 * checks on the CNIC, name and date of birth found in them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "drivers/card_app.h"

/* The card model: one application, up to two files. */
static const uint8_t AID[] = {0xA0, 0x00, 0x00, 0x09, 0x99, 0x4E, 0x53, 0x45, 0x52};
struct model {
    uint16_t fid[2];
    uint8_t body[2][6000];
    size_t len[2];
    int selected; /* -1 none */
    bool app;
    int end_6282;    /* answer short reads with 6282 rather than 9000 */
    int extra_bytes; /* lie: send this many bytes more than asked */
};
static struct model M;

static uint16_t card(const uint8_t *c, size_t n, uint8_t *out, size_t *outlen)
{
    *outlen = 0;
    if (n >= 5 && c[1] == 0xA4 && c[2] == 0x04) {
        M.app = c[4] == sizeof AID && n >= 5 + sizeof AID && !memcmp(c + 5, AID, sizeof AID);
        return M.app ? 0x9000 : 0x6A82;
    }
    if (n == 7 && c[1] == 0xA4 && c[2] == 0x02 && c[3] == 0x0C && M.app) {
        uint16_t f = (uint16_t)(c[5] << 8 | c[6]);
        for (int i = 0; i < 2; i++)
            if (M.len[i] && M.fid[i] == f) {
                M.selected = i;
                return 0x9000;
            }
        return 0x6A82;
    }
    if (n == 5 && c[1] == 0xB0 && M.selected >= 0) {
        size_t off = (size_t)(c[2] << 8 | c[3]), le = c[4] ? c[4] : 256;
        size_t flen = M.len[M.selected];
        if (off >= flen)
            return 0x6B00;
        size_t k = flen - off < le ? flen - off : le;
        memcpy(out, M.body[M.selected] + off, k);
        *outlen = k + (size_t)M.extra_bytes;
        return (k < le && M.end_6282) ? 0x6282 : 0x9000;
    }
    return 0x6D00;
}

static size_t tlv(uint8_t *p, uint16_t tag, const char *v)
{
    size_t n = strlen(v);
    p[0] = (uint8_t)(tag >> 8);
    p[1] = (uint8_t)tag;
    p[2] = (uint8_t)n;
    memcpy(p + 3, v, n);
    return 3 + n;
}

static void default_card(const char *cnic, const char *name, const char *dob)
{
    memset(&M, 0, sizeof M);
    M.selected = -1;
    M.fid[0] = 0x0101;
    size_t o = 0;
    o += tlv(M.body[0] + o, 0x5F01, cnic);
    o += tlv(M.body[0] + o, 0x5F02, name);
    o += tlv(M.body[0] + o, 0x5F03, dob);
    M.len[0] = o;
}

static enum card_app_step run(struct card_app *a, const struct card_profile *p, size_t chunk)
{
    card_app_start(a, p, chunk);
    enum card_app_step s = CARD_APP_SEND;
    for (int i = 0; i < 200 && s == CARD_APP_SEND; i++) {
        static uint8_t out[6000];
        size_t n;
        uint16_t sw = card(a->cmd, a->cmd_len, out, &n);
        s = card_app_feed(a, sw, out, n);
    }
    return s;
}

static struct card_app A; /* large: not on the stack */

static void test_default_profile(void **state)
{
    (void)state;
    struct card_profile p;
    struct device_event ev;
    char why[96];
    card_profile_default(&p);
    default_card("35202-1234567-1", "Ayesha Bibi", "19850314");
    assert_int_equal(run(&A, &p, 256), CARD_APP_DONE);
    assert_int_equal(card_app_result(&A, "12345678", &ev, why, sizeof why), DEVICE_PROBLEM_NONE);
    assert_int_equal(ev.kind, CNIC_READ);
    assert_string_equal(ev.cnic, "3520212345671");
    assert_string_equal(ev.name, "Ayesha Bibi");
    assert_string_equal(ev.dob, "1985-03-14");
    /* Small chunks, ending exactly on a chunk (6B00) and short (9000). */
    assert_int_equal(run(&A, &p, M.len[0]), CARD_APP_DONE);
    assert_int_equal(A.len[0], M.len[0]);
    assert_int_equal(run(&A, &p, 7), CARD_APP_DONE);
    assert_int_equal(card_app_result(&A, NULL, &ev, why, sizeof why), DEVICE_PROBLEM_NONE);
    M.end_6282 = 1;
    assert_int_equal(run(&A, &p, 7), CARD_APP_DONE);
    assert_int_equal(card_app_result(&A, NULL, &ev, why, sizeof why), DEVICE_PROBLEM_NONE);
    assert_string_equal(ev.dob, "1985-03-14");
}

static void test_refusals(void **state)
{
    (void)state;
    struct card_profile p;
    struct device_event ev;
    char why[96];
    card_profile_default(&p);
    default_card("3520212345671", "A", "19850314");
    p.aid[8] = 0x00; /* another application */
    assert_int_equal(run(&A, &p, 256), CARD_APP_FAILED);
    assert_int_equal(A.problem, DEVICE_PROBLEM_CARD_UNKNOWN);
    assert_string_equal(A.why, "application not selected (SW 6A82)");
    assert_int_equal(card_app_result(&A, NULL, &ev, why, sizeof why), DEVICE_PROBLEM_CARD_UNKNOWN);
    assert_int_equal(ev.kind, CARD_UNREADABLE);
    card_profile_default(&p);
    p.cnic.file = 0x0102;
    assert_int_equal(run(&A, &p, 256), CARD_APP_FAILED);
    assert_string_equal(A.why, "file not selected (SW 6A82)");
    card_profile_default(&p);
    p.cnic.tag = 0x5F09;
    assert_int_equal(run(&A, &p, 256), CARD_APP_DONE);
    assert_int_equal(card_app_result(&A, NULL, &ev, why, sizeof why), DEVICE_PROBLEM_CARD_UNKNOWN);
    assert_string_equal(why, "no CNIC tag");
    /* The card sends more than it was asked for. */
    card_profile_default(&p);
    M.extra_bytes = 1;
    assert_int_equal(run(&A, &p, 7), CARD_APP_FAILED);
    assert_int_equal(A.problem, DEVICE_PROBLEM_PROTOCOL);
}

static void test_bad_fields(void **state)
{
    (void)state;
    struct card_profile p;
    struct device_event ev;
    char why[96];
    card_profile_default(&p);
    default_card("9520212345671", "A", "19850314"); /* region 9 */
    assert_int_equal(run(&A, &p, 256), CARD_APP_DONE);
    assert_int_equal(card_app_result(&A, NULL, &ev, why, sizeof why), DEVICE_PROBLEM_CARD_BAD_CNIC);
    assert_string_equal(ev.cnic, "");
    default_card("35202\n1234567", "A", "19850314");
    assert_int_equal(run(&A, &p, 256), CARD_APP_DONE);
    assert_int_equal(card_app_result(&A, NULL, &ev, why, sizeof why), DEVICE_PROBLEM_CARD_BAD_CNIC);
    /* A bad name or date is left out; the CNIC still counts. */
    default_card("3520212345671", "Bad \xC3", "19850230");
    assert_int_equal(run(&A, &p, 256), CARD_APP_DONE);
    assert_int_equal(card_app_result(&A, NULL, &ev, why, sizeof why), DEVICE_PROBLEM_NONE);
    assert_string_equal(ev.name, "");
    assert_string_equal(ev.dob, "");
    /* A long UTF-8 name is cut at a character boundary. */
    char longname[200] = "";
    for (int i = 0; i < 60; i++)
        strcat(longname, "\xD8\xB9"); /* Arabic letter ain, 2 bytes */
    default_card("3520212345671", longname, "19850314");
    assert_int_equal(run(&A, &p, 256), CARD_APP_DONE);
    assert_int_equal(card_app_result(&A, NULL, &ev, why, sizeof why), DEVICE_PROBLEM_NONE);
    assert_int_equal(strlen(ev.name), DEVICE_NAME_MAX - 2);
    /* Name and date of birth "none" in the profile, day-first dates. */
    assert_int_equal(card_profile_set(&p, "card_name", "none", why, sizeof why), 0);
    assert_int_equal(card_profile_set(&p, "card_dob_format", "DDMMYYYY", why, sizeof why), 0);
    default_card("3520212345671", "X", "29022000");
    assert_int_equal(run(&A, &p, 256), CARD_APP_DONE);
    assert_int_equal(card_app_result(&A, NULL, &ev, why, sizeof why), DEVICE_PROBLEM_NONE);
    assert_string_equal(ev.name, "");
    assert_string_equal(ev.dob, "2000-02-29");
}

static void test_two_files_and_limit(void **state)
{
    (void)state;
    struct card_profile p;
    struct device_event ev;
    char why[96];
    card_profile_default(&p);
    default_card("3520212345671", "A", "19850314");
    M.fid[1] = 0x0202;
    M.len[1] = tlv(M.body[1], 0x5F03, "19990101");
    assert_int_equal(card_profile_set(&p, "card_dob", "0202/5F03", why, sizeof why), 0);
    assert_int_equal(run(&A, &p, 256), CARD_APP_DONE);
    assert_int_equal(A.nfiles, 2);
    assert_int_equal(card_app_result(&A, NULL, &ev, why, sizeof why), DEVICE_PROBLEM_NONE);
    assert_string_equal(ev.dob, "1999-01-01");
    /* A file larger than the limit is read up to the limit only. */
    card_profile_default(&p);
    M.len[0] = 5000;
    assert_int_equal(run(&A, &p, 256), CARD_APP_DONE);
    assert_int_equal(A.len[0], CARD_FILE_MAX);
}

static void test_dob(void **state)
{
    (void)state;
    char out[11];
    assert_int_equal(card_dob_convert((const uint8_t *)"20000229", 8, CARD_DOB_YYYYMMDD, out), 0);
    assert_string_equal(out, "2000-02-29");
    assert_int_equal(card_dob_convert((const uint8_t *)"19000229", 8, CARD_DOB_YYYYMMDD, out), -1);
    assert_int_equal(card_dob_convert((const uint8_t *)"19851301", 8, CARD_DOB_YYYYMMDD, out), -1);
    assert_int_equal(card_dob_convert((const uint8_t *)"19850431", 8, CARD_DOB_YYYYMMDD, out), -1);
    assert_int_equal(card_dob_convert((const uint8_t *)"18991231", 8, CARD_DOB_YYYYMMDD, out), -1);
    assert_int_equal(card_dob_convert((const uint8_t *)"1985031", 7, CARD_DOB_YYYYMMDD, out), -1);
    assert_int_equal(card_dob_convert((const uint8_t *)"1985-3-1", 8, CARD_DOB_YYYYMMDD, out), -1);
    assert_int_equal(card_dob_convert((const uint8_t *)"31121985", 8, CARD_DOB_DDMMYYYY, out), 0);
    assert_string_equal(out, "1985-12-31");
    assert_int_equal(card_dob_convert(NULL, 8, CARD_DOB_DDMMYYYY, out), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_profile),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_bad_fields),
        cmocka_unit_test(test_two_files_and_limit),
        cmocka_unit_test(test_dob),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

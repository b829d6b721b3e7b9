/*
 * test_config.c - the configuration file: defaults, the written default
 * file, every refusal naming its line, and the shipped example kept in
 * step with what the program writes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kiosk/config.h"

static char dir[64];

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/nser-config-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    static char buf[8192];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static void test_defaults(void **state)
{
    (void)state;
    struct config c;
    config_defaults(&c);
    assert_string_equal(c.kiosk_code, "00001");
    assert_int_equal(c.idle_timeout_s, 120);
    assert_string_equal(c.language, "en");
    assert_string_equal(c.cnic_regions, "12345678");
}

static void test_default_file_round_trips(void **state)
{
    (void)state;
    char path[128], err[256];
    snprintf(path, sizeof path, "%s/default.conf", dir);
    assert_int_equal(config_write_default(path, err, sizeof err), 0);
    struct config d, c;
    config_defaults(&d);
    config_defaults(&c);
    memset(c.kiosk_code, 0, sizeof c.kiosk_code);
    c.idle_timeout_s = 1;
    assert_int_equal(config_load(path, &c, err, sizeof err), 0);
    assert_memory_equal(&c, &d, sizeof c);
    /* Never overwrites a manager's file. */
    assert_int_equal(config_write_default(path, err, sizeof err), -1);
}

/* docs/nser-kiosk.conf.example is what the program writes: no drift. */
static void test_shipped_example_is_current(void **state)
{
    (void)state;
    char path[128], err[256];
    snprintf(path, sizeof path, "%s/example.conf", dir);
    assert_int_equal(config_write_default(path, err, sizeof err), 0);
    char *written = strdup(read_file(path));
    const char *shipped = read_file("docs/nser-kiosk.conf.example");
    assert_non_null(shipped);
    assert_string_equal(written, shipped);
    free(written);
}

static void test_values_read(void **state)
{
    (void)state;
    char path[128], err[256];
    snprintf(path, sizeof path, "%s/ok.conf", dir);
    write_file(path, "# a comment\n\n  kiosk_code = 04217  \nidle_timeout=45\n"
                     "language = ur_Latn\ncentre_name = Centre 12, Lahore\nlog_file =\n");
    struct config c;
    config_defaults(&c);
    assert_int_equal(config_load(path, &c, err, sizeof err), 0);
    assert_string_equal(c.kiosk_code, "04217");
    assert_int_equal(c.idle_timeout_s, 45);
    assert_string_equal(c.language, "ur_Latn");
    assert_string_equal(c.centre_name, "Centre 12, Lahore");
    assert_string_equal(c.log_file, "");
}

static void expect_refused(const char *text, const char *fragment)
{
    char path[128], err[256] = "";
    snprintf(path, sizeof path, "%s/bad.conf", dir);
    write_file(path, text);
    struct config c;
    config_defaults(&c);
    assert_int_equal(config_load(path, &c, err, sizeof err), -1);
    if (!strstr(err, fragment))
        fail_msg("error '%s' does not contain '%s'", err, fragment);
}

static void test_refusals_name_the_line(void **state)
{
    (void)state;
    expect_refused("kiosk_code = 123\n", "line 1: kiosk_code must be exactly 5 digits");
    expect_refused("\n\nidle_timeout = soon\n", "line 3: idle_timeout");
    expect_refused("idle_timeout = 0\n", "idle_timeout");
    expect_refused("language = fr\n", "language must be one of");
    expect_refused("cnic_regions = 12a\n", "digits only");
    expect_refused("kiosk code 00001\n", "line 1: expected 'key = value'");
    expect_refused("kiosk_cod = 00001\n", "unknown setting 'kiosk_cod'");
    expect_refused("helpline = call us\n", "phone number");
    char longline[2100];
    memset(longline, 'x', sizeof longline - 2);
    longline[sizeof longline - 2] = '\n';
    longline[sizeof longline - 1] = '\0';
    expect_refused(longline, "line 1: too long");
}

static void test_missing_file(void **state)
{
    (void)state;
    char err[256];
    struct config c;
    config_defaults(&c);
    assert_int_equal(config_load("/nonexistent/nser.conf", &c, err, sizeof err), -1);
    assert_non_null(strstr(err, "cannot read"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_default_file_round_trips),
        cmocka_unit_test(test_shipped_example_is_current),
        cmocka_unit_test(test_values_read),
        cmocka_unit_test(test_refusals_name_the_line),
        cmocka_unit_test(test_missing_file),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

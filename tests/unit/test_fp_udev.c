/*
 * test_fp_udev.c - the fingerprint readers' udev rules made from a small
 * sample of libfprint's hwdb (drivers/fp_udev.c), including the lines it
 * must refuse, and doctor's advice naming the rules file when a reader may
 * not be opened (kiosk/doctor_cmd.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "drivers/fingerprint.h"
#include "drivers/fp_map.h"
#include "drivers/fp_udev.h"
#include "kiosk/doctor_cmd.h"

static char *rules_for(const char *hwdb, int *count)
{
    FILE *in = fmemopen((void *)hwdb, strlen(hwdb), "r");
    assert_non_null(in);
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    *count = fp_udev_rules(in, out);
    fclose(in);
    fclose(out);
    return buf;
}

static void test_rules_from_sample_hwdb(void **state)
{
    (void)state;
    static const char hwdb[] = "# SPDX-License-Identifier: LGPL-2.1-or-later\n"
                               "# This file has been generated using fprint-list-udev-hwdb\n\n"
                               "# Supported by libfprint driver aes1610\n"
                               "usb:v08FFp1600*\n"
                               " ID_AUTOSUSPEND=1\n"
                               " ID_PERSIST=0\n\n"
                               "# Supported by libfprint driver synaptics\n"
                               "usb:v06CBp00BD*\n"
                               "usb:v06cbp00c2*\n"
                               "usb:v06CBp00C\n"          /* short: refused */
                               "usb:v06CBp00C9*\"GROUP\n" /* trailing junk: refused */
                               "usb:vZZZZp0001*\n"        /* not hex: refused */
                               " ID_AUTOSUSPEND=1\n\n"
                               "# Supported by libfprint driver bad\"name\n"
                               "usb:v1234p5678*\n\n"
                               "# Known unsupported devices\n"
                               "usb:v138Ap0091*\n"
                               " ID_AUTOSUSPEND=1\n";
    int n;
    char *out = rules_for(hwdb, &n);
    assert_int_equal(n, 4);
    assert_non_null(strstr(out, "\n# aes1610\n"));
    assert_non_null(strstr(out, "ATTR{idVendor}==\"08ff\", ATTR{idProduct}==\"1600\", "
                                "MODE=\"0660\", GROUP=\"nser-kiosk\"\n"));
    assert_non_null(strstr(out, "ATTR{idVendor}==\"06cb\", ATTR{idProduct}==\"00bd\""));
    assert_non_null(strstr(out, "ATTR{idVendor}==\"06cb\", ATTR{idProduct}==\"00c2\""));
    assert_null(strstr(out, "00c9"));
    assert_null(strstr(out, "zzzz"));
    assert_null(strstr(out, "bad\"name")); /* a name that is not plain stays out */
    assert_non_null(strstr(out, "\n# ?\n"));
    assert_null(strstr(out, "138a")); /* known unsupported: no rule */
    /* Every non-comment line is a rule. */
    for (char *line = strtok(out, "\n"); line; line = strtok(NULL, "\n"))
        assert_true(line[0] == '#' || strncmp(line, "SUBSYSTEM==\"usb\"", 16) == 0);
    free(out);
}

static void test_overlong_lines_are_skipped(void **state)
{
    (void)state;
    char hwdb[2048];
    int off = snprintf(hwdb, sizeof hwdb, "# Supported by libfprint driver x\nusb:v");
    memset(hwdb + off, 'A', 600);
    off += 600;
    off += snprintf(hwdb + off, sizeof hwdb - (size_t)off, "\nusb:v1111p2222*\n");
    int n;
    char *out = rules_for(hwdb, &n);
    assert_int_equal(n, 1);
    assert_non_null(strstr(out, "\"1111\""));
    free(out);
    assert_int_equal(fp_udev_rules(NULL, stdout), -1);
}

static void test_installed_hwdb_gives_rules(void **state)
{
    (void)state;
    FILE *f = fopen(FP_HWDB_PATH_USR, "r");
    if (!f)
        f = fopen(FP_HWDB_PATH, "r");
    if (!f)
        skip();
    FILE *out = fopen("/dev/null", "w");
    assert_true(fp_udev_rules(f, out) > 50);
    fclose(out);
    fclose(f);
}

static void test_doctor_names_the_rules_file_on_access_denied(void **state)
{
    (void)state;
    struct fp_reader_row r = {.driver = "synaptics", .state = FP_READER_STATE_NO_ACCESS};
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    doctor_fp_advice(out, &r);
    fclose(out);
    assert_non_null(strstr(buf, FP_UDEV_RULES_PATH));
    assert_non_null(strstr(buf, "synaptics"));
    free(buf);
    r.state = FP_READER_STATE_READY;
    buf = NULL;
    out = open_memstream(&buf, &len);
    doctor_fp_advice(out, &r);
    fclose(out);
    assert_int_equal(len, 0);
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rules_from_sample_hwdb),
        cmocka_unit_test(test_overlong_lines_are_skipped),
        cmocka_unit_test(test_installed_hwdb_gives_rules),
        cmocka_unit_test(test_doctor_names_the_rules_file_on_access_denied),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * fuzz_fp_print.c - libFuzzer target for loading a stored print the way the
 * kiosk does: the clear record (kiosk/bio_record.c) decoded from the input,
 * then its print bytes through the driver's load path
 * (drivers/fp_stored.c: fp_print_deserialize and the kiosk's checks). The
 * raw input also goes through the load path alone, for prints that arrive
 * without a record. A crash, overread, leak, undefined behaviour or a GLib
 * critical is a bug; a refusal with a reason is not. A loaded print must
 * serialise again.
 *
 * libfprint itself is linked as the system library (not instrumented), so
 * libFuzzer sees no coverage inside it and ASan checks only our side of
 * each call; a crash inside it still shows. Seeds in
 * tests/fuzz/corpus/fp_print/ are real prints from libfprint's
 * virtual_device and virtual_image, written by test_fp_driver
 * (FPT_CORPUS=tests/fuzz/corpus/fp_print build/asan/tests/test_fp_driver).
 */
#include <glib.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/fp_stored.h"
#include "kiosk/bio_record.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* GLib's log lines are noise here, except a critical: that is a misuse of
 * an API on some input, so a finding. */
static GLogWriterOutput writer(GLogLevelFlags level, const GLogField *fields, gsize n, gpointer ud)
{
    (void)fields;
    (void)n;
    (void)ud;
    if (level & (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_ERROR))
        abort();
    return G_LOG_WRITER_HANDLED;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    g_log_set_writer_func(writer, NULL, NULL);
    return 0;
}

static void load(const uint8_t *buf, size_t len, const char *driver)
{
    char why[160] = "";
    FpPrint *p = fp_stored_load(buf, len, driver, why, sizeof why);
    if (!p) {
        if (why[0] == '\0')
            abort();
        return;
    }
    if (driver && strcmp(fp_print_get_driver(p), driver) != 0)
        abort();
    guchar *again = NULL;
    gsize again_len = 0;
    GError *e = NULL;
    if (!fp_print_serialize(p, &again, &again_len, &e) || again_len == 0)
        abort();
    g_free(again);
    g_object_unref(p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fp_capture *c = NULL;
    char why[160] = "";
    if (bio_record_decode(data, size, &c, why, sizeof why) == 0) {
        load(c->print, c->print_len, c->driver);
        fp_capture_free(c);
    }
    load(data, size, NULL);
    return 0;
}

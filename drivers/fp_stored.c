/*
 * fp_stored.c - loading a stored print (see fp_stored.h). libfprint's
 * deserialiser checks the GVariant's shape; this adds what the kiosk relies
 * on afterwards: a bounded size and a driver id that is safe to log and
 * matches the record it came in. Must never log, never echo the bytes, and
 * never hand out a print that failed a check.
 */
#include "fp_stored.h"

#include <stdio.h>
#include <string.h>

#include "kiosk/bio_record.h"

/* The same rule kiosk/bio_record.c applies to the record's driver field. */
static int driver_id_ok(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n == 0 || n > 31)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
            return 0;
    }
    return 1;
}

/* The shape libfprint's fp_print_serialize writes after its "FP3" magic. */
#define PRINT_VARIANT_TYPE "(issbymsmsia{sv}v)"
#define PRINT_RAW          1   /* libfprint's FPI_PRINT_RAW: the driver's own data */
#define PRINT_NBIS         2   /* FPI_PRINT_NBIS: minutiae lists */
#define NBIS_MINUTIAE_MAX  200 /* the size of libfprint's xyt arrays (bozorth3) */

/* fp_print_deserialize trusts the structure inside the GVariant: it asserts
 * on a short input, takes child 0 of the inner value whatever its type (a
 * fatal GLib error on an empty container, a critical on a scalar), reads
 * fixed int32 arrays without checking their type, and makes a GDate from
 * any julian day. So the same GVariant is checked here first, and only a
 * print libfprint can read without complaint reaches it. */
static int shape_ok(const uint8_t *buf, size_t len, char *why, size_t whysz)
{
    if (len <= 3 || memcmp(buf, "FP3", 3) != 0) {
        snprintf(why, whysz, "stored print: not in libfprint's format");
        return 0;
    }
    /* A copy: GVariant wants aligned data, the caller's buffer may not be. */
    gpointer copy = g_memdup2(buf + 3, len - 3);
    GVariant *raw = g_variant_new_from_data(G_VARIANT_TYPE(PRINT_VARIANT_TYPE), copy, len - 3,
                                            FALSE, g_free, copy);
    GVariant *v =
        G_BYTE_ORDER == G_BIG_ENDIAN ? g_variant_byteswap(raw) : g_variant_get_normal_form(raw);
    g_variant_unref(raw);
    gint32 type = 0, julian = 0;
    guint8 finger = 0;
    GVariant *inner = NULL;
    g_variant_get(v, "(i&s&sbym&sm&si@a{sv}v)", &type, NULL, NULL, NULL, &finger, NULL, NULL,
                  &julian, NULL, &inner);
    const char *bad = NULL;
    if (type != PRINT_RAW && type != PRINT_NBIS)
        bad = "unknown print type";
    else if (finger > FP_FINGER_LAST)
        bad = "finger out of range";
    else if (julian <= 0 || !g_date_valid_julian((guint32)julian))
        bad = "no valid enrolment date";
    else if (type == PRINT_RAW && !g_variant_is_of_type(inner, G_VARIANT_TYPE_VARIANT))
        bad = "driver data of the wrong shape";
    else if (type == PRINT_NBIS && !g_variant_is_of_type(inner, G_VARIANT_TYPE("(a(aiaiai))")))
        bad = "minutiae of the wrong shape";
    if (!bad && type == PRINT_NBIS) {
        GVariant *lists = g_variant_get_child_value(inner, 0);
        gsize n = g_variant_n_children(lists);
        if (n == 0)
            bad = "no minutiae";
        for (gsize i = 0; i < n && !bad; i++) {
            GVariant *xyt = g_variant_get_child_value(lists, i);
            gsize cols[3];
            for (gsize c = 0; c < 3; c++) {
                GVariant *col = g_variant_get_child_value(xyt, c);
                cols[c] = g_variant_n_children(col);
                g_variant_unref(col);
            }
            if (cols[0] != cols[1] || cols[0] != cols[2] || cols[0] > NBIS_MINUTIAE_MAX)
                bad = "minutiae lists that disagree";
            g_variant_unref(xyt);
        }
        g_variant_unref(lists);
    }
    g_variant_unref(inner);
    g_variant_unref(v);
    if (bad) {
        snprintf(why, whysz, "stored print: %s", bad);
        return 0;
    }
    return 1;
}

FpPrint *fp_stored_load(const uint8_t *buf, size_t len, const char *driver, char *why, size_t whysz)
{
    if (!buf || len == 0 || len > BIO_RECORD_PRINT_MAX) {
        snprintf(why, whysz, "stored print: size %zu outside 1..%u", len, BIO_RECORD_PRINT_MAX);
        return NULL;
    }
    if (!shape_ok(buf, len, why, whysz))
        return NULL;
    GError *e = NULL;
    FpPrint *p = fp_print_deserialize(buf, len, &e);
    if (!p) {
        /* libfprint's message names the field, never the data. */
        snprintf(why, whysz, "stored print: %s", e ? e->message : "not a libfprint print");
        g_clear_error(&e);
        return NULL;
    }
    const char *pd = fp_print_get_driver(p);
    if (!driver_id_ok(pd)) {
        snprintf(why, whysz, "stored print: no usable driver id");
        g_object_unref(p);
        return NULL;
    }
    if (driver && strcmp(pd, driver) != 0) {
        snprintf(why, whysz, "stored print: made by another driver than its record says");
        g_object_unref(p);
        return NULL;
    }
    return p;
}

/*
 * fp_stored.h - a stored print's bytes (libfprint's serialised FpPrint, as
 * kept in a sealed kiosk/bio_record.h record) loaded back into libfprint,
 * with the kiosk's own checks on top of fp_print_deserialize.
 *
 * The one load path for stored prints: the driver's verify uses it, and
 * tests/fuzz/fuzz_fp_print.c runs it on arbitrary bytes. Needs no reader
 * and no main context. Never logs (the caller does, with WHY, which never
 * quotes the bytes) and never keeps the bytes.
 */
#ifndef NSER_FP_STORED_H
#define NSER_FP_STORED_H

#include <fprint.h>
#include <stddef.h>
#include <stdint.h>

/* A new FpPrint (g_object_unref) from BUF: length within 1..
 * BIO_RECORD_PRINT_MAX, libfprint's deserialiser satisfied, a driver id
 * that is 1..31 of [a-z0-9_-] and, when DRIVER is not NULL, equal to it
 * (the record's driver and its print must agree). NULL with a reason in
 * WHY otherwise. Whether the print suits a given reader is
 * fp_print_compatible's business, not this. */
FpPrint *fp_stored_load(const uint8_t *buf, size_t len, const char *driver, char *why,
                        size_t whysz);

#endif

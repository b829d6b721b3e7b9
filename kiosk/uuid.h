/*
 * uuid.h - random (version 4) UUIDs for records, from the kernel's CSPRNG.
 * Never falls back to a weak source: a failure is returned.
 */
#ifndef NSER_UUID_H
#define NSER_UUID_H

#include <stddef.h>

/* Writes a lowercase 36-character UUID into OUT (>= 37 bytes). 0 or -1. */
int uuid_v4(char *out, size_t outsz);

#endif

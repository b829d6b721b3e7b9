/*
 * keyfile.h - the kiosk's small secret keys on disk (key_dir/audit.key,
 * key_dir/biometric.key): LEN random bytes in a regular file that only its
 * owner may read, made atomically on first use.
 *
 * Never logs or prints a key; every buffer that held one is wiped.
 */
#ifndef NSER_KEYFILE_H
#define NSER_KEYFILE_H

#include <stddef.h>
#include <stdint.h>

/*
 * Reads DIR/NAME into KEY: a regular file (not a link) of exactly LEN
 * bytes that nobody but its owner may read or write. 1 read, 0 missing,
 * -1 refused or unreadable, with the reason in ERR. A damaged key is
 * refused, never replaced.
 */
int keyfile_read(const char *dir, const char *name, uint8_t *key, size_t len, char *err,
                 size_t errsz);

/* Makes DIR (0700) if needed and writes LEN fresh random bytes to DIR/NAME
 * (0600, atomically). 0, or -1 with the reason in ERR. */
int keyfile_make(const char *dir, const char *name, size_t len, char *err, size_t errsz);

#endif

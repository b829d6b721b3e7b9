/*
 * keyfile.c - the kiosk's small secret keys on disk (see keyfile.h). Never
 * logs or prints a key.
 */
#include "keyfile.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomic_file.h"
#include "errbuf.h"

#define KEYFILE_MAX 64 /* bytes: every key the kiosk keeps is smaller */

static int key_path(const char *dir, const char *name, char *out, size_t outsz, char *err,
                    size_t errsz)
{
    int n = snprintf(out, outsz, "%s/%s", dir, name);
    if (n < 0 || (size_t)n >= outsz)
        return err_set(err, errsz, "key folder name too long");
    return 0;
}

int keyfile_read(const char *dir, const char *name, uint8_t *key, size_t len, char *err,
                 size_t errsz)
{
    char path[4096];
    if (len > KEYFILE_MAX || key_path(dir, name, path, sizeof path, err, errsz) != 0)
        return -1;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) {
        if (errno == ENOENT)
            return 0;
        return err_set(err, errsz, "cannot open %s: %s", path, strerror(errno));
    }
    struct stat st;
    int rc = -1;
    if (fstat(fd, &st) != 0) {
        err_set(err, errsz, "cannot stat %s: %s", path, strerror(errno));
    } else if (!S_ISREG(st.st_mode)) {
        err_set(err, errsz, "%s is not a regular file", path);
    } else if (st.st_mode & (S_IRWXG | S_IRWXO)) {
        err_set(err, errsz, "%s is open to others (mode %03o): chmod 600 %s", path,
                (unsigned)(st.st_mode & 0777), path);
    } else if (st.st_size != (off_t)len) {
        err_set(err, errsz, "%s is %lld bytes, not %zu: damaged", path, (long long)st.st_size, len);
    } else {
        size_t got = 0;
        while (got < len) {
            ssize_t n = read(fd, key + got, len - got);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                break;
            got += (size_t)n;
        }
        if (got == len) {
            rc = 1;
        } else {
            sodium_memzero(key, len); /* no half key is left behind */
            err_set(err, errsz, "cannot read %s", path);
        }
    }
    close(fd);
    return rc;
}

int keyfile_make(const char *dir, const char *name, size_t len, char *err, size_t errsz)
{
    if (len > KEYFILE_MAX)
        return err_set(err, errsz, "key too long");
    if (make_dirs(dir, 0700) != 0)
        return err_set(err, errsz, "cannot make key folder %s: %s", dir, strerror(errno));
    uint8_t fresh[KEYFILE_MAX];
    randombytes_buf(fresh, len);
    int rc = atomic_write(dir, name, fresh, len, 0600, err, errsz);
    sodium_memzero(fresh, sizeof fresh);
    return rc;
}

/*
 * atomic_file.c - write-to-temp, fsync, rename, fsync-the-folder; bounded
 * whole-file reads; mkdir -p.
 *
 * Why every step: rename alone is atomic for the name but not durable; the
 * data must reach the disk before the rename (fsync of the file) and the
 * rename must reach the disk before we report success (fsync of the
 * folder), or a power cut can leave an empty file under the real name.
 * Must never leave a half-written file under the real name, never follow
 * the caller's data into a log, never print.
 */
#include "atomic_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#define PATH_BUF 4096

static int fail(char *err, size_t errsz, const char *what, const char *path, int e)
{
    if (err && errsz)
        snprintf(err, errsz, "%s %s: %s", what, path, strerror(e));
    return -1;
}

int write_all(int fd, const void *data, size_t len)
{
    const uint8_t *p = data;
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        if (n == 0) {
            errno = EIO;
            return -1;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

int fsync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    int e = errno;
    close(fd);
    errno = e;
    return rc;
}

static int plain_name(const char *name)
{
    return name && *name && !strchr(name, '/') && strcmp(name, ".") != 0 && strcmp(name, "..") != 0;
}

int atomic_write(const char *dir, const char *name, const void *data, size_t len, int mode,
                 char *err, size_t errsz)
{
    char tmp[PATH_BUF], final[PATH_BUF];

    if (!dir || !*dir || !plain_name(name) || (!data && len > 0)) {
        if (err && errsz)
            snprintf(err, errsz, "bad file name for an atomic write");
        return -1;
    }
    int n1 = snprintf(tmp, sizeof tmp, "%s/.%s.tmp", dir, name);
    int n2 = snprintf(final, sizeof final, "%s/%s", dir, name);
    if (n1 < 0 || n2 < 0 || (size_t)n1 >= sizeof tmp || (size_t)n2 >= sizeof final) {
        if (err && errsz)
            snprintf(err, errsz, "file name too long: %s/%s", dir, name);
        return -1;
    }
    /* O_TRUNC: a .tmp left by a crash is ours to replace. O_NOFOLLOW: a
     * planted symlink must not redirect the write elsewhere. */
    int fd = open(tmp, O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC | O_NOFOLLOW, (mode_t)mode);
    if (fd < 0)
        return fail(err, errsz, "cannot create", tmp, errno);
    if (fchmod(fd, (mode_t)mode) != 0 || write_all(fd, data, len) != 0 || fsync(fd) != 0) {
        int e = errno;
        close(fd);
        unlink(tmp);
        return fail(err, errsz, "cannot write", tmp, e);
    }
    if (close(fd) != 0) {
        int e = errno;
        unlink(tmp);
        return fail(err, errsz, "cannot write", tmp, e);
    }
    if (rename(tmp, final) != 0) {
        int e = errno;
        unlink(tmp);
        return fail(err, errsz, "cannot rename into place", final, e);
    }
    if (fsync_dir(dir) != 0)
        return fail(err, errsz, "cannot flush folder", dir, errno);
    return 0;
}

int read_whole_file(const char *path, size_t max, uint8_t **out, size_t *len, char *err,
                    size_t errsz)
{
    *out = NULL;
    *len = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return fail(err, errsz, "cannot open", path, errno);
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int e = errno;
        close(fd);
        return fail(err, errsz, "cannot read", path, e);
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        if (err && errsz)
            snprintf(err, errsz, "%s is not a regular file", path);
        return -1;
    }
    if (st.st_size < 0 || (uintmax_t)st.st_size > (uintmax_t)max) {
        close(fd);
        if (err && errsz)
            snprintf(err, errsz, "%s is larger than %zu bytes", path, max);
        return -1;
    }
    /* The size can change under us (a transport still copying): read up to
     * MAX + 1 so a file that grew past MAX is still refused. */
    size_t cap = (size_t)st.st_size + 1;
    uint8_t *buf = malloc(cap + 1);
    if (!buf) {
        close(fd);
        if (err && errsz)
            snprintf(err, errsz, "out of memory reading %s", path);
        return -1;
    }
    size_t got = 0;
    for (;;) {
        if (got == cap) {
            if (cap > max) {
                free(buf);
                close(fd);
                if (err && errsz)
                    snprintf(err, errsz, "%s is larger than %zu bytes", path, max);
                return -1;
            }
            size_t ncap = cap * 2 > max + 1 ? max + 1 : cap * 2;
            uint8_t *nb = realloc(buf, ncap + 1);
            if (!nb) {
                free(buf);
                close(fd);
                if (err && errsz)
                    snprintf(err, errsz, "out of memory reading %s", path);
                return -1;
            }
            buf = nb;
            cap = ncap;
        }
        ssize_t n = read(fd, buf + got, cap - got);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            int e = errno;
            free(buf);
            close(fd);
            return fail(err, errsz, "cannot read", path, e);
        }
        if (n == 0)
            break;
        got += (size_t)n;
    }
    close(fd);
    if (got > max) {
        free(buf);
        if (err && errsz)
            snprintf(err, errsz, "%s is larger than %zu bytes", path, max);
        return -1;
    }
    buf[got] = '\0';
    *out = buf;
    *len = got;
    return 0;
}

int make_dirs(const char *path, int mode)
{
    char buf[PATH_BUF];
    size_t n = path ? strlen(path) : 0;

    if (n == 0 || n >= sizeof buf) {
        errno = n ? ENAMETOOLONG : ENOENT;
        return -1;
    }
    memcpy(buf, path, n + 1);
    for (size_t i = 1; i <= n; i++) {
        if (buf[i] != '/' && buf[i] != '\0')
            continue;
        char c = buf[i];
        buf[i] = '\0';
        if (mkdir(buf, (mode_t)mode) != 0) {
            int e = errno;
            struct stat st;
            if (e != EEXIST || stat(buf, &st) != 0) {
                errno = e;
                return -1;
            }
            if (!S_ISDIR(st.st_mode)) {
                errno = ENOTDIR;
                return -1;
            }
        }
        buf[i] = c;
    }
    return 0;
}

/*
 * atomic_file.h - files that are either wholly there or not there at all,
 * and bounded whole-file reads.
 *
 * A sync file or a key file is written as DIR/.NAME.tmp, fsync'd, renamed
 * to DIR/NAME and the folder fsync'd: a crash, a full disk or a transport
 * watching the folder never sees half a file under its real name. A
 * leftover .tmp from a crash is simply replaced by the next write. Never
 * prints, never logs file contents (they may be personal data or keys).
 */
#ifndef NSER_ATOMIC_FILE_H
#define NSER_ATOMIC_FILE_H

#include <stddef.h>
#include <stdint.h>

/*
 * Writes LEN bytes of DATA to DIR/NAME atomically, with exactly MODE (the
 * umask does not widen or narrow it). NAME is a plain file name (no '/',
 * not "." or ".."). 0, or -1 with the reason in ERR; on failure DIR/NAME
 * is untouched and no .tmp is left behind.
 */
int atomic_write(const char *dir, const char *name, const void *data, size_t len, int mode,
                 char *err, size_t errsz);

/*
 * Reads the regular file PATH whole into *OUT (malloc'd, caller frees,
 * with a NUL after the LEN bytes for text callers). Refuses a file larger
 * than MAX bytes before reading it. 0, or -1 with the reason in ERR.
 */
int read_whole_file(const char *path, size_t max, uint8_t **out, size_t *len, char *err,
                    size_t errsz);

/* Writes all LEN bytes to FD, again after EINTR and short writes. 0, or
 * -1 with errno set. */
int write_all(int fd, const void *data, size_t len);

/* fsync of the folder DIR, so a file made or renamed in it survives a
 * crash. 0, or -1 with errno set. */
int fsync_dir(const char *dir);

/* mkdir -p PATH: each missing folder is made with MODE. 0, or -1 with errno
 * set (ENOTDIR when a part exists and is not a folder). */
int make_dirs(const char *path, int mode);

#endif

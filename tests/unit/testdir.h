/*
 * testdir.h - a scratch folder for the unit tests that need real files:
 * made from a mkdtemp template before a group, emptied and removed after.
 *
 * Header-only (static functions) because the Makefile builds each
 * tests/unit/test_*.c on its own. Removes the whole tree (the sync and
 * audit tests keep key folders inside); it refuses any path outside /tmp.
 */
#ifndef NSER_TESTDIR_H
#define NSER_TESTDIR_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* TEMPLATE ends in XXXXXX and is filled in; 0 or -1. */
static inline int testdir_make(char *template_)
{
    return mkdtemp(template_) ? 0 : -1;
}

static inline int testdir_remove_tree(const char *path)
{
    struct stat sb;
    if (lstat(path, &sb) != 0)
        return -1;
    if (!S_ISDIR(sb.st_mode))
        return unlink(path);
    DIR *d = opendir(path);
    if (!d)
        return -1;
    struct dirent *e;
    char sub[1024];
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        int n = snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
        if (n > 0 && (size_t)n < sizeof sub)
            testdir_remove_tree(sub);
    }
    closedir(d);
    return rmdir(path);
}

static inline int testdir_remove(const char *dir)
{
    if (strncmp(dir, "/tmp/", 5) != 0)
        return -1;
    return testdir_remove_tree(dir);
}

#endif

/*
 * testdir.h - a scratch folder for the unit tests that need real files:
 * made from a mkdtemp template before a group, emptied and removed after.
 *
 * Header-only (static functions) because the Makefile builds each
 * tests/unit/test_*.c on its own. Removes only plain files one level deep,
 * which is all the tests make; it must never be pointed outside /tmp.
 */
#ifndef NSER_TESTDIR_H
#define NSER_TESTDIR_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* TEMPLATE ends in XXXXXX and is filled in; 0 or -1. */
static inline int testdir_make(char *template_)
{
    return mkdtemp(template_) ? 0 : -1;
}

static inline int testdir_remove(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    struct dirent *e;
    char path[512];
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        unlink(path);
    }
    closedir(d);
    return rmdir(dir);
}

#endif

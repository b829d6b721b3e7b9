/*
 * datafiles.c - finds the shipped data files (see datafiles.h for the order).
 *
 * Looks only: opens nothing but the probes' access() checks, never prints.
 */
#include "datafiles.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef NSER_DATADIR
#define NSER_DATADIR "/usr/local/share/nser-kiosk"
#endif

static int try_dir(const char *dir, const char *name, char *out, size_t outsz)
{
    char probe[PATH_MAX];
    int n = snprintf(probe, sizeof probe, "%s/%s", dir, name);
    if (n < 0 || (size_t)n >= sizeof probe || (size_t)n >= outsz || access(probe, R_OK) != 0)
        return -1;
    memcpy(out, probe, (size_t)n + 1);
    return 0;
}

int datafiles_path(const char *configured, const char *name, char *out, size_t outsz)
{
    if (configured && configured[0]) {
        int n = snprintf(out, outsz, "%s", configured);
        return n >= 0 && (size_t)n < outsz && access(out, R_OK) == 0 ? 0 : -1;
    }
    const char *env = getenv("NSER_DATADIR");
    if (env && env[0] && try_dir(env, name, out, outsz) == 0)
        return 0;
    char exe[PATH_MAX];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (len > 0) {
        exe[len] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            static const char *const near[] = {"%s/../data", "%s/../../data",
                                               "%s/../share/nser-kiosk"};
            for (size_t i = 0; i < sizeof near / sizeof near[0]; i++) {
                char dir[PATH_MAX + 32];
                snprintf(dir, sizeof dir, near[i], exe);
                if (try_dir(dir, name, out, outsz) == 0)
                    return 0;
            }
        }
    }
    if (try_dir(NSER_DATADIR, name, out, outsz) == 0)
        return 0;
    snprintf(out, outsz, "%s/%s", NSER_DATADIR, name);
    return -1;
}

/*
 * datafiles.h - where the survey, score table and thresholds files are.
 *
 * A path set in the configuration wins. Otherwise the shipped file is
 * looked for in $NSER_DATADIR, then beside the binary (data/ of a build
 * tree: build/nser-kiosk and build/asan/nser-kiosk), then in
 * PREFIX/share/nser-kiosk after `make install`, then in the folder the
 * program was built for. Never prints.
 */
#ifndef NSER_DATAFILES_H
#define NSER_DATAFILES_H

#include <stddef.h>

/* Writes the path of data file NAME into OUT: CONFIGURED when not empty,
 * else the first folder above that has NAME. -1 when none has it (OUT then
 * names where it was expected, for the message). */
int datafiles_path(const char *configured, const char *name, char *out, size_t outsz);

#endif

/*
 * audit_cmd.h - the `nser-kiosk audit` sub-command (docs/audit.md):
 *
 *   nser-kiosk audit verify                          walk the whole chain
 *   nser-kiosk audit show [--limit N] [--before ID]  newest first
 *
 * (--db PATH and --config PATH are main.c's; they are accepted and passed
 * over here.) Exit status: 0 done (verify: the chain is intact, with the
 * number of entries); 1 failed or, for verify, the chain is broken (the
 * first bad row and why on OUT); 2 wrong usage. Who may run it is the
 * machine's business (root or the kiosk user: it needs the key folder).
 * Writes only to the two streams it is given; never exits; prints only
 * what the trail holds, which never holds a CNIC or a name.
 */
#ifndef NSER_AUDIT_CMD_H
#define NSER_AUDIT_CMD_H

#include <stdio.h>

#include "../db/db.h"
#include "config.h"

/* ARGV[0] is "audit"; the rest are the sub-command's arguments. */
int audit_command(int argc, char **argv, struct db *db, const struct config *cfg, FILE *out,
                  FILE *err);

#endif

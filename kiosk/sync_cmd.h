/*
 * sync_cmd.h - the `nser-kiosk sync` sub-command (docs/sync.md):
 *
 *   nser-kiosk sync export [--out DIR]   the next batch (default sync_out_dir)
 *   nser-kiosk sync import [--in DIR]    every acknowledgement (default sync_in_dir)
 *   nser-kiosk sync status               backlog, last export, last import
 *
 * (--db PATH and --config PATH are main.c's; they are accepted and
 * passed over here.) Exit status: 0 done; 1 failed (the reason in plain
 * words on ERR: no keys, no registry key, a folder problem, a refused
 * acknowledgement); 2 wrong usage. Writes only to the two streams it is
 * given; never exits; never prints a CNIC or a name.
 */
#ifndef NSER_SYNC_CMD_H
#define NSER_SYNC_CMD_H

#include <stdio.h>

#include "../db/db.h"
#include "config.h"

/* ARGV[0] is "sync"; the rest are the sub-command's arguments. */
int sync_command(int argc, char **argv, struct db *db, const struct config *cfg, FILE *out,
                 FILE *err);

#endif

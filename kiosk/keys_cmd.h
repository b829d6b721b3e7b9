/*
 * keys_cmd.h - `nser-kiosk keys`: the kiosk's own keys and the registry's
 * public key, for the centre manager (docs/sync.md, "Keys").
 *
 *   nser-kiosk keys init                  make this kiosk's keys (once)
 *   nser-kiosk keys show                  its public key file, and whether
 *                                         the registry's key is installed
 *   nser-kiosk keys install-central FILE  install the registry's public key
 *
 * Keys live in cfg->key_dir; the kiosk's id is cfg->kiosk_code. Exit
 * status: 0 done, 1 failed (the reason in plain words on ERR), 2 wrong
 * usage. Writes only to the two streams it is given; never exits, never
 * prints a secret key.
 */
#ifndef NSER_KEYS_CMD_H
#define NSER_KEYS_CMD_H

#include <stdio.h>

#include "config.h"

/* ARGV[0] is "keys"; the rest are the sub-command and its arguments. */
int keys_command(int argc, char **argv, const struct config *cfg, FILE *out, FILE *err);

#endif

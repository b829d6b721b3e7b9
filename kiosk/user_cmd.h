/*
 * user_cmd.h - `nser-kiosk user`: clerk and supervisor accounts from the
 * shell, for the centre manager (docs/accounts.md).
 *
 *   nser-kiosk user add NAME --role clerk|supervisor [--as SUPERVISOR]
 *   nser-kiosk user passwd NAME [--as NAME2]
 *   nser-kiosk user disable NAME --as SUPERVISOR
 *   nser-kiosk user enable NAME --as SUPERVISOR
 *   nser-kiosk user list
 *
 * Secrets are read from IN one per line (without echo when IN is a
 * terminal, prompting on ERR only then): the --as account's secret first
 * when --as is given, then the new secret twice. The first account needs
 * no --as and must be a supervisor's; after that every change needs a
 * supervisor's log-in (lockout applies), and passwd also accepts the
 * account's own current secret. Every change and every failed --as goes
 * to the audit trail. Exit status: 0 done, 1 refused or failed (plain
 * words on ERR), 2 wrong usage. Never exits, never prints a secret.
 */
#ifndef NSER_USER_CMD_H
#define NSER_USER_CMD_H

#include <stdio.h>

#include "../db/db.h"
#include "config.h"

/* ARGV[0] is "user"; the rest are the sub-command and its arguments. */
int user_command(int argc, char **argv, struct db *db, const struct config *cfg, FILE *in,
                 FILE *out, FILE *err);

#endif

/*
 * migrations.h - the ordered forward migrations of the local schema.
 *
 * Internal to db/. Never draws, never prints.
 */
#ifndef NSER_DB_MIGRATIONS_H
#define NSER_DB_MIGRATIONS_H

#include "db.h"

/*
 * Brings the open file forward to schema version TARGET (1..
 * DB_SCHEMA_VERSION), one transaction per step, each step setting
 * user_version with its changes so a crash leaves a whole version or none.
 * A file already at or past TARGET is left alone.
 */
enum db_result db_migrate(struct db *db, int target);

#endif

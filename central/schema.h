/*
 * schema.h - the registry's PostgreSQL schema, created and upgraded by
 * `nser-central init`, and the check every other command makes first.
 *
 * Versioned in the schema_version table: re-running init on the current
 * version changes nothing; a database made by a newer nser-central is
 * refused, never downgraded. Never prints.
 */
#ifndef NSER_CENTRAL_SCHEMA_H
#define NSER_CENTRAL_SCHEMA_H

#include <stddef.h>

#include <libpq-fe.h>

#define SCHEMA_VERSION 3

/* Creates or upgrades the schema in one transaction. 0 with MSG saying
 * what was done, or -1 with ERR. */
int schema_init(PGconn *c, char *msg, size_t msgsz, char *err, size_t errsz);

/* 0 when the database is at SCHEMA_VERSION; -1 with ERR ("run nser-central
 * init", or newer than this program). */
int schema_check(PGconn *c, char *err, size_t errsz);

#endif

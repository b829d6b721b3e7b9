/*
 * pg.h - the few libpq calls nser-central makes, with their errors turned
 * into one line of text for the report.
 *
 * Every statement goes through PQexecParams with bound parameters: SQL is
 * never built with printf. Never prints, never exits.
 */
#ifndef NSER_CENTRAL_PG_H
#define NSER_CENTRAL_PG_H

#include <stddef.h>

#include <libpq-fe.h>

/* Connects and sets UTF-8, UTC and an application name. NULL with ERR. */
PGconn *pg_connect(const char *conninfo, char *err, size_t errsz);

/* Runs SQL with N text parameters (NULL entries are SQL NULL). The result
 * on success (caller PQclears), NULL with ERR naming WHAT on failure. */
PGresult *pg_query(PGconn *c, const char *what, const char *sql, int n, const char *const *params,
                   char *err, size_t errsz);
/* The same when no rows are wanted: 0 or -1. */
int pg_exec(PGconn *c, const char *what, const char *sql, int n, const char *const *params,
            char *err, size_t errsz);

/* ERR = "WHAT: <the server's message, one line>". */
void pg_error(PGconn *c, const PGresult *r, const char *what, char *err, size_t errsz);

#endif

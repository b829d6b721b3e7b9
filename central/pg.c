/*
 * pg.c - libpq connection and parameterised statements for nser-central.
 *
 * Errors come back as one line (libpq's messages end in newlines and may
 * span several); nothing here prints or builds SQL from data.
 */
#include "pg.h"

#include <stdio.h>
#include <string.h>

void pg_error(PGconn *c, const PGresult *r, const char *what, char *err, size_t errsz)
{
    const char *msg = r ? PQresultErrorMessage(r) : NULL;
    if (!msg || !*msg)
        msg = c ? PQerrorMessage(c) : "no connection";
    if (!msg || !*msg)
        msg = "unknown error";
    char line[512];
    size_t n = 0;
    /* Several lines (ERROR:, DETAIL:) become one, separated by "; ". */
    for (const char *p = msg; *p && n + 3 < sizeof line; p++) {
        if (*p == '\n') {
            if (p[1] && n + 3 < sizeof line) {
                line[n++] = ';';
                line[n++] = ' ';
            }
        } else {
            line[n++] = *p;
        }
    }
    line[n] = '\0';
    snprintf(err, errsz, "%s: %s", what, line);
}

PGconn *pg_connect(const char *conninfo, char *err, size_t errsz)
{
    PGconn *c = PQconnectdb(conninfo);
    if (!c) {
        snprintf(err, errsz, "connecting to the registry database: out of memory");
        return NULL;
    }
    if (PQstatus(c) != CONNECTION_OK) {
        pg_error(c, NULL, "connecting to the registry database", err, errsz);
        PQfinish(c);
        return NULL;
    }
    if (PQsetClientEncoding(c, "UTF8") != 0) {
        pg_error(c, NULL, "setting the client encoding", err, errsz);
        PQfinish(c);
        return NULL;
    }
    /* Dates in statuses and acknowledgements are UTC days, as at the kiosk. */
    if (pg_exec(c, "setting the session",
                "SELECT set_config('TimeZone', 'UTC', false),"
                " set_config('application_name', 'nser-central', false)",
                0, NULL, err, errsz) != 0) {
        PQfinish(c);
        return NULL;
    }
    return c;
}

PGresult *pg_query(PGconn *c, const char *what, const char *sql, int n, const char *const *params,
                   char *err, size_t errsz)
{
    PGresult *r = PQexecParams(c, sql, n, NULL, params, NULL, NULL, 0);
    if (!r) {
        pg_error(c, NULL, what, err, errsz);
        return NULL;
    }
    ExecStatusType st = PQresultStatus(r);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
        pg_error(c, r, what, err, errsz);
        PQclear(r);
        return NULL;
    }
    return r;
}

int pg_exec(PGconn *c, const char *what, const char *sql, int n, const char *const *params,
            char *err, size_t errsz)
{
    PGresult *r = pg_query(c, what, sql, n, params, err, errsz);
    if (!r)
        return -1;
    PQclear(r);
    return 0;
}

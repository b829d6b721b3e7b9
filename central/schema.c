/*
 * schema.c - the registry's tables (docs/central.md explains each key).
 *
 * Keys are chosen so the registry can be split by district later: every
 * table that grows with registrations carries the district, indexes that
 * serve district work lead with it, and nothing depends on a global
 * sequence (batch and acknowledgement numbers are per kiosk, records are
 * identified by their kiosk-made uuid and version). Must never drop or
 * rewrite data: a migration only adds.
 */
#include "schema.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pg.h"

/* The SQL reads as SQL; clang-format would reflow it. */
/* clang-format off */
static const char *const MIGRATION_1[] = {
    "CREATE TABLE kiosks ("
    "  code text PRIMARY KEY CHECK (code ~ '^[0-9]{5}$'),"
    "  district text NOT NULL CHECK (district ~ '^[a-z0-9][a-z0-9_-]{0,31}$'),"
    "  sign_pk bytea NOT NULL CHECK (length(sign_pk) = 32),"
    "  box_pk bytea NOT NULL CHECK (length(box_pk) = 32),"
    "  added timestamptz NOT NULL DEFAULT now(),"
    "  replaced timestamptz,"
    "  last_batch bigint NOT NULL DEFAULT 0,"  /* highest batch applied */
    "  last_ack bigint NOT NULL DEFAULT 0"     /* highest ack written */
    ")",
    "CREATE INDEX kiosks_by_district ON kiosks (district)",

    /* One row per batch applied: a replay finds its row and changes nothing. */
    "CREATE TABLE batches ("
    "  kiosk text NOT NULL REFERENCES kiosks (code),"
    "  batch_no bigint NOT NULL CHECK (batch_no >= 1),"
    "  district text NOT NULL,"
    "  created timestamptz NOT NULL,"
    "  applied timestamptz NOT NULL DEFAULT now(),"
    "  records integer NOT NULL,"
    "  new_records integer NOT NULL,"
    "  payload_hash bytea NOT NULL,"
    "  note text,"
    "  PRIMARY KEY (kiosk, batch_no)"
    ")",

    "CREATE TABLE registrations ("
    "  uuid uuid NOT NULL,"
    "  version integer NOT NULL CHECK (version >= 1),"
    "  supersedes uuid CHECK ((version = 1) = (supersedes IS NULL)),"
    "  district text NOT NULL,"
    "  kiosk text NOT NULL REFERENCES kiosks (code),"
    "  batch_no bigint NOT NULL,"
    "  tracking text NOT NULL UNIQUE CHECK (tracking ~ '^[0-9]{16}$'),"
    "  cnic text NOT NULL CHECK (cnic ~ '^[0-9]{13}$'),"
    "  head_name text NOT NULL,"
    "  created timestamptz NOT NULL,"
    "  questionnaire_id text NOT NULL,"
    "  questionnaire_version text NOT NULL,"
    "  member_count integer NOT NULL CHECK (member_count >= 1),"
    "  answers jsonb NOT NULL,"
    "  kiosk_score numeric,"
    "  kiosk_score_detail jsonb,"
    "  table_id text,"
    "  table_version text,"
    "  thresholds_id text,"
    "  thresholds_version text,"
    "  central_score numeric,"
    "  decision text CHECK (decision IN ('eligible', 'not_eligible', 'undecided')),"
    "  status text NOT NULL CHECK (status IN ('received', 'eligible', 'not_eligible',"
    "    'under_review', 'duplicate_elsewhere')),"
    "  status_reason text,"
    "  status_date date NOT NULL,"
    "  received timestamptz NOT NULL DEFAULT now(),"
    /* Changed after its kiosk was told (a duplicate found later): the
     * next acknowledgement for that kiosk names it again. */
    "  ack_pending boolean NOT NULL DEFAULT false,"
    "  PRIMARY KEY (uuid, version)"
    ")",
    /* The duplicate check (latest version per CNIC) and the district snapshot. */
    "CREATE INDEX registrations_by_cnic ON registrations (cnic, uuid, version)",
    "CREATE INDEX registrations_by_district ON registrations (district, kiosk)",
    "CREATE INDEX registrations_by_batch ON registrations (kiosk, batch_no)",
    "CREATE INDEX registrations_ack_pending ON registrations (kiosk) WHERE ack_pending",

    /* Pairs for a reviewer: uuid_a < uuid_b, so a pair is flagged once. */
    "CREATE TABLE review_flags ("
    "  cnic text NOT NULL,"
    "  uuid_a uuid NOT NULL,"
    "  version_a integer NOT NULL,"
    "  kiosk_a text NOT NULL,"
    "  district_a text NOT NULL,"
    "  uuid_b uuid NOT NULL,"
    "  version_b integer NOT NULL,"
    "  kiosk_b text NOT NULL,"
    "  district_b text NOT NULL,"
    "  reason text NOT NULL,"
    "  flagged timestamptz NOT NULL DEFAULT now(),"
    "  resolved timestamptz,"
    "  CHECK (uuid_a < uuid_b),"
    "  PRIMARY KEY (cnic, uuid_a, version_a, uuid_b, version_b)"
    ")",
    "CREATE INDEX review_flags_open ON review_flags (district_a, flagged) WHERE resolved IS NULL",

    /* An ack row exists only once its file was written (ingest.c). */
    "CREATE TABLE acks ("
    "  kiosk text NOT NULL REFERENCES kiosks (code),"
    "  ack_no bigint NOT NULL CHECK (ack_no >= 1),"
    "  created timestamptz NOT NULL DEFAULT now(),"
    "  records integer NOT NULL,"
    "  snapshot_entries integer NOT NULL,"
    "  file text NOT NULL,"
    "  PRIMARY KEY (kiosk, ack_no)"
    ")",
    NULL,
};

/*
 * Version 2: the kiosks' audit trails (docs/audit.md). Rows are kept as the
 * kiosk sent them, keyed (kiosk, id); a row sent again is not changed. The
 * registry has no kiosk's MAC key, so it checks linkage (each row's
 * prev_mac is the mac of the row before it) and the head each batch
 * carries, and notes what does not fit in batches.audit_note.
 */
static const char *const MIGRATION_2[] = {
    "CREATE TABLE audit ("
    "  kiosk text NOT NULL REFERENCES kiosks (code),"
    "  id bigint NOT NULL CHECK (id >= 1),"
    "  at timestamptz NOT NULL,"
    "  actor text NOT NULL,"
    "  action text NOT NULL CHECK (action ~ '^[a-z_]{1,31}$'),"
    "  subject text NOT NULL,"
    "  detail text NOT NULL,"
    "  prev_mac text NOT NULL CHECK (prev_mac ~ '^[0-9a-f]{64}$'),"
    "  mac text NOT NULL CHECK (mac ~ '^[0-9a-f]{64}$'),"
    "  batch_no bigint NOT NULL,"
    "  received timestamptz NOT NULL DEFAULT now(),"
    "  PRIMARY KEY (kiosk, id)"
    ")",
    "ALTER TABLE batches ADD COLUMN audit_rows integer NOT NULL DEFAULT 0,"
    "  ADD COLUMN audit_note text",
    NULL,
};

/*
 * Version 3: the heads' fingerprints (docs/central.md, docs/fingerprints.md),
 * one row per record (uuid, version) that carried one, stored in the same
 * transaction as the record and never changed after: a batch sent again
 * adds nothing. A print is libfprint's serialised print with, from image
 * readers, an ISO/IEC 19794-4 finger image record for the NADRA check; an
 * exception is the reason the head could not give one and the clerk who
 * signed it off.
 */
static const char *const MIGRATION_3[] = {
    "CREATE TABLE biometrics ("
    "  uuid uuid NOT NULL,"
    "  version integer NOT NULL,"
    "  district text NOT NULL,"
    "  kiosk text NOT NULL REFERENCES kiosks (code),"
    "  batch_no bigint NOT NULL,"
    "  kind text NOT NULL CHECK (kind IN ('print', 'exception')),"
    "  finger text CHECK (finger ~ '^(left|right)_(thumb|index|middle|ring|little)$'),"
    "  driver text CHECK (driver ~ '^[a-z0-9_-]{1,31}$'),"
    "  captured timestamptz NOT NULL,"
    "  retries integer NOT NULL DEFAULT 0 CHECK (retries >= 0),"
    "  print bytea,"
    "  image bytea,"
    "  exception text CHECK (exception IN ('worn', 'injured', 'missing', 'other')),"
    "  signed_off_by text,"
    "  received timestamptz NOT NULL DEFAULT now(),"
    "  PRIMARY KEY (uuid, version),"
    "  FOREIGN KEY (uuid, version) REFERENCES registrations (uuid, version),"
    "  CHECK ((kind = 'print') = (print IS NOT NULL AND finger IS NOT NULL AND driver IS NOT NULL)),"
    "  CHECK ((kind = 'exception') = (exception IS NOT NULL AND signed_off_by IS NOT NULL)),"
    "  CHECK (image IS NULL OR kind = 'print')"
    ")",
    "CREATE INDEX biometrics_by_district ON biometrics (district)",
    NULL,
};
/* clang-format on */

static const char *const *const MIGRATIONS[SCHEMA_VERSION] = {MIGRATION_1, MIGRATION_2,
                                                              MIGRATION_3};

/* The version recorded, 0 for an empty database, -1 on error. */
static long read_version(PGconn *c, char *err, size_t errsz)
{
    PGresult *r = pg_query(c, "reading the schema version",
                           "SELECT to_regclass('schema_version') IS NOT NULL", 0, NULL, err, errsz);
    if (!r)
        return -1;
    bool there = PQntuples(r) == 1 && strcmp(PQgetvalue(r, 0, 0), "t") == 0;
    PQclear(r);
    if (!there)
        return 0;
    r = pg_query(c, "reading the schema version",
                 "SELECT coalesce(max(version), 0) FROM schema_version", 0, NULL, err, errsz);
    if (!r)
        return -1;
    long v = PQntuples(r) == 1 ? strtol(PQgetvalue(r, 0, 0), NULL, 10) : -1;
    PQclear(r);
    if (v < 0)
        snprintf(err, errsz, "reading the schema version: no answer");
    return v;
}

static int apply(PGconn *c, long *from, char *err, size_t errsz)
{
    /* Two inits at once: the second waits, then finds the work done. */
    if (pg_exec(c, "locking the schema", "SELECT pg_advisory_xact_lock(4919, 1)", 0, NULL, err,
                errsz) != 0)
        return -1;
    long v = read_version(c, err, errsz);
    if (v < 0)
        return -1;
    *from = v;
    if (v > SCHEMA_VERSION) {
        snprintf(err, errsz,
                 "the database is at schema version %ld, newer than this nser-central (%d): "
                 "use a newer nser-central",
                 v, SCHEMA_VERSION);
        return -1;
    }
    if (v == 0 && pg_exec(c, "creating schema_version",
                          "CREATE TABLE schema_version (version integer PRIMARY KEY,"
                          " applied timestamptz NOT NULL DEFAULT now())",
                          0, NULL, err, errsz) != 0)
        return -1;
    for (long m = v; m < SCHEMA_VERSION; m++) {
        char what[64];
        snprintf(what, sizeof what, "schema version %ld", m + 1);
        for (const char *const *s = MIGRATIONS[m]; *s; s++)
            if (pg_exec(c, what, *s, 0, NULL, err, errsz) != 0)
                return -1;
        char ver[24];
        snprintf(ver, sizeof ver, "%ld", m + 1);
        const char *p[1] = {ver};
        if (pg_exec(c, what, "INSERT INTO schema_version (version) VALUES ($1::integer)", 1, p, err,
                    errsz) != 0)
            return -1;
    }
    return 0;
}

int schema_init(PGconn *c, char *msg, size_t msgsz, char *err, size_t errsz)
{
    if (pg_exec(c, "starting the transaction", "BEGIN", 0, NULL, err, errsz) != 0)
        return -1;
    long from = 0;
    if (apply(c, &from, err, errsz) != 0 ||
        pg_exec(c, "committing the schema", "COMMIT", 0, NULL, err, errsz) != 0) {
        PGresult *r = PQexec(c, "ROLLBACK");
        PQclear(r);
        return -1;
    }
    if (from == SCHEMA_VERSION)
        snprintf(msg, msgsz, "schema already at version %d: nothing to do", SCHEMA_VERSION);
    else if (from == 0)
        snprintf(msg, msgsz, "schema created at version %d", SCHEMA_VERSION);
    else
        snprintf(msg, msgsz, "schema upgraded from version %ld to %d", from, SCHEMA_VERSION);
    return 0;
}

int schema_check(PGconn *c, char *err, size_t errsz)
{
    long v = read_version(c, err, errsz);
    if (v < 0)
        return -1;
    if (v == SCHEMA_VERSION)
        return 0;
    if (v > SCHEMA_VERSION)
        snprintf(err, errsz,
                 "the database is at schema version %ld, newer than this nser-central (%d)", v,
                 SCHEMA_VERSION);
    else
        snprintf(err, errsz, "the database schema is at version %ld, not %d: run nser-central init",
                 v, SCHEMA_VERSION);
    return -1;
}

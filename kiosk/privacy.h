/*
 * privacy.h - privacy trimming: a household the central registry has
 * acknowledged keeps, after acknowledged_retention_days, only what a
 * status check needs (tracking ID, CNIC, status and its date, the head's
 * name); its answers, score and fingerprint rows are deleted.
 *
 * The caller (main.c) runs it at start and hourly and writes the audit
 * entry (AUDIT_PRIVACY_PURGE) with the count. Never draws, never prints,
 * never logs personal data.
 */
#ifndef NSER_PRIVACY_H
#define NSER_PRIVACY_H

#include <stddef.h>
#include <stdint.h>

struct db;
struct config;

/*
 * Trims every registration acknowledged more than
 * CFG->acknowledged_retention_days before NOW (Unix seconds) and not yet
 * trimmed, in one transaction. The number trimmed goes into *TRIMMED.
 * Then the fingerprint rows of every trimmed household are deleted.
 * Returns 0, or -1 (db_last_error says why; the failure is logged): when
 * the trim failed nothing changed; when only the fingerprint rows were
 * not removed, the next run removes them.
 */
int privacy_trim(struct db *db, const struct config *cfg, int64_t now, size_t *trimmed);

#endif

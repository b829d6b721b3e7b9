/*
 * privacy_store.h - the SQL of privacy trimming: what an acknowledged
 * household keeps once the retention period is over.
 *
 * A trimmed registration keeps its registrations row (tracking ID, CNIC,
 * status and its date, head's name: what a status check reads) and loses
 * its answers and its score. Never draws, never prints; error details
 * never hold a CNIC, a name or a tracking ID.
 */
#ifndef NSER_PRIVACY_STORE_H
#define NSER_PRIVACY_STORE_H

#include <stddef.h>
#include <time.h>

#include "db.h"

/*
 * Trims, in one transaction, every registration not yet trimmed whose
 * outbox row the registry acknowledged before ACKED_BEFORE: its answers
 * and its score are deleted and trimmed_at is set to NOW. The number
 * trimmed goes into *TRIMMED (0 on failure). All or nothing: on failure
 * nothing is deleted and db_last_error says why.
 */
enum db_result privacy_store_trim(struct db *db, time_t acked_before, time_t now, size_t *trimmed);

#endif

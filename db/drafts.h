/*
 * drafts.h - surveys in progress, kept in SQLite answer by answer.
 *
 * Every answer is one small transaction (drafts_set_answer), so a kill -9
 * or a power cut loses at most the field being typed. Members are rows:
 * adding, editing or deleting one touches that member's rows only, and the
 * roster is read a page at a time, so the 100th member costs what the
 * first did. A draft has a short draft number (7 digits, the last a Damm
 * check digit) that an applicant can show at the counter. Drafts expire
 * after the configured retention and are then wiped (secure_delete is on,
 * so wiped answers do not linger in the file).
 *
 * Member positions: ANSWERS_HOUSEHOLD (-1) for household answers, 0 for the
 * head, then increasing integers that are never reused within a draft (a
 * deleted member leaves a gap; order is by position).
 * Never draws, never prints; every statement has bound parameters.
 */
#ifndef NSER_DRAFTS_H
#define NSER_DRAFTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "../kiosk/answers.h"
#include "../kiosk/tracking.h"
#include "db.h"

#define DRAFT_NUMBER_DIGITS 7

struct draft_info {
    int64_t id;
    char number[DRAFT_NUMBER_DIGITS + 1];
    char head_cnic[14];
    char questionnaire_id[32];
    char questionnaire_version[16];
    char created_at[21]; /* UTC YYYY-MM-DDTHH:MM:SSZ */
    char updated_at[21];
    char resume_at[32]; /* the flow's resume point (printable ASCII), "" at the start */
    int members;        /* head included */
    /* For an update: the registration it replaces (0 and "" otherwise). */
    int64_t previous_registration;
    char previous_tracking[TRACKING_DIGITS + 1];
};

/* Starts an empty draft for HEAD_CNIC (13 digits) with the head as member 0. */
enum db_result drafts_create(struct db *db, const char *head_cnic, const char *questionnaire_id,
                             const char *questionnaire_version, time_t now, struct draft_info *out);
/*
 * Starts a draft that updates REGISTRATION_ID: a copy of that registration's
 * answers and members (positions kept), linked to it.
 */
enum db_result drafts_create_update(struct db *db, int64_t registration_id,
                                    const char *questionnaire_id, const char *questionnaire_version,
                                    time_t now, struct draft_info *out);

enum db_result drafts_get(struct db *db, int64_t draft, struct draft_info *out);
/* The most recently updated open draft for CNIC; DB_NOT_FOUND when none. */
enum db_result drafts_find_by_cnic(struct db *db, const char *cnic, struct draft_info *out);
/* NUMBER is 7 digits; a wrong check digit (a typo) is DB_NOT_FOUND, never a lookup. */
enum db_result drafts_find_by_number(struct db *db, const char *number, struct draft_info *out);
/* Open drafts, most recently updated first: up to MAX into OUT, *N set. */
enum db_result drafts_list(struct db *db, struct draft_info *out, size_t max, size_t *n);

/*
 * Stores one answer (NULL or "" removes it) and touches updated_at, in one
 * transaction. MEMBER is ANSWERS_HOUSEHOLD or a member position.
 */
enum db_result drafts_set_answer(struct db *db, int64_t draft, int member, const char *qid,
                                 const char *value, time_t now);

/*
 * Records where the survey stands (AT: up to 31 printable ASCII characters,
 * the flow's own notation; "" for the start), in one transaction. Moving
 * through pages is not an answer: updated_at, and so expiry, is untouched.
 */
enum db_result drafts_set_resume(struct db *db, int64_t draft, const char *at);

/* A new member at the end; its position in *POSITION. */
enum db_result drafts_add_member(struct db *db, int64_t draft, time_t now, int *position);
/* Deletes member POSITION (never the head, position 0) and its answers. */
enum db_result drafts_delete_member(struct db *db, int64_t draft, int position, time_t now);
enum db_result drafts_member_count(struct db *db, int64_t draft, int *n);

/*
 * Loads into A (cleared first): the household answers, the head as member 0
 * and, when POSITION > 0, that member as member 1; *SLOT is set to the
 * index member POSITION has in A (0 for the head). For editing one member
 * and checking it against the head.
 */
enum db_result drafts_load_member(struct db *db, int64_t draft, int position, struct answers *a,
                                  int *slot);
/* Loads everything into A (cleared first), members in position order;
 * POSITIONS (may be NULL) receives each member's position, up to MAXPOS. */
enum db_result drafts_load_all(struct db *db, int64_t draft, struct answers *a, int *positions,
                               size_t maxpos);

/*
 * The roster a page at a time: members with position > AFTER, in order, at
 * most LIMIT. For each, FN gets the position and the values of the COLS
 * question ids (NULL where unanswered). FN returns 0 to go on.
 */
typedef int (*drafts_row_fn)(void *ud, int position, const char *const *values);
enum db_result drafts_roster_page(struct db *db, int64_t draft, int after, int limit,
                                  const char *const *cols, size_t ncols, drafts_row_fn fn,
                                  void *ud);
/* 1-based row of member POSITION in the roster (the head is 1). */
enum db_result drafts_member_rank(struct db *db, int64_t draft, int position, int *rank);
/* Position of the Nth member (0-based, in order); DB_NOT_FOUND past the end. */
enum db_result drafts_member_at(struct db *db, int64_t draft, int n, int *position);

/* Wipes the draft and all its answers. */
enum db_result drafts_delete(struct db *db, int64_t draft);
/*
 * Wipes every draft not updated since NOW - RETENTION_SECONDS; *WIPED (may
 * be NULL) counts them. When it wiped any, it also checkpoints and
 * truncates the write-ahead log, which would otherwise keep the wiped
 * pages' old images until it is recycled (best effort: a reader holding
 * the log only delays that to a later checkpoint).
 */
enum db_result drafts_expire(struct db *db, time_t now, long retention_seconds, int *wiped);

/*
 * Tests only: FN replaces getrandom(2) as the source of draft numbers'
 * random digits (NULL restores it), so a test can force a collision. FN
 * fills BUF with LEN bytes and returns 0, or -1 on failure.
 */
typedef int (*drafts_random_fn)(void *buf, size_t len);
void drafts_set_random_source(drafts_random_fn fn);

#endif

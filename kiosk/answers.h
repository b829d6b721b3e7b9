/*
 * answers.h - one household's survey answers in memory, keyed by question
 * id: the household-level answers and one set per member (member 0 is the
 * head).
 *
 * Every value is UTF-8 text exactly as stored: an option's code for a
 * choice, decimal digits for a number, YYYY-MM-DD for a date, the digits
 * of a CNIC or phone, free text for a name. Rules and the scorer read it;
 * the draft store fills it (one member for a member page, the whole
 * household for review, scoring and commit). It is not where the roster
 * lives while it is edited: that is the draft store's rows.
 *
 * Pure: no I/O. Holds personal data, so every value is wiped when it is
 * replaced, removed, cleared or freed.
 */
#ifndef NSER_ANSWERS_H
#define NSER_ANSWERS_H

#include <stdbool.h>
#include <stddef.h>

#define ANSWERS_HOUSEHOLD (-1) /* the member index of household-level answers */
#define ANSWER_ID_MAX     32   /* question ids: [a-z0-9_], NUL included */
#define ANSWER_VALUE_MAX  256  /* bytes of one value, NUL included */

struct answers;

struct answers *answers_new(void);
void answers_free(struct answers *a);
/* Forgets (and wipes) everything; no members left. */
void answers_clear(struct answers *a);

/* Members are numbered 0..answers_member_count()-1; 0 is the head. */
size_t answers_member_count(const struct answers *a);
/* Appends an empty member; its index, or -1 when out of memory. */
int answers_add_member(struct answers *a);
/* Removes member I; later members move down by one. 0 or -1. */
int answers_remove_member(struct answers *a, size_t i);

/*
 * Sets QID of MEMBER (ANSWERS_HOUSEHOLD or a member index) to VALUE; NULL
 * or "" removes the answer. -1 when MEMBER does not exist, QID is not a
 * valid id, VALUE is too long, or memory runs out.
 */
int answers_set(struct answers *a, int member, const char *qid, const char *value);
/* The answer, or NULL when it was not given. */
const char *answers_get(const struct answers *a, int member, const char *qid);

/* Iteration in insertion order: the Ith answer of MEMBER; false past the end. */
size_t answers_count(const struct answers *a, int member);
bool answers_at(const struct answers *a, int member, size_t i, const char **qid,
                const char **value);

/* True when QID is a valid question id: 1-31 of [a-z0-9_], starting with a letter. */
bool answers_valid_id(const char *qid);

#endif

/*
 * answers_json.h - one household's answers from a JSON file, for auditors
 * and tests (`nser-kiosk score FILE`):
 *
 *   { "questionnaire": "nser-household",             (optional)
 *     "household": { "province": "3", "rooms": 2, ... },
 *     "members": [ { "relation": "head", "age": 40, ... }, ... ] }
 *
 * Values are text, integers or decimals (kept as their decimal text, never
 * with an exponent); null or "" is an unanswered question. Everything else
 * is refused with a message that says where: the file's line and column
 * for a JSON syntax error (as jansson reports them), or the member at
 * fault ("members[3].age: expected text or a number").
 *
 * Knows nothing of the questionnaire: it checks the shape, not the
 * questions. Only answers_json_load does I/O (it reads the one file);
 * never prints, draws or exits.
 */
#ifndef NSER_ANSWERS_JSON_H
#define NSER_ANSWERS_JSON_H

#include <stddef.h>

#include "answers.h"

#define AJ_MEMBERS_MAX       100 /* more is not a household but a mistake */
#define AJ_QUESTIONNAIRE_MAX 32  /* the optional "questionnaire" text, NUL included */

struct answers_json_error {
    char file[128]; /* base name of the file at fault */
    int line;       /* JSON syntax errors only; else 0 */
    int column;
    char reason[256]; /* plain English, naming the member at fault */
};

/*
 * Reads the answers file at PATH into a new answers. QUESTIONNAIRE (may be
 * NULL) receives the optional "questionnaire" text, "" when absent. NULL
 * on any fault, with ERR filled in.
 */
struct answers *answers_json_load(const char *path, char *questionnaire, size_t qsz,
                                  struct answers_json_error *err);
/* The same from memory (tests, fuzzing); NAME names the text in errors. */
struct answers *answers_json_parse(const char *text, size_t len, const char *name,
                                   char *questionnaire, size_t qsz, struct answers_json_error *err);

#endif

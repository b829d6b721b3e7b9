/*
 * score_cmd.h - the `nser-kiosk score FILE` sub-command: scores a
 * household given as a JSON answers file (kiosk/answers_json.h), for
 * auditors and tests.
 *
 *   nser-kiosk score [--json] [--table FILE] [--thresholds FILE]
 *                    [--lang en|ur_Latn] [--today YYYY-MM-DD] ANSWERS.json
 *
 * Prints the provisional total, the table's id and version, one line per
 * indicator (label, answer, points) and each programme's decision with
 * its cut-off; --json prints the same as one JSON object. Exit status:
 * 0 scored; 1 a file is bad (the message names it, with line and column
 * for JSON syntax, or the member at fault), or the household cannot be
 * scored with the table (the message says which indicator and why);
 * 2 wrong usage.
 *
 * Writes only to the two streams it is given; never exits, never reads
 * anything but the files named.
 */
#ifndef NSER_SCORE_CMD_H
#define NSER_SCORE_CMD_H

#include <stdio.h>

struct score_paths {
    const char *table;      /* the score table used without --table */
    const char *thresholds; /* the thresholds used without --thresholds; NULL: none */
};

/* ARGV[0] is "score"; the rest are the sub-command's arguments. */
int score_command(int argc, char **argv, const struct score_paths *paths, FILE *out, FILE *err);

#endif

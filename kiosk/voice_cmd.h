/*
 * voice_cmd.h - the `nser-kiosk voice` sub-command: what a centre needs to
 * record its own prompts, and a way to hear one without a kiosk.
 *
 *   nser-kiosk voice list [--lang L]
 *       every prompt id, whether a recording exists, and the text to say
 *       (tab-separated, one prompt a line)
 *   nser-kiosk voice say ID [--lang L] --out FILE.wav
 *       writes the audio the kiosk would play for ID: the recording when
 *       there is a valid one, else the synthesis
 *
 * Exit status: 0 done; 1 the audio could not be made or written; 2 wrong
 * usage or an unknown prompt id or language. Writes only to the two streams
 * it is given (and FILE.wav); never exits.
 */
#ifndef NSER_VOICE_CMD_H
#define NSER_VOICE_CMD_H

#include <stdio.h>

#include "config.h"
#include "questionnaire.h"

/* ARGV[0] is "voice". Q (may be NULL: no question prompts) and CFG are
 * borrowed. Switches the language to the one asked for. */
int voice_command(int argc, char **argv, const struct config *cfg, const struct questionnaire *q,
                  FILE *out, FILE *err);

#endif

/*
 * voice_player.h - speaking prompts: the recording when a centre made one,
 * else espeak-ng's synthesis, played without blocking the event loop.
 *
 * One worker thread renders and plays; the loop's thread only hands it a
 * prompt (id and text, already in the right language) and reads what
 * happened from a pipe, which it logs: the worker never logs, never draws
 * and never calls gettext. A new prompt or voice_player_stop() cuts the
 * one playing short. No sound device is logged once and then the kiosk
 * stays silent. Texts are never logged, only prompt ids.
 */
#ifndef NSER_VOICE_PLAYER_H
#define NSER_VOICE_PLAYER_H

#include <stddef.h>

#include "config.h"
#include "loop.h"
#include "wav.h"

struct voice_player;

/* The recordings' folder: voice_dir when set, else the shipped data/voice
 * (datafiles.h). Returns 0, or -1 when none was found (OUT names the
 * expected place: no recording is then ever found, synthesis is used). */
int voice_dir_path(const struct config *cfg, char *out, size_t outsz);

/* Starts the worker. DIR: the recordings' folder (copied). NULL with the
 * reason when the thread or pipe cannot be had. Only one player at a time
 * (voice_repeat() speaks through it). */
struct voice_player *voice_player_new(struct loop *loop, const char *dir, char *err, size_t errsz);
void voice_player_free(struct voice_player *p);

/* Interrupts whatever is playing and speaks prompt ID with TEXT in LANG
 * ("en", "ur_Latn", "ur"). It becomes the prompt voice_repeat() says again. */
void voice_player_say(struct voice_player *p, const char *lang, const char *id, const char *text);
/* A message (a notice): spoken like a prompt, but the page's prompt stays
 * the one repeated. */
void voice_player_say_once(struct voice_player *p, const char *lang, const char *id,
                           const char *text);
/* Stops the sound at once (the screen changed, the session ended). */
void voice_player_stop(struct voice_player *p);

/* How many prompts were cut short, and the id of the last one (tests). */
unsigned voice_player_interrupted(const struct voice_player *p, char *last_id, size_t idsz);

/*
 * The help / repeat key (`*` on every applicant screen): says the page's
 * current prompt again. Does nothing when voice is off or no player runs.
 */
void voice_repeat(void);

/*
 * The audio for prompt ID in LANG, as the player would play it: DIR/LANG/
 * ID.wav when it is a valid recording, else TEXT synthesised. *RECORDED
 * tells which; a refused recording's reason is put in NOTE ("" if none).
 * 0, or -1 with the reason in ERR. Safe to call from any one thread at a
 * time (espeak-ng is used under a lock).
 */
int voice_render(const char *dir, const char *lang, const char *id, const char *text,
                 struct wav_audio *out, int *recorded, char *note, size_t notesz, char *err,
                 size_t errsz);

/* DIR/LANG/ID.wav into OUT; -1 when ID or LANG is not a plain name. */
int voice_recording_path(const char *dir, const char *lang, const char *id, char *out,
                         size_t outsz);

#endif

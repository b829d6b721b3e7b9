/*
 * audio.h - the sound output the spoken prompts play through (ALSA).
 *
 * Blocking calls, made only from the voice player's worker thread, in
 * short chunks so a page change stops the sound within a chunk. No sound
 * card is an ordinary outcome (audio_open returns NULL with the reason),
 * never a crash or a message on the terminal: ALSA's own error printing is
 * switched off, since it would write over the kiosk's screen. Never touches
 * ncurses or the log.
 *
 * NSER_VOICE_SINK picks a test sink instead of ALSA: "null" plays nothing
 * at once, "hold" keeps playing (silently) until stopped - the way a test
 * sees a prompt interrupted without depending on time - and "none" behaves
 * as a machine with no sound card.
 */
#ifndef NSER_AUDIO_H
#define NSER_AUDIO_H

#include <stddef.h>
#include <stdint.h>

struct audio_out;

/* Tells the blocking calls to give up: true once the sound must stop. */
typedef int (*audio_stop_cb)(void *ud);

/* Opens the output for 16-bit mono at RATE Hz. NULL with the reason. */
struct audio_out *audio_open(unsigned rate, char *err, size_t errsz);
/* Plays N samples (blocks for about their length). 0, or -1 with the reason. */
int audio_write(struct audio_out *o, const int16_t *s, size_t n, char *err, size_t errsz);
/* Waits until what was written has been heard, or STOP says to stop (then
 * the rest is dropped). 0 when heard, 1 when stopped. */
int audio_drain(struct audio_out *o, audio_stop_cb stop, void *ud);
void audio_close(struct audio_out *o);

#endif

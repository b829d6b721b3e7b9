/*
 * wav.h - RIFF/WAVE PCM files: the recorded prompts a centre puts in
 * data/voice/<lang>/, and the files `nser-kiosk voice say` writes.
 *
 * A recording comes from outside the program: every chunk length is
 * checked against the bytes actually there before it is used, and
 * anything but plain integer PCM (8 or 16 bits, mono or stereo, 8-48 kHz)
 * is refused with a reason, so the caller can fall back to synthesis.
 * Never prints, never logs.
 */
#ifndef NSER_WAV_H
#define NSER_WAV_H

#include <stddef.h>
#include <stdint.h>

/* Longest recording taken: a prompt, not an audiobook. */
#define WAV_MAX_BYTES (16u * 1024 * 1024)

/* Audio as the player takes it: 16-bit signed mono samples. */
struct wav_audio {
    int16_t *samples; /* malloc'd; wav_audio_free() */
    size_t n;
    unsigned rate; /* samples per second */
};

/*
 * Parses the LEN bytes of a WAV file into OUT (stereo is mixed down, 8-bit
 * widened). 0, or -1 with the reason in ERR (and OUT empty).
 */
int wav_parse(const uint8_t *data, size_t len, struct wav_audio *out, char *err, size_t errsz);

/* Reads and parses PATH (at most WAV_MAX_BYTES). 0, or -1 with the reason. */
int wav_read(const char *path, struct wav_audio *out, char *err, size_t errsz);

/* Writes A to PATH as a 16-bit mono PCM WAV. 0, or -1 with the reason. */
int wav_write(const char *path, const struct wav_audio *a, char *err, size_t errsz);

void wav_audio_free(struct wav_audio *a);

#endif

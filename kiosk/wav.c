/*
 * wav.c - reading and writing RIFF/WAVE PCM.
 *
 * Reads are bounds-checked chunk by chunk (a recording is outside input);
 * little-endian fields are assembled byte by byte so the code does not
 * depend on the host's byte order or on alignment. Never prints.
 */
#include "wav.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atomic_file.h"

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint16_t le16(const uint8_t *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

static int fail(char *err, size_t errsz, const char *why)
{
    snprintf(err, errsz, "%s", why);
    return -1;
}

void wav_audio_free(struct wav_audio *a)
{
    if (!a)
        return;
    free(a->samples);
    a->samples = NULL;
    a->n = 0;
}

int wav_parse(const uint8_t *data, size_t len, struct wav_audio *out, char *err, size_t errsz)
{
    memset(out, 0, sizeof *out);
    if (len < 12 || memcmp(data, "RIFF", 4) != 0 || memcmp(data + 8, "WAVE", 4) != 0)
        return fail(err, errsz, "not a RIFF/WAVE file");
    const uint8_t *fmt = NULL, *pcm = NULL;
    size_t pcm_len = 0;
    size_t pos = 12;
    while (pos + 8 <= len) {
        uint32_t clen = le32(data + pos + 4);
        const uint8_t *body = data + pos + 8;
        size_t avail = len - pos - 8;
        if (memcmp(data + pos, "fmt ", 4) == 0) {
            if (clen < 16 || clen > avail)
                return fail(err, errsz, "the format chunk is cut short");
            fmt = body;
        } else if (memcmp(data + pos, "data", 4) == 0) {
            /* Some recorders write a data length past the end (streamed
             * files): take what is there. */
            pcm = body;
            pcm_len = clen < avail ? clen : avail;
            break;
        }
        if (clen > avail)
            return fail(err, errsz, "a chunk runs past the end of the file");
        pos += 8 + (size_t)clen + (clen & 1u);
    }
    if (!fmt)
        return fail(err, errsz, "no format chunk");
    if (!pcm)
        return fail(err, errsz, "no data chunk");
    unsigned tag = le16(fmt), channels = le16(fmt + 2), bits = le16(fmt + 14);
    uint32_t rate = le32(fmt + 4);
    if (tag != 1)
        return fail(err, errsz, "not plain PCM (compressed or floating point)");
    if (channels < 1 || channels > 2)
        return fail(err, errsz, "only mono or stereo recordings are taken");
    if (bits != 8 && bits != 16)
        return fail(err, errsz, "only 8- or 16-bit samples are taken");
    if (rate < 8000 || rate > 48000)
        return fail(err, errsz, "the sample rate is not between 8000 and 48000 Hz");
    size_t frame = channels * (bits / 8u);
    size_t n = pcm_len / frame;
    if (n == 0)
        return fail(err, errsz, "the recording holds no sound");
    int16_t *s = malloc(n * sizeof *s);
    if (!s)
        return fail(err, errsz, "out of memory");
    for (size_t i = 0; i < n; i++) {
        const uint8_t *f = pcm + i * frame;
        int32_t sum = 0;
        for (unsigned c = 0; c < channels; c++)
            sum += bits == 16 ? (int16_t)le16(f + 2 * c) : ((int32_t)f[c] - 128) * 256;
        s[i] = (int16_t)(sum / (int32_t)channels);
    }
    out->samples = s;
    out->n = n;
    out->rate = rate;
    return 0;
}

int wav_read(const char *path, struct wav_audio *out, char *err, size_t errsz)
{
    uint8_t *data = NULL;
    size_t len = 0;
    memset(out, 0, sizeof *out);
    if (read_whole_file(path, WAV_MAX_BYTES, &data, &len, err, errsz) != 0)
        return -1;
    int rc = wav_parse(data, len, out, err, errsz);
    free(data);
    return rc;
}

static void put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

int wav_write(const char *path, const struct wav_audio *a, char *err, size_t errsz)
{
    if (a->n > (WAV_MAX_BYTES - 44) / 2)
        return fail(err, errsz, "the audio is too long");
    uint8_t h[44];
    uint32_t bytes = (uint32_t)(a->n * 2);
    memcpy(h, "RIFF", 4);
    put32(h + 4, 36 + bytes);
    memcpy(h + 8, "WAVEfmt ", 8);
    put32(h + 16, 16);
    put16(h + 20, 1);
    put16(h + 22, 1);
    put32(h + 24, a->rate);
    put32(h + 28, a->rate * 2);
    put16(h + 32, 2);
    put16(h + 34, 16);
    memcpy(h + 36, "data", 4);
    put32(h + 40, bytes);
    FILE *f = fopen(path, "wb");
    if (!f) {
        snprintf(err, errsz, "cannot write %s: %s", path, strerror(errno));
        return -1;
    }
    int ok = fwrite(h, 1, sizeof h, f) == sizeof h;
    for (size_t i = 0; ok && i < a->n; i++) {
        uint8_t b[2];
        put16(b, (uint16_t)a->samples[i]);
        ok = fwrite(b, 1, 2, f) == 2;
    }
    if (fclose(f) != 0)
        ok = 0;
    if (!ok) {
        snprintf(err, errsz, "cannot write %s: %s", path, strerror(errno));
        return -1;
    }
    return 0;
}

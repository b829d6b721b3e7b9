/*
 * audio.c - PCM output through ALSA's "default" device, or a test sink.
 *
 * Drain is polled (the delay still queued, a few milliseconds at a time)
 * rather than snd_pcm_drain(), which cannot be interrupted: a page change
 * must cut the prompt short. Never prints: ALSA's error handler is
 * replaced by a silent one before the first open.
 */
#include "audio.h"

#include <alsa/asoundlib.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum sink { SINK_ALSA, SINK_NULL, SINK_HOLD };

struct audio_out {
    enum sink sink;
    snd_pcm_t *pcm;
    unsigned rate;
};

static void quiet_alsa(const char *file, int line, const char *function, int err, const char *fmt,
                       ...)
{
    (void)file;
    (void)line;
    (void)function;
    (void)err;
    (void)fmt;
}

static void nap_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

struct audio_out *audio_open(unsigned rate, char *err, size_t errsz)
{
    const char *sink = getenv("NSER_VOICE_SINK");
    enum sink kind = SINK_ALSA;
    if (sink && strcmp(sink, "none") == 0) {
        snprintf(err, errsz, "no sound output (NSER_VOICE_SINK=none)");
        return NULL;
    }
    if (sink && strcmp(sink, "null") == 0)
        kind = SINK_NULL;
    else if (sink && strcmp(sink, "hold") == 0)
        kind = SINK_HOLD;
    struct audio_out *o = calloc(1, sizeof *o);
    if (!o) {
        snprintf(err, errsz, "out of memory");
        return NULL;
    }
    o->sink = kind;
    o->rate = rate;
    if (kind != SINK_ALSA)
        return o;
    snd_lib_error_set_handler(quiet_alsa);
    int rc = snd_pcm_open(&o->pcm, "default", SND_PCM_STREAM_PLAYBACK, 0);
    if (rc == 0)
        rc = snd_pcm_set_params(o->pcm, SND_PCM_FORMAT_S16, SND_PCM_ACCESS_RW_INTERLEAVED, 1, rate,
                                1, 200000);
    if (rc < 0) {
        snprintf(err, errsz, "no sound device: %s", snd_strerror(rc));
        if (o->pcm)
            snd_pcm_close(o->pcm);
        free(o);
        return NULL;
    }
    return o;
}

int audio_write(struct audio_out *o, const int16_t *s, size_t n, char *err, size_t errsz)
{
    if (o->sink != SINK_ALSA)
        return 0;
    while (n > 0) {
        snd_pcm_sframes_t w = snd_pcm_writei(o->pcm, s, n);
        if (w < 0)
            w = snd_pcm_recover(o->pcm, (int)w, 1);
        if (w < 0) {
            snprintf(err, errsz, "sound output failed: %s", snd_strerror((int)w));
            return -1;
        }
        s += w;
        n -= (size_t)w;
    }
    return 0;
}

int audio_drain(struct audio_out *o, audio_stop_cb stop, void *ud)
{
    for (;;) {
        if (stop(ud)) {
            if (o->sink == SINK_ALSA)
                snd_pcm_drop(o->pcm);
            return 1;
        }
        if (o->sink == SINK_NULL)
            return 0;
        if (o->sink == SINK_ALSA) {
            snd_pcm_sframes_t delay = 0;
            if (snd_pcm_delay(o->pcm, &delay) < 0 || delay <= 0 ||
                snd_pcm_state(o->pcm) != SND_PCM_STATE_RUNNING)
                return 0;
        }
        nap_ms(10);
    }
}

void audio_close(struct audio_out *o)
{
    if (!o)
        return;
    if (o->pcm)
        snd_pcm_close(o->pcm);
    free(o);
}

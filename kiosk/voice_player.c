/*
 * voice_player.c - the worker thread that renders and plays prompts.
 *
 * Hand-off: the loop's thread puts one request in a slot under a mutex
 * and bumps a generation counter; the worker takes the newest request, and
 * every blocking step (synthesis, each chunk of sound, the drain) checks
 * the generation, so a newer request or a stop cuts the old one short.
 * What happened goes back as fixed-size records on a pipe (each smaller
 * than PIPE_BUF, so written whole) that the loop's thread reads and logs.
 * espeak-ng is process-global and not thread-safe: every use is under
 * espeak_lock.
 */
#include "voice_player.h"

#include <errno.h>
#include <espeak-ng/speak_lib.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../drivers/audio.h"
#include "datafiles.h"
#include "log.h"

#define ID_MAX      96
#define TEXT_MAX    4096
#define LANG_MAX    16
#define CHUNK       2048 /* samples written at a time: ~0.1 s at 22 kHz */
#define SYNTH_MAX_S 90   /* longer synthesis is cut: a prompt, not a lecture */
#define SPEECH_RATE 150  /* words per minute: slower than espeak's 175 */

enum event_kind { EV_SPEAKING, EV_DONE, EV_INTERRUPTED, EV_NO_DEVICE, EV_FAILED, EV_BAD_RECORDING };

struct event {
    int kind;
    int recorded;
    char id[ID_MAX];
    char note[160];
};

struct request {
    unsigned gen;
    char lang[LANG_MAX];
    char id[ID_MAX];
    char text[TEXT_MAX];
};

struct voice_player {
    struct loop *loop;
    char dir[CONFIG_PATH_MAX];
    int pipe_rd, pipe_wr;
    pthread_t thread;
    bool started;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    struct request pending; /* under lock */
    bool has_pending;       /* under lock */
    bool quit;              /* under lock */
    atomic_uint gen;        /* bumped by every say and stop */
    /* The loop's thread only. */
    struct request page; /* what voice_repeat() says */
    bool has_page;
    bool no_device_logged;
    bool speaking;
    char speaking_id[ID_MAX];
    unsigned interrupted;
    char interrupted_id[ID_MAX];
};

static struct voice_player *active;

static pthread_mutex_t espeak_lock = PTHREAD_MUTEX_INITIALIZER;
static int espeak_rate; /* 0: not initialised, -1: failed */
struct synth_buf;
/* Under espeak_lock: where synth_cb puts the samples (espeak's events do
 * not come with every chunk, so the user data cannot be relied on). */
static struct synth_buf *synth_target;

int voice_dir_path(const struct config *cfg, char *out, size_t outsz)
{
    return datafiles_path(cfg->voice_dir, "voice", out, outsz);
}

static bool plain_name(const char *s)
{
    if (!s[0] || s[0] == '.')
        return false;
    for (const char *c = s; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
              *c == '.' || *c == '_' || *c == '-'))
            return false;
    return true;
}

int voice_recording_path(const char *dir, const char *lang, const char *id, char *out, size_t outsz)
{
    if (!plain_name(lang) || !plain_name(id))
        return -1;
    int n = snprintf(out, outsz, "%s/%s/%s.wav", dir, lang, id);
    return n < 0 || (size_t)n >= outsz ? -1 : 0;
}

/* --- synthesis --- */

struct synth_buf {
    struct wav_audio *a;
    size_t cap;
    bool oom;
    struct voice_player *p; /* NULL: never interrupted (voice say) */
    unsigned gen;
};

static int synth_cb(short *wav, int n, espeak_EVENT *ev)
{
    (void)ev;
    struct synth_buf *b = synth_target;
    if (!b)
        return 0;
    if (b->p && atomic_load(&b->p->gen) != b->gen)
        return 1; /* a newer prompt: stop synthesising this one */
    if (!wav || n <= 0)
        return 0;
    size_t max = (size_t)espeak_rate * SYNTH_MAX_S;
    if (b->a->n + (size_t)n > max)
        return 1;
    if (b->a->n + (size_t)n > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 65536;
        while (cap < b->a->n + (size_t)n)
            cap *= 2;
        int16_t *s = realloc(b->a->samples, cap * sizeof *s);
        if (!s) {
            b->oom = true;
            return 1;
        }
        b->a->samples = s;
        b->cap = cap;
    }
    memcpy(b->a->samples + b->a->n, wav, (size_t)n * sizeof *wav);
    b->a->n += (size_t)n;
    return 0;
}

/* Under espeak_lock. */
static int espeak_ready(char *err, size_t errsz)
{
    if (espeak_rate == 0) {
        int rate = espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, NULL, espeakINITIALIZE_DONT_EXIT);
        espeak_rate = rate > 0 ? rate : -1;
        if (rate > 0)
            espeak_SetSynthCallback(synth_cb);
    }
    if (espeak_rate < 0) {
        snprintf(err, errsz, "espeak-ng cannot start (is espeak-ng-data installed?)");
        return -1;
    }
    return 0;
}

static int synthesise(struct voice_player *p, unsigned gen, const char *lang, const char *text,
                      struct wav_audio *out, char *err, size_t errsz)
{
    memset(out, 0, sizeof *out);
    pthread_mutex_lock(&espeak_lock);
    if (espeak_ready(err, errsz) != 0) {
        pthread_mutex_unlock(&espeak_lock);
        return -1;
    }
    /* Urdu in either script goes to espeak's Urdu voice; the rest to English. */
    const char *voice = strncmp(lang, "ur", 2) == 0 ? "ur" : "en";
    if (espeak_SetVoiceByName(voice) != EE_OK) {
        pthread_mutex_unlock(&espeak_lock);
        snprintf(err, errsz, "espeak-ng has no voice '%s'", voice);
        return -1;
    }
    espeak_SetParameter(espeakRATE, SPEECH_RATE, 0);
    struct synth_buf b = {out, 0, false, p, gen};
    out->rate = (unsigned)espeak_rate;
    synth_target = &b;
    espeak_ERROR rc =
        espeak_Synth(text, strlen(text) + 1, 0, POS_CHARACTER, 0, espeakCHARS_UTF8, NULL, NULL);
    synth_target = NULL;
    pthread_mutex_unlock(&espeak_lock);
    if (rc != EE_OK || b.oom) {
        wav_audio_free(out);
        snprintf(err, errsz, b.oom ? "out of memory" : "espeak-ng could not synthesise");
        return -1;
    }
    return 0;
}

static int render(struct voice_player *p, unsigned gen, const char *dir, const char *lang,
                  const char *id, const char *text, struct wav_audio *out, int *recorded,
                  char *note, size_t notesz, char *err, size_t errsz)
{
    char path[CONFIG_PATH_MAX + 2 * ID_MAX];
    *recorded = 0;
    note[0] = '\0';
    if (dir && dir[0] && voice_recording_path(dir, lang, id, path, sizeof path) == 0 &&
        access(path, F_OK) == 0) {
        char why[160];
        if (wav_read(path, out, why, sizeof why) == 0) {
            *recorded = 1;
            return 0;
        }
        snprintf(note, notesz, "recording %s/%s.wav refused (%s): synthesised instead", lang, id,
                 why);
    }
    return synthesise(p, gen, lang, text, out, err, errsz);
}

int voice_render(const char *dir, const char *lang, const char *id, const char *text,
                 struct wav_audio *out, int *recorded, char *note, size_t notesz, char *err,
                 size_t errsz)
{
    return render(NULL, 0, dir, lang, id, text, out, recorded, note, notesz, err, errsz);
}

/* --- the worker --- */

struct stop_ud {
    struct voice_player *p;
    unsigned gen;
};

static int should_stop(void *ud)
{
    struct stop_ud *s = ud;
    return atomic_load(&s->p->gen) != s->gen;
}

static void post(struct voice_player *p, int kind, const char *id, int recorded, const char *note)
{
    struct event ev;
    memset(&ev, 0, sizeof ev);
    ev.kind = kind;
    ev.recorded = recorded;
    snprintf(ev.id, sizeof ev.id, "%s", id);
    snprintf(ev.note, sizeof ev.note, "%s", note ? note : "");
    /* The pipe is non-blocking: when the loop is far behind, events are
     * dropped rather than the worker stalling. */
    ssize_t w = write(p->pipe_wr, &ev, sizeof ev);
    (void)w;
}

static void speak(struct voice_player *p, const struct request *r)
{
    char err[200], note[160];
    struct stop_ud stop = {p, r->gen};
    /* The device first: with no sound card nothing is synthesised at all. */
    struct audio_out *o = audio_open(22050, err, sizeof err);
    if (!o) {
        post(p, EV_NO_DEVICE, r->id, 0, err);
        return;
    }
    struct wav_audio a;
    int recorded = 0;
    if (render(p, r->gen, p->dir, r->lang, r->id, r->text, &a, &recorded, note, sizeof note, err,
               sizeof err) != 0) {
        audio_close(o);
        if (should_stop(&stop))
            post(p, EV_INTERRUPTED, r->id, 0, NULL);
        else
            post(p, EV_FAILED, r->id, 0, err);
        return;
    }
    if (note[0])
        post(p, EV_BAD_RECORDING, r->id, 0, note);
    if (a.rate != 22050) {
        audio_close(o);
        o = audio_open(a.rate, err, sizeof err);
        if (!o) {
            wav_audio_free(&a);
            post(p, EV_NO_DEVICE, r->id, 0, err);
            return;
        }
    }
    post(p, EV_SPEAKING, r->id, recorded, NULL);
    int stopped = 0;
    for (size_t i = 0; i < a.n && !stopped; i += CHUNK) {
        if (should_stop(&stop)) {
            stopped = 1;
            break;
        }
        size_t n = a.n - i < CHUNK ? a.n - i : CHUNK;
        if (audio_write(o, a.samples + i, n, err, sizeof err) != 0) {
            wav_audio_free(&a);
            audio_close(o);
            post(p, EV_FAILED, r->id, recorded, err);
            return;
        }
    }
    if (!stopped)
        stopped = audio_drain(o, should_stop, &stop) == 1;
    audio_close(o);
    wav_audio_free(&a);
    post(p, stopped ? EV_INTERRUPTED : EV_DONE, r->id, recorded, NULL);
}

static void *worker(void *arg)
{
    struct voice_player *p = arg;
    struct request *r = malloc(sizeof *r);
    pthread_mutex_lock(&p->lock);
    while (!p->quit) {
        if (!p->has_pending) {
            pthread_cond_wait(&p->wake, &p->lock);
            continue;
        }
        p->has_pending = false;
        if (r)
            *r = p->pending;
        pthread_mutex_unlock(&p->lock);
        if (r)
            speak(p, r);
        pthread_mutex_lock(&p->lock);
    }
    pthread_mutex_unlock(&p->lock);
    free(r);
    return NULL;
}

/* --- the loop's side --- */

static void on_event(int fd, short revents, void *ud)
{
    (void)revents;
    struct voice_player *p = ud;
    struct event ev;
    while (read(fd, &ev, sizeof ev) == (ssize_t)sizeof ev) {
        ev.id[sizeof ev.id - 1] = '\0';
        ev.note[sizeof ev.note - 1] = '\0';
        switch (ev.kind) {
        case EV_SPEAKING:
            p->speaking = true;
            snprintf(p->speaking_id, sizeof p->speaking_id, "%s", ev.id);
            log_msg(LOG_DEBUG, "voice: speaking %s (%s)", ev.id,
                    ev.recorded ? "recording" : "synthesis");
            break;
        case EV_DONE:
            p->speaking = false;
            log_msg(LOG_DEBUG, "voice: %s done", ev.id);
            break;
        case EV_INTERRUPTED:
            p->speaking = false;
            p->interrupted++;
            snprintf(p->interrupted_id, sizeof p->interrupted_id, "%s", ev.id);
            log_msg(LOG_INFO, "voice: %s interrupted", ev.id);
            break;
        case EV_NO_DEVICE:
            if (!p->no_device_logged)
                log_msg(LOG_WARN, "voice: %s; prompts stay silent", ev.note);
            p->no_device_logged = true;
            break;
        case EV_BAD_RECORDING:
            log_msg(LOG_WARN, "voice: %s", ev.note);
            break;
        default:
            log_msg(LOG_ERROR, "voice: %s not spoken: %s", ev.id, ev.note);
        }
    }
}

struct voice_player *voice_player_new(struct loop *loop, const char *dir, char *err, size_t errsz)
{
    struct voice_player *p = calloc(1, sizeof *p);
    int fds[2];
    if (!p || pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0) {
        snprintf(err, errsz, "voice: %s", strerror(errno));
        free(p);
        return NULL;
    }
    p->loop = loop;
    snprintf(p->dir, sizeof p->dir, "%s", dir ? dir : "");
    p->pipe_rd = fds[0];
    p->pipe_wr = fds[1];
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->wake, NULL);
    atomic_init(&p->gen, 0);
    if (pthread_create(&p->thread, NULL, worker, p) != 0) {
        snprintf(err, errsz, "voice: cannot start the worker thread");
        voice_player_free(p);
        return NULL;
    }
    p->started = true;
    if (loop && loop_add_fd(loop, p->pipe_rd, POLLIN, on_event, p) != 0) {
        snprintf(err, errsz, "voice: the event loop is full");
        voice_player_free(p);
        return NULL;
    }
    active = p;
    return p;
}

void voice_player_free(struct voice_player *p)
{
    if (!p)
        return;
    if (active == p)
        active = NULL;
    if (p->started) {
        pthread_mutex_lock(&p->lock);
        p->quit = true;
        atomic_fetch_add(&p->gen, 1);
        pthread_cond_signal(&p->wake);
        pthread_mutex_unlock(&p->lock);
        pthread_join(p->thread, NULL);
    }
    if (p->loop)
        loop_remove_fd(p->loop, p->pipe_rd);
    on_event(p->pipe_rd, POLLIN, p); /* what the worker said last reaches the log */
    close(p->pipe_rd);
    close(p->pipe_wr);
    pthread_cond_destroy(&p->wake);
    pthread_mutex_destroy(&p->lock);
    free(p);
}

static void hand_over(struct voice_player *p, const char *lang, const char *id, const char *text)
{
    pthread_mutex_lock(&p->lock);
    p->pending.gen = atomic_fetch_add(&p->gen, 1) + 1;
    snprintf(p->pending.lang, sizeof p->pending.lang, "%s", lang);
    snprintf(p->pending.id, sizeof p->pending.id, "%s", id);
    snprintf(p->pending.text, sizeof p->pending.text, "%s", text);
    p->has_pending = true;
    pthread_cond_signal(&p->wake);
    pthread_mutex_unlock(&p->lock);
}

void voice_player_say_once(struct voice_player *p, const char *lang, const char *id,
                           const char *text)
{
    if (p)
        hand_over(p, lang, id, text);
}

void voice_player_say(struct voice_player *p, const char *lang, const char *id, const char *text)
{
    if (!p)
        return;
    snprintf(p->page.lang, sizeof p->page.lang, "%s", lang);
    snprintf(p->page.id, sizeof p->page.id, "%s", id);
    snprintf(p->page.text, sizeof p->page.text, "%s", text);
    p->has_page = true;
    hand_over(p, lang, id, text);
}

void voice_player_stop(struct voice_player *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->lock);
    p->has_pending = false;
    atomic_fetch_add(&p->gen, 1);
    pthread_mutex_unlock(&p->lock);
}

unsigned voice_player_interrupted(const struct voice_player *p, char *last_id, size_t idsz)
{
    if (last_id && idsz)
        snprintf(last_id, idsz, "%s", p->interrupted_id);
    return p->interrupted;
}

void voice_repeat(void)
{
    struct voice_player *p = active;
    if (!p || !p->has_page)
        return;
    log_msg(LOG_DEBUG, "voice: repeat %s", p->page.id);
    hand_over(p, p->page.lang, p->page.id, p->page.text);
}

/*
 * voice_cmd.c - `nser-kiosk voice list` and `voice say`.
 *
 * Runs on the main thread with no event loop: rendering is synchronous
 * (voice_render). A refused recording is reported on ERR, as the kiosk
 * would log it, and synthesis is used instead. Never exits.
 */
#include "voice_cmd.h"

#include <string.h>
#include <unistd.h>

#include "i18n.h"
#include "voice.h"
#include "voice_player.h"

static int usage(FILE *err)
{
    fprintf(err, _("Usage: nser-kiosk voice list [--lang L]\n"
                   "       nser-kiosk voice say ID [--lang L] --out FILE.wav\n"));
    return 2;
}

static int cmd_list(const char *dir, const struct config *cfg, const struct questionnaire *q,
                    FILE *out)
{
    struct voice_prompt pr;
    size_t n = voice_prompt_count(q);
    for (size_t i = 0; i < n; i++) {
        if (voice_prompt_at(q, cfg, i, &pr) != 0)
            continue;
        char path[CONFIG_PATH_MAX + 128];
        bool rec = voice_recording_path(dir, i18n_language(), pr.id, path, sizeof path) == 0 &&
                   access(path, R_OK) == 0;
        /* TRANSLATORS: voice list: whether a recorded prompt exists. */
        fprintf(out, "%s\t%s\t%s\n", pr.id, rec ? _("recorded") : "-", pr.text);
    }
    return 0;
}

static int cmd_say(const char *dir, const struct config *cfg, const struct questionnaire *q,
                   const char *id, const char *wav, FILE *out, FILE *err)
{
    struct voice_prompt pr;
    if (voice_prompt_find(q, cfg, id, &pr) != 0) {
        fprintf(err, _("nser-kiosk: no prompt has the id '%s' (see nser-kiosk voice list)\n"), id);
        return 2;
    }
    struct wav_audio a;
    int recorded = 0;
    char note[200], why[200];
    if (voice_render(dir, i18n_language(), pr.id, pr.text, &a, &recorded, note, sizeof note, why,
                     sizeof why) != 0) {
        fprintf(err, _("nser-kiosk: cannot make the audio for %s: %s\n"), id, why);
        return 1;
    }
    if (note[0])
        fprintf(err, "nser-kiosk: %s\n", note);
    int rc = wav_write(wav, &a, why, sizeof why);
    if (rc != 0)
        fprintf(err, "nser-kiosk: %s\n", why);
    else
        /* TRANSLATORS: voice say: prompt id, "recording" or "synthesis", seconds. */
        fprintf(out, _("%s: %s, %.2f s\n"), id, recorded ? _("recording") : _("synthesis"),
                a.rate ? (double)a.n / a.rate : 0.0);
    wav_audio_free(&a);
    return rc == 0 ? 0 : 1;
}

int voice_command(int argc, char **argv, const struct config *cfg, const struct questionnaire *q,
                  FILE *out, FILE *err)
{
    const char *lang = NULL, *wav = NULL, *args[2] = {NULL, NULL};
    int nargs = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--lang") == 0 || strcmp(argv[i], "--out") == 0) {
            if (i + 1 >= argc)
                return usage(err);
            const char **slot = argv[i][2] == 'l' ? &lang : &wav;
            *slot = argv[i + 1];
            i++;
        } else if (nargs < 2 && argv[i][0] != '-') {
            args[nargs++] = argv[i];
        } else {
            return usage(err);
        }
    }
    if (lang && !i18n_language_known(lang)) {
        fprintf(err, _("nser-kiosk: unknown language '%s'\n"), lang);
        return 2;
    }
    if (lang)
        i18n_set_language(lang);
    char dir[CONFIG_PATH_MAX];
    if (voice_dir_path(cfg, dir, sizeof dir) != 0)
        dir[0] = '\0'; /* no recordings anywhere: everything is synthesised */
    if (nargs == 1 && strcmp(args[0], "list") == 0 && !wav)
        return cmd_list(dir, cfg, q, out);
    if (nargs == 2 && strcmp(args[0], "say") == 0 && wav)
        return cmd_say(dir, cfg, q, args[1], wav, out, err);
    return usage(err);
}

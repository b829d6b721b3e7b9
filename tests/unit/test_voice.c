/*
 * test_voice.c - the spoken prompts' catalogue and the WAV reader.
 *
 * Walks every flow page (each is spoken or on the clerk-only list below),
 * every survey question, every status, and every message the applicant
 * side of the code can return (read from po/nser-kiosk.pot, so a new
 * message without a prompt fails here), in every language with a catalog.
 * The WAV reader gets good, odd and broken files.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "kiosk/config.h"
#include "kiosk/i18n.h"
#include "kiosk/questionnaire.h"
#include "kiosk/status.h"
#include "kiosk/voice.h"
#include "kiosk/wav.h"

/* Pages only a clerk or supervisor sees: no prompt. Every other page must
 * have one. */
static const enum flow_page clerk_pages[] = {
    PAGE_REG_SCORE, PAGE_CLERK_DRAFTS, PAGE_CLERK_UPDATE, PAGE_SYNC,  PAGE_LOGIN,
    PAGE_TODAY,     PAGE_REPRINT,      PAGE_ACCOUNTS,     PAGE_AUDIT, PAGE_FINGER_EXCEPTION,
};

/* The files whose messages can reach an applicant. */
static const char *const applicant_sources[] = {
    "kiosk/flow.c",          "kiosk/flow_survey.c",  "kiosk/flow_devices.c", "kiosk/flow_sync.c",
    "kiosk/status.c",        "kiosk/status_query.c", "kiosk/cnic.c",         "kiosk/tracking.c",
    "kiosk/questionnaire.c", "kiosk/flow_finger.c",
};

static const char *langs[3];
static size_t n_langs;

static int group_setup(void **state)
{
    (void)state;
    setenv("NSER_LOCALEDIR", "build/asan/locale", 0);
    i18n_init();
    langs[n_langs++] = "en";
    static const char *const others[] = {"ur_Latn", "ur"};
    for (size_t i = 0; i < 2; i++) {
        char mo[256];
        snprintf(mo, sizeof mo, "%s/%s/LC_MESSAGES/nser-kiosk.mo", getenv("NSER_LOCALEDIR"),
                 others[i]);
        if (i18n_language_known(others[i]) && access(mo, R_OK) == 0)
            langs[n_langs++] = others[i];
    }
    return 0;
}

static struct questionnaire *load_q(void)
{
    struct q_error qe;
    struct questionnaire *q = questionnaire_load("data/questionnaire.txt", &qe);
    assert_non_null(q);
    return q;
}

static bool is_clerk_page(int p)
{
    for (size_t i = 0; i < sizeof clerk_pages / sizeof clerk_pages[0]; i++)
        if ((int)clerk_pages[i] == p)
            return true;
    return false;
}

static void test_every_page_spoken(void **state)
{
    (void)state;
    for (int p = 0; p < PAGE_COUNT; p++) {
        if (voice_page_spoken((enum flow_page)p) == is_clerk_page(p))
            fail_msg("page %d: spoken %d, clerk-only %d", p, voice_page_spoken(p),
                     is_clerk_page(p));
    }
}

/* Every prompt: a unique id, a text in every language, translated. */
static void test_catalogue_every_language(void **state)
{
    (void)state;
    struct questionnaire *q = load_q();
    struct config cfg;
    config_defaults(&cfg);
    size_t n = voice_prompt_count(q);
    assert_true(n > 100);
    struct voice_prompt *en = calloc(n, sizeof *en);
    assert_non_null(en);
    for (size_t l = 0; l < n_langs; l++) {
        i18n_set_language(langs[l]);
        for (size_t i = 0; i < n; i++) {
            struct voice_prompt pr;
            assert_int_equal(voice_prompt_at(q, &cfg, i, &pr), 0);
            if (strlen(pr.text) < 3)
                fail_msg("%s: %s has no text", langs[l], pr.id);
            if (l == 0) {
                en[i] = pr;
                for (size_t j = 0; j < i; j++)
                    if (strcmp(en[j].id, pr.id) == 0)
                        fail_msg("prompt id %s twice", pr.id);
            } else {
                assert_string_equal(pr.id, en[i].id);
                /* A question's words come from the survey file, where a
                 * word may be the same in both ("Tehsil"). */
                if (strncmp(pr.id, "q.", 2) != 0 && strcmp(pr.text, en[i].text) == 0)
                    fail_msg("%s: %s is not translated: %s", langs[l], pr.id, pr.text);
            }
        }
        /* Every status an applicant can be told. */
        for (int s = STATUS_NONE + 1; s < STATUS_COUNT; s++) {
            char id[VOICE_ID_MAX];
            struct voice_prompt pr;
            snprintf(id, sizeof id, "status.result.%s", reg_status_code((enum reg_status)s));
            if (voice_prompt_find(q, &cfg, id, &pr) != 0)
                fail_msg("no prompt %s", id);
        }
    }
    i18n_set_language("en");
    free(en);
    questionnaire_free(q);
}

/* Every question: its label and, for a choice, every option with its key. */
static void test_every_question(void **state)
{
    (void)state;
    struct questionnaire *q = load_q();
    for (size_t l = 0; l < n_langs; l++) {
        i18n_set_language(langs[l]);
        for (size_t p = 0; p < questionnaire_page_count(q); p++) {
            const struct q_page *pg = questionnaire_page(q, p);
            for (size_t i = 0; i < pg->n_questions; i++) {
                const struct q_question *qq = pg->questions[i];
                struct voice_prompt pr = {.id = ""};
                assert_int_equal(voice_for_question(q, qq, &pr), 0);
                char id[VOICE_ID_MAX];
                snprintf(id, sizeof id, "q.%s", qq->id);
                assert_string_equal(pr.id, id);
                assert_non_null(strstr(pr.text, q_text(q, &qq->label, langs[l])));
                for (size_t o = 0; qq->type == Q_CHOICE && o < qq->n_options; o++) {
                    char said[512];
                    snprintf(said, sizeof said, _("For %s, press %s."),
                             q_text(q, &qq->options[o].text, langs[l]), "");
                    /* The option's words, then its number. */
                    char *cut = strstr(said, q_text(q, &qq->options[o].text, langs[l]));
                    assert_non_null(cut);
                    if (!strstr(pr.text, q_text(q, &qq->options[o].text, langs[l])))
                        fail_msg("%s: %s does not say option %zu", langs[l], id, o + 1);
                }
            }
        }
    }
    i18n_set_language("en");
    questionnaire_free(q);
}

/* --- the message list: the catalog's template --- */

static char *unquote_append(char *acc, const char *line)
{
    const char *s = strchr(line, '"');
    const char *e = strrchr(line, '"');
    if (!s || e <= s)
        return acc;
    size_t have = acc ? strlen(acc) : 0;
    char *r = realloc(acc, have + (size_t)(e - s) + 1);
    assert_non_null(r);
    char *o = r + have;
    for (const char *c = s + 1; c < e; c++) {
        if (*c == '\\' && c + 1 < e) {
            c++;
            *o++ = *c == 'n' ? '\n' : *c == 't' ? '\t' : *c;
        } else {
            *o++ = *c;
        }
    }
    *o = '\0';
    return r;
}

static bool from_applicant_source(const char *refs)
{
    for (size_t i = 0; i < sizeof applicant_sources / sizeof applicant_sources[0]; i++) {
        size_t n = strlen(applicant_sources[i]);
        for (const char *p = strstr(refs, applicant_sources[i]); p;
             p = strstr(p + 1, applicant_sources[i]))
            if (p[n] == ':')
                return true;
    }
    return false;
}

/* Said as part of a page's prompt (the status answers' words). */
static bool in_some_prompt(const char *msgid)
{
    static struct voice_prompt pr;
    struct config cfg;
    config_defaults(&cfg);
    for (size_t i = 0; i < voice_prompt_count(NULL); i++)
        if (voice_prompt_at(NULL, &cfg, i, &pr) == 0 && strncmp(pr.id, "msg.", 4) != 0 &&
            strstr(pr.text, msgid))
            return true;
    return false;
}

static void test_every_message(void **state)
{
    (void)state;
    i18n_set_language("en");
    FILE *f = fopen("po/nser-kiosk.pot", "r");
    assert_non_null(f);
    char line[4096], refs[8192] = "";
    char *msgid = NULL;
    bool in_id = false;
    size_t checked = 0, missing = 0;
    for (;;) {
        bool eof = !fgets(line, sizeof line, f);
        if (eof || line[0] == '\n') {
            if (msgid && msgid[0] && from_applicant_source(refs)) {
                struct voice_prompt pr = {.id = ""};
                checked++;
                if (voice_for_message(msgid, &pr) != 0 && !voice_message_silent(msgid) &&
                    !in_some_prompt(msgid)) {
                    print_error("no prompt for the message: %s\n", msgid);
                    missing++;
                }
            }
            free(msgid);
            msgid = NULL;
            refs[0] = '\0';
            in_id = false;
            if (eof)
                break;
            continue;
        }
        if (strncmp(line, "#:", 2) == 0)
            strncat(refs, line, sizeof refs - strlen(refs) - 1);
        else if (strncmp(line, "msgid ", 6) == 0) {
            in_id = true;
            msgid = unquote_append(msgid, line);
        } else if (line[0] == '"' && in_id)
            msgid = unquote_append(msgid, line);
        else
            in_id = false;
    }
    fclose(f);
    assert_true(checked > 80);
    assert_int_equal(missing, 0);
    /* A message is looked up by its msgid, as the code returns it. */
    struct voice_prompt pr;
    assert_int_equal(voice_for_message("A CNIC has 13 digits.", &pr), 0);
    assert_string_equal(pr.id, "msg.cnic_length");
    assert_int_equal(voice_for_message("Only a clerk can see saved drafts.", &pr), -1);
    assert_true(voice_message_silent("Only a clerk can see saved drafts."));
    /* A format's conversions are not spoken. */
    assert_int_equal(voice_for_message("Please type a number in the range %s.", &pr), 0);
    assert_null(strchr(pr.text, '%'));
}

/* --- WAV --- */

static size_t make_wav(uint8_t *b, unsigned tag, unsigned ch, unsigned rate, unsigned bits,
                       const void *pcm, uint32_t pcm_len, uint32_t claimed)
{
    uint8_t *p = b;
    memcpy(p, "RIFF", 4);
    uint32_t riff = 36 + pcm_len + 8 + 4;
    for (int i = 0; i < 4; i++)
        p[4 + i] = (uint8_t)(riff >> (8 * i));
    memcpy(p + 8, "WAVE", 4);
    /* A chunk the reader must skip, of odd length (padded). */
    memcpy(p + 12, "LIST", 4);
    p[16] = 3, p[17] = p[18] = p[19] = 0;
    memcpy(p + 20, "abc\0", 4);
    p += 24;
    memcpy(p, "fmt ", 4);
    uint32_t v[] = {16, tag | ch << 16, rate, rate * ch * bits / 8, (ch * bits / 8) | bits << 16};
    for (int k = 0; k < 5; k++)
        for (int i = 0; i < 4; i++)
            p[4 + 4 * k + i] = (uint8_t)(v[k] >> (8 * i));
    p += 24;
    memcpy(p, "data", 4);
    for (int i = 0; i < 4; i++)
        p[4 + i] = (uint8_t)(claimed >> (8 * i));
    memcpy(p + 8, pcm, pcm_len);
    return (size_t)(p + 8 + pcm_len - b);
}

/* A message as a screen shows it (translated, filled in) finds its
 * prompt; the name in it is never in what is said. */
static void test_shown_message(void **state)
{
    (void)state;
    struct voice_prompt pr;
    for (size_t l = 0; l < n_langs; l++) {
        i18n_set_language(langs[l]);
        assert_int_equal(voice_for_shown_message(_("A CNIC has 13 digits."), &pr), 0);
        assert_string_equal(pr.id, "msg.cnic_length");
        char shown[400];
        snprintf(shown, sizeof shown, _("Please type a number in the range %s."), "0-120");
        assert_int_equal(voice_for_shown_message(shown, &pr), 0);
        assert_string_equal(pr.id, "msg.number_range");
        snprintf(shown, sizeof shown, _("Member %zu (%s), %s: %s"), (size_t)3, "Zarina Bibi", "Age",
                 _("Please answer this question."));
        assert_int_equal(voice_for_shown_message(shown, &pr), 0);
        assert_string_equal(pr.id, "msg.member_problem");
        assert_null(strstr(pr.text, "Zarina"));
    }
    i18n_set_language("en");
    assert_int_equal(voice_for_shown_message("Something nobody says.", &pr), -1);
    assert_int_equal(voice_for_shown_message("", &pr), -1);
    /* A clerk's message is not spoken. */
    assert_int_equal(voice_for_shown_message(_("A draft number has 7 digits."), &pr), -1);
}

static void test_wav(void **state)
{
    (void)state;
    uint8_t b[256];
    char err[128];
    struct wav_audio a;
    int16_t mono[4] = {0, 1000, -1000, 32767};
    size_t n = make_wav(b, 1, 1, 16000, 16, mono, sizeof mono, sizeof mono);
    assert_int_equal(wav_parse(b, n, &a, err, sizeof err), 0);
    assert_int_equal(a.n, 4);
    assert_int_equal(a.rate, 16000);
    assert_int_equal(a.samples[1], 1000);
    assert_int_equal(a.samples[3], 32767);
    wav_audio_free(&a);
    /* Stereo 8-bit: mixed down and widened. */
    uint8_t st[4] = {128, 128, 255, 255};
    n = make_wav(b, 1, 2, 8000, 8, st, sizeof st, sizeof st);
    assert_int_equal(wav_parse(b, n, &a, err, sizeof err), 0);
    assert_int_equal(a.n, 2);
    assert_int_equal(a.samples[0], 0);
    assert_int_equal(a.samples[1], 127 * 256);
    wav_audio_free(&a);
    /* A data length past the end: what is there is taken. */
    n = make_wav(b, 1, 1, 16000, 16, mono, sizeof mono, 1000000);
    assert_int_equal(wav_parse(b, n, &a, err, sizeof err), 0);
    assert_int_equal(a.n, 4);
    wav_audio_free(&a);
    /* Refused: floating point, 24-bit, 3 channels, odd rate, cut short, not RIFF. */
    n = make_wav(b, 3, 1, 16000, 16, mono, sizeof mono, sizeof mono);
    assert_int_equal(wav_parse(b, n, &a, err, sizeof err), -1);
    n = make_wav(b, 1, 1, 16000, 24, mono, 6, 6);
    assert_int_equal(wav_parse(b, n, &a, err, sizeof err), -1);
    n = make_wav(b, 1, 3, 16000, 16, mono, 6, 6);
    assert_int_equal(wav_parse(b, n, &a, err, sizeof err), -1);
    n = make_wav(b, 1, 1, 4000, 16, mono, sizeof mono, sizeof mono);
    assert_int_equal(wav_parse(b, n, &a, err, sizeof err), -1);
    n = make_wav(b, 1, 1, 16000, 16, mono, sizeof mono, sizeof mono);
    for (size_t cut = 0; cut < 52; cut++)
        assert_int_equal(wav_parse(b, cut, &a, err, sizeof err), -1);
    assert_int_equal(wav_parse((const uint8_t *)"hello, not a wav file", 21, &a, err, sizeof err),
                     -1);
    assert_null(a.samples);
    /* Written and read back. */
    char path[] = "/tmp/test_voice_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    struct wav_audio w = {mono, 4, 22050};
    assert_int_equal(wav_write(path, &w, err, sizeof err), 0);
    assert_int_equal(wav_read(path, &a, err, sizeof err), 0);
    assert_int_equal(a.n, 4);
    assert_int_equal(a.rate, 22050);
    assert_memory_equal(a.samples, mono, sizeof mono);
    wav_audio_free(&a);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_page_spoken), cmocka_unit_test(test_catalogue_every_language),
        cmocka_unit_test(test_every_question),    cmocka_unit_test(test_every_message),
        cmocka_unit_test(test_shown_message),     cmocka_unit_test(test_wav),
    };
    return cmocka_run_group_tests(tests, group_setup, NULL);
}

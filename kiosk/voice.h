/*
 * voice.h - the spoken prompts' catalogue: every applicant page, survey
 * question and applicant message has a stable prompt id ("home",
 * "status.result.eligible", "q.case_type", "msg.cnic_length") and a spoken
 * text in the current language.
 *
 * The texts are built from the very gettext msgids and questionnaire texts
 * the screens show, so the voice says what the screen says. Personal data
 * is never put into a prompt: the status result speaks the status and the
 * advice, not the name, CNIC or tracking ID; the receipt tells the
 * applicant to keep the printed receipt rather than reading the tracking ID
 * out in a crowded hall. Never draws, never plays sound (voice_player.h).
 */
#ifndef NSER_VOICE_H
#define NSER_VOICE_H

#include <stdbool.h>
#include <stddef.h>

#include "config.h"
#include "flow.h"
#include "questionnaire.h"

#define VOICE_ID_MAX   80
#define VOICE_TEXT_MAX 3000

struct voice_prompt {
    char id[VOICE_ID_MAX];
    char text[VOICE_TEXT_MAX];
};

/* True for a page an applicant can be on (and so has a prompt). */
bool voice_page_spoken(enum flow_page page);

/* The prompt of the page the flow shows (on a survey page: the question
 * with the cursor), in the current language. -1 on a clerk's page. */
int voice_for_page(const struct flow *f, struct voice_prompt *out);

/* The prompt of the questionnaire question QQ: its label, its help, and
 * for a choice "For <option>, press <n>." for each option. */
int voice_for_question(const struct questionnaire *q, const struct q_question *qq,
                       struct voice_prompt *out);

/* The prompt of an applicant message, MSGID as the flow, the validators
 * and the devices return it (untranslated). -1 when MSGID is not spoken
 * (voice_message_silent) or not known. */
int voice_for_message(const char *msgid, struct voice_prompt *out);
/* The same for a message as a screen shows it: SHOWN is the translated
 * text, a message with a %s filled in (each conversion stands for one or
 * more characters). -1 when no spoken message reads like it. */
int voice_for_shown_message(const char *shown, struct voice_prompt *out);
/* True for a message that is deliberately not spoken: clerk-only, or
 * printed rather than shown. */
bool voice_message_silent(const char *msgid);

/* Every prompt, for `voice list`: pages, status answers, messages, then
 * Q's questions (Q may be NULL). CFG gives the centre's SMS number and
 * helpline. */
size_t voice_prompt_count(const struct questionnaire *q);
int voice_prompt_at(const struct questionnaire *q, const struct config *cfg, size_t i,
                    struct voice_prompt *out);
/* The prompt with id ID; -1 when there is none. */
int voice_prompt_find(const struct questionnaire *q, const struct config *cfg, const char *id,
                      struct voice_prompt *out);

#endif

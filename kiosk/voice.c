/*
 * voice.c - the prompt catalogue: prompt ids and their spoken texts.
 *
 * Three kinds of prompt: fixed pages (a table row each: the msgids the
 * page shows, in reading order, and its numbered choices), the status
 * answer (one per status, never with the name, CNIC or tracking ID), the
 * survey's questions (built from the questionnaire), and messages (a
 * table row each, keyed by the msgid the code returns). A message that
 * carries personal data or a format argument on screen is spoken through
 * a plain variant. Never draws, never plays, never logs.
 */
#include "voice.h"

#include <stdio.h>
#include <string.h>

#include "cnic.h"
#include "fingerprint.h"
#include "i18n.h"
#include "status.h"
#include "tracking.h"

/* --- fixed pages: adding a page's prompt is one row here --- */

struct choice {
    const char *key;
    const char *label; /* a msgid */
};

struct page_row {
    enum flow_page page;
    const char *id;
    const char *parts[4];     /* msgids, read in order */
    struct choice choices[4]; /* "For <label>, press <key>." */
    bool contact;             /* then the centre's SMS number and helpline */
};

static const struct page_row page_rows[] = {
    {PAGE_HOME,
     "home",
     {N_("Welcome"), N_("National Socio-Economic Registry"),
      N_("Press a number, or touch a button.")},
     {{"1", N_("Check status")},
      {"2", N_("Register household")},
      {"3", N_("Language: English / Roman Urdu")}},
     false},
    {PAGE_STATUS_ENTRY,
     "status.entry",
     {N_("Check status"), N_("Type your CNIC number (13 digits) or the tracking ID on your receipt "
                             "(16 digits), then press Enter.")},
     {{NULL, NULL}},
     false},
    {PAGE_REG_CNIC,
     "reg.cnic",
     {N_("Register: head of household"),
      N_("Type the CNIC number of the head of the household (13 digits), then "
         "press Enter."),
      N_("Have ready: the CNIC or B-form of everyone who lives and eats in the "
         "household.")},
     {{NULL, NULL}},
     false},
    {PAGE_REG_RESUME,
     "reg.resume",
     {N_("Saved answers found"), N_("Do you want to continue where you stopped?")},
     {{"1", N_("Continue my saved answers")},
      {"2", N_("Start again (the saved answers are deleted)")}},
     false},
    {PAGE_REG_ROSTER,
     "reg.roster",
     {N_("Household members"), N_("Add everyone who lives and eats in this household, children "
                                  "too. Press 1 to add a member.")},
     {{"1", N_("Add member")}, {"2", N_("Edit")}, {"3", N_("Remove")}},
     false},
    {PAGE_REG_REVIEW,
     "reg.review",
     {N_("Check your answers"),
      N_("Please check every answer. To change one, select it and press 2. "
         "When all is right, press 1 to save.")},
     {{"1", N_("Save registration")}, {"2", N_("Change the answer selected")}},
     false},
    {PAGE_REG_RECEIPT,
     "reg.receipt",
     {N_("Registration saved"), N_("Thank you. Your registration is saved.")},
     {{"1", N_("Print a copy")}, {"2", N_("Finish")}},
     true},
};
#define N_PAGE_ROWS (sizeof page_rows / sizeof page_rows[0])

/* --- the status answer --- */

struct result_row {
    const char *id;
    const char *parts[2];
};

static const struct result_row result_rows[] = {
    {"status.result.not_registered",
     {N_("Your survey is incomplete."),
      N_("This household is not in the registry yet. Press 2 to register now, or "
         "go to the registration desk with your CNIC and the CNIC or B-form of "
         "everyone in your household.")}},
    {"status.result.unknown_tracking",
     {N_("No registration has this tracking ID."),
      N_("Please check the number on your receipt, or check by CNIC instead.")}},
};
#define N_RESULT_ROWS (sizeof result_rows / sizeof result_rows[0])

/* --- messages --- */

struct message_row {
    const char *id;    /* NULL: deliberately not spoken */
    const char *msgid; /* as the code returns it */
    const char *say;   /* NULL: say MSGID; else this plain variant */
};

static const struct message_row message_rows[] = {
    /* The CNIC and the tracking ID, as typed (kiosk/cnic.c, tracking.c). */
    {"msg.cnic_empty", N_("Please type the 13 digits of the CNIC."), NULL},
    {"msg.cnic_bad_char", N_("A CNIC has only digits: please remove letters and other signs."),
     NULL},
    {"msg.cnic_bad_dashes",
     N_("The dashes are in the wrong places. Write the CNIC like 12345-1234567-1, or with no "
        "dashes."),
     NULL},
    {"msg.cnic_length", N_("A CNIC has 13 digits."), NULL},
    {"msg.cnic_region",
     N_("The first digit of a CNIC is a region code from 1 to 8; this one is not valid."), NULL},
    {"msg.cnic_check", N_("Please check the CNIC number."), NULL},
    {"msg.tracking_empty", N_("Please type the 16 digits of the tracking ID."), NULL},
    {"msg.tracking_bad_char",
     N_("A tracking ID has only digits: please remove letters and other signs."), NULL},
    {"msg.tracking_length", N_("A tracking ID has 16 digits. You can find it on your receipt."),
     NULL},
    {"msg.tracking_typo", N_("This tracking ID has a typing mistake: please check every digit."),
     NULL},
    {"msg.tracking_check", N_("Please check the tracking ID."), NULL},
    {"msg.tracking_invalid",
     N_("This tracking ID is not valid. Please check it and type it again."), NULL},
    {"msg.status_empty", N_("Please type a CNIC or a tracking ID."), NULL},
    /* Starting a registration (kiosk/flow.c, flow_sync.c). */
    {"msg.already_registered",
     N_("This household is already registered here. To change it, please ask the clerk at the "
        "counter."),
     NULL},
    {"msg.registrations_paused",
     N_("New registrations are paused: this centre's records have not reached the registry for "
        "too long. Status checks still work. Please ask the staff to sync."),
     NULL},
    /* Answers (kiosk/flow_survey.c, questionnaire.c). */
    {"msg.not_saved", N_("The registration could not be saved. Please ask the clerk for help."),
     NULL},
    {"msg.answer_too_long", N_("This answer is too long."), NULL},
    {"msg.answer_from_cnic", N_("This answer comes from the CNIC and cannot be changed here."),
     NULL},
    {"msg.one_head", N_("Only one person can be the head of the household."), NULL},
    {"msg.answer_required", N_("Please answer this question."), NULL},
    {"msg.head_not_removed", N_("The head of household cannot be removed."), NULL},
    /* These name a member and the question on screen: spoken without them. */
    {"msg.member_problem", N_("Member %zu (%s), %s: %s"),
     N_("An answer about a household member needs to be corrected.")},
    {"msg.member_unfinished",
     N_("Member %zu (%s) is not finished: %s Select the member and press "
        "Enter."),
     N_("A household member's answers are not finished. Select the member and press Enter.")},
    {"msg.text_too_long", N_("This answer is too long. Please write it shorter."), NULL},
    {"msg.text_bad_sign", N_("This text has a sign that cannot be used. Please type it again."),
     NULL},
    {"msg.text_length", N_("Please write %s letters."), NULL},
    {"msg.number_digits", N_("Please type a number using digits only."), NULL},
    {"msg.number_whole", N_("Please type a whole number, without a point."), NULL},
    {"msg.number_decimals", N_("There are too many digits after the point."), NULL},
    {"msg.number_range", N_("Please type a number in the range %s."), NULL},
    {"msg.date_format", N_("Please write the date as day-month-year, for example 05-03-1980."),
     NULL},
    {"msg.date_month", N_("There is no such month: the month is a number from 1 to 12."), NULL},
    {"msg.date_day", N_("There is no such day in that month. Please check the date."), NULL},
    {"msg.date_too_old", N_("This date is too long ago. Please check the year."), NULL},
    {"msg.date_future", N_("This date is in the future. Please check the year."), NULL},
    {"msg.phone_digits", N_("A mobile phone number has only digits, like 0300-1234567."), NULL},
    {"msg.phone_form",
     N_("A mobile phone number has 11 digits and starts with 03, like 0300-1234567."), NULL},
    {"msg.choose_answer", N_("Please choose one of the answers in the list."), NULL},
    {"msg.choose_place", N_("Please choose a place from the list."), NULL},
    /* Devices (kiosk/flow_devices.c): notices in the message line. */
    {"msg.reader_unplugged_reading",
     N_("The card reader was unplugged while reading the card. Please type the CNIC instead."),
     NULL},
    {"msg.reader_unplugged", N_("The card reader was unplugged. You can type the CNIC instead."),
     NULL},
    {"msg.scanner_unplugged", N_("The scanner was unplugged. You can type the CNIC instead."),
     NULL},
    {"msg.printer_unplugged_printing",
     N_("The printer was unplugged while printing. Your tracking ID is on the screen: please "
        "write it down."),
     NULL},
    {"msg.printer_unplugged", N_("The receipt printer was unplugged."), NULL},
    {"msg.reader_ready", N_("Card reader ready: you can put the identity card in."), NULL},
    {"msg.scanner_ready", N_("Scanner ready: you can scan the back of the identity card."), NULL},
    {"msg.printer_ready", N_("Receipt printer ready."), NULL},
    {"msg.reader_no_permission",
     N_("The card reader cannot be opened: no permission. Install "
        "/etc/udev/rules.d/70-nser-kiosk.rules (see docs/devices.md)."),
     N_("The card reader cannot be used just now. Please tell the staff.")},
    {"msg.scanner_no_permission",
     N_("The scanner cannot be opened: no permission. Install "
        "/etc/udev/rules.d/70-nser-kiosk.rules (see docs/devices.md)."),
     N_("The scanner cannot be used just now. Please tell the staff.")},
    {"msg.printer_no_permission",
     N_("The printer cannot be opened: no permission. Install "
        "/etc/udev/rules.d/70-nser-kiosk.rules (see docs/devices.md)."),
     N_("The printer cannot be used just now. Please tell the staff.")},
    {"msg.reader_busy",
     N_("The card reader is in use by another program (pcscd?). Please tell the staff."),
     N_("The card reader cannot be used just now. Please tell the staff.")},
    {"msg.scanner_busy", N_("The scanner is in use by another program. Please tell the staff."),
     NULL},
    {"msg.printer_busy", N_("The printer is in use by another program. Please tell the staff."),
     NULL},
    {"msg.reader_unsupported",
     N_("This card reader is not supported. You can type the CNIC instead."), NULL},
    {"msg.scanner_unsupported", N_("This scanner is not supported. You can type the CNIC instead."),
     NULL},
    {"msg.printer_unsupported", N_("This printer is not supported."), NULL},
    {"msg.reader_restarted", N_("The card reader stopped answering properly and was restarted."),
     NULL},
    {"msg.scanner_restarted", N_("The scanner stopped answering properly and was restarted."),
     NULL},
    {"msg.printer_restarted", N_("The printer stopped answering properly and was restarted."),
     NULL},
    {"msg.card_mute",
     N_("This card does not answer. Check that it is put in the right way up, or type the CNIC."),
     NULL},
    {"msg.card_unknown",
     N_("This card is not an identity card this kiosk can read. Please type the CNIC."), NULL},
    {"msg.card_bad_number",
     N_("The number on this card could not be read correctly. Please type the CNIC."), NULL},
    {"msg.card_removed_early",
     N_("The card was taken out before it was read. Put it in again, or type the CNIC."), NULL},
    {"msg.card_unreadable",
     N_("The card could not be read. Take it out and put it in again, or type the CNIC."), NULL},
    {"msg.printer_paper",
     N_("The printer is out of paper. Please tell the staff; your tracking ID is on the screen."),
     NULL},
    {"msg.printer_cover",
     N_("The printer's cover is open. Please tell the staff; your tracking ID is on the screen."),
     NULL},
    {"msg.printer_offline",
     N_("The printer is not ready (offline). Please tell the staff; your tracking ID is on the "
        "screen."),
     NULL},
    {"msg.print_failed",
     N_("The receipt could not be printed. Your tracking ID is on the screen: please write it "
        "down."),
     NULL},
    {"msg.card_choose_first",
     N_("To use your card, first choose Check status or Register household."), NULL},
    {"msg.cnic_not_asked",
     N_("A CNIC was read, but this screen does not ask for one. It was not "
        "used."),
     NULL},
    {"msg.cnic_from_card", N_("CNIC read from the card. Check it, then press Enter."), NULL},
    {"msg.cnic_from_scan", N_("CNIC read from the scan. Check it, then press Enter."), NULL},
    {"msg.card_reading", N_("Reading the card... please leave it in."), NULL},
    {"msg.card_out", N_("Card taken out."), NULL},
    {"msg.scan_too_long",
     N_("That scan was too long to be an identity card. Please scan the back of the card, or "
        "type the CNIC."),
     NULL},
    {"msg.scan_no_cnic",
     N_("No CNIC in that code. Please scan the back of the identity card, or type the CNIC."),
     NULL},
    {"msg.receipt_printed", N_("Receipt printed. Please take it."), NULL},
    /* Fingerprints (kiosk/flow_finger.c): a retry's reason, each time it
     * is shown; the reader's problems; notices. */
    {"msg.fp_stage_passed", N_("Good. Lift your finger, then press again."), NULL},
    {"msg.fp_too_short", N_("Too short. Keep your finger on the reader a little longer."), NULL},
    {"msg.fp_not_centred", N_("Not in the middle. Put your finger in the centre of the reader."),
     NULL},
    {"msg.fp_lift", N_("Lift your finger off the reader, then press again."), NULL},
    {"msg.fp_unclear", N_("The print was not clear. Wipe your finger clean and press again."),
     NULL},
    {"msg.fp_retry", N_("That did not work. Lift your finger and press again."), NULL},
    {"msg.fp_no_match", N_("This finger does not match. Please press the same finger again."),
     NULL},
    {"msg.fp_go_to_counter",
     N_("The finger did not match. Please go to the counter: the clerk will help you."), NULL},
    {"msg.fp_not_ready", N_("The fingerprint reader is busy or not ready. Please try again."),
     NULL},
    {"msg.fp_stopped", N_("The fingerprint reader stopped working. Please try again."), NULL},
    {"msg.fp_busy",
     N_("The fingerprint reader is in use by another program. Please tell the staff."), NULL},
    {"msg.fp_no_permission",
     N_("The fingerprint reader cannot be opened: no permission. Install "
        "/etc/udev/rules.d/71-nser-kiosk-fingerprint.rules (see docs/fingerprints.md)."),
     N_("The fingerprint reader cannot be used just now. Please tell the staff.")},
    {"msg.fp_not_kept", N_("The fingerprint could not be kept. Please try again."), NULL},
    {"msg.fp_give_finger", N_("Please give your finger, or ask the clerk for help."), NULL},
    {"msg.fp_give_first",
     N_("Please give your finger first: press 3. If it cannot be read, please go to the "
        "counter."),
     NULL},
    {"msg.fp_no_reader_plugged", N_("No fingerprint reader is plugged in."), NULL},
    {"msg.fp_unplugged", N_("The fingerprint reader was unplugged."), NULL},
    {"msg.fp_ready", N_("Fingerprint reader ready."), NULL},
    {"msg.fp_not_asked",
     N_("The fingerprint reader was touched, but this screen does not ask for a finger."), NULL},

    /* Not spoken: a clerk's, or never shown. */
    {NULL, N_("This CNIC is written correctly."), NULL},
    {NULL, N_("This tracking ID is written correctly."), NULL},
    {NULL, N_("Only a clerk can see saved drafts."), NULL},
    {NULL, N_("A draft number has 7 digits."), NULL},
    {NULL, N_("No saved draft has this number. Please check it: it may have expired."), NULL},
    {NULL, N_("No registration here has this number."), NULL},
    {NULL, N_("Only a clerk can update a registration."), NULL},
    {NULL, N_("No score table is configured."), NULL},
    /* STATUS_NONE's words: the result page says status.result.not_registered. */
    {NULL, N_("Not in the registry"), NULL},
    {NULL, N_("Your survey is incomplete. You can register your household at this centre."), NULL},
    /* The clerk's sync page (kiosk/flow_sync.c). */
    {NULL, N_("Export failed: %s"), NULL},
    {NULL, N_("Nothing to send: every record has been acknowledged."), NULL},
    {NULL, N_("Batch %llu written: %zu records, to %s."), NULL},
    {NULL, N_("Import failed: %s"), NULL},
    {NULL, N_("Imported %zu acknowledgements (%zu records acknowledged); %zu refused: %s"), NULL},
    {NULL, N_("Nothing new to import from %s."), NULL},
    {NULL,
     N_("Imported %zu acknowledgements: %zu records acknowledged, %zu statuses changed, %zu "
        "entries for the district."),
     NULL},
    /* Printed on the receipt (kiosk/flow_devices.c): the receipt page's
     * prompt speaks for it. */
    {NULL, N_("NSER registration receipt"), NULL},
    {NULL, N_("Kiosk %s"), NULL},
    {NULL, N_("Date: %02d-%02d-%04d %02d:%02d"), NULL},
    {NULL, N_("Tracking ID"), NULL},
    {NULL, N_("What to do next"), NULL},
    {NULL,
     N_("Keep this receipt. Your household's information will be checked by the registry; this "
        "takes some weeks."),
     NULL},
    {NULL,
     N_("Check your status at any registration centre, by SMS to %s, or at the helpline %s, with "
        "your CNIC or this tracking ID."),
     NULL},
    {NULL, N_("Nobody may ask you for money for this registration."), NULL},
    /* Fingerprints: a clerk's (log-in by finger, exception, approval),
     * or a line of the review rather than a message. */
    {NULL,
     N_("Your finger is kept. A supervisor must approve it on the Accounts page before you "
        "can log in with it."),
     NULL},
    {NULL, N_("Too many wrong tries. Please wait, then try again."), NULL},
    {NULL, N_("This account is switched off. Please ask the supervisor."), NULL},
    {NULL, N_("The finger did not match. Please try again, or type your PIN or password."), NULL},
    {NULL, N_("The finger did not match. You may carry on; this is recorded."), NULL},
    {NULL, N_("Only a clerk can record an exception."), NULL},
    {NULL, N_("Please choose a reason."), NULL},
    {NULL, N_("Please type your PIN or password to sign this off."), NULL},
    {NULL, N_("Too many wrong tries. Please wait %d seconds, then try again."), NULL},
    {NULL,
     N_("The accounts cannot be read just now. Please try again, or tell the "
        "supervisor."),
     NULL},
    {NULL, N_("Wrong PIN/password."), NULL},
    {NULL, N_("Only a supervisor can do this."), NULL},
    {NULL, N_("This account has no fingerprint waiting for approval."), NULL},
    {NULL, N_("Please open the log-in screen first."), NULL},
    {NULL, N_("Please type your name first."), NULL},
    {NULL, N_("No approved fingerprint for this name. Please type your PIN or password."), NULL},
    {NULL, N_("Fingerprint: exception: %s (%s)"), NULL},
    {NULL, N_("Fingerprint: %s, taken"), NULL},
    {NULL, N_("Fingerprint: not taken"), NULL},
    {NULL, N_("worn"), NULL},
    {NULL, N_("injured"), NULL},
    {NULL, N_("missing"), NULL},
    {NULL, N_("other"), NULL},
    /* Region names (kiosk/cnic.c): parts of other texts, not messages. */
    {NULL, N_("Khyber Pakhtunkhwa"), NULL},
    {NULL, N_("former FATA"), NULL},
    {NULL, N_("Punjab"), NULL},
    {NULL, N_("Sindh"), NULL},
    {NULL, N_("Balochistan"), NULL},
    {NULL, N_("Islamabad"), NULL},
    {NULL, N_("Gilgit-Baltistan"), NULL},
    {NULL, N_("Azad Jammu & Kashmir"), NULL},
};
#define N_MESSAGE_ROWS (sizeof message_rows / sizeof message_rows[0])

/* --- building texts --- */

struct buf {
    char *p;
    size_t size, len;
};

/* Does the text so far end a sentence? A title ("Check status") gets a
 * full stop so the voice pauses after it. */
static bool sentence_ended(const struct buf *b)
{
    static const char *const ends[] = {".", "?", "!", ":", "\xdb\x94" /* U+06D4 Urdu full stop */};
    for (size_t i = 0; i < sizeof ends / sizeof ends[0]; i++) {
        size_t n = strlen(ends[i]);
        if (b->len >= n && memcmp(b->p + b->len - n, ends[i], n) == 0)
            return true;
    }
    return false;
}

static void add(struct buf *b, const char *s)
{
    if (!s || !*s)
        return;
    const char *sep = !b->len ? "" : sentence_ended(b) ? " " : ". ";
    int n = snprintf(b->p + b->len, b->size - b->len, "%s%s", sep, s);
    if (n > 0)
        b->len = b->len + (size_t)n < b->size ? b->len + (size_t)n : b->size - 1;
}

/* A format's conversions ("%s", "%zu") are left out: the catalogue text
 * stands for every value the screen fills in. */
static void add_plain(struct buf *b, const char *s)
{
    char tmp[VOICE_TEXT_MAX];
    size_t o = 0;
    for (const char *c = s; *c && o + 1 < sizeof tmp; c++) {
        if (*c == '%' && c[1]) {
            c++;
            while (*c && strchr("0123456789.-zlh", *c))
                c++;
            if (!*c)
                break;
            if (*c != '%')
                continue;
        }
        tmp[o++] = *c;
    }
    tmp[o] = '\0';
    add(b, tmp);
}

static void add_choice(struct buf *b, const char *label, const char *key)
{
    char tmp[512];
    /* TRANSLATORS: spoken: how to choose an answer ("For Check status,
       press 1."). The first %s is the answer, the second the key. */
    snprintf(tmp, sizeof tmp, _("For %s, press %s."), label, key);
    add(b, tmp);
}

static void start(struct voice_prompt *out, const char *id, struct buf *b)
{
    snprintf(out->id, sizeof out->id, "%s", id);
    out->text[0] = '\0';
    b->p = out->text;
    b->size = sizeof out->text;
    b->len = 0;
}

static void build_page_row(const struct page_row *r, const struct config *cfg,
                           struct voice_prompt *out)
{
    struct buf b;
    start(out, r->id, &b);
    for (size_t i = 0; i < 4 && r->parts[i]; i++)
        add(&b, _(r->parts[i]));
    for (size_t i = 0; i < 4 && r->choices[i].key; i++)
        add_choice(&b, _(r->choices[i].label), r->choices[i].key);
    if (r->contact && cfg) {
        char tmp[512];
        snprintf(tmp, sizeof tmp,
                 _("Write this number down or take a photo. Check your status here, by SMS to %s "
                   "or at the helpline %s, with your CNIC or this tracking ID."),
                 cfg->sms_number, cfg->helpline);
        add(&b, tmp);
    }
}

static void build_status(enum reg_status s, struct voice_prompt *out)
{
    struct buf b;
    char id[VOICE_ID_MAX];
    snprintf(id, sizeof id, "status.result.%s", reg_status_code(s));
    start(out, id, &b);
    add(&b, _("Registration found"));
    add(&b, _("Status:"));
    add(&b, _(reg_status_text(s)));
    add(&b, _(reg_status_advice(s)));
}

static void build_result_row(const struct result_row *r, struct voice_prompt *out)
{
    struct buf b;
    start(out, r->id, &b);
    for (size_t i = 0; i < 2 && r->parts[i]; i++)
        add(&b, _(r->parts[i]));
}

static void build_message_row(const struct message_row *r, struct voice_prompt *out)
{
    struct buf b;
    start(out, r->id, &b);
    add_plain(&b, _(r->say ? r->say : r->msgid));
}

int voice_for_question(const struct questionnaire *q, const struct q_question *qq,
                       struct voice_prompt *out)
{
    struct buf b;
    char id[VOICE_ID_MAX];
    snprintf(id, sizeof id, "q.%s", qq->id);
    start(out, id, &b);
    const char *lang = i18n_language();
    add(&b, q_text(q, &qq->label, lang));
    if (qq->help.t[0])
        add(&b, q_text(q, &qq->help, lang));
    if (qq->type == Q_CHOICE) {
        for (size_t i = 0; i < qq->n_options; i++) {
            char key[24];
            snprintf(key, sizeof key, "%zu", i + 1);
            add_choice(&b, q_text(q, &qq->options[i].text, lang), key);
        }
    }
    return 0;
}

/* --- the finger page: which finger, then what happened --- */

/* Per finger, a prompt to take it and one to check it (a centre records
 * each: the finger's name is in the words); then the states that offer
 * number keys. Stage n of m is shown, not said: the instruction after each
 * stage and each retry's reason are said instead (message rows). */
enum fp_prompt {
    FPP_TIMED_OUT,      /* try again, another finger */
    FPP_TIMED_OUT_SAME, /* try again (one finger configured) */
    FPP_NO_READER,
    FPP_UNPLUGGED,
    FPP_TOO_MANY, /* an applicant is sent to the counter */
    FPP_STATES
};
#define N_FP_PROMPTS ((size_t)(2 * FP_FINGER_COUNT + FPP_STATES))

static const char unplugged_msgid[] =
    N_("The fingerprint reader was unplugged. The registration carries "
       "on: the finger can be taken later, from the review page.");

static void add_key_choice(struct buf *b, const char *label, char key)
{
    char k[2] = {key, '\0'};
    add_choice(b, _(label), k);
}

static void build_fp_finger(bool verify, enum fp_finger finger, struct voice_prompt *out)
{
    struct buf b;
    char id[VOICE_ID_MAX], tmp[512];
    snprintf(id, sizeof id, "fp.%s.%s", verify ? "verify" : "enrol", fp_finger_id(finger));
    start(out, id, &b);
    add(&b, verify ? _("Fingerprint check") : _("Fingerprint"));
    snprintf(tmp, sizeof tmp,
             verify ? _("Please press your %s on the reader.")
                    : _("Please press your %s on the reader, then lift it, as many times as "
                        "asked."),
             flow_fp_finger_name(finger));
    add(&b, tmp);
}

static void build_fp_state(enum fp_prompt p, struct voice_prompt *out)
{
    static const char *const ids[FPP_STATES] = {
        "fp.timed_out", "fp.timed_out.same_finger", "fp.no_reader", "fp.unplugged", "fp.too_many",
    };
    struct buf b;
    start(out, ids[p], &b);
    switch (p) {
    case FPP_TIMED_OUT:
    case FPP_TIMED_OUT_SAME:
        add(&b, _("No finger was felt in time."));
        add_key_choice(&b, N_("Try again"), FLOW_FP_KEY_AGAIN);
        if (p == FPP_TIMED_OUT)
            add_key_choice(&b, N_("Use another finger"), FLOW_FP_KEY_OTHER);
        break;
    case FPP_NO_READER:
    case FPP_UNPLUGGED:
        add(&b, p == FPP_NO_READER
                    ? _("No fingerprint reader is plugged in. You can carry on without it.")
                    : _(unplugged_msgid));
        add_key_choice(&b, N_("Carry on without the finger"), FLOW_FP_KEY_ON);
        break;
    default:
        add(&b, _("The finger did not match. Please go to the counter: the clerk will help you."));
        add_key_choice(&b, N_("Finish here"), FLOW_FP_KEY_ON);
        break;
    }
}

static void build_fp_prompt(size_t i, struct voice_prompt *out)
{
    if (i < 2 * FP_FINGER_COUNT)
        build_fp_finger(i >= FP_FINGER_COUNT, (enum fp_finger)(i % FP_FINGER_COUNT), out);
    else
        build_fp_state((enum fp_prompt)(i - 2 * FP_FINGER_COUNT), out);
}

/* What the finger page says now: the instruction when a capture starts,
 * a stage's or a retry's words when they are shown, a choice with its
 * keys. A clerk's own finger (log-in, enrolling for it) is not spoken. */
static int finger_page_prompt(const struct flow *f, struct voice_prompt *out)
{
    struct flow_fp_view v;
    flow_fp_view(f, &v);
    if (v.task != FLOW_FP_ENROL && v.task != FLOW_FP_VERIFY)
        return -1;
    switch (v.state) {
    case FLOW_FP_WAITING:
        if (v.message && voice_for_message(v.message, out) == 0)
            return 0;
        build_fp_finger(v.task == FLOW_FP_VERIFY, v.finger, out);
        return 0;
    case FLOW_FP_TIMED_OUT:
        build_fp_state(v.can_other_finger ? FPP_TIMED_OUT : FPP_TIMED_OUT_SAME, out);
        return 0;
    case FLOW_FP_NO_READER:
        build_fp_state(v.message && strcmp(v.message, unplugged_msgid) == 0 ? FPP_UNPLUGGED
                                                                            : FPP_NO_READER,
                       out);
        return 0;
    case FLOW_FP_TOO_MANY:
        build_fp_state(FPP_TOO_MANY, out);
        return 0;
    default:
        return v.message ? voice_for_message(v.message, out) : -1;
    }
}

/* --- lookups --- */

static const struct page_row *page_row(enum flow_page page)
{
    for (size_t i = 0; i < N_PAGE_ROWS; i++)
        if (page_rows[i].page == page)
            return &page_rows[i];
    return NULL;
}

bool voice_page_spoken(enum flow_page page)
{
    /* Every applicant page is spoken: voice_for_page builds each one's
     * prompt (a table row, or the status, question or finger prompt). */
    return flow_applicant_page(page);
}

int voice_for_page(const struct flow *f, struct voice_prompt *out)
{
    enum flow_page page = flow_page(f);
    const struct page_row *r = page_row(page);
    if (r) {
        build_page_row(r, flow_config(f), out);
        return 0;
    }
    if (page == PAGE_STATUS_RESULT) {
        const struct status_answer *a = flow_status_answer(f);
        if (a->kind == STATUS_Q_FOUND)
            build_status(a->status, out);
        else
            build_result_row(&result_rows[a->by_tracking ? 1 : 0], out);
        return 0;
    }
    if (page == PAGE_FINGER)
        return finger_page_prompt(f, out);
    if (page == PAGE_REG_SURVEY) {
        const struct q_page *p = flow_survey_page(f);
        if (!p || p->n_questions == 0)
            return -1;
        int i = flow_survey_focus(f);
        if (i < 0 || (size_t)i >= p->n_questions)
            i = 0;
        return voice_for_question(flow_questionnaire(f), p->questions[i], out);
    }
    return -1;
}

static const struct message_row *message_row(const char *msgid)
{
    if (!msgid)
        return NULL;
    for (size_t i = 0; i < N_MESSAGE_ROWS; i++)
        if (strcmp(message_rows[i].msgid, msgid) == 0)
            return &message_rows[i];
    return NULL;
}

bool voice_message_silent(const char *msgid)
{
    const struct message_row *r = message_row(msgid);
    return r && !r->id;
}

int voice_for_message(const char *msgid, struct voice_prompt *out)
{
    const struct message_row *r = message_row(msgid);
    if (!r || !r->id)
        return -1;
    build_message_row(r, out);
    return 0;
}

/* Does TEXT read as the printf format FMT filled in? A conversion
 * ("%s", "%zu", "%02d") stands for one or more characters; "%%" for a
 * per cent sign. Shortest match first, backtracking: formats are short. */
static bool reads_as(const char *fmt, const char *text)
{
    while (*fmt) {
        if (fmt[0] == '%' && fmt[1] == '%') {
            if (*text != '%')
                return false;
            fmt += 2, text++;
            continue;
        }
        if (*fmt == '%') {
            const char *c = fmt + 1;
            while (*c && strchr("-+ #0123456789.hlqjzt", *c))
                c++;
            if (!*c)
                return false;
            size_t n = strlen(text);
            for (size_t k = 1; k <= n; k++)
                if (reads_as(c + 1, text + k))
                    return true;
            return false;
        }
        if (*fmt != *text)
            return false;
        fmt++, text++;
    }
    return *text == '\0';
}

int voice_for_shown_message(const char *shown, struct voice_prompt *out)
{
    if (!shown || !*shown)
        return -1;
    for (size_t i = 0; i < N_MESSAGE_ROWS; i++) {
        const struct message_row *r = &message_rows[i];
        if (!r->id)
            continue;
        const char *t = _(r->msgid);
        if (strcmp(t, shown) == 0 || (strchr(t, '%') && reads_as(t, shown)) ||
            strcmp(r->msgid, shown) == 0) {
            build_message_row(r, out);
            return 0;
        }
    }
    return -1;
}

/* --- the whole catalogue, in order --- */

static size_t spoken_messages(void)
{
    size_t n = 0;
    for (size_t i = 0; i < N_MESSAGE_ROWS; i++)
        n += message_rows[i].id != NULL;
    return n;
}

static size_t question_count(const struct questionnaire *q)
{
    size_t n = 0;
    for (size_t p = 0; q && p < questionnaire_page_count(q); p++)
        n += questionnaire_page(q, p)->n_questions;
    return n;
}

size_t voice_prompt_count(const struct questionnaire *q)
{
    return N_PAGE_ROWS + (STATUS_COUNT - 1) + N_RESULT_ROWS + N_FP_PROMPTS + spoken_messages() +
           question_count(q);
}

int voice_prompt_at(const struct questionnaire *q, const struct config *cfg, size_t i,
                    struct voice_prompt *out)
{
    if (i < N_PAGE_ROWS) {
        build_page_row(&page_rows[i], cfg, out);
        return 0;
    }
    i -= N_PAGE_ROWS;
    if (i < STATUS_COUNT - 1) {
        /* STATUS_NONE is never "found": it is the not_registered row. */
        build_status((enum reg_status)(i + 1), out);
        return 0;
    }
    i -= STATUS_COUNT - 1;
    if (i < N_RESULT_ROWS) {
        build_result_row(&result_rows[i], out);
        return 0;
    }
    i -= N_RESULT_ROWS;
    if (i < N_FP_PROMPTS) {
        build_fp_prompt(i, out);
        return 0;
    }
    i -= N_FP_PROMPTS;
    for (size_t m = 0; m < N_MESSAGE_ROWS; m++) {
        if (!message_rows[m].id)
            continue;
        if (i-- == 0) {
            build_message_row(&message_rows[m], out);
            return 0;
        }
    }
    for (size_t p = 0; q && p < questionnaire_page_count(q); p++) {
        const struct q_page *pg = questionnaire_page(q, p);
        if (i < pg->n_questions)
            return voice_for_question(q, pg->questions[i], out);
        i -= pg->n_questions;
    }
    return -1;
}

int voice_prompt_find(const struct questionnaire *q, const struct config *cfg, const char *id,
                      struct voice_prompt *out)
{
    size_t n = voice_prompt_count(q);
    for (size_t i = 0; i < n; i++)
        if (voice_prompt_at(q, cfg, i, out) == 0 && strcmp(out->id, id) == 0)
            return 0;
    return -1;
}

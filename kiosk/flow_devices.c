/*
 * flow_devices.c - what the session does with the centre's USB devices:
 * a CNIC read by the card reader or the scanner fills the CNIC field of
 * the page shown, every other device event becomes a notice in plain
 * words, and the receipt is printed when a registration is saved.
 *
 * A card or a scan is not typed input: the page a CNIC was read for keeps
 * it only until the page changes, so a card left in the reader never
 * lands in someone else's session. The printer is reached only through
 * the hooks main wires in. Never draws, never touches libusb or SQL; logs
 * carry no CNIC or name.
 */
#include "flow_internal.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "i18n.h"
#include "log.h"

void flow_set_devices(struct flow *f, const struct flow_devices *devices)
{
    if (devices)
        f->devices = *devices;
    else
        memset(&f->devices, 0, sizeof f->devices);
}

void flow_devices_page_changed(struct flow *f)
{
    /* "CNIC read from the card" speaks of the page it was read on. */
    if (f->notice_page_bound)
        f->notice = NULL;
    if (f->device_cnic_ready && f->device_cnic_serial != f->serial) {
        explicit_bzero(&f->device_cnic, sizeof f->device_cnic);
        f->device_cnic_ready = false;
    }
}

bool flow_page_takes_cnic(const struct flow *f)
{
    switch (f->page) {
    case PAGE_STATUS_ENTRY:
    case PAGE_REG_CNIC:
    case PAGE_CLERK_UPDATE:
        return true;
    case PAGE_REG_SURVEY: {
        const struct q_page *p = flow_survey_page(f);
        if (!p || f->focus < 0 || (size_t)f->focus >= p->n_questions)
            return false;
        const struct q_question *qq = p->questions[f->focus];
        return qq->type == Q_CNIC && !flow_question_locked(f, qq);
    }
    default:
        return false;
    }
}

static void notice(struct flow *f, const char *msgid, bool is_error)
{
    f->notice_page_bound = false;
    f->notice = msgid;
    f->notice_error = is_error;
    f->notice_serial++;
}

void flow_notice_set(struct flow *f, const char *msgid, bool is_error)
{
    notice(f, msgid, is_error);
}

const char *flow_notice(const struct flow *f, bool *is_error)
{
    if (is_error)
        *is_error = f->notice_error;
    return f->notice;
}

unsigned flow_notice_serial(const struct flow *f)
{
    return f->notice_serial;
}

void flow_clear_notice(struct flow *f)
{
    f->notice = NULL;
}

bool flow_take_device_cnic(struct flow *f, struct flow_device_cnic *out)
{
    if (!f->device_cnic_ready || f->device_cnic_serial != f->serial)
        return false;
    *out = f->device_cnic;
    explicit_bzero(&f->device_cnic, sizeof f->device_cnic);
    f->device_cnic_ready = false;
    return true;
}

/* Message ids per role, so each sentence is whole for translators. */
static const char *gone_text(enum device_role role, bool mid_read)
{
    switch (role) {
    case DEVICE_CARD_READER:
        return mid_read ? N_("The card reader was unplugged while reading the card. Please type "
                             "the CNIC instead.")
                        : N_("The card reader was unplugged. You can type the CNIC instead.");
    case DEVICE_SCANNER:
        return N_("The scanner was unplugged. You can type the CNIC instead.");
    default:
        return mid_read ? N_("The printer was unplugged while printing. Your tracking ID is on "
                             "the screen: please write it down.")
                        : N_("The receipt printer was unplugged.");
    }
}

static const char *ready_text(enum device_role role)
{
    switch (role) {
    case DEVICE_CARD_READER:
        return N_("Card reader ready: you can put the identity card in.");
    case DEVICE_SCANNER:
        return N_("Scanner ready: you can scan the back of the identity card.");
    default:
        return N_("Receipt printer ready.");
    }
}

static const char *unusable_text(enum device_role role, enum device_problem p)
{
    if (p == DEVICE_PROBLEM_NO_ACCESS) {
        switch (role) {
        case DEVICE_CARD_READER:
            return N_("The card reader cannot be opened: no permission. Install "
                      "/etc/udev/rules.d/70-nser-kiosk.rules (see docs/devices.md).");
        case DEVICE_SCANNER:
            return N_("The scanner cannot be opened: no permission. Install "
                      "/etc/udev/rules.d/70-nser-kiosk.rules (see docs/devices.md).");
        default:
            return N_("The printer cannot be opened: no permission. Install "
                      "/etc/udev/rules.d/70-nser-kiosk.rules (see docs/devices.md).");
        }
    }
    if (p == DEVICE_PROBLEM_BUSY) {
        switch (role) {
        case DEVICE_CARD_READER:
            return N_("The card reader is in use by another program (pcscd?). Please tell "
                      "the staff.");
        case DEVICE_SCANNER:
            return N_("The scanner is in use by another program. Please tell the staff.");
        default:
            return N_("The printer is in use by another program. Please tell the staff.");
        }
    }
    switch (role) {
    case DEVICE_CARD_READER:
        return N_("This card reader is not supported. You can type the CNIC instead.");
    case DEVICE_SCANNER:
        return N_("This scanner is not supported. You can type the CNIC instead.");
    default:
        return N_("This printer is not supported.");
    }
}

static const char *fault_text(enum device_role role)
{
    switch (role) {
    case DEVICE_CARD_READER:
        return N_("The card reader stopped answering properly and was restarted.");
    case DEVICE_SCANNER:
        return N_("The scanner stopped answering properly and was restarted.");
    default:
        return N_("The printer stopped answering properly and was restarted.");
    }
}

static const char *unreadable_text(enum device_problem p)
{
    switch (p) {
    case DEVICE_PROBLEM_CARD_MUTE:
        return N_("This card does not answer. Check that it is put in the right way up, or "
                  "type the CNIC.");
    case DEVICE_PROBLEM_CARD_UNKNOWN:
        return N_("This card is not an identity card this kiosk can read. Please type the "
                  "CNIC.");
    case DEVICE_PROBLEM_CARD_BAD_CNIC:
        return N_("The number on this card could not be read correctly. Please type the "
                  "CNIC.");
    case DEVICE_PROBLEM_CARD_REMOVED:
        return N_("The card was taken out before it was read. Put it in again, or type the "
                  "CNIC.");
    default:
        return N_("The card could not be read. Take it out and put it in again, or type the "
                  "CNIC.");
    }
}

static const char *print_failed_text(enum device_problem p)
{
    switch (p) {
    case DEVICE_PROBLEM_PAPER_OUT:
        return N_("The printer is out of paper. Please tell the staff; your tracking ID is on "
                  "the screen.");
    case DEVICE_PROBLEM_COVER_OPEN:
        return N_("The printer's cover is open. Please tell the staff; your tracking ID is on "
                  "the screen.");
    case DEVICE_PROBLEM_OFFLINE:
        return N_("The printer is not ready (offline). Please tell the staff; your tracking ID "
                  "is on the screen.");
    case DEVICE_PROBLEM_GONE_MID_READ:
        return N_("The printer was unplugged while printing. Your tracking ID is on the "
                  "screen: please write it down.");
    default:
        return N_("The receipt could not be printed. Your tracking ID is on the screen: please "
                  "write it down.");
    }
}

static void take_cnic(struct flow *f, const struct device_event *ev)
{
    if (!flow_page_takes_cnic(f)) {
        notice(f,
               f->page == PAGE_HOME
                   ? N_("To use your card, first choose Check status or Register household.")
                   : N_("A CNIC was read, but this screen does not ask for one. It was not used."),
               false);
        return;
    }
    struct flow_device_cnic *c = &f->device_cnic;
    memset(c, 0, sizeof *c);
    snprintf(c->cnic, sizeof c->cnic, "%s", ev->cnic);
    snprintf(c->name, sizeof c->name, "%s", ev->name);
    snprintf(c->dob, sizeof c->dob, "%s", ev->dob);
    c->source = ev->role;
    f->device_cnic_ready = true;
    f->device_cnic_serial = f->serial;
    notice(f,
           ev->role == DEVICE_CARD_READER
               ? N_("CNIC read from the card. Check it, then press Enter.")
               : N_("CNIC read from the scan. Check it, then press Enter."),
           false);
    f->notice_page_bound = true;
}

void flow_device_event(struct flow *f, const struct device_event *ev)
{
    log_msg(LOG_INFO, "device event %d role %d problem %d: %s", (int)ev->kind, (int)ev->role,
            (int)ev->problem, ev->detail);
    switch (ev->kind) {
    case DEVICE_READY:
        /* Devices there from the start are simply used; one plugged in
         * later is announced, so whoever plugged it sees it works. */
        if (!ev->at_start)
            notice(f, ready_text(ev->role), false);
        break;
    case DEVICE_GONE: {
        bool mid = ev->problem == DEVICE_PROBLEM_GONE_MID_READ;
        if (ev->role == DEVICE_PRINTER && f->print_state == FLOW_PRINT_PRINTING) {
            f->print_state = FLOW_PRINT_FAILED;
            f->print_problem = print_failed_text(DEVICE_PROBLEM_GONE_MID_READ);
            mid = true;
        }
        notice(f, gone_text(ev->role, mid), true);
        break;
    }
    case DEVICE_UNUSABLE:
        notice(f, unusable_text(ev->role, ev->problem), true);
        break;
    case DEVICE_FAULT:
        notice(f, fault_text(ev->role), true);
        break;
    case CARD_INSERTED:
        notice(f, N_("Reading the card... please leave it in."), false);
        break;
    case CARD_REMOVED:
        if (ev->problem == DEVICE_PROBLEM_CARD_REMOVED)
            notice(f, unreadable_text(DEVICE_PROBLEM_CARD_REMOVED), true);
        else
            notice(f, N_("Card taken out."), false);
        break;
    case CARD_UNREADABLE:
        notice(f, unreadable_text(ev->problem), true);
        break;
    case CNIC_READ:
        take_cnic(f, ev);
        break;
    case SCAN_NOT_CNIC:
        notice(f,
               ev->problem == DEVICE_PROBLEM_SCAN_TOO_LONG
                   ? N_("That scan was too long to be an identity card. Please scan the back of "
                        "the card, or type the CNIC.")
                   : N_("No CNIC in that code. Please scan the back of the identity card, or "
                        "type the CNIC."),
               true);
        break;
    case PRINT_DONE:
        if (f->print_state == FLOW_PRINT_PRINTING) {
            f->print_state = FLOW_PRINT_DONE;
            f->receipt_printed = true;
        }
        /* The receipt page says it in its own words. */
        if (f->page != PAGE_REG_RECEIPT)
            notice(f, N_("Receipt printed. Please take it."), false);
        break;
    case PRINT_FAILED:
        if (f->print_state == FLOW_PRINT_PRINTING) {
            f->print_state = FLOW_PRINT_FAILED;
            f->print_problem = print_failed_text(ev->problem);
        }
        if (f->page != PAGE_REG_RECEIPT)
            notice(f, print_failed_text(ev->problem), true);
        break;
    }
}

/*
 * The printer prints ASCII only: in Urdu (Arabic script) the printed
 * receipt is written in Roman Urdu while the screen stays in Urdu, so
 * the language is switched for the texts below and back at the end.
 */
void flow_receipt_doc(const struct flow *f, struct receipt_doc *doc)
{
    const char *screen_lang = i18n_language();
    const char *print_lang = i18n_print_language();
    bool switched = strcmp(print_lang, screen_lang) != 0 && i18n_set_language(print_lang) == 0;
    memset(doc, 0, sizeof *doc);
    int d[3];
    flow_today(d);
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    snprintf(doc->title, sizeof doc->title, "%s", _("NSER registration receipt"));
    snprintf(doc->centre, sizeof doc->centre, "%s", f->cfg->centre_name);
    snprintf(doc->kiosk_line, sizeof doc->kiosk_line, _("Kiosk %s"), f->cfg->kiosk_code);
    snprintf(doc->date_line, sizeof doc->date_line, _("Date: %02d-%02d-%04d %02d:%02d"), d[2], d[1],
             d[0], tm.tm_hour, tm.tm_min);
    snprintf(doc->tracking_label, sizeof doc->tracking_label, "%s", _("Tracking ID"));
    tracking_format(&f->receipt, doc->tracking, sizeof doc->tracking);
    snprintf(doc->qr_payload, sizeof doc->qr_payload, "%s", f->receipt.digits);
    snprintf(doc->next_title, sizeof doc->next_title, "%s", _("What to do next"));
    snprintf(doc->next[0], sizeof doc->next[0], "%s",
             _("Keep this receipt. Your household's information will be checked by the "
               "registry; this takes some weeks."));
    snprintf(doc->next[1], sizeof doc->next[1],
             _("Check your status at any registration centre, by SMS to %s, or at the helpline "
               "%s, with your CNIC or this tracking ID."),
             f->cfg->sms_number, f->cfg->helpline);
    snprintf(doc->next[2], sizeof doc->next[2], "%s",
             _("Nobody may ask you for money for this registration."));
    doc->reprint = f->receipt_printed;
    if (switched)
        i18n_set_language(screen_lang);
}

void flow_print_receipt(struct flow *f)
{
    if (f->page != PAGE_REG_RECEIPT || f->print_state == FLOW_PRINT_PRINTING)
        return;
    bool present = f->devices.present && f->devices.present(f->devices.ud, DEVICE_PRINTER);
    if (!present || !f->devices.print) {
        f->print_state = FLOW_PRINT_NO_PRINTER;
        return;
    }
    struct receipt_doc doc;
    flow_receipt_doc(f, &doc);
    if (f->devices.print(f->devices.ud, &doc) != 0) {
        f->print_state = FLOW_PRINT_FAILED;
        f->print_problem = print_failed_text(DEVICE_PROBLEM_NONE);
    } else {
        f->print_state = FLOW_PRINT_PRINTING;
        log_msg(LOG_INFO, "receipt sent to the printer%s", doc.reprint ? " (copy)" : "");
    }
    explicit_bzero(&doc, sizeof doc);
}

enum flow_print_state flow_print_state(const struct flow *f)
{
    return f->print_state;
}

const char *flow_print_problem(const struct flow *f)
{
    return f->print_problem ? f->print_problem : "";
}

/*
 * field_page.h - a page that asks for one number (the head's CNIC, a CNIC
 * or tracking ID for a status check): a prompt, a hint, one masked field.
 * Enter submits the typed text to the flow; a refusal is shown at once and
 * the text stays for correcting. Esc goes back keeping it.
 */
#ifndef NSER_FIELD_PAGE_H
#define NSER_FIELD_PAGE_H

#include <stdbool.h>

#include "../kiosk/flow.h"
#include "field.h"
#include "frame.h"

struct field_page {
    const char *title; /* message ids */
    const char *prompt;
    const char *hint; /* or NULL */
    const char *label;
    enum field_kind kind;
    int width; /* columns of the field */
    const struct frame_hint *hints;
    int nhints;
    /* Hands the typed text to the flow: NULL, or a message id refusing it. */
    const char *(*submit)(struct flow *f, const char *text);
    /* Optional: fills the field on entering the page (e.g. a CNIC known). */
    void (*prefill)(struct field *field, struct flow *f);

    struct field *field; /* owned */
    const char *problem;
    char card_name[96]; /* what the identity card said, shown under the field */
    char card_dob[11];
};

int field_page_init(struct field_page *p);
void field_page_fini(struct field_page *p);
void field_page_wipe(struct field_page *p);
void field_page_enter(struct field_page *p, struct flow *f);
void field_page_draw(struct field_page *p, struct flow *f);
void field_page_key(struct field_page *p, struct flow *f, int ch, bool is_keycode);
/* A device read a CNIC for this page: it fills the field. */
void field_page_device(struct field_page *p, struct flow *f);

/* Defines `const struct screen_ops OPS` for the field page PAGE. */
#define FIELD_PAGE_SCREEN(OPS, NAME, PAGE)                                                         \
    static int OPS##_init(void)                                                                    \
    {                                                                                              \
        return field_page_init(&(PAGE));                                                           \
    }                                                                                              \
    static void OPS##_fini(void)                                                                   \
    {                                                                                              \
        field_page_fini(&(PAGE));                                                                  \
    }                                                                                              \
    static void OPS##_wipe(void)                                                                   \
    {                                                                                              \
        field_page_wipe(&(PAGE));                                                                  \
    }                                                                                              \
    static void OPS##_enter(struct flow *f)                                                        \
    {                                                                                              \
        field_page_enter(&(PAGE), f);                                                              \
    }                                                                                              \
    static void OPS##_draw(struct flow *f)                                                         \
    {                                                                                              \
        field_page_draw(&(PAGE), f);                                                               \
    }                                                                                              \
    static void OPS##_key(struct flow *f, int ch, bool is_keycode)                                 \
    {                                                                                              \
        field_page_key(&(PAGE), f, ch, is_keycode);                                                \
    }                                                                                              \
    static void OPS##_click(struct flow *f, int y, int x)                                          \
    {                                                                                              \
        (void)f;                                                                                   \
        (void)y;                                                                                   \
        (void)x;                                                                                   \
    }                                                                                              \
    static void OPS##_device(struct flow *f)                                                       \
    {                                                                                              \
        field_page_device(&(PAGE), f);                                                             \
    }                                                                                              \
    const struct screen_ops OPS = {NAME,       OPS##_init, OPS##_fini,  OPS##_wipe,  OPS##_enter,  \
                                   OPS##_draw, OPS##_key,  OPS##_click, OPS##_device}

#endif

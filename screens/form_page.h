/*
 * form_page.h - the behaviour every survey page shares: load the answers
 * from the household once per session, keep what was typed across Back and
 * Next, validate on submit, wipe when the session ends. A page supplies
 * its questions (a form), load and store functions, and where to go.
 */
#ifndef NSER_FORM_PAGE_H
#define NSER_FORM_PAGE_H

#include <stdbool.h>

#include "../kiosk/flow.h"
#include "form.h"

struct form_page {
    const char *title; /* message id */
    const char *intro; /* message id drawn above the questions, or NULL */
    struct form *form;
    bool loaded;
    /* Fills the form from the flow's household. */
    void (*load)(struct form *form, struct flow *f);
    /* Validates (setting errors on the form) and stores; true when stored. */
    bool (*store)(struct form *form, struct flow *f);
    void (*forward)(struct flow *f); /* after a successful store */
    void (*back)(struct flow *f);    /* Esc: leave, keeping typed text */
    /* Optional: runs before each enter; may set loaded = false to reload. */
    void (*prepare)(struct form_page *p, struct flow *f);
    /* Optional notice under the title (e.g. "this is an update"). */
    const char *(*notice)(struct flow *f, char *buf, size_t bufsz);
};

void form_page_wipe(struct form_page *p);
/* Loads from the household unless typed text is being kept. */
void form_page_enter(struct form_page *p, struct flow *f);
void form_page_draw(struct form_page *p, struct flow *f);
void form_page_key(struct form_page *p, struct flow *f, int ch, bool is_keycode);
void form_page_click(struct form_page *p, struct flow *f, int y, int x);

#endif

/*
 * Defines `const struct screen_ops OPS` for a form page PAGE whose questions
 * are added by BUILD(struct form *) (returning 0 or -1). Every survey page
 * is then its questions, its load/store functions and this one line.
 */
#define FORM_PAGE_SCREEN(OPS, NAME, PAGE, BUILD)                                                   \
    static int OPS##_init(void)                                                                    \
    {                                                                                              \
        (PAGE).form = form_new();                                                                  \
        return (PAGE).form ? BUILD((PAGE).form) : -1;                                              \
    }                                                                                              \
    static void OPS##_fini(void)                                                                   \
    {                                                                                              \
        form_free((PAGE).form);                                                                    \
        (PAGE).form = NULL;                                                                        \
    }                                                                                              \
    static void OPS##_wipe(void)                                                                   \
    {                                                                                              \
        form_page_wipe(&(PAGE));                                                                   \
    }                                                                                              \
    static void OPS##_enter(struct flow *f)                                                        \
    {                                                                                              \
        form_page_enter(&(PAGE), f);                                                               \
    }                                                                                              \
    static void OPS##_draw(struct flow *f)                                                         \
    {                                                                                              \
        form_page_draw(&(PAGE), f);                                                                \
    }                                                                                              \
    static void OPS##_key(struct flow *f, int ch, bool is_keycode)                                 \
    {                                                                                              \
        form_page_key(&(PAGE), f, ch, is_keycode);                                                 \
    }                                                                                              \
    static void OPS##_click(struct flow *f, int y, int x)                                          \
    {                                                                                              \
        form_page_click(&(PAGE), f, y, x);                                                         \
    }                                                                                              \
    const struct screen_ops OPS = {NAME,        OPS##_init, OPS##_fini, OPS##_wipe,                \
                                   OPS##_enter, OPS##_draw, OPS##_key,  OPS##_click}

/*
 * form.h - a page of questions: text fields and pick-one choices.
 *
 * Every survey page is a form built from a table of questions, so a new
 * page is data for this widget, not new widget code. Keys: Enter/Tab/Down
 * go to the next question (Enter on the last one submits), Up/Shift-Tab go
 * back, digits pick a choice, Esc leaves the page keeping what was typed.
 * Clicks focus a question or pick a choice. Validation is the caller's:
 * it sets errors per question.
 */
#ifndef NSER_FORM_H
#define NSER_FORM_H

#include <stdbool.h>

#include "field.h"

#define FORM_MAX_ITEMS   16
#define FORM_MAX_OPTIONS 9 /* chosen with one digit key */

enum form_result {
    FORM_NONE = 0,
    FORM_SUBMIT, /* the caller validates and moves on */
    FORM_BACK,   /* Esc: leave the page, values kept */
};

struct form;

struct form *form_new(void);
void form_free(struct form *f);

/* LABEL, HINT and options are message ids, translated when drawn. */
int form_add_text(struct form *f, const char *label, enum field_kind kind, int max,
                  const char *hint);
int form_add_choice(struct form *f, const char *label, const char *const *options, int n,
                    const char *hint);

struct field *form_field(struct form *f, int item);
int form_choice(const struct form *f, int item); /* -1 when none picked */
void form_set_choice(struct form *f, int item, int option);

void form_set_error(struct form *f, int item, const char *msgid);
void form_clear_errors(struct form *f);
bool form_has_errors(const struct form *f);
/* Focuses the first item with an error. */
void form_focus_first_error(struct form *f);

/* Wipes every value and error. */
void form_clear(struct form *f);

/* Draws the items from row TOP. */
void form_draw(struct form *f, int top);
enum form_result form_key(struct form *f, int ch, bool is_keycode);
enum form_result form_click(struct form *f, int y, int x);

#endif

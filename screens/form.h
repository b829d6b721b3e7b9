/*
 * form.h - a page of questions: text fields, pick-one choices and
 * searchable pick lists.
 *
 * The survey screen builds one form per questionnaire page, so a new
 * question is data for this widget, not new widget code. Texts (labels,
 * help, options) are given ready to show, in the current language, and
 * may be replaced before every draw; the form only borrows them.
 *
 * Keys: Enter/Tab/Down go to the next shown question (Enter on the last
 * one submits), Up/Shift-Tab go back, F2 submits, Esc leaves the page.
 * A choice is picked with its number (or Left/Right); a pick list filters
 * as letters are typed, its numbered rows are picked with their digit or
 * Up/Down and Enter, PgDn/PgUp page through it. Clicks focus a question
 * or pick an option. Validation is the caller's: it sets errors per item.
 */
#ifndef NSER_FORM_H
#define NSER_FORM_H

#include <stdbool.h>

#include "field.h"

#define FORM_MAX_ITEMS 24

enum form_result {
    FORM_NONE = 0,
    FORM_SUBMIT, /* the caller validates and moves on */
    FORM_BACK,   /* Esc: leave the page */
};

struct form;

struct form *form_new(void);
void form_free(struct form *f);

int form_add_text(struct form *f, enum field_kind kind, int max);
int form_add_choice(struct form *f); /* up to 9 options, picked by digit */
int form_add_pick(struct form *f);   /* any number, searchable */
int form_count(const struct form *f);

/* Borrowed display texts; HINT may be NULL. */
void form_set_text(struct form *f, int item, const char *label, const char *hint);
void form_set_options(struct form *f, int item, const char *const *options, int n);
void form_set_hidden(struct form *f, int item, bool hidden);
bool form_hidden(const struct form *f, int item);

struct field *form_field(struct form *f, int item); /* NULL for a choice or pick */
int form_choice(const struct form *f, int item);    /* -1 when none picked */
void form_set_choice(struct form *f, int item, int option);
int form_focus(const struct form *f);
/* Focuses ITEM, or the next shown one after it. */
void form_set_focus(struct form *f, int item);

/* MSG is a message id (translated when drawn) or text already translated. */
void form_set_error(struct form *f, int item, const char *msg);
void form_clear_errors(struct form *f);
void form_set_notice(struct form *f, const char *msg);

void form_draw(struct form *f, int top);
enum form_result form_key(struct form *f, int ch, bool is_keycode);
enum form_result form_click(struct form *f, int y, int x);

#endif

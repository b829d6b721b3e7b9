/*
 * dialog.h - a modal question in a box with numbered answers ("Delete
 * this member? 1 Yes  2 No"), each answer's digit drawn big beside it
 * (bigdigits.h). While open it takes every key; Esc answers
 * "cancel". A plain struct owned by the screen that asks.
 */
#ifndef NSER_DIALOG_H
#define NSER_DIALOG_H

#include <stdbool.h>

#define DIALOG_MAX     4
#define DIALOG_PENDING -1
#define DIALOG_CANCEL  -2

struct dialog {
    bool open;
    const char *text; /* message id */
    const char *options[DIALOG_MAX];
    int n;
    int focus;
    int row, rows, x[DIALOG_MAX], w[DIALOG_MAX]; /* the answers as drawn */
};

void dialog_open(struct dialog *d, const char *text, const char *const *options, int n);
void dialog_draw(struct dialog *d);
/* DIALOG_PENDING, DIALOG_CANCEL or the index answered (the dialog closes). */
int dialog_key(struct dialog *d, int ch, bool is_keycode);
int dialog_click(struct dialog *d, int y, int x);

#endif

/*
 * menu.h - a column of big numbered buttons (the home screen's choices,
 * the status result's next steps). Picked by number key, arrows + Enter,
 * or a click/touch anywhere on a button.
 */
#ifndef NSER_MENU_H
#define NSER_MENU_H

#include <stdbool.h>

#define MENU_MAX 6

struct menu_item {
    char key;          /* digit that picks it */
    const char *label; /* message id */
};

struct menu {
    struct menu_item items[MENU_MAX];
    int n;
    int focus;
    int rows[MENU_MAX]; /* top row of each button as last drawn */
    int height;         /* rows per button */
    int x0, x1;
};

/* Draws the buttons from row TOP, each HEIGHT rows, centred, W wide. The
 * digit is drawn 5 rows tall in buttons of 5 rows or more, 3 rows tall in
 * buttons of 3 or 4, plain in one-row buttons. Buttons are a row apart (two
 * when 5 tall). */
void menu_draw(struct menu *m, int top, int height, int w);
/* Rows N buttons of HEIGHT take, gaps included. */
int menu_rows(int n, int height);
/* The tallest button height (5 on a large screen, 3, else 1) at which N
 * buttons fit in FREE_ROWS. */
int menu_fit_height(int n, int free_rows);
/* Rows kept free at the body's bottom for the big + and * (applicant_keys). */
#define MENU_KEYS_ROWS 3
/* Returns the index picked by this key, or -1. Arrows move the focus. */
int menu_key(struct menu *m, int ch, bool is_keycode);
/* Returns the index of the button at (Y, X), or -1. */
int menu_click(const struct menu *m, int y, int x);

#endif

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

/* Draws the buttons from row TOP, each HEIGHT rows, centred, W wide. */
void menu_draw(struct menu *m, int top, int height, int w);
/* Returns the index picked by this key, or -1. Arrows move the focus. */
int menu_key(struct menu *m, int ch, bool is_keycode);
/* Returns the index of the button at (Y, X), or -1. */
int menu_click(const struct menu *m, int y, int x);

#endif

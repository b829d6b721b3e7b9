/*
 * keybar.h - a page's actions as number keys: a row of buttons, each with
 * its digit drawn big beside its words (bigdigits.h), for the pages whose
 * actions were letters or F-keys (the review's save, the receipt's copy).
 * The old keys keep working; the screen maps both to the same action.
 *
 * Drawn left of the + and * corner (right of it in Urdu, mirrored), so the
 * two symbols every applicant page shows stay free. Never takes a key
 * itself: the screen asks keybar_hit() for a click and reads the digit.
 */
#ifndef NSER_KEYBAR_H
#define NSER_KEYBAR_H

#include <stdbool.h>

#define KEYBAR_MAX 4

struct keybar_item {
    char key;          /* '1'..'9' */
    const char *label; /* message id, translated when drawn */
};

struct keybar {
    int n;
    struct {
        int y0, y1, x0, x1;
        char key;
    } hit[KEYBAR_MAX];
};

/* Rows the bar takes: the big digits' height (3, or 5 on the larger
 * layout). */
int keybar_rows(void);

/* Draws the N ITEMS from row Y, in the columns X .. X+W-1 (the bar keeps
 * clear of the + and * corner within them). FOCUS: the item highlighted,
 * or -1. */
void keybar_draw(struct keybar *kb, int y, int x, int w, const struct keybar_item *items, int n,
                 int focus);

/* The key of the button at (Y, X) as last drawn, or 0. */
char keybar_hit(const struct keybar *kb, int y, int x);

#endif

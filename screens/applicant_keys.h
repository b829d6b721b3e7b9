/*
 * applicant_keys.h - the two keys that mean the same on every page an
 * applicant sees: `+` back (as Esc) and `*` help / repeat. They are shown
 * big, with their words, in a corner of each of those pages, so someone
 * who reads little learns two symbols once.
 *
 * The screen manager (ui.c) asks here before a key reaches a screen; no
 * screen needs to know. Never used on the staff's pages (a password may
 * hold + or *).
 */
#ifndef NSER_APPLICANT_KEYS_H
#define NSER_APPLICANT_KEYS_H

#include <stdbool.h>

#include "../kiosk/flow.h"

#define APPLICANT_KEY_BACK '+'
#define APPLICANT_KEY_HELP '*'

/* What KEY means on an applicant page: Esc for +, APPLICANT_KEY_HELP for
 * *, anything else unchanged. */
int applicant_keys_map(int ch, bool is_keycode);

/* Message id of PAGE's help text (what the page wants, which keys). */
const char *applicant_keys_help_text(enum flow_page p);

/* Draws + and * big with their words in the body's bottom corner (the
 * right one; the left one in Urdu) where that corner is free, and the
 * page's help over the body when HELP. */
void applicant_keys_draw(enum flow_page p, bool help);

/* Columns of the body's bottom corner the big + and * take, with their
 * margin and a blank column: a page keeps them free for them (the bottom
 * rows of the larger digits' height). */
int applicant_keys_corner_width(void);

/* The key (Esc or APPLICANT_KEY_HELP) of the big symbol at (Y, X) as last
 * drawn, or 0. */
int applicant_keys_hit(int y, int x);

#endif

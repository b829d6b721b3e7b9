/*
 * frame.h - what every screen has around it: a title bar (centre, page
 * title, language) and a footer of key hints that are also buttons: a
 * click or touch on a hint acts as its key.
 */
#ifndef NSER_FRAME_H
#define NSER_FRAME_H

#include <curses.h>

#define FRAME_MAX_HINTS 8

struct frame_hint {
    const char *key;   /* what to press, as shown ("Esc", "Enter", "F9") */
    const char *label; /* message id, translated when drawn */
    int code;          /* key code a click on it sends */
};

/* Clears the screen and draws the title bar and footer hints (N of them). */
void frame_draw(const char *title, const struct frame_hint *hints, int n);

/* First and last rows a screen body may use. */
int frame_body_top(void);
int frame_body_bottom(void);

/* Key code of the hint at (Y, X) from the last frame_draw, or 0. */
int frame_hit(int y, int x);

/* A one-line message just above the footer (error in red, or a notice). */
void frame_message(const char *text, int is_error);

/* Called with every message frame_message() shows (not with a cleared
 * line), so the ui can speak it; NULL to stop. Keeps frame.c free of the
 * voice. */
void frame_set_message_hook(void (*hook)(const char *text, int is_error, void *ud), void *ud);

/* Centre name shown in the title bar (borrowed, must outlive the frame). */
void frame_set_centre(const char *name);

/* Shared hint for the language switch, usable from every screen. */
#define FRAME_KEY_LANGUAGE KEY_F(9)

#endif

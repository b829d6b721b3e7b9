/*
 * ui.h - the screen manager: joins the terminal to the event loop, routes
 * keys and clicks to the screen of the flow's current page, runs the idle
 * timeout, and redraws after every event and resize.
 */
#ifndef NSER_UI_H
#define NSER_UI_H

#include "../kiosk/flow.h"
#include "../kiosk/loop.h"

struct ui;

/* Starts the terminal. NULL with a message in ERR when it cannot. */
struct ui *ui_new(struct loop *loop, struct flow *flow, char *err, size_t errsz);
/* Something happened outside the terminal (a device event reached the
 * flow): let the screen take it, then redraw. */
void ui_refresh(struct ui *u);

/* Speaks each applicant page's prompt, and new notices, through VOICE
 * (borrowed; NULL: silent). Speaks the page shown now. */
struct voice_player;
void ui_set_voice(struct ui *u, struct voice_player *voice);

/* Restores the terminal and frees the screens. */
void ui_free(struct ui *u);

#endif

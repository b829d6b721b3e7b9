/*
 * screen.h - what each screen file exposes: one const struct screen_ops.
 *
 * A screen draws the page the flow is on and turns keys and clicks into
 * calls on the flow (after htop's panels: the screen never picks the next
 * screen itself). Screens keep only what is being typed; it is wiped when
 * the session ends. They never touch SQL or USB.
 */
#ifndef NSER_SCREEN_H
#define NSER_SCREEN_H

#include <stdbool.h>

#include "../kiosk/flow.h"

struct screen_ops {
    const char *name;
    int (*init)(void);  /* allocate widgets; 0 or -1 */
    void (*fini)(void); /* free them */
    void (*wipe)(void); /* forget everything typed (session ended) */
    void (*enter)(struct flow *f);
    void (*draw)(struct flow *f);
    void (*key)(struct flow *f, int ch, bool is_keycode);
    void (*click)(struct flow *f, int y, int x);
    /* Optional: a device event came (a CNIC may wait in the flow). */
    void (*device)(struct flow *f);
};

extern const struct screen_ops home_screen;
extern const struct screen_ops status_entry_screen;
extern const struct screen_ops status_result_screen;
extern const struct screen_ops reg_cnic_screen;
extern const struct screen_ops reg_resume_screen;
extern const struct screen_ops survey_screen;
extern const struct screen_ops reg_roster_screen;
extern const struct screen_ops reg_review_screen;
extern const struct screen_ops reg_score_screen;
extern const struct screen_ops reg_receipt_screen;
extern const struct screen_ops clerk_drafts_screen;
extern const struct screen_ops clerk_update_screen;
extern const struct screen_ops sync_screen;
extern const struct screen_ops login_screen;
extern const struct screen_ops today_screen;
extern const struct screen_ops reprint_screen;
extern const struct screen_ops accounts_screen;
extern const struct screen_ops audit_screen;
extern const struct screen_ops finger_screen;
extern const struct screen_ops finger_exception_screen;

#endif

/*
 * ccid_quirks.c - the table of per-model CCID fixes.
 *
 * An entry is added only for a model seen misbehaving, with what it does in
 * WHY, so the log explains the deviation. None is known yet for the
 * readers the centres use; the table and its lookup are the place for them.
 * Must never list models to accept or refuse.
 */
#include "ccid_quirks.h"

#include <stddef.h>

static const struct ccid_quirk quirks[] = {
    /* {0xVVVV, 0xPPPP, CCID_QUIRK_..., 0, "what the model does"}, */
    {0, 0, 0, 0, NULL}, /* end */
};

const struct ccid_quirk *ccid_quirk_find(uint16_t vid, uint16_t pid)
{
    for (const struct ccid_quirk *q = quirks; q->why; q++)
        if (q->vid == vid && q->pid == pid)
            return q;
    return NULL;
}

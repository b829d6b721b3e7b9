/*
 * privacy.c - privacy trimming: works out the cut-off from the retention
 * setting and has db/privacy_store.c delete what is past it.
 *
 * The retention is counted from the registry's acknowledgement, never from
 * the registration: a household the registry has not confirmed keeping is
 * never trimmed, however old. A trimmed household's fingerprint rows go
 * with its answers. Logs the count only, never who. Never draws,
 * never prints.
 */
#include "privacy.h"

#include <time.h>

#include "../db/biometrics.h"
#include "../db/privacy_store.h"
#include "config.h"
#include "log.h"

#define SECONDS_PER_DAY 86400

int privacy_trim(struct db *db, const struct config *cfg, int64_t now, size_t *trimmed)
{
    *trimmed = 0;
    int days = cfg->acknowledged_retention_days;
    /* config.c allows 1..3650; anything else means a caller's bug, and
     * trimming on a bad setting could delete what must be kept. */
    if (days < 1 || days > 3650 || now < (int64_t)days * SECONDS_PER_DAY) {
        log_msg(LOG_ERROR, "privacy trim: retention of %d days is not usable", days);
        return -1;
    }
    time_t cutoff = (time_t)(now - (int64_t)days * SECONDS_PER_DAY);
    enum db_result r = privacy_store_trim(db, cutoff, (time_t)now, trimmed);
    if (r != DB_OK) {
        log_msg(LOG_ERROR, "privacy trim failed: %s", db_last_error(db));
        return -1;
    }
    if (*trimmed > 0)
        log_msg(LOG_INFO, "privacy trim: %zu acknowledged registrations trimmed", *trimmed);
    /* Their fingerprint rows go too (the print itself was wiped when central
     * acknowledged it; what is left says which finger and when). Also done
     * for households trimmed before prints existed, so it runs every time. */
    size_t prints = 0;
    r = biometrics_forget_trimmed(db, &prints);
    if (r != DB_OK) {
        log_msg(LOG_ERROR, "privacy trim: fingerprint rows not removed: %s", db_last_error(db));
        return -1;
    }
    if (prints > 0)
        log_msg(LOG_INFO, "privacy trim: %zu fingerprint rows removed", prints);
    return 0;
}

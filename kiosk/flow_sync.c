/*
 * flow_sync.c - the session's side of sync: the freeze rule that stops new
 * registrations when records have waited too long for the registry, and
 * the clerk's sync page (backlog, export, import).
 *
 * The work is kiosk/sync.c's; this file decides who may do it and turns
 * its outcome into words. Never draws, never touches SQL or files itself;
 * logs counts only.
 */
#include "flow_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "i18n.h"
#include "log.h"

static const char *const frozen_text =
    N_("New registrations are paused: this centre's records have not reached the "
       "registry for too long. Status checks still work. Please ask the staff to sync.");

const char *flow_registration_frozen(struct flow *f, int *days)
{
    *days = 0;
    if (!sync_frozen(f->db, f->cfg, (int64_t)time(NULL), days))
        return NULL;
    log_msg(LOG_WARN, "new registration refused: records unacknowledged for %d days", *days);
    return frozen_text;
}

const char *flow_sync_frozen(const struct flow *f, const struct sync_info *si, int *days)
{
    return sync_info_frozen(si, f->cfg, (int64_t)time(NULL), days) ? frozen_text : NULL;
}

void flow_show_sync(struct flow *f)
{
    if (flow_clerk_mode(f)) {
        f->sync_result[0] = '\0';
        flow_set_page(f, PAGE_SYNC);
    }
}

int flow_sync_info(struct flow *f, struct sync_info *out)
{
    memset(out, 0, sizeof *out);
    return sync_info(f->db, out);
}

static void result(struct flow *f, bool is_error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void result(struct flow *f, bool is_error, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(f->sync_result, sizeof f->sync_result, fmt, ap);
    va_end(ap);
    f->sync_result_error = is_error;
}

void flow_sync_export(struct flow *f, sync_progress_cb progress, void *ud)
{
    if (!flow_clerk_mode(f) || f->page != PAGE_SYNC)
        return;
    struct sync_export_result r;
    char err[256] = "";
    memset(&r, 0, sizeof r);
    if (sync_export(f->db, f->cfg, f->cfg->sync_out_dir, progress, ud, &r, err, sizeof err) != 0)
        result(f, true, _("Export failed: %s"), err);
    else if (r.batch == 0)
        result(f, false, "%s", _("Nothing to send: every record has been acknowledged."));
    else
        result(f, false, _("Batch %llu written: %zu records, to %s."), (unsigned long long)r.batch,
               r.records, f->cfg->sync_out_dir);
    log_msg(LOG_INFO, "sync export from the screen: batch %llu, %zu records",
            (unsigned long long)r.batch, r.records);
    char subject[24], detail[48];
    snprintf(subject, sizeof subject, "%llu", (unsigned long long)r.batch);
    snprintf(detail, sizeof detail, "%zu records", r.records);
    flow_audit(f, AUDIT_SYNC_EXPORT, subject, detail);
}

void flow_sync_import(struct flow *f, sync_progress_cb progress, void *ud)
{
    if (!flow_clerk_mode(f) || f->page != PAGE_SYNC)
        return;
    struct sync_import_result r;
    char err[256] = "";
    memset(&r, 0, sizeof r);
    int rc = sync_import(f->db, f->cfg, f->cfg->sync_in_dir, progress, ud, &r, err, sizeof err);
    if (rc != 0 && r.files_refused == 0)
        result(f, true, _("Import failed: %s"), err);
    else if (r.files_refused)
        result(f, true,
               _("Imported %zu acknowledgements (%zu records acknowledged); %zu refused: %s"),
               r.files_applied, r.records_acked, r.files_refused, r.refusal);
    else if (r.files_applied == 0)
        result(f, false, _("Nothing new to import from %s."), f->cfg->sync_in_dir);
    else
        result(f, false,
               _("Imported %zu acknowledgements: %zu records acknowledged, %zu statuses changed, "
                 "%zu entries for the district."),
               r.files_applied, r.records_acked, r.statuses_changed, r.snapshot_entries);
    log_msg(LOG_INFO, "sync import from the screen: %zu applied, %zu refused", r.files_applied,
            r.files_refused);
    char detail[96];
    snprintf(detail, sizeof detail, "%zu applied, %zu refused, %zu records acknowledged",
             r.files_applied, r.files_refused, r.records_acked);
    flow_audit(f, AUDIT_SYNC_IMPORT, "", detail);
}

const char *flow_sync_result(const struct flow *f, bool *is_error)
{
    if (is_error)
        *is_error = f->sync_result_error;
    return f->sync_result[0] ? f->sync_result : NULL;
}

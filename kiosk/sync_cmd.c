/*
 * sync_cmd.c - `nser-kiosk sync export|import|status`: parse the
 * arguments, call kiosk/sync.c, print one line per result in plain words.
 *
 * Only the two streams it is given are written; it never exits and never
 * prints personal data (the sync results carry counts and file names).
 */
#include "sync_cmd.h"

#include <inttypes.h>
#include <string.h>
#include <time.h>

#include "i18n.h"
#include "sync.h"

static int usage(FILE *err)
{
    fputs(_("Usage: nser-kiosk sync export [--out DIR]\n"
            "       nser-kiosk sync import [--in DIR]\n"
            "       nser-kiosk sync status\n"),
          err);
    return 2;
}

static void print_time(FILE *out, int64_t t)
{
    char buf[32];
    time_t tt = (time_t)t;
    struct tm tm;
    if (t > 0 && gmtime_r(&tt, &tm) && strftime(buf, sizeof buf, "%Y-%m-%d %H:%M UTC", &tm))
        fputs(buf, out);
    else
        fputs(_("never"), out);
}

static void print_file(void *ud, const char *name, enum sync_file_outcome outcome,
                       const char *detail)
{
    FILE *out = ud;
    const char *what = outcome == SYNC_FILE_APPLIED   ? _("applied")
                       : outcome == SYNC_FILE_SKIPPED ? _("skipped")
                                                      : _("refused");
    fprintf(out, "%s: %s (%s)\n", name, what, detail);
}

static int do_status(struct db *db, const struct config *cfg, FILE *out, FILE *err)
{
    struct sync_info si;
    if (sync_info(db, &si) != 0) {
        fprintf(err, _("nser-kiosk sync: the database could not be read: %s\n"), db_last_error(db));
        return 1;
    }
    fprintf(out, _("backlog: %zu records not yet acknowledged\n"), si.backlog);
    if (si.backlog) {
        int64_t age = (int64_t)time(NULL) - si.oldest_unacked;
        fprintf(out, _("oldest unacknowledged: %" PRId64 " days old ("), age > 0 ? age / 86400 : 0);
        print_time(out, si.oldest_unacked);
        fputs(")\n", out);
    }
    int days;
    if (sync_info_frozen(&si, cfg, (int64_t)time(NULL), &days))
        fprintf(out,
                _("new registrations: PAUSED (a record has waited %d days; freeze_after_days "
                  "is %d): export, deliver and import to resume\n"),
                days, cfg->freeze_after_days);
    else
        fprintf(out, "%s", _("new registrations: open\n"));
    fprintf(out, _("last export: batch %" PRIu64 ", "), si.last_batch);
    print_time(out, si.last_export);
    fprintf(out, _("\nlast import: acknowledgement %" PRIu64 ", "), si.last_ack);
    print_time(out, si.last_import);
    fputs("\n", out);
    return 0;
}

int sync_command(int argc, char **argv, struct db *db, const struct config *cfg, FILE *out,
                 FILE *err)
{
    if (argc < 2)
        return usage(err);
    const char *cmd = argv[1];
    const char *dir = NULL;
    bool is_export = strcmp(cmd, "export") == 0, is_import = strcmp(cmd, "import") == 0;
    if (!is_export && !is_import && strcmp(cmd, "status") != 0)
        return usage(err);
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        bool takes = (is_export && strcmp(a, "--out") == 0) ||
                     (is_import && strcmp(a, "--in") == 0) || strcmp(a, "--db") == 0 ||
                     strcmp(a, "--config") == 0;
        if (!takes) {
            fprintf(err, _("nser-kiosk sync: unknown option '%s'\n"), a);
            return usage(err);
        }
        if (i + 1 >= argc) {
            fprintf(err, _("nser-kiosk sync: %s needs a value\n"), a);
            return 2;
        }
        if (a[2] == 'o' || a[2] == 'i')
            dir = argv[i + 1];
        i++;
    }
    if (!is_export && !is_import)
        return do_status(db, cfg, out, err);

    char why[512];
    if (is_export) {
        if (!dir)
            dir = cfg->sync_out_dir;
        struct sync_export_result res;
        if (sync_export(db, cfg, dir, NULL, NULL, &res, why, sizeof why) != 0) {
            fprintf(err, _("nser-kiosk sync export: %s\n"), why);
            return 1;
        }
        if (res.batch == 0)
            fputs(_("nothing to send\n"), out);
        else
            fprintf(out, _("batch %" PRIu64 ": %zu records -> %s\n"), res.batch, res.records,
                    res.file);
        return 0;
    }
    if (!dir)
        dir = cfg->sync_in_dir;
    struct sync_import_result res;
    int rc = sync_import_each(db, cfg, dir, NULL, NULL, print_file, out, &res, why, sizeof why);
    if (rc != 0 && res.files_applied + res.files_skipped + res.files_refused == 0) {
        fprintf(err, _("nser-kiosk sync import: %s\n"), why);
        return 1;
    }
    fprintf(out,
            _("%zu applied, %zu already imported, %zu refused; %zu records acknowledged, "
              "%zu statuses changed, %zu snapshot entries\n"),
            res.files_applied, res.files_skipped, res.files_refused, res.records_acked,
            res.statuses_changed, res.snapshot_entries);
    if (rc != 0) {
        fprintf(err, _("nser-kiosk sync import: %s\n"), why);
        return 1;
    }
    return 0;
}

/*
 * audit_cmd.c - `nser-kiosk audit verify|show`: parse the arguments, call
 * kiosk/audit.c (verify) or the store (show, which needs no key), print
 * one line per result.
 *
 * verify never makes a key: a trail with rows and no key file is reported
 * as uncheckable rather than "broken at row 1" under a fresh key. Only the
 * two streams it is given are written; it never exits.
 */
#include "audit_cmd.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "../db/audit_store.h"
#include "audit.h"
#include "i18n.h"

#define SHOW_DEFAULT 20
#define SHOW_MAX     1000
#define PAGE         50

static int usage(FILE *err)
{
    fputs(_("Usage: nser-kiosk audit verify\n"
            "       nser-kiosk audit show [--limit N] [--before ID]\n"),
          err);
    return 2;
}

/* A whole positive decimal number up to MAX into *OUT; false otherwise. */
static bool parse_count(const char *s, long long max, long long *out)
{
    if (!s || !*s || strspn(s, "0123456789") != strlen(s) || strlen(s) > 18)
        return false;
    long long v = strtoll(s, NULL, 10);
    if (v < 1 || v > max)
        return false;
    *out = v;
    return true;
}

static int do_verify(struct db *db, const struct config *cfg, FILE *out, FILE *err)
{
    struct audit_head head;
    if (audit_store_head(db, &head) != DB_OK) {
        fprintf(err, _("nser-kiosk audit: the database could not be read: %s\n"),
                db_last_error(db));
        return 1;
    }
    char path[CONFIG_PATH_MAX + 16];
    struct stat st;
    snprintf(path, sizeof path, "%s/audit.key", cfg->key_dir);
    if (head.count > 0 && stat(path, &st) != 0 && errno == ENOENT) {
        fprintf(err, _("nser-kiosk audit verify: %s is missing: the trail cannot be checked\n"),
                path);
        return 1;
    }
    char why[256];
    struct audit *a = audit_open(db, cfg->key_dir, why, sizeof why);
    if (!a) {
        fprintf(err, _("nser-kiosk audit verify: %s\n"), why);
        return 1;
    }
    int64_t checked = 0, bad = 0;
    int rc = audit_verify(a, &checked, &bad, why, sizeof why);
    audit_free(a);
    if (rc < 0) {
        fprintf(err, _("nser-kiosk audit verify: the database could not be read: %s\n"), why);
        return 1;
    }
    if (rc > 0) {
        fprintf(out, _("audit trail BROKEN: %s (%" PRId64 " entries before it intact)\n"), why,
                checked);
        return 1;
    }
    fprintf(out, _("audit trail intact: %" PRId64 " entries\n"), checked);
    return 0;
}

static void print_row(FILE *out, const struct audit_row *r)
{
    /* The stored time is "YYYY-MM-DDTHH:MM:SSZ": shown as date, time, UTC. */
    char at[32];
    if (strlen(r->at) == AUDIT_ROW_AT_LEN)
        snprintf(at, sizeof at, "%.10s %.8s UTC", r->at, r->at + 11);
    else
        snprintf(at, sizeof at, "%s", r->at);
    fprintf(out, "%" PRId64 "\t%s\t%s\t%s\t%s\t%s\n", r->id, at, r->actor, r->action,
            r->subject[0] ? r->subject : "-", r->detail[0] ? r->detail : "-");
}

static int do_show(struct db *db, long long limit, long long before, FILE *out, FILE *err)
{
    struct audit_row rows[PAGE];
    long long shown = 0;
    while (shown < limit) {
        size_t want = limit - shown < PAGE ? (size_t)(limit - shown) : PAGE, n = 0;
        if (audit_store_page(db, before, rows, want, &n) != DB_OK) {
            fprintf(err, _("nser-kiosk audit: the database could not be read: %s\n"),
                    db_last_error(db));
            return 1;
        }
        for (size_t i = 0; i < n; i++)
            print_row(out, &rows[i]);
        shown += (long long)n;
        if (n < want)
            break;
        before = rows[n - 1].id;
    }
    if (shown == 0)
        fputs(_("no audit entries\n"), out);
    return 0;
}

int audit_command(int argc, char **argv, struct db *db, const struct config *cfg, FILE *out,
                  FILE *err)
{
    if (argc < 2)
        return usage(err);
    bool verify = strcmp(argv[1], "verify") == 0, show = strcmp(argv[1], "show") == 0;
    if (!verify && !show)
        return usage(err);
    long long limit = SHOW_DEFAULT, before = 0;
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        bool is_limit = show && strcmp(a, "--limit") == 0;
        bool is_before = show && strcmp(a, "--before") == 0;
        if (!is_limit && !is_before && strcmp(a, "--db") != 0 && strcmp(a, "--config") != 0) {
            fprintf(err, _("nser-kiosk audit: unknown option '%s'\n"), a);
            return usage(err);
        }
        if (i + 1 >= argc) {
            fprintf(err, _("nser-kiosk audit: %s needs a value\n"), a);
            return 2;
        }
        const char *v = argv[++i];
        if ((is_limit && !parse_count(v, SHOW_MAX, &limit)) ||
            (is_before && !parse_count(v, INT64_MAX, &before))) {
            fprintf(err, _("nser-kiosk audit: %s wants a whole number from 1 to %lld\n"), a,
                    is_limit ? (long long)SHOW_MAX : (long long)INT64_MAX);
            return 2;
        }
    }
    if (!db || !cfg) {
        fputs(_("nser-kiosk audit: no database\n"), err);
        return 1;
    }
    return verify ? do_verify(db, cfg, out, err) : do_show(db, limit, before, out, err);
}

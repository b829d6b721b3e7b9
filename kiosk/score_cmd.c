/*
 * score_cmd.c - `nser-kiosk score`: read the answers, the table and the
 * thresholds, score, and print for a person or (--json) for a machine.
 *
 * Wiring only: the rules live in scorecard.c and thresholds.c, the file
 * reading in answers_json.c. The score shown is always marked provisional
 * (the central registry decides). Writes only to the streams it is given;
 * never exits.
 */
#include "score_cmd.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "answers_json.h"
#include "i18n.h"
#include "scorecard.h"
#include "thresholds.h"

#define EXIT_SCORED 0
#define EXIT_BAD    1
#define EXIT_USAGE  2

struct options {
    bool json;
    const char *table;
    const char *thresholds;
    const char *lang;
    const char *file;
    int today[3];
    bool have_today;
};

static void usage(FILE *out)
{
    fprintf(out, "%s",
            _("Usage: nser-kiosk score [--json] [--table FILE] [--thresholds FILE]\n"
              "                        [--lang en|ur_Latn] [--today YYYY-MM-DD] ANSWERS.json\n"
              "\n"
              "Scores the household in ANSWERS.json (a JSON answers file) with the\n"
              "score table and shows each programme's decision. The score is\n"
              "provisional: the central registry decides.\n"
              "  --json              print one JSON object instead of text\n"
              "  --table FILE        the score table (default: the configured one)\n"
              "  --thresholds FILE   the programmes and cut-offs (default: the configured ones)\n"
              "  --lang CODE         language of the table's labels and of the output\n"
              "  --today YYYY-MM-DD  the date ages from birth dates are counted to\n"
              "Exit status: 0 scored, 1 a bad file or a household the table cannot score,\n"
              "2 wrong usage.\n"));
}

/* YYYY-MM-DD, strictly. */
static bool parse_date(const char *s, int out[3])
{
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return false;
    int v[3] = {0, 0, 0};
    static const int at[3][2] = {{0, 4}, {5, 2}, {8, 2}};
    for (int k = 0; k < 3; k++)
        for (int i = at[k][0]; i < at[k][0] + at[k][1]; i++) {
            if (s[i] < '0' || s[i] > '9')
                return false;
            v[k] = v[k] * 10 + (s[i] - '0');
        }
    if (v[0] < 1900 || v[1] < 1 || v[1] > 12 || v[2] < 1 || v[2] > 31)
        return false;
    memcpy(out, v, sizeof v);
    return true;
}

/* --name VALUE or --name=VALUE at ARGV[*I]; NULL when ARGV[*I] is not --name. */
static const char *option_value(int argc, char **argv, int *i, const char *name, bool *missing)
{
    size_t n = strlen(name);
    const char *a = argv[*i];
    *missing = false;
    if (strncmp(a, name, n) != 0)
        return NULL;
    if (a[n] == '=')
        return a + n + 1;
    if (a[n] != '\0')
        return NULL;
    if (*i + 1 >= argc) {
        *missing = true;
        return NULL;
    }
    return argv[++*i];
}

/* 0 to go on, else the exit status (help shown: 0 via *DONE; usage: 2). */
static int parse_args(int argc, char **argv, struct options *o, FILE *out, FILE *err, bool *done)
{
    static const char *const valued[] = {"--table", "--thresholds", "--lang", "--today"};
    bool options_end = false;
    *done = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!options_end && strcmp(a, "--") == 0) {
            options_end = true;
            continue;
        }
        if (!options_end && (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0)) {
            usage(out);
            *done = true;
            return EXIT_SCORED;
        }
        if (!options_end && strcmp(a, "--json") == 0) {
            o->json = true;
            continue;
        }
        if (!options_end && a[0] == '-' && a[1] != '\0') {
            const char *v = NULL;
            size_t k;
            bool missing = false;
            for (k = 0; k < sizeof valued / sizeof valued[0]; k++)
                if ((v = option_value(argc, argv, &i, valued[k], &missing)) != NULL || missing)
                    break;
            if (missing || !v || !*v) {
                if (missing || v)
                    fprintf(err, _("nser-kiosk score: %s needs a value\n"), a);
                else
                    fprintf(err, _("nser-kiosk score: unknown option '%s'\n"), a);
                fprintf(err, "%s", _("Try 'nser-kiosk score --help'.\n"));
                return EXIT_USAGE;
            }
            if (k == 0)
                o->table = v;
            else if (k == 1)
                o->thresholds = v;
            else if (k == 2) {
                o->lang = v;
                /* The fixed words follow the labels' language when the
                 * program has a catalog for it. */
                if (i18n_language_known(v))
                    i18n_set_language(v);
            } else if (!parse_date(v, o->today)) {
                fprintf(err, _("nser-kiosk score: --today needs a date as YYYY-MM-DD, not '%s'\n"),
                        v);
                return EXIT_USAGE;
            } else {
                o->have_today = true;
            }
            continue;
        }
        if (o->file) {
            fprintf(err, "%s", _("nser-kiosk score: give one answers file\n"));
            return EXIT_USAGE;
        }
        o->file = a;
    }
    if (!o->file) {
        fprintf(err, "%s",
                _("nser-kiosk score: which answers file? Try 'nser-kiosk score --help'.\n"));
        return EXIT_USAGE;
    }
    if (!o->table) {
        fprintf(err, "%s", _("nser-kiosk score: no score table: give --table FILE\n"));
        return EXIT_USAGE;
    }
    return EXIT_SCORED;
}

static void print_load_error(FILE *err, const char *path, const struct score_error *e)
{
    if (e->line > 0)
        fprintf(err, "nser-kiosk score: %s:%d: %s\n", path, e->line, e->reason);
    else
        fprintf(err, "nser-kiosk score: %s: %s\n", path, e->reason);
}

static const char *lang_known(const struct scorecard *sc, const char *lang)
{
    for (size_t i = 0; i < scorecard_language_count(sc); i++)
        if (strcmp(scorecard_language(sc, i), lang) == 0)
            return lang;
    return NULL;
}

/* "< 16.17" or "<= 32" for a decision with a cut-off. */
static void cutoff_text(const struct programme_decision *d, char *out, size_t outsz)
{
    char num[32];
    score_format(score_to_micro(d->threshold), num, sizeof num);
    snprintf(out, outsz, "%s %s", d->inclusive ? "<=" : "<", num);
}

static void print_text(FILE *out, const struct options *o, const struct scorecard *sc,
                       const struct score_result *r, const struct thresholds *th,
                       const struct programme_decision *d, size_t n)
{
    char total[32], sum[32], lo[32], hi[32];
    double dlo, dhi;
    scorecard_range(sc, &dlo, &dhi);
    score_format(score_to_micro(r->total), total, sizeof total);
    score_format(score_to_micro(r->sum), sum, sizeof sum);
    score_format(score_to_micro(dlo), lo, sizeof lo);
    score_format(score_to_micro(dhi), hi, sizeof hi);
    fprintf(out, _("Household: %s\n"), o->file);
    fprintf(out, _("Score table: %s version %s\n"), scorecard_id(sc), scorecard_version(sc));
    fprintf(out, _("Provisional score: %s (range %s to %s; the central registry decides)\n"), total,
            lo, hi);
    if (r->sum != r->total)
        fprintf(out, _("  The points add up to %s, kept within the range.\n"), sum);
    for (size_t i = 0; i < r->n_lines; i++) {
        char pts[32];
        score_format(score_to_micro(r->lines[i].points), pts, sizeof pts);
        fprintf(out, "  %-52s %-24s %6s\n", scorecard_indicator_label(sc, i, o->lang),
                r->lines[i].answer, pts);
    }
    if (!th)
        return;
    fprintf(out, _("Programmes (thresholds %s version %s):\n"), thresholds_id(th),
            thresholds_version(th));
    for (size_t i = 0; i < n; i++) {
        char cut[48];
        const char *label = thresholds_programme_label(th, d[i].index, o->lang);
        fprintf(out, "  %s [%s]: ", label, d[i].programme);
        if (d[i].has_threshold)
            cutoff_text(&d[i], cut, sizeof cut);
        switch (d[i].outcome) {
        case PROGRAMME_ELIGIBLE:
            if (d[i].has_threshold)
                fprintf(out, _("eligible (score %s %s)\n"), total, cut);
            else
                fprintf(out, "%s", _("eligible\n"));
            break;
        case PROGRAMME_NOT_ELIGIBLE:
            if (d[i].failed_requirement[0])
                fprintf(out, _("not eligible (open only to households eligible for %s)\n"),
                        d[i].failed_requirement);
            else
                fprintf(out, _("not eligible (needs score %s)\n"), cut);
            break;
        case PROGRAMME_UNDECIDED:
            if (d[i].unanswered[0])
                fprintf(out, _("undecided (the question '%s' is not answered)\n"), d[i].unanswered);
            else if (d[i].failed_requirement[0])
                fprintf(out, _("undecided (%s is undecided)\n"), d[i].failed_requirement);
            else
                fprintf(out, "%s", _("undecided\n"));
            break;
        }
    }
}

/* A number as JSON: whole numbers as integers, others with their decimals. */
static json_t *json_score(double v)
{
    long long micro = score_to_micro(v);
    if (micro % SCORE_UNIT == 0)
        return json_integer(micro / SCORE_UNIT);
    return json_real(v);
}

static int set(json_t *obj, const char *key, json_t *v)
{
    return json_object_set_new(obj, key, v);
}

static json_t *result_json(const struct options *o, const struct scorecard *sc,
                           const struct score_result *r, int scored, const char *problem,
                           const struct thresholds *th, const struct programme_decision *d,
                           size_t n)
{
    json_t *root = json_object(), *table = json_object(), *lines = json_array();
    int bad = !root || !table || !lines;
    double lo, hi;
    scorecard_range(sc, &lo, &hi);
    bad |= set(root, "file", json_string(o->file));
    bad |= set(root, "provisional", json_true());
    bad |= set(table, "id", json_string(scorecard_id(sc)));
    bad |= set(table, "version", json_string(scorecard_version(sc)));
    bad |= set(table, "min", json_score(lo));
    bad |= set(table, "max", json_score(hi));
    bad |= set(root, "table", table);
    bad |= set(root, "scored", json_boolean(scored));
    if (scored) {
        bad |= set(root, "score", json_score(r->total));
        bad |= set(root, "sum", json_score(r->sum));
    } else {
        json_t *p = json_object();
        bad |= !p;
        bad |= set(p, "indicator", json_string(r->problem.indicator_id));
        bad |= set(p, "question",
                   r->problem.question[0] ? json_string(r->problem.question) : json_null());
        bad |= set(p, "member",
                   r->problem.member == ANSWERS_HOUSEHOLD ? json_null()
                                                          : json_integer(r->problem.member));
        bad |= set(p, "answer", r->problem.value[0] ? json_string(r->problem.value) : json_null());
        bad |= set(p, "message", json_string(problem));
        bad |= set(root, "problem", p);
    }
    for (size_t i = 0; i < r->n_lines; i++) {
        json_t *l = json_object();
        bad |= !l;
        bad |= set(l, "id", json_string(r->lines[i].indicator));
        bad |= set(l, "label", json_string(scorecard_indicator_label(sc, i, o->lang)));
        bad |= set(l, "answer", json_string(r->lines[i].answer));
        bad |= set(l, "points", json_score(r->lines[i].points));
        bad |= json_array_append_new(lines, l);
    }
    bad |= set(root, "indicators", lines);
    if (th && scored) {
        json_t *t = json_object(), *progs = json_array();
        bad |= !t || !progs;
        bad |= set(t, "id", json_string(thresholds_id(th)));
        bad |= set(t, "version", json_string(thresholds_version(th)));
        bad |= set(root, "thresholds", t);
        for (size_t i = 0; i < n; i++) {
            static const char *const words[] = {"not_eligible", "eligible", "undecided"};
            json_t *p = json_object();
            bad |= !p;
            bad |= set(p, "id", json_string(d[i].programme));
            bad |=
                set(p, "label", json_string(thresholds_programme_label(th, d[i].index, o->lang)));
            bad |= set(p, "decision", json_string(words[d[i].outcome]));
            bad |= set(p, "eligible", json_boolean(d[i].eligible));
            bad |=
                set(p, "threshold", d[i].has_threshold ? json_score(d[i].threshold) : json_null());
            bad |= set(p, "comparison",
                       d[i].has_threshold ? json_string(d[i].inclusive ? "<=" : "<") : json_null());
            bad |= set(p, "requirement_failed",
                       d[i].failed_requirement[0] ? json_string(d[i].failed_requirement)
                                                  : json_null());
            bad |= set(p, "unanswered",
                       d[i].unanswered[0] ? json_string(d[i].unanswered) : json_null());
            bad |= json_array_append_new(progs, p);
        }
        bad |= set(root, "programmes", progs);
    }
    if (bad) {
        json_decref(root);
        return NULL;
    }
    return root;
}

static int print_json(FILE *out, FILE *err, json_t *root)
{
    if (!root || json_dumpf(root, out, JSON_INDENT(2) | JSON_REAL_PRECISION(15)) != 0) {
        fprintf(err, "%s", _("nser-kiosk score: out of memory\n"));
        json_decref(root);
        return EXIT_BAD;
    }
    fputc('\n', out);
    json_decref(root);
    return EXIT_SCORED;
}

static void today_now(int today[3])
{
    time_t t = time(NULL);
    struct tm tm;
    if (localtime_r(&t, &tm)) {
        today[0] = tm.tm_year + 1900;
        today[1] = tm.tm_mon + 1;
        today[2] = tm.tm_mday;
    }
}

static int run(const struct options *o, struct scorecard *sc, struct thresholds *th,
               struct answers *a, FILE *out, FILE *err)
{
    struct score_result r;
    struct programme_decision d[TH_PROGRAMMES_MAX];
    size_t n = 0;
    int scored = scorecard_score(sc, a, o->today, &r) == 0;
    if (scored && th)
        thresholds_decide(th, a, r.total, o->today, d, TH_PROGRAMMES_MAX, &n);
    char problem[512] = "";
    if (!scored) {
        scorecard_problem_text(sc, &r.problem, o->lang, problem, sizeof problem);
        fprintf(err, _("nser-kiosk score: %s: cannot be scored with table %s version %s: %s\n"),
                o->file, scorecard_id(sc), scorecard_version(sc), problem);
    }
    if (o->json) {
        int rc = print_json(out, err, result_json(o, sc, &r, scored, problem, th, d, n));
        return scored ? rc : EXIT_BAD;
    }
    if (scored)
        print_text(out, o, sc, &r, th, d, n);
    return scored ? EXIT_SCORED : EXIT_BAD;
}

int score_command(int argc, char **argv, const struct score_paths *paths, FILE *out, FILE *err)
{
    struct options o;
    memset(&o, 0, sizeof o);
    o.table = paths ? paths->table : NULL;
    o.thresholds = paths ? paths->thresholds : NULL;
    bool done;
    int rc = parse_args(argc, argv, &o, out, err, &done);
    if (rc != EXIT_SCORED || done)
        return rc;
    if (!o.have_today)
        today_now(o.today);

    struct score_error se;
    struct scorecard *sc = scorecard_load(o.table, &se);
    if (!sc) {
        print_load_error(err, o.table, &se);
        return EXIT_BAD;
    }
    if (o.lang && !lang_known(sc, o.lang)) {
        fprintf(err, _("nser-kiosk score: the table has no labels in '%s'\n"), o.lang);
        scorecard_free(sc);
        return EXIT_USAGE;
    }
    struct thresholds *th = NULL;
    if (o.thresholds) {
        th = thresholds_load(o.thresholds, &se);
        if (!th) {
            print_load_error(err, o.thresholds, &se);
            scorecard_free(sc);
            return EXIT_BAD;
        }
        if (!thresholds_match_table(th, sc)) {
            fprintf(err,
                    _("nser-kiosk score: %s: these cut-offs are for table %s version %s, not %s "
                      "version %s\n"),
                    o.thresholds, thresholds_table_id(th), thresholds_table_version(th),
                    scorecard_id(sc), scorecard_version(sc));
            thresholds_free(th);
            scorecard_free(sc);
            return EXIT_BAD;
        }
    }
    struct answers_json_error je;
    struct answers *a = answers_json_load(o.file, NULL, 0, &je);
    if (!a) {
        if (je.line > 0)
            fprintf(err, "nser-kiosk score: %s:%d:%d: %s\n", o.file, je.line, je.column, je.reason);
        else
            fprintf(err, "nser-kiosk score: %s: %s\n", o.file, je.reason);
        rc = EXIT_BAD;
    } else {
        rc = run(&o, sc, th, a, out, err);
    }
    answers_free(a);
    thresholds_free(th);
    scorecard_free(sc);
    return rc;
}

/*
 * main.c - nser-kiosk's entry point: the command line, and the wiring of
 * configuration, database, flow and screens around the one event loop.
 *
 *   nser-kiosk [--kiosk] [--db PATH] [--config PATH] [--lang CODE]
 *   nser-kiosk status CNIC|TRACKING-ID [--db PATH] [--config PATH]
 *   nser-kiosk doctor [--config PATH] | doctor --udev-rules
 *              | doctor --fingerprint-udev-rules [HWDB]
 *   nser-kiosk keys init|show|install-central FILE [--config PATH]
 *   nser-kiosk sync export --out DIR | import --in DIR | status [--db PATH] [--config PATH]
 *   nser-kiosk user add|passwd|disable|enable|list ... [--db PATH] [--config PATH]
 *   nser-kiosk audit verify|show ... [--db PATH] [--config PATH]
 *   nser-kiosk voice list [--lang L] | say ID [--lang L] --out FILE.wav [--config PATH]
 *
 * With neither --db nor --config the kiosk runs on the embedded default
 * under ./var/, creating it on first start. Errors go to stderr in plain
 * words; nothing here draws except through screens/ui.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../db/db.h"
#include "../drivers/roles.h"
#include "../drivers/usb.h"
#include "../screens/crt.h"
#include "../drivers/fingerprint.h"
#include "../screens/ui.h"
#include "biometric_vault.h"
#include "config.h"
#include "datafiles.h"
#include "doctor_cmd.h"
#include "flow.h"
#include "i18n.h"
#include "audit_cmd.h"
#include "keys_cmd.h"
#include "log.h"
#include "loop.h"
#include "privacy.h"
#include "questionnaire.h"
#include "score_cmd.h"
#include "scoring.h"
#include "status_query.h"
#include "sync_cmd.h"
#include "user_cmd.h"
#include "voice_cmd.h"
#include "voice_player.h"

#define DEFAULT_DIR    "var"
#define DEFAULT_CONFIG DEFAULT_DIR "/nser-kiosk.conf"
#define DEFAULT_DB     DEFAULT_DIR "/nser-kiosk.db"

#define QUESTIONNAIRE_FILE "questionnaire.txt"
#define SCORECARD_FILE     "scorecard-pk-2009.txt"
#define THRESHOLDS_FILE    "thresholds.txt"
#define EXPIRE_TIMER       100
#define EXPIRE_EVERY_MS    (3600 * 1000)

enum exit_code {
    EXIT_FOUND = 0,
    EXIT_ERROR = 1,
    EXIT_INVALID = 2,
    EXIT_NOT_FOUND = 3,
};

struct options {
    const char *db;
    const char *config;
    const char *lang;
    int exit_after_first_frame;
    int kiosk;           /* --kiosk: no key or signal leaves it (screens/crt.h) */
    const char *command; /* NULL = run the kiosk */
    const char *argument;
    int udev_rules; /* doctor --udev-rules */
};

static void usage(FILE *out)
{
    fprintf(
        out,
        _("Usage: nser-kiosk [--kiosk] [--db PATH] [--config PATH] [--lang CODE]\n"
          "       nser-kiosk status CNIC|TRACKING-ID [--db PATH] [--config PATH]\n"
          "       nser-kiosk score ANSWERS.json [--json] [--table FILE] [--thresholds FILE]\n"
          "       nser-kiosk doctor [--config PATH] | doctor --udev-rules\n"
          "                  | doctor --fingerprint-udev-rules [HWDB]\n"
          "       nser-kiosk keys init | show | install-central FILE [--config PATH]\n"
          "       nser-kiosk sync export [--out DIR] | import [--in DIR] | status\n"
          "                  [--db PATH] [--config PATH]\n"
          "       nser-kiosk user add NAME --role clerk|supervisor [--as NAME] | passwd NAME\n"
          "                  [--as NAME] | disable NAME --as NAME | enable NAME --as NAME | list\n"
          "       nser-kiosk audit verify | show [--limit N] [--before ID]\n"
          "       nser-kiosk voice list [--lang L] | say ID [--lang L] --out FILE.wav\n"
          "       nser-kiosk --help | --version\n"
          "\n"
          "Without a command, starts the full-screen registration kiosk.\n"
          "  status    print the status line a clerk would see for a CNIC\n"
          "            (13 digits) or tracking ID (16 digits); exit status 0 found,\n"
          "            3 not found, 2 invalid input, 1 other error\n"
          "  score     print the provisional poverty score of a household given as a\n"
          "            JSON answers file, with every indicator's points and each\n"
          "            programme's decision (for auditors); exit status 0 scored,\n"
          "            1 a bad file or a household that cannot be scored, 2 usage\n"
          "  doctor    list the USB devices (card reader, scanner, printer,\n"
          "            fingerprint reader) and whether the kiosk can use them;\n"
          "            --udev-rules and --fingerprint-udev-rules print the rules\n"
          "            that let the kiosk's user open them\n"
          "  keys      make this kiosk's sync keys, show them, or install the\n"
          "            registry's public key (docs/sync.md)\n"
          "  sync      write the next batch for the registry, import its\n"
          "            acknowledgements, or show the backlog (docs/sync.md)\n"
          "  user      clerk and supervisor accounts; secrets are read from the\n"
          "            input, one per line (docs/accounts.md)\n"
          "  audit     prove the audit trail's hash chain, or list its entries\n"
          "            (docs/audit.md)\n"
          "  voice     list the spoken prompts (id, recorded or not, text), or write\n"
          "            one as a WAV file (docs/voice.md)\n"
          "\n"
          "Options:\n"
          "  --db PATH       SQLite database (default %s)\n"
          "  --config PATH   configuration file (default %s)\n"
          "  --lang CODE     language to start in: en (English), ur_Latn (Roman Urdu),\n"
          "                  ur (Urdu)\n"
          "  --kiosk         kiosk mode (the systemd unit's): Ctrl-C, Ctrl-Z and the\n"
          "                  like do nothing; SIGTERM and SIGHUP end it cleanly\n"
          "  --exit-after-first-frame\n"
          "                  draw the first screen and exit (for benchmarks)\n"
          "  --help          show this help\n"
          "  --version       show the version\n"
          "\n"
          "With neither --db nor --config, the kiosk uses ./%s/ and creates\n"
          "a default configuration and an empty database there on first start.\n"),
        DEFAULT_DB, DEFAULT_CONFIG, DEFAULT_DIR);
}

static int parse_args(int argc, char **argv, struct options *o)
{
    static const struct option longopts[] = {
        {"db", required_argument, NULL, 'd'},
        {"config", required_argument, NULL, 'c'},
        {"lang", required_argument, NULL, 'l'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {"exit-after-first-frame", no_argument, NULL, 'F'},
        {"json", no_argument, NULL, 'j'},
        {"udev-rules", no_argument, NULL, 'u'},
        {"kiosk", no_argument, NULL, 'k'}, /* screens/crt.h */
        {NULL, 0, NULL, 0},
    };
    int c;
    memset(o, 0, sizeof *o);
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case 'd':
            o->db = optarg;
            break;
        case 'c':
            o->config = optarg;
            break;
        case 'l':
            if (!i18n_language_known(optarg)) {
                fprintf(stderr, _("nser-kiosk: unknown language '%s' (use en, ur_Latn or ur)\n"),
                        optarg);
                return -1;
            }
            o->lang = optarg;
            i18n_set_language(optarg); /* so --help after it is in that language */
            break;
        case 'h':
            usage(stdout);
            exit(0);
        case 'V':
            printf("nser-kiosk %s\n", NSER_VERSION);
            exit(0);
        case 'F':
            o->exit_after_first_frame = 1;
            break;
        case 'u':
            o->udev_rules = 1;
            break;
        case 'k':
            o->kiosk = 1;
            break;
        default:
            fprintf(stderr, _("Try 'nser-kiosk --help'.\n"));
            return -1;
        }
    }
    if (optind < argc) {
        o->command = argv[optind++];
        if (strcmp(o->command, "doctor") == 0) {
            if (optind < argc) {
                fprintf(stderr, _("nser-kiosk: too many arguments\n"));
                return -1;
            }
            return 0;
        }
        if (strcmp(o->command, "status") != 0) {
            fprintf(stderr, _("nser-kiosk: unknown command '%s'. Try 'nser-kiosk --help'.\n"),
                    o->command);
            return -1;
        }
        if (optind >= argc) {
            fprintf(stderr, _("nser-kiosk: status needs a CNIC or a tracking ID\n"));
            return -1;
        }
        o->argument = argv[optind++];
        if (optind < argc) {
            fprintf(stderr, _("nser-kiosk: too many arguments\n"));
            return -1;
        }
    }
    return 0;
}

/* The embedded default: ./var/ with a commented configuration file. */
static int ensure_default_dir(void)
{
    if (mkdir(DEFAULT_DIR, 0700) != 0 && errno != EEXIST) {
        fprintf(stderr, _("nser-kiosk: cannot create %s/: %s\n"), DEFAULT_DIR, strerror(errno));
        return -1;
    }
    if (access(DEFAULT_CONFIG, F_OK) == 0)
        return 0;
    char err[256];
    if (config_write_default(DEFAULT_CONFIG, err, sizeof err) != 0) {
        fprintf(stderr, "nser-kiosk: %s\n", err);
        return -1;
    }
    return 0;
}

static int load_config(const struct options *o, struct config *cfg, int create_default)
{
    config_defaults(cfg);
    const char *path = o->config;
    if (!path) {
        if (create_default && !o->db && ensure_default_dir() != 0)
            return -1;
        path = DEFAULT_CONFIG;
        if (access(path, F_OK) != 0)
            return 0; /* built-in defaults */
    }
    char err[320];
    if (config_load(path, cfg, err, sizeof err) != 0) {
        fprintf(stderr, _("nser-kiosk: configuration %s: %s\n"), path, err);
        return -1;
    }
    return 0;
}

static struct db *open_db(const char *path, int must_exist)
{
    if (must_exist && access(path, F_OK) != 0) {
        fprintf(stderr, _("nser-kiosk: no database at %s\n"), path);
        return NULL;
    }
    struct db *db = NULL;
    char detail[256] = "";
    enum db_result r = db_open(path, &db, detail, sizeof detail);
    if (r != DB_OK) {
        fprintf(stderr, "nser-kiosk: %s\n  (%s: %s)\n", _(db_result_text(r)), path, detail);
        return NULL;
    }
    return db;
}

static int cmd_status(const struct options *o, const struct config *cfg)
{
    struct db *db = open_db(o->db ? o->db : DEFAULT_DB, 1);
    if (!db)
        return EXIT_ERROR;
    struct status_answer a;
    int rc;
    switch (status_query(db, cfg->cnic_regions, o->argument, &a)) {
    case STATUS_Q_FOUND:
        /* TRANSLATORS: the clerk's status line: status, date of the status,
           tracking ID, CNIC, masked name of the head of household. */
        printf(_("Status: %s  |  since %s  |  tracking ID %s  |  CNIC %s  |  head %s\n"),
               _(reg_status_text(a.status)), a.status_date, a.tracking, a.cnic, a.masked_name);
        rc = EXIT_FOUND;
        break;
    case STATUS_Q_NOT_FOUND:
        if (a.by_tracking)
            printf(_("No registration has tracking ID %s.\n"), a.tracking);
        else
            printf(_("CNIC %s is not registered: your survey is incomplete.\n"), a.cnic);
        rc = EXIT_NOT_FOUND;
        break;
    case STATUS_Q_INVALID:
        fprintf(stderr, "nser-kiosk: %s\n", _(a.problem));
        rc = EXIT_INVALID;
        break;
    default:
        fprintf(stderr, "nser-kiosk: %s\n  (%s)\n", _(a.problem), db_last_error(db));
        rc = EXIT_ERROR;
    }
    explicit_bzero(&a, sizeof a);
    db_close(db);
    return rc;
}

/* The survey file, refused whole (with its line and why) when broken: a
 * kiosk must never run half a questionnaire. */
static struct questionnaire *load_questionnaire(const struct config *cfg)
{
    char path[CONFIG_PATH_MAX];
    if (datafiles_path(cfg->questionnaire, QUESTIONNAIRE_FILE, path, sizeof path) != 0) {
        fprintf(stderr, _("nser-kiosk: cannot find the questionnaire %s\n"), path);
        return NULL;
    }
    struct q_error err;
    struct questionnaire *q = questionnaire_load(path, &err);
    if (!q) {
        if (err.line)
            fprintf(stderr, _("nser-kiosk: the questionnaire is not valid: %s line %d: %s\n"),
                    err.file, err.line, err.reason);
        else
            fprintf(stderr, _("nser-kiosk: the questionnaire is not valid: %s: %s\n"), err.file,
                    err.reason);
        fprintf(stderr, _("nser-kiosk: not starting with a broken survey (%s)\n"), path);
    }
    return q;
}

static struct scoring *load_scoring(const struct config *cfg, char *table, char *thresholds,
                                    size_t sz)
{
    if (datafiles_path(cfg->scorecard, SCORECARD_FILE, table, sz) != 0) {
        fprintf(stderr, _("nser-kiosk: cannot find the score table %s\n"), table);
        return NULL;
    }
    if (datafiles_path(cfg->thresholds, THRESHOLDS_FILE, thresholds, sz) != 0) {
        fprintf(stderr, _("nser-kiosk: cannot find the thresholds %s\n"), thresholds);
        return NULL;
    }
    char err[512];
    struct scoring *s = scoring_load(table, thresholds, err, sizeof err);
    if (!s)
        fprintf(stderr, _("nser-kiosk: the score tables are not valid: %s\n"), err);
    return s;
}

/* The USB devices, joined to the flow and the screens. */
struct devices_link {
    struct usb *usb;
    struct fp_driver *fp;
    struct flow *flow;
    struct ui *ui;
};

static void on_fingerprint_event(struct fp_event *ev, void *ud)
{
    struct devices_link *l = ud;
    flow_fingerprint_event(l->flow, ev);
    if (l->ui)
        ui_refresh(l->ui);
}

static void on_device_event(const struct device_event *ev, void *ud)
{
    struct devices_link *l = ud;
    flow_device_event(l->flow, ev);
    if (l->ui)
        ui_refresh(l->ui);
}

static int print_receipt(void *ud, const struct receipt_doc *doc)
{
    struct devices_link *l = ud;
    void *printer = usb_role_state(l->usb, DEVICE_PRINTER);
    return printer ? printer_print(printer, doc) : -1;
}

static bool device_present(void *ud, enum device_role role)
{
    struct devices_link *l = ud;
    return usb_role_state(l->usb, role) != NULL;
}

static const struct usb_role_ops *const device_roles[] = {&card_reader_role, &scanner_role,
                                                          &printer_role};

struct expiry {
    struct loop *loop;
    struct flow *flow;
    struct db *db;
    const struct config *cfg;
    struct audit *audit;
};

/* Personal data is kept no longer than it is needed: unfinished surveys
 * past their retention, and the answers of households the registry
 * acknowledged long enough ago. Every hour, and at start. */
static void on_expire(void *ud)
{
    struct expiry *e = ud;
    flow_expire_drafts(e->flow);
    size_t trimmed = 0;
    if (privacy_trim(e->db, e->cfg, (int64_t)time(NULL), &trimmed) != 0)
        log_msg(LOG_ERROR, "privacy trimming failed");
    else if (trimmed) {
        char detail[64];
        snprintf(detail, sizeof detail, "%zu registrations trimmed", trimmed);
        log_msg(LOG_INFO, "%s", detail);
        if (e->audit)
            audit_log(e->audit, (int64_t)time(NULL), "system", AUDIT_PRIVACY_PURGE, "", detail);
    }
    loop_timer_set(e->loop, EXPIRE_TIMER, EXPIRE_EVERY_MS, on_expire, e);
}

/*
 * `nser-kiosk keys ...` and `sync ...` have arguments of their own; the
 * --db and --config they share with the kiosk are taken out here.
 */
static int take_common(int *argc, char **argv, const char **db, const char **config)
{
    int w = 0;
    for (int i = 0; i < *argc; i++) {
        const char **slot = strcmp(argv[i], "--db") == 0       ? db
                            : strcmp(argv[i], "--config") == 0 ? config
                                                               : NULL;
        if (slot) {
            if (i + 1 >= *argc) {
                fprintf(stderr, _("nser-kiosk: %s needs a value\n"), argv[i]);
                return -1;
            }
            *slot = argv[++i];
            continue;
        }
        argv[w++] = argv[i];
    }
    *argc = w;
    argv[w] = NULL;
    return 0;
}

/* The options every command takes (--db, --config), and its configuration
 * read and language set: 0, or the exit status to end with. */
static int command_setup(int *argc, char **argv, struct options *o, struct config *cfg)
{
    memset(o, 0, sizeof *o);
    if (take_common(argc, argv, &o->db, &o->config) != 0)
        return EXIT_INVALID;
    if (load_config(o, cfg, 0) != 0)
        return EXIT_ERROR;
    i18n_set_language(cfg->language);
    return 0;
}

static int cmd_keys_or_sync(int argc, char **argv)
{
    struct options o;
    struct config cfg;
    int setup = command_setup(&argc, argv, &o, &cfg);
    if (setup != 0)
        return setup;
    if (strcmp(argv[0], "keys") == 0)
        return keys_command(argc, argv, &cfg, stdout, stderr);
    /* The first account is made on a machine that has no database yet. */
    struct db *db = open_db(o.db ? o.db : DEFAULT_DB, strcmp(argv[0], "user") != 0);
    if (!db)
        return EXIT_ERROR;
    if (cfg.log_file[0])
        log_open(cfg.log_file);
    int rc = strcmp(argv[0], "sync") == 0 ? sync_command(argc, argv, db, &cfg, stdout, stderr)
             : strcmp(argv[0], "user") == 0
                 ? user_command(argc, argv, db, &cfg, stdin, stdout, stderr)
                 : audit_command(argc, argv, db, &cfg, stdout, stderr);
    db_close(db);
    log_close();
    return rc;
}

/*
 * `nser-kiosk score ...` has options of its own (score_cmd.c), so it takes
 * the command line from its name on. The tables are the configured ones
 * (the default configuration's, when it exists), else the shipped ones.
 */
static int cmd_score(int argc, char **argv)
{
    struct config cfg;
    config_defaults(&cfg);
    char err[320];
    if (access(DEFAULT_CONFIG, R_OK) == 0 &&
        config_load(DEFAULT_CONFIG, &cfg, err, sizeof err) != 0) {
        fprintf(stderr, _("nser-kiosk: configuration %s: %s\n"), DEFAULT_CONFIG, err);
        return EXIT_ERROR;
    }
    char table[CONFIG_PATH_MAX], thresholds[CONFIG_PATH_MAX];
    if (datafiles_path(cfg.scorecard, SCORECARD_FILE, table, sizeof table) != 0)
        table[0] = '\0';
    if (datafiles_path(cfg.thresholds, THRESHOLDS_FILE, thresholds, sizeof thresholds) != 0)
        thresholds[0] = '\0';
    struct score_paths paths = {table[0] ? table : NULL, thresholds[0] ? thresholds : NULL};
    return score_command(argc, argv, &paths, stdout, stderr);
}

/* `nser-kiosk voice ...`: the prompts need the configuration (recordings'
 * folder, helpline) and the survey (one prompt per question). */
static int cmd_voice(int argc, char **argv)
{
    struct options o;
    struct config cfg;
    int setup = command_setup(&argc, argv, &o, &cfg);
    if (setup != 0)
        return setup;
    struct questionnaire *q = load_questionnaire(&cfg);
    if (!q)
        return EXIT_ERROR;
    int rc = voice_command(argc, argv, &cfg, q, stdout, stderr);
    questionnaire_free(q);
    return rc;
}

static int run_kiosk(const struct options *o, const struct config *cfg)
{
    /* First: a signal while the files load must not end a kiosk either. */
    crt_set_kiosk(o->kiosk);
    if (cfg->log_file[0] && log_open(cfg->log_file) != 0)
        fprintf(stderr, _("nser-kiosk: cannot open log %s (continuing without a log)\n"),
                cfg->log_file);
    /* The data files first: a broken survey must not leave a new database
     * behind it. */
    struct questionnaire *q = load_questionnaire(cfg);
    char table[CONFIG_PATH_MAX], thresholds[CONFIG_PATH_MAX];
    struct scoring *scoring = q ? load_scoring(cfg, table, thresholds, sizeof table) : NULL;
    struct db *db = q && scoring ? open_db(o->db ? o->db : DEFAULT_DB, 0) : NULL;
    if (!db) {
        scoring_free(scoring);
        questionnaire_free(q);
        log_close();
        return EXIT_ERROR;
    }
    log_msg(LOG_INFO, "nser-kiosk %s starting, kiosk %s", NSER_VERSION, cfg->kiosk_code);

    int rc = EXIT_ERROR;
    char err[256];
    struct loop *loop = loop_new();
    struct flow *flow = loop ? flow_new(db, cfg, q, scoring) : NULL;
    /* The audit trail needs the key folder; without it the kiosk still
     * runs, and says so in the log (a supervisor sees it in doctor). */
    struct audit *audit = audit_open(db, cfg->key_dir, err, sizeof err);
    if (!audit)
        log_msg(LOG_ERROR, "audit trail not available: %s", err);
    if (flow)
        flow_set_audit(flow, audit);
    struct expiry expiry = {loop, flow, db, cfg, audit};
    if (flow) {
        on_expire(&expiry);
    }
    struct ui *ui = flow ? ui_new(loop, flow, err, sizeof err) : NULL;
    if (!loop || !flow)
        fprintf(stderr, _("nser-kiosk: out of memory\n"));
    else if (!ui)
        fprintf(stderr, "nser-kiosk: %s\n", err);
    struct devices_link link = {NULL, NULL, flow, ui};
    struct bio_vault *vault = NULL;
    if (ui && cfg->usb_enabled && !o->exit_after_first_frame) {
        /* Without USB the kiosk still works: typed CNICs, receipt on screen. */
        link.usb = usb_new(loop, cfg, device_roles, sizeof device_roles / sizeof device_roles[0],
                           on_device_event, &link, err, sizeof err);
        if (!link.usb)
            log_msg(LOG_WARN, "usb: %s", err);
        struct flow_devices hooks = {print_receipt, device_present, &link};
        flow_set_devices(flow, link.usb ? &hooks : NULL);
    }
    /* Spoken prompts: without them (off, or no thread) the kiosk still works. */
    struct voice_player *voice = NULL;
    if (ui && cfg->voice_enabled && !o->exit_after_first_frame) {
        char dir[CONFIG_PATH_MAX];
        if (voice_dir_path(cfg, dir, sizeof dir) != 0)
            dir[0] = '\0';
        voice = voice_player_new(loop, dir, err, sizeof err);
        if (!voice)
            log_msg(LOG_WARN, "%s", err);
        ui_set_voice(ui, voice);
    }
    if (ui && cfg->fp_enabled && !o->exit_after_first_frame) {
        /* Without a reader or its key the kiosk still registers: the
         * review says the finger was not taken. */
        vault = bio_vault_open(cfg->key_dir, 1, err, sizeof err);
        if (!vault)
            log_msg(LOG_ERROR, "fingerprints cannot be kept: %s", err);
        link.fp =
            vault ? fp_driver_new(loop, cfg, on_fingerprint_event, &link, err, sizeof err) : NULL;
        if (vault && !link.fp)
            log_msg(LOG_WARN, "fingerprint: %s", err);
        struct fp_reader_ops ops;
        memset(&ops, 0, sizeof ops);
        if (link.fp)
            fp_driver_ops(link.fp, &ops);
        flow_set_fingerprint(flow, link.fp ? &ops : NULL, vault);
    }
    if (ui) {
        /* ui_new has drawn the first screen; benchmarks stop there. */
        if (o->exit_after_first_frame)
            rc = EXIT_FOUND;
        else
            rc = loop_run(loop) == 0 ? EXIT_FOUND : EXIT_ERROR;
        /* Devices first: they give the scanner back to the kernel and
         * must not raise events into a closed screen. */
        flow_set_devices(flow, NULL);
        flow_set_fingerprint(flow, NULL, NULL);
        fp_driver_free(link.fp);
        bio_vault_free(vault);
        usb_free(link.usb);
        ui_set_voice(ui, NULL);
        voice_player_free(voice);
        ui_free(ui);
    }
    flow_free(flow);
    audit_free(audit);
    loop_free(loop);
    scoring_free(scoring);
    questionnaire_free(q);
    db_close(db);
    log_msg(LOG_INFO, "nser-kiosk stopped");
    log_close();
    return rc;
}

int main(int argc, char **argv)
{
    /* The database, its WAL and the log hold personal data: owner only. */
    umask(077);
    if (i18n_init() != 0)
        fprintf(stderr, _("nser-kiosk: no UTF-8 locale; Urdu text may not show\n"));
    /* doctor --fingerprint-udev-rules [HWDB]: rules from libfprint's hwdb. */
    if (argc > 2 && argc < 5 && strcmp(argv[1], "doctor") == 0 &&
        strcmp(argv[2], "--fingerprint-udev-rules") == 0)
        return doctor_fp_udev_rules(argc > 3 ? argv[3] : NULL, stdout, stderr) ? EXIT_ERROR : 0;
    if (argc > 1 && strcmp(argv[1], "score") == 0)
        return cmd_score(argc - 1, argv + 1);
    if (argc > 1 && (strcmp(argv[1], "keys") == 0 || strcmp(argv[1], "sync") == 0 ||
                     strcmp(argv[1], "user") == 0 || strcmp(argv[1], "audit") == 0))
        return cmd_keys_or_sync(argc - 1, argv + 1);
    if (argc > 1 && strcmp(argv[1], "voice") == 0)
        return cmd_voice(argc - 1, argv + 1);
    struct options o;
    if (parse_args(argc, argv, &o) != 0)
        return EXIT_INVALID;
    struct config cfg;
    if (load_config(&o, &cfg, o.command == NULL) != 0)
        return EXIT_ERROR;
    i18n_set_language(o.lang ? o.lang : cfg.language);
    if (o.command && strcmp(o.command, "doctor") == 0) {
        if (o.udev_rules) {
            doctor_udev_rules(stdout);
            return 0;
        }
        return doctor_command(&cfg, stdout) == 0 ? 0 : EXIT_ERROR;
    }
    if (o.command)
        return cmd_status(&o, &cfg);
    if (o.lang)
        snprintf(cfg.language, sizeof cfg.language, "%s", o.lang);
    return run_kiosk(&o, &cfg);
}

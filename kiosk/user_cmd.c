/*
 * user_cmd.c - `nser-kiosk user add | passwd | disable | enable | list`.
 *
 * Wiring only: the rules on names, secrets and lockout are accounts.c's,
 * the trail is audit.c's. Who may do what is decided here, and always by
 * a real accounts_login (so a wrong --as secret counts toward the lock
 * like one typed at the counter). A change that cannot be written to the
 * audit trail is not made. Secrets live in stack buffers wiped before
 * return; terminal echo is switched off while one is typed and always
 * switched back. Never exits, never prints or logs a secret.
 */
#include "user_cmd.h"

#include <sodium.h>
#include <stdbool.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "accounts.h"
#include "audit.h"
#include "i18n.h"

#define EXIT_DONE   0
#define EXIT_FAILED 1
#define EXIT_USAGE  2

#define LINE_MAX_BYTES 256 /* a secret is at most 128 bytes; room to see it is too long */
#define LIST_MAX       512

struct args {
    const char *sub;
    const char *name;
    const char *role;
    const char *as;
};

static void usage(FILE *f)
{
    fprintf(f, "%s",
            _("Usage: nser-kiosk user add NAME --role clerk|supervisor [--as SUPERVISOR]\n"
              "       nser-kiosk user passwd NAME [--as NAME2]\n"
              "       nser-kiosk user disable NAME --as SUPERVISOR\n"
              "       nser-kiosk user enable NAME --as SUPERVISOR\n"
              "       nser-kiosk user list\n"
              "\n"
              "Secrets are read one per line: the --as account's secret first (when --as\n"
              "is given), then the new secret twice. The first account needs no --as and\n"
              "must be a supervisor's. A secret is a PIN of at least 6 digits or a\n"
              "password of at least 8 characters.\n"
              "Exit status: 0 done, 1 refused or failed, 2 wrong usage.\n"));
}

static int parse(int argc, char **argv, struct args *a)
{
    memset(a, 0, sizeof *a);
    if (argc < 2)
        return -1;
    a->sub = argv[1];
    int i = 2;
    if (strcmp(a->sub, "list") != 0) {
        if (argc < 3 || argv[2][0] == '-')
            return -1;
        a->name = argv[2];
        i = 3;
    }
    for (; i < argc; i++) {
        const char **slot = NULL;
        if (strcmp(argv[i], "--role") == 0)
            slot = &a->role;
        else if (strcmp(argv[i], "--as") == 0)
            slot = &a->as;
        if (!slot || *slot || i + 1 >= argc)
            return -1;
        *slot = argv[++i];
    }
    bool is_add = strcmp(a->sub, "add") == 0;
    if (a->role && !is_add)
        return -1;
    if (is_add)
        return a->role && role_from_name(a->role) >= 0 ? 0 : -1;
    if (strcmp(a->sub, "passwd") == 0)
        return 0;
    if (strcmp(a->sub, "disable") == 0 || strcmp(a->sub, "enable") == 0)
        return a->as ? 0 : -1;
    if (strcmp(a->sub, "list") == 0)
        return a->as ? -1 : 0;
    return -1;
}

/*
 * One line from IN into BUF without its newline; -1 at end of input or
 * when the line does not fit (the rest of it is read and dropped). On a
 * terminal echo is off while typing and PROMPT goes to ERR.
 */
static int read_secret(FILE *in, FILE *err, const char *prompt, char *buf, size_t bufsz)
{
    int fd = fileno(in);
    bool tty = fd >= 0 && isatty(fd);
    struct termios saved, quiet;
    bool echo_off = false;
    if (tty) {
        fputs(prompt, err);
        fflush(err);
        if (tcgetattr(fd, &saved) == 0) {
            quiet = saved;
            quiet.c_lflag &= ~(tcflag_t)ECHO;
            echo_off = tcsetattr(fd, TCSAFLUSH, &quiet) == 0;
        }
    }
    int rc = -1;
    if (fgets(buf, (int)bufsz, in)) {
        size_t n = strlen(buf);
        if (n && buf[n - 1] == '\n') {
            buf[--n] = '\0';
            if (n && buf[n - 1] == '\r')
                buf[--n] = '\0';
            rc = 0;
        } else if (feof(in)) {
            rc = 0; /* a last line without its newline */
        } else {
            int c;
            while ((c = fgetc(in)) != EOF && c != '\n')
                ;
        }
    }
    if (echo_off)
        (void)tcsetattr(fd, TCSAFLUSH, &saved);
    if (tty)
        fputc('\n', err);
    if (rc != 0)
        sodium_memzero(buf, bufsz);
    return rc;
}

/* The audit actor for a name someone typed: only a well-formed name is
 * stored as it is. */
static const char *actor_for(const char *typed)
{
    return accounts_name_problem(typed) ? "unknown" : typed;
}

static int audit_or_fail(struct audit *au, const char *actor, enum audit_action act,
                         const char *subject, const char *detail, FILE *err)
{
    if (audit_log(au, (int64_t)time(NULL), actor, act, subject, detail) != 0) {
        fprintf(err, "%s\n", _("nser-kiosk user: could not write to the audit trail"));
        return -1;
    }
    return 0;
}

/*
 * Logs in as AS with the next secret from IN; NEED_SUPERVISOR unless AS
 * is SELF (passwd on one's own account). 0 when allowed. A refusal is
 * audited and explained on ERR.
 */
static int check_as(struct db *db, struct audit *au, const char *as, const char *self,
                    const char *sub, FILE *in, FILE *err)
{
    char secret[LINE_MAX_BYTES];
    char prompt[128], detail[AUDIT_DETAIL_MAX + 1];
    snprintf(prompt, sizeof prompt, _("Secret of %s: "), actor_for(as));
    if (read_secret(in, err, prompt, secret, sizeof secret) != 0) {
        fprintf(err, "%s\n", _("nser-kiosk user: no secret given for --as"));
        return -1;
    }
    struct user_info u;
    int wait = 0;
    enum auth_result r = accounts_login(db, as, secret, (int64_t)time(NULL), &u, &wait);
    sodium_memzero(secret, sizeof secret);
    const char *why = NULL;
    enum audit_action act = AUDIT_LOGIN_FAILED;
    switch (r) {
    case AUTH_OK:
        if (u.role == ROLE_SUPERVISOR || (self && strcmp(as, self) == 0))
            return 0;
        fprintf(err, "%s\n", _("nser-kiosk user: only a supervisor may do this"));
        why = "not a supervisor";
        break;
    case AUTH_BAD:
        fprintf(err, "%s\n", _("nser-kiosk user: wrong name or secret for --as"));
        why = "wrong secret";
        break;
    case AUTH_LOCKED:
        fprintf(err, _("nser-kiosk user: too many wrong secrets; try again in %d seconds\n"), wait);
        why = "locked";
        act = AUDIT_LOCKED_OUT;
        break;
    case AUTH_DISABLED:
        fprintf(err, "%s\n", _("nser-kiosk user: the --as account is switched off"));
        why = "disabled";
        break;
    case AUTH_ERROR:
        fprintf(err, "%s\n", _("nser-kiosk user: the database could not be read"));
        why = "database error";
        break;
    }
    snprintf(detail, sizeof detail, "user %s: %s", sub, why);
    (void)audit_or_fail(au, actor_for(as), act, "", detail, err);
    return -1;
}

/* The new secret, typed twice; 0 when both lines match and pass the rules. */
static int read_new_secret(FILE *in, FILE *err, char *secret, size_t sz)
{
    char again[LINE_MAX_BYTES];
    int rc = -1;
    if (read_secret(in, err, _("New secret: "), secret, sz) != 0 ||
        read_secret(in, err, _("New secret again: "), again, sizeof again) != 0) {
        fprintf(err, "%s\n", _("nser-kiosk user: the new secret must be given twice"));
    } else if (strcmp(secret, again) != 0) {
        fprintf(err, "%s\n", _("nser-kiosk user: the two secrets differ"));
    } else {
        const char *why = accounts_secret_problem(secret);
        if (why)
            fprintf(err, "nser-kiosk user: %s\n", _(why));
        else
            rc = 0;
    }
    sodium_memzero(again, sizeof again);
    if (rc != 0)
        sodium_memzero(secret, sz);
    return rc;
}

static int user_add(struct db *db, struct audit *au, const struct args *a, FILE *in, FILE *out,
                    FILE *err)
{
    size_t n = 0;
    if (accounts_count(db, &n) != 0) {
        fprintf(err, "%s\n", _("nser-kiosk user: the database could not be read"));
        return EXIT_FAILED;
    }
    enum user_role role = (enum user_role)role_from_name(a->role);
    const char *actor = a->as;
    if (n == 0) {
        if (role != ROLE_SUPERVISOR) {
            fprintf(err, "%s\n", _("nser-kiosk user: the first account is a supervisor's"));
            return EXIT_FAILED;
        }
        if (a->as) {
            fprintf(err, "%s\n", _("nser-kiosk user: there are no accounts yet; leave out --as"));
            return EXIT_FAILED;
        }
        actor = a->name;
    } else if (!a->as) {
        fprintf(err, "%s\n", _("nser-kiosk user: adding an account needs --as SUPERVISOR"));
        return EXIT_FAILED;
    } else if (check_as(db, au, a->as, NULL, "add", in, err) != 0) {
        return EXIT_FAILED;
    }
    const char *why = accounts_name_problem(a->name);
    if (why) {
        fprintf(err, "nser-kiosk user: %s\n", _(why));
        return EXIT_FAILED;
    }
    char secret[LINE_MAX_BYTES];
    if (read_new_secret(in, err, secret, sizeof secret) != 0)
        return EXIT_FAILED;
    int rc = accounts_add(db, a->name, role, secret, (int64_t)time(NULL), &why);
    sodium_memzero(secret, sizeof secret);
    if (rc != 0) {
        fprintf(err, "nser-kiosk user: %s\n", _(why ? why : "failed"));
        return EXIT_FAILED;
    }
    char detail[AUDIT_DETAIL_MAX + 1];
    snprintf(detail, sizeof detail, "role %s%s", role_name(role), n == 0 ? ", first account" : "");
    if (audit_or_fail(au, actor, AUDIT_ACCOUNT_ADD, a->name, detail, err) != 0)
        return EXIT_FAILED;
    fprintf(out, _("Account %s added (%s).\n"), a->name, role_name(role));
    return EXIT_DONE;
}

static int user_passwd(struct db *db, struct audit *au, const struct args *a, FILE *in, FILE *out,
                       FILE *err)
{
    const char *as = a->as ? a->as : a->name;
    if (check_as(db, au, as, a->name, "passwd", in, err) != 0)
        return EXIT_FAILED;
    char secret[LINE_MAX_BYTES];
    if (read_new_secret(in, err, secret, sizeof secret) != 0)
        return EXIT_FAILED;
    const char *why = NULL;
    int rc = accounts_passwd(db, a->name, secret, &why);
    sodium_memzero(secret, sizeof secret);
    if (rc != 0) {
        fprintf(err, "nser-kiosk user: %s\n", _(why ? why : "failed"));
        return EXIT_FAILED;
    }
    if (audit_or_fail(au, as, AUDIT_ACCOUNT_PASSWD, a->name,
                      strcmp(as, a->name) == 0 ? "own secret" : "reset by a supervisor", err) != 0)
        return EXIT_FAILED;
    fprintf(out, _("The secret of %s is changed.\n"), a->name);
    return EXIT_DONE;
}

static int user_switch(struct db *db, struct audit *au, const struct args *a, bool disable,
                       FILE *in, FILE *out, FILE *err)
{
    if (check_as(db, au, a->as, NULL, disable ? "disable" : "enable", in, err) != 0)
        return EXIT_FAILED;
    /* Nobody would be left to switch a supervisor back on. */
    if (disable && strcmp(a->as, a->name) == 0) {
        fprintf(err, "%s\n",
                _("nser-kiosk user: a supervisor cannot switch off their own account"));
        return EXIT_FAILED;
    }
    const char *why = NULL;
    if (accounts_set_disabled(db, a->name, disable, &why) != 0) {
        fprintf(err, "nser-kiosk user: %s\n", _(why ? why : "failed"));
        return EXIT_FAILED;
    }
    if (audit_or_fail(au, a->as, disable ? AUDIT_ACCOUNT_DISABLE : AUDIT_ACCOUNT_ENABLE, a->name,
                      "", err) != 0)
        return EXIT_FAILED;
    fprintf(out, disable ? _("Account %s is switched off.\n") : _("Account %s is switched on.\n"),
            a->name);
    return EXIT_DONE;
}

static void format_time(int64_t t, char *buf, size_t sz)
{
    time_t tt = (time_t)t;
    struct tm utc;
    if (t <= 0 || !gmtime_r(&tt, &utc) || strftime(buf, sz, "%Y-%m-%d %H:%M", &utc) == 0)
        snprintf(buf, sz, "-");
}

static int user_list(struct db *db, FILE *out, FILE *err)
{
    static struct user_info list[LIST_MAX];
    size_t n = 0;
    if (accounts_list(db, list, LIST_MAX, &n) != 0) {
        fprintf(err, "%s\n", _("nser-kiosk user: the database could not be read"));
        return EXIT_FAILED;
    }
    if (n == 0) {
        fprintf(out, "%s\n",
                _("No accounts yet. Make the first (a supervisor's) with:\n"
                  "  nser-kiosk user add NAME --role supervisor"));
        return EXIT_DONE;
    }
    int64_t now = (int64_t)time(NULL);
    fprintf(out, "%-32s  %-10s  %-8s  %-16s  %s\n", _("NAME"), _("ROLE"), _("STATE"),
            _("LAST LOG-IN UTC"), _("FAILURES"));
    for (size_t i = 0; i < n; i++) {
        char last[32];
        format_time(list[i].last_login, last, sizeof last);
        const char *state = list[i].disabled             ? _("off")
                            : list[i].locked_until > now ? _("locked")
                                                         : _("on");
        fprintf(out, "%-32s  %-10s  %-8s  %-16s  %d\n", list[i].name, role_name(list[i].role),
                state, last, list[i].failures);
    }
    return EXIT_DONE;
}

int user_command(int argc, char **argv, struct db *db, const struct config *cfg, FILE *in,
                 FILE *out, FILE *err)
{
    struct args a;
    if (!argv || parse(argc, argv, &a) != 0) {
        usage(err);
        return EXIT_USAGE;
    }
    if (!db || !cfg || !in) {
        fprintf(err, "%s\n", _("nser-kiosk user: no database"));
        return EXIT_FAILED;
    }
    if (strcmp(a.sub, "list") == 0)
        return user_list(db, out, err);

    char why[256];
    struct audit *au = audit_open(db, cfg->key_dir, why, sizeof why);
    if (!au) {
        fprintf(err, _("nser-kiosk user: cannot open the audit trail: %s\n"), why);
        return EXIT_FAILED;
    }
    int rc;
    if (strcmp(a.sub, "add") == 0)
        rc = user_add(db, au, &a, in, out, err);
    else if (strcmp(a.sub, "passwd") == 0)
        rc = user_passwd(db, au, &a, in, out, err);
    else
        rc = user_switch(db, au, &a, strcmp(a.sub, "disable") == 0, in, out, err);
    audit_free(au);
    return rc;
}

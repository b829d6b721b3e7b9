/*
 * test_accounts.c - accounts on a real SQLite file: secrets hashed with
 * Argon2id and verified, the lockout timeline (free tries, then 5 s, 10 s,
 * 20 s ... capped at 15 minutes), locked attempts refused without looking
 * at the secret, unknown names locked like known ones, disabled accounts,
 * the rules on names and secrets.
 *
 * Files live in a mkdtemp folder removed at the end; each test opens its
 * own database file. Clocks are plain numbers passed in, never sleeps.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "tests/unit/testdir.h"

#include "db/db.h"
#include "db/users.h"
#include "kiosk/accounts.h"
#include "kiosk/audit.h"
#include "kiosk/config.h"
#include "kiosk/user_cmd.h"

static char tmpdir[] = "/tmp/nser-test-accounts-XXXXXX";

#define T0 1700000000

static struct db *open_db(const char *name)
{
    char path[256], detail[256];
    int n = snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    assert_true(n > 0 && (size_t)n < sizeof path);
    struct db *db = NULL;
    assert_int_equal(db_open(path, &db, detail, sizeof detail), DB_OK);
    return db;
}

static void add(struct db *db, const char *name, enum user_role role, const char *secret)
{
    const char *why = "unset";
    if (accounts_add(db, name, role, secret, T0, &why) != 0)
        fail_msg("add %s: %s", name, why ? why : "?");
    assert_null(why);
}

static enum auth_result login(struct db *db, const char *name, const char *secret, int64_t now,
                              int *wait)
{
    struct user_info u;
    return accounts_login(db, name, secret, now, &u, wait);
}

/* ------------------------------------------------------------------ tests */

static void hash_round_trip(void **state)
{
    (void)state;
    struct db *db = open_db("roundtrip.db");
    add(db, "amina", ROLE_SUPERVISOR, "correct horse");
    add(db, "bilal", ROLE_CLERK, "246810");

    char hash[USERS_HASH_MAX + 1];
    struct user_info u;
    assert_int_equal(users_get(db, "amina", &u, hash, sizeof hash), DB_OK);
    assert_true(strncmp(hash, "$argon2id$", 10) == 0);
    assert_null(strstr(hash, "correct horse"));
    assert_int_equal(u.role, ROLE_SUPERVISOR);
    assert_int_equal(u.created_at, T0);
    assert_int_equal(u.last_login, 0);

    int wait = -1;
    memset(&u, 0, sizeof u);
    assert_int_equal(accounts_login(db, "amina", "correct horse", T0 + 60, &u, &wait), AUTH_OK);
    assert_int_equal(wait, 0);
    assert_string_equal(u.name, "amina");
    assert_int_equal(u.role, ROLE_SUPERVISOR);
    assert_int_equal(u.last_login, T0 + 60);
    assert_int_equal(login(db, "bilal", "246810", T0, NULL), AUTH_OK);
    assert_int_equal(users_get(db, "bilal", &u, NULL, 0), DB_OK);
    assert_int_equal(u.role, ROLE_CLERK);
    assert_int_equal(u.last_login, T0);

    size_t n = 0;
    assert_int_equal(accounts_count(db, &n), 0);
    assert_int_equal(n, 2);
    struct user_info list[4];
    assert_int_equal(accounts_list(db, list, 4, &n), 0);
    assert_int_equal(n, 2);
    assert_string_equal(list[0].name, "amina");
    assert_string_equal(list[1].name, "bilal");
    assert_int_equal(accounts_list(db, list, 1, &n), 0);
    assert_int_equal(n, 1);

    /* A name is one account. */
    const char *why = NULL;
    assert_int_equal(accounts_add(db, "amina", ROLE_CLERK, "12345678", T0, &why), -1);
    assert_non_null(why);
    /* A hash made with weaker settings is replaced at the next log-in. */
    char weak[crypto_pwhash_STRBYTES];
    assert_int_equal(crypto_pwhash_str(weak, "246810", 6, crypto_pwhash_OPSLIMIT_MIN,
                                       crypto_pwhash_MEMLIMIT_MIN),
                     0);
    assert_int_equal(users_set_hash(db, "bilal", weak), DB_OK);
    assert_int_equal(login(db, "bilal", "246810", T0, NULL), AUTH_OK);
    assert_int_equal(users_get(db, "bilal", &u, hash, sizeof hash), DB_OK);
    assert_string_not_equal(hash, weak);
    assert_int_equal(crypto_pwhash_str_needs_rehash(hash, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                                    crypto_pwhash_MEMLIMIT_INTERACTIVE),
                     0);
    assert_int_equal(login(db, "bilal", "246810", T0, NULL), AUTH_OK);
    db_close(db);
}

static void wrong_secret_is_bad(void **state)
{
    (void)state;
    struct db *db = open_db("wrong.db");
    add(db, "amina", ROLE_SUPERVISOR, "correct horse");
    int wait = -1;
    assert_int_equal(login(db, "amina", "correct hors", T0, &wait), AUTH_BAD);
    assert_int_equal(wait, 0);
    assert_int_equal(login(db, "amina", "", T0, &wait), AUTH_BAD);
    assert_int_equal(login(db, "Amina", "correct horse", T0, &wait), AUTH_BAD);
    assert_int_equal(login(db, "", "correct horse", T0, &wait), AUTH_BAD);
    assert_int_equal(login(db, NULL, "correct horse", T0, &wait), AUTH_BAD);
    char longname[100];
    memset(longname, 'a', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    assert_int_equal(login(db, longname, "correct horse", T0, &wait), AUTH_BAD);
    db_close(db);
}

/* 3 free failures, then 5, 10, 20 ... seconds, never more than 900. */
static void lockout_timeline(void **state)
{
    (void)state;
    struct db *db = open_db("lockout.db");
    add(db, "amina", ROLE_SUPERVISOR, "123456");
    int wait = -1;
    int64_t now = T0;
    for (int i = 0; i < ACCOUNTS_FREE_TRIES; i++) {
        assert_int_equal(login(db, "amina", "654321", now, &wait), AUTH_BAD);
        assert_int_equal(wait, 0);
    }
    int expect = 5;
    for (int i = 0; i < 10; i++) {
        /* The failure that starts a lock says so. */
        assert_int_equal(login(db, "amina", "654321", now, &wait), AUTH_LOCKED);
        assert_int_equal(wait, expect);
        /* While locked, even the right secret is refused: it is not looked at. */
        assert_int_equal(login(db, "amina", "123456", now + expect - 1, &wait), AUTH_LOCKED);
        assert_int_equal(wait, 1);
        /* And a locked attempt does not lengthen the lock. */
        struct login_attempt a;
        assert_int_equal(users_attempt_get(db, "amina", &a), DB_OK);
        assert_int_equal(a.failures, ACCOUNTS_FREE_TRIES + 1 + i);
        assert_int_equal(a.locked_until, now + expect);
        now += expect;
        expect = expect * 2 > ACCOUNTS_LOCK_MAX_S ? ACCOUNTS_LOCK_MAX_S : expect * 2;
    }
    assert_int_equal(expect, ACCOUNTS_LOCK_MAX_S);
    /* The lock over, the right secret works and the count starts again. */
    struct user_info u;
    assert_int_equal(accounts_login(db, "amina", "123456", now, &u, &wait), AUTH_OK);
    assert_int_equal(u.failures, 0);
    assert_int_equal(users_get(db, "amina", &u, NULL, 0), DB_OK);
    assert_int_equal(u.failures, 0);
    assert_int_equal(u.locked_until, 0);
    for (int i = 0; i < ACCOUNTS_FREE_TRIES; i++)
        assert_int_equal(login(db, "amina", "654321", now, &wait), AUTH_BAD);
    assert_int_equal(login(db, "amina", "654321", now, &wait), AUTH_LOCKED);
    assert_int_equal(wait, 5);
    db_close(db);
}

/* A success in between resets the count: failures must be in a row. */
static void success_resets(void **state)
{
    (void)state;
    struct db *db = open_db("reset.db");
    add(db, "amina", ROLE_SUPERVISOR, "123456");
    int wait;
    for (int round = 0; round < 2; round++) {
        for (int i = 0; i < ACCOUNTS_FREE_TRIES; i++)
            assert_int_equal(login(db, "amina", "000000", T0, &wait), AUTH_BAD);
        assert_int_equal(login(db, "amina", "123456", T0, &wait), AUTH_OK);
    }
    struct login_attempt a;
    assert_int_equal(users_attempt_get(db, "amina", &a), DB_OK);
    assert_int_equal(a.failures, 0);
    db_close(db);
}

/* Unknown names answer and lock exactly like known ones. */
static void unknown_names_lock_too(void **state)
{
    (void)state;
    struct db *db = open_db("unknown.db");
    add(db, "amina", ROLE_SUPERVISOR, "123456");
    int wait;
    for (int i = 0; i < ACCOUNTS_FREE_TRIES; i++)
        assert_int_equal(login(db, "ghost", "123456", T0, &wait), AUTH_BAD);
    assert_int_equal(login(db, "ghost", "123456", T0, &wait), AUTH_LOCKED);
    assert_int_equal(wait, 5);
    assert_int_equal(login(db, "ghost", "123456", T0 + 2, &wait), AUTH_LOCKED);
    assert_int_equal(wait, 3);
    /* Names are locked one by one: amina is untouched. */
    assert_int_equal(login(db, "amina", "123456", T0 + 2, &wait), AUTH_OK);
    /* An account made later under a locked name starts clean. */
    add(db, "ghost", ROLE_CLERK, "13572468");
    assert_int_equal(login(db, "ghost", "13572468", T0 + 3, &wait), AUTH_OK);
    db_close(db);
}

/* Old unlocked failure rows are pruned, so the table cannot grow forever. */
static void old_failures_are_pruned(void **state)
{
    (void)state;
    struct db *db = open_db("prune.db");
    int wait;
    assert_int_equal(login(db, "typo1", "123456", T0, &wait), AUTH_BAD);
    assert_int_equal(login(db, "typo2", "123456", T0 + 3600, &wait), AUTH_BAD);
    assert_int_equal(login(db, "typo3", "123456", T0 + USERS_PRUNE_AFTER_S + 1, &wait), AUTH_BAD);
    struct login_attempt a;
    assert_int_equal(users_attempt_get(db, "typo1", &a), DB_OK);
    assert_int_equal(a.failures, 0);
    assert_int_equal(users_attempt_get(db, "typo2", &a), DB_OK);
    assert_int_equal(a.failures, 1);
    assert_int_equal(a.last_failure, T0 + 3600);
    db_close(db);
}

/* Disabled: AUTH_DISABLED only with the right secret, else AUTH_BAD. */
static void disabled_accounts(void **state)
{
    (void)state;
    struct db *db = open_db("disabled.db");
    add(db, "bilal", ROLE_CLERK, "246810");
    const char *why = "unset";
    assert_int_equal(accounts_set_disabled(db, "bilal", true, &why), 0);
    assert_null(why);
    int wait;
    assert_int_equal(login(db, "bilal", "246810", T0, &wait), AUTH_DISABLED);
    assert_int_equal(login(db, "bilal", "246811", T0, &wait), AUTH_BAD);
    struct user_info u;
    assert_int_equal(users_get(db, "bilal", &u, NULL, 0), DB_OK);
    assert_true(u.disabled);
    assert_int_equal(u.last_login, 0);
    assert_int_equal(accounts_set_disabled(db, "bilal", false, &why), 0);
    assert_int_equal(login(db, "bilal", "246810", T0, &wait), AUTH_OK);
    assert_int_equal(accounts_set_disabled(db, "nobody", true, &why), -1);
    assert_non_null(why);
    assert_int_equal(accounts_set_disabled(db, "bad name", true, &why), -1);
    db_close(db);
}

/* A new secret replaces the old one and lifts a lock. */
static void passwd_changes_and_unlocks(void **state)
{
    (void)state;
    struct db *db = open_db("passwd.db");
    add(db, "bilal", ROLE_CLERK, "246810");
    int wait;
    for (int i = 0; i <= ACCOUNTS_FREE_TRIES; i++)
        login(db, "bilal", "000000", T0, &wait);
    assert_int_equal(login(db, "bilal", "246810", T0, &wait), AUTH_LOCKED);
    const char *why = "unset";
    assert_int_equal(accounts_passwd(db, "bilal", "new secret", &why), 0);
    assert_null(why);
    assert_int_equal(login(db, "bilal", "246810", T0, &wait), AUTH_BAD);
    assert_int_equal(login(db, "bilal", "new secret", T0, &wait), AUTH_OK);
    assert_int_equal(accounts_passwd(db, "bilal", "123", &why), -1);
    assert_non_null(why);
    assert_int_equal(accounts_passwd(db, "nobody", "new secret", &why), -1);
    assert_non_null(why);
    db_close(db);
}

static void names_and_secrets_refused(void **state)
{
    (void)state;
    static const char *const good_names[] = {"ab", "amina.k", "clerk_2", "A-1",
                                             "abcdefghijabcdefghijabcdefghij12"};
    static const char *const bad_names[] = {NULL,
                                            "",
                                            "a",
                                            "with space",
                                            "ümlaut",
                                            "semi;colon",
                                            "abcdefghijabcdefghijabcdefghij123",
                                            "new\nline"};
    for (size_t i = 0; i < sizeof good_names / sizeof *good_names; i++)
        assert_null(accounts_name_problem(good_names[i]));
    for (size_t i = 0; i < sizeof bad_names / sizeof *bad_names; i++)
        assert_non_null(accounts_name_problem(bad_names[i]));

    static const char *const good[] = {"123456",
                                       "0000000000",
                                       "abcdefgh",
                                       "pass word",
                                       "12345a78",
                                       "\xd8\xa7\xd8\xa8\xd8\xaa\xd8\xab\xd8\xac"
                                       "\xd8\xad\xd8\xae\xd8\xaf"};
    static const char *const bad[] = {NULL, "", "12345", "abcdefg", "abc4567", "tab\there",
                                      "abc\x7f"
                                      "defg",
                                      /* 7 characters in 14 bytes */
                                      "\xd8\xa7\xd8\xa8\xd8\xaa\xd8\xab\xd8\xac\xd8\xad\xd8\xae"};
    for (size_t i = 0; i < sizeof good / sizeof *good; i++)
        if (accounts_secret_problem(good[i]))
            fail_msg("refused good secret %zu", i);
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        if (!accounts_secret_problem(bad[i]))
            fail_msg("accepted bad secret %zu", i);
    char huge[200];
    memset(huge, 'x', sizeof huge - 1);
    huge[sizeof huge - 1] = '\0';
    assert_non_null(accounts_secret_problem(huge));

    assert_string_equal(role_name(ROLE_CLERK), "clerk");
    assert_string_equal(role_name(ROLE_SUPERVISOR), "supervisor");
    assert_int_equal(role_from_name("clerk"), ROLE_CLERK);
    assert_int_equal(role_from_name("supervisor"), ROLE_SUPERVISOR);
    assert_int_equal(role_from_name("applicant"), -1);
    assert_int_equal(role_from_name("Clerk"), -1);
    assert_int_equal(role_from_name(NULL), -1);

    struct db *db = open_db("rules.db");
    const char *why = NULL;
    assert_int_equal(accounts_add(db, "x", ROLE_CLERK, "12345678", T0, &why), -1);
    assert_non_null(why);
    assert_int_equal(accounts_add(db, "amina", ROLE_CLERK, "1234", T0, &why), -1);
    assert_non_null(why);
    assert_int_equal(accounts_add(db, "amina", ROLE_APPLICANT, "12345678", T0, &why), -1);
    assert_non_null(why);
    size_t n = 9;
    assert_int_equal(accounts_count(db, &n), 0);
    assert_int_equal(n, 0);
    db_close(db);
}

/* --------------------------------------------------------- user command */

static struct config cmd_cfg;
static char cmd_out[4096], cmd_err[4096];

/* Runs `user ARGS...` with INPUT as its standard input. */
static int run_user(struct db *db, const char *input, const char *const *args)
{
    char *argv[12];
    int argc = 0;
    argv[argc++] = (char *)"user";
    for (; args[argc - 1] && argc < 11; argc++)
        argv[argc] = (char *)args[argc - 1];
    argv[argc] = NULL;
    FILE *in = fmemopen((void *)input, strlen(input), "r");
    if (!*input)
        in = fopen("/dev/null", "r");
    assert_non_null(in);
    FILE *out = fmemopen(cmd_out, sizeof cmd_out, "w");
    FILE *err = fmemopen(cmd_err, sizeof cmd_err, "w");
    assert_non_null(out);
    assert_non_null(err);
    int rc = user_command(argc, argv, db, &cmd_cfg, in, out, err);
    fclose(in);
    fclose(out);
    fclose(err);
    return rc;
}

#define USER(db, input, ...) run_user(db, input, (const char *const[]){__VA_ARGS__, NULL})

static struct audit *trail(struct db *db)
{
    char why[256];
    struct audit *a = audit_open(db, cmd_cfg.key_dir, why, sizeof why);
    if (!a)
        fail_msg("audit_open: %s", why);
    return a;
}

/* The newest audit entry, which must be ACTION by ACTOR on SUBJECT. */
static void last_audit(struct db *db, enum audit_action action, const char *actor,
                       const char *subject)
{
    struct audit *a = trail(db);
    struct audit_entry e;
    size_t n = 0;
    assert_int_equal(audit_page(a, 0, &e, 1, &n), 0);
    assert_int_equal(n, 1);
    if (e.action != action)
        fail_msg("last audit action %s, not %s", audit_action_code(e.action),
                 audit_action_code(action));
    assert_string_equal(e.actor, actor);
    assert_string_equal(e.subject, subject);
    assert_null(strstr(e.detail, "secret1"));
    int64_t checked = 0, bad = 0;
    char why[128];
    assert_int_equal(audit_verify(a, &checked, &bad, why, sizeof why), 0);
    audit_free(a);
}

static size_t audit_rows(struct db *db)
{
    struct audit *a = trail(db);
    int64_t checked = 0, bad = 0;
    char why[128];
    assert_int_equal(audit_verify(a, &checked, &bad, why, sizeof why), 0);
    audit_free(a);
    return (size_t)checked;
}

static void command_usage(void **state)
{
    (void)state;
    struct db *db = open_db("usage.db");
    assert_int_equal(run_user(db, "", (const char *const[]){NULL}), 2);
    assert_non_null(strstr(cmd_err, "Usage"));
    assert_int_equal(USER(db, "", "frobnicate"), 2);
    assert_int_equal(USER(db, "", "add", "amina"), 2);
    assert_int_equal(USER(db, "", "add", "amina", "--role", "admin"), 2);
    assert_int_equal(USER(db, "", "add", "amina", "--role"), 2);
    assert_int_equal(USER(db, "", "add", "amina", "--role", "clerk", "--role", "clerk"), 2);
    assert_int_equal(USER(db, "", "add", "--role", "clerk"), 2);
    assert_int_equal(USER(db, "", "disable", "amina"), 2);
    assert_int_equal(USER(db, "", "enable", "amina"), 2);
    assert_int_equal(USER(db, "", "passwd"), 2);
    assert_int_equal(USER(db, "", "passwd", "amina", "--role", "clerk"), 2);
    assert_int_equal(USER(db, "", "passwd", "amina", "--force"), 2);
    assert_int_equal(USER(db, "", "list", "--as", "amina"), 2);
    assert_int_equal(USER(db, "", "list"), 0);
    assert_non_null(strstr(cmd_out, "No accounts"));
    db_close(db);
}

/* The first account needs no --as and must be a supervisor's. */
static void command_first_account(void **state)
{
    (void)state;
    struct db *db = open_db("first.db");
    assert_int_equal(USER(db, "secret123\nsecret123\n", "add", "bilal", "--role", "clerk"), 1);
    assert_non_null(strstr(cmd_err, "supervisor"));
    assert_int_equal(USER(db, "secret123\nsecret123\nsecret123\n", "add", "amina", "--role",
                          "supervisor", "--as", "amina"),
                     1);
    assert_int_equal(USER(db, "secret123\nsecret124\n", "add", "amina", "--role", "supervisor"), 1);
    assert_non_null(strstr(cmd_err, "differ"));
    assert_int_equal(USER(db, "short\nshort\n", "add", "amina", "--role", "supervisor"), 1);
    assert_int_equal(USER(db, "secret123\n", "add", "amina", "--role", "supervisor"), 1);
    assert_int_equal(USER(db, "secret123\nsecret123\n", "add", "a b", "--role", "supervisor"), 1);
    size_t n = 9;
    assert_int_equal(accounts_count(db, &n), 0);
    assert_int_equal(n, 0);

    /* A last line without its newline is still a line. */
    assert_int_equal(USER(db, "secret123\r\nsecret123", "add", "amina", "--role", "supervisor"), 0);
    assert_non_null(strstr(cmd_out, "amina"));
    assert_null(strstr(cmd_out, "secret123"));
    assert_null(strstr(cmd_err, "secret123"));
    assert_int_equal(login(db, "amina", "secret123", T0, NULL), AUTH_OK);
    last_audit(db, AUDIT_ACCOUNT_ADD, "amina", "amina");

    /* Now an account exists: adding needs a supervisor. */
    assert_int_equal(USER(db, "secret456\nsecret456\n", "add", "bilal", "--role", "supervisor"), 1);
    assert_non_null(strstr(cmd_err, "--as"));
    assert_int_equal(USER(db, "", "list"), 0);
    assert_non_null(strstr(cmd_out, "amina"));
    assert_non_null(strstr(cmd_out, "supervisor"));
    db_close(db);
}

/* add, disable and enable need a supervisor's --as; passwd also the owner. */
static void command_as_checks(void **state)
{
    (void)state;
    struct db *db = open_db("as.db");
    assert_int_equal(USER(db, "secret123\nsecret123\n", "add", "amina", "--role", "supervisor"), 0);
    size_t rows = audit_rows(db);
    /* A wrong --as secret is refused and audited. */
    assert_int_equal(USER(db, "wrong1234\nsecret456\nsecret456\n", "add", "bilal", "--role",
                          "clerk", "--as", "amina"),
                     1);
    last_audit(db, AUDIT_LOGIN_FAILED, "amina", "");
    assert_int_equal(audit_rows(db), rows + 1);
    assert_int_equal(USER(db, "secret123\nsecret456\nsecret456\n", "add", "bilal", "--role",
                          "clerk", "--as", "amina"),
                     0);
    last_audit(db, AUDIT_ACCOUNT_ADD, "amina", "bilal");
    assert_int_equal(login(db, "bilal", "secret456", T0, NULL), AUTH_OK);
    /* The name is taken. */
    assert_int_equal(USER(db, "secret123\nsecret456\nsecret456\n", "add", "bilal", "--role",
                          "clerk", "--as", "amina"),
                     1);

    /* A clerk is no supervisor: cannot add, switch off or reset others. */
    assert_int_equal(USER(db, "secret456\nsecret789\nsecret789\n", "add", "chand", "--role",
                          "clerk", "--as", "bilal"),
                     1);
    assert_non_null(strstr(cmd_err, "supervisor"));
    last_audit(db, AUDIT_LOGIN_FAILED, "bilal", "");
    assert_int_equal(USER(db, "secret456\n", "disable", "amina", "--as", "bilal"), 1);
    assert_int_equal(
        USER(db, "secret456\nsecret789\nsecret789\n", "passwd", "amina", "--as", "bilal"), 1);
    assert_int_equal(login(db, "amina", "secret123", T0, NULL), AUTH_OK);

    /* A clerk changes their own secret with the current one. */
    assert_int_equal(USER(db, "secret456\nnewsecret1\nnewsecret1\n", "passwd", "bilal"), 0);
    last_audit(db, AUDIT_ACCOUNT_PASSWD, "bilal", "bilal");
    assert_int_equal(login(db, "bilal", "newsecret1", T0, NULL), AUTH_OK);
    assert_int_equal(USER(db, "secret456\nnewsecret2\nnewsecret2\n", "passwd", "bilal"), 1);
    /* A supervisor resets it without knowing it. */
    assert_int_equal(
        USER(db, "secret123\n13572468\n13572468\n", "passwd", "bilal", "--as", "amina"), 0);
    last_audit(db, AUDIT_ACCOUNT_PASSWD, "amina", "bilal");
    assert_int_equal(login(db, "bilal", "13572468", T0, NULL), AUTH_OK);

    /* Switching off and on. */
    assert_int_equal(USER(db, "secret123\n", "disable", "bilal", "--as", "amina"), 0);
    last_audit(db, AUDIT_ACCOUNT_DISABLE, "amina", "bilal");
    assert_int_equal(login(db, "bilal", "13572468", T0, NULL), AUTH_DISABLED);
    assert_int_equal(USER(db, "13572468\n", "passwd", "bilal"), 1);
    assert_int_equal(USER(db, "", "list"), 0);
    assert_non_null(strstr(cmd_out, "off"));
    assert_int_equal(USER(db, "secret123\n", "enable", "bilal", "--as", "amina"), 0);
    last_audit(db, AUDIT_ACCOUNT_ENABLE, "amina", "bilal");
    assert_int_equal(login(db, "bilal", "13572468", T0, NULL), AUTH_OK);
    assert_int_equal(USER(db, "secret123\n", "disable", "nobody", "--as", "amina"), 1);
    /* Nobody could switch the last supervisor back on. */
    assert_int_equal(USER(db, "secret123\n", "disable", "amina", "--as", "amina"), 1);
    assert_int_equal(login(db, "amina", "secret123", T0, NULL), AUTH_OK);
    /* No --as secret at all. */
    assert_int_equal(USER(db, "", "enable", "bilal", "--as", "amina"), 1);
    db_close(db);
}

/* A wrong --as counts toward the lock; while locked, the right one fails. */
static void command_as_lockout(void **state)
{
    (void)state;
    struct db *db = open_db("aslock.db");
    assert_int_equal(USER(db, "secret123\nsecret123\n", "add", "amina", "--role", "supervisor"), 0);
    for (int i = 0; i < ACCOUNTS_FREE_TRIES; i++)
        assert_int_equal(USER(db, "wrong1234\n", "enable", "amina", "--as", "amina"), 1);
    assert_int_equal(USER(db, "wrong1234\n", "enable", "amina", "--as", "amina"), 1);
    assert_non_null(strstr(cmd_err, "seconds"));
    last_audit(db, AUDIT_LOCKED_OUT, "amina", "");
    assert_int_equal(USER(db, "secret123\n", "enable", "amina", "--as", "amina"), 1);
    assert_non_null(strstr(cmd_err, "seconds"));
    /* An unknown or malformed --as name is audited without being stored. */
    assert_int_equal(USER(db, "secret123\n", "enable", "amina", "--as", "no such;name"), 1);
    last_audit(db, AUDIT_LOGIN_FAILED, "unknown", "");
    db_close(db);
}

/* ---------------------------------------------------------------- fixture */

static int make_tmpdir(void **state)
{
    (void)state;
    if (testdir_make(tmpdir) != 0)
        return -1;
    config_defaults(&cmd_cfg);
    snprintf(cmd_cfg.key_dir, sizeof cmd_cfg.key_dir, "%s", tmpdir);
    return 0;
}

static int remove_tmpdir(void **state)
{
    (void)state;
    return testdir_remove(tmpdir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(hash_round_trip),           cmocka_unit_test(wrong_secret_is_bad),
        cmocka_unit_test(lockout_timeline),          cmocka_unit_test(success_resets),
        cmocka_unit_test(unknown_names_lock_too),    cmocka_unit_test(old_failures_are_pruned),
        cmocka_unit_test(disabled_accounts),         cmocka_unit_test(passwd_changes_and_unlocks),
        cmocka_unit_test(names_and_secrets_refused), cmocka_unit_test(command_usage),
        cmocka_unit_test(command_first_account),     cmocka_unit_test(command_as_checks),
        cmocka_unit_test(command_as_lockout),
    };
    return cmocka_run_group_tests(tests, make_tmpdir, remove_tmpdir);
}

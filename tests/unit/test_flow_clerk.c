/*
 * test_flow_clerk.c - the clerk's and supervisor's tools in the flow,
 * over a real SQLite file, real accounts (Argon2id) and a real audit
 * trail, without a terminal.
 *
 * The story: nobody logged in is refused every tool; a clerk sees today's
 * registrations here (not an older one), newest first, and reprints a
 * receipt by CNIC or tracking ID (marked COPY, recorded in the trail,
 * also for a trimmed household); a clerk is refused the supervisor's
 * tools; a supervisor adds an account, changes its secret, switches it
 * off (never themself), and reads the trail, which verifies as intact.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "db/db.h"
#include "db/drafts.h"
#include "db/registry.h"
#include "kiosk/accounts.h"
#include "kiosk/audit.h"
#include "kiosk/config.h"
#include "kiosk/flow.h"
#include "kiosk/questionnaire.h"
#include "tests/unit/testdir.h"

#define BOSS      "boss"
#define BOSS_PIN  "246810"
#define CLERK     "clerk1"
#define CLERK_PIN "135790"
#define CNIC_OLD  "3520211111111"
#define CNIC_A    "3520222222222"
#define CNIC_B    "3520233333333"
#define ONE_DAY   86400

static char dir[] = "/tmp/nser-test-flow-clerk-XXXXXX";

struct printer_log {
    int calls;
    struct receipt_doc last;
};

struct fixture {
    char path[300];
    char keys[300];
    struct db *db;
    struct config cfg;
    struct questionnaire *q;
    struct audit *audit;
    struct flow *f;
    struct printer_log printer;
    unsigned uuid_n;
};

static int fake_print(void *ud, const struct receipt_doc *doc)
{
    struct printer_log *p = ud;
    p->calls++;
    p->last = *doc;
    return 0;
}

static bool fake_present(void *ud, enum device_role role)
{
    (void)ud;
    return role == DEVICE_PRINTER;
}

static int setup(void **state)
{
    struct fixture *x = calloc(1, sizeof *x);
    if (!x || testdir_make(dir) != 0)
        return -1;
    snprintf(x->path, sizeof x->path, "%s/kiosk.db", dir);
    snprintf(x->keys, sizeof x->keys, "%s", dir);
    char err[256];
    if (db_open(x->path, &x->db, err, sizeof err) != DB_OK)
        return -1;
    config_defaults(&x->cfg);
    snprintf(x->cfg.kiosk_code, sizeof x->cfg.kiosk_code, "%s", "04217");
    struct q_error qe;
    x->q = questionnaire_load("data/questionnaire.txt", &qe);
    x->audit = audit_open(x->db, x->keys, err, sizeof err);
    if (!x->q || !x->audit)
        return -1;
    x->f = flow_new(x->db, &x->cfg, x->q, NULL);
    if (!x->f)
        return -1;
    flow_set_audit(x->f, x->audit);
    struct flow_devices hooks = {fake_print, fake_present, &x->printer};
    flow_set_devices(x->f, &hooks);
    const char *why;
    if (accounts_add(x->db, BOSS, ROLE_SUPERVISOR, BOSS_PIN, time(NULL), &why) != 0 ||
        accounts_add(x->db, CLERK, ROLE_CLERK, CLERK_PIN, time(NULL), &why) != 0)
        return -1;
    *state = x;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *x = *state;
    flow_free(x->f);
    audit_free(x->audit);
    questionnaire_free(x->q);
    db_close(x->db);
    if (testdir_remove(dir) != 0)
        return -1;
    strcpy(dir, "/tmp/nser-test-flow-clerk-XXXXXX");
    free(x);
    return 0;
}

static void login(struct fixture *x, const char *name, const char *secret)
{
    int wait_s;
    flow_show_login(x->f);
    const char *why = flow_login(x->f, name, secret, &wait_s);
    if (why)
        fail_msg("log-in as %s refused: %s", name, why);
}

/* A registration of CNIC stored at WHEN, straight through the registry. */
static struct tracking_id register_at(struct fixture *x, const char *cnic, time_t when)
{
    struct draft_info d;
    assert_int_equal(drafts_create(x->db, cnic, "nser_household", "2024.1", when, &d), DB_OK);
    assert_int_equal(drafts_set_answer(x->db, d.id, 0, "name", "Ayesha Bibi", when), DB_OK);
    assert_int_equal(drafts_set_answer(x->db, d.id, 0, "relation", "head", when), DB_OK);
    assert_int_equal(drafts_set_answer(x->db, d.id, 0, "cnic", cnic, when), DB_OK);
    struct answers *a = answers_new();
    assert_non_null(a);
    assert_int_equal(drafts_load_all(x->db, d.id, a, NULL, 0), DB_OK);
    struct registration_meta m;
    memset(&m, 0, sizeof m);
    snprintf(m.kiosk_code, sizeof m.kiosk_code, "%s", "04217");
    m.now = when;
    snprintf(m.record_uuid, sizeof m.record_uuid, "00000000-0000-4000-8000-%012u", ++x->uuid_n);
    snprintf(m.head_name, sizeof m.head_name, "%s", "Ayesha Bibi");
    snprintf(m.questionnaire_id, sizeof m.questionnaire_id, "%s", "nser_household");
    snprintf(m.questionnaire_version, sizeof m.questionnaire_version, "%s", "2024.1");
    struct tracking_id t;
    enum db_result r = registry_confirm(x->db, d.id, a, NULL, &m, &t);
    answers_free(a);
    if (r != DB_OK)
        fail_msg("registry_confirm: %s", db_last_error(x->db));
    return t;
}

static struct audit_entry newest_entry(struct fixture *x)
{
    struct audit_entry e[1];
    size_t n = 0;
    assert_int_equal(audit_page(x->audit, 0, e, 1, &n), 0);
    assert_int_equal(n, 1);
    return e[0];
}

static void sql(struct fixture *x, const char *statement)
{
    sqlite3 *raw;
    assert_int_equal(sqlite3_open(x->path, &raw), SQLITE_OK);
    sqlite3_busy_timeout(raw, 5000);
    char *err = NULL;
    if (sqlite3_exec(raw, statement, NULL, NULL, &err) != SQLITE_OK)
        fail_msg("sql: %s", err ? err : "?");
    sqlite3_close(raw);
}

/* ---- nobody logged in ---- */

static void test_applicant_is_refused_every_tool(void **state)
{
    struct fixture *x = *state;
    register_at(x, CNIC_A, time(NULL));
    struct registration_summary rows[4];
    struct user_info users[4];
    struct audit_entry entries[4];
    size_t n = 99;
    assert_non_null(flow_today_list(x->f, rows, 4, &n));
    assert_int_equal(n, 0);
    assert_non_null(flow_reprint(x->f, CNIC_A));
    assert_int_equal(x->printer.calls, 0);
    assert_non_null(flow_accounts_list(x->f, users, 4, &n));
    assert_non_null(flow_account_add(x->f, "mallory", ROLE_SUPERVISOR, "99999999"));
    assert_non_null(flow_account_passwd(x->f, BOSS, "99999999"));
    assert_non_null(flow_account_disable(x->f, BOSS, true));
    assert_non_null(flow_audit_entries(x->f, 0, entries, 4, &n));
    char verdict[200];
    bool broken;
    assert_non_null(flow_audit_check(x->f, verdict, sizeof verdict, &broken));
    unsigned serial = flow_page_serial(x->f);
    flow_show_today(x->f);
    flow_show_reprint(x->f);
    flow_show_accounts(x->f);
    flow_show_audit(x->f);
    assert_int_equal(flow_page(x->f), PAGE_HOME);
    assert_int_equal(flow_page_serial(x->f), serial);
    /* Nothing was made: mallory cannot log in. */
    int wait_s;
    flow_show_login(x->f);
    assert_non_null(flow_login(x->f, "mallory", "99999999", &wait_s));
}

/* ---- the clerk ---- */

static void test_clerk_sees_today_newest_first(void **state)
{
    struct fixture *x = *state;
    time_t now = time(NULL);
    register_at(x, CNIC_OLD, now - 3 * ONE_DAY);
    struct tracking_id a = register_at(x, CNIC_A, now);
    struct tracking_id b = register_at(x, CNIC_B, now);
    login(x, CLERK, CLERK_PIN);
    flow_show_today(x->f);
    assert_int_equal(flow_page(x->f), PAGE_TODAY);
    struct registration_summary rows[8];
    size_t n = 0;
    assert_null(flow_today_list(x->f, rows, 8, &n));
    assert_int_equal(n, 2);
    assert_string_equal(rows[0].tracking.digits, b.digits);
    assert_string_equal(rows[1].tracking.digits, a.digits);
    assert_string_equal(rows[1].cnic.digits, CNIC_A);
    assert_int_equal(rows[0].record_version, 1);
    assert_false(rows[0].trimmed);
    assert_true(rows[0].registered_at >= now - 1 && rows[0].registered_at <= now + 5);
    /* MAX is honoured. */
    assert_null(flow_today_list(x->f, rows, 1, &n));
    assert_int_equal(n, 1);
    assert_string_equal(rows[0].tracking.digits, b.digits);
    flow_tools_back(x->f);
    assert_int_equal(flow_page(x->f), PAGE_HOME);
}

static void test_clerk_reprints_a_copy_and_it_is_audited(void **state)
{
    struct fixture *x = *state;
    struct tracking_id a = register_at(x, CNIC_A, time(NULL));
    login(x, CLERK, CLERK_PIN);
    flow_show_reprint(x->f);
    assert_int_equal(flow_page(x->f), PAGE_REPRINT);
    assert_non_null(flow_reprint(x->f, "12345"));
    assert_non_null(flow_reprint(x->f, CNIC_B)); /* valid, not registered here */
    assert_int_equal(x->printer.calls, 0);

    assert_null(flow_reprint(x->f, "35202-2222222-2")); /* the CNIC, with dashes */
    assert_int_equal(flow_page(x->f), PAGE_REG_RECEIPT);
    assert_string_equal(flow_receipt(x->f)->digits, a.digits);
    assert_int_equal(x->printer.calls, 1);
    assert_true(x->printer.last.reprint);
    char id[40];
    tracking_format(&a, id, sizeof id);
    assert_string_equal(x->printer.last.tracking, id);
    struct audit_entry e = newest_entry(x);
    assert_int_equal(e.action, AUDIT_REPRINT);
    assert_string_equal(e.actor, CLERK);
    assert_string_equal(e.subject, a.digits);
    assert_null(strstr(e.detail, CNIC_A));

    /* By tracking ID, after the household was trimmed for privacy. */
    flow_end_session(x->f);
    sql(x, "UPDATE registrations SET trimmed_at = '2026-01-01T00:00:00Z'");
    flow_show_reprint(x->f);
    assert_null(flow_reprint(x->f, id));
    assert_string_equal(flow_receipt(x->f)->digits, a.digits);
    assert_int_equal(x->printer.calls, 2);
    assert_true(x->printer.last.reprint);
    e = newest_entry(x);
    assert_int_equal(e.action, AUDIT_REPRINT);
    assert_string_equal(e.detail, "trimmed");
    struct registration_summary rows[2];
    size_t n = 0;
    assert_null(flow_today_list(x->f, rows, 2, &n));
    assert_int_equal(n, 1);
    assert_true(rows[0].trimmed);
}

static void test_clerk_is_refused_the_supervisors_tools(void **state)
{
    struct fixture *x = *state;
    login(x, CLERK, CLERK_PIN);
    struct user_info users[4];
    struct audit_entry entries[4];
    size_t n = 99;
    assert_non_null(flow_accounts_list(x->f, users, 4, &n));
    assert_int_equal(n, 0);
    assert_non_null(flow_account_add(x->f, "clerk2", ROLE_SUPERVISOR, "24681012"));
    assert_non_null(flow_account_passwd(x->f, BOSS, "24681012"));
    assert_non_null(flow_account_disable(x->f, BOSS, true));
    assert_non_null(flow_audit_entries(x->f, 0, entries, 4, &n));
    flow_show_accounts(x->f);
    flow_show_audit(x->f);
    assert_int_equal(flow_page(x->f), PAGE_HOME);
}

/* ---- the supervisor ---- */

static void test_supervisor_manages_accounts(void **state)
{
    struct fixture *x = *state;
    login(x, BOSS, BOSS_PIN);
    flow_show_accounts(x->f);
    assert_int_equal(flow_page(x->f), PAGE_ACCOUNTS);
    struct user_info users[8];
    size_t n = 0;
    assert_null(flow_accounts_list(x->f, users, 8, &n));
    assert_int_equal(n, 2);

    assert_non_null(flow_account_add(x->f, "x", ROLE_CLERK, "13579086"));          /* bad name */
    assert_non_null(flow_account_add(x->f, "clerk2", ROLE_CLERK, "123"));          /* weak */
    assert_non_null(flow_account_add(x->f, CLERK, ROLE_CLERK, "13579086"));        /* taken */
    assert_non_null(flow_account_add(x->f, "clerk2", ROLE_APPLICANT, "13579086")); /* no role */
    assert_null(flow_account_add(x->f, "clerk2", ROLE_CLERK, "13579086"));
    struct audit_entry e = newest_entry(x);
    assert_int_equal(e.action, AUDIT_ACCOUNT_ADD);
    assert_string_equal(e.subject, "clerk2");
    assert_null(strstr(e.detail, "13579086"));
    assert_null(flow_accounts_list(x->f, users, 8, &n));
    assert_int_equal(n, 3);

    assert_null(flow_account_passwd(x->f, "clerk2", "86420975"));
    assert_int_equal(newest_entry(x).action, AUDIT_ACCOUNT_PASSWD);

    /* Never themself; anyone else, off and on again. */
    assert_non_null(flow_account_disable(x->f, BOSS, true));
    assert_null(flow_account_disable(x->f, "clerk2", true));
    assert_int_equal(newest_entry(x).action, AUDIT_ACCOUNT_DISABLE);
    assert_null(flow_accounts_list(x->f, users, 8, &n));
    bool seen = false;
    for (size_t i = 0; i < n; i++)
        if (strcmp(users[i].name, "clerk2") == 0) {
            seen = true;
            assert_true(users[i].disabled);
        }
    assert_true(seen);
    assert_null(flow_account_disable(x->f, "clerk2", false));
    assert_int_equal(newest_entry(x).action, AUDIT_ACCOUNT_ENABLE);

    /* The new secret works, the old one not. */
    flow_logout(x->f);
    int wait_s;
    flow_show_login(x->f);
    assert_non_null(flow_login(x->f, "clerk2", "13579086", &wait_s));
    assert_null(flow_login(x->f, "clerk2", "86420975", &wait_s));
    assert_int_equal(flow_role(x->f), ROLE_CLERK);
}

static void test_supervisor_reads_a_verified_trail(void **state)
{
    struct fixture *x = *state;
    login(x, BOSS, BOSS_PIN);
    flow_show_audit(x->f);
    assert_int_equal(flow_page(x->f), PAGE_AUDIT);
    char verdict[320];
    bool broken = true;
    assert_null(flow_audit_check(x->f, verdict, sizeof verdict, &broken));
    assert_false(broken);
    assert_non_null(strstr(verdict, "intact"));

    /* Newest first, paged by id. */
    for (int i = 0; i < 5; i++)
        assert_null(flow_account_passwd(x->f, CLERK, "13579086"));
    struct audit_entry page1[3], page2[10];
    size_t n1 = 0, n2 = 0;
    assert_null(flow_audit_entries(x->f, 0, page1, 3, &n1));
    assert_int_equal(n1, 3);
    assert_true(page1[0].id > page1[1].id && page1[1].id > page1[2].id);
    assert_int_equal(page1[0].action, AUDIT_ACCOUNT_PASSWD);
    assert_null(flow_audit_entries(x->f, page1[2].id, page2, 10, &n2));
    assert_true(n2 >= 3); /* two more changes and the log-in */
    assert_true(page2[0].id < page1[2].id);
    assert_int_equal(page2[n2 - 1].action, AUDIT_LOGIN);

    /* A row edited behind the trail's back (triggers dropped) is found. */
    sql(x, "DROP TRIGGER audit_append_only_update;"
           "UPDATE audit SET detail = 'forged' WHERE id = 2;");
    assert_null(flow_audit_check(x->f, verdict, sizeof verdict, &broken));
    assert_true(broken);
    assert_non_null(strstr(verdict, "BROKEN"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_applicant_is_refused_every_tool, setup, teardown),
        cmocka_unit_test_setup_teardown(test_clerk_sees_today_newest_first, setup, teardown),
        cmocka_unit_test_setup_teardown(test_clerk_reprints_a_copy_and_it_is_audited, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_clerk_is_refused_the_supervisors_tools, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_supervisor_manages_accounts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_supervisor_reads_a_verified_trail, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

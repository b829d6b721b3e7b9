/*
 * test_flow.c - the survey flow over a real SQLite file and the shipped
 * questionnaire and score tables, without a terminal.
 *
 * The story: an applicant types a CNIC and answers page after page; every
 * answer is in the draft the moment it is given; a restart offers the
 * draft back at the very question; a question a later answer hides is not
 * stored; a son older than the head is refused with the file's message; the
 * registration is confirmed with a provisional score; an applicant typing
 * that CNIC again is sent to the counter, where a clerk updates it as the
 * next version of the same record.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "db/db.h"
#include "db/drafts.h"
#include "kiosk/accounts.h"
#include "kiosk/config.h"
#include "kiosk/flow.h"
#include "kiosk/i18n.h"
#include "kiosk/questionnaire.h"
#include "kiosk/scoring.h"

#define HEAD_CNIC "3520255555551"

static char dir[] = "/tmp/nser-test-flow-XXXXXX";

struct fixture {
    char path[300];
    struct db *db;
    struct config cfg;
    struct questionnaire *q;
    struct scoring *scoring;
    struct flow *f;
};

static int setup(void **state)
{
    struct fixture *x = calloc(1, sizeof *x);
    if (!x || !mkdtemp(dir))
        return -1;
    snprintf(x->path, sizeof x->path, "%s/kiosk.db", dir);
    char detail[256];
    if (db_open(x->path, &x->db, detail, sizeof detail) != DB_OK)
        return -1;
    config_defaults(&x->cfg);
    struct q_error qe;
    x->q = questionnaire_load("data/questionnaire.txt", &qe);
    char err[512];
    x->scoring = scoring_load("data/scorecard-pk-2009.txt", "data/thresholds.txt", err, sizeof err);
    if (!x->q || !x->scoring)
        return -1;
    x->f = flow_new(x->db, &x->cfg, x->q, x->scoring);
    *state = x;
    return x->f ? 0 : -1;
}

static int teardown(void **state)
{
    struct fixture *x = *state;
    flow_free(x->f);
    scoring_free(x->scoring);
    questionnaire_free(x->q);
    db_close(x->db);
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        return -1;
    strcpy(dir, "/tmp/nser-test-flow-XXXXXX");
    free(x);
    return 0;
}

/* A new flow on the same file, as after a restart. */
static void restart(struct fixture *x)
{
    flow_free(x->f);
    x->f = flow_new(x->db, &x->cfg, x->q, x->scoring);
    assert_non_null(x->f);
}

struct kv {
    const char *id, *value;
};

/* Answers every shown question of the current page from ANSWERS (a
 * question not listed is left unanswered), then leaves the page. Returns
 * what flow_survey_done said. */
static const char *fill_page(struct flow *f, const struct kv *answers)
{
    const struct q_page *p = flow_survey_page(f);
    assert_non_null(p);
    for (size_t i = 0; i < p->n_questions; i++) {
        const struct q_question *qq = p->questions[i];
        struct expr_ctx ctx = flow_survey_ctx(f);
        if (!q_shown(qq, &ctx) || flow_question_locked(f, qq))
            continue;
        for (const struct kv *a = answers; a->id; a++) {
            if (strcmp(a->id, qq->id) == 0) {
                const char *problem = flow_answer(f, qq, a->value, (int)i + 1);
                if (problem)
                    fail_msg("%s = '%s' refused: %s", qq->id, a->value, problem);
            }
        }
    }
    int bad;
    return flow_survey_done(f, &bad);
}

static const struct kv HOUSEHOLD[] = {
    {"case_type", "missed_in_survey"},
    {"province", "3"},
    {"district", "d3lhr"},
    {"tehsil", "t3lhr_mtown"},
    {"locality", "Street 5"},
    {"urban_rural", "urban"},
    {"tenure", "owned"},
    {"rooms", "2"},
    {"wall_material", "burnt_brick"},
    {"roof_material", "rcc"},
    {"toilet", "flush_pit"},
    {"water_source", "hand_pump"},
    {"cooking_fuel", "lpg"},
    {"lighting", "electricity"},
    {"fridge", "no"},
    {"air_conditioner", "no"},
    {"air_cooler", "no"},
    {"geyser", "no"},
    {"washing_machine", "no"},
    {"cooking_range", "no"},
    {"tv", "yes"},
    {"computer", "no"},
    {"motorcycle", "yes"},
    {"car_tractor", "no"},
    {"owns_land", "no"},
    {"buffaloes", "0"},
    {"cows", "1"},
    {"bullocks", "0"},
    {"goats", "2"},
    {"sheep", "0"},
    {"camels", "0"},
    {"poultry", "5"},
    {"remittances", "no"},
    {"pension", "no"},
    {NULL, NULL},
};

static const struct kv HEAD[] = {
    {"name", "Muhammad Ali"}, {"age", "45"},          {"marital_status", "married"},
    {"literate", "yes"},      {"highest_class", "8"}, {"employment_status", "employee"},
    {"occupation", "craft"},  {"disability", "none"}, {NULL, NULL},
};

static const struct kv WIFE[] = {
    {"name", "Fatima Bibi"},
    {"relation", "spouse"},
    {"gender", "female"},
    {"age", "40"},
    {"marital_status", "married"},
    {"literate", "no"},
    {"highest_class", "0"},
    {"employment_status", "housework"},
    {"disability", "seeing"},
    {"disability_severity", "a_lot"},
    {NULL, NULL},
};

static const struct kv SON[] = {
    {"name", "Ahmed Ali"},  {"relation", "son"},    {"gender", "male"},
    {"age", "9"},           {"literate", "yes"},    {"attends_school", "yes"},
    {"highest_class", "3"}, {"disability", "none"}, {NULL, NULL},
};

/* Fills every page of the member being edited until the roster returns. */
static void fill_member(struct flow *f, const struct kv *answers)
{
    while (flow_page(f) == PAGE_REG_SURVEY) {
        const char *problem = fill_page(f, answers);
        if (problem)
            fail_msg("member page refused: %s", problem);
    }
    assert_int_equal(flow_page(f), PAGE_REG_ROSTER);
}

/* From the CNIC to the review: the household pages, the roster with the
 * head, a wife and a son. */
static void survey_to_review(struct flow *f)
{
    assert_null(flow_set_head_cnic(f, HEAD_CNIC));
    while (flow_page(f) == PAGE_REG_SURVEY)
        assert_null(fill_page(f, HOUSEHOLD));
    assert_int_equal(flow_page(f), PAGE_REG_ROSTER);
    assert_null(flow_edit_member(f, 0));
    fill_member(f, HEAD);
    assert_null(flow_edit_member(f, -1));
    fill_member(f, WIFE);
    assert_null(flow_edit_member(f, -1));
    fill_member(f, SON);
    assert_int_equal(flow_roster_count(f), 3);
    assert_null(flow_roster_done(f));
    while (flow_page(f) == PAGE_REG_SURVEY)
        assert_null(fill_page(f, HOUSEHOLD));
    assert_int_equal(flow_page(f), PAGE_REG_REVIEW);
}

/* ---- USB devices: a CNIC from a card or scan, notices, printing ---- */

static struct device_event cnic_event(enum device_role role, const char *cnic)
{
    struct device_event ev = {.kind = CNIC_READ, .role = role};
    snprintf(ev.cnic, sizeof ev.cnic, "%s", cnic);
    snprintf(ev.name, sizeof ev.name, "Muhammad Aslam");
    snprintf(ev.dob, sizeof ev.dob, "1985-03-14");
    return ev;
}

static void test_card_fills_only_a_cnic_page(void **state)
{
    struct fixture *x = *state;
    struct flow_device_cnic c;
    struct device_event ev = cnic_event(DEVICE_CARD_READER, HEAD_CNIC);
    bool bad = true;
    /* At home a card is not used: the applicant is told what to choose. */
    flow_device_event(x->f, &ev);
    assert_false(flow_take_device_cnic(x->f, &c));
    assert_non_null(flow_notice(x->f, &bad));
    assert_false(bad);
    /* On the registration's CNIC page it waits for the screen, once. */
    flow_start_registration(x->f);
    assert_true(flow_page_takes_cnic(x->f));
    unsigned serial = flow_notice_serial(x->f);
    flow_device_event(x->f, &ev);
    assert_int_not_equal(flow_notice_serial(x->f), serial);
    assert_true(flow_take_device_cnic(x->f, &c));
    assert_string_equal(c.cnic, HEAD_CNIC);
    assert_string_equal(c.name, "Muhammad Aslam");
    assert_string_equal(c.dob, "1985-03-14");
    assert_int_equal(c.source, DEVICE_CARD_READER);
    assert_false(flow_take_device_cnic(x->f, &c));
    /* Read for one page, it is gone when the page changes: a card left
     * in the reader never lands in someone else's session. */
    ev = cnic_event(DEVICE_SCANNER, HEAD_CNIC);
    flow_device_event(x->f, &ev);
    flow_go_back(x->f);
    flow_start_status(x->f);
    assert_false(flow_take_device_cnic(x->f, &c));
}

static void test_device_trouble_is_a_notice(void **state)
{
    struct fixture *x = *state;
    bool bad = false;
    struct device_event ev = {
        .kind = DEVICE_GONE, .role = DEVICE_CARD_READER, .problem = DEVICE_PROBLEM_GONE_MID_READ};
    flow_device_event(x->f, &ev);
    const char *n = flow_notice(x->f, &bad);
    assert_non_null(n);
    assert_true(bad);
    assert_non_null(strstr(n, "type the CNIC"));
    ev = (struct device_event){
        .kind = DEVICE_UNUSABLE, .role = DEVICE_SCANNER, .problem = DEVICE_PROBLEM_NO_ACCESS};
    flow_device_event(x->f, &ev);
    assert_non_null(strstr(flow_notice(x->f, &bad), "70-nser-kiosk.rules"));
    ev = (struct device_event){.kind = SCAN_NOT_CNIC, .role = DEVICE_SCANNER};
    flow_device_event(x->f, &ev);
    assert_non_null(strstr(flow_notice(x->f, &bad), "No CNIC"));
    flow_clear_notice(x->f);
    assert_null(flow_notice(x->f, &bad));
}

struct printer_log {
    int calls;
    bool present;
    struct receipt_doc last;
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
    struct printer_log *p = ud;
    return role == DEVICE_PRINTER && p->present;
}

static void test_receipt_is_printed_on_confirm(void **state)
{
    struct fixture *x = *state;
    struct printer_log log = {.present = true};
    struct flow_devices hooks = {fake_print, fake_present, &log};
    flow_set_devices(x->f, &hooks);
    survey_to_review(x->f);
    assert_null(flow_confirm(x->f));
    assert_int_equal(flow_page(x->f), PAGE_REG_RECEIPT);
    assert_int_equal(log.calls, 1);
    assert_int_equal(flow_print_state(x->f), FLOW_PRINT_PRINTING);
    char id[40];
    tracking_format(flow_receipt(x->f), id, sizeof id);
    assert_string_equal(log.last.tracking, id);
    /* The QR holds the digits only; the first print is no copy. */
    char digits[40];
    size_t n = 0;
    for (const char *p = id; *p; p++)
        if (*p != '-')
            digits[n++] = *p;
    digits[n] = '\0';
    assert_string_equal(log.last.qr_payload, digits);
    assert_false(log.last.reprint);
    struct device_event done = {.kind = PRINT_DONE, .role = DEVICE_PRINTER};
    flow_device_event(x->f, &done);
    assert_int_equal(flow_print_state(x->f), FLOW_PRINT_DONE);
    /* Printing again says COPY; paper out is reported in plain words. */
    flow_print_receipt(x->f);
    assert_int_equal(log.calls, 2);
    assert_true(log.last.reprint);
    struct device_event out = {
        .kind = PRINT_FAILED, .role = DEVICE_PRINTER, .problem = DEVICE_PROBLEM_PAPER_OUT};
    flow_device_event(x->f, &out);
    assert_int_equal(flow_print_state(x->f), FLOW_PRINT_FAILED);
    assert_non_null(strstr(flow_print_problem(x->f), "out of paper"));
    /* No printer: the screen says so; nothing is sent. */
    log.present = false;
    flow_print_receipt(x->f);
    assert_int_equal(log.calls, 2);
    assert_int_equal(flow_print_state(x->f), FLOW_PRINT_NO_PRINTER);
    flow_set_devices(x->f, NULL);
}

static bool all_ascii(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s > 0x7e)
            return false;
    return true;
}

/*
 * Urdu on the screen, Roman Urdu on paper: the receipt printer prints ASCII
 * only. Needs the compiled catalogs (make builds them under build/); the
 * test is skipped without them.
 */
static void test_urdu_receipt_prints_in_roman_urdu(void **state)
{
    struct fixture *x = *state;
    static const char *const dirs[] = {"build/asan/locale", "build/locale"};
    const char *found = NULL;
    for (size_t i = 0; i < sizeof dirs / sizeof dirs[0] && !found; i++) {
        char mo[128];
        snprintf(mo, sizeof mo, "%s/ur/LC_MESSAGES/nser-kiosk.mo", dirs[i]);
        if (access(mo, R_OK) == 0)
            found = dirs[i];
    }
    if (!found)
        skip();
    setenv("NSER_LOCALEDIR", found, 1);
    assert_int_equal(i18n_init(), 0);

    struct printer_log log = {.present = true};
    struct flow_devices hooks = {fake_print, fake_present, &log};
    flow_set_devices(x->f, &hooks);
    survey_to_review(x->f);
    assert_int_equal(i18n_set_language("ur"), 0);
    assert_string_equal(i18n_print_language(), "ur_Latn");
    assert_null(flow_confirm(x->f));
    assert_int_equal(log.calls, 1);
    assert_string_equal(log.last.title, "NSER registration ki raseed");
    assert_string_equal(log.last.tracking_label, "Tracking ID");
    assert_string_equal(log.last.next_title, "Aage kya karein");
    const char *printed[] = {log.last.title,      log.last.kiosk_line, log.last.date_line,
                             log.last.next_title, log.last.next[0],    log.last.next[1],
                             log.last.next[2]};
    for (size_t i = 0; i < sizeof printed / sizeof printed[0]; i++)
        if (!all_ascii(printed[i]))
            fail_msg("printed line %zu is not ASCII: %s", i, printed[i]);
    /* The screen stays in Urdu. */
    assert_string_equal(i18n_language(), "ur");
    assert_string_equal(_("What to do next"), "آگے کیا کریں");
    /* English and Roman Urdu print as they are. */
    assert_int_equal(i18n_set_language("en"), 0);
    assert_string_equal(i18n_print_language(), "en");
    struct device_event done = {.kind = PRINT_DONE, .role = DEVICE_PRINTER};
    flow_device_event(x->f, &done);
    flow_print_receipt(x->f);
    assert_int_equal(log.calls, 2);
    assert_string_equal(log.last.title, "NSER registration receipt");
    flow_set_devices(x->f, NULL);
    unsetenv("NSER_LOCALEDIR");
}

static void test_draft_starts_with_what_the_cnic_says(void **state)
{
    struct fixture *x = *state;
    flow_start_registration(x->f);
    assert_non_null(strstr(flow_set_head_cnic(x->f, "12345"), "13 digits"));
    assert_null(flow_set_head_cnic(x->f, HEAD_CNIC));
    assert_int_equal(flow_page(x->f), PAGE_REG_SURVEY);
    assert_string_equal(flow_survey_page(x->f)->id, "identification");
    const struct draft_info *d = flow_draft(x->f);
    assert_non_null(d);
    assert_int_equal(strlen(d->number), DRAFT_NUMBER_DIGITS);
    struct answers *a = answers_new();
    int slot;
    assert_int_equal(drafts_load_member(x->db, d->id, 0, a, &slot), DB_OK);
    assert_string_equal(answers_get(a, 0, "relation"), "head");
    assert_string_equal(answers_get(a, 0, "id_number"), HEAD_CNIC);
    assert_string_equal(answers_get(a, 0, "gender"), "male");
    answers_free(a);
}

static void test_every_answer_is_in_the_draft_at_once(void **state)
{
    struct fixture *x = *state;
    assert_null(flow_set_head_cnic(x->f, HEAD_CNIC));
    assert_null(fill_page(x->f, HOUSEHOLD)); /* identification */
    const struct q_page *p = flow_survey_page(x->f);
    assert_string_equal(p->id, "address");
    const struct q_question *province = questionnaire_question(x->q, "province");
    const struct q_question *district = questionnaire_question(x->q, "district");
    assert_non_null(flow_answer(x->f, province, "9", 1)); /* not a province code */
    assert_null(flow_answer(x->f, province, "3", 1));
    assert_null(flow_answer(x->f, district, "d3lhr", 2));
    struct answers *a = answers_new();
    assert_int_equal(drafts_load_all(x->db, flow_draft(x->f)->id, a, NULL, 0), DB_OK);
    assert_string_equal(answers_get(a, ANSWERS_HOUSEHOLD, "district"), "d3lhr");
    /* Another province: the district under the old one is cleared. */
    assert_null(flow_answer(x->f, province, "4", 1));
    assert_int_equal(drafts_load_all(x->db, flow_draft(x->f)->id, a, NULL, 0), DB_OK);
    assert_null(answers_get(a, ANSWERS_HOUSEHOLD, "district"));
    answers_free(a);
    /* A required question left empty keeps the page open. */
    int bad;
    assert_non_null(flow_survey_done(x->f, &bad));
    assert_int_equal(bad, 1);
}

static void test_restart_resumes_at_the_question(void **state)
{
    struct fixture *x = *state;
    assert_null(flow_set_head_cnic(x->f, HEAD_CNIC));
    char number[DRAFT_NUMBER_DIGITS + 1];
    strcpy(number, flow_draft(x->f)->number);
    assert_null(fill_page(x->f, HOUSEHOLD));
    const struct q_question *province = questionnaire_question(x->q, "province");
    assert_null(flow_answer(x->f, province, "3", 1)); /* the cursor moves to district */
    restart(x);
    flow_start_registration(x->f);
    assert_null(flow_set_head_cnic(x->f, HEAD_CNIC));
    assert_int_equal(flow_page(x->f), PAGE_REG_RESUME);
    assert_string_equal(flow_resume_offer(x->f)->number, number);
    assert_null(flow_resume(x->f, true));
    assert_int_equal(flow_page(x->f), PAGE_REG_SURVEY);
    assert_string_equal(flow_survey_page(x->f)->id, "address");
    assert_int_equal(flow_survey_focus(x->f), 1);
    assert_string_equal(answers_get(flow_survey_answers(x->f), ANSWERS_HOUSEHOLD, "province"), "3");
    /* Starting again wipes the old draft: a new number, no answers. */
    restart(x);
    assert_null(flow_set_head_cnic(x->f, HEAD_CNIC));
    assert_null(flow_resume(x->f, false));
    assert_string_not_equal(flow_draft(x->f)->number, number);
    assert_null(answers_get(flow_survey_answers(x->f), ANSWERS_HOUSEHOLD, "province"));
}

static void test_checks_refuse_with_the_files_message(void **state)
{
    struct fixture *x = *state;
    assert_null(flow_set_head_cnic(x->f, HEAD_CNIC));
    while (flow_page(x->f) == PAGE_REG_SURVEY)
        assert_null(fill_page(x->f, HOUSEHOLD));
    assert_null(flow_edit_member(x->f, 0));
    fill_member(x->f, HEAD);
    assert_null(flow_edit_member(x->f, -1));
    static const struct kv old_son[] = {
        {"name", "Old Son"}, {"relation", "son"},           {"gender", "male"},
        {"age", "50"},       {"marital_status", "married"}, {NULL, NULL}};
    const char *problem = fill_page(x->f, old_son);
    assert_non_null(problem);
    assert_non_null(strstr(problem, "younger"));
    /* Another head is refused at the answer. */
    const struct q_question *rel = questionnaire_question(x->q, "relation");
    assert_non_null(flow_answer(x->f, rel, "head", 1));
    /* The head's relation and CNIC cannot be changed. */
    assert_true(flow_question_locked(x->f, rel) == false);
    flow_survey_back(x->f);
    assert_int_equal(flow_page(x->f), PAGE_REG_ROSTER);
    assert_string_equal(flow_delete_member(x->f, 0), "The head of household cannot be removed.");
}

static void test_hidden_answers_are_not_stored(void **state)
{
    struct fixture *x = *state;
    survey_to_review(x->f);
    /* The head answered an occupation; make him a student afterwards via
     * the review's jump-to-edit: the occupation is hidden, so dropped. */
    const struct answers *a = flow_review_answers(x->f);
    assert_string_equal(answers_get(a, 0, "occupation"), "craft");
    size_t page = 0;
    for (size_t i = 0; i < questionnaire_page_count(x->q); i++)
        if (strcmp(questionnaire_page(x->q, i)->id, "member_education_work") == 0)
            page = i;
    flow_review_edit(x->f, page, 0);
    assert_int_equal(flow_page(x->f), PAGE_REG_SURVEY);
    const struct q_question *emp = questionnaire_question(x->q, "employment_status");
    assert_null(flow_answer(x->f, emp, "retired", 3));
    int bad;
    assert_null(flow_survey_done(x->f, &bad));
    assert_int_equal(flow_page(x->f), PAGE_REG_REVIEW); /* back to the review */
    a = flow_review_answers(x->f);
    assert_null(answers_get(a, 0, "occupation"));
    assert_null(flow_confirm(x->f));
    assert_int_equal(flow_page(x->f), PAGE_REG_RECEIPT);
    sqlite3 *raw;
    assert_int_equal(sqlite3_open(x->path, &raw), SQLITE_OK);
    sqlite3_stmt *st;
    assert_int_equal(
        sqlite3_prepare_v2(raw,
                           "SELECT (SELECT count(*) FROM registration_answers WHERE "
                           "question = 'occupation'), (SELECT count(*) FROM "
                           "registration_answers WHERE question = 'employment_status'),"
                           " (SELECT count(*) FROM drafts), (SELECT table_id FROM "
                           "scores)",
                           -1, &st, NULL),
        SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), 0);
    assert_int_equal(sqlite3_column_int(st, 1), 2); /* not asked of the 9-year-old */
    assert_int_equal(sqlite3_column_int(st, 2), 0);
    assert_string_equal((const char *)sqlite3_column_text(st, 3), "schreiner-pk-2009");
    sqlite3_finalize(st);
    sqlite3_close(raw);
}

/* A clerk logs in, as at the counter: the account made, the log-in page,
 * name and PIN. Whatever an applicant had open stays in its draft. */
static void become_clerk(struct fixture *x)
{
    const char *why = NULL;
    size_t n = 0;
    assert_int_equal(accounts_count(x->db, &n), 0);
    if (n == 0)
        assert_int_equal(accounts_add(x->db, "clerk1", ROLE_CLERK, "135790", 1700000000, &why), 0);
    flow_show_login(x->f);
    assert_int_equal(flow_page(x->f), PAGE_LOGIN);
    int wait = 0;
    assert_null(flow_login(x->f, "clerk1", "135790", &wait));
    assert_int_equal(flow_role(x->f), ROLE_CLERK);
    assert_true(flow_clerk_mode(x->f));
}

static void test_score_on_review(void **state)
{
    struct fixture *x = *state;
    survey_to_review(x->f);
    const struct scoring_result *r = flow_score(x->f);
    assert_non_null(r);
    assert_null(flow_score_problem(x->f));
    /* Punjab 12, one child of 13 or younger 22, he attends school 5, no
     * elementary workers 12, wife never passed a class 0, hand pump 3,
     * flush to pit 2, no fridge 0, a TV 3, a motorcycle 12. */
    assert_true(r->total > 70.99 && r->total < 71.01);
    assert_int_equal(r->n_decisions, 1);
    assert_false(r->decisions[0].eligible);
    /* Applicants never reach the score page. */
    flow_show_score(x->f);
    assert_int_equal(flow_page(x->f), PAGE_REG_REVIEW);
    /* A clerk who opens the draft at the counter does. */
    become_clerk(x);
    struct draft_info d[2];
    size_t n = 0;
    assert_null(flow_list_drafts(x->f, d, 2, &n));
    assert_int_equal(n, 1);
    assert_null(flow_open_draft(x->f, d[0].id));
    assert_int_equal(flow_page(x->f), PAGE_REG_REVIEW);
    flow_show_score(x->f);
    assert_int_equal(flow_page(x->f), PAGE_REG_SCORE);
}

static void test_update_is_for_the_counter(void **state)
{
    struct fixture *x = *state;
    survey_to_review(x->f);
    assert_null(flow_confirm(x->f));
    char tracking[TRACKING_DIGITS + 1];
    strcpy(tracking, flow_receipt(x->f)->digits);
    flow_end_session(x->f);
    /* A walk-in kiosk never shows a registered household. */
    const char *problem = flow_set_head_cnic(x->f, HEAD_CNIC);
    assert_non_null(problem);
    assert_non_null(strstr(problem, "already registered"));
    assert_null(flow_draft(x->f));
    assert_non_null(flow_update_registration(x->f, tracking)); /* not a clerk */
    /* At the counter, by tracking ID: a draft from the old answers. */
    become_clerk(x);
    assert_null(flow_update_registration(x->f, tracking));
    assert_true(flow_is_update(x->f));
    while (flow_page(x->f) == PAGE_REG_SURVEY)
        assert_null(fill_page(x->f, HOUSEHOLD));
    assert_int_equal(flow_roster_count(x->f), 3);
    assert_null(flow_roster_done(x->f));
    while (flow_page(x->f) == PAGE_REG_SURVEY)
        assert_null(fill_page(x->f, HOUSEHOLD));
    assert_string_equal(answers_get(flow_review_answers(x->f), 2, "name"), "Ahmed Ali");
    assert_null(flow_confirm(x->f));
    sqlite3 *raw;
    assert_int_equal(sqlite3_open(x->path, &raw), SQLITE_OK);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(raw,
                                        "SELECT count(*), max(record_version), count(DISTINCT "
                                        "record_uuid), count(supersedes) FROM registrations",
                                        -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), 2);
    assert_int_equal(sqlite3_column_int(st, 1), 2);
    assert_int_equal(sqlite3_column_int(st, 2), 1);
    assert_int_equal(sqlite3_column_int(st, 3), 1);
    sqlite3_finalize(st);
    sqlite3_close(raw);
}

static void test_clerk_lists_drafts(void **state)
{
    struct fixture *x = *state;
    assert_null(flow_set_head_cnic(x->f, HEAD_CNIC));
    flow_end_session(x->f);
    assert_null(flow_set_head_cnic(x->f, "4210112345679"));
    flow_end_session(x->f);
    struct draft_info d[4];
    size_t n;
    assert_non_null(flow_list_drafts(x->f, d, 4, &n)); /* applicants cannot */
    become_clerk(x);
    assert_null(flow_list_drafts(x->f, d, 4, &n));
    assert_int_equal(n, 2);
    assert_null(flow_open_draft(x->f, d[1].id));
    assert_string_equal(flow_draft(x->f)->head_cnic, d[1].head_cnic);
    /* The number an applicant shows at the counter, typed with its dash. */
    char shown[16];
    snprintf(shown, sizeof shown, "%.3s-%.4s", d[0].number, d[0].number + 3);
    assert_null(flow_open_draft_number(x->f, shown));
    assert_string_equal(flow_draft(x->f)->head_cnic, d[0].head_cnic);
    assert_non_null(flow_open_draft_number(x->f, "123"));
    shown[0] = shown[0] == '9' ? '0' : (char)(shown[0] + 1); /* a typo: the check digit fails */
    assert_non_null(flow_open_draft_number(x->f, shown));
    /* Expiry wipes what is older than the retention. */
    x->cfg.draft_retention_hours = 1;
    sqlite3 *raw;
    assert_int_equal(sqlite3_open(x->path, &raw), SQLITE_OK);
    assert_int_equal(sqlite3_exec(raw,
                                  "UPDATE drafts SET updated_at = '2020-01-01T00:00:00Z' WHERE "
                                  "head_cnic = '4210112345679'",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(raw);
    flow_expire_drafts(x->f);
    assert_null(flow_list_drafts(x->f, d, 4, &n));
    assert_int_equal(n, 1);
    assert_string_equal(d[0].head_cnic, HEAD_CNIC);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_draft_starts_with_what_the_cnic_says, setup, teardown),
        cmocka_unit_test_setup_teardown(test_every_answer_is_in_the_draft_at_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_restart_resumes_at_the_question, setup, teardown),
        cmocka_unit_test_setup_teardown(test_checks_refuse_with_the_files_message, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hidden_answers_are_not_stored, setup, teardown),
        cmocka_unit_test_setup_teardown(test_score_on_review, setup, teardown),
        cmocka_unit_test_setup_teardown(test_update_is_for_the_counter, setup, teardown),
        cmocka_unit_test_setup_teardown(test_clerk_lists_drafts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_card_fills_only_a_cnic_page, setup, teardown),
        cmocka_unit_test_setup_teardown(test_device_trouble_is_a_notice, setup, teardown),
        cmocka_unit_test_setup_teardown(test_receipt_is_printed_on_confirm, setup, teardown),
        cmocka_unit_test_setup_teardown(test_urdu_receipt_prints_in_roman_urdu, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

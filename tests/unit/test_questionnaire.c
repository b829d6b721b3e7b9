/*
 * test_questionnaire.c - unit tests for kiosk/questionnaire.c: the shipped
 * survey and places list load and keep the ids the score table relies on;
 * every kind of bad file is refused with its line and reason; skip rules,
 * cross-field checks and per-type validation behave at their edges.
 *
 * Runs from the repository root (data/questionnaire.txt is read from there).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "kiosk/cnic.h"
#include "kiosk/questionnaire.h"

#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))

static const int today[3] = {2026, 6, 14};

/* ------------------------------------------------------------- helpers */

static struct questionnaire *shipped(void)
{
    struct q_error err;
    struct questionnaire *q = questionnaire_load("data/questionnaire.txt", &err);

    if (q == NULL)
        fail_msg("%s:%d: %s", err.file, err.line, err.reason);
    return q;
}

static struct questionnaire *parse_ok(const char *text, const char *places)
{
    struct q_error err;
    struct questionnaire *q =
        questionnaire_parse(text, strlen(text), places, places ? strlen(places) : 0, &err);

    if (q == NULL)
        fail_msg("%s:%d: %s", err.file, err.line, err.reason);
    return q;
}

/* Code points: the texts here are Latin, so columns on the screen. */
static size_t width(const char *s)
{
    size_t n = 0;

    for (; *s; s++)
        n += ((unsigned char)*s & 0xc0) != 0x80;
    return n;
}

static const struct q_page *page_by_id(const struct questionnaire *q, const char *id)
{
    for (size_t i = 0; i < questionnaire_page_count(q); i++)
        if (strcmp(questionnaire_page(q, i)->id, id) == 0)
            return questionnaire_page(q, i);
    fail_msg("no page %s", id);
    return NULL;
}

static void set(struct answers *a, int member, const char *qid, const char *value)
{
    assert_int_equal(answers_set(a, member, qid, value), 0);
}

/* A household of a head (40, male) and his wife (35), as answers. */
static struct answers *family(void)
{
    struct answers *a = answers_new();

    assert_non_null(a);
    assert_int_equal(answers_add_member(a), 0);
    set(a, 0, "name", "Muhammad Aslam");
    set(a, 0, "relation", "head");
    set(a, 0, "gender", "male");
    set(a, 0, "age", "40");
    set(a, 0, "dob", "1986-01-10");
    set(a, 0, "id_number", "3520212345671");
    set(a, 0, "marital_status", "married");
    assert_int_equal(answers_add_member(a), 1);
    set(a, 1, "name", "Shazia Bibi");
    set(a, 1, "relation", "spouse");
    set(a, 1, "gender", "female");
    set(a, 1, "age", "35");
    set(a, 1, "marital_status", "married");
    return a;
}

static int add_member(struct answers *a, const char *relation, const char *age)
{
    int m = answers_add_member(a);

    assert_true(m > 0);
    set(a, m, "relation", relation);
    set(a, m, "age", age);
    return m;
}

static struct expr_ctx ctx_for(const struct answers *a, int member)
{
    struct expr_ctx c = {a, member, today[0], today[1], today[2]};
    return c;
}

/* ----------------------------------------------------- the shipped files */

static void test_shipped_loads(void **state)
{
    (void)state;
    struct questionnaire *q = shipped();

    assert_string_equal(questionnaire_id(q), "nser-household");
    assert_string_equal(questionnaire_version(q), "2026.1");
    assert_int_equal(questionnaire_language_count(q), 3);
    assert_string_equal(questionnaire_language(q, 0), "en");
    assert_string_equal(questionnaire_language(q, 1), "ur_Latn");
    assert_string_equal(questionnaire_language(q, 2), "ur");
    assert_null(questionnaire_language(q, 3));

    assert_string_equal(questionnaire_member_name(q)->id, "name");
    assert_string_equal(questionnaire_member_relation(q)->id, "relation");
    assert_string_equal(questionnaire_member_gender(q)->id, "gender");
    assert_string_equal(questionnaire_member_id(q)->id, "id_number");
    assert_string_equal(questionnaire_member_age(q)->id, "age");
    assert_int_equal(questionnaire_roster_column_count(q), 4);
    assert_string_equal(questionnaire_roster_column(q, 0)->id, "name");
    assert_string_equal(questionnaire_roster_column(q, 3)->id, "age");
    assert_null(questionnaire_roster_column(q, 4));
    assert_null(questionnaire_page(q, questionnaire_page_count(q)));
    assert_null(questionnaire_question(q, "nonexistent"));
    questionnaire_free(q);
}

/* The ids and codes the score table is written against (they are stored). */
static void test_shipped_fixed_ids(void **state)
{
    (void)state;
    static const struct {
        const char *id;
        enum q_type type;
        enum q_scope scope;
        const char *codes; /* choice: every code, blank-separated, in order */
    } want[] = {
        {"case_type", Q_CHOICE, Q_SCOPE_HOUSEHOLD, NULL},
        {"phone", Q_PHONE, Q_SCOPE_HOUSEHOLD, NULL},
        {"province", Q_PLACE, Q_SCOPE_HOUSEHOLD, NULL},
        {"district", Q_PLACE, Q_SCOPE_HOUSEHOLD, NULL},
        {"tehsil", Q_PLACE, Q_SCOPE_HOUSEHOLD, NULL},
        {"union_council", Q_PLACE, Q_SCOPE_HOUSEHOLD, NULL},
        {"locality", Q_TEXT, Q_SCOPE_HOUSEHOLD, NULL},
        {"urban_rural", Q_CHOICE, Q_SCOPE_HOUSEHOLD, "urban rural"},
        {"tenure", Q_CHOICE, Q_SCOPE_HOUSEHOLD, NULL},
        {"rooms", Q_NUMBER, Q_SCOPE_HOUSEHOLD, NULL},
        {"wall_material", Q_CHOICE, Q_SCOPE_HOUSEHOLD, NULL},
        {"roof_material", Q_CHOICE, Q_SCOPE_HOUSEHOLD, NULL},
        {"toilet", Q_CHOICE, Q_SCOPE_HOUSEHOLD,
         "flush_sewer flush_septic flush_pit flush_open_drain dry_raised dry_pit none other"},
        {"water_source", Q_CHOICE, Q_SCOPE_HOUSEHOLD,
         "tap hand_pump motor_pump protected_well unprotected_well surface tanker bottled other"},
        {"cooking_fuel", Q_CHOICE, Q_SCOPE_HOUSEHOLD, NULL},
        {"lighting", Q_CHOICE, Q_SCOPE_HOUSEHOLD, NULL},
        {"fridge", Q_CHOICE, Q_SCOPE_HOUSEHOLD, "yes no"},
        {"air_conditioner", Q_CHOICE, Q_SCOPE_HOUSEHOLD, "yes no"},
        {"air_cooler", Q_CHOICE, Q_SCOPE_HOUSEHOLD, "yes no"},
        {"geyser", Q_CHOICE, Q_SCOPE_HOUSEHOLD, "yes no"},
        {"washing_machine", Q_CHOICE, Q_SCOPE_HOUSEHOLD, "yes no"},
        {"cooking_range", Q_CHOICE, Q_SCOPE_HOUSEHOLD, "yes no"},
        {"tv", Q_CHOICE, Q_SCOPE_HOUSEHOLD, "yes no"},
        {"computer", Q_CHOICE, Q_SCOPE_HOUSEHOLD, "yes no"},
        {"motorcycle", Q_CHOICE, Q_SCOPE_HOUSEHOLD, "yes no"},
        {"car_tractor", Q_CHOICE, Q_SCOPE_HOUSEHOLD, "yes no"},
        {"owns_land", Q_CHOICE, Q_SCOPE_HOUSEHOLD, "yes no"},
        {"land_acres", Q_NUMBER, Q_SCOPE_HOUSEHOLD, NULL},
        {"buffaloes", Q_NUMBER, Q_SCOPE_HOUSEHOLD, NULL},
        {"cows", Q_NUMBER, Q_SCOPE_HOUSEHOLD, NULL},
        {"bullocks", Q_NUMBER, Q_SCOPE_HOUSEHOLD, NULL},
        {"goats", Q_NUMBER, Q_SCOPE_HOUSEHOLD, NULL},
        {"sheep", Q_NUMBER, Q_SCOPE_HOUSEHOLD, NULL},
        {"camels", Q_NUMBER, Q_SCOPE_HOUSEHOLD, NULL},
        {"poultry", Q_NUMBER, Q_SCOPE_HOUSEHOLD, NULL},
        {"remittances", Q_CHOICE, Q_SCOPE_HOUSEHOLD, "yes no"},
        {"pension", Q_CHOICE, Q_SCOPE_HOUSEHOLD, "yes no"},
        {"name", Q_TEXT, Q_SCOPE_MEMBER, NULL},
        {"relation", Q_CHOICE, Q_SCOPE_MEMBER,
         "head spouse son daughter son_in_law daughter_in_law grandchild parent sibling "
         "other_relative not_related"},
        {"gender", Q_CHOICE, Q_SCOPE_MEMBER, "male female transgender"},
        {"dob", Q_DATE, Q_SCOPE_MEMBER, NULL},
        {"age", Q_NUMBER, Q_SCOPE_MEMBER, NULL},
        {"marital_status", Q_CHOICE, Q_SCOPE_MEMBER, NULL},
        {"id_number", Q_CNIC, Q_SCOPE_MEMBER, NULL},
        {"literate", Q_CHOICE, Q_SCOPE_MEMBER, "yes no"},
        {"attends_school", Q_CHOICE, Q_SCOPE_MEMBER, "yes no"},
        {"highest_class", Q_NUMBER, Q_SCOPE_MEMBER, NULL},
        {"employment_status", Q_CHOICE, Q_SCOPE_MEMBER,
         "employee self_employed employer unpaid_family unemployed student housework retired "
         "unable child"},
        {"occupation", Q_CHOICE, Q_SCOPE_MEMBER,
         "manager professional technician clerical service_sales agriculture craft operator "
         "elementary armed_forces"},
        {"disability", Q_CHOICE, Q_SCOPE_MEMBER,
         "none seeing hearing walking remembering self_care communicating"},
        {"disability_severity", Q_CHOICE, Q_SCOPE_MEMBER, "some a_lot cannot"},
    };
    struct questionnaire *q = shipped();

    for (size_t i = 0; i < COUNT_OF(want); i++) {
        const struct q_question *qq = questionnaire_question(q, want[i].id);
        if (qq == NULL)
            fail_msg("no question %s", want[i].id);
        if (qq->type != want[i].type || qq->scope != want[i].scope)
            fail_msg("%s: type %d scope %d", want[i].id, qq->type, qq->scope);
        if (want[i].codes == NULL)
            continue;
        char codes[512] = "";
        for (size_t o = 0; o < qq->n_options; o++) {
            strcat(codes, o ? " " : "");
            strcat(codes, qq->options[o].code);
        }
        if (strcmp(codes, want[i].codes) != 0)
            fail_msg("%s: codes \"%s\", want \"%s\"", want[i].id, codes, want[i].codes);
    }
    /* The numeric ranges the brief fixes. */
    const struct q_question *qq = questionnaire_question(q, "rooms");
    assert_true(qq->min == 1 && qq->max == 50 && qq->decimals == 0);
    qq = questionnaire_question(q, "land_acres");
    assert_true(qq->min == 0 && qq->max == 10000 && qq->decimals == 2);
    qq = questionnaire_question(q, "age");
    assert_true(qq->min == 0 && qq->max == 120 && qq->required);
    qq = questionnaire_question(q, "highest_class");
    assert_true(qq->min == 0 && qq->max == 16);
    qq = questionnaire_question(q, "name");
    assert_true(qq->min == 2 && qq->max == 60);
    assert_true(questionnaire_question(q, "case_type")->required);
    assert_int_equal(questionnaire_question(q, "case_type")->n_options, 6);
    assert_false(questionnaire_question(q, "phone")->required);
    assert_string_equal(questionnaire_question(q, "tehsil")->parent, "district");
    assert_string_equal(questionnaire_question(q, "union_council")->place_level, "union_council");
    questionnaire_free(q);
}

/* What an 80x24 screen needs: short texts, pages of at most 7 questions. */
static void test_shipped_fits_the_screen(void **state)
{
    (void)state;
    struct questionnaire *q = shipped();
    size_t member_pages = 0;

    for (size_t i = 0; i < questionnaire_page_count(q); i++) {
        const struct q_page *p = questionnaire_page(q, i);
        member_pages += p->scope == Q_SCOPE_MEMBER;
        if (p->n_questions > 7)
            fail_msg("page %s has %zu questions", p->id, p->n_questions);
        for (size_t l = 0; l < questionnaire_language_count(q); l++) {
            if (width(p->title.t[l]) > 40)
                fail_msg("title of %s: %s", p->id, p->title.t[l]);
            for (size_t k = 0; k < p->n_questions; k++) {
                const struct q_question *qq = p->questions[k];
                assert_non_null(qq->label.t[l]);
                if (width(qq->label.t[l]) > 40)
                    fail_msg("label of %s: %s", qq->id, qq->label.t[l]);
                for (size_t o = 0; o < qq->n_options; o++)
                    if (width(qq->options[o].text.t[l]) > 30)
                        fail_msg("option %s of %s: %s", qq->options[o].code, qq->id,
                                 qq->options[o].text.t[l]);
            }
            for (size_t c = 0; c < p->n_checks; c++)
                if (width(p->checks[c].message.t[l]) > 2 * 76)
                    fail_msg("message at line %d is longer than two lines", p->checks[c].line);
        }
    }
    assert_int_equal(member_pages, 3);
    questionnaire_free(q);
}

static void test_shipped_places(void **state)
{
    (void)state;
    struct questionnaire *q = shipped();
    static const char *const provinces[] = {"1", "2", "3", "4", "5", "6", "7", "8"};

    assert_int_equal(questionnaire_place_count(q, "province", ""), 8);
    assert_int_equal(questionnaire_place_count(q, "province", NULL), 8);
    for (size_t i = 0; i < COUNT_OF(provinces); i++) {
        const struct q_place *p = questionnaire_place_at(q, "province", "", i);
        assert_string_equal(p->code, provinces[i]);
        /* Every province has districts, so the district list is never empty. */
        assert_true(questionnaire_place_count(q, "district", p->code) > 0);
    }
    assert_string_equal(questionnaire_place(q, "province", "3")->name.t[0], "Punjab");
    assert_string_equal(questionnaire_place(q, "province", "8")->name.t[1], "Azad Jammu o Kashmir");
    assert_int_equal(questionnaire_place_count(q, "district", "4"), 30); /* Sindh */
    assert_int_equal(questionnaire_place_count(q, "district", "6"), 1);  /* ICT */
    assert_int_equal(questionnaire_place_count(q, "district", "7"), 10);
    assert_int_equal(questionnaire_place_count(q, "district", "8"), 10);

    /* Tehsils and union councils where the brief asks for them. */
    static const char *const districts[] = {"d6isb",    "d3lhr",   "d4kcen", "d4keast",
                                            "d4ksouth", "d4kwest", "d4kmr",  "d4kkor",
                                            "d4kmlr",   "d1psh",   "d5qta"};
    for (size_t i = 0; i < COUNT_OF(districts); i++) {
        const struct q_place *d = questionnaire_place(q, "district", districts[i]);
        assert_non_null(d);
        size_t nt = questionnaire_place_count(q, "tehsil", d->code);
        if (nt == 0)
            fail_msg("%s has no tehsils", d->code);
        for (size_t t = 0; t < nt; t++) {
            const struct q_place *th = questionnaire_place_at(q, "tehsil", d->code, t);
            if (questionnaire_place_count(q, "union_council", th->code) < 3)
                fail_msg("%s has fewer than 3 union councils", th->code);
        }
    }
    const struct q_place *lhr = questionnaire_place(q, "district", "d3lhr");
    assert_string_equal(lhr->name.t[0], "Lahore");
    assert_string_equal(lhr->parent, "3");
    assert_null(questionnaire_place(q, "tehsil", "d3lhr")); /* wrong level */
    assert_null(questionnaire_place(q, "district", "nowhere"));
    assert_null(questionnaire_place_at(q, "district", "3", 1000));
    questionnaire_free(q);
}

/* ---------------------------------------------------------- bad files */

/* A good header and member page: 20 lines. BASE "x\n" puts x on line 21. */
#define HEAD                                                                                       \
    "questionnaire t 1\n"                                                                          \
    "languages en ur_Latn\n"                                                                       \
    "roster name\n"                                                                                \
    "roles name=name relation=relation gender=gender id=idn age=age\n"
#define MEMBERS                                                                                    \
    "page m member\n"                                                                              \
    "title | Member | Fard\n"                                                                      \
    "question name text 2 60\n"                                                                    \
    "label | Name | Naam\n"                                                                        \
    "question relation choice\n"                                                                   \
    "label | Relation | Rishta\n"                                                                  \
    "option head | Head | Sarbarah\n"                                                              \
    "option son | Son | Beta\n"                                                                    \
    "question gender choice\n"                                                                     \
    "label | Gender | Jins\n"                                                                      \
    "option male | Male | Mard\n"                                                                  \
    "option female | Female | Aurat\n"                                                             \
    "question idn cnic\n"                                                                          \
    "label | ID | ID\n"                                                                            \
    "question age number 0 120\n"                                                                  \
    "label | Age | Umar\n"
#define BASE HEAD MEMBERS
#define L(n) (20 + (n))
#define HH   "page h household\ntitle | H | H\n"

struct bad_case {
    const char *text;
    int line;
    const char *reason;
};

static void expect_refused(const char *text, size_t len, const char *places, int line,
                           const char *file, const char *reason)
{
    struct q_error err;
    struct questionnaire *q =
        questionnaire_parse(text, len, places, places ? strlen(places) : 0, &err);

    if (q) {
        questionnaire_free(q);
        fail_msg("accepted, want line %d: %s\n%s", line, reason, text);
    }
    if (err.line != line || strstr(err.reason, reason) == NULL || strcmp(err.file, file) != 0)
        fail_msg("got %s:%d: %s\nwant %s:%d: ...%s...", err.file, err.line, err.reason, file, line,
                 reason);
}

static void run_bad(const struct bad_case *cases, size_t n)
{
    for (size_t i = 0; i < n; i++)
        expect_refused(cases[i].text, strlen(cases[i].text), NULL, cases[i].line, "(text)",
                       cases[i].reason);
}

static void test_base_is_good(void **state)
{
    (void)state;
    questionnaire_free(parse_ok(BASE, NULL));
    questionnaire_free(parse_ok("\xef\xbb\xbf" BASE, NULL)); /* a BOM is fine */
    /* CRLF line ends, indentation, comments and blank lines are fine. */
    questionnaire_free(
        parse_ok("# c\r\n\r\n  questionnaire t 1\r\n\tlanguages en ur_Latn\r\n"
                 "roster name\r\n"
                 "roles name=name relation=relation gender=gender id=idn age=age\n" MEMBERS
                 "  # indented comment\n",
                 NULL));
}

static void test_bad_header(void **state)
{
    (void)state;
    static const struct bad_case cases[] = {
        {"", 0, "the file is empty"},
        {"# only a comment\n\n", 2, "has no header"},
        {"languages en\n", 1, "needs 'questionnaire <id> <version>' here"},
        {"page p household\n", 1, "must start with 'questionnaire"},
        {"questionnaire t 1\nroster name\n", 2, "needs 'languages' here, not 'roster'"},
        {"questionnaire t 1\nlanguages en\n", 2, "ends before the header is complete"},
        {"questionnaire t 1\nlanguages en\nroster name\n", 3, "'roles' is missing"},
        {"questionnaire T 1\n", 1, "questionnaire id 'T'"},
        {"questionnaire t\n", 1, "needs an id and a version"},
        {"questionnaire t 1 extra\n", 1, "unexpected 'extra'"},
        {"questionnaire t 1_beta\n", 1, "the version '1_beta'"},
        {"questionnaire t 1\nlanguages en en\n", 2, "'en' is listed twice"},
        {"questionnaire t 1\nlanguages\n", 2, "at least one language"},
        {"questionnaire t 1\nlanguages en ur fr de es\n", 2, "at most 4 languages"},
        {"questionnaire t 1\nlanguages e\n", 2, "not a language code"},
        {"questionnaire t 1\nlanguages en\nplaces ../p.tsv\n", 3, "plain name"},
        {"questionnaire t 1\nlanguages en\nplaces /etc/p.tsv\n", 3, "plain name"},
        {"questionnaire t 1\nlanguages en\nroster name\nplaces p.tsv\n", 4,
         "needs 'roles' here, not 'places'"},
        {"questionnaire t 1\nlanguages en\nroster\n", 3, "'roster' needs"},
        {"questionnaire t 1\nlanguages en\nroster a b c d e f g\n", 3, "at most 6 columns"},
        {"questionnaire t 1\nlanguages en\nroster a a\n", 3, "'a' is listed twice"},
        {"questionnaire t 1\nlanguages en\nroster Name\n", 3, "not a question id"},
        {"questionnaire t 1\nlanguages en\nroster name\n"
         "roles name=name relation=relation gender=gender id=idn\n",
         4, "the role 'age' is missing"},
        {"questionnaire t 1\nlanguages en\nroster name\nroles nam=name\n", 4, "unknown role 'nam'"},
        {"questionnaire t 1\nlanguages en\nroster name\nroles name=a name=b\n", 4,
         "'name' is given twice"},
        {"questionnaire t 1\nlanguages en\nroster name\nroles name\n", 4, "role=question"},
        {HEAD, 4, "the questionnaire has no pages"},
        {BASE "languages en\n", L(1), "belongs to the header"},
        {BASE "questionnaire t 2\n", L(1), "belongs to the header"},
    };
    run_bad(cases, COUNT_OF(cases));
}

static void test_bad_body(void **state)
{
    (void)state;
    static const struct bad_case cases[] = {
        {BASE "frobnicate x\n", L(1), "unknown directive 'frobnicate'"},
        {HEAD "question q text 1 5\n", 5, "'question' before any 'page'"},
        {HEAD "check age > 1\n", 5, "'check' before any 'page'"},
        {HEAD "title | A | B\n", 5, "'title' before any 'page'"},
        {BASE "title | A | B\n", L(1), "'title' belongs right after its 'page' line"},
        {BASE "option x | A | B\n", L(1), "'option' belongs to a choice question"},
        {BASE "when age > 1\n", L(1), "'when' belongs to a check"},
        {BASE "message | a | b\n", L(1), "'message' belongs to a check"},
        {HEAD "page p household\nlabel | a | b\n", 6, "'label' belongs to a question"},
        {HEAD "page p household\nshow_if 1 = 1\n", 6, "'show_if' belongs to a question"},
        {BASE "label | Again | Phir\n", L(1), "already has a 'label'"},
        {BASE "help | a | b\nhelp | c | d\n", L(2), "already has a 'help'"},
        {BASE "heading | a | b\nheading | c | d\n", L(2), "already has a 'heading'"},
        {BASE "heading | only one\n", L(1), "heading"},
        {BASE "show_if 1 = 1\nshow_if 1 = 1\n", L(2), "already has a 'show_if'"},
        {BASE "page m member\n", L(1), "already a page 'm' (line 5)"},
        {BASE "page x family\n", L(1), "'household' or 'member', not 'family'"},
        {BASE "page Bad household\n", L(1), "the page id 'Bad'"},
        {BASE "page x\n", L(1), "'page' needs an id and a scope"},
        {BASE "page x household more\n", L(1), "unexpected 'more'"},
        {BASE HH "title | A | B\n", L(3), "page 'h' already has a 'title'"},
        {BASE HH, L(1), "page 'h' has no questions"},
        {BASE "page h household\nquestion q text 1 5\nlabel | a | b\n", L(1),
         "page 'h' has no 'title'"},
        {BASE HH "question q text 1 5\nlabel | a | b\ntitle | A | B\n", L(5),
         "'title' belongs right after its 'page' line"},
        {BASE HH "question name text 1 5\n", L(3), "already a question 'name' (line 7)"},
        {BASE HH "question q colour\n", L(3), "unknown type 'colour'"},
        {BASE HH "question Q text 1 5\n", L(3), "the question id 'Q'"},
        {BASE HH "question 1q text 1 5\n", L(3), "the question id '1q'"},
        {BASE HH "question count number 0 1\n", L(3), "word of the rule language"},
        {BASE HH "question head text 1 5\n", L(3), "word of the rule language"},
        {BASE HH "question q\n", L(3), "needs an id and a type"},
        {BASE HH "question q required\n", L(3), "unknown type 'required'"},
        {BASE HH "question q text 5 2\n", L(3), "the shortest length 5 is more than the longest 2"},
        {BASE HH "question q text 0 201\n", L(3), "longest text is 1 to 200"},
        {BASE HH "question q text 0 0\n", L(3), "longest text is 1 to 200"},
        {BASE HH "question q text 2\n", L(3), "'text' needs the shortest"},
        {BASE HH "question q text -1 5\n", L(3), "'text' needs the shortest"},
        {BASE HH "question q number 5 1\n", L(3), "smallest value 5 is more than the largest 1"},
        {BASE HH "question q number 0 1x\n", L(3), "'1x' is not a number"},
        {BASE HH "question q number 0 1e3\n", L(3), "'1e3' is not a number"},
        {BASE HH "question q number 0 10 decimals 4\n", L(3), "decimals is 0 to 3"},
        {BASE HH "question q number 0 10 decimal 2\n", L(3), "'number' needs the smallest"},
        {BASE HH "question q number 0 1.5\n", L(3), "more decimals than 'decimals 0'"},
        {BASE HH "question q number 0 1234567890123\n", L(3), "is not a number"},
        {BASE HH "question q date extra\n", L(3), "takes nothing more, found 'extra'"},
        {BASE HH "question q cnic 13\n", L(3), "takes nothing more"},
        {BASE HH "question q place\n", L(3), "'place' needs a level"},
        {BASE HH "question q place Province\n", L(3), "the place level 'Province'"},
        {BASE HH "question q place district parent pr\n", L(3),
         "the parent 'pr' is not an earlier question"},
        {BASE HH "question q place district parent name\n", L(3),
         "the parent 'name' must be a household place question"},
        {BASE HH "question q place district under pr\n", L(3), "'place' needs a level"},
        {BASE HH "question q text 1 5\nquestion r text 1 5\n", L(3), "question 'q' has no 'label'"},
        {BASE HH "question q choice\nlabel | A | B\noption a | A | B\n", L(3),
         "at least 2 options, found 1"},
        {BASE HH "question q choice\nlabel | A | B\n", L(3), "at least 2 options, found 0"},
        {BASE HH "question q choice\nlabel | A | B\noption a | A | B\noption a | C | D\n", L(6),
         "already has an option 'a'"},
        {BASE HH "question q choice\nlabel | A | B\noption 1 | A | B\noption b | C | D\n", L(6),
         "all whole numbers or none"},
        {BASE HH "question q choice\nlabel | A | B\noption 01 | A | B\n", L(5), "leading zeros"},
        {BASE HH "question q choice\nlabel | A | B\noption Yes | A | B\n", L(5),
         "the option code 'Yes'"},
        {BASE HH "question q choice\nlabel | A | B\noption a b | A | B\n", L(5),
         "the option code 'a b'"},
        {BASE HH "question q choice\nlabel | A | B\noption abcdefghijklmnopqrstuvwxyz | A | B\n",
         L(5), "must be 1-23"},
        {BASE HH "question q choice\nlabel | A | B\noption | A | B\n", L(5), "has no code"},
        {BASE HH "question q choice\nlabel | A | B\noption a A B\n", L(5),
         "'option' needs a code and its texts"},
        {BASE HH "question q choice\nlabel | A | B\noption a | A\n", L(5),
         "'option' needs 2 texts separated by '|' (en | ur_Latn), found 1"},
        {BASE HH "question q choice\nlabel | A | B\noption a | A | B | C\n", L(5), "found 3"},
        {BASE HH "question q text 1 5\nlabel | A |  \n", L(4), "the ur_Latn text is empty"},
        {BASE HH "question q text 1 5\nlabel |  | B\n", L(4), "the en text is empty"},
        {BASE HH "question q text 1 5\nlabel A | B\n", L(4), "'label' is followed by its texts"},
        {BASE HH "question q text 1 5\nlabel | A\tx | B\n", L(4), "the en text holds a tab"},
        {BASE HH "question q text 1 5\nlabel | A | B\nhelp | only one\n", L(5),
         "'help' needs 2 texts"},
        {BASE HH "question q text 1 5\nlabel | A | B\ncheck 1 = 1\nwhen 1 = 1\n", L(5),
         "the check has no 'message'"},
        {BASE "check age >= 18\nwhen relation = 'head'\n", L(1), "the check has no 'message'"},
        {BASE "check age >= 18\nwhen age > 1\nwhen age > 2\n", L(3), "already has a 'when'"},
        {BASE "check age >= 18\nmessage | a | b\nmessage | c | d\n", L(3),
         "already has a 'message'"},
        {BASE "check\n", L(1), "'check' needs a rule"},
        {BASE "show_if   \n", L(1), "'show_if' needs a rule"},
    };
    run_bad(cases, COUNT_OF(cases));

    /* 64 options are fine; the 65th is refused on its line. */
    char *text = malloc(8192);
    assert_non_null(text);
    int n = snprintf(text, 8192, "%s", BASE HH "question q choice\nlabel | A | B\n");
    for (int i = 0; i < 64; i++)
        n += snprintf(text + n, 8192 - (size_t)n, "option o%d | O | O\n", i);
    questionnaire_free(parse_ok(text, NULL));
    snprintf(text + n, 8192 - (size_t)n, "option o64 | O | O\n");
    expect_refused(text, strlen(text), NULL, L(69), "(text)", "at most 64 options");
    free(text);
}

static void test_bad_rules(void **state)
{
    (void)state;
    static const struct bad_case cases[] = {
        /* parse errors keep expr's reason, the column counted on the line */
        {BASE "show_if age >\n", L(1), "'show_if' rule, column 14: the expression ends too early"},
        {BASE "check age >=\n", L(1), "'check' rule, column 13: the expression ends too early"},
        {BASE "check age > 1\nwhen count(age\n", L(2), "'when' rule, column 15: expected ')'"},
        {BASE "  check Age = 1\n", L(1), "'check' rule, column 9: unexpected character"},
        /* unknown questions */
        {BASE "show_if agee > 3\n", L(1), "'show_if' names 'agee', which is not a question"},
        {BASE "check age > 1\nwhen foo = 2\nmessage | a | b\n", L(1), "'when' names 'foo'"},
        {BASE "check count(bar > 1) > 0\nmessage | a | b\n", L(1), "'check' names 'bar'"},
        {BASE "check head.nope > 1\nmessage | a | b\n", L(1), "'check' names 'nope'"},
        /* scopes */
        {BASE HH "question q text 1 5\nlabel | A | B\nshow_if age > 3\n", L(5),
         "'age' is a member question; on a household page use count(), sum() or head.age"},
        {BASE HH "question q number 0 5\nlabel | A | B\ncheck q <= age\nmessage | a | b\n", L(5),
         "'age' is a member question"},
        {BASE HH "question q0 text 1 5\nlabel | A | B\nquestion q1 text 1 5\nlabel | A | B\n"
                 "show_if head.q0 = 'x'\n",
         L(7), "head.q0 names a household question"},
        {BASE HH "question q0 text 1 5\nlabel | A | B\ncheck count(q0 = 'x') > 0\n"
                 "message | a | b\n",
         L(5), "inside count() or sum(), 'q0' must be a member question"},
        {BASE HH "question q0 number 0 5\nlabel | A | B\ncheck sum(q0) > 0\nmessage | a | b\n",
         L(5), "inside count() or sum(), 'q0' must be a member question"},
        /* a skip rule can only look back */
        {BASE "question q1 text 1 5\nlabel | a | b\nshow_if q2 = 'x'\n"
              "question q2 text 1 5\nlabel | a | b\n",
         L(3), "a skip rule can only look back, but 'q2' is asked later (line 24)"},
        {BASE "question q1 text 1 5\nlabel | a | b\nshow_if answered(q1) = 0\n", L(3),
         "'q1' is this question itself"},
        {BASE HH "question q1 text 1 5\nlabel | a | b\nshow_if count(later = 1) > 0\n"
                 "page n member\ntitle | N | N\nquestion later number 0 1\nlabel | a | b\n",
         L(5), "'later' is asked later"},
    };
    run_bad(cases, COUNT_OF(cases));
}

static void test_bad_roles(void **state)
{
    (void)state;
    static const struct bad_case cases[] = {
        {"questionnaire t 1\nlanguages en ur_Latn\nroster name\n"
         "roles name=name relation=relation gender=gender id=name age=age\n" MEMBERS,
         4, "role 'id': 'name' must be a cnic question"},
        {"questionnaire t 1\nlanguages en ur_Latn\nroster name\n"
         "roles name=name relation=relation gender=gender id=idn age=name\n" MEMBERS,
         4, "role 'age': 'name' must be a number question"},
        {"questionnaire t 1\nlanguages en ur_Latn\nroster name\n"
         "roles name=age relation=relation gender=gender id=idn age=age\n" MEMBERS,
         4, "role 'name': 'age' must be a text question"},
        {"questionnaire t 1\nlanguages en ur_Latn\nroster name\n"
         "roles name=name relation=gender gender=gender id=idn age=age\n" MEMBERS,
         4, "role 'relation': 'gender' needs an option 'head'"},
        {"questionnaire t 1\nlanguages en ur_Latn\nroster name\n"
         "roles name=name relation=relation gender=relation id=idn age=age\n" MEMBERS,
         4, "role 'gender': 'relation' needs options 'male' and 'female'"},
        {"questionnaire t 1\nlanguages en ur_Latn\nroster name\n"
         "roles name=nosuch relation=relation gender=gender id=idn age=age\n" MEMBERS,
         4, "role 'name': there is no question 'nosuch'"},
        {"questionnaire t 1\nlanguages en ur_Latn\nroster name\n"
         "roles name=hq relation=relation gender=gender id=idn age=age\n" MEMBERS HH
         "question hq text 1 5\nlabel | a | b\n",
         4, "role 'name': 'hq' must be a question on a member page"},
        {"questionnaire t 1\nlanguages en ur_Latn\nroster name nosuch\n"
         "roles name=name relation=relation gender=gender id=idn age=age\n" MEMBERS,
         3, "roster: there is no question 'nosuch'"},
        {"questionnaire t 1\nlanguages en ur_Latn\nroster name hq\n"
         "roles name=name relation=relation gender=gender id=idn age=age\n" MEMBERS HH
         "question hq text 1 5\nlabel | a | b\n",
         3, "roster: 'hq' must be a question on a member page"},
    };
    run_bad(cases, COUNT_OF(cases));
}

static void test_bad_bytes(void **state)
{
    (void)state;
    char *text;
    size_t base = strlen(BASE);

    /* A line of 1001 bytes is refused; 1000 is fine. */
    text = malloc(base + 1100);
    assert_non_null(text);
    memcpy(text, BASE, base);
    memset(text + base, '#', 1000);
    strcpy(text + base + 1000, "\n");
    questionnaire_free(parse_ok(text, NULL));
    memset(text + base, '#', 1001);
    strcpy(text + base + 1001, "\n");
    expect_refused(text, strlen(text), NULL, L(1), "(text)", "longer than 1000 bytes");
    free(text);

    expect_refused(BASE "label | \xff | b\n", base + 16, NULL, L(1), "(text)",
                   "not valid UTF-8 (byte 9)");
    expect_refused(BASE "# caf\xc3\n", base + 7, NULL, L(1), "(text)", "not valid UTF-8");
    expect_refused(BASE "# \xc0\xaf overlong\n", base + 13, NULL, L(1), "(text)",
                   "not valid UTF-8");
    expect_refused(BASE "# \xed\xa0\x80 surrogate\n", base + 16, NULL, L(1), "(text)",
                   "not valid UTF-8");
    expect_refused(BASE "label | a\x01 | b\n", base + 15, NULL, L(1), "(text)",
                   "control character (U+0001)");
    expect_refused(BASE "# \xc2\x85 NEL\n", base + 9, NULL, L(1), "(text)",
                   "control character (U+0085)");
    expect_refused(BASE "# old\rmac\n", base + 10, NULL, L(1), "(text)", "control character");
    static const char nul[] = BASE "# a\0b\n";
    expect_refused(nul, sizeof nul - 1, NULL, L(1), "(text)", "NUL byte");

    /* More than 1 MiB is refused before anything is read. */
    size_t big = 1024 * 1024 + 1;
    text = malloc(big);
    assert_non_null(text);
    memset(text, '\n', big);
    expect_refused(text, big, NULL, 0, "(text)", "larger than 1 MiB");
    free(text);

    /* Non-ASCII texts are fine, and come back as written. */
    struct questionnaire *q = parse_ok(BASE HH "question q text 1 5\n"
                                               "label | Name | \xd9\x86\xd8\xa7\xd9\x85\n",
                                       NULL);
    assert_string_equal(questionnaire_question(q, "q")->label.t[1], "\xd9\x86\xd8\xa7\xd9\x85");
    questionnaire_free(q);
}

/* --------------------------------------------------------- places file */

#define QP                                                                                         \
    "questionnaire t 1\n"                                                                          \
    "languages en ur_Latn\n"                                                                       \
    "places p.tsv\n"                                                                               \
    "roster name\n"                                                                                \
    "roles name=name relation=relation gender=gender id=idn age=age\n" MEMBERS                     \
    "page a household\n"                                                                           \
    "title | Address | Pata\n"                                                                     \
    "question province place province\n"                                                           \
    "label | Province | Subah\n"                                                                   \
    "question district place district parent province\n"                                           \
    "label | District | Zila\n"
/* QP's lines: province question 24, district question 26. */

#define PLACES                                                                                     \
    "# level\tcode\tparent\ten\tur_Latn\n"                                                         \
    "province\t3\t\tPunjab\tPunjab\n"                                                              \
    "province\t4\t\tSindh\tSindh\n"                                                                \
    "district\td3lhr\t3\tLahore\tLahore\n"                                                         \
    "district\td3mul\t3\tMultan\tMultan\n"                                                         \
    "district\td4hyd\t4\tHyderabad\tHyderabad\n"

static void test_bad_places(void **state)
{
    (void)state;
    static const struct {
        const char *places;
        int line;
        const char *reason;
    } cases[] = {
        {"province\t3\tPunjab\tPunjab\n", 1,
         "expected 5 columns separated by tabs (level, code, parent, en | ur_Latn), found 4"},
        {"province\t3\t\tPunjab\tPunjab\tx\n", 1, "found 6"},
        {"province 3  Punjab Punjab\n", 1, "found 1"},
        {"province\t3\t\tPunjab\tPunjab\nprovince\t3\t\tX\tX\n", 2,
         "the code '3' is already used (line 1)"},
        {"province\t3\t\tPunjab\tPunjab\ndistrict\td3lhr\t9\tLahore\tLahore\n", 2,
         "the parent '9' is not an earlier place"},
        {"district\td3lhr\t3\tLahore\tLahore\nprovince\t3\t\tPunjab\tPunjab\n", 1,
         "the parent '3' is not an earlier place"},
        {"province\t3\t\tPunjab\tPunjab\nprovince\tx\t\tX\tX\n", 2,
         "the province codes are all whole numbers or none is"},
        {"province\t03\t\tPunjab\tPunjab\n", 1, "no leading zeros: '03'"},
        {"Province\t3\t\tPunjab\tPunjab\n", 1, "the level 'Province'"},
        {"\t3\t\tPunjab\tPunjab\n", 1, "the level ''"},
        {"province\t\t\tPunjab\tPunjab\n", 1, "the code ''"},
        {"province\tPB\t\tPunjab\tPunjab\n", 1, "the code 'PB'"},
        {"province\t3\t\tPunjab\t \n", 1, "the ur_Latn name is empty"},
        {"province\t3\t\tPunjab\tPunjab\ndistrict\td3lhr\t3\tLahore\tLahore\n"
         "district\td3x\t\tX\tX\n",
         3, "every district lies under a province, but 'd3x' has a (no) parent"},
        {"province\t3\t\tP\tP\nprovince\t4\t3\tX\tX\n", 2,
         "a province cannot lie under another province"},
        {"province\t3\t\tP\tP\n# comment\n\n  # indented comment\nprovince\t\xff\t\tX\tX\n", 5,
         "not valid UTF-8"},
        /* the questionnaire's place questions need their levels */
    };
    for (size_t i = 0; i < COUNT_OF(cases); i++)
        expect_refused(QP, strlen(QP), cases[i].places, cases[i].line, "p.tsv", cases[i].reason);

    /* Faults the questionnaire's side sees, reported on its lines. */
    expect_refused(QP, strlen(QP), NULL, 3, "(text)", "the places file 'p.tsv' was not given");
    static const char only_provinces[] = "province\t3\t\tPunjab\tPunjab\n";
    expect_refused(QP, strlen(QP), only_provinces, 26, "(text)",
                   "p.tsv lists no places at level 'district'");
    static const char top_district[] = QP "question d2 place district\nlabel | D | Z\n";
    expect_refused(top_district, strlen(top_district), PLACES, 28, "(text)",
                   "every district lies under a province: name the question holding it");
    static const char tehsils[] = PLACES "tehsil\tt3lhr1\td3lhr\tCity\tCity\n";
    static const char wrong_parent[] =
        QP "question t place tehsil parent province\nlabel | T | T\n";
    expect_refused(wrong_parent, strlen(wrong_parent), tehsils, 28, "(text)",
                   "the parent 'province' asks for a province, but every tehsil lies under a "
                   "district");
    static const char no_places_line[] = BASE HH "question p place province\nlabel | P | S\n";
    expect_refused(no_places_line, strlen(no_places_line), PLACES, L(3), "(text)",
                   "'p' asks for a place, but the header names no places file");

    /* A places file over 1 MiB, or with an over-long line. */
    size_t big = 1024 * 1024 + 10;
    char *p = malloc(big + 1);
    assert_non_null(p);
    memset(p, '\n', big);
    p[big] = '\0';
    expect_refused(QP, strlen(QP), p, 0, "p.tsv", "larger than 1 MiB");
    memset(p, '#', 1001);
    p[1001] = '\0';
    expect_refused(QP, strlen(QP), p, 1, "p.tsv", "longer than 1000 bytes");
    free(p);
}

static void test_places_api(void **state)
{
    (void)state;
    struct questionnaire *q = parse_ok(QP, PLACES);
    const struct q_question *province = questionnaire_question(q, "province");
    const struct q_question *district = questionnaire_question(q, "district");

    assert_int_equal(questionnaire_place_count(q, "province", ""), 2);
    assert_int_equal(questionnaire_place_count(q, "district", "3"), 2);
    assert_int_equal(questionnaire_place_count(q, "district", "4"), 1);
    assert_int_equal(questionnaire_place_count(q, "district", "5"), 0);
    assert_int_equal(questionnaire_place_count(q, "tehsil", "d3lhr"), 0);
    assert_int_equal(questionnaire_place_count(q, NULL, "3"), 0);
    /* file order within a parent */
    assert_string_equal(questionnaire_place_at(q, "district", "3", 0)->code, "d3lhr");
    assert_string_equal(questionnaire_place_at(q, "district", "3", 1)->code, "d3mul");
    assert_null(questionnaire_place_at(q, "district", "3", 2));
    assert_string_equal(questionnaire_place(q, NULL, "d4hyd")->name.t[0], "Hyderabad");
    assert_string_equal(q_text(q, &questionnaire_place(q, "province", "4")->name, "ur_Latn"),
                        "Sindh");

    /* A list where the parent has children; typing where it has none. */
    assert_false(q_place_is_typed(q, province, NULL));
    assert_false(q_place_is_typed(q, district, "3"));
    assert_true(q_place_is_typed(q, district, "5"));
    assert_true(q_place_is_typed(q, district, "Typed district"));
    assert_true(q_place_is_typed(q, district, NULL));
    assert_false(q_place_is_typed(q, questionnaire_question(q, "age"), "3"));
    questionnaire_free(q);
}

/* Files on disk: names in errors, the places file beside the text. */
static void test_load_from_disk(void **state)
{
    (void)state;
    char dir[] = "/tmp/test_questionnaire.XXXXXX";
    char path[256], ppath[256];
    struct q_error err;

    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/q.txt", dir);
    snprintf(ppath, sizeof ppath, "%s/p.tsv", dir);

    assert_null(questionnaire_load("/nonexistent/dir/nope.txt", &err));
    assert_string_equal(err.file, "nope.txt");
    assert_int_equal(err.line, 0);
    assert_non_null(strstr(err.reason, "cannot open"));
    assert_null(questionnaire_load(NULL, &err));
    assert_null(questionnaire_load("", NULL));

    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(QP, f);
    fclose(f);
    assert_null(questionnaire_load(path, &err)); /* p.tsv is not there yet */
    assert_string_equal(err.file, "p.tsv");
    assert_int_equal(err.line, 0);
    assert_non_null(strstr(err.reason, "cannot open"));

    f = fopen(ppath, "w");
    assert_non_null(f);
    fputs(PLACES "district\tbad code\t3\tX\tX\n", f);
    fclose(f);
    assert_null(questionnaire_load(path, &err));
    assert_string_equal(err.file, "p.tsv");
    assert_int_equal(err.line, 7);

    f = fopen(ppath, "w");
    assert_non_null(f);
    fputs(PLACES, f);
    fclose(f);
    struct questionnaire *q = questionnaire_load(path, &err);
    if (q == NULL)
        fail_msg("%s:%d: %s", err.file, err.line, err.reason);
    assert_int_equal(questionnaire_place_count(q, "district", "3"), 2);
    questionnaire_free(q);

    f = fopen(path, "w");
    assert_non_null(f);
    fputs(BASE "bogus\n", f);
    fclose(f);
    assert_null(questionnaire_load(path, &err));
    assert_string_equal(err.file, "q.txt");
    assert_int_equal(err.line, L(1));

    /* Over 1 MiB on disk. */
    f = fopen(path, "w");
    assert_non_null(f);
    for (int i = 0; i < 1024 * 1024 + 1; i++)
        fputc('\n', f);
    fclose(f);
    assert_null(questionnaire_load(path, &err));
    assert_string_equal(err.file, "q.txt");
    assert_non_null(strstr(err.reason, "larger than 1 MiB"));

    unlink(path);
    unlink(ppath);
    rmdir(dir);
}

/* ------------------------------------------------------------ skip rules */

static void test_skip_rules_shipped(void **state)
{
    (void)state;
    struct questionnaire *q = shipped();
    struct answers *a = family();
    const struct q_question *occupation = questionnaire_question(q, "occupation");
    const struct q_question *school = questionnaire_question(q, "attends_school");
    const struct q_question *severity = questionnaire_question(q, "disability_severity");
    const struct q_question *acres = questionnaire_question(q, "land_acres");
    const struct q_question *marital = questionnaire_question(q, "marital_status");
    const struct q_question *name = questionnaire_question(q, "name");
    struct expr_ctx head = ctx_for(a, 0);

    assert_true(q_shown(name, &head)); /* no skip rule: always */

    /* occupation: only for working members; UNKNOWN hides */
    assert_false(q_shown(occupation, &head));
    set(a, 0, "employment_status", "student");
    assert_false(q_shown(occupation, &head));
    set(a, 0, "employment_status", "employee");
    assert_true(q_shown(occupation, &head));
    set(a, 0, "employment_status", "unpaid_family");
    assert_true(q_shown(occupation, &head));
    set(a, 0, "employment_status", "housework");
    assert_false(q_shown(occupation, &head));

    /* school: ages 3 to 30 */
    int child = add_member(a, "son", "2");
    struct expr_ctx c = ctx_for(a, child);
    assert_false(q_shown(school, &c));
    set(a, child, "age", "3");
    assert_true(q_shown(school, &c));
    set(a, child, "age", "30");
    assert_true(q_shown(school, &c));
    set(a, child, "age", "31");
    assert_false(q_shown(school, &c));
    set(a, child, "age", NULL);
    assert_false(q_shown(school, &c));
    set(a, child, "age", "9");
    assert_false(q_shown(marital, &c));
    set(a, child, "age", "10");
    assert_true(q_shown(marital, &c));

    /* severity: only when a disability is named */
    assert_false(q_shown(severity, &c));
    set(a, child, "disability", "none");
    assert_false(q_shown(severity, &c));
    set(a, child, "disability", "hearing");
    assert_true(q_shown(severity, &c));

    /* land area: only when land is owned */
    struct expr_ctx hh = ctx_for(a, ANSWERS_HOUSEHOLD);
    assert_false(q_shown(acres, &hh));
    set(a, ANSWERS_HOUSEHOLD, "owns_land", "no");
    assert_false(q_shown(acres, &hh));
    set(a, ANSWERS_HOUSEHOLD, "owns_land", "yes");
    assert_true(q_shown(acres, &hh));

    answers_free(a);
    questionnaire_free(q);
}

/* ------------------------------------------------------ cross-field checks */

/* The first failing check's English message on page ID for MEMBER, or NULL. */
static const char *failing(const struct questionnaire *q, const char *page, const struct answers *a,
                           int member)
{
    struct expr_ctx c = ctx_for(a, member);
    const struct q_check *chk = q_page_failing_check(page_by_id(q, page), &c);

    return chk ? q_text(q, &chk->message, "en") : NULL;
}

static void expect_fails(const struct questionnaire *q, const char *page, const struct answers *a,
                         int member, const char *want)
{
    const char *got = failing(q, page, a, member);

    if (got == NULL || strstr(got, want) == NULL)
        fail_msg("page %s member %d: got \"%s\", want \"%s\"", page, member, got ? got : "(pass)",
                 want);
}

static void test_checks_shipped(void **state)
{
    (void)state;
    struct questionnaire *q = shipped();
    struct answers *a = family();
    int son = add_member(a, "son", "12");
    int mother = add_member(a, "parent", "65");
    set(a, son, "highest_class", "5");
    set(a, son, "employment_status", "student");
    set(a, son, "attends_school", "yes");

    /* A fine household passes every page, for every member. */
    for (int m = 0; m < (int)answers_member_count(a); m++) {
        static const char *const pages[] = {"member_basics", "member_education_work",
                                            "member_disability"};
        for (size_t p = 0; p < COUNT_OF(pages); p++) {
            const char *msg = failing(q, pages[p], a, m);
            if (msg)
                fail_msg("member %d, page %s: %s", m, pages[p], msg);
        }
    }
    set(a, ANSWERS_HOUSEHOLD, "rooms", "3");
    assert_null(failing(q, "housing", a, ANSWERS_HOUSEHOLD));

    /* Unanswered passes (UNKNOWN never blocks). */
    struct answers *empty = answers_new();
    assert_int_equal(answers_add_member(empty), 0);
    for (size_t i = 0; i < questionnaire_page_count(q); i++) {
        const struct q_page *p = questionnaire_page(q, i);
        if (p->scope == Q_SCOPE_MEMBER) {
            struct expr_ctx c = ctx_for(empty, 0);
            assert_null(q_page_failing_check(p, &c));
        }
    }
    struct answers *head_only = answers_new();
    assert_int_equal(answers_add_member(head_only), 0);
    set(head_only, 0, "relation", "head");
    struct expr_ctx hc = ctx_for(head_only, ANSWERS_HOUSEHOLD);
    assert_null(q_page_failing_check(page_by_id(q, "housing"), &hc)); /* rooms unanswered */
    assert_null(q_page_failing_check(page_by_id(q, "land"), &hc));
    answers_free(head_only);
    answers_free(empty);

    /* A son older than the head. */
    set(a, son, "age", "41");
    set(a, son, "highest_class", NULL);
    expect_fails(q, "member_basics", a, son, "must be younger than the head");
    set(a, son, "age", "40");
    expect_fails(q, "member_basics", a, son, "must be younger than the head");
    set(a, son, "age", "39");
    assert_null(failing(q, "member_basics", a, son));
    set(a, son, "age", "12");

    /* A parent younger than the head. */
    set(a, mother, "age", "40");
    expect_fails(q, "member_basics", a, mother, "must be older than the head");
    set(a, mother, "age", "65");

    /* The head is 18 or older. */
    set(a, 0, "age", "17");
    set(a, 0, "dob", NULL);
    expect_fails(q, "member_basics", a, 0, "18 or older");
    set(a, 0, "age", "18");
    assert_null(failing(q, "member_basics", a, 0));
    set(a, 0, "age", "40");

    /* A spouse of 11; 12 passes. */
    set(a, 1, "age", "11");
    expect_fails(q, "member_basics", a, 1, "at least 12");
    set(a, 1, "age", "12");
    assert_null(failing(q, "member_basics", a, 1));
    set(a, 1, "marital_status", "never_married");
    expect_fails(q, "member_basics", a, 1, "never married");
    set(a, 1, "marital_status", "married");
    set(a, 1, "age", "35");

    /* Age and date of birth agree (today is 2026-06-14). */
    set(a, 0, "dob", "1986-06-15"); /* turns 40 tomorrow */
    expect_fails(q, "member_basics", a, 0, "does not match the date of birth");
    set(a, 0, "dob", "1986-06-14");
    assert_null(failing(q, "member_basics", a, 0));

    /* Another member typed with the head's number. */
    set(a, 1, "id_number", "3520212345671");
    expect_fails(q, "member_basics", a, 1, "the head's CNIC number");
    set(a, 1, "id_number", "3520212345672");
    assert_null(failing(q, "member_basics", a, 1));

    /* Two heads (the second one old enough to be one). */
    set(a, son, "relation", "head");
    set(a, son, "age", "20");
    expect_fails(q, "member_basics", a, son, "only one head");
    expect_fails(q, "housing", a, ANSWERS_HOUSEHOLD, "exactly one head");
    set(a, son, "relation", "son");
    set(a, son, "age", "12");

    /* Class passed against age; a student must be studying. */
    set(a, son, "highest_class", "10");
    expect_fails(q, "member_education_work", a, son, "too high for this age");
    set(a, son, "highest_class", "9");
    assert_null(failing(q, "member_education_work", a, son));
    set(a, son, "attends_school", "no");
    expect_fails(q, "member_education_work", a, son, "studying now");
    set(a, son, "attends_school", "yes");
    /* Below 10 there is no employment status: out of school is fine. */
    int young = add_member(a, "daughter", "8");
    set(a, young, "attends_school", "no");
    assert_null(failing(q, "member_education_work", a, young));
    assert_int_equal(answers_remove_member(a, (size_t)young), 0);
    set(a, 0, "employment_status", "child");
    expect_fails(q, "member_education_work", a, 0, "only for children");
    set(a, 0, "employment_status", "employee");

    /* Rooms against the household's size (4 members: at most 24). */
    set(a, ANSWERS_HOUSEHOLD, "rooms", "24");
    assert_null(failing(q, "housing", a, ANSWERS_HOUSEHOLD));
    set(a, ANSWERS_HOUSEHOLD, "rooms", "25");
    expect_fails(q, "housing", a, ANSWERS_HOUSEHOLD, "many rooms");

    /* Land owned but 0 acres. */
    set(a, ANSWERS_HOUSEHOLD, "owns_land", "yes");
    set(a, ANSWERS_HOUSEHOLD, "land_acres", "0");
    expect_fails(q, "land", a, ANSWERS_HOUSEHOLD, "more than 0");
    set(a, ANSWERS_HOUSEHOLD, "land_acres", "0.5");
    assert_null(failing(q, "land", a, ANSWERS_HOUSEHOLD));

    answers_free(a);
    questionnaire_free(q);
}

/* A one-language questionnaire with a household check over the roster. */
static const char tiny[] = "questionnaire tiny 1\n"
                           "languages en\n"
                           "roster name age\n"
                           "roles name=name relation=relation gender=gender id=idn age=age\n"
                           "page m member\n"
                           "title | Member\n"
                           "question name text 1 20 required\n"
                           "label | Name\n"
                           "question relation choice\n"
                           "label | Relation\n"
                           "option head | Head\n"
                           "option child | Child\n"
                           "question gender choice\n"
                           "label | Gender\n"
                           "option male | Male\n"
                           "option female | Female\n"
                           "question idn cnic\n"
                           "label | ID\n"
                           "question age number 0 120\n"
                           "label | Age\n"
                           "page h household\n"
                           "title | School\n"
                           "question children_school_age number 0 60\n"
                           "label | Children aged 5 to 16\n"
                           "question children_in_school number 0 60\n"
                           "label | Of them, in school\n"
                           "help | Count each child once.\n"
                           "check children_in_school <= children_school_age\n"
                           "message | More children in school than children.\n"
                           "check children_school_age = count(age >= 5 and age <= 16)\n"
                           "when answered(children_school_age) = 1\n"
                           "message | The number of children does not match the list.\n"
                           "question level number -10 10 decimals 1\n"
                           "label | Level\n"
                           "question code choice\n"
                           "label | Code\n"
                           "option 1 | One\n"
                           "option 2 | Two\n"
                           "option 10 | Ten\n";

static void test_checks_small(void **state)
{
    (void)state;
    struct questionnaire *q = parse_ok(tiny, NULL);
    struct answers *a = answers_new();
    const struct q_page *page = page_by_id(q, "h");

    assert_int_equal(answers_add_member(a), 0);
    set(a, 0, "relation", "head");
    set(a, 0, "age", "40");
    int kid = answers_add_member(a);
    set(a, kid, "age", "8");
    kid = answers_add_member(a);
    set(a, kid, "age", "3");

    struct expr_ctx c = ctx_for(a, ANSWERS_HOUSEHOLD);
    assert_null(q_page_failing_check(page, &c)); /* nothing answered */
    set(a, ANSWERS_HOUSEHOLD, "children_school_age", "1");
    set(a, ANSWERS_HOUSEHOLD, "children_in_school", "1");
    assert_null(q_page_failing_check(page, &c));
    set(a, ANSWERS_HOUSEHOLD, "children_in_school", "2");
    const struct q_check *chk = q_page_failing_check(page, &c);
    assert_non_null(chk);
    assert_int_equal(chk->line, 28);
    assert_string_equal(q_text(q, &chk->message, "en"), "More children in school than children.");
    /* The roster count: 1 child aged 5-16, not 2. */
    set(a, ANSWERS_HOUSEHOLD, "children_school_age", "2");
    chk = q_page_failing_check(page, &c);
    assert_non_null(chk);
    assert_int_equal(chk->line, 30);
    set(a, 2, "age", "5");
    assert_null(q_page_failing_check(page, &c));
    assert_null(q_page_failing_check(NULL, &c));

    /* One language: other languages fall back to it. */
    assert_string_equal(q_text(q, &page->title, "ur_Latn"), "School");
    assert_string_equal(q_text(q, &page->title, NULL), "School");
    assert_null(q_text(q, &questionnaire_question(q, "name")->help, "en"));
    assert_string_equal(
        q_text(q, &questionnaire_question(q, "children_in_school")->help, "ur_Latn"),
        "Count each child once.");
    assert_int_equal(questionnaire_roster_column_count(q), 2);

    answers_free(a);
    questionnaire_free(q);
}

static void test_q_text_fallback(void **state)
{
    (void)state;
    struct questionnaire *q = shipped();
    const struct q_question *qq = questionnaire_question(q, "rooms");
    struct q_text partial = {{"English only", NULL, NULL, NULL}};

    assert_string_equal(q_text(q, &qq->label, "en"), "How many rooms?");
    assert_string_equal(q_text(q, &qq->label, "ur_Latn"), "Kitne kamre hain?");
    assert_string_equal(q_text(q, &qq->label, "fr"), "How many rooms?");
    assert_string_equal(q_text(q, &partial, "ur_Latn"), "English only");
    assert_null(q_text(q, NULL, "en"));
    const struct q_option *o = q_option(questionnaire_question(q, "gender"), "transgender");
    assert_non_null(o);
    assert_string_equal(q_text(q, &o->text, "ur_Latn"), "Khwaja sira");
    assert_null(q_option(questionnaire_question(q, "gender"), "other"));
    assert_null(q_option(NULL, "male"));
    questionnaire_free(q);
}

/* ------------------------------------------------------------ validation */

/* Validates VALUE for question QID: OUT must be WANT, and no message. */
static void valid(const struct questionnaire *q, const char *qid, const char *value,
                  const char *parent, const char *want)
{
    char out[ANSWER_VALUE_MAX];
    const char *msg =
        q_validate(q, questionnaire_question(q, qid), value, parent, today, NULL, out, sizeof out);

    if (msg)
        fail_msg("%s \"%s\": %s", qid, value, msg);
    if (strcmp(out, want) != 0)
        fail_msg("%s \"%s\": stored \"%s\", want \"%s\"", qid, value, out, want);
}

/* VALUE is refused for QID with a message containing WANT (after the
 * range is put in its %s). */
static void invalid(const struct questionnaire *q, const char *qid, const char *value,
                    const char *parent, const char *want)
{
    const struct q_question *qq = questionnaire_question(q, qid);
    char out[ANSWER_VALUE_MAX], range[32], text[256];
    const char *msg = q_validate(q, qq, value, parent, today, NULL, out, sizeof out);

    if (msg == NULL)
        fail_msg("%s \"%s\" accepted as \"%s\"", qid, value, out);
    snprintf(text, sizeof text, msg, q_range_text(qq, range, sizeof range));
    if (strstr(text, want) == NULL)
        fail_msg("%s \"%s\": \"%s\", want \"%s\"", qid, value, text, want);
    assert_string_equal(out, "");
}

static void test_validate_text(void **state)
{
    (void)state;
    struct questionnaire *q = shipped();
    char sixty[61], sixty_one[62];

    memset(sixty, 'a', 60);
    sixty[60] = '\0';
    memset(sixty_one, 'a', 61);
    sixty_one[61] = '\0';
    valid(q, "name", "Al", NULL, "Al");
    valid(q, "name", "  Muhammad Aslam \t", NULL, "Muhammad Aslam");
    valid(q, "name", sixty, NULL, sixty);
    valid(q, "name", "", NULL, "");
    valid(q, "name", "   ", NULL, "");
    valid(q, "name", NULL, NULL, "");
    /* Urdu script: two bytes a letter, counted as letters. */
    valid(q, "name", "\xd8\xb9\xd9\x84", NULL, "\xd8\xb9\xd9\x84");
    invalid(q, "name", "\xd8\xb9", NULL, "Please write 2-60 letters.");
    invalid(q, "name", "A", NULL, "Please write 2-60 letters.");
    invalid(q, "name", sixty_one, NULL, "2-60 letters");
    invalid(q, "name", "Ali\x01", NULL, "cannot be used");
    invalid(q, "name", "Al\xff", NULL, "cannot be used");
    invalid(q, "name", "A\tB", NULL, "cannot be used");

    /* Too many bytes to store, though within the letter count. */
    struct questionnaire *t = parse_ok(BASE HH "question long text 1 200\nlabel | L | L\n", NULL);
    char urdu[2 * 200 + 1];
    for (int i = 0; i < 200; i++)
        memcpy(urdu + 2 * i, "\xd8\xb9", 2);
    urdu[400] = '\0';
    invalid(t, "long", urdu, NULL, "too long");
    /* OUT too small is refused, never truncated. */
    char small[4];
    assert_non_null(q_validate(t, questionnaire_question(t, "long"), "abcdef", NULL, today, NULL,
                               small, sizeof small));
    assert_string_equal(small, "");
    assert_null(
        q_validate(t, questionnaire_question(t, "long"), "abcdef", NULL, today, NULL, NULL, 0));
    questionnaire_free(t);
    questionnaire_free(q);
}

static void test_validate_number(void **state)
{
    (void)state;
    struct questionnaire *q = shipped();

    valid(q, "age", "0", NULL, "0");
    valid(q, "age", "120", NULL, "120");
    valid(q, "age", "007", NULL, "7");
    valid(q, "age", "000", NULL, "0");
    valid(q, "age", "40.0", NULL, "40"); /* no decimals left once zeros go */
    invalid(q, "age", "121", NULL, "in the range 0-120");
    invalid(q, "age", "-1", NULL, "digits only");
    invalid(q, "age", "1.5", NULL, "whole number");
    invalid(q, "age", "abc", NULL, "digits only");
    invalid(q, "age", "4 0", NULL, "digits only");
    invalid(q, "age", ".", NULL, "digits only");
    invalid(q, "age", "1,000", NULL, "digits only");
    invalid(q, "age", "99999999999999999999", NULL, "in the range 0-120");
    valid(q, "rooms", "1", NULL, "1");
    valid(q, "rooms", "50", NULL, "50");
    invalid(q, "rooms", "0", NULL, "in the range 1-50");
    invalid(q, "rooms", "51", NULL, "in the range 1-50");
    /* two decimals */
    valid(q, "land_acres", "2.5", NULL, "2.5");
    valid(q, "land_acres", "2.50", NULL, "2.5");
    valid(q, "land_acres", "0.25", NULL, "0.25");
    valid(q, "land_acres", ".5", NULL, "0.5");
    valid(q, "land_acres", "3.", NULL, "3");
    valid(q, "land_acres", "0.00", NULL, "0");
    valid(q, "land_acres", "10000", NULL, "10000");
    valid(q, "land_acres", "10000.00", NULL, "10000");
    invalid(q, "land_acres", "10000.01", NULL, "in the range 0-10000");
    invalid(q, "land_acres", "2.555", NULL, "too many digits after the point");
    invalid(q, "land_acres", "1.2.3", NULL, "digits only");

    /* Negative ranges and one decimal (the tiny questionnaire). */
    struct questionnaire *t = parse_ok(tiny, NULL);
    valid(t, "level", "-5.5", NULL, "-5.5");
    valid(t, "level", "-0", NULL, "0");
    valid(t, "level", "-10", NULL, "-10");
    valid(t, "level", "10.0", NULL, "10");
    invalid(t, "level", "-10.1", NULL, "in the range -10-10");
    invalid(t, "level", "0.25", NULL, "too many digits");
    invalid(t, "level", "--1", NULL, "digits only");
    /* number-like choice codes */
    valid(t, "code", "10", NULL, "10");
    invalid(t, "code", "3", NULL, "one of the answers");
    questionnaire_free(t);
    questionnaire_free(q);
}

static void test_validate_choice(void **state)
{
    (void)state;
    struct questionnaire *q = shipped();

    valid(q, "gender", "female", NULL, "female");
    valid(q, "gender", " male ", NULL, "male");
    invalid(q, "gender", "Male", NULL, "Please choose one of the answers in the list.");
    invalid(q, "gender", "m", NULL, "one of the answers");
    invalid(q, "gender", "male female", NULL, "one of the answers");
    invalid(q, "gender", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", NULL, "one of the answers");
    valid(q, "toilet", "flush_open_drain", NULL, "flush_open_drain");
    questionnaire_free(q);
}

static void test_validate_date(void **state)
{
    (void)state;
    struct questionnaire *q = shipped();

    valid(q, "dob", "29-02-2024", NULL, "2024-02-29"); /* leap year */
    valid(q, "dob", "29022024", NULL, "2024-02-29");   /* through the date mask */
    valid(q, "dob", "2024-02-29", NULL, "2024-02-29");
    valid(q, "dob", "29/02/2024", NULL, "2024-02-29");
    valid(q, "dob", "1.2.2000", NULL, "2000-02-01");
    valid(q, "dob", "2000-2-1", NULL, "2000-02-01");
    valid(q, "dob", "29-02-2000", NULL, "2000-02-29"); /* divisible by 400 */
    valid(q, "dob", "14-06-2026", NULL, "2026-06-14"); /* today */
    valid(q, "dob", "14-06-1906", NULL, "1906-06-14"); /* 120 today */
    valid(q, "dob", "15-06-1905", NULL, "1905-06-15"); /* 120 until tomorrow */
    invalid(q, "dob", "29-02-2023", NULL, "no such day");
    invalid(q, "dob", "29-02-1900", NULL, "no such day"); /* divisible by 100 */
    invalid(q, "dob", "31-04-2000", NULL, "no such day");
    invalid(q, "dob", "00-01-2000", NULL, "no such day");
    invalid(q, "dob", "01-13-2000", NULL, "no such month");
    invalid(q, "dob", "01-00-2000", NULL, "no such month");
    invalid(q, "dob", "15-06-2026", NULL, "in the future");
    invalid(q, "dob", "01-01-2027", NULL, "in the future");
    invalid(q, "dob", "14-06-1905", NULL, "too long ago"); /* 121 today */
    invalid(q, "dob", "01-01-0000", NULL, "too long ago");
    invalid(q, "dob", "2000/02/01", NULL, "day-month-year");
    invalid(q, "dob", "1-2-20", NULL, "day-month-year");
    invalid(q, "dob", "123-2-2000", NULL, "day-month-year");
    invalid(q, "dob", "01-02-2000x", NULL, "day-month-year");
    invalid(q, "dob", "0102200", NULL, "day-month-year");
    invalid(q, "dob", "yesterday", NULL, "day-month-year");

    /* Without today, only the calendar is checked. */
    char out[16];
    const struct q_question *dob = questionnaire_question(q, "dob");
    assert_null(q_validate(q, dob, "01-01-2999", NULL, NULL, NULL, out, sizeof out));
    assert_string_equal(out, "2999-01-01");
    static const int unknown_day[3] = {0, 0, 0};
    assert_null(q_validate(q, dob, "01-01-1800", NULL, unknown_day, NULL, out, sizeof out));
    questionnaire_free(q);
}

static void test_validate_phone(void **state)
{
    (void)state;
    struct questionnaire *q = shipped();

    valid(q, "phone", "03001234567", NULL, "03001234567");
    valid(q, "phone", "0300-1234567", NULL, "03001234567");
    valid(q, "phone", "0300 123 4567", NULL, "03001234567");
    valid(q, "phone", "+923001234567", NULL, "03001234567");
    valid(q, "phone", "+92 300 1234567", NULL, "03001234567");
    valid(q, "phone", "+92-300-1234567", NULL, "03001234567");
    valid(q, "phone", "00923001234567", NULL, "03001234567");
    invalid(q, "phone", "0300123456", NULL, "11 digits and starts with 03");
    invalid(q, "phone", "030012345678", NULL, "11 digits");
    invalid(q, "phone", "04212345678", NULL, "starts with 03"); /* a landline */
    invalid(q, "phone", "+924212345678", NULL, "starts with 03");
    invalid(q, "phone", "923001234567", NULL, "starts with 03");
    invalid(q, "phone", "0300-12345x7", NULL, "only digits");
    invalid(q, "phone", "0300+1234567", NULL, "only digits");
    invalid(q, "phone", "030012345678901234567890123", NULL, "11 digits");
    questionnaire_free(q);
}

static void test_validate_cnic(void **state)
{
    (void)state;
    struct questionnaire *q = shipped();
    const struct q_question *id = questionnaire_question(q, "id_number");
    char out[32];

    valid(q, "id_number", "35202-1234567-1", NULL, "3520212345671");
    valid(q, "id_number", "3520212345671", NULL, "3520212345671");
    valid(q, "id_number", "85202-1234567-2", NULL, "8520212345672");
    assert_string_equal(q_validate(q, id, "95202-1234567-1", NULL, today, NULL, out, sizeof out),
                        cnic_error_text(CNIC_BAD_REGION));
    assert_string_equal(q_validate(q, id, "3520212345", NULL, today, NULL, out, sizeof out),
                        cnic_error_text(CNIC_WRONG_LENGTH));
    assert_string_equal(q_validate(q, id, "3520-21234567-1", NULL, today, NULL, out, sizeof out),
                        cnic_error_text(CNIC_BAD_DASHES));
    /* The configured regions decide (AJK's 8 left out here). */
    assert_string_equal(
        q_validate(q, id, "85202-1234567-2", NULL, today, "1234567", out, sizeof out),
        cnic_error_text(CNIC_BAD_REGION));
    assert_null(q_validate(q, id, "35202-1234567-2", NULL, today, "1234567", out, sizeof out));
    questionnaire_free(q);
}

static void test_validate_place(void **state)
{
    (void)state;
    struct questionnaire *q = shipped();

    valid(q, "province", "3", NULL, "3");
    valid(q, "province", "2", NULL, "2");
    invalid(q, "province", "9", NULL, "choose a place from the list");
    invalid(q, "province", "d3lhr", NULL, "choose a place from the list");
    invalid(q, "province", "Punjab", NULL, "choose a place from the list");
    valid(q, "district", "d3lhr", "3", "d3lhr");
    invalid(q, "district", "d3lhr", "4", "choose a place from the list");
    invalid(q, "district", "t3lhr_city", "3", "choose a place from the list");
    valid(q, "tehsil", "t3lhr_city", "d3lhr", "t3lhr_city");
    valid(q, "union_council", "u3lhr_city1", "t3lhr_city", "u3lhr_city1");
    /* Multan's tehsils are not in the sample: the clerk types the name. */
    assert_true(q_place_is_typed(q, questionnaire_question(q, "tehsil"), "d3mul"));
    valid(q, "tehsil", " Shujabad ", "d3mul", "Shujabad");
    invalid(q, "tehsil", "S", "d3mul", "Please write 2-60 letters.");
    /* ... and below a typed tehsil, the union council is typed too. */
    valid(q, "union_council", "Basti Malook", "Shujabad", "Basti Malook");
    questionnaire_free(q);
}

static void test_range_text(void **state)
{
    (void)state;
    struct questionnaire *q = shipped();
    char buf[32];

    assert_string_equal(q_range_text(questionnaire_question(q, "age"), buf, sizeof buf), "0-120");
    assert_string_equal(q_range_text(questionnaire_question(q, "name"), buf, sizeof buf), "2-60");
    assert_string_equal(q_range_text(questionnaire_question(q, "land_acres"), buf, sizeof buf),
                        "0-10000");
    assert_string_equal(q_range_text(questionnaire_question(q, "locality"), buf, sizeof buf),
                        "2-60");
    assert_string_equal(q_range_text(questionnaire_question(q, "tehsil"), buf, sizeof buf), "2-60");
    assert_string_equal(q_range_text(questionnaire_question(q, "gender"), buf, sizeof buf), "");
    assert_string_equal(q_range_text(NULL, buf, sizeof buf), "");
    assert_string_equal(q_range_text(questionnaire_question(q, "age"), buf, 3), "0-");
    questionnaire_free(q);

    q = parse_ok(BASE HH "question a number 0.5 2.25 decimals 2\nlabel | A | A\n"
                         "question b text 0 9\nlabel | B | B\n"
                         "question c text 4 4\nlabel | C | C\n",
                 NULL);
    assert_string_equal(q_range_text(questionnaire_question(q, "a"), buf, sizeof buf), "0.5-2.25");
    assert_string_equal(q_range_text(questionnaire_question(q, "b"), buf, sizeof buf), "1-9");
    assert_string_equal(q_range_text(questionnaire_question(q, "c"), buf, sizeof buf), "4");
    questionnaire_free(q);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shipped_loads),
        cmocka_unit_test(test_shipped_fixed_ids),
        cmocka_unit_test(test_shipped_fits_the_screen),
        cmocka_unit_test(test_shipped_places),
        cmocka_unit_test(test_base_is_good),
        cmocka_unit_test(test_bad_header),
        cmocka_unit_test(test_bad_body),
        cmocka_unit_test(test_bad_rules),
        cmocka_unit_test(test_bad_roles),
        cmocka_unit_test(test_bad_bytes),
        cmocka_unit_test(test_bad_places),
        cmocka_unit_test(test_places_api),
        cmocka_unit_test(test_load_from_disk),
        cmocka_unit_test(test_skip_rules_shipped),
        cmocka_unit_test(test_checks_shipped),
        cmocka_unit_test(test_checks_small),
        cmocka_unit_test(test_q_text_fallback),
        cmocka_unit_test(test_validate_text),
        cmocka_unit_test(test_validate_number),
        cmocka_unit_test(test_validate_choice),
        cmocka_unit_test(test_validate_date),
        cmocka_unit_test(test_validate_phone),
        cmocka_unit_test(test_validate_cnic),
        cmocka_unit_test(test_validate_place),
        cmocka_unit_test(test_range_text),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

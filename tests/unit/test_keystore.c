/*
 * test_keystore.c - unit tests for kiosk/keystore.c: making keys (files,
 * modes, refusal to replace an identity), loading them (refusing a secret
 * file others can read, a damaged one with its line), the public key file
 * parser's strictness, installing the registry's key, and the
 * `nser-kiosk keys` command (kiosk/keys_cmd.c) that wraps them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "kiosk/keystore.h"
#include "kiosk/atomic_file.h"
#include "kiosk/config.h"
#include "kiosk/keys_cmd.h"
#include "tests/unit/testdir.h"

static char dir[64];

static int setup(void **state)
{
    (void)state;
    strcpy(dir, "/tmp/nser-keys-XXXXXX");
    if (keys_crypto_init() != 0)
        return -1;
    return testdir_make(dir);
}

static int teardown(void **state)
{
    (void)state;
    return testdir_remove(dir);
}

static void path_of(char *out, size_t outsz, const char *name)
{
    snprintf(out, outsz, "%s/%s", dir, name);
}

static void write_file(const char *name, const char *text, int mode)
{
    char err[256];
    assert_int_equal(atomic_write(dir, name, text, strlen(text), mode, err, sizeof err), 0);
}

static void test_create_and_load(void **state)
{
    char err[256], path[256];
    struct stat st;
    struct public_key pk;

    (void)state;
    assert_int_equal(keystore_create(dir, "kiosk", "04217", err, sizeof err), 0);
    path_of(path, sizeof path, "kiosk.secret");
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    path_of(path, sizeof path, "kiosk.pub");
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0644);
    assert_int_equal(public_key_load(path, &pk, err, sizeof err), 0);
    assert_string_equal(pk.role, "kiosk");
    assert_string_equal(pk.id, "04217");

    struct keystore *k = keystore_load(dir, "kiosk", err, sizeof err);
    assert_non_null(k);
    const struct public_key *kp = keystore_public(k);
    assert_string_equal(kp->role, "kiosk");
    assert_string_equal(kp->id, "04217");
    /* The public file and the loaded secret agree. */
    assert_memory_equal(kp->sign, pk.sign, KEY_SIGN_PK);
    assert_memory_equal(kp->box, pk.box, KEY_BOX_PK);
    assert_non_null(keystore_sign_sk(k));
    assert_non_null(keystore_box_sk(k));
    keystore_free(k);

    /* Never replaced by accident. */
    err[0] = 0;
    assert_int_equal(keystore_create(dir, "kiosk", "04217", err, sizeof err), -1);
    assert_non_null(strstr(err, "already"));
    /* Other role beside it is fine. */
    assert_int_equal(keystore_create(dir, "central", "central", err, sizeof err), 0);
    path_of(path, sizeof path, "central.pub");
    assert_int_equal(public_key_load(path, &pk, err, sizeof err), 0);
    assert_string_equal(pk.role, "central");
    assert_string_equal(pk.id, "central");
}

static void test_create_refusals(void **state)
{
    char err[256];

    (void)state;
    assert_int_equal(keystore_create(dir, "boss", "1", err, sizeof err), -1);
    assert_int_equal(keystore_create(dir, "kiosk", "", err, sizeof err), -1);
    assert_int_equal(keystore_create(dir, "kiosk", "123456789", err, sizeof err), -1);
    assert_int_equal(keystore_create(dir, "kiosk", "a b", err, sizeof err), -1);
    assert_int_equal(keystore_create("", "kiosk", "1", err, sizeof err), -1);
}

static void test_create_makes_folder(void **state)
{
    char err[256], sub[128], path[256];
    struct stat st;

    (void)state;
    snprintf(sub, sizeof sub, "%s/new", dir);
    assert_int_equal(keystore_create(sub, "kiosk", "1", err, sizeof err), 0);
    assert_int_equal(stat(sub, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0700);
    snprintf(path, sizeof path, "%s/kiosk.secret", sub);
    unlink(path);
    snprintf(path, sizeof path, "%s/kiosk.pub", sub);
    unlink(path);
    rmdir(sub);
}

static void test_load_refusals(void **state)
{
    char err[256], path[256];
    struct keystore *k;

    (void)state;
    err[0] = 0;
    assert_null(keystore_load(dir, "kiosk", err, sizeof err));
    assert_non_null(strstr(err, "keys init"));

    assert_int_equal(keystore_create(dir, "kiosk", "04217", err, sizeof err), 0);
    path_of(path, sizeof path, "kiosk.secret");
    assert_int_equal(chmod(path, 0640), 0);
    assert_null(keystore_load(dir, "kiosk", err, sizeof err));
    assert_non_null(strstr(err, "chmod 600"));
    assert_int_equal(chmod(path, 0604), 0);
    assert_null(keystore_load(dir, "kiosk", err, sizeof err));
    assert_int_equal(chmod(path, 0600), 0);
    k = keystore_load(dir, "kiosk", err, sizeof err);
    assert_non_null(k);
    keystore_free(k);

    /* Damaged files, each with the line named. */
    static const struct {
        const char *text;
        const char *why;
    } bad[] = {
        {"nser-secret-key 2\n", "line 1"},
        {"", "line 1"},
        {"nser-secret-key 1\nid 04217\nsign AAAA\nbox AAAA\n", "line 3"},
        {"nser-secret-key 1\nid 04217\n", "missing sign"},
        {"nser-secret-key 1\ncolour blue\n", "line 2"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        write_file("kiosk.secret", bad[i].text, 0600);
        err[0] = 0;
        assert_null(keystore_load(dir, "kiosk", err, sizeof err));
        assert_non_null(strstr(err, bad[i].why));
    }
}

static void test_load_detects_damaged_sign_key(void **state)
{
    char err[256], path[256];
    uint8_t *buf;
    size_t len;

    (void)state;
    assert_int_equal(keystore_create(dir, "kiosk", "7", err, sizeof err), 0);
    path_of(path, sizeof path, "kiosk.secret");
    assert_int_equal(read_whole_file(path, 4096, &buf, &len, err, sizeof err), 0);
    /* Change one base64 character in the middle of the sign key's public half. */
    char *s = strstr((char *)buf, "sign ");
    assert_non_null(s);
    s[5 + 60] = s[5 + 60] == 'A' ? 'B' : 'A';
    write_file("kiosk.secret", (char *)buf, 0600);
    free(buf);
    assert_null(keystore_load(dir, "kiosk", err, sizeof err));
    assert_non_null(strstr(err, "line 3"));
}

static const char good_pub[] = "nser-public-key 1\n"
                               "role central\n"
                               "id central\n"
                               "sign AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n"
                               "box ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=\n";

static void test_public_parse_and_format(void **state)
{
    struct public_key pk;
    char err[256], out[512];

    (void)state;
    assert_int_equal(public_key_parse(good_pub, strlen(good_pub), &pk, err, sizeof err), 0);
    assert_string_equal(pk.role, "central");
    assert_string_equal(pk.id, "central");
    for (int i = 0; i < 32; i++) {
        assert_int_equal(pk.sign[i], i);
        assert_int_equal(pk.box[i], 32 + i);
    }
    assert_int_equal(public_key_format(&pk, out, sizeof out), 0);
    assert_string_equal(out, good_pub);
    assert_int_equal(public_key_format(&pk, out, 20), -1);
    /* Lines in any order, CRLF, no final newline. */
    const char *crlf = "nser-public-key 1\r\nid 42\r\nbox "
                       "ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=\r\nrole kiosk\r\nsign "
                       "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    assert_int_equal(public_key_parse(crlf, strlen(crlf), &pk, err, sizeof err), 0);
    assert_string_equal(pk.role, "kiosk");
    assert_string_equal(pk.id, "42");
}

static void parse_bad(const char *text, const char *why)
{
    struct public_key pk;
    char err[256] = "";

    assert_int_equal(public_key_parse(text, strlen(text), &pk, err, sizeof err), -1);
    if (!strstr(err, why))
        fail_msg("\"%s\" does not say \"%s\"", err, why);
}

static void test_public_parse_refusals(void **state)
{
    (void)state;
    parse_bad("", "line 1");
    parse_bad("nser-public-key 2\n", "line 1");
    parse_bad("nser-secret-key 1\n", "line 1");
    parse_bad("nser-public-key 1\nrole kiosk\nid 1\nsign "
              "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n",
              "missing box");
    parse_bad("nser-public-key 1\nrole admin\n", "line 2: role");
    parse_bad("nser-public-key 1\nrole kiosk\nrole kiosk\n", "line 3: role given twice");
    parse_bad("nser-public-key 1\nid 123456789\n", "line 2: id");
    parse_bad("nser-public-key 1\nid a b\n", "line 2: id");
    parse_bad("nser-public-key 1\nid \x01\n", "line 2: id");
    parse_bad("nser-public-key 1\nid\n", "line 2");
    parse_bad("nser-public-key 1\nid  1\n", "line 2");
    parse_bad("nser-public-key 1\ncolour blue\n", "line 2: unknown key");
    parse_bad("nser-public-key 1\n\nrole kiosk\n", "line 2: blank");
    /* Base64: short, long, wrong alphabet, non-canonical, missing padding. */
    parse_bad("nser-public-key 1\nsign AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHg==\n",
              "line 2: sign");
    parse_bad("nser-public-key 1\nsign AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gIQ==\n",
              "line 2: sign");
    parse_bad("nser-public-key 1\nsign AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh-=\n",
              "line 2: sign");
    parse_bad("nser-public-key 1\nsign AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh9=\n",
              "line 2: sign");
    parse_bad("nser-public-key 1\nbox ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8\n",
              "line 2: box");
    parse_bad("nser-public-key 1\nbox ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8= \n",
              "line 2: box");

    /* An embedded NUL. */
    struct public_key pk;
    char err[128];
    char text[sizeof good_pub];
    memcpy(text, good_pub, sizeof good_pub);
    text[30] = '\0';
    assert_int_equal(public_key_parse(text, sizeof good_pub - 1, &pk, err, sizeof err), -1);
}

static void test_install_central(void **state)
{
    char err[256], path[256];
    struct public_key pk;
    struct stat st;

    (void)state;
    write_file("given.pub", good_pub, 0600);
    path_of(path, sizeof path, "given.pub");
    assert_int_equal(keystore_install_central(dir, path, err, sizeof err), 0);
    path_of(path, sizeof path, "central.pub");
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0644);
    assert_int_equal(public_key_load(path, &pk, err, sizeof err), 0);
    assert_string_equal(pk.role, "central");
    assert_int_equal(pk.box[0], 32);

    /* A kiosk's key is not the registry's. */
    assert_int_equal(keystore_create(dir, "kiosk", "04217", err, sizeof err), 0);
    path_of(path, sizeof path, "kiosk.pub");
    assert_int_equal(keystore_install_central(dir, path, err, sizeof err), -1);
    assert_non_null(strstr(err, "role central"));
    /* Nor is a broken file, nor a missing one. */
    write_file("broken.pub", "nser-public-key 1\nrole central\n", 0644);
    path_of(path, sizeof path, "broken.pub");
    assert_int_equal(keystore_install_central(dir, path, err, sizeof err), -1);
    assert_non_null(strstr(err, "missing id"));
    path_of(path, sizeof path, "nothing.pub");
    assert_int_equal(keystore_install_central(dir, path, err, sizeof err), -1);
}

static void test_public_load_refuses_big_file(void **state)
{
    char err[256], path[256], big[5000];
    struct public_key pk;

    (void)state;
    memset(big, 'A', sizeof big - 1);
    big[sizeof big - 1] = 0;
    write_file("big.pub", big, 0644);
    path_of(path, sizeof path, "big.pub");
    assert_int_equal(public_key_load(path, &pk, err, sizeof err), -1);
}

/* Runs `keys ARGS...` against DIR; OUT and ERR get what it printed. */
static int run_keys(const struct config *cfg, char *out, size_t outsz, char *errt, size_t errsz,
                    int argc, char **argv)
{
    FILE *o = fmemopen(out, outsz, "w"), *e = fmemopen(errt, errsz, "w");
    assert_non_null(o);
    assert_non_null(e);
    int rc = keys_command(argc, argv, cfg, o, e);
    fclose(o);
    fclose(e);
    return rc;
}

static void test_keys_command(void **state)
{
    struct config cfg;
    static char out[4096], errt[4096];
    char path[256];

    (void)state;
    config_defaults(&cfg);
    snprintf(cfg.key_dir, sizeof cfg.key_dir, "%s", dir);
    strcpy(cfg.kiosk_code, "04217");

    char *none[] = {"keys"};
    assert_int_equal(run_keys(&cfg, out, sizeof out, errt, sizeof errt, 1, none), 2);
    assert_non_null(strstr(errt, "Usage"));
    char *bogus[] = {"keys", "rotate"};
    assert_int_equal(run_keys(&cfg, out, sizeof out, errt, sizeof errt, 2, bogus), 2);
    char *help[] = {"keys", "--help"};
    assert_int_equal(run_keys(&cfg, out, sizeof out, errt, sizeof errt, 2, help), 0);
    assert_non_null(strstr(out, "install-central"));

    /* show before init: told what to do. */
    char *show[] = {"keys", "show"};
    assert_int_equal(run_keys(&cfg, out, sizeof out, errt, sizeof errt, 2, show), 1);
    assert_non_null(strstr(errt, "keys init"));

    char *init[] = {"keys", "init"};
    assert_int_equal(run_keys(&cfg, out, sizeof out, errt, sizeof errt, 2, init), 0);
    assert_non_null(strstr(out, "nser-public-key 1\nrole kiosk\nid 04217\n"));
    assert_non_null(strstr(out, "kiosk.pub"));
    assert_null(strstr(out, "secret-key"));
    /* Twice: refused, the identity kept. */
    assert_int_equal(run_keys(&cfg, out, sizeof out, errt, sizeof errt, 2, init), 1);
    assert_non_null(strstr(errt, "already"));

    assert_int_equal(run_keys(&cfg, out, sizeof out, errt, sizeof errt, 2, show), 0);
    assert_non_null(strstr(out, "id 04217"));
    assert_non_null(strstr(out, "registry key: not installed"));

    write_file("given.pub", good_pub, 0644);
    path_of(path, sizeof path, "given.pub");
    char *inst[] = {"keys", "install-central", path};
    assert_int_equal(run_keys(&cfg, out, sizeof out, errt, sizeof errt, 3, inst), 0);
    assert_non_null(strstr(out, "central.pub"));
    assert_int_equal(run_keys(&cfg, out, sizeof out, errt, sizeof errt, 2, show), 0);
    assert_non_null(strstr(out, "registry key: installed"));

    /* Installing the kiosk's own key as the registry's is refused. */
    path_of(path, sizeof path, "kiosk.pub");
    assert_int_equal(run_keys(&cfg, out, sizeof out, errt, sizeof errt, 3, inst), 1);
    assert_non_null(strstr(errt, "not installed"));
    char *inst_none[] = {"keys", "install-central"};
    assert_int_equal(run_keys(&cfg, out, sizeof out, errt, sizeof errt, 2, inst_none), 2);

    /* A registry key damaged by hand is reported. */
    write_file("central.pub", "nser-public-key 1\nrole central\n", 0644);
    assert_int_equal(run_keys(&cfg, out, sizeof out, errt, sizeof errt, 2, show), 1);
    assert_non_null(strstr(out, "registry key: damaged"));

    /* A secret file others can read stops everything. */
    path_of(path, sizeof path, "kiosk.secret");
    assert_int_equal(chmod(path, 0644), 0);
    assert_int_equal(run_keys(&cfg, out, sizeof out, errt, sizeof errt, 2, show), 1);
    assert_non_null(strstr(errt, "chmod 600"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_create_and_load, setup, teardown),
        cmocka_unit_test_setup_teardown(test_create_refusals, setup, teardown),
        cmocka_unit_test_setup_teardown(test_create_makes_folder, setup, teardown),
        cmocka_unit_test_setup_teardown(test_load_refusals, setup, teardown),
        cmocka_unit_test_setup_teardown(test_load_detects_damaged_sign_key, setup, teardown),
        cmocka_unit_test_setup_teardown(test_public_parse_and_format, setup, teardown),
        cmocka_unit_test_setup_teardown(test_public_parse_refusals, setup, teardown),
        cmocka_unit_test_setup_teardown(test_install_central, setup, teardown),
        cmocka_unit_test_setup_teardown(test_public_load_refuses_big_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_keys_command, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * keys_cmd.c - `nser-kiosk keys init | show | install-central FILE`.
 *
 * Wiring only: key making, checking and file formats live in keystore.c.
 * `show` derives the public key from the secret file rather than trusting
 * kiosk.pub, so what the manager hands to the registry is what this kiosk
 * really signs with. Must never print a secret key, never exit, never
 * replace an existing identity (keystore_create refuses).
 */
#include "keys_cmd.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "biometric_vault.h"
#include "i18n.h"
#include "keystore.h"

#define EXIT_DONE   0
#define EXIT_FAILED 1
#define EXIT_USAGE  2

static void usage(FILE *f)
{
    fprintf(f, "%s",
            _("Usage: nser-kiosk keys init\n"
              "       nser-kiosk keys show\n"
              "       nser-kiosk keys install-central FILE\n"
              "\n"
              "  init             make this kiosk's keys (once; an existing key is never\n"
              "                   replaced) and print the public key file for the registry\n"
              "  show             print this kiosk's public key file and whether the\n"
              "                   registry's key is installed\n"
              "  install-central  install the registry's public key file FILE\n"
              "Keys are kept in the configured key folder (key_dir).\n"
              "Exit status: 0 done, 1 failed, 2 wrong usage.\n"));
}

static int print_public(const struct public_key *pk, FILE *out, FILE *err)
{
    char text[512];
    if (public_key_format(pk, text, sizeof text) != 0) {
        fprintf(err, "%s\n", _("nser-kiosk keys: cannot format the public key"));
        return EXIT_FAILED;
    }
    fputs(text, out);
    return EXIT_DONE;
}

static int keys_init(const struct config *cfg, FILE *out, FILE *err)
{
    char why[512];

    if (cfg->kiosk_code[0] == '\0') {
        fprintf(err, "%s\n",
                _("nser-kiosk keys: set kiosk_code in the configuration before making keys"));
        return EXIT_FAILED;
    }
    if (keystore_create(cfg->key_dir, "kiosk", cfg->kiosk_code, why, sizeof why) != 0) {
        fprintf(err, _("nser-kiosk keys: could not make keys: %s\n"), why);
        return EXIT_FAILED;
    }
    struct keystore *k = keystore_load(cfg->key_dir, "kiosk", why, sizeof why);
    if (!k) {
        fprintf(err, _("nser-kiosk keys: keys made but cannot be read back: %s\n"), why);
        return EXIT_FAILED;
    }
    /* The key that seals fingerprints at rest: made with the identity so a
     * kiosk never captures a print before it can seal it. */
    struct bio_vault *bv = bio_vault_open(cfg->key_dir, 1, why, sizeof why);
    if (!bv) {
        keystore_free(k);
        fprintf(err, _("nser-kiosk keys: could not make the fingerprint key: %s\n"), why);
        return EXIT_FAILED;
    }
    bio_vault_free(bv);
    fprintf(out, _("Keys made for kiosk %s in %s (keep kiosk.secret private).\n"), cfg->kiosk_code,
            cfg->key_dir);
    fprintf(out, _("Give this public key file, %s/kiosk.pub, to the registry:\n\n"), cfg->key_dir);
    int rc = print_public(keystore_public(k), out, err);
    keystore_free(k);
    return rc;
}

static int keys_show(const struct config *cfg, FILE *out, FILE *err)
{
    char why[512], path[CONFIG_PATH_MAX + 16];
    struct stat st;

    struct keystore *k = keystore_load(cfg->key_dir, "kiosk", why, sizeof why);
    if (!k) {
        fprintf(err, _("nser-kiosk keys: %s\n"), why);
        return EXIT_FAILED;
    }
    fprintf(out, _("This kiosk's public key file (%s/kiosk.pub):\n\n"), cfg->key_dir);
    int rc = print_public(keystore_public(k), out, err);
    keystore_free(k);
    if (rc != EXIT_DONE)
        return rc;
    fputc('\n', out);
    snprintf(path, sizeof path, "%s/central.pub", cfg->key_dir);
    if (stat(path, &st) != 0 && errno == ENOENT) {
        fprintf(out, "%s\n",
                _("registry key: not installed (nser-kiosk keys install-central FILE)"));
        return EXIT_DONE;
    }
    struct public_key central;
    int bad = public_key_load(path, &central, why, sizeof why) != 0;
    if (!bad && strcmp(central.role, "central") != 0) {
        /* Someone copied a kiosk's key in by hand. */
        snprintf(why, sizeof why, _("it is a %s key, not the registry's"), central.role);
        bad = 1;
    }
    if (bad) {
        fprintf(out, _("registry key: damaged (%s)\n"), path);
        fprintf(err, _("nser-kiosk keys: the registry's key cannot be used: %s\n"), why);
        return EXIT_FAILED;
    }
    fprintf(out, _("registry key: installed (%s)\n"), path);
    return EXIT_DONE;
}

static int keys_install(const struct config *cfg, const char *src, FILE *out, FILE *err)
{
    char why[512];

    if (keystore_install_central(cfg->key_dir, src, why, sizeof why) != 0) {
        fprintf(err, _("nser-kiosk keys: the registry's key was not installed: %s\n"), why);
        return EXIT_FAILED;
    }
    fprintf(out, _("Registry key installed: %s/central.pub\n"), cfg->key_dir);
    return EXIT_DONE;
}

int keys_command(int argc, char **argv, const struct config *cfg, FILE *out, FILE *err)
{
    if (argc < 2) {
        usage(err);
        return EXIT_USAGE;
    }
    const char *sub = argv[1];
    if (strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0 || strcmp(sub, "help") == 0) {
        usage(out);
        return EXIT_DONE;
    }
    if (strcmp(sub, "init") == 0 && argc == 2)
        return keys_init(cfg, out, err);
    if (strcmp(sub, "show") == 0 && argc == 2)
        return keys_show(cfg, out, err);
    if (strcmp(sub, "install-central") == 0 && argc == 3 && argv[2][0] != '-')
        return keys_install(cfg, argv[2], out, err);
    usage(err);
    return EXIT_USAGE;
}

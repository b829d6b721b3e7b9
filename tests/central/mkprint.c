/*
 * mkprint.c - test helper for tests/central/test_fingerprint_sync.sh: gives
 * an existing registration of a kiosk database a head's fingerprint through
 * the kiosk's own APIs (a draft's print sealed with the vault, attached to
 * the registration as registry_confirm's in_tx does), or an exception.
 *
 *   mkprint --db PATH --keys DIR --registration ID --out PREFIX
 *       a print of random bytes and a synthetic 64x64 ISO/IEC 19794-4 image:
 *       PREFIX.print, PREFIX.image and PREFIX.sealed get the clear print,
 *       the clear image record and the sealed bytes, for the test to look for
 *   mkprint --db PATH --registration ID --exception REASON --clerk NAME
 *
 * Test-only: writes clear prints to files on purpose. Never built into the
 * kiosk. Exit 0, or 1 with a reason on stderr.
 */
#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db/biometrics.h"
#include "db/db.h"
#include "db/drafts.h"
#include "kiosk/biometric_vault.h"
#include "kiosk/finger_image.h"

static int die(const char *what, const char *why)
{
    fprintf(stderr, "mkprint: %s: %s\n", what, why);
    return 1;
}

static int write_file(const char *prefix, const char *ext, const uint8_t *b, size_t n)
{
    char path[1024];
    snprintf(path, sizeof path, "%s.%s", prefix, ext);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(b, 1, n, f) != n) {
        if (f)
            fclose(f);
        return -1;
    }
    return fclose(f);
}

int main(int argc, char **argv)
{
    const char *dbp = NULL, *keys = NULL, *out = NULL, *reason = NULL, *clerk = NULL;
    long long reg = 0;
    static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
                                         {"keys", required_argument, NULL, 'k'},
                                         {"registration", required_argument, NULL, 'r'},
                                         {"out", required_argument, NULL, 'o'},
                                         {"exception", required_argument, NULL, 'e'},
                                         {"clerk", required_argument, NULL, 'c'},
                                         {NULL, 0, NULL, 0}};
    int ch;
    while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (ch) {
        case 'd':
            dbp = optarg;
            break;
        case 'k':
            keys = optarg;
            break;
        case 'r':
            reg = strtoll(optarg, NULL, 10);
            break;
        case 'o':
            out = optarg;
            break;
        case 'e':
            reason = optarg;
            break;
        case 'c':
            clerk = optarg;
            break;
        default:
            return 2;
        }
    }
    if (!dbp || reg < 1 || (!reason && (!keys || !out)) || (reason && !clerk))
        return die("usage", "see the header of tests/central/mkprint.c");
    if (sodium_init() < 0)
        return die("libsodium", "cannot start");
    struct db *db = NULL;
    char detail[256];
    if (db_open(dbp, &db, detail, sizeof detail) != DB_OK)
        return die("opening the database", detail);
    int rc = 1;
    struct draft_info d;
    time_t now = time(NULL);
    if (drafts_create(db, "3520299999991", "nser_household", "1", now, &d) != DB_OK) {
        rc = die("making a draft", db_last_error(db));
        goto out;
    }
    if (reason) {
        if (biometrics_put_draft_exception(db, d.id, reason, clerk, now) != DB_OK) {
            rc = die("recording the exception", db_last_error(db));
            goto out;
        }
    } else {
        char err[256];
        struct bio_vault *v = bio_vault_open(keys, 1, err, sizeof err);
        if (!v) {
            rc = die("opening the vault", err);
            goto out;
        }
        struct fp_capture *c = calloc(1, sizeof *c);
        uint8_t px[64 * 64];
        for (int y = 0; y < 64; y++)
            for (int x = 0; x < 64; x++)
                px[y * 64 + x] = (uint8_t)(128 + 100 * ((x + y / 3) % 9 < 4 ? 1 : -1));
        struct finger_image img = {64, 64, 500, FP_RIGHT_THUMB, px};
        c->print_len = 2048;
        c->print = malloc(c->print_len);
        randombytes_buf(c->print, c->print_len);
        snprintf(c->driver, sizeof c->driver, "%s", "virtual_image");
        c->finger = FP_RIGHT_THUMB;
        c->retries = 1;
        c->captured_at = now;
        uint8_t *sealed = NULL;
        size_t slen = 0;
        if (finger_image_encode(&img, &c->image, &c->image_len) != 0 ||
            bio_vault_seal(v, c, &sealed, &slen) != 0) {
            rc = die("sealing", "failed");
        } else {
            struct bio_info info;
            memset(&info, 0, sizeof info);
            snprintf(info.finger, sizeof info.finger, "%s", fp_finger_id(c->finger));
            snprintf(info.driver, sizeof info.driver, "%s", c->driver);
            info.captured_at = now;
            info.retries = c->retries;
            info.has_image = true;
            if (biometrics_put_draft(db, d.id, &info, sealed, slen) != DB_OK)
                rc = die("storing the print", db_last_error(db));
            else if (write_file(out, "print", c->print, c->print_len) != 0 ||
                     write_file(out, "image", c->image, c->image_len) != 0 ||
                     write_file(out, "sealed", sealed, slen) != 0)
                rc = die("writing", out);
            else
                rc = 0;
        }
        free(sealed);
        fp_capture_free(c);
        bio_vault_free(v);
        if (rc != 0)
            goto out;
        rc = 1;
    }
    if (biometrics_attach(db, d.id, reg) != DB_OK) {
        rc = die("attaching", db_last_error(db));
        goto out;
    }
    if (drafts_delete(db, d.id) != DB_OK) {
        rc = die("removing the draft", db_last_error(db));
        goto out;
    }
    rc = 0;
out:
    db_close(db);
    return rc;
}

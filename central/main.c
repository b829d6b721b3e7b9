/*
 * main.c - nser-central, the registry side of store-and-forward sync:
 * the command line (init, keys init, kiosk add, ingest).
 *
 * Exit codes: 0 done, 1 failed (the reason on stderr), 2 usage. Only this
 * file prints; the modules return results and reasons. Never prints a
 * CNIC or a name.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../kiosk/keystore.h"
#include "ingest.h"
#include "kiosks.h"
#include "pg.h"
#include "schema.h"

#define ERR_MAX 1024

static int usage(void)
{
    fputs("usage: nser-central init --db CONNINFO\n"
          "       nser-central keys init --dir DIR\n"
          "       nser-central kiosk add --db CONNINFO --key KIOSK.pub --district CODE"
          " [--replace]\n"
          "       nser-central ingest --db CONNINFO --keys DIR --in DIR --out DIR"
          " [--report FILE] [--data DIR]\n",
          stderr);
    return 2;
}

struct opts {
    const char *db, *dir, *key, *district, *keys, *in, *out, *report, *data;
    bool replace;
};

/* Parses "--name value" pairs from ARGV[FIRST..]; -1 on an unknown or
 * valueless option. */
static int parse_opts(int argc, char **argv, int first, struct opts *o)
{
    struct {
        const char *name;
        const char **dst;
    } known[] = {
        {"--db", &o->db},     {"--dir", &o->dir}, {"--key", &o->key}, {"--district", &o->district},
        {"--keys", &o->keys}, {"--in", &o->in},   {"--out", &o->out}, {"--report", &o->report},
        {"--data", &o->data}};
    for (int i = first; i < argc; i++) {
        if (strcmp(argv[i], "--replace") == 0) {
            o->replace = true;
            continue;
        }
        bool found = false;
        for (size_t k = 0; k < sizeof known / sizeof known[0]; k++) {
            if (strcmp(argv[i], known[k].name) == 0) {
                if (i + 1 >= argc || *known[k].dst)
                    return -1;
                *known[k].dst = argv[++i];
                found = true;
                break;
            }
        }
        if (!found)
            return -1;
    }
    return 0;
}

static PGconn *connect_checked(const char *conninfo, char *err)
{
    PGconn *c = pg_connect(conninfo, err, ERR_MAX);
    if (c && schema_check(c, err, ERR_MAX) != 0) {
        PQfinish(c);
        return NULL;
    }
    return c;
}

static int cmd_init(const struct opts *o)
{
    char err[ERR_MAX], msg[256];
    if (!o->db || o->dir || o->key || o->district || o->keys || o->in || o->out || o->report ||
        o->data || o->replace)
        return usage();
    PGconn *c = pg_connect(o->db, err, sizeof err);
    if (!c) {
        fprintf(stderr, "nser-central: %s\n", err);
        return 1;
    }
    int rc = schema_init(c, msg, sizeof msg, err, sizeof err);
    PQfinish(c);
    if (rc != 0) {
        fprintf(stderr, "nser-central: %s\n", err);
        return 1;
    }
    printf("%s\n", msg);
    return 0;
}

static int cmd_keys_init(const struct opts *o)
{
    char err[ERR_MAX];
    if (!o->dir || o->db || o->key || o->district || o->keys || o->in || o->out || o->report ||
        o->data || o->replace)
        return usage();
    if (keys_crypto_init() != 0) {
        fprintf(stderr, "nser-central: libsodium could not start\n");
        return 1;
    }
    if (keystore_create(o->dir, "central", "central", err, sizeof err) != 0) {
        fprintf(stderr, "nser-central: %s\n", err);
        return 1;
    }
    struct keystore *k = keystore_load(o->dir, "central", err, sizeof err);
    if (!k) {
        fprintf(stderr, "nser-central: %s\n", err);
        return 1;
    }
    char text[1024];
    int rc = public_key_format(keystore_public(k), text, sizeof text);
    keystore_free(k);
    if (rc != 0) {
        fprintf(stderr, "nser-central: the public key could not be formatted\n");
        return 1;
    }
    fputs(text, stdout);
    printf("# written to %s/central.pub: give this file to every kiosk"
           " (nser-kiosk keys install-central)\n",
           o->dir);
    return 0;
}

static int cmd_kiosk_add(const struct opts *o)
{
    char err[ERR_MAX];
    if (!o->db || !o->key || !o->district || o->dir || o->keys || o->in || o->out || o->report ||
        o->data)
        return usage();
    struct public_key pk;
    if (public_key_load(o->key, &pk, err, sizeof err) != 0) {
        fprintf(stderr, "nser-central: %s: %s\n", o->key, err);
        return 1;
    }
    PGconn *c = connect_checked(o->db, err);
    if (!c) {
        fprintf(stderr, "nser-central: %s\n", err);
        return 1;
    }
    enum kiosk_add_result r = kiosk_add(c, &pk, o->district, o->replace, err, sizeof err);
    PQfinish(c);
    switch (r) {
    case KIOSK_ADDED:
        printf("kiosk %s added (district %s)\n", pk.id, o->district);
        return 0;
    case KIOSK_UNCHANGED:
        printf("kiosk %s already registered with this key (district %s): nothing to do\n", pk.id,
               o->district);
        return 0;
    case KIOSK_REPLACED:
        printf("kiosk %s: key replaced (district %s)\n", pk.id, o->district);
        return 0;
    case KIOSK_ADD_FAILED:
        break;
    }
    fprintf(stderr, "nser-central: %s\n", err);
    return 1;
}

static int cmd_ingest(const struct opts *o)
{
    char err[ERR_MAX];
    if (!o->db || !o->keys || !o->in || !o->out || o->dir || o->key || o->district || o->replace)
        return usage();
    if (keys_crypto_init() != 0) {
        fprintf(stderr, "nser-central: libsodium could not start\n");
        return 1;
    }
    PGconn *c = connect_checked(o->db, err);
    if (!c) {
        fprintf(stderr, "nser-central: %s\n", err);
        return 1;
    }
    FILE *report = NULL;
    if (o->report) {
        report = fopen(o->report, "w");
        if (!report) {
            fprintf(stderr, "nser-central: cannot write the report %s\n", o->report);
            PQfinish(c);
            return 1;
        }
    }
    struct ingest_options io = {.keys_dir = o->keys,
                                .in_dir = o->in,
                                .out_dir = o->out,
                                .data_dir = o->data,
                                .report = report};
    int rc = ingest_run(c, &io, err, sizeof err);
    PQfinish(c);
    if (report && fclose(report) != 0 && rc == 0) {
        snprintf(err, sizeof err, "the report %s could not be written", o->report);
        rc = -1;
    }
    if (rc < 0) {
        fprintf(stderr, "nser-central: %s\n", err);
        return 1;
    }
    return rc > 0 ? 1 : 0;
}

int main(int argc, char **argv)
{
    struct opts o;
    memset(&o, 0, sizeof o);
    if (argc >= 2 && strcmp(argv[1], "init") == 0) {
        if (parse_opts(argc, argv, 2, &o) != 0)
            return usage();
        return cmd_init(&o);
    }
    if (argc >= 3 && strcmp(argv[1], "keys") == 0 && strcmp(argv[2], "init") == 0) {
        if (parse_opts(argc, argv, 3, &o) != 0)
            return usage();
        return cmd_keys_init(&o);
    }
    if (argc >= 3 && strcmp(argv[1], "kiosk") == 0 && strcmp(argv[2], "add") == 0) {
        if (parse_opts(argc, argv, 3, &o) != 0)
            return usage();
        return cmd_kiosk_add(&o);
    }
    if (argc >= 2 && strcmp(argv[1], "ingest") == 0) {
        if (parse_opts(argc, argv, 2, &o) != 0)
            return usage();
        return cmd_ingest(&o);
    }
    return usage();
}

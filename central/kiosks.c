/*
 * kiosks.c - the kiosks table: registering a kiosk's public key and
 * finding it again for a batch's sender.
 *
 * Keys travel as bytea in hex form ("\x..."), bound as parameters. Must
 * never replace a kiosk's keys without the explicit replace flag: whoever
 * holds the key file of a code speaks for that kiosk.
 */
#include "kiosks.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../kiosk/tracking.h"
#include "pg.h"

bool district_valid(const char *s)
{
    size_t n = strlen(s);
    if (n < 1 || n > DISTRICT_MAX - 1)
        return false;
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        bool ok = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
                  (i > 0 && (ch == '_' || ch == '-'));
        if (!ok)
            return false;
    }
    return true;
}

static void to_hex(const uint8_t *b, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    out[0] = '\\';
    out[1] = 'x';
    for (size_t i = 0; i < n; i++) {
        out[2 + 2 * i] = digits[b[i] >> 4];
        out[3 + 2 * i] = digits[b[i] & 15];
    }
    out[2 + 2 * n] = '\0';
}

static int hex_val(char ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F')
        return ch - 'A' + 10;
    return -1;
}

/* "\x" + 2N hex digits into N bytes; -1 when it is anything else. */
static int from_hex(const char *s, uint8_t *out, size_t n)
{
    if (strlen(s) != 2 + 2 * n || s[0] != '\\' || s[1] != 'x')
        return -1;
    for (size_t i = 0; i < n; i++) {
        int hi = hex_val(s[2 + 2 * i]), lo = hex_val(s[3 + 2 * i]);
        if (hi < 0 || lo < 0)
            return -1;
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    return 0;
}

enum kiosk_add_result kiosk_add(PGconn *c, const struct public_key *pk, const char *district,
                                bool replace, char *err, size_t errsz)
{
    if (strcmp(pk->role, "kiosk") != 0) {
        snprintf(err, errsz, "the key file is a %s key, not a kiosk's", pk->role);
        return KIOSK_ADD_FAILED;
    }
    if (!tracking_kiosk_code_valid(pk->id)) {
        snprintf(err, errsz, "the key's id \"%s\" is not a kiosk code (5 digits)", pk->id);
        return KIOSK_ADD_FAILED;
    }
    if (!district_valid(district)) {
        snprintf(err, errsz, "district \"%s\" is not a district code (1-32 of a-z, 0-9, _ and -)",
                 district);
        return KIOSK_ADD_FAILED;
    }
    char sign[2 + 2 * KEY_SIGN_PK + 1], box[2 + 2 * KEY_BOX_PK + 1];
    to_hex(pk->sign, KEY_SIGN_PK, sign);
    to_hex(pk->box, KEY_BOX_PK, box);
    if (pg_exec(c, "starting the transaction", "BEGIN", 0, NULL, err, errsz) != 0)
        return KIOSK_ADD_FAILED;
    enum kiosk_add_result res = KIOSK_ADD_FAILED;
    PGresult *r = pg_query(c, "looking up the kiosk",
                           "SELECT sign_pk = $2::bytea AND box_pk = $3::bytea, district = $4"
                           " FROM kiosks WHERE code = $1 FOR UPDATE",
                           4, (const char *const[]){pk->id, sign, box, district}, err, errsz);
    if (!r)
        goto out;
    if (PQntuples(r) == 0) {
        PQclear(r);
        if (pg_exec(c, "adding the kiosk",
                    "INSERT INTO kiosks (code, district, sign_pk, box_pk)"
                    " VALUES ($1, $2, $3::bytea, $4::bytea)",
                    4, (const char *const[]){pk->id, district, sign, box}, err, errsz) == 0)
            res = KIOSK_ADDED;
        goto out;
    }
    bool same_key = strcmp(PQgetvalue(r, 0, 0), "t") == 0;
    bool same_district = strcmp(PQgetvalue(r, 0, 1), "t") == 0;
    PQclear(r);
    if (same_key && same_district) {
        res = KIOSK_UNCHANGED;
        goto out;
    }
    if (!replace) {
        snprintf(err, errsz,
                 same_key ? "kiosk %s is registered in another district (--replace moves it)"
                          : "kiosk %s is registered with a different key (--replace replaces it)",
                 pk->id);
        goto out;
    }
    if (pg_exec(c, "replacing the kiosk's key",
                "UPDATE kiosks SET district = $2, sign_pk = $3::bytea, box_pk = $4::bytea,"
                " replaced = now() WHERE code = $1",
                4, (const char *const[]){pk->id, district, sign, box}, err, errsz) == 0)
        res = KIOSK_REPLACED;
out:
    if (res != KIOSK_ADD_FAILED &&
        pg_exec(c, "committing the kiosk", "COMMIT", 0, NULL, err, errsz) != 0)
        res = KIOSK_ADD_FAILED;
    if (res == KIOSK_ADD_FAILED)
        PQclear(PQexec(c, "ROLLBACK"));
    return res;
}

int kiosk_find(PGconn *c, const char *code, struct central_kiosk *out, char *err, size_t errsz)
{
    const char *p[1] = {code};
    PGresult *r = pg_query(c, "looking up the kiosk",
                           "SELECT code, district, sign_pk, box_pk, last_batch, last_ack"
                           " FROM kiosks WHERE code = $1",
                           1, p, err, errsz);
    if (!r)
        return -1;
    if (PQntuples(r) == 0) {
        PQclear(r);
        return 0;
    }
    memset(out, 0, sizeof *out);
    int rc = 1;
    if (strlen(PQgetvalue(r, 0, 0)) > KEY_ID_MAX || strlen(PQgetvalue(r, 0, 1)) >= DISTRICT_MAX ||
        from_hex(PQgetvalue(r, 0, 2), out->pk.sign, KEY_SIGN_PK) != 0 ||
        from_hex(PQgetvalue(r, 0, 3), out->pk.box, KEY_BOX_PK) != 0) {
        snprintf(err, errsz, "kiosk %s has a malformed row in the kiosks table", code);
        rc = -1;
    } else {
        snprintf(out->code, sizeof out->code, "%s", PQgetvalue(r, 0, 0));
        snprintf(out->district, sizeof out->district, "%s", PQgetvalue(r, 0, 1));
        snprintf(out->pk.role, sizeof out->pk.role, "kiosk");
        snprintf(out->pk.id, sizeof out->pk.id, "%s", out->code);
        out->last_batch = strtoll(PQgetvalue(r, 0, 4), NULL, 10);
        out->last_ack = strtoll(PQgetvalue(r, 0, 5), NULL, 10);
    }
    PQclear(r);
    return rc;
}

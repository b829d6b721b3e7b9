/*
 * keystore.c - making, storing and loading a party's keys (libsodium), and
 * the public key files the kiosk and the registry exchange.
 *
 * Nothing here is hand-written crypto: key pairs come from libsodium, and
 * the public halves are derived from the secret ones on load so a key
 * file cannot pair a secret key with someone else's public key. Parsers
 * are strict (known keys only, each once, canonical base64 of the exact
 * length) because a key file arrives on a USB stick from outside. Must
 * never print, log or copy secret key bytes anywhere but the caller's
 * struct, and always wipes them (and the file text holding them) after use.
 */
#include "keystore.h"
#include "errbuf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "atomic_file.h"

#define SECRET_MAGIC "nser-secret-key 1"
#define PUBLIC_MAGIC "nser-public-key 1"
#define KEY_FILE_MAX 4096 /* a key file is a few hundred bytes */
#define LINE_MAX_LEN 256

struct keystore {
    struct public_key pub;
    uint8_t sign_sk[KEY_SIGN_SK];
    uint8_t box_sk[KEY_BOX_SK];
};

int keys_crypto_init(void)
{
    return sodium_init() < 0 ? -1 : 0;
}

static int valid_role(const char *role)
{
    return role && (strcmp(role, "kiosk") == 0 || strcmp(role, "central") == 0);
}

/* 1 to KEY_ID_MAX visible ASCII characters: it goes into an 8-byte,
 * NUL-padded envelope field and into file names. */
static int valid_id(const char *id, size_t len)
{
    if (len < 1 || len > KEY_ID_MAX)
        return 0;
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)id[i] < 0x21 || (unsigned char)id[i] > 0x7e)
            return 0;
    return 1;
}

/* Exactly the canonical ORIGINAL-variant base64 of N bytes: decoding and
 * re-encoding must give back the same text, so one key has one spelling. */
static int b64_decode(const char *v, size_t vlen, uint8_t *out, size_t n)
{
    char again[128];
    size_t want = sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_ORIGINAL) - 1;
    size_t got = 0;
    const char *end = NULL;

    if (vlen != want || want >= sizeof again)
        return -1;
    if (sodium_base642bin(out, n, v, vlen, NULL, &got, &end, sodium_base64_VARIANT_ORIGINAL) != 0 ||
        got != n || end != v + vlen)
        return -1;
    sodium_bin2base64(again, sizeof again, out, n, sodium_base64_VARIANT_ORIGINAL);
    int same = memcmp(again, v, vlen) == 0;
    sodium_memzero(again, sizeof again);
    return same ? 0 : -1;
}

/*
 * Splits TEXT into lines for the two key file parsers. Calls back with each
 * line (without its "\n", and without a "\r" before it: files cross
 * Windows machines on USB sticks). Refuses NUL bytes and overlong lines.
 */
struct line {
    const char *p;
    size_t len;
    int no;
};

static int next_line(const char *text, size_t len, size_t *pos, struct line *l)
{
    if (*pos >= len)
        return 0;
    size_t start = *pos, i = start;
    while (i < len && text[i] != '\n')
        i++;
    l->p = text + start;
    l->len = i - start;
    l->no++;
    *pos = i < len ? i + 1 : i;
    if (l->len > 0 && l->p[l->len - 1] == '\r')
        l->len--;
    return 1;
}

/* Reads line 1 and checks it is MAGIC. */
static int first_line_is(const char *text, size_t len, size_t *pos, struct line *l,
                         const char *magic)
{
    return next_line(text, len, pos, l) && l->len == strlen(magic) &&
           memcmp(l->p, magic, l->len) == 0;
}

/* True when nothing but line ends follows POS: a blank line may only end
 * the file. */
static bool only_line_ends_after(const char *text, size_t len, size_t pos)
{
    while (pos < len && (text[pos] == '\n' || text[pos] == '\r'))
        pos++;
    return pos == len;
}

/* "key value": KEY is the part before the single space. */
static int split_kv(const struct line *l, const char **key, size_t *klen, const char **val,
                    size_t *vlen)
{
    const char *sp = memchr(l->p, ' ', l->len);
    if (!sp || sp == l->p)
        return -1;
    *key = l->p;
    *klen = (size_t)(sp - l->p);
    *val = sp + 1;
    *vlen = l->len - *klen - 1;
    return *vlen > 0 ? 0 : -1;
}

static int key_is(const char *key, size_t klen, const char *name)
{
    return klen == strlen(name) && memcmp(key, name, klen) == 0;
}

int public_key_parse(const char *text, size_t len, struct public_key *out, char *err, size_t errsz)
{
    struct public_key pk;
    struct line l = {NULL, 0, 0};
    size_t pos = 0;
    int seen_role = 0, seen_id = 0, seen_sign = 0, seen_box = 0;

    memset(&pk, 0, sizeof pk);
    if (!text || len == 0)
        return err_set(err, errsz, "line 1: empty public key file");
    if (len > KEY_FILE_MAX)
        return err_set(err, errsz, "line 1: not a public key file (too long)");
    if (memchr(text, '\0', len))
        return err_set(err, errsz, "line 1: the file holds a NUL byte");
    if (!first_line_is(text, len, &pos, &l, PUBLIC_MAGIC))
        return err_set(err, errsz, "line 1: not a public key file (want \"%s\")", PUBLIC_MAGIC);
    while (next_line(text, len, &pos, &l)) {
        const char *key, *val;
        size_t klen, vlen;

        if (l.len == 0) {
            if (only_line_ends_after(text, len, pos))
                break;
            return err_set(err, errsz, "line %d: blank line", l.no);
        }
        if (l.len > LINE_MAX_LEN)
            return err_set(err, errsz, "line %d: line too long", l.no);
        if (split_kv(&l, &key, &klen, &val, &vlen) != 0)
            return err_set(err, errsz, "line %d: want \"key value\"", l.no);
        if (key_is(key, klen, "role")) {
            if (seen_role++)
                return err_set(err, errsz, "line %d: role given twice", l.no);
            if (key_is(val, vlen, "kiosk"))
                strcpy(pk.role, "kiosk");
            else if (key_is(val, vlen, "central"))
                strcpy(pk.role, "central");
            else
                return err_set(err, errsz, "line %d: role must be kiosk or central", l.no);
        } else if (key_is(key, klen, "id")) {
            if (seen_id++)
                return err_set(err, errsz, "line %d: id given twice", l.no);
            if (!valid_id(val, vlen))
                return err_set(err, errsz, "line %d: id must be 1 to %d visible ASCII characters",
                               l.no, KEY_ID_MAX);
            memcpy(pk.id, val, vlen);
            pk.id[vlen] = '\0';
        } else if (key_is(key, klen, "sign")) {
            if (seen_sign++)
                return err_set(err, errsz, "line %d: sign given twice", l.no);
            if (b64_decode(val, vlen, pk.sign, sizeof pk.sign) != 0)
                return err_set(err, errsz, "line %d: sign must be base64 of %d bytes", l.no,
                               KEY_SIGN_PK);
        } else if (key_is(key, klen, "box")) {
            if (seen_box++)
                return err_set(err, errsz, "line %d: box given twice", l.no);
            if (b64_decode(val, vlen, pk.box, sizeof pk.box) != 0)
                return err_set(err, errsz, "line %d: box must be base64 of %d bytes", l.no,
                               KEY_BOX_PK);
        } else {
            return err_set(err, errsz, "line %d: unknown key", l.no);
        }
    }
    if (!seen_role || !seen_id || !seen_sign || !seen_box)
        return err_set(err, errsz, "line %d: missing %s", l.no + 1,
                       !seen_role   ? "role"
                       : !seen_id   ? "id"
                       : !seen_sign ? "sign"
                                    : "box");
    *out = pk;
    return 0;
}

int public_key_format(const struct public_key *pk, char *out, size_t outsz)
{
    char sign[sodium_base64_ENCODED_LEN(KEY_SIGN_PK, sodium_base64_VARIANT_ORIGINAL)];
    char box[sodium_base64_ENCODED_LEN(KEY_BOX_PK, sodium_base64_VARIANT_ORIGINAL)];

    if (!pk || !out || !valid_role(pk->role) || !valid_id(pk->id, strnlen(pk->id, sizeof pk->id)) ||
        pk->id[KEY_ID_MAX] != '\0')
        return -1;
    sodium_bin2base64(sign, sizeof sign, pk->sign, KEY_SIGN_PK, sodium_base64_VARIANT_ORIGINAL);
    sodium_bin2base64(box, sizeof box, pk->box, KEY_BOX_PK, sodium_base64_VARIANT_ORIGINAL);
    int n = snprintf(out, outsz, "%s\nrole %s\nid %s\nsign %s\nbox %s\n", PUBLIC_MAGIC, pk->role,
                     pk->id, sign, box);
    return n < 0 || (size_t)n >= outsz ? -1 : 0;
}

int public_key_load(const char *path, struct public_key *out, char *err, size_t errsz)
{
    uint8_t *buf;
    size_t len;
    char why[160];

    if (read_whole_file(path, KEY_FILE_MAX, &buf, &len, err, errsz) != 0)
        return -1;
    int rc = public_key_parse((const char *)buf, len, out, why, sizeof why);
    free(buf);
    if (rc != 0)
        return err_set(err, errsz, "%s %s", path, why);
    return 0;
}

/* Fills the public half from the secret keys: the file stores only secrets. */
static int derive_public(struct keystore *k)
{
    if (crypto_sign_ed25519_sk_to_pk(k->pub.sign, k->sign_sk) != 0)
        return -1;
    return crypto_scalarmult_base(k->pub.box, k->box_sk);
}

static int secret_text(const struct keystore *k, char *out, size_t outsz)
{
    char sign[sodium_base64_ENCODED_LEN(KEY_SIGN_SK, sodium_base64_VARIANT_ORIGINAL)];
    char box[sodium_base64_ENCODED_LEN(KEY_BOX_SK, sodium_base64_VARIANT_ORIGINAL)];

    sodium_bin2base64(sign, sizeof sign, k->sign_sk, KEY_SIGN_SK, sodium_base64_VARIANT_ORIGINAL);
    sodium_bin2base64(box, sizeof box, k->box_sk, KEY_BOX_SK, sodium_base64_VARIANT_ORIGINAL);
    int n =
        snprintf(out, outsz, "%s\nid %s\nsign %s\nbox %s\n", SECRET_MAGIC, k->pub.id, sign, box);
    sodium_memzero(sign, sizeof sign);
    sodium_memzero(box, sizeof box);
    return n < 0 || (size_t)n >= outsz ? -1 : n;
}

int keystore_create(const char *dir, const char *role, const char *id, char *err, size_t errsz)
{
    char path[4096], name[32], text[512], pubtext[512];
    struct keystore *k;

    if (keys_crypto_init() != 0)
        return err_set(err, errsz, "the crypto library cannot start");
    if (!dir || !*dir)
        return err_set(err, errsz, "no key folder given");
    if (!valid_role(role))
        return err_set(err, errsz, "role must be kiosk or central");
    if (!id || !valid_id(id, strlen(id)))
        return err_set(err, errsz, "id must be 1 to %d visible ASCII characters", KEY_ID_MAX);
    if (make_dirs(dir, 0700) != 0)
        return err_set(err, errsz, "cannot make key folder %s: %s", dir, strerror(errno));
    int n = snprintf(path, sizeof path, "%s/%s.secret", dir, role);
    if (n < 0 || (size_t)n >= sizeof path)
        return err_set(err, errsz, "key folder name too long");

    k = calloc(1, sizeof *k);
    if (!k)
        return err_set(err, errsz, "out of memory");
    strcpy(k->pub.role, role);
    strcpy(k->pub.id, id);
    crypto_sign_keypair(k->pub.sign, k->sign_sk);
    crypto_box_keypair(k->pub.box, k->box_sk);
    int tlen = secret_text(k, text, sizeof text);
    int rc = -1;
    if (tlen < 0 || public_key_format(&k->pub, pubtext, sizeof pubtext) != 0) {
        err_set(err, errsz, "cannot format keys");
        goto out;
    }
    /* O_EXCL: an existing identity is never overwritten, even by a race. */
    int fd = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) {
        if (errno == EEXIST)
            err_set(err, errsz,
                    "%s already exists: this %s already has keys (remove it by hand only if "
                    "you mean to replace its identity)",
                    path, role);
        else
            err_set(err, errsz, "cannot create %s: %s", path, strerror(errno));
        goto out;
    }
    if (fchmod(fd, 0600) != 0 || write_all(fd, text, (size_t)tlen) != 0 || fsync(fd) != 0) {
        int e = errno;
        close(fd);
        unlink(path);
        err_set(err, errsz, "cannot write %s: %s", path, strerror(e));
        goto out;
    }
    if (close(fd) != 0) {
        int e = errno;
        unlink(path);
        err_set(err, errsz, "cannot write %s: %s", path, strerror(e));
        goto out;
    }
    snprintf(name, sizeof name, "%s.pub", role);
    if (atomic_write(dir, name, pubtext, strlen(pubtext), 0644, err, errsz) != 0) {
        /* Without its public file the new identity is of no use to anyone:
         * undo it so the next keys init starts clean. */
        unlink(path);
        goto out;
    }
    if (fsync_dir(dir) != 0) {
        err_set(err, errsz, "cannot flush key folder %s: %s", dir, strerror(errno));
        goto out;
    }
    rc = 0;
out:
    sodium_memzero(text, sizeof text);
    keystore_free(k);
    return rc;
}

static int parse_secret(const char *text, size_t len, struct keystore *k, char *err, size_t errsz)
{
    struct line l = {NULL, 0, 0};
    size_t pos = 0;
    int seen_id = 0, seen_sign = 0, seen_box = 0, sign_line = 0;

    if (memchr(text, '\0', len))
        return err_set(err, errsz, "line 1: the file holds a NUL byte");
    if (!first_line_is(text, len, &pos, &l, SECRET_MAGIC))
        return err_set(err, errsz, "line 1: not a secret key file (want \"%s\")", SECRET_MAGIC);
    while (next_line(text, len, &pos, &l)) {
        const char *key, *val;
        size_t klen, vlen;

        if (l.len == 0) {
            if (only_line_ends_after(text, len, pos))
                break;
            return err_set(err, errsz, "line %d: blank line", l.no);
        }
        if (l.len > LINE_MAX_LEN || split_kv(&l, &key, &klen, &val, &vlen) != 0)
            return err_set(err, errsz, "line %d: want \"key value\"", l.no);
        if (key_is(key, klen, "id")) {
            if (seen_id++ || !valid_id(val, vlen))
                return err_set(err, errsz, "line %d: bad or repeated id", l.no);
            memcpy(k->pub.id, val, vlen);
            k->pub.id[vlen] = '\0';
        } else if (key_is(key, klen, "sign")) {
            if (seen_sign++ || b64_decode(val, vlen, k->sign_sk, KEY_SIGN_SK) != 0)
                return err_set(err, errsz, "line %d: sign must be base64 of %d bytes, once", l.no,
                               KEY_SIGN_SK);
            sign_line = l.no;
        } else if (key_is(key, klen, "box")) {
            if (seen_box++ || b64_decode(val, vlen, k->box_sk, KEY_BOX_SK) != 0)
                return err_set(err, errsz, "line %d: box must be base64 of %d bytes, once", l.no,
                               KEY_BOX_SK);
        } else {
            return err_set(err, errsz, "line %d: unknown key", l.no);
        }
    }
    if (!seen_id || !seen_sign || !seen_box)
        return err_set(err, errsz, "line %d: missing %s", l.no + 1,
                       !seen_id     ? "id"
                       : !seen_sign ? "sign"
                                    : "box");
    /* An Ed25519 secret key carries its public half: it must match the seed,
     * or the file was damaged or pieced together. */
    uint8_t pk[KEY_SIGN_PK], sk[KEY_SIGN_SK];
    crypto_sign_seed_keypair(pk, sk, k->sign_sk);
    int same = sodium_memcmp(sk, k->sign_sk, KEY_SIGN_SK) == 0;
    sodium_memzero(sk, sizeof sk);
    if (!same)
        return err_set(err, errsz, "line %d: sign key is damaged", sign_line);
    return 0;
}

struct keystore *keystore_load(const char *dir, const char *role, char *err, size_t errsz)
{
    char path[4096], text[KEY_FILE_MAX + 1], why[160];
    struct stat st;

    if (keys_crypto_init() != 0) {
        err_set(err, errsz, "the crypto library cannot start");
        return NULL;
    }
    if (!dir || !*dir || !valid_role(role)) {
        err_set(err, errsz, "no key folder or role given");
        return NULL;
    }
    int n = snprintf(path, sizeof path, "%s/%s.secret", dir, role);
    if (n < 0 || (size_t)n >= sizeof path) {
        err_set(err, errsz, "key folder name too long");
        return NULL;
    }
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) {
        if (errno == ENOENT)
            err_set(err, errsz, "no keys in %s: run keys init", dir);
        else
            err_set(err, errsz, "cannot open %s: %s", path, strerror(errno));
        return NULL;
    }
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        err_set(err, errsz, "%s is not a regular file", path);
        return NULL;
    }
    if (st.st_mode & 077) {
        close(fd);
        err_set(err, errsz, "%s can be read by other users: chmod 600 %s", path, path);
        return NULL;
    }
    size_t len = 0;
    for (;;) {
        ssize_t r = read(fd, text + len, sizeof text - len);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            int e = errno;
            close(fd);
            sodium_memzero(text, sizeof text);
            err_set(err, errsz, "cannot read %s: %s", path, strerror(e));
            return NULL;
        }
        if (r == 0)
            break;
        len += (size_t)r;
        if (len == sizeof text)
            break;
    }
    close(fd);
    if (len > KEY_FILE_MAX) {
        sodium_memzero(text, sizeof text);
        err_set(err, errsz, "%s is too large for a key file", path);
        return NULL;
    }
    struct keystore *k = calloc(1, sizeof *k);
    if (!k) {
        sodium_memzero(text, sizeof text);
        err_set(err, errsz, "out of memory");
        return NULL;
    }
    strcpy(k->pub.role, role);
    int rc = parse_secret(text, len, k, why, sizeof why);
    sodium_memzero(text, sizeof text);
    if (rc != 0 || derive_public(k) != 0) {
        err_set(err, errsz, "%s %s", path, rc != 0 ? why : "holds an unusable key");
        keystore_free(k);
        return NULL;
    }
    return k;
}

void keystore_free(struct keystore *k)
{
    if (!k)
        return;
    sodium_memzero(k, sizeof *k);
    free(k);
}

const struct public_key *keystore_public(const struct keystore *k)
{
    return &k->pub;
}

const uint8_t *keystore_sign_sk(const struct keystore *k)
{
    return k->sign_sk;
}

const uint8_t *keystore_box_sk(const struct keystore *k)
{
    return k->box_sk;
}

int keystore_install_central(const char *dir, const char *src, char *err, size_t errsz)
{
    struct public_key pk;
    char text[512];

    if (keys_crypto_init() != 0)
        return err_set(err, errsz, "the crypto library cannot start");
    if (public_key_load(src, &pk, err, errsz) != 0)
        return -1;
    if (strcmp(pk.role, "central") != 0)
        return err_set(err, errsz, "%s is a %s key, not the registry's (role central)", src,
                       pk.role);
    if (public_key_format(&pk, text, sizeof text) != 0)
        return err_set(err, errsz, "cannot format the registry's key");
    if (make_dirs(dir, 0700) != 0)
        return err_set(err, errsz, "cannot make key folder %s: %s", dir, strerror(errno));
    return atomic_write(dir, "central.pub", text, strlen(text), 0644, err, errsz);
}

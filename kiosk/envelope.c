/*
 * envelope.c - sealing and opening sync files (layout in envelope.h and
 * docs/sync.md), with libsodium's sealed boxes and Ed25519 signatures.
 *
 * Order matters: the clear header and the total length are checked before
 * any crypto (a cut-short or grown file costs nothing to refuse), the
 * signature is verified before decryption (nothing unauthenticated is
 * decrypted), and no byte outside BUF[0 .. LEN) is ever read. The payload's
 * own copy of sender and sequence is checked by the callers that parse the
 * JSON (kiosk/sync.c, central/), not here. Must never print, log, or keep
 * a copy of a payload or a key.
 */
#include "envelope.h"
#include "bytes.h"

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "i18n.h"

#define OFF_KIND      8
#define OFF_SENDER    9
#define OFF_RECIPIENT 17
#define OFF_SEQUENCE  25
#define OFF_CREATED   33
#define OFF_LEN       41
#define ID_FIELD      8
#define MIN_CIPHER    crypto_box_SEALBYTES
#define MAX_CIPHER    (ENVELOPE_MAX_PAYLOAD + crypto_box_SEALBYTES)

const char *envelope_error_text(enum envelope_error e)
{
    switch (e) {
    case ENVELOPE_OK:
        return N_("ok");
    case ENVELOPE_TRUNCATED:
        return N_("the file is cut short or has bytes added (a copy still in progress?)");
    case ENVELOPE_NOT_SYNC:
        return N_("not a sync file");
    case ENVELOPE_BAD_HEADER:
        return N_("the sync file's header is damaged");
    case ENVELOPE_BAD_SIGNATURE:
        return N_("the signature does not match: changed in transit, or not from that sender");
    case ENVELOPE_NOT_FOR_US:
        return N_("the file is not addressed to this key");
    case ENVELOPE_NO_MEMORY:
        return N_("out of memory");
    }
    return N_("unknown sync file error");
}

/* An id as kept in a struct: 1..8 visible ASCII characters. */
static int id_ok(const char *id)
{
    size_t n = strnlen(id, KEY_ID_MAX + 1);
    if (n < 1 || n > KEY_ID_MAX)
        return 0;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)id[i] < 0x21 || (unsigned char)id[i] > 0x7e)
            return 0;
    return 1;
}

/* An id field of the header: 1..8 visible ASCII characters, then only NULs. */
static int read_id(const uint8_t *p, char out[KEY_ID_MAX + 1])
{
    size_t n = 0;
    while (n < ID_FIELD && p[n] != 0) {
        if (p[n] < 0x21 || p[n] > 0x7e)
            return -1;
        n++;
    }
    if (n == 0)
        return -1;
    for (size_t i = n; i < ID_FIELD; i++)
        if (p[i] != 0)
            return -1;
    memcpy(out, p, n);
    out[n] = '\0';
    return 0;
}

enum envelope_error envelope_peek(const uint8_t *buf, size_t len, struct envelope_header *h)
{
    struct envelope_header t;
    size_t magic_len = strlen(ENVELOPE_MAGIC);

    memset(&t, 0, sizeof t);
    if (h)
        *h = t;
    if (!buf)
        return ENVELOPE_TRUNCATED;
    /* A prefix of the magic is a sync file cut short; anything else is not
     * a sync file at all. */
    if (memcmp(buf, ENVELOPE_MAGIC, len < magic_len ? len : magic_len) != 0)
        return ENVELOPE_NOT_SYNC;
    if (len < ENVELOPE_HEADER)
        return ENVELOPE_TRUNCATED;
    t.kind = (char)buf[OFF_KIND];
    if (t.kind != ENVELOPE_BATCH && t.kind != ENVELOPE_ACK)
        return ENVELOPE_BAD_HEADER;
    if (read_id(buf + OFF_SENDER, t.sender) != 0 || read_id(buf + OFF_RECIPIENT, t.recipient) != 0)
        return ENVELOPE_BAD_HEADER;
    t.sequence = be_get(buf + OFF_SEQUENCE, 8);
    t.created = (int64_t)be_get(buf + OFF_CREATED, 8);
    uint64_t n = be_get(buf + OFF_LEN, 4);
    if (n < MIN_CIPHER || n > MAX_CIPHER)
        return ENVELOPE_BAD_HEADER;
    t.cipher_len = (uint32_t)n;
    if (h)
        *h = t;
    if ((uint64_t)len != ENVELOPE_HEADER + n + ENVELOPE_SIG)
        return ENVELOPE_TRUNCATED;
    return ENVELOPE_OK;
}

enum envelope_error envelope_seal(char kind, const struct keystore *sender,
                                  const struct public_key *recipient, uint64_t sequence,
                                  int64_t created, const uint8_t *payload, size_t len,
                                  uint8_t **out, size_t *outlen)
{
    *out = NULL;
    *outlen = 0;
    if (kind != ENVELOPE_BATCH && kind != ENVELOPE_ACK)
        return ENVELOPE_BAD_HEADER;
    if (!sender || !recipient || (!payload && len > 0) || len > ENVELOPE_MAX_PAYLOAD)
        return ENVELOPE_BAD_HEADER;
    const struct public_key *me = keystore_public(sender);
    if (!id_ok(me->id) || !id_ok(recipient->id))
        return ENVELOPE_BAD_HEADER;
    if (sodium_init() < 0)
        return ENVELOPE_NO_MEMORY;

    size_t n = len + crypto_box_SEALBYTES;
    size_t total = ENVELOPE_HEADER + n + ENVELOPE_SIG;
    uint8_t *buf = calloc(1, total);
    if (!buf)
        return ENVELOPE_NO_MEMORY;
    memcpy(buf, ENVELOPE_MAGIC, strlen(ENVELOPE_MAGIC));
    buf[OFF_KIND] = (uint8_t)kind;
    memcpy(buf + OFF_SENDER, me->id, strlen(me->id));
    memcpy(buf + OFF_RECIPIENT, recipient->id, strlen(recipient->id));
    be_put(buf + OFF_SEQUENCE, sequence, 8);
    be_put(buf + OFF_CREATED, (uint64_t)created, 8);
    be_put(buf + OFF_LEN, (uint64_t)n, 4);
    /* crypto_box_seal wants a non-NULL message pointer even for 0 bytes. */
    static const uint8_t empty[1];
    if (crypto_box_seal(buf + ENVELOPE_HEADER, payload ? payload : empty, len, recipient->box) !=
            0 ||
        crypto_sign_detached(buf + ENVELOPE_HEADER + n, NULL, buf, ENVELOPE_HEADER + n,
                             keystore_sign_sk(sender)) != 0) {
        free(buf);
        return ENVELOPE_NOT_FOR_US; /* the recipient's box key is not a usable point */
    }
    *out = buf;
    *outlen = total;
    return ENVELOPE_OK;
}

enum envelope_error envelope_open(const uint8_t *buf, size_t len, const struct public_key *sender,
                                  const struct keystore *recipient, struct envelope_header *h,
                                  uint8_t **payload, size_t *plen)
{
    struct envelope_header t;

    *payload = NULL;
    *plen = 0;
    enum envelope_error e = envelope_peek(buf, len, &t);
    if (h)
        *h = t;
    if (e != ENVELOPE_OK)
        return e;
    if (!sender || !recipient)
        return ENVELOPE_BAD_SIGNATURE;
    if (sodium_init() < 0)
        return ENVELOPE_NO_MEMORY;
    size_t signed_len = ENVELOPE_HEADER + (size_t)t.cipher_len;
    if (crypto_sign_verify_detached(buf + signed_len, buf, signed_len, sender->sign) != 0)
        return ENVELOPE_BAD_SIGNATURE;
    /* A good signature by a key filed under another id is still not "from
     * that sender": the header names who sent it. */
    if (strcmp(t.sender, sender->id) != 0)
        return ENVELOPE_BAD_SIGNATURE;
    const struct public_key *me = keystore_public(recipient);
    if (strcmp(t.recipient, me->id) != 0)
        return ENVELOPE_NOT_FOR_US;

    size_t mlen = (size_t)t.cipher_len - crypto_box_SEALBYTES;
    uint8_t *m = malloc(mlen + 1);
    if (!m)
        return ENVELOPE_NO_MEMORY;
    if (crypto_box_seal_open(m, buf + ENVELOPE_HEADER, t.cipher_len, me->box,
                             keystore_box_sk(recipient)) != 0) {
        free(m);
        return ENVELOPE_NOT_FOR_US;
    }
    m[mlen] = '\0';
    *payload = m;
    *plen = mlen;
    return ENVELOPE_OK;
}

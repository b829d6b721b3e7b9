/*
 * envelope.h - a sync file: a payload encrypted to its recipient and
 * signed by its sender, so a transport (a network share, rsync, a USB
 * stick) can neither read it nor change a byte of it unnoticed.
 *
 * Layout (all integers big-endian), documented in docs/sync.md:
 *
 *   0   8  magic "NSERSYN1"
 *   8   1  kind: 'B' a batch of records (kiosk -> registry),
 *              'A' acknowledgements and statuses (registry -> kiosk)
 *   9   8  sender id, ASCII, NUL-padded ("04217", "central")
 *  17   8  recipient id, likewise
 *  25   8  sequence: the batch number, or the acknowledgement number
 *  33   8  created, Unix seconds
 *  41   4  N, length of the ciphertext (at most ENVELOPE_MAX_PAYLOAD + 48)
 *  45   N  crypto_box_seal(payload, recipient's box public key)
 *  45+N 64 Ed25519 signature (crypto_sign_detached) of bytes 0 .. 45+N-1
 *
 * The file is exactly 45 + N + 64 bytes: a file cut short or grown is
 * refused before any crypto. The header is in clear so the recipient
 * knows whose key to verify with; it is covered by the signature, and the
 * payload repeats sender and sequence so a header cannot be swapped:
 * that copy is checked by the CALLERS that parse the payload JSON (the
 * kiosk's import, nser-central's ingest), not here. envelope_open also
 * refuses a header whose sender is not SENDER->id (BAD_SIGNATURE) or whose
 * recipient is not the recipient's own id (NOT_FOR_US).
 * Pure apart from libsodium: no files, no printing.
 */
#ifndef NSER_ENVELOPE_H
#define NSER_ENVELOPE_H

#include <stddef.h>
#include <stdint.h>

#include "keystore.h"

#define ENVELOPE_MAGIC       "NSERSYN1"
#define ENVELOPE_HEADER      45
#define ENVELOPE_SIG         64
#define ENVELOPE_MAX_PAYLOAD (256u * 1024 * 1024)

enum envelope_kind { ENVELOPE_BATCH = 'B', ENVELOPE_ACK = 'A' };

enum envelope_error {
    ENVELOPE_OK = 0,
    ENVELOPE_TRUNCATED,     /* shorter (or longer) than its header says */
    ENVELOPE_NOT_SYNC,      /* no magic: not a sync file at all */
    ENVELOPE_BAD_HEADER,    /* unknown kind, ids not ASCII, length too big */
    ENVELOPE_BAD_SIGNATURE, /* changed in transit, or not from that sender */
    ENVELOPE_NOT_FOR_US,    /* cannot be opened with our key */
    ENVELOPE_NO_MEMORY,
};

struct envelope_header {
    char kind;
    char sender[KEY_ID_MAX + 1];
    char recipient[KEY_ID_MAX + 1];
    uint64_t sequence;
    int64_t created;
    uint32_t cipher_len;
};

/* Untranslated message id for E. */
const char *envelope_error_text(enum envelope_error e);

/*
 * Seals PAYLOAD (LEN bytes) for RECIPIENT: encrypts to RECIPIENT->box,
 * signs with SENDER's sign key. *OUT is malloc'd (caller frees).
 */
enum envelope_error envelope_seal(char kind, const struct keystore *sender,
                                  const struct public_key *recipient, uint64_t sequence,
                                  int64_t created, const uint8_t *payload, size_t len,
                                  uint8_t **out, size_t *outlen);

/* Reads the clear header only (to pick the sender's key): checks magic,
 * kind, ids and that the length adds up. */
enum envelope_error envelope_peek(const uint8_t *buf, size_t len, struct envelope_header *h);

/*
 * Verifies the signature with SENDER->sign, then opens the payload with
 * RECIPIENT's box keys. *PAYLOAD is malloc'd and NUL-terminated (caller
 * frees); *PLEN excludes the NUL.
 */
enum envelope_error envelope_open(const uint8_t *buf, size_t len, const struct public_key *sender,
                                  const struct keystore *recipient, struct envelope_header *h,
                                  uint8_t **payload, size_t *plen);

#endif

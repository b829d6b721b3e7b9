/*
 * atr.h - the Answer To Reset of a smart card (ISO/IEC 7816-3, 8.2): the
 * card's first words after power-on, saying which transmission protocols
 * it speaks and with what parameters.
 *
 * Pure: bytes in, struct out; no libusb, no I/O, no allocation. An ATR
 * that declares bytes it does not carry, has a wrong check byte or is
 * longer than the standard's 33 bytes is refused, never half-trusted.
 */
#ifndef NSER_ATR_H
#define NSER_ATR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ATR_MAX      33
#define ATR_HIST_MAX 15

#define ATR_EDC_LRC 0
#define ATR_EDC_CRC 1

struct atr {
    uint8_t raw[ATR_MAX];
    size_t len;
    bool inverse;       /* TS 3F: inverse convention */
    unsigned protocols; /* bit T set for each T=0..14 offered (T=0 when none said) */
    int first_protocol; /* the protocol the card uses unless told otherwise */
    bool specific;      /* TA2 present: the card is fixed to SPECIFIC_PROTOCOL */
    int specific_protocol;
    uint8_t ta1;  /* Fi (high nibble) and Di (low nibble) indices; 0x11 by default */
    uint8_t tc1;  /* extra guard time N; 0 by default */
    uint8_t wi;   /* T=0 waiting integer (TC2); 10 by default */
    uint8_t ifsc; /* T=1 IFSC (first TA for T=1); 32 by default */
    uint8_t bwi;  /* T=1 BWI (first TB for T=1, high nibble); 4 by default */
    uint8_t cwi;  /* T=1 CWI (low nibble); 13 by default */
    int edc;      /* T=1 ATR_EDC_LRC or ATR_EDC_CRC (first TC for T=1) */
    bool has_tck;
    uint8_t hist[ATR_HIST_MAX];
    size_t hist_len;
};

/* 0 and OUT filled, or -1 with WHY (for the log). */
int atr_parse(const uint8_t *b, size_t len, struct atr *out, char *why, size_t whysz);

/*
 * The protocol to use with a reader that offers READER_PROTOCOLS (bit 0
 * T=0, bit 1 T=1): the card's specific one if fixed, else its first offer
 * if the reader has it, else any other offer the reader has (T=1
 * preferred). -1 when they share none.
 */
int atr_choose_protocol(const struct atr *a, uint32_t reader_protocols);

#endif

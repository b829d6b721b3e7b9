/*
 * ccid_proto.h - the bytes of the USB CCID class (smart-card readers): the
 * class descriptor a reader declares, the PC_to_RDR commands the kiosk
 * sends, the RDR_to_PC replies and the interrupt notifications it reads.
 *
 * Pure: bytes in, struct out, and the other way round. No libusb, no I/O,
 * no allocation, so unit tests and fuzzers link it alone. Every reply is
 * taken as hostile: a parser checks each length against the bytes really
 * received before it reads one, and says why it refused in WHY (for the
 * log: never holds card data).
 */
#ifndef NSER_CCID_PROTO_H
#define NSER_CCID_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CCID_CLASS        0x0B /* bInterfaceClass of a smart-card reader */
#define CCID_DESC_TYPE    0x21
#define CCID_DESC_LEN     54
#define CCID_HDR_LEN      10
#define CCID_MAX_MSG_SPEC (65544 + CCID_HDR_LEN) /* largest the spec allows */
#define CCID_MIN_MSG_LEN  (CCID_HDR_LEN + 4 + 1) /* a short command header must fit */

/* PC_to_RDR message types. */
#define CCID_PC_SET_PARAMETERS  0x61
#define CCID_PC_ICC_POWER_ON    0x62
#define CCID_PC_ICC_POWER_OFF   0x63
#define CCID_PC_GET_SLOT_STATUS 0x65
#define CCID_PC_XFR_BLOCK       0x6F
#define CCID_PC_ABORT           0x72
/* RDR_to_PC message types. */
#define CCID_RDR_DATA_BLOCK  0x80
#define CCID_RDR_SLOT_STATUS 0x81
#define CCID_RDR_PARAMETERS  0x82
/* Interrupt IN messages. */
#define CCID_NOTIFY_SLOT_CHANGE 0x50
#define CCID_NOTIFY_HW_ERROR    0x51

/* dwFeatures bits the kiosk acts on. */
#define CCID_FEAT_AUTO_PARAM_ATR 0x00000002u /* sets parameters from the ATR */
#define CCID_FEAT_AUTO_VOLTAGE   0x00000008u
#define CCID_FEAT_AUTO_PARAM_NEG 0x00000040u /* negotiates parameters itself */
#define CCID_FEAT_AUTO_PPS       0x00000080u
#define CCID_FEAT_AUTO_IFSD      0x00000400u /* sends S(IFS) itself (T=1) */
#define CCID_FEAT_LEVEL_MASK     0x00070000u
#define CCID_FEAT_LEVEL_TPDU     0x00010000u
#define CCID_FEAT_LEVEL_SHORT    0x00020000u
#define CCID_FEAT_LEVEL_EXT      0x00040000u

/* bVoltageSupport bits and bPowerSelect values. */
#define CCID_VOLT_5V    0x01
#define CCID_VOLT_3V    0x02
#define CCID_VOLT_18V   0x04
#define CCID_POWER_AUTO 0
#define CCID_POWER_5V   1
#define CCID_POWER_3V   2
#define CCID_POWER_18V  3

/* bError values worth naming (CCID 1.1, 6.2.6). */
#define CCID_ERR_CMD_ABORTED       0xFF
#define CCID_ERR_ICC_MUTE          0xFE
#define CCID_ERR_XFR_PARITY        0xFD
#define CCID_ERR_XFR_OVERRUN       0xFC
#define CCID_ERR_HW_ERROR          0xFB
#define CCID_ERR_BAD_ATR_TS        0xF8
#define CCID_ERR_BAD_ATR_TCK       0xF7
#define CCID_ERR_PROTO_UNSUPPORTED 0xF6
#define CCID_ERR_CLASS_UNSUPPORTED 0xF5
#define CCID_ERR_PROCEDURE_BYTE    0xF4
#define CCID_ERR_DEACTIVATED       0xF3
#define CCID_ERR_BUSY_AUTO_SEQ     0xF2
#define CCID_ERR_SLOT_BUSY         0xE0
#define CCID_ERR_CMD_UNSUPPORTED   0x00

enum ccid_level {
    CCID_LEVEL_CHAR = 0, /* character level: the host would drive the card byte by byte */
    CCID_LEVEL_TPDU,
    CCID_LEVEL_SHORT_APDU,
    CCID_LEVEL_EXT_APDU,
};

struct ccid_desc {
    uint16_t bcd_ccid;
    uint8_t max_slot_index;
    uint8_t voltage_support; /* CCID_VOLT_* */
    uint32_t protocols;      /* bit 0 T=0, bit 1 T=1 */
    uint32_t default_clock_khz;
    uint32_t data_rate_bps;
    uint32_t max_ifsd;
    uint32_t features;
    uint32_t max_msg_len; /* dwMaxCCIDMessageLength: header included */
    uint8_t max_busy_slots;
    enum ccid_level level;
    bool auto_params; /* the reader sets the protocol parameters itself */
};

/*
 * Finds the CCID class descriptor among the descriptors in EXTRA (an
 * interface's extra bytes) and parses it. 0, or -1 with WHY when there is
 * none, it is short, or it declares something unusable (no T=0 nor T=1, a
 * message length too small to hold a command).
 */
int ccid_desc_parse(const uint8_t *extra, size_t len, struct ccid_desc *out, char *why,
                    size_t whysz);

/* The bPowerSelect values to try in order (lowest voltage first, as ISO
 * 7816-3 asks, or just automatic). Returns how many were written (1-3). */
size_t ccid_power_sequence(const struct ccid_desc *d, uint8_t out[3]);

/*
 * Builds a PC_to_RDR message into OUT. Returns its length, or 0 when OUTSZ
 * is too small or LEN too big.
 */
size_t ccid_build_power_on(uint8_t *out, size_t outsz, uint8_t slot, uint8_t seq,
                           uint8_t power_select);
size_t ccid_build_power_off(uint8_t *out, size_t outsz, uint8_t slot, uint8_t seq);
size_t ccid_build_slot_status(uint8_t *out, size_t outsz, uint8_t slot, uint8_t seq);
/* BWI: block waiting time extension for T=1 (0 normally). */
size_t ccid_build_xfr_block(uint8_t *out, size_t outsz, uint8_t slot, uint8_t seq, uint8_t bwi,
                            const uint8_t *data, size_t len);
/* PROTOCOL 0 with 5 bytes of DATA or 1 with 7 (abProtocolDataStructure). */
size_t ccid_build_set_parameters(uint8_t *out, size_t outsz, uint8_t slot, uint8_t seq,
                                 uint8_t protocol, const uint8_t *data, size_t len);

/* The reply type a command type gets, or 0 for an unknown command. */
uint8_t ccid_reply_type(uint8_t cmd_type);

enum ccid_icc {
    CCID_ICC_ACTIVE = 0, /* present and powered */
    CCID_ICC_INACTIVE,   /* present, not powered */
    CCID_ICC_ABSENT,
};

enum ccid_cmd {
    CCID_CMD_OK = 0,
    CCID_CMD_FAILED,   /* ERROR says why */
    CCID_CMD_TIME_EXT, /* the reader asks for more time: the real reply follows */
};

struct ccid_reply {
    uint8_t type, slot, seq;
    enum ccid_icc icc;
    enum ccid_cmd cmd;
    uint8_t error;       /* bError */
    uint8_t param;       /* bChainParameter, bClockStatus or bProtocolNum */
    const uint8_t *data; /* into the caller's buffer; DATA_LEN bytes */
    size_t data_len;
};

/*
 * Parses the RDR_to_PC reply BUF (LEN bytes as received) to the command of
 * type CMD_TYPE sent to SLOT with sequence SEQ. MAX_MSG: the reader's
 * declared dwMaxCCIDMessageLength. 0 when the reply is well formed and
 * answers that command (the command itself may have failed: see CMD), -1
 * with WHY otherwise: short header, wrong type, slot or sequence, dwLength
 * longer than received or than MAX_MSG, or bytes after the message,
 * reserved status values.
 */
int ccid_reply_parse(const uint8_t *buf, size_t len, uint8_t cmd_type, uint8_t slot, uint8_t seq,
                     size_t max_msg, struct ccid_reply *out, char *why, size_t whysz);

/* A short name of a bError value for the log ("ICC mute"). */
const char *ccid_error_name(uint8_t error);

enum ccid_notify_kind {
    CCID_NOTIFY_SLOT = 0,
    CCID_NOTIFY_HW,
};

struct ccid_notify {
    enum ccid_notify_kind kind;
    bool present; /* SLOT: a card is in SLOT now */
    bool changed; /* SLOT: it changed since the last notification */
    uint8_t seq;  /* HW: the sequence of the command it hit */
    uint8_t code; /* HW: bHardwareErrorCode (1 = overcurrent) */
};

/*
 * Parses an interrupt IN message about SLOT (MAX_SLOT: the descriptor's
 * bMaxSlotIndex). 0, 1 when it is well formed but about another slot
 * (ignore it), or -1 with WHY.
 */
int ccid_notify_parse(const uint8_t *buf, size_t len, uint8_t slot, uint8_t max_slot,
                      struct ccid_notify *out, char *why, size_t whysz);

#endif

/*
 * ccid_proto.c - build CCID commands and check CCID replies, byte by byte.
 *
 * A reader is a small computer of unknown quality between the kiosk and the
 * card: its replies are checked for length, type, slot, sequence and status
 * before any field is used, and a refusal says which check failed. Must
 * never call libusb, allocate, log, or read past LEN.
 */
#include "ccid_proto.h"

#include <stdio.h>
#include <string.h>

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put_le32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

static void say(char *why, size_t whysz, const char *text)
{
    if (why && whysz)
        snprintf(why, whysz, "%s", text);
}

int ccid_desc_parse(const uint8_t *extra, size_t len, struct ccid_desc *out, char *why,
                    size_t whysz)
{
    const uint8_t *d = NULL;
    size_t off = 0;
    /* EXTRA may hold several class or vendor descriptors one after the
     * other; each starts with its own length. */
    while (extra && off + 2 <= len) {
        size_t dl = extra[off];
        if (dl < 2 || dl > len - off) {
            say(why, whysz, "malformed descriptor list");
            return -1;
        }
        if (extra[off + 1] == CCID_DESC_TYPE) {
            if (dl < CCID_DESC_LEN) {
                say(why, whysz, "CCID descriptor too short");
                return -1;
            }
            d = extra + off;
            break;
        }
        off += dl;
    }
    if (!d) {
        say(why, whysz, "no CCID class descriptor");
        return -1;
    }
    memset(out, 0, sizeof *out);
    out->bcd_ccid = (uint16_t)(d[2] | d[3] << 8);
    out->max_slot_index = d[4];
    out->voltage_support = d[5];
    out->protocols = le32(d + 6);
    out->default_clock_khz = le32(d + 10);
    out->data_rate_bps = le32(d + 19);
    out->max_ifsd = le32(d + 28);
    out->features = le32(d + 40);
    out->max_msg_len = le32(d + 44);
    out->max_busy_slots = d[53];
    switch (out->features & CCID_FEAT_LEVEL_MASK) {
    case 0:
        out->level = CCID_LEVEL_CHAR;
        break;
    case CCID_FEAT_LEVEL_TPDU:
        out->level = CCID_LEVEL_TPDU;
        break;
    case CCID_FEAT_LEVEL_SHORT:
        out->level = CCID_LEVEL_SHORT_APDU;
        break;
    case CCID_FEAT_LEVEL_EXT:
        out->level = CCID_LEVEL_EXT_APDU;
        break;
    default:
        say(why, whysz, "CCID descriptor claims several exchange levels");
        return -1;
    }
    /* Either bit means the reader chooses the protocol parameters from the
     * ATR itself, so a SetParameters from the host is not needed. */
    out->auto_params = (out->features & (CCID_FEAT_AUTO_PARAM_ATR | CCID_FEAT_AUTO_PARAM_NEG)) != 0;
    if ((out->protocols & 3) == 0) {
        say(why, whysz, "reader offers neither T=0 nor T=1");
        return -1;
    }
    if (out->max_msg_len < CCID_MIN_MSG_LEN || out->max_msg_len > CCID_MAX_MSG_SPEC) {
        say(why, whysz, "CCID message length out of range");
        return -1;
    }
    return 0;
}

size_t ccid_power_sequence(const struct ccid_desc *d, uint8_t out[3])
{
    size_t n = 0;
    if (d->features & CCID_FEAT_AUTO_VOLTAGE) {
        out[n++] = CCID_POWER_AUTO;
        return n;
    }
    /* Lowest class first: a 1.8 V card may not survive 5 V, a 5 V card
     * just stays mute at 1.8 V and is tried again higher. */
    if (d->voltage_support & CCID_VOLT_18V)
        out[n++] = CCID_POWER_18V;
    if (d->voltage_support & CCID_VOLT_3V)
        out[n++] = CCID_POWER_3V;
    if (d->voltage_support & CCID_VOLT_5V)
        out[n++] = CCID_POWER_5V;
    if (n == 0)
        out[n++] = CCID_POWER_AUTO;
    return n;
}

static size_t build(uint8_t *out, size_t outsz, uint8_t type, uint8_t slot, uint8_t seq, uint8_t b7,
                    uint8_t b8, uint8_t b9, const uint8_t *data, size_t len)
{
    if (len > CCID_MAX_MSG_SPEC - CCID_HDR_LEN || outsz < CCID_HDR_LEN ||
        len > outsz - CCID_HDR_LEN)
        return 0;
    out[0] = type;
    put_le32(out + 1, (uint32_t)len);
    out[5] = slot;
    out[6] = seq;
    out[7] = b7;
    out[8] = b8;
    out[9] = b9;
    if (len)
        memcpy(out + CCID_HDR_LEN, data, len);
    return CCID_HDR_LEN + len;
}

size_t ccid_build_power_on(uint8_t *out, size_t outsz, uint8_t slot, uint8_t seq,
                           uint8_t power_select)
{
    return build(out, outsz, CCID_PC_ICC_POWER_ON, slot, seq, power_select, 0, 0, NULL, 0);
}

size_t ccid_build_power_off(uint8_t *out, size_t outsz, uint8_t slot, uint8_t seq)
{
    return build(out, outsz, CCID_PC_ICC_POWER_OFF, slot, seq, 0, 0, 0, NULL, 0);
}

size_t ccid_build_slot_status(uint8_t *out, size_t outsz, uint8_t slot, uint8_t seq)
{
    return build(out, outsz, CCID_PC_GET_SLOT_STATUS, slot, seq, 0, 0, 0, NULL, 0);
}

size_t ccid_build_xfr_block(uint8_t *out, size_t outsz, uint8_t slot, uint8_t seq, uint8_t bwi,
                            const uint8_t *data, size_t len)
{
    /* wLevelParameter 0: the whole command in one block (short APDUs and
     * TPDUs always fit). */
    return build(out, outsz, CCID_PC_XFR_BLOCK, slot, seq, bwi, 0, 0, data, len);
}

size_t ccid_build_set_parameters(uint8_t *out, size_t outsz, uint8_t slot, uint8_t seq,
                                 uint8_t protocol, const uint8_t *data, size_t len)
{
    if (!((protocol == 0 && len == 5) || (protocol == 1 && len == 7)))
        return 0;
    return build(out, outsz, CCID_PC_SET_PARAMETERS, slot, seq, protocol, 0, 0, data, len);
}

uint8_t ccid_reply_type(uint8_t cmd_type)
{
    switch (cmd_type) {
    case CCID_PC_ICC_POWER_ON:
    case CCID_PC_XFR_BLOCK:
        return CCID_RDR_DATA_BLOCK;
    case CCID_PC_ICC_POWER_OFF:
    case CCID_PC_GET_SLOT_STATUS:
    case CCID_PC_ABORT:
        return CCID_RDR_SLOT_STATUS;
    case CCID_PC_SET_PARAMETERS:
        return CCID_RDR_PARAMETERS;
    default:
        return 0;
    }
}

int ccid_reply_parse(const uint8_t *buf, size_t len, uint8_t cmd_type, uint8_t slot, uint8_t seq,
                     size_t max_msg, struct ccid_reply *out, char *why, size_t whysz)
{
    uint8_t want = ccid_reply_type(cmd_type);
    if (!buf || len < CCID_HDR_LEN) {
        say(why, whysz, "reply shorter than a CCID header");
        return -1;
    }
    if (want == 0 || buf[0] != want) {
        if (why && whysz)
            snprintf(why, whysz, "reply type 0x%02X, expected 0x%02X", buf[0], want);
        return -1;
    }
    uint32_t dl = le32(buf + 1);
    if (max_msg < CCID_HDR_LEN || dl > max_msg - CCID_HDR_LEN) {
        say(why, whysz, "reply dwLength over the reader's maximum");
        return -1;
    }
    if (dl > len - CCID_HDR_LEN) {
        say(why, whysz, "reply dwLength longer than the bytes received");
        return -1;
    }
    if (dl < len - CCID_HDR_LEN) {
        say(why, whysz, "bytes after the reply");
        return -1;
    }
    if (buf[5] != slot) {
        say(why, whysz, "reply for another slot");
        return -1;
    }
    if (buf[6] != seq) {
        if (why && whysz)
            snprintf(why, whysz, "reply sequence %u, expected %u", buf[6], seq);
        return -1;
    }
    uint8_t st = buf[7];
    if ((st & 0x3C) != 0 || (st & 0x03) == 3 || (st >> 6) == 3) {
        say(why, whysz, "reserved bits in bStatus");
        return -1;
    }
    memset(out, 0, sizeof *out);
    out->type = buf[0];
    out->slot = buf[5];
    out->seq = buf[6];
    out->icc = (enum ccid_icc)(st & 0x03);
    out->cmd = (enum ccid_cmd)(st >> 6);
    out->error = buf[8];
    out->param = buf[9];
    out->data = dl ? buf + CCID_HDR_LEN : NULL;
    out->data_len = dl;
    /* A SlotStatus carries no data; a time extension carries none either. */
    if ((out->type == CCID_RDR_SLOT_STATUS || out->cmd == CCID_CMD_TIME_EXT) && dl != 0) {
        say(why, whysz, "data in a reply that has none");
        return -1;
    }
    return 0;
}

const char *ccid_error_name(uint8_t error)
{
    switch (error) {
    case CCID_ERR_CMD_ABORTED:
        return "command aborted";
    case CCID_ERR_ICC_MUTE:
        return "ICC mute";
    case CCID_ERR_XFR_PARITY:
        return "parity error";
    case CCID_ERR_XFR_OVERRUN:
        return "overrun";
    case CCID_ERR_HW_ERROR:
        return "hardware error";
    case CCID_ERR_BAD_ATR_TS:
        return "bad ATR TS";
    case CCID_ERR_BAD_ATR_TCK:
        return "bad ATR TCK";
    case CCID_ERR_PROTO_UNSUPPORTED:
        return "protocol not supported";
    case CCID_ERR_CLASS_UNSUPPORTED:
        return "class not supported";
    case CCID_ERR_PROCEDURE_BYTE:
        return "procedure byte conflict";
    case CCID_ERR_DEACTIVATED:
        return "deactivated protocol";
    case CCID_ERR_BUSY_AUTO_SEQ:
        return "busy with auto sequence";
    case CCID_ERR_SLOT_BUSY:
        return "slot busy";
    case CCID_ERR_CMD_UNSUPPORTED:
        return "command not supported";
    default:
        return "bad parameter";
    }
}

int ccid_notify_parse(const uint8_t *buf, size_t len, uint8_t slot, uint8_t max_slot,
                      struct ccid_notify *out, char *why, size_t whysz)
{
    if (!buf || len < 1) {
        say(why, whysz, "empty interrupt message");
        return -1;
    }
    memset(out, 0, sizeof *out);
    if (buf[0] == CCID_NOTIFY_SLOT_CHANGE) {
        /* Two bits a slot, four slots a byte, after the type byte. */
        size_t need = 1 + ((size_t)max_slot + 1 + 3) / 4;
        if (len < need) {
            say(why, whysz, "NotifySlotChange too short");
            return -1;
        }
        if (slot > max_slot)
            return 1;
        uint8_t bits = (uint8_t)(buf[1 + slot / 4] >> ((slot % 4) * 2));
        out->kind = CCID_NOTIFY_SLOT;
        out->present = (bits & 1) != 0;
        out->changed = (bits & 2) != 0;
        return 0;
    }
    if (buf[0] == CCID_NOTIFY_HW_ERROR) {
        if (len < 4) {
            say(why, whysz, "HardwareError too short");
            return -1;
        }
        if (buf[1] != slot)
            return 1;
        out->kind = CCID_NOTIFY_HW;
        out->seq = buf[2];
        out->code = buf[3];
        return 0;
    }
    if (why && whysz)
        snprintf(why, whysz, "unknown interrupt message 0x%02X", buf[0]);
    return -1;
}

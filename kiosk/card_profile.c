/*
 * card_profile.c - parse and hold the card profile's config values.
 *
 * Hex is read leniently (spaces and colons between bytes) because people
 * copy AIDs from documents that write them either way; everything else is
 * strict. Must never read a card or a file.
 */
#include "card_profile.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "i18n.h"

void card_profile_default(struct card_profile *p)
{
    static const uint8_t aid[] = {0xA0, 0x00, 0x00, 0x09, 0x99, 0x4E, 0x53, 0x45, 0x52};
    memset(p, 0, sizeof *p);
    memcpy(p->aid, aid, sizeof aid);
    p->aid_len = sizeof aid;
    p->cnic = (struct card_field_ref){true, 0x0101, 0x5F01};
    p->name = (struct card_field_ref){true, 0x0101, 0x5F02};
    p->dob = (struct card_field_ref){true, 0x0101, 0x5F03};
    p->dob_format = CARD_DOB_YYYYMMDD;
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = tolower(c);
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

/* Reads hex bytes, allowing one space or colon between bytes. Returns the
 * count, or -1 on anything else or more than MAX bytes. */
static int parse_hex(const char *s, uint8_t *out, size_t max)
{
    size_t n = 0;
    while (*s) {
        int hi = hexval((unsigned char)s[0]);
        int lo = hi < 0 ? -1 : hexval((unsigned char)s[1]);
        if (hi < 0 || lo < 0 || n >= max)
            return -1;
        out[n++] = (uint8_t)(hi << 4 | lo);
        s += 2;
        if (*s == ' ' || *s == ':')
            s++;
    }
    return (int)n;
}

static int parse_ref(const char *v, bool optional, struct card_field_ref *out, char *err,
                     size_t errsz)
{
    if (optional && strcmp(v, "none") == 0) {
        *out = (struct card_field_ref){false, 0, 0};
        return 0;
    }
    const char *slash = strchr(v, '/');
    uint8_t file[2], tag[4];
    char fbuf[8];
    size_t flen = slash ? (size_t)(slash - v) : 0;
    int tn = -1;
    if (slash && flen == 4) {
        memcpy(fbuf, v, 4);
        fbuf[4] = '\0';
        tn = parse_hex(slash + 1, tag, sizeof tag);
    }
    /* A BER tag of 1-3 bytes: the first byte says whether more follow
     * (low five bits all set) and each later byte whether another does. */
    bool tag_ok = tn >= 1 && tn <= 3 && ((tag[0] & 0x1F) == 0x1F) == (tn > 1);
    for (int i = 1; tag_ok && i < tn; i++)
        tag_ok = ((tag[i] & 0x80) != 0) == (i < tn - 1);
    if (!slash || flen != 4 || parse_hex(fbuf, file, 2) != 2 || !tag_ok) {
        snprintf(err, errsz,
                 optional ? _("must be FILE/TAG in hex, such as 0101/5F02, or none")
                          : _("must be FILE/TAG in hex, such as 0101/5F01"));
        return -1;
    }
    uint32_t t = 0;
    for (int i = 0; i < tn; i++)
        t = t << 8 | tag[i];
    *out = (struct card_field_ref){true, (uint16_t)(file[0] << 8 | file[1]), t};
    return 0;
}

int card_profile_set(struct card_profile *p, const char *key, const char *value, char *err,
                     size_t errsz)
{
    if (strcmp(key, "card_aid") == 0) {
        uint8_t aid[CARD_AID_MAX];
        int n = parse_hex(value, aid, sizeof aid);
        /* ISO 7816-4: an AID is a 5-byte registered provider ID plus up
         * to 11 bytes of application. */
        if (n < 5) {
            snprintf(err, errsz,
                     _("must be 5 to 16 bytes in hex, such as A0 00 00 09 99 4E 53 45 52"));
            return -1;
        }
        memcpy(p->aid, aid, (size_t)n);
        p->aid_len = (size_t)n;
        return 0;
    }
    if (strcmp(key, "card_cnic") == 0)
        return parse_ref(value, false, &p->cnic, err, errsz);
    if (strcmp(key, "card_name") == 0)
        return parse_ref(value, true, &p->name, err, errsz);
    if (strcmp(key, "card_dob") == 0)
        return parse_ref(value, true, &p->dob, err, errsz);
    if (strcmp(key, "card_dob_format") == 0) {
        if (strcmp(value, "YYYYMMDD") == 0)
            p->dob_format = CARD_DOB_YYYYMMDD;
        else if (strcmp(value, "DDMMYYYY") == 0)
            p->dob_format = CARD_DOB_DDMMYYYY;
        else {
            snprintf(err, errsz, _("must be YYYYMMDD or DDMMYYYY"));
            return -1;
        }
        return 0;
    }
    return 1;
}

static void ref_text(const struct card_field_ref *r, char *out, size_t outsz)
{
    if (!r->present)
        snprintf(out, outsz, "none");
    else if (r->tag > 0xFFFF)
        snprintf(out, outsz, "%04X/%06X", (unsigned)r->file, (unsigned)r->tag);
    else if (r->tag > 0xFF)
        snprintf(out, outsz, "%04X/%04X", (unsigned)r->file, (unsigned)r->tag);
    else
        snprintf(out, outsz, "%04X/%02X", (unsigned)r->file, (unsigned)r->tag);
}

void card_profile_get(const struct card_profile *p, const char *key, char *out, size_t outsz)
{
    if (outsz == 0)
        return;
    out[0] = '\0';
    if (strcmp(key, "card_aid") == 0) {
        size_t o = 0;
        for (size_t i = 0; i < p->aid_len && o + 4 <= outsz; i++)
            o += (size_t)snprintf(out + o, outsz - o, i ? " %02X" : "%02X", p->aid[i]);
    } else if (strcmp(key, "card_cnic") == 0) {
        ref_text(&p->cnic, out, outsz);
    } else if (strcmp(key, "card_name") == 0) {
        ref_text(&p->name, out, outsz);
    } else if (strcmp(key, "card_dob") == 0) {
        ref_text(&p->dob, out, outsz);
    } else if (strcmp(key, "card_dob_format") == 0) {
        snprintf(out, outsz, "%s", p->dob_format == CARD_DOB_DDMMYYYY ? "DDMMYYYY" : "YYYYMMDD");
    }
}

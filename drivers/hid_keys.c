/*
 * hid_keys.c - HID boot keyboard reports to characters, by layout tables.
 *
 * A layout is the US table plus a short list of keys that differ on it,
 * each key giving its character plain, with Shift and with AltGr (Linux
 * console/XKB base variants, which is what a scanner "set to German"
 * emulates). Dead keys (the accents of de and fr) type their accent when
 * followed by Space, as on a real keyboard; followed by anything else the
 * accent is dropped, because a scan payload has no use for composed
 * letters and the next key must not be lost. Pure: no I/O, no logging.
 */
#include "hid_keys.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define USAGE_MAX 0x68 /* the table covers usages below this */

#define MOD_CTRL  0x11 /* left or right Ctrl */
#define MOD_SHIFT 0x22 /* left or right Shift */
#define MOD_ALTGR 0x40 /* right Alt */

#define USAGE_ENTER    0x28
#define USAGE_TAB      0x2B
#define USAGE_SPACE    0x2C
#define USAGE_KP_ENTER 0x58

/* Which of plain / Shift / AltGr is a dead key (bit 0, 1, 2). */
#define DEAD_PLAIN 1
#define DEAD_SHIFT 2
#define DEAD_ALTGR 4

struct keydef {
    const char *k[3]; /* plain, Shift, AltGr; NULL or "" = nothing */
    unsigned dead;
};

/* US (and the base of every other layout), by usage ID (HID Usage Tables,
 * Keyboard/Keypad page 0x07). */
static const struct keydef us[USAGE_MAX] = {
    [0x04] = {{"a", "A"}, 0},  [0x05] = {{"b", "B"}, 0},  [0x06] = {{"c", "C"}, 0},
    [0x07] = {{"d", "D"}, 0},  [0x08] = {{"e", "E"}, 0},  [0x09] = {{"f", "F"}, 0},
    [0x0A] = {{"g", "G"}, 0},  [0x0B] = {{"h", "H"}, 0},  [0x0C] = {{"i", "I"}, 0},
    [0x0D] = {{"j", "J"}, 0},  [0x0E] = {{"k", "K"}, 0},  [0x0F] = {{"l", "L"}, 0},
    [0x10] = {{"m", "M"}, 0},  [0x11] = {{"n", "N"}, 0},  [0x12] = {{"o", "O"}, 0},
    [0x13] = {{"p", "P"}, 0},  [0x14] = {{"q", "Q"}, 0},  [0x15] = {{"r", "R"}, 0},
    [0x16] = {{"s", "S"}, 0},  [0x17] = {{"t", "T"}, 0},  [0x18] = {{"u", "U"}, 0},
    [0x19] = {{"v", "V"}, 0},  [0x1A] = {{"w", "W"}, 0},  [0x1B] = {{"x", "X"}, 0},
    [0x1C] = {{"y", "Y"}, 0},  [0x1D] = {{"z", "Z"}, 0},  [0x1E] = {{"1", "!"}, 0},
    [0x1F] = {{"2", "@"}, 0},  [0x20] = {{"3", "#"}, 0},  [0x21] = {{"4", "$"}, 0},
    [0x22] = {{"5", "%"}, 0},  [0x23] = {{"6", "^"}, 0},  [0x24] = {{"7", "&"}, 0},
    [0x25] = {{"8", "*"}, 0},  [0x26] = {{"9", "("}, 0},  [0x27] = {{"0", ")"}, 0},
    [0x2C] = {{" ", " "}, 0},  [0x2D] = {{"-", "_"}, 0},  [0x2E] = {{"=", "+"}, 0},
    [0x2F] = {{"[", "{"}, 0},  [0x30] = {{"]", "}"}, 0},  [0x31] = {{"\\", "|"}, 0},
    [0x32] = {{"\\", "|"}, 0}, [0x33] = {{";", ":"}, 0},  [0x34] = {{"'", "\""}, 0},
    [0x35] = {{"`", "~"}, 0},  [0x36] = {{",", "<"}, 0},  [0x37] = {{".", ">"}, 0},
    [0x38] = {{"/", "?"}, 0},  [0x54] = {{"/", "/"}, 0},  [0x55] = {{"*", "*"}, 0},
    [0x56] = {{"-", "-"}, 0},  [0x57] = {{"+", "+"}, 0},  [0x59] = {{"1", "1"}, 0},
    [0x5A] = {{"2", "2"}, 0},  [0x5B] = {{"3", "3"}, 0},  [0x5C] = {{"4", "4"}, 0},
    [0x5D] = {{"5", "5"}, 0},  [0x5E] = {{"6", "6"}, 0},  [0x5F] = {{"7", "7"}, 0},
    [0x60] = {{"8", "8"}, 0},  [0x61] = {{"9", "9"}, 0},  [0x62] = {{"0", "0"}, 0},
    [0x63] = {{".", "."}, 0},  [0x64] = {{"\\", "|"}, 0}, [0x67] = {{"=", "="}, 0},
};

struct override {
    uint8_t usage;
    struct keydef def;
};

static const struct override uk[] = {
    {0x1F, {{"2", "\""}, 0}},
    {0x20, {{"3", "\xC2\xA3"}, 0}},          /* £ */
    {0x21, {{"4", "$", "\xE2\x82\xAC"}, 0}}, /* AltGr € */
    {0x31, {{"#", "~"}, 0}},
    {0x32, {{"#", "~"}, 0}},
    {0x34, {{"'", "@"}, 0}},
    {0x35, {{"`", "\xC2\xAC"}, 0}}, /* ¬ */
    {0x64, {{"\\", "|"}, 0}},
};

static const struct override de[] = {
    {0x1C, {{"z", "Z"}, 0}},
    {0x1D, {{"y", "Y"}, 0}},
    {0x14, {{"q", "Q", "@"}, 0}},
    {0x08, {{"e", "E", "\xE2\x82\xAC"}, 0}},
    {0x10, {{"m", "M", "\xC2\xB5"}, 0}},
    {0x1F, {{"2", "\"", "\xC2\xB2"}, 0}},
    {0x20, {{"3", "\xC2\xA7", "\xC2\xB3"}, 0}},
    {0x23, {{"6", "&"}, 0}},
    {0x24, {{"7", "/", "{"}, 0}},
    {0x25, {{"8", "(", "["}, 0}},
    {0x26, {{"9", ")", "]"}, 0}},
    {0x27, {{"0", "=", "}"}, 0}},
    {0x2D, {{"\xC3\x9F", "?", "\\"}, 0}},                 /* ß */
    {0x2E, {{"\xC2\xB4", "`"}, DEAD_PLAIN | DEAD_SHIFT}}, /* ´ ` */
    {0x2F, {{"\xC3\xBC", "\xC3\x9C"}, 0}},                /* ü Ü */
    {0x30, {{"+", "*", "~"}, 0}},
    {0x31, {{"#", "'"}, 0}},
    {0x32, {{"#", "'"}, 0}},
    {0x33, {{"\xC3\xB6", "\xC3\x96"}, 0}},   /* ö Ö */
    {0x34, {{"\xC3\xA4", "\xC3\x84"}, 0}},   /* ä Ä */
    {0x35, {{"^", "\xC2\xB0"}, DEAD_PLAIN}}, /* ^ ° */
    {0x36, {{",", ";"}, 0}},
    {0x37, {{".", ":"}, 0}},
    {0x38, {{"-", "_"}, 0}},
    {0x64, {{"<", ">", "|"}, 0}},
};

static const struct override fr[] = {
    {0x04, {{"q", "Q"}, 0}},
    {0x14, {{"a", "A"}, 0}},
    {0x1A, {{"z", "Z"}, 0}},
    {0x1D, {{"w", "W"}, 0}},
    {0x08, {{"e", "E", "\xE2\x82\xAC"}, 0}},
    {0x10, {{",", "?"}, 0}},
    {0x33, {{"m", "M"}, 0}},
    {0x1E, {{"&", "1"}, 0}},
    {0x1F, {{"\xC3\xA9", "2", "~"}, 0}}, /* é */
    {0x20, {{"\"", "3", "#"}, 0}},
    {0x21, {{"'", "4", "{"}, 0}},
    {0x22, {{"(", "5", "["}, 0}},
    {0x23, {{"-", "6", "|"}, 0}},
    {0x24, {{"\xC3\xA8", "7", "`"}, 0}}, /* è */
    {0x25, {{"_", "8", "\\"}, 0}},
    {0x26, {{"\xC3\xA7", "9", "^"}, 0}}, /* ç */
    {0x27, {{"\xC3\xA0", "0", "@"}, 0}}, /* à */
    {0x2D, {{")", "\xC2\xB0", "]"}, 0}}, /* ° */
    {0x2E, {{"=", "+", "}"}, 0}},
    {0x2F, {{"^", "\xC2\xA8"}, DEAD_PLAIN | DEAD_SHIFT}}, /* ^ ¨ */
    {0x30, {{"$", "\xC2\xA3", "\xC2\xA4"}, 0}},           /* $ £ ¤ */
    {0x31, {{"*", "\xC2\xB5"}, 0}},                       /* µ */
    {0x32, {{"*", "\xC2\xB5"}, 0}},
    {0x34, {{"\xC3\xB9", "%"}, 0}}, /* ù */
    {0x35, {{"\xC2\xB2", ""}, 0}},  /* ² */
    {0x36, {{";", "."}, 0}},
    {0x37, {{":", "/"}, 0}},
    {0x38, {{"!", "\xC2\xA7"}, 0}}, /* § */
    {0x64, {{"<", ">"}, 0}},
};

static const struct {
    const char *name;
    const struct override *diff;
    size_t n;
} layouts[] = {
    [HID_LAYOUT_US] = {"us", NULL, 0},
    [HID_LAYOUT_UK] = {"uk", uk, sizeof uk / sizeof uk[0]},
    [HID_LAYOUT_DE] = {"de", de, sizeof de / sizeof de[0]},
    [HID_LAYOUT_FR] = {"fr", fr, sizeof fr / sizeof fr[0]},
};

struct hid_keys {
    struct keydef map[USAGE_MAX]; /* the layout, resolved once */
    uint8_t held[HID_KEYS_MAX];   /* key codes of the last accepted report */
    const char *accent;           /* a dead key waiting for its next key, or NULL */
};

int hid_layout_from_name(const char *name, enum hid_layout *out)
{
    if (!name)
        return -1;
    for (size_t i = 0; i < sizeof layouts / sizeof layouts[0]; i++)
        if (strcmp(name, layouts[i].name) == 0) {
            *out = (enum hid_layout)i;
            return 0;
        }
    return -1;
}

struct hid_keys *hid_keys_new(enum hid_layout layout)
{
    if ((size_t)layout >= sizeof layouts / sizeof layouts[0])
        return NULL;
    struct hid_keys *k = calloc(1, sizeof *k);
    if (!k)
        return NULL;
    memcpy(k->map, us, sizeof us);
    for (size_t i = 0; i < layouts[layout].n; i++)
        k->map[layouts[layout].diff[i].usage] = layouts[layout].diff[i].def;
    return k;
}

void hid_keys_free(struct hid_keys *k)
{
    free(k);
}

const char *hid_result_text(enum hid_result r)
{
    switch (r) {
    case HID_OK:
        return "ok";
    case HID_BAD_LENGTH:
        return "report is not 8 bytes";
    case HID_ROLLOVER:
        return "rollover (phantom) report";
    }
    return "?";
}

static bool was_held(const struct hid_keys *k, uint8_t code)
{
    for (int i = 0; i < HID_KEYS_MAX; i++)
        if (k->held[i] == code)
            return true;
    return false;
}

static void put_text(struct hid_key *out, const char *s)
{
    out->kind = HID_KEY_CHAR;
    size_t n = strlen(s);
    if (n >= sizeof out->text)
        n = sizeof out->text - 1;
    memcpy(out->text, s, n);
    out->text[n] = '\0';
}

/* One newly pressed key; returns 1 when it produced a key in OUT. */
static int press(struct hid_keys *k, uint8_t code, uint8_t mods, struct hid_key *out)
{
    if (code == USAGE_ENTER || code == USAGE_KP_ENTER || code == USAGE_TAB) {
        k->accent = NULL;
        out->kind = HID_KEY_TERMINATOR;
        out->text[0] = '\0';
        return 1;
    }
    if (code >= USAGE_MAX)
        return 0;
    const struct keydef *d = &k->map[code];
    int level = (mods & MOD_ALTGR) ? 2 : (mods & MOD_SHIFT) ? 1 : 0;
    const char *s = d->k[level];
    if (!s || !*s)
        return 0;
    if (mods & MOD_CTRL) {
        /* Ctrl+letter and Ctrl+[\]^_ type a control byte (a scanner's
         * field separator, e.g. GS as Ctrl+]); keep it as a separator so
         * the digits around it are never joined. */
        if (!d->k[0])
            return 0;
        unsigned char c = (unsigned char)d->k[0][0];
        if (c == '\0' || d->k[0][1] != '\0' || !((c >= 'a' && c <= 'z') || (c >= '[' && c <= '_')))
            return 0;
        char ctl[2] = {(char)(c & 0x1F), '\0'};
        put_text(out, ctl);
        return 1;
    }
    if (d->dead & (1u << level)) {
        k->accent = s;
        return 0;
    }
    if (k->accent) {
        const char *accent = k->accent;
        k->accent = NULL;
        if (code == USAGE_SPACE)
            s = accent;
    }
    put_text(out, s);
    return 1;
}

enum hid_result hid_keys_decode(struct hid_keys *k, const uint8_t *report, size_t len,
                                struct hid_key *keys, size_t *n)
{
    *n = 0;
    if (!report || len != HID_REPORT_LEN)
        return HID_BAD_LENGTH;
    const uint8_t *codes = report + 2;
    /* 01 ErrorRollOver, 02 POSTFail, 03 ErrorUndefined: the report does
     * not say which keys are down, so it changes nothing. */
    for (int i = 0; i < HID_KEYS_MAX; i++)
        if (codes[i] >= 0x01 && codes[i] <= 0x03)
            return HID_ROLLOVER;
    size_t count = 0;
    for (int i = 0; i < HID_KEYS_MAX; i++) {
        uint8_t c = codes[i];
        if (c == 0 || was_held(k, c))
            continue;
        /* A code twice in one report counts once. */
        bool dup = false;
        for (int j = 0; j < i; j++)
            dup = dup || codes[j] == c;
        if (!dup && press(k, c, report[0], &keys[count]))
            count++;
    }
    memcpy(k->held, codes, HID_KEYS_MAX);
    *n = count;
    return HID_OK;
}

/*
 * field.h - a one-line text field, with an input mask for numbers that
 * have a written shape (CNIC, tracking ID, date, phone).
 *
 * Masked kinds keep only the digits and draw the dashes themselves, so the
 * applicant may type dashes or not. Every kind but FIELD_TEXT takes Urdu
 * and Arabic-Indic digits and stores them as ASCII ones (kiosk/digits.h). Keys a kind cannot take
 * are refused and reported, never silently dropped. The field holds personal data: it is wiped on
 * clear and on free.
 */
#ifndef NSER_FIELD_H
#define NSER_FIELD_H

#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

enum field_kind {
    FIELD_TEXT,    /* any printable text, names in any script */
    FIELD_NUMBER,  /* digits only */
    FIELD_CNIC,    /* 13 digits shown XXXXX-XXXXXXX-X */
    FIELD_LOOKUP,  /* CNIC (13) or tracking ID (16), shaped by length */
    FIELD_DATE,    /* 8 digits shown DD-MM-YYYY */
    FIELD_PHONE,   /* digits only, typed 03xx... (+ is the back key) */
    FIELD_DECIMAL, /* digits and at most one '.' (land in acres) */
    FIELD_SECRET,  /* a PIN or password: printable ASCII, shown as '*' */
};

enum field_key_result {
    FIELD_IGNORED = 0, /* not a key for the field (navigation etc.) */
    FIELD_CHANGED,
    FIELD_REFUSED, /* a character the field cannot take */
};

struct field;

struct field *field_new(enum field_kind kind, int max_chars);
void field_free(struct field *f);

void field_set(struct field *f, const char *utf8);
/* The value as typed (for masked kinds: the digits, in ASCII). */
void field_get(const struct field *f, char *out, size_t outsz);
bool field_empty(const struct field *f);
void field_clear(struct field *f);

enum field_key_result field_key(struct field *f, int ch, bool is_keycode);

/* The value as drawn: masked kinds with their dashes, secrets as '*'. */
void field_shown(const struct field *f, char *out, size_t outsz);

/* Draws the field in W columns at (Y, X); FOCUS shows the cursor there. */
void field_draw(const struct field *f, int y, int x, int w, bool focus);

/* Message id saying what a refused key was for this kind of field. */
const char *field_refusal(const struct field *f);

#endif

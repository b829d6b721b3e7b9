/*
 * i18n.h - the user's language: gettext set-up and run-time switching.
 *
 * Every user-facing string goes through _() (translate now) or N_() (mark
 * for extraction, translate where shown). English is the source language;
 * other languages are po/LANG.po catalogs compiled by make, so a new
 * language is data, not code. Must never hold per-session personal data.
 */
#ifndef NSER_I18N_H
#define NSER_I18N_H

#include <libintl.h>
#include <stddef.h>

#define _(s) gettext(s)
#ifndef N_
#define N_(s) (s)
#endif

#define I18N_DOMAIN "nser-kiosk"

/*
 * Sets the locale (forcing a UTF-8 one when the environment gives none) and
 * binds the catalogs: $NSER_LOCALEDIR, else build/locale beside the running
 * binary, else ../share/locale beside it (an install), else LOCALEDIR.
 * Returns 0, or -1 when no UTF-8 locale can be had (the terminal could not
 * show Urdu).
 */
int i18n_init(void);

/* Switches the language by code ("en", "ur_Latn", "ur"); -1 if unknown. */
int i18n_set_language(const char *code);
const char *i18n_language(void);
/*
 * The language a printed receipt uses while the screen is in the current
 * one: the current language itself, or for "ur" (Arabic script, which the
 * ASCII receipt printer cannot print) "ur_Latn".
 */
const char *i18n_print_language(void);

/*
 * The Linux console cannot draw Arabic script (its fonts hold 512 glyphs):
 * there the screens call this with 0, and "ur" (asked for by the config,
 * --lang or the language button) shows its Roman Urdu sibling instead.
 */
void i18n_set_arabic_drawable(int drawable);
int i18n_arabic_drawable(void);

/* Switches to the next offered language (the language button). */
void i18n_cycle_language(void);

/* The languages the kiosk offers, in the order the switch cycles them. */
size_t i18n_language_count(void);
const char *i18n_language_code(size_t i);
/* A language's name in that language ("English", "Roman Urdu", "اردو"). */
const char *i18n_language_name(size_t i);
/* True if CODE is one of the offered languages. */
int i18n_language_known(const char *code);

#endif

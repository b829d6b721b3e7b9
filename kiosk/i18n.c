/*
 * i18n.c - gettext set-up and run-time language switching.
 *
 * Switching uses the LANGUAGE variable, which GNU gettext honours only
 * when LC_MESSAGES is not the "C" locale: that is why a UTF-8 locale is
 * forced at start. Must never print: callers report failures.
 */
#include "i18n.h"

#include <langinfo.h>
#include <limits.h>
#include <stdio.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef NSER_LOCALEDIR
#define NSER_LOCALEDIR "/usr/local/share/locale"
#endif

/* Bumped to make gettext drop its cache of translations after a switch. */
extern int _nl_msg_cat_cntr;

/*
 * In the order the language button cycles them. A receipt printer prints
 * ASCII only, so a language in another script names the Latin-script
 * language its printed receipt uses instead (print).
 */
static const struct {
    const char *code;
    const char *name;
    const char *print;
} languages[] = {
    {"en", "English", "en"},
    {"ur_Latn", "Roman Urdu", "ur_Latn"},
    {"ur", "اردو", "ur_Latn"}, /* "Urdu", in Urdu */
};

static const char *current = "en";
/* False on a terminal that cannot draw Arabic script (the Linux console):
 * then "ur" stands for its Roman Urdu sibling and is not offered. */
static int script_drawable = 1;

/*
 * Catalogs relative to the running binary: build/locale beside a fresh
 * build, or PREFIX/share/locale beside PREFIX/bin after `make install`
 * (whatever PREFIX the binary was built with).
 */
static int locale_dir_near_binary(char *out, size_t outsz)
{
    static const char *const candidates[] = {"%s/locale", "%s/../share/locale"};
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return -1;
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (!slash)
        return -1;
    *slash = '\0';
    for (size_t i = 0; i < sizeof candidates / sizeof candidates[0]; i++) {
        char probe[PATH_MAX + 64];
        int len = snprintf(probe, sizeof probe, candidates[i], exe);
        if (len < 0 || (size_t)len >= sizeof probe || (size_t)len >= outsz)
            continue;
        /* Only a folder that holds our catalogs counts. */
        char mo[PATH_MAX + 128];
        snprintf(mo, sizeof mo, "%s/ur_Latn/LC_MESSAGES/" I18N_DOMAIN ".mo", probe);
        if (access(mo, R_OK) == 0) {
            memcpy(out, probe, (size_t)len + 1);
            return 0;
        }
    }
    return -1;
}

static int locale_is_utf8(void)
{
    const char *cs = nl_langinfo(CODESET);
    return cs && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
}

int i18n_init(void)
{
    if (!setlocale(LC_ALL, "") || !locale_is_utf8()) {
        if (!setlocale(LC_ALL, "C.UTF-8"))
            return -1;
    }
    const char *msgs = setlocale(LC_MESSAGES, NULL);
    if (msgs && (strcmp(msgs, "C") == 0 || strcmp(msgs, "POSIX") == 0))
        setlocale(LC_MESSAGES, "C.UTF-8");

    char dir[PATH_MAX];
    const char *env = getenv("NSER_LOCALEDIR");
    if (env && *env)
        bindtextdomain(I18N_DOMAIN, env);
    else if (locale_dir_near_binary(dir, sizeof dir) == 0)
        bindtextdomain(I18N_DOMAIN, dir);
    else
        bindtextdomain(I18N_DOMAIN, NSER_LOCALEDIR);
    bind_textdomain_codeset(I18N_DOMAIN, "UTF-8");
    textdomain(I18N_DOMAIN);
    return i18n_set_language(current);
}

void i18n_set_arabic_drawable(int drawable)
{
    script_drawable = drawable;
    if (!drawable && strcmp(current, "ur") == 0)
        i18n_set_language("ur_Latn");
}

int i18n_arabic_drawable(void)
{
    return script_drawable;
}

int i18n_set_language(const char *code)
{
    if (!script_drawable && strcmp(code, "ur") == 0)
        code = "ur_Latn";
    for (size_t i = 0; i < sizeof languages / sizeof languages[0]; i++) {
        if (strcmp(languages[i].code, code) == 0) {
            current = languages[i].code;
            setenv("LANGUAGE", current, 1);
            ++_nl_msg_cat_cntr;
            return 0;
        }
    }
    return -1;
}

void i18n_cycle_language(void)
{
    size_t n = i18n_language_count();
    for (size_t i = 0; i < n; i++) {
        if (strcmp(languages[i].code, current) == 0) {
            size_t next = (i + 1) % n;
            if (!script_drawable && strcmp(languages[next].code, "ur") == 0)
                next = (next + 1) % n;
            i18n_set_language(languages[next].code);
            return;
        }
    }
}

const char *i18n_language(void)
{
    return current;
}

const char *i18n_print_language(void)
{
    for (size_t i = 0; i < i18n_language_count(); i++)
        if (strcmp(languages[i].code, current) == 0)
            return languages[i].print;
    return "en";
}

size_t i18n_language_count(void)
{
    return sizeof languages / sizeof languages[0];
}

const char *i18n_language_code(size_t i)
{
    return i < i18n_language_count() ? languages[i].code : NULL;
}

const char *i18n_language_name(size_t i)
{
    return i < i18n_language_count() ? languages[i].name : NULL;
}

int i18n_language_known(const char *code)
{
    for (size_t i = 0; i < i18n_language_count(); i++)
        if (strcmp(languages[i].code, code) == 0)
            return 1;
    return 0;
}

/*
 * fuzz_text.c - libFuzzer target for the one place that measures text:
 * UTF-8 from anywhere (a damaged database, a catalog) must convert and
 * measure without reading or writing out of bounds, in a left-to-right
 * language and (the first byte odd) in Urdu, where numbers are isolated
 * and letters shaped.
 */
#include <locale.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/i18n.h"
#include "screens/text.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    setlocale(LC_ALL, "C.UTF-8");
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        return 0;
    memcpy(s, data, size);
    s[size] = '\0';
    i18n_set_language(size > 0 && (data[0] & 1) ? "ur" : "en");
    (void)text_width(s);
    wchar_t w[64];
    size_t n = text_to_wide(s, w, 64);
    if (n >= 64 || w[n] != L'\0')
        abort();
    char back[96];
    text_from_wide(w, back, sizeof back);
    if (strlen(back) >= sizeof back)
        abort();
    free(s);
    return 0;
}

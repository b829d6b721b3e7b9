/*
 * fuzz_config.c - libFuzzer target for the configuration file parser: any
 * bytes a manager (or a damaged disk) can put in the file must be accepted
 * or refused with a message, never crash.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "kiosk/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    FILE *f = fmemopen((void *)data, size, "r");
    if (!f)
        return 0;
    struct config cfg;
    char err[256];
    config_defaults(&cfg);
    int rc = config_load_stream(f, "fuzz", &cfg, err, sizeof err);
    fclose(f);
    /* Whatever was accepted must still be a usable configuration. */
    if (rc == 0 && (!tracking_kiosk_code_valid(cfg.kiosk_code) || cfg.idle_timeout_s < 3 ||
                    memchr(cfg.centre_name, '\0', sizeof cfg.centre_name) == NULL))
        __builtin_trap();
    return 0;
}

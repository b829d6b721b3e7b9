/*
 * ridge.c - synthetic ridge images (see ridge.h): deterministic from the
 * seed (its own small LCG, not rand(), so no global state is touched).
 * Must stay pure: the bench and the tests rely on seed N being the same
 * image every time.
 */
#include "ridge.h"

#include <math.h>

static uint32_t rng(uint32_t *st)
{
    *st = *st * 1664525u + 1013904223u;
    return *st >> 8;
}

void ridge_image(uint32_t seed, uint8_t *px)
{
    uint32_t st = seed * 2654435761u + 1;
    double theta = (rng(&st) % 360) * M_PI / 180.0, period = 8.5 + (rng(&st) % 100) / 100.0;
    enum { NPTS = 36 };
    double sx[NPTS], sy[NPTS], sw[NPTS];
    for (int k = 0; k < NPTS; k++) {
        sx[k] = 16 + rng(&st) % (RIDGE_W - 32);
        sy[k] = 16 + rng(&st) % (RIDGE_H - 32);
        sw[k] = (rng(&st) & 1) ? 1.0 : -1.0;
    }
    for (int y = 0; y < RIDGE_H; y++)
        for (int x = 0; x < RIDGE_W; x++) {
            double ph = 2 * M_PI * (x * cos(theta) + y * sin(theta)) / period;
            for (int k = 0; k < NPTS; k++)
                ph += sw[k] * atan2(y - sy[k], x - sx[k]);
            px[y * RIDGE_W + x] = (uint8_t)(128 + 100 * cos(ph));
        }
}

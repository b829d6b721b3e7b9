/*
 * fuzz_wav.c - libFuzzer target for the WAV reader (kiosk/wav.c) on
 * arbitrary bytes: a centre's recording is outside input. A crash, an
 * overread or undefined behaviour is a bug; a refusal with a reason is
 * not. An accepted file must give some samples, no more than its bytes
 * could hold, at a rate the reader promises. Never writes a file.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "kiosk/wav.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct wav_audio a;
    char why[128] = "";
    if (wav_parse(data, size, &a, why, sizeof why) != 0) {
        if (why[0] == '\0' || a.samples || a.n)
            abort();
        return 0;
    }
    if (!a.samples || a.n == 0 || a.n > size || a.rate < 8000 || a.rate > 48000)
        abort();
    /* Every sample is read: an uninitialised or short buffer shows here
     * under the sanitizers. */
    long sum = 0;
    for (size_t i = 0; i < a.n; i++)
        sum += a.samples[i];
    if (sum > (long)a.n * 32767 || sum < (long)a.n * -32768)
        abort();
    wav_audio_free(&a);
    if (a.samples || a.n)
        abort();
    return 0;
}

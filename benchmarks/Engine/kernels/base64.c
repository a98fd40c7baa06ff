/* Base64 (RFC 4648) encoding of 1 MiB of pseudo-random bytes, then decoding it back. */
#include "kernel.h"

#define INPUT_SIZE (1 << 20)
#define ENCODED_SIZE ((INPUT_SIZE + 2) / 3 * 4)

static uint8_t input[INPUT_SIZE];
static char encoded[ENCODED_SIZE];
static uint8_t decoded[INPUT_SIZE];
static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static uint8_t reverse[256];

static size_t encode(const uint8_t *in, size_t length, char *out)
{
    size_t o = 0, i = 0;
    for (; i + 3 <= length; i += 3) {
        uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];
        out[o++] = alphabet[v >> 18];
        out[o++] = alphabet[(v >> 12) & 63];
        out[o++] = alphabet[(v >> 6) & 63];
        out[o++] = alphabet[v & 63];
    }
    if (i < length) {
        uint32_t v = (uint32_t)in[i] << 16 | (i + 1 < length ? (uint32_t)in[i + 1] << 8 : 0);
        out[o++] = alphabet[v >> 18];
        out[o++] = alphabet[(v >> 12) & 63];
        out[o++] = i + 1 < length ? alphabet[(v >> 6) & 63] : '=';
        out[o++] = '=';
    }
    return o;
}

/* Returns the decoded length, or (size_t)-1 for a character outside the alphabet. */
static size_t decode(const char *in, size_t length, uint8_t *out)
{
    size_t o = 0;
    for (size_t i = 0; i + 4 <= length; i += 4) {
        uint8_t a = reverse[(uint8_t)in[i]], b = reverse[(uint8_t)in[i + 1]];
        uint8_t c = reverse[(uint8_t)in[i + 2]], d = reverse[(uint8_t)in[i + 3]];
        if ((a | b | c | d) & 0x80) return (size_t)-1;
        uint32_t v = (uint32_t)(a & 63) << 18 | (uint32_t)(b & 63) << 12 | (uint32_t)(c & 63) << 6 | (d & 63);
        out[o++] = (uint8_t)(v >> 16);
        if (in[i + 2] != '=') out[o++] = (uint8_t)(v >> 8);
        if (in[i + 3] != '=') out[o++] = (uint8_t)v;
    }
    return o;
}

void setup(void)
{
    uint32_t seed = 0x9e3779b9;
    for (size_t i = 0; i < INPUT_SIZE; i++) input[i] = (uint8_t)next_random(&seed);
    for (int i = 0; i < 256; i++) reverse[i] = 0x80;
    for (int i = 0; i < 64; i++) reverse[(uint8_t)alphabet[i]] = (uint8_t)i;
    reverse['='] = 0x40;   /* padding: decodes as zero bits, flagged apart from bad characters */
}

uint32_t run(void)
{
    size_t length = encode(input, INPUT_SIZE, encoded);
    size_t back = decode(encoded, length, decoded);
    uint32_t sum = (uint32_t)length ^ (uint32_t)back;
    for (size_t i = 0; i < INPUT_SIZE; i += 4093) sum = sum * 31 + decoded[i] + (uint8_t)encoded[i];
    return sum;
}

uint32_t selftest(void)
{
    static const uint8_t text[6] = {'f', 'o', 'o', 'b', 'a', 'r'};
    char out[8];
    uint8_t back[6];
    if (encode(text, 5, out) != 8) return 0;
    if (out[0] != 'Z' || out[4] != 'Y' || out[6] != 'E' || out[7] != '=') return 0;   /* "Zm9vYmE=" */
    if (decode(out, 8, back) != 5) return 0;
    for (int i = 0; i < 5; i++) if (back[i] != text[i]) return 0;
    return 1;
}

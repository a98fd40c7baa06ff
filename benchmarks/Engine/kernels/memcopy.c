/* Copies and fills 1 MiB buffers: memcpy/memset compile to memory.copy and memory.fill
 * (bench-flags below), which is how AssemblyScript and TinyGo filters move bytes. */
/* bench-flags: -mbulk-memory */
#include "kernel.h"

#define SIZE (1 << 20)
#define ROUNDS 64

static uint8_t source[SIZE], target[SIZE];

void setup(void)
{
    uint32_t seed = 99;
    for (size_t i = 0; i < SIZE; i++) source[i] = (uint8_t)next_random(&seed);
}

uint32_t run(void)
{
    uint32_t sum = 0;
    for (int round = 0; round < ROUNDS; round++) {
        size_t offset = (size_t)round * 4099 % 4096;
        memcpy(target, source + offset, SIZE - offset);
        memset(target + SIZE - offset, round, offset);
        /* An overlapping move, as a buffer that drops a consumed prefix does. */
        memmove(target, target + 1, SIZE - 1);
        sum = sum * 31 + target[round * 65521 % SIZE] + target[SIZE - 1 - round];
    }
    return sum;
}

uint32_t selftest(void)
{
    run();
    return target[0] == source[((ROUNDS - 1) * 4099 % 4096) + 1];
}

/*
 * What every benchmark kernel shares. A kernel is one C file that defines
 *   void setup(void);       prepares its input (deterministic, not timed)
 *   uint32_t run(void);     one timed unit of work; returns a checksum
 * The same file is compiled to wasm32 (no libc: clang -nostdlib) and natively
 * (gcc -O2 with native_main.c). The checksum must be equal in every runner,
 * which proves they all did the same work and stops the optimizer from
 * removing it.
 */
#ifndef KERNEL_H
#define KERNEL_H

typedef __UINT8_TYPE__ uint8_t;
typedef __UINT16_TYPE__ uint16_t;
typedef __UINT32_TYPE__ uint32_t;
typedef __UINT64_TYPE__ uint64_t;
typedef __INT32_TYPE__ int32_t;
typedef __INT64_TYPE__ int64_t;
typedef __SIZE_TYPE__ size_t;

/* wasm-ld exports only symbols of default visibility, and clang's wasm target hides them by default. */
#define EXPORT __attribute__((visibility("default")))

EXPORT void setup(void);
EXPORT uint32_t run(void);
/* Checks the kernel against a known answer: 1 when right. */
EXPORT uint32_t selftest(void);

/* A small deterministic generator for inputs: xorshift32. */
static inline uint32_t next_random(uint32_t *state)
{
    uint32_t x = *state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return *state = x;
}

#ifdef __wasm__
/* Without libc the compiler still emits calls to these for struct copies and
 * recognised loops; no_builtin keeps it from turning their own loops into
 * calls to themselves. Kernels built with -mbulk-memory get memory.copy and
 * memory.fill instead. */
__attribute__((no_builtin)) void *memcpy(void *dest, const void *src, size_t n)
{
    uint8_t *d = dest;
    const uint8_t *s = src;
    while (n--) *d++ = *s++;
    return dest;
}

__attribute__((no_builtin)) void *memset(void *dest, int c, size_t n)
{
    uint8_t *d = dest;
    while (n--) *d++ = (uint8_t)c;
    return dest;
}

__attribute__((no_builtin)) void *memmove(void *dest, const void *src, size_t n)
{
    uint8_t *d = dest;
    const uint8_t *s = src;
    if (d < s) while (n--) *d++ = *s++;
    else while (n--) d[n] = s[n];
    return dest;
}
#else
#include <string.h>
#endif

#endif

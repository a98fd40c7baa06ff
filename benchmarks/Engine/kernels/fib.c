/* Recursive Fibonacci: call overhead, nothing else. */
#include "kernel.h"

static volatile uint32_t argument;

EXPORT uint32_t fib(uint32_t n)
{
    return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

void setup(void) { argument = 32; }

uint32_t run(void) { return fib(argument); }

uint32_t selftest(void) { return fib(20) == 6765; }

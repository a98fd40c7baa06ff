/*
 * Runs one kernel natively: setup, selftest, warm-up, then measured iterations.
 * Build: gcc -O2 -o kernel native_main.c kernels/KERNEL.c
 * Usage: kernel NAME WARMUP ITERATIONS
 * Prints one line: "NAME MEDIAN_MS MIN_MS CHECKSUM" (the format every runner prints).
 * Times are CPU time of the running thread, or wall-clock time when BENCH_CLOCK=wall.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "kernels/kernel.h"

static clockid_t clock_id = CLOCK_THREAD_CPUTIME_ID;

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(clock_id, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: %s NAME WARMUP ITERATIONS\n", argv[0]);
        return 2;
    }
    int warmup = atoi(argv[2]), iterations = atoi(argv[3]);
    const char *clock_name = getenv("BENCH_CLOCK");
    if (clock_name && strcmp(clock_name, "wall") == 0) clock_id = CLOCK_MONOTONIC;
    if (iterations < 1) iterations = 1;
    setup();
    if (selftest() != 1) {
        fprintf(stderr, "%s: selftest failed\n", argv[1]);
        return 1;
    }
    uint32_t checksum = 0;
    for (int i = 0; i < warmup; i++) checksum = run();
    double *times = malloc(sizeof(double) * iterations);
    for (int i = 0; i < iterations; i++) {
        double start = now_ms();
        checksum = run();
        times[i] = now_ms() - start;
    }
    qsort(times, iterations, sizeof(double), by_value);
    printf("%s %.4f %.4f %u\n", argv[1], times[iterations / 2], times[0], checksum);
    free(times);
    return 0;
}

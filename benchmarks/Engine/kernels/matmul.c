/* Dense 256x256 double-precision matrix multiply (i-k-j order). */
#include "kernel.h"

#define N 256

static double a[N][N], b[N][N], c[N][N];

void setup(void)
{
    uint32_t seed = 7;
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            a[i][j] = (double)(next_random(&seed) % 1000) / 100.0 - 5.0;
            b[i][j] = (double)(next_random(&seed) % 1000) / 100.0 - 5.0;
        }
}

static void multiply(void)
{
    for (int i = 0; i < N; i++) {
        for (int j = 0; j < N; j++) c[i][j] = 0.0;
        for (int k = 0; k < N; k++) {
            double aik = a[i][k];
            for (int j = 0; j < N; j++) c[i][j] += aik * b[k][j];
        }
    }
}

uint32_t run(void)
{
    multiply();
    double trace = 0.0;
    for (int i = 0; i < N; i++) trace += c[i][i] + c[i][N - 1 - i];
    /* Every product and sum is exact in doubles at these magnitudes, so the checksum
     * does not depend on whether a runner fuses multiply-adds. */
    return (uint32_t)(int64_t)(trace * 100.0);
}

uint32_t selftest(void)
{
    run();
    double expected = 0.0;
    for (int k = 0; k < N; k++) expected += a[3][k] * b[k][5];
    return c[3][5] == expected;
}

/* histogram: histogram equalization of a 12-bit image of NPIX pixels,
 * applied REPS times (each round equalizes the previous round's output).
 * One round: build the histogram (scatter), prefix-sum it into a CDF, turn
 * the CDF into a lookup table, remap every pixel through the table.
 *
 * Inherently sequential: the histogram scatter `hist[in[i]]++` (a write
 * through a data-dependent index; iterations collide on the same bin) and
 * the CDF prefix sum (each element depends on the previous one).
 * Parallel-friendly: the lookup-table loop and the remap loop
 * out[i] = lut[in[i]] (indirect read, direct write).  The repeat loop is
 * sequential.
 *
 * Checksum: integer, sum of out[i] * (1 + i % 16) plus the last histogram
 * weighted by bin -- exact, independent of evaluation order. */
#include "common.h"

#include <stdlib.h>

/* PARASLM_KERNELS_SMALL (the CMake option of that name) shrinks the inputs so that tests can run the suite
 * under sanitizers many times; the code and its loops stay the same. */
#ifdef PARASLM_KERNELS_SMALL
#define NBINS 4096
#define NPIX (1 << 16)
#define REPS 2
#else
#define NBINS 4096
#define NPIX (1 << 25)
#define REPS 32
#endif

static void equalize(int n, const uint16_t *restrict in, uint16_t *restrict out,
                     long long *restrict hist, long long *restrict cdf, uint16_t *restrict lut)
{
    for (int v = 0; v < NBINS; v++) {
        hist[v] = 0;
    }
    for (int i = 0; i < n; i++) {
        hist[in[i]]++;
    }

    long long running = 0;
    for (int v = 0; v < NBINS; v++) {
        running += hist[v];
        cdf[v] = running;
    }

    for (int v = 0; v < NBINS; v++) {
        lut[v] = (uint16_t)((cdf[v] * (NBINS - 1)) / n);
    }

    for (int i = 0; i < n; i++) {
        out[i] = lut[in[i]];
    }
}

int main(void)
{
    const int n = NPIX;
    uint16_t *a = malloc((size_t)n * sizeof *a);
    uint16_t *b = malloc((size_t)n * sizeof *b);
    long long *hist = malloc(NBINS * sizeof *hist);
    long long *cdf = malloc(NBINS * sizeof *cdf);
    uint16_t *lut = malloc(NBINS * sizeof *lut);
    if (!a || !b || !hist || !cdf || !lut) {
        fprintf(stderr, "out of memory\n");
        return 1;
    }

    /* Low-contrast, skewed input: product of two uniforms squeezed into the
     * lower part of the 12-bit range. */
    uint64_t seed = 31337;
    for (int i = 0; i < n; i++) {
        int p = lcg_range(&seed, 1024);
        int q = lcg_range(&seed, 1024);
        a[i] = (uint16_t)(256 + (p * q) / 512);
    }

    double t0 = now_seconds();
    for (int r = 0; r < REPS; r++) {
        if (r % 2 == 0) {
            equalize(n, a, b, hist, cdf, lut);
        } else {
            equalize(n, b, a, hist, cdf, lut);
        }
    }
    double t1 = now_seconds();

    const uint16_t *result = REPS % 2 == 0 ? a : b;
    uint64_t checksum = 0;
    for (int i = 0; i < n; i++) {
        checksum += (uint64_t)result[i] * (uint64_t)(1 + i % 16);
    }
    for (int v = 0; v < NBINS; v++) {
        checksum += (uint64_t)hist[v] * (uint64_t)v;
    }
    print_result_u64(checksum, t1 - t0);

    free(a);
    free(b);
    free(hist);
    free(cdf);
    free(lut);
    return 0;
}

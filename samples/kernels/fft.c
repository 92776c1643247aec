/* fft: iterative radix-2 Cooley-Tukey FFT (split real/imaginary arrays) used
 * for FFT-based low-pass filtering of a length-N complex signal: forward
 * FFT, multiply by a frequency response, inverse FFT (scaled by 1/N).  The
 * filter is applied REPS times in a chain (each round filters the previous
 * round's output).
 *
 * Inherently sequential: the bit-reversal permutation (the reversed index j
 * is carried from one iteration to the next, and the swap writes through
 * it) and the stage loop (`len <<= 1`; stage s+1 reads what stage s wrote).
 * Parallel-friendly: inside a stage, the butterfly-group loop over i (group
 * i touches only elements [i, i + len)) and the butterfly loop over k; the
 * twiddle-table loop; the filter loop.
 *
 * Checksum: sum of (re^2 + im^2) * (1 + i % 16) in double.  A parallel run
 * of the butterfly / filter loops gives bit-identical data; reordering the
 * checksum sum moves it by <= 1e-12 relative (1.1e-14 measured); compare
 * with tolerance 1e-9. */
#include "common.h"

#include <math.h>
#include <stdlib.h>

/* PARASLM_KERNELS_SMALL (the CMake option of that name) shrinks the inputs so that tests can run the suite
 * under sanitizers many times; the code and its loops stay the same. */
#ifdef PARASLM_KERNELS_SMALL
#define LOG2N 12
#define N (1 << LOG2N)
#define REPS 1
#else
#define LOG2N 21
#define N (1 << LOG2N)
#define REPS 2
#endif

static void fft(int n, double *restrict re, double *restrict im, const double *restrict wr,
                const double *restrict wi, double sign)
{
    /* Bit-reversal permutation. */
    for (int i = 1, j = 0; i < n; i++) {
        int bit = n >> 1;
        for (; j & bit; bit >>= 1) {
            j ^= bit;
        }
        j ^= bit;
        if (i < j) {
            double tr = re[i];
            re[i] = re[j];
            re[j] = tr;
            double ti = im[i];
            im[i] = im[j];
            im[j] = ti;
        }
    }

    /* Butterfly stages. */
    for (int len = 2; len <= n; len <<= 1) {
        int half = len / 2;
        int step = n / len;
        for (int i = 0; i < n; i += len) {
            for (int k = 0; k < half; k++) {
                double cr = wr[k * step];
                double ci = sign * wi[k * step];
                double xr = re[i + k + half];
                double xi = im[i + k + half];
                double tr = xr * cr - xi * ci;
                double ti = xr * ci + xi * cr;
                re[i + k + half] = re[i + k] - tr;
                im[i + k + half] = im[i + k] - ti;
                re[i + k] = re[i + k] + tr;
                im[i + k] = im[i + k] + ti;
            }
        }
    }
}

/* Low-pass response, folded together with the 1/n of the inverse FFT. */
static void apply_filter(int n, double *restrict re, double *restrict im)
{
    for (int k = 0; k < n; k++) {
        int f = k < n - k ? k : n - k;
        double x = (double)f / (n / 256);
        double h = 1.0 / (1.0 + x * x) / n;
        re[k] = re[k] * h;
        im[k] = im[k] * h;
    }
}

int main(void)
{
    const int n = N;
    double *re = malloc((size_t)n * sizeof *re);
    double *im = malloc((size_t)n * sizeof *im);
    double *wr = malloc((size_t)(n / 2) * sizeof *wr);
    double *wi = malloc((size_t)(n / 2) * sizeof *wi);
    if (!re || !im || !wr || !wi) {
        fprintf(stderr, "out of memory\n");
        return 1;
    }

    const double pi = 3.14159265358979323846;
    for (int k = 0; k < n / 2; k++) {
        wr[k] = cos(2.0 * pi * k / n);
        wi[k] = -sin(2.0 * pi * k / n);
    }

    uint64_t seed = 1618033;
    for (int i = 0; i < n; i++) {
        double t = (double)i / n;
        double noise = lcg_uniform(&seed) - 0.5;
        re[i] = sin(2.0 * pi * 5.0 * t) + 0.5 * cos(2.0 * pi * 40.0 * t) + noise;
        im[i] = 0.0;
    }

    double t0 = now_seconds();
    for (int r = 0; r < REPS; r++) {
        fft(n, re, im, wr, wi, 1.0);
        apply_filter(n, re, im);
        fft(n, re, im, wr, wi, -1.0);
    }
    double t1 = now_seconds();

    double checksum = 0.0;
    for (int i = 0; i < n; i++) {
        checksum += (re[i] * re[i] + im[i] * im[i]) * (1 + i % 16);
    }
    print_result_double(checksum, t1 - t0);

    free(re);
    free(im);
    free(wr);
    free(wi);
    return 0;
}

/* Histogram, normalisation, cumulative distribution, equalisation. */
#include <math.h>

#define NBINS 256
#define NDATA 100000

static unsigned char data[NDATA];
static unsigned char equalized[NDATA];
static int hist[NBINS];
static double prob[NBINS];
static double cdf[NBINS];
static unsigned char remap[NBINS];

void build_histogram(int n)
{
    // expect: parallel
    for (int b = 0; b < NBINS; b++)
        hist[b] = 0;
    // expect: parallel reduction(+:hist)
    for (int i = 0; i < n; i++)
        hist[data[i]]++;
}

void normalize_histogram(int n)
{
    // expect: parallel
    for (int b = 0; b < NBINS; b++)
        prob[b] = (double)hist[b] / n;
}

int total_count(void)
{
    int total = 0;

    // expect: parallel reduction(+:total)
    for (int b = 0; b < NBINS; b++)
        total += hist[b];
    return total;
}

double entropy_bits(void)
{
    double h = 0.0;

    // expect: parallel reduction(-:h)
    for (int b = 0; b < NBINS; b++)
        if (prob[b] > 0.0)
            h -= prob[b] * log2(prob[b]);
    return h;
}

void cumulative_running(void)
{
    double run = 0.0;

    // expect: sequential
    for (int b = 0; b < NBINS; b++) {
        run += prob[b];
        cdf[b] = run;
    }
}

void cumulative_recurrence(void)
{
    cdf[0] = prob[0];
    // expect: sequential
    for (int b = 1; b < NBINS; b++)
        cdf[b] = cdf[b - 1] + prob[b];
}

void build_remap(void)
{
    // expect: parallel
    for (int b = 0; b < NBINS; b++)
        remap[b] = (unsigned char)lround(255.0 * cdf[b]);
}

void equalize(int n)
{
    // expect: parallel
    for (int i = 0; i < n; i++)
        equalized[i] = remap[data[i]];
}

int mode_bin(void)
{
    int best = 0;

    // expect: sequential
    for (int b = 1; b < NBINS; b++)
        if (hist[b] > hist[best])
            best = b;
    return best;
}

int max_count(void)
{
    int m = 0;

    // expect: parallel reduction(max:m)
    for (int b = 0; b < NBINS; b++)
        if (hist[b] > m)
            m = hist[b];
    return m;
}

int run_lengths(int n, int *runs)
{
    int nruns = 0, len = 1;

    // expect: sequential
    for (int i = 1; i < n; i++) {
        if (data[i] == data[i - 1]) {
            len++;
        } else {
            runs[nruns++] = len;
            len = 1;
        }
    }
    runs[nruns++] = len;
    return nruns;
}

unsigned adler32(int n)
{
    unsigned a = 1u, b = 0u;

    // expect: sequential
    for (int i = 0; i < n; i++) {
        a = (a + data[i]) % 65521u;
        b = (b + a) % 65521u;
    }
    return (b << 16) | a;
}

/* Accesses through different scalar types. Under the C standard's aliasing rule (the default of every optimizing
 * build) an object is accessed only through its own type, so a `long long` buffer and an `int` buffer never share
 * memory: these loops need no overlap check. Built with -fno-strict-aliasing the same accesses are defined even where
 * the buffers overlap, so the analyzer must not use the types there (tests: StrictAliasingFlagTests). */
#include <stddef.h>

long long g_total;

/* Narrowing a wide buffer into a narrow one (a codec's residual computed from 64-bit samples). */
void narrow_diff(const long long wide[], int n, int narrow[])
{
    int i;
    // expect: parallel
    for (i = 1; i < n; i++)
        narrow[i] = (int)(wide[i] - wide[i - 1]);
}

/* Widening: the written buffer is the wide one. */
void widen_scale(const int *in, long long *out, size_t n, long long k)
{
    // expect: parallel
    for (size_t i = 0; i < n; i++)
        out[i] = (long long)in[i] * k;
}

/* Float results written beside an integer table. */
void dequantize(const short *q, float *x, int n, float step)
{
    // expect: parallel
    for (int i = 0; i < n; i++)
        x[i] = (float)q[i] * step;
}

/* A global sum beside stores through a pointer of another type: the stores cannot reach the global. */
void sum_and_copy(const int *v, double *out, int n)
{
    // expect: parallel reduction(+:g_total)
    for (int i = 0; i < n; i++) {
        g_total += v[i];
        out[i] = (double)v[i];
    }
}

/* Same element type on both sides: only a run-time check can tell the buffers apart, with any flags. */
void same_type_diff(const int *src, int *dst, int n)
{
    // expect: runtime-check
    for (int i = 1; i < n; i++)
        dst[i] = src[i] - src[i - 1];
}

/* Bytes may alias anything, under any flags. */
void bytes_to_words(const unsigned char *b, int *w, int n)
{
    // expect: runtime-check
    for (int i = 0; i < n; i++)
        w[i] = b[i] * 3;
}

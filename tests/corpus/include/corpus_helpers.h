/* Shared helpers of the analyzer corpus (usable from C and C++). */
#ifndef CORPUS_HELPERS_H
#define CORPUS_HELPERS_H

#include <math.h>
#include <stdio.h>

#define CH_SQR(x) ((x) * (x))
#define CH_CLAMP(x, lo, hi) ((x) < (lo) ? (lo) : ((x) > (hi) ? (hi) : (x)))
#define CH_MIN(a, b) ((a) < (b) ? (a) : (b))

/* Pure: only arithmetic on its arguments. */
static inline double ch_lerp(double a, double b, double t)
{
    return a + (b - a) * t;
}

/* Pure: libm only. */
static inline double ch_sigmoid(double x)
{
    return 1.0 / (1.0 + exp(-x));
}

/* Pure: reads through its pointers, writes only locals. */
static inline double ch_dot(const double *a, const double *b, int n)
{
    double s = 0.0;
    for (int i = 0; i < n; i++)
        s += a[i] * b[i];
    return s;
}

/* Impure: performs I/O. */
static inline void ch_trace(const char *tag, int i, double v)
{
    printf("%s[%d] = %g\n", tag, i, v);
}

#endif /* CORPUS_HELPERS_H */

/* Written for OpenMP, but this project's build does not enable it: `mode()` must say 0 in the parallel build too. */
#ifdef _OPENMP
#include <omp.h>
#endif

int mode(void)
{
#if _OPENMP
    return 1;
#else
    return 0;
#endif
}

double sum_modes(const double *restrict a, int n)
{
    double s = 0.0;
    int i;
#ifdef _OPENMP
#pragma omp parallel for reduction(+:s) private(i)
#endif
    for (i = 0; i < n; i++)
        s += a[i];
    return s;
}

static double w[1 << 16];

double scaled_total(const double *restrict a, int n)
{
    for (int i = 0; i < n; i++)
        w[i] = a[i] * 3.0;
    double t = 0.0;
    for (int i = 0; i < 16; i++)
        t += w[i * 4096];
    return t;
}

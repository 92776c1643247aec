#include "kernels.h"
#include "local.h"

/* Each iteration writes its own out[i]; the sum is a + reduction. */
long scale_and_sum(long *restrict out, const long *restrict in, int n)
{
    long sum = 0;
    for (int i = 0; i < n; i++) {
        out[i] = in[i] * KERNEL_FACTOR + LOCAL_OFFSET;
        sum += out[i];
    }
    return sum;
}

/* Row i of y depends only on row i of a. */
void matvec(long *restrict y, const long *restrict a, const long *restrict x, int n)
{
    for (int i = 0; i < n; i++) {
        long s = 0;
        for (int j = 0; j < n; j++)
            s += a[i * n + j] * x[j];
        y[i] = s;
    }
}

/* 1 when the program runs with the OpenMP runtime linked in (ParaSlm's parallel build), 0 otherwise. Not `#ifdef
 * _OPENMP`: this project's own build does not enable OpenMP, so that code stays off in the parallel build too. */
extern int omp_get_max_threads(void) __attribute__((weak));

int kernels_openmp(void)
{
    return omp_get_max_threads != 0;
}

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

/* 1 when this file was compiled with OpenMP. */
int kernels_openmp(void)
{
#ifdef _OPENMP
    return 1;
#else
    return 0;
#endif
}

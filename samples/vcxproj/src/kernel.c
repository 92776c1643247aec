#include "sample.h"
#include "kernel_local.h"
#ifdef _OPENMP
#include <omp.h>
#endif

/* Each iteration writes its own out[i]; the sum is a + reduction: ParaSlm parallelizes this loop. */
long kernel_run(const long *restrict in, long *restrict out, int n)
{
    long sum = 0;
    for (int i = 0; i < n; i++) {
        out[i] = in[i] * KERNEL_SCALE + KERNEL_OFFSET;
        sum += out[i];
    }
    return sum;
}

/* How many threads this file's parallel loops may use: 1 unless it was compiled with OpenMP. */
int kernel_threads(void)
{
#ifdef _OPENMP
    return omp_get_max_threads();
#else
    return 1;
#endif
}

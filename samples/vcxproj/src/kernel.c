#include "sample.h"
#include "kernel_local.h"
/* This project does not enable OpenMP itself, so `#ifdef _OPENMP` code stays off in ParaSlm's copy too; with GCC and
 * Clang the OpenMP runtime, when ParaSlm links it in, is found through a weak reference instead. */
#if defined(__GNUC__) || defined(__clang__)
extern int omp_get_max_threads(void) __attribute__((weak));
#define RUNTIME_THREADS() (omp_get_max_threads ? omp_get_max_threads() : 1)
#else
#define RUNTIME_THREADS() 1
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

/* How many threads this program's parallel loops may use: 1 unless the OpenMP runtime is linked in. */
int kernel_threads(void)
{
    return RUNTIME_THREADS();
}

#ifndef KERNELS_H
#define KERNELS_H

long scale_and_sum(long *restrict out, const long *restrict in, int n);
void matvec(long *restrict y, const long *restrict a, const long *restrict x, int n);
int kernels_openmp(void);

#endif
